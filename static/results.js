// Results: what a finished run looks like on the page (its accuracies, the
// gain, per-class accuracy, confusion matrix), the table of all runs, the
// article's figure and the CSV export.

import { lineChart, COLORS, percentTick } from './charts.js';
import { PRESETS } from './settings.js';

// The article preset's VAE epochs (its last snapshot).
const ARTICLE_VAE_EPOCHS = Number(PRESETS.article.values.epochs);

export function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.appendChild(typeof k === 'string' || typeof k === 'number' ? document.createTextNode(String(k)) : k);
  }
  return e;
}

export const pct = (x) => (x * 100).toFixed(1) + '%';
export const points = (x) => (x >= 0 ? '+' : '−') + Math.abs(x * 100).toFixed(1) + ' points';

export const ARM_NAMES = {
  baseline: 'Baseline',
  'step-matched': 'Step-matched baseline',
  noise: 'Noise',
  vae: 'VAE',
  classic: 'Classic',
  'vae+classic': 'VAE + classic',
};

// armLabel names an arm of result r: "VAE k=10, level 2/2 (epoch 200)".
export function armLabel(a, r) {
  let s = ARM_NAMES[a.arm] || a.arm;
  if (a.arm !== 'baseline') s += ` k=${a.k}`;
  if (a.vae_level >= 0 && r && r.snapshots && r.snapshots.length) {
    const snap = r.snapshots[a.vae_level];
    s += r.snapshots.length > 1 ? `, level ${a.vae_level + 1}/${r.snapshots.length}` : '';
    if (snap) s += ` (VAE ${snap.epoch} ep.)`;
  }
  return s;
}

export function baselineOf(r) {
  return r.arms.find((a) => a.arm === 'baseline');
}

// bestAugmented is the augmented arm with the best validation accuracy
// (the one the worker keeps for the drawing pad).
export function bestAugmented(r) {
  let best = null;
  for (const a of r.arms) {
    if (a.arm === 'baseline' || a.arm === 'step-matched') continue;
    if (!best || a.val_acc > best.val_acc) best = a;
  }
  return best;
}

// controlOf is the step-matched control of augmented arm a: the originals
// trained for as many steps as a.
export function controlOf(r, a) {
  return r.arms.find((c) => c.arm === 'step-matched' && c.k === a.k && c.vae_level === a.vae_level) || null;
}

// renderResult shows run r: headline accuracies and gain, every arm,
// per-class accuracy and a confusion matrix.
export function renderResult(box, r) {
  box.replaceChildren();
  if (!r) {
    box.appendChild(h('p', { class: 'muted', text: 'Finish a run to see its test accuracy here.' }));
    return;
  }
  const base = baselineOf(r);
  const aug = bestAugmented(r);
  const head = h('div', { class: 'headline' });
  const big = (label, a, cls) => h('div', { class: 'big ' + cls },
    h('span', { class: 'big-label', text: label }),
    h('span', { class: 'acc', dataset: { arm: a.arm, k: String(a.k), level: String(a.vae_level), acc: String(a.test_acc) },
      text: pct(a.test_acc) }));
  if (base) head.appendChild(big('Baseline (originals only)', base, 'base'));
  if (aug) head.appendChild(big(armLabel(aug, r), aug, 'aug'));
  if (base && aug) {
    const g = aug.test_acc - base.test_acc;
    head.appendChild(h('div', { class: 'big gain ' + (g >= 0 ? 'up' : 'down') },
      h('span', { class: 'big-label', text: 'Gain' }), h('span', { class: 'gain-value', text: points(g) })));
  }
  const control = aug && controlOf(r, aug);
  if (control) {
    const g = aug.test_acc - control.test_acc;
    head.appendChild(big('Step-matched control', control, 'control'));
    head.appendChild(h('div', { class: 'big gain ' + (g >= 0 ? 'up' : 'down') },
      h('span', { class: 'big-label', text: 'Gain over control' }), h('span', { class: 'gain-value', text: points(g) })));
  }
  box.appendChild(head);
  if (r.stopped) {
    box.appendChild(h('p', { class: 'explain stopped' },
      `This run was stopped: these are the ${r.arms.length} classifier${r.arms.length === 1 ? '' : 's'} it had scored ` +
      'before, each trained to its own end.'));
  }
  if (control) {
    box.appendChild(h('p', { class: 'explain' },
      `The step-matched control trains on the ${r.n} originals alone for the same ${control.steps} steps as the augmented ` +
      'classifier, so the gain over it is what the generated digits add beyond simply training longer.'));
  }
  // A short-trained VAE (the Quick look's) that hurts: say why, and where
  // the article's comparison is, rather than leave "VAE samples hurt" as
  // the lesson of a demo.
  const snap = aug && aug.vae_level >= 0 && r.snapshots ? r.snapshots[aug.vae_level] : null;
  if (snap && base && aug.test_acc < base.test_acc && snap.epoch < ARTICLE_VAE_EPOCHS) {
    box.appendChild(h('p', { class: 'explain' },
      `This VAE trained for ${snap.epoch} epoch${snap.epoch === 1 ? '' : 's'}` +
      (typeof snap.loss === 'number' ? ` (loss ${snap.loss.toFixed(1)})` : '') + ', so its ' +
      'samples are still blurry (see Pictures) and a classifier that learns mostly from them does worse than one that ' +
      'sees the originals alone. The article found that a better-trained VAE (lower loss) does better; the “As in the ' +
      `article” preset trains it for ${ARTICLE_VAE_EPOCHS} epochs.`));
  }
  box.appendChild(h('p', { class: 'muted' },
    `n = ${r.n}, seed ${r.seed}; test accuracy on ${r.config.test_size} MNIST test digits, ` +
    `weights kept at the best of ${r.config.val_size} validation digits. Took ${duration(r.seconds)}.`));

  // Every arm.
  const t = h('table', { class: 'arms' },
    h('thead', {}, h('tr', {}, ['Classifier', 'Train images', 'Steps (kept)', 'Validation', 'Test', 'Gain'].map((c) => h('th', { scope: 'col', text: c })))));
  const tb = h('tbody');
  for (const a of r.arms) {
    tb.appendChild(h('tr', {},
      h('th', { scope: 'row', text: armLabel(a, r) }),
      h('td', { text: a.train_size.toLocaleString('en') }),
      h('td', { text: `${a.steps} (${a.best_step})` }),
      h('td', { text: pct(a.val_acc) }),
      h('td', {}, h('span', { class: 'acc', dataset: { arm: a.arm, k: String(a.k), level: String(a.vae_level), acc: String(a.test_acc) }, text: pct(a.test_acc) })),
      h('td', { text: base && a !== base ? points(a.test_acc - base.test_acc) : '—' })));
  }
  t.appendChild(tb);
  box.appendChild(h('div', { class: 'table-wrap' }, t));

  // Per-class accuracy, baseline beside the best augmented arm.
  const shown = [base, aug].filter(Boolean);
  const pc = h('table', { class: 'perclass' },
    h('caption', { text: 'Test accuracy per digit' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Digit' }), shown.map((a) => h('th', { scope: 'col', text: ARM_NAMES[a.arm] || a.arm })))));
  const pb = h('tbody');
  for (let d = 0; d < 10; d++) {
    pb.appendChild(h('tr', {}, h('th', { scope: 'row', text: String(d) }), shown.map((a, i) => {
      const bar = h('span', { class: 'bar ' + (i ? 'aug' : 'base') });
      bar.style.width = (a.per_class[d] * 100).toFixed(1) + '%';
      return h('td', {}, h('span', { class: 'barbox' }, bar), h('span', { class: 'barval', text: pct(a.per_class[d]) }));
    })));
  }
  pc.appendChild(pb);

  // Confusion matrix of the augmented arm (else the baseline).
  const cm = aug || base;
  const conf = h('table', { class: 'confusion' },
    h('caption', { text: `Confusion matrix: ${armLabel(cm, r)} (rows: true digit, columns: predicted)` }));
  const ch = h('tr', {}, h('th', { scope: 'col', text: '' }));
  for (let d = 0; d < 10; d++) ch.appendChild(h('th', { scope: 'col', text: String(d) }));
  conf.appendChild(h('thead', {}, ch));
  const cb = h('tbody');
  for (let i = 0; i < 10; i++) {
    const total = cm.confusion[i].reduce((s, v) => s + v, 0) || 1;
    const tr = h('tr', {}, h('th', { scope: 'row', text: String(i) }));
    for (let j = 0; j < 10; j++) {
      const v = cm.confusion[i][j];
      const f = v / total;
      const td = h('td', { text: v ? String(v) : '' });
      if (v) {
        td.style.background = i === j ? `rgba(0, 114, 178, ${0.15 + 0.75 * f})` : `rgba(213, 94, 0, ${0.15 + 0.85 * Math.min(1, f * 3)})`;
        if ((i === j && f > 0.5) || (i !== j && f > 0.25)) td.style.color = '#fff';
      }
      tr.appendChild(td);
    }
    cb.appendChild(tr);
  }
  conf.appendChild(cb);
  box.appendChild(h('div', { class: 'two' }, h('div', { class: 'table-wrap' }, pc), h('div', { class: 'table-wrap' }, conf)));
}

export function duration(s) {
  if (!Number.isFinite(s)) return '—';
  s = Math.round(s);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

// rowsOf flattens results to one row per classifier.
export function rowsOf(results) {
  const rows = [];
  results.forEach((r, ri) => {
    const base = baselineOf(r);
    for (const a of r.arms) {
      const snap = a.vae_level >= 0 && r.snapshots ? r.snapshots[a.vae_level] : null;
      rows.push({
        run: ri + 1, id: r.id, created: r.createdAt, n: r.n, seed: r.seed, arm: a.arm, k: a.k,
        vae_level: a.vae_level, vae_epoch: snap ? snap.epoch : '', vae_loss: snap ? snap.loss : '',
        train_size: a.train_size, steps: a.steps, best_step: a.best_step,
        val_acc: a.val_acc, test_acc: a.test_acc, gain: base && a !== base ? a.test_acc - base.test_acc : '',
        test_size: r.config.test_size, seconds: a.seconds, url: r.url || '', stopped: r.stopped ? 1 : '',
      });
    }
  });
  return rows;
}

export function csvOf(results) {
  const rows = rowsOf(results);
  const cols = ['run', 'id', 'created', 'n', 'seed', 'arm', 'k', 'vae_level', 'vae_epoch', 'vae_loss', 'train_size',
    'steps', 'best_step', 'val_acc', 'test_acc', 'gain', 'test_size', 'seconds', 'url', 'stopped'];
  const esc = (v) => {
    const s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v ?? '');
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

// renderTable fills the results table; onDelete(id) deletes a run.
export function renderTable(table, results, onDelete) {
  const cap = table.querySelector('caption');
  table.replaceChildren(cap);
  const cols = ['Run', 'n', 'Seed', 'Classifier', 'Train images', 'Steps', 'Validation', 'Test', 'Gain', 'Time', ''];
  table.appendChild(h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', text: c })))));
  const tb = h('tbody');
  if (!results.length) {
    tb.appendChild(h('tr', {}, h('td', { colspan: cols.length, class: 'muted', text: 'No finished runs yet.' })));
  }
  results.forEach((r, ri) => {
    const base = baselineOf(r);
    r.arms.forEach((a, ai) => {
      const tr = h('tr', { class: ai === 0 ? 'run-first' : '' },
        h('td', { text: ai === 0 ? String(ri + 1) + (r.stopped ? ' (stopped)' : '') : '' }),
        h('td', { text: String(r.n) }),
        h('td', { text: String(r.seed) }),
        h('td', { text: armLabel(a, r) }),
        h('td', { text: a.train_size.toLocaleString('en') }),
        h('td', { text: String(a.steps) }),
        h('td', { text: pct(a.val_acc) }),
        h('td', { class: 'num-strong', text: pct(a.test_acc) }),
        h('td', { text: base && a !== base ? points(a.test_acc - base.test_acc) : '—' }),
        h('td', { text: duration(a.seconds) }),
        h('td', {}, ai === 0 ? h('button', { type: 'button', class: 'small', 'aria-label': `Delete run ${ri + 1}`,
          onclick: () => onDelete(r.id), text: 'Delete' }) : null));
      tb.appendChild(tr);
    });
  });
  table.appendChild(tb);
}

// figureOptions lists the augmented arms and VAE levels present.
export function figureChoices(results) {
  const arms = new Set();
  let levels = 0;
  for (const r of results) {
    for (const a of r.arms) if (a.arm !== 'baseline' && a.arm !== 'step-matched') arms.add(a.arm);
    levels = Math.max(levels, (r.snapshots || []).length);
  }
  return { arms: [...arms], levels };
}

// renderFigure draws the article's figure: test accuracy against k, one
// line per n (mean over runs), baselines dashed. level is 'last' or an
// index.
export function renderFigure(svg, results, arm, level) {
  const byN = new Map();
  const ks = new Set();
  for (const r of results) {
    const e = byN.get(r.n) || { base: [], byK: new Map() };
    byN.set(r.n, e);
    for (const a of r.arms) {
      if (a.arm === 'baseline') {
        e.base.push(a.test_acc);
        continue;
      }
      if (a.arm !== arm) continue;
      const last = (r.snapshots || []).length - 1;
      if (a.vae_level >= 0 && (level === 'last' ? a.vae_level !== last : a.vae_level !== Number(level))) continue;
      ks.add(a.k);
      const l = e.byK.get(a.k) || [];
      l.push(a.test_acc);
      e.byK.set(a.k, l);
    }
  }
  const mean = (l) => l.reduce((s, v) => s + v, 0) / l.length;
  const kList = [...ks].sort((a, b) => a - b);
  const xTicks = kList.length ? kList : [10, 50, 250];
  const x0 = Math.min(...xTicks);
  const x1 = Math.max(...xTicks);
  const series = [];
  [...byN.keys()].sort((a, b) => a - b).forEach((n, i) => {
    const e = byN.get(n);
    const color = COLORS[i % COLORS.length];
    const pts = [...e.byK.keys()].sort((a, b) => a - b).map((k) => [k, mean(e.byK.get(k))]);
    if (pts.length) series.push({ name: `n=${n} ${ARM_NAMES[arm] || arm}`, color, points: pts, markers: true });
    if (e.base.length) {
      const b = mean(e.base);
      // Dashed across the whole k range (a little beyond it, so a single
      // k still shows a line).
      series.push({ name: `n=${n} baseline`, color, points: [[x0 / 1.5, b], [x1 * 1.5, b]], dashed: true });
    }
  });
  lineChart(svg, {
    width: 640, height: 380, series, xLog: true, xTicks,
    xLabel: 'k: generated copies per original (log scale)', yLabel: 'test accuracy',
    yFormat: percentTick, minSpan: 0.1, bounds: [0, 1],
    title: 'Test accuracy against k, one line per n, baselines dashed',
    empty: 'Finished runs will be plotted here',
  });
}
