// Times one export of two versions of the SIMD128 kernels (kernels.wat) call
// batch by call batch, alternated, in one process: the machine's speed
// drifts by up to 2x within minutes, so runs of a Go benchmark minutes apart
// (even the alternated ones of run.mjs's ALT_WAT) cannot resolve a change of
// a few percent, and here an A/A run gives the same quantiles to 1-2%.
// The kernels run on their own memory, filled with random floats, at the
// shapes of the layers that call them (below); only time is measured, not
// results (the conformance tests check those).
//
//   node tests/bench/abkernel.mjs A.wat B.wat export [chromium]
//
// prints the 10th and 50th percentiles of a call's time for A and B, and
// B/A at the median. An export written x/y times x on A and y on B (A and
// B may be one file): two ways of calling the same kernels. With
// "chromium", in a cross-origin-isolated page of headless Chromium
// (Debian's /usr/bin/chromium, through tests/e2e's playwright-core:
// `make e2e-deps`), whose V8 is the one users run; else in this Node. N
// batches (env, default 300) of R calls (default 20).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { compileKernels } from '../../scripts/build-simd.mjs';

// abkRun runs in Node or, serialized, in the page: it must stay
// self-contained.
function abkRun([binA, binB, which, n, reps]) {
  const mem = new WebAssembly.Memory({ initial: 1024 });
  const inst = (bin) => new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bin)), { go: { mem } }).exports;
  const A = inst(binA);
  const B = inst(binB);
  const f32 = new Float32Array(mem.buffer);
  let seed = 1;
  for (let i = 0; i < f32.length / 2; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    f32[i] = seed / 2 ** 32 - 0.5;
  }
  const MB = 1 << 20;
  let image = 0;
  const nextImage = () => (image = (image + 1) % 32);
  // Each writes at 0 and reads from 1 MB and 4 MB on; byte addresses.
  const calls = {
    // The VAE's last conv, one image (32 channels, 28×28): forward, its
    // 9 pixels of zeros at 6 MB (random floats here: only time counts).
    conv1fwd: (k) => k.conv1fwd(0, MB, 4 * MB, 28, 28, 6 * MB),
    // Its weight gradient: the image, dy, the row of zeros at 6 MB.
    conv1dw: (k) => k.conv1dw(0, MB, 4 * MB, 32, 6 * MB, 28, 28),
    // The first convs' weight gradients, 32 (VAE) and 16 (classifier)
    // channels, each call on the next of 32 images' dy (3.2 and 1.6 MB), as
    // the layer goes through a batch: one image's dy would stay in cache.
    conv1indw: (k) => k.conv1indw(0, MB, 4 * MB + nextImage() * 28 * 28 * 32 * 4, 32, 30, 28, 28),
    conv1indw16: (k) => k.conv1indw(0, MB, 4 * MB + nextImage() * 28 * 28 * 16 * 4, 16, 30, 28, 28),
    // The first convs' forward passes, 32 (VAE) and 16 (classifier)
    // channels: one padded image (30×30) at 1 MB, w's panels at 4 MB, each
    // call writing the next of 32 images' outputs, as the layer does.
    conv1in: (k) => k.conv1in(8 * MB + nextImage() * 28 * 28 * 32 * 4, MB, 4 * MB, 32, 30, 28, 28),
    conv1in16: (k) => k.conv1in(8 * MB + nextImage() * 28 * 28 * 16 * 4, MB, 4 * MB, 16, 30, 28, 28),
    // No kernel: the register tile without memory that the benchmarks'
    // gauge times (64 flops a round; 3,528 rounds are conv1in16's flops).
    peak: (k) => k.peak(MB, 3528),
    // The 10-class layer at batch 32: Y = X·W (32×512 by 512×10), dW = Xᵀ·dY,
    // and dX = dY·Wᵀ after GemmTB's transpose of W (k = 10).
    gemm10: (k) => k.gemm(0, MB, 4 * MB, 32, 10, 512, 512, 1, 10, 10, 0, 0),
    gemmta10: (k) => k.gemm(0, MB, 4 * MB, 512, 10, 32, 1, 512, 10, 10, 0, 0),
    gemmk10: (k) => k.gemm(0, MB, 4 * MB, 32, 512, 10, 10, 1, 512, 512, 0, 0),
    // The VAE decoder's dense layer at batch 32 (32×20 by 20×12,544): in one
    // call, and in blocks of 304 columns as simdRunShortWide makes them.
    gemmdec: (k) => k.gemm(0, MB, 4 * MB, 32, 12544, 20, 20, 1, 12544, 12544, 0, 0),
    gemmdec304: (k) => {
      for (let j = 0; j < 12544; j += 304) {
        k.gemm(4 * j, MB, 4 * MB + 4 * j, 32, Math.min(304, 12544 - j), 20, 20, 1, 12544, 12544, 0, 0);
      }
    },
    // A block of 512 column-matrix rows of a first conv's input gradient
    // (k = 16, 9 columns: a panel of 8 and one through gemv), and gemv alone
    // on 512 rows of the VAE's last conv (k = 288).
    gemm9: (k) => k.gemm(0, MB, 4 * MB, 512, 9, 16, 16, 1, 9, 9, 0, 0),
    gemv288: (k) => k.gemv(0, MB, 4 * MB, 512, 288, 288, 1, 1, 0),
    // A block of 512 column-matrix rows of the classifier's second conv (k = 144, 16 channels).
    gemm144: (k) => k.gemm(0, MB, 4 * MB, 512, 16, 144, 144, 1, 16, 16, 0, 0),
    // One p run (242 of 3136) of the classifier's dense layer at batch 32,
    // adding onto C, its panels of B copied to room at 16 MB.
    gemmdense: (k) => k.gemm(0, MB, 8 * MB, 32, 512, 242, 3136, 1, 512, 512, 1, 16 * MB),
    // Winograd products: a block of 224 tiles of 16 channels to 16, and one
    // of 48 tiles of 64 channels to 64.
    gemmwino16: (k) => k.gemm(0, MB, 4 * MB, 224, 16, 16, 16, 1, 16, 16, 0, 0),
    gemmwino64: (k) => k.gemm(0, MB, 4 * MB, 48, 64, 64, 64, 1, 64, 64, 0, 0),
    // GemmTB's copies of B: the 10-class layer's weights (512×10), a block
    // of the VAE's encoder dense weights (504 rows of 32), and a p run of
    // 256 of its decoder dense weights (20 rows 12,544 floats apart).
    transpose10: (k) => k.transpose(0, 512, MB, 10, 512, 10),
    transpose32: (k) => k.transpose(0, 504, MB, 32, 504, 32),
    transposewide: (k) => k.transpose(0, 20, MB, 12544, 20, 256),
  };
  const [whichA, whichB = whichA] = which.split('/');
  const callA = calls[whichA];
  const callB = calls[whichB];
  if (!callA || !callB) return `unknown export ${which}; one of ${Object.keys(calls).join(', ')}`;
  for (let i = 0; i < 100; i++) {
    callA(A);
    callB(B);
  }
  const ta = [];
  const tb = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    for (let r = 0; r < reps; r++) callA(A);
    ta.push((performance.now() - t) / reps);
    t = performance.now();
    for (let r = 0; r < reps; r++) callB(B);
    tb.push((performance.now() - t) / reps);
  }
  const q = (v, p) => [...v].sort((x, y) => x - y)[Math.floor(p * (v.length - 1))] * 1000;
  const f = (x) => x.toFixed(2);
  return `${which}: A p10 ${f(q(ta, 0.1))} p50 ${f(q(ta, 0.5))} µs | B p10 ${f(q(tb, 0.1))} p50 ${f(q(tb, 0.5))} µs | B/A at p50 ${(q(tb, 0.5) / q(ta, 0.5)).toFixed(3)}`;
}

const [fileA, fileB, which, where] = process.argv.slice(2);
if (!which) {
  console.error('usage: node tests/bench/abkernel.mjs A.wat B.wat export [chromium]');
  process.exit(2);
}
const compile = async (file) => [...await compileKernels(file)];
const args = [await compile(fileA), await compile(fileB), which, Number(process.env.N || 300), Number(process.env.R || 20)];

if (where !== 'chromium') {
  console.log('node', abkRun(args));
} else {
  const { launchChromium } = await import('../chromium.mjs');
  // Cross-origin isolation gives performance.now() 5 µs instead of 100 µs.
  const server = http.createServer((req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/html',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end('<!doctype html><title>abkernel</title>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const userDir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'vaeaug-abkernel-'));
  const browser = await launchChromium(userDir);
  try {
    const page = browser.pages()[0] || await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    console.log('chromium', await page.evaluate(abkRun, args));
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
}
