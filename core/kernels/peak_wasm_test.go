package kernels

import (
	"testing"
	"time"
	"unsafe"
)

// simdPeakKernel runs n rounds of the kernels' register tile without its
// memory (64 flops each: see peak in simd/kernels.wat) over w, 64 floats.
//
//go:wasmimport simd peak
//go:noescape
func simdPeakKernel(w unsafe.Pointer, n int32) float32

// gaugeSlice is how long each turn runs the benchmarked pass, then the
// gauge, while reportShare times them in turn: long against the browser
// clock's 0.1 ms steps, short against the host's spells. gaugeBudget
// bounds the pass's time over the turns, which number 3 to 12.
const (
	gaugeSlice  = time.Millisecond
	gaugeBudget = 24 * time.Millisecond
)

func init() {
	if simdOK {
		reportGaugeShare = reportShare
	}
}

// reportShare times run (a pass of flops operations) and the gauge (peak
// in simd/kernels.wat, the kernels' multiply-then-add on registers alone)
// in turns, slices of about gaugeSlice each, and reports the gauge's speed
// (gauge-GFLOP/s) and run's speed as a share of it (gauge-share). Timed in
// turns, both see the same moments of the host, so the share holds still
// while the host's speed swings; tests/bench/run.mjs prints it.
func reportShare(b *testing.B, flops float64, run func()) {
	b.StopTimer()
	defer b.StartTimer()
	perPass := b.Elapsed().Seconds() / float64(b.N)
	calls := max(1, int(gaugeSlice.Seconds()/perPass))
	slice := float64(calls) * perPass
	turns := min(12, max(3, int(gaugeBudget.Seconds()/slice)))
	// Rounds for a slice at 30 GFLOP/s, 64 flops each.
	rounds := int32(min(1<<24, max(1<<12, slice*30e9/64)))
	w := gaugeInput()
	var inRun, inGauge time.Duration
	for range turns {
		t0 := time.Now()
		for range calls {
			run()
		}
		t1 := time.Now()
		simdPeakKernel(unsafe.Pointer(&w[0]), rounds)
		inRun += t1.Sub(t0)
		inGauge += time.Since(t1)
	}
	gauge := 64 * float64(rounds) * float64(turns) / inGauge.Seconds()
	b.ReportMetric(gauge/1e9, "gauge-GFLOP/s")
	b.ReportMetric(flops*float64(calls*turns)/inRun.Seconds()/gauge, "gauge-share")
}

// gaugeInput is the gauge's w: small values, so that its sums stay far
// from overflow and from subnormals however many rounds it runs.
func gaugeInput() (w [64]float32) {
	for i := range w {
		w[i] = 1e-3 * float32(i%7+1)
	}
	return w
}

// TestPeakKernel checks the gauge computes what it says: lane 0 of the
// eight accumulators' sum after n rounds, against the same roundings in Go.
func TestPeakKernel(t *testing.T) {
	if !simdOK {
		t.Skip("no SIMD128 kernels")
	}
	w := gaugeInput()
	const n = 37
	var acc [8]float32 // lane 0 of a0..a7
	for r := range n {
		o := (r * 8) % 64
		v0, v1 := w[o], w[o+4]
		for i := range 4 {
			acc[2*i] += float32(w[i] * v0) // rounded, never fused
			acc[2*i+1] += float32(w[i] * v1)
		}
	}
	want := ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
	if got := simdPeakKernel(unsafe.Pointer(&w[0]), n); got != want {
		t.Fatalf("peak(%d rounds) = %v, want %v", n, got, want)
	}
}
