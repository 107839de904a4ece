package nn

import (
	"errors"
	"math/rand/v2"
	"testing"

	"vaeaug/core/rng"
)

// initParams gives a layer's parameters random values (not their Keras
// initial ones) so that every term of the gradient is exercised.
func initParams(l Layer, r *rand.Rand, scale float32) {
	for _, p := range l.Params() {
		for i := range p.Data() {
			p.Data()[i] = scale * float32(r.NormFloat64())
		}
	}
}

// awayFromZero pushes every value at least margin away from 0, so that a
// ±fdStep probe never crosses a ReLU-like kink.
func awayFromZero(xs []float32, margin float32) {
	for i, v := range xs {
		switch {
		case v >= 0 && v < margin:
			xs[i] = v + margin
		case v < 0 && v > -margin:
			xs[i] = v - margin
		}
	}
}

func TestDenseGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	l := NewDense("dense_1", 7, 5, GlorotUniform)
	initParams(l, r, 0.5)
	checkGradients(t, gradCase{layer: l, x: randTensor(r, 1, 3, 7)})
}

func TestConv2DGradient(t *testing.T) {
	for _, tc := range []struct {
		name             string
		h, w, in, out, s int
	}{
		{"stride1", 5, 6, 2, 3, 1},
		// Channels in fours and an even size: Winograd's products, for
		// the forward pass and the input gradient.
		{"stride1-winograd", 4, 6, 4, 8, 1},
		{"stride2-even", 6, 6, 2, 3, 2},
		{"stride2-odd", 5, 7, 3, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, uint64(tc.s)))
			l := NewConv2D("conv2d_1", tc.in, tc.out, tc.s, GlorotUniform)
			initParams(l, r, 0.5)
			checkGradients(t, gradCase{layer: l, x: randTensor(r, 1, 2, tc.h, tc.w, tc.in), train: true})
		})
	}
}

// Backward after an inference Forward has no training input to use: it
// must say so, not compute a gradient from a stale one.
func TestConv2DBackwardNeedsTraining(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	l := NewConv2D("conv2d_1", 4, 4, 1, GlorotUniform)
	x := randTensor(r, 1, 2, 4, 4, 4)
	l.Forward(x, true)
	y := l.Forward(x, false) // an inference pass: the input is not kept
	defer func() {
		if err, _ := recover().(error); !errors.Is(err, ErrNoTraining) {
			t.Fatalf("Backward after an inference Forward: recovered %v, want ErrNoTraining", err)
		}
	}()
	l.Backward(y)
}

func TestConv2DTransposeGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 5))
	l := NewConv2DTranspose("conv2d_transpose_1", 3, 2, GlorotUniform)
	initParams(l, r, 0.5)
	checkGradients(t, gradCase{layer: l, x: randTensor(r, 1, 2, 3, 4, 3)})
}

func TestBatchNormGradient(t *testing.T) {
	for _, train := range []bool{true, false} {
		for _, shape := range [][]int{{6, 4}, {2, 3, 3, 2}} {
			r := rand.New(rand.NewPCG(5, uint64(len(shape))))
			c := shape[len(shape)-1]
			l := NewBatchNorm("batch_normalization_1", c)
			initParams(l, r, 1)
			for i := range l.MovingVar.Data() {
				l.MovingVar.Data()[i] = 0.5 + r.Float32()
			}
			checkGradients(t, gradCase{layer: l, x: randTensor(r, 2, shape...), train: train})
		}
	}
}

func TestActivationGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 7))
	for _, l := range []Layer{NewReLU("activation_1"), NewLeakyReLU("leaky_re_lu_1", 0.2), NewSigmoid("activation_2")} {
		x := randTensor(r, 2, 4, 5)
		awayFromZero(f32(x), 3*fdStep)
		checkGradients(t, gradCase{layer: l, x: x, maxProbe: 20})
	}
}

func TestMaxPoolGradient(t *testing.T) {
	for _, hw := range [][2]int{{4, 4}, {5, 3}} {
		r := rand.New(rand.NewPCG(8, uint64(hw[0])))
		n, c := 2, 3
		x := NewTensor(n, hw[0], hw[1], c)
		// Distinct values at least 0.1 apart, shuffled: a ±fdStep probe
		// never changes which pixel is a window's maximum.
		for i, p := range r.Perm(len(f32(x))) {
			f32(x)[i] = 0.1 * float32(p)
		}
		checkGradients(t, gradCase{layer: NewMaxPool2D("max_pooling2d_1"), x: x})
	}
}

func TestDropoutGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	l := NewDropout("dropout_1", 0.3)
	checkGradients(t, gradCase{layer: l, x: randTensor(r, 1, 4, 6), train: true,
		before: func() { l.RNG = rng.New(42) }})
}

func TestReshapeGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	checkGradients(t, gradCase{layer: NewFlatten("flatten_1", 12), x: randTensor(r, 1, 2, 2, 3, 2)})
	checkGradients(t, gradCase{layer: NewReshape("reshape_1", 2, 3, 2), x: randTensor(r, 1, 2, 12)})
}
