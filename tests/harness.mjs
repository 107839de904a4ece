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
