package kernels

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// goldenSums are FNV-1a hashes of the output bits of fixed problems, recorded
// on linux/amd64. The same hashes on another GOARCH (js/wasm, arm64) show the
// kernels give bit-identical results there, which the per-platform
// comparisons with the reference cannot show on their own.
var goldenSums = map[string]uint64{
	"Gemm":            0xdd6288f4fca264d1,
	"Gemm-acc":        0x7fbed844d41bab78,
	"GemmTA":          0x5bbccdb8aed0bb30,
	"GemmTA-acc":      0xf2860f1d6da1bbfa,
	"GemmTB":          0xcfac91911fdbe663,
	"GemmTB-acc":      0x6f7f5aec272be2db,
	"Im2col":          0x4b0c07e107ceff8c,
	"Col2im":          0x3371eed6dca2d425,
	"Winograd":        0xdf05d68ed772ee47,
	"WinogradWeights": 0xd07d0320fa7c9f80,
}

func hashBits(v []float32) uint64 {
	h := fnv.New64a()
	var b [4]byte
	for _, x := range v {
		u := math.Float32bits(x)
		b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
		h.Write(b[:])
	}
	return h.Sum64()
}

func goldenOutputs() map[string][]float32 {
	rng := rand.New(rand.NewPCG(2024, 7))
	out := map[string][]float32{}
	m, n, k := 37, 19, 300
	a, b, c0 := randSlice(rng, m*k), randSlice(rng, k*n), randSlice(rng, m*n)
	for name, f := range map[string]gemmFunc{"Gemm": Gemm, "GemmTA": GemmTA, "GemmTB": GemmTB} {
		c := make([]float32, m*n)
		f(c, a, b, m, n, k, false)
		out[name] = c
		c = append([]float32(nil), c0...)
		f(c, a, b, m, n, k, true)
		out[name+"-acc"] = c
	}
	g := Conv3x3{N: 2, H: 7, W: 6, C: 3, Stride: 2}
	x := randSlice(rng, g.N*g.H*g.W*g.C)
	cols := make([]float32, g.Rows()*g.Cols())
	Im2col(cols, x, g)
	out["Im2col"] = cols
	dcols := randSlice(rng, len(cols))
	dx := make([]float32, len(x))
	Col2im(dx, dcols, g)
	out["Col2im"] = dx
	wg := Conv3x3{N: 2, H: 6, W: 8, C: 8, Stride: 1}
	wx, ww := randSlice(rng, wg.N*wg.H*wg.W*wg.C), randSlice(rng, 9*wg.C*12)
	u := make([]float32, WinogradWeightsLen(wg.C, 12))
	WinogradWeights(u, ww, wg.C, 12)
	out["WinogradWeights"] = u
	wy := make([]float32, wg.N*wg.H*wg.W*12)
	Conv3x3Winograd(wy, wx, u, wg, 12)
	out["Winograd"] = wy
	return out
}

func TestGoldenBits(t *testing.T) {
	for name, v := range goldenOutputs() {
		got := hashBits(v)
		want, ok := goldenSums[name]
		if !ok {
			t.Errorf("%s: no golden hash; got %#x", name, got)
			continue
		}
		if got != want {
			t.Errorf("%s: hash %#x, want %#x", name, got, want)
		}
	}
}
