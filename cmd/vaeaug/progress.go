package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"vaeaug/core/study"
)

// bars shows one progress bar per stage of a run (a new bar whenever the
// stage, arm, k or VAE level changes), with speed and time left.
type bars struct {
	w      io.Writer
	prefix string
	key    string
	desc   string
	bar    *progressbar.ProgressBar
	start  time.Time
}

func (b *bars) update(p study.Progress) {
	key := fmt.Sprintf("%s|%s|%d|%d", p.Stage, p.Arm, p.K, p.VAELevel)
	if key != b.key || b.bar == nil {
		b.finish()
		b.key, b.start = key, time.Now()
		desc := b.prefix + " " + p.Stage
		if p.Arm != "" {
			desc += " " + p.Arm
		}
		if p.K > 0 {
			desc += fmt.Sprintf(" k=%d", p.K)
		}
		if p.VAELevel >= 0 && p.Arm != study.ArmBaseline && p.Arm != study.ArmClassic && p.Stage != study.StageVAE {
			desc += fmt.Sprintf(" level %d", p.VAELevel)
		}
		b.desc = desc
		b.bar = progressbar.NewOptions(max(p.Total, 1),
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetWidth(24),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(b.w) }),
		)
	}
	if p.Total > 0 && p.Total != int(b.bar.GetMax64()) {
		b.bar.ChangeMax(p.Total)
	}
	extra := ""
	// A speed over less than half a second says more about timer resolution
	// than about training.
	if s := time.Since(b.start).Seconds(); s > 0.5 && p.Images > 0 {
		extra = fmt.Sprintf(" %.0f img/s", float64(p.Images)/s)
	}
	if p.Loss != 0 {
		extra += fmt.Sprintf(" loss %.3f", p.Loss)
	}
	if p.ValAcc != 0 {
		extra += fmt.Sprintf(" val %.1f%%", 100*p.ValAcc)
	}
	b.bar.Describe(b.desc + extra)
	b.bar.Set(p.Done)
}

// finish closes the current bar, if any.
func (b *bars) finish() {
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
	}
}
