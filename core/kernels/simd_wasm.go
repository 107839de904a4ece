//go:build js && wasm

package kernels

import "unsafe"

// On js/wasm the products can run on hand-written SIMD128 kernels
// (simd/kernels.wat) that the host supplies as the import module "simd": the
// browser worker (static/worker.js) and the Node exec wrapper
// (scripts/wasm_exec_simd.js) compile the module and instantiate it with Go's
// own memory, so the kernels read and write Go slices in place. The host's
// available() says whether it did; where it returns 0, every product stays
// on the pure-Go path, so one binary serves both. The kernels keep the
// per-element order of doc.go, so the two paths give the same bits.

//go:wasmimport simd available
func simdAvailable() int32

// simdGemmKernelAt computes, for i < m and j < n,
// C[i*ldc+j] = (load ? C[i*ldc+j] : +0) + Σ_{p<k} A(i,p)·B[p*ldb+j] with
// A(i,p) = a[i*ars+p*aps], in increasing p; pack is room for k×8 floats
// where it copies panels of B that several tiles read, or nil. It keeps no
// pointer past the call.
//
//go:wasmimport simd gemm
//go:noescape
func simdGemmKernelAt(c, a, b unsafe.Pointer, m, n, k, ars, aps, ldb, ldc, load int32, pack unsafe.Pointer)

// simdPanel is the kernels' room for one packed panel of B: k ≤ kcMax rows
// of 8. js/wasm runs one product at a time, and a product never yields.
var simdPanel [kcMax * 8]float32

// simdGemmKernel is simdGemmKernelAt with simdPanel as its room where
// panelConflicts says B's panels need it, else none.
func simdGemmKernel(c, a, b unsafe.Pointer, m, n, k, ars, aps, ldb, ldc, load int32) {
	if k > kcMax {
		panic("kernels: p run longer than kcMax")
	}
	var pack unsafe.Pointer
	if panelConflicts(int(ldb), int(k)) {
		pack = unsafe.Pointer(&simdPanel[0])
	}
	simdGemmKernelAt(c, a, b, m, n, k, ars, aps, ldb, ldc, load, pack)
}

// panelConflicts reports whether a panel of B (k rows of 32 bytes, ldb
// floats apart) crowds L1's sets: with 64-byte lines and 64 sets (a 48 KiB
// 12-way L1, as on the machines we measured), rows a multiple of 64 bytes
// apart fall in only 64/gcd(stride/64, 64) sets, and more than 8 rows per
// set (of 12 ways, leaving room for A and C) evict each other before the
// next tile reads them. A dense layer's 512 columns (2 KiB apart: two sets)
// and column blocks of 64 over runs of 256 do; the Winograd products (k of
// 16 to 64) and 16- or 32-column products do not, and copying their panels
// cost about 3% of a classifier step for nothing.
func panelConflicts(ldb, k int) bool {
	stride := 4 * ldb
	if stride%64 != 0 {
		return false
	}
	sets := 1 // rows a multiple of 4 KiB apart share one set
	if lines := stride / 64 % 64; lines != 0 {
		sets = 64 / gcd(lines, 64)
	}
	return k > 8*sets
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// simdGemvKernel computes, for i < m,
// C[i*ldc] = (load ? C[i*ldc] : +0) + Σ_{p<k} A[i*lda+p]·B[p*ldb], in
// increasing p, with lanes across rows. It keeps no pointer past the call.
//
//go:wasmimport simd gemv
//go:noescape
func simdGemvKernel(c, a, b unsafe.Pointer, m, k, lda, ldb, ldc, load int32)

// simdTransposeKernel writes the transpose of the rows×cols block at src
// (row stride lds) to dst (row stride ldd): 4×4 squares, then the edges.
//
//go:wasmimport simd transpose
//go:noescape
func simdTransposeKernel(dst unsafe.Pointer, ldd int32, src unsafe.Pointer, lds, rows, cols int32)

// simdConv1FwdKernel and simdConv1DwKernel are a stride-1 convolution to
// one channel for one image, as simdConvOneOut and simdConvOneOutWeights
// prepare their inputs (kernels.wat: conv1fwd, conv1dw).
//
//go:wasmimport simd conv1fwd
//go:noescape
func simdConv1FwdKernel(y, x, w unsafe.Pointer, h, wd int32, zero unsafe.Pointer)

//go:wasmimport simd conv1dw
//go:noescape
func simdConv1DwKernel(dw, x, dy unsafe.Pointer, c int32, zero unsafe.Pointer, h, w int32)

// simdConv1InKernel is a stride-1 convolution from one input channel for
// one image, as simdConvOneIn prepares its inputs (kernels.wat: conv1in).
//
//go:wasmimport simd conv1in
//go:noescape
func simdConv1InKernel(y, xp, wp unsafe.Pointer, n, rs, h, w int32)

// simdConv1InDwKernel adds one image's terms to the weight gradient of a
// stride-1 convolution from one input channel, as simdConvOneInWeights
// prepares its inputs (kernels.wat: conv1indw).
//
//go:wasmimport simd conv1indw
//go:noescape
func simdConv1InDwKernel(dw, xp, dy unsafe.Pointer, n, rs, h, w int32)

// simdPadRowsKernel copies h rows of w floats from src to dst, whose rows
// are ds floats apart (kernels.wat: padrows).
//
//go:wasmimport simd padrows
//go:noescape
func simdPadRowsKernel(dst unsafe.Pointer, ds int32, src unsafe.Pointer, h, w int32)

// simdCol2imKernel adds the np rows of 9·ch values at rows, those of output
// pixels p0, p0+1, ... of one image, into that image's h×w×ch gradient at
// img, row by row in order, as col2imRows does.
//
//go:wasmimport simd col2im
//go:noescape
func simdCol2imKernel(img, rows unsafe.Pointer, h, w, ch, stride, ow, pt, pl, p0, np int32)

// simdWino43InKernel, simdWino43OutKernel and simdWino43WKernel are
// wino43InGo, wino43OutGo and wino43WeightsGo (winograd43.go) with lanes
// across channels (kernels.wat: winoin43, winoout43, winow43). winoout43
// overwrites m's planes with its first pass.
//
//go:wasmimport simd winoin43
//go:noescape
func simdWino43InKernel(v unsafe.Pointer, vs int32, d unsafe.Pointer, rs, c, count int32)

//go:wasmimport simd winoout43
//go:noescape
func simdWino43OutKernel(y unsafe.Pointer, ys int32, m unsafe.Pointer, ms, n, count int32)

//go:wasmimport simd winow43
//go:noescape
func simdWino43WKernel(u, w unsafe.Pointer, c, n, adj int32)

// simdWino43DyKernel is wino43DyGo (winograd_grad.go) with lanes across
// channels.
//
//go:wasmimport simd winody43
//go:noescape
func simdWino43DyKernel(e unsafe.Pointer, es int32, dy unsafe.Pointer, ys, n, count int32)

// simdWino43GradOutKernel is wino43GradOutGo (winograd_grad.go) over all
// columns, with lanes across output channels.
//
//go:wasmimport simd winogo43
//go:noescape
func simdWino43GradOutKernel(dw, m unsafe.Pointer, c, n int32)

// simdOK is whether the host supplied the kernels.
var simdOK = simdAvailable() != 0

// SIMD reports whether the products run on SIMD128 kernels (only on js/wasm,
// when the host supplied them). The results are the same bits either way.
func SIMD() bool { return simdOK }

const (
	// simdMinN is the narrowest C the kernels take: their lanes run along
	// the columns, and below a panel of 8 the pure-Go tiles do as well.
	simdMinN = 8
	// simdMC rows of A per kernel call: with kcMax, an A block of 64 KiB
	// that stays in L2 while the k×8 panels of B stream from L1.
	simdMC = 64
)

// simdTB holds GemmTB's transposed B, kept across calls (a sync.Pool would
// drop it at every GC, and it can be megabytes). js/wasm runs one goroutine
// at a time and a product never yields, but simdTBBusy still makes a
// re-entered call use a buffer of its own.
var (
	simdTB     []float32
	simdTBBusy bool
)

// simdGemm runs the product on the SIMD kernels and reports true, or
// reports false, having done nothing, when they are absent or the shape is
// one the pure-Go path handles as well. m, n and k are positive.
func simdGemm(o op, c, a, b []float32, m, n, k int, acc bool) bool {
	if !simdOK {
		return false
	}
	if o == opGemmTB && simdTBTransposes && simdTBByTranspose(m, n, k) {
		simdGemmTBTransposed(c, a, b, m, n, k, acc)
		return true
	}
	if n == 1 {
		return simdGemmOneColumn(o, c, a, b, m, k, acc)
	}
	if n < simdMinN {
		return false
	}
	if o == opGemmTB {
		simdGemmTBBlocked(c, a, b, m, n, k, acc)
		return true
	}
	simdRun(o, c, a, b, m, n, k, acc)
	return true
}

// simdTBBlockFloats bounds the block of B that simdGemmTBBlocked transposes
// at a time: 64 KiB, which stays in L2 (L1 on most cores) while the kernel
// meets it with every row of A.
const simdTBBlockFloats = 16384

// simdGemmTBBlocked runs GemmTB (B is n×k; the kernels want it along j) a
// block of B at a time: up to simdTBBlockFloats of one p run of runLen(k)
// and some columns, transposed into a buffer that stays in cache, then
// multiplied with every row block of A. Transposing the whole of B first
// wrote it out and read it back from memory (a dense layer's weights are
// megabytes). Each C element still adds its p runs in increasing order, and
// its products within a run in increasing p, so the bits do not change.
func simdGemmTBBlocked(c, a, b []float32, m, n, k int, acc bool) {
	kc := runLen(k)
	nb := simdTBBlockCols(n, kc)
	buf, release := simdTBBuffer(nb * kc)
	defer release()
	for j0 := 0; j0 < n; j0 += nb {
		w := min(nb, n-j0)
		for p0 := 0; p0 < k; p0 += kc {
			kk := min(kc, k-p0)
			transposeBlock(buf, w, b[j0*k+p0:], k, w, kk)
			load := b32(acc || p0 > 0)
			for i0 := 0; i0 < m; i0 += simdMC {
				mb := min(simdMC, m-i0)
				simdGemmKernel(unsafe.Pointer(&c[i0*n+j0]), unsafe.Pointer(&a[i0*k+p0]), unsafe.Pointer(&buf[0]),
					int32(mb), int32(w), int32(kk), int32(k), 1, int32(w), int32(n), load)
			}
		}
	}
}

// simdTBBlockCols is the width of simdGemmTBBlocked's blocks for n columns
// and p runs of kc: n split into equal blocks of at most
// simdTBBlockFloats/kc columns, each a multiple of 8 (the kernels' panel)
// but for the last, so no block is left a few columns wide.
func simdTBBlockCols(n, kc int) int {
	most := max(8, simdTBBlockFloats/kc&^7)
	blocks := (n + most - 1) / most
	return min(n, ((n+blocks-1)/blocks+7)&^7)
}

// simdGemmOneColumn runs a product whose C has one column, as a
// convolution with one output channel makes, and reports whether it did.
// For Gemm and GemmTB, B is then a vector of k floats either way, and the
// lanes of gemv run over the rows of A. For GemmTA, C (m×1) is the same
// floats as the row Cᵀ = Bᵀ·A, a Gemm with one row whose lanes run along
// A's rows; each element adds B[p]·A[p,i] instead of A[p,i]·B[p], the same
// bits since a product does not depend on the order of its factors.
func simdGemmOneColumn(o op, c, a, b []float32, m, k int, acc bool) bool {
	if o == opGemmTA {
		if m < simdMinN {
			return false
		}
		simdRun(opGemm, c, b, a, 1, m, k, acc)
		return true
	}
	load := b32(acc)
	simdGemvKernel(unsafe.Pointer(&c[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0]),
		int32(m), int32(k), int32(k), 1, 1, load)
	return true
}

// simdTBTransposes enables simdGemmTBTransposed; a benchmark turns it off
// to compare the two ways in one run.
var simdTBTransposes = true

// simdTBByTranspose reports whether GemmTB of this shape is cheaper as
// Cᵀ = B·Aᵀ: C at least a panel of rows, and A and C together less than
// half of B.
func simdTBByTranspose(m, n, k int) bool { return m >= simdMinN && m*(k+n) < n*k/2 }

// simdGemmTBTransposed computes GemmTB as its transpose, Cᵀ = B·Aᵀ, where
// C is short and B large (a dense layer's input gradient over a batch:
// m = 32, B the n×k weights): the kernels' lanes then run along C's rows,
// so only A and C are transposed (m·(k+n) moves) instead of B (n·k). Each
// element still adds the products A[i,p]·B[j,p] in increasing p from its
// old value or +0, so the bits are GemmTB's.
func simdGemmTBTransposed(c, a, b []float32, m, n, k int, acc bool) {
	buf, release := simdTBBuffer(m * (k + n))
	defer release()
	at, ct := buf[:k*m], buf[k*m:]
	transposeBlock(at, m, a, k, m, k)
	if acc {
		transposeBlock(ct, m, c, n, m, n)
	}
	simdRun(opGemm, ct, b, at, n, m, k, acc)
	transposeBlock(c, n, ct, m, n, m)
}

// simdTBBuffer returns GemmTB's scratch of n floats and the function that
// gives it back: the kept buffer, or a new one if a call re-entered.
func simdTBBuffer(n int) ([]float32, func()) {
	if simdTBBusy {
		return make([]float32, n), func() {}
	}
	simdTBBusy = true
	if cap(simdTB) < n {
		simdTB = make([]float32, n)
	}
	return simdTB[:n], func() { simdTBBusy = false }
}

// simdRun runs the kernels on C = A·B (or Aᵀ·B for opGemmTA), with B k×n
// along j, in blocks of simdMC rows and equal p runs as in gemmRange; each
// run after the first adds to C. Gemm takes each block of rows through all
// the runs; GemmTA takes each run through all the blocks (simdRunTA).
// Copying each block of A transposed, so that A·B (and GemmTB) ran as Aᵀ·B
// through panel8c's 5-row tiles and one A pointer, was tried (C 64 or more
// columns wide): in Chromium, its share of the gauge was 0.97× the plain
// tiles' (median over the 36 products of benchShapes, both ways alternated
// shape by shape in one run); its largest gains (Gemm cls-conv1-dx 63% to
// 69%, GemmTB cls-conv4 86% to 90%) are within the ±10% a share moves from
// run to run. Not kept. Nor was taking Gemm's p runs outermost where C
// fits in L2, so that a run of B stays there for every block of rows (the
// dense layer in inference, batch 100 and 256: 85% to 86% and 86% to 89%,
// one run).
func simdRun(o op, c, a, bp []float32, m, n, k int, acc bool) {
	kc := runLen(k)
	if o == opGemmTA && simdTARunsOuter {
		simdRunTA(c, a, bp, m, n, k, kc, acc)
		return
	}
	if o == opGemm && k <= simdShortRun && n*k > simdShortRunBFloats {
		simdRunShortWide(c, a, bp, m, n, k, acc)
		return
	}
	for i0 := 0; i0 < m; i0 += simdMC {
		mb := min(simdMC, m-i0)
		for p0 := 0; p0 < k; p0 += kc {
			kk := min(kc, k-p0)
			load := b32(acc || p0 > 0)
			var ap unsafe.Pointer
			ars, aps := k, 1
			if o == opGemmTA {
				ap = unsafe.Pointer(&a[p0*m+i0])
				ars, aps = 1, m
			} else {
				ap = unsafe.Pointer(&a[i0*k+p0])
			}
			simdGemmKernel(unsafe.Pointer(&c[i0*n]), ap, unsafe.Pointer(&bp[p0*n]),
				int32(mb), int32(n), int32(kk), int32(ars), int32(aps), int32(n), int32(n), load)
		}
	}
}

// simdShortRun is the longest p run for which the kernel takes a wide C's
// tiles rows outer (kernels.wat: gemm, tiles4x8), and simdShortRunBFloats
// the most of B that it then reads from L1 all along a row of tiles.
const (
	simdShortRun        = 32
	simdShortRunBFloats = 6144 // 24 KiB
)

// simdRunShortWide runs Gemm with a short p run (k ≤ simdShortRun) and
// more of B than L1 holds (the VAE decoder's dense layer: k = 20 latents,
// 12,544 columns) in blocks of columns whose part of B it holds: rows
// outer over all of C read the whole of B again for every row of tiles.
// In Chromium, blocks of 304 columns took 0.85× the time of one call
// (tests/bench/abkernel.mjs gemmdec/gemmdec304, two runs). With a single
// p run, no element's order changes.
func simdRunShortWide(c, a, b []float32, m, n, k int, acc bool) {
	most := max(128, simdShortRunBFloats/k&^7)
	blocks := (n + most - 1) / most
	nb := min(n, ((n+blocks-1)/blocks+7)&^7)
	load := b32(acc)
	for j0 := 0; j0 < n; j0 += nb {
		w := min(nb, n-j0)
		for i0 := 0; i0 < m; i0 += simdMC {
			mb := min(simdMC, m-i0)
			simdGemmKernel(unsafe.Pointer(&c[i0*n+j0]), unsafe.Pointer(&a[i0*k]), unsafe.Pointer(&b[j0]),
				int32(mb), int32(w), int32(k), int32(k), 1, int32(n), int32(n), load)
		}
	}
}

// simdTARunsOuter enables simdRunTA; a benchmark turns it off to compare
// the two loop orders in one run.
var simdTARunsOuter = true

// simdRunTA is simdRun for C = Aᵀ·B (A k×m), a p run of kc at a time
// through every block of rows. C's rows are A's columns, so a block of rows
// taken through all the runs read simdMC floats from each of A's k rows,
// strided across the whole matrix (7 MB for a conv's weight gradient over
// the batch); a run is kc whole rows of A, read in order, and C stays in
// L2 between runs (a conv's weight gradient is at most 576×64 floats; a
// dense layer's, with m·n in megabytes, has one run: k is the batch). Each
// element adds its runs in the same order, so the bits do not change.
// For the 10-class layer (C 512×10: a panel of 8, then colt2), computing
// Cᵀ = Bᵀ·A in whole panels and transposing it into C was tried: in
// Chromium its share of the gauge was 61% against 67% (medians of 5,
// alternated in one run). Not kept. Its A (the layer's input, 32×512) has
// rows 2 KiB apart, which crowd two of L1's sets: the kernel on a compact
// copy took 0.74-0.80× the time, but with the copy (a strided-rows copy
// kernel) 0.93-1.00×. Not kept either.
func simdRunTA(c, a, bp []float32, m, n, k, kc int, acc bool) {
	for p0 := 0; p0 < k; p0 += kc {
		kk := min(kc, k-p0)
		load := b32(acc || p0 > 0)
		for i0 := 0; i0 < m; i0 += simdMC {
			mb := min(simdMC, m-i0)
			simdGemmKernel(unsafe.Pointer(&c[i0*n]), unsafe.Pointer(&a[p0*m+i0]), unsafe.Pointer(&bp[p0*n]),
				int32(mb), int32(n), int32(kk), 1, int32(m), int32(n), int32(n), load)
		}
	}
}

// simdTranspose runs transposeBlock (rows and cols positive) on the SIMD
// kernels and reports true, or reports false, having done nothing, when
// they are absent. Its edges cost more in Go: transposing a dense layer's
// 512×10 weights took 4.3 µs when Go moved the last two columns. dst and src
// must not overlap (the kernel may write a float twice).
func simdTranspose(dst []float32, ldd int, src []float32, lds, rows, cols int) bool {
	if !simdOK {
		return false
	}
	_ = src[(rows-1)*lds+cols-1]
	_ = dst[(cols-1)*ldd+rows-1]
	simdTransposeKernel(unsafe.Pointer(&dst[0]), int32(ldd), unsafe.Pointer(&src[0]), int32(lds), int32(rows), int32(cols))
	return true
}

// simdConvOneOut sets y to the stride-1 convolution of x with w to one
// output channel (Conv3x3Forward with n = 1, in conv_oneout.go's order) on
// the SIMD kernels and reports true, or reports false, having done nothing,
// when they are absent or the shape is not conv1fwd's: 32 channels (its
// loads' constant offsets are the pixel stride) and W a multiple of 7 (its
// chunk of outputs). conv1fwd reads the NHWC image in place; outside the
// image it reads 9 pixels of +0.
func simdConvOneOut(y, x, w []float32, g Conv3x3, s *scratch) bool {
	if !simdOK || g.Stride != 1 || g.C != 32 || g.W%7 != 0 {
		return false
	}
	zero := s.block(9 * 32)
	clear(zero)
	img := g.H * g.W
	_ = x[g.N*img*g.C-1]
	_ = y[g.N*img-1]
	_ = w[9*g.C-1]
	for n := range g.N {
		simdConv1FwdKernel(unsafe.Pointer(&y[n*img]), unsafe.Pointer(&x[n*img*g.C]), unsafe.Pointer(&w[0]),
			int32(g.H), int32(g.W), unsafe.Pointer(&zero[0]))
	}
	return true
}

// simdConvOneInOn enables simdConvOneIn and simdConvOneInWeights; a
// benchmark turns it off to compare them with the column matrix in one run.
var simdConvOneInOn = true

// simdConvOneIn sets y to the stride-1 convolution of x, one channel, with
// w (9×n) (Conv3x3Forward with C = 1: the first convs, and the adjoint
// convolution of convBwdDataOneChannel) on the SIMD kernels and reports
// true, or reports false, having done nothing, when they are absent or
// conv1in's tiles do not cover the shape (n a multiple of 8, W of 4). Its
// column matrix has only 9 columns: Im2col from one channel and products
// with k = 9 ran the first convs' forward passes at 7–11 GFLOP/s under
// Node, conv1in at 20–27 (BenchmarkConvOneInWays). conv1in reads each
// image, copied with a zero border, at constant offsets instead.
func simdConvOneIn(y, x, w []float32, g Conv3x3, n int, s *scratch) bool {
	if !simdOK || !simdConvOneInOn || g.C != 1 || g.Stride != 1 || n%8 != 0 || g.W%4 != 0 {
		return false
	}
	rs := g.W + 2
	plane := (g.H + 2) * rs
	buf := s.block(plane + 9*n)
	xp, wp := buf[:plane], buf[plane:]
	// w as panels of 8 columns, each 9 rows of 8 contiguous floats.
	for j0 := 0; j0 < n; j0 += 8 {
		for t := range 9 {
			copy(wp[(j0/8*9+t)*8:(j0/8*9+t+1)*8], w[t*n+j0:t*n+j0+8])
		}
	}
	clear(xp) // the border stays +0; the interior is rewritten per image
	img := g.H * g.W
	_ = x[g.N*img-1]
	_ = y[g.N*img*n-1]
	for i := range g.N {
		padInto(xp, x, g, i)
		simdConv1InKernel(unsafe.Pointer(&y[i*img*n]), unsafe.Pointer(&xp[0]), unsafe.Pointer(&wp[0]),
			int32(n), int32(rs), int32(g.H), int32(g.W))
	}
	return true
}

// simdConvOneInWeights adds to dw (9×n) the weight gradient of a stride-1
// convolution from one input channel (Conv3x3Backward with C = 1: the first
// convs) on the SIMD kernels and reports true, or reports false, having done
// nothing, when they are absent, n is not a multiple of 8 (conv1indw's
// lanes take 8 channels) or W is odd (it takes two pixels a step).
// conv1indw reads each image, copied with a zero border, in place of
// Im2col's blocks of 9 columns.
func simdConvOneInWeights(dw, x, dy []float32, g Conv3x3, n int, s *scratch) bool {
	if !simdOK || !simdConvOneInOn || g.C != 1 || g.Stride != 1 || n%8 != 0 || g.W%2 != 0 {
		return false
	}
	rs := g.W + 2
	xp := s.block((g.H + 2) * rs)
	clear(xp) // the border stays +0; the interior is rewritten per image
	img := g.H * g.W
	_ = x[g.N*img-1]
	_ = dy[g.N*img*n-1]
	_ = dw[9*n-1]
	for i := range g.N {
		padInto(xp, x, g, i)
		simdConv1InDwKernel(unsafe.Pointer(&dw[0]), unsafe.Pointer(&xp[0]), unsafe.Pointer(&dy[i*img*n]),
			int32(n), int32(rs), int32(g.H), int32(g.W))
	}
	return true
}

// padInto copies image i of x (g's H×W pixels, one channel) into the
// interior of pad, the image with a one-pixel border ((H+2)×(W+2)) that
// conv1in and conv1indw read; the caller keeps the border +0.
func padInto(pad, x []float32, g Conv3x3, i int) {
	img, rs := g.H*g.W, g.W+2
	_ = pad[(g.H+2)*rs-1]
	_ = x[(i+1)*img-1]
	simdPadRowsKernel(unsafe.Pointer(&pad[rs+1]), int32(rs), unsafe.Pointer(&x[i*img]), int32(g.H), int32(g.W))
}

// simdConvOneOutWeights adds to dw (9·C floats) the weight gradient of a
// stride-1 convolution to one output channel on the SIMD kernels and
// reports true, or reports false, having done nothing, when they are absent
// or C is not a multiple of 8 (conv1dw's lanes take 8 channels of three
// taps). conv1dw reads each image in place of the column matrix, and a row
// of +0 for the rows outside it.
func simdConvOneOutWeights(dw, x, dy []float32, g Conv3x3, s *scratch) bool {
	if !simdOK || g.Stride != 1 || g.C%8 != 0 {
		return false
	}
	zero := s.block(g.W * g.C)
	clear(zero)
	img := g.H * g.W
	_ = x[g.N*img*g.C-1]
	_ = dy[g.N*img-1]
	_ = dw[9*g.C-1]
	for n := range g.N {
		simdConv1DwKernel(unsafe.Pointer(&dw[0]), unsafe.Pointer(&x[n*img*g.C]), unsafe.Pointer(&dy[n*img]),
			int32(g.C), unsafe.Pointer(&zero[0]), int32(g.H), int32(g.W))
	}
	return true
}

// simdCol2im runs Col2im on the SIMD kernels and reports true, or reports
// false, having done nothing, when they are absent. The dimensions are
// positive and the slices long enough.
func simdCol2im(dx, dcols []float32, g Conv3x3) bool {
	if !simdOK {
		return false
	}
	clear(dx[:g.N*g.H*g.W*g.C])
	return simdCol2imRows(dx, dcols, g, 0, g.Rows())
}

// simdCol2imRows runs col2imRows on the SIMD kernels, one call per image
// the rows [r0,r1) touch, and reports true, or reports false, having done
// nothing, when they are absent. r1 > r0.
func simdCol2imRows(dx, dcols []float32, g Conv3x3, r0, r1 int) bool {
	if !simdOK {
		return false
	}
	pix, imgLen, k := g.OutH()*g.OutW(), g.H*g.W*g.C, g.Cols()
	_ = dx[((r1-1)/pix+1)*imgLen-1]
	_ = dcols[(r1-r0)*k-1]
	for r := r0; r < r1; {
		n := r / pix
		np := min(r1, (n+1)*pix) - r
		simdCol2imKernel(unsafe.Pointer(&dx[n*imgLen]), unsafe.Pointer(&dcols[(r-r0)*k]),
			int32(g.H), int32(g.W), int32(g.C), int32(g.Stride), int32(g.OutW()),
			int32(g.PadTop()), int32(g.PadLeft()), int32(r-n*pix), int32(np))
		r += np
	}
	return true
}

// simdWino43In and simdWino43Out run an F(4×4, 3×3) transform on the SIMD
// kernels and report true, or report false, having done nothing, when they
// are absent. c or n is a multiple of 4 (WinogradOK). simdWino43Out
// overwrites m's planes.
func simdWino43In(v []float32, vs int, d []float32, rs, c, count int) bool {
	if !simdOK {
		return false
	}
	_ = v[(count-1)*c+35*vs+c-1]
	_ = d[4*(count-1)*c+5*rs+6*c-1]
	simdWino43InKernel(unsafe.Pointer(&v[0]), int32(vs), unsafe.Pointer(&d[0]), int32(rs), int32(c), int32(count))
	return true
}

func simdWino43Out(y []float32, ys int, m []float32, ms, n, count int) bool {
	if !simdOK {
		return false
	}
	_ = y[4*(count-1)*n+3*ys+4*n-1]
	_ = m[(count-1)*n+35*ms+n-1]
	simdWino43OutKernel(unsafe.Pointer(&y[0]), int32(ys), unsafe.Pointer(&m[0]), int32(ms), int32(n), int32(count))
	return true
}

// simdWino43Weights runs wino43Weights on the SIMD kernels and reports
// true, or reports false, having done nothing, when they are absent or n is
// not a multiple of 4. c and n are positive; the caller checked the lengths.
func simdWino43Weights(u, w []float32, c, n int, adjoint bool) bool {
	if !simdOK || n%4 != 0 || c <= 0 || n <= 0 {
		return false
	}
	_ = u[36*c*n-1]
	_ = w[9*c*n-1]
	simdWino43WKernel(unsafe.Pointer(&u[0]), unsafe.Pointer(&w[0]), int32(c), int32(n), b32(adjoint))
	return true
}

// simdWino43Dy runs the F(3×3, 4×4) weight gradient's transform of dy on
// the SIMD kernels, as simdWino43In runs the input's.
func simdWino43Dy(e []float32, es int, dy []float32, ys, n, count int) bool {
	if !simdOK {
		return false
	}
	_ = e[(count-1)*n+35*es+n-1]
	_ = dy[4*(count-1)*n+3*ys+4*n-1]
	simdWino43DyKernel(unsafe.Pointer(&e[0]), int32(es), unsafe.Pointer(&dy[0]), int32(ys), int32(n), int32(count))
	return true
}

// simdWino43GradOut runs wino43GradOutGo over all n columns on the SIMD
// kernels and reports true, or reports false, having done nothing, when
// they are absent or n is not a multiple of 4.
func simdWino43GradOut(dw, m []float32, c, n int) bool {
	if !simdOK || n%4 != 0 || c <= 0 || n <= 0 {
		return false
	}
	_ = dw[9*c*n-1]
	_ = m[36*c*n-1]
	simdWino43GradOutKernel(unsafe.Pointer(&dw[0]), unsafe.Pointer(&m[0]), int32(c), int32(n))
	return true
}
