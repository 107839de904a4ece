package study

import (
	"context"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"vaeaug/core/model"
	"vaeaug/core/nn"
)

// liveHeap collects garbage and returns the bytes of heap still reachable.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func TestEstimateMemoryGrowsWithNK(t *testing.T) {
	est := func(n, k int) Memory {
		return EstimateMemory(Config{N: n, K: []int{k}}.WithDefaults(Defaults()))
	}
	// Increasing n·k: 1,000 … 200,000 generated images.
	cells := [][2]int{{100, 10}, {100, 50}, {200, 50}, {400, 50}, {100, 250}, {400, 250}, {800, 250}, {6000, 40}}
	var last int64
	for _, c := range cells {
		m := est(c[0], c[1])
		if m.Total() <= last {
			t.Errorf("n=%d k=%d: estimate %d does not exceed the previous cell's %d", c[0], c[1], m.Total(), last)
		}
		last = m.Total()
		// The training set: n originals and n·k copies of 785 bytes, plus
		// the originals' own copy.
		n, k := int64(c[0]), int64(c[1])
		if want := (n+n*k)*785 + n*793; m.TrainSet != want {
			t.Errorf("n=%d k=%d: training set %d bytes, want %d", c[0], c[1], m.TrainSet, want)
		}
	}
	// 1,000 more generated images cost their bytes and a sixteenth (the
	// garbage allowance), whatever the split between n and k.
	a, b := est(100, 20), est(100, 30)
	if d := b.Total() - a.Total(); d < 1000*785 || d > 1000*785*17/16+1024 {
		t.Errorf("1,000 more generated images add %d bytes to the estimate", d)
	}
	// What does not change it: the budgets (but one VAE snapshot more
	// costs a copy of its weights).
	c := Config{N: 800, K: []int{250}}.WithDefaults(Defaults())
	q := Config{N: 800, K: []int{250}, SnapshotEpochs: []int{10, 30}}.WithDefaults(Quick())
	if EstimateMemory(c) != EstimateMemory(q) {
		t.Errorf("the budgets changed the estimate: %+v vs %+v", EstimateMemory(c), EstimateMemory(q))
	}
	// Larger batches need larger buffers.
	c.Batch, c.VAEBatch = 64, 64
	if EstimateMemory(c).Total() <= EstimateMemory(q).Total() {
		t.Error("doubling the batch sizes did not raise the estimate")
	}
	// A k list whose set grows holds the old set while copying it.
	l := Config{N: 800, K: []int{10, 50, 250}}.WithDefaults(Defaults())
	if got, want := EstimateMemory(l).TrainSet, est(800, 250).TrainSet+800*51*785; got != want {
		t.Errorf("k = 10,50,250: training set %d, want %d", got, want)
	}
}

func TestArticleCellsFitTheCeiling(t *testing.T) {
	for _, base := range []Config{Defaults(), Quick()} {
		for _, n := range []int{100, 200, 400, 800} {
			for _, ks := range [][]int{{10}, {50}, {250}, {10, 50, 250}} {
				c := base
				c.N, c.K = n, ks
				c.Arms = []string{ArmBaseline, ArmVAE, ArmStepMatched, ArmNoise, ArmClassic, ArmVAEClassic}
				if err := c.Validate(); err != nil {
					t.Errorf("n=%d k=%v: %v", n, ks, err)
				}
			}
		}
	}
	c := Config{N: 800, K: []int{250}}.WithDefaults(Defaults())
	t.Logf("n=800 k=250: estimate %s (%+v), ceiling %s", mib(EstimateMemory(c).Total()), EstimateMemory(c), mib(MemoryCeiling))
}

func TestValidateRefusesOverTheCeiling(t *testing.T) {
	ceiling := "over the " + mib(MemoryCeiling) + " ceiling"
	cases := []struct {
		name string
		edit func(*Config)
		want []string
	}{
		{"largest cell, VAE batch 320", func(c *Config) { c.N, c.K, c.VAEBatch = 800, []int{250}, 320 },
			[]string{"n = 800, k = 250:", "MiB of memory", ceiling}},
		{"largest cell, classifier batch 512", func(c *Config) { c.N, c.K, c.Batch = 800, []int{250}, 512 },
			[]string{"n = 800, k = 250:", ceiling}},
		{"most images allowed, batches 256", func(c *Config) { c.N, c.K, c.Batch, c.VAEBatch = 6000, []int{40}, 256, 256 },
			[]string{"n = 6000, k = 40:", ceiling}},
		{"baseline only, batch 1024", func(c *Config) { c.Arms, c.Batch = []string{ArmBaseline}, 1024 },
			[]string{"n = 100, k = none:", ceiling}},
	}
	for _, tc := range cases {
		c := Defaults()
		tc.edit(&c)
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: accepted (estimate %s)", tc.name, mib(EstimateMemory(c).Total()))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, w)
			}
		}
		// The estimate named is the one refused.
		if !strings.Contains(err.Error(), "about "+mib(EstimateMemory(c).Total())) {
			t.Errorf("%s: error %q does not give the estimate %s", tc.name, err, mib(EstimateMemory(c).Total()))
		}
	}
}

// TestModelBuffers checks the per-image buffer sizes and parameter counts
// that the estimate assumes against what the models really allocate.
func TestModelBuffers(t *testing.T) {
	near := func(what string, got, want int64) {
		t.Helper()
		if got < want*98/100 || got > want*102/100 {
			t.Errorf("%s: %d bytes measured, the estimate assumes %d", what, got, want)
		}
	}
	count := func(ps []*nn.Param) (n int) {
		for _, p := range ps {
			n += p.Size()
		}
		return n
	}
	x := make([]float32, 100*784)
	for i := range x {
		x[i] = float32(i%255) / 255
	}
	labels := make([]uint8, 100)
	for i := range labels {
		labels[i] = uint8(i % 10)
	}
	c := model.NewClassifier(1)
	if n := count(c.Params()); n != clfParams {
		t.Errorf("classifier: %d parameters, the estimate assumes %d", n, clfParams)
	}
	// A pass over 10 images sizes the per-model buffers (Winograd kernels,
	// the kernels' scratch if no test grew it yet); one over 100 then
	// outgrows the per-image ones. One core, as in the browser: each core
	// the kernels use has its own scratch.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	fixed := func(what string, got, model int64) {
		t.Helper()
		if got < model*98/100 || got > model+4*kernelScratchFloats+256<<10 {
			t.Errorf("%s: %d bytes beside the per-image buffers; the estimate assumes %d, plus up to %d of shared scratch",
				what, got, model, 4*kernelScratchFloats)
		}
	}
	h0 := liveHeap()
	c.Logits(nn.FromSlice(x[:10*784], 10, 28, 28, 1))
	h1 := liveHeap()
	c.Logits(nn.FromSlice(x, 100, 28, 28, 1))
	h2 := liveHeap()
	near("classifier forward, per image", (h2-h1)/90, 4*clfForwardFloats)
	fixed("classifier forward", h1-h0-10*4*clfForwardFloats, 4*clfWinogradFloats)
	c.Gradients(nn.FromSlice(x[:32*784], 32, 28, 28, 1), labels[:32])
	h3 := liveHeap()
	// Training adds, beside its per-image buffers, the Winograd
	// transforms of the adjoint kernels.
	near("classifier training, per image", (h3-h2-4*clfWinogradFloats)/32, 4*clfTrainFloats)
	runtime.KeepAlive(c)

	v := model.NewVAE(1)
	if n := count(v.Params()); n != vaeParams {
		t.Errorf("VAE: %d parameters, the estimate assumes %d", n, vaeParams)
	}
	h0 = liveHeap()
	mean, _ := v.Encode(nn.FromSlice(x[:10*784], 10, 28, 28, 1))
	v.Decode(mean)
	h1 = liveHeap()
	mean, _ = v.Encode(nn.FromSlice(x[:50*784], 50, 28, 28, 1))
	v.Decode(mean)
	h2 = liveHeap()
	near("VAE encode and decode, per image", (h2-h1)/40, 4*(vaeEncodeFloats+vaeDecodeFloats))
	fixed("VAE encode and decode", h1-h0-10*4*(vaeEncodeFloats+vaeDecodeFloats), 4*vaeWinogradFloats)
	v.Gradients(nn.FromSlice(x[:32*784], 32, 28, 28, 1))
	h3 = liveHeap()
	near("VAE training, per image", (h3-h2-4*vaeWinogradFloats)/32, 4*vaeTrainFloats)
	runtime.KeepAlive(v)
}

// TestEstimateBoundsARealRun runs a small config natively, measuring the
// live heap (after a collection) at progress calls. The run's own
// parts of the estimate (training set and models) must match what it
// allocates to within a few percent, and the whole estimate must be above
// the peak, and without what only the browser worker holds (kept and
// serving models, about 140 MB) not above it by more than half: it also
// has an allowance for garbage and the runtime.
func TestEstimateBoundsARealRun(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("collects garbage during the run; checked natively")
	}
	t0 := time.Now()
	d := loadMNIST(t)
	cfg := tiny()
	// Small, but with every buffer at its full size: classifier batches of
	// 32, validation and test passes of 100 images, VAE batches of 32 and
	// one generated batch of 50.
	cfg.Arms = []string{ArmBaseline, ArmVAE}
	cfg.N, cfg.K = 50, []int{1}
	cfg.Batch, cfg.MaxSteps = 32, 5
	cfg.VAEEpochs, cfg.SnapshotEpochs = 1, []int{1}
	cfg.ValSize, cfg.TestSize = 100, 100
	base := liveHeap() // the data, and whatever the test binary holds
	var peak int64
	calls, collections := 0, 0
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	_, err := Run(context.Background(), cfg, d, Hooks{Progress: func(Progress) {
		calls++
		// The heap's objects, garbage included, bound the live ones: only
		// when they exceed the peak so far can a collection find more.
		if metrics.Read(heap); int64(heap[0].Value.Uint64()) > peak {
			collections++
			peak = max(peak, liveHeap())
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(d) // as the worker keeps its data
	m := EstimateMemory(cfg)
	run, own := peak-base, m.TrainSet+m.Classifier+m.VAE
	t.Logf("%v, %d progress calls, %d collections; before the run %s (estimated data %s); the run's peak %s, its parts estimated at %s; "+
		"peak %s, estimate %s (ratio %.2f)", time.Since(t0).Round(time.Second), calls, collections, mib(base), mib(m.Data), mib(run), mib(own),
		mib(peak), mib(m.Total()), float64(m.Total())/float64(peak))
	if run < own*95/100 || run > own*102/100 {
		t.Errorf("the run's live heap grew by %d bytes; its parts are estimated at %d", run, own)
	}
	if m.Data > base || m.Data < base*9/10 {
		t.Errorf("the data is estimated at %d bytes; the heap held %d before the run", m.Data, base)
	}
	// What only the browser worker holds is no part of a native run, so
	// the bound on the excess leaves it out.
	if m.Total() < peak || m.Total()-m.Worker > peak*3/2 {
		t.Errorf("the estimate %d (%d without the worker's part) is not between the live peak %d and half as much again",
			m.Total(), m.Total()-m.Worker, peak)
	}
}
