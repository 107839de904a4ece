package model

import (
	"runtime"
	"testing"

	"vaeaug/core/nn"
	"vaeaug/core/optim"
	"vaeaug/core/rng"
)

// The article's optimisers.
func classifierOptimizer(c *Classifier) optim.Optimizer {
	return optim.NewAdam(c.Params(), 2e-4, 0.9, 0.99, 1.0, 1e-8)
}

func vaeOptimizer(v *VAE) optim.Optimizer { return optim.NewRMSprop(v.Params(), 1e-3, 0.9) }

// skipOnWasm skips the learning tests when compiled to wasm: they train for
// hundreds of steps, which takes minutes there, and TestGoldenChecksums
// already proves the wasm build computes the same bits as the native one.
func skipOnWasm(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("learning is checked natively; wasm equality is proven by TestGoldenChecksums")
	}
}

func accuracy(c *Classifier, x []float32, labels []uint8) float64 {
	n := len(labels)
	logits := nn.Data(c.Logits(nn.FromSlice(x, n, 28, 28, 1)))
	right := 0
	for i, y := range labels {
		best := 0
		for j := range 10 {
			if logits[i*10+j] > logits[i*10+best] {
				best = j
			}
		}
		if best == int(y) {
			right++
		}
	}
	return float64(right) / float64(n)
}

// The classifier must fit 100 fixed examples: ≥ 99% accuracy in inference
// mode (moving BatchNorm statistics, no dropout) after training.
func TestClassifierLearns(t *testing.T) {
	skipOnWasm(t)
	x, labels := synthDigits(100, 1)
	c := NewClassifier(2)
	opt := classifierOptimizer(c)
	const batch = 20
	bx, by := nn.NewTensor(batch, 28, 28, 1), make([]uint8, batch)
	r := rng.New(3)
	for epoch := range 40 {
		perm := r.Perm(100)
		for s := 0; s < 100; s += batch {
			batchOf(bx, by, x, labels, perm[s:s+batch])
			c.TrainStep(bx, by, opt)
		}
		if epoch >= 20 && accuracy(c, nn.Data(x), labels) >= 0.99 {
			return
		}
	}
	t.Fatalf("training accuracy %.2f after 40 epochs, want ≥ 0.99", accuracy(c, nn.Data(x), labels))
}

// The VAE's loss on 100 fixed examples must fall by at least half.
func TestVAELearns(t *testing.T) {
	skipOnWasm(t)
	// Noise-free strokes: a uniform-noise background has a BCE floor (its
	// own entropy) too close to the starting loss to halve.
	x, _ := synth(100, 4, 0)
	v := NewVAE(5)
	opt := vaeOptimizer(v)
	// Small batches: the decoder ends in BatchNorm, whose γ and β (which
	// bound how far the logits can saturate) grow by about lr per step, so the
	// loss falls with the number of steps more than with images seen.
	const batch = 5
	bx := nn.NewTensor(batch, 28, 28, 1)
	r := rng.New(6)
	epochLoss := func(train bool) float64 {
		perm := r.Perm(100)
		var sum float64
		for s := 0; s < 100; s += batch {
			batchOf(bx, nil, x, nil, perm[s:s+batch])
			if train {
				sum += v.TrainStep(bx, opt)
			} else {
				sum += v.Gradients(bx)
			}
		}
		return sum / (100 / batch)
	}
	first := epochLoss(false)
	var last float64
	for range 40 {
		last = epochLoss(true)
	}
	if !(last <= first/2) {
		t.Fatalf("VAE loss %.1f → %.1f, want at most half", first, last)
	}
	t.Logf("VAE loss per epoch %.1f → %.1f", first, last)
}
