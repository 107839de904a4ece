package kernels

// A convolution as Im2col then Gemm writes the whole column matrix before
// the product reads it back: for the classifier's last convolution over a
// batch of 256 that is 115 MB, so both passes run at memory speed.
// Conv3x3Forward instead fills the matrix a block of rows at a time and
// multiplies each block while it is still in cache; Conv3x3Backward
// (conv_backward.go) does the same for the backward pass. Gemm computes
// each row of C from the same row of A alone, in the same order of p, so
// cutting the rows into blocks gives the bits of Im2col followed by one
// Gemm.

const (
	// convBlockFloats is the size of a block of the column matrix: 256 KiB,
	// which stays in the L2 of any CPU the trainer meets.
	convBlockFloats = 64 << 10
	// convAlign rows per block at least, and blocks of a multiple of it, so
	// blocks keep whole register tiles (3, 4 or 6 rows natively, 4 in the
	// SIMD128 kernels).
	convAlign = 96
)

// convBlockRows is the number of column-matrix rows in a block for g.
func convBlockRows(g Conv3x3) int {
	return max(convAlign, convBlockFloats/g.Cols()/convAlign*convAlign)
}

// Conv3x3Forward sets y (Rows()×n) to the product of x's column matrix
// (Im2col) and w (Cols()×n): the bits of Im2col(cols, x, g) followed by
// Gemm(y, cols, w, g.Rows(), n, g.Cols(), false), though the matrix is never
// whole: only a block of it is kept in scratch memory. With one output
// channel (n = 1) it sums in conv_oneout.go's order instead, with lanes
// across channels. Conv3x3Forward panics with ErrShape if a slice is too
// short.
func Conv3x3Forward(y, x, w []float32, g Conv3x3, n int) {
	rows, k := g.Rows(), g.Cols()
	checkDims("Conv3x3Forward", rows, n, k)
	checkLen("Conv3x3Forward", y, rows*n, x, g.N*g.H*g.W*g.C, w, k*n)
	convForward(y, x, w, g, n, nil)
}

// convForward is Conv3x3Forward past its checks. Its serial path works in
// s, or in a scratch of the pool when s is nil: a caller that holds a
// scratch (for w, say) passes it rather than make the pool keep a second.
func convForward(y, x, w []float32, g Conv3x3, n int, s *scratch) {
	rows, k := g.Rows(), g.Cols()
	if rows == 0 || n == 0 {
		return
	}
	if k == 0 {
		clear(y[:rows*n])
		return
	}
	np := parts(rows * k * n)
	if np == 1 {
		if s == nil {
			s = scratchPool.get()
			defer scratchPool.put(s)
		}
		if n == 1 && simdConvOneOut(y, x, w, g, s) {
			return
		}
		if g.C == 1 && simdConvOneIn(y, x, w, g, n, s) {
			return
		}
		convRange(y, x, w, g, n, 0, rows, s)
		return
	}
	j := getJob(opConv)
	j.c, j.a, j.b, j.g, j.n = y, x, w, g, n
	j.split(rows, convBlockRows(g), 1, np)
	j.exec(np)
}

// convRange computes rows [r0,r1) of y, a block at a time, or with one
// output channel in conv_oneout.go's order.
func convRange(y, x, w []float32, g Conv3x3, n, r0, r1 int, s *scratch) {
	if n == 1 {
		zero := s.block(g.C)
		clear(zero)
		if !avxConvOneOut(y, x, w, g, r0, r1, zero) {
			convOneOutRange(y, x, w, g, r0, r1, zero)
		}
		return
	}
	k, br := g.Cols(), convBlockRows(g)
	buf := s.block(br * k)
	for b0 := r0; b0 < r1; b0 += br {
		b1 := min(b0+br, r1)
		mb := b1 - b0
		blk := buf[:mb*k]
		im2colRange(blk, x, g, b0, b1)
		yb := y[b0*n : b1*n]
		gemmSerial(yb, blk, w, mb, n, k, s)
	}
}
