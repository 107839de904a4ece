package study

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"vaeaug/core/data"
	"vaeaug/core/model"
)

// loadMNIST finds the repository's data/mnist (make data) or fails.
func loadMNIST(t *testing.T) *Data {
	t.Helper()
	dir := filepath.Join("..", "..", "data", "mnist")
	if v := os.Getenv("VAEAUG_MNIST_DIR"); v != "" {
		dir = v
	}
	train, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatalf("%v (run `make data` first)", err)
	}
	d, err := NewData("mnist", train, test)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tiny is a config small enough for unit tests.
func tiny() Config {
	c := Quick()
	c.N, c.K = 20, []int{3}
	c.VAEEpochs, c.SnapshotEpochs = 2, []int{1, 2}
	c.Batch, c.EvalEvery, c.Patience, c.MaxSteps = 10, 5, 2, 15
	c.ValSize, c.TestSize = 100, 100
	return c
}

func TestArmsSeeWhatTheyShould(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("trains several classifiers; checked natively")
	}
	d := loadMNIST(t)
	cfg := tiny()
	cfg.Arms = []string{ArmBaseline, ArmVAE, ArmStepMatched, ArmClassic, ArmNoise, ArmVAEClassic}
	var generated []int
	h := Hooks{Generated: func(arm string, level, k int, originals [][]uint8, samples [][][]uint8) {
		for _, s := range samples {
			generated = append(generated, len(s))
		}
	}}
	res, err := Run(context.Background(), cfg, d, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Snapshots) != 2 || res.Snapshots[1].Epoch != 2 {
		t.Fatalf("snapshots %+v, want epochs 1 and 2", res.Snapshots)
	}
	for _, g := range generated {
		if g != 3 {
			t.Fatalf("an original got %d copies, want k = 3", g)
		}
	}
	var vaeSteps = map[int]int{}
	for _, a := range res.Arms {
		switch a.Arm {
		case ArmBaseline, ArmStepMatched:
			if a.TrainSize != cfg.N {
				t.Errorf("%s trained on %d images, want only the %d originals", a.Arm, a.TrainSize, cfg.N)
			}
		default:
			if a.TrainSize != cfg.N*(1+3) {
				t.Errorf("%s trained on %d images, want %d", a.Arm, a.TrainSize, cfg.N*4)
			}
		}
		if a.Arm == ArmVAE {
			vaeSteps[a.VAELevel] = a.Steps
		}
		if a.Arm == ArmStepMatched && a.Steps != vaeSteps[a.VAELevel] {
			t.Errorf("step-matched level %d took %d steps, the VAE arm %d", a.VAELevel, a.Steps, vaeSteps[a.VAELevel])
		}
		if a.TestAcc < 0 || a.TestAcc > 1 || a.Steps < 1 || a.BestStep < 1 || a.BestStep > a.Steps {
			t.Errorf("implausible arm result %+v", a)
		}
	}
	// baseline, classic, then per level: vae, vae+classic, noise, step-matched.
	if len(res.Arms) != 2+2*4 {
		t.Errorf("%d arms, want 10", len(res.Arms))
	}
}

// TestControlK checks that ControlK limits the control arms to its k and
// leaves the VAE arms at every k.
func TestControlK(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("trains several classifiers; checked natively")
	}
	d := loadMNIST(t)
	cfg := tiny()
	cfg.K, cfg.ControlK, cfg.SnapshotEpochs = []int{1, 2}, []int{2}, []int{2}
	cfg.Arms = []string{ArmVAE, ArmNoise, ArmStepMatched}
	res, err := Run(context.Background(), cfg, d, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range res.Arms {
		got = append(got, fmt.Sprintf("%s@%d", a.Arm, a.K))
	}
	want := []string{"vae@1", "vae@2", "noise@2", "step-matched@2"}
	if !slices.Equal(got, want) {
		t.Fatalf("arms %v, want %v", got, want)
	}
	cfg.ControlK = []int{3}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "control k") {
		t.Fatalf("control k outside the run's k: error %v, want one naming control k", err)
	}
}

func TestRunIsDeterministic(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("checked natively; the model's golden checksums cover wasm")
	}
	d := loadMNIST(t)
	cfg := tiny()
	a, err := Run(context.Background(), cfg, d, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), cfg, d, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Arms {
		x, y := a.Arms[i], b.Arms[i]
		if x.TestAcc != y.TestAcc || x.Confusion != y.Confusion || x.Steps != y.Steps || x.PixelStd != y.PixelStd {
			t.Fatalf("arm %d differs between runs: %+v vs %+v", i, x, y)
		}
	}
	if a.Snapshots[1].Loss != b.Snapshots[1].Loss {
		t.Fatalf("VAE losses differ: %v vs %v", a.Snapshots[1].Loss, b.Snapshots[1].Loss)
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	d := loadMNIST(t)
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	h := Hooks{Progress: func(p Progress) {
		steps++
		if steps == 3 {
			cancel()
		}
	}}
	_, err := Run(ctx, tiny(), d, h)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if steps > 4 {
		t.Fatalf("%d progress calls after cancelling at 3", steps)
	}
}

// A small real run: the baseline must be well above chance (10%) on the
// test set. Budgets are short; the figure of merit is learning, not the
// article's accuracy.
func TestBaselineLearns(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("trains for hundreds of steps; checked natively")
	}
	d := loadMNIST(t)
	cfg := Quick()
	cfg.N, cfg.Arms = 100, []string{ArmBaseline}
	cfg.Batch, cfg.EvalEvery, cfg.Patience, cfg.MaxSteps = 16, 50, 100, 250
	cfg.ValSize, cfg.TestSize = 500, 1000
	var kept *model.Classifier
	res, err := Run(context.Background(), cfg, d, Hooks{ArmDone: func(a ArmResult, c *model.Classifier) { kept = c }})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Arms[0]
	if a.TestAcc < 0.5 {
		t.Fatalf("baseline test accuracy %.3f after %d steps, want ≥ 0.5", a.TestAcc, a.Steps)
	}
	if kept == nil {
		t.Fatal("ArmDone was not called")
	}
	t.Logf("n=100 baseline: test accuracy %.3f (val %.3f, best step %d of %d)", a.TestAcc, a.ValAcc, a.BestStep, a.Steps)
}
