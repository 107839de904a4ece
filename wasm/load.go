//go:build js && wasm

package main

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"vaeaug/core/data"
	"vaeaug/core/study"
)

// StageLoad is the progress stage of downloading and parsing MNIST.
const StageLoad = "load data"

// mnistFiles are fetched from the load request's base URL, in the order
// data.MNISTFromBytes takes them.
var mnistFiles = [4]string{
	data.TrainImagesFile, data.TrainLabelsFile, data.TestImagesFile, data.TestLabelsFile,
}

// load fetches and parses MNIST once; later load requests wait for the
// first and get the same answer.
func (w *worker) load(id int, base string) {
	w.ensureLoad(base)
	<-w.loaded
	if w.loadErr != nil {
		w.fail(id, 0, fmt.Errorf("load: %w", w.loadErr))
		return
	}
	w.emit(loadedEvent{Type: "loaded", ID: id, Bytes: w.dataBytes, Pool: w.data.Pool.Len(),
		Val: w.data.Val.Len(), Test: w.data.Test.Len(), Seconds: w.loadSeconds, memoryFields: w.mem.read()})
}

// ensureLoad starts fetching MNIST from base unless a load has started.
func (w *worker) ensureLoad(base string) {
	w.loadOnce.Do(func() {
		go func() {
			defer close(w.loaded)
			defer func() {
				if p := recover(); p != nil {
					w.loadErr = fmt.Errorf("internal error: %v", p)
				}
			}()
			w.data, w.loadErr = w.fetchMNIST(base)
		}()
	})
}

// waitData starts the load if nobody has, and waits for it.
func (w *worker) waitData() (*study.Data, error) {
	w.ensureLoad("gen/mnist/")
	<-w.loaded
	return w.data, w.loadErr
}

// fetchMNIST downloads the four files concurrently (reporting bytes as
// progress), then verifies and parses them.
func (w *worker) fetchMNIST(base string) (*study.Data, error) {
	start := time.Now()
	fetch, err := w.js.self.Get("fetch")
	if err != nil {
		return nil, err
	}
	var resp [4]safejs.Value
	promises := w.takePrefetch(base)
	for i, f := range mnistFiles {
		if promises[i].IsUndefined() {
			if promises[i], err = fetch.Invoke(base + f); err != nil {
				return nil, fmt.Errorf("fetch %s: %w", f, err)
			}
		}
	}
	total := 0
	for i, f := range mnistFiles {
		resp[i], err = await(promises[i])
		if err == nil && resp[i].IsNull() {
			// The worker's prefetch failed (it resolves to null then):
			// fetch again, so the error, if any, is the fetch's own.
			var pr safejs.Value
			if pr, err = fetch.Invoke(base + f); err == nil {
				resp[i], err = await(pr)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("fetch %s%s: %w", base, f, err)
		}
		if ok, _ := resp[i].Get("ok"); !truthy(ok) {
			status, _ := intProp(resp[i], "status")
			return nil, fmt.Errorf("fetch %s%s: HTTP status %d", base, f, status)
		}
		total += contentLength(resp[i])
	}
	p := progressEvent{Type: "progress", Stage: StageLoad, Total: total}
	last := time.Time{}
	report := func(final bool) {
		if !final && time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		p.Total = max(p.Total, p.Done)
		p.Elapsed = time.Since(start).Seconds()
		p.EtaSeconds = 0
		p.memoryFields = w.mem.read()
		if rate := float64(p.Done) / p.Elapsed; rate > 0 && p.Total > p.Done {
			p.EtaSeconds = float64(p.Total-p.Done) / rate
		}
		w.emit(p)
	}
	var files [4][]byte
	for i, f := range mnistFiles {
		if files[i], err = w.readBody(resp[i], func(n int) { p.Done += n; report(false) }); err != nil {
			return nil, fmt.Errorf("download %s%s: %w", base, f, err)
		}
	}
	report(true)
	w.dataBytes = p.Done
	train, test, err := w.parseMNIST(files)
	if err != nil {
		return nil, err
	}
	d, err := study.NewData("mnist", train, test)
	if err != nil {
		return nil, err
	}
	w.loadSeconds = time.Since(start).Seconds()
	return d, nil
}

// takePrefetch returns the fetch promises static/worker.js started for the
// four files at start-up (self.vaeaugPrefetch, keyed by file name) when
// base is the default folder, and removes them so that a later load
// fetches afresh. Entries it cannot find are left undefined.
func (w *worker) takePrefetch(base string) (promises [4]safejs.Value) {
	for i := range promises {
		promises[i] = safejs.Undefined()
	}
	pre, err := w.js.self.Get("vaeaugPrefetch")
	if err != nil || pre.Type() != safejs.TypeObject {
		return promises
	}
	_ = w.js.self.Delete("vaeaugPrefetch")
	if base != "gen/mnist/" {
		return promises
	}
	for i, f := range mnistFiles {
		if p, err := pre.Get(f); err == nil && p.Type() == safejs.TypeObject {
			promises[i] = p
		}
	}
	return promises
}

// parseMNIST verifies and parses the four downloaded .gz files. Where the
// worker script offers vaeaugGunzip (the browser's DecompressionStream),
// Go hashes the compressed bytes, checks the digests, and lets the browser
// unpack all four at once; otherwise Go gunzips them itself.
func (w *worker) parseMNIST(files [4][]byte) (train, test *data.Dataset, err error) {
	gunzip, err := w.js.self.Get("vaeaugGunzip")
	if err != nil || gunzip.Type() != safejs.TypeFunction {
		return data.MNISTFromBytes(files[0], files[1], files[2], files[3])
	}
	var sums [4][sha256.Size]byte
	for i, f := range files {
		sums[i] = sha256.Sum256(f)
	}
	if err := data.VerifyMNISTSums(sums); err != nil {
		return nil, nil, err
	}
	var promises [4]safejs.Value
	for i, f := range files {
		gz, err := w.js.bytesToJS(f)
		if err != nil {
			return nil, nil, err
		}
		if promises[i], err = gunzip.Invoke(gz); err != nil {
			return nil, nil, fmt.Errorf("unpack %s: %w", mnistFiles[i], err)
		}
	}
	var raw [4][]byte
	for i, pr := range promises {
		v, err := await(pr)
		if err != nil {
			return nil, nil, fmt.Errorf("unpack %s: %w", mnistFiles[i], err)
		}
		if raw[i], err = w.js.bytesFromJS(v); err != nil {
			return nil, nil, fmt.Errorf("unpack %s: %w", mnistFiles[i], err)
		}
	}
	return data.MNISTFromUnpacked(sums, raw[0], raw[1], raw[2], raw[3])
}

// readBody reads a fetch Response's body stream chunk by chunk, calling
// got with each chunk's size.
func (w *worker) readBody(resp safejs.Value, got func(int)) ([]byte, error) {
	body, err := resp.Get("body")
	if err != nil {
		return nil, err
	}
	size := contentLength(resp)
	out := make([]byte, 0, size)
	if body.IsNull() || body.IsUndefined() {
		// No streams (very old browsers): take the whole buffer at once.
		ab, err := resp.Call("arrayBuffer")
		if err != nil {
			return nil, err
		}
		buf, err := await(ab)
		if err != nil {
			return nil, err
		}
		b, err := w.js.bytesFromJS(buf)
		got(len(b))
		return b, err
	}
	reader, err := body.Call("getReader")
	if err != nil {
		return nil, err
	}
	for {
		pr, err := reader.Call("read")
		if err != nil {
			return nil, err
		}
		r, err := await(pr)
		if err != nil {
			return nil, err
		}
		if done, _ := r.Get("done"); truthy(done) {
			return out, nil
		}
		chunk, err := r.Get("value")
		if err != nil {
			return nil, err
		}
		n, err := intProp(chunk, "length")
		if err != nil {
			return nil, err
		}
		if len(out)+n > cap(out) {
			grown := make([]byte, len(out), 2*cap(out)+n)
			copy(grown, out)
			out = grown
		}
		if _, err := safejs.CopyBytesToGo(out[len(out):len(out)+n], chunk); err != nil {
			return nil, err
		}
		out = out[:len(out)+n]
		got(n)
	}
}

// contentLength is a response's Content-Length, 0 when unknown.
func contentLength(resp safejs.Value) int {
	h, err := resp.Get("headers")
	if err != nil {
		return 0
	}
	v, err := h.Call("get", "content-length")
	if err != nil || v.Type() != safejs.TypeString {
		return 0
	}
	s, err := v.String()
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1<<30 {
		return 0
	}
	return n
}

func truthy(v safejs.Value) bool {
	b, err := v.Truthy()
	return err == nil && b
}
