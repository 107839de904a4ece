package augment

// sample returns the bilinear interpolation of src at the point (x, y), with
// every pixel outside the image taken as zero (background), so content moved
// in from beyond the border is black rather than a smeared edge.
//
// At integer coordinates the weights are exactly 1 and 0, so the pixel value
// comes back unchanged; that is what makes the identity transform and whole
// pixel shifts exact.
func sample(src *[Pixels]uint8, x, y float64) float64 {
	// The negated form also rejects NaN.
	if !(x > -1 && x < Side && y > -1 && y < Side) {
		return 0
	}
	x0, y0 := floor(x), floor(y)
	fx, fy := x-float64(x0), y-float64(y0)

	var v00, v01, v10, v11 float64
	if x0 >= 0 && x0+1 < Side && y0 >= 0 && y0+1 < Side {
		i := y0*Side + x0
		v00, v01 = float64(src[i]), float64(src[i+1])
		v10, v11 = float64(src[i+Side]), float64(src[i+Side+1])
	} else {
		v00 = pixelOrZero(src, x0, y0)
		v01 = pixelOrZero(src, x0+1, y0)
		v10 = pixelOrZero(src, x0, y0+1)
		v11 = pixelOrZero(src, x0+1, y0+1)
	}
	top := float64((1-fx)*v00) + float64(fx*v01)
	bottom := float64((1-fx)*v10) + float64(fx*v11)
	return float64((1-fy)*top) + float64(fy*bottom)
}

// pixelOrZero returns the pixel at column x, row y, or 0 outside the image.
func pixelOrZero(src *[Pixels]uint8, x, y int) float64 {
	if x < 0 || x >= Side || y < 0 || y >= Side {
		return 0
	}
	return float64(src[y*Side+x])
}

// floor returns ⌊x⌋ for |x| < 2**62. It is exact, like math.Floor, and
// small enough to inline, where math.Floor is an assembly call on amd64 and
// would run twice for every output pixel.
func floor(x float64) int {
	i := int(x) // truncates toward zero
	if float64(i) > x {
		i--
	}
	return i
}

// toPixel rounds v to the nearest integer, halves upward, and clamps it to
// [0, 255]. For non-negative v, rounding half up, floor(v + 0.5), agrees
// with math.Round; it is computed here with one addition and a truncating
// conversion, both exact on every platform, and without a call.
func toPixel(v float64) uint8 {
	v += 0.5
	switch {
	case !(v >= 1): // below 1 rounds to 0; NaN must not reach the conversion
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v) // truncation is floor for positive v
}
