package kernels

import "fmt"

// The weight gradient by Winograd's F(3×3, 4×4): over one 4×4 block of
// output pixels, tap (kh, kw) of the weight gradient adds dy's 4×4 values
// times the forward pass's 6×6 input patch shifted by the tap, a 4×4
// correlation with 3×3 outputs. It is the adjoint of F(4×4, 3×3) in g:
// the forward tile is Aᵀ[(G g Gᵀ) ⊙ V]A with V = Bᵀ d B, so its gradient
// in g is
//
//	dw = Gᵀ[(A e Aᵀ) ⊙ V]G
//
// with e the block of dy (zero outside the image) and A, G and Bᵀ those of
// winograd43.go. Summed over all tiles and images, the 36 element-wise
// products become 36 products (C×tiles)·(tiles×n), GemmTA with a long k,
// and the transform back to 3×3 taps is done once per call: 2.25
// multiplies per output pixel and channel pair where F(3×3, 2×2) did 4
// and the direct sum 9. Like the forward pass it rounds different sums of
// the same terms (TestWinogradWeightGradMatchesDirect bounds the
// difference) but is fixed bits of its own on every platform: fixed
// transform expressions computed per channel, Gemm's ordered sums, and
// tiles always in the same order.

// wino43At is A applied to four values: A's rows are (1,0,0,0),
// (1,1,1,1), (1,−1,1,−1), (1,2,4,8), (1,−2,4,−8) and (0,0,0,1).
func wino43At(e0, e1, e2, e3 float32) (s0, s1, s2, s3, s4, s5 float32) {
	p, q := e0+e2, e1+e3
	pp := e0 + float32(4*e2)
	qq := float32(2 * (e1 + float32(4*e3)))
	return e0, p + q, p - q, pp + qq, pp - qq, e3
}

// wino43Gt is Gᵀ applied to six values: Gᵀ's rows are
// (¼,−⅙,−⅙,1/24,1/24,0), (0,−⅙,⅙,1/12,−1/12,0) and (0,−⅙,−⅙,⅙,⅙,1),
// that is ¼m0 + (¼c − a)·⅙, (½d − b)·⅙ and (c − a)·⅙ + m5 with a, b =
// m1 ± m2 and c, d = m3 ± m4.
func wino43Gt(m0, m1, m2, m3, m4, m5 float32) (t0, t1, t2 float32) {
	a, b := m1+m2, m1-m2
	c, d := m3+m4, m3-m4
	t0 = float32(m0*0.25) + float32((float32(c*0.25)-a)*wino43Sixth)
	t1 = float32((float32(d*0.5) - b) * wino43Sixth)
	t2 = float32((c-a)*wino43Sixth) + m5
	return
}

// wino43GradBlockTiles is how many tiles one block of the weight gradient
// transforms at a time: the 36 planes of both transforms within two
// winoTileFloats, as the forward pass's.
func wino43GradBlockTiles(g Conv3x3, n int) int {
	return max(16, 2*winoTileFloats/(36*(g.C+n))/16*16)
}

// Conv3x3WinogradWeightGrad adds to dw (a Keras kernel [3,3,C,n]) the
// weight gradient of a stride-1 "same" convolution with geometry g, input
// x (N×H×W×C) and output gradient dy (N×H×W×n). g must satisfy
// WinogradOK. It panics with ErrShape if it does not or a slice is too
// short.
func Conv3x3WinogradWeightGrad(dw, x, dy []float32, g Conv3x3, n int) {
	if !WinogradOK(g, n) {
		panic(fmt.Errorf("%w: Conv3x3WinogradWeightGrad takes stride 1 and channels in fours; got %+v to %d channels",
			ErrShape, g, n))
	}
	checkLen("Conv3x3WinogradWeightGrad", dw, 9*g.C*n, x, g.N*g.H*g.W*g.C, dy, g.N*g.H*g.W*n)
	// Cores take columns of dw, each through every tile in order, so every
	// sum keeps one order whatever the number of cores. Each transforms the
	// whole input again: C/(n·36) of its products' work.
	tiles := g.N * wino43Tiles(g.H) * wino43Tiles(g.W)
	np := parts(tiles * 36 * g.C * n)
	if np == 1 {
		s := scratchPool.get()
		wino43GradRange(dw, x, dy, g, n, 0, n, s)
		scratchPool.put(s)
		return
	}
	j := getJob(opWinoGrad)
	j.c, j.a, j.b, j.g, j.n = dw, x, dy, g, n
	j.split(n, 8, 1, np)
	j.exec(np)
}

// wino43GradRange adds into columns [j0,j1) of dw their gradient: for each
// block of tiles in order, the two transforms and the 36 products added
// onto the sums m; then the sums' transform back to taps. A tile reaching
// past the image's bottom or right edge reads dy through part, +0 outside.
func wino43GradRange(dw, x, dy []float32, g Conv3x3, n, j0, j1 int, s *scratch) {
	c, w := g.C, g.W
	tiles := g.N * wino43Tiles(g.H) * wino43Tiles(w)
	tb := wino43GradBlockTiles(g, n)
	lv, le, lm, sl := 36*winoPlane(tb, c), 36*winoPlane(tb, n), 36*c*n, wino43StripLen(g)
	buf := s.block(lv + le + lm + sl + 16*n)
	v, e, m := buf[:lv], buf[lv:lv+le], buf[lv+le:lv+le+lm]
	strip, part := buf[lv+le+lm:lv+le+lm+sl], buf[lv+le+lm+sl:]
	clear(m)
	for b0 := 0; b0 < tiles; b0 += tb {
		nb := min(tb, tiles-b0)
		vs, es := winoPlane(nb, c), winoPlane(nb, n)
		wino43InBlock(v, vs, x, g, b0, nb, strip)
		for t := b0; t < b0+nb; {
			yo, run, rows, cols := wino43OutRun(g, n, t, b0+nb)
			if run > 0 {
				wino43Dy(e[(t-b0)*n:], es, dy[yo:], w*n, n, run)
				t += run
				continue
			}
			clear(part)
			for a := range rows {
				copy(part[a*4*n:(a*4+cols)*n], dy[yo+a*w*n:])
			}
			wino43Dy(e[(t-b0)*n:], es, part, 4*n, n, 1)
			t++
		}
		for xi := range 36 {
			mp, vp, ep := m[xi*c*n:(xi+1)*c*n], v[xi*vs:xi*vs+nb*c], e[xi*es:xi*es+nb*n]
			if j0 > 0 || j1 < n || !simdGemm(opGemmTA, mp, vp, ep, c, n, nb, true) {
				gemmRange(opGemmTA, mp, vp, ep, c, n, nb, true, 0, c, j0, j1, s)
			}
		}
	}
	wino43GradOut(dw, m, c, n, j0, j1)
}

// wino43Dy runs the output gradient's transform on the SIMD128 kernels
// (js/wasm) or AVX2 (amd64 with GOEXPERIMENT=simd) when present, which
// compute wino43DyGo's expressions lane by lane.
func wino43Dy(e []float32, es int, dy []float32, ys, n, count int) {
	if !simdWino43Dy(e, es, dy, ys, n, count) && !avxWino43Dy(e, es, dy, ys, n, count) {
		wino43DyGo(e, es, dy, ys, n, count)
	}
}

// wino43DyGo transforms count 4×4 blocks of dy side by side: tile t's
// pixel (a, b) has channel k at dy[4t·n + a*ys + b*n + k]; plane ξ = 6i+j
// of A e Aᵀ goes to e[t·n + ξ*es + k]. A over the columns first, then over
// the rows of the result.
func wino43DyGo(e []float32, es int, dy []float32, ys, n, count int) {
	for tile := range count {
		wino43DyChannels(e[tile*n:], es, dy[4*tile*n:], ys, n, 0)
	}
}

// wino43DyChannels transforms channels [k0,n) of one tile.
func wino43DyChannels(o []float32, es int, d []float32, ys, n, k0 int) {
	for k := k0; k < n; k++ {
		var r [6][4]float32 // r[i][b]: row i of A e, column b
		for b := range 4 {
			q := b*n + k
			r[0][b], r[1][b], r[2][b], r[3][b], r[4][b], r[5][b] = wino43At(d[q], d[ys+q], d[2*ys+q], d[3*ys+q])
		}
		for i := range 6 {
			x0, x1, x2, x3, x4, x5 := wino43At(r[i][0], r[i][1], r[i][2], r[i][3])
			q := 6*i*es + k
			o[q], o[q+es], o[q+2*es], o[q+3*es], o[q+4*es], o[q+5*es] = x0, x1, x2, x3, x4, x5
		}
	}
}

// wino43GradOut runs wino43GradOutGo, on the SIMD128 kernels (js/wasm)
// when present and it takes every column: in Go a 64→64 conv's took 0.65
// ms under Node, a tenth of its weight gradient.
func wino43GradOut(dw, m []float32, c, n, j0, j1 int) {
	if j0 == 0 && j1 == n && simdWino43GradOut(dw, m, c, n) {
		return
	}
	wino43GradOutGo(dw, m, c, n, j0, j1)
}

// wino43GradOutGo adds Gᵀ m G, the taps of columns [j0,j1), into dw. Plane
// ξ = 6i+j of m holds the c×n sums of transformed entry (i, j); Gᵀ runs
// over j first, then i.
func wino43GradOutGo(dw, m []float32, c, n, j0, j1 int) {
	plane := c * n
	for ch := range c {
		for k := j0; k < j1; k++ {
			o := ch*n + k
			var s [6][3]float32
			for i := range 6 {
				q := 6 * i * plane
				s[i][0], s[i][1], s[i][2] = wino43Gt(m[q+o], m[q+plane+o], m[q+2*plane+o], m[q+3*plane+o],
					m[q+4*plane+o], m[q+5*plane+o])
			}
			for kw := range 3 {
				t0, t1, t2 := wino43Gt(s[0][kw], s[1][kw], s[2][kw], s[3][kw], s[4][kw], s[5][kw])
				dw[kw*plane+o] += t0
				dw[(3+kw)*plane+o] += t1
				dw[(6+kw)*plane+o] += t2
			}
		}
	}
}
