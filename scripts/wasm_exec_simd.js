// Runs a GOOS=js wasm binary under Node like Go's lib/wasm/wasm_exec_node.js,
// and supplies the "simd" import module that core/kernels declares with
// //go:wasmimport (core/kernels/simd_wasm.go):
//
//   - by default, forwarders (static/simd-imports.js, the trainer's own)
//     into the SIMD128 kernels of core/kernels/simd/kernels.wat, compiled
//     here with the npm package wabt (scripts/simd; `make simd-deps`) and
//     instantiated with Go's own memory; simd.available() returns 1. If
//     the kernels cannot be built, it fails rather than silently testing
//     the pure-Go path.
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

// simdImports is the trainer's own table of forwarders (static/simd-imports.js).
// Without the kernels, each but available() says so if Go ever calls it.
function simdImports() {
	const simd = require(path.join(root, "static/simd-imports.js")).simdImports();
	if (!useSIMD) {
		const missing = () => { throw new Error("simd kernel called while simd.available() is 0"); };
		for (const name of Object.keys(simd.imports)) {
			if (name !== "available") simd.imports[name] = missing;
		}
	}
	return simd;
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
