package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
)

// Conv2DTranspose is a 3x3, stride-2, "same" transposed convolution with a
// bias: N×h×w×In → N×2h×2w×Out. It is exactly the adjoint of a stride-2 same
// Conv2D from 2h×2w×Out to h×w×In (TensorFlow's conv2d_transpose), so its
// Keras kernel [3,3,Out,In] read as a 9·Out×In matrix K is that
// convolution's kernel: y = col2im(x·Kᵀ) + b, that convolution's input
// gradient (kernels.Conv3x3BackwardData), and the backward pass is its
// weight gradient and forward pass. None of them holds the column matrix
// (1.8M floats at batch 32): the kernels build it a block of rows at a
// time, with the bits of the whole-matrix products.
type Conv2DTranspose struct {
	name    string
	In, Out int
	W, B    *Param

	geom  kernels.Conv3x3 // geometry of the adjoint convolution (on the output)
	x     *tensor.Dense
	y, dx buffer
}

// NewConv2DTranspose makes the layer with the given kernel initializer and a
// zero bias.
func NewConv2DTranspose(name string, in, out int, init Initializer) *Conv2DTranspose {
	// Keras computes fans from the kernel shape [3,3,Out,In]: fan_in uses
	// the second-to-last axis.
	return &Conv2DTranspose{
		name: name, In: in, Out: out,
		W: newParam("kernel", true, init, 9*out, 9*in, 3, 3, out, in),
		B: newParam("bias", true, Zeros, 9*out, 9*in, out),
	}
}

func (l *Conv2DTranspose) Name() string     { return l.name }
func (l *Conv2DTranspose) Class() string    { return "Conv2DTranspose" }
func (l *Conv2DTranspose) Params() []*Param { return []*Param{l.W, l.B} }

func (l *Conv2DTranspose) OutShape(in []int) []int {
	if len(in) != 3 || in[2] != l.In {
		shapePanic(l.name, "input shape", in, []int{-1, -1, l.In})
	}
	return []int{2 * in[0], 2 * in[1], l.Out}
}

func (l *Conv2DTranspose) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	s := x.Shape()
	if len(s) != 4 || s[3] != l.In {
		shapePanic(l.name, "input shape", []int(s), []int{-1, -1, -1, l.In})
	}
	l.x = x
	l.geom = kernels.Conv3x3{N: s[0], H: 2 * s[1], W: 2 * s[2], C: l.Out, Stride: 2}
	g := l.geom
	yt, y := l.y.get(g.N, g.H, g.W, l.Out)
	kernels.Conv3x3BackwardData(y, f32(x), l.W.Data(), g, l.In)
	addBias(y, l.B.Data())
	return yt
}

func (l *Conv2DTranspose) Backward(dy *tensor.Dense) *tensor.Dense {
	g := l.geom
	checkShape(l.name, "output gradient", dy, g.N, g.H, g.W, l.Out)
	d := f32(dy)
	sumRows(l.B.GradData(), d)
	// y = col2im(x·Kᵀ) ⇒ dK = im2col(dy)ᵀ·x and dx = im2col(dy)·K: the
	// adjoint convolution's weight gradient, with dy as its input and x as
	// its output gradient, and its forward pass.
	kernels.Conv3x3Backward(nil, l.W.GradData(), d, f32(l.x), l.W.Data(), g, l.In)
	dxt, dx := l.dx.get(g.N, g.OutH(), g.OutW(), l.In)
	kernels.Conv3x3Forward(dx, d, l.W.Data(), g, l.In)
	return dxt
}
