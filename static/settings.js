// Settings: the fields of a run, the presets, validation with a reason per
// field, and the URL that fully describes a run.

// Limits mirror core/study's Validate (and data sizes): the page refuses a
// bad value next to its field before the worker would.
const MAX_N = 6000;
const MAX_K = 1000;
const MAX_GENERATED = 250000;
const MAX_VAL = 5000;
const MAX_TEST = 10000;
const MAX_LR = 1000; // study.MaxLR
// The article's learning rates (study.DefaultLR, DefaultVAELR): a config
// leaves them out when they are these, as the command line does.
const DEFAULT_LR = '0.0002';
const DEFAULT_VAELR = '0.001';

// The memory ceiling and estimate mirror core/study/memory.go
// (MemoryCeiling, EstimateMemory): keep the numbers in step. The worker's
// Validate is the authority; this lets the form say so before a run starts.
export const MEMORY_CEILING = 1280 * 2 ** 20; // 1.25 GiB
const MEM = {
  clfForward: 50176 + 100352 + 50176 + 12544 + 1034, // per image, float32
  clfTrain: 7296 + 10 + 7818 + 25088 + 50176 + 50176 + 28224,
  vaeEncode: 250880 + 128 + 40,
  vaeDecode: 50176 + 25088 + 75264 + 784 + 1568 + 784,
  vaeTrain: 60 + 824 + 40 + 40 + 64 + 113700 + 188224,
  clfWinograd: 86016, // per model, float32 (twice in a model in training: its adjoints')
  vaeWinograd: 131072,
  kernelScratch: 12288 + 65536 + 263680 + 36864,
  clfParams: 1660602,
  vaeParams: 828941,
  examples: 60000 + 10000, // MNIST images held, 784 + 1 + 8 bytes each
  exampleBytes: 784 + 1 + 8,
  evalBatch: 100,
  genBatch: 50,
  serveBatch: 10,
  runtime: 48 * 2 ** 20,
  gcSlackDiv: 16,
};

export const AUGS = [
  ['none', 'None (baseline only)'],
  ['vae', 'VAE samples'],
  ['classic', 'Classic (shift, rotate, scale, elastic)'],
  ['vae+classic', 'VAE samples, then classic'],
];

// Every field: its URL parameter is its key.
export const FIELDS = [
  { key: 'n', label: 'Originals (n)', kind: 'int', min: 10, max: MAX_N, list: [100, 200, 400, 800],
    help: 'Labelled MNIST digits to start from, n/10 per class.' },
  { key: 'aug', label: 'Augmentation', kind: 'select', options: AUGS,
    help: 'What the augmented classifier gets besides the originals.' },
  { key: 'control', label: 'Step-matched control', kind: 'select',
    options: [['1', 'Yes (recommended)'], ['0', 'No']],
    help: 'Also train on the originals alone for as many steps as the augmented classifier, to tell more data from more training.' },
  { key: 'k', label: 'Copies per original (k)', kind: 'intlist', min: 1, max: MAX_K, list: ['10', '50', '250', '10,50,250'],
    help: 'Generated images per original; a list gives one augmented classifier per k.' },
  { key: 'epochs', label: 'VAE training (epochs)', kind: 'int', min: 1, max: 10000, group: 'budget',
    help: 'How long the VAE trains: its training level.' },
  { key: 'levels', label: 'VAE snapshots (epochs)', kind: 'intlist', min: 1, max: 10000, optional: true, group: 'budget',
    help: 'Epochs at which to sample the VAE (one level each); empty = only at the end.' },
  { key: 'steps', label: 'Classifier steps (at most)', kind: 'int', min: 1, max: 1000000, group: 'budget',
    help: 'Adam steps per classifier; training stops earlier at a plateau.' },
  { key: 'eval', label: 'Validate every (steps)', kind: 'int', min: 1, max: 100000, group: 'budget',
    help: 'Steps between two validation checks.' },
  { key: 'patience', label: 'Patience (checks)', kind: 'int', min: 1, max: 1000, group: 'budget',
    help: 'Checks without improvement before stopping.' },
  { key: 'val', label: 'Validation images', kind: 'int', min: 10, max: MAX_VAL, group: 'budget',
    help: 'Held-out training digits used to pick the best weights.' },
  { key: 'test', label: 'Test images', kind: 'int', min: 10, max: MAX_TEST, group: 'budget',
    help: 'MNIST test digits that score the kept weights.' },
  { key: 'batch', label: 'Classifier batch', kind: 'int', min: 1, max: 1024, group: 'budget', help: '' },
  { key: 'vaebatch', label: 'VAE batch', kind: 'int', min: 1, max: 1024, group: 'budget', help: '' },
  { key: 'lr', label: 'Classifier learning rate', kind: 'float', max: MAX_LR, group: 'budget',
    help: "Adam's step size (the article's 0.0002). Too large a value makes training diverge: the run then stops and says so." },
  { key: 'vaelr', label: 'VAE learning rate', kind: 'float', max: MAX_LR, group: 'budget',
    help: "RMSprop's step size (the article's 0.001)." },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 4294967295,
    help: 'The same seed gives the same numbers.' },
];

export const PRESETS = {
  quick: {
    label: 'Quick look (under a minute)',
    values: { n: '100', aug: 'vae', control: '1', k: '10', epochs: '8', levels: '', steps: '30', eval: '15',
      patience: '2', val: '200', test: '500', batch: '32', vaebatch: '32', seed: '1', lr: DEFAULT_LR, vaelr: DEFAULT_VAELR },
  },
  article: {
    label: 'As in the article',
    // The command line's defaults (core/study Defaults; README, "Validation
    // and budgets"): the same seed gives the same numbers on the page.
    values: { n: '100', aug: 'vae', control: '1', k: '10', epochs: '200', levels: '50,200', steps: '3000', eval: '100',
      patience: '5', val: '2000', test: '10000', batch: '32', vaebatch: '32', seed: '1', lr: DEFAULT_LR, vaelr: DEFAULT_VAELR },
  },
};

export const DEFAULT_PRESET = 'quick';

function parseIntStrict(s) {
  const t = String(s).trim();
  if (!/^[+]?\d+$/.test(t)) return NaN;
  return Number(t);
}

function parseList(s) {
  return String(s).split(/[\s,;]+/).filter((t) => t !== '').map(parseIntStrict);
}

// validate returns {errors: {key: reason}, values: parsed} for raw string
// values (as typed in the form or given in the URL).
export function validate(raw) {
  const errors = {};
  const v = {};
  for (const f of FIELDS) {
    const s = raw[f.key] === undefined ? '' : String(raw[f.key]).trim();
    if (f.kind === 'select') {
      if (!f.options.some(([val]) => val === s)) {
        errors[f.key] = `"${s}" is not a choice: pick one of ${f.options.map((o) => o[0]).join(', ')}.`;
      }
      v[f.key] = s;
      continue;
    }
    if (s === '') {
      if (f.optional) {
        v[f.key] = [];
        continue;
      }
      errors[f.key] = 'Required.';
      continue;
    }
    if (f.kind === 'float') {
      const x = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
      if (Number.isNaN(x)) errors[f.key] = `"${s}" is not a number (e.g. 0.0002 or 2e-4).`;
      else if (!(x > 0 && x <= f.max)) errors[f.key] = `${s} is out of range: use a number above 0, at most ${f.max}.`;
      v[f.key] = x;
      continue;
    }
    if (f.kind === 'int') {
      const x = parseIntStrict(s);
      if (Number.isNaN(x)) errors[f.key] = `"${s}" is not a whole number.`;
      else if (f.key === 'n' && x % 10 !== 0) {
        errors.n = `${x} is not a multiple of 10: the originals are n/10 per class (e.g. 100, 200, 400, 800).`;
      } else if (x < f.min || x > f.max) errors[f.key] = `${x} is out of range: use ${f.min} to ${f.max}.`;
      v[f.key] = x;
    } else {
      const xs = parseList(s);
      const bad = xs.find((x) => Number.isNaN(x));
      if (xs.length === 0) errors[f.key] = 'Required.';
      else if (bad !== undefined) errors[f.key] = `"${s}" is not a list of whole numbers (e.g. 10 or 10,50,250).`;
      else if (xs.some((x) => x < f.min || x > f.max)) errors[f.key] = `Each value must be from ${f.min} to ${f.max}.`;
      v[f.key] = xs;
    }
  }
  if (!errors.k && !errors.n && v.aug !== 'none') {
    const worst = Math.max(...v.k);
    if (v.n * worst > MAX_GENERATED) {
      errors.k = `n·k = ${v.n}·${worst} = ${v.n * worst} generated images: at most ${MAX_GENERATED} fit in memory.`;
    }
  }
  if (!errors.levels && !errors.epochs && v.levels.length) {
    for (let i = 0; i < v.levels.length; i++) {
      if (v.levels[i] > v.epochs) {
        errors.levels = `Snapshot at epoch ${v.levels[i]} is after the last epoch (${v.epochs}).`;
        break;
      }
      if (i > 0 && v.levels[i] <= v.levels[i - 1]) {
        errors.levels = 'Snapshot epochs must increase (e.g. 50,200).';
        break;
      }
    }
  }
  const memKeys = ['n', 'k', 'aug', 'control', 'batch', 'vaebatch', 'epochs', 'levels'];
  if (memKeys.every((key) => !errors[key])) {
    const e = memoryError(v);
    if (e) errors[e.key] = e.text;
  }
  return { errors, values: v };
}

// estimateMemory is study.EstimateMemory for a Config (JSON keys, as
// configOf makes): the bytes a run needs at its peak, by part, and total.
export function estimateMemory(cfg) {
  const f32 = 4;
  const n = cfg.n;
  const arms = cfg.arms || [];
  const needsK = arms.some((a) => a !== 'baseline');
  const needsVAE = arms.some((a) => a === 'vae' || a === 'vae+classic' || a === 'noise');
  const m = { data: MEM.examples * MEM.exampleBytes, trainSet: n * MEM.exampleBytes };
  if (needsK) {
    let capacity = 0;
    let peak = 0;
    for (const k of cfg.k) {
      const need = (n + n * k) * (784 + 1);
      if (need > capacity) {
        peak = Math.max(peak, capacity + need);
        capacity = need;
      }
    }
    m.trainSet += peak;
  }
  const b = cfg.batch;
  m.classifier = f32 * (5 * MEM.clfParams + 2 * MEM.clfWinograd + MEM.kernelScratch +
    Math.max(b, MEM.evalBatch) * (MEM.clfForward + 784) + b * MEM.clfTrain);
  m.vae = 0;
  if (needsVAE) {
    const vb = cfg.vae_batch;
    m.vae = f32 * ((3 + cfg.snapshot_epochs.length) * MEM.vaeParams + 2 * MEM.vaeWinograd +
      Math.max(vb, MEM.genBatch) * (MEM.vaeEncode + MEM.vaeDecode + 784) + vb * MEM.vaeTrain + 2 * n * 20);
  }
  const kept = 2 * (2 * MEM.clfParams + MEM.vaeParams);
  const serving = 2 * (2 * MEM.clfParams + MEM.clfWinograd + MEM.serveBatch * MEM.clfForward) +
    2 * MEM.vaeParams + MEM.vaeWinograd + MEM.serveBatch * (MEM.vaeEncode + MEM.vaeDecode);
  m.worker = f32 * (kept + serving);
  const live = m.data + m.trainSet + m.classifier + m.vae + m.worker;
  m.runtime = MEM.runtime + Math.floor(live / MEM.gcSlackDiv);
  m.total = live + m.runtime;
  return m;
}

const mib = (b) => `${Math.ceil(b / 2 ** 20)} MiB`;

// memoryError is the reason a config over the ceiling is refused (the
// worker's words) and the field it belongs to: of k, the classifier batch
// and the VAE batch, the one whose smallest value would save the most.
function memoryError(v) {
  const cfg = configOf(v);
  const m = estimateMemory(cfg);
  if (m.total <= MEMORY_CEILING) return null;
  const saving = (edit) => m.total - estimateMemory({ ...cfg, ...edit }).total;
  const levers = [['batch', saving({ batch: 1 })], ['vaebatch', saving({ vae_batch: 1 })]];
  if (v.aug !== 'none') levers.push(['k', saving({ k: [1] })]);
  levers.sort((a, b) => b[1] - a[1]);
  const k = v.aug !== 'none' ? `k = ${Math.max(...v.k)}` : 'k = none';
  return {
    key: levers[0][0],
    text: `n = ${v.n}, ${k}: the run would need about ${mib(m.total)} of memory (estimate: training set ` +
      `${mib(m.trainSet)}, classifier ${mib(m.classifier)}, VAE ${mib(m.vae)}), over the ${mib(MEMORY_CEILING)} ` +
      'ceiling: use a smaller n·k or smaller batches.',
  };
}

// configOf turns validated values into a core/study Config (JSON keys).
export function configOf(v) {
  const arms = ['baseline'];
  if (v.aug !== 'none') arms.push(v.aug);
  if (v.aug !== 'none' && v.control === '1') arms.push('step-matched');
  return {
    n: v.n,
    k: v.k,
    arms,
    seed: v.seed,
    vae_batch: v.vaebatch,
    vae_epochs: v.epochs,
    snapshot_epochs: v.levels.length ? v.levels : [v.epochs],
    batch: v.batch,
    eval_every: v.eval,
    patience: v.patience,
    max_steps: v.steps,
    val_size: v.val,
    test_size: v.test,
    ...(v.lr === Number(DEFAULT_LR) ? {} : { lr: v.lr }),
    ...(v.vaelr === Number(DEFAULT_VAELR) ? {} : { vae_lr: v.vaelr }),
  };
}

// fromURL reads a preset and field overrides from a query string.
export function fromURL(search) {
  const q = new URLSearchParams(search);
  let preset = q.get('preset') || DEFAULT_PRESET;
  if (!PRESETS[preset]) preset = DEFAULT_PRESET;
  const raw = { ...PRESETS[preset].values };
  for (const f of FIELDS) {
    if (q.has(f.key)) raw[f.key] = q.get(f.key);
  }
  return { preset, raw, autorun: q.get('autorun') === '1' };
}

// toURL is the query string describing raw values: the preset and the
// fields that differ from it.
export function toURL(preset, raw, autorun) {
  const q = new URLSearchParams();
  const base = PRESETS[preset] ? PRESETS[preset].values : {};
  // n, aug, k and seed are always written, so that a link reads plainly.
  for (const key of ['n', 'aug', 'k', 'seed']) q.set(key, String(raw[key] ?? '').trim());
  q.set('preset', PRESETS[preset] ? preset : DEFAULT_PRESET);
  for (const f of FIELDS) {
    if (['n', 'aug', 'k', 'seed'].includes(f.key)) continue;
    const val = String(raw[f.key] ?? '').trim();
    if (val !== base[f.key]) q.set(f.key, val);
  }
  if (autorun) q.set('autorun', '1');
  return '?' + q.toString().replace(/%2C/g, ',');
}

// presetOf names the preset whose values raw matches exactly, or ''.
export function presetOf(raw) {
  for (const [name, p] of Object.entries(PRESETS)) {
    if (FIELDS.every((f) => String(raw[f.key] ?? '').trim() === p.values[f.key])) return name;
  }
  return '';
}
