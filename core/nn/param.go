package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/rng"
)

// Initializer fills dst with a layer's starting weights. fanIn and fanOut are
// computed as Keras does (a conv kernel's receptive field times its input or
// output depth).
type Initializer func(dst []float32, fanIn, fanOut int, r *rng.Source)

// Param is one weight tensor of a layer, named as Keras names it inside the
// layer ("kernel", "bias", "gamma", "beta", "moving_mean",
// "moving_variance").
type Param struct {
	Name      string
	Value     *tensor.Dense
	Grad      *tensor.Dense // nil when not trainable
	Trainable bool
	Init      Initializer
	FanIn     int
	FanOut    int
}

// newParam allocates a float32 parameter of the given shape, with a gradient
// tensor when trainable.
func newParam(name string, trainable bool, init Initializer, fanIn, fanOut int, shape ...int) *Param {
	p := &Param{Name: name, Trainable: trainable, Init: init, FanIn: fanIn, FanOut: fanOut}
	p.Value = tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	if trainable {
		p.Grad = tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	}
	return p
}

// Data is the parameter's backing slice.
func (p *Param) Data() []float32 { return p.Value.Float32s() }

// GradData is the gradient's backing slice (nil when not trainable).
func (p *Param) GradData() []float32 {
	if p.Grad == nil {
		return nil
	}
	return p.Grad.Float32s()
}

// Size is the number of scalars in the parameter.
func (p *Param) Size() int { return p.Value.Shape().TotalSize() }

// Reset draws the parameter's starting value from its initializer.
func (p *Param) Reset(r *rng.Source) { p.Init(p.Data(), p.FanIn, p.FanOut, r) }
