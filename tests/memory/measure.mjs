// Measures how much memory a run takes in the browser: builds and starts the
// server (cmd/serve, built from the current tree), opens the page in headless
// Chromium with a configuration and autorun, waits for the run to finish and
// prints the peak of the worker's WebAssembly memory (the wasmMemory field of
// the worker's events, PROTOCOL.md "Memory"), checked against the size
// Chromium's DevTools reads from the worker's WebAssembly.Memory itself
// (tests/harness.mjs), the Go heap the worker reports, the estimate of the
// worker ('started' event: study.EstimateMemory) and of the page (settings.js,
// which must agree), and performance.measureUserAgentSpecificMemory() when
// the browser provides it.
//
// Usage (from the repository, after building static/gen/vaeaug.wasm):
//
//	nice node tests/memory/measure.mjs [case…]
//
// Cases: "large" (n=800, k=250: 200,000 generated images, the largest cell
// of the article's grid), "small" (n=100, k=10), or a query string of the
// page's settings (e.g. "n=400&k=50"); the default is "large small". Every
// case runs with tiny budgets (1 VAE epoch, 10 classifier steps, 200
// validation and test images): memory does not depend on them, only on n, k
// and the batch sizes. A case gets a fresh browser, so a fresh worker. The
// large case takes 15–20 minutes on two busy cores (generating 200,000
// images); set VAEAUG_MEASURE_TIMEOUT (seconds, default 1200) to wait longer
// for a run, VAEAUG_MEASURE_VERBOSE=1 to log the worker's events and
// VAEAUG_MEASURE_NO_DEVTOOLS=1 to skip the DevTools cross-check.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../chromium.mjs';
import { workerMemory, within } from '../harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const timeoutMs = 1000 * Number(process.env.VAEAUG_MEASURE_TIMEOUT || 1200);

const TINY = 'aug=vae&seed=1&preset=quick&epochs=1&steps=10&eval=5&patience=1&val=200&test=200';
const CASES = {
  large: `n=800&k=250&${TINY}`,
  small: `n=100&k=10&${TINY}`,
};

const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const mib = (b) => (b / 2 ** 20).toFixed(1) + ' MiB';

// startServer builds cmd/serve and starts it on a free port; it resolves
// with the child and the URL the server prints on its first line.
async function startServer(tmp) {
  const bin = path.join(tmp, 'serve');
  log('building cmd/serve…');
  execFileSync('go', ['build', '-o', bin, './cmd/serve'], { cwd: root, stdio: 'inherit' });
  const child = spawn(bin, ['-addr', '127.0.0.1:0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server printed no URL within 30 s: ' + stderr)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/https?:\/\/[^\s]+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

// wasmMemories returns the sizes in bytes of the WebAssembly.Memory objects
// of every worker of the page, as DevTools sees them.
async function wasmMemories(cdp) {
  return (await workerMemory(cdp)).flatMap((w) => w.wasm);
}

// measure runs one case in a fresh page and returns its figures.
async function measure(ctx, base, name, query) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('crash', () => { problems.push('the page crashed'); log(`${name}: the page crashed`); });
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  if (process.env.VAEAUG_MEASURE_VERBOSE) {
    await page.exposeFunction('memoryLog', (s) => log(`${name}: event ${s}`));
  }
  // Watch the worker's events: the largest wasmMemory and heapLive, and the
  // events that describe the run.
  await page.addInitScript(() => {
    const mem = { peak: 0, heapPeak: 0, stagePeak: {}, ready: null, loaded: null, started: null, result: null, errors: [],
      lastEvent: 0, events: 0, inexact: 0 };
    window.memoryWatch = mem;
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          const ev = e.data || {};
          if (ev.type !== 'pong') mem.lastEvent = Date.now();
          if (window.memoryLog && (ev.type !== 'progress' || ev.done === ev.total)) {
            window.memoryLog(JSON.stringify(ev, (k, v) => (ArrayBuffer.isView(v) ? `[${v.length}]`
              : ['result', 'config', 'arm', 'snapshot'].includes(k) && typeof v === 'object' ? '…' : v)).slice(0, 300));
          }
          if (typeof ev.wasmMemory === 'number') {
            // worker.js hands Go its WebAssembly.Memory, so in the page
            // every figure should be the memory's own size.
            mem.events++;
            if (ev.memoryExact !== true) mem.inexact++;
            mem.peak = Math.max(mem.peak, ev.wasmMemory);
            mem.heapPeak = Math.max(mem.heapPeak, ev.heapLive || 0);
            if (ev.type === 'progress') {
              const key = ev.stage + (ev.arm ? ' ' + ev.arm : '');
              mem.stagePeak[key] = Math.max(mem.stagePeak[key] || 0, ev.wasmMemory);
            }
          }
          const pick = (o) => JSON.parse(JSON.stringify(o, (k, v) => (k === 'result' || k === 'config' ? undefined : v)));
          if (ev.type === 'ready') mem.ready = pick(ev);
          if (ev.type === 'loaded') mem.loaded = pick(ev);
          if (ev.type === 'started') mem.started = { ...pick(ev), config: ev.config };
          if (ev.type === 'result') mem.result = { wasmMemory: ev.wasmMemory, heapLive: ev.heapLive, seconds: ev.result.seconds };
          if (ev.type === 'error' || ev.type === 'fatal') mem.errors.push(ev.message);
        });
      }
    };
  });
  const t0 = Date.now();
  // One worker: the whole run's peak in one memory (the pool would split
  // the run, each worker holding a part).
  log(`${name}: opening /?${query}&workers=1&autorun=1`);
  await page.goto(`${base}?${query}&workers=1&autorun=1`);
  let last = '';
  const poll = setInterval(async () => {
    try {
      const s = await page.evaluate(() => `${document.body.dataset.state} ${document.getElementById('status').textContent}` +
        ` wasm ${(window.memoryWatch.peak / 2 ** 20).toFixed(0)} MiB`);
      if (s !== last) log(`${name}: ${s}`);
      last = s;
    } catch { /* the page is navigating or closing */ }
  }, 30000);
  try {
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null,
      { timeout: timeoutMs, polling: 1000 });
  } finally {
    clearInterval(poll);
  }
  const seconds = (Date.now() - t0) / 1000;
  const state = await page.evaluate(() => document.body.dataset.state);
  const watch = await page.evaluate(() => window.memoryWatch);
  if (watch.inexact) problems.push(`${watch.inexact} of ${watch.events} events had memoryExact false (the runtime's count, not the wasm memory)`);
  if (state !== 'done') {
    throw new Error(`${name}: state ${state}: ${await page.textContent('#status')} ${JSON.stringify(watch.errors)} ${problems.join('; ')}`);
  }
  // After a run the page asks the worker for pictures, predictions and
  // exports; DevTools is asked once those are over (querying the worker
  // while it answers them has crashed the page).
  await page.waitForFunction(() => Date.now() - window.memoryWatch.lastEvent > 5000, null, { timeout: 120000, polling: 500 })
    .catch(() => log(`${name}: the worker is still busy after 2 minutes`));
  log(`${name}: run done; asking DevTools for the worker's memory`);
  const devtools = process.env.VAEAUG_MEASURE_NO_DEVTOOLS ? 'not asked' : await within((async () => {
    const cdp = await ctx.newCDPSession(page);
    try {
      return await wasmMemories(cdp);
    } finally {
      within(cdp.detach(), 20000, 'CDPSession.detach').catch(() => {});
    }
  })(), 60000, 'DevTools').catch((e) => `unavailable: ${e.message}`);
  // The page's own estimate (settings.js) for the config the worker ran.
  const pageEstimate = await within(page.evaluate(async (cfg) => {
    const s = await import('/settings.js');
    return s.estimateMemory ? s.estimateMemory(cfg).total : null;
  }, watch.started.config), 30000, 'settings.js').catch((e) => e.message);
  log(`${name}: measureUserAgentSpecificMemory…`);
  const uaMemory = await within(page.evaluate(async () => {
    if (!performance.measureUserAgentSpecificMemory) return `unavailable (crossOriginIsolated: ${self.crossOriginIsolated})`;
    const timeout = new Promise((resolve) => setTimeout(() => resolve('no answer within 60 s'), 60000));
    try {
      const m = await Promise.race([performance.measureUserAgentSpecificMemory(), timeout]);
      if (typeof m === 'string') return m;
      return { bytes: m.bytes, breakdown: m.breakdown.filter((b) => b.bytes > 0)
        .map((b) => ({ bytes: b.bytes, types: b.types, scope: b.attribution.map((a) => a.scope).join(',') })) };
    } catch (e) {
      return 'failed: ' + e.message;
    }
  }), 90000, 'measureUserAgentSpecificMemory').catch((e) => e.message);
  await within(page.close(), 30000, 'closing the page').catch((e) => log(`${name}: ${e.message}`));
  return { name, query, seconds, watch, devtools, pageEstimate, uaMemory, problems };
}

function report(r) {
  const w = r.watch;
  const est = w.started.memoryEstimate;
  console.log(`\n== ${r.name}: n=${w.started.config.n}, k=${w.started.config.k.join(',')}, batch ${w.started.config.batch}, ` +
    `VAE batch ${w.started.config.vae_batch} (${r.seconds.toFixed(0)} s in the page, run ${w.result.seconds.toFixed(0)} s)`);
  console.log(`  peak wasm memory (worker events): ${w.peak} B = ${mib(w.peak)}`);
  console.log(`  wasm memory at the end (DevTools):  ${Array.isArray(r.devtools) ? r.devtools.map(mib).join(', ') : r.devtools}`);
  console.log(`  at ready ${mib(w.ready.wasmMemory)}, after loading MNIST ${mib(w.loaded.wasmMemory)}; ` +
    `exact (read from worker.js's vaeaugMemory) in ${w.events - w.inexact} of ${w.events} events`);
  for (const [stage, b] of Object.entries(w.stagePeak)) console.log(`    after ${stage}: ${mib(b)}`);
  console.log(`  peak Go live heap (heapLive): ${mib(w.heapPeak)}`);
  console.log(`  estimate (worker, study.EstimateMemory): ${est} B = ${mib(est)}; page (settings.js): ` +
    `${r.pageEstimate === est ? 'the same' : r.pageEstimate}; ceiling ${mib(w.started.memoryCeiling)}`);
  console.log(`  peak / estimate = ${(w.peak / est).toFixed(3)}`);
  console.log(`  measureUserAgentSpecificMemory: ${typeof r.uaMemory === 'string' ? r.uaMemory
    : mib(r.uaMemory.bytes) + ' ' + JSON.stringify(r.uaMemory.breakdown.map((b) => `${b.types.join('+') || '?'} ${b.scope} ${mib(b.bytes)}`))}`);
  if (r.problems.length) console.log('  page problems:', r.problems.join('; '));
}

async function main() {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ['large', 'small'];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vaeaug-memory-'));
  let server;
  let ctx;
  const out = [];
  let failed = false;
  try {
    server = await startServer(tmp);
    log('server at', server.url);
    for (const [i, name] of names.entries()) {
      const query = CASES[name] || (name.includes('=') ? `${TINY}&${name}` : null);
      if (!query) throw new Error(`unknown case ${name}: want large, small or a query string`);
      // A fresh browser per case: nothing of an earlier case's worker
      // (or renderer) is left to share the memory.
      ctx = await launchChromium(path.join(tmp, `profile-${i}`), { viewport: { width: 1400, height: 1000 } });
      try {
        const r = await measure(ctx, server.url, name, query);
        out.push(r);
        report(r);
        // A figure that is not the wasm memory's own is no measurement.
        if (r.watch.inexact) failed = true;
      } catch (e) {
        failed = true;
        log(`FAIL ${name}: ${e.stack || e}`);
      } finally {
        await within(ctx.close(), 30000, 'closing the browser').catch((e) => log(e.message));
        ctx = null;
      }
    }
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    if (server) server.child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('\nsummary: ' + out.map((r) => `${r.name} peak ${mib(r.watch.peak)} / estimate ${mib(r.watch.started.memoryEstimate)}`).join('; '));
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
