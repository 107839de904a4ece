//go:build goexperiment.simd && amd64

package kernels

import (
	"math"
	"simd/archsimd"
)

// avxWinoIn is winoInGo on AVX2 (when avxOK), with lanes across eight
// channels and the pure-Go expressions for the rest: adds and subtracts
// only, one IEEE operation per Go operation, so the same bits.
func avxWinoIn(v []float32, vs int, d []float32, rs, c, count int) bool {
	if !avxOK {
		return false
	}
	for tile := range count {
		v, d := v[tile*c:], d[2*tile*c:]
		ch := 0
		for ; ch+8 <= c; ch += 8 {
			var t0, t1, t2, t3 [4]archsimd.Float32x8 // row i of Bᵀ d, column q
			for q := range 4 {
				o := q*c + ch
				d0, d1, d2, d3 := load8(d, o), load8(d, rs+o), load8(d, 2*rs+o), load8(d, 3*rs+o)
				t0[q], t1[q], t2[q], t3[q] = d0.Sub(d2), d1.Add(d2), d2.Sub(d1), d1.Sub(d3)
			}
			for i, t := range [4]*[4]archsimd.Float32x8{&t0, &t1, &t2, &t3} {
				o := i*4*vs + ch
				store8(v, o, t[0].Sub(t[2]))
				store8(v, o+vs, t[1].Add(t[2]))
				store8(v, o+2*vs, t[2].Sub(t[1]))
				store8(v, o+3*vs, t[1].Sub(t[3]))
			}
		}
		winoInChannels(v, vs, d, rs, c, ch)
	}
	return true
}

// avxWinoDy is winoDyGo on AVX2 (when avxOK), lanes across eight
// channels. Its negations flip the sign bit, as Go's unary minus does, so
// −(+0) is −0 here too.
func avxWinoDy(e []float32, es int, dy []float32, ys, n, count int) bool {
	if !avxOK {
		return false
	}
	sign := archsimd.BroadcastInt32x8(math.MinInt32)
	for tile := range count {
		d, o := dy[2*tile*n:], e[tile*n:]
		k := 0
		for ; k+8 <= n; k += 8 {
			e00, e01, e10, e11 := load8(d, k), load8(d, n+k), load8(d, ys+k), load8(d, ys+n+k)
			q := 4 * es
			avxWinoDyRow(o, k, es, e00, e01, sign)
			avxWinoDyRow(o, k+q, es, e00.Add(e10), e01.Add(e11), sign)
			avxWinoDyRow(o, k+2*q, es, e00.Sub(e10), e01.Sub(e11), sign)
			avxWinoDyRow(o, k+3*q, es, negate(e10, sign), negate(e11, sign), sign)
		}
		winoDyChannels(o, es, d, ys, n, k)
	}
	return true
}

// avxWinoDyRow stores the four planes of one row of a tile's A e Aᵀ: r0,
// r0 + r1, r0 − r1 and −r1, es apart from o[q]. Its arguments are values,
// not an array of rows: ranging over one copied it through the stack, and
// the whole weight gradient ran 4 times slower natively (cls-conv3: 10.4
// against 2.4 ms).
func avxWinoDyRow(o []float32, q, es int, r0, r1 archsimd.Float32x8, sign archsimd.Int32x8) {
	store8(o, q, r0)
	store8(o, q+es, r0.Add(r1))
	store8(o, q+2*es, r0.Sub(r1))
	store8(o, q+3*es, negate(r1, sign))
}

// negate flips x's sign bits, as Go's unary minus does.
func negate(x archsimd.Float32x8, sign archsimd.Int32x8) archsimd.Float32x8 {
	return x.AsInt32x8().Xor(sign).AsFloat32x8()
}

func load8(s []float32, o int) archsimd.Float32x8 {
	return archsimd.LoadFloat32x8Slice(s[o : o+8 : o+8])
}

func store8(s []float32, o int, x archsimd.Float32x8) { x.StoreSlice(s[o : o+8 : o+8]) }
