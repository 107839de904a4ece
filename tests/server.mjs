// startServer, for the browser tests and benchmarks: builds cmd/serve from
// the current tree (or, with VAEAUG_E2E_SERVER=dev or no cmd/serve yet, uses
// tests/e2e/devserver.mjs) and starts it on a free port of 127.0.0.1.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { root, log } from './harness.mjs';

const here = path.join(root, 'tests', 'e2e');

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
export async function startServer(tmp) {
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
