package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchShapes are the forward products of the classifier and the VAE at
// batch 32: M rows of im2col (or batch rows), K reduction, N outputs.
var benchShapes = []struct {
	name    string
	m, k, n int
}{
	{"cls-conv1", 25088, 9, 16},
	{"cls-conv2", 25088, 144, 16},
	{"cls-conv3", 6272, 144, 64},
	{"cls-conv4", 6272, 576, 64},
	{"cls-dense", 32, 3136, 512},
	{"cls-dense2", 32, 512, 10},
	{"vae-conv1", 25088, 9, 32},
	{"vae-conv-s2", 6272, 288, 64},
	{"vae-conv", 6272, 576, 64},
	{"vae-dense", 32, 12544, 32},
	{"vae-dec-dense", 32, 20, 12544},
	{"vae-final-conv", 25088, 288, 1},
}

// benchGemm times f on an m×k by k×n product and reports GFLOP/s counting a
// multiply-add as two operations.
func benchGemm(b *testing.B, f gemmFunc, m, n, k int) { benchGemmWith(b, f, m, n, k, false) }

// benchGemmAcc is benchGemm for a product added onto C.
func benchGemmAcc(b *testing.B, f gemmFunc, m, n, k int) { benchGemmWith(b, f, m, n, k, true) }

func benchGemmWith(b *testing.B, f gemmFunc, m, n, k int, acc bool) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randSlice(rng, m*k)
	y := randSlice(rng, k*n)
	c := make([]float32, m*n)
	f(c, x, y, m, n, k, false)
	run := func() { f(c, x, y, m, n, k, acc) }
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		run()
	}
	flops := 2 * float64(m) * float64(n) * float64(k)
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	reportGaugeShare(b, flops, run)
}

// reportGaugeShare, where the platform has a gauge (peak_wasm_test.go),
// reports the speed of run, a pass of flops operations, as a share of a
// fixed loop's timed in turn with it: a shared host can halve its speed
// for minutes, and the share tells a slow spell from a slow kernel.
var reportGaugeShare = func(b *testing.B, flops float64, run func()) {}

// BenchmarkGemm covers the forward products (Y = cols·W) and, as "/dx", the
// input-gradient products with a pre-transposed kernel (dcols = dY·Wᵀ).
func BenchmarkGemm(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) { benchGemm(b, Gemm, s.m, s.n, s.k) })
	}
	for _, s := range benchShapes {
		b.Run(s.name+"/dx", func(b *testing.B) { benchGemm(b, Gemm, s.m, s.k, s.n) })
	}
}

// BenchmarkGemmTA covers the weight-gradient products dW = colsᵀ·dY.
func BenchmarkGemmTA(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) { benchGemm(b, GemmTA, s.k, s.n, s.m) })
	}
}

// BenchmarkGemmTB covers dcols = dY·Wᵀ without transposing W.
func BenchmarkGemmTB(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) { benchGemm(b, GemmTB, s.m, s.k, s.n) })
	}
}

var benchConvs = []struct {
	name string
	g    Conv3x3
}{
	{"28x28x1", Conv3x3{N: 32, H: 28, W: 28, C: 1, Stride: 1}},
	{"28x28x16", Conv3x3{N: 32, H: 28, W: 28, C: 16, Stride: 1}},
	{"28x28x32-s2", Conv3x3{N: 32, H: 28, W: 28, C: 32, Stride: 2}},
	{"14x14x64", Conv3x3{N: 32, H: 14, W: 14, C: 64, Stride: 1}},
}

// BenchmarkIm2col and BenchmarkCol2im report the column matrix size moved
// per second.
func BenchmarkIm2col(b *testing.B) {
	for _, s := range benchConvs {
		b.Run(s.name, func(b *testing.B) {
			x := randSlice(rand.New(rand.NewPCG(2, 2)), s.g.N*s.g.H*s.g.W*s.g.C)
			cols := make([]float32, s.g.Rows()*s.g.Cols())
			b.SetBytes(int64(4 * len(cols)))
			b.ReportAllocs()
			for b.Loop() {
				Im2col(cols, x, s.g)
			}
		})
	}
}

func BenchmarkCol2im(b *testing.B) {
	for _, s := range benchConvs {
		b.Run(s.name, func(b *testing.B) {
			dcols := randSlice(rand.New(rand.NewPCG(3, 3)), s.g.Rows()*s.g.Cols())
			dx := make([]float32, s.g.N*s.g.H*s.g.W*s.g.C)
			b.SetBytes(int64(4 * len(dcols)))
			b.ReportAllocs()
			for b.Loop() {
				Col2im(dx, dcols, s.g)
			}
		})
	}
}

// BenchmarkTranspose covers a conv kernel and the big dense kernel.
func BenchmarkTranspose(b *testing.B) {
	for _, s := range []struct{ r, c int }{{576, 64}, {3136, 512}} {
		b.Run(fmt.Sprintf("%dx%d", s.r, s.c), func(b *testing.B) {
			src := randSlice(rand.New(rand.NewPCG(4, 4)), s.r*s.c)
			dst := make([]float32, len(src))
			b.SetBytes(int64(4 * len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Transpose(dst, src, s.r, s.c)
			}
		})
	}
}

// trainConvs are the training convolutions of both models at batch 32 and
// their output channels.
var trainConvs = []struct {
	name string
	g    Conv3x3
	n    int
}{
	{"cls-conv1", Conv3x3{N: 32, H: 28, W: 28, C: 1, Stride: 1}, 16},
	{"cls-conv2", Conv3x3{N: 32, H: 28, W: 28, C: 16, Stride: 1}, 16},
	{"cls-conv3", Conv3x3{N: 32, H: 14, W: 14, C: 16, Stride: 1}, 64},
	{"cls-conv4", Conv3x3{N: 32, H: 14, W: 14, C: 64, Stride: 1}, 64},
	{"vae-conv1", Conv3x3{N: 32, H: 28, W: 28, C: 1, Stride: 1}, 32},
	{"vae-conv2-s2", Conv3x3{N: 32, H: 28, W: 28, C: 32, Stride: 2}, 64},
	{"vae-conv3", Conv3x3{N: 32, H: 14, W: 14, C: 64, Stride: 1}, 64},
	{"vae-conv5", Conv3x3{N: 32, H: 28, W: 28, C: 32, Stride: 1}, 1},
}

// BenchmarkGemmConv times the products of the training convolutions as
// the layers call them. The direct ones (Conv3x3Forward, Conv3x3Backward)
// multiply one block of convBlockRows(g) column-matrix rows, which stays in
// cache, rather than the whole matrix that BenchmarkGemm, BenchmarkGemmTA
// and BenchmarkGemmTB use (Rows() of up to 25,088: megabytes that stream
// from memory): "fwd" is the block's output, "dw" its share of the weight
// gradient (GemmTA with acc), "dx" its column gradient from the transposed
// kernel. Where WinogradOK, the layers take Winograd's products for the
// output and the gradients instead: "wino-fwd" and "wino-dx" are one of
// the 16 products of a block of tiles (Conv3x3Winograd), "wino-dw" one of
// those of Conv3x3WinogradWeightGrad (GemmTA with acc). A stride-1 conv to
// one channel is timed as whole passes ("conv1-fwd", "conv1-dw") and takes
// its input gradient, a convolution from one channel, as a whole pass too
// ("adj-dx"); so are a first conv's output and weight gradient
// ("conv1in-fwd", "conv1in-dw": on SIMD128, conv1in and conv1indw without
// a column matrix), whose input gradient the layers never take (the input
// is the image).
func BenchmarkGemmConv(b *testing.B) {
	for _, s := range trainConvs {
		g, br, k, n := s.g, convBlockRows(s.g), s.g.Cols(), s.n
		switch {
		case WinogradOK(g, n):
			adj := Conv3x3{N: g.N, H: g.H, W: g.W, C: n, Stride: 1}
			tf, td, tw := wino43BlockTiles(g, n), wino43BlockTiles(adj, g.C), wino43GradBlockTiles(g, n)
			b.Run(s.name+"/wino-fwd", func(b *testing.B) { benchGemm(b, Gemm, tf, n, g.C) })
			b.Run(s.name+"/wino-dx", func(b *testing.B) { benchGemm(b, Gemm, td, g.C, n) })
			b.Run(s.name+"/wino-dw", func(b *testing.B) { benchGemmAcc(b, GemmTA, g.C, n, tw) })
		case g.C == 1 && g.Stride == 1:
			rng := rand.New(rand.NewPCG(7, 7))
			x, w, y := randSlice(rng, g.N*g.H*g.W), randSlice(rng, 9*n), make([]float32, g.Rows()*n)
			flops := 2 * float64(g.Rows()) * 9 * float64(n)
			dw := make([]float32, 9*n)
			b.Run(s.name+"/conv1in-fwd", func(b *testing.B) { benchPass(b, flops, func() { Conv3x3Forward(y, x, w, g, n) }) })
			b.Run(s.name+"/conv1in-dw", func(b *testing.B) { benchPass(b, flops, func() { Conv3x3Backward(nil, dw, x, y, w, g, n) }) })
		case n == 1 && g.Stride == 1:
			// The whole passes: on SIMD128, conv1fwd and conv1dw without a
			// column matrix; elsewhere blocks of it and one-column
			// products. The input gradient (convBwdDataOneChannel) is the
			// adjoint convolution of dy.
			rng := rand.New(rand.NewPCG(6, 6))
			x, w := randSlice(rng, g.N*g.H*g.W*g.C), randSlice(rng, k)
			y, dw := make([]float32, g.Rows()), make([]float32, k)
			flops := 2 * float64(g.Rows()) * float64(k)
			b.Run(s.name+"/conv1-fwd", func(b *testing.B) { benchPass(b, flops, func() { Conv3x3Forward(y, x, w, g, 1) }) })
			dx := make([]float32, len(x))
			b.Run(s.name+"/adj-dx", func(b *testing.B) { benchPass(b, flops, func() { Conv3x3BackwardData(dx, y, w, g, 1) }) })
			b.Run(s.name+"/conv1-dw", func(b *testing.B) { benchPass(b, flops, func() { Conv3x3Backward(nil, dw, x, y, w, g, 1) }) })
		default:
			b.Run(s.name+"/fwd", func(b *testing.B) { benchGemm(b, Gemm, br, n, k) })
			b.Run(s.name+"/dx", func(b *testing.B) { benchGemm(b, Gemm, br, k, n) })
			b.Run(s.name+"/dw", func(b *testing.B) { benchGemmAcc(b, GemmTA, k, n, br) })
		}
	}
}

// benchPass times f, a pass of flops operations, and reports GFLOP/s.
func benchPass(b *testing.B, flops float64, f func()) {
	f()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f()
	}
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	reportGaugeShare(b, flops, f)
}

// BenchmarkConvTrain compares, in one run, a training convolution's
// forward and backward passes over the whole column matrix (Im2col, Gemm;
// GemmTA, GemmTB, Col2im) with the blocked Conv3x3Forward and
// Conv3x3Backward, which give the same bits.
func BenchmarkConvTrain(b *testing.B) {
	for _, s := range trainConvs {
		g, n := s.g, s.n
		rng := rand.New(rand.NewPCG(5, 5))
		x, w := randSlice(rng, g.N*g.H*g.W*g.C), randSlice(rng, g.Cols()*n)
		dy, dw := randSlice(rng, g.Rows()*n), make([]float32, g.Cols()*n)
		y, dx := make([]float32, g.Rows()*n), make([]float32, len(x))
		flops := 6 * float64(g.Rows()) * float64(g.Cols()) * float64(n)
		b.Run(s.name+"/whole", func(b *testing.B) {
			cols := make([]float32, g.Rows()*g.Cols())
			dcols := make([]float32, len(cols))
			for b.Loop() {
				Im2col(cols, x, g)
				Gemm(y, cols, w, g.Rows(), n, g.Cols(), false)
				GemmTA(dw, cols, dy, g.Cols(), n, g.Rows(), true)
				GemmTB(dcols, dy, w, g.Rows(), g.Cols(), n, false)
				Col2im(dx, dcols, g)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(s.name+"/blocked", func(b *testing.B) {
			for b.Loop() {
				Conv3x3Forward(y, x, w, g, n)
				Conv3x3Backward(dx, dw, x, dy, w, g, n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
