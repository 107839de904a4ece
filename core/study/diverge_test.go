package study

import (
	"context"
	"math"
	"strings"
	"testing"

	"vaeaug/core/model"
)

func TestLossWatch(t *testing.T) {
	cases := []struct {
		losses []float64
		fails  int // index of the loss that must fail, -1 for none
	}{
		{[]float64{2.3, 2.0, 22.9, 1.0}, -1}, // below 10× the first
		{[]float64{2.3, 2.0, 23.1}, 2},
		{[]float64{2.3, math.NaN()}, 1},
		{[]float64{math.Inf(1)}, 0},
		{[]float64{645, 300, math.Inf(-1)}, 2},
		{[]float64{645, 7000}, 1},
	}
	for _, c := range cases {
		w := lossWatch{stage: "train VAE", lr: 0.5}
		failed := -1
		for i, l := range c.losses {
			if err := w.check(l, "epoch", i+1); err != nil {
				failed = i
				for _, want := range []string{"train VAE", "diverged", "learning rate 0.5"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("%v: error %q lacks %q", c.losses, err, want)
					}
				}
				break
			}
		}
		if failed != c.fails {
			t.Errorf("%v: failed at %d, want %d", c.losses, failed, c.fails)
		}
	}
}

// A learning rate of 10 makes each model diverge (the classifier's loss
// shoots up, then the network dies at chance; the VAE's loss becomes NaN):
// the run must stop with an error naming the stage, and no arm trained
// after the divergence may report a result.
func TestDivergingRunStopsNamingTheStage(t *testing.T) {
	d := loadMNIST(t)
	cases := []struct {
		name  string
		set   func(*Config)
		stage string
	}{
		{"classifier", func(c *Config) { c.Arms, c.LR = []string{ArmBaseline}, 10 }, "train classifier (baseline)"},
		{"VAE", func(c *Config) { c.Arms, c.VAELR = []string{ArmBaseline, ArmVAE}, 10 }, "train VAE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := tiny()
			c.set(&cfg)
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			var done []string
			h := Hooks{ArmDone: func(a ArmResult, _ *model.Classifier) { done = append(done, a.Arm) }}
			_, err := Run(context.Background(), cfg, d, h)
			if err == nil {
				t.Fatalf("no error; arms finished: %v", done)
			}
			for _, want := range []string{c.stage, "diverged", "learning rate 10"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			for _, a := range done {
				if c.stage == "train classifier ("+a+")" {
					t.Errorf("the diverged arm %s reported a result", a)
				}
			}
		})
	}
}

func TestLearningRateLimits(t *testing.T) {
	for _, lr := range []float64{-1e-4, math.NaN(), math.Inf(1), MaxLR * 2} {
		for _, set := range []func(*Config){func(c *Config) { c.LR = lr }, func(c *Config) { c.VAELR = lr }} {
			c := tiny()
			set(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "learning rate") {
				t.Errorf("learning rate %v: error %v, want one naming the learning rates", lr, err)
			}
		}
	}
	c := tiny()
	c.LR, c.VAELR = 0.01, MaxLR
	if err := c.Validate(); err != nil {
		t.Errorf("valid learning rates refused: %v", err)
	}
	if got := tiny().classifierLR(); got != DefaultLR {
		t.Errorf("default classifier learning rate %v, want %v", got, DefaultLR)
	}
}
