package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The Winograd weight gradient adds, onto what dw held, the exact weight
// gradient (summed here in float64 from the forward pass's definition:
// input pixel (i+kh−1, j+kw−1) meets output pixel (i, j) through tap
// (kh, kw)) within Winograd's rounding. Its sums are of transformed tiles,
// so, as in TestWinogradMatchesDirect, a large input anywhere in a tile's
// patch sets the scale of the error of every tap: the bound is 1e-5 of the
// sum over tiles of |patch|·|dy block| (winoGradMagnitude). A transform
// with a wrong sign or row misses by about the value itself, hundreds of
// times that. Every way of splitting it over cores gives the same bits.
func TestWinogradWeightGradMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(39, 40))
	for _, s := range convShapes {
		g, n := s.g, s.n
		if !WinogradOK(g, n) {
			continue
		}
		x, dy := randSlice(rng, g.N*g.H*g.W*g.C), randSlice(rng, g.N*g.H*g.W*n)
		start := randSlice(rng, 9*g.C*n)
		exact := make([]float64, len(start))
		for im := range g.N {
			for i := range g.H {
				for j := range g.W {
					for kh := range 3 {
						for kw := range 3 {
							y, xx := i+kh-1, j+kw-1
							if y < 0 || y >= g.H || xx < 0 || xx >= g.W {
								continue
							}
							for ch := range g.C {
								xv := float64(x[((im*g.H+y)*g.W+xx)*g.C+ch])
								for k := range n {
									exact[((kh*3+kw)*g.C+ch)*n+k] += xv * float64(dy[((im*g.H+i)*g.W+j)*n+k])
								}
							}
						}
					}
				}
			}
		}
		mag := winoGradMagnitude(x, dy, g, n)
		var serial []float32
		for _, md := range modes {
			withMode(md, func() {
				dw := append([]float32(nil), start...)
				Conv3x3WinogradWeightGrad(dw, x, dy, g, n)
				for i, v := range dw {
					m := mag[i%(g.C*n)]
					if d := math.Abs(float64(v) - float64(start[i]) - exact[i]); d > 1e-5*m+1e-6*math.Abs(float64(start[i])) {
						t.Fatalf("%+v n=%d %s: dw[%d] added %v, exact %v (tiles' magnitude %v)",
							g, n, md.name, i, float64(v)-float64(start[i]), exact[i], m)
					}
				}
				if serial == nil {
					serial = dw
				} else {
					sameBits(t, md.name+" vs serial", dw, serial)
				}
			})
		}
	}
}

// winoGradMagnitude is, for each channel pair (ch, k), the sum over tiles
// of the sizes of the 6×6 patch's inputs times those of dy's 4×4 block:
// the scale of the transformed terms whose sums Winograd rounds.
func winoGradMagnitude(x, dy []float32, g Conv3x3, n int) []float64 {
	mag := make([]float64, g.C*n)
	for im := range g.N {
		for ti := range wino43Tiles(g.H) {
			for tj := range wino43Tiles(g.W) {
				for ch := range g.C {
					var px float64
					for r := range 6 {
						for q := range 6 {
							yy, xx := 4*ti-1+r, 4*tj-1+q
							if yy >= 0 && yy < g.H && xx >= 0 && xx < g.W {
								px += math.Abs(float64(x[((im*g.H+yy)*g.W+xx)*g.C+ch]))
							}
						}
					}
					for k := range n {
						var pe float64
						for a := range 4 {
							for b := range 4 {
								if yy, xx := 4*ti+a, 4*tj+b; yy < g.H && xx < g.W {
									pe += math.Abs(float64(dy[((im*g.H+yy)*g.W+xx)*n+k]))
								}
							}
						}
						mag[ch*n+k] += px * pe
					}
				}
			}
		}
	}
	return mag
}

// The F(3×3, 4×4) transform of dy gives the bits of the pure-Go
// expressions on the SIMD128 kernels and AVX2 too.
func TestWinograd43DyTransformMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for _, n := range []int{4, 16, 64} {
		for _, count := range []int{1, 3} {
			// Tiles side by side: blocks 4n apart in dy, planes n apart in e.
			ys, es := (4*count+3)*n, (count+1)*n
			dy := randSlice(rng, 3*ys+4*count*n)
			e, want := make([]float32, 35*es+count*n), make([]float32, 35*es+count*n)
			wino43Dy(e, es, dy, ys, n, count)
			wino43DyGo(want, es, dy, ys, n, count)
			sameBits(t, fmt.Sprintf("wino43Dy n=%d count=%d", n, count), e, want)
		}
	}
}

// The transform of the sums back to taps gives the bits of the pure-Go
// expressions on the SIMD128 kernels too, with output channels in fours
// and not (pure Go either way), over all columns and over a range.
func TestWinograd43GradOutMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for _, cn := range [][2]int{{1, 4}, {3, 8}, {16, 64}, {64, 4}, {5, 6}} {
		c, n := cn[0], cn[1]
		m := randSlice(rng, 36*c*n)
		start := randSlice(rng, 9*c*n)
		for _, cols := range [][2]int{{0, n}, {1, n - 1}} {
			dw, want := append([]float32(nil), start...), append([]float32(nil), start...)
			wino43GradOut(dw, m, c, n, cols[0], cols[1])
			wino43GradOutGo(want, m, c, n, cols[0], cols[1])
			sameBits(t, fmt.Sprintf("wino43GradOut c=%d n=%d columns %v", c, n, cols), dw, want)
		}
	}
}

func TestWinogradWeightGradShapePanics(t *testing.T) {
	g := Conv3x3{N: 1, H: 4, W: 4, C: 4, Stride: 1}
	dw, x, dy := make([]float32, 144), make([]float32, 64), make([]float32, 64)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"stride 2", func() { Conv3x3WinogradWeightGrad(dw, x, dy, Conv3x3{N: 1, H: 4, W: 4, C: 4, Stride: 2}, 4) }},
		{"three channels", func() { Conv3x3WinogradWeightGrad(dw, x, dy, Conv3x3{N: 1, H: 4, W: 4, C: 3, Stride: 1}, 4) }},
		{"short dw", func() { Conv3x3WinogradWeightGrad(dw[:143], x, dy, g, 4) }},
		{"short dy", func() { Conv3x3WinogradWeightGrad(dw, x, dy[:63], g, 4) }},
	} {
		expectShapePanic(t, tc.name, tc.f)
	}
}
