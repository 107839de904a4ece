// Compiles the hand-written SIMD128 kernels (core/kernels/simd/kernels.wat)
// into a binary module with the npm package wabt (scripts/simd, installed by
// `make simd-deps`). Usage: node scripts/build-simd.mjs [out.wasm]
// (default static/gen/simd.wasm). The output is a build product, never
// committed; it is rewritten only when its bytes change. VAEAUG_WAT=file
// compiles that file instead, as scripts/wasm_exec_simd.js does: for timing
// two versions of the kernels in one tree (tests/bench/run.mjs).
// tests/bench/abkernel.mjs imports compileKernels.
import { readFileSync, writeFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// compileKernels returns the binary module of the kernels in the .wat file
// src, checked by this engine's WebAssembly.validate (Node 20 has SIMD128).
export async function compileKernels(src) {
  const require = createRequire(join(here, 'simd/package.json'));
  let wabtInit;
  try {
    wabtInit = require('wabt');
  } catch (err) {
    throw new Error('npm package wabt missing; run `make simd-deps` (npm ci --prefix scripts/simd)');
  }
  const wabt = await wabtInit();
  const mod = wabt.parseWat(basename(src), readFileSync(src, 'utf8'), { simd: true });
  try {
    mod.resolveNames();
    mod.validate();
    const bytes = Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer);
    if (!WebAssembly.validate(bytes)) throw new Error('WebAssembly.validate rejected the module');
    return bytes;
  } finally {
    mod.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = process.env.VAEAUG_WAT || join(root, 'core/kernels/simd/kernels.wat');
  const out = process.argv[2] || join(root, 'static/gen/simd.wasm');
  let bytes;
  try {
    bytes = await compileKernels(src);
  } catch (err) {
    console.error('build-simd: ' + err.message);
    process.exit(1);
  }
  if (!(existsSync(out) && Buffer.compare(readFileSync(out), bytes) === 0)) {
    mkdirSync(dirname(out), { recursive: true });
    // A dot name is hidden from the embedded site (static/embed.go) while written.
    const tmp = join(dirname(out), '.' + basename(out) + '.tmp');
    writeFileSync(tmp, bytes);
    renameSync(tmp, out);
    console.log(`build-simd: ${out} (${bytes.length} bytes)`);
  }
}
