package augment

import "math"

// Cody–Waite split of π/2 into three parts (twice the π/4 split used by Go's
// math.Sin). The first two parts have only their leading bits set, so k times
// them is exact for every |k| below 2**26, and subtracting the three products
// one after another reduces x without the cancellation error of x - k*π/2.
const (
	pio2a = 2 * 7.85398125648498535156e-1  // 0x3ff921fb40000000
	pio2b = 2 * 3.77489470793079817668e-8  // 0x3e74442d00000000
	pio2c = 2 * 2.69515142907905952645e-15 // 0x3cf8469898cc5170

	twoOverPi = 2 / math.Pi
)

// Taylor coefficients 1/n! with alternating signs. Go evaluates the constant
// divisions exactly and rounds once, so each is the float64 nearest 1/n!.
const (
	s3  = -1.0 / 6
	s5  = 1.0 / 120
	s7  = -1.0 / 5040
	s9  = 1.0 / 362880
	s11 = -1.0 / 39916800
	s13 = 1.0 / 6227020800
	s15 = -1.0 / 1307674368000
	s17 = 1.0 / 355687428096000

	c2  = -1.0 / 2
	c4  = 1.0 / 24
	c6  = -1.0 / 720
	c8  = 1.0 / 40320
	c10 = -1.0 / 3628800
	c12 = 1.0 / 479001600
	c14 = -1.0 / 87178291200
	c16 = 1.0 / 20922789888000
	c18 = -1.0 / 6402373705728000
)

// sinCos returns sin(x) and cos(x), bit-identically on every platform.
//
// The standard library's math.Sin and math.Cos cannot be used: on some
// targets the compiler may fuse their multiply-adds into FMA instructions,
// which would change the last bit and so the resampled pixels. This version
// reduces x to r = x - k·π/2 with |r| ≤ π/4 (Cody–Waite, above) and evaluates
// the Taylor series of sin and cos at r to degrees 17 and 18. On |r| ≤ π/4
// the first omitted terms are below (π/4)**19/19! ≈ 8e-20 and
// (π/4)**20/20! ≈ 3e-21, far under half an ulp, so the result is within about
// one ulp of the true value (the tests check 1e-15 against math.Sin/Cos).
// Every product that feeds an addition is converted explicitly, which the Go
// specification says forbids fusion.
//
// The reduction is accurate for |x| up to about 2**20; the package only uses
// angles of at most 180 degrees (π radians).
func sinCos(x float64) (sin, cos float64) {
	k := math.Floor(float64(x*twoOverPi) + 0.5)
	r := ((x - float64(k*pio2a)) - float64(k*pio2b)) - float64(k*pio2c)
	z := float64(r * r)

	// Horner's scheme, each product rounded on its own.
	p := s15 + float64(z*s17)
	p = s13 + float64(z*p)
	p = s11 + float64(z*p)
	p = s9 + float64(z*p)
	p = s7 + float64(z*p)
	p = s5 + float64(z*p)
	p = s3 + float64(z*p)
	s := r + float64(float64(r*z)*p)

	q := c16 + float64(z*c18)
	q = c14 + float64(z*q)
	q = c12 + float64(z*q)
	q = c10 + float64(z*q)
	q = c8 + float64(z*q)
	q = c6 + float64(z*q)
	q = c4 + float64(z*q)
	q = c2 + float64(z*q)
	c := 1 + float64(z*q)

	// sin(r + k·π/2) and cos(r + k·π/2) by quadrant; int64(k)&3 is k mod 4
	// for negative k too (two's complement).
	switch int64(k) & 3 {
	case 0:
		return s, c
	case 1:
		return c, -s
	case 2:
		return -s, -c
	default:
		return -c, s
	}
}

// degToRad converts an angle in degrees to radians.
func degToRad(deg float64) float64 {
	return float64(deg * (math.Pi / 180))
}
