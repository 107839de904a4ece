package study

import (
	"context"
	"runtime"
	"slices"
	"testing"
)

// TestSplitRunGivesTheSameArms backs the page's worker pool
// (static/pool.js splitRun): a run cut into parts, each a Run of its own
// on a separate worker, must give the numbers the whole run gives, arm for
// arm. The pool cuts a run into the baseline alone and the other arms or,
// with several VAE levels, into the arms of the later levels and the rest,
// whose VAE trains only to the first snapshot.
func TestSplitRunGivesTheSameArms(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("trains several classifiers three times; checked natively")
	}
	d := loadMNIST(t)
	cfg := tiny()
	cfg.Arms = []string{ArmBaseline, ArmVAE, ArmStepMatched}
	run := func(c Config) *Result {
		res, err := Run(context.Background(), c, d, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	with := func(arms ...string) Config {
		c := cfg
		c.Arms = arms
		return c
	}
	whole := run(cfg)
	if len(whole.Snapshots) != 2 {
		t.Fatalf("the whole run took %d snapshots, want 2 levels", len(whole.Snapshots))
	}
	same := func(what string, parts ...*Result) {
		t.Helper()
		var arms []ArmResult
		for _, p := range parts {
			arms = append(arms, p.Arms...)
		}
		if len(arms) != len(whole.Arms) {
			t.Fatalf("%s: %d arms in the parts, %d in the whole run", what, len(arms), len(whole.Arms))
		}
		for i, a := range whole.Arms {
			b := arms[i]
			a.Seconds, b.Seconds = 0, 0
			if a != b {
				t.Errorf("%s: arm %d differs:\nwhole %+v\nparts %+v", what, i, a, b)
			}
		}
	}

	alone, rest := run(with(ArmBaseline)), run(with(ArmVAE, ArmStepMatched))
	if !slices.Equal(rest.Snapshots, whole.Snapshots) || len(alone.Snapshots) != 0 {
		t.Errorf("snapshots: whole %+v, parts %+v and %+v", whole.Snapshots, alone.Snapshots, rest.Snapshots)
	}
	same("baseline alone", alone, rest)

	first := cfg
	first.VAEEpochs, first.SnapshotEpochs = cfg.SnapshotEpochs[0], cfg.SnapshotEpochs[:1]
	later := with(ArmVAE, ArmStepMatched)
	later.Levels = []int{1}
	early, late := run(first), run(later)
	if !slices.Equal(late.Snapshots, whole.Snapshots) || !slices.Equal(early.Snapshots, whole.Snapshots[:1]) {
		t.Errorf("snapshots: whole %+v, parts %+v and %+v", whole.Snapshots, early.Snapshots, late.Snapshots)
	}
	same("by level", early, late)
}
