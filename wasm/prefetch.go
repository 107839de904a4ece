//go:build js && wasm

package main

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"vaeaug/core/data"
	"vaeaug/core/study"
)

// The worker script (static/worker.js) starts downloading MNIST before Go
// runs and, where the browser can, also hashes (crypto.subtle) and unpacks
// (DecompressionStream) each file meanwhile, so that the data is ready about
// when the wasm is: a prefetch entry then resolves to {sha256, raw, gz}.
// Go checks the digests of the downloaded .gz files against the official
// ones before it parses anything, as it does for files it reads itself.

// isPrepared reports whether a prefetch entry resolved to a prepared file.
func isPrepared(v safejs.Value) bool {
	if v.Type() != safejs.TypeObject {
		return false
	}
	raw, err := v.Get("raw")
	return err == nil && raw.Type() == safejs.TypeObject
}

// watchPrefetch reports the worker script's download (its byte counts in
// self.vaeaugPrefetchProgress) every 100 ms until the returned stop is
// called.
func (p *loadProgress) watchPrefetch() (stop func()) {
	prog, err := p.w.js.self.Get("vaeaugPrefetchProgress")
	if err != nil || prog.Type() != safejs.TypeObject {
		return func() {}
	}
	quit := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				done, err1 := intProp(prog, "done")
				total, err2 := intProp(prog, "total")
				if err1 == nil && err2 == nil && done > 0 {
					p.done, p.total = done, total
					p.report(false)
				}
			}
		}
	}()
	return func() { close(quit) }
}

// fromPrepared checks and parses the four prepared files.
func (w *worker) fromPrepared(files [4]safejs.Value, p *loadProgress) (*study.Data, error) {
	var sums [4][sha256.Size]byte
	total := 0
	for i, v := range files {
		s, err := v.Get("sha256")
		if err != nil {
			return nil, err
		}
		b, err := w.js.bytesFromJS(s)
		if err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("unpack %s: no SHA-256 digest from the worker script", mnistFiles[i])
		}
		copy(sums[i][:], b)
		n, err := intProp(v, "gz")
		if err != nil {
			return nil, err
		}
		total += n
	}
	if err := data.VerifyMNISTSums(sums); err != nil {
		return nil, err
	}
	var raw [4][]byte
	for i, v := range files {
		r, err := v.Get("raw")
		if err == nil {
			raw[i], err = w.js.bytesFromJS(r)
		}
		if err != nil {
			return nil, fmt.Errorf("unpack %s: %w", mnistFiles[i], err)
		}
	}
	p.done, p.total = total, total
	p.report(true)
	w.dataBytes = total
	train, test, err := data.MNISTFromUnpacked(sums, raw[0], raw[1], raw[2], raw[3])
	if err != nil {
		return nil, err
	}
	d, err := study.NewData("mnist", train, test)
	if err != nil {
		return nil, err
	}
	w.loadSeconds = time.Since(p.start).Seconds()
	w.dataPrepared = true
	return d, nil
}
