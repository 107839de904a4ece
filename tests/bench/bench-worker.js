// Runs a Go test binary compiled to wasm (GOOS=js GOARCH=wasm go test -c)
// inside a dedicated worker, as the trainer's own worker runs the trainer:
// same wasm_exec.js, same "simd" import module (static/simd-imports.js,
// bound to simd.wasm in Go's memory), so the benchmark figures are the ones
// a user's browser gets.
// The page posts {binary, args, simd}; every line the binary prints comes
// back as {line}, and {exit} ends it.
'use strict';

self.onmessage = async (e) => {
  const { binary, args, simd } = e.data;
  const decoder = new TextDecoder('utf-8');
  let partial = '';
  // wasm_exec.js writes Go's stdout/stderr through globalThis.fs.writeSync
  // and keeps an fs already defined; this one forwards whole lines.
  const enosys = () => { const err = new Error('ENOSYS: this worker has no file system'); err.code = 'ENOSYS'; return err; };
  globalThis.fs = {
    constants: { O_WRONLY: -1, O_RDWR: -1, O_CREAT: -1, O_TRUNC: -1, O_APPEND: -1, O_EXCL: -1, O_DIRECTORY: -1 },
    writeSync(fd, buf) {
      partial += decoder.decode(buf);
      const nl = partial.lastIndexOf('\n');
      if (nl >= 0) {
        for (const line of partial.slice(0, nl).split('\n')) self.postMessage({ line });
        partial = partial.slice(nl + 1);
      }
      return buf.length;
    },
    write(fd, buf, offset, length, position, callback) {
      if (offset !== 0 || length !== buf.length || position !== null) { callback(enosys()); return; }
      callback(null, this.writeSync(fd, buf));
    },
  };
  for (const name of ['chmod', 'chown', 'close', 'fchmod', 'fchown', 'fstat', 'fsync', 'ftruncate', 'lchown', 'link',
    'lstat', 'mkdir', 'open', 'read', 'readdir', 'readlink', 'rename', 'rmdir', 'stat', 'symlink', 'truncate', 'unlink', 'utimes']) {
    globalThis.fs[name] = (...a) => a[a.length - 1](enosys());
  }
  importScripts('wasm_exec.js', 'simd-imports.js');

  const go = new Go();
  go.argv = [binary, ...args];
  go.exit = (code) => { if (partial) self.postMessage({ line: partial }); self.postMessage({ exit: code }); };
  const simdModule = simdImports(); // simd-imports.js, the trainer's own forwarders
  go.importObject.simd = simdModule.imports;
  try {
    const { instance } = await WebAssembly.instantiateStreaming(fetch(binary), go.importObject);
    if (simd) {
      // simd is true for gen's module, or the name of another (run.mjs's ALT_WAT).
      const kmod = await WebAssembly.compileStreaming(fetch(typeof simd === 'string' ? simd : 'simd.wasm'));
      simdModule.bind((await WebAssembly.instantiate(kmod, { go: { mem: instance.exports.mem } })).exports);
    }
    await go.run(instance);
  } catch (err) {
    self.postMessage({ line: 'bench-worker: ' + err.message });
    self.postMessage({ exit: 1 });
  }
};
