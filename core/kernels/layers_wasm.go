//go:build js && wasm

package kernels

import "unsafe"

// The layer kernels on js/wasm: SIMD128 functions of simd/kernels.wat,
// imported like the products (simd_wasm.go) and used only when simdOK. Each
// computes exactly its pure-Go twin in layers.go; the callers there have
// checked the lengths, and rows, c and n are positive. None keeps a pointer
// past the call.

//go:wasmimport simd addrows
//go:noescape
func simdAddRows(y, b unsafe.Pointer, rows, c int32)

//go:wasmimport simd sumrows
//go:noescape
func simdSumRows(db, g unsafe.Pointer, rows, c int32)

//go:wasmimport simd chansum
//go:noescape
func simdChanSum(sum, x unsafe.Pointer, rows, c int32)

//go:wasmimport simd chansqdev
//go:noescape
func simdChanSqDev(sum2, x, mean unsafe.Pointer, rows, c int32)

//go:wasmimport simd chansumdot
//go:noescape
func simdChanSumDot(sum, sum2, g, h unsafe.Pointer, rows, c int32)

//go:wasmimport simd bnapply
//go:noescape
func simdBNApply(y, xhat, x, mean, invStd, gamma, beta unsafe.Pointer, rows, c int32)

//go:wasmimport simd chanscale
//go:noescape
func simdChanScale(dst, x, scale unsafe.Pointer, rows, c int32)

//go:wasmimport simd bnbwd
//go:noescape
func simdBNBwd(dx, g, h, sum, sum2, coef unsafe.Pointer, n float64, rows, c int32)

//go:wasmimport simd dropmask
//go:noescape
func simdDropMask(m unsafe.Pointer, n int32, rate, scale float32)

//go:wasmimport simd relu
//go:noescape
func simdReLU(y, x unsafe.Pointer, n int32)

//go:wasmimport simd relubwd
//go:noescape
func simdReLUBwd(dx, g, y unsafe.Pointer, n int32)

//go:wasmimport simd lrelu
//go:noescape
func simdLReLU(y, x unsafe.Pointer, n int32, alpha float32)

//go:wasmimport simd lrelubwd
//go:noescape
func simdLReLUBwd(dx, g, x unsafe.Pointer, n int32, alpha float32)

//go:wasmimport simd maxpool
//go:noescape
func simdMaxPool(y, arg, x unsafe.Pointer, n, h, w, c int32)

//go:wasmimport simd maxpoolbwd
//go:noescape
func simdMaxPoolBwd(dx, dy, arg unsafe.Pointer, n, h, w, c int32)

func p32(s []float32) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }
func p64(s []float64) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }

// b32 is a bool as the kernels take it.
func b32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func fastChannelSums(sum []float64, x []float32, rows, c int) {
	simdChanSum(p64(sum), p32(x), int32(rows), int32(c))
}

func fastChannelSqDevs(sum2 []float64, x []float32, mean []float64, rows, c int) {
	simdChanSqDev(p64(sum2), p32(x), p64(mean), int32(rows), int32(c))
}

func fastChannelSumsDot(sum, sum2 []float64, g, h []float32, rows, c int) {
	simdChanSumDot(p64(sum), p64(sum2), p32(g), p32(h), int32(rows), int32(c))
}

func fastBatchNormApply(y, xhat, x, mean, invStd, gamma, beta []float32, rows, c int) {
	simdBNApply(p32(y), p32(xhat), p32(x), p32(mean), p32(invStd), p32(gamma), p32(beta), int32(rows), int32(c))
}

func fastScaleChannels(dst, x, scale []float32, rows, c int) {
	simdChanScale(p32(dst), p32(x), p32(scale), int32(rows), int32(c))
}

func fastBatchNormBackward(dx, g, h []float32, sum, sum2, coef []float64, n float64, rows, c int) {
	simdBNBwd(p32(dx), p32(g), p32(h), p64(sum), p64(sum2), p64(coef), n, int32(rows), int32(c))
}

func fastReLU(y, x []float32) { simdReLU(p32(y), p32(x), int32(len(y))) }

func fastReLUBackward(dx, g, y []float32) { simdReLUBwd(p32(dx), p32(g), p32(y), int32(len(dx))) }

func fastLeakyReLU(y, x []float32, alpha float32) {
	simdLReLU(p32(y), p32(x), int32(len(y)), alpha)
}

func fastLeakyReLUBackward(dx, g, x []float32, alpha float32) {
	simdLReLUBwd(p32(dx), p32(g), p32(x), int32(len(dx)), alpha)
}

func fastMaxPool2x2(y []float32, arg []int32, x []float32, n, h, w, c int) {
	simdMaxPool(p32(y), unsafe.Pointer(unsafe.SliceData(arg)), p32(x), int32(n), int32(h), int32(w), int32(c))
}

func fastMaxPool2x2Backward(dx, dy []float32, arg []int32, n, h, w, c int) {
	simdMaxPoolBwd(p32(dx), p32(dy), unsafe.Pointer(unsafe.SliceData(arg)), int32(n), int32(h), int32(w), int32(c))
}

// simdAddToRows and simdSumRowsInto run AddToRows and SumRowsInto on the
// SIMD kernels and report true, or report false, having done nothing, when
// they are absent.
func simdAddToRows(y, b []float32, rows int) bool {
	if !simdOK {
		return false
	}
	simdAddRows(p32(y), p32(b), int32(rows), int32(len(b)))
	return true
}

func simdSumRowsInto(db, g []float32, rows int) bool {
	if !simdOK {
		return false
	}
	simdSumRows(p32(db), p32(g), int32(rows), int32(len(db)))
	return true
}

// simdDropoutMask runs DropoutMask on the SIMD kernels and reports true, or
// reports false, having done nothing, when they are absent.
func simdDropoutMask(mask []float32, rate, scale float32) bool {
	if !simdOK {
		return false
	}
	simdDropMask(p32(mask), int32(len(mask)), rate, scale)
	return true
}
