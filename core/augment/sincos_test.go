package augment

import (
	"math"
	"testing"
)

// TestSinCosAccuracy compares sinCos with math.Sin and math.Cos over every
// angle the package can use (|x| ≤ π, i.e. ±180 degrees) and a margin
// beyond. The bound the package needs is 1e-12; the Taylor polynomial does
// much better, and the tighter bound guards against a mistyped coefficient.
func TestSinCosAccuracy(t *testing.T) {
	const n = 200001
	maxErr := 0.0
	for i := range n {
		x := -4 + 8*float64(i)/(n-1)
		s, c := sinCos(x)
		maxErr = math.Max(maxErr, math.Max(math.Abs(s-math.Sin(x)), math.Abs(c-math.Cos(x))))
	}
	for deg := -180.0; deg <= 180; deg += 0.125 {
		x := degToRad(deg)
		s, c := sinCos(x)
		maxErr = math.Max(maxErr, math.Max(math.Abs(s-math.Sin(x)), math.Abs(c-math.Cos(x))))
	}
	t.Logf("max |error| = %.3g", maxErr)
	if maxErr > 1e-12 {
		t.Fatalf("max |error| %.3g exceeds 1e-12", maxErr)
	}
	if maxErr > 4.5e-16 {
		t.Fatalf("max |error| %.3g exceeds 4.5e-16 (about two ulps of 1)", maxErr)
	}
}

// TestSinCosExactPoints checks the values the geometry relies on.
func TestSinCosExactPoints(t *testing.T) {
	if s, c := sinCos(0); s != 0 || c != 1 {
		t.Fatalf("sinCos(0) = %v, %v; want 0, 1", s, c)
	}
	for _, q := range []struct{ deg, sin, cos float64 }{
		{90, 1, 0}, {180, 0, -1}, {-90, -1, 0}, {270, -1, 0},
	} {
		s, c := sinCos(degToRad(q.deg))
		if math.Abs(s-q.sin) > 1e-15 || math.Abs(c-q.cos) > 1e-15 {
			t.Errorf("sinCos(%v°) = %v, %v; want %v, %v", q.deg, s, c, q.sin, q.cos)
		}
	}
	// Away from the quadrant boundaries (odd multiples of π/4) the reduction
	// and the polynomials are symmetric, so odd and even symmetry hold bit
	// for bit.
	for _, x := range []float64{0.1, 0.5, 1, 2, 3} {
		s1, c1 := sinCos(x)
		s2, c2 := sinCos(-x)
		if s1 != -s2 || c1 != c2 {
			t.Errorf("sinCos(±%v) not symmetric: %v %v / %v %v", x, s1, c1, s2, c2)
		}
	}
}
