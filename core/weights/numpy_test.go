package weights

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// The testdata/numpy_*.npz files were written by NumPy 1.24 (Debian's
// python3-numpy) with:
//
//	ws = {
//	  "conv2d_1/kernel": (np.arange(36, dtype=np.float32).reshape(3, 3, 1, 4) / 8 - 2).astype('<f4'),
//	  "conv2d_1/bias": np.array([0.1, -0.2, 1e-38, np.float32(np.inf)], dtype='<f4'),
//	  "dense_1/kernel": (np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.3)).astype('<f4'),
//	}
//	np.savez('testdata/numpy_savez.npz', **ws)
//	np.savez_compressed('testdata/numpy_savez_compressed.npz', **ws)
//	np.savez('testdata/numpy_float64.npz', **{"dense_1/kernel": np.ones((2, 3))})
//	np.savez('testdata/numpy_fortran.npz', **{"dense_1/kernel": np.asfortranarray(np.ones((2, 3), dtype='<f4'))})
//
// The other direction (np.load of a file from Write, including '/' in keys
// and NaN payloads) was checked by hand with the same NumPy.

func TestReadNumPyFiles(t *testing.T) {
	kernel := make([]float32, 36)
	for i := range kernel {
		kernel[i] = float32(i)/8 - 2
	}
	want := []struct {
		key   string
		shape []int
		vals  []float32
	}{
		{"conv2d_1/kernel", []int{3, 3, 1, 4}, kernel},
		{"conv2d_1/bias", []int{4}, []float32{0.1, -0.2, math.Float32frombits(7136238), float32(math.Inf(1))}},
		{"dense_1/kernel", []int{2, 3}, []float32{0, 0.3, 0.6, math.Float32frombits(1063675495), 1.2, 1.5}},
	}
	for _, file := range []string{"testdata/numpy_savez.npz", "testdata/numpy_savez_compressed.npz"} {
		got, err := ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", file, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Key != w.key || !slices.Equal([]int(g.Value.Shape()), w.shape) || !slices.Equal(g.Value.Float32s(), w.vals) {
				t.Errorf("%s: entry %d is %q %v %v, want %q %v %v", file, i, g.Key, g.Value.Shape(), g.Value.Float32s(), w.key, w.shape, w.vals)
			}
		}
	}
}

func TestReadNumPyRejects(t *testing.T) {
	if _, err := ReadFile("testdata/numpy_float64.npz"); !errors.Is(err, ErrDtype) {
		t.Errorf("float64 archive: %v, want ErrDtype", err)
	} else {
		t.Log(err)
	}
	if _, err := ReadFile("testdata/numpy_fortran.npz"); !errors.Is(err, ErrHeader) {
		t.Errorf("Fortran-ordered archive: %v, want ErrHeader", err)
	} else {
		t.Log(err)
	}
}
