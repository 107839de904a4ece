// This file is a port of log.go from Go's math package.
//
// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.
// That LICENSE is reproduced in license.go beside this file.
//
// The original C code, the long comment, and the constants below are from
// FreeBSD's /usr/src/lib/msun/src/e_log.c and came with this notice:
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// Method:
//  1. Argument reduction: find k and f such that x = 2**k * (1+f),
//     where sqrt(2)/2 < 1+f < sqrt(2).
//  2. Approximation of log(1+f). Let s = f/(2+f); based on
//     log(1+f) = log(1+s) - log(1-s) = 2s + 2/3 s**3 + 2/5 s**5 + ...
//     = 2s + s*R, a degree-14 Remez polynomial on [0,0.1716] approximates
//     R(z) ~ L1*s**2 + L2*s**4 + ... + L7*s**14 (error <= 2**-58.45).
//     Since 2s = f - s*f = f - hfsq + s*hfsq with hfsq = f*f/2,
//     log(1+f) = f - (hfsq - s*(hfsq+R)).
//  3. Finally, log(x) = k*Ln2 + log(1+f)
//     = k*Ln2_hi+(f-(hfsq-(s*(hfsq+R)+k*Ln2_lo))), where Ln2 is split
//     into Ln2_hi + Ln2_lo and n*Ln2_hi is exact for |n| < 2000.
//
// Accuracy: according to an error analysis, the error is always less than
// 1 ulp (unit in the last place).

package num

import "math"

// Log returns the natural logarithm of x, bit-identically on every platform.
//
// Special cases are:
//
//	Log(+Inf) = +Inf
//	Log(0) = -Inf
//	Log(x < 0) = NaN
//	Log(NaN) = NaN
func Log(x float64) float64 {
	const (
		Ln2Hi = 6.93147180369123816490e-01 /* 3fe62e42 fee00000 */
		Ln2Lo = 1.90821492927058770002e-10 /* 3dea39ef 35793c76 */
		L1    = 6.666666666666735130e-01   /* 3FE55555 55555593 */
		L2    = 3.999999999940941908e-01   /* 3FD99999 9997FA04 */
		L3    = 2.857142874366239149e-01   /* 3FD24924 94229359 */
		L4    = 2.222219843214978396e-01   /* 3FCC71C5 1D8E78AF */
		L5    = 1.818357216161805012e-01   /* 3FC74664 96CB03DE */
		L6    = 1.531383769920937332e-01   /* 3FC39A09 D078C69F */
		L7    = 1.479819860511658591e-01   /* 3FC2F112 DF3E5244 */
	)

	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}

	// Reduce. Frexp is exact and handles subnormals.
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)

	// Compute, rounding every product on its own so none fuses into an FMA.
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	a := L5 + float64(s4*L7)
	a = L3 + float64(s4*a)
	a = L1 + float64(s4*a)
	t1 := float64(s2 * a)
	b := L4 + float64(s4*L6)
	b = L2 + float64(s4*b)
	t2 := float64(s4 * b)
	R := t1 + t2
	hfsq := float64(float64(0.5*f) * f)
	return float64(k*Ln2Hi) - ((hfsq - (float64(s*(hfsq+R)) + float64(k*Ln2Lo))) - f)
}
