package kernels

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// gemmFunc is the shared signature of Gemm, GemmTA and GemmTB.
type gemmFunc func(c, a, b []float32, m, n, k int, acc bool)

// The references spell out the documented order for each C[i,j]: start from
// the old value or +0, then add the rounded products for p = 0..k-1.

func refGemm(c, a, b []float32, m, n, k int, acc bool) {
	for i := range m {
		for j := range n {
			var s float32
			if acc {
				s = c[i*n+j]
			}
			for p := range k {
				s += float32(a[i*k+p] * b[p*n+j])
			}
			c[i*n+j] = s
		}
	}
}

func refGemmTA(c, a, b []float32, m, n, k int, acc bool) {
	for i := range m {
		for j := range n {
			var s float32
			if acc {
				s = c[i*n+j]
			}
			for p := range k {
				s += float32(a[p*m+i] * b[p*n+j])
			}
			c[i*n+j] = s
		}
	}
}

func refGemmTB(c, a, b []float32, m, n, k int, acc bool) {
	for i := range m {
		for j := range n {
			var s float32
			if acc {
				s = c[i*n+j]
			}
			for p := range k {
				s += float32(a[i*k+p] * b[j*k+p])
			}
			c[i*n+j] = s
		}
	}
}

// randSlice returns values whose sums are sensitive to order: mixed signs
// and magnitudes, with some exact zeros of both signs.
func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		switch r := rng.IntN(20); {
		case r == 0:
			s[i] = float32(math.Copysign(0, -1))
		case r == 1:
			s[i] = 0
		case r == 2:
			s[i] = (float32(rng.Float32()*2) - 1) * 1e4
		default:
			// The conversion keeps the compiler from fusing into an FMA, so
			// the data are the same bits on every platform.
			s[i] = float32(rng.Float32()*2) - 1
		}
	}
	return s
}

// mode is a way of running the kernels: serial in the caller, or forced
// onto the pool with more participants than cores.
type mode struct {
	name        string
	workers     int
	parallelMin int
}

var modes = []mode{
	{"serial", 1, 1 << 18},
	{"par2", 2, 0},
	{"par5", 5, 0},
}

// withMode runs f with the kernels configured as m, restoring the defaults.
func withMode(m mode, f func()) {
	w, pm := workers, parallelMin
	workers, parallelMin = m.workers, m.parallelMin
	defer func() { workers, parallelMin = w, pm }()
	f()
}

const guard = 12345.678

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d = %v (%#08x), want %v (%#08x)", what, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

type shape struct{ m, n, k int }

// gemmShapes covers every edge size in each dimension plus shapes that cross
// the p and column blocks and the parallel chunk boundaries.
func gemmShapes() []shape {
	edge := []int{1, 2, 3, 5, 7, 8, 9, 17, 33}
	var s []shape
	for _, m := range edge {
		for _, n := range edge {
			for _, k := range edge {
				s = append(s, shape{m, n, k})
			}
		}
	}
	return append(s,
		shape{0, 5, 3}, shape{4, 0, 3}, shape{4, 5, 0},
		shape{70, 1, 290}, shape{1, 70, 290}, shape{37, 19, 513},
		shape{5, 1030, 300}, shape{130, 24, 40}, shape{64, 64, 64},
		// Short and wide with a long k, like a dense layer's input
		// gradient over a batch: the SIMD128 GemmTB computes Cᵀ = B·Aᵀ.
		shape{32, 300, 250}, shape{12, 97, 203},
		// Rows of B 2 KiB and 256 bytes apart: the SIMD128 kernels copy
		// their panels (panelConflicts).
		shape{9, 512, 40}, shape{40, 64, 300},
		// Two or three columns past the panels, as the 10-class layer
		// leaves (SIMD128: gemv2 or, for GemmTA, colt2, then gemv or
		// colt), with m and k off their multiples of 8 and 4.
		shape{32, 10, 512}, shape{45, 10, 37}, shape{17, 11, 6}, shape{16, 14, 3},
		// The 10-class layer's weight gradient as GemmTA takes it (m = 512
		// inputs, n = 10 classes, k = 32 images), and shapes like it.
		shape{512, 10, 32}, shape{72, 13, 7}, shape{64, 9, 40},
		// Short p runs across wide rows, as a dense layer's input gradient
		// (k = 10 classes) and the VAE decoder's dense layer make them
		// (SIMD128: rows outer, tiles4x8 along them), with m off its multiple of 4.
		// In blocks of columns where B outgrows L1 (simdRunShortWide).
		shape{32, 512, 10}, shape{9, 131, 20}, shape{13, 200, 32}, shape{5, 1030, 20},
		// Several blocks of rows and several p runs, in both orders the
		// SIMD128 kernels take them (GemmTA: each run through every block).
		shape{150, 16, 600},
	)
}

// testGemm is the conformance suite for one product: it must match the
// reference bit for bit, leave the tail of C alone and give the same bits in
// every mode.
func testGemm(t *testing.T, gemm, ref gemmFunc) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range gemmShapes() {
		a := randSlice(rng, s.m*s.k)
		b := randSlice(rng, s.k*s.n)
		c0 := randSlice(rng, s.m*s.n)
		for _, acc := range []bool{false, true} {
			want := append([]float32(nil), c0...)
			ref(want, a, b, s.m, s.n, s.k, acc)
			for _, md := range modes {
				c := append(append([]float32(nil), c0...), guard, guard)
				withMode(md, func() { gemm(c, a, b, s.m, s.n, s.k, acc) })
				what := fmt.Sprintf("%s m=%d n=%d k=%d acc=%v", md.name, s.m, s.n, s.k, acc)
				sameBits(t, what, c, want)
				if c[len(c)-2] != guard || c[len(c)-1] != guard {
					t.Fatalf("%s: wrote past m*n", what)
				}
			}
		}
	}
}

func TestGemm(t *testing.T)   { testGemm(t, Gemm, refGemm) }
func TestGemmTA(t *testing.T) { testGemm(t, GemmTA, refGemmTA) }
func TestGemmTB(t *testing.T) { testGemm(t, GemmTB, refGemmTB) }

// TestGemmTBIsGemmOfTranspose checks the documented identity with Gemm.
// TestGemmTBIsGemmOfTranspose checks GemmTB against Gemm of the transposed
// B, bit for bit, at shapes that take one block of B and several: on the
// SIMD128 path GemmTB transposes B a block of columns and a p run at a
// time (simdGemmTBBlocked), so 300×600 makes seven blocks of two runs.
func TestGemmTBIsGemmOfTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range []shape{{13, 21, 300}, {37, 300, 600}, {5, 1030, 40}, {70, 50, 3001}} {
		a, b := randSlice(rng, s.m*s.k), randSlice(rng, s.n*s.k)
		bt := make([]float32, s.k*s.n)
		Transpose(bt, b, s.n, s.k)
		want, got := make([]float32, s.m*s.n), make([]float32, s.m*s.n)
		Gemm(want, a, bt, s.m, s.n, s.k, false)
		GemmTB(got, a, b, s.m, s.n, s.k, false)
		sameBits(t, fmt.Sprintf("GemmTB vs Gemm %v", s), got, want)
	}
}

// TestTransposeBlockStrided checks transposeBlock on a block inside larger
// matrices (row strides past the block) and that it writes nothing outside
// the block's transpose: the SIMD128 path moves the 4×4 squares and Go the
// edges.
func TestTransposeBlockStrided(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, s := range []struct{ rows, cols int }{{1, 1}, {4, 4}, {7, 9}, {8, 13}, {17, 4}, {3, 40}} {
		lds, ldd := s.cols+5, s.rows+3
		src := randSlice(rng, s.rows*lds)
		dst := make([]float32, s.cols*ldd)
		for i := range dst {
			dst[i] = guard
		}
		transposeBlock(dst, ldd, src, lds, s.rows, s.cols)
		for c := range s.cols {
			for r := range ldd {
				want := float32(guard)
				if r < s.rows {
					want = src[r*lds+c]
				}
				if got := dst[c*ldd+r]; math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("%dx%d: dst[%d,%d] = %v, want %v", s.rows, s.cols, c, r, got, want)
				}
			}
		}
	}
}

// TestGemmSignedZero checks that acc=false starts from +0 rather than from
// the first product, which would keep a -0.
func TestGemmSignedZero(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	for _, f := range []gemmFunc{Gemm, GemmTA, GemmTB} {
		for _, s := range []shape{{9, 9, 3}, {1, 1, 1}, {16, 16, 2}} {
			a := make([]float32, s.m*s.k)
			for i := range a {
				a[i] = negZero
			}
			b := make([]float32, s.k*s.n)
			for i := range b {
				b[i] = 1
			}
			c := make([]float32, s.m*s.n)
			for i := range c {
				c[i] = 7
			}
			f(c, a, b, s.m, s.n, s.k, false)
			for i, v := range c {
				if math.Float32bits(v) != 0 {
					t.Fatalf("%v: c[%d] = %#08x, want +0", s, i, math.Float32bits(v))
				}
			}
		}
	}
}

// TestParallelPathRuns makes sure the forced-parallel mode really hands
// chunks to helper goroutines, so the mode comparison above means something.
func TestParallelPathRuns(t *testing.T) {
	if serialOnly {
		t.Skip("no helpers on wasm")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	m, n, k := 512, 64, 256
	a, b, c := randSlice(rng, m*k), randSlice(rng, k*n), make([]float32, m*n)
	before := helperRuns.Load()
	withMode(mode{"par4", 4, 0}, func() {
		for range 50 {
			Gemm(c, a, b, m, n, k, false)
			if helperRuns.Load() > before {
				break
			}
			runtime.Gosched()
		}
	})
	if helperRuns.Load() == before {
		t.Fatal("no helper goroutine took part in 50 parallel calls")
	}
}

// TestConcurrentCallers runs products from several goroutines at once, so
// jobs from different callers share the helpers.
func TestConcurrentCallers(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	m, n, k := 150, 40, 70
	a, b := randSlice(rng, m*k), randSlice(rng, k*n)
	want := make([]float32, m*n)
	refGemm(want, a, b, m, n, k, false)
	withMode(modes[2], func() {
		errs := make(chan string, 8)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := make([]float32, m*n)
				for range 20 {
					Gemm(c, a, b, m, n, k, false)
					for i := range c {
						if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
							errs <- fmt.Sprintf("element %d = %v, want %v", i, c[i], want[i])
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})
}

func TestTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, rows := range []int{0, 1, 2, 3, 5, 16, 17, 33, 100} {
		for _, cols := range []int{0, 1, 2, 7, 16, 31, 300} {
			src := randSlice(rng, rows*cols)
			want := make([]float32, rows*cols)
			for r := range rows {
				for c := range cols {
					want[c*rows+r] = src[r*cols+c]
				}
			}
			for _, md := range modes {
				got := append(make([]float32, rows*cols), guard)
				withMode(md, func() { Transpose(got, src, rows, cols) })
				sameBits(t, fmt.Sprintf("%s %dx%d", md.name, rows, cols), got, want)
				if got[rows*cols] != guard {
					t.Fatalf("%dx%d: wrote past the end", rows, cols)
				}
			}
		}
	}
}

// expectShapePanic runs f and fails unless it panics with an error wrapping
// ErrShape.
func expectShapePanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrShape) {
			t.Errorf("%s: recovered %v, want an error wrapping ErrShape", name, r)
		}
	}()
	f()
}

func TestShapePanics(t *testing.T) {
	s := make([]float32, 11)
	g := Conv3x3{N: 1, H: 4, W: 4, C: 1, Stride: 1}
	cases := []struct {
		name string
		f    func()
	}{
		{"Gemm short c", func() { Gemm(s[:5], s, s, 2, 3, 2, false) }},
		{"Gemm short a", func() { Gemm(s, s[:3], s, 2, 3, 2, false) }},
		{"Gemm short b", func() { Gemm(s, s, s[:5], 2, 3, 2, false) }},
		{"Gemm negative", func() { Gemm(s, s, s, -1, 3, 2, false) }},
		{"GemmTA short a", func() { GemmTA(s, s[:3], s, 2, 3, 2, true) }},
		{"GemmTA short b", func() { GemmTA(s, s, s[:5], 2, 3, 2, true) }},
		{"GemmTB short b", func() { GemmTB(s, s, s[:5], 2, 3, 2, true) }},
		{"GemmTB short c", func() { GemmTB(s[:1], s, s, 2, 3, 2, true) }},
		{"Transpose short dst", func() { Transpose(s[:5], s, 2, 3) }},
		{"Transpose short src", func() { Transpose(s, s[:5], 2, 3) }},
		{"Im2col short cols", func() { Im2col(make([]float32, 16*9-1), make([]float32, 16), g) }},
		{"Im2col short x", func() { Im2col(make([]float32, 16*9), make([]float32, 15), g) }},
		{"Col2im short dx", func() { Col2im(make([]float32, 15), make([]float32, 16*9), g) }},
		{"Col2im short dcols", func() { Col2im(make([]float32, 16), make([]float32, 16*9-1), g) }},
	}
	for _, tc := range cases {
		expectShapePanic(t, tc.name, tc.f)
	}
}

// TestZeroAllocs checks that warm calls allocate nothing, both on the
// serial path (AllocsPerRun sets GOMAXPROCS to 1) and with the pool forced
// on.
func TestZeroAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	g := Conv3x3{N: 8, H: 14, W: 14, C: 16, Stride: 1}
	m, k, n := g.Rows(), g.Cols(), 32
	x := randSlice(rng, g.N*g.H*g.W*g.C)
	cols := make([]float32, m*k)
	w := randSlice(rng, k*n)
	y := make([]float32, m*n)
	dw := make([]float32, k*n)
	dcols := make([]float32, m*k)
	dx := make([]float32, len(x))
	wt := make([]float32, n*k)
	calls := []struct {
		name string
		f    func()
	}{
		{"Im2col", func() { Im2col(cols, x, g) }},
		{"Gemm", func() { Gemm(y, cols, w, m, n, k, false) }},
		{"GemmTA", func() { GemmTA(dw, cols, y, k, n, m, true) }},
		{"GemmTB", func() { GemmTB(dcols, y, w, m, k, n, false) }},
		{"Transpose", func() { Transpose(wt, w, k, n) }},
		{"Col2im", func() { Col2im(dx, dcols, g) }},
	}
	for _, md := range []mode{{"default", 0, parallelMin}, modes[0], modes[2]} {
		withMode(md, func() {
			for _, c := range calls {
				c.f() // warm up: start helpers, fill the job pool
				// AllocsPerRun runs with GOMAXPROCS 1, where a helper that
				// took part in a call gets the CPU (and returns the shared
				// job to the pool) only when the caller yields; on a loaded
				// machine the scheduler may not preempt the caller in
				// between, and every call would then take a fresh job.
				// Yielding after each call, once per possible helper and
				// then some, gives the steady state that real parallelism has.
				f := func() {
					c.f()
					for range 2 * max(workers, 1) {
						runtime.Gosched()
					}
				}
				if got := testing.AllocsPerRun(5, f); got != 0 {
					t.Errorf("%s %s: %v allocations per call, want 0", md.name, c.name, got)
				}
			}
		})
	}
}
