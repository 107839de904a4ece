//go:build js && wasm

package kernels

import (
	"os"
	"testing"
)

// TestSIMDPresence makes sure the wasm tests run the implementation they
// claim to: scripts/go_js_wasm_exec_simd supplies the SIMD kernels unless
// VAEAUG_SIMD=0, so the conformance suite (testGemm and the golden hashes)
// covers the kernels in one run and the pure-Go path in the other.
//
// It also reads simd/kernels.wat, which the exec wrapper compiles, so that
// go test's cache knows this package's results depend on it.
func TestSIMDPresence(t *testing.T) {
	if _, err := os.ReadFile("simd/kernels.wat"); err != nil {
		t.Fatal(err)
	}
	want := os.Getenv("VAEAUG_SIMD") != "0"
	if simdOK != want {
		t.Fatalf("simd kernels available = %v, want %v (VAEAUG_SIMD=%q)", simdOK, want, os.Getenv("VAEAUG_SIMD"))
	}
	t.Logf("simd kernels: %v", simdOK)
}
