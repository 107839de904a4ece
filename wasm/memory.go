//go:build js && wasm

package main

import (
	"runtime/metrics"
	"sync"

	"github.com/hack-pad/safejs"
)

// memoryGlobal is the worker global through which worker.js hands Go the
// WebAssembly.Memory of the instance it runs (instance.exports.mem). Go has
// no supported way to reach its own instance: wasm_exec.js keeps it to
// itself, so the host has to offer it.
const memoryGlobal = "vaeaugMemory"

// memoryFields are the memory figures that ready, progress, loaded, armDone
// and result events carry (PROTOCOL.md, "Memory").
type memoryFields struct {
	// WasmMemory is the size in bytes of the worker's WebAssembly memory,
	// which only ever grows: so it is also the peak so far.
	WasmMemory int64 `json:"wasmMemory"`
	// HeapLive is the Go heap that the last garbage collection found
	// reachable, in bytes.
	HeapLive int64 `json:"heapLive"`
	// MemoryExact is false when WasmMemory is the fallback figure, the Go
	// runtime's own count (see memoryMeter).
	MemoryExact bool `json:"memoryExact"`
}

// memoryMeter reads the worker's memory size.
//
// The exact figure is the byteLength of the WebAssembly.Memory that
// worker.js puts in the global vaeaugMemory before it starts Go (checked to
// be a WebAssembly.Memory at least as large as what the Go runtime has
// mapped, so a stray global of that name is not taken for it). A host that
// does not set it (Node, the benchmark worker) gets the fallback: the Go
// runtime's own count of the memory it has mapped (runtime/metrics
// /memory/classes/total:bytes), which on js/wasm falls short of the real
// size (2.4 MiB against 12 MiB at start-up: it leaves out the module's
// static data). Either is kept as a running maximum, so that the figure
// never decreases, as the real memory never shrinks. If reading the Memory
// ever fails, the meter keeps to the fallback from then on and says so in
// MemoryExact, rather than mix the two sources.
type memoryMeter struct {
	mu      sync.Mutex
	mem     safejs.Value // the WebAssembly.Memory, when exact
	exact   bool
	peak    int64
	samples []metrics.Sample
}

func newMemoryMeter() *memoryMeter {
	m := &memoryMeter{samples: []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}}
	metrics.Read(m.samples)
	var mapped int64
	if v := m.samples[0].Value; v.Kind() == metrics.KindUint64 {
		mapped = int64(v.Uint64())
	}
	m.mem, m.exact = hostMemory(mapped)
	return m
}

// read returns the current figures.
func (m *memoryMeter) read() memoryFields {
	m.mu.Lock()
	defer m.mu.Unlock()
	metrics.Read(m.samples)
	var f memoryFields
	if v := m.samples[1].Value; v.Kind() == metrics.KindUint64 {
		f.HeapLive = int64(v.Uint64())
	}
	if m.exact {
		if n, err := byteLength(m.mem); err == nil && n > 0 {
			m.peak = max(m.peak, n)
			f.WasmMemory, f.MemoryExact = m.peak, true
			return f
		}
		m.exact = false
	}
	if v := m.samples[0].Value; v.Kind() == metrics.KindUint64 {
		m.peak = max(m.peak, int64(v.Uint64()))
	}
	f.WasmMemory = m.peak
	return f
}

func byteLength(mem safejs.Value) (int64, error) {
	buf, err := mem.Get("buffer")
	if err != nil {
		return 0, err
	}
	n, err := intProp(buf, "byteLength")
	return int64(n), err
}

// hostMemory returns the WebAssembly.Memory that the host put in
// memoryGlobal, and whether it is there and plausibly Go's own: a
// WebAssembly.Memory whose size is at least mapped, the bytes the Go
// runtime has mapped in its linear memory.
func hostMemory(mapped int64) (safejs.Value, bool) {
	none := safejs.Undefined()
	g := safejs.Global()
	mem, err := g.Get(memoryGlobal)
	if err != nil || mem.Type() != safejs.TypeObject {
		return none, false
	}
	class, err := g.Get("WebAssembly")
	if err == nil && class.Type() == safejs.TypeObject {
		class, err = class.Get("Memory")
	}
	if err != nil || class.Type() != safejs.TypeFunction {
		return none, false
	}
	if ok, err := mem.InstanceOf(class); err != nil || !ok {
		return none, false
	}
	if n, err := byteLength(mem); err != nil || n < mapped {
		return none, false
	}
	return mem, true
}
