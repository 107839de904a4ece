package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// The gradient checks compare Backward with central differences of the
// scalar L = Σ R⊙Forward(x) for a fixed random R, summed in float64.
//
// Why float32 finite differences are trustworthy here: perturbing one input
// by ±h changes only the outputs it feeds; every other output is computed
// with bit-identical operations in both evaluations and cancels exactly.
// The remaining noise is float32 rounding of the affected outputs,
// about 6e-8·|y|·sqrt(#affected)/(2h) ≈ 1e-5 for h = 1e-2, well under the
// tolerance. Truncation error of the central difference is O(h²·f‴),
// ≈1e-4 for the smooth layers; piecewise-linear layers are fed inputs kept
// away from their kinks by more than h, where the difference is exact.
const (
	fdStep = 1e-2
	fdRTol = 1e-2
	fdATol = 2e-3
)

type gradCase struct {
	layer Layer
	x     *tensor.Dense
	train bool
	// before runs before every Forward (e.g. to re-seed dropout so that
	// every evaluation uses the same mask).
	before func()
	// maxProbe caps how many coordinates of each tensor are probed.
	maxProbe int
}

func randTensor(r *rand.Rand, scale float32, shape ...int) *tensor.Dense {
	t := NewTensor(shape...)
	for i := range f32(t) {
		f32(t)[i] = scale * float32(r.NormFloat64())
	}
	return t
}

// weightedSum is L = Σ R⊙y in float64, in index order.
func weightedSum(y, r []float32) float64 {
	var s float64
	for i, v := range y {
		s += float64(v) * float64(r[i])
	}
	return s
}

func checkGradients(t *testing.T, c gradCase) {
	t.Helper()
	rr := rand.New(rand.NewPCG(7, 11))
	if c.maxProbe == 0 {
		c.maxProbe = 60
	}
	forwardT := func() *tensor.Dense {
		if c.before != nil {
			c.before()
		}
		return c.layer.Forward(c.x, c.train)
	}
	forward := func() []float32 { return f32(forwardT()) }
	out := forwardT()
	shape := append([]int(nil), out.Shape()...)
	y := f32(out)
	r := make([]float32, len(y))
	for i := range r {
		r[i] = float32(rr.NormFloat64())
	}
	for _, p := range c.layer.Params() {
		if p.Trainable {
			clear(p.GradData())
		}
	}
	dx := append([]float32(nil), f32(c.layer.Backward(FromSlice(r, shape...)))...)
	probe := func(what string, vals, analytic []float32) {
		idx := rr.Perm(len(vals))
		if len(idx) > c.maxProbe {
			idx = idx[:c.maxProbe]
		}
		for _, i := range idx {
			old := vals[i]
			vals[i] = old + fdStep
			lp := weightedSum(forward(), r)
			vals[i] = old - fdStep
			lm := weightedSum(forward(), r)
			vals[i] = old
			fd := (lp - lm) / (2 * fdStep)
			an := float64(analytic[i])
			if math.Abs(fd-an) > fdATol+fdRTol*math.Max(math.Abs(fd), math.Abs(an)) {
				t.Errorf("%s: d/d%s[%d]: backward %.6g, finite difference %.6g", c.layer.Name(), what, i, an, fd)
			}
		}
	}
	probe("x", f32(c.x), dx)
	for _, p := range c.layer.Params() {
		if p.Trainable {
			probe(p.Name, p.Data(), append([]float32(nil), p.GradData()...))
		}
	}
}
