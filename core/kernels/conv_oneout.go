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
// one channel, in the order above; zero is C floats of +0. Outputs go two
// at a time: two outputs' eight chains of dependent adds overlap, the
// weights loaded serve both, and with stride 1 two neighbours in a row
// share two of their three pixels of a tap row. Their position comes from
// the last (oneOutPos.next), not from three divisions. (One output at a
// time, dividing, the loop ran at 0.73 of the speed of the blocks of Im2col
// and Gemm that it replaced for this conv, in plain Go on amd64, one thread;
// now at 0.89.)
func convOneOutRange(y, x, w []float32, g Conv3x3, r0, r1 int, zero []float32) {
	c := g.C
	zero = zero[:c]
	w = w[:9*c]
	r, at := r0, oneOutAt(g, r0)
	for ; r+2 <= r1; r += 2 {
		bt := at.next(g)
		neighbours := g.Stride == 1 && bt.ox == at.ox+1
		var a, b oneOutSums
		for ky := range 3 {
			x0, x1, x2 := at.taps(x, g, ky, zero)
			u0, u1, u2 := bt.taps(x, g, ky, zero)
			w0, w1, w2 := w[3*ky*c:][:c], w[(3*ky+1)*c:][:c], w[(3*ky+2)*c:][:c]
			if neighbours {
				a, b = oneOutNeighbours(a, b, x0, x1, x2, u2, w0, w1, w2)
			} else {
				a, b = oneOutPair(a, b, x0, x1, x2, u0, u1, u2, w0, w1, w2)
			}
			a = a.lastGroup(x0, x1, x2, w0, w1, w2)
			b = b.lastGroup(u0, u1, u2, w0, w1, w2)
		}
		y[r], y[r+1] = a.total(), b.total()
		at = bt.next(g)
	}
	if r < r1 {
		var s oneOutSums
		for ky := range 3 {
			x0, x1, x2 := at.taps(x, g, ky, zero)
			w0, w1, w2 := w[3*ky*c:][:c], w[(3*ky+1)*c:][:c], w[(3*ky+2)*c:][:c]
			s = oneOutOne(s, x0, x1, x2, w0, w1, w2)
			s = s.lastGroup(x0, x1, x2, w0, w1, w2)
		}
		y[r] = s.total()
	}
}

// oneOutSums are an output's four partial sums (a struct, which Go keeps
// in registers, where it would keep an array in memory).
type oneOutSums struct{ s0, s1, s2, s3 float32 }

func (s oneOutSums) total() float32 { return (s.s0 + s.s1) + (s.s2 + s.s3) }

// oneOutOne adds one tap row's whole groups of four channels to one
// output's sums: pixels x0..x2 and weights w0..w2 (C floats each) of taps
// kx = 0..2.
func oneOutOne(s oneOutSums, x0, x1, x2, w0, w1, w2 []float32) oneOutSums {
	c := len(w0)
	x0, x1, x2, w1, w2 = x0[:c], x1[:c], x2[:c], w1[:c], w2[:c]
	for m := 0; m+4 <= c; m += 4 {
		p, v := x0[m:m+4:m+4], w0[m:m+4:m+4]
		s.s0 += float32(p[0] * v[0])
		s.s1 += float32(p[1] * v[1])
		s.s2 += float32(p[2] * v[2])
		s.s3 += float32(p[3] * v[3])
		p, v = x1[m:m+4:m+4], w1[m:m+4:m+4]
		s.s0 += float32(p[0] * v[0])
		s.s1 += float32(p[1] * v[1])
		s.s2 += float32(p[2] * v[2])
		s.s3 += float32(p[3] * v[3])
		p, v = x2[m:m+4:m+4], w2[m:m+4:m+4]
		s.s0 += float32(p[0] * v[0])
		s.s1 += float32(p[1] * v[1])
		s.s2 += float32(p[2] * v[2])
		s.s3 += float32(p[3] * v[3])
	}
	return s
}

// oneOutPair is oneOutOne for two outputs (pixels x and u) at once.
func oneOutPair(a, b oneOutSums, x0, x1, x2, u0, u1, u2, w0, w1, w2 []float32) (oneOutSums, oneOutSums) {
	c := len(w0)
	x0, x1, x2, u0, u1, u2, w1, w2 = x0[:c], x1[:c], x2[:c], u0[:c], u1[:c], u2[:c], w1[:c], w2[:c]
	for m := 0; m+4 <= c; m += 4 {
		p, q, v := x0[m:m+4:m+4], u0[m:m+4:m+4], w0[m:m+4:m+4]
		a.s0 += float32(p[0] * v[0])
		b.s0 += float32(q[0] * v[0])
		a.s1 += float32(p[1] * v[1])
		b.s1 += float32(q[1] * v[1])
		a.s2 += float32(p[2] * v[2])
		b.s2 += float32(q[2] * v[2])
		a.s3 += float32(p[3] * v[3])
		b.s3 += float32(q[3] * v[3])
		p, q, v = x1[m:m+4:m+4], u1[m:m+4:m+4], w1[m:m+4:m+4]
		a.s0 += float32(p[0] * v[0])
		b.s0 += float32(q[0] * v[0])
		a.s1 += float32(p[1] * v[1])
		b.s1 += float32(q[1] * v[1])
		a.s2 += float32(p[2] * v[2])
		b.s2 += float32(q[2] * v[2])
		a.s3 += float32(p[3] * v[3])
		b.s3 += float32(q[3] * v[3])
		p, q, v = x2[m:m+4:m+4], u2[m:m+4:m+4], w2[m:m+4:m+4]
		a.s0 += float32(p[0] * v[0])
		b.s0 += float32(q[0] * v[0])
		a.s1 += float32(p[1] * v[1])
		b.s1 += float32(q[1] * v[1])
		a.s2 += float32(p[2] * v[2])
		b.s2 += float32(q[2] * v[2])
		a.s3 += float32(p[3] * v[3])
		b.s3 += float32(q[3] * v[3])
	}
	return a, b
}

// oneOutNeighbours is oneOutPair for two neighbours in a row at stride 1,
// whose pixels of a tap row are x0, x1, x2 and x1, x2, x3: four loads of
// pixels a lane where oneOutPair makes six. Each lane still adds its
// products for kx = 0, 1, 2 in turn, so the bits are the same.
func oneOutNeighbours(a, b oneOutSums, x0, x1, x2, x3, w0, w1, w2 []float32) (oneOutSums, oneOutSums) {
	c := len(w0)
	x0, x1, x2, x3, w1, w2 = x0[:c], x1[:c], x2[:c], x3[:c], w1[:c], w2[:c]
	for m := 0; m+4 <= c; m += 4 {
		p0, p1, p2, p3 := x0[m:m+4:m+4], x1[m:m+4:m+4], x2[m:m+4:m+4], x3[m:m+4:m+4]
		v0, v1, v2 := w0[m:m+4:m+4], w1[m:m+4:m+4], w2[m:m+4:m+4]
		a.s0 += float32(p0[0] * v0[0])
		b.s0 += float32(p1[0] * v0[0])
		a.s0 += float32(p1[0] * v1[0])
		b.s0 += float32(p2[0] * v1[0])
		a.s0 += float32(p2[0] * v2[0])
		b.s0 += float32(p3[0] * v2[0])
		a.s1 += float32(p0[1] * v0[1])
		b.s1 += float32(p1[1] * v0[1])
		a.s1 += float32(p1[1] * v1[1])
		b.s1 += float32(p2[1] * v1[1])
		a.s1 += float32(p2[1] * v2[1])
		b.s1 += float32(p3[1] * v2[1])
		a.s2 += float32(p0[2] * v0[2])
		b.s2 += float32(p1[2] * v0[2])
		a.s2 += float32(p1[2] * v1[2])
		b.s2 += float32(p2[2] * v1[2])
		a.s2 += float32(p2[2] * v2[2])
		b.s2 += float32(p3[2] * v2[2])
		a.s3 += float32(p0[3] * v0[3])
		b.s3 += float32(p1[3] * v0[3])
		a.s3 += float32(p1[3] * v1[3])
		b.s3 += float32(p2[3] * v1[3])
		a.s3 += float32(p2[3] * v2[3])
		b.s3 += float32(p3[3] * v2[3])
	}
	return a, b
}

// lastGroup adds a last group of one to three channels (C mod 4 of them,
// none when C is a multiple of 4) to the sums of lanes 0, 1, 2, for
// kx = 0..2 in turn.
func (s oneOutSums) lastGroup(x0, x1, x2, w0, w1, w2 []float32) oneOutSums {
	c := len(w0)
	m := c &^ 3
	if m == c {
		return s
	}
	for kx, xs := range [3][]float32{x0, x1, x2} {
		ws := [3][]float32{w0, w1, w2}[kx]
		s.s0 += float32(xs[m] * ws[m])
		if m+1 < c {
			s.s1 += float32(xs[m+1] * ws[m+1])
		}
		if m+2 < c {
			s.s2 += float32(xs[m+2] * ws[m+2])
		}
	}
	return s
}

// oneOutPos is an output's image, row and column, and the input row and
// column of its tap (0, 0). Outputs go in order, so the next one's comes
// from an add and a compare or two: finding it from r took three integer
// divisions, a fifth of the loop's time in a CPU profile.
type oneOutPos struct{ im, oy, ox, iy, ix int }

func oneOutAt(g Conv3x3, r int) oneOutPos {
	oh, ow := g.OutH(), g.OutW()
	o := oneOutPos{im: r / (oh * ow), oy: r / ow % oh, ox: r % ow}
	o.iy, o.ix = o.oy*g.Stride-g.PadTop(), o.ox*g.Stride-g.PadLeft()
	return o
}

// next is the position of the output after o.
func (o oneOutPos) next(g Conv3x3) oneOutPos {
	o.ox++
	o.ix += g.Stride
	if o.ox == g.OutW() {
		o.ox, o.ix = 0, -g.PadLeft()
		o.oy++
		o.iy += g.Stride
		if o.oy == g.OutH() {
			o.oy, o.iy = 0, -g.PadTop()
			o.im++
		}
	}
	return o
}

// taps returns the three pixels (C floats each) that the output's taps
// (ky, 0..2) read, zero for those outside the image.
func (o oneOutPos) taps(x []float32, g Conv3x3, ky int, zero []float32) (x0, x1, x2 []float32) {
	c := g.C
	p := [3][]float32{zero, zero, zero}
	if iy := o.iy + ky; iy >= 0 && iy < g.H {
		for kx := range 3 {
			if ix := o.ix + kx; ix >= 0 && ix < g.W {
				p[kx] = x[((o.im*g.H+iy)*g.W+ix)*c:][:c]
			}
		}
	}
	return p[0][:c], p[1][:c], p[2][:c]
}
