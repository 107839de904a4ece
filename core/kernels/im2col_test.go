package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refIm2col and refCol2im are the plain loops the package started from: one
// copy (or one add) per patch pixel, rows in (n, oh, ow) order.
func refIm2col(cols, x []float32, g Conv3x3) {
	oh, ow, pt, pl, c := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), g.C
	r := 0
	for n := range g.N {
		img := x[n*g.H*g.W*c : (n+1)*g.H*g.W*c]
		for i := range oh {
			for j := range ow {
				row := cols[r*9*c : (r+1)*9*c]
				for kh := range 3 {
					y := i*g.Stride + kh - pt
					for kw := range 3 {
						xx := j*g.Stride + kw - pl
						dst := row[(kh*3+kw)*c : (kh*3+kw+1)*c]
						if y < 0 || y >= g.H || xx < 0 || xx >= g.W {
							clear(dst)
							continue
						}
						copy(dst, img[(y*g.W+xx)*c:(y*g.W+xx+1)*c])
					}
				}
				r++
			}
		}
	}
}

func refCol2im(dx, dcols []float32, g Conv3x3) {
	oh, ow, pt, pl, c := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), g.C
	clear(dx[:g.N*g.H*g.W*c])
	r := 0
	for n := range g.N {
		img := dx[n*g.H*g.W*c : (n+1)*g.H*g.W*c]
		for i := range oh {
			for j := range ow {
				row := dcols[r*9*c : (r+1)*9*c]
				for kh := range 3 {
					y := i*g.Stride + kh - pt
					if y < 0 || y >= g.H {
						continue
					}
					for kw := range 3 {
						xx := j*g.Stride + kw - pl
						if xx < 0 || xx >= g.W {
							continue
						}
						src := row[(kh*3+kw)*c : (kh*3+kw+1)*c]
						dst := img[(y*g.W+xx)*c : (y*g.W+xx+1)*c]
						for ch, v := range src {
							dst[ch] += v
						}
					}
				}
				r++
			}
		}
	}
}

// convGeoms covers stride 1 and 2 on even, odd and tiny images, one and
// several channels and images.
func convGeoms() []Conv3x3 {
	var gs []Conv3x3
	for _, s := range []int{1, 2} {
		for _, hw := range [][2]int{{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {7, 7}, {8, 8}, {28, 28}, {4, 7}, {6, 3}} {
			for _, c := range []int{1, 3, 16} {
				for _, n := range []int{1, 3} {
					gs = append(gs, Conv3x3{N: n, H: hw[0], W: hw[1], C: c, Stride: s})
				}
			}
		}
	}
	return gs
}

func TestConvPadding(t *testing.T) {
	cases := []struct {
		g                     Conv3x3
		outH, outW, top, left int
	}{
		{Conv3x3{N: 1, H: 28, W: 28, C: 1, Stride: 1}, 28, 28, 1, 1},
		{Conv3x3{N: 1, H: 28, W: 28, C: 1, Stride: 2}, 14, 14, 0, 0}, // pads bottom/right only
		{Conv3x3{N: 1, H: 7, W: 7, C: 1, Stride: 2}, 4, 4, 1, 1},
		{Conv3x3{N: 1, H: 14, W: 7, C: 1, Stride: 2}, 7, 4, 0, 1},
	}
	for _, tc := range cases {
		g := tc.g
		if g.OutH() != tc.outH || g.OutW() != tc.outW || g.PadTop() != tc.top || g.PadLeft() != tc.left {
			t.Errorf("%+v: out %dx%d pad %d,%d; want %dx%d pad %d,%d", g,
				g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), tc.outH, tc.outW, tc.top, tc.left)
		}
	}
}

func TestIm2colCol2im(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, g := range convGeoms() {
		x := randSlice(rng, g.N*g.H*g.W*g.C)
		dcols := randSlice(rng, g.Rows()*g.Cols())
		wantCols := make([]float32, len(dcols))
		refIm2col(wantCols, x, g)
		wantDx := make([]float32, len(x))
		refCol2im(wantDx, dcols, g)
		for _, md := range modes {
			what := fmt.Sprintf("%s %+v", md.name, g)
			cols := randSlice(rng, len(dcols)) // stale contents must be overwritten
			dx := randSlice(rng, len(x))
			withMode(md, func() {
				Im2col(cols, x, g)
				Col2im(dx, dcols, g)
			})
			sameBits(t, "Im2col "+what, cols, wantCols)
			sameBits(t, "Col2im "+what, dx, wantDx)
		}
		// Adjoint: <Im2col(x), y> == <x, Col2im(y)>, up to float32 rounding
		// of the entries of Col2im(y).
		var lhs, rhs, scale float64
		for i, v := range wantCols {
			lhs += float64(v) * float64(dcols[i])
			scale += math.Abs(float64(v) * float64(dcols[i]))
		}
		for i, v := range x {
			rhs += float64(v) * float64(wantDx[i])
		}
		if math.Abs(lhs-rhs) > 1e-5*scale+1e-6 {
			t.Errorf("%+v: <Im2col(x),y> = %v, <x,Col2im(y)> = %v", g, lhs, rhs)
		}
	}
}
