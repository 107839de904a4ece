package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
	"vaeaug/core/rng"
)

// Dropout zeroes each input with probability Rate during training and scales
// the survivors by 1/(1-Rate) (inverted dropout), so inference is the
// identity. Its random stream RNG is set by the model from its seed.
type Dropout struct {
	name  string
	Rate  float32
	RNG   *rng.Source
	mask  []float32 // 0 or 1/(1-Rate) per element of the last training forward
	train bool
	y, dx buffer
}

// NewDropout makes a Dropout layer with the given rate in [0, 1).
func NewDropout(name string, rate float32) *Dropout {
	if rate < 0 || rate >= 1 {
		shapePanic(name, "rate", rate, "[0, 1)")
	}
	return &Dropout{name: name, Rate: rate, RNG: rng.New(0)}
}

func (l *Dropout) Name() string            { return l.name }
func (l *Dropout) Class() string           { return "Dropout" }
func (l *Dropout) Params() []*Param        { return nil }
func (l *Dropout) OutShape(in []int) []int { return in }

// Forward draws one uniform number per element, in index order.
func (l *Dropout) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	l.train = train
	if !train {
		return x
	}
	yt, y := l.y.get(x.Shape()...)
	if cap(l.mask) < len(y) {
		l.mask = make([]float32, len(y))
	}
	l.mask = l.mask[:len(y)]
	if len(y) == 0 {
		return yt
	}
	// The uniforms (Go), then each becomes +0 or the scale, then
	// y = x·mask: the last two passes run in SIMD128 lanes in wasm.
	l.RNG.Float32s(l.mask)
	kernels.DropoutMask(l.mask, l.Rate, 1/(1-l.Rate))
	kernels.ScaleChannels(y, f32(x)[:len(y)], l.mask, len(y))
	return yt
}

func (l *Dropout) Backward(dy *tensor.Dense) *tensor.Dense {
	if !l.train {
		return dy
	}
	checkShape(l.name, "output gradient", dy, l.y.shape...)
	dxt, dx := l.dx.get(l.y.shape...)
	if len(dx) > 0 {
		kernels.ScaleChannels(dx, f32(dy)[:len(dx)], l.mask, len(dx))
	}
	return dxt
}
