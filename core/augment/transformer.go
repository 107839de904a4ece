package augment

import (
	"fmt"
	"math"

	"vaeaug/core/rng"
)

// Transformer applies random classic augmentations drawn from one Classic.
// It holds the scratch buffers (the elastic fields and a copy of the source)
// so that Apply allocates nothing; it is therefore not safe for concurrent
// use. Give each goroutine its own Transformer and its own rng.Source
// (rng.Source.Child), and results stay independent of scheduling.
type Transformer struct {
	cfg    Classic
	kernel []float64 // normalised Gaussian taps, nil without elastic distortion

	src    [Pixels]uint8   // copy of the source image, so dst may alias src
	dx, dy [Pixels]float64 // elastic displacement of every output pixel
	tmp    [Pixels]float64 // blur scratch

	last        Affine
	lastElastic bool
}

// NewTransformer returns a Transformer for c, or the error from c.Validate.
func NewTransformer(c Classic) (*Transformer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t := &Transformer{cfg: c, last: Identity}
	if c.elastic() {
		t.kernel = gaussianKernel(c.ElasticSigma)
	}
	return t, nil
}

// Classic returns the settings the Transformer draws from.
func (t *Transformer) Classic() Classic { return t.cfg }

// Last returns the affine transform drawn by the most recent Apply and
// whether that call also applied an elastic distortion, for logging and
// tests. Before the first Apply it returns Identity and false.
func (t *Transformer) Last() (Affine, bool) { return t.last, t.lastElastic }

// Apply writes to dst a randomly transformed copy of the image src. Both must
// hold exactly Pixels bytes (Apply panics otherwise); they may be the same
// slice.
//
// It draws from r, in this order: the affine transform (four uniforms:
// rotation, scale, x shift, y shift); then, only if 0 < ElasticProb < 1, one
// uniform deciding whether to distort; then, if distorting, the x and then
// the y displacement field (Pixels uniforms each, row-major). The output
// pixel p takes the source value at A⁻¹(p + d(p)), where A is the affine
// transform and d the displacement field — the elastic distortion acts on
// the already transformed digit — interpolated bilinearly with zero outside
// the image, so the image is resampled once rather than twice.
func (t *Transformer) Apply(dst, src []uint8, r *rng.Source) {
	checkImage("Apply", dst, src)
	a := t.cfg.drawAffine(r)
	elastic := t.cfg.elastic()
	if elastic && t.cfg.ElasticProb < 1 {
		elastic = r.Float64() < t.cfg.ElasticProb
	}
	if elastic {
		drawField(&t.dx, &t.tmp, t.kernel, t.cfg.ElasticAlpha, r)
		drawField(&t.dy, &t.tmp, t.kernel, t.cfg.ElasticAlpha, r)
	}
	t.last, t.lastElastic = a, elastic
	t.warp(dst, src, a, elastic)
}

// ApplyImages applies Apply to each of the len(src)/Pixels images stored
// back to back in src (as in data.Images.Pix), in order, writing to the same
// positions in dst. dst and src must have the same length, a multiple of
// Pixels; they may be the same slice.
func (t *Transformer) ApplyImages(dst, src []uint8, r *rng.Source) {
	if len(dst) != len(src) || len(src)%Pixels != 0 {
		panic(fmt.Sprintf("augment: ApplyImages needs equal lengths that are multiples of %d, got %d and %d",
			Pixels, len(dst), len(src)))
	}
	for i := 0; i < len(src); i += Pixels {
		t.Apply(dst[i:i+Pixels], src[i:i+Pixels], r)
	}
}

// Warp writes to dst the image src transformed by a, without elastic
// distortion and without drawing any random numbers. Both must hold exactly
// Pixels bytes; they may be the same slice. It panics if a.Scale is not
// positive and finite.
func (t *Transformer) Warp(dst, src []uint8, a Affine) {
	checkImage("Warp", dst, src)
	t.warp(dst, src, a, false)
}

// warp resamples src into dst through a and, if elastic, the displacement
// fields t.dx and t.dy.
func (t *Transformer) warp(dst, src []uint8, a Affine, elastic bool) {
	if !(a.Scale > 0) || math.IsInf(a.Scale, 0) {
		panic(fmt.Sprintf("augment: Affine.Scale %v is not positive and finite", a.Scale))
	}
	copy(t.src[:], src)
	m := a.inverse()
	dst = dst[:Pixels]
	for i := 0; i < Side; i++ {
		for j := 0; j < Side; j++ {
			p := i*Side + j
			x, y := float64(j), float64(i)
			if elastic {
				x += t.dx[p]
				y += t.dy[p]
			}
			sx, sy := m.apply(x, y)
			dst[p] = toPixel(sample(&t.src, sx, sy))
		}
	}
}

// checkImage panics unless dst and src are both one image long.
func checkImage(op string, dst, src []uint8) {
	if len(dst) != Pixels || len(src) != Pixels {
		panic(fmt.Sprintf("augment: %s needs images of %d bytes, got dst %d and src %d",
			op, Pixels, len(dst), len(src)))
	}
}
