//go:build js && wasm

// Command wasm is the vaeaug trainer as a Web Worker: built with
// GOOS=js GOARCH=wasm and started by static/worker.js, it receives requests
// from the page (load the data, start, pause, resume or stop a run, predict,
// export, latent walk) and answers with events (progress, samples, results,
// errors). The message protocol is documented in PROTOCOL.md beside this
// file. All training is done by vaeaug/core; this package only decodes a
// message, calls the core and posts the reply.
package main

import "os"

func main() {
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
