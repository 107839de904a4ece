//go:build js && wasm

// Command wasm is the vaeaug trainer as a Web Worker: built with
// GOOS=js GOARCH=wasm and started by static/worker.js, it receives requests
// from the page (load the data, start, pause, resume or stop a run, predict,
// export, latent walk) and answers with events (progress, samples, results,
// errors). The message protocol is documented in PROTOCOL.md beside this
// file. All training is done by vaeaug/core; this package only decodes a
// message, calls the core and posts the reply.
package main

import (
	"os"
	"runtime/debug"

	"vaeaug/core/study"
)

// gcPercent is the worker's GOGC.
const gcPercent = 25

func main() {
	// Validate refuses a run whose estimated peak exceeds the ceiling; the
	// soft limit makes the runtime collect garbage harder rather than grow
	// the (never shrinking) wasm memory past it.
	debug.SetMemoryLimit(study.MemoryCeiling)
	// A run's garbage is mostly whole buffers outgrown (a model's buffers
	// for a training batch, replaced by larger ones for evaluation or
	// generation): collecting once the heap has grown by a quarter, rather
	// than doubled, lets the next buffers reuse their memory instead of
	// growing the wasm memory. The heap is nearly all pointer-free
	// buffers, so a collection costs little.
	debug.SetGCPercent(gcPercent)
	w, err := newWorker()
	if err != nil {
		// Without onmessage nothing can be reported through the protocol:
		// say it on the console and exit, which worker.js turns into a
		// "fatal" event.
		os.Stderr.WriteString("vaeaug worker: " + err.Error() + "\n")
		os.Exit(1)
	}
	w.serve()
}
