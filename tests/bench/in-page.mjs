// inPage is the frame of the scripts that time the page (cell.mjs,
// grid.mjs, pool.mjs): the real server, built from the tree (`make build`
// first), and headless Chromium on a fresh profile, both under a temporary
// directory named after the script. body({page, server, tmp}) measures. The
// process then exits: 1 if body threw (the error printed) or returned
// false, 0 otherwise; the browser and the server are stopped either way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../chromium.mjs';
import { startServer } from '../server.mjs';

export async function inPage(name, body) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `vaeaug-${name}-`));
  const server = await startServer(tmp);
  const browser = await launchChromium(path.join(tmp, 'profile'));
  let ok = false;
  try {
    const page = browser.pages()[0] || await browser.newPage();
    ok = (await body({ page, server, tmp })) !== false;
  } catch (err) {
    console.error(err);
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
  process.exit(ok ? 0 : 1);
}
