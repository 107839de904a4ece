// The drawing pad: a canvas one draws a digit on (mouse, pen or touch),
// turned into a 28×28 MNIST-like image: the ink's bounding box scaled to fit
// 20×20, then centred on its centre of mass, as the MNIST digits were made.

export class Pad {
  // onChange(Float32Array(784) | null) is called after each stroke (null
  // when the pad is cleared).
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.g = canvas.getContext('2d', { willReadFrequently: true });
    this.drawing = false;
    this.inked = false;
    this.clear(false);
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const t of ['pointerup', 'pointercancel', 'pointerleave']) {
      canvas.addEventListener(t, (e) => this.up(e));
    }
  }

  clear(notify = true) {
    const { g, canvas } = this;
    g.fillStyle = '#000';
    g.fillRect(0, 0, canvas.width, canvas.height);
    this.inked = false;
    if (notify) this.onChange(null);
  }

  pos(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (this.canvas.width / r.width), (e.clientY - r.top) * (this.canvas.height / r.height)];
  }

  down(e) {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.drawing = true;
    this.last = this.pos(e);
    this.stroke(this.last, this.last);
  }

  move(e) {
    if (!this.drawing) return;
    e.preventDefault();
    const p = this.pos(e);
    this.stroke(this.last, p);
    this.last = p;
  }

  up() {
    if (!this.drawing) return;
    this.drawing = false;
    if (this.inked) this.onChange(this.image());
  }

  stroke(a, b) {
    const { g } = this;
    g.strokeStyle = '#fff';
    g.lineWidth = this.canvas.width / 12;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(a[0], a[1]);
    g.lineTo(b[0], b[1]);
    g.stroke();
    this.inked = true;
  }

  // show puts a 28×28 byte image (e.g. a test digit) on the pad.
  showDigit(pix) {
    const t = document.createElement('canvas');
    t.width = 28;
    t.height = 28;
    const tg = t.getContext('2d');
    const img = tg.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = pix[p];
      img.data[4 * p + 3] = 255;
    }
    tg.putImageData(img, 0, 0);
    this.g.imageSmoothingEnabled = true;
    this.g.drawImage(t, 0, 0, this.canvas.width, this.canvas.height);
    this.inked = true;
  }

  // image returns the drawing as 784 floats in [0,1].
  image() {
    const { canvas, g } = this;
    const W = canvas.width;
    const H = canvas.height;
    const d = g.getImageData(0, 0, W, H).data;
    let x0 = W;
    let y0 = H;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (d[4 * (y * W + x)] > 20) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    const out = new Float32Array(784);
    if (x1 < 0) return out;
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const scale = 20 / Math.max(bw, bh);
    const tw = Math.max(1, Math.round(bw * scale));
    const th = Math.max(1, Math.round(bh * scale));
    // Scale the box into a 28×28 canvas, centred by its box first.
    const t = document.createElement('canvas');
    t.width = 28;
    t.height = 28;
    const tg = t.getContext('2d', { willReadFrequently: true });
    tg.fillStyle = '#000';
    tg.fillRect(0, 0, 28, 28);
    tg.imageSmoothingEnabled = true;
    tg.imageSmoothingQuality = 'high';
    tg.drawImage(canvas, x0, y0, bw, bh, (28 - tw) / 2, (28 - th) / 2, tw, th);
    let px = tg.getImageData(0, 0, 28, 28).data;
    // Then shift so the centre of mass sits at the centre.
    let sum = 0;
    let cx = 0;
    let cy = 0;
    for (let p = 0; p < 784; p++) {
      const v = px[4 * p];
      sum += v;
      cx += v * (p % 28);
      cy += v * Math.floor(p / 28);
    }
    if (sum > 0) {
      const dx = Math.round(13.5 - cx / sum);
      const dy = Math.round(13.5 - cy / sum);
      if (dx || dy) {
        const u = document.createElement('canvas');
        u.width = 28;
        u.height = 28;
        const ug = u.getContext('2d', { willReadFrequently: true });
        ug.fillStyle = '#000';
        ug.fillRect(0, 0, 28, 28);
        ug.drawImage(t, dx, dy);
        px = ug.getImageData(0, 0, 28, 28).data;
      }
    }
    for (let p = 0; p < 784; p++) out[p] = px[4 * p] / 255;
    return out;
  }
}
