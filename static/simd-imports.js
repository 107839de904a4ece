// The "simd" import module that core/kernels declares with //go:wasmimport
// (core/kernels/simd_wasm.go and layers_wasm.go): forwarders into the
// SIMD128 kernels of simd.wasm (built from core/kernels/simd/kernels.wat).
// Go's instance must exist before the kernels can be instantiated with its
// memory, so Go is given these forwarders and bind() later points them at
// the kernels' exports. Until then, or if the kernel module could not be
// loaded, available() returns 0 and Go keeps to its pure-Go kernels (same
// results, slower). The kernels read Go's memory through the imported
// Memory, so memory growth needs no care here.
//
// One table for the three hosts that run Go with the kernels, so they
// cannot drift apart: the trainer's worker (static/worker.js), the browser
// benchmarks' worker (tests/bench/bench-worker.js) and Node's test runner
// (scripts/wasm_exec_simd.js). A plain script, loaded with importScripts in
// a worker and with require in Node.
'use strict';

function simdImports() {
  let k = null;
  const imports = {
    // 1 only if the module has every kernel forwarded here: a stale
    // simd.wasm without the newer ones leaves Go on pure Go.
    available: () => (k && Object.keys(imports).every(
      (name) => name === 'available' || typeof k[name] === 'function') ? 1 : 0),
    // The products and convolutions (core/kernels/simd_wasm.go).
    gemm: (c, a, b, m, n, kk, ars, aps, ldb, ldc, load, pack) => k.gemm(c, a, b, m, n, kk, ars, aps, ldb, ldc, load, pack),
    gemv: (c, a, b, m, kk, lda, ldb, ldc, load) => k.gemv(c, a, b, m, kk, lda, ldb, ldc, load),
    col2im: (img, rows, h, w, ch, stride, ow, pt, pl, p0, np) => k.col2im(img, rows, h, w, ch, stride, ow, pt, pl, p0, np),
    transpose: (dst, ldd, src, lds, rows, cols) => k.transpose(dst, ldd, src, lds, rows, cols),
    conv1fwd: (y, x, w, h, wd, zero) => k.conv1fwd(y, x, w, h, wd, zero),
    conv1dw: (dw, x, dy, c, zero, h, w) => k.conv1dw(dw, x, dy, c, zero, h, w),
    conv1in: (y, xp, wp, n, rs, h, w) => k.conv1in(y, xp, wp, n, rs, h, w),
    conv1indw: (dw, xp, dy, n, rs, h, w) => k.conv1indw(dw, xp, dy, n, rs, h, w),
    padrows: (dst, ds, src, h, w) => k.padrows(dst, ds, src, h, w),
    // The layer kernels (core/kernels/layers_wasm.go).
    chansum: (sum, x, rows, c) => k.chansum(sum, x, rows, c),
    chansqdev: (sum2, x, mean, rows, c) => k.chansqdev(sum2, x, mean, rows, c),
    chansumdot: (sum, sum2, g, h, rows, c) => k.chansumdot(sum, sum2, g, h, rows, c),
    bnapply: (y, xh, x, mean, inv, gam, bet, rows, c) => k.bnapply(y, xh, x, mean, inv, gam, bet, rows, c),
    chanscale: (dst, x, scale, rows, c) => k.chanscale(dst, x, scale, rows, c),
    bnbwd: (dx, g, h, sum, sum2, coef, n, rows, c) => k.bnbwd(dx, g, h, sum, sum2, coef, n, rows, c),
    addrows: (y, b, rows, c) => k.addrows(y, b, rows, c),
    sumrows: (db, g, rows, c) => k.sumrows(db, g, rows, c),
    adam: (w, g, m, v, n, b1, c1, b2, c2, lr, eps, clip, doclip) => k.adam(w, g, m, v, n, b1, c1, b2, c2, lr, eps, clip, doclip),
    rmsprop: (w, g, a, n, rho, c, lr, eps, clip, doclip) => k.rmsprop(w, g, a, n, rho, c, lr, eps, clip, doclip),
    dropmask: (m, n, rate, scale) => k.dropmask(m, n, rate, scale),
    relu: (y, x, n) => k.relu(y, x, n),
    relubwd: (dx, g, y, n) => k.relubwd(dx, g, y, n),
    lrelu: (y, x, n, alpha) => k.lrelu(y, x, n, alpha),
    lrelubwd: (dx, g, x, n, alpha) => k.lrelubwd(dx, g, x, n, alpha),
    maxpool: (y, arg, x, n, h, w, c) => k.maxpool(y, arg, x, n, h, w, c),
    maxpoolbwd: (dx, dy, arg, n, h, w, c) => k.maxpoolbwd(dx, dy, arg, n, h, w, c),
    winow43: (u, w, c, n, adj) => k.winow43(u, w, c, n, adj),
    winoin43: (v, vs, d, rs, c, count) => k.winoin43(v, vs, d, rs, c, count),
    winoout43: (y, ys, m, ms, n, count) => k.winoout43(y, ys, m, ms, n, count),
    winody43: (e, es, dy, ys, n, count) => k.winody43(e, es, dy, ys, n, count),
    winogo43: (dw, m, c, n) => k.winogo43(dw, m, c, n),
    // The benchmarks' gauge of the machine's speed (core/kernels/peak_wasm_test.go).
    peak: (w, n) => k.peak(w, n),
  };
  return { imports, bind: (exports) => { k = exports; } };
}

if (typeof module === 'object' && module.exports) module.exports = { simdImports };
