package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
	"vaeaug/core/num"
)

// ReLU is max(x, 0), element-wise, on any shape. ReLU and LeakyReLU run on
// core/kernels (SIMD where available, the same bits).
type ReLU struct {
	name  string
	y, dx buffer
}

// NewReLU makes a ReLU layer (Keras "Activation" of "relu").
func NewReLU(name string) *ReLU { return &ReLU{name: name} }

func (a *ReLU) Name() string            { return a.name }
func (a *ReLU) Class() string           { return "Activation" }
func (a *ReLU) Params() []*Param        { return nil }
func (a *ReLU) OutShape(in []int) []int { return in }

func (a *ReLU) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	yt, y := a.y.get(x.Shape()...)
	kernels.ReLU(y, f32(x)[:len(y)])
	return yt
}

// Backward passes the gradient where the output was positive; the kept
// output (not the input) decides, which is the same test.
func (a *ReLU) Backward(dy *tensor.Dense) *tensor.Dense {
	y := a.y.data
	checkShape(a.name, "output gradient", dy, a.y.shape...)
	dxt, dx := a.dx.get(a.y.shape...)
	kernels.ReLUBackward(dx, f32(dy)[:len(dx)], y[:len(dx)])
	return dxt
}

// LeakyReLU is x for x > 0 and Alpha·x otherwise, element-wise.
type LeakyReLU struct {
	name  string
	Alpha float32
	x     *tensor.Dense
	y, dx buffer
}

// NewLeakyReLU makes a LeakyReLU layer with slope alpha below zero.
func NewLeakyReLU(name string, alpha float32) *LeakyReLU {
	return &LeakyReLU{name: name, Alpha: alpha}
}

func (a *LeakyReLU) Name() string            { return a.name }
func (a *LeakyReLU) Class() string           { return "LeakyReLU" }
func (a *LeakyReLU) Params() []*Param        { return nil }
func (a *LeakyReLU) OutShape(in []int) []int { return in }

func (a *LeakyReLU) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	a.x = x
	yt, y := a.y.get(x.Shape()...)
	kernels.LeakyReLU(y, f32(x)[:len(y)], a.Alpha)
	return yt
}

func (a *LeakyReLU) Backward(dy *tensor.Dense) *tensor.Dense {
	checkShape(a.name, "output gradient", dy, a.y.shape...)
	dxt, dx := a.dx.get(a.y.shape...)
	kernels.LeakyReLUBackward(dx, f32(dy)[:len(dx)], f32(a.x)[:len(dx)], a.Alpha)
	return dxt
}

// Sigmoid is 1/(1+exp(-x)), element-wise.
type Sigmoid struct {
	name  string
	y, dx buffer
}

// NewSigmoid makes a Sigmoid layer (Keras "Activation" of "sigmoid").
func NewSigmoid(name string) *Sigmoid { return &Sigmoid{name: name} }

func (a *Sigmoid) Name() string            { return a.name }
func (a *Sigmoid) Class() string           { return "Activation" }
func (a *Sigmoid) Params() []*Param        { return nil }
func (a *Sigmoid) OutShape(in []int) []int { return in }

func (a *Sigmoid) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	yt, y := a.y.get(x.Shape()...)
	SigmoidTo(y, f32(x))
	return yt
}

func (a *Sigmoid) Backward(dy *tensor.Dense) *tensor.Dense {
	checkShape(a.name, "output gradient", dy, a.y.shape...)
	dxt, dx := a.dx.get(a.y.shape...)
	g := f32(dy)[:len(dx)]
	y := a.y.data[:len(dx)]
	for i, v := range g {
		dx[i] = v * float32(y[i]*(1-y[i]))
	}
	return dxt
}

// SigmoidTo writes sigmoid(x) into dst (len(dst) values). It is computed in
// float64 with the project's pure-Go exp, from whichever side keeps exp's
// argument non-positive so that neither branch overflows.
func SigmoidTo(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = float32(sigmoid64(float64(v)))
	}
}

func sigmoid64(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + num.Exp(-v))
	}
	e := num.Exp(v)
	return e / (1 + e)
}
