// This file is a port of log1p.go from Go's math package.
//
// Copyright 2010 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.
// That LICENSE is reproduced in license.go beside this file.
//
// The original C code, the long comment, and the constants below are from
// FreeBSD's /usr/src/lib/msun/src/s_log1p.c and came with this notice:
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
//  1. Argument reduction: find k and f such that 1+x = 2**k * (1+f),
//     where sqrt(2)/2 < 1+f < sqrt(2). If k=0, then f=x is exact. If k!=0,
//     f may not be representable exactly, so with u=1+x rounded and
//     c=(1+x)-u, log(1+x) - log(u) ~ c/u is added back as a correction.
//     (When x > 2**53, one can simply return log(x).)
//  2. Approximation of log1p(f). Let s = f/(2+f); based on
//     log(1+f) = log(1+s) - log(1-s) = 2s + 2/3 s**3 + 2/5 s**5 + ...
//     = 2s + s*R, a degree-14 Remez polynomial on [0,0.1716] approximates
//     R(z) ~ Lp1*s**2 + Lp2*s**4 + ... + Lp7*s**14 (error <= 2**-58.45),
//     and log1p(f) = f - (hfsq - s*(hfsq+R)) with hfsq = f*f/2.
//  3. Finally, log1p(x) = k*ln2 + log1p(f)
//     = k*ln2_hi+(f-(hfsq-(s*(hfsq+R)+k*ln2_lo))), where n*ln2_hi is exact
//     for |n| < 2000.
//
// Accuracy: according to an error analysis, the error is always less than
// 1 ulp (unit in the last place).

package num

import "math"

// Log1p returns the natural logarithm of 1 plus its argument x,
// bit-identically on every platform. It is more accurate than Log(1 + x) when
// x is near zero.
//
// Special cases are:
//
//	Log1p(+Inf) = +Inf
//	Log1p(±0) = ±0
//	Log1p(-1) = -Inf
//	Log1p(x < -1) = NaN
//	Log1p(NaN) = NaN
func Log1p(x float64) float64 {
	const (
		Sqrt2M1     = 4.142135623730950488017e-01  // Sqrt(2)-1 = 0x3fda827999fcef34
		Sqrt2HalfM1 = -2.928932188134524755992e-01 // Sqrt(2)/2-1 = 0xbfd2bec333018866
		Small       = 1.0 / (1 << 29)              // 2**-29 = 0x3e20000000000000
		Tiny        = 1.0 / (1 << 54)              // 2**-54
		Two53       = 1 << 53                      // 2**53
		Ln2Hi       = 6.93147180369123816490e-01   // 3fe62e42fee00000
		Ln2Lo       = 1.90821492927058770002e-10   // 3dea39ef35793c76
		Lp1         = 6.666666666666735130e-01     // 3FE5555555555593
		Lp2         = 3.999999999940941908e-01     // 3FD999999997FA04
		Lp3         = 2.857142874366239149e-01     // 3FD2492494229359
		Lp4         = 2.222219843214978396e-01     // 3FCC71C51D8E78AF
		Lp5         = 1.818357216161805012e-01     // 3FC7466496CB03DE
		Lp6         = 1.531383769920937332e-01     // 3FC39A09D078C69F
		Lp7         = 1.479819860511658591e-01     // 3FC2F112DF3E5244
	)

	switch {
	case x < -1 || math.IsNaN(x): // includes -Inf
		return math.NaN()
	case x == -1:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return math.Inf(1)
	}

	absx := math.Abs(x)

	var f float64
	var iu uint64
	k := 1
	if absx < Sqrt2M1 { //  |x| < Sqrt(2)-1
		if absx < Small { // |x| < 2**-29
			if absx < Tiny { // |x| < 2**-54
				return x
			}
			return x - float64(float64(x*x)*0.5)
		}
		if x > Sqrt2HalfM1 { // Sqrt(2)/2-1 < x
			// (Sqrt(2)/2-1) < x < (Sqrt(2)-1)
			k = 0
			f = x
			iu = 1
		}
	}
	var c float64
	if k != 0 {
		var u float64
		if absx < Two53 { // 1<<53
			u = 1.0 + x
			iu = math.Float64bits(u)
			k = int((iu >> 52) - 1023)
			// correction term
			if k > 0 {
				c = 1.0 - (u - x)
			} else {
				c = x - (u - 1.0)
			}
			c /= u
		} else {
			u = x
			iu = math.Float64bits(u)
			k = int((iu >> 52) - 1023)
			c = 0
		}
		iu &= 0x000fffffffffffff
		if iu < 0x0006a09e667f3bcd { // mantissa of Sqrt(2)
			u = math.Float64frombits(iu | 0x3ff0000000000000) // normalize u
		} else {
			k++
			u = math.Float64frombits(iu | 0x3fe0000000000000) // normalize u/2
			iu = (0x0010000000000000 - iu) >> 2
		}
		f = u - 1.0 // Sqrt(2)/2 < u < Sqrt(2)
	}
	// Every product below is rounded on its own (explicit conversion) so the
	// compiler cannot fuse it with the addition that consumes it.
	hfsq := float64(float64(0.5*f) * f)
	var s, R, z float64
	fk := float64(k)
	if iu == 0 { // |f| < 2**-20
		if f == 0 {
			if k == 0 {
				return 0
			}
			c += float64(fk * Ln2Lo)
			return float64(fk*Ln2Hi) + c
		}
		R = float64(hfsq * (1.0 - float64(0.66666666666666666*f))) // avoid division
		if k == 0 {
			return f - R
		}
		return float64(fk*Ln2Hi) - ((R - (float64(fk*Ln2Lo) + c)) - f)
	}
	s = f / (2.0 + f)
	z = float64(s * s)
	p := Lp6 + float64(z*Lp7)
	p = Lp5 + float64(z*p)
	p = Lp4 + float64(z*p)
	p = Lp3 + float64(z*p)
	p = Lp2 + float64(z*p)
	p = Lp1 + float64(z*p)
	R = float64(z * p)
	if k == 0 {
		return f - (hfsq - float64(s*(hfsq+R)))
	}
	return float64(fk*Ln2Hi) - ((hfsq - (float64(s*(hfsq+R)) + (float64(fk*Ln2Lo) + c))) - f)
}
