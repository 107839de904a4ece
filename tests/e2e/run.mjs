// End-to-end test of the browser trainer: starts the real server (cmd/serve,
// built from the current tree; or tests/e2e/devserver.mjs when
// VAEAUG_E2E_SERVER=dev or cmd/serve does not exist yet), drives Debian's
// Chromium through playwright-core with a fresh profile, and checks what a
// user sees. Usage (after the wasm, wasm_exec.js and MNIST are in
// static/gen): node tests/e2e/run.mjs. Prints "N passed, M failed" last and
// exits non-zero on any failure.
//
// Environment: CHROMIUM (default /usr/bin/chromium), VAEAUG_E2E_SERVER=dev,
// VAEAUG_E2E_SCREENSHOT (a path: save a screenshot of the page after the run).

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

import { root, SMALL, LONG, log, results, check, assert, finish } from '../harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';



function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// startServer starts the server on a free port and resolves with its base
// URL and the child process (which only this script kills).
async function startServer(tmp) {
  for (const f of ['gen/vaeaug.wasm', 'gen/wasm_exec.js', 'gen/mnist/train-images-idx3-ubyte.gz']) {
    if (!fs.existsSync(path.join(root, 'static', f))) {
      throw new Error(`static/${f} is missing: build the wasm, copy wasm_exec.js and the MNIST files first`);
    }
  }
  const port = await freePort();
  let child;
  const useDev = process.env.VAEAUG_E2E_SERVER === 'dev' || !fs.existsSync(path.join(root, 'cmd/serve/main.go'));
  if (useDev) {
    log('server: tests/e2e/devserver.mjs');
    child = spawn(process.execPath, [path.join(here, 'devserver.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    const bin = path.join(tmp, 'serve');
    log('server: building cmd/serve…');
    execFileSync('go', ['build', '-o', bin, './cmd/serve'], { cwd: root, stdio: 'inherit' });
    child = spawn(bin, ['-addr', `127.0.0.1:${port}`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      const r = await fetch(base + '/');
      if (r.ok) return { base, child };
    } catch (err) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('the server did not answer within 10 s: ' + stderr);
}

const state = (page) => page.evaluate(() => document.body.dataset.state);

async function waitState(page, want, timeoutMs) {
  await page.waitForFunction((w) => w.includes(document.body.dataset.state), want, { timeout: timeoutMs, polling: 100 });
  return state(page);
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vaeaug-e2e-'));
  let server;
  let ctx;
  try {
    server = await startServer(tmp);
    log('server at', server.base);
    ctx = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    const page = ctx.pages()[0] || (await ctx.newPage());
    const problems = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push('console error: ' + m.text());
    });

    let firstRun = null;
    await check('a small run from the URL finishes with the accuracy shown', async () => {
      const t0 = Date.now();
      await page.goto(`${server.base}/?${SMALL}&autorun=1`);
      const s = await waitState(page, ['done', 'error'], 600000);
      const status = await page.textContent('#status');
      assert(s === 'done', `state is ${s}: ${status} ${await page.textContent('#form-error')}`);
      const info = await page.evaluate(() => ({
        results: window.vaeaug.results,
        timing: window.vaeaug.timing,
        last: window.vaeaug.lastTiming,
        shown: [...document.querySelectorAll('#result-body .big .acc')].map((e) => ({
          arm: e.dataset.arm, text: e.textContent, acc: Number(e.dataset.acc) })),
      }));
      assert(info.results.length === 1, `window.vaeaug.results has ${info.results.length} runs, want 1`);
      firstRun = info.results[0];
      const base = firstRun.arms.find((a) => a.arm === 'baseline');
      const aug = firstRun.arms.find((a) => a.arm === 'vae');
      assert(base && aug, 'want a baseline and a vae arm: ' + JSON.stringify(firstRun.arms.map((a) => a.arm)));
      assert(base.test_acc > 0.1, `baseline test accuracy ${base.test_acc} is not above chance (0.1)`);
      // Issue 7: the step-matched control is on by default, trains the
      // originals alone for exactly the augmented arm's steps, and is
      // explained next to the result.
      const ctrl = firstRun.arms.find((a) => a.arm === 'step-matched');
      assert(ctrl, 'no step-matched control arm: ' + JSON.stringify(firstRun.arms.map((a) => a.arm)));
      assert(ctrl.steps === aug.steps && ctrl.train_size === firstRun.n,
        `control took ${ctrl.steps} steps on ${ctrl.train_size} images; the vae arm ${aug.steps} steps, n = ${firstRun.n}`);
      assert((await page.textContent('#result-body')).includes('step-matched control trains on the'),
        'the result does not explain the step-matched control');
      assert(info.shown.length >= 2, 'the headline shows ' + info.shown.length + ' accuracies');
      for (const sh of info.shown) {
        const arm = firstRun.arms.find((a) => a.arm === sh.arm);
        assert(arm, 'shown arm not in results: ' + sh.arm);
        const want = (arm.test_acc * 100).toFixed(1) + '%';
        assert(sh.text === want, `${sh.arm}: page shows ${sh.text}, results say ${want}`);
      }
      const tableAcc = await page.$$eval('#table td.num-strong', (tds) => tds.map((td) => td.textContent));
      assert(tableAcc.includes((base.test_acc * 100).toFixed(1) + '%'), 'the results table lacks the baseline accuracy');
      log(`  baseline ${(base.test_acc * 100).toFixed(1)}%, vae ${(aug.test_acc * 100).toFixed(1)}%; ` +
        `page open → first training step ${((info.timing.firstStep - info.timing.open) / 1000).toFixed(1)} s, ` +
        `run ${info.last.wallSeconds.toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (process.env.VAEAUG_E2E_SCREENSHOT) {
        await page.waitForTimeout(1500); // let the follow-up pictures arrive
        await page.screenshot({ path: process.env.VAEAUG_E2E_SCREENSHOT, fullPage: true });
      }
    });

    await check('the sample canvases are not blank', async () => {
      const ink = await page.evaluate(() => {
        // The grid is one row per original: the original, a wider gap, then
        // its samples; tiles are 28 px with 2 px gaps (static/pictures.js).
        const c = document.getElementById('samples');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const cols = Math.round((c.width - 6 + 2) / 30);
        const rows = Math.round((c.height + 2) / 30);
        const tile = (r, col) => {
          const x0 = col * 30 + (col >= 1 ? 6 : 0);
          let lo = 255;
          let hi = 0;
          let sum = 0;
          for (let y = r * 30; y < r * 30 + 28; y++) {
            for (let x = x0; x < x0 + 28; x++) {
              const v = d[4 * (y * c.width + x)];
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
              sum += v;
            }
          }
          return { range: hi - lo, mean: sum / 784 };
        };
        let origInk = 0;
        let sampleInk = 0;
        let samples = 0;
        const ranges = [];
        for (let r = 0; r < rows; r++) {
          if (tile(r, 0).range > 100) origInk++;
          for (let col = 1; col < cols; col++) {
            const t = tile(r, col);
            samples++;
            ranges.push(t.range);
            if (t.range >= 5) sampleInk++;
          }
        }
        return { w: c.width, h: c.height, rows, cols, origInk, samples, sampleInk, ranges: ranges.slice(0, 6) };
      });
      log('  samples grid: ' + JSON.stringify(ink));
      assert(ink.rows >= 1 && ink.cols >= 2, `samples canvas is ${ink.w}×${ink.h}`);
      assert(ink.origInk === ink.rows, `only ${ink.origInk} of ${ink.rows} originals show a digit`);
      assert(ink.samples > 0 && ink.sampleInk >= ink.samples / 2, `the generated images look blank: ${JSON.stringify(ink)}`);
    });

    await check('a reload keeps the results (IndexedDB)', async () => {
      await page.reload();
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.results.length > 0, null, { timeout: 15000 });
      const after = await page.evaluate(() => ({ results: window.vaeaug.results, state: document.body.dataset.state }));
      assert(after.results.length === 1, `after reload ${after.results.length} runs`);
      assert(JSON.stringify(after.results[0].arms) === JSON.stringify(firstRun.arms), 'the reloaded run differs');
      assert(after.state === 'idle', `after reload the state is ${after.state} (autorun must not rerun)`);
      const shown = await page.$$eval('#result-body .big .acc', (es) => es.map((e) => e.textContent));
      const base = firstRun.arms.find((a) => a.arm === 'baseline');
      assert(shown.includes((base.test_acc * 100).toFixed(1) + '%'), 'the reloaded page does not show the accuracy');
    });

    await check('stop works mid-run', async () => {
      await page.goto(`${server.base}/?${LONG}&autorun=1`);
      await waitState(page, ['running'], 10000);
      // Wait for training to be under way (a classifier step reported).
      await page.waitForFunction(() => window.vaeaug.timing.firstStep > 0 && document.querySelector('.stage.active'),
        null, { timeout: 120000, polling: 100 });
      await page.waitForTimeout(1500);
      const t = Date.now();
      await page.click('#stop');
      await waitState(page, ['idle'], 5000);
      const took = (Date.now() - t) / 1000;
      log(`  idle ${took.toFixed(2)} s after Stop; status: ${await page.textContent('#status')}`);
      assert(took <= 2.5, `stop took ${took.toFixed(2)} s`);
      const n = await page.evaluate(() => window.vaeaug.results.length);
      assert(n === 1, `a stopped run must not be added to the results (have ${n})`);
    });

    await check('a bad setting is refused next to its field and nothing starts', async () => {
      await page.goto(`${server.base}/?n=7&autorun=1`);
      await page.waitForFunction(() => document.getElementById('err-n').textContent !== '', null, { timeout: 10000 });
      await page.waitForTimeout(1000);
      const r = await page.evaluate(() => ({
        err: document.getElementById('err-n').textContent,
        invalid: document.getElementById('field-n').classList.contains('invalid'),
        state: document.body.dataset.state,
        run: window.vaeaug.run,
      }));
      assert(/multiple of 10/.test(r.err), 'error next to n: ' + r.err);
      assert(r.invalid, 'the n field is not marked invalid');
      assert(r.state === 'idle' && r.run === null, `a run started: state ${r.state}`);
      // Also from the form: a k that is not a number.
      await page.fill('#f-n', '100');
      await page.fill('#f-k', 'ten');
      await page.click('#start');
      const k = await page.textContent('#err-k');
      assert(/not a list of whole numbers/.test(k), 'error next to k: ' + k);
      assert((await state(page)) === 'idle', 'a run started with k=ten');
    });

    await check('a dead worker is reported, results are kept, and restart works', async () => {
      await page.goto(`${server.base}/?${SMALL}`);
      await page.waitForFunction(() => window.vaeaug.trainer.ready, null, { timeout: 30000 });
      await page.evaluate(() => window.vaeaug.trainer.die(window.vaeaug.trainer.worker, 'killed by the test.'));
      const dead = await page.evaluate(() => ({
        visible: !document.getElementById('dead').hidden,
        msg: document.getElementById('dead-msg').textContent,
        state: document.body.dataset.state,
        results: window.vaeaug.results.length,
      }));
      assert(dead.visible && /killed by the test/.test(dead.msg), 'no death notice: ' + JSON.stringify(dead));
      assert(dead.state === 'error' && dead.results === 1, JSON.stringify(dead));
      await page.click('#restart');
      await page.waitForFunction(() => window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
      assert((await state(page)) === 'idle', 'state after restart: ' + (await state(page)));
    });

    await check('no console errors or CSP violations', async () => {
      assert(problems.length === 0, problems.join('\n'));
    });
  } catch (err) {
    results.push({ name: 'setup', ok: false, err });
    log('FAIL setup:', err && err.stack ? err.stack : err);
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => { server.child.kill('SIGKILL'); r(); }, 5000);
        server.child.on('exit', () => { clearTimeout(t); r(); });
      });
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  finish();
}

main();
