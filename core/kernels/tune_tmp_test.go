//go:build linux && !wasm

package kernels

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func threadCPU() time.Duration {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

// tuneRate returns the best GFLOP/s of f over reps, by thread CPU time.
func tuneRate(f gemmFunc, m, n, k int) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rng := rand.New(rand.NewPCG(1, 1))
	x := randSlice(rng, m*k)
	y := randSlice(rng, k*n)
	c := make([]float32, m*n)
	f(c, x, y, m, n, k, false)
	best := time.Duration(1 << 62)
	iters := max(1, int(2e7/float64(m*n*k)))
	for range 3 {
		t0 := threadCPU()
		for range iters {
			f(c, x, y, m, n, k, false)
		}
		best = min(best, (threadCPU()-t0)/time.Duration(iters))
	}
	return 2 * float64(m*n*k) / best.Seconds() / 1e9
}

var tuneVariants = map[string]gemmFunc{}

func TestTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	workers = 1
	defer func() { workers = 0 }()
	names := []string{"Gemm", "Naive", "TA", "NaiveTA", "TB"}
	fs := map[string]gemmFunc{"Gemm": Gemm, "Naive": naiveGemm, "TA": GemmTA, "NaiveTA": naiveGemmTA, "TB": GemmTB}
	for n, f := range tuneVariants {
		names = append(names, n)
		fs[n] = f
	}
	filter := os.Getenv("TUNE")
	fmt.Printf("%-22s", "shape")
	for _, n := range names {
		fmt.Printf("%9s", n)
	}
	fmt.Println()
	for _, s := range benchShapes {
		for _, v := range []string{"fwd", "dx", "dw"} {
			m, n, k := s.m, s.n, s.k
			switch v {
			case "dx":
				m, n, k = s.m, s.k, s.n
			case "dw":
				m, n, k = s.k, s.n, s.m
			}
			name := s.name + "/" + v
			if filter != "all" && !contains(name, filter) {
				continue
			}
			fmt.Printf("%-22s", name)
			for _, nm := range names {
				isTA := nm == "TA" || nm == "NaiveTA" || (len(nm) > 2 && nm[:2] == "TA")
				if (v == "dw") != isTA {
					fmt.Printf("%9s", "-")
					continue
				}
				fmt.Printf("%9.2f", tuneRate(fs[nm], m, n, k))
			}
			fmt.Println()
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestTunePar(t *testing.T) {
	if os.Getenv("TUNEP") == "" {
		t.Skip()
	}
	m, n, k := 6272, 64, 576
	rng := rand.New(rand.NewPCG(1, 1))
	x := randSlice(rng, m*k)
	y := randSlice(rng, k*n)
	c := make([]float32, m*n)
	for _, w := range []int{1, 2, 1, 2} {
		workers = w
		Gemm(c, x, y, m, n, k, false)
		h0 := helperRuns.Load()
		var ru0, ru1 syscall.Rusage
		syscall.Getrusage(0, &ru0)
		t0 := time.Now()
		for range 10 {
			Gemm(c, x, y, m, n, k, false)
		}
		el := time.Since(t0)
		syscall.Getrusage(0, &ru1)
		cpu := time.Duration(ru1.Utime.Nano() - ru0.Utime.Nano())
		fmt.Printf("workers=%d wall=%v cpu=%v helperRuns=%d GFLOP/s=%.2f\n", w, el/10, cpu/10, helperRuns.Load()-h0, 2*float64(m*n*k)*10/el.Seconds()/1e9)
	}
	workers = 0
}

func cpuBest(f func(), reps int) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f()
	best := time.Duration(1 << 62)
	for range reps {
		t0 := threadCPU()
		f()
		best = min(best, threadCPU()-t0)
	}
	return best
}

func TestTuneIm2col(t *testing.T) {
	if os.Getenv("TUNEI") == "" {
		t.Skip()
	}
	workers = 1
	defer func() { workers = 0 }()
	for _, s := range benchConvs {
		x := randSlice(rand.New(rand.NewPCG(2, 2)), s.g.N*s.g.H*s.g.W*s.g.C)
		cols := make([]float32, s.g.Rows()*s.g.Cols())
		d1 := cpuBest(func() { Im2col(cols, x, s.g) }, 15)
		d2 := cpuBest(func() { Col2im(x, cols, s.g) }, 15)
		fmt.Printf("%-12s im2col %v col2im %v\n", s.name, d1, d2)
	}
}

func TestTuneAB(t *testing.T) {
	if os.Getenv("TUNEAB") == "" {
		t.Skip()
	}
	workers = 1
	defer func() { workers = 0 }()
	shapes := []struct {
		name    string
		f       gemmFunc
		m, n, k int
	}{
		{"conv1", Gemm, 25088, 16, 9}, {"vconv1", Gemm, 25088, 32, 9}, {"conv1dx", GemmTB, 25088, 9, 16},
		{"conv2", Gemm, 25088, 16, 144}, {"conv4", Gemm, 6272, 64, 576}, {"conv4TA", GemmTA, 576, 64, 6272},
		{"dense", Gemm, 32, 512, 3136}, {"decdense", Gemm, 32, 12544, 20}, {"denseTA", GemmTA, 3136, 512, 32},
	}
	for _, s := range shapes {
		var best [2]float64
		for range 6 {
			for v := range 2 {
				abVariant = v == 1
				best[v] = max(best[v], tuneRate(s.f, s.m, s.n, s.k))
			}
		}
		fmt.Printf("%-10s A %.2f  B %.2f  B/A %.3f\n", s.name, best[0], best[1], best[1]/best[0])
	}
	abVariant = false
}

var abVariant bool
