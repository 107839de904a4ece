package augment

import "vaeaug/core/rng"

// Affine is one rotation, scale and shift of an image. A point q of the
// source image lands at
//
//	p = c + Scale·R(Rotate)·(q − c) + (ShiftX, ShiftY)
//
// in the output, where c is the image centre and R turns counter-clockwise as
// displayed. Coordinates are in pixels, x to the right (columns) and y down
// (rows), so a positive ShiftY moves the digit down.
type Affine struct {
	Rotate float64 // degrees, counter-clockwise as displayed
	Scale  float64 // isotropic scale factor; must be positive
	ShiftX float64 // pixels to the right
	ShiftY float64 // pixels down
}

// Identity is the affine transform that leaves an image unchanged.
var Identity = Affine{Scale: 1}

// drawAffine draws one transform from c's ranges. It always consumes exactly
// four uniforms, in the order rotation, scale, x shift, y shift, so that the
// stream position after the draw does not depend on the settings.
func (c Classic) drawAffine(r *rng.Source) Affine {
	return Affine{
		Rotate: float64(c.MaxRotate * signed(r)),
		Scale:  1 + float64(c.ScaleRange*signed(r)),
		ShiftX: float64(c.MaxShift * signed(r)),
		ShiftY: float64(c.MaxShift * signed(r)),
	}
}

// signed returns a uniform number in [-1, 1), a multiple of 2**-53. It is
// built from the raw 64-bit output, with the offset subtracted in integers,
// because 2*r.Float64() - 1 leaves the compiler free to fuse the scaling
// inside Float64 with the subtraction (arm64 does). That fusion would happen
// to be exact, but an integer offset and one multiply by a power of two need
// no such argument.
func signed(r *rng.Source) float64 {
	return float64(int64(r.Uint64()>>10)-1<<53) * 0x1p-53
}

// inverse is the output-to-source mapping of an Affine, which is what
// resampling needs: for every output pixel p it gives the source point
//
//	q = c + R(−Rotate)·(p − c − shift)/Scale.
type inverse struct {
	a, b   float64 // cos/Scale and sin/Scale
	tx, ty float64 // c + shift, subtracted from p before rotating
}

func (t Affine) inverse() inverse {
	sin, cos := sinCos(degToRad(t.Rotate))
	return inverse{
		a:  cos / t.Scale,
		b:  sin / t.Scale,
		tx: centre + t.ShiftX,
		ty: centre + t.ShiftY,
	}
}

// apply maps the output point (x, y) to its source point. With y pointing
// down, R(−θ) is [cos −sin; sin cos] in (x, y); it undoes the forward
// counter-clockwise turn R(θ) = [cos sin; −sin cos].
func (m inverse) apply(x, y float64) (sx, sy float64) {
	u, v := x-m.tx, y-m.ty
	sx = centre + (float64(m.a*u) - float64(m.b*v))
	sy = centre + (float64(m.b*u) + float64(m.a*v))
	return sx, sy
}
