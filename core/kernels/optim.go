package kernels

import "math"

// The optimisers' element-wise updates (core/optim's Adam and RMSprop), here
// because on js/wasm they run on the SIMD128 kernels (adam, rmsprop), which
// only this package imports. Each element's expression is fixed by the Go
// code below, every product and quotient rounded to float32 (converted
// explicitly, so the compiler cannot fuse a multiply-add); the kernels run
// their lanes over elements with the same operations, so the parameters are
// the same bits either way. As Go compiled to wasm, Adam over the
// classifier's 1.67M parameters took 9–12 ms, about a tenth of a step.

// AdamFactors are one Adam step's float32 factors:
//
//	g  = clip(g, -Clip, Clip)   (when DoClip)
//	m  = B1*m + C1*g
//	v  = B2*v + C2*g*g
//	w -= LR*m / (sqrt(v) + Eps)
type AdamFactors struct {
	B1, C1, B2, C2, LR, Eps, Clip float32
	DoClip                        bool
}

// AdamUpdate applies the Adam rule of k to every element of w, with
// gradient g and moments m and v, which it updates. It panics with ErrShape
// if g, m or v is shorter than w.
func AdamUpdate(w, g, m, v []float32, k *AdamFactors) {
	checkSameLen("AdamUpdate", len(w), len(g), len(m), len(v))
	if len(w) > 0 && !simdAdam(w, g, m, v, k) {
		adamUpdateGo(w, g, m, v, k)
	}
}

func adamUpdateGo(w, g, m, v []float32, k *AdamFactors) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		gi := g[i]
		if k.DoClip {
			gi = clip32(gi, k.Clip)
		}
		mi := float32(k.B1*m[i]) + float32(k.C1*gi)
		vi := float32(k.B2*v[i]) + float32(k.C2*float32(gi*gi))
		m[i], v[i] = mi, vi
		w[i] -= float32(k.LR*mi) / (sqrt32(vi) + k.Eps)
	}
}

// RMSpropFactors are one RMSprop step's float32 factors:
//
//	g  = clip(g, -Clip, Clip)   (when DoClip)
//	a  = Rho*a + C*g*g
//	w -= LR*g / (sqrt(a) + Eps)
type RMSpropFactors struct {
	Rho, C, LR, Eps, Clip float32
	DoClip                bool
}

// RMSpropUpdate applies the RMSprop rule of k to every element of w, with
// gradient g and accumulator a, which it updates. It panics with ErrShape if
// g or a is shorter than w.
func RMSpropUpdate(w, g, a []float32, k *RMSpropFactors) {
	checkSameLen("RMSpropUpdate", len(w), len(g), len(a))
	if len(w) > 0 && !simdRMSprop(w, g, a, k) {
		rmspropUpdateGo(w, g, a, k)
	}
}

func rmspropUpdateGo(w, g, a []float32, k *RMSpropFactors) {
	g, a = g[:len(w)], a[:len(w)]
	for j := range w {
		gj := g[j]
		if k.DoClip {
			gj = clip32(gj, k.Clip)
		}
		aj := float32(k.Rho*a[j]) + float32(k.C*float32(gj*gj))
		a[j] = aj
		w[j] -= float32(k.LR*gj) / (sqrt32(aj) + k.Eps)
	}
}

// clip32 limits g to [-c, c]; NaN passes through unchanged.
func clip32(g, c float32) float32 {
	if g > c {
		return c
	}
	if g < -c {
		return -c
	}
	return g
}

// sqrt32 is the correctly rounded float32 square root: the float64 root of a
// float32 is exact enough that rounding it to float32 never double-rounds.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
