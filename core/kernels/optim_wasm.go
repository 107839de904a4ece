//go:build js && wasm

package kernels

import "unsafe"

// The optimisers' updates (optim.go) on js/wasm: SIMD128 functions of
// simd/kernels.wat, imported like the layer kernels (layers_wasm.go) and
// used only when simdOK. None keeps a pointer past the call.

//go:wasmimport simd adam
//go:noescape
func simdAdamKernel(w, g, m, v unsafe.Pointer, n int32, b1, c1, b2, c2, lr, eps, clip float32, doClip int32)

//go:wasmimport simd rmsprop
//go:noescape
func simdRMSpropKernel(w, g, a unsafe.Pointer, n int32, rho, c, lr, eps, clip float32, doClip int32)

// simdAdam and simdRMSprop run AdamUpdate and RMSpropUpdate on the SIMD
// kernels and report true, or report false, having done nothing, when they
// are absent.
func simdAdam(w, g, m, v []float32, k *AdamFactors) bool {
	if !simdOK {
		return false
	}
	simdAdamKernel(p32(w), p32(g), p32(m), p32(v), int32(len(w)),
		k.B1, k.C1, k.B2, k.C2, k.LR, k.Eps, k.Clip, b32(k.DoClip))
	return true
}

func simdRMSprop(w, g, a []float32, k *RMSpropFactors) bool {
	if !simdOK {
		return false
	}
	simdRMSpropKernel(p32(w), p32(g), p32(a), int32(len(w)), k.Rho, k.C, k.LR, k.Eps, k.Clip, b32(k.DoClip))
	return true
}
