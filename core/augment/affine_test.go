package augment

import (
	"bytes"
	"testing"

	"vaeaug/core/rng"
)

// TestIdentity checks that the identity transform, reached three ways,
// returns the image byte for byte.
func TestIdentity(t *testing.T) {
	src := randomImage(1)
	tr := mustTransformer(t, Classic{})
	dst := make([]uint8, Pixels)

	tr.Warp(dst, src, Identity)
	if n := diffCount(dst, src); n != 0 {
		t.Fatalf("Warp(Identity) changed %d pixels", n)
	}

	// The zero Classic draws rotation 0, scale 1 and shift 0 from r.
	r := rng.New(2)
	for range 5 {
		clear(dst)
		tr.Apply(dst, src, r)
		if n := diffCount(dst, src); n != 0 {
			t.Fatalf("Apply with the zero Classic changed %d pixels", n)
		}
	}

	// Elastic settings with probability 0 must not distort.
	c := DefaultClassic()
	c.MaxShift, c.MaxRotate, c.ScaleRange, c.ElasticProb = 0, 0, 0, 0
	tr = mustTransformer(t, c)
	tr.Apply(dst, src, r)
	if n := diffCount(dst, src); n != 0 {
		t.Fatalf("Apply with ElasticProb 0 changed %d pixels", n)
	}
}

// shifted returns src moved dx pixels right and dy pixels down, with zeros
// shifted in.
func shifted(src []uint8, dx, dy int) []uint8 {
	out := make([]uint8, Pixels)
	for i := range Side {
		for j := range Side {
			si, sj := i-dy, j-dx
			if si >= 0 && si < Side && sj >= 0 && sj < Side {
				out[i*Side+j] = src[si*Side+sj]
			}
		}
	}
	return out
}

// TestIntegerShift checks that whole-pixel shifts move pixels exactly.
func TestIntegerShift(t *testing.T) {
	src := randomImage(3)
	tr := mustTransformer(t, Classic{})
	dst := make([]uint8, Pixels)
	for _, s := range [][2]int{{1, 0}, {0, 1}, {3, -2}, {-5, 4}, {-1, -1}, {27, 0}, {0, -28}} {
		tr.Warp(dst, src, Affine{Scale: 1, ShiftX: float64(s[0]), ShiftY: float64(s[1])})
		if n := diffCount(dst, shifted(src, s[0], s[1])); n != 0 {
			t.Errorf("shift %v: %d pixels differ", s, n)
		}
	}
}

// rotated90 returns src turned a quarter counter-clockwise as displayed: the
// top-right corner goes to the top-left, so out[27−j][i] = src[i][j].
func rotated90(src []uint8) []uint8 {
	out := make([]uint8, Pixels)
	for i := range Side {
		for j := range Side {
			out[(Side-1-j)*Side+i] = src[i*Side+j]
		}
	}
	return out
}

// TestQuarterTurns checks rotations by multiples of 90 degrees against the
// index permutation they must be. sinCos(π/2) gives cos ≈ 6e-17 rather than
// 0, so the source points miss the pixel centres by ~1e-15; rounding to
// uint8 absorbs that, and the result must match exactly.
func TestQuarterTurns(t *testing.T) {
	src := randomImage(4)
	tr := mustTransformer(t, Classic{})
	dst := make([]uint8, Pixels)
	want := src
	for k := 1; k <= 4; k++ {
		want = rotated90(want)
		tr.Warp(dst, src, Affine{Rotate: float64(90 * k), Scale: 1})
		if n := diffCount(dst, want); n != 0 {
			t.Errorf("rotation by %d°: %d pixels differ", 90*k, n)
		}
	}
	// A negative quarter turn is three positive ones.
	tr.Warp(dst, src, Affine{Rotate: -90, Scale: 1})
	if !bytes.Equal(dst, rotated90(rotated90(rotated90(src)))) {
		t.Error("rotation by -90° differs from three quarter turns")
	}
}

// TestScaleAboutCentre checks that scaling works about the image centre.
// At scale 1/3 the output pixel j takes the source point 13.5 + 3(j − 13.5)
// = 3j − 27, a pixel centre, so the shrunken image must be every third
// source pixel, exactly, in the block of output pixels 9..18 and zero
// elsewhere.
func TestScaleAboutCentre(t *testing.T) {
	src := randomImage(5)
	tr := mustTransformer(t, Classic{})
	dst := make([]uint8, Pixels)
	tr.Warp(dst, src, Affine{Scale: 1.0 / 3})
	for i := range Side {
		for j := range Side {
			var want uint8
			if i >= 9 && i <= 18 && j >= 9 && j <= 18 {
				want = src[(3*i-27)*Side+3*j-27]
			}
			if got := dst[i*Side+j]; got != want {
				t.Errorf("scale 1/3 at (%d,%d) = %d, want %d", i, j, got, want)
			}
		}
	}
}

// TestInPlace checks that dst may alias src.
func TestInPlace(t *testing.T) {
	src := blob()
	tr := mustTransformer(t, DefaultClassic())
	want := make([]uint8, Pixels)
	tr.Apply(want, src, rng.New(6))
	got := append([]uint8(nil), src...)
	tr.Apply(got, got, rng.New(6))
	if !bytes.Equal(got, want) {
		t.Fatal("in-place Apply differs from Apply into a separate buffer")
	}
}
