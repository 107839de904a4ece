package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// optimGrad is a gradient with values past a clip of 1 on both sides, exact
// zeros of both signs and tiny values (subnormal squares), starting off a
// 16-byte boundary.
func optimGrad(r *rand.Rand, n int) []float32 {
	g := randLayer(r, n, 2)
	for i := range g {
		if r.IntN(10) == 0 {
			g[i] = float32(r.NormFloat64()) * 1e-22
		}
	}
	return g
}

// AdamUpdate and RMSpropUpdate give the bits of their Go references, with
// and without clipping, at lengths that leave every SIMD remainder.
func TestOptimizerUpdates(t *testing.T) {
	for _, n := range []int{1, 3, 4, 7, 64, 1001} {
		for _, doClip := range []bool{false, true} {
			what := fmt.Sprintf("n=%d clip=%v", n, doClip)
			r := rand.New(rand.NewPCG(uint64(n), 7))
			g := optimGrad(r, n)
			w, m, v := randLayer(r, n, 1), randLayer(r, n, 0.1), randLayer(r, n, 0.01)
			for i := range v {
				v[i] = float32(math.Abs(float64(v[i]))) // a second moment
			}
			ka := &AdamFactors{B1: 0.9, C1: float32(1 - 0.9), B2: 0.99, C2: float32(1 - 0.99),
				LR: 2e-4, Eps: 1e-7, Clip: 1, DoClip: doClip}
			wantW, wantM, wantV := clone32(w), clone32(m), clone32(v)
			adamUpdateGo(wantW, g, wantM, wantV, ka)
			AdamUpdate(w, g, m, v, ka)
			sameBits32(t, what+" Adam w", w, wantW)
			sameBits32(t, what+" Adam m", m, wantM)
			sameBits32(t, what+" Adam v", v, wantV)

			a := clone32(v)
			kr := &RMSpropFactors{Rho: 0.9, C: float32(1 - 0.9), LR: 1e-3, Eps: 1e-7, Clip: 1, DoClip: doClip}
			wantW, wantA := clone32(w), clone32(a)
			rmspropUpdateGo(wantW, g, wantA, kr)
			RMSpropUpdate(w, g, a, kr)
			sameBits32(t, what+" RMSprop w", w, wantW)
			sameBits32(t, what+" RMSprop a", a, wantA)
		}
	}
}
