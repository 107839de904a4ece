package model

import (
	"math"
	"testing"

	"vaeaug/core/nn"
	"vaeaug/core/rng"
)

// checkDirectional compares, for each trainable tensor p, the derivative of
// the loss along the backward gradient g itself, (L(p+h·g) − L(p−h·g))/2h,
// with Σg² from backward. One check covers every element of p at once and,
// because the direction is g, its signal is as large as it can be next to
// float32 rounding in the loss (which does not cancel: every activation
// downstream of p is perturbed). h is chosen so that no element moves by
// more than 1e-2 of the tensor's scale, and Richardson extrapolation over h
// and h/2 removes the leading truncation error.
// Tensors whose expected change is below the noise floor are skipped and
// counted: a BatchNorm-preceded bias, whose true gradient is zero, is one.
// loss must be deterministic (fixed dropout masks and ε).
func checkDirectional(t *testing.T, name string, params []*nn.Param, lossAndGrad func() float64, loss func() float64) {
	t.Helper()
	l0 := lossAndGrad()
	// Noise floor: float32 rounding of a loss of this size, summed over
	// many terms. F(4×4, 3×3) Winograd convolutions round about three
	// times more than F(2×2)'s did (the classifier's second BatchNorm beta:
	// central differences at h and h/2 2.8% apart, against 0.08%), so 3e-6,
	// and a tensor is measurable above three times it (1e-6 and ten times
	// before: the same tensors).
	noise := 3e-6 * math.Abs(l0)
	checked := 0
	for i, p := range params {
		if !p.Trainable {
			continue
		}
		w := p.Data()
		g := append([]float32(nil), p.GradData()...)
		var rms, gmax, want float64
		for j, v := range w {
			rms += float64(v) * float64(v)
			gmax = math.Max(gmax, math.Abs(float64(g[j])))
			want += float64(g[j]) * float64(g[j])
		}
		rms = math.Sqrt(rms/float64(len(w))) + 0.1
		if gmax == 0 {
			continue
		}
		h := 2e-3 * rms / gmax
		if h*want < 3*noise {
			t.Logf("skip %d %s %v: h·Σg² = %.3g, noise %.3g", i, p.Name, []int(p.Value.Shape()), h*want, noise)
			continue // too small to measure in float32: see above
		}
		orig := append([]float32(nil), w...)
		central := func(h float64) float64 {
			for j := range w {
				w[j] = orig[j] + float32(h)*g[j]
			}
			lp := loss()
			for j := range w {
				w[j] = orig[j] - float32(h)*g[j]
			}
			lm := loss()
			copy(w, orig)
			return (lp - lm) / (2 * h)
		}
		// Richardson extrapolation cancels the h² term of the central
		// difference, so h can be large enough to rise above the noise.
		fd := (4*central(h/2) - central(h)) / 3
		checked++
		// Rounding noise in the two losses contributes up to noise/h.
		if math.Abs(fd-want) > 2e-2*want+noise/h {
			t.Errorf("%s param %d (%s, %v): |g|² %.6g by backward, %.6g by finite differences",
				name, i, p.Name, []int(p.Value.Shape()), want, fd)
		}
	}
	if checked < len(params)/4 {
		t.Errorf("%s: only %d of %d tensors had a measurable gradient", name, checked, len(params))
	}
	t.Logf("%s: %d tensors checked", name, checked)
}

func TestClassifierGradient(t *testing.T) {
	x, labels := synthDigits(4, 31)
	c := NewClassifier(32)
	fixDropout := func() {
		for i, l := range c.Net.Layers {
			if d, ok := l.(*nn.Dropout); ok {
				d.RNG = rng.New(uint64(i))
			}
		}
	}
	lossAndGrad := func() float64 { fixDropout(); return c.Gradients(x, labels) }
	loss := func() float64 { fixDropout(); return c.Loss.Forward(c.Net.Forward(x, true), labels) }
	checkDirectional(t, "classifier", c.Params(), lossAndGrad, loss)
}

func TestVAEGradient(t *testing.T) {
	// Batch 16: with very few examples, BatchNorm over a 12544-wide dense
	// layer divides by the spread of a handful of values and the loss
	// becomes too curved for any finite difference.
	x, _ := synthDigits(16, 33)
	v := NewVAE(34)
	fixEps := func() { v.Sample.RNG = rng.New(35) }
	lossAndGrad := func() float64 { fixEps(); return v.Gradients(x) }
	loss := func() float64 {
		fixEps()
		h := v.Trunk.Forward(x, true)
		mean, logVar := v.ZMean.Forward(h, true), v.ZLogVar.Forward(h, true)
		return v.Loss.Forward(v.Decoder.Forward(v.Sample.Forward(mean, logVar), true), x, mean, logVar)
	}
	checkDirectional(t, "vae", v.Params(), lossAndGrad, loss)
}
