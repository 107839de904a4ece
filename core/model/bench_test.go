package model

import (
	"testing"
)

// The training-step benchmarks report images/s; after the first step (which
// sizes every buffer) a step must allocate nothing.

func BenchmarkClassifierTrainStep(b *testing.B) {
	const batch = 32
	x, labels := synthDigits(batch, 1)
	c := NewClassifier(2)
	opt := classifierOptimizer(c)
	c.TrainStep(x, labels, opt)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c.TrainStep(x, labels, opt)
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
}

func BenchmarkVAETrainStep(b *testing.B) {
	const batch = 32
	x, _ := synthDigits(batch, 1)
	v := NewVAE(2)
	opt := vaeOptimizer(v)
	v.TrainStep(x, opt)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		v.TrainStep(x, opt)
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
}

func BenchmarkClassifierInference(b *testing.B) {
	const batch = 256
	x, _ := synthDigits(batch, 1)
	c := NewClassifier(2)
	c.Logits(x)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c.Logits(x)
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
}

// TestTrainStepAllocatesNothing holds the hot loop to its promise.
func TestTrainStepAllocatesNothing(t *testing.T) {
	// Batch 32 is large enough for the kernels to split work across cores.
	x, labels := synthDigits(32, 1)
	c := NewClassifier(2)
	copt := classifierOptimizer(c)
	v := NewVAE(3)
	vopt := vaeOptimizer(v)
	for _, tc := range []struct {
		name string
		step func()
	}{
		{"classifier", func() { c.TrainStep(x, labels, copt) }},
		{"vae", func() { v.TrainStep(x, vopt) }},
		{"inference", func() { c.Logits(x) }},
	} {
		tc.step()
		if n := testing.AllocsPerRun(3, tc.step); n != 0 {
			t.Errorf("%s step: %v allocations, want 0", tc.name, n)
		}
	}
}
