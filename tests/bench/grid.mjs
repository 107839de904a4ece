// node tests/bench/grid.mjs [preset]: times the page's "Run the article's
// grid" in headless Chromium against the real server (built from the tree;
// `make build` first): the four runs n = 100, 200, 400 and 800, each with
// k = 10, 50 and 250, with a preset's budgets ("quick", the default, or
// "article"). It prints the page's status every POLL_MS milliseconds
// (default a minute) and, at the end, the grid's wall time from the click
// and, per run, its seconds, the baseline's test accuracy and the best VAE
// arm's. The page's help text quotes these times.
import { log } from '../harness.mjs';
import { inPage } from './in-page.mjs';

const preset = process.argv[2] || 'quick';
if (!['quick', 'article'].includes(preset)) {
  console.error(`usage: node tests/bench/grid.mjs [quick|article], not ${preset}`);
  process.exit(2);
}
await inPage('grid', async ({ page, server }) => {
  await page.goto(`${server.base}/?preset=${encodeURIComponent(preset)}&seed=1`);
  await page.waitForFunction(() => window.vaeaug && window.vaeaug.pool && !document.getElementById('grid').disabled,
    null, { timeout: 60000 });
  const t0 = Date.now();
  await page.click('#grid');
  for (;;) {
    await page.waitForTimeout(Number(process.env.POLL_MS || 60000));
    const s = await page.evaluate(() => ({ state: document.body.dataset.state, grid: !!window.vaeaug.grid,
      status: document.getElementById('status').textContent, error: document.getElementById('form-error').textContent }));
    log(`${s.status} ${s.error}`);
    if (s.state === 'error' || s.error) throw new Error(s.status + ' ' + s.error);
    if (s.state === 'done' && !s.grid) break;
  }
  const wall = (Date.now() - t0) / 1000;
  const runs = await page.evaluate(() => window.vaeaug.results.filter((r) => r.grid));
  const pct = (x) => (x * 100).toFixed(2) + '%';
  console.log(`grid, ${preset} budgets: ${wall.toFixed(0)} s from the click (${(wall / 60).toFixed(1)} min), ` +
    `${await page.evaluate(() => window.vaeaug.pool.size)} workers`);
  for (const r of runs.sort((a, b) => a.n - b.n)) {
    const base = r.arms.find((a) => a.arm === 'baseline');
    const vae = r.arms.filter((a) => a.arm === 'vae').sort((a, b) => b.test_acc - a.test_acc)[0];
    console.log(`  n=${r.n}: ${r.seconds.toFixed(0)} s, baseline ${pct(base.test_acc)}, ` +
      `best VAE arm ${pct(vae.test_acc)} (k=${vae.k}, level ${vae.vae_level})`);
  }
});
