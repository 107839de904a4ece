// make bench-pool: what the page's worker pool (static/pool.js) buys, in
// headless Chromium against the real server (built from the tree; run
// `make build` first). Two measures, each with one worker (?workers=1) and
// with the pool (?workers=W, default 2), alternated ROUNDS times (default 2):
//
//   runs   SEEDS independent runs (default 4: seeds 1–4) of the Quick look
//          preset (n=100, k=10), started together (window.vaeaug.runSeeds);
//          the pool's speed-up in throughput is the ratio of wall times;
//   quick  one Quick look run from the page, split by the pool into the
//          baseline and the rest; wall time from Start to the result.
//
// ONLY=runs or ONLY=quick measures one of the two. WARM=1 starts the
// helpers (and waits for them to be ready) before the clock starts, so that
// the figure leaves out their start-up (download, compile, MNIST).
// Each measure also prints how many cores the browser kept busy (its
// processes' CPU time over the wall time, from /proc): below the worker
// count, the pool waited (start-up, a worker without work); at it, the
// workers shared the cores with each other and the page.
// Every run's classifiers must score the same with and without the pool
// (the pool must not change a number); the script fails otherwise.
import fs from 'node:fs';
import os from 'node:os';
import { log, median } from '../harness.mjs';
import { inPage } from './in-page.mjs';

const ROUNDS = Number(process.env.ROUNDS || 2);
const W = Number(process.env.WORKERS || 2);
const SEEDS = [...Array(Number(process.env.SEEDS || 4)).keys()].map((i) => i + 1);
const QUICK = 'preset=quick&n=100&aug=vae&k=10&seed=1';
const MEASURES = ['runs', 'quick'].filter((m) => !process.env.ONLY || process.env.ONLY === m);

// browserCPU is the CPU time, in seconds, of the browser's processes so
// far: the one started with our profile (under tmp) and all its
// descendants. Linux only (/proc); null elsewhere.
function browserCPU(tmp) {
  let entries;
  try { entries = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return null; }
  const procs = new Map();
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      procs.set(pid, { ppid: f[1], ticks: Number(f[11]) + Number(f[12]), root: cmd.includes(tmp) && cmd.includes('chrom') });
    } catch { /* it exited */ }
  }
  const inBrowser = (pid, depth = 0) => {
    const p = procs.get(pid);
    if (!p || depth > 64) return false;
    return p.root || inBrowser(p.ppid, depth + 1);
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (inBrowser(pid)) ticks += p.ticks;
  return ticks / 100; // USER_HZ on Linux
}

// arms reduces results to what must not depend on the pool.
// Runs side by side finish in any order: compare them by seed.
const arms = (results) => [...results].sort((a, b) => a.seed - b.seed).map((r) => `seed ${r.seed}: ` +
  r.arms.map((a) => `${a.arm}/${a.k}/${a.vae_level} ${a.steps} ${a.best_step} ${a.val_acc} ${a.test_acc}`).join(', '));

async function measure({ page, server, tmp }, workers, what) {
  await page.goto(`${server.base}/?${QUICK}&workers=${workers}`);
  await page.waitForFunction(() => window.vaeaug && window.vaeaug.dataLoaded && window.vaeaug.trainer.ready, null, { timeout: 120000 });
  if (process.env.WARM === '1' && workers > 1) {
    await page.evaluate((n) => { for (let i = 1; i < n; i++) window.vaeaug.pool.bootHelper(); }, workers);
    await page.waitForFunction(() => window.vaeaug.pool.helpers.every((t) => t.ready), null, { timeout: 120000 });
    await page.waitForTimeout(3000); // its MNIST load, after ready
  }
  const cpu0 = browserCPU(tmp);
  const t0 = Date.now();
  const ok = await page.evaluate((what) => {
    window.vaeaug.results = [];
    if (what === 'runs') return window.vaeaug.runSeeds(JSON.parse(document.body.dataset.seeds || '[]'));
    document.getElementById('start').click();
    return true;
  }, what);
  if (!ok) throw new Error('the page refused the runs');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 0, polling: 200 });
  const seconds = (Date.now() - t0) / 1000;
  const cpu1 = browserCPU(tmp);
  const cores = cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / seconds;
  const out = await page.evaluate(() => ({ state: document.body.dataset.state, status: document.getElementById('status').textContent,
    results: window.vaeaug.results, maxBusy: window.vaeaug.pool.maxBusy, size: window.vaeaug.pool.size }));
  if (out.state !== 'done') throw new Error(`${what} with ${workers} workers: ${out.status}`);
  return { seconds, cores, arms: arms(out.results), maxBusy: out.maxBusy, size: out.size };
}

await inPage('pool', async (ctx) => {
  const { page } = ctx;
  let failed = false;
  await page.addInitScript((seeds) => {
    document.addEventListener('DOMContentLoaded', () => { document.body.dataset.seeds = JSON.stringify(seeds); });
  }, SEEDS);
  const times = { runs: { 1: [], [W]: [] }, quick: { 1: [], [W]: [] } };
  const ref = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const what of MEASURES) {
      for (const workers of round % 2 ? [W, 1] : [1, W]) {
        const m = await measure(ctx, workers, what);
        log(`${what}, ${workers} worker(s) (${m.maxBusy} busy at most): ${m.seconds.toFixed(1)} s` +
          (m.cores === null ? '' : `, the browser kept ${m.cores.toFixed(2)} cores busy`));
        times[what][workers].push(m.seconds);
        const key = what;
        if (!ref[key]) ref[key] = m.arms;
        else if (JSON.stringify(ref[key]) !== JSON.stringify(m.arms)) {
          failed = true;
          log(`FAIL: ${what} with ${workers} workers scored differently:\n${m.arms.join('\n')}\nagainst\n${ref[key].join('\n')}`);
        }
        if (workers > 1 && m.maxBusy < Math.min(W, 2)) {
          failed = true;
          log(`FAIL: ${what} with ${workers} workers had at most ${m.maxBusy} busy`);
        }
      }
    }
  }
  const show = (xs) => xs.map((x) => x.toFixed(1)).join(', ');
  for (const [what, label] of [['runs', `${SEEDS.length} Quick look runs side by side`], ['quick', 'one Quick look run']]) {
    if (!MEASURES.includes(what)) continue;
    const a = median(times[what][1]);
    const b = median(times[what][W]);
    console.log(`pool, ${label}: 1 worker ${a.toFixed(1)} s (${show(times[what][1])}), ${W} workers ${b.toFixed(1)} s ` +
      `(${show(times[what][W])}): speed-up ${(a / b).toFixed(2)}x (medians of ${ROUNDS}; ${os.cpus().length} cores)`);
  }
  console.log(failed ? 'pool: FAILED (see above)' : 'pool: every run scored the same with 1 and ' + W + ' workers');
  return !failed;
});
