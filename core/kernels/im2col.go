package kernels

// Conv3x3 describes the geometry of a 3x3 convolution with Keras "same"
// padding over a batch of NHWC images: n images of h×w pixels with c channels,
// stride s. Output size is ceil(h/s)×ceil(w/s); the total padding along an axis
// is max((out-1)*s+3-in, 0), of which the top/left gets the floor half (as
// TensorFlow does, so stride 2 on an even size pads only bottom/right).
type Conv3x3 struct {
	N, H, W, C, Stride int
}

// OutH is the output height.
func (g Conv3x3) OutH() int { return (g.H + g.Stride - 1) / g.Stride }

// OutW is the output width.
func (g Conv3x3) OutW() int { return (g.W + g.Stride - 1) / g.Stride }

// PadTop is the number of zero rows above the image.
func (g Conv3x3) PadTop() int { return max((g.OutH()-1)*g.Stride+3-g.H, 0) / 2 }

// PadLeft is the number of zero columns left of the image.
func (g Conv3x3) PadLeft() int { return max((g.OutW()-1)*g.Stride+3-g.W, 0) / 2 }

// Rows is the number of rows of the column matrix: N*OutH*OutW.
func (g Conv3x3) Rows() int { return g.N * g.OutH() * g.OutW() }

// Cols is the number of columns of the column matrix: 9*C, ordered (kh, kw, c)
// to match a Keras kernel [3,3,C,out] read as a 9C×out matrix.
func (g Conv3x3) Cols() int { return 9 * g.C }

// Im2col writes the column matrix of x (NHWC, N*H*W*C values) into cols
// (Rows()×Cols()): row (n, oh, ow) holds the 3x3×C patch whose top-left input
// pixel is (oh*s-padTop, ow*s-padLeft), zeros outside the image. It panics
// with ErrShape if a slice is too short.
func Im2col(cols, x []float32, g Conv3x3) {
	checkLen("Im2col", cols, g.Rows()*g.Cols(), x, g.N*g.H*g.W*g.C, nil, 0)
	rows := g.Rows()
	if rows == 0 || g.C == 0 {
		return
	}
	np := parts(rows * g.Cols())
	if np == 1 {
		im2colRange(cols, x, g, 0, rows)
		return
	}
	j := getJob(opIm2col)
	j.c, j.a, j.g = cols, x, g
	j.split(rows, 1, 4, np)
	j.exec(np)
}

// im2colRange writes rows [r0,r1) of the column matrix into cols, whose
// first row is row r0.
func im2colRange(cols, x []float32, g Conv3x3, r0, r1 int) {
	oh, ow, pt, pl, c := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), g.C
	if c == 1 {
		im2colRange1(cols, x, g, r0, r1)
		return
	}
	imgLen := g.H * g.W * c
	n, i, j := r0/(oh*ow), r0/ow%oh, r0%ow
	for r := r0; r < r1; r++ {
		img := x[n*imgLen : (n+1)*imgLen]
		row := cols[(r-r0)*9*c : (r-r0+1)*9*c]
		x0 := j*g.Stride - pl
		inside := x0 >= 0 && x0+3 <= g.W
		for kh := range 3 {
			y := i*g.Stride + kh - pt
			dst := row[kh*3*c : (kh+1)*3*c]
			if y < 0 || y >= g.H {
				zeroFloats(dst)
				continue
			}
			if inside {
				// The three pixels of a patch row are adjacent in NHWC.
				copyFloats(dst, img[(y*g.W+x0)*c:(y*g.W+x0+3)*c])
				continue
			}
			for kw := range 3 {
				xx := x0 + kw
				d := dst[kw*c : (kw+1)*c]
				if xx < 0 || xx >= g.W {
					zeroFloats(d)
					continue
				}
				copyFloats(d, img[(y*g.W+xx)*c:(y*g.W+xx+1)*c])
			}
		}
		if j++; j == ow {
			j = 0
			if i++; i == oh {
				i = 0
				n++
			}
		}
	}
}

// im2colRange1 is im2colRange for one-channel images (the first layer),
// whose rows of nine values the general loop builds from three-value
// copies: here a patch inside the image is nine plain moves.
func im2colRange1(cols, x []float32, g Conv3x3, r0, r1 int) {
	oh, ow, pt, pl, w := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), g.W
	imgLen := g.H * w
	n, i, j := r0/(oh*ow), r0/ow%oh, r0%ow
	for r := r0; r < r1; r++ {
		row := cols[(r-r0)*9 : (r-r0)*9+9]
		y0, x0 := i*g.Stride-pt, j*g.Stride-pl
		if y0 >= 0 && y0+3 <= g.H && x0 >= 0 && x0+3 <= w {
			o := n*imgLen + y0*w + x0
			p := x[o : o+2*w+3]
			row[0], row[1], row[2] = p[0], p[1], p[2]
			row[3], row[4], row[5] = p[w], p[w+1], p[w+2]
			row[6], row[7], row[8] = p[2*w], p[2*w+1], p[2*w+2]
		} else {
			img := x[n*imgLen : (n+1)*imgLen]
			for kh := range 3 {
				for kw := range 3 {
					yy, xx := y0+kh, x0+kw
					if yy < 0 || yy >= g.H || xx < 0 || xx >= w {
						row[kh*3+kw] = 0
					} else {
						row[kh*3+kw] = img[yy*w+xx]
					}
				}
			}
		}
		if j++; j == ow {
			j = 0
			if i++; i == oh {
				i = 0
				n++
			}
		}
	}
}

// Col2im is the adjoint of Im2col: it sets dx (NHWC) to the sum, over every
// patch that covers a pixel, of the matching entries of dcols
// (Rows()×Cols()). Each element of dx starts from +0 and adds its terms in
// the order of the rows (n, oh, ow) that contribute to it (a patch covers a
// pixel at most once), so the result does not depend on how the work is
// split; the parallel path gives each goroutine whole images. Col2im panics
// with ErrShape if a slice is too short.
func Col2im(dx, dcols []float32, g Conv3x3) {
	checkLen("Col2im", dcols, g.Rows()*g.Cols(), dx, g.N*g.H*g.W*g.C, nil, 0)
	if g.N == 0 || g.H == 0 || g.W == 0 || g.C == 0 {
		return
	}
	if simdCol2im(dx, dcols, g) {
		return
	}
	np := parts(g.Rows() * g.Cols())
	if np == 1 || g.N == 1 {
		col2imRange(dx, dcols, g, 0, g.N)
		return
	}
	j := getJob(opCol2im)
	j.c, j.a, j.g = dx, dcols, g
	j.split(g.N, 1, 4, np)
	j.exec(np)
}

// col2imRange computes the images [n0,n1) of dx.
func col2imRange(dx, dcols []float32, g Conv3x3, n0, n1 int) {
	imgLen, pix := g.H*g.W*g.C, g.OutH()*g.OutW()
	clear(dx[n0*imgLen : n1*imgLen])
	col2imRows(dx, dcols[n0*pix*g.Cols():], g, n0*pix, n1*pix)
}

// col2imRows adds the rows [r0,r1) of the column matrix, held in dcols from
// row r0 on, into dx, in row order: each row's entries into the pixels its
// patch covers. Blocks of consecutive rows added in order give the sums of
// one pass over the whole matrix.
func col2imRows(dx, dcols []float32, g Conv3x3, r0, r1 int) {
	oh, ow, pt, pl, c := g.OutH(), g.OutW(), g.PadTop(), g.PadLeft(), g.C
	imgLen := g.H * g.W * c
	for r := r0; r < r1; r++ {
		n, i, j := r/(oh*ow), r/ow%oh, r%ow
		img := dx[n*imgLen : (n+1)*imgLen]
		row := dcols[(r-r0)*9*c : (r-r0+1)*9*c]
		x0 := j*g.Stride - pl
		inside := x0 >= 0 && x0+3 <= g.W
		for kh := range 3 {
			y := i*g.Stride + kh - pt
			if y < 0 || y >= g.H {
				continue
			}
			src := row[kh*3*c : (kh+1)*3*c]
			if inside {
				// One contiguous run; each element still gets a
				// single term from this row.
				addTo(img[(y*g.W+x0)*c:(y*g.W+x0+3)*c], src)
				continue
			}
			for kw := range 3 {
				xx := x0 + kw
				if xx < 0 || xx >= g.W {
					continue
				}
				addTo(img[(y*g.W+xx)*c:(y*g.W+xx+1)*c], src[kw*c:(kw+1)*c])
			}
		}
	}
}

// copyFloats is copy for the short runs of few-channel images, where a
// plain loop beats the call into memmove (2x faster Im2col for C = 1).
func copyFloats(dst, src []float32) {
	if len(dst) >= 32 {
		copy(dst, src)
		return
	}
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = v
	}
}

// zeroFloats is clear with the same short-run loop as copyFloats.
func zeroFloats(dst []float32) {
	if len(dst) >= 32 {
		clear(dst)
		return
	}
	for i := range dst {
		dst[i] = 0
	}
}

// addTo adds src into dst element-wise; len(src) must equal len(dst).
func addTo(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}
