package nn

import (
	"math"
	"testing"

	"vaeaug/core/rng"
)

// moments returns the mean and standard deviation of xs.
func moments(xs []float32) (mean, std float64) {
	for _, x := range xs {
		mean += float64(x)
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		d := float64(x) - mean
		std += d * d
	}
	return mean, math.Sqrt(std / float64(len(xs)))
}

// TestInitializerStatistics checks each random initializer on a 3×3×64×64
// conv kernel (576×64 values, fan_in 576, fan_out 576): the empirical
// standard deviation must match the Keras formula within a few percent and
// every value must respect the distribution's bounds.
func TestInitializerStatistics(t *testing.T) {
	const fanIn, fanOut = 9 * 64, 9 * 64
	cases := []struct {
		name  string
		init  Initializer
		std   float64 // standard deviation of the values
		bound float64 // largest magnitude allowed
	}{
		{"HeNormal", HeNormal, math.Sqrt(2.0 / fanIn), 2 * math.Sqrt(2.0/fanIn) / truncStd},
		{"GlorotNormal", GlorotNormal, math.Sqrt(2.0 / (fanIn + fanOut)), 2 * math.Sqrt(2.0/(fanIn+fanOut)) / truncStd},
		// Uniform on [-l, l) has standard deviation l/sqrt(3).
		{"GlorotUniform", GlorotUniform, math.Sqrt(6.0/(fanIn+fanOut)) / math.Sqrt(3), math.Sqrt(6.0 / (fanIn + fanOut))},
	}
	for _, c := range cases {
		dst := make([]float32, 576*64)
		c.init(dst, fanIn, fanOut, rng.New(1))
		mean, std := moments(dst)
		if math.Abs(std/c.std-1) > 0.03 {
			t.Errorf("%s: std %v, want %v", c.name, std, c.std)
		}
		if math.Abs(mean) > 0.05*c.std {
			t.Errorf("%s: mean %v, want about 0", c.name, mean)
		}
		maxAbs := 0.0
		for _, v := range dst {
			maxAbs = max(maxAbs, math.Abs(float64(v)))
		}
		// float32 rounding may push a value at the bound up by half an ulp.
		if maxAbs > c.bound*(1+1e-6) {
			t.Errorf("%s: |value| up to %v, bound %v", c.name, maxAbs, c.bound)
		}
		// The extremes must come close to the bound, or the spread is wrong.
		if maxAbs < 0.95*c.bound {
			t.Errorf("%s: |value| only up to %v, bound %v", c.name, maxAbs, c.bound)
		}
	}
}

// TestHeNormalFanIn checks that HeNormal scales with fan_in alone, as a
// dense kernel 3136×512 would use it.
func TestHeNormalFanIn(t *testing.T) {
	a := make([]float32, 20000)
	HeNormal(a, 3136, 512, rng.New(2))
	_, std := moments(a)
	if want := math.Sqrt(2.0 / 3136); math.Abs(std/want-1) > 0.03 {
		t.Fatalf("std %v, want %v", std, want)
	}
}

func TestZerosOnes(t *testing.T) {
	d := []float32{3, -1, float32(math.NaN()), 7}
	Zeros(d, 4, 4, nil)
	for i, v := range d {
		if math.Float32bits(v) != 0 {
			t.Fatalf("Zeros: dst[%d] = %v", i, v)
		}
	}
	d[2] = float32(math.NaN())
	Ones(d, 4, 4, nil)
	for i, v := range d {
		if v != 1 {
			t.Fatalf("Ones: dst[%d] = %v", i, v)
		}
	}
}

// TestInitializerDeterminism checks that a seed fixes the values, that they
// are drawn in order (a shorter destination is a prefix of a longer one) and
// pins a few of them bit for bit across platforms.
func TestInitializerDeterminism(t *testing.T) {
	for _, c := range []struct {
		name string
		init Initializer
		want [3]uint32
	}{
		{"HeNormal", HeNormal, [3]uint32{0xbe47c921, 0x3dfcf9b5, 0xbee16444}},
		{"GlorotNormal", GlorotNormal, [3]uint32{0xbd9ec607, 0x3d490b63, 0xbe331f86}},
		{"GlorotUniform", GlorotUniform, [3]uint32{0xbe3ed25b, 0xbdbeab89, 0x3bc10365}},
	} {
		long := make([]float32, 1000)
		c.init(long, 27, 144, rng.New(9))
		again := make([]float32, 1000)
		c.init(again, 27, 144, rng.New(9))
		short := make([]float32, 10)
		c.init(short, 27, 144, rng.New(9))
		for i := range long {
			if math.Float32bits(long[i]) != math.Float32bits(again[i]) {
				t.Fatalf("%s: same seed, different value at %d", c.name, i)
			}
		}
		for i := range short {
			if short[i] != long[i] {
				t.Fatalf("%s: values not drawn in order (index %d)", c.name, i)
			}
		}
		got := [3]uint32{math.Float32bits(long[0]), math.Float32bits(long[1]), math.Float32bits(long[999])}
		if got != c.want {
			t.Errorf("%s: values 0, 1, 999 are %#x, want %#x", c.name, got, c.want)
		}
	}
}
