package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Parallelism. A call splits its output (rows or columns of C, rows of the
// column matrix, images of dx) into disjoint chunks and never splits a sum,
// so every output element is computed by exactly one goroutine in exactly the
// serial order: the bits do not depend on GOMAXPROCS or on scheduling.
//
// Helpers are persistent goroutines fed through an unbuffered channel. The
// caller hands the job only to helpers that are idle right now (a failed
// non-blocking send means all are busy, e.g. serving another caller) and
// then works on the chunks itself. Chunks are claimed with an atomic counter,
// which balances the load when other processes steal a core, and the caller
// waits for the chunks, not for the helpers: a helper whose thread the OS
// has not woken yet by the time the chunks are gone costs nothing. The last
// of the caller and the helpers to let go of a job returns it to a free
// list (freelist.go); a job carries its own WaitGroup, so a call allocates
// nothing once warm.

// serialOnly is true where goroutines cannot run in parallel (js/wasm and
// wasip1 have one thread); there everything runs in the caller.
const serialOnly = runtime.GOARCH == "wasm"

var (
	// workers, when positive, overrides runtime.GOMAXPROCS(0) as the number
	// of goroutines (caller included) a call may use. Tests set it.
	workers int
	// parallelMin is the work (multiply-adds, or values moved) below which a
	// call runs serially: waking a helper costs microseconds, and on two
	// cores the split only paid off from about 200K multiply-adds (~60µs).
	parallelMin = 1 << 18
	// helperRuns counts jobs a helper goroutine took part in, so tests can
	// check that the parallel path really ran.
	helperRuns atomic.Int64
)

type op uint8

const (
	opGemm op = iota
	opGemmTA
	opGemmTB
	opTranspose
	opIm2col
	opCol2im
	opConv
	opConvBwdWeights
	opConvBwdData
	opWino
	opWinoGrad
)

// usesScratch reports whether a chunk of the op needs packing or block
// buffers.
func (o op) usesScratch() bool {
	return o == opGemm || o == opGemmTA || o == opGemmTB || o == opConv || o == opConvBwdWeights || o == opConvBwdData || o == opWino || o == opWinoGrad
}

// job is one parallel call: its operands, how its output is cut into chunks
// and the counter the participants claim chunks with.
type job struct {
	op      op
	c, a, b []float32
	m, n, k int
	acc     bool
	byCols  bool
	g       Conv3x3

	total, chunk, nchunk int
	next                 atomic.Int64   // next chunk to claim
	refs                 atomic.Int32   // goroutines still holding the job
	wg                   sync.WaitGroup // chunks not yet finished
}

var jobPool = freeList[job]{new: func() *job { return new(job) }}

func getJob(o op) *job {
	j := jobPool.get()
	j.op = o
	j.next.Store(0)
	return j
}

// putJob drops the operand references so a pooled job does not keep large
// slices alive.
func putJob(j *job) {
	j.c, j.a, j.b = nil, nil, nil
	jobPool.put(j)
}

// parts returns how many goroutines a call with the given amount of work
// should use.
func parts(work int) int {
	if serialOnly || work < parallelMin {
		return 1
	}
	if workers > 0 {
		return workers
	}
	return runtime.GOMAXPROCS(0)
}

// split cuts [0,total) into chunks of about total/(per*np), rounded up to
// a multiple of align so the chunk edges fall on tile edges; per > 1 chunks
// per participant let a participant slowed down by other load hand work to
// the others. Where that rounding would leave fewer chunks than
// participants, it cuts np equal chunks instead.
func (j *job) split(total, align, per, np int) {
	chunk := (total + per*np - 1) / (per * np)
	if chunk < align {
		chunk = (total + np - 1) / np
	} else {
		chunk = (chunk + align - 1) / align * align
	}
	j.total, j.chunk = total, chunk
	j.nchunk = (total + chunk - 1) / chunk
}

// exec runs the job on the caller and up to np-1 idle helpers and returns
// when every chunk is done. The job must not be touched afterwards: a helper
// that has not looked at it yet still holds it, and recycles it.
func (j *job) exec(np int) {
	helpers := min(np, j.nchunk) - 1
	j.wg.Add(j.nchunk)
	j.refs.Store(int32(helpers + 1))
	if helpers > 0 {
		startHelpers(helpers)
	}
	for range helpers {
		select {
		case jobs <- j:
		default:
			j.refs.Add(-1)
		}
	}
	j.run()
	j.wg.Wait()
	j.release()
}

// release drops one hold on the job and recycles it after the last one.
func (j *job) release() {
	if j.refs.Add(-1) == 0 {
		putJob(j)
	}
}

// run claims and computes chunks until none are left.
func (j *job) run() {
	var s *scratch
	for {
		t := int(j.next.Add(1)) - 1
		if t >= j.nchunk {
			break
		}
		lo := t * j.chunk
		hi := min(lo+j.chunk, j.total)
		if s == nil && j.op.usesScratch() {
			s = scratchPool.get()
		}
		switch j.op {
		case opGemm, opGemmTA, opGemmTB:
			if j.byCols {
				gemmRange(j.op, j.c, j.a, j.b, j.m, j.n, j.k, j.acc, 0, j.m, lo, hi, s)
			} else {
				gemmRange(j.op, j.c, j.a, j.b, j.m, j.n, j.k, j.acc, lo, hi, 0, j.n, s)
			}
		case opTranspose:
			// Columns [lo,hi) of src are the contiguous rows [lo,hi) of dst.
			transposeBlock(j.c[lo*j.m:], j.m, j.a[lo:], j.n, j.m, hi-lo)
		case opIm2col:
			im2colRange(j.c[lo*j.g.Cols():], j.a, j.g, lo, hi)
		case opConv:
			convRange(j.c, j.a, j.b, j.g, j.n, lo, hi, s)
		case opConvBwdWeights:
			convBwdWeightsRange(j.c, j.a, j.b, j.g, j.n, lo, hi, s)
		case opConvBwdData:
			convBwdDataRange(j.c, j.a, j.b, j.g, j.n, lo, hi, s)
		case opWino:
			wino43Range(j.c, j.a, j.b, j.g, j.n, lo, hi, s)
		case opWinoGrad:
			wino43GradRange(j.c, j.a, j.b, j.g, j.n, lo, hi, s)
		case opCol2im:
			col2imRange(j.c, j.a, j.g, lo, hi)
		}
		j.wg.Done()
	}
	if s != nil {
		scratchPool.put(s)
	}
}

var (
	jobs     = make(chan *job)
	helpMu   sync.Mutex
	nHelpers atomic.Int64
)

// startHelpers makes sure at least n helper goroutines exist. They are
// started on first use and live for the rest of the process, parked on the
// channel when idle.
func startHelpers(n int) {
	if int(nHelpers.Load()) >= n {
		return
	}
	helpMu.Lock()
	for int(nHelpers.Load()) < n {
		nHelpers.Add(1)
		go helper()
	}
	helpMu.Unlock()
}

func helper() {
	for j := range jobs {
		helperRuns.Add(1)
		j.run()
		j.release()
	}
}
