// The vaeaug Web Worker: loads Go's wasm_exec.js and the trainer compiled to
// WebAssembly (wasm/), which then answers the page's requests. The protocol
// is in wasm/PROTOCOL.md. Messages that arrive before Go is ready are queued
// in self.vaeaugQueue; Go takes over onmessage and drains the queue.
'use strict';

self.vaeaugQueue = [];
// The page compiles gen/vaeaug.wasm once for all its workers (trainer.js)
// and posts it as {type: 'module', module}, with module null when it could
// not: this worker then fetches and compiles the file itself.
let receiveModule;
const pageModule = new Promise((resolve) => { receiveModule = resolve; });
self.onmessage = (e) => {
  if (e.data && e.data.type === 'module') receiveModule(e.data.module);
  else self.vaeaugQueue.push(e.data);
};

// Start downloading MNIST now, while the wasm compiles, and where the
// browser can (DecompressionStream, and crypto.subtle, which needs a secure
// context such as loopback or https) also hash and unpack it meanwhile:
// wasm/load.go takes these (once) for a load from the default gen/mnist/
// instead of fetching again, and checks the digests before it parses
// anything. Each entry resolves to {sha256, raw, gz} when prepared, to the
// fetch's Response when the browser cannot prepare it (Go reads, hashes and
// unpacks it then), or to null on any failure (Go fetches again and reports
// the error). self.vaeaugPrefetchProgress counts the bytes for the progress
// bar.
self.vaeaugPrefetchProgress = { done: 0, total: 0 };
self.vaeaugPrefetch = Object.fromEntries([
  'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz',
].map((f) => [f, prefetch('gen/mnist/' + f)]));

async function prefetch(url) {
  try {
    const resp = await fetch(url);
    const canPrepare = typeof DecompressionStream === 'function' && globalThis.crypto && crypto.subtle;
    if (!resp.ok || !canPrepare || !resp.body) return resp;
    const progress = self.vaeaugPrefetchProgress;
    progress.total += Number(resp.headers.get('content-length')) || 0;
    // Unpack while the file downloads, not after: unpacking the training
    // images took about as long again as their download.
    const [body, toUnpack] = resp.body.tee();
    const unpacked = gunzipStream(toUnpack);
    unpacked.catch(() => {}); // reported through the await below
    const chunks = [];
    let size = 0;
    for (const reader = body.getReader(); ;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      progress.done += value.length;
    }
    const gz = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      gz.set(c, at);
      at += c.length;
    }
    const [sum, raw] = await Promise.all([crypto.subtle.digest('SHA-256', gz), unpacked]);
    return { sha256: new Uint8Array(sum), raw, gz: size };
  } catch (err) {
    return null;
  }
}

// Keep the last lines Go writes to stdout/stderr (a panic's trace) so a
// crash can be reported with its reason.
const tail = [];
function remember(line) {
  tail.push(line);
  if (tail.length > 40) tail.shift();
}

function fatal(message) {
  self.postMessage({ type: 'fatal', message, detail: tail.join('\n') });
}

try {
  importScripts('gen/wasm_exec.js', 'simd-imports.js');
} catch (err) {
  fatal('could not load the worker\'s scripts: ' + err.message);
  throw err;
}

// wasm_exec.js sends Go's output through fs.writeSync; wrap it to keep a copy.
(function captureOutput() {
  const fs = globalThis.fs;
  if (!fs || !fs.writeSync) return;
  const decoder = new TextDecoder('utf-8');
  let partial = '';
  const write = fs.writeSync.bind(fs);
  fs.writeSync = function (fd, buf) {
    partial += decoder.decode(buf);
    const nl = partial.lastIndexOf('\n');
    if (nl >= 0) {
      partial.slice(0, nl).split('\n').forEach(remember);
      partial = partial.slice(nl + 1);
    }
    return write(fd, buf);
  };
})();

// vaeaugGunzip unpacks a gzip file (a Uint8Array) with the browser's native
// DecompressionStream, for wasm/load.go: Go compiled to wasm takes about a
// second to gunzip MNIST's 47 MB, the browser a small fraction of that, off
// Go's thread. Go hashes the .gz bytes itself before handing them over, and
// keeps to its own gunzip where DecompressionStream is missing.
async function gunzip(gz) {
  return gunzipStream(new Blob([gz]).stream());
}

async function gunzipStream(stream) {
  return new Uint8Array(await new Response(stream.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}
if (typeof DecompressionStream === 'function') self.vaeaugGunzip = gunzip;

// The "simd" import module (simd-imports.js), bound to gen/simd.wasm's
// kernels once Go's instance exists.
const simd = simdImports();

async function compileKernels() {
  const url = 'gen/simd.wasm';
  try {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch (err) {
      const resp = await fetch(url);
      if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status);
      return await WebAssembly.compile(await resp.arrayBuffer());
    }
  } catch (err) {
    remember('simd kernels unavailable, using pure Go: ' + err.message);
    return null;
  }
}

async function boot() {
  const go = new Go();
  go.exit = (code) => {
    fatal('the trainer stopped (exit code ' + code + ')' +
      (tail.length ? ': ' + tail.filter((l) => l.trim()).slice(-3).join(' / ') : ''));
  };
  go.importObject.simd = simd.imports;
  const kernels = compileKernels(); // in parallel with the trainer's compile
  const module = await pageModule;
  let result;
  if (module instanceof WebAssembly.Module) {
    result = { instance: await WebAssembly.instantiate(module, go.importObject) };
  } else {
    const url = 'gen/vaeaug.wasm';
    try {
      result = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
    } catch (err) {
      // A server without application/wasm: fall back to an ArrayBuffer.
      const resp = await fetch(url);
      if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status);
      result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    }
  }
  const kmod = await kernels;
  if (kmod) {
    try {
      const k = await WebAssembly.instantiate(kmod, { go: { mem: result.instance.exports.mem } });
      simd.bind(k.exports);
    } catch (err) {
      remember('simd kernels unavailable, using pure Go: ' + err.message);
    }
  }
  // Go's own WebAssembly.Memory, for the memory figures of the worker's
  // events (wasm/memory.go reads its buffer.byteLength): wasm_exec.js gives
  // Go no supported way to reach its instance. Set before go.run, which is
  // when Go looks for it; without it Go reports its runtime's count instead
  // (memoryExact false).
  self.vaeaugMemory = result.instance.exports.mem;
  go.run(result.instance);
}

boot().catch((err) => fatal('could not start the trainer: ' + err.message));
