//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// avxConvOneOut is convOneOutRange on AVX (when avxOK) for stride 1 and C a
// multiple of 4: lanes l = c mod 4, as there, and chunks of eight outputs
// of a row, whose ten input pixels of a row are each loaded once per group
// of channels and meet the three taps' weights (kx = 0, 1, 2 in turn for
// each output, as kernels.wat's conv1fwd does with seven). Each output's
// 3·3·C/4 adds form one chain of dependent adds: with four outputs a chunk,
// their latency bounded the loop at half the speed of Im2col and Gemm.
// Outputs that do not fill a chunk take the Go loop.
func avxConvOneOut(y, x, w []float32, g Conv3x3, r0, r1 int, zero []float32) bool {
	if !avxOK || g.Stride != 1 || g.C%4 != 0 {
		return false
	}
	c, h, wd := g.C, g.H, g.W
	zero, w = zero[:c], w[:9*c]
	for r := r0; r < r1; {
		im, oy, ox := r/(h*wd), r/wd%h, r%wd
		if ox+8 > wd || r+8 > r1 {
			convOneOutRange(y, x, w, g, r, r+1, zero)
			r++
			continue
		}
		var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x4
		for ky := range 3 {
			var p [10][]float32 // input pixels ox−1 .. ox+8 of row oy+ky−1
			iy := oy + ky - 1
			for j := range p {
				p[j] = zero
				if ix := ox - 1 + j; iy >= 0 && iy < h && ix >= 0 && ix < wd {
					p[j] = x[((im*h+iy)*wd+ix)*c:][:c]
				}
			}
			w0, w1, w2 := w[3*ky*c:][:c], w[(3*ky+1)*c:][:c], w[(3*ky+2)*c:][:c]
			for m := 0; m+4 <= c; m += 4 {
				v0, v1, v2 := load4(w0, m), load4(w1, m), load4(w2, m)
				x0 := load4(p[0], m)
				a0 = a0.Add(x0.Mul(v0))
				x1 := load4(p[1], m)
				a0 = a0.Add(x1.Mul(v1))
				a1 = a1.Add(x1.Mul(v0))
				x2 := load4(p[2], m)
				a0 = a0.Add(x2.Mul(v2))
				a1 = a1.Add(x2.Mul(v1))
				a2 = a2.Add(x2.Mul(v0))
				x3 := load4(p[3], m)
				a1 = a1.Add(x3.Mul(v2))
				a2 = a2.Add(x3.Mul(v1))
				a3 = a3.Add(x3.Mul(v0))
				x4 := load4(p[4], m)
				a2 = a2.Add(x4.Mul(v2))
				a3 = a3.Add(x4.Mul(v1))
				a4 = a4.Add(x4.Mul(v0))
				x5 := load4(p[5], m)
				a3 = a3.Add(x5.Mul(v2))
				a4 = a4.Add(x5.Mul(v1))
				a5 = a5.Add(x5.Mul(v0))
				x6 := load4(p[6], m)
				a4 = a4.Add(x6.Mul(v2))
				a5 = a5.Add(x6.Mul(v1))
				a6 = a6.Add(x6.Mul(v0))
				x7 := load4(p[7], m)
				a5 = a5.Add(x7.Mul(v2))
				a6 = a6.Add(x7.Mul(v1))
				a7 = a7.Add(x7.Mul(v0))
				x8 := load4(p[8], m)
				a6 = a6.Add(x8.Mul(v2))
				a7 = a7.Add(x8.Mul(v1))
				x9 := load4(p[9], m)
				a7 = a7.Add(x9.Mul(v2))
			}
		}
		for j, a := range [8]archsimd.Float32x4{a0, a1, a2, a3, a4, a5, a6, a7} {
			var s [4]float32
			a.Store(&s)
			y[r+j] = (s[0] + s[1]) + (s[2] + s[3])
		}
		r += 8
	}
	return true
}

func load4(s []float32, o int) archsimd.Float32x4 {
	return archsimd.LoadFloat32x4Slice(s[o : o+4 : o+4])
}
