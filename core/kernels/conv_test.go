package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// convShapes are geometries for the fused and Winograd convolutions: one
// block and several, odd sizes, stride 2, one channel and many.
var convShapes = []struct {
	g Conv3x3
	n int
}{
	{Conv3x3{N: 1, H: 4, W: 4, C: 4, Stride: 1}, 4},
	{Conv3x3{N: 2, H: 6, W: 10, C: 8, Stride: 1}, 12},
	{Conv3x3{N: 3, H: 7, W: 5, C: 3, Stride: 1}, 5},
	{Conv3x3{N: 2, H: 9, W: 8, C: 5, Stride: 2}, 9},
	{Conv3x3{N: 9, H: 28, W: 28, C: 1, Stride: 1}, 16},
	{Conv3x3{N: 5, H: 14, W: 14, C: 64, Stride: 1}, 64},
	{Conv3x3{N: 4, H: 14, W: 14, C: 16, Stride: 1}, 8},
	// Winograd with tiles that reach past the image by 1 and 3 pixels.
	{Conv3x3{N: 2, H: 7, W: 9, C: 4, Stride: 1}, 8},
	{Conv3x3{N: 3, H: 28, W: 28, C: 32, Stride: 1}, 1},
	// One output channel: stride 1 takes the adjoint convolution for the
	// input gradient, stride 2 the column gradient.
	{Conv3x3{N: 2, H: 5, W: 7, C: 3, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 6, W: 5, C: 2, Stride: 2}, 1},
	// On SIMD128 conv1dw takes the weight gradient in groups of 8
	// channels (C = 64, 32, 16, 8), in bands of rows: one band (6×9×64),
	// four (28×28×32), bands of one row (56×64); a row of one pixel.
	// conv1fwd takes 32 channels and W a multiple of 7: eight chunks of a
	// row (56), one chunk that is both first and last (7) over one row and
	// two, two chunks (14); the others go through the Go loops, C = 6 and
	// 7 with a last group of two and three channels.
	{Conv3x3{N: 2, H: 6, W: 9, C: 64, Stride: 1}, 1},
	{Conv3x3{N: 3, H: 1, W: 3, C: 32, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 5, W: 36, C: 16, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 1, W: 8, C: 4, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 3, W: 24, C: 4, Stride: 1}, 1},
	{Conv3x3{N: 1, H: 3, W: 56, C: 32, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 1, W: 7, C: 32, Stride: 1}, 1},
	{Conv3x3{N: 1, H: 2, W: 7, C: 32, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 3, W: 14, C: 32, Stride: 1}, 1},
	{Conv3x3{N: 1, H: 4, W: 5, C: 6, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 5, W: 4, C: 7, Stride: 2}, 1},
	{Conv3x3{N: 1, H: 3, W: 56, C: 64, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 3, W: 1, C: 8, Stride: 1}, 1},
	{Conv3x3{N: 2, H: 4, W: 5, C: 8, Stride: 1}, 1},
	// On SIMD128 these take conv1in: three panels of 8 over an odd height;
	// one tile. conv1indw, in groups of 8 channels, takes the 28×28 one
	// above (two groups), three over an odd height, one over a row of 4,
	// two over a row of 6 (which padrows copies as a vector and two
	// floats) and eight over two rows; an odd width goes to the column
	// matrix.
	{Conv3x3{N: 2, H: 5, W: 8, C: 1, Stride: 1}, 24},
	{Conv3x3{N: 1, H: 1, W: 4, C: 1, Stride: 1}, 8},
	{Conv3x3{N: 2, H: 3, W: 6, C: 1, Stride: 1}, 16},
	{Conv3x3{N: 2, H: 3, W: 5, C: 1, Stride: 1}, 32},
	{Conv3x3{N: 2, H: 2, W: 8, C: 1, Stride: 1}, 64},
}

// Conv3x3Forward gives the bits of Im2col then Gemm, serially and on the
// pool, and with one output channel those of oneOutFromCols.
func TestConv3x3ForwardIsIm2colGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, s := range convShapes {
		g, n := s.g, s.n
		x, w := randSlice(rng, g.N*g.H*g.W*g.C), randSlice(rng, g.Cols()*n)
		wantCols := make([]float32, g.Rows()*g.Cols())
		Im2col(wantCols, x, g)
		want := make([]float32, g.Rows()*n)
		if n == 1 {
			oneOutFromCols(want, wantCols, w, g)
		} else {
			Gemm(want, wantCols, w, g.Rows(), n, g.Cols(), false)
		}
		for _, md := range modes {
			withMode(md, func() {
				y, guard := guarded(len(want))
				Conv3x3Forward(y, x, w, g, n)
				what := fmt.Sprintf("%s %+v n=%d", md.name, g, n)
				sameBits(t, what, y, want)
				checkGuard(t, what, guard)
			})
		}
	}
}

// oneOutFromCols is conv_oneout.go's order written over Im2col's rows,
// which hold the padding's zeros: y[r] = (s0+s1)+(s2+s3), s_l adding for
// ky, for each group m of four channels, for kx, the product of column
// (3ky+kx)·C + 4m+l.
func oneOutFromCols(y, cols, w []float32, g Conv3x3) {
	c := g.C
	for r := range g.Rows() {
		row := cols[r*9*c : (r+1)*9*c]
		var s [4]float32
		for ky := range 3 {
			for m := 0; m < c; m += 4 {
				for kx := range 3 {
					for l := range 4 {
						if j := (3*ky+kx)*c + m + l; m+l < c {
							s[l] += float32(row[j] * w[j])
						}
					}
				}
			}
		}
		y[r] = (s[0] + s[1]) + (s[2] + s[3])
	}
}

// Conv3x3Backward gives the bits of the whole-matrix passes (Im2col,
// GemmTA with acc, GemmTB, Col2im), serially and on the pool, with and
// without the input gradient, and Conv3x3BackwardData that of the input
// gradient alone. Blocks of rows cross image edges in the 28×28 shapes.
func TestConv3x3BackwardIsWholeMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, s := range convShapes {
		g, n := s.g, s.n
		rows, k := g.Rows(), g.Cols()
		x, w := randSlice(rng, g.N*g.H*g.W*g.C), randSlice(rng, k*n)
		dy, dw0 := randSlice(rng, rows*n), randSlice(rng, k*n)
		cols := make([]float32, rows*k)
		Im2col(cols, x, g)
		wantDW := append([]float32(nil), dw0...)
		GemmTA(wantDW, cols, dy, k, n, rows, true)
		GemmTB(cols, dy, w, rows, k, n, false)
		wantDX := make([]float32, len(x))
		Col2im(wantDX, cols, g)
		for _, md := range modes {
			withMode(md, func() {
				what := fmt.Sprintf("%s %+v n=%d", md.name, g, n)
				dw, dwGuard := guarded(len(dw0))
				copy(dw, dw0)
				dx, dxGuard := guarded(len(x))
				copy(dx, randSlice(rng, len(x))) // stale values must go
				Conv3x3Backward(dx, dw, x, dy, w, g, n)
				sameBits(t, what+" dw", dw, wantDW)
				sameBits(t, what+" dx", dx, wantDX)
				copy(dw, dw0)
				Conv3x3Backward(nil, dw, x, dy, w, g, n)
				sameBits(t, what+" dw without dx", dw, wantDW)
				copy(dx, randSlice(rng, len(x)))
				Conv3x3BackwardData(dx, dy, w, g, n)
				sameBits(t, what+" dx alone", dx, wantDX)
				checkGuard(t, what+" dw", dwGuard)
				checkGuard(t, what+" dx", dxGuard)
			})
		}
	}
}

// guarded returns n floats followed, in the same array, by eight guard
// floats that checkGuard then finds unchanged unless a kernel wrote past
// the n.
func guarded(n int) (s, guard []float32) {
	buf := make([]float32, n+8)
	for i := n; i < len(buf); i++ {
		buf[i] = 7
	}
	return buf[:n:n], buf[n:]
}

func checkGuard(t *testing.T, what string, guard []float32) {
	t.Helper()
	for i, v := range guard {
		if v != 7 {
			t.Errorf("%s: wrote %v past the end, at %d", what, v, i)
		}
	}
}

// refConv is the convolution in float64, and the sum of the magnitudes of
// each output's terms, which bounds the rounding error of any order.
func refConv(x, w []float32, g Conv3x3, n int) (y, mag []float64) {
	oh, ow, pt, pl := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft()
	y, mag = make([]float64, g.N*oh*ow*n), make([]float64, g.N*oh*ow*n)
	for im := range g.N {
		for i := range oh {
			for j := range ow {
				o := ((im*oh+i)*ow + j) * n
				for kh := range 3 {
					for kw := range 3 {
						yy, xx := i*g.Stride+kh-pt, j*g.Stride+kw-pl
						if yy < 0 || yy >= g.H || xx < 0 || xx >= g.W {
							continue
						}
						for c := range g.C {
							xv := float64(x[((im*g.H+yy)*g.W+xx)*g.C+c])
							for k := range n {
								p := xv * float64(w[((kh*3+kw)*g.C+c)*n+k])
								y[o+k] += p
								mag[o+k] += math.Abs(p)
							}
						}
					}
				}
			}
		}
	}
	return y, mag
}

// tileMagnitude bounds the size of the intermediate terms of the Winograd
// tile each output belongs to: for output channel k, the sum over the
// tile's 6×6 input patch and its channels of |x| times the largest |w| of
// that channel pair. The transforms mix every value of the patch (they
// cancel exactly only in exact arithmetic), so a large input anywhere in the
// patch sets the scale of the rounding error of all sixteen outputs.
func tileMagnitude(x, w []float32, g Conv3x3, n int) []float64 {
	mag := make([]float64, g.N*g.H*g.W*n)
	for im := range g.N {
		for ti := range wino43Tiles(g.H) {
			for tj := range wino43Tiles(g.W) {
				for k := range n {
					var m float64
					for c := range g.C {
						var wmax float64
						for p := range 9 {
							wmax = math.Max(wmax, math.Abs(float64(w[(p*g.C+c)*n+k])))
						}
						for r := range 6 {
							for q := range 6 {
								yy, xx := 4*ti-1+r, 4*tj-1+q
								if yy >= 0 && yy < g.H && xx >= 0 && xx < g.W {
									m += math.Abs(float64(x[((im*g.H+yy)*g.W+xx)*g.C+c])) * wmax
								}
							}
						}
					}
					for a := range 4 {
						for b := range 4 {
							if yy, xx := 4*ti+a, 4*tj+b; yy < g.H && xx < g.W {
								mag[((im*g.H+yy)*g.W+xx)*n+k] = m
							}
						}
					}
				}
			}
		}
	}
	return mag
}

// Winograd's sums differ from the direct ones, so its bits do: each output
// must be within a few dozen float32 roundings (1e-5 relative) of the exact
// value, relative to the size of its tile's terms (tileMagnitude).
func TestWinogradMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	for _, s := range convShapes {
		g, n := s.g, s.n
		if !WinogradOK(g, n) {
			continue
		}
		x, w := randSlice(rng, g.N*g.H*g.W*g.C), randSlice(rng, 9*g.C*n)
		exact, _ := refConv(x, w, g, n)
		mag := tileMagnitude(x, w, g, n)
		u := make([]float32, WinogradWeightsLen(g.C, n))
		WinogradWeights(u, w, g.C, n)
		var serial []float32
		for _, md := range modes {
			withMode(md, func() {
				y := make([]float32, len(exact))
				for i := range y {
					y[i] = guard
				}
				Conv3x3Winograd(y, x, u, g, n)
				for i, v := range y {
					if d := math.Abs(float64(v) - exact[i]); d > 1e-5*mag[i]+1e-30 {
						t.Fatalf("%+v n=%d %s: y[%d] = %v, exact %v (terms' magnitude %v)", g, n, md.name, i, v, exact[i], mag[i])
					}
				}
				if serial == nil {
					serial = y
				} else {
					sameBits(t, md.name+" vs serial", y, serial)
				}
			})
		}
	}
}

// The adjoint kernel's Winograd convolution of an output gradient is the
// input gradient: within Winograd's rounding of the exact value, summed
// here in float64 straight from the forward pass's definition (input pixel
// (i+kh−1, j+kw−1) meets output pixel (i, j) through tap (kh, kw)).
func TestWinogradAdjointIsInputGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 38))
	for _, s := range convShapes {
		g, n := s.g, s.n
		if !WinogradOK(g, n) {
			continue
		}
		dy, w := randSlice(rng, g.N*g.H*g.W*n), randSlice(rng, 9*g.C*n)
		exact := make([]float64, g.N*g.H*g.W*g.C)
		for im := range g.N {
			for i := range g.H {
				for j := range g.W {
					for kh := range 3 {
						for kw := range 3 {
							y, x := i+kh-1, j+kw-1
							if y < 0 || y >= g.H || x < 0 || x >= g.W {
								continue
							}
							for ch := range g.C {
								for k := range n {
									exact[((im*g.H+y)*g.W+x)*g.C+ch] += float64(dy[((im*g.H+i)*g.W+j)*n+k]) *
										float64(w[((kh*3+kw)*g.C+ch)*n+k])
								}
							}
						}
					}
				}
			}
		}
		ga := Conv3x3{N: g.N, H: g.H, W: g.W, C: n, Stride: 1}
		u := make([]float32, WinogradWeightsLen(n, g.C))
		WinogradAdjointWeights(u, w, g.C, n)
		adj := make([]float32, 9*g.C*n) // the adjoint kernel itself, for the magnitudes
		for kh := range 3 {
			for kw := range 3 {
				for ch := range g.C {
					for k := range n {
						adj[((kh*3+kw)*n+k)*g.C+ch] = w[(((2-kh)*3+2-kw)*g.C+ch)*n+k]
					}
				}
			}
		}
		mag := tileMagnitude(dy, adj, ga, g.C)
		dx := make([]float32, len(exact))
		Conv3x3Winograd(dx, dy, u, ga, g.C)
		for i, v := range dx {
			if d := math.Abs(float64(v) - exact[i]); d > 1e-5*mag[i]+1e-30 {
				t.Fatalf("%+v n=%d: dx[%d] = %v, exact %v (terms' magnitude %v)", g, n, i, v, exact[i], mag[i])
			}
		}
	}
}

// The transforms' dispatchers (the SIMD128 kernels on js/wasm when the host
// supplied them, AVX2 in amd64 builds with GOEXPERIMENT=simd) give the bits
// of the pure-Go expressions: the input's, the output's, and the weights'
// and their adjoint's, with output channels in fours (the SIMD128 kernel's
// lanes) and not (pure Go either way).
func TestWinograd43TransformsMatchGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(39, 40))
	for _, c := range []int{4, 16, 64} {
		for _, count := range []int{1, 3} {
			// Tiles side by side: patches 4c apart in d, planes c apart in v.
			rs, vs := (4*count+5)*c, (count+2)*c
			d := randSlice(rng, 5*rs+(4*count+2)*c)
			v, want := make([]float32, 35*vs+count*c), make([]float32, 35*vs+count*c)
			wino43In(v, vs, d, rs, c, count)
			wino43InGo(want, vs, d, rs, c, count)
			sameBits(t, fmt.Sprintf("wino43In c=%d count=%d", c, count), v, want)

			ys, ms := (4*count+3)*c, (count+1)*c
			m := randSlice(rng, 35*ms+count*c)
			y, wantY := make([]float32, 3*ys+4*count*c), make([]float32, 3*ys+4*count*c)
			wino43OutGo(wantY, ys, m, ms, c, count)
			wino43Out(y, ys, m, ms, c, count) // may overwrite m
			sameBits(t, fmt.Sprintf("wino43Out c=%d count=%d", c, count), y, wantY)
		}
	}
	for _, cn := range [][2]int{{1, 4}, {3, 8}, {16, 64}, {64, 4}, {5, 6}} {
		c, n := cn[0], cn[1]
		w := randSlice(rng, 9*c*n)
		for _, adjoint := range []bool{false, true} {
			u, guard := guarded(36 * c * n)
			wino43Weights(u, w, c, n, adjoint)
			want := make([]float32, 36*c*n)
			wino43WeightsGo(want, w, c, n, adjoint)
			what := fmt.Sprintf("wino43Weights c=%d n=%d adjoint=%v", c, n, adjoint)
			sameBits(t, what, u, want)
			checkGuard(t, what, guard)
		}
	}
}

func TestWinogradShapePanics(t *testing.T) {
	g := Conv3x3{N: 1, H: 4, W: 4, C: 4, Stride: 1}
	y, x, u := make([]float32, 64), make([]float32, 64), make([]float32, 256)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"stride 2", func() { Conv3x3Winograd(y, x, u, Conv3x3{N: 1, H: 4, W: 4, C: 4, Stride: 2}, 4) }},
		{"three channels", func() { Conv3x3Winograd(y, x, u, Conv3x3{N: 1, H: 4, W: 4, C: 3, Stride: 1}, 4) }},
		{"short y", func() { Conv3x3Winograd(y[:63], x, u, g, 4) }},
		{"short u", func() { Conv3x3Winograd(y, x, u[:255], g, 4) }},
		{"short weights", func() { WinogradWeights(u, x[:35], 4, 1) }},
	} {
		expectShapePanic(t, tc.name, tc.f)
	}
}

// wino43InBlock, in blocks that start and end anywhere in a tile row,
// gives for every tile the transform of its 6×6 patch of the zero-padded
// image, with inner and border tiles, and tiles that reach past the image.
func TestWino43InBlockMatchesPaddedPatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 38))
	for _, g := range []Conv3x3{
		{N: 2, H: 4, W: 6, C: 4, Stride: 1},
		{N: 1, H: 2, W: 2, C: 8, Stride: 1},
		{N: 2, H: 7, W: 5, C: 4, Stride: 1},
		{N: 1, H: 14, W: 14, C: 4, Stride: 1},
		{N: 1, H: 16, W: 20, C: 8, Stride: 1},
	} {
		c, th, tw := g.C, wino43Tiles(g.H), wino43Tiles(g.W)
		tiles := g.N * th * tw
		x := randSlice(rng, g.N*g.H*g.W*c)
		pixel := func(img, yy, xx, ch int) float32 {
			if yy < 0 || yy >= g.H || xx < 0 || xx >= g.W {
				return 0
			}
			return x[((img*g.H+yy)*g.W+xx)*c+ch]
		}
		for _, tb := range []int{1, 3, tw + 1, tiles} {
			vs := winoPlane(tb, c)
			strip := randSlice(rng, wino43StripLen(g)) // stale values must not leak in
			got, want := make([]float32, 36*vs), make([]float32, 36*vs)
			patch := make([]float32, 36*c)
			for b0 := 0; b0 < tiles; b0 += tb {
				nb := min(tb, tiles-b0)
				wino43InBlock(got, vs, x, g, b0, nb, strip)
				for t0 := b0; t0 < b0+nb; t0++ {
					img, ti, tj := t0/(th*tw), t0/tw%th, t0%tw
					for r := range 6 {
						for q := range 6 {
							for ch := range c {
								patch[(r*6+q)*c+ch] = pixel(img, 4*ti-1+r, 4*tj-1+q, ch)
							}
						}
					}
					wino43InGo(want[(t0-b0)*c:], vs, patch, 6*c, c, 1)
				}
				sameBits(t, fmt.Sprintf("%+v tiles %d..%d in blocks of %d", g, b0, b0+nb, tb), got, want)
			}
		}
	}
}
