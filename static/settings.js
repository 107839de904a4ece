// Settings: the fields of a run, the presets, validation with a reason per
// field, and the URL that fully describes a run.

// Limits mirror core/study's Validate (and data sizes): the page refuses a
// bad value next to its field before the worker would.
const MAX_N = 6000;
const MAX_K = 1000;
const MAX_GENERATED = 250000;
const MAX_VAL = 5000;
const MAX_TEST = 10000;

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
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 4294967295,
    help: 'The same seed gives the same numbers.' },
];

export const PRESETS = {
  quick: {
    label: 'Quick look (about a minute)',
    values: { n: '100', aug: 'vae', control: '1', k: '10', epochs: '8', levels: '', steps: '30', eval: '15',
      patience: '2', val: '200', test: '500', batch: '32', vaebatch: '32', seed: '1' },
  },
  article: {
    label: 'As in the article',
    values: { n: '100', aug: 'vae', control: '1', k: '10', epochs: '200', levels: '50,200', steps: '5000', eval: '50',
      patience: '10', val: '5000', test: '10000', batch: '32', vaebatch: '32', seed: '1' },
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
  return { errors, values: v };
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
