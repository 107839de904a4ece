// The stages of the run shown in Progress, one row each (a name, a bar and
// a line of detail), keyed "load", "vae", "gen:ARM:K:LEVEL",
// "clf:ARM:K:LEVEL" (the baseline is "clf:baseline:0:-1"; a level of -1
// when no VAE is involved) and "eval". The parts of a split run train at
// once, so each part (a worker's runId; 0 for loading the data) has its own
// active stage.

import { h, ARM_NAMES } from './results.js';

// classifierKey and generateKey are the keys of a classifier's and of a
// generation's stage; classic augmentation has no VAE level.
export const classifierKey = (arm, k, level) =>
  (arm === 'baseline' ? 'clf:baseline:0:-1' : `clf:${arm}:${k}:${arm === 'classic' ? -1 : level}`);
export const generateKey = (arm, k, level) => `gen:${arm}:${k}:${arm === 'classic' ? -1 : level}`;

export class Stages {
  constructor(ol) {
    this.ol = ol;
    this.rows = new Map(); // key → {li, bar, detail}
    this.active = new Map(); // part → key of its active stage
  }

  // build lists the stages of a run of config, all pending.
  build(config) {
    this.rows.clear();
    this.active.clear();
    this.ol.replaceChildren();
    const add = (key, label) => {
      const bar = h('progress', { max: 1, value: 0, 'aria-label': label });
      const detail = h('span', { class: 'detail' });
      const li = h('li', { class: 'stage pending' }, h('span', { class: 'name', text: label }), bar, detail);
      this.ol.appendChild(li);
      this.rows.set(key, { li, bar, detail });
    };
    add('load', 'Load data');
    const arms = config.arms;
    const vae = arms.some((a) => a === 'vae' || a === 'vae+classic' || a === 'noise');
    const levels = config.snapshot_epochs.length;
    if (arms.includes('baseline')) add(classifierKey('baseline'), 'Train classifier · baseline');
    if (vae) add('vae', 'Train VAE');
    if (arms.some((a) => a !== 'baseline')) {
      for (const k of config.k) {
        for (const arm of arms) {
          if (arm === 'baseline' || arm === 'step-matched') continue;
          const lv = arm === 'classic' ? [-1] : [...Array(levels).keys()];
          for (const l of lv) {
            const tag = `${ARM_NAMES[arm] || arm} k=${k}` + (l >= 0 && levels > 1 ? ` · level ${l + 1}` : '');
            add(generateKey(arm, k, l), 'Generate · ' + tag);
            add(classifierKey(arm, k, l), 'Train classifier · ' + tag);
          }
        }
        if (arms.includes('step-matched')) {
          // The control matches the level's first augmented classifier.
          for (const l of vae ? [...Array(levels).keys()] : [-1]) {
            const tag = `step-matched control k=${k}` + (l >= 0 && levels > 1 ? ` · level ${l + 1}` : '');
            add(classifierKey('step-matched', k, l), 'Train classifier · ' + tag);
          }
        }
      }
    }
    add('eval', 'Evaluate on the test set');
  }

  // classifiers is the number of classifiers the run trains.
  classifiers() {
    return [...this.rows.keys()].filter((k) => k.startsWith('clf:')).length;
  }

  // set shows done of total and text on stage key; a finished stage is
  // done, else it becomes part's active stage.
  set(key, done, total, text, finished, part = 0) {
    const row = this.rows.get(key);
    if (!row) return;
    row.bar.max = Math.max(total, 1);
    row.bar.value = Math.min(done, Math.max(total, 1));
    row.detail.textContent = text;
    if (finished) this.finish(key);
    else this.mark(key, part);
  }

  // finish marks stage key done, with text if given.
  finish(key, text) {
    const row = this.rows.get(key);
    if (!row) return;
    row.li.className = 'stage done';
    row.bar.value = row.bar.max;
    if (text !== undefined) row.detail.textContent = text;
  }

  // mark makes key the active stage of part, and the part's previous one
  // done; mark(null) leaves no stage active.
  mark(key, part = 0) {
    if (key === null) {
      for (const [, row] of this.rows) if (row.li.classList.contains('active')) row.li.className = 'stage pending';
      this.active.clear();
      return;
    }
    const prev = this.rows.get(this.active.get(part));
    if (prev && this.active.get(part) !== key && prev.li.classList.contains('active')) prev.li.className = 'stage done';
    this.active.set(part, key);
    const row = this.rows.get(key);
    if (row) row.li.className = 'stage active';
  }

  // finishActive marks every active stage done: the run has ended.
  finishActive() {
    for (const [, row] of this.rows) {
      if (row.li.classList.contains('active')) row.li.className = 'stage done';
    }
  }
}
