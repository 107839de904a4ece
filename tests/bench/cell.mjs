// node tests/bench/cell.mjs [query]: times one run of the page in headless
// Chromium against the real server (built from the tree; `make build`
// first), by default the "As in the article" preset at n = 100, k = 10 (VAE
// 200 epochs with snapshots at 50 and 200, the baseline, both levels' VAE
// arms and step-matched controls, each classifier to a plateau of at most
// 3,000 steps, validation on 2,000 digits every 100 steps, test on 10,000).
// It prints the page's status every minute (every POLL_MS milliseconds if
// set, so that a short run's time from page open is not rounded up to a
// minute) and, at the end, the wall time and each arm's steps, accuracy and
// seconds.
import { log } from '../harness.mjs';
import { inPage } from './in-page.mjs';

const query = process.argv[2] || 'preset=article&n=100&aug=vae&k=10&seed=1';
await inPage('cell', async ({ page, server }) => {
  const t0 = Date.now();
  await page.goto(`${server.base}/?${query}&autorun=1`);
  for (;;) {
    const s = await page.evaluate(() => document.body.dataset.state);
    if (s === 'done' || s === 'error') break;
    await page.waitForTimeout(Number(process.env.POLL_MS || 60000));
    log(await page.evaluate(() => document.getElementById('status').textContent + ' | ' +
      document.getElementById('speed').textContent));
  }
  const out = await page.evaluate(() => ({ state: document.body.dataset.state, status: document.getElementById('status').textContent,
    result: window.vaeaug.results.at(-1), pool: window.vaeaug.pool.size, last: window.vaeaug.lastTiming }));
  if (out.state !== 'done') throw new Error(out.status);
  const r = out.result;
  console.log(`${query}: ${((Date.now() - t0) / 1000).toFixed(0)} s from page open (run ${out.last.wallSeconds.toFixed(0)} s), ` +
    `${out.pool} workers; VAE ${r.snapshots.map((s) => `epoch ${s.epoch} loss ${s.loss.toFixed(1)}`).join(', ')}`);
  for (const a of r.arms) {
    console.log(`  ${a.arm} k=${a.k} level ${a.vae_level}: ${a.steps} steps (best ${a.best_step}), ` +
      `test ${(a.test_acc * 100).toFixed(2)}%, ${a.seconds.toFixed(0)} s`);
  }
});
