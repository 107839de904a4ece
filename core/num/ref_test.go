package num

import (
	"math"
	"math/big"
	"sync"
	"testing"
)

// This file holds a slow, high-precision reference for Exp, Log and Log1p,
// used to judge results where Go's math (whose amd64 assembly is itself off
// by more than 1 ulp for some inputs) disagrees with this package.

const refPrec = 256

func newRef() *big.Float { return new(big.Float).SetPrec(refPrec) }

var refLn2 = sync.OnceValue(func() *big.Float {
	// ln 2 = 2 atanh(1/3).
	third := newRef().Quo(newRef().SetInt64(1), newRef().SetInt64(3))
	return newRef().Mul(refAtanh(third), newRef().SetInt64(2))
})

// refAtanh sums z + z³/3 + z⁵/5 + ... for |z| well below 1.
func refAtanh(z *big.Float) *big.Float {
	sum := newRef().Set(z)
	z2 := newRef().Mul(z, z)
	pow := newRef().Set(z)
	eps := newRef().SetMantExp(newRef().SetInt64(1), -refPrec-8)
	for n := int64(3); ; n += 2 {
		pow.Mul(pow, z2)
		term := newRef().Quo(pow, newRef().SetInt64(n))
		sum.Add(sum, term)
		if term.Sign() == 0 || newRef().Abs(term).Cmp(newRef().Mul(eps, newRef().Abs(sum))) < 0 {
			return sum
		}
	}
}

// refExp returns e**x for finite x with |x| < 750.
func refExp(x float64) *big.Float {
	k := math.Round(x / math.Ln2)
	r := newRef().SetFloat64(x)
	r.Sub(r, newRef().Mul(newRef().SetFloat64(k), refLn2()))
	sum := newRef().SetInt64(1)
	term := newRef().SetInt64(1)
	eps := newRef().SetMantExp(newRef().SetInt64(1), -refPrec-8)
	for n := int64(1); ; n++ {
		term.Mul(term, r)
		term.Quo(term, newRef().SetInt64(n))
		sum.Add(sum, term)
		if term.Sign() == 0 || newRef().Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	return sum.SetMantExp(sum, int(k))
}

// refLogBig returns log(y) for y > 0.
func refLogBig(y *big.Float) *big.Float {
	m := newRef()
	e := y.MantExp(m) // y = m × 2**e, 0.5 <= m < 1
	if m.Cmp(newRef().SetFloat64(math.Sqrt2/2)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	// log m = 2 atanh((m-1)/(m+1)).
	z := newRef().Quo(newRef().Sub(m, newRef().SetInt64(1)), newRef().Add(m, newRef().SetInt64(1)))
	l := newRef().Mul(refAtanh(z), newRef().SetInt64(2))
	return l.Add(l, newRef().Mul(newRef().SetInt64(int64(e)), refLn2()))
}

// refLog returns log(x) for finite x > 0.
func refLog(x float64) *big.Float { return refLogBig(newRef().SetFloat64(x)) }

// refLog1p returns log(1+x) for finite x > -1.
func refLog1p(x float64) *big.Float {
	if math.Abs(x) < 0x1p-60 {
		// x - x²/2 + x³/3: the next term is below 2**-240 relative.
		bx := newRef().SetFloat64(x)
		x2 := newRef().Mul(bx, bx)
		x3 := newRef().Mul(x2, bx)
		s := newRef().Sub(bx, newRef().Quo(x2, newRef().SetInt64(2)))
		return s.Add(s, newRef().Quo(x3, newRef().SetInt64(3)))
	}
	y := newRef().SetFloat64(x)
	return refLogBig(y.Add(y, newRef().SetInt64(1)))
}

// withinOneULP reports whether the exact value want lies strictly between
// the neighbours of got, that is |got - want| < 1 ulp.
func withinOneULP(got float64, want *big.Float) bool {
	if math.IsNaN(got) {
		return false
	}
	lo, hi := math.Nextafter(got, math.Inf(-1)), math.Nextafter(got, math.Inf(1))
	if !math.IsInf(lo, 0) && newRef().SetFloat64(lo).Cmp(want) >= 0 {
		return false
	}
	if !math.IsInf(hi, 0) && newRef().SetFloat64(hi).Cmp(want) <= 0 {
		return false
	}
	return true
}

// TestReferenceSelfCheck makes sure the reference and the 1-ulp test can
// fail: two ulps off must be rejected, and known constants must come out.
func TestReferenceSelfCheck(t *testing.T) {
	if !withinOneULP(math.E, refExp(1)) || !withinOneULP(math.Ln2, refLog(2)) ||
		!withinOneULP(math.Log1p(0.5), refLog1p(0.5)) {
		t.Fatal("reference disagrees with known constants")
	}
	for _, x := range []float64{-700.5, -3.25, 0.125, 2, 700.25} {
		g := Exp(x)
		off := math.Nextafter(math.Nextafter(g, math.Inf(1)), math.Inf(1))
		if withinOneULP(off, refExp(x)) {
			t.Errorf("withinOneULP accepted a value 2 ulps above Exp(%v)", x)
		}
	}
}
