// make bench-browser: the training-step, inference and GEMM benchmarks of
// core/model and core/kernels, compiled to wasm as test binaries and run in a
// dedicated worker of headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core from tests/e2e), with the SIMD128 kernel module and
// without it, each COUNT times (env, default 3). It ends with the lines
//   classifier-train img/s: chromium-simd N, chromium-scalar N
// (medians), as scripts/bench-summary.sh does for Node and native.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../chromium.mjs';
import { root, log } from '../harness.mjs';

const COUNT = Number(process.env.COUNT || 3);
const BENCHTIME = process.env.BENCHTIME || '5x';
const go = process.env.GO || 'go';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaeaug-bench-'));
const wasmEnv = { ...process.env, GOOS: 'js', GOARCH: 'wasm' };
log('building the test binaries for js/wasm');
execFileSync(go, ['test', '-c', '-o', path.join(dir, 'model.wasm'), './core/model'], { cwd: root, env: wasmEnv, stdio: 'inherit' });
execFileSync(go, ['test', '-c', '-o', path.join(dir, 'kernels.wasm'), './core/kernels'], { cwd: root, env: wasmEnv, stdio: 'inherit' });
execFileSync('node', ['scripts/build-simd.mjs', path.join(dir, 'simd.wasm')], { cwd: root, stdio: 'inherit' });
// ALT_WAT=file also builds that version of the kernels and runs it, in place
// of the runs without them, alternated with the tree's: two versions timed
// in one session, as the machine's drift demands ("alt" in the report).
const altWat = process.env.ALT_WAT;
if (altWat) {
  execFileSync('node', ['scripts/build-simd.mjs', path.join(dir, 'simd-alt.wasm')],
    { cwd: root, stdio: 'inherit', env: { ...process.env, VAEAUG_WAT: path.resolve(altWat) } });
}
const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
fs.copyFileSync(path.join(goroot, 'lib/wasm/wasm_exec.js'), path.join(dir, 'wasm_exec.js'));
for (const f of ['bench.html', 'bench.js', 'bench-worker.js']) {
  fs.copyFileSync(path.join(root, 'tests/bench', f), path.join(dir, f));
}
fs.copyFileSync(path.join(root, 'static/simd-imports.js'), path.join(dir, 'simd-imports.js'));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const name = path.basename(new URL(req.url, 'http://x').pathname) || 'bench.html';
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  // Cross-origin isolation gives the worker's clock (Go's nanotime is
  // performance.now()) 5 µs instead of 100 µs resolution.
  res.writeHead(200, {
    'Content-Type': types[path.extname(name)] || 'application/octet-stream',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaeaug-bench-chromium-'));
const browser = await launchChromium(userDir);
let failed = false;
try {
  const page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(0);
  await page.goto(base + 'bench.html');
  log(`Chromium ${browser.browser() ? browser.browser().version() : ''}, ${COUNT} runs each`);

  // run executes one test binary in a fresh worker and returns its lines.
  // With PARALLEL=N the model binary runs in N workers at once (each
  // prints its own lines, all counted in the medians): how much N workers
  // on this machine slow each other down, the ceiling of the page's pool.
  const parallel = Number(process.env.PARALLEL || 1);
  const run = async (binary, args, simd) => {
    const copies = binary === 'model.wasm' ? parallel : 1;
    const outs = await page.evaluate(([b, a, s, n]) => Promise.all(Array.from({ length: n }, () => window.runBench(b, a, s))),
      [binary, args, simd, copies]);
    const lines = [];
    for (const { lines: l, code } of outs) {
      if (code !== 0) throw new Error(`${binary} ${args.join(' ')} (simd ${simd}) exited ${code}:\n${l.join('\n')}`);
      lines.push(...l);
    }
    return lines;
  };
  // metric picks "name value" for every benchmark line reporting unit.
  const metric = (lines, unit) => lines.filter((l) => l.startsWith('Benchmark')).flatMap((l) => {
    const f = l.trim().split(/\s+/);
    const i = f.indexOf(unit);
    const v = Number(f[i - 1]);
    return i > 0 && Number.isFinite(v) ? [[f[0].replace(/-\d+$/, ''), v]] : [];
  });
  const values = (pairs, name) => pairs.filter(([n]) => n === name).map(([, x]) => x);
  // best is the fastest run: on this shared machine the same code ran up
  // to 2x apart within minutes, so the median of a few runs can fall in a
  // slow spell; the best shows what the code does when the machine lets it.
  const best = (pairs, name) => {
    const v = values(pairs, name);
    return v.length ? String(Math.max(...v)) : 'n/a';
  };
  // mid is the median of numbers (NaN for none).
  const mid = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return !v.length ? NaN : v.length % 2 ? v[(v.length - 1) / 2] : +((v[v.length / 2 - 1] + v[v.length / 2]) / 2).toPrecision(4);
  };
  const median = (pairs, name) => {
    const v = values(pairs, name);
    return v.length ? String(mid(v)) : 'n/a';
  };

  // MODEL_BENCH and KERNEL_BENCH replace the benchmark patterns of the two
  // binaries (KERNEL_BENCH=none skips the kernels), SIMD_ONLY=1 skips the
  // runs without the kernel module, and RAW=1 prints every line the
  // binaries print: for looking at one benchmark (a layer profile, say) in
  // the browser without the whole set.
  const steps = process.env.MODEL_BENCH || '^Benchmark(ClassifierTrainStep|VAETrainStep|ClassifierInference)$';
  const gemms = process.env.KERNEL_BENCH || '^BenchmarkGemm(|TA|TB|Conv)$';
  const variants = altWat ? [['simd', true], ['alt', 'simd-alt.wasm']]
    : process.env.SIMD_ONLY === '1' ? [['simd', true]] : [['simd', true], ['scalar', false]];
  const out = { simd: [], scalar: [], alt: [], gsimd: [], gscalar: [], galt: [] };
  const simdRounds = [];
  // Alternate the two so that load from elsewhere hits both alike, and
  // swap which goes first each round so neither always follows the other.
  // Even so, an A/A run (ALT_WAT the tree's own file) gave one 15 µs
  // product 17.1 and 14.0 GFLOP/s: small differences need many rounds.
  for (let i = 0; i < COUNT; i++) {
    for (const [key, simd] of i % 2 ? [...variants].reverse() : variants) {
      log(`model steps, ${key}, run ${i + 1}`);
      const lines = await run('model.wasm', ['-test.run', '^$', '-test.bench', steps, '-test.benchtime', BENCHTIME], simd);
      const glines = gemms === 'none' ? []
        : await run('kernels.wasm', ['-test.run', '^$', '-test.bench', gemms, '-test.benchtime', '100ms'], simd);
      out[key].push(...lines);
      out['g' + key].push(...glines);
      if (key === 'simd') simdRounds.push(glines);
      if (process.env.RAW === '1') console.log([...lines, ...glines].join('\n'));
    }
  }
  const other = altWat ? 'alt' : 'scalar';
  const gs = metric(out.gsimd, 'GFLOP/s');
  const gc = metric(out['g' + other], 'GFLOP/s');
  // The shared host runs everything at about half speed for minutes at a
  // time. After each product's benchmark the binary times the product and
  // a fixed SIMD128 loop (the gauge) in turns of a millisecond or so
  // (core/kernels/peak_wasm_test.go); the product's share of the gauge
  // holds still while the host's speed swings, and says how near the
  // machine's ceiling the kernel is.
  const sh = metric(out.gsimd, 'gauge-share');
  const gauge = metric(out.gsimd, 'gauge-GFLOP/s').map(([, v]) => v);
  const typical = mid(gauge);
  console.log(`GEMM GFLOP/s in a Chromium worker (median and best of ${COUNT}; share: median of its share of the gauge):`);
  for (const name of [...new Set(gs.map(([n]) => n))]) {
    const share = mid(values(sh, name));
    const shown = Number.isNaN(share) ? '   n/a' : (share * 100).toFixed(0).padStart(5) + '%';
    console.log(`  ${name.replace(/^Benchmark/, '').padEnd(36)} chromium-simd ${median(gs, name).padStart(6)} (best ${best(gs, name).padStart(6)}, share ${shown})  chromium-${other} ${median(gc, name).padStart(6)}`);
  }
  if (gauge.length) {
    console.log(`  gauge (SIMD128 multiply-then-add, register tile, no memory) over the run: ${Math.min(...gauge)} to ${Math.max(...gauge)} GFLOP/s, median ${typical}`);
  }
  // The target is 25 GFLOP/s at every shape. The products the training
  // runs are GemmConv's (the convs' blocks, Winograd and direct passes)
  // and the dense layers' Gemm, GemmTA and GemmTB (core/nn/dense.go). The
  // rest no layer runs: the dense layers' "/dx" form, and Gemm, GemmTA and
  // GemmTB at conv shapes, which multiply whole column matrices; those of
  // vae-final-conv (25,088 × 288 by one column) move 29 MB per 14 MFLOP,
  // bound by memory bandwidth well below 25.
  const dense = /^Gemm(TA|TB)?\/(cls-dense|cls-dense2|vae-dense|vae-dec-dense)$/;
  const groups = [['run by training', (n) => n.startsWith('GemmConv/') || dense.test(n)],
    ['not run by training', (n) => !n.startsWith('GemmConv/') && !dense.test(n)]];
  for (const [label, inGroup] of groups) {
    const names = [...new Set(gs.map(([n]) => n.replace(/^Benchmark/, '')))].filter(inGroup);
    if (!names.length) continue;
    const below = (stat) => names.filter((n) => Number(stat(gs, 'Benchmark' + n)) < 25);
    // share times the gauge's median reading: what a product would run at
    // if its whole benchmark had run at the machine's usual speed (an
    // estimate; slow spells pull the median down, not up).
    const scaled = (pairs, name) => String(mid(values(sh, name)) * typical);
    const line = `  ${label}: ${names.length} products, ${names.length - below(median).length} at >= 25 by median, ` +
      `${names.length - below(best).length} by best`;
    console.log(`${line}${sh.length ? `, ${names.length - below(scaled).length} by share × median gauge` : ''}; ` +
      `below 25 at best: ${below(best).join(' ') || 'none'}` +
      (sh.length ? `; by share × median gauge: ${below(scaled).join(' ') || 'none'}` : ''));
  }
  // Each round's speed: the median, over the shapes, of its figure over
  // the shape's best. A round near 1.00 ran while the machine let it; one
  // near 0.5 ran in a slow spell (native runs halve in them too), and
  // pulls the medians above down with it.
  if (gs.length && COUNT > 1) {
    const speed = simdRounds.map((lines) => {
      const r = mid(metric(lines, 'GFLOP/s').map(([n, v]) => v / Number(best(gs, n))));
      return Number.isNaN(r) ? 'n/a' : r.toFixed(2);
    });
    console.log(`  speed of each round against the best (median over the shapes): ${speed.join(', ')}`);
  }
  const s = metric(out.simd, 'img/s');
  const c = metric(out[other], 'img/s');
  for (const [b, label] of [['ClassifierTrainStep', 'classifier-train'], ['VAETrainStep', 'vae-train'], ['ClassifierInference', 'classifier-infer']]) {
    const name = 'Benchmark' + b;
    const vs = median(s, name);
    if (vs === 'n/a' && !process.env.MODEL_BENCH) failed = true;
    console.log(`${label} img/s: chromium-simd ${vs}, chromium-${other} ${median(c, name)}`);
  }
} catch (err) {
  console.error(err.stack || String(err));
  failed = true;
} finally {
  await browser.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(userDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
