package kernels

// Micro-kernels. Each keeps a tile of C in local variables across a run of
// kk consecutive p, so C is read and written once per run instead of once per
// product, and every sum still adds its terms in increasing p. Six
// accumulators is the sweet spot for pure Go on amd64: with eight, the
// accumulators, operands and product temporaries no longer fit the 15 usable
// XMM registers and the spills cost 20-40% (measured on 4x2, 2x4, 1x8 and 4x4
// tiles). The operands are walked with range loops over slices cut to the
// run length, so the compiler proves the indexes and drops their bounds
// checks; a kernel with run-time strides (or unsafe pointer arithmetic) came
// out slower.
//
// Every product is written float32(x*y) so the compiler may not fuse it with
// the following add into an FMA: the result must round once per multiply and
// once per add on every platform. A load flag of false starts each sum from
// +0, exactly like clearing C and then adding, which matters for the sign of
// zero: 0 + (-0) is +0.
//
// Naming: the digits give the tile of C (rows x columns). The "d" kernels
// compute a tile of dot products of rows of A with rows of B, both running
// along p (B here is the transposed, n×k operand); "t" reads GemmTA's A in
// place, where consecutive p are a row stride apart.

// t6x1 updates the 6×1 tile c[r*ldc] for GemmTA: term p adds
// a[p*lda+r] * b[p*ldb]. It serves blocks of C fewer than four columns wide
// (n = 1 in particular), where packing A would cost as much as the products.
func t6x1(c []float32, ldc int, a []float32, lda int, b []float32, ldb, kk int, load bool) {
	_ = c[5*ldc]
	var c0, c1, c2, c3, c4, c5 float32
	if load {
		c0, c1, c2, c3, c4, c5 = c[0], c[ldc], c[2*ldc], c[3*ldc], c[4*ldc], c[5*ldc]
	}
	ao, bo := 0, 0
	for range kk {
		ap := a[ao : ao+6 : ao+6]
		y := b[bo]
		ao += lda
		bo += ldb
		c0 += float32(ap[0] * y)
		c1 += float32(ap[1] * y)
		c2 += float32(ap[2] * y)
		c3 += float32(ap[3] * y)
		c4 += float32(ap[4] * y)
		c5 += float32(ap[5] * y)
	}
	c[0], c[ldc], c[2*ldc], c[3*ldc], c[4*ldc], c[5*ldc] = c0, c1, c2, c3, c4, c5
}

// d3x2 updates the 3×2 tile of C at c (row stride ldc): term p adds
// a[r*lda+p] * b[j*ldb+p]. It does the bulk of all three products.
func d3x2(c []float32, ldc int, a []float32, lda int, b []float32, ldb, kk int, load bool) {
	a0 := a[:kk]
	a1 := a[lda:][:len(a0)]
	a2 := a[2*lda:][:len(a0)]
	b0 := b[:len(a0)]
	b1 := b[ldb:][:len(a0)]
	r0 := c[:2:2]
	r1 := c[ldc : ldc+2 : ldc+2]
	r2 := c[2*ldc : 2*ldc+2 : 2*ldc+2]
	var c00, c01, c10, c11, c20, c21 float32
	if load {
		c00, c01, c10, c11, c20, c21 = r0[0], r0[1], r1[0], r1[1], r2[0], r2[1]
	}
	for p, x0 := range a0 {
		x1, x2 := a1[p], a2[p]
		y0, y1 := b0[p], b1[p]
		c00 += float32(x0 * y0)
		c01 += float32(x0 * y1)
		c10 += float32(x1 * y0)
		c11 += float32(x1 * y1)
		c20 += float32(x2 * y0)
		c21 += float32(x2 * y1)
	}
	r0[0], r0[1], r1[0], r1[1], r2[0], r2[1] = c00, c01, c10, c11, c20, c21
}

// d1x4 is d3x2 for a single row and four columns.
func d1x4(c, a, b []float32, ldb, kk int, load bool) {
	a0 := a[:kk]
	b0 := b[:len(a0)]
	b1 := b[ldb:][:len(a0)]
	b2 := b[2*ldb:][:len(a0)]
	b3 := b[3*ldb:][:len(a0)]
	r := c[:4:4]
	var c0, c1, c2, c3 float32
	if load {
		c0, c1, c2, c3 = r[0], r[1], r[2], r[3]
	}
	for p, x := range a0 {
		c0 += float32(x * b0[p])
		c1 += float32(x * b1[p])
		c2 += float32(x * b2[p])
		c3 += float32(x * b3[p])
	}
	r[0], r[1], r[2], r[3] = c0, c1, c2, c3
}

// d4x1 is d3x2 for four rows and one column.
func d4x1(c []float32, ldc int, a []float32, lda int, b []float32, kk int, load bool) {
	a0 := a[:kk]
	a1 := a[lda:][:len(a0)]
	a2 := a[2*lda:][:len(a0)]
	a3 := a[3*lda:][:len(a0)]
	_ = c[3*ldc]
	var c0, c1, c2, c3 float32
	if load {
		c0, c1, c2, c3 = c[0], c[ldc], c[2*ldc], c[3*ldc]
	}
	for p, y := range b[:len(a0)] {
		c0 += float32(a0[p] * y)
		c1 += float32(a1[p] * y)
		c2 += float32(a2[p] * y)
		c3 += float32(a3[p] * y)
	}
	c[0], c[ldc], c[2*ldc], c[3*ldc] = c0, c1, c2, c3
}

// k1x1 updates the single element c[0] for any of the three forms: term p
// adds a[p*as] * b[p*bs]. It only covers corners smaller than every tile.
func k1x1(c, a []float32, as int, b []float32, bs, kk int, load bool) {
	var s float32
	if load {
		s = c[0]
	}
	ao, bo := 0, 0
	for range kk {
		s += float32(a[ao] * b[bo])
		ao += as
		bo += bs
	}
	c[0] = s
}
