//go:build !(js && wasm) && !(goexperiment.simd && amd64)

package kernels

// Without SIMD128 kernels or AVX2 tiles (simdOK and avxOK are constant
// false here) the layer kernels always take the pure-Go path of layers.go;
// these are never called.

func fastChannelSums(sum []float64, x []float32, rows, c int) { panic("unreachable") }
func fastChannelSqDevs(sum2 []float64, x []float32, mean []float64, rows, c int) {
	panic("unreachable")
}
func fastChannelSumsDot(sum, sum2 []float64, g, h []float32, rows, c int) { panic("unreachable") }
func fastBatchNormApply(y, xhat, x, mean, invStd, gamma, beta []float32, rows, c int) {
	panic("unreachable")
}
func fastScaleChannels(dst, x, scale []float32, rows, c int) { panic("unreachable") }
func fastBatchNormBackward(dx, g, h []float32, sum, sum2, coef []float64, n float64, rows, c int) {
	panic("unreachable")
}
func fastReLU(y, x []float32)                                 { panic("unreachable") }
func fastReLUBackward(dx, g, y []float32)                     { panic("unreachable") }
func fastLeakyReLU(y, x []float32, alpha float32)             { panic("unreachable") }
func fastLeakyReLUBackward(dx, g, x []float32, alpha float32) { panic("unreachable") }
func fastMaxPool2x2(y []float32, arg []int32, x []float32, n, h, w, c int) {
	panic("unreachable")
}
func fastMaxPool2x2Backward(dx, dy []float32, arg []int32, n, h, w, c int) {
	panic("unreachable")
}
