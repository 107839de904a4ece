// The browser trainer in Firefox: the same flow and URLs as tests/e2e/run.mjs
// (which drives Chromium), here in Debian's Firefox ESR, headless, through
// puppeteer-core over WebDriver BiDi (no browser download). Starts the real
// server (cmd/serve, built from the current tree, on a free port) unless
// VAEAUG_FIREFOX_URL names one that is already running. Usage, after `make
// build`: node tests/firefox/run.mjs. Prints "N passed, M failed" last and
// exits non-zero on any failure. Optional: not part of `make test`.
//
// Environment: FIREFOX (default /usr/bin/firefox-esr), VAEAUG_FIREFOX_URL
// (e.g. http://127.0.0.1:8080/), VAEAUG_FIREFOX_SCREENSHOT (a path: save a
// full-page screenshot after the small run), VAEAUG_FIREFOX_QUICK=1 (skip the
// stop and dead-worker checks), VAEAUG_FIREFOX_VERBOSE=1 (print Firefox's own
// stdout/stderr at the end).

import puppeteer from 'puppeteer-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { root, SMALL, LONG, log, results, check, assert, finish, drawOne, padInk } from '../harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const firefoxPath = process.env.FIREFOX || '/usr/bin/firefox-esr';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));



// startServer builds cmd/serve and starts it on 127.0.0.1:0; the server
// prints its URL on its first stdout line. Resolves with {base, child}.
async function startServer(tmp) {
  if (process.env.VAEAUG_FIREFOX_URL) {
    return { base: process.env.VAEAUG_FIREFOX_URL.replace(/\/+$/, ''), child: null };
  }
  for (const f of ['gen/vaeaug.wasm', 'gen/wasm_exec.js', 'gen/mnist/train-images-idx3-ubyte.gz']) {
    if (!fs.existsSync(path.join(root, 'static', f))) {
      throw new Error(`static/${f} is missing: run make build first`);
    }
  }
  const bin = path.join(tmp, 'serve');
  log('server: building cmd/serve…');
  execFileSync('go', ['build', '-o', bin, './cmd/serve'], { cwd: root, stdio: 'inherit' });
  const child = spawn(bin, ['-addr', '127.0.0.1:0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const first = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the server printed no URL within 10 s: ' + stderr)), 10000);
    readline.createInterface({ input: child.stdout }).once('line', (l) => { clearTimeout(t); resolve(l); });
    child.once('exit', (c) => { clearTimeout(t); reject(new Error(`the server exited (${c}): ${stderr}`)); });
  }).catch((err) => { child.kill('SIGTERM'); throw err; });
  child.stdout.resume();
  const m = first.match(/https?:\/\/\S+?(?=\/?\s|\/?$)/);
  if (!m) {
    child.kill('SIGTERM');
    throw new Error('no URL in the server\'s first line: ' + first);
  }
  return { base: m[0], child };
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const state = (page) => page.evaluate(() => document.body.dataset.state);

// poll calls get every 100 ms until ok accepts its value, which it returns,
// or throws after timeoutMs. The waits poll from Node: puppeteer's
// waitForFunction cannot be used, because over WebDriver BiDi Firefox ESR
// 140.10 runs its poller under the page's CSP, which (rightly) refuses the
// eval it needs.
async function poll(get, ok, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}; last ${v}`);
    await sleep(100);
  }
}

// waitFor waits until fn, run in the page, returns a truthy value.
const waitFor = (page, fn, timeoutMs) => poll(() => page.evaluate(fn), Boolean, timeoutMs, String(fn));

const waitState = (page, want, timeoutMs) =>
  poll(() => state(page), (s) => want.includes(s), timeoutMs, `state ${want.join(' or ')}`);

// fill types v into the field at sel, emptied first (puppeteer's
// locator().fill polls through the same refused eval as waitForFunction).
async function fill(page, sel, v) {
  await page.$eval(sel, (e) => { e.value = ''; });
  await page.type(sel, v);
}

// Runs in every document before the page's scripts: records CSP violations
// the document sees and the worker's "ready" event (simd or pure Go).
function instrument() {
  window.__ff = { csp: [], ready: [] };
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__ff.csp.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
  });
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'ready') window.__ff.ready.push(e.data);
      });
    }
  };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vaeaug-firefox-'));
  let server;
  let browser;
  const browserOut = [];
  try {
    server = await startServer(tmp);
    log('server at', server.base);
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath,
      headless: true,
      protocol: 'webDriverBiDi',
      userDataDir: path.join(tmp, 'profile'),
      // Copy console output of pages and workers to Firefox's stdout, so that
      // the worker's messages (which BiDi does not report here) are seen too.
      // Firefox's own (chrome) console noise is kept off stdout.
      extraPrefsFirefox: { 'devtools.console.stdout.content': true, 'devtools.console.stdout.chrome': false },
      // The window's size from the command line: puppeteer's setViewport
      // (and defaultViewport) sends emulation.setScreenOrientationOverride,
      // which Firefox ESR 140.10 rejects as an unknown command.
      defaultViewport: null,
      args: ['--width=1400', '--height=1000'],
      // Firefox's stdout/stderr are collected below.
      pipe: false,
    });
    const proc = browser.process();
    if (proc) {
      for (const s of [proc.stdout, proc.stderr]) {
        if (s) readline.createInterface({ input: s }).on('line', (l) => browserOut.push(l));
      }
    }
    log('browser', await browser.version());
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(instrument);
    const problems = [];
    const driverNoise = [];
    page.on('pageerror', (e) => {
      const msg = e && e.message ? e.message : String(e);
      // Firefox ESR 140.10 reports this, without a stack, while the page
      // makes its workers and puppeteer polls it over WebDriver BiDi (in
      // 12 of 15 runs; still so with the test's Worker hook taken out). It
      // never reaches the page's console, which Firefox prints to stdout
      // and the last check reads: it is the driver's, not the page's.
      if (/^Error: Permission denied to access property "length"$/.test(msg) && !(e && e.stack && /\bat\b|@/.test(e.stack))) {
        driverNoise.push(msg);
        return;
      }
      problems.push('page error: ' + msg);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push('console error: ' + m.text());
    });
    // The page asks before leaving a run in progress (beforeunload): leave.
    page.on('dialog', (d) => (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));

    let firstRun = null;
    await check('a small run from the URL finishes with the accuracy shown', async () => {
      const t0 = Date.now();
      await page.goto(`${server.base}/?${SMALL}&autorun=1`);
      const s = await waitState(page, ['done', 'error'], 600000);
      const status = await text(page, '#status');
      assert(s === 'done', `state is ${s}: ${status} ${await text(page, '#form-error')} ${await text(page, '#dead-msg')}`);
      const info = await page.evaluate(() => ({
        results: window.vaeaug.results,
        timing: window.vaeaug.timing,
        last: window.vaeaug.lastTiming,
        isolated: self.crossOriginIsolated,
        ready: window.__ff.ready,
        simd: window.vaeaug.trainer.simd,
        noSimdShown: !document.getElementById('no-simd').hidden,
        shown: [...document.querySelectorAll('#result-body .big .acc')].map((e) => ({
          arm: e.dataset.arm, text: e.textContent, acc: Number(e.dataset.acc) })),
      }));
      log(`  crossOriginIsolated ${info.isolated}; worker ready: ${JSON.stringify(info.ready)}; SIMD kernels ${info.simd}`);
      // Firefox has WebAssembly SIMD: the products must run on the kernels.
      assert(info.simd === true && !info.noSimdShown, `SIMD kernels ${info.simd}, notice shown ${info.noSimdShown}`);
      assert(info.results.length === 1, `window.vaeaug.results has ${info.results.length} runs, want 1`);
      firstRun = info.results[0];
      const base = firstRun.arms.find((a) => a.arm === 'baseline');
      const aug = firstRun.arms.find((a) => a.arm === 'vae');
      assert(base && aug, 'want a baseline and a vae arm: ' + JSON.stringify(firstRun.arms.map((a) => a.arm)));
      assert(base.test_acc > 0.1, `baseline test accuracy ${base.test_acc} is not above chance (0.1)`);
      const ctrl = firstRun.arms.find((a) => a.arm === 'step-matched');
      assert(ctrl, 'no step-matched control arm: ' + JSON.stringify(firstRun.arms.map((a) => a.arm)));
      assert(ctrl.steps === aug.steps && ctrl.train_size === firstRun.n,
        `control took ${ctrl.steps} steps on ${ctrl.train_size} images; the vae arm ${aug.steps} steps, n = ${firstRun.n}`);
      assert((await text(page, '#result-body')).includes('step-matched control trains on the'),
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
      log(`  baseline ${(base.test_acc * 100).toFixed(1)}%, vae ${(aug.test_acc * 100).toFixed(1)}%, ` +
        `step-matched ${(ctrl.test_acc * 100).toFixed(1)}%; ` +
        `page open → ready ${((info.timing.ready - info.timing.open) / 1000).toFixed(1)} s, ` +
        `→ first training step ${((info.timing.firstStep - info.timing.open) / 1000).toFixed(1)} s, ` +
        `run ${info.last.wallSeconds.toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (process.env.VAEAUG_FIREFOX_SCREENSHOT) {
        // Let the follow-up pictures arrive (the test digits come last).
        await waitFor(page, () => document.querySelectorAll('#testpreds canvas').length > 0, 20000)
          .catch(() => log('  (no test-digit predictions within 20 s)'));
        await sleep(500);
        await page.screenshot({ path: process.env.VAEAUG_FIREFOX_SCREENSHOT, fullPage: true });
        log('  screenshot: ' + process.env.VAEAUG_FIREFOX_SCREENSHOT);
      }
    });

    await check('the sample canvases are not blank', async () => {
      // The test digits with both predictions follow the run.
      await waitFor(page, () => document.querySelectorAll('#testpreds canvas').length > 0, 20000);
      const ink = await page.evaluate(() => {
        // One row per original: the original, a wider gap, then its samples;
        // tiles are 28 px with 2 px gaps (static/pictures.js).
        const c = document.getElementById('samples');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const cols = Math.round((c.width - 6 + 2) / 30);
        const rows = Math.round((c.height + 2) / 30);
        const tile = (r, col) => {
          const x0 = col * 30 + (col >= 1 ? 6 : 0);
          let lo = 255;
          let hi = 0;
          for (let y = r * 30; y < r * 30 + 28; y++) {
            for (let x = x0; x < x0 + 28; x++) {
              const v = d[4 * (y * c.width + x)];
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
            }
          }
          return hi - lo;
        };
        let origInk = 0;
        let sampleInk = 0;
        let samples = 0;
        const ranges = [];
        for (let r = 0; r < rows; r++) {
          if (tile(r, 0) > 100) origInk++;
          for (let col = 1; col < cols; col++) {
            const t = tile(r, col);
            samples++;
            ranges.push(t);
            if (t >= 5) sampleInk++;
          }
        }
        // The other canvases on the page too (not the drawing pad, empty
        // until drawn on): none may be all one colour.
        const blank = [...document.querySelectorAll('canvas')].filter((cv) => {
          if (!cv.width || !cv.height || cv.id === 'pad') return false;
          const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
          for (let i = 4; i < px.length; i += 4) {
            if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2] || px[i + 3] !== px[3]) return false;
          }
          return true;
        }).map((cv) => cv.id || cv.className || 'canvas');
        return { w: c.width, h: c.height, rows, cols, origInk, samples, sampleInk, ranges: ranges.slice(0, 6),
          canvases: document.querySelectorAll('canvas').length, testpreds: document.querySelectorAll('#testpreds canvas').length, blank };
      });
      log('  samples grid: ' + JSON.stringify(ink));
      assert(ink.rows >= 1 && ink.cols >= 2, `samples canvas is ${ink.w}×${ink.h}`);
      assert(ink.origInk === ink.rows, `only ${ink.origInk} of ${ink.rows} originals show a digit`);
      assert(ink.samples > 0 && ink.sampleInk >= ink.samples / 2, `the generated images look blank: ${JSON.stringify(ink)}`);
      assert(ink.blank.length === 0, 'blank canvases: ' + ink.blank.join(', '));
    });

    await check('drawing on the pad gets both classifiers\' answers', async () => {
      await drawOne(page);
      await waitFor(page, () => document.querySelectorAll('#pad-out .padguess').length > 0, 15000);
      const out = await page.$$eval('#pad-out .padhead', (ps) => ps.map((p) => p.textContent));
      log('  pad: ' + JSON.stringify(out));
      assert(out.length === 2 && /^Baseline: \d/.test(out[0]) && /^Augmented: \d/.test(out[1]), 'pad answers: ' + JSON.stringify(out));
      await page.click('#pad-test');
      await sleep(1000);
      const ink = await padInk(page);
      assert(ink > 100, `"Use a test digit" left the pad blank (${ink} light pixels)`);
    });

    await check('the figure renders to a PNG (Figure as PNG)', async () => {
      const r = await page.evaluate(async () => {
        const { svgToPNG } = await import('./charts.js');
        const blob = await svgToPNG(document.getElementById('figure'));
        const bmp = await createImageBitmap(blob);
        const c = document.createElement('canvas');
        c.width = bmp.width;
        c.height = bmp.height;
        const g = c.getContext('2d');
        g.drawImage(bmp, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 1] < 128 && d[i + 2] < 128) dark++;
        return { type: blob.type, size: blob.size, w: bmp.width, h: bmp.height, dark };
      });
      log('  figure PNG: ' + JSON.stringify(r));
      assert(r.type === 'image/png' && r.w > 100 && r.h > 100, 'PNG: ' + JSON.stringify(r));
      assert(r.dark > 500, 'the PNG looks blank (no axes or text): ' + JSON.stringify(r));
    });

    await check('a reload keeps the results (IndexedDB)', async () => {
      await page.reload();
      await waitFor(page, () => window.vaeaug && window.vaeaug.results.length > 0, 15000);
      const after = await page.evaluate(() => ({ results: window.vaeaug.results, state: document.body.dataset.state }));
      assert(after.results.length === 1, `after reload ${after.results.length} runs`);
      assert(JSON.stringify(after.results[0].arms) === JSON.stringify(firstRun.arms), 'the reloaded run differs');
      assert(after.state === 'idle', `after reload the state is ${after.state} (autorun must not rerun)`);
      const shown = await page.$$eval('#result-body .big .acc', (es) => es.map((e) => e.textContent));
      const base = firstRun.arms.find((a) => a.arm === 'baseline');
      assert(shown.includes((base.test_acc * 100).toFixed(1) + '%'), 'the reloaded page does not show the accuracy');
    });

    if (!process.env.VAEAUG_FIREFOX_QUICK) {
      await check('stop works mid-run', async () => {
        await page.goto(`${server.base}/?${LONG}&autorun=1`);
        await waitState(page, ['running'], 10000);
        await waitFor(page, () => window.vaeaug.timing.firstStep > 0 && document.querySelector('.stage.active') !== null,
          120000);
        await sleep(1500);
        const t = Date.now();
        await page.click('#stop');
        await waitState(page, ['idle'], 5000);
        const took = (Date.now() - t) / 1000;
        log(`  idle ${took.toFixed(2)} s after Stop; status: ${await text(page, '#status')}`);
        assert(took <= 2.5, `stop took ${took.toFixed(2)} s`);
        const n = await page.evaluate(() => window.vaeaug.results.length);
        assert(n === 1, `a stopped run must not be added to the results (have ${n})`);
      });
    }

    await check('a bad setting is refused next to its field and nothing starts', async () => {
      await page.goto(`${server.base}/?n=7&autorun=1`);
      await waitFor(page, () => document.getElementById('err-n').textContent !== '', 10000);
      await sleep(1000);
      const r = await page.evaluate(() => ({
        err: document.getElementById('err-n').textContent,
        invalid: document.getElementById('field-n').classList.contains('invalid'),
        state: document.body.dataset.state,
        run: window.vaeaug.run,
      }));
      log('  n=7: ' + JSON.stringify(r.err));
      assert(/multiple of 10/.test(r.err), 'error next to n: ' + r.err);
      assert(r.invalid, 'the n field is not marked invalid');
      assert(r.state === 'idle' && r.run === null, `a run started: state ${r.state}`);
      // Also from the form: a k that is not a number.
      await fill(page, '#f-n', '100');
      await fill(page, '#f-k', 'ten');
      await page.click('#start');
      await sleep(300);
      const k = await text(page, '#err-k');
      assert(/not a list of whole numbers/.test(k), 'error next to k: ' + k);
      assert((await state(page)) === 'idle', 'a run started with k=ten');
    });

    if (!process.env.VAEAUG_FIREFOX_QUICK) {
      await check('a dead worker is reported, results are kept, and restart works', async () => {
        await page.goto(`${server.base}/?${SMALL}`);
        await waitFor(page, () => window.vaeaug.trainer.ready, 30000);
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
        await waitFor(page, () => window.vaeaug.trainer.ready && window.vaeaug.dataLoaded, 60000);
        assert((await state(page)) === 'idle', 'state after restart: ' + (await state(page)));
      });
    }

    await check('no console errors or CSP violations', async () => {
      const csp = await page.evaluate(() => (window.__ff ? window.__ff.csp : []));
      for (const v of csp) problems.push('CSP violation: ' + v);
      // Firefox's own output: console.error from pages and workers
      // (devtools.console.stdout.content) and errors in our origin's scripts
      // (Firefox's internal resource:// and chrome:// modules are not ours).
      // Content messages print their arguments quoted (console.error: "…");
      // Firefox's internal loggers print unquoted (console.error: RSLoader: …).
      const bad = browserOut.filter((l) => /^console\.error: "/.test(l) ||
        (/JavaScript (error|warning)|Content[- ]Security[- ]Policy/i.test(l) && l.includes(server.base)));
      for (const l of bad) problems.push('firefox: ' + l);
      if (driverNoise.length) log(`  set aside as the driver's: ${driverNoise.length} × ${driverNoise[0]}`);
      assert(problems.length === 0, problems.join('\n'));
    });
  } catch (err) {
    results.push({ name: 'setup', ok: false, err });
    log('FAIL setup:', err && err.stack ? err.stack : err);
  } finally {
    if (process.env.VAEAUG_FIREFOX_VERBOSE) {
      console.log('--- firefox output ---\n' + browserOut.join('\n') + '\n---');
    }
    if (browser) await browser.close().catch(() => {});
    if (server && server.child) {
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
