package study

import (
	"cmp"
	"fmt"
	"slices"
)

// Config fully describes one run. Zero fields take the defaults of Defaults.
type Config struct {
	N    int      `json:"n"`    // originals, a positive multiple of 10 (n/10 per class)
	K    []int    `json:"k"`    // generated copies per original, one augmented arm per k
	Arms []string `json:"arms"` // which arms to train (ArmBaseline, ArmVAE, …)
	// ControlK, when not empty, limits the control arms (step-matched and
	// noise) to these k, so a grid can carry the controls at one k without
	// paying for them at every k. Empty means every k.
	ControlK []int  `json:"control_k,omitempty"`
	Seed     uint64 `json:"seed"`

	// VAE training: VAEEpochs epochs of VAEBatch images with RMSprop(1e-3).
	// Snapshots are taken after each epoch listed in SnapshotEpochs (the
	// training levels; the last is the fully trained VAE).
	VAEBatch       int   `json:"vae_batch"`
	VAEEpochs      int   `json:"vae_epochs"`
	SnapshotEpochs []int `json:"snapshot_epochs"`
	// Levels, when not empty, limits the arms that sample the VAE (and
	// their step-matched controls) to these levels, indexes into
	// SnapshotEpochs; the VAE still trains for VAEEpochs. The page's pool
	// splits a run by level with it, so that the arms of the last level
	// train beside those of the first.
	Levels []int `json:"levels,omitempty"`

	// Classifier training with Adam(2e-4, 0.9, 0.99, clip 1, decay 1e-8):
	// validation accuracy is measured every EvalEvery steps on ValSize
	// held-out images; training stops after Patience evaluations without
	// improvement or at MaxSteps, and the best weights are kept.
	Batch     int `json:"batch"`
	EvalEvery int `json:"eval_every"`
	Patience  int `json:"patience"`
	MaxSteps  int `json:"max_steps"`
	ValSize   int `json:"val_size"`
	// TestSize is how many test images score the kept weights (10,000 is
	// the full MNIST test set).
	TestSize int `json:"test_size"`

	// LR and VAELR override the optimisers' learning rates (the article's
	// 2e-4 for Adam and 1e-3 for RMSprop when zero). They are for trying
	// the method's sensitivity; zero keeps results files unchanged.
	LR    float64 `json:"lr,omitempty"`
	VAELR float64 `json:"vae_lr,omitempty"`
}

// Article's learning rates, used when Config.LR or Config.VAELR is zero.
const (
	DefaultLR    = 2e-4
	DefaultVAELR = 1e-3
	// MaxLR bounds a given learning rate; far above any useful value, it
	// still lets a user watch a run diverge.
	MaxLR = 1000
)

// classifierLR and vaeLR are the learning rates a run uses.
func (c Config) classifierLR() float64 { return cmp.Or(c.LR, DefaultLR) }
func (c Config) vaeLR() float64        { return cmp.Or(c.VAELR, DefaultVAELR) }

// Defaults are the settings of the article's protocol as far as it states
// them, and our choices where it is silent (see README).
func Defaults() Config {
	return Config{
		N: 100, K: []int{10}, Arms: []string{ArmBaseline, ArmVAE}, Seed: 1,
		VAEBatch: 32, VAEEpochs: 200, SnapshotEpochs: []int{50, 200},
		Batch: 32, EvalEvery: 100, Patience: 5, MaxSteps: 3000,
		ValSize: 2000, TestSize: 10000,
	}
}

// Quick are budgets for a fast look (about a minute per run natively).
func Quick() Config {
	c := Defaults()
	c.VAEEpochs, c.SnapshotEpochs = 30, []int{30}
	c.EvalEvery, c.Patience, c.MaxSteps = 25, 4, 400
	c.ValSize, c.TestSize = 1000, 2000
	return c
}

// WithDefaults fills the zero fields of c from d.
func (c Config) WithDefaults(d Config) Config {
	if c.N == 0 {
		c.N = d.N
	}
	if len(c.K) == 0 {
		c.K = d.K
	}
	if len(c.Arms) == 0 {
		c.Arms = d.Arms
	}
	if c.Seed == 0 {
		c.Seed = d.Seed
	}
	fill := func(v *int, dv int) {
		if *v == 0 {
			*v = dv
		}
	}
	fill(&c.VAEBatch, d.VAEBatch)
	fill(&c.VAEEpochs, d.VAEEpochs)
	if len(c.SnapshotEpochs) == 0 {
		c.SnapshotEpochs = d.SnapshotEpochs
	}
	fill(&c.Batch, d.Batch)
	fill(&c.EvalEvery, d.EvalEvery)
	fill(&c.Patience, d.Patience)
	fill(&c.MaxSteps, d.MaxSteps)
	fill(&c.ValSize, d.ValSize)
	fill(&c.TestSize, d.TestSize)
	return c
}

// Limits on settings a user may give; beyond them a run is refused up front
// rather than failing (or exhausting memory) half-way.
const (
	MaxN         = 6000   // originals: 600 per class
	MaxK         = 1000   // copies per original
	MaxGenerated = 250000 // n·k images held as bytes (≈196 MB)
	MaxEpochs    = 10000
	MaxSteps     = 1000000
	MaxBatch     = 1024
)

var knownArms = []string{ArmBaseline, ArmStepMatched, ArmNoise, ArmVAE, ArmClassic, ArmVAEClassic}

// Validate returns an error naming the first setting that is out of range.
func (c Config) Validate() error {
	switch {
	case c.N <= 0 || c.N%10 != 0 || c.N > MaxN:
		return fmt.Errorf("n = %d: want a multiple of 10 from 10 to %d (n/10 originals per class)", c.N, MaxN)
	case len(c.Arms) == 0:
		return fmt.Errorf("arms: none chosen")
	case c.VAEBatch < 1 || c.VAEBatch > MaxBatch || c.Batch < 1 || c.Batch > MaxBatch:
		return fmt.Errorf("batch sizes %d (VAE) and %d (classifier): want 1 to %d", c.VAEBatch, c.Batch, MaxBatch)
	case c.VAEEpochs < 1 || c.VAEEpochs > MaxEpochs:
		return fmt.Errorf("VAE epochs = %d: want 1 to %d", c.VAEEpochs, MaxEpochs)
	case c.EvalEvery < 1 || c.Patience < 1 || c.MaxSteps < 1 || c.MaxSteps > MaxSteps:
		return fmt.Errorf("eval every %d, patience %d, max steps %d: want positive values, max steps at most %d",
			c.EvalEvery, c.Patience, c.MaxSteps, MaxSteps)
	case c.ValSize < 10 || c.TestSize < 10:
		return fmt.Errorf("validation size %d, test size %d: want at least 10 each", c.ValSize, c.TestSize)
	case !(c.LR >= 0 && c.LR <= MaxLR) || !(c.VAELR >= 0 && c.VAELR <= MaxLR):
		return fmt.Errorf("learning rates %g (classifier) and %g (VAE): want a number above 0 and at most %d (0 = the article's %g and %g)",
			c.LR, c.VAELR, MaxLR, DefaultLR, DefaultVAELR)
	}
	for _, k := range c.ControlK {
		if !slices.Contains(c.K, k) {
			return fmt.Errorf("control k = %d: want one of the run's k %v", k, c.K)
		}
	}
	for _, a := range c.Arms {
		if !slices.Contains(knownArms, a) {
			return fmt.Errorf("arm %q: want one of %v", a, knownArms)
		}
	}
	if c.needsK() {
		if len(c.K) == 0 {
			return fmt.Errorf("k: none given for an augmented arm")
		}
		for _, k := range c.K {
			if k < 1 || k > MaxK {
				return fmt.Errorf("k = %d: want 1 to %d", k, MaxK)
			}
			if c.N*k > MaxGenerated {
				return fmt.Errorf("n·k = %d·%d = %d generated images: at most %d fit in memory", c.N, k, c.N*k, MaxGenerated)
			}
		}
	}
	for i, e := range c.SnapshotEpochs {
		if e < 1 || e > c.VAEEpochs || (i > 0 && e <= c.SnapshotEpochs[i-1]) {
			return fmt.Errorf("snapshot epochs %v: want increasing values from 1 to the VAE epochs (%d)", c.SnapshotEpochs, c.VAEEpochs)
		}
	}
	for i, l := range c.Levels {
		if l < 0 || l >= len(c.SnapshotEpochs) || (i > 0 && l <= c.Levels[i-1]) {
			return fmt.Errorf("levels %v: want increasing indexes into the %d snapshot epochs", c.Levels, len(c.SnapshotEpochs))
		}
	}
	// Last, so that the estimate's inputs are known to be in range.
	return c.checkMemory()
}

// trainsLevel reports whether the arms of VAE level l train.
func (c Config) trainsLevel(l int) bool {
	return len(c.Levels) == 0 || slices.Contains(c.Levels, l)
}

// controlAt reports whether the control arms train at k.
func (c Config) controlAt(k int) bool {
	return len(c.ControlK) == 0 || slices.Contains(c.ControlK, k)
}

// needsK reports whether any configured arm generates copies.
func (c Config) needsK() bool {
	for _, a := range c.Arms {
		if a != ArmBaseline {
			return true
		}
	}
	return false
}

// needsVAE reports whether any configured arm samples the VAE.
func (c Config) needsVAE() bool {
	return slices.Contains(c.Arms, ArmVAE) || slices.Contains(c.Arms, ArmVAEClassic) || slices.Contains(c.Arms, ArmNoise)
}
