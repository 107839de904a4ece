// Package optim holds the optimisers the study uses, with Keras 2.2.x update
// rules, operating in place on nn.Param values and gradients.
//
// Determinism: the per-step scalar factors are computed in float64 with only
// +, -, *, / and math.Sqrt (correctly rounded everywhere; powers of beta are
// repeated products, not math.Pow), and the per-element updates
// (core/kernels' AdamUpdate and RMSpropUpdate, on SIMD128 in wasm) in
// float32 with every product converted explicitly, which forbids the
// compiler from fusing it into a multiply-add. The same gradients therefore give
// bit-identical parameters on amd64, arm64 and js/wasm.
//
// Allocation: an optimiser allocates its state when it is made; Step
// allocates nothing. It binds to the parameters' tensors by pointer and reads
// their backing arrays on every step, so weights may be overwritten in place
// (as loading does) between steps, but a parameter's size must not change.
package optim

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
	"vaeaug/core/nn"
)

// Optimizer applies one update to its parameters from their current
// gradients.
type Optimizer interface {
	Step()
}

// ZeroGrads sets the gradients of the trainable parameters to zero; layers
// add into them during Backward, so this comes before each batch's backward
// pass. Parameters without a gradient are skipped. It does not allocate.
func ZeroGrads(params []*nn.Param) {
	for _, p := range params {
		if p.Grad != nil {
			clear(p.Grad.Float32s())
		}
	}
}

// slot is one trainable parameter with its optimiser state (one or two
// moment vectors of the parameter's size).
type slot struct {
	p    *nn.Param
	a, b []float32
}

// newSlots keeps the trainable parameters and allocates nState zeroed state
// vectors of each one's size. It panics if a trainable parameter has no
// gradient or is not float32, since Step could not update it.
func newSlots(kind string, params []*nn.Param, nState int) []slot {
	var s []slot
	for _, p := range params {
		if !p.Trainable {
			continue
		}
		if p.Grad == nil || p.Value.Dtype() != tensor.Float32 || p.Grad.Dtype() != tensor.Float32 {
			panic(fmt.Sprintf("optim: %s: trainable parameter %q needs float32 value and gradient", kind, p.Name))
		}
		n := len(p.Value.Float32s())
		if len(p.Grad.Float32s()) != n {
			panic(fmt.Sprintf("optim: %s: parameter %q has %d values but %d gradients", kind, p.Name, n, len(p.Grad.Float32s())))
		}
		sl := slot{p: p, a: make([]float32, n)}
		if nState > 1 {
			sl.b = make([]float32, n)
		}
		s = append(s, sl)
	}
	return s
}

// data returns the slot's value and gradient arrays, checking that the
// parameter has not been resized since the optimiser was made.
func (s *slot) data(kind string) (w, g []float32) {
	w, g = s.p.Value.Float32s(), s.p.Grad.Float32s()
	if len(w) != len(s.a) || len(g) != len(s.a) {
		panic(fmt.Sprintf("optim: %s: parameter %q resized from %d to %d values", kind, s.p.Name, len(s.a), len(w)))
	}
	return w, g
}

// decayedLR is Keras' time-based decay: lr / (1 + decay*iterations), with
// iterations counted before the current step.
func decayedLR(lr, decay float64, iterations int64) float64 {
	if decay <= 0 {
		// Keras skips the factor when the initial decay is zero; 1/(1+0)
		// would be exact anyway.
		return lr
	}
	return float64(lr * (1 / (1 + float64(decay*float64(iterations)))))
}

// Adam is Keras 2.2's Adam (without amsgrad). For each step, with
// t = Iterations+1 and Iterations counted before the step:
//
//	lr_t = LR / (1 + Decay*Iterations) * sqrt(1-Beta2^t) / (1-Beta1^t)
//	g    = clip(g, -ClipValue, ClipValue)   (when ClipValue > 0)
//	m    = Beta1*m + (1-Beta1)*g
//	v    = Beta2*v + (1-Beta2)*g*g
//	p   -= lr_t*m / (sqrt(v) + Epsilon)
//
// Parameters whose Trainable is false are left alone.
type Adam struct {
	LR, Beta1, Beta2 float64
	Epsilon          float64 // Keras' K.epsilon(), 1e-7, by default
	ClipValue        float64 // element-wise gradient clip; 0 means none
	Decay            float64 // time-based learning-rate decay; 0 means none
	Iterations       int64   // steps taken so far (Keras' iterations)

	slots []slot // a = m (first moment), b = v (second moment)
}

// NewAdam returns an Adam over the trainable params with Epsilon 1e-7 and
// zeroed moments. The study's classifier uses NewAdam(params, 2e-4, 0.9,
// 0.99, 1.0, 1e-8).
func NewAdam(params []*nn.Param, lr, beta1, beta2, clipValue, decay float64) *Adam {
	return &Adam{
		LR: lr, Beta1: beta1, Beta2: beta2, Epsilon: 1e-7,
		ClipValue: clipValue, Decay: decay,
		slots: newSlots("Adam", params, 2),
	}
}

// powInt returns b**n by binary exponentiation: products only, so the
// result is the same on every platform (unlike math.Pow, whose pure-Go code
// is compiled with fused multiply-adds on arm64).
func powInt(b float64, n int64) float64 {
	r := 1.0
	for n > 0 {
		if n&1 == 1 {
			r = float64(r * b)
		}
		b = float64(b * b)
		n >>= 1
	}
	return r
}

// Step applies one Adam update and increments Iterations. It does not
// allocate.
func (o *Adam) Step() {
	t := o.Iterations + 1
	lr := decayedLR(o.LR, o.Decay, o.Iterations)
	lrT := float64(lr * (math.Sqrt(1-powInt(o.Beta2, t)) / (1 - powInt(o.Beta1, t))))

	// Keras evaluates the update in float32 with its hyper-parameters cast
	// to float32 ((1 - beta) is formed in double first, as in Python).
	k := kernels.AdamFactors{
		B1: float32(o.Beta1), C1: float32(1 - o.Beta1),
		B2: float32(o.Beta2), C2: float32(1 - o.Beta2),
		LR: float32(lrT), Eps: float32(o.Epsilon),
		Clip: float32(o.ClipValue), DoClip: o.ClipValue > 0,
	}
	for i := range o.slots {
		s := &o.slots[i]
		w, g := s.data("Adam")
		kernels.AdamUpdate(w, g, s.a, s.b, &k)
	}
	o.Iterations = t
}

// RMSprop is Keras 2.2's RMSprop. For each step, with Iterations counted
// before it:
//
//	lr = LR / (1 + Decay*Iterations)
//	g  = clip(g, -ClipValue, ClipValue)   (when ClipValue > 0)
//	a  = Rho*a + (1-Rho)*g*g
//	p -= lr*g / (sqrt(a) + Epsilon)
//
// Parameters whose Trainable is false are left alone.
type RMSprop struct {
	LR, Rho    float64
	Epsilon    float64 // Keras' K.epsilon(), 1e-7, by default
	ClipValue  float64 // element-wise gradient clip; 0 means none
	Decay      float64 // time-based learning-rate decay; 0 means none
	Iterations int64   // steps taken so far (Keras' iterations)

	slots []slot // a = accumulated mean square
}

// NewRMSprop returns an RMSprop over the trainable params with Epsilon
// 1e-7, no clipping, no decay and zeroed accumulators. Keras' defaults, used
// by the study's VAE, are NewRMSprop(params, 1e-3, 0.9).
func NewRMSprop(params []*nn.Param, lr, rho float64) *RMSprop {
	return &RMSprop{LR: lr, Rho: rho, Epsilon: 1e-7, slots: newSlots("RMSprop", params, 1)}
}

// Step applies one RMSprop update and increments Iterations. It does not
// allocate.
func (o *RMSprop) Step() {
	k := kernels.RMSpropFactors{
		Rho: float32(o.Rho), C: float32(1 - o.Rho),
		LR:  float32(decayedLR(o.LR, o.Decay, o.Iterations)),
		Eps: float32(o.Epsilon), Clip: float32(o.ClipValue), DoClip: o.ClipValue > 0,
	}
	for i := range o.slots {
		s := &o.slots[i]
		w, g := s.data("RMSprop")
		kernels.RMSpropUpdate(w, g, s.a, &k)
	}
	o.Iterations++
}
