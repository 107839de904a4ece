package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"vaeaug/core/rng"
)

// checkScalarGradient compares analytic with central differences of f with
// respect to every element of x (f is computed in float64 from float32
// inputs, so the tolerances of gradcheck_test.go apply).
func checkScalarGradient(t *testing.T, what string, x []float32, analytic []float32, f func() float64) {
	t.Helper()
	for i := range x {
		old := x[i]
		x[i] = old + fdStep
		lp := f()
		x[i] = old - fdStep
		lm := f()
		x[i] = old
		fd := (lp - lm) / (2 * fdStep)
		an := float64(analytic[i])
		if math.Abs(fd-an) > fdATol+fdRTol*math.Max(math.Abs(fd), math.Abs(an)) {
			t.Errorf("%s[%d]: analytic %.6g, finite difference %.6g", what, i, an, fd)
		}
	}
}

func TestSoftmaxCrossEntropyGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	logits := randTensor(r, 3, 4, 10)
	labels := []uint8{3, 0, 9, 3}
	var l SoftmaxCrossEntropy
	l.Forward(logits, labels)
	g := append([]float32(nil), f32(l.Backward(labels))...)
	checkScalarGradient(t, "dlogits", f32(logits), g, func() float64 { return l.Forward(logits, labels) })
}

func TestSoftmaxCrossEntropyStable(t *testing.T) {
	logits := FromSlice([]float32{1000, -1000, 0, 88, 89, 90}, 2, 3)
	var l SoftmaxCrossEntropy
	loss := l.Forward(logits, []uint8{1, 2})
	// Row 0: label logit is 2000 below the max: loss ≈ 2000. Row 1:
	// log(e^-2+e^-1+1) ≈ 0.4076.
	want := (2000 + math.Log(math.Exp(-2)+math.Exp(-1)+1)) / 2
	if math.IsNaN(loss) || math.Abs(loss-want) > 1e-3 {
		t.Fatalf("loss = %v, want %v", loss, want)
	}
	for _, g := range f32(l.Backward([]uint8{1, 2})) {
		if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
			t.Fatalf("gradient not finite: %v", f32(l.Backward([]uint8{1, 2})))
		}
	}
}

func vaeInputs(r *rand.Rand) (logits, x, mean, logVar *tensor.Dense) {
	logits = randTensor(r, 2, 3, 6)
	x = NewTensor(3, 6)
	for i := range f32(x) {
		f32(x)[i] = r.Float32()
	}
	return logits, x, randTensor(r, 1, 3, 4), randTensor(r, 0.5, 3, 4)
}

func TestVAELossGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	logits, x, mean, logVar := vaeInputs(r)
	var l VAELoss
	f := func() float64 { return l.Forward(logits, x, mean, logVar) }
	f()
	dl, dm, dv := l.Backward(logits, x, mean, logVar)
	dlc, dmc, dvc := append([]float32(nil), f32(dl)...), append([]float32(nil), f32(dm)...), append([]float32(nil), f32(dv)...)
	checkScalarGradient(t, "dlogits", f32(logits), dlc, f)
	checkScalarGradient(t, "dz_mean", f32(mean), dmc, f)
	checkScalarGradient(t, "dz_log_var", f32(logVar), dvc, f)
}

// The loss must equal 784·BCE on probabilities computed in float64 (where
// that is accurate) and stay finite for saturated logits.
func TestVAELossValues(t *testing.T) {
	logits := FromSlice([]float32{0, 2, -3, 40}, 1, 4)
	x := FromSlice([]float32{0.5, 1, 0, 0.25}, 1, 4)
	mean := FromSlice([]float32{0.5, -1}, 1, 2)
	logVar := FromSlice([]float32{0, -0.5}, 1, 2)
	var l VAELoss
	l.Forward(logits, x, mean, logVar)
	var recon float64
	for i, z := range f32(logits) {
		xi := float64(f32(x)[i])
		zf := float64(z)
		// log σ(z) = −log(1+e^−z), log(1−σ(z)) = −z − log(1+e^−z).
		recon += xi*math.Log1p(math.Exp(-zf)) + (1-xi)*(zf+math.Log1p(math.Exp(-zf)))
	}
	kl := -0.5 * ((1 + 0 - 0.25 - 1) + (1 - 0.5 - 1 - math.Exp(-0.5)))
	if math.Abs(l.Recon-recon) > 1e-9*recon || math.Abs(l.KL-kl) > 1e-12 {
		t.Fatalf("recon %v KL %v, want %v %v", l.Recon, l.KL, recon, kl)
	}
	big := FromSlice([]float32{-1e4, 1e4}, 1, 2)
	tgt := FromSlice([]float32{1, 0}, 1, 2)
	loss := l.Forward(big, tgt, FromSlice([]float32{0}, 1, 1), FromSlice([]float32{0}, 1, 1))
	if math.Abs(loss-2e4) > 1e-6 {
		t.Fatalf("saturated loss = %v, want 2e4", loss)
	}
}

func TestReparamGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	mean, logVar := randTensor(r, 1, 3, 4), randTensor(r, 0.5, 3, 4)
	var p Reparam
	w := randTensor(r, 1, 3, 4)
	f := func() float64 {
		p.RNG = rng.New(5) // the same ε for every evaluation
		return weightedSum(f32(p.Forward(mean, logVar)), f32(w))
	}
	f()
	dm, dv := p.Backward(w)
	dmc, dvc := append([]float32(nil), f32(dm)...), append([]float32(nil), f32(dv)...)
	checkScalarGradient(t, "dz_mean", f32(mean), dmc, f)
	checkScalarGradient(t, "dz_log_var", f32(logVar), dvc, f)
}
