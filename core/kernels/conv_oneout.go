package kernels

// A convolution to one output channel (the VAE's last) is a product with
// one column: Im2col's order, one chain of 9·C additions per output, puts
// SIMD lanes across outputs, which NHWC stores C floats apart, so the
// SIMD128 kernel had to transpose the image into channel planes first and
// ran at about 21 GFLOP/s in Chromium. Conv3x3Forward with n = 1 sums in
// another fixed order instead, with lanes across channels:
//
//   - four partial sums s0..s3, s_l taking the channels c ≡ l (mod 4);
//   - each adds, for ky = 0..2, for each group of four channels m, for
//     kx = 0..2, the rounded product x(oy·s+ky−pt, ox·s+kx−pl, 4m+l) ·
//     w[(3ky+kx)·C + 4m+l] (s the stride), a pixel outside the image
//     reading +0 (the zeros Im2col would write);
//   - the output is (s0+s1)+(s2+s3).
//
// Taking kx innermost lets the kernel load each pixel once and use it for
// three outputs. The SIMD128 kernel (kernels.wat: conv1fwd) keeps this
// order, so both give the same bits; the weight and input gradients keep
// Im2col's.

// convOneOutRange sets outputs [r0, r1) of y, a convolution of x with w to
// one channel, in the order above; zero is C floats of +0.
func convOneOutRange(y, x, w []float32, g Conv3x3, r0, r1 int, zero []float32) {
	oh, ow, pt, pl, c := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), g.C
	zero = zero[:c]
	w = w[:9*c]
	for r := r0; r < r1; r++ {
		im, oy, ox := r/(oh*ow), r/ow%oh, r%ow
		var s0, s1, s2, s3 float32
		for ky := range 3 {
			iy := oy*g.Stride + ky - pt
			p := [3][]float32{zero, zero, zero}
			if iy >= 0 && iy < g.H {
				for kx := range 3 {
					if ix := ox*g.Stride + kx - pl; ix >= 0 && ix < g.W {
						p[kx] = x[((im*g.H+iy)*g.W+ix)*c:][:c]
					}
				}
			}
			w0, w1, w2 := w[3*ky*c:][:c], w[(3*ky+1)*c:][:c], w[(3*ky+2)*c:][:c]
			x0, x1, x2 := p[0], p[1], p[2]
			m := 0
			for ; m+4 <= c; m += 4 {
				s0 += float32(x0[m] * w0[m])
				s1 += float32(x0[m+1] * w0[m+1])
				s2 += float32(x0[m+2] * w0[m+2])
				s3 += float32(x0[m+3] * w0[m+3])
				s0 += float32(x1[m] * w1[m])
				s1 += float32(x1[m+1] * w1[m+1])
				s2 += float32(x1[m+2] * w1[m+2])
				s3 += float32(x1[m+3] * w1[m+3])
				s0 += float32(x2[m] * w2[m])
				s1 += float32(x2[m+1] * w2[m+1])
				s2 += float32(x2[m+2] * w2[m+2])
				s3 += float32(x2[m+3] * w2[m+3])
			}
			// A last group of one to three channels: lanes 0, 1, 2.
			for kx, xs := range p {
				ws := w[(3*ky+kx)*c:][:c]
				if m < c {
					s0 += float32(xs[m] * ws[m])
				}
				if m+1 < c {
					s1 += float32(xs[m+1] * ws[m+1])
				}
				if m+2 < c {
					s2 += float32(xs[m+2] * ws[m+2])
				}
			}
		}
		y[r] = (s0 + s1) + (s2 + s3)
	}
}
