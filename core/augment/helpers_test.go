package augment

import (
	"math"
	"testing"

	"vaeaug/core/rng"
)

// randomImage returns an image of independent uniform bytes: a pattern with
// no symmetry, so that any misplaced pixel shows.
func randomImage(seed uint64) []uint8 {
	r := rng.New(seed)
	img := make([]uint8, Pixels)
	for i := range img {
		img[i] = uint8(r.IntN(256))
	}
	return img
}

// blob returns a digit-like image: a smooth ring (a "0") of radius about 6
// pixels and stroke width about 2.5, centred, with an off-centre bar so that
// it is not rotationally symmetric. Its pixels reach 255 and fall to exact
// zero well inside the border, like MNIST digits.
func blob() []uint8 {
	img := make([]uint8, Pixels)
	for i := range Side {
		for j := range Side {
			x, y := float64(j)-centre, float64(i)-centre
			d := math.Abs(math.Sqrt(x*x+y*y) - 6)
			v := 0.0
			if d < 2.5 {
				v = 1 - d/2.5
			}
			if y > -2 && y < 2 && x > 0 && x < 6 {
				v = math.Max(v, 1-math.Abs(y)/2)
			}
			img[i*Side+j] = uint8(math.Round(255 * math.Min(1, 1.4*v)))
		}
	}
	return img
}

// mass returns the sum of an image's pixels.
func mass(img []uint8) int {
	s := 0
	for _, v := range img {
		s += int(v)
	}
	return s
}

// mustTransformer returns NewTransformer(c) or stops the test.
func mustTransformer(t testing.TB, c Classic) *Transformer {
	t.Helper()
	tr, err := NewTransformer(c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// diffCount returns how many pixels of a and b differ.
func diffCount(a, b []uint8) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
