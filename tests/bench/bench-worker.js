// Runs a Go test binary compiled to wasm (GOOS=js GOARCH=wasm go test -c)
// inside a dedicated worker, as the trainer's own worker runs the trainer:
// same wasm_exec.js, same "simd" import module (gen/simd.wasm bound to Go's
// memory), so the benchmark figures are the ones a user's browser gets.
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
  importScripts('wasm_exec.js');

  let kernels = null;
  const go = new Go();
  go.argv = [binary, ...args];
  go.exit = (code) => { if (partial) self.postMessage({ line: partial }); self.postMessage({ exit: code }); };
  const imports = {
    // 1 only if simd.wasm has every kernel forwarded here.
    available: () => (kernels && Object.keys(imports).every(
      (name) => name === 'available' || typeof kernels[name] === 'function') ? 1 : 0),
    gemm: (c, a, b, m, n, k, ars, aps, ldb, ldc, load, pack) => kernels.gemm(c, a, b, m, n, k, ars, aps, ldb, ldc, load, pack),
    gemv: (c, a, b, m, k, lda, ldb, ldc, load) => kernels.gemv(c, a, b, m, k, lda, ldb, ldc, load),
    col2im: (img, rows, h, w, ch, stride, ow, pt, pl, p0, np) => kernels.col2im(img, rows, h, w, ch, stride, ow, pt, pl, p0, np),
    transpose: (dst, ldd, src, lds, rows, cols) => kernels.transpose(dst, ldd, src, lds, rows, cols),
    conv1fwd: (y, x, w, h, wd, zero) => kernels.conv1fwd(y, x, w, h, wd, zero),
    conv1dw: (dw, x, dy, c, zero, h, w) => kernels.conv1dw(dw, x, dy, c, zero, h, w),
    conv1in: (y, xp, wp, n, rs, h, w) => kernels.conv1in(y, xp, wp, n, rs, h, w),
    conv1indw: (dw, xp, dy, n, rs, h, w) => kernels.conv1indw(dw, xp, dy, n, rs, h, w),
    padrows: (dst, ds, src, h, w) => kernels.padrows(dst, ds, src, h, w),
    chansum: (sum, x, rows, c) => kernels.chansum(sum, x, rows, c),
    chansqdev: (sum2, x, mean, rows, c) => kernels.chansqdev(sum2, x, mean, rows, c),
    chansumdot: (sum, sum2, g, h, rows, c) => kernels.chansumdot(sum, sum2, g, h, rows, c),
    bnapply: (y, xh, x, mean, inv, gam, bet, rows, c) => kernels.bnapply(y, xh, x, mean, inv, gam, bet, rows, c),
    chanscale: (dst, x, scale, rows, c) => kernels.chanscale(dst, x, scale, rows, c),
    bnbwd: (dx, g, h, sum, sum2, coef, n, rows, c) => kernels.bnbwd(dx, g, h, sum, sum2, coef, n, rows, c),
    addrows: (y, b, rows, c) => kernels.addrows(y, b, rows, c),
    sumrows: (db, g, rows, c) => kernels.sumrows(db, g, rows, c),
    adam: (w, g, m, v, n, b1, c1, b2, c2, lr, eps, clip, doclip) => kernels.adam(w, g, m, v, n, b1, c1, b2, c2, lr, eps, clip, doclip),
    rmsprop: (w, g, a, n, rho, c, lr, eps, clip, doclip) => kernels.rmsprop(w, g, a, n, rho, c, lr, eps, clip, doclip),
    dropmask: (m, n, rate, scale) => kernels.dropmask(m, n, rate, scale),
    relu: (y, x, n) => kernels.relu(y, x, n),
    relubwd: (dx, g, y, n) => kernels.relubwd(dx, g, y, n),
    lrelu: (y, x, n, alpha) => kernels.lrelu(y, x, n, alpha),
    lrelubwd: (dx, g, x, n, alpha) => kernels.lrelubwd(dx, g, x, n, alpha),
    maxpool: (y, arg, x, n, h, w, c) => kernels.maxpool(y, arg, x, n, h, w, c),
    maxpoolbwd: (dx, dy, arg, n, h, w, c) => kernels.maxpoolbwd(dx, dy, arg, n, h, w, c),
    winow43: (u, w, c, n, adj) => kernels.winow43(u, w, c, n, adj),
    winoin43: (v, vs, d, rs, c, count) => kernels.winoin43(v, vs, d, rs, c, count),
    winoout43: (y, ys, m, ms, n, count) => kernels.winoout43(y, ys, m, ms, n, count),
    winody43: (e, es, dy, ys, n, count) => kernels.winody43(e, es, dy, ys, n, count),
    winogo43: (dw, m, c, n) => kernels.winogo43(dw, m, c, n),
    peak: (w, n) => kernels.peak(w, n), // core/kernels/peak_wasm_test.go
  };
  go.importObject.simd = imports;
  try {
    const { instance } = await WebAssembly.instantiateStreaming(fetch(binary), go.importObject);
    if (simd) {
      // simd is true for gen's module, or the name of another (run.mjs's ALT_WAT).
      const kmod = await WebAssembly.compileStreaming(fetch(typeof simd === 'string' ? simd : 'simd.wasm'));
      kernels = (await WebAssembly.instantiate(kmod, { go: { mem: instance.exports.mem } })).exports;
    }
    await go.run(instance);
  } catch (err) {
    self.postMessage({ line: 'bench-worker: ' + err.message });
    self.postMessage({ exit: 1 });
  }
};
