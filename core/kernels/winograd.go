package kernels

import "fmt"

// Winograd convolution: the layers' stride-1 3×3 convolutions where the
// shape allows (WinogradOK). The forward pass and the input gradient take
// F(4×4, 3×3) (winograd43.go), through Conv3x3Winograd and the transformed
// kernels of WinogradWeights and WinogradAdjointWeights; the weight
// gradient takes F(3×3, 2×2) (winograd_grad.go), which reads the inputs
// through this file's F(2×2, 3×3) input transform, winoInBlock.
//
// The results are not the bits of Im2col then Gemm (they round different
// sums of the same terms; TestWinogradMatchesDirect bounds the
// difference). They are fixed bits of their own, on every platform: the
// transforms are fixed expressions, computed per channel (lanes across
// channels in the SIMD128 and AVX2 versions, never across terms), and the
// products are Gemm's and GemmTA's. On js/wasm, where the products already
// run near the SIMD128 kernels' peak (a multiply and an add per lane, no
// fusing), fewer products is what lets a convolution go faster at all.

// winoTileFloats bounds one block's transformed tiles (36 or 16 planes of
// tiles×max(C, n)): 512 KiB, which stays in L2 between the transform and
// the products that read it. Blocks of 128 tiles of 64 channels ran the
// products 10% faster than blocks of 64 under Node.
const winoTileFloats = 128 << 10

// WinogradOK reports whether Conv3x3Winograd and Conv3x3WinogradWeightGrad
// take geometry g with n output channels: stride 1, an even height and
// width (the weight gradient's whole 2×2 tiles; the forward pass's 4×4
// tiles may reach past the image) and channel counts that are multiples of
// 4 (whole SIMD128 lanes).
func WinogradOK(g Conv3x3, n int) bool {
	return g.Stride == 1 && g.N > 0 && g.H > 0 && g.W > 0 && g.H%2 == 0 && g.W%2 == 0 &&
		g.C > 0 && g.C%4 == 0 && n > 0 && n%4 == 0
}

// WinogradWeightsLen is the length of the transformed kernel of a
// convolution from c to n channels: F(4×4, 3×3)'s 36 planes of c×n.
func WinogradWeightsLen(c, n int) int { return 36 * c * n }

// WinogradWeights sets u (36 planes of c×n) to F(4×4, 3×3)'s G g Gᵀ for
// every pair of channels, from w, a Keras kernel [3,3,c,n] (wino43G gives
// G).
func WinogradWeights(u, w []float32, c, n int) {
	checkLen("WinogradWeights", u, 36*c*n, w, 9*c*n, nil, 0)
	wino43Weights(u, w, c, n, false)
}

// WinogradAdjointWeights sets u (36 planes of n×c) to the transform of the
// adjoint of w, a Keras kernel [3,3,c,n]: the kernel [3,3,n,c] whose entry
// (kh, kw, k, ch) is w's (2−kh, 2−kw, ch, k). With stride 1 and "same"
// padding, input pixel (y, x) meets output pixel (y−kh+1, x−kw+1) through
// tap (kh, kw), so the input gradient Col2im(dy·wᵀ) is the same kind of
// convolution of dy with the mirrored taps and swapped channels:
// Conv3x3Winograd(dx, dy, u, Conv3x3{N, H, W, C: n, Stride: 1}, c).
func WinogradAdjointWeights(u, w []float32, c, n int) {
	checkLen("WinogradAdjointWeights", u, 36*c*n, w, 9*c*n, nil, 0)
	wino43Weights(u, w, c, n, true)
}

// winoPlanePad floats (one 64-byte line) separate a block's transformed
// planes. Without it the 16 planes of a block of 128 tiles of 64 channels
// lie 32 KiB apart, a multiple of 4 KiB, so the transforms' 16 streams
// fall in the same L1 sets. Under Node, the pad took the 64-channel convs'
// Winograd forward pass from 8.6–9.7 to 7.1–7.4 ms and their weight
// gradient from 11.5–16.9 to 8.7–10.3 ms (batch 32, one test binary per
// pad, alternated).
const winoPlanePad = 16

// winoPlane is the distance between the transformed planes of a block of
// nb tiles of c channels.
func winoPlane(nb, c int) int { return nb*c + winoPlanePad }

// Conv3x3Winograd sets y (N×H×W×n, NHWC) to the convolution of x
// (N×H×W×C) with the kernel whose transform WinogradWeights left in u,
// without bias. g must satisfy WinogradOK. Conv3x3Winograd panics with
// ErrShape if it does not or a slice is too short.
func Conv3x3Winograd(y, x, u []float32, g Conv3x3, n int) {
	if !WinogradOK(g, n) {
		panic(fmt.Errorf("%w: Conv3x3Winograd takes stride 1, an even height and width and channels in fours; got %+v to %d channels",
			ErrShape, g, n))
	}
	checkLen("Conv3x3Winograd", y, g.N*g.H*g.W*n, x, g.N*g.H*g.W*g.C, u, 36*g.C*n)
	tiles := g.N * wino43Tiles(g.H) * wino43Tiles(g.W)
	np := parts(tiles * 144 * g.C * n)
	if np == 1 {
		s := scratchPool.get()
		wino43Range(y, x, u, g, n, 0, tiles, s)
		scratchPool.put(s)
		return
	}
	j := getJob(opWino)
	j.c, j.a, j.b, j.g, j.n = y, x, u, g, n
	j.split(tiles, wino43BlockTiles(g, n), 1, np)
	j.exec(np)
}

// winoInBlock transforms the input patches of the nb tiles from b0 into v
// (16 planes of nb×C, vs apart). Runs of tiles inside the image along a
// tile row read x in place. The others read strip (winoStripLen floats):
// the four image rows under their tile row, each with a pixel of +0 left
// and right of the image, or +0 for a row outside it. A top or bottom
// tile row goes through it in runs; an inner row's first and last tiles
// one at a time, with only their own pixels copied in. Before, each such
// tile copied its 4×4 patch, zeros and pixels, in twelve calls: under
// Node, the 28×28 conv's input transform took 1.8× its time on a padded
// image (775 against 430 µs for a batch of 32).
func winoInBlock(v []float32, vs int, x []float32, g Conv3x3, b0, nb int, strip []float32) {
	c, h, w := g.C, g.H, g.W
	th, tw := h/2, w/2
	rs := (w + 2) * c
	strip = strip[:4*rs]
	clear(strip) // the pixels left and right of the image stay +0
	for t := b0; t < b0+nb; {
		img, ti, tj := t/(th*tw), t/tw%th, t%tw
		base := img * h * w * c
		edgeRow := ti == 0 || ti == th-1
		if !edgeRow && tj > 0 && tj < tw-1 {
			run := min(tw-1-tj, b0+nb-t)
			winoIn(v[(t-b0)*c:], vs, x[base+((2*ti-1)*w+2*tj-1)*c:], w*c, c, run)
			t += run
			continue
		}
		run := 1
		if edgeRow {
			run = min(tw-tj, b0+nb-t)
		}
		// The run reads image pixels 2·tj−1 to 2·(tj+run), strip columns
		// one to the right; the columns of pixels −1 and w keep their +0.
		q0, q1 := max(0, 2*tj-1), min(w, 2*(tj+run)+1)
		for r := range 4 {
			row := strip[r*rs+(q0+1)*c : r*rs+(q1+1)*c]
			if yy := 2*ti - 1 + r; yy >= 0 && yy < h {
				copy(row, x[base+(yy*w+q0)*c:])
			} else {
				clear(row)
			}
		}
		winoIn(v[(t-b0)*c:], vs, strip[2*tj*c:], rs, c, run)
		t += run
	}
}

// winoStripLen is the length of winoInBlock's strip for geometry g.
func winoStripLen(g Conv3x3) int { return 4 * (g.W + 2) * g.C }

// gemmSerial is Gemm (C = A·B, m, n, k positive) in the calling goroutine.
func gemmSerial(c, a, b []float32, m, n, k int, s *scratch) {
	if !simdGemm(opGemm, c, a, b, m, n, k, false) {
		gemmRange(opGemm, c, a, b, m, n, k, false, 0, m, 0, n, s)
	}
}

// winoIn runs the transform on the SIMD128 kernels (js/wasm) or AVX2
// (amd64 with GOEXPERIMENT=simd) when present, which compute the same
// expressions lane by lane.
func winoIn(v []float32, vs int, d []float32, rs, c, count int) {
	if !simdWinoIn(v, vs, d, rs, c, count) && !avxWinoIn(v, vs, d, rs, c, count) {
		winoInGo(v, vs, d, rs, c, count)
	}
}

// winoInGo is the input transform of count tiles side by side: tile t's
// 4×4 patch has row r, column q, channel ch at d[2t·c + r*rs + q*c + ch];
// plane ξ = 4i+j of Bᵀ d B goes to v[t·c + ξ*vs + ch].
func winoInGo(v []float32, vs int, d []float32, rs, c, count int) {
	for tile := range count {
		winoInChannels(v[tile*c:], vs, d[2*tile*c:], rs, c, 0)
	}
}

// winoInChannels transforms channels [ch0,c) of one tile. Bᵀ's rows are
// (1,0,−1,0), (0,1,1,0), (0,−1,1,0) and (0,1,0,−1); it runs over the rows
// first, then the columns.
func winoInChannels(v []float32, vs int, d []float32, rs, c, ch0 int) {
	for ch := ch0; ch < c; ch++ {
		var t [4][4]float32
		for q := range 4 {
			d0, d1, d2, d3 := d[q*c+ch], d[rs+q*c+ch], d[2*rs+q*c+ch], d[3*rs+q*c+ch]
			t[0][q] = d0 - d2
			t[1][q] = d1 + d2
			t[2][q] = d2 - d1
			t[3][q] = d1 - d3
		}
		for i := range 4 {
			t0, t1, t2, t3 := t[i][0], t[i][1], t[i][2], t[i][3]
			o := i*4*vs + ch
			v[o] = t0 - t2
			v[o+vs] = t1 + t2
			v[o+2*vs] = t2 - t1
			v[o+3*vs] = t1 - t3
		}
	}
}
