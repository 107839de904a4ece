//go:build goexperiment.simd && amd64

package kernels

import (
	"os"
	"simd/archsimd"
	"testing"
)

// TestAVXPresence makes sure the conformance suite ran on the AVX2 tiles
// when it should: on a CPU with AVX2 unless VAEAUG_SIMD=0 (make test-native
// runs the suite both ways).
func TestAVXPresence(t *testing.T) {
	want := archsimd.X86.AVX2() && os.Getenv("VAEAUG_SIMD") != "0"
	if avxOK != want || SIMD() != want {
		t.Fatalf("AVX2 tiles in use = %v, want %v (VAEAUG_SIMD=%q)", avxOK, want, os.Getenv("VAEAUG_SIMD"))
	}
	t.Logf("AVX2 tiles: %v", avxOK)
}
