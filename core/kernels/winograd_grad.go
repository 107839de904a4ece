package kernels

import "fmt"

// The weight gradient by Winograd's F(3×3, 2×2). Over one 2×2 block of
// output pixels, tap (kh, kw) of the weight gradient adds dy's 2×2 values
// times the 4×4 input patch the forward pass reads, shifted by the tap: a
// 2×2 correlation with 3×3 outputs. F(2×2, 3×3) and this one share their
// trilinear form, so the same matrices serve, in other roles:
//
//	dw = Gᵀ[(A e Aᵀ) ⊙ (Bᵀ d B)]G
//
// with d the input patch (its transform is F(2×2, 3×3)'s, winoIn), e the
// block of dy, Bᵀ winoInChannels' and G and Aᵀ F(2×2, 3×3)'s: G's rows
// (1,0,0), (½,½,½), (½,−½,½) and (0,0,1), Aᵀ's (1,1,1,0) and (0,1,−1,−1)
// (winoGradOut and winoDyGo use them). Summed over
// all tiles and images, the 16 element-wise products become 16 products
// (C×tiles)·(tiles×n), GemmTA with a long k, and the transform back to 3×3
// taps is done once per call. That is 16 multiplies per tile and channel
// pair where the direct sum does 36, so the products do 2.25 times less
// work. Like the forward pass it rounds different sums of the same terms
// (TestWinogradWeightGradMatchesDirect bounds the difference) but is fixed
// bits of its own on every platform: fixed transform expressions computed
// per channel, Gemm's ordered sums, and tiles always in the same order.

// winoGradBlockTiles is how many tiles one block of the weight gradient
// transforms at a time: the planes of both transforms and the 16 C×n sums
// stay within two sets of 16 planes of winoTileFloats/16 floats (and their
// pads, and winoInBlock's strip), which the memory estimate counts as the
// kernels' scratch for up to 64 channels at 14×14.
func winoGradBlockTiles(g Conv3x3, n int) int {
	return max(16, (2*winoTileFloats-16*g.C*n)/(16*(g.C+n))/16*16)
}

// Conv3x3WinogradWeightGrad adds to dw (a Keras kernel [3,3,C,n]) the
// weight gradient of a stride-1 "same" convolution with geometry g, input
// x (N×H×W×C) and output gradient dy (N×H×W×n). g must satisfy
// WinogradOK. It panics with ErrShape if it does not or a slice is too
// short.
func Conv3x3WinogradWeightGrad(dw, x, dy []float32, g Conv3x3, n int) {
	if !WinogradOK(g, n) {
		panic(fmt.Errorf("%w: Conv3x3WinogradWeightGrad takes stride 1, an even height and width and channels in fours; got %+v to %d channels",
			ErrShape, g, n))
	}
	checkLen("Conv3x3WinogradWeightGrad", dw, 9*g.C*n, x, g.N*g.H*g.W*g.C, dy, g.N*g.H*g.W*n)
	// Cores take columns of dw, each through every tile in order, so every
	// sum keeps one order whatever the number of cores. Each transforms the
	// whole input again: C/(n·36) of its products' work.
	tiles := g.N * (g.H / 2) * (g.W / 2)
	np := parts(tiles * 16 * g.C * n)
	if np == 1 {
		s := scratchPool.get()
		winoGradRange(dw, x, dy, g, n, 0, n, s)
		scratchPool.put(s)
		return
	}
	j := getJob(opWinoGrad)
	j.c, j.a, j.b, j.g, j.n = dw, x, dy, g, n
	j.split(n, 8, 1, np)
	j.exec(np)
}

// winoGradRange adds into columns [j0,j1) of dw their gradient: for each
// block of tiles in order, the two transforms and the 16 products added
// onto the sums m; then the sums' transform back to taps.
func winoGradRange(dw, x, dy []float32, g Conv3x3, n, j0, j1 int, s *scratch) {
	c, h, w := g.C, g.H, g.W
	th, tw := h/2, w/2
	tiles := g.N * th * tw
	tb := winoGradBlockTiles(g, n)
	lv, le := 16*winoPlane(tb, c), 16*winoPlane(tb, n)
	buf := s.block(lv + le + 16*c*n + winoStripLen(g))
	v, e := buf[:lv], buf[lv:lv+le]
	m, strip := buf[lv+le:lv+le+16*c*n], buf[lv+le+16*c*n:]
	clear(m)
	for b0 := 0; b0 < tiles; b0 += tb {
		nb := min(tb, tiles-b0)
		vs, es := winoPlane(nb, c), winoPlane(nb, n)
		winoInBlock(v, vs, x, g, b0, nb, strip)
		// dy's blocks: runs of tiles along a tile row (no padding).
		for t := b0; t < b0+nb; {
			img, ti, tj := t/(th*tw), t/tw%th, t%tw
			run := min(tw-tj, b0+nb-t)
			winoDy(e[(t-b0)*n:], es, dy[(img*h*w+2*ti*w+2*tj)*n:], w*n, n, run)
			t += run
		}
		for xi := range 16 {
			mp, vp, ep := m[xi*c*n:(xi+1)*c*n], v[xi*vs:xi*vs+nb*c], e[xi*es:xi*es+nb*n]
			if j0 > 0 || j1 < n || !simdGemm(opGemmTA, mp, vp, ep, c, n, nb, true) {
				gemmRange(opGemmTA, mp, vp, ep, c, n, nb, true, 0, c, j0, j1, s)
			}
		}
	}
	winoGradOut(dw, m, c, n, j0, j1)
}

// winoDy runs the output gradient's transform on the SIMD128 kernels
// (js/wasm) or AVX2 (amd64 with GOEXPERIMENT=simd) when present, which
// compute winoDyGo's expressions lane by lane.
func winoDy(e []float32, es int, dy []float32, ys, n, count int) {
	if !simdWinoDy(e, es, dy, ys, n, count) && !avxWinoDy(e, es, dy, ys, n, count) {
		winoDyGo(e, es, dy, ys, n, count)
	}
}

// winoDyGo transforms count 2×2 blocks of dy side by side: tile t's pixel
// (a, b) has channel k at dy[2t·n + a*ys + b*n + k]; plane ξ = 4i+j of
// A e Aᵀ goes to e[t·n + ξ*es + k]. A's rows are (1,0), (1,1), (1,−1) and
// (0,−1); it runs over the rows first, then the columns.
func winoDyGo(e []float32, es int, dy []float32, ys, n, count int) {
	for tile := range count {
		winoDyChannels(e[tile*n:], es, dy[2*tile*n:], ys, n, 0)
	}
}

// winoDyChannels transforms channels [k0,n) of one tile.
func winoDyChannels(o []float32, es int, d []float32, ys, n, k0 int) {
	for k := k0; k < n; k++ {
		var r [4][2]float32
		for b := range 2 {
			e0, e1 := d[b*n+k], d[ys+b*n+k]
			r[0][b] = e0
			r[1][b] = e0 + e1
			r[2][b] = e0 - e1
			r[3][b] = -e1
		}
		for i := range 4 {
			r0, r1 := r[i][0], r[i][1]
			q := 4*i*es + k
			o[q] = r0
			o[q+es] = r0 + r1
			o[q+2*es] = r0 - r1
			o[q+3*es] = -r1
		}
	}
}

// winoGradOut adds Gᵀ m G, the taps of columns [j0,j1), into dw. Plane
// ξ = 4i+j of m holds the c×n sums of transformed entry (i, j). Gᵀ's rows
// are (1,½,½,0), (0,½,−½,0) and (0,½,½,1); it runs over j first, then i.
// Each halving is written float32(…) so the compiler may not fuse it with
// the add that follows (see micro.go).
func winoGradOut(dw, m []float32, c, n, j0, j1 int) {
	plane := c * n
	for ch := range c {
		for k := j0; k < j1; k++ {
			o := ch*n + k
			var s [4][3]float32
			for i := range 4 {
				m0, m1, m2, m3 := m[(4*i)*plane+o], m[(4*i+1)*plane+o], m[(4*i+2)*plane+o], m[(4*i+3)*plane+o]
				h := float32((m1 + m2) * 0.5)
				s[i][0] = m0 + h
				s[i][1] = (m1 - m2) * 0.5
				s[i][2] = h + m3
			}
			for kw := range 3 {
				s0, s1, s2, s3 := s[0][kw], s[1][kw], s[2][kw], s[3][kw]
				h := float32((s1 + s2) * 0.5)
				dw[(0*3+kw)*plane+o] += s0 + h
				dw[(1*3+kw)*plane+o] += float32((s1 - s2) * 0.5)
				dw[(2*3+kw)*plane+o] += h + s3
			}
		}
	}
}
