package study

import (
	"strings"
	"testing"
)

func TestValidateRefuses(t *testing.T) {
	ok := Quick()
	ok.Arms = []string{ArmBaseline, ArmVAE, ArmClassic}
	if err := ok.Validate(); err != nil {
		t.Fatalf("quick config refused: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Config)
		msg  string
	}{
		{"n not multiple of 10", func(c *Config) { c.N = 105 }, "n = 105"},
		{"n negative", func(c *Config) { c.N = -10 }, "n = -10"},
		{"n huge", func(c *Config) { c.N = 1 << 30 }, "multiple of 10"},
		{"k zero", func(c *Config) { c.K = []int{0} }, "k = 0"},
		{"k huge", func(c *Config) { c.K = []int{1e6} }, "k = 1000000"},
		{"too many generated", func(c *Config) { c.N, c.K = 6000, []int{100} }, "fit in memory"},
		{"unknown arm", func(c *Config) { c.Arms = []string{"gan"} }, `arm "gan"`},
		{"no arms", func(c *Config) { c.Arms = nil }, "arms"},
		{"batch zero", func(c *Config) { c.Batch = 0 }, "batch"},
		{"snapshots past epochs", func(c *Config) { c.SnapshotEpochs = []int{5, 99} }, "snapshot epochs"},
		{"snapshots not increasing", func(c *Config) { c.SnapshotEpochs = []int{5, 5} }, "snapshot epochs"},
		{"level past the snapshots", func(c *Config) { c.Levels = []int{len(c.SnapshotEpochs)} }, "levels"},
		{"levels not increasing", func(c *Config) { c.SnapshotEpochs, c.Levels = []int{1, 2}, []int{1, 0} }, "levels"},
		{"patience zero", func(c *Config) { c.Patience = 0 }, "patience"},
		{"val size tiny", func(c *Config) { c.ValSize = 1 }, "validation size"},
	}
	for _, tc := range cases {
		c := ok
		c.K = append([]int(nil), ok.K...)
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.msg)
		}
	}
}

func TestWithDefaultsKeepsGivenValues(t *testing.T) {
	c := Config{N: 200, K: []int{50}, MaxSteps: 7}.WithDefaults(Defaults())
	if c.N != 200 || c.K[0] != 50 || c.MaxSteps != 7 || c.Batch != 32 || c.VAEEpochs != Defaults().VAEEpochs {
		t.Fatalf("WithDefaults gave %+v", c)
	}
}
