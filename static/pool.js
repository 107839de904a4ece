// A pool of trainer workers: the primary (always running; it serves the
// drawing pad, exports and pictures) and helpers booted when there are more
// jobs than busy workers, up to size in all. A job is one worker's part of a
// run: a study config started with a runId unique in the page, so that every
// event names its job whichever worker sent it. Each job is a whole
// study.Run, so its numbers do not depend on the worker that ran it or on
// how many there are (wasm/PROTOCOL.md; the e2e check "pool" compares).

import { Trainer } from './trainer.js';

// MAX_WORKERS bounds the pool: each worker holds its own copy of MNIST and a
// WebAssembly memory of up to the ceiling (1.25 GiB) that never shrinks.
export const MAX_WORKERS = 4;

// poolSize is the number of workers to use: the `workers` URL parameter
// (1 to MAX_WORKERS) when given, else one per core up to MAX_WORKERS.
export function poolSize(search, cores) {
  const v = new URLSearchParams(search).get('workers');
  if (v !== null && /^\d+$/.test(v.trim())) {
    const n = Number(v);
    if (n >= 1 && n <= MAX_WORKERS) return n;
  }
  return Math.max(1, Math.min(MAX_WORKERS, Number(cores) || 1));
}

export class Pool {
  // onEvent(msg, job) receives the events of jobs; onPrimaryEvent(msg) the
  // primary's other events (ready, loaded, load progress, replies without a
  // pending request); onDead(reason) a worker's death.
  constructor(size, onEvent, onPrimaryEvent, onDead) {
    this.size = size;
    this.onEvent = onEvent;
    this.onDead = onDead;
    this.primary = new Trainer((m) => this.route(this.primary, m, onPrimaryEvent), (r) => this.died(this.primary, r));
    this.helpers = [];
    this.queue = []; // jobs not yet started, in order
    this.paused = false;
    this.maxBusy = 0; // the most workers busy at once since the last reset
    this.onIdle = null; // called when the last job ends
    // Helpers boot once the primary has started training (or ended or
    // failed a request), or HELPER_WAIT_MS after it loaded its data:
    // booted with it at page open, on two cores, they slowed its first
    // training step by about a third of a second, and that first step is
    // what the user waits for. The wait is bounded because a first step
    // can be slow (in Firefox it took 40 s once: see init in app.js), and
    // helpers are not to idle meanwhile.
    this.helpersMayBoot = false;
    this.helperTimer = null;
    this.helperWaitMs = HELPER_WAIT_MS;
  }

  workers() {
    return [this.primary, ...this.helpers];
  }

  busy() {
    return this.workers().filter((t) => t.job);
  }

  // idle reports whether no job runs or waits.
  idle() {
    return this.queue.length === 0 && this.busy().length === 0;
  }

  // submit queues a job ({runId, config, …}) and starts what can start.
  submit(job) {
    this.queue.push(job);
    this.dispatch();
  }

  // dispatch starts queued jobs on idle workers, booting helpers while the
  // pool is smaller than its size and jobs wait.
  dispatch() {
    if (this.paused) return;
    while (this.queue.length) {
      let t = this.workers().find((w) => !w.job && w.worker && !w.dead);
      if (!t && this.helpersMayBoot && this.workers().length < this.size) t = this.bootHelper();
      if (!t) break;
      const job = this.queue.shift();
      job.trainer = t;
      t.job = job;
      t.busy = true;
      job.startId = t.send('start', { config: job.config, runId: job.runId });
    }
    this.maxBusy = Math.max(this.maxBusy, this.busy().length);
  }

  bootHelper() {
    const t = new Trainer((m) => this.route(t, m, null), (r) => this.died(t, r));
    this.helpers.push(t);
    t.start();
    t.send('load');
    return t;
  }

  // route hands a worker's message to the job it belongs to, and frees the
  // worker when its job has ended.
  route(t, m, other) {
    if (t === this.primary && !this.helpersMayBoot) {
      if (PRIMARY_STARTED.includes(m.type) && !(m.type === 'progress' && m.stage === 'load data')) {
        this.letHelpersBoot();
      } else if (m.type === 'loaded' && !this.helperTimer) {
        this.helperTimer = setTimeout(() => this.letHelpersBoot(), this.helperWaitMs);
      }
    }
    const job = t.job;
    const mine = job && (m.runId === job.runId || (m.id && m.id === job.startId));
    if (!mine) {
      if (other) other(m);
      return;
    }
    const ended = m.type === 'result' || m.type === 'stopped' || m.type === 'error';
    if (ended) {
      t.job = null;
      t.busy = false;
      job.ended = m.type;
    }
    this.onEvent(m, job);
    if (ended) {
      this.dispatch();
      if (this.idle() && this.onIdle) this.onIdle();
    }
  }

  letHelpersBoot() {
    this.holdHelpers();
    this.helpersMayBoot = true;
    queueMicrotask(() => this.dispatch());
  }

  // holdHelpers makes helpers wait for the primary again.
  holdHelpers() {
    clearTimeout(this.helperTimer);
    this.helperTimer = null;
    this.helpersMayBoot = false;
  }

  died(t, reason) {
    t.job = null;
    this.onDead(reason, t);
  }

  // stopAll drops the queued jobs and asks every busy worker to stop; the
  // stopped events follow.
  stopAll() {
    this.queue = [];
    this.paused = false;
    for (const t of this.busy()) t.send('stop');
  }

  pauseAll() {
    this.paused = true;
    for (const t of this.busy()) t.send('pause');
  }

  resumeAll() {
    this.paused = false;
    for (const t of this.busy()) t.send('resume');
    this.dispatch();
  }

  // forget ends a worker's job without waiting for it (its worker was
  // terminated or will be): the job's later events are ignored.
  forget(t) {
    t.job = null;
    t.busy = false;
  }

  // shrink terminates the helpers (each holds its own data and memory) once
  // nothing runs; they are booted again when needed.
  shrink() {
    if (!this.idle()) return;
    for (const t of this.helpers) t.terminate();
    this.helpers = [];
  }

  // reset terminates the helpers and forgets every job, after a worker died.
  reset() {
    this.queue = [];
    this.paused = false;
    for (const t of this.helpers) t.terminate();
    this.helpers = [];
    this.forget(this.primary);
    this.maxBusy = 0;
  }

  // restartPrimary boots the primary again (after it died or was
  // terminated to stop at once).
  restartPrimary() {
    this.forget(this.primary);
    this.holdHelpers();
    this.primary.start();
    this.primary.send('load');
  }

  // dropHelper terminates a helper that did not stop in time.
  dropHelper(t) {
    this.forget(t);
    t.terminate();
    this.helpers = this.helpers.filter((h) => h !== t);
  }
}

// PRIMARY_STARTED are the primary's events after which helpers may boot:
// training progress (not the download's), or the end of a request.
const PRIMARY_STARTED = ['progress', 'result', 'stopped', 'error'];

// HELPER_WAIT_MS bounds the helpers' wait for the primary's first step,
// counted from its data loaded; on this 2-core VM that first step came
// 0.2–0.5 s after its data in Chromium.
const HELPER_WAIT_MS = 1500;

// VAE_ARMS sample the VAE, at every level of the run.
const VAE_ARMS = ['vae', 'vae+classic', 'noise'];

// splitRun cuts a run's config into parts that can train at once on
// separate workers, each a study.Run of its own: {config, echo}. With
// several VAE levels, the arms of the later levels train on one worker
// (levels), and everything else on another, whose VAE trains only to the
// first snapshot: the same VAE up to there, so it echoes the other part's
// VAE progress and snapshot (echo: the page shows the other's). Otherwise
// the baseline trains alone beside the other arms. Every arm draws from
// its own random streams, so the parts give the numbers the whole run
// gives (core/study TestSplitRunGivesTheSameArms).
export function splitRun(config) {
  const arms = config.arms || [];
  const epochs = config.snapshot_epochs || [];
  if (arms.some((a) => VAE_ARMS.includes(a)) && epochs.length > 1) {
    const later = arms.filter((a) => VAE_ARMS.includes(a) || a === 'step-matched');
    return [
      { config: { ...config, arms: later, levels: epochs.slice(1).map((_, i) => i + 1) }, echo: false },
      { config: { ...config, vae_epochs: epochs[0], snapshot_epochs: [epochs[0]] }, echo: true },
    ];
  }
  if (!arms.includes('baseline') || arms.length < 2) return [{ config, echo: false }];
  return [
    { config: { ...config, arms: arms.filter((a) => a !== 'baseline') }, echo: false },
    { config: { ...config, arms: ['baseline'] }, echo: false },
  ];
}

// mergeResults puts the parts' study.Results back into one, the arms in the
// order one worker would have trained them: the baseline, then for each k
// in turn its arms by level (classic first), each level's arms in the
// order of the part that trained them. The snapshots are those of the part
// that trained the VAE furthest.
export function mergeResults(config, parts, seconds) {
  const withVAE = parts.reduce((best, r) => ((r.snapshots || []).length > (best.snapshots || []).length ? r : best), parts[0]);
  const ks = config.k || [];
  const key = (a) => (a.arm === 'baseline' ? [0, 0, 0] : [1, ks.indexOf(a.k), a.arm === 'classic' ? -1 : a.vae_level]);
  const arms = parts.flatMap((r) => r.arms || []).map((a, i) => ({ a, i, key: key(a) }))
    .sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1] || x.key[2] - y.key[2] || x.i - y.i)
    .map((x) => x.a);
  return { ...withVAE, config, arms, seconds };
}
