// launchChromium, for the browser tests and benchmarks: Debian's Chromium
// (CHROMIUM, default /usr/bin/chromium), headless, with the flags this
// machine needs (no sandbox, GPU, QUIC, first-run, background networking,
// component updates or sync), on a persistent profile in dir, through
// tests/e2e's playwright-core (`make e2e-deps`). Options go to playwright's
// launchPersistentContext; their args come after these flags.
import { chromium } from './e2e/node_modules/playwright-core/index.mjs';

export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

export const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(dir, { args = [], ...options } = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumFlags, ...args],
    ...options,
  });
}
