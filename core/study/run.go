package study

import (
	"context"
	"slices"
	"time"

	"vaeaug/core/data"
	"vaeaug/core/model"
	"vaeaug/core/rng"
)

// showOriginals is how many originals (with their samples) Hooks.Generated
// is shown.
const showOriginals = 10

// Run carries out one configuration on d and returns every arm's result.
// A config error, a diverging loss or a cancelled ctx returns an error (the
// context's own error when cancelled).
func Run(ctx context.Context, cfg Config, d *Data, h Hooks) (*Result, error) {
	start := time.Now()
	cfg = cfg.WithDefaults(Defaults())
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkData(d, cfg); err != nil {
		return nil, err
	}
	sub, err := data.Stratified(d.Pool, cfg.N, cfg.Seed)
	if err != nil {
		return nil, err
	}
	orig := setOf(sub, cfg.N)
	t := newTrainer(cfg, setOf(d.Val, cfg.ValSize), setOf(d.Test, cfg.TestSize), &h)
	res := &Result{Dataset: d.Name, N: cfg.N, Seed: cfg.Seed, Config: cfg}
	has := func(arm string) bool { return slices.Contains(cfg.Arms, arm) }

	finish := func(a ArmResult, err error, started time.Time) error {
		if err != nil {
			return err
		}
		a.Seconds = time.Since(started).Seconds()
		res.Arms = append(res.Arms, a)
		if h.ArmDone != nil {
			h.ArmDone(a, t.c)
		}
		return nil
	}
	if has(ArmBaseline) {
		s := time.Now()
		a, err := t.train(ctx, orig, budget{0, cfg.MaxSteps}, ArmResult{Arm: ArmBaseline, VAELevel: -1})
		if err := finish(a, err, s); err != nil {
			return nil, err
		}
	}

	var levels []vaeLevel
	var vae *model.VAE
	if cfg.needsVAE() {
		vae = model.NewVAE(rng.New(cfg.Seed).Child(streamVAEInit).Uint64())
		if levels, err = trainVAE(ctx, cfg, orig, vae, &h); err != nil {
			return nil, err
		}
		for _, l := range levels {
			res.Snapshots = append(res.Snapshots, l.Snapshot)
		}
	}

	var set imageSet // originals followed by generated copies, reused
	withCopies := func(makeCopies func(*imageSet) (float64, error)) (imageSet, float64, error) {
		set.pix = append(set.pix[:0], orig.pix...)
		set.labels = append(set.labels[:0], orig.labels...)
		spread, err := makeCopies(&set)
		return set, spread, err
	}
	for _, k := range cfg.K {
		if !cfg.needsK() {
			break
		}
		if has(ArmClassic) {
			s := time.Now()
			tr, spread, err := withCopies(func(out *imageSet) (float64, error) {
				return classicCopies(ctx, orig, k, rng.New(cfg.Seed).Child(streamClassic), out, &h, Progress{Stage: StageGenerate, Arm: ArmClassic, K: k, VAELevel: -1})
			})
			if err != nil {
				return nil, err
			}
			showSamples(&h, ArmClassic, -1, k, orig, tr)
			a, err := t.train(ctx, tr, budget{0, cfg.MaxSteps}, ArmResult{Arm: ArmClassic, K: k, VAELevel: -1, PixelStd: spread})
			if err := finish(a, err, s); err != nil {
				return nil, err
			}
			if len(levels) == 0 && has(ArmStepMatched) && cfg.controlAt(k) {
				if err := t.stepMatched(ctx, orig, a, finish); err != nil {
					return nil, err
				}
			}
		}
		for _, lv := range levels {
			if !cfg.trainsLevel(lv.Level) {
				continue
			}
			loadParams(vae.Params(), lv.weights)
			first := -1 // index in res.Arms of the level's first augmented arm
			for _, arm := range []string{ArmVAE, ArmVAEClassic, ArmNoise} {
				if !has(arm) || (arm == ArmNoise && !cfg.controlAt(k)) {
					continue
				}
				s := time.Now()
				p := Progress{Stage: StageGenerate, Arm: arm, K: k, VAELevel: lv.Level}
				// Every arm of a level sees the same VAE samples (the
				// same stream), so they differ only in what is done to them.
				gen := rng.New(cfg.Seed).Child(streamGenerate).Child(uint64(lv.Level)).Child(uint64(k))
				tr, spread, err := withCopies(func(out *imageSet) (float64, error) {
					spread, err := generate(ctx, vae, orig, k, gen, out, &h, p)
					if err != nil {
						return 0, err
					}
					switch arm {
					case ArmVAEClassic:
						err = classicInPlace(ctx, out, orig.len(), rng.New(cfg.Seed).Child(streamClassic), &h, p)
					case ArmNoise:
						// Replace the samples by noisy originals of the same
						// per-pixel spread as the VAE's.
						err = noiseCopies(ctx, orig, k, spread, rng.New(cfg.Seed).Child(streamNoise), out, &h, p)
					}
					return spread, err
				})
				if err != nil {
					return nil, err
				}
				showSamples(&h, arm, lv.Level, k, orig, tr)
				a, err := t.train(ctx, tr, budget{0, cfg.MaxSteps}, ArmResult{Arm: arm, K: k, VAELevel: lv.Level, PixelStd: spread})
				if err := finish(a, err, s); err != nil {
					return nil, err
				}
				if first < 0 {
					first = len(res.Arms) - 1
				}
			}
			if first >= 0 && has(ArmStepMatched) && cfg.controlAt(k) {
				if err := t.stepMatched(ctx, orig, res.Arms[first], finish); err != nil {
					return nil, err
				}
			}
		}
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// stepMatched trains on the originals alone for exactly as many steps as
// the augmented arm aug took, keeping the best-on-validation weights as
// every arm does: the control that separates "more data" from "more
// training".
func (t *trainer) stepMatched(ctx context.Context, orig imageSet, aug ArmResult, finish func(ArmResult, error, time.Time) error) error {
	s := time.Now()
	a, err := t.train(ctx, orig, budget{aug.Steps, aug.Steps}, ArmResult{Arm: ArmStepMatched, K: aug.K, VAELevel: aug.VAELevel})
	return finish(a, err, s)
}

// showSamples hands the first originals and their copies in set to the
// Generated hook.
func showSamples(h *Hooks, arm string, level, k int, orig, set imageSet) {
	if h.Generated == nil {
		return
	}
	n := min(showOriginals, orig.len())
	originals := make([][]uint8, n)
	samples := make([][][]uint8, n)
	base := orig.len()
	for i := range n {
		originals[i] = orig.pix[i*784 : (i+1)*784]
		for j := range k {
			at := base + i*k + j
			samples[i] = append(samples[i], set.pix[at*784:(at+1)*784])
		}
	}
	h.Generated(arm, level, k, originals, samples)
}
