package optim

import (
	"hash/fnv"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"vaeaug/core/nn"
)

// param makes a trainable float32 parameter holding vals, with a gradient.
func param(name string, vals ...float32) *nn.Param {
	return &nn.Param{
		Name:      name,
		Value:     tensor.New(tensor.WithShape(len(vals)), tensor.WithBacking(append([]float32(nil), vals...))),
		Grad:      tensor.New(tensor.WithShape(len(vals)), tensor.Of(tensor.Float32)),
		Trainable: true,
	}
}

// frozen makes a non-trainable parameter (no gradient), like BatchNorm's
// moving statistics.
func frozen(name string, vals ...float32) *nn.Param {
	return &nn.Param{
		Name:  name,
		Value: tensor.New(tensor.WithShape(len(vals)), tensor.WithBacking(append([]float32(nil), vals...))),
	}
}

// stepGrads are three steps of gradients for a 4-element parameter; they
// include values above the clip of 1, a tiny one and a zero.
var stepGrads = [][]float32{
	{0.1, -2.5, 3.0, 0.0},
	{-0.4, 0.2, 1.5, 1e-3},
	{0.3, -0.05, -4.0, -2.0},
}

func runSteps(t *testing.T, opt Optimizer, p *nn.Param, want [][]float64) {
	t.Helper()
	for s, g := range stepGrads {
		copy(p.Grad.Float32s(), g)
		opt.Step()
		for i, w := range want[s] {
			if got := float64(p.Value.Float32s()[i]); math.Abs(got-w) > 1e-6 {
				t.Errorf("step %d, element %d: %.9g, want %.9g", s+1, i, got, w)
			}
		}
	}
}

// TestAdamSteps compares three Adam steps with clip 1 and a large decay
// (0.1, so that it changes the result) against values worked out in float64
// from the Keras 2.2 formulas. Step 1 by hand: t=1 gives lr_t = 0.01 ×
// sqrt(0.01)/0.1 = 0.01, and m/sqrt(v) = g/|g| up to epsilon, so every
// non-zero element moves by 0.01 against its clipped gradient's sign.
func TestAdamSteps(t *testing.T) {
	p := param("w", 0.5, -1, 2, 0)
	opt := NewAdam([]*nn.Param{p}, 0.01, 0.9, 0.99, 1, 0.1)
	runSteps(t, opt, p, [][]float64{
		{0.490000099999, -0.99000000999999, 1.99000000999999, 0},
		{0.49507636402951744, -0.9853445858856473, 1.9809091073534508, -0.006742891548483042},
		{0.4948573487173384, -0.9817802752721084, 1.9787258367875733, -0.0014481677647283364},
	})
	if opt.Iterations != 3 {
		t.Errorf("Iterations = %d, want 3", opt.Iterations)
	}
}

// TestRMSpropSteps compares three RMSprop steps (Keras defaults) against
// values worked out in float64. Step 1 by hand: a = 0.1 g², so the move is
// 1e-3 × g/(sqrt(0.1)|g|) = 1e-3 × 3.1623 against the gradient's sign.
func TestRMSpropSteps(t *testing.T) {
	p := param("w", 0.5, -1, 2, 0)
	opt := NewRMSprop([]*nn.Param{p}, 1e-3, 0.9)
	runSteps(t, opt, p, [][]float64{
		{0.4968377323398, -0.9968377227398316, 1.9968377226731648, 0},
		{0.499914653049861, -0.9971034462500549, 1.9953633032565434, -0.0031612779762961772},
		{0.4979865795708183, -0.9970334391187643, 1.997877336396026, 9.988281162178446e-07},
	})
}

// TestAdamMinimisesQuadratic runs Adam on f(w) = ½‖w - c‖², whose gradient
// is w - c.
func TestAdamMinimisesQuadratic(t *testing.T) {
	c := []float32{3, -2, 0.5, 10}
	p := param("w", 0, 0, 0, 0)
	opt := NewAdam([]*nn.Param{p}, 0.05, 0.9, 0.999, 0, 0)
	for range 3000 {
		w, g := p.Value.Float32s(), p.Grad.Float32s()
		for i := range w {
			g[i] = w[i] - c[i]
		}
		opt.Step()
	}
	for i, w := range p.Value.Float32s() {
		if math.Abs(float64(w-c[i])) > 1e-3 {
			t.Errorf("w[%d] = %v, want %v", i, w, c[i])
		}
	}
}

// TestAdamClipValue checks that clipping happens element-wise before the
// moments: a gradient of 1000 with clip 1 must act exactly like a gradient
// of 1, and leave m = 0.1 and v = 0.01 after one step.
func TestAdamClipValue(t *testing.T) {
	big, one := param("a", 1, 1), param("b", 1, 1)
	optBig := NewAdam([]*nn.Param{big}, 0.001, 0.9, 0.99, 1, 0)
	optOne := NewAdam([]*nn.Param{one}, 0.001, 0.9, 0.99, 1, 0)
	for s := range 5 {
		copy(big.Grad.Float32s(), []float32{1000, -1000})
		copy(one.Grad.Float32s(), []float32{1, -1})
		optBig.Step()
		optOne.Step()
		for i := range 2 {
			if b, o := big.Value.Float32s()[i], one.Value.Float32s()[i]; b != o {
				t.Fatalf("step %d: clipped update %v differs from unit update %v", s+1, b, o)
			}
		}
		if s == 0 {
			m, v := optBig.slots[0].a, optBig.slots[0].b
			if m[0] != float32(0.1) || m[1] != -float32(0.1) || v[0] != float32(float32(0.01)*1) {
				t.Fatalf("moments after one clipped step: m %v v %v", m, v)
			}
		}
	}
	// Without clipping the moments see the full gradient.
	raw := param("c", 1)
	opt := NewAdam([]*nn.Param{raw}, 0.001, 0.9, 0.99, 0, 0)
	raw.Grad.Float32s()[0] = 1000
	opt.Step()
	if m := opt.slots[0].a[0]; m != 100 {
		t.Fatalf("unclipped m = %v, want 100", m)
	}
}

func TestNonTrainableUntouched(t *testing.T) {
	p := param("w", 1, 2)
	f := frozen("moving_mean", 3, 4)
	// A trainable flag of false wins even if a gradient tensor exists.
	g := param("gamma", 5, 6)
	g.Trainable = false
	params := []*nn.Param{f, p, g}
	for _, opt := range []Optimizer{
		NewAdam(params, 0.1, 0.9, 0.99, 1, 0),
		NewRMSprop(params, 0.1, 0.9),
	} {
		copy(p.Grad.Float32s(), []float32{1, 1})
		copy(g.Grad.Float32s(), []float32{1, 1})
		opt.Step()
		ZeroGrads(params)
	}
	if v := f.Value.Float32s(); v[0] != 3 || v[1] != 4 {
		t.Errorf("non-trainable parameter changed to %v", v)
	}
	if v := g.Value.Float32s(); v[0] != 5 || v[1] != 6 {
		t.Errorf("parameter with Trainable false changed to %v", v)
	}
	if v := p.Value.Float32s(); v[0] == 1 {
		t.Errorf("trainable parameter unchanged: %v", v)
	}
	if gr := g.Grad.Float32s(); gr[0] != 0 {
		t.Errorf("ZeroGrads left %v", gr)
	}
}

func TestZeroGrads(t *testing.T) {
	p, q := param("a", 1, 2, 3), param("b", 4)
	copy(p.Grad.Float32s(), []float32{1, -2, float32(math.NaN())})
	q.Grad.Float32s()[0] = 7
	ZeroGrads([]*nn.Param{p, frozen("f", 1), q})
	for _, g := range append(p.Grad.Float32s(), q.Grad.Float32s()...) {
		if math.Float32bits(g) != 0 {
			t.Fatalf("gradient %v after ZeroGrads", g)
		}
	}
}

// TestNoAllocations checks that Step and ZeroGrads allocate nothing, so a
// training loop produces no garbage from the optimiser.
func TestNoAllocations(t *testing.T) {
	params := []*nn.Param{param("a", 1, 2, 3), frozen("f", 1), param("b", 4, 5)}
	adam := NewAdam(params, 1e-3, 0.9, 0.99, 1, 1e-8)
	rms := NewRMSprop(params, 1e-3, 0.9)
	for name, f := range map[string]func(){
		"Adam.Step":    adam.Step,
		"RMSprop.Step": rms.Step,
		"ZeroGrads":    func() { ZeroGrads(params) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call", name, n)
		}
	}
}

func TestResizedParameterPanics(t *testing.T) {
	p := param("w", 1, 2)
	opt := NewAdam([]*nn.Param{p}, 1e-3, 0.9, 0.99, 0, 0)
	p.Value = tensor.New(tensor.WithShape(3), tensor.Of(tensor.Float32))
	defer func() {
		if recover() == nil {
			t.Fatal("Step on a resized parameter did not panic")
		}
	}()
	opt.Step()
}

func TestPowInt(t *testing.T) {
	for _, c := range []struct {
		b    float64
		n    int64
		want float64
	}{{0.9, 0, 1}, {0.9, 1, 0.9}, {2, 10, 1024}, {0.5, 3, 0.125}} {
		if got := powInt(c.b, c.n); got != c.want {
			t.Errorf("powInt(%v, %d) = %v, want %v", c.b, c.n, got, c.want)
		}
	}
	if got, want := powInt(0.99, 1000), math.Pow(0.99, 1000); math.Abs(got/want-1) > 1e-13 {
		t.Errorf("powInt(0.99, 1000) = %v, math.Pow gives %v", got, want)
	}
}

// TestGolden runs both optimisers for many steps on fixed pseudo-random
// gradients and pins the resulting parameter bits. The constants were
// computed on linux/amd64; arm64 and js/wasm must reproduce them exactly.
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		make func([]*nn.Param) Optimizer
		want uint64
	}{
		{"Adam", func(ps []*nn.Param) Optimizer { return NewAdam(ps, 2e-4, 0.9, 0.99, 1, 1e-8) }, 0xf70d239deb14ef62},
		{"RMSprop", func(ps []*nn.Param) Optimizer { return NewRMSprop(ps, 1e-3, 0.9) }, 0x8d42af3ac6bf9533},
	} {
		vals := make([]float32, 257)
		for i := range vals {
			vals[i] = float32(i%17)/8 - 1
		}
		p := param("w", vals...)
		opt := c.make([]*nn.Param{p})
		s := uint64(12345)
		for range 300 {
			for i := range p.Grad.Float32s() {
				s = s*6364136223846793005 + 1442695040888963407
				// Uniform in [-2, 2), exact in float32.
				p.Grad.Float32s()[i] = float32(int32(s>>40)-1<<23) * 0x1p-22
			}
			opt.Step()
		}
		h := fnv.New64a()
		for _, v := range p.Value.Float32s() {
			u := math.Float32bits(v)
			h.Write([]byte{byte(u), byte(u >> 8), byte(u >> 16), byte(u >> 24)})
		}
		if got := h.Sum64(); got != c.want {
			t.Errorf("%s: parameter hash %#016x, want %#016x", c.name, got, c.want)
		}
	}
}

func BenchmarkAdamStep(b *testing.B) {
	p := param("w", make([]float32, 1<<16)...)
	opt := NewAdam([]*nn.Param{p}, 2e-4, 0.9, 0.99, 1, 1e-8)
	for i := range p.Grad.Float32s() {
		p.Grad.Float32s()[i] = float32(i%7) - 3
	}
	b.SetBytes(4 << 16)
	for b.Loop() {
		opt.Step()
	}
}
