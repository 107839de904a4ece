package study

import (
	"context"
	"runtime"
	"slices"
	"testing"
)

// TestSplitRunGivesTheSameArms backs the page's worker pool
// (static/pool.js splitRun): a run cut into the baseline alone and the
// other arms, each a Run of its own on a separate worker, must give the
// numbers the whole run gives, arm for arm.
func TestSplitRunGivesTheSameArms(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("trains several classifiers three times; checked natively")
	}
	d := loadMNIST(t)
	cfg := tiny()
	cfg.Arms = []string{ArmBaseline, ArmVAE, ArmStepMatched}
	run := func(arms ...string) *Result {
		c := cfg
		c.Arms = arms
		res, err := Run(context.Background(), c, d, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	whole := run(cfg.Arms...)
	alone := run(ArmBaseline)
	rest := run(ArmVAE, ArmStepMatched)
	if !slices.Equal(rest.Snapshots, whole.Snapshots) || len(alone.Snapshots) != 0 {
		t.Errorf("snapshots: whole %+v, parts %+v and %+v", whole.Snapshots, alone.Snapshots, rest.Snapshots)
	}
	parts := append(slices.Clone(alone.Arms), rest.Arms...)
	if len(parts) != len(whole.Arms) {
		t.Fatalf("%d arms in the parts, %d in the whole run", len(parts), len(whole.Arms))
	}
	for i, a := range whole.Arms {
		b := parts[i]
		a.Seconds, b.Seconds = 0, 0
		if a != b {
			t.Errorf("arm %d differs:\nwhole %+v\nparts %+v", i, a, b)
		}
	}
}
