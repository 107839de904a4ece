//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// avxWino43In and avxWino43Out are wino43InGo and wino43OutGo on AVX2
// (when avxOK), with lanes across eight channels and the pure-Go
// expressions for the rest: wino43B and wino43A term by term, each product
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
				o := 6*i*vs + ch
				store8(v, o, x0)
				store8(v, o+vs, x1)
				store8(v, o+2*vs, x2)
				store8(v, o+3*vs, x3)
				store8(v, o+4*vs, x4)
				store8(v, o+5*vs, x5)
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
