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
		Val: w.data.Val.Len(), Test: w.data.Test.Len(), Seconds: w.loadSeconds, Prepared: w.dataPrepared,
		memoryFields: w.mem.read()})
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
// progress), then verifies and parses them. Files the worker script has
// already downloaded, hashed and unpacked (prefetch.go) are taken as they
// are.
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
	p := &loadProgress{w: w, start: start}
	stopWatch := p.watchPrefetch()
	var prepared [4]safejs.Value
	var errs [4]error
	ready := 0
	for i := range mnistFiles {
		if resp[i], errs[i] = await(promises[i]); errs[i] == nil && isPrepared(resp[i]) {
			prepared[i] = resp[i]
			ready++
		}
	}
	stopWatch()
	if ready == len(mnistFiles) {
		return w.fromPrepared(prepared, p)
	}
	total := 0
	for i, f := range mnistFiles {
		err := errs[i]
		if err == nil && (resp[i].IsNull() || isPrepared(resp[i])) {
			// The worker's prefetch failed (it resolves to null then),
			// or prepared only some of the files: fetch again (from
			// the HTTP cache), so the error, if any, is the fetch's own.
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
	p.done, p.total = 0, total
	var files [4][]byte
	for i, f := range mnistFiles {
		if files[i], err = w.readBody(resp[i], func(n int) { p.done += n; p.report(false) }); err != nil {
			return nil, fmt.Errorf("download %s%s: %w", base, f, err)
		}
	}
	p.report(true)
	w.dataBytes = p.done
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

// loadProgress posts the "load data" progress events: bytes downloaded of
// the total known so far, at most every 100 ms until the last.
type loadProgress struct {
	w           *worker
	start, last time.Time
	done, total int
}

func (p *loadProgress) report(final bool) {
	if !final && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	ev := progressEvent{Type: "progress", Stage: StageLoad, Done: p.done, Total: max(p.total, p.done),
		Elapsed: time.Since(p.start).Seconds(), memoryFields: p.w.mem.read()}
	if rate := float64(ev.Done) / ev.Elapsed; rate > 0 && ev.Total > ev.Done {
		ev.EtaSeconds = float64(ev.Total-ev.Done) / rate
	}
	p.w.emit(ev)
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
