package augment

import (
	"math"
	"testing"

	"vaeaug/core/rng"
)

// TestGaussianKernel checks the taps: scipy's radius int(4σ + 0.5), cut to
// the image width, symmetric bit for bit, and summing to 1 when nothing was
// cut.
func TestGaussianKernel(t *testing.T) {
	for _, q := range []struct {
		sigma float64
		taps  int
	}{{4, 33}, {1, 9}, {0.1, 1}, {6.8, 55}, {10, 55}} {
		w := gaussianKernel(q.sigma)
		if len(w) != q.taps {
			t.Errorf("sigma %v: %d taps, want %d", q.sigma, len(w), q.taps)
			continue
		}
		sum := 0.0
		for k := range w {
			sum += w[k]
			if w[k] != w[len(w)-1-k] {
				t.Errorf("sigma %v: tap %d not symmetric", q.sigma, k)
			}
		}
		if q.taps < 2*Side-1 && math.Abs(sum-1) > 1e-15 {
			t.Errorf("sigma %v: taps sum to %v, want 1", q.sigma, sum)
		}
	}
}

// TestBlurImpulse checks the separable blur on a single bright pixel: each
// output is one product of two taps (every other term is zero), so the result
// is exactly the outer product of the kernel with itself, cut by the border.
func TestBlurImpulse(t *testing.T) {
	w := gaussianKernel(4)
	radius := len(w) / 2
	var f, tmp [Pixels]float64
	const ci, cj = 5, 20 // off centre, so the cut at the border is exercised
	f[ci*Side+cj] = 1
	blurRows(&tmp, &f, w)
	blurCols(&f, &tmp, w)
	for i := range Side {
		for j := range Side {
			di, dj := i-ci+radius, j-cj+radius
			want := 0.0
			if di >= 0 && di < len(w) && dj >= 0 && dj < len(w) {
				want = float64(w[di] * w[dj])
			}
			if got := f[i*Side+j]; got != want {
				t.Fatalf("blurred impulse at (%d,%d) = %v, want %v", i, j, got, want)
			}
		}
	}
}

// TestFieldStatistics checks the size of the displacement field against
// theory: at a pixel far enough inside, the smoothed uniform field has
// variance (1/3)·(Σw²)², because the 2-D kernel is the outer product of w with
// itself, so alpha·sqrt(1/3)·Σw² is its standard deviation — about 1.3 pixels
// for alpha 34 and sigma 4.
func TestFieldStatistics(t *testing.T) {
	const alpha, sigma = 34.0, 4.0
	w := gaussianKernel(sigma)
	s2 := 0.0
	for _, v := range w {
		s2 += v * v
	}
	want := alpha * math.Sqrt(1.0/3) * s2

	r := rng.New(7)
	var f, tmp [Pixels]float64
	var sum, sumSq float64
	n := 0
	for range 2000 {
		drawField(&f, &tmp, w, alpha, r)
		// Only the centre pixel: with radius 16 no pixel of a 28-pixel image
		// has its whole kernel inside, but the centre loses least.
		v := f[14*Side+14]
		sum += v
		sumSq += v * v
		n++
	}
	mean := sum / float64(n)
	std := math.Sqrt(sumSq/float64(n) - mean*mean)
	t.Logf("field std at the centre %.4f pixels (theory %.4f), mean %.4f", std, want, mean)
	if math.Abs(std/want-1) > 0.06 {
		t.Errorf("field std %.4f, want %.4f ± 6%%", std, want)
	}
	if math.Abs(mean) > 4*want/math.Sqrt(float64(n)) {
		t.Errorf("field mean %.4f is not near 0", mean)
	}
}

// TestElasticComposition checks how the displacement field composes with the
// affine transform: the output pixel p samples A⁻¹(p + d(p)). A constant
// field of +3 in x therefore moves the image 3 pixels left, and combined with
// an affine shift of 3 pixels right it cancels exactly.
func TestElasticComposition(t *testing.T) {
	src := randomImage(8)
	tr := mustTransformer(t, Classic{})
	dst := make([]uint8, Pixels)
	for i := range tr.dx {
		tr.dx[i], tr.dy[i] = 3, 0
	}
	tr.warp(dst, src, Identity, true)
	if n := diffCount(dst, shifted(src, -3, 0)); n != 0 {
		t.Errorf("constant field: %d pixels differ from a 3-pixel left shift", n)
	}
	tr.warp(dst, src, Affine{Scale: 1, ShiftX: 3}, true)
	if n := diffCount(dst, src); n != 0 {
		t.Errorf("field and opposite shift: %d pixels differ from the source", n)
	}
}
