package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
)

// Dense is a fully connected layer y = x·W + b on N×In inputs, with a Keras
// kernel [In, Out] and bias [Out].
type Dense struct {
	name    string
	In, Out int
	W, B    *Param

	x     *tensor.Dense // last input, kept for the weight gradient
	y, dx buffer
}

// NewDense makes a Dense layer named name with the given kernel initializer
// and a zero bias.
func NewDense(name string, in, out int, init Initializer) *Dense {
	return &Dense{
		name: name, In: in, Out: out,
		W: newParam("kernel", true, init, in, out, in, out),
		B: newParam("bias", true, Zeros, in, out, out),
	}
}

func (d *Dense) Name() string     { return d.name }
func (d *Dense) Class() string    { return "Dense" }
func (d *Dense) Params() []*Param { return []*Param{d.W, d.B} }

func (d *Dense) OutShape(in []int) []int {
	if len(in) != 1 || in[0] != d.In {
		shapePanic(d.name, "input shape", in, []int{d.In})
	}
	return []int{d.Out}
}

func (d *Dense) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	n := d.batch(x)
	d.x = x
	yt, y := d.y.get(n, d.Out)
	kernels.Gemm(y, f32(x), d.W.Data(), n, d.Out, d.In, false)
	addBias(y, d.B.Data())
	return yt
}

func (d *Dense) Backward(dy *tensor.Dense) *tensor.Dense {
	n := d.batch(d.x)
	checkShape(d.name, "output gradient", dy, n, d.Out)
	g := f32(dy)
	kernels.GemmTA(d.W.GradData(), f32(d.x), g, d.In, d.Out, n, true)
	sumRows(d.B.GradData(), g)
	dxt, dx := d.dx.get(n, d.In)
	kernels.GemmTB(dx, g, d.W.Data(), n, d.In, d.Out, false)
	return dxt
}

func (d *Dense) batch(x *tensor.Dense) int {
	s := x.Shape()
	if len(s) != 2 || s[1] != d.In {
		shapePanic(d.name, "input shape", []int(s), []int{-1, d.In})
	}
	return s[0]
}
