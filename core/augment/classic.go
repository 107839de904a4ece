package augment

import (
	"fmt"
	"math"
)

// Image geometry. The data package stores MNIST the same way: 28×28 grey
// pixels, row-major, one byte each, 0 = background.
const (
	Side   = 28          // width and height of an image in pixels
	Pixels = Side * Side // bytes per image
)

// centre is the image centre in pixel coordinates. Pixel (row i, column j)
// has its centre at (x, y) = (j, i), so the centre of a 28-pixel side lies
// halfway between pixels 13 and 14. Rotating and scaling about this point
// keeps a centred digit centred and maps the pixel grid onto itself for
// quarter turns.
const centre = (Side - 1) / 2.0

// Classic describes the distribution of the classic augmentation: one random
// affine transform (rotation and isotropic scale about the image centre,
// followed by a shift) and, with probability ElasticProb, an elastic
// distortion in the manner of Simard, Steinkraus and Platt (2003).
//
// Every parameter is drawn uniformly from its range. The zero Classic is the
// identity transform, so a literal must set every part it wants enabled;
// DefaultClassic gives the study's settings.
type Classic struct {
	// MaxShift is the largest shift in pixels along each axis; the shifts
	// in x and y are drawn independently from [-MaxShift, MaxShift] and are
	// not rounded, so sub-pixel shifts occur.
	MaxShift float64
	// MaxRotate is the largest rotation in degrees; the angle is drawn from
	// [-MaxRotate, MaxRotate]. Positive angles turn the digit
	// counter-clockwise as displayed (row 0 at the top).
	MaxRotate float64
	// ScaleRange sets the scale factor's range [1-ScaleRange, 1+ScaleRange];
	// the same factor applies to both axes.
	ScaleRange float64
	// ElasticAlpha multiplies the smoothed random displacement field, in
	// pixels. Zero disables the elastic distortion.
	ElasticAlpha float64
	// ElasticSigma is the standard deviation, in pixels, of the Gaussian
	// that smooths the displacement field. Larger values give smoother,
	// smaller displacements for the same ElasticAlpha.
	ElasticSigma float64
	// ElasticProb is the probability that an image receives the elastic
	// distortion; 0 never, 1 always.
	ElasticProb float64
}

// DefaultClassic returns the settings used in the study: shifts of up to 2
// pixels, rotations of up to 10 degrees, scales in [0.9, 1.1], and Simard et
// al.'s elastic distortion (alpha 34, sigma 4) on every image.
func DefaultClassic() Classic {
	return Classic{
		MaxShift:     2,
		MaxRotate:    10,
		ScaleRange:   0.1,
		ElasticAlpha: 34,
		ElasticSigma: 4,
		ElasticProb:  1,
	}
}

// maxSigma bounds ElasticSigma so that the kernel, which has 8·sigma+1 taps
// before it is cut to the image width, stays small.
const maxSigma = 1000

// elastic reports whether the configuration can produce an elastic
// distortion at all.
func (c Classic) elastic() bool {
	return c.ElasticAlpha != 0 && c.ElasticProb > 0
}

// Validate reports an error if a parameter is out of range: negative or
// non-finite ranges, rotations beyond 180 degrees, a scale range that would
// allow a non-positive scale, a probability outside [0, 1], or an elastic
// distortion without a positive sigma.
func (c Classic) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !finite(c.MaxShift) || c.MaxShift < 0 || c.MaxShift > Side:
		return fmt.Errorf("augment: MaxShift %v is not in [0, %d]", c.MaxShift, Side)
	case !finite(c.MaxRotate) || c.MaxRotate < 0 || c.MaxRotate > 180:
		return fmt.Errorf("augment: MaxRotate %v is not in [0, 180] degrees", c.MaxRotate)
	case !finite(c.ScaleRange) || c.ScaleRange < 0 || c.ScaleRange >= 1:
		return fmt.Errorf("augment: ScaleRange %v is not in [0, 1)", c.ScaleRange)
	case !finite(c.ElasticAlpha) || c.ElasticAlpha < 0:
		return fmt.Errorf("augment: ElasticAlpha %v is negative or not finite", c.ElasticAlpha)
	case !finite(c.ElasticProb) || c.ElasticProb < 0 || c.ElasticProb > 1:
		return fmt.Errorf("augment: ElasticProb %v is not in [0, 1]", c.ElasticProb)
	case c.elastic() && (!finite(c.ElasticSigma) || c.ElasticSigma <= 0 || c.ElasticSigma > maxSigma):
		return fmt.Errorf("augment: ElasticSigma %v is not in (0, %d]", c.ElasticSigma, maxSigma)
	}
	return nil
}
