package kernels

import (
	"fmt"
)

// All three products run on one family of dot-product micro-kernels
// (micro.go), which want both operands laid out along p: A as m rows of k
// and B as n rows of k, which is how GemmTB receives them. Gemm first
// transposes each kc×nc block of B into a scratch buffer, and GemmTA also
// each kc×mc block of A. A packed block serves many tiles, so the copy costs
// a few percent, while the kernels run 20-50% faster than on strided
// operands (whose rows can also map to the same few L1 sets when n·4 bytes
// is a multiple of a large power of two, like n = 512). Packing only moves
// values, and p-blocking splits the in-order p loop into consecutive runs
// with C stored in between, so neither changes any result.
//
// The block sizes are not critical: 128-1024 for kc, 32K-128K floats for a B
// block and 24-96 rows for an A block all measured within noise of each other
// on the shapes in bench_test.go.
const (
	kcMax    = 256      // longest p run per block: three A rows stay in L1
	ncFloats = 64 << 10 // largest packed B block (nc×kc floats): stays in L2
	mcMax    = 48       // rows of a packed A block for GemmTA: mc×kc stays in L1
	smallK   = 2        // k at or below which rows are updated by whole-row passes
)

// scratch holds one goroutine's packing buffers.
type scratch struct {
	a, b []float32
	cols []float32 // a block of a convolution's column matrix or Winograd tiles, grown on first use
	wt   []float32 // a convolution kernel transposed, for Conv3x3Backward on SIMD128
}

// block returns n floats of s.cols, which it grows first if short.
func (s *scratch) block(n int) []float32 {
	if cap(s.cols) < n {
		s.cols = make([]float32, n)
	}
	return s.cols[:n]
}

var scratchPool = freeList[scratch]{new: func() *scratch {
	return &scratch{a: make([]float32, mcMax*kcMax), b: make([]float32, ncFloats)}
}}

// Gemm computes C = A·B (acc false) or C += A·B (acc true), where A is m×k,
// B is k×n and C is m×n, all row-major. Each C[i,j] starts from its old value
// (acc) or +0 and adds the rounded products A[i,p]*B[p,j] for p = 0..k-1 in
// order, so the result is the same bits for every tiling, thread count and
// platform. Gemm panics with ErrShape if a dimension is negative or a slice is
// shorter than its dimensions.
func Gemm(c, a, b []float32, m, n, k int, acc bool) {
	checkDims("Gemm", m, n, k)
	checkLen("Gemm", c, m*n, a, m*k, b, k*n)
	gemm(opGemm, c, a, b, m, n, k, acc)
}

// GemmTA computes C = Aᵀ·B (acc false) or C += Aᵀ·B (acc true), where A is
// k×m (so Aᵀ is m×k), B is k×n and C is m×n. Each C[i,j] adds A[p,i]*B[p,j]
// for p = 0..k-1 in order. It is the weight-gradient product of a layer:
// dW = Xᵀ·dY. GemmTA panics with ErrShape if a dimension is negative or a
// slice is too short.
func GemmTA(c, a, b []float32, m, n, k int, acc bool) {
	checkDims("GemmTA", m, n, k)
	checkLen("GemmTA", c, m*n, a, k*m, b, k*n)
	gemm(opGemmTA, c, a, b, m, n, k, acc)
}

// GemmTB computes C = A·Bᵀ (acc false) or C += A·Bᵀ (acc true), where A is
// m×k, B is n×k (so Bᵀ is k×n) and C is m×n. Each C[i,j] adds A[i,p]*B[j,p]
// for p = 0..k-1 in order, so GemmTB(c, a, b, ...) gives exactly the bits of
// Gemm(c, a, bt, ...) with bt the transpose of b, without materializing bt;
// it is also the fastest of the three. It is the input-gradient product of a
// layer whose weights W are k×n in forward use: dX = dY·Wᵀ with B = W read
// as n×k. GemmTB panics with ErrShape if a dimension is negative or a slice
// is too short.
func GemmTB(c, a, b []float32, m, n, k int, acc bool) {
	checkDims("GemmTB", m, n, k)
	checkLen("GemmTB", c, m*n, a, m*k, b, n*k)
	gemm(opGemmTB, c, a, b, m, n, k, acc)
}

// gemm runs one of the three products, splitting C into disjoint blocks of
// rows (or of columns when C is wider than tall, like a dense layer over a
// small batch) when the problem is large enough to pay for the hand-off.
func gemm(o op, c, a, b []float32, m, n, k int, acc bool) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !acc {
			clear(c[:m*n])
		}
		return
	}
	if simdGemm(o, c, a, b, m, n, k, acc) {
		return
	}
	np := parts(m * n * k)
	if np == 1 {
		s := scratchPool.get()
		gemmRange(o, c, a, b, m, n, k, acc, 0, m, 0, n, s)
		scratchPool.put(s)
		return
	}
	j := getJob(o)
	j.c, j.a, j.b, j.m, j.n, j.k, j.acc = c, a, b, m, n, k, acc
	j.byCols = n > m
	// Chunk edges on multiples of 12 keep every tile shape (3, 4 or 6 rows,
	// 2 or 4 columns) whole. Only two chunks per participant, because each
	// chunk packs its own copy of the B blocks.
	if j.byCols {
		j.split(n, 12, 2, np)
	} else {
		j.split(m, 12, 2, np)
	}
	j.exec(np)
}

// gemmRange computes rows [i0,i1) × columns [j0,j1) of C.
func gemmRange(o op, c, a, b []float32, m, n, k int, acc bool, i0, i1, j0, j1 int, s *scratch) {
	if avxRange(o, c, a, b, m, n, k, acc, i0, i1, j0, j1, s) {
		return
	}
	if k <= smallK && o != opGemmTA {
		gemmSmallK(o, c, a, b, n, k, acc, i0, i1, j0, j1)
		return
	}
	if o == opGemmTA && j1-j0 < 4 {
		gemmTANarrow(c, a, b, m, n, k, acc, i0, i1, j0, j1)
		return
	}
	kc := runLen(k)
	nc := max(12, ncFloats/kc/12*12)
	for jb := j0; jb < j1; jb += nc {
		nb := min(nc, j1-jb)
		for p0 := 0; p0 < k; p0 += kc {
			kk := min(kc, k-p0)
			load := acc || p0 > 0
			switch o {
			case opGemm:
				bt := s.b[:nb*kk]
				transposeBlock(bt, kk, b[p0*n+jb:], n, kk, nb)
				dotBlock(c[i0*n+jb:], n, a[i0*k+p0:], k, bt, kk, i1-i0, nb, kk, load)
			case opGemmTB:
				dotBlock(c[i0*n+jb:], n, a[i0*k+p0:], k, b[jb*k+p0:], k, i1-i0, nb, kk, load)
			case opGemmTA:
				bt := s.b[:nb*kk]
				transposeBlock(bt, kk, b[p0*n+jb:], n, kk, nb)
				for ib := i0; ib < i1; ib += mcMax {
					mb := min(mcMax, i1-ib)
					at := s.a[:mb*kk]
					transposeBlock(at, kk, a[p0*m+ib:], m, kk, mb)
					dotBlock(c[ib*n+jb:], n, at, kk, bt, kk, mb, nb, kk, load)
				}
			}
		}
	}
}

// runLen splits k into equal p runs of at most kcMax: 288 = 144+144 rather
// than 256+32, whose short second run would pay the tile overheads for
// little work.
func runLen(k int) int {
	nblk := (k + kcMax - 1) / kcMax
	return (k + nblk - 1) / nblk
}

// dotBlock adds kk terms to the mb×nb block of C at c (row stride ldc):
// C[i,j] += Σ_p a[i*lda+p] * b[j*ldb+p] (from +0 when load is false). The
// bulk goes through 3×2 tiles; leftover rows take 1×4 tiles and a leftover
// column 4×1 tiles.
func dotBlock(c []float32, ldc int, a []float32, lda int, b []float32, ldb, mb, nb, kk int, load bool) {
	i3, j2 := mb/3*3, nb&^1
	for i := 0; i < i3; i += 3 {
		ai, ci := a[i*lda:], c[i*ldc:]
		for j := 0; j < j2; j += 2 {
			d3x2(ci[j:], ldc, ai, lda, b[j*ldb:], ldb, kk, load)
		}
	}
	for i := i3; i < mb; i++ {
		ai, ci := a[i*lda:], c[i*ldc:]
		j := 0
		for ; j+4 <= j2; j += 4 {
			d1x4(ci[j:], ai, b[j*ldb:], ldb, kk, load)
		}
		for ; j < j2; j++ {
			k1x1(ci[j:], ai, 1, b[j*ldb:], 1, kk, load)
		}
	}
	if j2 < nb {
		bj := b[j2*ldb:]
		i := 0
		for ; i+4 <= mb; i += 4 {
			d4x1(c[i*ldc+j2:], ldc, a[i*lda:], lda, bj, kk, load)
		}
		for ; i < mb; i++ {
			k1x1(c[i*ldc+j2:], a[i*lda:], 1, bj, 1, kk, load)
		}
	}
}

// gemmTANarrow computes GemmTA for a block fewer than four columns wide
// (n = 1 for a one-channel output), where a packed block of A would be used
// only once: it reads A in place, six adjacent columns per pass.
func gemmTANarrow(c, a, b []float32, m, n, k int, acc bool, i0, i1, j0, j1 int) {
	for p0 := 0; p0 < k; p0 += kcMax {
		kk := min(kcMax, k-p0)
		load := acc || p0 > 0
		ap, bp := a[p0*m:], b[p0*n:]
		for j := j0; j < j1; j++ {
			i := i0
			for ; i+6 <= i1; i += 6 {
				t6x1(c[i*n+j:], n, ap[i:], m, bp[j:], n, kk, load)
			}
			for ; i < i1; i++ {
				k1x1(c[i*n+j:], ap[i:], m, bp[j:], n, kk, load)
			}
		}
	}
}

// gemmSmallK computes Gemm or GemmTB for k ≤ smallK, where a tile would do
// one or two products per call: it updates each row of C in whole-row passes,
// one pass per p in order.
func gemmSmallK(o op, c, a, b []float32, n, k int, acc bool, i0, i1, j0, j1 int) {
	w := j1 - j0
	for i := i0; i < i1; i++ {
		ci := c[i*n+j0 : i*n+j1]
		for p := range k {
			x := a[i*k+p]
			first := p == 0 && !acc
			if o == opGemm || k == 1 {
				// B[p, j0:j1] is contiguous (for GemmTB with k = 1, B is a
				// column vector).
				off := p*n + j0
				if o == opGemmTB {
					off = j0
				}
				axpyRow(ci, x, b[off:off+w], first)
				continue
			}
			bo := j0*k + p
			for j := range ci {
				t := float32(x * b[bo])
				if first {
					ci[j] = 0
				}
				ci[j] += t
				bo += k
			}
		}
	}
}

// axpyRow adds x*y[j] to c[j] for every j, or sets c[j] = 0 + x*y[j] when
// first is true (adding to +0 turns a -0 product into +0, as clearing C and
// adding would).
func axpyRow(c []float32, x float32, y []float32, first bool) {
	y = y[:len(c)]
	if first {
		var zero float32
		for j, v := range y {
			c[j] = zero + float32(x*v)
		}
		return
	}
	for j, v := range y {
		c[j] += float32(x * v)
	}
}

// Transpose writes the cols×rows transpose of the rows×cols matrix src into
// dst: dst[c*rows+r] = src[r*cols+c]; dst and src must not overlap. It
// panics with ErrShape if a dimension is negative or a slice is too short.
func Transpose(dst, src []float32, rows, cols int) {
	checkDims("Transpose", rows, cols, 0)
	checkLen("Transpose", dst, rows*cols, src, rows*cols, nil, 0)
	if rows == 0 || cols == 0 {
		return
	}
	np := parts(rows * cols)
	if np == 1 {
		transposeBlock(dst, rows, src, cols, rows, cols)
		return
	}
	j := getJob(opTranspose)
	j.c, j.a, j.m, j.n = dst, src, rows, cols
	j.split(cols, 4, 4, np)
	j.exec(np)
}

// transposeBlock writes the transpose of the rows×cols block at src (row
// stride lds) to dst (row stride ldd): dst[c*ldd+r] = src[r*lds+c]. It moves
// 4×4 squares through registers, so each source and destination row segment
// is touched four values at a time.
func transposeBlock(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	if rows == 0 || cols == 0 || simdTranspose(dst, ldd, src, lds, rows, cols) {
		return
	}
	r4, c4 := rows&^3, cols&^3
	for r := 0; r < r4; r += 4 {
		s0 := src[r*lds : r*lds+cols]
		s1 := src[(r+1)*lds : (r+1)*lds+cols]
		s2 := src[(r+2)*lds : (r+2)*lds+cols]
		s3 := src[(r+3)*lds : (r+3)*lds+cols]
		for c := 0; c < c4; c += 4 {
			x0 := s0[c : c+4 : c+4]
			x1 := s1[c : c+4 : c+4]
			x2 := s2[c : c+4 : c+4]
			x3 := s3[c : c+4 : c+4]
			d0 := dst[c*ldd+r : c*ldd+r+4 : c*ldd+r+4]
			d1 := dst[(c+1)*ldd+r : (c+1)*ldd+r+4 : (c+1)*ldd+r+4]
			d2 := dst[(c+2)*ldd+r : (c+2)*ldd+r+4 : (c+2)*ldd+r+4]
			d3 := dst[(c+3)*ldd+r : (c+3)*ldd+r+4 : (c+3)*ldd+r+4]
			d0[0], d0[1], d0[2], d0[3] = x0[0], x1[0], x2[0], x3[0]
			d1[0], d1[1], d1[2], d1[3] = x0[1], x1[1], x2[1], x3[1]
			d2[0], d2[1], d2[2], d2[3] = x0[2], x1[2], x2[2], x3[2]
			d3[0], d3[1], d3[2], d3[3] = x0[3], x1[3], x2[3], x3[3]
		}
		for c := c4; c < cols; c++ {
			d := dst[c*ldd+r : c*ldd+r+4 : c*ldd+r+4]
			d[0], d[1], d[2], d[3] = s0[c], s1[c], s2[c], s3[c]
		}
	}
	for r := r4; r < rows; r++ {
		for c, v := range src[r*lds : r*lds+cols] {
			dst[c*ldd+r] = v
		}
	}
}

func checkDims(op string, m, n, k int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Errorf("%w: %s has negative dimension in %d, %d, %d", ErrShape, op, m, n, k))
	}
}

func checkLen(op string, c []float32, nc int, a []float32, na int, b []float32, nb int) {
	if len(c) < nc || len(a) < na || len(b) < nb {
		panic(fmt.Errorf("%w: %s needs lengths %d, %d, %d; got %d, %d, %d",
			ErrShape, op, nc, na, nb, len(c), len(a), len(b)))
	}
}
