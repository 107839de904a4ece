package kernels

// Winograd F(4×4, 3×3): each 4×4 block of output pixels from a 6×6 patch
// of input, Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A. Summed over input channels, the
// 36 element-wise products become 36 matrix products of tiles×C by C×n:
// 2.25 multiplies per output pixel and channel pair, against F(2×2, 3×3)'s
// 4 and im2col's 9. The transforms cost about as much per output pixel as
// F(2×2)'s (Lavin and Gray's factorization below), so a 28×28 layer runs
// its products in 1.78× less time, and a 14×14 one (four tiles of 4 a row,
// the last half outside the image) in 1.36× less.
//
// Its bits are its own, on every platform: the transforms are fixed
// expressions computed per channel (lanes across channels in the SIMD128
// and AVX2 versions, never across terms), each product by a constant
// rounded on its own (float32(...): Go may not fuse it into an add), and
// the products are Gemm's. The only constant that is not a power of two,
// ⅙ (in G, and Gᵀ in the weight gradient), is rounded once to float32.

// wino43Sixth is ⅙ rounded to float32 (0x1.555556p-3, as in kernels.wat).
const wino43Sixth float32 = 1.0 / 6

// wino43Tiles is the number of 4-pixel tiles along a side of n pixels.
func wino43Tiles(n int) int { return (n + 3) / 4 }

// wino43BlockTiles is how many tiles one block transforms at a time: its
// 36 planes of tiles×max(C, n) within winoTileFloats, as F(2×2)'s 16.
func wino43BlockTiles(g Conv3x3, n int) int {
	return max(16, winoTileFloats/(36*max(g.C, n))/16*16)
}

// wino43G is G applied to one column (g0, g1, g2) of a 3×3 kernel. G's
// rows are (¼,0,0), (−⅙,−⅙,−⅙), (−⅙,⅙,−⅙), (1/24,1/12,⅙), (1/24,−1/12,⅙)
// and (0,0,1); rows 3 and 4 are (¼g0 + g2 ± ½g1)·⅙.
func wino43G(g0, g1, g2 float32) (u0, u1, u2, u3, u4, u5 float32) {
	s := g0 + g2
	q := float32(g0*0.25) + g2
	h := float32(g1 * 0.5)
	u0 = float32(g0 * 0.25)
	u1 = float32((s + g1) * -wino43Sixth)
	u2 = float32((s - g1) * -wino43Sixth)
	u3 = float32((q + h) * wino43Sixth)
	u4 = float32((q - h) * wino43Sixth)
	u5 = g2
	return
}

// wino43B is Bᵀ applied to six values. Bᵀ's rows are (4,0,−5,0,1,0),
// (0,−4,−4,1,1,0), (0,4,−4,−1,1,0), (0,−2,−1,2,1,0), (0,2,−1,−2,1,0) and
// (0,4,0,−5,0,1).
func wino43B(d0, d1, d2, d3, d4, d5 float32) (r0, r1, r2, r3, r4, r5 float32) {
	t0 := d4 - float32(4*d2)
	t1 := d3 - float32(4*d1)
	t2 := d4 - d2
	t3 := float32(2 * (d3 - d1))
	r0 = float32(4*(d0-d2)) + t2
	r1 = t0 + t1
	r2 = t0 - t1
	r3 = t2 + t3
	r4 = t2 - t3
	r5 = float32(4*(d1-d3)) + (d5 - d3)
	return
}

// wino43A is Aᵀ applied to six values. Aᵀ's rows are (1,1,1,1,1,0),
// (0,1,−1,2,−2,0), (0,1,1,4,4,0) and (0,1,−1,8,−8,1).
func wino43A(m0, m1, m2, m3, m4, m5 float32) (o0, o1, o2, o3 float32) {
	a, b := m1+m2, m1-m2
	c, d := m3+m4, m3-m4
	o0 = (m0 + a) + c
	o1 = b + float32(2*d)
	o2 = a + float32(4*c)
	o3 = (b + float32(8*d)) + m5
	return
}

// wino43Weights sets u (36 planes of c×n) to G g Gᵀ for every pair of
// channels of w, a Keras kernel [3,3,c,n], or (adjoint) of its adjoint
// kernel (36 planes of n×c; see WinogradAdjointWeights): on the SIMD128
// kernels where present, else in Go.
func wino43Weights(u, w []float32, c, n int, adjoint bool) {
	if !simdWino43Weights(u, w, c, n, adjoint) {
		wino43WeightsGo(u, w, c, n, adjoint)
	}
}

func wino43WeightsGo(u, w []float32, c, n int, adjoint bool) {
	for ch := range c {
		for k := range n {
			var g [3][3]float32
			for kh := range 3 {
				for kw := range 3 {
					if adjoint {
						g[kh][kw] = w[(((2-kh)*3+2-kw)*c+ch)*n+k]
					} else {
						g[kh][kw] = w[((kh*3+kw)*c+ch)*n+k]
					}
				}
			}
			o := ch*n + k
			if adjoint {
				o = k*c + ch
			}
			wino43Kernel(u, &g, o, c*n)
		}
	}
}

// wino43Kernel stores G g Gᵀ of one channel pair at u[o], u[o+plane], ...:
// entry (i, j) of the 6×6 result in plane 6i+j. G·g first, by columns.
func wino43Kernel(u []float32, g *[3][3]float32, o, plane int) {
	var t [6][3]float32 // G·g
	for kw := range 3 {
		t[0][kw], t[1][kw], t[2][kw], t[3][kw], t[4][kw], t[5][kw] = wino43G(g[0][kw], g[1][kw], g[2][kw])
	}
	for i := range 6 {
		u0, u1, u2, u3, u4, u5 := wino43G(t[i][0], t[i][1], t[i][2])
		q := o + 6*i*plane
		u[q], u[q+plane], u[q+2*plane], u[q+3*plane], u[q+4*plane], u[q+5*plane] = u0, u1, u2, u3, u4, u5
	}
}

// wino43Range computes the output tiles [t0,t1) (tile t is image
// t/(th·tw), then row-major 4×4 blocks), a block of tiles at a time:
// transform their inputs, run the 36 products, transform the results back.
// A tile that reaches past the image's bottom or right edge goes back
// through part, and only its pixels inside the image are copied out.
func wino43Range(y, x, u []float32, g Conv3x3, n, t0, t1 int, s *scratch) {
	c, w := g.C, g.W
	tb := wino43BlockTiles(g, n)
	lv, lm := 36*winoPlane(tb, c), 36*winoPlane(tb, n)
	sl := wino43StripLen(g)
	buf := s.block(lv + lm + sl + 16*n)
	v, m := buf[:lv], buf[lv:lv+lm]
	strip, part := buf[lv+lm:lv+lm+sl], buf[lv+lm+sl:]
	for b0 := t0; b0 < t1; b0 += tb {
		nb := min(tb, t1-b0)
		vs, ms := winoPlane(nb, c), winoPlane(nb, n)
		wino43InBlock(v, vs, x, g, b0, nb, strip)
		for xi := range 36 {
			gemmSerial(m[xi*ms:xi*ms+nb*n], v[xi*vs:xi*vs+nb*c], u[xi*c*n:(xi+1)*c*n], nb, n, c, s)
		}
		for t := b0; t < b0+nb; {
			yo, run, rows, cols := wino43OutRun(g, n, t, b0+nb)
			if run > 0 {
				wino43Out(y[yo:], w*n, m[(t-b0)*n:], ms, n, run)
				t += run
				continue
			}
			wino43Out(part, 4*n, m[(t-b0)*n:], ms, n, 1)
			for a := range rows {
				copy(y[yo+a*w*n:yo+(a*w+cols)*n], part[a*4*n:])
			}
			t++
		}
	}
}

// wino43OutRun places output tile t (tile t is image t/(th·tw), then
// row-major 4×4 blocks) of an N×H×W×n tensor: yo is the offset of its
// first pixel. A whole tile starts a run of whole tiles along its tile
// row, run of them before the block's end b1; a tile that reaches past
// the image's bottom or right edge has run 0 and rows×cols pixels inside.
func wino43OutRun(g Conv3x3, n, t, b1 int) (yo, run, rows, cols int) {
	h, w := g.H, g.W
	th, tw := wino43Tiles(h), wino43Tiles(w)
	img, ti, tj := t/(th*tw), t/tw%th, t%tw
	yo = (img*h*w + 4*ti*w + 4*tj) * n
	rows, cols = min(4, h-4*ti), min(4, w-4*tj)
	if rows == 4 && tj < w/4 {
		run = min(w/4-tj, b1-t)
	}
	return yo, run, rows, cols
}

// wino43InBlock transforms the input patches of the nb tiles from b0 into
// v (36 planes of nb×C, vs apart). Tile (ti, tj)'s patch is image rows
// 4ti−1 to 4ti+4 and columns 4tj−1 to 4tj+4. Runs of tiles whose patch
// lies inside the image read x in place. The others read strip
// (wino43StripLen floats): the six image rows under their tile row, image
// column q at strip column q+1, +0 outside the image (columns −1 and w on,
// and rows outside it); only the columns a run reads are copied in.
func wino43InBlock(v []float32, vs int, x []float32, g Conv3x3, b0, nb int, strip []float32) {
	c, h, w := g.C, g.H, g.W
	th, tw := wino43Tiles(h), wino43Tiles(w)
	rs := (4*tw + 2) * c
	strip = strip[:6*rs]
	clear(strip) // the columns outside the image stay +0
	// Tiles 1 to lastIn along a side of n pixels have their patch inside.
	lastIn := func(n int) int { return (n - 5) / 4 }
	lastRow, lastCol := lastIn(h), lastIn(w)
	for t := b0; t < b0+nb; {
		img, ti, tj := t/(th*tw), t/tw%th, t%tw
		base := img * h * w * c
		innerRow := ti >= 1 && ti <= lastRow
		if innerRow && tj >= 1 && tj <= lastCol {
			run := min(lastCol+1-tj, b0+nb-t)
			wino43In(v[(t-b0)*c:], vs, x[base+((4*ti-1)*w+4*tj-1)*c:], w*c, c, run)
			t += run
			continue
		}
		run := min(tw-tj, b0+nb-t) // a top or bottom row: the rest of it
		if innerRow {
			run = 1 // an inner row's first tile, or one of its last
		}
		// Image columns 4tj−1 to 4(tj+run) inclusive, those inside it.
		q0, q1 := max(0, 4*tj-1), min(w, 4*(tj+run)+1)
		for r := range 6 {
			row := strip[r*rs+(q0+1)*c : r*rs+(q1+1)*c]
			if yy := 4*ti - 1 + r; yy >= 0 && yy < h {
				copy(row, x[base+(yy*w+q0)*c:])
			} else {
				clear(row)
			}
		}
		wino43In(v[(t-b0)*c:], vs, strip[4*tj*c:], rs, c, run)
		t += run
	}
}

// wino43StripLen is the length of wino43InBlock's strip for geometry g.
func wino43StripLen(g Conv3x3) int { return 6 * (4*wino43Tiles(g.W) + 2) * g.C }

// wino43In and wino43Out run the transforms on the SIMD128 kernels
// (js/wasm) or AVX2 (amd64 with GOEXPERIMENT=simd) when present, which
// compute the same expressions lane by lane.
func wino43In(v []float32, vs int, d []float32, rs, c, count int) {
	if !simdWino43In(v, vs, d, rs, c, count) && !avxWino43In(v, vs, d, rs, c, count) {
		wino43InGo(v, vs, d, rs, c, count)
	}
}

func wino43Out(y []float32, ys int, m []float32, ms, n, count int) {
	if !simdWino43Out(y, ys, m, ms, n, count) && !avxWino43Out(y, ys, m, ms, n, count) {
		wino43OutGo(y, ys, m, ms, n, count)
	}
}

// wino43InGo is the input transform of count tiles side by side: tile t's
// 6×6 patch has row r, column q, channel ch at d[4t·c + r*rs + q*c + ch];
// plane ξ = 6i+j of Bᵀ d B goes to v[t·c + ξ*vs + ch].
func wino43InGo(v []float32, vs int, d []float32, rs, c, count int) {
	for tile := range count {
		wino43InChannels(v[tile*c:], vs, d[4*tile*c:], rs, c, 0)
	}
}

// wino43InChannels transforms channels [ch0,c) of one tile: Bᵀ over the
// columns first, then over the rows of the result.
func wino43InChannels(v []float32, vs int, d []float32, rs, c, ch0 int) {
	for ch := ch0; ch < c; ch++ {
		var t [6][6]float32 // t[i][q]: row i of Bᵀ d, column q
		for q := range 6 {
			o := q*c + ch
			t[0][q], t[1][q], t[2][q], t[3][q], t[4][q], t[5][q] =
				wino43B(d[o], d[rs+o], d[2*rs+o], d[3*rs+o], d[4*rs+o], d[5*rs+o])
		}
		for i := range 6 {
			r := &t[i]
			x0, x1, x2, x3, x4, x5 := wino43B(r[0], r[1], r[2], r[3], r[4], r[5])
			o := 6*i*vs + ch
			v[o], v[o+vs], v[o+2*vs], v[o+3*vs], v[o+4*vs], v[o+5*vs] = x0, x1, x2, x3, x4, x5
		}
	}
}

// wino43OutGo is the output transform of count tiles side by side: plane
// ξ = 6i+j of tile t's products is m[t·n + ξ*ms + k]; its 4×4 pixels
// Aᵀ m A go to y[4t·n + a*ys + b*n + k].
func wino43OutGo(y []float32, ys int, m []float32, ms, n, count int) {
	for tile := range count {
		wino43OutChannels(y[4*tile*n:], ys, m[tile*n:], ms, n, 0)
	}
}

// wino43OutChannels transforms channels [k0,n) of one tile: Aᵀ over the
// columns first, then over the rows of the result.
func wino43OutChannels(y []float32, ys int, m []float32, ms, n, k0 int) {
	for k := k0; k < n; k++ {
		var s [4][6]float32 // s[a][j]: row a of Aᵀ m, column j
		for j := range 6 {
			s[0][j], s[1][j], s[2][j], s[3][j] = wino43A(m[j*ms+k], m[(6+j)*ms+k], m[(12+j)*ms+k],
				m[(18+j)*ms+k], m[(24+j)*ms+k], m[(30+j)*ms+k])
		}
		for a := range 4 {
			r := &s[a]
			o0, o1, o2, o3 := wino43A(r[0], r[1], r[2], r[3], r[4], r[5])
			o := a*ys + k
			y[o], y[o+n], y[o+2*n], y[o+3*n] = o0, o1, o2, o3
		}
	}
}
