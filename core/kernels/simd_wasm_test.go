//go:build js && wasm

package kernels

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

// TestSIMDPresence makes sure the wasm tests run the implementation they
// claim to: scripts/go_js_wasm_exec_simd supplies the SIMD kernels unless
// VAEAUG_SIMD=0, so the conformance suite (testGemm and the golden hashes)
// covers the kernels in one run and the pure-Go path in the other.
//
// It also reads simd/kernels.wat, which the exec wrapper compiles, and the
// forwarders it hands Go (static/simd-imports.js), so that go test's cache
// knows this package's results depend on them.
func TestSIMDPresence(t *testing.T) {
	for _, f := range []string{"simd/kernels.wat", "../../static/simd-imports.js"} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	want := os.Getenv("VAEAUG_SIMD") != "0"
	if simdOK != want {
		t.Fatalf("simd kernels available = %v, want %v (VAEAUG_SIMD=%q)", simdOK, want, os.Getenv("VAEAUG_SIMD"))
	}
	t.Logf("simd kernels: %v", simdOK)
}

// panelConflicts picks the panels worth copying: a dense layer's 512
// columns and 64 columns over a long run, not the Winograd products' short
// k, 16 or 32 columns, or strides off a line.
func TestPanelConflicts(t *testing.T) {
	for _, c := range []struct {
		ldb, k int
		want   bool
	}{{512, 242, true}, {512, 16, false}, {1024, 9, true}, {64, 256, true}, {64, 64, false},
		{32, 256, false}, {16, 256, false}, {10, 256, false}, {3136, 256, true}} {
		if got := panelConflicts(c.ldb, c.k); got != c.want {
			t.Errorf("panelConflicts(%d, %d) = %v, want %v", c.ldb, c.k, got, c.want)
		}
	}
}

// GemmTA gives the reference bits in both of the orders simdRun can take
// its blocks and p runs (simdTARunsOuter), so that BenchmarkGemmTAWays
// compares two correct products: several blocks of rows, several runs.
func TestGemmTAOrders(t *testing.T) {
	const m, n, k = 150, 16, 600
	rng := rand.New(rand.NewPCG(41, 42))
	a, b, c0 := randSlice(rng, k*m), randSlice(rng, k*n), randSlice(rng, m*n)
	defer func(v bool) { simdTARunsOuter = v }(simdTARunsOuter)
	for _, acc := range []bool{false, true} {
		want := append([]float32(nil), c0...)
		refGemmTA(want, a, b, m, n, k, acc)
		for _, outer := range []bool{false, true} {
			simdTARunsOuter = outer
			got := append([]float32(nil), c0...)
			GemmTA(got, a, b, m, n, k, acc)
			sameBits(t, fmt.Sprintf("GemmTA acc=%v runs outer=%v", acc, outer), got, want)
		}
	}
}
