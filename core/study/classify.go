package study

import (
	"context"
	"fmt"

	"vaeaug/core/model"
	"vaeaug/core/nn"
	"vaeaug/core/optim"
	"vaeaug/core/rng"
)

// evalBatch is the batch size for inference (validation and test).
const evalBatch = 100

// trainer trains classifiers; it owns the model and the buffers that every
// arm of a run reuses.
type trainer struct {
	cfg       Config
	c         *model.Classifier
	val, test imageSet
	x         *imageBatch
	y         []uint8
	best      []float32
	h         *Hooks
}

func newTrainer(cfg Config, val, test imageSet, h *Hooks) *trainer {
	return &trainer{
		cfg: cfg, c: model.NewClassifier(1), val: val, test: test, h: h,
		x: newImageBatch(max(cfg.Batch, evalBatch)),
		y: make([]uint8, max(cfg.Batch, evalBatch)),
	}
}

// budget says how long an arm trains: until Patience evaluations pass
// without a better validation accuracy, but never fewer than minSteps nor
// more than maxSteps.
type budget struct{ minSteps, maxSteps int }

// train fits a fresh classifier (initialised from the run's seed, so every
// arm starts from the same weights) to set, and returns the arm's result
// with the best-on-validation weights loaded into t.c.
func (t *trainer) train(ctx context.Context, set imageSet, b budget, res ArmResult) (ArmResult, error) {
	cfg := t.cfg
	t.c.Reset(rng.New(cfg.Seed).Child(streamClassifierInit).Uint64())
	opt := optim.NewAdam(t.c.Params(), cfg.classifierLR(), 0.9, 0.99, 1.0, 1e-8)
	r := rng.New(cfg.Seed).Child(streamClassifierShuffle)
	n := set.len()
	res.TrainSize = n
	p := Progress{Stage: StageClassify, Arm: res.Arm, K: res.K, VAELevel: res.VAELevel, Total: b.maxSteps}
	bestAcc, sinceBest := -1.0, 0
	step := 0
	watch := lossWatch{stage: fmt.Sprintf("train classifier (%s)", res.Arm), lr: cfg.classifierLR()}
	for step < b.maxSteps {
		perm := r.Perm(n)
		for s := 0; s < n && step < b.maxSteps; s += cfg.Batch {
			idx := perm[s:min(s+cfg.Batch, n)]
			bs := len(idx)
			set.fill(t.x.x, t.y, idx)
			loss := t.c.TrainStep(t.x.tensor(bs), t.y[:bs], opt)
			if err := watch.check(loss, "step", step+1); err != nil {
				return res, err
			}
			step++
			if err := ctx.Err(); err != nil {
				return res, err
			}
			p.Done, p.Loss, p.Images = step, loss, p.Images+bs
			if step%cfg.EvalEvery == 0 || step == b.maxSteps {
				acc, _, err := t.accuracy(ctx, t.val, cfg.ValSize, p)
				if err != nil {
					return res, err
				}
				p.ValAcc = acc
				if acc > bestAcc {
					bestAcc, sinceBest = acc, 0
					res.BestStep = step
					t.best = saveParams(t.best, t.c.Params())
				} else {
					sinceBest++
				}
			}
			t.h.progress(p)
			if sinceBest >= cfg.Patience && step >= b.minSteps {
				b.maxSteps = step // stop: plateau reached
			}
		}
	}
	res.Steps = step
	loadParams(t.c.Params(), t.best)
	res.ValAcc = bestAcc
	var err error
	res.TestAcc, res.Confusion, err = t.accuracy(ctx, t.test, cfg.TestSize,
		Progress{Stage: StageEvaluate, Arm: res.Arm, K: res.K, VAELevel: res.VAELevel})
	if err != nil {
		return res, err
	}
	for c := range 10 {
		total := 0
		for _, v := range res.Confusion[c] {
			total += v
		}
		if total > 0 {
			res.PerClass[c] = float64(res.Confusion[c][c]) / float64(total)
		}
	}
	return res, nil
}

// accuracy scores the classifier in inference mode on the first limit
// images of set and returns the accuracy and the confusion matrix
// (confusion[true][predicted]). A pass over thousands of images takes long
// enough in a browser that it reports progress (p, with Images counting the
// images scored) after every batch, and stops if ctx is cancelled.
func (t *trainer) accuracy(ctx context.Context, set imageSet, limit int, p Progress) (float64, [10][10]int, error) {
	var conf [10][10]int
	n := min(limit, set.len())
	idx := make([]int, 0, evalBatch)
	right := 0
	for s := 0; s < n; s += evalBatch {
		idx = idx[:0]
		for i := s; i < min(s+evalBatch, n); i++ {
			idx = append(idx, i)
		}
		b := len(idx)
		set.fill(t.x.x, t.y, idx)
		logits := nn.Data(t.c.Logits(t.x.tensor(b)))
		for i := range b {
			pred := argmax(logits[i*10 : (i+1)*10])
			conf[t.y[i]][pred]++
			if pred == int(t.y[i]) {
				right++
			}
		}
		if err := ctx.Err(); err != nil {
			return 0, conf, err
		}
		if p.Stage == StageEvaluate {
			p.Done, p.Total = s+b, n
		}
		p.Images += b
		t.h.progress(p)
	}
	return float64(right) / float64(n), conf, nil
}

func argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
