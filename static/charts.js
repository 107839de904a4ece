// Small hand-drawn SVG line charts: axes with round ticks, lines (solid or
// dashed), point markers, a legend. Styling is done with SVG presentation
// attributes only (no CSS), so that an exported SVG or PNG looks the same
// as on the page.

const NS = 'http://www.w3.org/2000/svg';

// A palette that stays distinct for colour-blind viewers (Okabe-Ito).
export const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

// niceTicks returns about count round values covering [lo, hi].
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.round(t / step) * step);
  }
  return { ticks, step };
}

export function fmt(v, step) {
  const e = Math.floor(Math.log10(step) + 1e-9);
  const mantissa = step / 10 ** e;
  const digits = Math.max(0, -e + (Math.abs(mantissa - 2.5) < 1e-6 ? 1 : 0));
  return v.toFixed(Math.min(digits, 4));
}

// lineChart draws into svg (replacing its content). opts:
//   title, xLabel, yLabel, xLog (log-scale x), xTicks (fixed x tick values),
//   yMin, yMax, minSpan (least y range), bounds ([lo, hi] for that widening),
//   yFormat ((value, tick step) → text), width, height,
//   series: [{name, color, points: [[x, y], ...], dashed, markers, width}]
export function lineChart(svg, opts) {
  const W = opts.width || 400;
  const H = opts.height || 250;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  el('rect', { x: 0, y: 0, width: W, height: H, fill: '#ffffff' }, svg);
  if (opts.title) el('title', {}, svg).textContent = opts.title;

  const series = (opts.series || []).filter((s) => s.points && s.points.length);
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const perRow = W >= 560 ? 3 : 2;
  const legendRows = series.length ? Math.ceil(series.length / perRow) : 0;
  const m = { l: 62, r: 24, t: 14 + legendRows * 19, b: 44 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;

  if (!pts.length) {
    el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#666', 'font-size': 14 }, svg)
      .textContent = opts.empty || 'No data yet';
    return;
  }
  const tx = opts.xLog ? (v) => Math.log10(Math.max(v, 1e-9)) : (v) => v;
  let xs = pts.map(([x]) => tx(x));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (opts.xTicks && opts.xTicks.length) {
    const t = opts.xTicks.map(tx);
    x0 = Math.min(x0, ...t);
    x1 = Math.max(x1, ...t);
  }
  if (x1 === x0) {
    x0 -= opts.xLog ? 0.3 : 1;
    x1 += opts.xLog ? 0.3 : 1;
  } else if (opts.xLog) {
    const pad = (x1 - x0) * 0.08;
    x0 -= pad;
    x1 += pad;
  }
  const ys = pts.map(([, y]) => y);
  let y0 = opts.yMin ?? Math.min(...ys);
  let y1 = opts.yMax ?? Math.max(...ys);
  if (opts.minSpan && y1 - y0 < opts.minSpan) {
    // Too narrow a range magnifies noise: widen it around its middle,
    // within the allowed bounds.
    const mid = (y0 + y1) / 2;
    const lo = opts.bounds ? opts.bounds[0] : -Infinity;
    const hi = opts.bounds ? opts.bounds[1] : Infinity;
    y0 = Math.max(lo, mid - opts.minSpan / 2);
    y1 = Math.min(hi, y0 + opts.minSpan);
    y0 = Math.max(lo, y1 - opts.minSpan);
  }
  const yt = niceTicks(y0, y1, 5);
  // Round the range out to whole ticks, so no point sits on the frame.
  if (opts.yMin === undefined) y0 = Math.floor(y0 / yt.step + 1e-9) * yt.step;
  if (opts.yMax === undefined) y1 = Math.ceil(y1 / yt.step - 1e-9) * yt.step;
  if (y1 === y0) y1 = y0 + yt.step;
  if (yt.ticks[0] > y0 + 1e-9) yt.ticks.unshift(y0);
  if (yt.ticks[yt.ticks.length - 1] < y1 - 1e-9) yt.ticks.push(y1);
  const X = (v) => m.l + ((tx(v) - x0) / (x1 - x0)) * pw;
  const Y = (v) => m.t + ph - ((v - y0) / (y1 - y0)) * ph;

  // Grid and y axis.
  const axis = el('g', { 'font-size': 13, fill: '#333' }, svg);
  for (const t of yt.ticks) {
    if (t < y0 - 1e-9 || t > y1 + 1e-9) continue;
    el('line', { x1: m.l, x2: m.l + pw, y1: Y(t), y2: Y(t), stroke: '#e3e3e3', 'stroke-width': 1 }, axis);
    el('text', { x: m.l - 6, y: Y(t) + 4, 'text-anchor': 'end' }, axis)
      .textContent = opts.yFormat ? opts.yFormat(t, yt.step) : fmt(t, yt.step);
  }
  // x ticks.
  let xticks;
  if (opts.xTicks) xticks = opts.xTicks;
  else if (opts.xLog) xticks = [...new Set(pts.map(([x]) => x))].sort((a, b) => a - b);
  else {
    const t = niceTicks(x0, x1, 5);
    xticks = t.ticks.filter((v) => v >= x0 - 1e-9 && v <= x1 + 1e-9);
    xticks.step = t.step;
  }
  for (const t of xticks) {
    const x = X(t);
    el('line', { x1: x, x2: x, y1: m.t + ph, y2: m.t + ph + 5, stroke: '#333' }, axis);
    el('text', { x, y: m.t + ph + 18, 'text-anchor': 'middle' }, axis)
      .textContent = xticks.step ? fmt(t, xticks.step) : String(t);
  }
  el('line', { x1: m.l, x2: m.l + pw, y1: m.t + ph, y2: m.t + ph, stroke: '#333' }, axis);
  el('line', { x1: m.l, x2: m.l, y1: m.t, y2: m.t + ph, stroke: '#333' }, axis);
  if (opts.xLabel) {
    el('text', { x: m.l + pw / 2, y: H - 6, 'text-anchor': 'middle', 'font-size': 14 }, axis).textContent = opts.xLabel;
  }
  if (opts.yLabel) {
    el('text', { x: 15, y: m.t + ph / 2, 'text-anchor': 'middle', 'font-size': 14,
      transform: `rotate(-90 15 ${m.t + ph / 2})` }, axis).textContent = opts.yLabel;
  }

  // Lines.
  const clip = `clip${Math.random().toString(36).slice(2)}`;
  const defs = el('defs', {}, svg);
  const cp = el('clipPath', { id: clip }, defs);
  el('rect', { x: m.l, y: m.t - 4, width: pw, height: ph + 8 }, cp);
  const plot = el('g', { 'clip-path': `url(#${clip})` }, svg);
  series.forEach((s, i) => {
    const color = s.color || COLORS[i % COLORS.length];
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (p.length > 1) {
      el('polyline', {
        points: p.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' '),
        fill: 'none', stroke: color, 'stroke-width': s.width || 2.2,
        'stroke-dasharray': s.dashed ? '7 5' : 'none', 'stroke-linejoin': 'round',
      }, plot);
    }
    if (s.markers || p.length === 1) {
      for (const [x, y] of p) {
        el('circle', { cx: X(x), cy: Y(y), r: 3.8, fill: s.dashed ? '#ffffff' : color, stroke: color, 'stroke-width': 1.6 }, plot);
      }
    }
  });

  // Legend, three entries a row, above the plot.
  const lg = el('g', { 'font-size': 13, fill: '#222' }, svg);
  const colW = (W - m.l) / perRow;
  series.forEach((s, i) => {
    const color = s.color || COLORS[i % COLORS.length];
    const x = m.l + (i % perRow) * colW;
    const y = 13 + Math.floor(i / perRow) * 19;
    el('line', { x1: x, x2: x + 22, y1: y, y2: y, stroke: color, 'stroke-width': 2.5,
      'stroke-dasharray': s.dashed ? '6 4' : 'none' }, lg);
    el('text', { x: x + 27, y: y + 4 }, lg).textContent = s.name;
  });
}

// svgText serialises an SVG element as a standalone file.
export function svgText(svg) {
  const clone = svg.cloneNode(true);
  clone.setAttribute('xmlns', NS);
  const vb = svg.viewBox.baseVal;
  clone.setAttribute('width', vb.width);
  clone.setAttribute('height', vb.height);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

// svgToPNG renders an SVG element to a PNG blob at scale× its viewBox size.
export function svgToPNG(svg, scale = 2) {
  const vb = svg.viewBox.baseVal;
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = vb.width * scale;
      c.height = vb.height * scale;
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(url);
      c.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('could not render the SVG'));
    };
    img.src = url;
  });
}

// percentTick formats fractions as percentages with as many decimals as
// the tick step needs.
export const percentTick = (v, step) => fmt(v * 100, step * 100) + '%';
