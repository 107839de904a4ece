//go:build js && wasm

package main

import (
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/hack-pad/safejs"

	"vaeaug/core/kernels"
	"vaeaug/core/study"
)

// request is an incoming message: its id, type and the JS object itself
// (from which each handler reads its own fields).
type request struct {
	id  int
	typ string
	msg safejs.Value
}

// worker is the state of the Web Worker: the data once loaded, the current
// run, and the weights kept from the last one.
type worker struct {
	js    *jsEnv
	y     *yielder
	inbox chan request
	onMsg safejs.Func

	loadOnce sync.Once
	loaded   chan struct{} // closed when the load finished (data or loadErr set)
	data     *study.Data
	loadErr  error
	// dataBytes and loadSeconds describe the finished load.
	dataBytes    int
	loadSeconds  float64
	dataPrepared bool

	mu  sync.Mutex
	cur *run // the run in progress, nil when idle

	kept keptModels
	mem  *memoryMeter
}

func newWorker() (*worker, error) {
	js, err := newJSEnv()
	if err != nil {
		return nil, err
	}
	y, err := newYielder()
	if err != nil {
		return nil, fmt.Errorf("yielder: %w", err)
	}
	w := &worker{js: js, y: y, inbox: make(chan request, 1024), loaded: make(chan struct{}), mem: newMemoryMeter()}
	w.onMsg, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			if data, err := args[0].Get("data"); err == nil {
				w.enqueue(data)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// enqueue reads a request's id and type and hands it to the dispatcher. It
// runs inside a JS callback, so it must not block: a full inbox (1024
// requests unread) drops the request with an error event.
func (w *worker) enqueue(data safejs.Value) {
	id, _ := optInt(data, "id", 0)
	typ, err := optString(data, "type", "")
	if err != nil || typ == "" {
		w.fail(id, 0, fmt.Errorf("a request needs a string field \"type\""))
		return
	}
	select {
	case w.inbox <- request{id: id, typ: typ, msg: data}:
	default:
		w.fail(id, 0, fmt.Errorf("%s: too many requests queued", typ))
	}
}

// serve takes over onmessage, handles the requests that worker.js queued
// before Go was ready, announces itself and then dispatches forever.
func (w *worker) serve() {
	queued, _ := w.js.self.Get("vaeaugQueue")
	if err := w.js.self.Set("onmessage", w.onMsg); err != nil {
		panic(err) // cannot happen in a worker; main's caller sees the exit
	}
	if n, err := queued.Length(); err == nil {
		for i := range n {
			if data, err := queued.Index(i); err == nil {
				w.enqueue(data)
			}
		}
	}
	_ = w.js.self.Delete("vaeaugQueue")
	w.emit(readyEvent{Type: "ready", Version: protocolVersion, SIMD: kernels.SIMD(), memoryFields: w.mem.read(),
		MemoryCeiling: study.MemoryCeiling})
	for req := range w.inbox {
		w.dispatch(req)
	}
}

// dispatch handles one request. Quick requests are answered here; load and
// start continue in their own goroutines. A panic becomes an error event.
func (w *worker) dispatch(req request) {
	defer func() {
		if p := recover(); p != nil {
			w.emit(errorEvent{Type: "error", ID: req.id,
				Message: fmt.Sprintf("%s: internal error: %v", req.typ, p), Detail: string(debug.Stack())})
		}
	}()
	var err error
	switch req.typ {
	case "ping":
		w.emit(idEvent{Type: "pong", ID: req.id})
	case "load":
		base, e := optString(req.msg, "base", "gen/mnist/")
		if e != nil {
			err = e
			break
		}
		go w.load(req.id, base)
	case "start":
		err = w.start(req)
	case "pause", "resume", "stop":
		err = w.control(req)
	case "predict":
		err = w.predict(req)
	case "export":
		err = w.export(req)
	case "weights":
		err = w.setWeights(req)
	case "walk":
		err = w.walk(req)
	case "recon":
		err = w.recon(req)
	default:
		err = fmt.Errorf("unknown request type %q", req.typ)
	}
	if err != nil {
		w.fail(req.id, 0, fmt.Errorf("%s: %w", req.typ, err))
	}
}

// emit posts an event, logging (not returning) a failure: there is nobody
// else to tell.
func (w *worker) emit(ev any, bins ...binaryField) {
	if err := w.js.post(ev, bins...); err != nil {
		println("vaeaug worker: post:", err.Error())
	}
}

// fail posts an error event for request id (and run runID, when not 0).
func (w *worker) fail(id, runID int, err error) {
	w.emit(errorEvent{Type: "error", ID: id, RunID: runID, Message: err.Error()})
}
