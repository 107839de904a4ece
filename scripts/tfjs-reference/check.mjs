// Independent reference check of vaeaug's Go models against TensorFlow.js.
//
//   node check.mjs DIR [-v] [--stock-kernels]
//
// DIR holds, written by core/model/reference_test.go:
//   classifier.npz  the classifier's weights (Keras names, get_weights() order)
//   vae.npz         the VAE's weights, encoder then decoder
//   fixtures.npz    inputs and the Go outputs for them (keys below)
//
// The script builds the article's models with the TF.js layers API exactly
// as Keras would (same layer classes, order, names, activations; BN momentum
// 0.99, epsilon 1e-3; 'same' padding), loads our weights with setWeights
// after checking them name by name and shape by shape, runs inference and
// compares:
//   cls/x → cls/logits (and their softmax, and the predicted classes)
//   vae/x → vae/z_mean, vae/z_log_var
//   vae/z → vae/dec_logits (before the sigmoid), vae/images
// and, when fixtures.npz holds them, training-mode gradients (tf.variableGrads):
//   clsgrad/x, clsgrad/labels → clsgrad/loss and clsgrad/<layer>/<weight>:
//     d(mean softmax cross-entropy)/d(weight), BN on batch statistics,
//     dropout disabled;
//   vaegrad/x, vaegrad/eps → vaegrad/loss and vaegrad/<layer>/<weight>:
//     d(mean(784·BCE + KL))/d(weight) with z = z_mean + eps·exp(z_log_var/2).
// It prints the largest absolute difference per output (-v: per gradient
// too) and exits 1 if any exceeds its tolerance, 2 on a usage or file error.
//
// Tolerances. Both sides compute in float32 but sum in different orders
// (TF.js's CPU kernels accumulate dot products in float64 JS numbers, ours
// in float32), so each output carries rounding of a few float32 ulps per
// layer, amplified by BatchNorm's division by small standard deviations.
// We require max|ours − tfjs| ≤ RTOL · max(max|tfjs|, FLOOR) per output
// tensor, i.e. relative to the tensor's scale rather than element-wise
// (near-zero elements have no meaningful relative error), with RTOL = 1e-4
// for inference outputs and gradients alike: ≈ 800 float32 ulps of the
// scale, 20× and more above what we measure (≤ 5e-6), and 20× below the
// smallest semantic error we tried (BN epsilon 1e-5 instead of 1e-3 gives
// 2e-3; a TF-vs-symmetric 'same' padding offset, a flipped conv-transpose
// kernel or an NCHW flatten give 0.1..1). Biases straight before a
// training-mode BN have an exactly-zero gradient; for those, both sides'
// rounding noise must stay below 1e-4 of the same layer's kernel gradient.

import { readNpz } from './npz.mjs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

// TF.js prints a hint to install tfjs-node when it starts under Node; this
// check deliberately uses the pure-JS CPU backend.
for (const k of ['log', 'warn']) {
  const orig = console[k];
  console[k] = (...a) => {
    if (typeof a[0] === 'string' && (a[0].includes('tfjs-node') || /^=+$/.test(a[0].trim()))) return;
    orig(...a);
  };
}
const tf = await import('@tensorflow/tfjs');

const RTOL_INFER = 1e-4;
const RTOL_GRAD = 1e-4;
const FLOOR = 1e-3; // scale floor, so an all-but-zero tensor needs |diff| ≤ 1e-7

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node check.mjs DIR   (DIR holds classifier.npz, vae.npz, fixtures.npz)');
  process.exit(2);
}

let failures = 0;
const verbose = process.argv.includes('-v');
const t0 = Date.now();
let tLap = t0;
function lap(what) {
  const now = Date.now();
  console.log(`     (${what}: ${((now - tLap) / 1000).toFixed(1)} s)`);
  tLap = now;
}

function die(msg) {
  console.error(`FAIL: ${msg}`);
  process.exit(2);
}

function load(name) {
  const p = join(dir, name);
  if (!existsSync(p)) die(`${p} does not exist`);
  try {
    return readNpz(p);
  } catch (e) {
    die(e.message);
  }
}

// ---------------------------------------------------------------- models

const L = tf.layers;

// classifier builds the article's "light VGG for MNIST". Activations are
// separate Activation layers, as in ours; the final Dense is linear with a
// separate softmax so the model can output the logits as well as the
// probabilities (Dense(10, activation='softmax') has the same weights).
function classifier() {
  const n = namer();
  const x = tf.input({ shape: [28, 28, 1], name: 'input_1' });
  let h = x;
  for (const f of [16, 64]) {
    for (let i = 0; i < 2; i++) {
      h = L.conv2d({ filters: f, kernelSize: 3, strides: 1, padding: 'same', name: n('conv2d') }).apply(h);
      h = L.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name: n('batch_normalization') }).apply(h);
      h = L.activation({ activation: 'relu', name: n('activation') }).apply(h);
    }
    h = L.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: n('max_pooling2d') }).apply(h);
  }
  h = L.flatten({ name: n('flatten') }).apply(h);
  h = L.dropout({ rate: 0.3, name: n('dropout') }).apply(h);
  h = L.dense({ units: 512, name: n('dense') }).apply(h);
  h = L.activation({ activation: 'relu', name: n('activation') }).apply(h);
  h = L.dropout({ rate: 0.5, name: n('dropout') }).apply(h);
  const logits = L.dense({ units: 10, name: n('dense') }).apply(h);
  const probs = L.activation({ activation: 'softmax', name: 'softmax' }).apply(logits);
  return tf.model({ inputs: x, outputs: [logits, probs], name: 'classifier' });
}

// vae builds the encoder (x → [z_mean, z_log_var]) and the decoder
// (z → [pre-sigmoid output, image]) with one Keras name counter across
// both, as one Keras session would. The article's sampling Lambda layer
// has no weights and no TF.js equivalent; the gradient check samples z
// itself.
function vae() {
  const n = namer();
  const bn = () => L.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name: n('batch_normalization') });
  const lrelu = () => L.leakyReLU({ alpha: 0.2, name: n('leaky_re_lu') });
  const x = tf.input({ shape: [28, 28, 1], name: 'encoder_input' });
  let h = x;
  for (const [f, s] of [[32, 1], [64, 2], [64, 1], [64, 1]]) {
    h = L.conv2d({ filters: f, kernelSize: 3, strides: s, padding: 'same', name: n('conv2d') }).apply(h);
    h = lrelu().apply(bn().apply(h));
  }
  h = L.flatten({ name: n('flatten') }).apply(h);
  h = L.dense({ units: 32, name: n('dense') }).apply(h);
  h = lrelu().apply(bn().apply(h));
  const zMean = L.dense({ units: 20, name: n('dense') }).apply(h);
  const zLogVar = L.dense({ units: 20, name: n('dense') }).apply(h);
  const encoder = tf.model({ inputs: x, outputs: [zMean, zLogVar], name: 'encoder' });

  const z = tf.input({ shape: [20], name: 'z_sampling' });
  let d = L.dense({ units: 14 * 14 * 64, name: n('dense') }).apply(z);
  d = lrelu().apply(bn().apply(d));
  d = L.reshape({ targetShape: [14, 14, 64], name: n('reshape') }).apply(d);
  d = L.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', name: n('conv2d_transpose') }).apply(d);
  d = lrelu().apply(bn().apply(d));
  d = L.conv2d({ filters: 1, kernelSize: 3, strides: 1, padding: 'same', name: n('conv2d') }).apply(d);
  const pre = bn().apply(d);
  const img = L.activation({ activation: 'sigmoid', name: n('activation') }).apply(pre);
  const decoder = tf.model({ inputs: z, outputs: [pre, img], name: 'decoder' });
  return { encoder, decoder };
}

// namer hands out Keras 2 layer names: one counter per prefix, from 1.
function namer() {
  const c = {};
  return prefix => `${prefix}_${(c[prefix] = (c[prefix] || 0) + 1)}`;
}

// ---------------------------------------------------------------- weights

const shapeStr = s => `[${s.join(',')}]`;
const sameShape = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// kerasOrder lists a model's weights as Keras' get_weights() does: layer by
// layer, each layer's own weights (trainable ones first: for BN gamma,
// beta, moving_mean, moving_variance).
function kerasOrder(models) {
  return models.flatMap(m => m.layers.flatMap(l => l.weights));
}

// setWeights loads entries (archive order) into models. It first checks
// that the archive is exactly the models' weights in Keras get_weights()
// order — name by name, shape by shape — and then calls each model's
// setWeights. TF.js's LayersModel.setWeights takes the weights in the order
// of model.weights, which is all trainable weights first and then all
// non-trainable ones (the BN moving statistics at the end), unlike Keras'
// per-layer order; so the entries are matched to model.weights by name, and
// that matching is checked one by one too.
function setWeights(what, models, entries) {
  const want = kerasOrder(models);
  const errs = [];
  for (let i = 0; i < Math.max(want.length, entries.length); i++) {
    const w = want[i];
    const e = entries[i];
    if (!w) { errs.push(`#${i + 1} ${e.key}: extra weight, the TF.js model has only ${want.length}`); continue; }
    if (!e) { errs.push(`#${i + 1} ${w.originalName}: missing from the archive (${entries.length} weights)`); continue; }
    if (e.key !== w.originalName) errs.push(`#${i + 1}: archive has ${e.key}, Keras order wants ${w.originalName}`);
    else if (e.dtype !== 'float32') errs.push(`#${i + 1} ${e.key}: dtype ${e.dtype}, want float32`);
    else if (!sameShape(e.shape, w.shape)) errs.push(`#${i + 1} ${e.key}: shape ${shapeStr(e.shape)}, TF.js wants ${shapeStr(w.shape)}`);
  }
  if (errs.length) die(`${what}: archive does not match the Keras model's weights:\n  ${errs.join('\n  ')}`);
  const byName = new Map(entries.map(e => [e.key, e]));
  for (const m of models) {
    const vals = m.weights.map(w => {
      const e = byName.get(w.originalName);
      if (!e || !sameShape(e.shape, w.shape)) die(`${what}: model.weights entry ${w.originalName} has no match`);
      return tf.tensor(e.data, e.shape, 'float32');
    });
    m.setWeights(vals);
    tf.dispose(vals);
    // Read back: every variable must now hold the archive's bits.
    for (const w of m.weights) {
      const got = w.read().dataSync();
      const e = byName.get(w.originalName).data;
      for (let i = 0; i < got.length; i++) {
        if (!Object.is(got[i], e[i])) die(`${what}: ${w.originalName}[${i}] reads back ${got[i]}, set ${e[i]}`);
      }
    }
  }
  const trainable = want.filter(w => w.trainable).length;
  console.log(`${what}: set ${want.length} weights (${trainable} trainable) by name and shape in Keras get_weights() order`);
}

// ---------------------------------------------------------------- comparison

function fixture(fx, key) {
  const e = fx.get(key);
  if (!e) die(`fixtures.npz lacks ${key}`);
  return e;
}

// compare reports max|ours − ref| for one output and counts a failure if it
// exceeds rtol·max(max|ref|, FLOOR).
function compare(label, ref, ours, rtol, quiet = false) {
  const r = ref.dataSync ? ref.dataSync() : ref;
  const o = ours.data;
  if (ref.shape && !sameShape(ref.shape, ours.shape)) {
    console.log(`FAIL ${label}: TF.js shape ${shapeStr(ref.shape)}, ours ${shapeStr(ours.shape)}`);
    failures++;
    return;
  }
  let maxDiff = 0;
  let at = 0;
  let scale = 0;
  for (let i = 0; i < r.length; i++) {
    const d = Math.abs(r[i] - o[i]);
    if (!(d <= maxDiff)) { maxDiff = d; at = i; }
    scale = Math.max(scale, Math.abs(r[i]));
  }
  const tol = rtol * Math.max(scale, FLOOR);
  const ok = maxDiff <= tol; // NaN fails
  if (!ok) failures++;
  if (!ok || !quiet) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${label.padEnd(44)} max|diff| ${maxDiff.toExponential(2)}  ` +
      `(rel ${(maxDiff / Math.max(scale, FLOOR)).toExponential(2)}, max|ref| ${scale.toPrecision(3)}, tol ${tol.toExponential(2)})` +
      (ok ? '' : `  worst at flat index ${at}: TF.js ${r[at]}, ours ${o[at]}`));
  }
  return { maxDiff, rel: maxDiff / Math.max(scale, FLOOR), ok };
}

function argmaxRows(data, n, c) {
  const out = [];
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let j = 1; j < c; j++) if (data[i * c + j] > data[i * c + b]) b = j;
    out.push(b);
  }
  return out;
}

// ---------------------------------------------------------------- kernels

// TF.js 4.22's CPU Conv2DBackpropFilter (the kernel gradient of conv2d and
// conv2dTranspose) reads every element through TensorBuffer.get(...rest),
// about 250 ns per multiply-add: 14 s for one 64→64 layer at batch 8, which
// would make the gradient check take minutes. We re-register the same loop
// nest, in the same summation order (a float64 JS number per kernel entry,
// over batch, output row, output column), on flat NHWC arrays, with the
// geometry (padding offsets, strides, output size) from TF.js's own
// computeConv2DInfo. A self-test requires bit-identical results against the
// stock kernel on small cases (stride 1 and 2, odd and even sizes, the
// transposed-convolution shape) before the check proceeds; pass
// --stock-kernels to skip the replacement altogether.
function speedUpConv2DBackpropFilter() {
  if (process.argv.includes('--stock-kernels')) return;
  const name = 'Conv2DBackpropFilter';
  const stock = tf.getKernel(name, 'cpu');
  if (!stock) die(`TF.js has no cpu ${name} kernel to replace`);
  const bu = tf.backend_util;
  const fast = args => {
    const { inputs: { x, dy }, backend, attrs } = args;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    const info = bu.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false,
      bu.convertConv2DDataFormat(dataFormat));
    if (info.dataFormat !== 'channelsLast' || x.dtype !== 'float32' || dy.dtype !== 'float32') return stock.kernelFunc(args);
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co,
      batchSize: nb, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const xv = backend.data.get(x.dataId).values;
    const dv = backend.data.get(dy.dataId).values;
    const out = new Float32Array(fh * fw * ci * co);
    for (let wR = 0; wR < fh; ++wR) {
      const yRMin = Math.max(0, Math.ceil((top - wR) / sh));
      const yRMax = Math.min(OH, (H + top - wR) / sh);
      for (let wC = 0; wC < fw; ++wC) {
        const yCMin = Math.max(0, Math.ceil((left - wC) / sw));
        const yCMax = Math.min(OW, (W + left - wC) / sw);
        for (let d1 = 0; d1 < ci; ++d1) {
          for (let d2 = 0; d2 < co; ++d2) {
            let dot = 0;
            for (let b = 0; b < nb; ++b) {
              for (let yR = yRMin; yR < yRMax; ++yR) {
                const xRow = (b * H + wR + yR * sh - top) * W;
                const yRow = (b * OH + yR) * OW;
                for (let yC = yCMin; yC < yCMax; ++yC) {
                  dot += xv[(xRow + wC + yC * sw - left) * ci + d1] * dv[(yRow + yC) * co + d2];
                }
              }
            }
            out[((wR * fw + wC) * ci + d1) * co + d2] = dot;
          }
        }
      }
    }
    return backend.makeTensorInfo(filterShape, 'float32', out);
  };
  // Self-test against the stock kernel, with it still registered.
  const cases = [
    [[2, 7, 7, 3], [3, 3, 3, 4], 1], [[2, 8, 8, 3], [3, 3, 3, 4], 1],
    [[2, 8, 8, 3], [3, 3, 3, 4], 2], [[1, 7, 9, 2], [3, 3, 2, 5], 2],
  ];
  const run = () => [
    ...cases.map(([xs, fs, s]) => tf.tidy(() => {
      const x = tf.randomNormal(xs, 0, 1, 'float32', 7);
      const [, oh, ow] = tf.conv2d(x, tf.zeros(fs), s, 'same').shape;
      const dy = tf.randomNormal([xs[0], oh, ow, fs[3]], 0, 1, 'float32', 8);
      return tf.grad(w => tf.sum(tf.mul(tf.conv2d(x, w, s, 'same'), dy)))(tf.zeros(fs)).dataSync();
    })),
    tf.tidy(() => { // a stride-2 conv2dTranspose 4x4x5 → 8x8x3, kernel [3,3,3,5]
      const x = tf.randomNormal([2, 4, 4, 5], 0, 1, 'float32', 9);
      const dy = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 10);
      const f = w => tf.sum(tf.mul(tf.conv2dTranspose(x, w, [2, 8, 8, 3], 2, 'same'), dy));
      return tf.grad(f)(tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 11)).dataSync();
    }),
  ];
  const want = run();
  tf.unregisterKernel(name, 'cpu');
  tf.registerKernel({ ...stock, kernelFunc: fast });
  const got = run();
  want.forEach((w, i) => w.forEach((v, j) => {
    if (!Object.is(v, got[i][j])) die(`replacement ${name} differs from TF.js's in self-test case ${i} at ${j}: ${got[i][j]} vs ${v}`);
  }));
}

// ---------------------------------------------------------------- main

await tf.setBackend('cpu');
await tf.ready();
console.log(`TF.js ${tf.version.tfjs}, backend ${tf.getBackend()}`);
speedUpConv2DBackpropFilter();

const fx = new Map(load('fixtures.npz').map(e => [e.key, e]));
const asTensor = e => tf.tensor(e.data, e.shape, 'float32');

// Classifier: inference.
const cls = classifier();
setWeights('classifier', [cls], load('classifier.npz'));
{
  const x = fixture(fx, 'cls/x');
  const ours = fixture(fx, 'cls/logits');
  const [logits, probs] = cls.predict(asTensor(x));
  const n = x.shape[0];
  compare(`classifier logits ${shapeStr(ours.shape)}`, logits, ours, RTOL_INFER);
  const ourProbs = tf.softmax(asTensor(ours)); // softmax of our logits
  compare(`classifier softmax ${shapeStr(ours.shape)}`, probs, { data: ourProbs.dataSync(), shape: ours.shape }, RTOL_INFER);
  // Predicted classes must be identical, except where our two best logits
  // are within the logits tolerance of each other (a tie at float32
  // precision, which neither side can be said to get wrong).
  const ref = logits.dataSync();
  const tieTol = RTOL_INFER * Math.max(maxAbs(ref), FLOOR);
  const a = argmaxRows(ref, n, 10);
  const b = argmaxRows(ours.data, n, 10);
  const differ = [];
  let ties = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    if (Math.abs(ours.data[i * 10 + a[i]] - ours.data[i * 10 + b[i]]) <= tieTol) ties++;
    else differ.push(i);
  }
  if (differ.length) {
    failures++;
    console.log(`FAIL classifier predicted classes differ at examples ${differ.join(',')}: TF.js ${differ.map(i => a[i])}, ours ${differ.map(i => b[i])}`);
  } else {
    const labels = fx.get('cls/labels');
    const acc = labels ? a.filter((v, i) => v === labels.data[i]).length / n : NaN;
    console.log(`ok   classifier predicted classes identical on ${n - ties} of ${n} examples` +
      (ties ? ` (${ties} float32 ties)` : '') + (labels ? ` (accuracy vs labels ${(100 * acc).toFixed(0)}%)` : ''));
  }
}

lap('classifier inference');

// VAE: inference.
const { encoder, decoder } = vae();
setWeights('vae', [encoder, decoder], load('vae.npz'));
{
  const x = fixture(fx, 'vae/x');
  const [zMean, zLogVar] = encoder.predict(asTensor(x));
  compare(`encoder z_mean ${shapeStr(zMean.shape)}`, zMean, fixture(fx, 'vae/z_mean'), RTOL_INFER);
  compare(`encoder z_log_var ${shapeStr(zLogVar.shape)}`, zLogVar, fixture(fx, 'vae/z_log_var'), RTOL_INFER);
  const z = fixture(fx, 'vae/z');
  const [pre, img] = decoder.predict(asTensor(z));
  compare(`decoder pre-sigmoid ${shapeStr(pre.shape)}`, pre, fixture(fx, 'vae/dec_logits'), RTOL_INFER);
  compare(`decoder images ${shapeStr(img.shape)}`, img, fixture(fx, 'vae/images'), RTOL_INFER);
}

lap('VAE inference');

// Training-mode gradients (when the fixtures carry them). Run after the
// inference checks: training-mode calls move TF.js's BN moving statistics.
function trainableGradients(what, models, lossFn, prefix) {
  const weights = models.flatMap(m => m.trainableWeights);
  const vars = weights.map(w => w.val);
  const { value, grads } = tf.variableGrads(lossFn, vars);
  compare(`${what} loss`, value.reshape([1]), fixture(fx, `${prefix}/loss`), RTOL_INFER);
  let worst = { rel: 0 };
  let count = 0;
  const zeros = [];
  for (const w of weights) {
    const key = `${prefix}/${w.originalName}`;
    const g = grads[w.val.name];
    const ours = fixture(fx, key);
    const layer = w.originalName.split('/')[0];
    if (w.originalName.endsWith('/bias') && feedsBatchNorm(models, layer)) {
      // A bias straight before a training-mode BatchNorm has no effect on
      // the loss (BN subtracts the batch mean), so its gradient is exactly
      // zero and both sides hold rounding noise. Require that noise to be
      // small next to the same layer's kernel gradient.
      const scale = maxAbs(grads[weights.find(v => v.originalName === `${layer}/kernel`).val.name].dataSync());
      const noise = Math.max(maxAbs(g.dataSync()), maxAbs(ours.data));
      const ok = noise <= RTOL_GRAD * scale;
      if (!ok) failures++;
      zeros.push(`${layer} ${(noise / scale).toExponential(1)}`);
      if (!ok || verbose) {
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${`${what} d/d ${w.originalName} (exactly 0)`.padEnd(44)} max|g| ${noise.toExponential(2)} ` +
          `(TF.js ${maxAbs(g.dataSync()).toExponential(2)}, ours ${maxAbs(ours.data).toExponential(2)}), ` +
          `tol ${(RTOL_GRAD * scale).toExponential(2)} = ${RTOL_GRAD}·max|d kernel|`);
      }
      continue;
    }
    const r = compare(`${what} d/d ${w.originalName}`, g, ours, RTOL_GRAD, !verbose);
    if (r && r.rel >= worst.rel) worst = { ...r, name: w.originalName };
    count++;
  }
  // Our archive must hold exactly these gradients.
  const extra = [...fx.keys()].filter(k => k.startsWith(`${prefix}/`) && k.includes('/', prefix.length + 1) &&
    !weights.some(w => `${prefix}/${w.originalName}` === k));
  if (extra.length) die(`${what}: fixtures hold gradients of unknown weights: ${extra.join(', ')}`);
  console.log(`${worst.ok === false ? 'FAIL' : 'ok  '} ${`${what} gradients of ${count} trainable weights`.padEnd(44)} ` +
    `worst rel ${worst.rel.toExponential(2)} (${worst.name}, max|diff| ${worst.maxDiff.toExponential(2)}), tol rel ${RTOL_GRAD.toExponential(0)}`);
  console.log(`     ${what}: ${zeros.length} biases before BN have gradient 0 up to rounding (max|g| / max|d kernel|: ${zeros.join(', ')})`);
}

// feedsBatchNorm tells whether the named layer's output goes only into a
// BatchNormalization layer.
function feedsBatchNorm(models, name) {
  for (const m of models) {
    const l = m.layers.find(l => l.name === name);
    if (l) {
      const next = l.outboundNodes.map(n => n.outboundLayer);
      return next.length > 0 && next.every(o => o.getClassName() === 'BatchNormalization');
    }
  }
  return false;
}

function maxAbs(a) {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

if (fx.has('clsgrad/x')) {
  for (const l of cls.layers) if (l.getClassName() === 'Dropout') l.rate = 0;
  const x = asTensor(fixture(fx, 'clsgrad/x'));
  const labels = fixture(fx, 'clsgrad/labels');
  const onehot = tf.oneHot(tf.tensor1d(Array.from(labels.data, v => v), 'int32'), 10);
  trainableGradients('classifier', [cls], () => {
    const [logits] = cls.apply(x, { training: true });
    // Mean categorical cross-entropy of softmax(logits), computed stably.
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, onehot), 1)));
  }, 'clsgrad');
  lap('classifier gradients');
}

if (fx.has('vaegrad/x')) {
  const x = asTensor(fixture(fx, 'vaegrad/x'));
  const eps = asTensor(fixture(fx, 'vaegrad/eps'));
  const n = x.shape[0];
  trainableGradients('vae', [encoder, decoder], () => {
    const [m, lv] = encoder.apply(x, { training: true });
    const z = tf.add(m, tf.mul(eps, tf.exp(tf.mul(0.5, lv))));
    const [l] = decoder.apply(z, { training: true });
    // 784·mean BCE(x, sigmoid(l)) summed per image = Σ max(l,0) − l·x + log(1+e^−|l|),
    // the form Keras' binary_crossentropy reduces to on TensorFlow (it
    // turns the clipped probabilities back into logits).
    const bce = tf.sum(tf.add(tf.sub(tf.relu(l), tf.mul(l, x)), tf.log1p(tf.exp(tf.neg(tf.abs(l))))));
    const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(m)), tf.exp(lv))));
    return tf.div(tf.add(bce, kl), n);
  }, 'vaegrad');
  lap('VAE gradients');
}

console.log(`${failures ? `FAIL: ${failures} check(s) out of tolerance` : 'PASS: Go models match TF.js (Keras semantics)'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failures ? 1 : 0);
