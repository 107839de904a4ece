//go:build !(goexperiment.simd && amd64)

package kernels

// avxOK is false: the AVX2 tiles (avx_amd64.go) exist only in amd64 builds
// with GOEXPERIMENT=simd.
const avxOK = false

// avxRange reports false: without the AVX2 tiles every block is pure Go.
func avxRange(o op, c, a, b []float32, m, n, k int, acc bool, i0, i1, j0, j1 int, s *scratch) bool {
	return false
}

// avxWino43In, avxWino43Out and avxWino43Dy report false: without AVX2
// the Winograd transforms are pure Go (or SIMD128 on js/wasm).
func avxWino43In(v []float32, vs int, d []float32, rs, c, count int) bool  { return false }
func avxWino43Out(y []float32, ys int, m []float32, ms, n, count int) bool { return false }
func avxWino43Dy(e []float32, es int, dy []float32, ys, n, count int) bool { return false }

// avxConvOneOut reports false: AVX needs amd64 and GOEXPERIMENT=simd.
func avxConvOneOut(y, x, w []float32, g Conv3x3, r0, r1 int, zero []float32) bool { return false }
