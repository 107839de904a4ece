// Page open → first training step, the "≤ 2 s on loopback" target,
// over several loads in fresh headless Chromium profiles (nothing cached)
// and a reload in each (the HTTP cache warm): the small run of the e2e
// tests, started from its URL. make test's e2e run reports one load; this
// gives the spread, which on this shared 2-core VM is a few tenths of a
// second. Needs `make build` and `make e2e-deps`.
//
//   node tests/bench/firststep.mjs [loads]      (default 6)
//
// Each line gives, from page open: the worker ready (wasm compiled, Go
// running), MNIST loaded (window.vaeaug.timing.loaded) and the first
// training step's progress; the last line the medians.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../chromium.mjs';
import { startServer } from '../server.mjs';
import { SMALL, log, median } from '../harness.mjs';

const loads = Number(process.argv[2] || 6);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vaeaug-firststep-'));
const server = await startServer(tmp);
const seconds = (t, k) => (t[k] - t.open) / 1000;
const rows = { fresh: [], reload: [] };
try {
  for (let i = 0; i < loads; i++) {
    const profile = fs.mkdtempSync(path.join(tmp, 'profile-'));
    const browser = await launchChromium(profile);
    try {
      const page = browser.pages()[0] || await browser.newPage();
      for (const kind of ['fresh', 'reload']) {
        await page.goto(`${server.base}/?${SMALL}&autorun=1`);
        await page.waitForFunction(() => window.vaeaug && window.vaeaug.timing.firstStep > 0, null, { timeout: 120000 });
        const t = await page.evaluate(() => window.vaeaug.timing);
        rows[kind].push(t);
        log(`${kind.padEnd(6)} ready ${seconds(t, 'ready').toFixed(2)} s, loaded ${seconds(t, 'loaded').toFixed(2)} s, ` +
          `first step ${seconds(t, 'firstStep').toFixed(2)} s`);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  server.child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
for (const kind of ['fresh', 'reload']) {
  const r = rows[kind];
  console.log(`${kind} loads (${r.length}), medians: ready ${median(r.map((t) => seconds(t, 'ready'))).toFixed(2)} s, ` +
    `loaded ${median(r.map((t) => seconds(t, 'loaded'))).toFixed(2)} s, ` +
    `first step ${median(r.map((t) => seconds(t, 'firstStep'))).toFixed(2)} s`);
}
