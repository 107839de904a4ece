// Runs a GOOS=js wasm binary under Node like Go's lib/wasm/wasm_exec_node.js,
// and supplies the "simd" import module that core/kernels declares with
// //go:wasmimport (core/kernels/simd_wasm.go):
//
//   - by default, forwarders into the SIMD128 kernels of
//     core/kernels/simd/kernels.wat, compiled here with the npm package wabt
//     (scripts/simd; `make simd-deps`) and instantiated with Go's own memory;
//     simd.available() returns 1. If the kernels cannot be built, it fails
//     rather than silently testing the pure-Go path.
//   - with VAEAUG_SIMD=0, a stub whose available() returns 0, so Go keeps to
//     its pure-Go kernels and never calls the others.
//   - with VAEAUG_WAT=file, the kernels of that file instead of the tree's:
//     one test binary timed against two versions of the kernels, alternated
//     in one shell loop (the machine's speed drifts too much for runs
//     minutes apart to compare).
//
// Usage (through scripts/go_js_wasm_exec_simd): node wasm_exec_simd.js prog.wasm [args]
"use strict";

const fs = require("fs");
const path = require("path");

if (process.argv.length < 3) {
	console.error("usage: go_js_wasm_exec_simd [wasm binary] [arguments]");
	process.exit(1);
}

const goWasmDir = process.env.VAEAUG_GO_WASM_DIR;
if (!goWasmDir) {
	console.error("wasm_exec_simd: VAEAUG_GO_WASM_DIR (Go's lib/wasm) is not set; run through scripts/go_js_wasm_exec_simd");
	process.exit(1);
}

globalThis.require = require;
globalThis.fs = fs;
globalThis.path = path;
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("performance");
globalThis.crypto ??= require("crypto");

require(path.join(goWasmDir, "wasm_exec.js"));

const root = path.join(__dirname, "..");
const useSIMD = process.env.VAEAUG_SIMD !== "0";

// kernelBytes compiles the kernel module from its text.
async function kernelBytes() {
	let wabtInit;
	try {
		wabtInit = require(path.join(__dirname, "simd/node_modules/wabt"));
	} catch (err) {
		throw new Error("npm package wabt missing: run `make simd-deps` (or set VAEAUG_SIMD=0): " + err.message);
	}
	const wabt = await wabtInit();
	const src = process.env.VAEAUG_WAT || path.join(root, "core/kernels/simd/kernels.wat");
	const mod = wabt.parseWat("kernels.wat", fs.readFileSync(src, "utf8"), { simd: true });
	try {
		mod.resolveNames();
		mod.validate();
		return mod.toBinary({ log: false, write_debug_names: true }).buffer;
	} finally {
		mod.destroy();
	}
}

// simdImports returns the "simd" import module and a function that binds it
// to the kernels once Go's instance (and so its memory) exists.
function simdImports() {
	let k = null;
	const missing = () => { throw new Error("simd kernel called while simd.available() is 0"); };
	const imports = {
		available: () => (k ? 1 : 0),
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
	if (!useSIMD) {
		for (const name of Object.keys(imports)) {
			if (name !== "available") imports[name] = missing;
		}
	}
	return { imports, bind: (exports) => { k = exports; } };
}

(async () => {
	const go = new Go();
	go.argv = process.argv.slice(2);
	const env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
	delete env.VAEAUG_GO_WASM_DIR;
	go.env = env;
	go.exit = process.exit;
	const simd = simdImports();
	go.importObject.simd = simd.imports;
	const kernels = useSIMD ? await WebAssembly.compile(await kernelBytes()) : null;
	const result = await WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject);
	if (kernels) {
		const k = await WebAssembly.instantiate(kernels, { go: { mem: result.instance.exports.mem } });
		simd.bind(k.exports);
	}
	process.on("exit", (code) => { // Node.js exits if no event handler is pending
		if (code === 0 && !go.exited) {
			// deadlock, make Go print error and stack traces
			go._pendingEvent = { id: 0 };
			go._resume();
		}
	});
	return go.run(result.instance);
})().catch((err) => {
	console.error(err);
	process.exit(1);
});
