// End-to-end test of the browser trainer: starts the real server (cmd/serve,
// built from the current tree; or tests/e2e/devserver.mjs when
// VAEAUG_E2E_SERVER=dev or cmd/serve does not exist yet), drives Debian's
// Chromium through playwright-core with a fresh profile, and checks what a
// user sees. Usage (after the wasm, wasm_exec.js and MNIST are in
// static/gen): node tests/e2e/run.mjs. Prints "N passed, M failed" last and
// exits non-zero on any failure.
//
// Environment: CHROMIUM (default /usr/bin/chromium), VAEAUG_E2E_SERVER=dev,
// VAEAUG_E2E_SCREENSHOT (a path: save a screenshot of the page after the run),
// E2E_ONLY (comma-separated check ids, e.g. E2E_ONLY=stop-start,settings: run
// only those, plus the closing console check). The ids: small-run, samples,
// pictures, reload (these need small-run), stop, stop-keeps, dead-keeps,
// bad-setting, diverge, leave, stop-start, settings, grid-reload, pool,
// compile-fallback, no-simd, dead-worker, lan.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  root, SMALL, LONG, log, results, check, assert, finish, workerTargets, workerMemory, within, drawOne, padInk,
} from '../harness.mjs';
import { startServer } from '../server.mjs';
import { launchChromium } from '../chromium.mjs';

// A grid whose first cell (n = 100, k = 10, 50, 250, classic augmentation)
// takes about 20 s on two busy cores.
const GRID = 'n=100&aug=classic&control=0&k=10&seed=1&preset=quick&epochs=1&steps=10&eval=5&patience=1&val=50&test=50&batch=16&vaebatch=32';

const LAN_HOST = 'vaeaug-lan.test';
const only = (process.env.E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);

// step runs check name unless E2E_ONLY leaves its id out.
async function step(id, name, fn) {
  if (only.length && !only.includes(id)) return;
  await check(name, fn);
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
    ctx = await launchChromium(path.join(tmp, 'profile'), {
      args: [
        // A name for the loopback server that is not a secure context, as
        // a classroom's http://192.168.…:8080 is not (check "lan").
        `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`,
        // A page left for another origin must not live on, with its
        // workers, in the back/forward cache: checks count workers.
        '--disable-features=BackForwardCache'],
      viewport: { width: 1400, height: 1000 },
    });
    const page = ctx.pages()[0] || (await ctx.newPage());
    // Record the type of every message the page posts to a worker, so that a
    // check can tell that no run was started.
    await page.addInitScript(() => {
      const post = Worker.prototype.postMessage;
      window.testPosted = [];
      Worker.prototype.postMessage = function (...args) {
        window.testPosted.push(args[0] && args[0].type);
        return post.apply(this, args);
      };
    });
    const problems = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push('console error: ' + m.text());
    });

    let firstRun = null;
    await step('small-run', 'a small run from the URL finishes with the accuracy shown', async () => {
      const t0 = Date.now();
      await page.goto(`${server.base}/?${SMALL}&autorun=1`);
      const s = await waitState(page, ['done', 'error'], 600000);
      const status = await page.textContent('#status');
      assert(s === 'done', `state is ${s}: ${status} ${await page.textContent('#form-error')}`);
      const info = await page.evaluate(() => ({
        results: window.vaeaug.results,
        timing: window.vaeaug.timing,
        last: window.vaeaug.lastTiming,
        prepared: window.vaeaug.loadInfo && window.vaeaug.loadInfo.prepared,
        shown: [...document.querySelectorAll('#result-body .big .acc')].map((e) => ({
          arm: e.dataset.arm, text: e.textContent, acc: Number(e.dataset.acc) })),
      }));
      assert(info.results.length === 1, `window.vaeaug.results has ${info.results.length} runs, want 1`);
      // On loopback (a secure context) the worker script downloads, hashes
      // and unpacks MNIST while the wasm compiles.
      assert(info.prepared === true, 'the MNIST files were not prepared by the worker script');
      firstRun = info.results[0];
      // The products ran on the SIMD128 kernels (gen/simd.wasm through
      // static/simd-imports.js), and the page says nothing of their absence.
      const simd = await page.evaluate(() => ({
        on: window.vaeaug.trainer.simd, noticeHidden: document.getElementById('no-simd').hidden }));
      assert(simd.on === true && simd.noticeHidden, 'SIMD kernels: ' + JSON.stringify(simd));
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
      // A VAE of a few epochs that hurts is explained (this one: 2 epochs).
      const why = (await page.textContent('#result-body')).includes('This VAE trained for 2 epochs');
      assert(why === (aug.test_acc < base.test_acc),
        `VAE arm ${aug.test_acc}, baseline ${base.test_acc}: the short-VAE explanation is ${why ? '' : 'not '}shown`);
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

    await step('samples', 'the sample canvases are not blank', async () => {
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

    await step('pictures', 'after a run: reconstructions, a latent walk and test digits show, and the drawing pad gets both classifiers\' answers', async () => {
      // They follow the run from the primary worker, the test digits last.
      await page.waitForFunction(() => document.querySelectorAll('#testpreds canvas').length === 16, null, { timeout: 20000 });
      const pics = await page.evaluate(() => {
        // A canvas of one colour throughout shows nothing.
        const blank = (cv) => {
          const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
          for (let i = 4; i < px.length; i += 4) {
            if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2] || px[i + 3] !== px[3]) return false;
          }
          return true;
        };
        const caps = [...document.querySelectorAll('#testpreds figcaption')].map((f) => f.textContent);
        return {
          recon: blank(document.getElementById('recon')),
          walk: blank(document.getElementById('walk')),
          blankDigits: [...document.querySelectorAll('#testpreds canvas')].filter(blank).length,
          caps,
        };
      });
      log('  pictures: ' + JSON.stringify({ ...pics, caps: pics.caps.slice(0, 3) }));
      assert(!pics.recon && !pics.walk, `blank pictures: reconstructions ${pics.recon}, walk ${pics.walk}`);
      assert(pics.blankDigits === 0, `${pics.blankDigits} of 16 test digits are blank`);
      // Each test digit carries the baseline's and the augmented classifier's
      // prediction, each right (✓) or wrong (✗).
      assert(pics.caps.every((c) => /^B\d[✓✗] A\d[✓✗]$/.test(c)), 'test digit captions: ' + JSON.stringify(pics.caps));

      await drawOne(page);
      await page.waitForFunction(() => document.querySelectorAll('#pad-out .padguess').length === 2, null, { timeout: 15000 });
      const out = await page.$$eval('#pad-out .padhead', (ps) => ps.map((p) => p.textContent));
      log('  pad: ' + JSON.stringify(out));
      assert(out.length === 2 && /^Baseline: \d/.test(out[0]) && /^Augmented: \d/.test(out[1]), 'pad answers: ' + JSON.stringify(out));
      const bars = await page.$$eval('#pad-out .padpred', (ps) => ps.map((p) => p.querySelectorAll('.prob').length));
      assert(bars.join() === '10,10', 'probability rows per classifier: ' + bars.join());

      await page.click('#pad-clear');
      const cleared = await page.evaluate(() => document.getElementById('pad-out').children.length);
      assert(cleared === 0, `Clear left ${cleared} answers`);
      await page.click('#pad-test');
      await page.waitForFunction(() => document.querySelectorAll('#pad-out .padguess').length === 2, null, { timeout: 15000 });
      const ink = await padInk(page);
      assert(ink > 100, `"Use a test digit" left the pad blank (${ink} light pixels)`);
    });

    await step('reload', 'a reload keeps the results (IndexedDB)', async () => {
      await page.reload();
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.results.length > 0, null, { timeout: 15000 });
      const after = await page.evaluate(() => ({ results: window.vaeaug.results, state: document.body.dataset.state }));
      assert(after.results.length === 1, `after reload ${after.results.length} runs`);
      assert(JSON.stringify(after.results[0].arms) === JSON.stringify(firstRun.arms), 'the reloaded run differs');
      assert(after.state === 'idle', `after reload the state is ${after.state} (autorun must not rerun)`);
      const shown = await page.$$eval('#result-body .big .acc', (es) => es.map((e) => e.textContent));
      const base = firstRun.arms.find((a) => a.arm === 'baseline');
      assert(shown.includes((base.test_acc * 100).toFixed(1) + '%'), 'the reloaded page does not show the accuracy');
      // The run's samples and models come back from IndexedDB: the sample
      // picker, and test digits predicted by both kept classifiers.
      await page.waitForFunction(() => document.querySelectorAll('#testpreds canvas').length === 16, null, { timeout: 20000 });
      const back = await page.evaluate(() => ({
        options: document.getElementById('samples-pick').options.length,
        caps: [...document.querySelectorAll('#testpreds figcaption')].map((f) => f.textContent),
      }));
      assert(back.options > 0, 'after reload the sample picker is empty');
      assert(back.caps.every((c) => /^B\d[✓✗] A\d[✓✗]$/.test(c)), 'after reload, test digit captions: ' + JSON.stringify(back.caps));
    });

    await step('stop', 'stop works mid-run', async () => {
      await page.goto(`${server.base}/?${LONG}`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 30000 });
      const before = await page.evaluate(() => window.vaeaug.results.length);
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
      assert(n === before, `a stopped run must not be added to the results (have ${n}, had ${before})`);
    });

    // untilScored starts a run on one worker and returns, with the number
    // of results listed before it, once its baseline (20 steps) is scored;
    // the VAE then trains for 400 epochs, long enough to be interrupted.
    const untilScored = async (seed) => {
      const q = `n=20&aug=vae&k=2&seed=${seed}&preset=quick&epochs=400&steps=20&eval=10&patience=2&val=100&test=200&batch=16&vaebatch=16&workers=1`;
      await page.goto(`${server.base}/?${q}`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 30000 });
      const before = await page.evaluate(() => window.vaeaug.results.length);
      await page.goto(`${server.base}/?${q}&autorun=1`);
      await waitState(page, ['running'], 10000);
      await page.waitForFunction(() => window.vaeaug.run && window.vaeaug.run.arms.length === 1, null, { timeout: 120000, polling: 100 });
      return before;
    };

    await step('stop-keeps', 'Stop keeps the classifiers a run had scored, marked stopped, across a reload', async () => {
      const before = await untilScored(1);
      await page.click('#stop');
      await waitState(page, ['idle'], 5000);
      const seen = () => page.evaluate(() => ({
        results: window.vaeaug.results,
        status: document.getElementById('status').textContent,
        note: (document.querySelector('#result-body .stopped') || {}).textContent || '',
        marked: [...document.querySelectorAll('#table td')].filter((td) => td.textContent.endsWith('(stopped)')).length,
      }));
      const r = await seen();
      log('  ' + r.status);
      assert(r.results.length === before + 1, `${r.results.length} results after Stop, had ${before}`);
      const last = r.results.at(-1);
      assert(last.stopped === true && last.arms.length === 1 && last.arms[0].arm === 'baseline' && last.arms[0].test_acc > 0,
        'the kept run: ' + JSON.stringify({ stopped: last.stopped, arms: last.arms.map((a) => [a.arm, a.test_acc]) }));
      assert(/classifier already scored is kept/.test(r.status), 'status after Stop: ' + r.status);
      assert(/stopped/.test(r.note) && r.marked === 1, `the result says stopped: ${JSON.stringify(r.note)}, table marks ${r.marked}`);
      await page.reload();
      await page.waitForFunction((n) => window.vaeaug && window.vaeaug.results.length === n, before + 1, { timeout: 15000 });
      const back = await seen();
      assert(JSON.stringify(back.results.at(-1)) === JSON.stringify(last), 'the stopped run differs after a reload');
    });

    await step('dead-keeps', 'a trainer that dies mid-run keeps the classifiers the run had scored, marked stopped', async () => {
      // As stop-keeps, but the worker dies (as a crash or an out-of-memory
      // would) once the baseline is scored.
      const before = await untilScored(2);
      await page.evaluate(() => window.vaeaug.trainer.die(window.vaeaug.trainer.worker, 'killed by the test.'));
      const r = await page.evaluate(() => ({
        results: window.vaeaug.results,
        state: document.body.dataset.state,
        msg: document.getElementById('dead-msg').textContent,
        marked: [...document.querySelectorAll('#table td')].filter((td) => td.textContent.endsWith('(stopped)')).length,
      }));
      log('  ' + r.msg);
      assert(r.state === 'error', 'state after the kill: ' + r.state);
      assert(r.results.length === before + 1, `${r.results.length} results after the kill, had ${before}`);
      const last = r.results.at(-1);
      assert(last.stopped === true && last.arms.length === 1 && last.arms[0].arm === 'baseline' && last.arms[0].test_acc > 0,
        'the kept run: ' + JSON.stringify({ stopped: last.stopped, arms: last.arms.map((a) => [a.arm, a.test_acc]) }));
      assert(/classifier it had already scored is kept/.test(r.msg) && r.marked >= 1, 'the death notice: ' + r.msg);
      await page.click('#restart');
      await page.waitForFunction(() => window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
      await page.reload();
      await page.waitForFunction((n) => window.vaeaug && window.vaeaug.results.length === n, before + 1, { timeout: 15000 });
      const back = await page.evaluate(() => window.vaeaug.results.at(-1));
      assert(JSON.stringify(back) === JSON.stringify(last), 'the kept run differs after a reload');
    });

    await step('bad-setting', 'a bad setting is refused next to its field and nothing starts', async () => {
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
      // Over the memory ceiling (issue 6): refused up front, next to the
      // setting whose change saves the most, for a run from the URL and for
      // a grid (checked as its n = 800 cell) from the form.
      await page.goto(`${server.base}/?n=800&aug=vae&k=250&batch=512&autorun=1`);
      await page.waitForFunction(() => document.getElementById('err-batch').textContent !== '', null, { timeout: 10000 });
      await page.waitForTimeout(500);
      const mem = await page.evaluate(() => ({
        err: document.getElementById('err-batch').textContent, state: document.body.dataset.state,
        posted: window.testPosted,
      }));
      assert(/ceiling/.test(mem.err) && /MiB/.test(mem.err), 'error next to batch: ' + mem.err);
      assert(mem.state === 'idle' && !mem.posted.includes('start'), `a run over the ceiling started: state ${mem.state}`);
      await page.goto(`${server.base}/?n=100&aug=vae&k=10&batch=500`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 30000 });
      await page.evaluate(() => { window.testPosted = []; });
      await page.click('#grid');
      await page.waitForTimeout(500);
      const grid = await page.evaluate(() => ({
        err: document.getElementById('err-batch').textContent, state: document.body.dataset.state,
        posted: window.testPosted,
      }));
      assert(/ceiling/.test(grid.err), 'a grid whose n = 800 cell is over the ceiling: error next to batch: ' + grid.err);
      assert(grid.state === 'idle' && !grid.posted.includes('start'), `the grid started: state ${grid.state}`);
    });

    await step('diverge', 'a run that diverges (learning rate 10) stops with a message naming the stage, and no result is kept', async () => {
      await page.goto(`${server.base}/?${SMALL}`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 30000 });
      const before = await page.evaluate(() => window.vaeaug.results.length);
      await page.goto(`${server.base}/?${SMALL}&lr=10&autorun=1`);
      const s = await waitState(page, ['done', 'error'], 300000);
      const r = await page.evaluate(() => ({
        error: document.getElementById('form-error').textContent,
        status: document.getElementById('status').textContent,
        results: window.vaeaug.results.length,
        dead: !document.getElementById('dead').hidden,
      }));
      log(`  state ${s}; ${r.error}`);
      assert(s === 'error', `the run ended in state ${s} (status "${r.status}"), not with an error`);
      for (const want of ['train classifier (', 'diverged', 'learning rate 10']) {
        assert(r.error.includes(want), `the message lacks "${want}": ${r.error}`);
      }
      assert(!r.dead, 'the trainer was reported dead: a diverged run is an error of the run, not of the worker');
      assert(r.results === before, `a diverged run was kept (${r.results} results, had ${before})`);
      // The trainer is still usable: the same settings at the article's rate run.
      await page.fill('#f-lr', '0.0002');
      await page.click('#start');
      const s2 = await waitState(page, ['done', 'error'], 300000);
      assert(s2 === 'done', `after the diverged run, a good one ended in state ${s2}: ${await page.textContent('#form-error')}`);
    });

    await step('leave', 'leaving mid-run asks first; leaving when nothing runs does not', async () => {
      const dialogs = [];
      const onDialog = (d) => {
        dialogs.push(d.type());
        d.accept();
      };
      page.on('dialog', onDialog);
      try {
        await page.goto(`${server.base}/?${LONG}&workers=1`);
        await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
        // A click: Chromium asks before leaving only a page the user has
        // interacted with.
        await page.click('#start');
        assert((await waitState(page, ['running'], 10000)) === 'running', 'the run did not start');
        await page.reload();
        await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 60000 });
        assert(dialogs.join() === 'beforeunload', 'dialogs on leaving mid-run: ' + JSON.stringify(dialogs));
        assert((await state(page)) === 'idle', `after leaving, the state is ${await state(page)}`);
        await page.click('#budgets summary');
        await page.reload();
        await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 60000 });
        assert(dialogs.length === 1, 'dialogs on leaving an idle page: ' + JSON.stringify(dialogs.slice(1)));
      } finally {
        page.off('dialog', onDialog);
      }
    });

    await step('stop-start', 'stop, then start again: one worker, no doubled or backward progress, memory flat from one start and stop to the next', async () => {
      // One worker (no pool), so that every event of a cycle is one run's
      // and the memory is one worker's; the check "pool" stops a pool.
      await page.goto(`${server.base}/?${LONG}&workers=1`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
      const cdp = await ctx.newCDPSession(page);
      try {
        const idle = await workerMemory(cdp);
        assert(idle.length === 1 && page.workers().length === 1,
          `before any run: ${page.workers().length} workers (page), ${idle.length} (DevTools)`);
        // Record every event the page receives and, every 50 ms, the active
        // stage's progress bar.
        await page.evaluate(() => {
          const app = window.vaeaug;
          app.testEvents = [];
          app.testBars = [];
          const t = app.trainer;
          const orig = t.onEvent;
          t.onEvent = (m) => {
            app.testEvents.push({ type: m.type, runId: m.runId || 0, id: m.id || 0, stage: m.stage, arm: m.arm, k: m.k,
              level: m.level, done: m.done, loss: m.loss, valAcc: m.valAcc });
            orig(m);
          };
          app.testSampler = setInterval(() => {
            const li = document.querySelector('#stages .stage.active');
            if (li && app.run) app.testBars.push([app.run.parts[0].runId, li.querySelector('.name').textContent, li.querySelector('progress').value]);
          }, 50);
        });
        const cycles = [];
        // At least three cycles; then more (at most eight) until Go's linear
        // memory, which only grows, stays the same over a whole cycle.
        const flat = () => cycles.length >= 2 && cycles.at(-1).mem[0].wasm[0] === cycles.at(-2).mem[0].wasm[0];
        for (let i = 0; i < 8 && (i < 3 || !flat()); i++) {
          const from = await page.evaluate(() => window.vaeaug.testEvents.length);
          await page.click('#start');
          await page.waitForFunction((f) => window.vaeaug.testEvents.slice(f)
            .filter((e) => e.type === 'progress' && e.stage === 'train classifier').length >= 5, from, { timeout: 120000, polling: 100 });
          await page.waitForTimeout(500);
          const running = { page: page.workers().length, devtools: (await workerTargets(cdp)).length };
          const t = Date.now();
          await page.click('#stop');
          await waitState(page, ['idle'], 5000);
          const stopSeconds = (Date.now() - t) / 1000;
          const restarted = /restarted/.test(await page.textContent('#status'));
          if (restarted) {
            await page.waitForFunction(() => window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
          }
          await page.waitForTimeout(500);
          const mem = await workerMemory(cdp);
          cycles.push({ from, running, stopSeconds, restarted, workers: page.workers().length, mem });
        }
        const ev = await page.evaluate(() => window.vaeaug.testEvents);
        const bars = await page.evaluate(() => {
          clearInterval(window.vaeaug.testSampler);
          return window.vaeaug.testBars;
        });
        const mib = (b) => (b / 1048576).toFixed(1);
        log(`  wasm memory (MiB) idle ${mib(idle[0].wasm[0])}, after each stop: ` +
          cycles.map((c) => c.mem.map((m) => mib(m.wasm[0])).join('+') + (c.restarted ? ' (worker restarted)' : '')).join(', ') +
          `; worker JS heap (MiB) idle ${mib(idle[0].heap)}, after each stop: ${cycles.map((c) => c.mem.map((m) => mib(m.heap)).join('+')).join(', ')}` +
          `; stop took ${cycles.map((c) => c.stopSeconds.toFixed(2)).join(', ')} s; ${ev.length} events`);
        const runIds = [];
        cycles.forEach((c, i) => {
          const seg = ev.slice(c.from, i + 1 < cycles.length ? cycles[i + 1].from : ev.length);
          const started = seg.filter((e) => e.type === 'started');
          assert(started.length === 1, `cycle ${i + 1}: ${started.length} started events`);
          const runId = started[0].runId;
          runIds.push(runId);
          assert(c.running.page === 1 && c.running.devtools === 1, `cycle ${i + 1}: ${JSON.stringify(c.running)} workers while running`);
          assert(c.workers === 1 && c.mem.length === 1, `cycle ${i + 1}: after Stop ${c.workers} workers (page), ${c.mem.length} (DevTools)`);
          const prog = seg.filter((e) => e.type === 'progress' && e.stage !== 'load data');
          const foreign = prog.filter((e) => e.runId !== runId);
          assert(!foreign.length, `cycle ${i + 1}: ${foreign.length} progress events of another run (${foreign[0] && foreign[0].runId}) during run ${runId}`);
          assert(!seg.some((e) => e.type === 'result' || e.type === 'armDone'), `cycle ${i + 1}: the stopped run reported a result`);
          const stopAt = seg.findIndex((e) => e.type === 'stopped');
          assert(c.restarted || stopAt >= 0, `cycle ${i + 1}: no stopped event and no restart`);
          if (stopAt >= 0) {
            const late = seg.slice(stopAt + 1).filter((e) => e.runId === runId);
            assert(!late.length, `cycle ${i + 1}: ${late.length} events of run ${runId} after it stopped`);
          }
          const last = new Map();
          for (const e of prog) {
            const key = `${e.stage}|${e.arm}|${e.k}|${e.level}`;
            const p = last.get(key);
            if (p) {
              assert(e.done >= p.done, `cycle ${i + 1}: ${key} went back from ${p.done} to ${e.done}`);
              assert(!(e.done === p.done && e.loss === p.loss && e.valAcc === p.valAcc),
                `cycle ${i + 1}: ${key} step ${e.done} reported twice`);
            }
            last.set(key, e);
          }
          const steps = prog.filter((e) => e.stage === 'train classifier').map((e) => e.done);
          assert(steps.length >= 5, `cycle ${i + 1}: ${steps.length} classifier progress events`);
        });
        assert(new Set(runIds).size === runIds.length, 'runs reused an id: ' + runIds);
        const posted = await page.evaluate(() => window.testPosted);
        const count = (t) => posted.filter((x) => x === t).length;
        assert(count('start') === cycles.length && count('stop') === cycles.length, `the page posted ${count('start')} starts and ${count('stop')} stops`);
        const seen = new Map();
        for (const [runId, name, value] of bars) {
          const key = runId + '|' + name;
          assert(!seen.has(key) || value >= seen.get(key), `the progress bar of ${name} (run ${runId}) went back from ${seen.get(key)} to ${value}`);
          seen.set(key, value);
        }
        assert(bars.length > 20, `only ${bars.length} samples of the progress bars`);
        // Go's linear memory only grows (a stopped run's garbage is reused,
        // never returned): once the heap has its head room it must stay flat
        // from one start and stop to the next; a leaked run would keep it
        // growing. The worker's JS heap must stay at its idle level.
        assert(flat(), `wasm memory still grows after ${cycles.length} start/stop cycles: ` +
          cycles.map((c) => mib(c.mem[0].wasm[0])).join(', ') + ' MiB');
        for (const [i, c] of cycles.entries()) {
          const m = c.mem[0];
          assert(m.wasm.length === 1, `cycle ${i + 1}: ${m.wasm.length} wasm memories in the worker`);
          assert(m.heap <= idle[0].heap * 1.5 + 4 * 1048576, `the worker's JS heap grew from ${mib(idle[0].heap)} to ${mib(m.heap)} MiB in cycle ${i + 1}`);
        }
      } finally {
        await within(cdp.detach(), 20000, 'CDPSession.detach').catch(() => {});
      }
    });

    await step('settings', 'every setting refuses bad values, in the URL and in the form, next to its field', async () => {
      const HUGE = '1' + '0'.repeat(99);
      const COMMON = ['', '-5', 'abc', '1e99', HUGE, '12.5'];
      // Out of range, below and above (then others), per field.
      const RANGE = {
        n: ['0', '5', '6010'], k: ['0', '1001', '10,0'], epochs: ['0', '10001'], levels: ['0', '10001', '4,2'],
        steps: ['0', '1000001'], eval: ['0', '100001'], patience: ['0', '1001'], val: ['9', '5001'],
        test: ['9', '10001'], batch: ['0', '1025'], vaebatch: ['0', '1025'], seed: ['0', '4294967296'],
        lr: ['0', '1001', '-1e-4', '0x10'], vaelr: ['0', '1001', '1e4', 'NaN'],
      };
      // Learning rates are not whole numbers: 12.5 is a valid one.
      const FLOATS = ['lr', 'vaelr'];
      const SELECTS = { aug: ['', 'gan', '1e99', '-1'], control: ['', '2', 'yes', '-1'] };
      const table = [];
      for (const [key, vals] of Object.entries(RANGE)) {
        for (const v of [...COMMON, ...vals]) {
          if (!(key === 'levels' && v === '') && !(FLOATS.includes(key) && v === '12.5')) table.push([key, v]);
        }
      }
      for (const [key, vals] of Object.entries(SELECTS)) for (const v of vals) table.push([key, v]);
      const keys = [...Object.keys(RANGE), ...Object.keys(SELECTS)];
      const problemsBefore = problems.length;
      let crashed = false;
      const onCrash = () => { crashed = true; };
      page.on('crash', onCrash);
      const look = (ks) => page.evaluate((ks) => ({
        errs: Object.fromEntries(ks.map((k) => {
          const e = document.getElementById('err-' + k);
          const r = e.getBoundingClientRect();
          return [k, { text: e.textContent, shown: r.width > 0 && r.height > 0,
            invalid: document.getElementById('field-' + k).classList.contains('invalid') }];
        })),
        state: document.body.dataset.state,
        run: window.vaeaug.run,
        posted: window.testPosted,
        status: document.getElementById('status').textContent,
      }), ks);
      const refused = (r, ks, what) => {
        for (const k of ks) {
          const e = r.errs[k];
          assert(e.text && e.shown && e.invalid, `${what}: no reason shown next to ${k}: ${JSON.stringify(e)}`);
        }
        assert(r.state === 'idle' && r.run === null, `${what}: a run started (state ${r.state})`);
        assert(!r.posted.includes('start'), `${what}: a start message went to the worker`);
        // The status line says "Not started: …" until the data loading
        // (which a refused run does not stop) writes its own news there.
        assert(!/Training|then training|Generating|Scoring/.test(r.status), `${what}: status "${r.status}"`);
      };
      // In the URL with autorun: every field on its own (cycling through its
      // bad values), then each kind of bad value in every field at once.
      const urlCases = keys.map((k, i) => {
        const vals = table.filter(([kk]) => kk === k).map(([, v]) => v);
        return [{ [k]: vals[i % vals.length] }];
      }).flat();
      const kinds = ['', '-5', 'abc', '1e99', HUGE, '99999999999', (k) => RANGE[k][0], (k) => RANGE[k][1]];
      kinds.forEach((kind, j) => {
        const all = {};
        for (const k of keys) {
          const v = SELECTS[k] ? SELECTS[k][j % SELECTS[k].length] : typeof kind === 'function' ? kind(k) : kind;
          if (!(k === 'levels' && v === '')) all[k] = v;
        }
        urlCases.push(all);
      });
      for (const bad of urlCases) {
        const q = new URLSearchParams({ preset: 'quick', ...bad, autorun: '1' });
        const ks = Object.keys(bad);
        await page.goto(`${server.base}/?${q}`);
        await page.waitForFunction((ks) => window.vaeaug && ks.every((k) => document.getElementById('err-' + k).textContent !== ''),
          ks, { timeout: 10000 }).catch(() => {});
        await page.waitForTimeout(150);
        refused(await look(ks), ks, 'URL ' + q);
      }
      // In the form: type each bad value, press Start, then put the good one
      // back (its reason must go).
      await page.goto(`${server.base}/?${SMALL}`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 30000 });
      await page.evaluate(() => { document.getElementById('budgets').open = true; });
      for (const [key, v] of table) {
        const good = await page.inputValue('#f-' + key);
        await page.evaluate(() => { window.testPosted = []; });
        if (SELECTS[key]) {
          // A select cannot hold a value it does not offer: the nearest a
          // user (or a script) gets is no choice at all.
          await page.evaluate(([k, val]) => {
            const s = document.getElementById('f-' + k);
            s.value = val;
            s.dispatchEvent(new Event('change'));
          }, [key, v]);
        } else {
          await page.fill('#f-' + key, v);
        }
        await page.click('#start');
        refused(await look([key]), [key], `form ${key} = ${JSON.stringify(v)}`);
        if (SELECTS[key]) await page.selectOption('#f-' + key, good);
        else await page.fill('#f-' + key, good);
        const fixed = await look([key]);
        assert(!fixed.errs[key].text && !fixed.errs[key].invalid, `form ${key}: the reason stays after the fix: ${fixed.errs[key].text}`);
      }
      await page.waitForTimeout(500);
      const end = await look(keys);
      assert(end.state === 'idle' && end.run === null && !end.posted.includes('start'), 'a run started after all: ' + end.state);
      page.off('crash', onCrash);
      assert(!crashed, 'the page crashed');
      assert(problems.length === problemsBefore, 'console errors: ' + problems.slice(problemsBefore).join('\n'));
      log(`  ${urlCases.length} URLs and ${table.length} typed values over ${keys.length} fields refused`);
    });

    await step('grid-reload', 'a reload mid-grid keeps the finished runs and the grid resumes from the next one', async () => {
      // One worker, so that the cells run one after the other in the
      // grid's order (the pool runs the largest first, at once).
      await page.goto(`${server.base}/?${GRID}&workers=1`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
      const before = await page.evaluate(() => window.vaeaug.results.map((r) => r.id));
      await page.click('#grid');
      await waitState(page, ['running'], 10000);
      const gridId = await page.evaluate(() => window.vaeaug.grid && window.vaeaug.grid.id);
      assert(gridId, 'the grid has no saved plan');
      const gridRuns = () => page.evaluate((id) => window.vaeaug.results.filter((r) => r.grid && r.grid.id === id)
        .map((r) => ({ id: r.id, n: r.n, cell: r.grid.cell })), gridId);
      // The first cell is finished (and stored), the second is training.
      await page.waitForFunction(() => window.vaeaug.run && window.vaeaug.run.label.startsWith('Grid 2/4') &&
        window.vaeaug.run.firstStepAt > 0, null, { timeout: 300000, polling: 200 });
      const mid = await gridRuns();
      assert(mid.length === 1 && mid[0].n === 100 && mid[0].cell === 0, 'finished grid runs: ' + JSON.stringify(mid));
      await page.reload();
      await page.waitForFunction(() => window.vaeaug && !document.getElementById('resume-grid').hidden, null, { timeout: 15000 });
      const after = await page.evaluate(() => ({
        state: document.body.dataset.state,
        ids: window.vaeaug.results.map((r) => r.id),
        rows: document.querySelectorAll('#table tbody tr.run-first').length,
        button: document.getElementById('resume-grid').textContent,
      }));
      assert(after.state === 'idle', 'state after the reload: ' + after.state);
      assert(JSON.stringify(after.ids) === JSON.stringify([...before, mid[0].id]),
        `runs after the reload: ${JSON.stringify(after.ids)}; before the grid ${JSON.stringify(before)}, the grid's ${mid[0].id}`);
      assert(after.rows === after.ids.length, `the table lists ${after.rows} of ${after.ids.length} runs`);
      assert(after.button === 'Resume grid (1 of 4 runs done)', 'button: ' + after.button);
      await page.click('#resume-grid');
      await waitState(page, ['running'], 10000);
      const resumed = await page.evaluate(() => ({ label: window.vaeaug.run.label, n: window.vaeaug.run.config.n,
        cell: window.vaeaug.run.grid && window.vaeaug.run.grid.cell }));
      assert(resumed.label === 'Grid 2/4 (n=200)' && resumed.n === 200 && resumed.cell === 1,
        'the grid resumed with ' + JSON.stringify(resumed));
      // Let the second cell finish: the grid goes on with the third.
      await page.waitForFunction(() => window.vaeaug.run && window.vaeaug.run.label.startsWith('Grid 3/4'),
        null, { timeout: 300000, polling: 200 });
      const end = await gridRuns();
      assert(JSON.stringify(end.map((r) => [r.cell, r.n])) === '[[0,100],[1,200]]', 'grid runs: ' + JSON.stringify(end));
      assert(end[0].id === mid[0].id, 'the first cell was replaced');
      const total = await page.evaluate(() => window.vaeaug.results.length);
      assert(total === before.length + 2, `${total} runs, want ${before.length} + 2`);
      await page.click('#stop');
      await waitState(page, ['idle'], 5000);
      const button = await page.textContent('#resume-grid');
      assert(button === 'Resume grid (2 of 4 runs done)' && await page.isVisible('#resume-grid'), 'after Stop: ' + button);
      // The end of a grid, without running n = 400 and 800: cut the saved
      // plan to three cells, the last one tiny, and resume after a reload.
      await page.evaluate(() => {
        const g = JSON.parse(localStorage.getItem('vaeaug.grid'));
        const c = g.cells[2];
        Object.assign(c.config, { n: 20, k: [2] });
        Object.assign(c.raw, { n: '20', k: '2' });
        c.label = 'Grid 3/3 (n=20)';
        g.cells = g.cells.slice(0, 3);
        localStorage.setItem('vaeaug.grid', JSON.stringify(g));
      });
      await page.reload();
      await page.waitForFunction(() => window.vaeaug && !document.getElementById('resume-grid').hidden, null, { timeout: 15000 });
      assert(await page.textContent('#resume-grid') === 'Resume grid (2 of 3 runs done)', 'button: ' + await page.textContent('#resume-grid'));
      await page.click('#resume-grid');
      const s = await waitState(page, ['done', 'error'], 300000);
      assert(s === 'done', 'the last cell ended in ' + s + ': ' + await page.textContent('#status'));
      const fin = await gridRuns();
      assert(JSON.stringify(fin.map((r) => [r.cell, r.n])) === '[[0,100],[1,200],[2,20]]', 'grid runs: ' + JSON.stringify(fin));
      const left = await page.evaluate(() => ({ plan: localStorage.getItem('vaeaug.grid'), hidden: document.getElementById('resume-grid').hidden }));
      assert(left.plan === null && left.hidden, 'a finished grid is still offered: ' + JSON.stringify(left));
    });

    await step('pool', 'two workers: a run split between them and runs side by side score exactly as one worker does; the helper ends when done and on Stop', async () => {
      const finished = async (url) => {
        await page.goto(url);
        const s = await waitState(page, ['done', 'error'], 600000);
        assert(s === 'done', `${url}: state ${s}: ${await page.textContent('#status')}`);
        await page.waitForFunction(() => !window.vaeaug.keeping, null, { timeout: 30000 });
        return page.evaluate(() => ({ results: window.vaeaug.results, maxBusy: window.vaeaug.pool.maxBusy,
          last: window.vaeaug.lastTiming }));
      };
      const strip = (arms) => JSON.stringify(arms.map((a) => ({ ...a, seconds: 0 })));
      // The helpers the pool still holds, once they are gone from the page
      // too (Playwright hears of a worker's end a little after it).
      const helpersLeft = async () => {
        await page.waitForFunction(() => window.vaeaug.pool.helpers.length === 0, null, { timeout: 10000 }).catch(() => {});
        for (let i = 0; i < 50 && page.workers().length > 1; i++) await page.waitForTimeout(100);
        return { pool: await page.evaluate(() => window.vaeaug.pool.helpers.length), page: page.workers().length - 1 };
      };
      // Two VAE levels, so that two workers split the run by level: the
      // last level's arms on one, the rest on the other (pool.js splitRun).
      const q = `${SMALL}&levels=1,2`;
      const one = await finished(`${server.base}/?${q}&workers=1&autorun=1`);
      const ref = one.results.at(-1);
      assert(one.maxBusy === 1 && !ref.workers, `one worker: ${one.maxBusy} busy, result workers ${ref.workers}`);
      // The same run on two workers.
      const two = await finished(`${server.base}/?${q}&workers=2&autorun=1`);
      const split = two.results.at(-1);
      assert(two.maxBusy === 2 && split.workers === 2, `two workers: ${two.maxBusy} busy, result workers ${split.workers}`);
      const parts = await page.evaluate(() => window.vaeaug.run.parts.map((p) => ({ echo: p.echo, levels: p.config.levels || null })));
      assert(JSON.stringify(parts) === '[{"echo":false,"levels":[1]},{"echo":true,"levels":null}]', 'not split by level: ' + JSON.stringify(parts));
      assert(strip(split.arms) === strip(ref.arms), `the split run scored differently:\n${strip(split.arms)}\nagainst\n${strip(ref.arms)}`);
      assert(JSON.stringify(split.snapshots) === JSON.stringify(ref.snapshots), 'the VAE snapshots differ');
      const afterRun = await helpersLeft();
      assert(afterRun.pool === 0 && afterRun.page === 0, `helpers left after the run (they should end): ${JSON.stringify(afterRun)}`);
      // The drawing pad's models: the baseline trained in the helper is in
      // the primary now, beside the augmented classifier.
      const pred = await page.evaluate(() => window.vaeaug.trainer.request('predict', { offset: 0, count: 4 })
        .then((r) => ({ base: r.baselineArm, aug: r.augmentedArm })));
      const base = split.arms.find((a) => a.arm === 'baseline');
      assert(pred.base && pred.aug && pred.base.testAcc === base.test_acc,
        `the primary serves ${JSON.stringify(pred)}; the run's baseline scored ${base.test_acc}`);
      // ... and the augmented classifier one worker keeps: the best by
      // validation accuracy, the first of a tie, whichever part trained it.
      const best = split.arms.filter((a) => a.arm !== 'baseline' && a.arm !== 'step-matched')
        .reduce((b, a) => (!b || a.val_acc > b.val_acc ? a : b), null);
      assert(pred.aug.arm === best.arm && pred.aug.k === best.k && pred.aug.level === best.vae_level && pred.aug.testAcc === best.test_acc,
        `the primary serves the augmented ${JSON.stringify(pred.aug)}; the run's best is ${JSON.stringify(best)}`);
      // Independent runs side by side: seed 1 as above, seed 2 beside it.
      await page.goto(`${server.base}/?${q}&workers=2`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
      const n0 = await page.evaluate(() => window.vaeaug.results.length);
      assert(await page.evaluate(() => window.vaeaug.runSeeds([1, 2])), 'runSeeds refused the form');
      const s = await waitState(page, ['done', 'error'], 600000);
      assert(s === 'done', 'two seeds: ' + await page.textContent('#status'));
      const pair = await page.evaluate((n0) => ({ results: window.vaeaug.results.slice(n0), maxBusy: window.vaeaug.pool.maxBusy }), n0);
      assert(pair.results.length === 2 && pair.maxBusy === 2, `two seeds: ${pair.results.length} results, ${pair.maxBusy} busy`);
      const s1 = pair.results.find((r) => r.seed === 1);
      assert(s1 && strip(s1.arms) === strip(ref.arms), 'seed 1 beside seed 2 scored differently from seed 1 alone');
      // Stop with both workers busy: both stop, the helper ends.
      let wasmFetches = 0;
      const countWasm = (r) => { if (new URL(r.url()).pathname === '/gen/vaeaug.wasm') wasmFetches++; };
      page.on('request', countWasm);
      await page.goto(`${server.base}/?${LONG}&workers=2&autorun=1`);
      await page.waitForFunction(() => window.vaeaug.pool.busy().length === 2 && window.vaeaug.timing.firstStep > 0,
        null, { timeout: 120000, polling: 100 });
      // The page fetched (and compiled) the trainer once and posted it to
      // both workers; the helper booted only once the primary had made its
      // first step (or, if that is slow, a while after its data loaded).
      page.off('request', countWasm);
      const boot = await page.evaluate(() => ({ modules: window.testPosted.filter((t) => t === 'module').length,
        helpers: window.vaeaug.pool.helpers.map((t) => t.bootAt), firstStep: window.vaeaug.timing.firstStep,
        notBefore: Math.min(window.vaeaug.timing.firstStep, window.vaeaug.timing.loaded + window.vaeaug.pool.helperWaitMs) }));
      assert(wasmFetches === 1 && boot.modules === 2, `${wasmFetches} downloads of the trainer, ${boot.modules} modules posted to two workers`);
      assert(boot.helpers.length === 1 && boot.helpers[0] >= boot.notBefore - 5,
        `the helper booted at ${boot.helpers} ms, the first step came at ${boot.firstStep} ms`);
      await page.waitForTimeout(1000);
      const running = page.workers().length;
      // Pause holds both workers; Resume lets both go on.
      await page.evaluate(() => {
        const pool = window.vaeaug.pool;
        const seen = window.vaeaug.testSeen = {};
        const orig = pool.onEvent;
        pool.onEvent = (m, job) => {
          if (m.type === 'progress') seen[job.runId] = (seen[job.runId] || 0) + 1;
          orig(m, job);
        };
      });
      const counts = () => page.evaluate(() => ({ ...window.vaeaug.testSeen }));
      await page.click('#pause');
      await page.waitForFunction(() => window.vaeaug.paused, null, { timeout: 5000 });
      // A worker pauses at its next progress call, which still posts its
      // event; a step in flight or an evaluation pass ends first (longer on
      // a loaded machine). Wait (at most 30 s) for 2 s without news.
      let held = await counts();
      for (let quiet = 0, waited = 0; quiet < 2000; quiet += 250, waited += 250) {
        assert(waited < 30000, 'the workers still report progress 30 s after Pause: ' + JSON.stringify(held));
        await page.waitForTimeout(250);
        const now = await counts();
        if (JSON.stringify(now) !== JSON.stringify(held)) {
          held = now;
          quiet = -250;
        }
      }
      await page.waitForTimeout(2000);
      const still = await counts();
      assert(JSON.stringify(held) === JSON.stringify(still), `progress while paused: ${JSON.stringify(held)} then ${JSON.stringify(still)}`);
      await page.click('#pause');
      await page.waitForFunction((h) => {
        const now = window.vaeaug.testSeen;
        const ids = Object.keys(now);
        return ids.length === 2 && ids.every((id) => now[id] > (h[id] || 0));
      }, held, { timeout: 30000, polling: 100 });
      const t = Date.now();
      await page.click('#stop');
      await waitState(page, ['idle'], 5000);
      const took = (Date.now() - t) / 1000;
      const afterStop = await helpersLeft();
      assert(running === 2 && afterStop.pool === 0 && afterStop.page === 0,
        `${running} workers running; helpers left after Stop: ${JSON.stringify(afterStop)}`);
      assert(took <= 2.5, `stop took ${took.toFixed(2)} s`);
      log(`  one run: ${one.last.wallSeconds.toFixed(1)} s on one worker, ${two.last.wallSeconds.toFixed(1)} s split on two; ` +
        `idle ${took.toFixed(2)} s after Stop with two workers`);
    });

    await step('compile-fallback', 'a page that cannot compile the trainer leaves it to each worker, which then runs', async () => {
      const other = await ctx.newPage();
      try {
        await other.addInitScript(() => {
          window.testRefused = 0;
          const refuse = () => {
            window.testRefused++;
            return Promise.reject(new Error('refused by the test'));
          };
          WebAssembly.compileStreaming = refuse;
          WebAssembly.compile = refuse;
          const post = Worker.prototype.postMessage;
          window.testModules = [];
          Worker.prototype.postMessage = function (...args) {
            if (args[0] && args[0].type === 'module') window.testModules.push(String(args[0].module));
            return post.apply(this, args);
          };
        });
        await other.goto(`${server.base}/?${SMALL}&workers=1&autorun=1`);
        await other.waitForFunction(() => window.vaeaug && window.vaeaug.timing.firstStep > 0, null, { timeout: 60000 });
        const r = await other.evaluate(() => ({ refused: window.testRefused, modules: window.testModules }));
        // compileStreaming, then compile from an ArrayBuffer.
        assert(r.refused === 2 && JSON.stringify(r.modules) === '["null"]', `${r.refused} compiles refused; modules posted: ${r.modules}`);
        await other.click('#stop');
        await waitState(other, ['idle'], 10000);
      } finally {
        await other.close();
      }
    });

    await step('no-simd', 'without the SIMD kernels the trainer runs on pure Go and the page says why it is slower', async () => {
      await ctx.route('**/gen/simd.wasm', (r) => r.fulfill({ status: 404, body: 'not here' }));
      const other = await ctx.newPage();
      try {
        await other.goto(`${server.base}/?${SMALL}&workers=1&autorun=1`);
        await other.waitForFunction(() => window.vaeaug && window.vaeaug.timing.firstStep > 0, null, { timeout: 60000 });
        const r = await other.evaluate(() => ({
          simd: window.vaeaug.trainer.simd,
          notice: document.getElementById('no-simd').hidden ? '' : document.getElementById('no-simd').textContent,
        }));
        assert(r.simd === false && /nine times as long/.test(r.notice), JSON.stringify(r));
        await other.click('#stop');
        await waitState(other, ['idle'], 10000);
      } finally {
        await other.close();
        await ctx.unroute('**/gen/simd.wasm');
      }
    });

    await step('dead-worker', 'a worker killed mid-run is reported, every finished run stays listed, and restart works', async () => {
      await page.goto(`${server.base}/?${LONG}`);
      await page.waitForFunction(() => window.vaeaug && window.vaeaug.trainer.ready, null, { timeout: 30000 });
      const listed = () => page.evaluate(() => ({
        ids: window.vaeaug.results.map((r) => r.id),
        rows: document.querySelectorAll('#table tbody tr.run-first').length,
        ns: [...document.querySelectorAll('#table tbody tr.run-first')].map((tr) => tr.children[1].textContent),
        resume: document.getElementById('resume-grid').hidden ? '' : document.getElementById('resume-grid').textContent,
      }));
      const before = await listed();
      if (!before.ids.length) log('  (no finished runs yet: run the whole script to check that they stay listed)');
      assert(before.rows === before.ids.length, `the table lists ${before.rows} of ${before.ids.length} runs`);
      // Kill the worker while a run trains (as a crash or an out-of-memory would).
      await page.click('#start');
      await page.waitForFunction(() => window.vaeaug.run && window.vaeaug.run.firstStepAt > 0, null, { timeout: 120000, polling: 100 });
      await page.evaluate(() => window.vaeaug.trainer.die(window.vaeaug.trainer.worker, 'killed by the test.'));
      const dead = await page.evaluate(() => ({
        visible: !document.getElementById('dead').hidden,
        msg: document.getElementById('dead-msg').textContent,
        state: document.body.dataset.state,
        run: window.vaeaug.run,
      }));
      assert(dead.visible && /killed by the test/.test(dead.msg) && /run in progress is lost/.test(dead.msg),
        'no death notice: ' + JSON.stringify(dead));
      assert(dead.state === 'error' && dead.run === null, JSON.stringify(dead));
      const whileDead = await listed();
      assert(JSON.stringify(whileDead) === JSON.stringify(before), `runs listed before ${JSON.stringify(before)}, after the kill ${JSON.stringify(whileDead)}`);
      await page.click('#restart');
      await page.waitForFunction(() => window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, null, { timeout: 60000 });
      assert((await state(page)) === 'idle', 'state after restart: ' + (await state(page)));
      const after = await listed();
      assert(JSON.stringify(after) === JSON.stringify(before),
        `runs listed before ${JSON.stringify(before)}, after the restart ${JSON.stringify(after)}`);
      // The helper of the killed run ends with it (Playwright hears of a
      // worker's end a little after it).
      for (let i = 0; i < 50 && page.workers().length > 1; i++) await page.waitForTimeout(100);
      assert(page.workers().length === 1, `${page.workers().length} workers after the restart`);
      // And they are still stored: a reload lists the same runs.
      await page.reload();
      await page.waitForFunction((n) => window.vaeaug && window.vaeaug.trainer.ready &&
        document.querySelectorAll('#table tbody tr.run-first').length === n, before.ids.length, { timeout: 30000 });
      const reloaded = await listed();
      assert(JSON.stringify(reloaded.ids.slice().sort()) === JSON.stringify(before.ids.slice().sort()),
        `after a reload: ${JSON.stringify(reloaded.ids)}, before: ${JSON.stringify(before.ids)}`);
      log(`  ${before.ids.length} finished runs listed before the kill, after the restart and after a reload`);
    });

    await step('lan', 'served over plain http to another machine (not a secure context), the page loads MNIST and runs', async () => {
      const url = new URL(server.base);
      const problemsBefore = problems.length;
      await page.goto(`http://${LAN_HOST}:${url.port}/?${SMALL}&workers=1&autorun=1`);
      const s = await waitState(page, ['done', 'error'], 600000);
      const r = await page.evaluate(() => ({ secure: window.isSecureContext, status: document.getElementById('status').textContent,
        results: window.vaeaug.results.length, bytes: window.vaeaug.loadInfo && window.vaeaug.loadInfo.bytes,
        prepared: window.vaeaug.loadInfo && window.vaeaug.loadInfo.prepared }));
      assert(r.secure === false, 'the LAN page counts as a secure context, so this checks nothing');
      assert(r.prepared === false, 'the worker script prepared the files without crypto.subtle?');
      assert(s === 'done' && r.results >= 1, `state ${s}: ${r.status}`);
      // Without crypto.subtle the worker script cannot prepare the files:
      // Go downloads, hashes and checks them itself (wasm/load.go).
      assert(r.bytes > 11e6, `loaded ${r.bytes} bytes`);
      // Chromium says, as an error, that it ignores the server's
      // Cross-Origin-Opener-Policy on plain http, as it must: expected here
      // and only here. Anything else is a problem.
      const coop = /Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy/;
      const mine = problems.splice(problemsBefore);
      problems.push(...mine.filter((m) => !coop.test(m)));
      log(`  ${r.bytes} bytes of MNIST loaded and checked by Go; ${r.results} runs listed; ` +
        `${mine.length - (problems.length - problemsBefore)} COOP-ignored notices`);
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
