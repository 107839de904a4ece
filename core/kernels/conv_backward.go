package kernels

// Conv3x3Backward is the backward pass of Conv3x3Forward without its column
// matrix. As Im2col, GemmTA, GemmTB and Col2im over the whole batch, the
// backward pass writes and reads back two matrices of Rows()×Cols() floats
// (29 MB each for the VAE's last convolution over 32 images), so it runs at
// memory speed. Here the column matrix is rebuilt a block of rows at a time
// and each block is used while it is in cache, for both gradients.
//
// The bits are those of the whole-matrix passes: GemmTA adds each weight
// gradient's terms in increasing row order onto its old value, so blocks
// of consecutive rows, each added with acc, continue one sequence; GemmTB
// computes each row of the column gradient from the same row of dy alone;
// and Col2im adds the rows in order, which blocks taken in order keep.

// Conv3x3Backward adds to dw (Cols()×n) the weight gradient
// Im2col(x)ᵀ·dy of a convolution with geometry g, input x and output
// gradient dy (Rows()×n), and, when dx is non-nil, sets dx to the input
// gradient Col2im(dy·wᵀ) for the kernel w (Cols()×n). Its results are the
// bits of Im2col, GemmTA(dw, cols, dy, Cols(), n, Rows(), true),
// GemmTB(dcols, dy, w, Rows(), Cols(), n, false) and Col2im(dx, dcols, g)
// (for a stride-1 convolution to one channel by another way,
// convBwdDataOneChannel). It panics with ErrShape if a slice is too short.
func Conv3x3Backward(dx, dw, x, dy, w []float32, g Conv3x3, n int) {
	rows, k := g.Rows(), g.Cols()
	checkDims("Conv3x3Backward", rows, n, k)
	imgs := g.N * g.H * g.W * g.C
	checkLen("Conv3x3Backward", dw, k*n, x, imgs, dy, rows*n)
	checkLen("Conv3x3Backward", w, k*n, nil, 0, nil, 0)
	if dx != nil {
		checkLen("Conv3x3Backward", dx, imgs, nil, 0, nil, 0)
	}
	if rows == 0 || n == 0 || k == 0 {
		if dx != nil {
			clear(dx[:imgs])
		}
		return
	}
	// The weight gradient: its columns are independent, so cores take
	// columns, each going through every block of rows in order (and
	// filling its own copy of each block).
	np := parts(rows * k * n)
	if np == 1 || n < 2 {
		s := scratchPool.get()
		switch {
		case n == 1 && simdConvOneOutWeights(dw, x, dy, g, s):
		case g.C == 1 && simdConvOneInWeights(dw, x, dy, g, n, s):
		default:
			convBwdWeightsRange(dw, x, dy, g, n, 0, n, s)
		}
		scratchPool.put(s)
	} else {
		j := getJob(opConvBwdWeights)
		j.c, j.a, j.b, j.g, j.n = dw, x, dy, g, n
		j.split(n, 8, 1, np)
		j.exec(np)
	}
	if dx != nil {
		convBwdData(dx, dy, w, g, n)
	}
}

// Conv3x3BackwardData sets dx to the input gradient Col2im(dy·wᵀ) of a
// convolution with geometry g, output gradient dy (Rows()×n) and kernel w
// (Cols()×n), as Conv3x3Backward does: the forward pass of a transposed
// convolution. It panics with ErrShape if a slice is too short.
func Conv3x3BackwardData(dx, dy, w []float32, g Conv3x3, n int) {
	rows, k := g.Rows(), g.Cols()
	checkDims("Conv3x3BackwardData", rows, n, k)
	imgs := g.N * g.H * g.W * g.C
	checkLen("Conv3x3BackwardData", dx, imgs, dy, rows*n, w, k*n)
	if rows == 0 || n == 0 || k == 0 {
		clear(dx[:imgs])
		return
	}
	convBwdData(dx, dy, w, g, n)
}

// convBwdData is the input gradient of Conv3x3Backward, past its checks.
func convBwdData(dx, dy, w []float32, g Conv3x3, n int) {
	if n == 1 && g.Stride == 1 {
		convBwdDataOneChannel(dx, dy, w, g)
		return
	}
	// The input gradient, added up from +0 by col2im: images are
	// independent, so cores take whole images, each a block of rows at a
	// time.
	clear(dx[:g.N*g.H*g.W*g.C])
	np := parts(g.Rows() * g.Cols() * n)
	if np = min(np, g.N); np == 1 {
		s := scratchPool.get()
		convBwdDataRange(dx, dy, w, g, n, 0, g.N, s)
		scratchPool.put(s)
		return
	}
	j := getJob(opConvBwdData)
	j.c, j.a, j.b, j.g, j.n = dx, dy, w, g, n
	j.split(g.N, 1, 2, np)
	j.exec(np)
}

// convBwdWeightsRange adds into columns [j0,j1) of dw their gradient, a
// block of column-matrix rows at a time in row order.
func convBwdWeightsRange(dw, x, dy []float32, g Conv3x3, n, j0, j1 int, s *scratch) {
	rows, k, br := g.Rows(), g.Cols(), convBlockRows(g)
	buf := s.block(br * k)
	for b0 := 0; b0 < rows; b0 += br {
		b1 := min(b0+br, rows)
		mb := b1 - b0
		blk, dyb := buf[:mb*k], dy[b0*n:b1*n]
		im2colRange(blk, x, g, b0, b1)
		if j0 == 0 && j1 == n {
			GemmTA(dw, blk, dyb, k, n, mb, true)
		} else {
			gemmRange(opGemmTA, dw, blk, dyb, k, n, mb, true, 0, k, j0, j1, s)
		}
	}
}

// convBwdDataRange adds into dx the input gradient of the images [n0,n1),
// a block of column-matrix rows at a time. The SIMD128 kernels want wᵀ
// along their lanes, so they get it transposed once per call rather than
// once per block inside GemmTB; Gemm with wᵀ gives GemmTB's bits.
func convBwdDataRange(dx, dy, w []float32, g Conv3x3, n, n0, n1 int, s *scratch) {
	k, br, pix := g.Cols(), convBlockRows(g), g.OutH()*g.OutW()
	buf := s.block(br * k)
	var wt []float32
	if simdOK {
		if cap(s.wt) < n*k {
			s.wt = make([]float32, n*k)
		}
		wt = s.wt[:n*k]
		transposeBlock(wt, k, w, n, k, n)
	}
	for b0 := n0 * pix; b0 < n1*pix; b0 += br {
		b1 := min(b0+br, n1*pix)
		mb := b1 - b0
		blk, dyb := buf[:mb*k], dy[b0*n:b1*n]
		if wt == nil || !simdGemm(opGemm, blk, dyb, wt, mb, k, n, false) {
			gemmRange(opGemmTB, blk, dyb, w, mb, k, n, false, 0, mb, 0, k, s)
		}
		if !simdCol2imRows(dx, blk, g, b0, b1) {
			col2imRows(dx, blk, g, b0, b1)
		}
	}
}

// convBwdDataOneChannel sets dx to the input gradient of a stride-1
// convolution to one channel (the VAE's last) as a convolution of dy, one
// channel, with the adjoint kernel (taps mirrored): Conv3x3Forward with
// k = 9 products of full SIMD width, where GemmTB's k = 1 products write a
// column gradient as large as the column matrix only for Col2im to read it
// back. The bits are Col2im's: input pixel (y, x) meets output pixel
// (y+kh'−1, x+kw'−1) through the adjoint's tap (kh', kw'), so increasing
// taps add the same rounded products dy·w in Col2im's order of output
// pixels. The adjoint's taps that fall outside the image add products of
// +0, which change no sum: a sum that starts from +0 and adds finite
// products is never −0, so x + (±0) = x throughout. (Col2im's terms are
// +0 + dy·w, the same value for the same reason.)
func convBwdDataOneChannel(dx, dy, w []float32, g Conv3x3) {
	s := scratchPool.get()
	defer scratchPool.put(s)
	if cap(s.wt) < 9*g.C {
		s.wt = make([]float32, 9*g.C)
	}
	adj := s.wt[:9*g.C]
	for t := range 9 {
		copy(adj[t*g.C:(t+1)*g.C], w[(8-t)*g.C:(9-t)*g.C])
	}
	// Every element of dx is written, so it is not cleared first.
	convForward(dx, dy, adj, Conv3x3{N: g.N, H: g.H, W: g.W, C: 1, Stride: 1}, g.C, s)
}
