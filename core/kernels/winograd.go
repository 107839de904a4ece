package kernels

import "fmt"

// Winograd convolution: the layers' stride-1 3×3 convolutions where the
// shape allows (WinogradOK). The forward pass and the input gradient take
// F(4×4, 3×3) (winograd43.go), through Conv3x3Winograd and the transformed
// kernels of WinogradWeights and WinogradAdjointWeights; the weight
// gradient takes F(3×3, 4×4), its adjoint (winograd_grad.go).
//
// The results are not the bits of Im2col then Gemm (they round different
// sums of the same terms; TestWinogradMatchesDirect bounds the
// difference). They are fixed bits of their own, on every platform: the
// transforms are fixed expressions, computed per channel (lanes across
// channels in the SIMD128 and AVX2 versions, never across terms), and the
// products are Gemm's and GemmTA's. On js/wasm, where the products already
// run near the SIMD128 kernels' peak (a multiply and an add per lane, no
// fusing), fewer products is what lets a convolution go faster at all.

// winoTileFloats bounds one block's transformed tiles (36 planes of
// tiles×max(C, n)): 512 KiB, which stays in L2 between the transform and
// the products that read it. With F(2×2, 3×3)'s 16 planes, blocks of 128
// tiles of 64 channels ran the products 10% faster than blocks of 64 under
// Node; with F(3×3, 4×4)'s, weight-gradient blocks of 32 to 128 tiles ran
// within a few percent of this bound's (48 tiles of 64 channels).
const winoTileFloats = 128 << 10

// WinogradOK reports whether Conv3x3Winograd and Conv3x3WinogradWeightGrad
// take geometry g with n output channels: stride 1 and channel counts that
// are multiples of 4 (whole SIMD128 lanes). Any height and width: the last
// 4×4 tiles of a row or column may reach past the image.
func WinogradOK(g Conv3x3, n int) bool {
	return g.Stride == 1 && g.N > 0 && g.H > 0 && g.W > 0 && g.C > 0 && g.C%4 == 0 && n > 0 && n%4 == 0
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
// planes. Without it the planes of a block of 128 tiles of 64 channels
// (F(2×2, 3×3)'s) lay 32 KiB apart, a multiple of 4 KiB, so the
// transforms' streams fell in the same L1 sets. Under Node, the pad
// took the 64-channel convs' Winograd forward pass from 8.6–9.7 to
// 7.1–7.4 ms and their weight gradient from 11.5–16.9 to 8.7–10.3 ms
// (batch 32, one test binary per pad, alternated).
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
		panic(fmt.Errorf("%w: Conv3x3Winograd takes stride 1 and channels in fours; got %+v to %d channels",
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

// gemmSerial is Gemm (C = A·B, m, n, k positive) in the calling goroutine.
func gemmSerial(c, a, b []float32, m, n, k int, s *scratch) {
	if !simdGemm(opGemm, c, a, b, m, n, k, false) {
		gemmRange(opGemm, c, a, b, m, n, k, false, 0, m, 0, n, s)
	}
}
