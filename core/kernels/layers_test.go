package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Conformance of the layer kernels: each exported function (which runs on
// the SIMD128 kernels in wasm with the exec wrapper's module, on AVX2 in an
// amd64 build with GOEXPERIMENT=simd, else on pure Go) must give the bits of
// its pure-Go reference (the *Go functions of layers.go, the layers' loops
// as they were before the kernels existed) on random data, including the
// channel counts the models use (1, 16, 32, 64, 12544), odd ones that leave
// SIMD remainders, row counts past a sum block, and slices that start off
// any 16-byte boundary.

// layerChans are the channel counts tried: the models' and odd ones.
var layerChans = []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 32, 33, 64, 67}

// layerRows are the row counts tried; 300 rows of 16 or more channels span
// several sum blocks (blockFloats).
var layerRows = []int{1, 2, 3, 5, 8, 31, 300}

// randLayer fills a slice (starting one float past an aligned allocation,
// so that vector loads are unaligned) with normal values, a few of them
// exact zeros of either sign.
func randLayer(r *rand.Rand, n int, scale float32) []float32 {
	s := make([]float32, n+1)[1:]
	for i := range s {
		switch r.IntN(16) {
		case 0:
			s[i] = 0
		case 1:
			s[i] = float32(math.Copysign(0, -1))
		default:
			s[i] = scale * float32(r.NormFloat64())
		}
	}
	return s
}

func randLayer64(r *rand.Rand, n int, scale float64) []float64 {
	s := make([]float64, n+1)[1:]
	for i := range s {
		s[i] = scale * r.NormFloat64()
	}
	return s
}

func sameBits32(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: [%d] = %v (%#08x), want %v (%#08x)", what, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

func sameBits64(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s: [%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func clone32(s []float32) []float32 { return append(make([]float32, 0, len(s)), s...) }
func clone64(s []float64) []float64 { return append(make([]float64, 0, len(s)), s...) }

// forShapes runs f for every rows×c tried.
func forShapes(t *testing.T, f func(t *testing.T, r *rand.Rand, rows, c int)) {
	for _, c := range append(layerChans, 12544) {
		for _, rows := range layerRows {
			if c*rows > 1<<16 {
				continue
			}
			t.Run(fmt.Sprintf("%dx%d", rows, c), func(t *testing.T) {
				f(t, rand.New(rand.NewPCG(uint64(rows), uint64(c))), rows, c)
			})
		}
	}
	// Large c with few rows (the VAE's dense batch norm) and c = 1 with
	// many rows (its last one).
	for _, sh := range [][2]int{{32, 12544}, {3000, 1}} {
		t.Run(fmt.Sprintf("%dx%d", sh[0], sh[1]), func(t *testing.T) {
			f(t, rand.New(rand.NewPCG(uint64(sh[0]), uint64(sh[1]))), sh[0], sh[1])
		})
	}
}

func TestAddToRowsAndSumRowsInto(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		y, b := randLayer(r, rows*c, 3), randLayer(r, c, 1)
		want := clone32(y)
		AddToRows(y, b)
		addToRowsGo(want, b)
		sameBits32(t, "AddToRows", y, want)
		g, db := randLayer(r, rows*c, 3), randLayer(r, c, 10)
		wantDB := clone32(db)
		SumRowsInto(db, g)
		sumRowsIntoGo(wantDB, g)
		sameBits32(t, "SumRowsInto", db, wantDB)
	})
}

func TestChannelSums(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		x := randLayer(r, rows*c, 3)
		got := randLayer64(r, c, 10)
		want := clone64(got)
		ChannelSums(got, x, c)
		channelSumsGo(want, x, c)
		sameBits64(t, "sum", got, want)
	})
}

func TestChannelSqDevs(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		x := randLayer(r, rows*c, 3)
		mean := randLayer64(r, c, 1)
		got := randLayer64(r, c, 10)
		want := clone64(got)
		ChannelSqDevs(got, x, mean, c)
		channelSqDevsGo(want, x, mean, c)
		sameBits64(t, "sum2", got, want)
	})
}

func TestChannelSumsDot(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		g, h := randLayer(r, rows*c, 1), randLayer(r, rows*c, 2)
		gs, gq := randLayer64(r, c, 10), randLayer64(r, c, 10)
		ws, wq := clone64(gs), clone64(gq)
		ChannelSumsDot(gs, gq, g, h, c)
		channelSumsDotGo(ws, wq, g, h, c)
		sameBits64(t, "sum", gs, ws)
		sameBits64(t, "sum2", gq, wq)
	})
}

func TestBatchNormApply(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		x := randLayer(r, rows*c, 3)
		mean, inv := randLayer(r, c, 1), randLayer(r, c, 2)
		gamma, beta := randLayer(r, c, 1), randLayer(r, c, 1)
		gy, gh := randLayer(r, rows*c, 1), randLayer(r, rows*c, 1)
		wy, wh := clone32(gy), clone32(gh)
		BatchNormApply(gy, gh, x, mean, inv, gamma, beta, c)
		batchNormApplyGo(wy, wh, x, mean, inv, gamma, beta, c)
		sameBits32(t, "xhat", gh, wh)
		sameBits32(t, "y", gy, wy)
	})
}

func TestScaleChannels(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		x, scale := randLayer(r, rows*c, 3), randLayer(r, c, 2)
		got, want := randLayer(r, rows*c, 1), make([]float32, rows*c)
		ScaleChannels(got, x, scale, c)
		scaleChannelsGo(want, x, scale, c)
		sameBits32(t, "dst", got, want)
	})
}

func TestBatchNormBackward(t *testing.T) {
	forShapes(t, func(t *testing.T, r *rand.Rand, rows, c int) {
		g, h := randLayer(r, rows*c, 1), randLayer(r, rows*c, 2)
		sum, sum2, coef := randLayer64(r, c, 5), randLayer64(r, c, 5), randLayer64(r, c, 0.1)
		got, want := randLayer(r, rows*c, 1), make([]float32, rows*c)
		n := float64(rows)
		BatchNormBackward(got, g, h, sum, sum2, coef, n, c)
		batchNormBackwardGo(want, g, h, sum, sum2, coef, n, c)
		sameBits32(t, "dx", got, want)
	})
}

// activationLens are the element counts tried for the element-wise kernels.
var activationLens = []int{1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 1000, 1001}

// withSpecials puts every special value (signed zeros, infinities, a NaN
// and the smallest subnormals) somewhere in s.
func withSpecials(r *rand.Rand, s []float32) {
	sp := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32}
	for _, v := range sp {
		s[r.IntN(len(s))] = v
	}
}

func TestActivations(t *testing.T) {
	for _, n := range activationLens {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(n), 99))
			x, g := randLayer(r, n, 2), randLayer(r, n, 1)
			if n >= 16 {
				withSpecials(r, x)
				withSpecials(r, g)
			}
			got, want := randLayer(r, n, 1), make([]float32, n)
			ReLU(got, x)
			reluGo(want, x)
			sameBits32(t, "relu", got, want)
			y := clone32(want)
			ReLUBackward(got, g, y)
			reluBackwardGo(want, g, y)
			sameBits32(t, "relu backward", got, want)
			for _, alpha := range []float32{0.2, 0.01, -1.5} {
				LeakyReLU(got, x, alpha)
				leakyReLUGo(want, x, alpha)
				sameBits32(t, "leaky relu", got, want)
				LeakyReLUBackward(got, g, x, alpha)
				leakyReLUBackwardGo(want, g, x, alpha)
				sameBits32(t, "leaky relu backward", got, want)
			}
		})
	}
}

// DropoutMask on uniform draws, at rates that keep all, some and none, and
// on special values (a NaN becomes scale, as Go's if has it).
func TestDropoutMask(t *testing.T) {
	for _, n := range activationLens {
		r := rand.New(rand.NewPCG(uint64(n), 7))
		u := make([]float32, n+1)[1:]
		for i := range u {
			u[i] = r.Float32()
		}
		if n >= 16 {
			withSpecials(r, u)
		}
		for _, rate := range []float32{0, 0.3, 0.5, 1} {
			got, want := clone32(u), clone32(u)
			DropoutMask(got, rate, 1.75)
			dropoutMaskGo(want, rate, 1.75)
			sameBits32(t, fmt.Sprintf("n=%d rate=%v", n, rate), got, want)
		}
	}
}

func TestMaxPool2x2(t *testing.T) {
	for _, c := range append(layerChans, 12544) {
		for _, hw := range [][2]int{{1, 1}, {1, 2}, {2, 1}, {2, 2}, {3, 3}, {4, 5}, {5, 4}, {7, 6}, {28, 28}} {
			n := 2
			if c*hw[0]*hw[1] > 1<<16 {
				if hw[0] > 3 {
					continue
				}
				n = 1
			}
			h, w := hw[0], hw[1]
			t.Run(fmt.Sprintf("%dx%dx%dx%d", n, h, w, c), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(c), uint64(h*w)))
				x := randLayer(r, n*h*w*c, 1)
				// Few distinct values, so that ties are common, and a NaN
				// or two.
				for i := range x {
					x[i] = float32(r.IntN(5)) - 2
				}
				if len(x) > 8 {
					x[r.IntN(len(x))] = float32(math.NaN())
					x[r.IntN(len(x))] = float32(math.Copysign(0, -1))
				}
				oh, ow := (h+1)/2, (w+1)/2
				m := n * oh * ow * c
				gy, wy := randLayer(r, m, 1), make([]float32, m)
				garg, warg := make([]int32, m+1)[1:], make([]int32, m)
				MaxPool2x2(gy, garg, x, n, h, w, c)
				maxPool2x2Go(wy, warg, x, n, h, w, c)
				sameBits32(t, "y", gy, wy)
				for i := range garg {
					if garg[i] != warg[i] {
						t.Fatalf("arg[%d] = %d, want %d", i, garg[i], warg[i])
					}
				}
				dy := randLayer(r, m, 1)
				gdx, wdx := randLayer(r, n*h*w*c, 1), make([]float32, n*h*w*c)
				MaxPool2x2Backward(gdx, dy, warg, n, h, w, c)
				maxPool2x2BackwardGo(wdx, dy, warg, n, h, w, c)
				sameBits32(t, "dx", gdx, wdx)
			})
		}
	}
}

// TestLayerKernelsAllocateNothing: no call allocates.
func TestLayerKernelsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	r := rand.New(rand.NewPCG(1, 2))
	const rows, c = 50, 32
	x, g, y, h := randLayer(r, rows*c, 1), randLayer(r, rows*c, 1), randLayer(r, rows*c, 1), randLayer(r, rows*c, 1)
	p1, p2, p3, p4 := randLayer(r, c, 1), randLayer(r, c, 1), randLayer(r, c, 1), randLayer(r, c, 1)
	s1, s2, s3 := randLayer64(r, c, 1), randLayer64(r, c, 1), randLayer64(r, c, 1)
	arg := make([]int32, 2*3*3*c)
	MaxPool2x2(y[:len(arg)], arg, x, 2, 5, 5, c)
	for name, f := range map[string]func(){
		"ChannelSums":        func() { ChannelSums(s1, x, c) },
		"ChannelSqDevs":      func() { ChannelSqDevs(s1, x, s2, c) },
		"ChannelSumsDot":     func() { ChannelSumsDot(s1, s2, g, h, c) },
		"BatchNormApply":     func() { BatchNormApply(y, h, x, p1, p2, p3, p4, c) },
		"ScaleChannels":      func() { ScaleChannels(y, x, p1, c) },
		"BatchNormBackward":  func() { BatchNormBackward(y, g, h, s1, s2, s3, rows, c) },
		"ReLU":               func() { ReLU(y, x) },
		"ReLUBackward":       func() { ReLUBackward(y, g, x) },
		"LeakyReLU":          func() { LeakyReLU(y, x, 0.2) },
		"LeakyReLUBackward":  func() { LeakyReLUBackward(y, g, x, 0.2) },
		"MaxPool2x2":         func() { MaxPool2x2(y[:len(arg)], arg, x, 2, 5, 5, c) },
		"MaxPool2x2Backward": func() { MaxPool2x2Backward(h[:2*5*5*c], y[:len(arg)], arg, 2, 5, 5, c) },
	} {
		if n := testing.AllocsPerRun(5, f); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, n)
		}
	}
}
