// Digit pictures on canvases: 28×28 byte images (white ink on black, as
// MNIST stores them) tiled in a grid at one canvas pixel per image pixel;
// CSS scales the canvas up without smoothing.

const S = 28;
const GAP = 2;

// drawTiles draws count images from pix (count·784 bytes, at offset 0)
// into canvas as a grid of cols columns. splitAfter (optional) widens the
// gap after that many columns (to set originals apart from samples).
// scale (CSS pixels per image pixel, default 2) sets the displayed width;
// CSS caps it at the available width.
export function drawTiles(canvas, pix, count, cols, splitAfter = 0, scale = 2) {
  const rows = Math.max(1, Math.ceil(count / cols));
  const extra = splitAfter > 0 && splitAfter < cols ? 6 : 0;
  const W = cols * S + (cols - 1) * GAP + extra;
  const H = rows * S + (rows - 1) * GAP;
  canvas.width = W;
  canvas.height = H;
  if (scale) canvas.style.width = `${W * scale}px`;
  const g = canvas.getContext('2d');
  g.fillStyle = '#8a8f98';
  g.fillRect(0, 0, W, H);
  const img = g.createImageData(S, S);
  for (let i = 0; i < count; i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const src = pix.subarray(i * 784, (i + 1) * 784);
    for (let p = 0; p < 784; p++) {
      const v = src[p];
      img.data[4 * p] = v;
      img.data[4 * p + 1] = v;
      img.data[4 * p + 2] = v;
      img.data[4 * p + 3] = 255;
    }
    const x = c * (S + GAP) + (extra && c >= splitAfter ? extra : 0);
    g.putImageData(img, x, r * (S + GAP));
  }
}

// drawSamples draws one row per original: the original, then its shown
// generated images.
export function drawSamples(canvas, originals, samples, count, shown, scale = 2) {
  const cols = shown + 1;
  const pix = new Uint8Array(count * cols * 784);
  for (let i = 0; i < count; i++) {
    pix.set(originals.subarray(i * 784, (i + 1) * 784), i * cols * 784);
    pix.set(samples.subarray(i * shown * 784, (i + 1) * shown * 784), (i * cols + 1) * 784);
  }
  drawTiles(canvas, pix, count * cols, cols, 1, scale);
}

// inkOf reports whether a canvas shows anything but one flat colour.
export function inkOf(canvas) {
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let lit = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 128) lit++;
  return lit;
}
