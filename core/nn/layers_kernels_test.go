package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The layers whose loops moved to core/kernels must give the bits of those
// loops as they were written here before (copied below as references) on
// every path: pure Go, SIMD128 in wasm, AVX2 with GOEXPERIMENT=simd.

// refBatchNorm is the batch norm's old arithmetic on plain slices: it
// returns y and updates the moving statistics mm, mv (training), then
// returns dx for dy and adds into dgamma, dbeta.
func refBatchNorm(xs, dy []float32, c int, train bool, gamma, beta, mm, mv, dgamma, dbeta []float32,
	momentum, eps float64) (y, dx []float32) {
	rows := len(xs) / c
	y, dx = make([]float32, len(xs)), make([]float32, len(xs))
	xhat := make([]float32, len(xs))
	sum, sum2, invStd := make([]float64, c), make([]float64, c), make([]float32, c)
	n := float64(rows)
	if train {
		for r := 0; r < len(xs); r += c {
			for j, v := range xs[r : r+c] {
				sum[j] += float64(v)
			}
		}
		for j := range sum {
			sum[j] /= n
		}
		for r := 0; r < len(xs); r += c {
			for j, v := range xs[r : r+c] {
				d := float64(v) - sum[j]
				sum2[j] += float64(d * d)
			}
		}
		unbias := 1.0
		if rows > 1 {
			unbias = n / (n - 1)
		}
		for j := range c {
			v := sum2[j] / n
			invStd[j] = float32(1 / math.Sqrt(v+eps))
			mm[j] -= float32((float64(mm[j]) - sum[j]) * (1 - momentum))
			mv[j] -= float32((float64(mv[j]) - float64(v*unbias)) * (1 - momentum))
			sum[j] = float64(float32(sum[j]))
		}
	} else {
		for j := range c {
			sum[j] = float64(mm[j])
			invStd[j] = float32(1 / math.Sqrt(float64(mv[j])+eps))
		}
	}
	for r := 0; r < len(y); r += c {
		xr, hr, yr := xs[r:r+c], xhat[r:r+c], y[r:r+c]
		for j, v := range xr {
			h := float32(v-float32(sum[j])) * invStd[j]
			hr[j] = h
			yr[j] = float32(gamma[j]*h) + beta[j]
		}
	}
	clear(sum)
	clear(sum2)
	for r := 0; r < len(dy); r += c {
		gr, hr := dy[r:r+c], xhat[r:r+c]
		for j, v := range gr {
			sum[j] += float64(v)
			sum2[j] += float64(v * hr[j])
		}
	}
	for j := range c {
		dbeta[j] += float32(sum[j])
		dgamma[j] += float32(sum2[j])
	}
	if !train {
		for r := 0; r < len(dy); r += c {
			for j, v := range dy[r : r+c] {
				dx[r+j] = v * float32(gamma[j]*invStd[j])
			}
		}
		return y, dx
	}
	coef := make([]float64, c)
	for j := range c {
		coef[j] = float64(gamma[j]) * float64(invStd[j]) / n
	}
	for r := 0; r < len(dy); r += c {
		gr, hr, dr := dy[r:r+c], xhat[r:r+c], dx[r:r+c]
		for j, v := range gr {
			t := float64(n*float64(v)) - sum[j] - float64(float64(hr[j])*sum2[j])
			dr[j] = float32(coef[j] * t)
		}
	}
	return y, dx
}

func bitsEqual(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestBatchNormMatchesReference(t *testing.T) {
	for _, shape := range [][]int{
		{2, 5, 5, 1}, {2, 5, 5, 16}, {2, 4, 3, 32}, {2, 3, 3, 64}, {3, 7, 3}, {2, 3, 5}, {4, 17}, {32, 12544}, {1, 9},
	} {
		for _, train := range []bool{true, false} {
			t.Run(fmt.Sprintf("%v/train=%v", shape, train), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(len(shape)), uint64(shape[len(shape)-1])))
				c := shape[len(shape)-1]
				l := NewBatchNorm("bn", c)
				initParams(l, r, 1)
				for i := range l.MovingVar.Data() {
					l.MovingVar.Data()[i] = 0.5 + r.Float32()
				}
				gamma, beta := clone(l.Gamma.Data()), clone(l.Beta.Data())
				mm, mv := clone(l.MovingMean.Data()), clone(l.MovingVar.Data())
				dgamma, dbeta := clone(l.Gamma.GradData()), clone(l.Beta.GradData())
				x := randTensor(r, 2, shape...)
				dy := randTensor(r, 1, shape...)
				wy, wdx := refBatchNorm(f32(x), f32(dy), c, train, gamma, beta, mm, mv, dgamma, dbeta, l.Momentum, l.Epsilon)
				// Twice, so that the second pass runs on warm buffers and
				// moved statistics.
				for pass := range 2 {
					if pass == 1 {
						wy, wdx = refBatchNorm(f32(x), f32(dy), c, train, gamma, beta, mm, mv, dgamma, dbeta, l.Momentum, l.Epsilon)
					}
					y := l.Forward(x, train)
					dx := l.Backward(dy)
					bitsEqual(t, "y", f32(y), wy)
					bitsEqual(t, "dx", f32(dx), wdx)
					bitsEqual(t, "moving mean", l.MovingMean.Data(), mm)
					bitsEqual(t, "moving variance", l.MovingVar.Data(), mv)
					bitsEqual(t, "dgamma", l.Gamma.GradData(), dgamma)
					bitsEqual(t, "dbeta", l.Beta.GradData(), dbeta)
				}
			})
		}
	}
}

func clone(s []float32) []float32 { return append([]float32(nil), s...) }

func TestActivationsMatchReference(t *testing.T) {
	for _, n := range []int{1, 7, 16, 33, 1000} {
		r := rand.New(rand.NewPCG(uint64(n), 3))
		x, dy := randTensor(r, 1, 2, n), randTensor(r, 1, 2, n)
		xs, g := f32(x), f32(dy)
		xs[0] = float32(math.Copysign(0, -1))
		relu, lrelu := NewReLU("relu"), NewLeakyReLU("lrelu", 0.2)
		y, dx := relu.Forward(x, true), relu.Backward(dy)
		ly, ldx := f32(lrelu.Forward(x, true)), f32(lrelu.Backward(dy))
		for i, v := range xs {
			wy, wdx := max(v, 0), float32(0)
			if wy > 0 {
				wdx = g[i]
			}
			lwy, lwdx := 0.2*v, 0.2*g[i]
			if v > 0 {
				lwy, lwdx = v, g[i]
			}
			for _, p := range [][2]float32{{f32(y)[i], wy}, {f32(dx)[i], wdx}, {ly[i], lwy}, {ldx[i], lwdx}} {
				if math.Float32bits(p[0]) != math.Float32bits(p[1]) {
					t.Fatalf("n=%d [%d]: got %v, want %v", n, i, p[0], p[1])
				}
			}
		}
	}
}

func TestMaxPoolMatchesReference(t *testing.T) {
	for _, shape := range [][]int{{2, 4, 4, 16}, {2, 5, 3, 64}, {1, 7, 7, 3}, {2, 28, 28, 1}} {
		r := rand.New(rand.NewPCG(uint64(shape[1]), uint64(shape[3])))
		x := randTensor(r, 1, shape...)
		for i := range f32(x) {
			f32(x)[i] = float32(r.IntN(7)) // ties
		}
		l := NewMaxPool2D("pool")
		y := l.Forward(x, true)
		dy := randTensor(r, 1, y.Shape()...)
		dx := l.Backward(dy)
		n, h, w, c := shape[0], shape[1], shape[2], shape[3]
		xs := f32(x)
		wdx := make([]float32, len(xs))
		o := 0
		for b := range n {
			for i := range (h + 1) / 2 {
				for j := range (w + 1) / 2 {
					for ch := range c {
						best := -1
						for di := range 2 {
							for dj := range 2 {
								rr, cc := 2*i+di, 2*j+dj
								if rr >= h || cc >= w {
									continue
								}
								idx := ((b*h+rr)*w+cc)*c + ch
								if best < 0 || xs[idx] > xs[best] {
									best = idx
								}
							}
						}
						if f32(y)[o] != xs[best] {
							t.Fatalf("%v: y[%d] = %v, want %v", shape, o, f32(y)[o], xs[best])
						}
						wdx[best] += f32(dy)[o]
						o++
					}
				}
			}
		}
		bitsEqual(t, "dx", f32(dx), wdx)
	}
}
