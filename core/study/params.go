package study

import "vaeaug/core/nn"

// saveParams copies every parameter (BatchNorm statistics included) into
// dst, reusing its storage.
func saveParams(dst []float32, params []*nn.Param) []float32 {
	dst = dst[:0]
	for _, p := range params {
		dst = append(dst, p.Data()...)
	}
	return dst
}

// loadParams copies values saved by saveParams back into params.
func loadParams(params []*nn.Param, src []float32) {
	for _, p := range params {
		src = src[copy(p.Data(), src):]
	}
}
