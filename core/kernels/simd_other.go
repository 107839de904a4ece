//go:build !(js && wasm)

package kernels

// simdOK is whether SIMD128 kernels are in use: only on js/wasm, where the
// host supplies them (simd_wasm.go).
const simdOK = false

// SIMD reports whether the products run on SIMD kernels: here, the AVX2
// tiles of amd64 builds with GOEXPERIMENT=simd (avx_amd64.go). The results
// are the same bits either way.
func SIMD() bool { return avxOK }

// simdGemm reports false: outside js/wasm every product is pure Go.
func simdGemm(o op, c, a, b []float32, m, n, k int, acc bool) bool { return false }

// simdTranspose reports false: outside js/wasm transposeBlock is pure Go.
func simdTranspose(dst []float32, ldd int, src []float32, lds, rows, cols int) bool { return false }

// simdConvOneOut and simdConvOneOutWeights report false: outside js/wasm
// a convolution to one channel goes through its column matrix.
func simdConvOneOut(y, x, w []float32, g Conv3x3, s *scratch) bool          { return false }
func simdConvOneOutWeights(dw, x, dy []float32, g Conv3x3, s *scratch) bool { return false }

// simdConvOneIn reports false: outside js/wasm a convolution from one
// channel goes through its column matrix.
func simdConvOneIn(y, x, w []float32, g Conv3x3, n int, s *scratch) bool          { return false }
func simdConvOneInWeights(dw, x, dy []float32, g Conv3x3, n int, s *scratch) bool { return false }

// simdCol2im reports false: outside js/wasm Col2im is pure Go.
func simdCol2im(dx, dcols []float32, g Conv3x3) bool { return false }

// simdCol2imRows reports false: outside js/wasm col2imRows is pure Go.
func simdCol2imRows(dx, dcols []float32, g Conv3x3, r0, r1 int) bool { return false }

// simdAddToRows and simdSumRowsInto report false: outside js/wasm a bias's
// passes are Go's loops.
func simdAddToRows(y, b []float32, rows int) bool    { return false }
func simdSumRowsInto(db, g []float32, rows int) bool { return false }

// simdAdam and simdRMSprop report false: outside js/wasm the optimisers'
// updates are Go's loops.
func simdAdam(w, g, m, v []float32, k *AdamFactors) bool    { return false }
func simdRMSprop(w, g, a []float32, k *RMSpropFactors) bool { return false }

// simdDropoutMask reports false: outside js/wasm Dropout's mask is Go's
// loop.
func simdDropoutMask(mask []float32, rate, scale float32) bool { return false }

// simdWino43In, simdWino43Out, simdWino43Weights, simdWino43Dy and
// simdWino43GradOut report false: outside js/wasm the Winograd transforms
// run in Go (or AVX2).
func simdWino43In(v []float32, vs int, d []float32, rs, c, count int) bool  { return false }
func simdWino43Out(y []float32, ys int, m []float32, ms, n, count int) bool { return false }
func simdWino43Weights(u, w []float32, c, n int, adjoint bool) bool         { return false }
func simdWino43Dy(e []float32, es int, dy []float32, ys, n, count int) bool { return false }
func simdWino43GradOut(dw, m []float32, c, n int) bool                      { return false }
