// The vaeaug page: settings, the run's progress, live charts, results,
// persistence and exports; the pictures and the drawing pad are
// gallery.js's. All training happens in the worker (worker.js → wasm/);
// this file only talks to it.
//
// For automation: document.body.dataset.state is idle | running | done |
// error, window.vaeaug.results holds the finished runs as plain objects, and
// window.vaeaug.runSeeds([1, 2, …]) runs the form's settings once per seed,
// the runs shared among the workers (tests/bench/pool.mjs times it).

import { FIELDS, PRESETS, validate, configOf, fromURL, toURL, presetOf } from './settings.js';
import { lineChart, svgText, svgToPNG, percentTick } from './charts.js';
import { Gallery } from './gallery.js';
import { Stages, classifierKey, generateKey } from './stages.js';
import * as store from './store.js';
import { Pool, poolSize, splitRun, mergeResults } from './pool.js';
import { compileTrainer } from './trainer.js';
import {
  h, pct, duration, armLabel, ARM_NAMES, renderResult, renderTable, renderFigure, figureChoices, csvOf,
} from './results.js';

const $ = (id) => document.getElementById(id);

const app = {
  results: [],
  state: 'idle',
  run: null, // the run shown in Progress: {config, raw, preset, url, label, grid, parts, …} (see launchAll)
  active: [], // the runs started and not finished, in launch order (app.run is the first)
  grid: null, // the grid being run or interrupted: {id, cells, createdAt} (see runGrid)
  samples: new Map(), // key → samples event
  dataLoaded: false,
  loadInfo: null,
  timing: { open: performance.now() },
  speeds: {}, // stage → the last images/s reported
};
window.vaeaug = app;

// ---------------------------------------------------------------- state

function setState(s) {
  app.state = s;
  document.body.dataset.state = s;
  const running = s === 'running';
  $('start').disabled = running;
  $('grid').disabled = running;
  $('stop').disabled = !running;
  $('pause').disabled = !running;
  showResume();
  if (!running) {
    $('pause').textContent = 'Pause';
    app.paused = false;
  }
}

function status(text) {
  $('status').textContent = text;
}

// ---------------------------------------------------------------- settings form

const inputs = {};

function buildForm() {
  const presets = $('presets');
  for (const [name, p] of [...Object.entries(PRESETS), ['custom', { label: 'Custom' }]]) {
    const id = 'preset-' + name;
    const input = h('input', { type: 'radio', name: 'preset', id, value: name });
    input.addEventListener('change', () => {
      if (name !== 'custom') applyPreset(name);
      syncURL();
    });
    presets.appendChild(h('span', { class: 'preset' }, input, h('label', { for: id, text: p.label })));
  }
  for (const f of FIELDS) {
    const id = 'f-' + f.key;
    const errId = 'err-' + f.key;
    const helpId = 'help-' + f.key;
    let input;
    if (f.kind === 'select') {
      input = h('select', { id, name: f.key }, f.options.map(([v, label]) => h('option', { value: v, text: label })));
    } else {
      input = h('input', {
        id, name: f.key, type: 'text', inputmode: f.kind === 'int' ? 'numeric' : f.kind === 'float' ? 'decimal' : 'text', autocomplete: 'off',
        spellcheck: 'false', list: f.list ? 'list-' + f.key : undefined,
      });
    }
    input.setAttribute('aria-describedby', `${helpId} ${errId}`);
    const field = h('div', { class: 'field', id: 'field-' + f.key },
      h('label', { for: id, text: f.label }),
      input,
      f.list ? h('datalist', { id: 'list-' + f.key }, f.list.map((v) => h('option', { value: String(v) }))) : null,
      h('p', { class: 'help', id: helpId, text: f.help || '' }),
      h('p', { class: 'error', id: errId, role: 'alert' }));
    input.addEventListener('input', () => {
      onEdit();
      if (field.classList.contains('invalid')) showErrors(validate(readForm()).errors, [f.key]);
    });
    input.addEventListener('change', () => showErrors(validate(readForm()).errors, [f.key]));
    inputs[f.key] = input;
    $(f.group === 'budget' ? 'fields-budget' : 'fields-main').appendChild(field);
  }
}

function readForm() {
  const raw = {};
  for (const f of FIELDS) raw[f.key] = inputs[f.key].value;
  return raw;
}

function writeForm(raw) {
  for (const f of FIELDS) if (raw[f.key] !== undefined) inputs[f.key].value = raw[f.key];
}

function currentPreset() {
  const checked = document.querySelector('input[name=preset]:checked');
  return checked ? checked.value : 'quick';
}

function setPresetRadio(name) {
  const r = $('preset-' + (PRESETS[name] ? name : 'custom'));
  if (r) r.checked = true;
}

function applyPreset(name) {
  const keep = readForm();
  const vals = { ...PRESETS[name].values };
  // A preset sets the budgets; what is studied (n, augmentation, k, seed) is
  // kept unless the form is empty.
  for (const key of ['n', 'aug', 'k', 'seed']) if (keep[key]) vals[key] = keep[key];
  writeForm(vals);
  app.basePreset = name;
  showErrors({}, FIELDS.map((f) => f.key));
}

function onEdit() {
  const raw = readForm();
  const p = presetOf(raw);
  setPresetRadio(p || 'custom');
  syncURL();
}

// The URL describes the run in the form: the preset it starts from and
// every field that differs.
function syncURL() {
  const raw = readForm();
  const p = presetOf(raw) || app.basePreset || 'quick';
  // A `workers` parameter (pool.js poolSize) is kept for the next reload.
  const workers = new URLSearchParams(location.search).get('workers');
  const url = toURL(p, raw, false) + (workers ? '&workers=' + encodeURIComponent(workers) : '');
  if (location.search !== url) history.replaceState(null, '', url);
}

function showErrors(errors, keys) {
  for (const key of keys) {
    const field = $('field-' + key);
    const msg = errors[key] || '';
    $('err-' + key).textContent = msg;
    field.classList.toggle('invalid', !!msg);
    inputs[key].setAttribute('aria-invalid', msg ? 'true' : 'false');
  }
}

function showAllErrors(errors) {
  showErrors(errors, FIELDS.map((f) => f.key));
  const first = FIELDS.find((f) => errors[f.key]);
  if (first && FIELDS.find((f) => f.key === first.key).group === 'budget') $('budgets').open = true;
  return first;
}

// Errors from the worker name their setting first ("n = 7: …").
const WORKER_FIELD = [
  [/^n = /, 'n'], [/^k[ =:]/, 'k'], [/^n·k/, 'k'], [/^VAE epochs/, 'epochs'], [/^snapshot epochs/, 'levels'],
  [/^validation size/, 'val'], [/^test size/, 'test'], [/^batch sizes/, 'batch'], [/^eval every/, 'steps'],
  [/^arm/, 'aug'], [/^learning rates/, 'lr'],
];

function fieldOfError(msg) {
  const m = msg.replace(/^start: /, '');
  for (const [re, key] of WORKER_FIELD) if (re.test(m)) return key;
  return null;
}

// ---------------------------------------------------------------- worker

// The workers: the primary (booted with the page; it also serves the
// pictures, the drawing pad and exports) and helpers for runs, or parts of
// a run, that can train at once (pool.js).
const pool = new Pool(poolSize(location.search, navigator.hardwareConcurrency), onJobEvent, onEvent, onDead);
const trainer = pool.primary;
const gallery = new Gallery(app, trainer);
app.trainer = trainer;
app.pool = pool;

function bootWorker() {
  $('dead').hidden = true;
  app.dataLoaded = false;
  status('Starting the trainer…');
  pool.restartPrimary();
}

function onDead(reason, t) {
  const wasRunning = app.state === 'running';
  // A helper's death loses its run; the primary's part of it would train
  // on for nothing.
  if (t !== trainer && trainer.job) trainer.send('stop');
  pool.reset();
  // As Stop does, each run keeps the classifiers it had already scored.
  const kept = wasRunning ? keepStopped(app.active) : 0;
  app.active = [];
  app.run = null;
  app.stopping = false;
  clearTimeout(app.stopTimer);
  setState('error');
  $('dead').hidden = false;
  let run = ' ';
  if (kept) run = ` The run in progress stopped there; the ${scored(kept, 'it had already scored')} kept in the results, marked stopped, and `;
  else if (wasRunning) run = ' The run in progress is lost; ';
  $('dead-msg').textContent = 'The trainer stopped working: ' + reason + run + 'finished results are kept.';
  status('The trainer stopped working. Restart it to continue.');
  stages.mark(null);
}

function onEvent(m) {
  switch (m.type) {
    case 'ready':
      app.timing.ready = performance.now();
      $('no-simd').hidden = trainer.simd; // read from this event by Trainer.receive
      if (!app.dataLoaded) status('Trainer ready; loading MNIST…');
      restoreWeights();
      break;
    case 'loaded':
      app.timing.loaded = performance.now();
      app.dataLoaded = true;
      app.loadInfo = m;
      stages.set('load', 1, 1, `${(m.bytes / 1e6).toFixed(1)} MB · ${m.pool.toLocaleString('en')} training, ` +
        `${m.test.toLocaleString('en')} test digits`, true);
      if (app.state !== 'running') status('Ready. Choose settings and start a run.');
      else status('Data loaded; training…');
      gallery.refreshPictures();
      break;
    case 'progress':
      if (m.stage === 'load data') onProgress(m, null);
      break;
    case 'error':
      if (m.id !== 0) {
        console.warn('vaeaug worker:', m.message);
        break;
      }
      // A load failure with no run: say so.
      status('Error: ' + m.message);
      $('form-error').textContent = m.message;
      break;
    default:
      // Events of jobs come through onJobEvent; what is left here (a
      // stopped with no run, a forgotten job's last words) needs nothing.
      break;
  }
}

// onJobEvent receives the events of one worker's part of a run.
function onJobEvent(m, job) {
  const run = job.run;
  if (!app.active.includes(run)) return; // a run already ended (failed, stopped)
  switch (m.type) {
    case 'started': {
      job.config = m.config;
      // A part that echoes another's VAE has a shorter one: it says
      // nothing of the run's config.
      if (job.echo) break;
      // The run's config with the worker's defaults filled in, and all of
      // its arms and levels when it was split.
      const { levels, ...config } = m.config;
      run.config = { ...config, arms: run.wantArms };
      break;
    }
    case 'progress':
      // The VAE of a part that echoes another's is that part's VAE again.
      if (job.echo && m.stage === 'train VAE') break;
      onProgress(m, run);
      break;
    case 'samples':
      gallery.onSamples(m, run);
      break;
    case 'snapshot':
      if (!job.echo) run.snapshots.push(m.snapshot);
      break;
    case 'armDone':
      onArmDone(m, run);
      break;
    case 'result':
      job.result = m.result;
      run.partText.delete(job.runId); // a finished part says no more
      if (run.parts.every((p) => p.result)) finishRun(run);
      break;
    case 'stopped':
      if (app.stopping && pool.idle()) onStopped(false);
      break;
    case 'paused':
      app.paused = true;
      $('pause').textContent = 'Resume';
      status('Paused.');
      break;
    case 'resumed':
      app.paused = false;
      $('pause').textContent = 'Pause';
      status('Training…');
      break;
    case 'error':
      onRunError(m, job);
      break;
    default:
      break;
  }
}

// onRunError ends everything in progress: the failed run and the others
// (a grid stops at its first failure, as Stop would).
function onRunError(m, job) {
  app.active = [];
  app.run = null;
  app.stopping = false;
  pool.stopAll();
  const key = fieldOfError(m.message);
  if (key && m.id === job.startId) {
    // Refused before starting: the form is wrong, nothing ran.
    showErrors({ [key]: m.message.replace(/^start: /, '') }, [key]);
    setState('idle');
    status('Not started: fix the setting marked in red.');
    stages.mark(null);
    return;
  }
  $('form-error').textContent = 'The run failed: ' + m.message;
  setState('error');
  status('The run failed.');
  stages.mark(null);
}

// ---------------------------------------------------------------- starting and stopping

function startRun(ev) {
  if (ev) ev.preventDefault();
  if (app.state === 'running') return;
  $('form-error').textContent = '';
  const raw = readForm();
  const { errors, values } = validate(raw);
  const first = showAllErrors(errors);
  if (first) {
    status('Not started: fix the setting marked in red.');
    inputs[first.key].focus();
    return;
  }
  launchAll([{ config: configOf(values), raw }]);
}

let nextRunId = 1;

// runSeeds runs the form's settings once for each seed, as independent runs
// on the pool; false if the form has an error.
app.runSeeds = (seeds) => {
  if (app.state === 'running') return false;
  const raw = readForm();
  const { errors, values } = validate(raw);
  if (showAllErrors(errors)) return false;
  launchAll(seeds.map((seed) => ({
    config: configOf({ ...values, seed }), raw: { ...raw, seed: String(seed) }, label: `Seed ${seed}`,
  })));
  return true;
};

// launchAll starts runs ({config, raw, label, grid}) on the pool. A single
// run is split into parts that train at once (pool.js splitRun) when the
// pool has more than one worker; several runs (a grid) go to
// the workers whole, in the order given. app.run, the run shown in
// Progress, is the first unfinished one.
function launchAll(items) {
  if (!trainer.worker || trainer.dead) bootWorker();
  app.stopping = false;
  app.active = [];
  pool.maxBusy = 0;
  for (const it of items) {
    const preset = presetOf(it.raw) || app.basePreset || 'quick';
    const run = {
      config: it.config, wantArms: it.config.arms, raw: it.raw, preset,
      url: location.pathname + toURL(preset, it.raw, false), label: it.label || '', grid: it.grid || null,
      startedAt: performance.now(), snapshots: [], arms: [], firstStepAt: 0, evalDone: 0, parts: [],
      curves: { vae: new Map(), loss: new Map(), acc: new Map() }, samples: new Map(), last: '', partText: new Map(),
    };
    const split = items.length === 1 && pool.size > 1 ? splitRun(it.config) : [{ config: it.config, echo: false }];
    for (const { config, echo } of split) run.parts.push({ run, config, echo, runId: nextRunId++, startId: 0, result: null });
    app.active.push(run);
  }
  setState('running');
  show(app.active[0]);
  const first = app.active[0];
  status((first.label ? first.label + ': ' : '') + (app.dataLoaded ? 'Training…' : 'Loading MNIST, then training…'));
  for (const run of app.active) for (const job of run.parts) pool.submit(job);
}

function stopRun() {
  if (app.state !== 'running') return;
  status('Stopping…');
  app.stopping = true;
  pool.stopAll();
  if (pool.idle()) {
    onStopped(false);
    return;
  }
  // The core notices a stop at its next step; an evaluation pass does not
  // look. A worker not back within 1.5 s is restarted (the primary) or
  // dropped (a helper): finished results live in the page, and the data
  // reloads from the cache.
  clearTimeout(app.stopTimer);
  app.stopTimer = setTimeout(() => {
    if (app.state !== 'running') return;
    for (const t of pool.busy()) {
      if (t === trainer) {
        pool.forget(t);
        trainer.terminate();
        bootWorker();
      } else {
        pool.dropHelper(t);
      }
    }
    onStopped(true);
  }, 1500);
}

function onStopped(restarted) {
  clearTimeout(app.stopTimer);
  if (app.state !== 'running') return;
  const kept = keepStopped(app.active);
  app.active = [];
  app.run = null;
  app.stopping = false;
  setState('idle');
  stages.mark(null);
  maybeShrink();
  status((restarted ? 'Stopped (the trainer was restarted to stop at once).' : 'Stopped.') +
    (kept ? ` The ${scored(kept, 'already scored')} kept in the results.` : ''));
}

// scored names kept classifiers with what is said of them and its verb:
// "classifier <said> is" or "3 classifiers <said> are".
function scored(kept, said) {
  return kept === 1 ? `classifier ${said} is` : `${kept} classifiers ${said} are`;
}

// keepStopped records, for each stopped run outside a grid, the
// classifiers it had scored (each trained to its own end, so as good as
// in a finished run), marked stopped, and returns how many it kept. A
// grid's cell is left out: "Resume grid" runs it again whole, with the
// same numbers.
function keepStopped(runs) {
  let kept = 0;
  let last = null;
  for (const run of runs) {
    if (run.grid || !run.arms.length || !run.config) continue;
    const snapshots = [...run.snapshots].sort((a, b) => a.level - b.level);
    const r = mergeResults(run.config, [{ n: run.config.n, seed: run.config.seed, snapshots, arms: run.arms }],
      (performance.now() - run.startedAt) / 1000);
    const entry = { ...resultEntry(run, r, '-stopped'), stopped: true };
    app.results.push(entry);
    store.saveRun(entry);
    kept += run.arms.length;
    last = entry;
  }
  if (last) renderAll(last);
  return kept;
}

// maybeShrink ends the helpers once nothing runs and the last run's models
// are safe in the primary.
function maybeShrink() {
  if (!app.keeping && pool.idle()) pool.shrink();
}
pool.onIdle = maybeShrink;

function togglePause() {
  if (app.state !== 'running') return;
  if (app.paused) pool.resumeAll();
  else pool.pauseAll();
}

// The grid's plan is saved (store.saveGrid) until its last cell finishes,
// and every finished cell's result is tagged grid: {id, cell}. A reload, a
// Stop or a dead trainer thus loses at most the cell in progress: "Resume
// grid" runs the cells of the plan that have no result yet, with the plan's
// settings.
function runGrid() {
  if (app.state === 'running') return;
  const raw = readForm();
  // Checked as its largest cell (n = 800): the memory estimate grows with n,
  // so settings that fit it fit every cell, and a grid is refused up front
  // rather than by the worker at its last cell.
  const { errors, values } = validate({ ...raw, n: '800', k: '10,50,250', aug: raw.aug === 'none' ? 'vae' : raw.aug });
  if (showAllErrors(errors)) return;
  const id = 'grid-' + Date.now().toString(36);
  const cells = [100, 200, 400, 800].map((n, i) => ({
    config: configOf({ ...values, n, k: [10, 50, 250] }),
    raw: { ...raw, n: String(n), k: '10,50,250', aug: values.aug },
    label: `Grid ${i + 1}/4 (n=${n})`,
    grid: { id, cell: i },
  }));
  app.grid = { id, cells, createdAt: new Date().toISOString() };
  store.saveGrid(app.grid);
  launchAll(gridOrder(cells));
}

// gridOrder puts the largest cells first when several workers share them:
// the grid then ends about when its largest cell does (n = 800 takes about
// as long as the three others together). One worker keeps the grid's order.
function gridOrder(cells) {
  return pool.size > 1 ? [...cells].sort((a, b) => b.config.n - a.config.n) : cells;
}

// pendingCells are the cells of the current grid without a result.
function pendingCells() {
  const g = app.grid;
  if (!g) return [];
  const done = new Set(app.results.filter((r) => r.grid && r.grid.id === g.id).map((r) => r.grid.cell));
  return g.cells.filter((c) => !done.has(c.grid.cell));
}

function resumeGrid() {
  if (app.state === 'running' || !app.grid) return;
  const left = pendingCells();
  if (!left.length) {
    finishGrid();
    return;
  }
  $('form-error').textContent = '';
  launchAll(gridOrder(left));
}

function finishGrid() {
  app.grid = null;
  store.clearGrid();
  showResume();
}

// showResume offers "Resume grid" when a grid has cells left and nothing runs.
function showResume() {
  const b = $('resume-grid');
  if (!b) return;
  const left = pendingCells();
  b.hidden = app.state === 'running' || !left.length;
  if (left.length) {
    const n = app.grid.cells.length;
    b.textContent = `Resume grid (${n - left.length} of ${n} runs done)`;
    b.title = `Run the ${left.length} grid runs that have not finished, with the settings the grid started with`;
  }
}

// ---------------------------------------------------------------- progress

const stages = new Stages($('stages'));

// show makes run the one shown in Progress, the charts and the samples:
// its rows are built afresh and filled from what it has reported so far.
function show(run) {
  app.run = run;
  resetProgress(run.config, run);
  for (const a of run.arms) markArmDone(run, a);
  for (const m of run.samples.values()) gallery.showSamples(m);
  $('others').textContent = '';
}

// resetProgress lists the stages of a run of config; run, when given, keeps
// the curves and samples (else they start empty).
function resetProgress(config, run) {
  stages.build(config);
  app.evalTotal = stages.classifiers();
  if (app.dataLoaded) {
    const m = app.loadInfo;
    stages.set('load', 1, 1, `${(m.bytes / 1e6).toFixed(1)} MB, loaded earlier`, true);
  }
  app.curves = run ? run.curves : { vae: new Map(), loss: new Map(), acc: new Map() };
  gallery.clearSamples();
  drawCharts();
  $('speed').textContent = '';
}

function eta(s) {
  return s > 0 ? ' · about ' + duration(s) + ' left' : '';
}

// onProgress takes a progress event of run (null: loading the data): the
// curves and the run's summary at once, the page's text and bars through
// queueView.
function onProgress(m, run) {
  if (m.stage === 'load data') {
    const mb = (x) => (x / 1e6).toFixed(1);
    stages.set('load', m.done, m.total, `${mb(m.done)} of ${mb(m.total)} MB${eta(m.etaSeconds)}`, false);
    if (app.state !== 'running') status(`Loading MNIST: ${mb(m.done)} of ${mb(m.total)} MB…`);
    return;
  }
  if (!run.firstStepAt) {
    run.firstStepAt = performance.now();
    if (!app.timing.firstStep) app.timing.firstStep = run.firstStepAt;
  }
  const cfg = run.config;
  const name = seriesName(run, m.arm, m.k, m.level);
  if (m.stage === 'train VAE') addPoint(run, 'vae', 'VAE', m.images / cfg.n, m.loss);
  if (m.stage === 'train classifier') {
    addPoint(run, 'loss', name, m.done, m.loss);
    if (m.valAcc > 0 && (m.done % cfg.eval_every === 0 || m.done === m.total)) addPoint(run, 'acc', name, m.done, m.valAcc);
  }
  run.last = `${STAGE_TEXT[m.stage] || m.stage}` + (m.arm ? ` (${name})` : '') +
    (m.stage === 'train classifier' ? `, step ${m.done} of at most ${m.total}` : '') +
    (m.stage === 'train VAE' ? `, epoch ${Math.min(m.done + 1, m.total)} of ${m.total}` : '');
  if (m.imagesPerSec > 0 && run === app.run) app.speeds[m.stage] = m.imagesPerSec;
  queueView(m, run);
}

// The page shows progress at most every VIEW_EVERY ms, news (a part's new
// stage, a stage's end) at once. Each worker posts up to ten events a second
// and each shown event costs the page a style, layout and paint: on two
// cores that time came out of the workers' (tests/bench/pool.mjs prints the
// cores the browser keeps busy).
const VIEW_EVERY = 250;
const pendingViews = new Map(); // a part's runId → its latest event not yet shown, and its run
const shownKeys = new Map(); // a part's runId → the stage of its last event
let viewTimer = null;

function queueView(m, run) {
  const key = `${m.stage}|${m.arm}|${m.k}|${m.level}`;
  const news = key !== shownKeys.get(m.runId) || m.done === m.total;
  shownKeys.set(m.runId, key);
  if (news) {
    pendingViews.delete(m.runId);
    flushViews();
    showProgress(m, run);
    return;
  }
  pendingViews.set(m.runId, { m, run });
  if (!viewTimer) viewTimer = setTimeout(flushViews, VIEW_EVERY);
}

// flushViews shows the events queueView holds, those of runs still active.
function flushViews() {
  clearTimeout(viewTimer);
  viewTimer = null;
  const views = [...pendingViews.values()];
  pendingViews.clear();
  for (const { m, run } of views) if (app.active.includes(run)) showProgress(m, run);
}

// showProgress shows a progress event of run: its stage's bar and text, the
// speed and the status line; for a run not in Progress, the line on others.
function showProgress(m, run) {
  if (run !== app.run) {
    showOthers();
    return;
  }
  const cfg = run.config;
  const name = seriesName(run, m.arm, m.k, m.level);
  let key;
  let text = '';
  const speed = m.imagesPerSec > 0 ? `${m.imagesPerSec.toFixed(m.imagesPerSec < 10 ? 1 : 0)} images/s` : '';
  if (m.stage === 'train VAE') {
    key = 'vae';
    const epochs = m.images / cfg.n;
    text = `epoch ${Math.min(m.done + 1, m.total)} of ${m.total} · loss ${m.loss.toFixed(1)}${eta(m.etaSeconds)}`;
    stages.set(key, epochs, m.total, text, false, m.runId);
  } else if (m.stage === 'generate') {
    key = generateKey(m.arm, m.k, m.level);
    text = `${m.done.toLocaleString('en')} of ${m.total.toLocaleString('en')} images${eta(m.etaSeconds)}`;
    stages.set(key, m.done, m.total, text, m.done === m.total, m.runId);
  } else if (m.stage === 'train classifier') {
    key = classifierKey(m.arm, m.k, m.level);
    text = `step ${m.done} of at most ${m.total} · loss ${m.loss.toFixed(3)}` +
      (m.valAcc > 0 ? ` · validation ${pct(m.valAcc)}` : '') + eta(m.etaSeconds);
    stages.set(key, m.done, m.total, text, false, m.runId);
  } else if (m.stage === 'evaluate') {
    key = 'eval';
    stages.set('eval', run.evalDone, app.evalTotal,
      `scoring ${name} on ${cfg.test_size.toLocaleString('en')} test digits…`, false, m.runId);
  }
  // A split run's parts report at once: each keeps its own line of the
  // status and of the speed, in the order of the parts.
  const part = run.partText.get(m.runId) || {};
  part.status = (STAGE_TEXT[m.stage] || m.stage) + (m.arm ? ` (${name})` : '');
  if (speed) part.speed = `${speed} (${m.stage})`;
  run.partText.set(m.runId, part);
  const parts = run.parts.map((p) => run.partText.get(p.runId)).filter(Boolean);
  const elapsed = (performance.now() - run.startedAt) / 1000;
  const speeds = parts.map((p) => p.speed).filter(Boolean);
  const busy = pool.busy().length;
  $('speed').textContent = [speeds.length ? 'Speed: ' + speeds.join(', ') : '', `elapsed ${duration(elapsed)}`,
    busy > 1 ? `${busy} workers training at once` : ''].filter(Boolean).join(' · ');
  if (!app.paused) status((run.label ? run.label + ': ' : '') + parts.map((p) => p.status).join(' · ') + '…');
  scheduleCharts();
}

// showOthers says what the runs not shown in Progress are doing (a grid's
// other cells).
function showOthers() {
  const others = app.active.filter((r) => r !== app.run);
  $('others').textContent = others.length ? 'Also: ' + others.map((r) => `${r.label || 'run'}: ` +
    (r.last || 'waiting for a free worker') + (r.arms.length ? ` (${r.arms.length} classifiers done)` : '')).join(' · ') : '';
}

const STAGE_TEXT = {
  'train VAE': 'Training the VAE',
  generate: 'Generating images',
  'train classifier': 'Training a classifier',
  evaluate: 'Scoring on the test set',
};

function seriesName(run, arm, k, level) {
  if (arm === 'baseline') return 'baseline';
  const levels = run ? run.config.snapshot_epochs.length : 1;
  return `${ARM_NAMES[arm] || arm} k=${k}` + (levels > 1 && level >= 0 ? ` L${level + 1}` : '');
}

function onArmDone(m, run) {
  run.arms.push(m.arm);
  run.evalDone++;
  if (run === app.run) markArmDone(run, m.arm);
  else showOthers();
}

// markArmDone shows a scored classifier of the run shown.
function markArmDone(run, a) {
  stages.finish(classifierKey(a.arm, a.k, a.vae_level), `${a.steps} steps, kept step ${a.best_step} · validation ${pct(a.val_acc)} · test ${pct(a.test_acc)}`);
  const done = run.arms.length;
  stages.set('eval', done, app.evalTotal, `${done} of ${app.evalTotal} classifiers scored`, done >= app.evalTotal);
}

// resultEntry is what the results list keeps of run, whose result is r:
// r with the run's link, preset and settings.
function resultEntry(run, r, idSuffix = '') {
  return {
    id: `${Date.now().toString(36)}-${r.n}-${r.seed}${idSuffix}`,
    createdAt: new Date().toISOString(),
    url: run.url,
    preset: run.preset,
    settings: run.raw,
    ...r,
  };
}

// finishRun records a run whose parts have all reported their results.
async function finishRun(run) {
  const wall = (performance.now() - run.startedAt) / 1000;
  const r = run.parts.length === 1 ? run.parts[0].result
    : mergeResults(run.config, run.parts.map((p) => p.result), wall);
  const entry = resultEntry(run, r);
  if (run.grid) entry.grid = run.grid;
  if (run.parts.length > 1) entry.workers = run.parts.length;
  app.lastTiming = {
    firstStepSeconds: run.firstStepAt ? (run.firstStepAt - run.startedAt) / 1000 : null,
    wallSeconds: wall,
    workers: pool.maxBusy,
  };
  app.results.push(entry);
  app.active = app.active.filter((x) => x !== run);
  const last = app.active.length === 0;
  // Save the run's models (and move those a helper trained to the primary,
  // which serves the pictures) before a helper takes its next job or ends.
  const keeping = keepWeights(run, r.arms || []);
  app.keeping = keeping;
  if (run === app.run) {
    stages.finishActive();
    if (!last) show(app.active[0]);
  }
  showOthers();
  renderAll(entry);
  await store.saveRun(entry);
  if (last) {
    if (run.grid && !pendingCells().length) finishGrid();
    setState('done');
    status(`Done in ${duration(app.lastTiming.wallSeconds)}.`);
  }
  store.saveWeights({ which: 'samples', items: [...run.samples.entries()] });
  await keeping;
  if (app.keeping === keeping) {
    app.keeping = null;
    maybeShrink();
    if (last) gallery.refreshPictures();
  }
}

// ---------------------------------------------------------------- charts

app.curves = { vae: new Map(), loss: new Map(), acc: new Map() };

function addPoint(run, chart, name, x, y) {
  const m = run.curves[chart];
  if (!m.has(name)) m.set(name, []);
  const pts = m.get(name);
  if (pts.length && pts[pts.length - 1][0] === x) pts[pts.length - 1] = [x, y];
  else pts.push([x, y]);
}

function scheduleCharts() {
  if (app.chartTimer) return;
  app.chartTimer = setTimeout(() => {
    app.chartTimer = null;
    drawCharts();
  }, 250);
}

function seriesOf(map, opts = {}) {
  return [...map.entries()].map(([name, points]) => ({ name, points, ...opts }));
}

function drawCharts() {
  lineChart($('chart-vae'), { series: seriesOf(app.curves.vae), xLabel: 'epoch', yLabel: 'loss',
    empty: 'The VAE trains after the baseline' });
  lineChart($('chart-loss'), { series: seriesOf(app.curves.loss), xLabel: 'step', yLabel: 'loss' });
  lineChart($('chart-acc'), { series: seriesOf(app.curves.acc, { markers: true }), xLabel: 'step',
    yLabel: 'validation accuracy', yFormat: percentTick, minSpan: 0.1, bounds: [0, 1] });
}

// ---------------------------------------------------------------- weights kept across reloads

// keepWeights saves a finished run's models in IndexedDB (restored after a
// reload) and gives the primary those a helper trained. Each model comes
// from the worker that trained it; the export requests are all posted at
// once, before the worker can be given its next job. arms are the run's,
// in the order one worker trains them: each worker keeps its augmented
// classifier with the best validation accuracy (the first of a tie), so
// the run's is that of the part that trained the best of all.
function keepWeights(run, arms) {
  let best = null;
  for (const a of arms) {
    if (a.arm !== 'baseline' && a.arm !== 'step-matched' && (!best || a.val_acc > best.val_acc)) best = a;
  }
  const holder = (which) => {
    let part;
    if (which === 'baseline') part = run.parts.find((p) => p.config.arms.includes('baseline'));
    else if (which === 'augmented') part = run.parts.find((p) => best && p.result && (p.result.arms || []).includes(best));
    else part = run.parts.find((p) => !p.echo && p.config.arms.some((a) => a !== 'baseline'));
    return part && part.trainer;
  };
  return Promise.all(['baseline', 'augmented', 'vae'].map(async (which) => {
    const t = holder(which);
    if (!t) return;
    let r;
    try {
      r = await t.request('export', { which });
    } catch (err) {
      return; // that model does not exist in this run
    }
    await store.saveWeights({ which, bytes: r.bytes, info: r.arm, filename: r.filename });
    if (t === trainer) return;
    try {
      await trainer.request('weights', { which, bytes: r.bytes, info: r.arm });
    } catch (err) {
      console.warn('vaeaug: could not move', which, 'to the primary worker:', err.message);
    }
  }));
}

async function restoreWeights() {
  const ws = (await store.loadWeights()).filter((w) => w.which !== 'samples');
  for (const w of ws) {
    try {
      await trainer.request('weights', { which: w.which, bytes: w.bytes, info: w.info });
    } catch (err) {
      console.warn('vaeaug: could not restore', w.which, err.message);
    }
  }
  if (ws.length) gallery.refreshPictures();
}

// ---------------------------------------------------------------- results

function renderAll(latest) {
  renderResult($('result-body'), latest || app.results[app.results.length - 1]);
  renderTable($('table'), app.results, deleteRun);
  renderFigureControls();
  showResume();
}

function renderFigureControls() {
  const { arms, levels } = figureChoices(app.results);
  const armSel = $('fig-arm');
  const lvSel = $('fig-level');
  const keepArm = armSel.value;
  const keepLv = lvSel.value;
  armSel.replaceChildren(...(arms.length ? arms : ['vae']).map((a) => h('option', { value: a, text: ARM_NAMES[a] || a })));
  if (arms.includes(keepArm)) armSel.value = keepArm;
  const lvOpts = [h('option', { value: 'last', text: 'most trained' })];
  for (let i = 0; i < levels; i++) lvOpts.push(h('option', { value: String(i), text: `level ${i + 1}` }));
  lvSel.replaceChildren(...lvOpts);
  if ([...lvSel.options].some((o) => o.value === keepLv)) lvSel.value = keepLv;
  renderFigure($('figure'), app.results, armSel.value, lvSel.value);
}

async function deleteRun(id) {
  app.results = app.results.filter((r) => r.id !== id);
  await store.deleteRun(id);
  renderAll();
}

async function clearResults() {
  if (!app.results.length) return;
  app.results = [];
  await store.clearRuns();
  renderAll();
}

function download(name, blob) {
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function exportNPZ(which) {
  try {
    const r = await trainer.request('export', { which });
    download(r.filename, new Blob([r.bytes], { type: 'application/octet-stream' }));
  } catch (err) {
    status('Export: ' + err.message);
  }
}

// ---------------------------------------------------------------- start-up

async function init() {
  compileTrainer();
  buildForm();
  $('grid').after(h('button', { type: 'button', id: 'resume-grid', hidden: true, text: 'Resume grid' }));
  app.grid = store.loadGrid();
  const { preset, raw, autorun } = fromURL(location.search);
  app.basePreset = preset;
  writeForm(raw);
  setPresetRadio(presetOf(raw) || 'custom');
  if (presetOf(raw) === '') $('budgets').open = FIELDS.some((f) => f.group === 'budget' && raw[f.key] !== PRESETS[preset].values[f.key]);

  $('form').addEventListener('submit', startRun);
  $('stop').addEventListener('click', stopRun);
  $('pause').addEventListener('click', togglePause);
  $('grid').addEventListener('click', runGrid);
  $('resume-grid').addEventListener('click', resumeGrid);
  $('copy-link').addEventListener('click', async () => {
    syncURL();
    const link = location.origin + location.pathname + toURL(presetOf(readForm()) || app.basePreset, readForm(), true);
    try {
      await navigator.clipboard.writeText(link);
      status('Link copied: ' + link);
    } catch (err) {
      status('Link: ' + link);
    }
  });
  $('restart').addEventListener('click', () => {
    setState('idle');
    bootWorker();
  });
  $('fig-arm').addEventListener('change', renderFigureControls);
  $('fig-level').addEventListener('change', renderFigureControls);
  $('csv').addEventListener('click', () => download('vaeaug-results.csv', new Blob([csvOf(app.results)], { type: 'text/csv' })));
  $('json').addEventListener('click', () => download('vaeaug-results.json',
    new Blob([JSON.stringify(app.results, null, 2)], { type: 'application/json' })));
  $('clear-results').addEventListener('click', clearResults);
  $('fig-svg').addEventListener('click', () => download('vaeaug-figure.svg', new Blob([svgText($('figure'))], { type: 'image/svg+xml' })));
  $('fig-png').addEventListener('click', async () => {
    try {
      download('vaeaug-figure.png', await svgToPNG($('figure')));
    } catch (err) {
      status('PNG export: ' + err.message);
    }
  });
  $('npz-baseline').addEventListener('click', () => exportNPZ('baseline'));
  $('npz-augmented').addEventListener('click', () => exportNPZ('augmented'));
  gallery.bind();

  // Leaving the page ends the runs in progress (finished runs, a grid's
  // plan and the kept models are saved): while one trains, the browser asks
  // first (Chromium only once the user has clicked on the page).
  addEventListener('beforeunload', (e) => {
    if (app.state !== 'running') return;
    e.preventDefault();
    e.returnValue = true; // browsers before preventDefault was enough
  });

  setState('idle');
  const first = validate(raw);
  resetProgress(configOf(Object.keys(first.errors).length ? validate(PRESETS.quick.values).values : first.values));
  // The primary worker starts after the page's load event (the trainer
  // compiles meanwhile): Firefox ESR 140 ran a worker started before it, on
  // a page that had replaced another in its tab, about 40× slower (a VAE's
  // first step 40 s after page open instead of 2 s; a helper started
  // seconds later on the same page ran at full speed).
  if (document.readyState !== 'complete') await new Promise((r) => addEventListener('load', r, { once: true }));
  bootWorker();

  app.results = (await store.loadRuns()).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  renderAll();
  gallery.restoreSamples();

  if (autorun) {
    // Refuse a bad link the same way as a bad form: next to the field.
    history.replaceState(null, '', toURL(preset, raw, false));
    startRun();
  } else {
    syncURL();
    showAllErrors(first.errors);
  }
}

init();
