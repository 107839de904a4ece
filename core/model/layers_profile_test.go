package model

import (
	"testing"
	"time"

	"gorgonia.org/tensor"

	"vaeaug/core/nn"
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

// timedLayer wraps a layer and adds the time of its forward and backward
// passes to two counters.
type timedLayer struct {
	nn.Layer
	fwd, bwd *time.Duration
}

func (t timedLayer) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	t0 := time.Now()
	y := t.Layer.Forward(x, train)
	*t.fwd += time.Since(t0)
	return y
}

func (t timedLayer) Backward(dy *tensor.Dense) *tensor.Dense {
	t0 := time.Now()
	dx := t.Layer.Backward(dy)
	*t.bwd += time.Since(t0)
	return dx
}

// layerClock times the layers of a model's training steps.
type layerClock struct {
	names    []string
	fwd, bwd []*time.Duration
}

// wrap replaces each layer of ls by a timed one.
func (lc *layerClock) wrap(ls []nn.Layer) {
	for i, l := range ls {
		lc.names = append(lc.names, l.Name())
		f, bw := new(time.Duration), new(time.Duration)
		lc.fwd, lc.bwd = append(lc.fwd, f), append(lc.bwd, bw)
		ls[i] = timedLayer{l, f, bw}
	}
}

// report gives each layer's forward and backward share of the whole
// step's time (name-fwd-% and name-bwd-%) where it is at least 1%.
func (lc *layerClock) report(b *testing.B) {
	total := b.Elapsed()
	for i, nm := range lc.names {
		for _, part := range []struct {
			suffix string
			d      time.Duration
		}{{"-fwd-%", *lc.fwd[i]}, {"-bwd-%", *lc.bwd[i]}} {
			if share := 100 * float64(part.d) / float64(total); share >= 1 {
				b.ReportMetric(share, nm+part.suffix)
			}
		}
	}
}

// BenchmarkClassifierTrainLayers and BenchmarkVAETrainLayers time a
// training step (batch 32) layer by layer, as shares of the step.
func BenchmarkClassifierTrainLayers(b *testing.B) {
	x, labels := synthDigits(32, 1)
	c := NewClassifier(2)
	opt := classifierOptimizer(c)
	timeLayers(b, 32, func() { c.TrainStep(x, labels, opt) }, c.Net.Layers)
}

func BenchmarkVAETrainLayers(b *testing.B) {
	x, _ := synthDigits(32, 1)
	v := NewVAE(2)
	opt := vaeOptimizer(v)
	timeLayers(b, 32, func() { v.TrainStep(x, opt) }, v.Trunk.Layers, v.Decoder.Layers)
}

// timeLayers wraps the layers in place, runs step once to size the
// buffers, then b.N times, and reports the shares and images/s.
func timeLayers(b *testing.B, batch int, step func(), layers ...[]nn.Layer) {
	var lc layerClock
	for _, ls := range layers {
		lc.wrap(ls)
	}
	step()
	b.ResetTimer()
	for range b.N {
		step()
	}
	lc.report(b)
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
}
