package kernels

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGemmTBWays compares, in one run, the two ways the SIMD128 path
// can take GemmTB at the shapes where it computes Cᵀ = B·Aᵀ (transposing A
// and C) rather than transposing the large B.
func BenchmarkGemmTBWays(b *testing.B) {
	for _, s := range benchShapes {
		// GemmTB of A (m×n) and B (k×n): n is the product's depth.
		if !simdTBByTranspose(s.m, s.k, s.n) {
			continue
		}
		for _, way := range []struct {
			name       string
			transposes bool
		}{{"transpose-B", false}, {"transpose-A-and-C", true}} {
			b.Run(s.name+"/"+way.name, func(b *testing.B) {
				defer func(v bool) { simdTBTransposes = v }(simdTBTransposes)
				simdTBTransposes = way.transposes
				benchGemm(b, GemmTB, s.m, s.k, s.n)
			})
		}
	}
}

// BenchmarkGemmOneColumn compares, in one run, the SIMD128 and pure-Go
// paths on the products of a convolution with one output channel (the
// VAE's last layer): the forward product, the weight gradient and the
// input gradient.
func BenchmarkGemmOneColumn(b *testing.B) {
	const m, k = 25088, 288
	for _, path := range []struct {
		name string
		simd bool
	}{{"simd", true}, {"go", false}} {
		for _, p := range []struct {
			name    string
			f       gemmFunc
			m, n, k int
		}{{"Gemm", Gemm, m, 1, k}, {"GemmTA", GemmTA, k, 1, m}, {"GemmTB", GemmTB, m, k, 1}} {
			b.Run(p.name+"/"+path.name, func(b *testing.B) {
				defer func(v bool) { simdOK = v }(simdOK)
				simdOK = simdOK && path.simd
				benchGemm(b, p.f, p.m, p.n, p.k)
			})
		}
	}
}

// BenchmarkConvOneInWays compares, in one run, the two ways the SIMD128
// path can take a first conv's forward pass and weight gradient: conv1in
// and conv1indw on the image, and blocks of the column matrix through gemm.
func BenchmarkConvOneInWays(b *testing.B) {
	for _, s := range trainConvs {
		g, n := s.g, s.n
		if g.C != 1 {
			continue
		}
		rng := rand.New(rand.NewPCG(7, 7))
		x, w, y := randSlice(rng, g.N*g.H*g.W), randSlice(rng, 9*n), make([]float32, g.Rows()*n)
		dw := make([]float32, 9*n)
		flops := 2 * float64(g.Rows()) * 9 * float64(n)
		for _, way := range []struct {
			name string
			on   bool
		}{{"column-matrix", false}, {"conv1in", true}} {
			for _, pass := range []struct {
				name string
				f    func()
			}{
				{"fwd", func() { Conv3x3Forward(y, x, w, g, n) }},
				{"dw", func() { Conv3x3Backward(nil, dw, x, y, w, g, n) }},
			} {
				b.Run(s.name+"/"+pass.name+"/"+way.name, func(b *testing.B) {
					defer func(v bool) { simdConvOneInOn = v }(simdConvOneInOn)
					simdConvOneInOn = way.on
					benchPass(b, flops, pass.f)
				})
			}
		}
	}
}

// BenchmarkGemmTAWays compares, in one run, the two loop orders of the
// SIMD128 GemmTA: each block of C's rows through every p run, or each run
// through every block.
func BenchmarkGemmTAWays(b *testing.B) {
	for _, s := range benchShapes {
		for _, way := range []struct {
			name  string
			outer bool
		}{{"rows-outer", false}, {"runs-outer", true}} {
			b.Run(s.name+"/"+way.name, func(b *testing.B) {
				defer func(v bool) { simdTARunsOuter = v }(simdTARunsOuter)
				simdTARunsOuter = way.outer
				benchGemm(b, GemmTA, s.k, s.n, s.m)
			})
		}
	}
}
