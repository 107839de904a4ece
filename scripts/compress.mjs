#!/usr/bin/env node
// Usage: node scripts/compress.mjs [--force] [--quality=0..11] FILE...
//
// Writes FILE.gz (gzip, level 9) and FILE.br (brotli, quality 11) next to
// each FILE, for cmd/serve to send to browsers that accept them. Uses only
// Node's built-in zlib, so no npm install is needed.
//
// A precompressed copy that does not match its original serves old code to
// some browsers only, so the copies must be redone whenever FILE changes. The
// Makefile runs this after every wasm build; to keep that cheap, a copy that
// already decompresses to exactly FILE's bytes is left alone (decompressing
// takes a fraction of a second, brotli quality 11 takes many seconds for the
// wasm). A copy made at another --quality also counts as up to date, so
// --force is how to recompress anyway. Each copy is written to a temporary
// name and renamed, so an interrupted run never leaves a truncated copy that
// the server would pick up.

import { readFileSync, writeFileSync, renameSync, rmSync, existsSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import zlib from 'node:zlib';

// Brotli is written before gzip, so a fresh .gz proves the .br next to it
// is fresh too (an interrupted run can leave only the .gz stale): cmd/serve
// checks the .gz against its original at start-up, with Go's gzip, and drops
// both copies if it does not match.
const encoders = [
  {
    suffix: '.br',
    compress: (buf) =>
      zlib.brotliCompressSync(buf, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
          // The default 4 MiB window (lgwin 22) is kept on purpose: on the
          // 24.5 MB wasm, lgwin 24 saved 0.7% and took almost three times
          // as long (200 s against 73 s at quality 11 on a busy 2-core box).
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
        },
      }),
    decompress: (buf) => zlib.brotliDecompressSync(buf),
  },
  {
    suffix: '.gz',
    compress: (buf) => zlib.gzipSync(buf, { level: 9 }),
    decompress: (buf) => zlib.gunzipSync(buf),
  },
];

function upToDate(file, data, decompress) {
  if (!existsSync(file)) return false;
  try {
    return decompress(readFileSync(file)).equals(data);
  } catch {
    return false; // corrupt or truncated: redo it
  }
}

// Brotli quality, 11 unless --quality=N says otherwise. Quality 11 is
// slow on the wasm (over a minute), so a development loop may prefer 10
// (about half the time, 4% bigger) or 9 (seconds, 16% bigger).
let quality = 11;

function main(args) {
  let force = false;
  let bad = false;
  const files = [];
  for (const a of args) {
    const q = /^--quality=(\d+)$/.exec(a);
    if (a === '--force') {
      force = true;
    } else if (q && Number(q[1]) <= 11) {
      quality = Number(q[1]);
    } else if (a.startsWith('-')) {
      bad = true;
    } else {
      files.push(a);
    }
  }
  if (bad || files.length === 0) {
    console.error('usage: node scripts/compress.mjs [--force] [--quality=0..11] FILE...');
    return 2;
  }
  for (const file of files) {
    const data = readFileSync(file);
    for (const { suffix, compress, decompress } of encoders) {
      const out = file + suffix;
      if (!force && upToDate(out, data, decompress)) {
        // Make the copy newer than FILE again (the build rewrote FILE), so
        // that make and the server's staleness check both see it as current.
        const now = new Date();
        utimesSync(out, now, now);
        console.log(`${out}: up to date`);
        continue;
      }
      const start = process.hrtime.bigint();
      const packed = compress(data);
      // Check the round trip before the copy can be served.
      if (!decompress(packed).equals(data)) {
        throw new Error(`${out}: compressed data does not decompress to ${file}`);
      }
      // The leading dot hides the temporary file from the server.
      const tmp = join(dirname(out), `.${basename(out)}.tmp.${process.pid}`);
      try {
        writeFileSync(tmp, packed);
        renameSync(tmp, out);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const pct = ((100 * packed.length) / Math.max(data.length, 1)).toFixed(1);
      console.log(`${out}: ${data.length} -> ${packed.length} bytes (${pct}%) in ${ms.toFixed(0)} ms`);
    }
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`compress.mjs: ${err.message}`);
  process.exitCode = 1;
}
