package augment

import (
	"bytes"
	"math"
	"testing"

	"vaeaug/core/rng"
)

// TestAddNoiseSpread checks that on mid-grey images, far from the clamps,
// the noise has the requested standard deviation in [0, 1] units and mean
// zero, and that PixelRMS measures the same spread.
func TestAddNoiseSpread(t *testing.T) {
	const n = 100 * Pixels
	src := bytes.Repeat([]uint8{128}, n)
	dst := make([]uint8, n)
	for _, std := range []float64{0.02, 0.05, 0.1} {
		AddNoise(dst, src, std, rng.New(18))
		var sum, sumSq float64
		for i := range dst {
			d := (float64(dst[i]) - 128) / 255
			sum += d
			sumSq += d * d
		}
		mean := sum / n
		got := math.Sqrt(sumSq/n - mean*mean)
		// Rounding to whole pixels adds variance 1/12 pixel², which is
		// included in the expectation.
		want := math.Sqrt(std*std + 1.0/12/(255*255))
		t.Logf("std %.3f: empirical %.5f (expected %.5f), mean %+.5f", std, got, want, mean)
		if math.Abs(got/want-1) > 0.01 {
			t.Errorf("std %.3f: empirical std %.5f, want %.5f ± 1%%", std, got, want)
		}
		if math.Abs(mean) > 5*want/math.Sqrt(n) {
			t.Errorf("std %.3f: mean %.5f is not near zero", std, mean)
		}
		if rms := PixelRMS(dst, src); math.Abs(rms/got-1) > 1e-3 {
			t.Errorf("std %.3f: PixelRMS %.5f differs from the empirical spread %.5f", std, rms, got)
		}
	}
}

// TestAddNoiseEdges checks std 0 (exact copy), clamping at both ends, in-place
// use, and the refusal of negative or NaN std.
func TestAddNoiseEdges(t *testing.T) {
	src := randomImage(19)
	dst := make([]uint8, Pixels)
	AddNoise(dst, src, 0, rng.New(20))
	if !bytes.Equal(dst, src) {
		t.Fatal("std 0 changed the image")
	}

	// Large noise on black and white pixels must clamp, never wrap.
	bw := make([]uint8, Pixels)
	for i := range bw {
		bw[i] = uint8(255 * (i % 2))
	}
	AddNoise(dst, bw, 0.5, rng.New(21))
	zeros, full := 0, 0
	for i, v := range dst {
		if bw[i] == 0 && v == 0 {
			zeros++
		}
		if bw[i] == 255 && v == 255 {
			full++
		}
	}
	// About half of each kind should clamp back to its own value.
	if zeros < Pixels/2/3 || full < Pixels/2/3 {
		t.Errorf("clamping: %d black and %d white pixels kept, want about %d each", zeros, full, Pixels/4)
	}

	want := make([]uint8, Pixels)
	AddNoise(want, src, 0.1, rng.New(22))
	got := append([]uint8(nil), src...)
	AddNoise(got, got, 0.1, rng.New(22))
	if !bytes.Equal(got, want) {
		t.Error("in-place AddNoise differs")
	}

	for _, std := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("std %v accepted", std)
				}
			}()
			AddNoise(dst, src, std, rng.New(23))
		}()
	}
}

// TestPixelRMS checks PixelRMS on differences worked out by hand.
func TestPixelRMS(t *testing.T) {
	black := make([]uint8, Pixels)
	white := bytes.Repeat([]uint8{255}, Pixels)
	grey := bytes.Repeat([]uint8{51}, Pixels) // 51 = 0.2 × 255
	quarter := make([]uint8, Pixels)
	for i := 0; i < Pixels; i += 4 {
		quarter[i] = 255
	}
	for _, c := range []struct {
		name string
		a, b []uint8
		want float64
	}{
		{"same", grey, grey, 0},
		{"black-white", black, white, 1},
		{"white-black", white, black, 1},
		{"0.2 everywhere", black, grey, 0.2},
		{"one pixel in four", black, quarter, 0.5},
		{"empty", nil, nil, 0},
	} {
		if got := PixelRMS(c.a, c.b); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("%s: PixelRMS = %v, want %v", c.name, got, c.want)
		}
	}
}
