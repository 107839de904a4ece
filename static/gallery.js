// The page's pictures: the generated samples of each arm, and what the
// models of the last run (kept in the primary worker) draw and predict:
// reconstructions, a walk in latent space, predictions on test digits and
// on the drawing pad. app.js owns the page's state (app) and hands over the
// samples events; this file only draws and asks the primary worker.

import { drawTiles, drawSamples } from './pictures.js';
import { Pad } from './pad.js';
import * as store from './store.js';
import { h, pct, ARM_NAMES } from './results.js';

const $ = (id) => document.getElementById(id);

export class Gallery {
  // app is the page's state (app.samples: key → samples event shown in the
  // picker; app.run, app.state, app.dataLoaded, app.loadInfo); trainer is
  // the primary worker, which holds the last run's models.
  constructor(app, trainer) {
    this.app = app;
    this.trainer = trainer;
  }

  // bind wires the pictures' controls and the drawing pad.
  bind() {
    $('samples-pick').addEventListener('change', () => this.drawSampleGrid());
    $('walk-again').addEventListener('click', () => this.walk());
    $('preds-again').addEventListener('click', () => this.testPredictions());
    this.pad = new Pad($('pad'), (img) => this.predictDrawing(img));
    $('pad-clear').addEventListener('click', () => this.pad.clear());
    $('pad-test').addEventListener('click', () => this.padTestDigit());
  }

  // onSamples records a samples event of run and shows it if run is the
  // one in Progress.
  onSamples(m, run) {
    const levels = run.config.snapshot_epochs.length;
    const label = `${ARM_NAMES[m.arm] || m.arm}, k=${m.k}` + (m.level >= 0 && levels > 1 ? `, level ${m.level + 1}` : '');
    const s = { ...m, label };
    run.samples.set(`${m.arm}|${m.k}|${m.level}`, s);
    if (run === this.app.run) this.showSamples(s);
  }

  // showSamples adds a samples event to the picker and draws it.
  showSamples(m) {
    const key = `${m.arm}|${m.k}|${m.level}`;
    const isNew = !this.app.samples.has(key);
    this.app.samples.set(key, m);
    const pick = $('samples-pick');
    if (isNew) pick.appendChild(h('option', { value: key, text: m.label }));
    pick.value = key;
    this.drawSampleGrid();
  }

  // clearSamples empties the picker, for a new run.
  clearSamples() {
    this.app.samples.clear();
    $('samples-pick').replaceChildren();
  }

  // restoreSamples shows the last finished run's sample grids again after a
  // reload.
  async restoreSamples() {
    const app = this.app;
    if (app.state === 'running') return;
    const saved = (await store.loadWeights()).find((w) => w.which === 'samples');
    if (!saved || !saved.items || app.samples.size) return;
    const pick = $('samples-pick');
    for (const [key, m] of saved.items) {
      app.samples.set(key, m);
      pick.appendChild(h('option', { value: key, text: m.label }));
      pick.value = key;
    }
    this.drawSampleGrid();
  }

  drawSampleGrid() {
    const s = this.app.samples.get($('samples-pick').value);
    if (!s) return;
    drawSamples($('samples'), s.originals, s.samples, s.count, s.shown);
    $('samples-cap').textContent = `${s.count} originals (left column) and ${s.shown} of the ${s.k} images ` +
      `generated from each (${s.label}).`;
  }

  // refreshPictures asks the worker for reconstructions, a latent walk and
  // predictions on test digits, with the models of the last run.
  async refreshPictures() {
    if (!this.app.dataLoaded || this.app.state === 'running') return;
    try {
      const r = await this.trainer.request('recon', { offset: 0, count: 10 });
      const pix = new Uint8Array(20 * 784);
      pix.set(r.originals, 0);
      pix.set(r.images, 10 * 784);
      drawTiles($('recon'), pix, 20, 10);
    } catch (err) { /* no VAE yet */ }
    this.walk();
    this.testPredictions();
  }

  // testCount is the number of test digits the worker holds.
  testCount() {
    return this.app.loadInfo ? this.app.loadInfo.test : 10000;
  }

  async walk() {
    if (!this.app.dataLoaded) return;
    const test = this.testCount();
    const from = Math.floor(Math.random() * test);
    let to = Math.floor(Math.random() * test);
    if (to === from) to = (to + 1) % test;
    try {
      const r = await this.trainer.request('walk', { from, to, steps: 10 });
      const pix = new Uint8Array(12 * 784);
      pix.set(r.ends.subarray(0, 784), 0);
      pix.set(r.images, 784);
      pix.set(r.ends.subarray(784), 11 * 784);
      drawTiles($('walk'), pix, 12, 12);
    } catch (err) { /* no VAE yet */ }
  }

  async testPredictions() {
    if (!this.app.dataLoaded) return;
    const box = $('testpreds');
    const offset = Math.floor(Math.random() * (this.testCount() - 16));
    let r;
    try {
      r = await this.trainer.request('predict', { offset, count: 16 });
    } catch (err) {
      box.replaceChildren(h('p', { class: 'muted', text: 'Predictions appear after a run.' }));
      return;
    }
    box.replaceChildren();
    for (let i = 0; i < r.count; i++) {
      const c = h('canvas', { class: 'digit', width: 28, height: 28 });
      drawTiles(c, r.pixels.subarray(i * 784, (i + 1) * 784), 1, 1, 0, 0);
      const label = r.labels[i];
      const mark = (pred) => h('span', { class: pred === label ? 'right' : 'wrong', text: `${pred}${pred === label ? '✓' : '✗'}`,
        title: pred === label ? 'right' : 'wrong' });
      box.appendChild(h('figure', { class: 'tp' }, c,
        h('figcaption', {}, 'B', mark(r.baselinePred[i]), r.augmentedPred ? h('span', {}, ' A', mark(r.augmentedPred[i])) : null)));
    }
  }

  // predictDrawing shows both classifiers' probabilities for the pad's
  // image (none: the pad was cleared).
  async predictDrawing(img) {
    const out = $('pad-out');
    if (!img) {
      out.replaceChildren();
      return;
    }
    let r;
    try {
      r = await this.trainer.request('predict', { pixels: img }, [img.buffer]);
    } catch (err) {
      out.replaceChildren(h('p', { class: 'muted', text: err.message }));
      return;
    }
    out.replaceChildren();
    const block = (title, probs, info) => {
      let best = 0;
      for (let d = 1; d < 10; d++) if (probs[d] > probs[best]) best = d;
      const rows = [];
      for (let d = 0; d < 10; d++) {
        const bar = h('span', { class: 'bar' + (d === best ? ' best' : '') });
        bar.style.width = (probs[d] * 100).toFixed(1) + '%';
        rows.push(h('div', { class: 'prob' }, h('span', { class: 'digitlabel', text: String(d) }),
          h('span', { class: 'barbox' }, bar), h('span', { class: 'barval', text: pct(probs[d]) })));
      }
      return h('div', { class: 'padpred' },
        h('p', { class: 'padhead' }, `${title}: `, h('strong', { class: 'padguess', text: String(best) }),
          info ? h('span', { class: 'muted', text: ` (${info})` }) : null),
        rows);
    };
    out.appendChild(block('Baseline', r.baseline, r.baselineArm ? `n=${r.baselineArm.n}` : ''));
    if (r.augmented) {
      const a = r.augmentedArm;
      out.appendChild(block('Augmented', r.augmented, a ? `${ARM_NAMES[a.arm] || a.arm} k=${a.k}` : ''));
    }
  }

  async padTestDigit() {
    try {
      const r = await this.trainer.request('predict', { offset: Math.floor(Math.random() * this.testCount()), count: 1 });
      this.pad.clear(false);
      this.pad.showDigit(r.pixels);
      this.predictDrawing(this.pad.image());
    } catch (err) {
      $('pad-out').replaceChildren(h('p', { class: 'muted', text: err.message }));
    }
  }
}
