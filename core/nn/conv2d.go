package nn

import (
	"fmt"

	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
)

// Conv2D is a 3x3 convolution with Keras "same" padding, stride 1 or 2, and a
// bias, on NHWC input. Its kernel is Keras' [3,3,In,Out]; read as a 9·In×Out
// matrix it multiplies the im2col patches of the input. The column matrix
// is never kept whole (kernels.Conv3x3Forward and Conv3x3Backward rebuild
// it a block at a time), so training holds only the input.
type Conv2D struct {
	name            string
	In, Out, Stride int
	W, B            *Param
	// NoInputGrad skips the input gradient, which a model's first layer
	// has no use for: Backward then returns nil.
	NoInputGrad bool

	geom    kernels.Conv3x3
	x       *tensor.Dense // the last training input, for the weight gradient
	wino    []float32     // the kernel's Winograd transform, for the forward pass
	winoAdj []float32     // its adjoint's, for the input gradient

	trained bool // whether the last Forward was a training one (x is its)
	y, dx   buffer
}

// NewConv2D makes a 3x3 Conv2D layer with the given kernel initializer and a
// zero bias.
func NewConv2D(name string, in, out, stride int, init Initializer) *Conv2D {
	if stride != 1 && stride != 2 {
		shapePanic(name, "stride", stride, "1 or 2")
	}
	return &Conv2D{
		name: name, In: in, Out: out, Stride: stride,
		W: newParam("kernel", true, init, 9*in, 9*out, 3, 3, in, out),
		B: newParam("bias", true, Zeros, 9*in, 9*out, out),
	}
}

func (l *Conv2D) Name() string     { return l.name }
func (l *Conv2D) Class() string    { return "Conv2D" }
func (l *Conv2D) Params() []*Param { return []*Param{l.W, l.B} }

func (l *Conv2D) OutShape(in []int) []int {
	if len(in) != 3 || in[2] != l.In {
		shapePanic(l.name, "input shape", in, []int{-1, -1, l.In})
	}
	g := kernels.Conv3x3{N: 1, H: in[0], W: in[1], C: l.In, Stride: l.Stride}
	return []int{g.OutH(), g.OutW(), l.Out}
}

func (l *Conv2D) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	s := x.Shape()
	if len(s) != 4 || s[3] != l.In {
		shapePanic(l.name, "input shape", []int(s), []int{-1, -1, -1, l.In})
	}
	l.geom = kernels.Conv3x3{N: s[0], H: s[1], W: s[2], C: l.In, Stride: l.Stride}
	g := l.geom
	yt, y := l.y.get(g.N, g.OutH(), g.OutW(), l.Out)
	l.trained = train
	// Only training keeps the input, which the weight gradient needs: a
	// kept one would keep alive a buffer its layer has outgrown.
	l.x = nil
	if train {
		l.x = x
	}
	if kernels.WinogradOK(g, l.Out) {
		// Winograd's 4× cheaper products where the shape allows (the
		// same choice on every platform, so the same bits); the kernel's
		// transform is redone per call, a small cost next to the
		// products, so it can never be stale.
		l.wino = grow(l.wino, kernels.WinogradWeightsLen(l.In, l.Out))
		kernels.WinogradWeights(l.wino, l.W.Data(), l.In, l.Out)
		kernels.Conv3x3Winograd(y, f32(x), l.wino, g, l.Out)
	} else {
		kernels.Conv3x3Forward(y, f32(x), l.W.Data(), g, l.Out)
	}
	addBias(y, l.B.Data())
	return yt
}

func (l *Conv2D) Backward(dy *tensor.Dense) *tensor.Dense {
	if !l.trained {
		panic(fmt.Errorf("%w: %s", ErrNoTraining, l.name))
	}
	g := l.geom
	checkShape(l.name, "output gradient", dy, g.N, g.OutH(), g.OutW(), l.Out)
	d := f32(dy)
	sumRows(l.B.GradData(), d)
	var dxt *tensor.Dense
	var dx []float32
	if !l.NoInputGrad {
		dxt, dx = l.dx.get(g.N, g.H, g.W, l.In)
	}
	if !kernels.WinogradOK(g, l.Out) {
		kernels.Conv3x3Backward(dx, l.W.GradData(), f32(l.x), d, l.W.Data(), g, l.Out)
		return dxt
	}
	// Both gradients take Winograd's products, as the forward pass did: the
	// input gradient is itself a stride-1 convolution, of dy with the
	// adjoint kernel, and the weight gradient a sum of F(3×3, 4×4) tiles.
	if dx != nil {
		l.winoAdj = grow(l.winoAdj, kernels.WinogradWeightsLen(l.Out, l.In))
		kernels.WinogradAdjointWeights(l.winoAdj, l.W.Data(), l.In, l.Out)
		adj := kernels.Conv3x3{N: g.N, H: g.H, W: g.W, C: l.Out, Stride: 1}
		kernels.Conv3x3Winograd(dx, d, l.winoAdj, adj, l.In)
	}
	kernels.Conv3x3WinogradWeightGrad(l.W.GradData(), f32(l.x), d, g, l.Out)
	return dxt
}

// grow returns s resliced to n, reallocating only if its capacity is short.
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// addBias adds b to every row of y (rows of len(b)).
func addBias(y, b []float32) { kernels.AddToRows(y, b) }

// sumRows adds every row of g (rows of len(db)) into db, in row order.
func sumRows(db, g []float32) { kernels.SumRowsInto(db, g) }
