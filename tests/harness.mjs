// What the browser end-to-end tests (tests/e2e for Chromium, tests/firefox
// for Firefox) share: the runs they open, timestamped logging, and the
// check/assert/summary harness that prints "N passed, M failed" last.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// A small run, so a whole test takes about a minute on two cores.
export const SMALL = 'n=20&aug=vae&k=2&seed=1&preset=quick&epochs=2&steps=20&eval=10&patience=2&val=100&test=200&batch=16&vaebatch=16';
// A run long enough to be stopped in the middle.
export const LONG = 'n=100&aug=vae&k=10&seed=2&preset=quick&steps=5000&eval=1000&val=100&test=100';

const started = Date.now();
export const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);

export const results = [];

// check runs one named check and records whether it passed.
export async function check(name, fn) {
  const t = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`PASS ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  } catch (err) {
    results.push({ name, ok: false, err });
    log(`FAIL ${name}: ${err && err.stack ? err.stack : err}`);
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// finish prints the closing line and exits non-zero if anything failed.
export function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// within resolves like p, or rejects if p has not settled after ms: a
// DevTools call that never answers must fail the check, or be retried,
// rather than hang the run.
// median is the middle of xs (of an even count, the mean of the middle two).
export function median(xs) {
  const v = [...xs].sort((a, b) => a - b);
  return (v[Math.floor((v.length - 1) / 2)] + v[Math.ceil((v.length - 1) / 2)]) / 2;
}

export function within(p, ms, what) {
  let timer;
  return Promise.race([p, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
  })]).finally(() => clearTimeout(timer));
}

// workerTargets lists the dedicated workers Chromium's DevTools protocol
// knows of (cdp: a CDP session of the page).
export async function workerTargets(cdp) {
  const { targetInfos } = await within(cdp.send('Target.getTargets'), 20000, 'Target.getTargets');
  return targetInfos.filter((t) => t.type === 'worker');
}

// workerMemory measures each worker (see measureWorkers), trying a second
// time if DevTools does not answer the first.
export async function workerMemory(cdp) {
  try {
    return await measureWorkers(cdp);
  } catch (err) {
    if (!/no answer/.test(err.message)) throw err;
    console.log(`workerMemory: ${err.message}; trying again`);
    return measureWorkers(cdp);
  }
}

// measureWorkers measures each worker through a (non-flattened) DevTools
// session attached to it: wasm, the byte size of its WebAssembly.Memory (Go's
// linear memory, which worker.js keeps as self.vaeaugMemory), read by
// Runtime.evaluate; heap, its JS heap in use (Runtime.getHeapUsage). It used
// to find every WebAssembly.Memory with Runtime.queryObjects, but on
// 2026-11-27 that call, which walks the worker's heap, got no answer and the
// worker vanished in 6 of 8 full e2e runs (Chromium 156, older commits as
// well), after which detaching hung the test.
async function measureWorkers(cdp) {
  const out = [];
  for (const w of await workerTargets(cdp)) {
    const { sessionId } = await within(cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false }),
      20000, `worker ${w.url}: Target.attachToTarget`);
    let next = 0;
    const waiting = new Map();
    const onMessage = (e) => {
      if (e.sessionId !== sessionId) return;
      const m = JSON.parse(e.message);
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.error) p.reject(new Error(m.error.message));
      else p.resolve(m.result);
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
    // A worker that ends meanwhile (a pool's helper, a page left) never
    // answers: give up after 20 s rather than hang the whole test.
    const send = (method, params = {}) => new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      setTimeout(() => {
        if (waiting.delete(id)) reject(new Error(`worker ${w.url}: no answer to ${method} in 20 s`));
      }, 20000);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
    try {
      const sizes = await send('Runtime.evaluate', { returnByValue: true,
        expression: 'self.vaeaugMemory ? [self.vaeaugMemory.buffer.byteLength] : []' });
      const heap = await send('Runtime.getHeapUsage');
      out.push({ url: w.url, wasm: sizes.result.value, heap: heap.usedSize });
    } catch (err) {
      // Skip a worker that is gone by now; anything else is a failure.
      const still = (await workerTargets(cdp)).some((t) => t.targetId === w.targetId);
      if (still) throw err;
    } finally {
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      await within(cdp.send('Target.detachFromTarget', { sessionId }), 20000, 'Target.detachFromTarget').catch(() => {});
    }
  }
  return out;
}

// drawOne draws a "1" on the page's drawing pad (#pad) with the mouse: a
// stroke down its middle. page is Playwright's or Puppeteer's.
export async function drawOne(page) {
  await page.$eval('#pad', (c) => c.scrollIntoView({ block: 'center' }));
  const box = await (await page.$('#pad')).boundingBox();
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(x + i * 0.3, box.y + box.height * (0.2 + i * 0.06));
  await page.mouse.up();
}

// padInk counts the drawing pad's light pixels.
export function padInk(page) {
  return page.$eval('#pad', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++;
    return n;
  });
}
