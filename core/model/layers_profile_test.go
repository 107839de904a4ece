package model

import (
	"testing"
	"time"
)

// BenchmarkClassifierInferenceLayers times an inference pass (batch 256)
// layer by layer and reports each convolution and dense layer's share of
// the time (name-%), so kernel work goes where the time is. The layers
// run one after another exactly as Logits runs them.
func BenchmarkClassifierInferenceLayers(b *testing.B) {
	const batch = 256
	x, _ := synthDigits(batch, 1)
	c := NewClassifier(2)
	c.Logits(x)
	spent := make([]time.Duration, len(c.Net.Layers))
	b.ResetTimer()
	for range b.N {
		in := x
		for i, l := range c.Net.Layers {
			t0 := time.Now()
			in = l.Forward(in, false)
			spent[i] += time.Since(t0)
		}
	}
	var total, rest time.Duration
	for _, s := range spent {
		total += s
	}
	for i, l := range c.Net.Layers {
		switch l.Class() {
		case "Conv2D", "Dense":
			b.ReportMetric(100*float64(spent[i])/float64(total), l.Name()+"-%")
		default:
			rest += spent[i]
		}
	}
	b.ReportMetric(100*float64(rest)/float64(total), "other-layers-%")
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
}
