//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// The layer kernels on AVX2 (amd64 builds with GOEXPERIMENT=simd, used when
// avxOK). Each computes exactly its pure-Go twin in layers.go, one IEEE
// operation per Go operation (Mul and Add stay separate; make fma-check
// proves nothing fused), with lanes across channels, or across elements
// where every element is independent. Float32x4.ConvertToFloat64 is exact
// and Float64x4.ConvertToFloat32 rounds to nearest, as Go's conversions do.
// Channel remainders run the pure-Go expressions. The callers in layers.go
// have checked the lengths; rows, c and n are positive.

// avxSumChans is how many channels a per-channel sum keeps in registers:
// four Float64x4 accumulators (eight for ChannelSumsDot).
const avxSumChans = 16

func fastChannelSums(sum []float64, x []float32, rows, c int) {
	j := 0
	for ; j+avxSumChans <= c; j += avxSumChans {
		s := sum[j : j+16 : j+16]
		a0, a1 := archsimd.LoadFloat64x4Slice(s), archsimd.LoadFloat64x4Slice(s[4:])
		a2, a3 := archsimd.LoadFloat64x4Slice(s[8:]), archsimd.LoadFloat64x4Slice(s[12:])
		for o := j; o < rows*c; o += c {
			v := x[o : o+16 : o+16]
			a0 = a0.Add(archsimd.LoadFloat32x4Slice(v).ConvertToFloat64())
			a1 = a1.Add(archsimd.LoadFloat32x4Slice(v[4:]).ConvertToFloat64())
			a2 = a2.Add(archsimd.LoadFloat32x4Slice(v[8:]).ConvertToFloat64())
			a3 = a3.Add(archsimd.LoadFloat32x4Slice(v[12:]).ConvertToFloat64())
		}
		a0.StoreSlice(s)
		a1.StoreSlice(s[4:])
		a2.StoreSlice(s[8:])
		a3.StoreSlice(s[12:])
	}
	for ; j+4 <= c; j += 4 {
		s := sum[j : j+4 : j+4]
		a := archsimd.LoadFloat64x4Slice(s)
		for o := j; o < rows*c; o += c {
			a = a.Add(archsimd.LoadFloat32x4Slice(x[o : o+4 : o+4]).ConvertToFloat64())
		}
		a.StoreSlice(s)
	}
	for ; j < c; j++ {
		s := sum[j]
		for o := j; o < rows*c; o += c {
			s += float64(x[o])
		}
		sum[j] = s
	}
}

func fastChannelSqDevs(sum2 []float64, x []float32, mean []float64, rows, c int) {
	j := 0
	for ; j+avxSumChans <= c; j += avxSumChans {
		s, m := sum2[j:j+16:j+16], mean[j:j+16:j+16]
		a0, a1 := archsimd.LoadFloat64x4Slice(s), archsimd.LoadFloat64x4Slice(s[4:])
		a2, a3 := archsimd.LoadFloat64x4Slice(s[8:]), archsimd.LoadFloat64x4Slice(s[12:])
		m0, m1 := archsimd.LoadFloat64x4Slice(m), archsimd.LoadFloat64x4Slice(m[4:])
		m2, m3 := archsimd.LoadFloat64x4Slice(m[8:]), archsimd.LoadFloat64x4Slice(m[12:])
		for o := j; o < rows*c; o += c {
			v := x[o : o+16 : o+16]
			d0 := archsimd.LoadFloat32x4Slice(v).ConvertToFloat64().Sub(m0)
			d1 := archsimd.LoadFloat32x4Slice(v[4:]).ConvertToFloat64().Sub(m1)
			d2 := archsimd.LoadFloat32x4Slice(v[8:]).ConvertToFloat64().Sub(m2)
			d3 := archsimd.LoadFloat32x4Slice(v[12:]).ConvertToFloat64().Sub(m3)
			a0 = a0.Add(d0.Mul(d0))
			a1 = a1.Add(d1.Mul(d1))
			a2 = a2.Add(d2.Mul(d2))
			a3 = a3.Add(d3.Mul(d3))
		}
		a0.StoreSlice(s)
		a1.StoreSlice(s[4:])
		a2.StoreSlice(s[8:])
		a3.StoreSlice(s[12:])
	}
	for ; j+4 <= c; j += 4 {
		s := sum2[j : j+4 : j+4]
		a, m := archsimd.LoadFloat64x4Slice(s), archsimd.LoadFloat64x4Slice(mean[j:j+4:j+4])
		for o := j; o < rows*c; o += c {
			d := archsimd.LoadFloat32x4Slice(x[o : o+4 : o+4]).ConvertToFloat64().Sub(m)
			a = a.Add(d.Mul(d))
		}
		a.StoreSlice(s)
	}
	for ; j < c; j++ {
		s, m := sum2[j], mean[j]
		for o := j; o < rows*c; o += c {
			d := float64(x[o]) - m
			s += float64(d * d)
		}
		sum2[j] = s
	}
}

func fastChannelSumsDot(sum, sum2 []float64, g, h []float32, rows, c int) {
	j := 0
	for ; j+avxSumChans <= c; j += avxSumChans {
		s, q := sum[j:j+16:j+16], sum2[j:j+16:j+16]
		s0, s1 := archsimd.LoadFloat64x4Slice(s), archsimd.LoadFloat64x4Slice(s[4:])
		s2, s3 := archsimd.LoadFloat64x4Slice(s[8:]), archsimd.LoadFloat64x4Slice(s[12:])
		q0, q1 := archsimd.LoadFloat64x4Slice(q), archsimd.LoadFloat64x4Slice(q[4:])
		q2, q3 := archsimd.LoadFloat64x4Slice(q[8:]), archsimd.LoadFloat64x4Slice(q[12:])
		for o := j; o < rows*c; o += c {
			gv, hv := g[o:o+16:o+16], h[o:o+16:o+16]
			g0, g1 := archsimd.LoadFloat32x4Slice(gv), archsimd.LoadFloat32x4Slice(gv[4:])
			g2, g3 := archsimd.LoadFloat32x4Slice(gv[8:]), archsimd.LoadFloat32x4Slice(gv[12:])
			s0 = s0.Add(g0.ConvertToFloat64())
			s1 = s1.Add(g1.ConvertToFloat64())
			s2 = s2.Add(g2.ConvertToFloat64())
			s3 = s3.Add(g3.ConvertToFloat64())
			q0 = q0.Add(g0.Mul(archsimd.LoadFloat32x4Slice(hv)).ConvertToFloat64())
			q1 = q1.Add(g1.Mul(archsimd.LoadFloat32x4Slice(hv[4:])).ConvertToFloat64())
			q2 = q2.Add(g2.Mul(archsimd.LoadFloat32x4Slice(hv[8:])).ConvertToFloat64())
			q3 = q3.Add(g3.Mul(archsimd.LoadFloat32x4Slice(hv[12:])).ConvertToFloat64())
		}
		s0.StoreSlice(s)
		s1.StoreSlice(s[4:])
		s2.StoreSlice(s[8:])
		s3.StoreSlice(s[12:])
		q0.StoreSlice(q)
		q1.StoreSlice(q[4:])
		q2.StoreSlice(q[8:])
		q3.StoreSlice(q[12:])
	}
	for ; j+4 <= c; j += 4 {
		s, q := sum[j:j+4:j+4], sum2[j:j+4:j+4]
		s0, q0 := archsimd.LoadFloat64x4Slice(s), archsimd.LoadFloat64x4Slice(q)
		for o := j; o < rows*c; o += c {
			g0 := archsimd.LoadFloat32x4Slice(g[o : o+4 : o+4])
			s0 = s0.Add(g0.ConvertToFloat64())
			q0 = q0.Add(g0.Mul(archsimd.LoadFloat32x4Slice(h[o : o+4 : o+4])).ConvertToFloat64())
		}
		s0.StoreSlice(s)
		q0.StoreSlice(q)
	}
	for ; j < c; j++ {
		s, q := sum[j], sum2[j]
		for o := j; o < rows*c; o += c {
			v := g[o]
			s += float64(v)
			q += float64(v * h[o])
		}
		sum[j], sum2[j] = s, q
	}
}

func fastBatchNormApply(y, xhat, x, mean, invStd, gamma, beta []float32, rows, c int) {
	n := rows * c
	if c == 1 {
		vm, vi := archsimd.BroadcastFloat32x8(mean[0]), archsimd.BroadcastFloat32x8(invStd[0])
		vg, vb := archsimd.BroadcastFloat32x8(gamma[0]), archsimd.BroadcastFloat32x8(beta[0])
		i := 0
		for ; i+8 <= n; i += 8 {
			h := archsimd.LoadFloat32x8Slice(x[i : i+8 : i+8]).Sub(vm).Mul(vi)
			h.StoreSlice(xhat[i : i+8 : i+8])
			vg.Mul(h).Add(vb).StoreSlice(y[i : i+8 : i+8])
		}
		batchNormApplyGo(y[i:n], xhat[i:n], x[i:n], mean, invStd, gamma, beta, 1)
		return
	}
	c8 := c &^ 7
	for r := 0; r < n; r += c {
		xr, hr, yr := x[r:r+c:r+c], xhat[r:r+c:r+c], y[r:r+c:r+c]
		for j := 0; j < c8; j += 8 {
			h := archsimd.LoadFloat32x8Slice(xr[j : j+8 : j+8]).Sub(archsimd.LoadFloat32x8Slice(mean[j : j+8 : j+8])).
				Mul(archsimd.LoadFloat32x8Slice(invStd[j : j+8 : j+8]))
			h.StoreSlice(hr[j : j+8 : j+8])
			archsimd.LoadFloat32x8Slice(gamma[j : j+8 : j+8]).Mul(h).
				Add(archsimd.LoadFloat32x8Slice(beta[j : j+8 : j+8])).StoreSlice(yr[j : j+8 : j+8])
		}
		for j := c8; j < c; j++ {
			h := float32(xr[j]-mean[j]) * invStd[j]
			hr[j] = h
			yr[j] = float32(gamma[j]*h) + beta[j]
		}
	}
}

func fastScaleChannels(dst, x, scale []float32, rows, c int) {
	n := rows * c
	if c == 1 {
		vs := archsimd.BroadcastFloat32x8(scale[0])
		i := 0
		for ; i+8 <= n; i += 8 {
			archsimd.LoadFloat32x8Slice(x[i : i+8 : i+8]).Mul(vs).StoreSlice(dst[i : i+8 : i+8])
		}
		scaleChannelsGo(dst[i:n], x[i:n], scale, 1)
		return
	}
	c8 := c &^ 7
	for r := 0; r < n; r += c {
		xr, dr := x[r:r+c:r+c], dst[r:r+c:r+c]
		for j := 0; j < c8; j += 8 {
			archsimd.LoadFloat32x8Slice(xr[j : j+8 : j+8]).Mul(archsimd.LoadFloat32x8Slice(scale[j : j+8 : j+8])).
				StoreSlice(dr[j : j+8 : j+8])
		}
		for j := c8; j < c; j++ {
			dr[j] = xr[j] * scale[j]
		}
	}
}

func fastBatchNormBackward(dx, g, h []float32, sum, sum2, coef []float64, n float64, rows, c int) {
	total := rows * c
	vn := archsimd.BroadcastFloat64x4(n)
	if c == 1 {
		vs, vq := archsimd.BroadcastFloat64x4(sum[0]), archsimd.BroadcastFloat64x4(sum2[0])
		vc := archsimd.BroadcastFloat64x4(coef[0])
		i := 0
		for ; i+4 <= total; i += 4 {
			gv := archsimd.LoadFloat32x4Slice(g[i : i+4 : i+4]).ConvertToFloat64()
			hv := archsimd.LoadFloat32x4Slice(h[i : i+4 : i+4]).ConvertToFloat64()
			t := vn.Mul(gv).Sub(vs).Sub(hv.Mul(vq))
			vc.Mul(t).ConvertToFloat32().StoreSlice(dx[i : i+4 : i+4])
		}
		batchNormBackwardGo(dx[i:total], g[i:total], h[i:total], sum, sum2, coef, n, 1)
		return
	}
	c4 := c &^ 3
	for r := 0; r < total; r += c {
		gr, hr, dr := g[r:r+c:r+c], h[r:r+c:r+c], dx[r:r+c:r+c]
		for j := 0; j < c4; j += 4 {
			gv := archsimd.LoadFloat32x4Slice(gr[j : j+4 : j+4]).ConvertToFloat64()
			hv := archsimd.LoadFloat32x4Slice(hr[j : j+4 : j+4]).ConvertToFloat64()
			t := vn.Mul(gv).Sub(archsimd.LoadFloat64x4Slice(sum[j : j+4 : j+4])).
				Sub(hv.Mul(archsimd.LoadFloat64x4Slice(sum2[j : j+4 : j+4])))
			archsimd.LoadFloat64x4Slice(coef[j : j+4 : j+4]).Mul(t).ConvertToFloat32().StoreSlice(dr[j : j+4 : j+4])
		}
		for j := c4; j < c; j++ {
			t := float64(n*float64(gr[j])) - sum[j] - float64(float64(hr[j])*sum2[j])
			dr[j] = float32(coef[j] * t)
		}
	}
}

// fastReLU keeps x where not x <= 0 (so a NaN passes, as with Go's max) and
// writes +0 elsewhere (also for -0).
func fastReLU(y, x []float32) {
	var zero archsimd.Float32x8
	n := len(y)
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8Slice(x[i : i+8 : i+8])
		zero.Merge(v, v.LessEqual(zero)).StoreSlice(y[i : i+8 : i+8])
	}
	reluGo(y[i:], x[i:])
}

func fastReLUBackward(dx, g, y []float32) {
	var zero archsimd.Float32x8
	n := len(dx)
	i := 0
	for ; i+8 <= n; i += 8 {
		archsimd.LoadFloat32x8Slice(g[i : i+8 : i+8]).
			Masked(archsimd.LoadFloat32x8Slice(y[i : i+8 : i+8]).Greater(zero)).StoreSlice(dx[i : i+8 : i+8])
	}
	reluBackwardGo(dx[i:], g[i:], y[i:])
}

func fastLeakyReLU(y, x []float32, alpha float32) {
	var zero archsimd.Float32x8
	va := archsimd.BroadcastFloat32x8(alpha)
	n := len(y)
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8Slice(x[i : i+8 : i+8])
		v.Merge(va.Mul(v), v.Greater(zero)).StoreSlice(y[i : i+8 : i+8])
	}
	leakyReLUGo(y[i:], x[i:], alpha)
}

func fastLeakyReLUBackward(dx, g, x []float32, alpha float32) {
	var zero archsimd.Float32x8
	va := archsimd.BroadcastFloat32x8(alpha)
	n := len(dx)
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8Slice(g[i : i+8 : i+8])
		v.Merge(va.Mul(v), archsimd.LoadFloat32x8Slice(x[i:i+8:i+8]).Greater(zero)).StoreSlice(dx[i : i+8 : i+8])
	}
	leakyReLUBackwardGo(dx[i:], g[i:], x[i:], alpha)
}

// iota8 is the lane number of each lane.
var iota8 = [8]int32{0, 1, 2, 3, 4, 5, 6, 7}

func fastMaxPool2x2(y []float32, arg []int32, x []float32, n, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	lanes := archsimd.LoadInt32x8(&iota8)
	c8 := c &^ 7
	wc := w * c
	vc, vwc, vwc1 := archsimd.BroadcastInt32x8(int32(c)), archsimd.BroadcastInt32x8(int32(wc)), archsimd.BroadcastInt32x8(int32(wc+c))
	o := 0
	for b := range n {
		for i := range oh {
			hasR := 2*i+1 < h
			for j := range ow {
				hasC := 2*j+1 < w
				e := ((b*h+2*i)*w + 2*j) * c
				for ch := 0; ch < c8; ch += 8 {
					k := e + ch
					vi := archsimd.BroadcastInt32x8(int32(k)).Add(lanes)
					best, bi := archsimd.LoadFloat32x8Slice(x[k:k+8:k+8]), vi
					if hasC {
						cand := archsimd.LoadFloat32x8Slice(x[k+c : k+c+8 : k+c+8])
						m := cand.Greater(best)
						best, bi = cand.Merge(best, m), vi.Add(vc).Merge(bi, m)
					}
					if hasR {
						cand := archsimd.LoadFloat32x8Slice(x[k+wc : k+wc+8 : k+wc+8])
						m := cand.Greater(best)
						best, bi = cand.Merge(best, m), vi.Add(vwc).Merge(bi, m)
						if hasC {
							cand := archsimd.LoadFloat32x8Slice(x[k+wc+c : k+wc+c+8 : k+wc+c+8])
							m := cand.Greater(best)
							best, bi = cand.Merge(best, m), vi.Add(vwc1).Merge(bi, m)
						}
					}
					best.StoreSlice(y[o : o+8 : o+8])
					bi.StoreSlice(arg[o : o+8 : o+8])
					o += 8
				}
				for ch := c8; ch < c; ch++ {
					best := e + ch
					if hasC && x[best+c] > x[best] {
						best = e + ch + c
					}
					if hasR {
						if x[e+ch+wc] > x[best] {
							best = e + ch + wc
						}
						if hasC && x[e+ch+wc+c] > x[best] {
							best = e + ch + wc + c
						}
					}
					y[o] = x[best]
					arg[o] = int32(best)
					o++
				}
			}
		}
	}
}

func fastMaxPool2x2Backward(dx, dy []float32, arg []int32, n, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	lanes := archsimd.LoadInt32x8(&iota8)
	var zero archsimd.Float32x8
	c8 := c &^ 7
	wc := w * c
	vc, vwc, vwc1 := archsimd.BroadcastInt32x8(int32(c)), archsimd.BroadcastInt32x8(int32(wc)), archsimd.BroadcastInt32x8(int32(wc+c))
	o := 0
	for b := range n {
		for i := range oh {
			hasR := 2*i+1 < h
			for j := range ow {
				hasC := 2*j+1 < w
				e := ((b*h+2*i)*w + 2*j) * c
				for ch := 0; ch < c8; ch += 8 {
					k := e + ch
					vi := archsimd.BroadcastInt32x8(int32(k)).Add(lanes)
					g := archsimd.LoadFloat32x8Slice(dy[o : o+8 : o+8]).Add(zero) // +0 + dy
					a := archsimd.LoadInt32x8Slice(arg[o : o+8 : o+8])
					g.Masked(a.Equal(vi)).StoreSlice(dx[k : k+8 : k+8])
					if hasC {
						g.Masked(a.Equal(vi.Add(vc))).StoreSlice(dx[k+c : k+c+8 : k+c+8])
					}
					if hasR {
						g.Masked(a.Equal(vi.Add(vwc))).StoreSlice(dx[k+wc : k+wc+8 : k+wc+8])
						if hasC {
							g.Masked(a.Equal(vi.Add(vwc1))).StoreSlice(dx[k+wc+c : k+wc+c+8 : k+wc+c+8])
						}
					}
					o += 8
				}
				for ch := c8; ch < c; ch++ {
					k := e + ch
					g, a := 0+dy[o], int(arg[o]) // +0 + dy, as the cleared dx gets
					routeOne(dx, k, a, g)
					if hasC {
						routeOne(dx, k+c, a, g)
					}
					if hasR {
						routeOne(dx, k+wc, a, g)
						if hasC {
							routeOne(dx, k+wc+c, a, g)
						}
					}
					o++
				}
			}
		}
	}
}

// routeOne sets dx[p] to g if p is the window's maximum a, else to +0.
func routeOne(dx []float32, p, a int, g float32) {
	if p == a {
		dx[p] = g
	} else {
		dx[p] = 0
	}
}
