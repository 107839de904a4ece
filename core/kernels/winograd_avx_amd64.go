//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// avxWino43In, avxWino43Out and avxWino43Dy (below) are wino43InGo,
// wino43OutGo and wino43DyGo on AVX2 (when avxOK), with lanes across eight
// channels and the pure-Go expressions for the rest: wino43B, wino43A and wino43At term by term, each product
// by a constant a multiply of its own, so the same bits.
func avxWino43In(v []float32, vs int, d []float32, rs, c, count int) bool {
	if !avxOK {
		return false
	}
	two, four := archsimd.BroadcastFloat32x8(2), archsimd.BroadcastFloat32x8(4)
	for tile := range count {
		v, d := v[tile*c:], d[4*tile*c:]
		ch := 0
		for ; ch+8 <= c; ch += 8 {
			var t [6][6]archsimd.Float32x8 // t[i][q]: row i of Bᵀ d, column q
			for q := range 6 {
				o := q*c + ch
				t[0][q], t[1][q], t[2][q], t[3][q], t[4][q], t[5][q] = avxWino43B(load8(d, o), load8(d, rs+o),
					load8(d, 2*rs+o), load8(d, 3*rs+o), load8(d, 4*rs+o), load8(d, 5*rs+o), two, four)
			}
			for i := range 6 {
				x0, x1, x2, x3, x4, x5 := avxWino43B(t[i][0], t[i][1], t[i][2], t[i][3], t[i][4], t[i][5], two, four)
				store8x6(v, 6*i*vs+ch, vs, x0, x1, x2, x3, x4, x5)
			}
		}
		wino43InChannels(v, vs, d, rs, c, ch)
	}
	return true
}

// avxWino43B is wino43B on eight lanes.
func avxWino43B(d0, d1, d2, d3, d4, d5, two, four archsimd.Float32x8) (r0, r1, r2, r3, r4, r5 archsimd.Float32x8) {
	t0 := d4.Sub(four.Mul(d2))
	t1 := d3.Sub(four.Mul(d1))
	t2 := d4.Sub(d2)
	t3 := two.Mul(d3.Sub(d1))
	r0 = four.Mul(d0.Sub(d2)).Add(t2)
	r1 = t0.Add(t1)
	r2 = t0.Sub(t1)
	r3 = t2.Add(t3)
	r4 = t2.Sub(t3)
	r5 = four.Mul(d1.Sub(d3)).Add(d5.Sub(d3))
	return
}

func avxWino43Out(y []float32, ys int, m []float32, ms, n, count int) bool {
	if !avxOK {
		return false
	}
	two, four, eight := archsimd.BroadcastFloat32x8(2), archsimd.BroadcastFloat32x8(4), archsimd.BroadcastFloat32x8(8)
	for tile := range count {
		y, m := y[4*tile*n:], m[tile*n:]
		k := 0
		for ; k+8 <= n; k += 8 {
			var s [4][6]archsimd.Float32x8 // s[a][j]: row a of Aᵀ m, column j
			for j := range 6 {
				s[0][j], s[1][j], s[2][j], s[3][j] = avxWino43A(load8(m, j*ms+k), load8(m, (6+j)*ms+k),
					load8(m, (12+j)*ms+k), load8(m, (18+j)*ms+k), load8(m, (24+j)*ms+k), load8(m, (30+j)*ms+k),
					two, four, eight)
			}
			for a := range 4 {
				o0, o1, o2, o3 := avxWino43A(s[a][0], s[a][1], s[a][2], s[a][3], s[a][4], s[a][5], two, four, eight)
				o := a*ys + k
				store8(y, o, o0)
				store8(y, o+n, o1)
				store8(y, o+2*n, o2)
				store8(y, o+3*n, o3)
			}
		}
		wino43OutChannels(y, ys, m, ms, n, k)
	}
	return true
}

// avxWino43A is wino43A on eight lanes.
func avxWino43A(m0, m1, m2, m3, m4, m5, two, four, eight archsimd.Float32x8) (o0, o1, o2, o3 archsimd.Float32x8) {
	a, b := m1.Add(m2), m1.Sub(m2)
	c, d := m3.Add(m4), m3.Sub(m4)
	o0 = m0.Add(a).Add(c)
	o1 = b.Add(two.Mul(d))
	o2 = a.Add(four.Mul(c))
	o3 = b.Add(eight.Mul(d)).Add(m5)
	return
}

func avxWino43Dy(e []float32, es int, dy []float32, ys, n, count int) bool {
	if !avxOK {
		return false
	}
	two, four := archsimd.BroadcastFloat32x8(2), archsimd.BroadcastFloat32x8(4)
	for tile := range count {
		o, d := e[tile*n:], dy[4*tile*n:]
		k := 0
		for ; k+8 <= n; k += 8 {
			var r [6][4]archsimd.Float32x8 // r[i][b]: row i of A e, column b
			for b := range 4 {
				q := b*n + k
				r[0][b], r[1][b], r[2][b], r[3][b], r[4][b], r[5][b] = avxWino43At(load8(d, q), load8(d, ys+q),
					load8(d, 2*ys+q), load8(d, 3*ys+q), two, four)
			}
			for i := range 6 {
				x0, x1, x2, x3, x4, x5 := avxWino43At(r[i][0], r[i][1], r[i][2], r[i][3], two, four)
				store8x6(o, 6*i*es+k, es, x0, x1, x2, x3, x4, x5)
			}
		}
		wino43DyChannels(o, es, d, ys, n, k)
	}
	return true
}

// avxWino43At is wino43At on eight lanes.
func avxWino43At(e0, e1, e2, e3, two, four archsimd.Float32x8) (s0, s1, s2, s3, s4, s5 archsimd.Float32x8) {
	p, q := e0.Add(e2), e1.Add(e3)
	pp := e0.Add(four.Mul(e2))
	qq := two.Mul(e1.Add(four.Mul(e3)))
	return e0, p.Add(q), p.Sub(q), pp.Add(qq), pp.Sub(qq), e3
}

func load8(s []float32, o int) archsimd.Float32x8 {
	return archsimd.LoadFloat32x8Slice(s[o : o+8 : o+8])
}

func store8(s []float32, o int, x archsimd.Float32x8) { x.StoreSlice(s[o : o+8 : o+8]) }

// store8x6 stores six vectors stride floats apart from s[o]: a row of a
// tile's six transformed planes.
func store8x6(s []float32, o, stride int, x0, x1, x2, x3, x4, x5 archsimd.Float32x8) {
	store8(s, o, x0)
	store8(s, o+stride, x1)
	store8(s, o+2*stride, x2)
	store8(s, o+3*stride, x3)
	store8(s, o+4*stride, x4)
	store8(s, o+5*stride, x5)
}
