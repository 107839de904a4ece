// This file is a port of exp.go from Go's math package.
//
// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.
// That LICENSE is reproduced in license.go beside this file.
//
// The original C code, the long comment, and the constants below are from
// FreeBSD's /usr/src/lib/msun/src/e_exp.c and came with this notice:
//
// ====================================================
// Copyright (C) 2004 by Sun Microsystems, Inc. All rights reserved.
//
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// Method
//  1. Argument reduction: reduce x to an r so that |r| <= 0.5*ln2 ~ 0.34658.
//     Given x, find r and integer k such that x = k*ln2 + r, |r| <= 0.5*ln2.
//     Here r is represented as r = hi-lo for better accuracy.
//  2. Approximation of exp(r) by a special rational function on
//     [0,0.34658]: R(r**2) = r*(exp(r)+1)/(exp(r)-1) = 2 + r*r/6 - r**4/360
//     + ..., approximated by a degree-5 Remez polynomial (error <= 2**-59):
//     R(z) ~ 2.0 + P1*z + P2*z**2 + P3*z**3 + P4*z**4 + P5*z**5, z = r*r.
//     Then exp(r) = 1 + r + r*R1(r)/(2-R1(r)) with
//     R1(r) = r - (P1*r**2 + P2*r**4 + ... + P5*r**10).
//  3. Scale back: exp(x) = 2**k * exp(r).
//
// Accuracy: according to an error analysis, the error is always less than
// 1 ulp (unit in the last place).

package num

import "math"

// Exp returns e**x, the base-e exponential of x, bit-identically on every
// platform.
//
// Special cases are:
//
//	Exp(+Inf) = +Inf
//	Exp(-Inf) = 0
//	Exp(NaN) = NaN
//
// Very large values overflow to +Inf, very negative ones underflow to 0, and
// values within 2**-28 of zero return 1+x.
func Exp(x float64) float64 {
	const (
		Ln2Hi = 6.93147180369123816490e-01
		Ln2Lo = 1.90821492927058770002e-10
		Log2e = 1.44269504088896338700e+00

		Overflow  = 7.09782712893383973096e+02
		Underflow = -7.45133219101941108420e+02
		NearZero  = 1.0 / (1 << 28) // 2**-28
	)

	switch {
	case math.IsNaN(x):
		return x
	case x > Overflow: // handles +Inf
		return math.Inf(1)
	case x < Underflow: // handles -Inf
		return 0
	case -NearZero < x && x < NearZero:
		return 1 + x
	}

	// Reduce; r = hi - lo for extra precision. The conversions stop the
	// product from fusing with the following addition.
	var k int
	switch {
	case x < 0:
		k = int(float64(Log2e*x) - 0.5)
	case x > 0:
		k = int(float64(Log2e*x) + 0.5)
	}
	hi := x - float64(float64(k)*Ln2Hi)
	lo := float64(float64(k) * Ln2Lo)

	return expmulti(hi, lo, k)
}

// expmulti returns e**r × 2**k where r = hi - lo and |r| ≤ ln(2)/2.
func expmulti(hi, lo float64, k int) float64 {
	const (
		P1 = 1.66666666666666657415e-01  /* 0x3FC55555; 0x55555555 */
		P2 = -2.77777777770155933842e-03 /* 0xBF66C16C; 0x16BEBD93 */
		P3 = 6.61375632143793436117e-05  /* 0x3F11566A; 0xAF25DE2C */
		P4 = -1.65339022054652515390e-06 /* 0xBEBBBD41; 0xC5D26BF1 */
		P5 = 4.13813679705723846039e-08  /* 0x3E663769; 0x72BEA4D0 */
	)

	r := hi - lo
	t := float64(r * r)
	// Horner's scheme, every product rounded on its own.
	p := P4 + float64(t*P5)
	p = P3 + float64(t*p)
	p = P2 + float64(t*p)
	p = P1 + float64(t*p)
	c := r - float64(t*p)
	y := 1 - ((lo - float64(r*c)/(2-c)) - hi)
	// Ldexp is exact (a correctly rounded scaling by a power of two), so it
	// needs no port.
	return math.Ldexp(y, k)
}
