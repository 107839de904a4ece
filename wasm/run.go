//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"vaeaug/core/model"
	"vaeaug/core/study"
)

const (
	// postEvery is the least time between two progress events, except
	// for those that carry news (a new stage, an evaluation, the end).
	postEvery = 100 * time.Millisecond
	// maxShown is how many generated images per original the samples event
	// carries.
	maxShown = 10
)

// run is one study.Run in progress.
type run struct {
	w      *worker
	id     int
	cfg    study.Config
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	resume chan struct{} // non-nil while paused; closed to resume

	// Progress bookkeeping, touched only by the run's goroutine.
	key      string    // stage, arm, k and level of the last event
	t0       time.Time // first event of the stage
	images0  int       // its image count
	frac0    float64   // its fraction of the stage
	lastPost time.Time
	pending  keptRun // what the run keeps, committed when it finishes
}

// start decodes and validates the config, then runs it in a goroutine.
// Invalid configs are refused with an error naming the setting.
func (w *worker) start(req request) error {
	cfg, err := w.decodeConfig(req)
	if err != nil {
		return err
	}
	runID, err := optInt(req.msg, "runId", req.id)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur != nil {
		return fmt.Errorf("run %d is in progress: stop it first", w.cur.id)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{w: w, id: runID, cfg: cfg, ctx: ctx, cancel: cancel}
	w.cur = r
	w.emit(startedEvent{Type: "started", ID: req.id, RunID: runID, Config: cfg,
		MemoryEstimate: study.EstimateMemory(cfg).Total(), MemoryCeiling: study.MemoryCeiling})
	go r.execute()
	return nil
}

// decodeConfig reads the request's "config" object into a study.Config
// (unknown keys are refused), fills it from study.Defaults and validates it.
func (w *worker) decodeConfig(req request) (study.Config, error) {
	var cfg study.Config
	v, err := req.msg.Get("config")
	if err != nil {
		return cfg, err
	}
	if v.IsUndefined() || v.IsNull() {
		return study.Defaults(), nil
	}
	s, err := w.js.stringify(v)
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	cfg = cfg.WithDefaults(study.Defaults())
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// control handles pause, resume and stop.
func (w *worker) control(req request) error {
	w.mu.Lock()
	r := w.cur
	w.mu.Unlock()
	if r == nil {
		if req.typ == "stop" {
			w.emit(runEvent{Type: "stopped", ID: req.id})
			return nil
		}
		return errors.New("no run in progress")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch req.typ {
	case "pause":
		if r.resume == nil {
			r.resume = make(chan struct{})
		}
		w.emit(runEvent{Type: "paused", ID: req.id, RunID: r.id})
	case "resume":
		if r.resume != nil {
			close(r.resume)
			r.resume = nil
		}
		w.emit(runEvent{Type: "resumed", ID: req.id, RunID: r.id})
	case "stop":
		// The run notices at its next progress call and ends with
		// context.Canceled; execute then posts "stopped".
		r.cancel()
		if r.resume != nil {
			close(r.resume)
			r.resume = nil
		}
	}
	return nil
}

// execute runs the study and posts its result, its error or "stopped".
func (r *run) execute() {
	w := r.w
	var res *study.Result
	var err error
	var detail string
	func() {
		defer func() {
			if p := recover(); p != nil {
				err, detail = fmt.Errorf("internal error: %v", p), string(debug.Stack())
			}
		}()
		var d *study.Data
		if d, err = w.waitData(); err != nil {
			err = fmt.Errorf("load: %w", err)
			return
		}
		// Start from a collected heap: the serving models' buffers and
		// the previous run's are garbage by now, and collecting them
		// before this run allocates its own keeps the two from adding up
		// (the Go heap otherwise grows by gcPercent of what is live
		// before it collects, and the wasm memory never shrinks).
		w.kept.release()
		runtime.GC()
		r.lastPost, r.t0 = time.Now(), time.Now()
		res, err = study.Run(r.ctx, r.cfg, d, study.Hooks{
			Progress:  r.progress,
			Snapshot:  r.snapshot,
			Generated: r.generated,
			ArmDone:   r.armDone,
		})
	}()
	// The run's models and training set are garbage now: collect them
	// before the serving models (predict, walk, recon) allocate, rather
	// than let the heap grow first.
	runtime.GC()
	w.mu.Lock()
	w.cur = nil
	w.mu.Unlock()
	cancelled := r.ctx.Err() != nil && errors.Is(err, context.Canceled)
	r.cancel()
	switch {
	case cancelled:
		w.emit(runEvent{Type: "stopped", RunID: r.id})
	case err != nil:
		w.emit(errorEvent{Type: "error", ID: r.id, RunID: r.id, Message: err.Error(), Detail: detail})
	default:
		w.kept.commit(&r.pending)
		w.emit(resultEvent{Type: "result", RunID: r.id, Result: res, memoryFields: w.mem.read()})
	}
}

// progress is the study's Progress hook: it posts progress events (at most
// every postEvery unless there is news), blocks while the run is paused,
// and yields to the event loop every yieldEvery.
func (r *run) progress(p study.Progress) {
	now := time.Now()
	frac := r.fraction(p)
	key := fmt.Sprintf("%s|%s|%d|%d", p.Stage, p.Arm, p.K, p.VAELevel)
	news := p.Done == p.Total ||
		(p.Stage == study.StageClassify && p.Done%r.cfg.EvalEvery == 0)
	if key != r.key {
		r.key, r.t0, r.images0, r.frac0 = key, now, p.Images, frac
		news = true
	}
	if news || now.Sub(r.lastPost) >= postEvery {
		r.lastPost = now
		ev := progressEvent{Type: "progress", RunID: r.id, Stage: p.Stage, Arm: p.Arm, K: p.K,
			Level: p.VAELevel, Done: p.Done, Total: p.Total, Loss: p.Loss, ValAcc: p.ValAcc, Images: p.Images,
			memoryFields: r.w.mem.read()}
		if dt := now.Sub(r.t0).Seconds(); dt > 0 {
			ev.Elapsed = dt
			ev.ImagesPerSec = float64(p.Images-r.images0) / dt
			if df := frac - r.frac0; df > 0 {
				ev.EtaSeconds = dt * (1 - frac) / df
			}
		}
		r.w.emit(ev)
	}
	r.waitWhilePaused()
	r.w.y.Maybe()
}

// fraction is how far into its stage p is, from 0 to 1.
func (r *run) fraction(p study.Progress) float64 {
	if p.Stage == study.StageVAE {
		// Done counts whole epochs; images give a finer measure.
		if all := p.Total * r.cfg.N; all > 0 {
			return min(1, float64(p.Images)/float64(all))
		}
		return 0
	}
	if p.Total <= 0 {
		return 0
	}
	return min(1, float64(p.Done)/float64(p.Total))
}

// waitWhilePaused blocks the run while it is paused; the time spent paused
// is left out of the speed and ETA.
func (r *run) waitWhilePaused() {
	r.mu.Lock()
	ch := r.resume
	r.mu.Unlock()
	if ch == nil {
		return
	}
	t := time.Now()
	select {
	case <-ch:
	case <-r.ctx.Done():
	}
	r.t0 = r.t0.Add(time.Since(t))
}

// snapshot keeps the VAE's weights at each snapshot (the last one serves
// the latent walk) and reports the snapshot.
func (r *run) snapshot(s study.Snapshot, v *model.VAE) {
	r.pending.vae = &keptVAE{info: keptInfo{Arm: "vae", Level: s.Level, Epoch: s.Epoch, RunID: r.id,
		N: r.cfg.N, Seed: r.cfg.Seed}, params: copyParams(v.Params())}
	r.w.emit(snapshotEvent{Type: "snapshot", RunID: r.id, Snapshot: s})
}

// generated posts the first originals and up to maxShown of their
// generated images.
func (r *run) generated(arm string, level, k int, originals [][]uint8, samples [][][]uint8) {
	count := len(originals)
	shown := min(k, maxShown)
	orig := make([]byte, 0, count*784)
	samp := make([]byte, count*shown*784)
	for i, o := range originals {
		orig = append(orig, o...)
		for j := 0; j < shown && j < len(samples[i]); j++ {
			copy(samp[(i*shown+j)*784:], samples[i][j])
		}
	}
	o, err := r.w.js.bytesToJS(orig)
	if err != nil {
		return
	}
	s, err := r.w.js.bytesToJS(samp)
	if err != nil {
		return
	}
	r.w.emit(samplesEvent{Type: "samples", RunID: r.id, Arm: arm, Level: level, K: k, Count: count, Shown: shown},
		binaryField{"originals", o}, binaryField{"samples", s})
}

// armDone keeps the classifier's weights (the baseline's, and the best
// augmented arm's by validation accuracy) and reports the arm.
func (r *run) armDone(a study.ArmResult, c *model.Classifier) {
	info := keptInfo{Arm: a.Arm, K: a.K, Level: a.VAELevel, ValAcc: a.ValAcc, TestAcc: a.TestAcc,
		RunID: r.id, N: r.cfg.N, Seed: r.cfg.Seed}
	switch a.Arm {
	case study.ArmBaseline:
		r.pending.baseline = &keptArm{info: info, params: copyParams(c.Params())}
	case study.ArmStepMatched:
		// a control, not a candidate for the drawing pad
	default:
		if r.pending.augmented == nil || a.ValAcc > r.pending.augmented.info.ValAcc {
			r.pending.augmented = &keptArm{info: info, params: copyParams(c.Params())}
		}
	}
	r.w.emit(armDoneEvent{Type: "armDone", RunID: r.id, Arm: a, memoryFields: r.w.mem.read()})
}
