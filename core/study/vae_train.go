package study

import (
	"context"

	"vaeaug/core/model"
	"vaeaug/core/optim"
	"vaeaug/core/rng"
)

// vaeLevel is a VAE snapshot with its weights.
type vaeLevel struct {
	Snapshot
	weights []float32
}

// trainVAE trains a VAE on the originals with RMSprop (Keras defaults) and
// returns a snapshot after each epoch in cfg.SnapshotEpochs. The last
// partial batch of an epoch is kept (as Keras does).
func trainVAE(ctx context.Context, cfg Config, orig imageSet, v *model.VAE, h *Hooks) ([]vaeLevel, error) {
	opt := optim.NewRMSprop(v.Params(), cfg.vaeLR(), 0.9)
	r := rng.New(cfg.Seed).Child(streamVAEShuffle)
	n := orig.len()
	x := newImageBatch(cfg.VAEBatch)
	var levels []vaeLevel
	images := 0
	watch := lossWatch{stage: "train VAE", lr: cfg.vaeLR()}
	for epoch := 1; epoch <= cfg.VAEEpochs; epoch++ {
		perm := r.Perm(n)
		var sum, recon, kl float64
		for s := 0; s < n; s += cfg.VAEBatch {
			idx := perm[s:min(s+cfg.VAEBatch, n)]
			b := len(idx)
			orig.fill(x.x, nil, idx)
			loss := v.TrainStep(x.tensor(b), opt)
			if err := watch.check(loss, "epoch", epoch); err != nil {
				return nil, err
			}
			// Rounded products: no FMA, so the losses reported are the
			// same on every platform.
			sum += float64(loss * float64(b))
			recon += float64(v.Loss.Recon * float64(b))
			kl += float64(v.Loss.KL * float64(b))
			images += b
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			h.progress(Progress{Stage: StageVAE, Done: epoch - 1, Total: cfg.VAEEpochs, Loss: loss, Images: images})
		}
		snap := Snapshot{Level: len(levels), Epoch: epoch, Loss: sum / float64(n), Recon: recon / float64(n), KL: kl / float64(n)}
		h.progress(Progress{Stage: StageVAE, Done: epoch, Total: cfg.VAEEpochs, Loss: snap.Loss, Images: images})
		if len(levels) < len(cfg.SnapshotEpochs) && epoch == cfg.SnapshotEpochs[len(levels)] {
			levels = append(levels, vaeLevel{Snapshot: snap, weights: saveParams(nil, v.Params())})
			if h.Snapshot != nil {
				h.Snapshot(snap, v)
			}
		}
	}
	return levels, nil
}

// Random streams of a run: each use draws from its own child of the seed,
// so adding an arm never changes the numbers of another.
const (
	streamVAEInit uint64 = iota + 1
	streamVAEShuffle
	streamClassifierInit
	streamClassifierShuffle
	streamGenerate
	streamClassic
	streamNoise
	streamSubset
)
