package rng

import (
	"hash/fnv"
	"math"
	"slices"
	"testing"
)

// TestXoshiroKnownAnswer checks the raw generator against the published
// xoshiro256** reference output for the state {1, 2, 3, 4}.
func TestXoshiroKnownAnswer(t *testing.T) {
	s := &Source{s: [4]uint64{1, 2, 3, 4}}
	want := []uint64{11520, 0, 1509978240, 1215971899390074240}
	for i, w := range want {
		if g := s.Uint64(); g != w {
			t.Fatalf("output %d = %d, want %d", i, g, w)
		}
	}
}

// TestSplitMixKnownAnswer checks seeding against SplitMix64's reference
// output for seed 0.
func TestSplitMixKnownAnswer(t *testing.T) {
	if g := New(0).s[0]; g != 0xe220a8397b1dcdaf {
		t.Fatalf("first SplitMix64 output for seed 0 = %#x, want 0xe220a8397b1dcdaf", g)
	}
}

func TestDeterminism(t *testing.T) {
	a, b, c := New(42), New(42), New(43)
	same := true
	for range 1000 {
		x, y, z := a.Uint64(), b.Uint64(), c.Uint64()
		if x != y {
			t.Fatal("same seed gave different streams")
		}
		same = same && x == z
	}
	if same {
		t.Fatal("seeds 42 and 43 gave the same stream")
	}
}

// TestGolden pins the first values of every method for seed 1. The
// constants were computed on linux/amd64; js/wasm and arm64 must reproduce
// them bit for bit.
func TestGolden(t *testing.T) {
	s := New(1)
	var got []uint64
	for range 3 {
		got = append(got, s.Uint64())
	}
	got = append(got, math.Float64bits(s.Float64()), uint64(math.Float32bits(s.Float32())))
	got = append(got, uint64(s.IntN(10)), uint64(s.IntN(1000003)))
	got = append(got, math.Float64bits(s.Normal()), math.Float64bits(s.Normal()), math.Float64bits(s.Normal()))
	got = append(got, math.Float64bits(s.TruncatedNormal(0.5)))
	want := []uint64{
		0xb3f2af6d0fc710c5, 0x853b559647364cea, 0x92f89756082a4514, // Uint64
		0x3fd90b871ef099a8, 0x3f327a48, // Float64, Float32
		0x1, 0x11585, // IntN(10), IntN(1000003)
		0xbfd40ed5a05a1452, 0x3feefd96770ece87, 0x3fb68e74fcb565df, // Normal ×3
		0x3fd7963017e964e9, // TruncatedNormal(0.5)
	}
	if !slices.Equal(got, want) {
		t.Errorf("first values for seed 1:\n got %#x\nwant %#x", got, want)
	}

	// A long stream of every kind of draw, hashed.
	h := fnv.New64a()
	var b [8]byte
	put := func(u uint64) {
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	s = New(2024)
	for i := range 20000 {
		put(s.Uint64())
		put(math.Float64bits(s.Float64()))
		put(uint64(math.Float32bits(s.Float32())))
		put(uint64(s.IntN(i + 1)))
		put(math.Float64bits(s.Normal()))
		put(math.Float64bits(s.TruncatedNormal(0.1)))
	}
	for _, v := range s.Perm(1000) {
		put(uint64(v))
	}
	put(s.Child(7).Uint64())
	if g, w := h.Sum64(), uint64(0xa9e5355dfb8b2e6a); g != w {
		t.Errorf("stream hash %#016x, want %#016x", g, w)
	}
}

func TestFloatRanges(t *testing.T) {
	s := New(3)
	var sum64, sum32 float64
	const n = 100000
	for range n {
		f := s.Float64()
		g := s.Float32()
		if f < 0 || f >= 1 || g < 0 || g >= 1 {
			t.Fatalf("Float64 %v or Float32 %v outside [0,1)", f, g)
		}
		sum64 += f
		sum32 += float64(g)
	}
	for name, m := range map[string]float64{"Float64": sum64 / n, "Float32": sum32 / n} {
		if math.Abs(m-0.5) > 0.005 {
			t.Errorf("%s mean %v, want 0.5", name, m)
		}
	}
}

func TestNormalMoments(t *testing.T) {
	s := New(5)
	const n = 100000
	var sum, sq float64
	for range n {
		z := s.Normal()
		sum += z
		sq += z * z
	}
	mean := sum / n
	variance := sq/n - mean*mean
	// Standard errors: 1/sqrt(n) ≈ 0.0032 for the mean, sqrt(2/n) ≈ 0.0045
	// for the variance; allow about four of them.
	if math.Abs(mean) > 0.013 || math.Abs(variance-1) > 0.018 {
		t.Fatalf("Normal mean %v variance %v, want 0 and 1", mean, variance)
	}
}

func TestTruncatedNormal(t *testing.T) {
	s := New(6)
	const n, std = 100000, 0.3
	var sum, sq float64
	for range n {
		z := s.TruncatedNormal(std)
		if math.Abs(z) > 2*std {
			t.Fatalf("TruncatedNormal(%v) = %v, beyond two standard deviations", std, z)
		}
		sum += z
		sq += z * z
	}
	mean := sum / n
	got := math.Sqrt(sq/n - mean*mean)
	want := 0.87962566103423978 * std
	if math.Abs(mean) > 0.004 || math.Abs(got/want-1) > 0.01 {
		t.Fatalf("TruncatedNormal(%v): mean %v std %v, want 0 and %v", std, mean, got, want)
	}
}

// TestIntNUniform is a coarse chi-square test, including a bound that is not
// a power of two and one large enough to exercise Lemire's rejection.
func TestIntNUniform(t *testing.T) {
	s := New(7)
	for _, n := range []int{1, 2, 7, 10, 100} {
		counts := make([]int, n)
		draws := 2000 * n
		for range draws {
			v := s.IntN(n)
			if v < 0 || v >= n {
				t.Fatalf("IntN(%d) = %d", n, v)
			}
			counts[v]++
		}
		exp := float64(draws) / float64(n)
		chi := 0.0
		for _, c := range counts {
			d := float64(c) - exp
			chi += d * d / exp
		}
		// For k = n-1 degrees of freedom, chi² exceeds k + 5·sqrt(2k) with
		// negligible probability.
		k := float64(n - 1)
		if chi > k+5*math.Sqrt(2*k) {
			t.Errorf("IntN(%d): chi-square %v with %v degrees of freedom", n, chi, k)
		}
	}
	// A bound of about 3/4 of the int range makes rejection likely (a quarter
	// of the draws on 64-bit platforms); values must stay in range and the
	// halves must be balanced.
	big := math.MaxInt - math.MaxInt/4
	low := 0
	for range 10000 {
		v := s.IntN(big)
		if v < 0 || v >= big {
			t.Fatalf("IntN(%d) = %d", big, v)
		}
		if v < big/2 {
			low++
		}
	}
	if low < 4700 || low > 5300 {
		t.Errorf("IntN(%d): %d of 10000 in the lower half", big, low)
	}
}

func TestIntNPanics(t *testing.T) {
	for _, n := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("IntN(%d) did not panic", n)
				}
			}()
			New(1).IntN(n)
		}()
	}
}

func TestPerm(t *testing.T) {
	s := New(8)
	for _, n := range []int{0, 1, 2, 10, 1000} {
		p := s.Perm(n)
		q := slices.Clone(p)
		slices.Sort(q)
		for i, v := range q {
			if v != i {
				t.Fatalf("Perm(%d) = %v is not a permutation", n, p)
			}
		}
	}
	// Every permutation of 3 elements should appear about equally often.
	counts := map[[3]int]int{}
	for range 60000 {
		p := s.Perm(3)
		counts[[3]int(p)]++
	}
	if len(counts) != 6 {
		t.Fatalf("Perm(3) produced %d distinct permutations, want 6", len(counts))
	}
	for p, c := range counts {
		if c < 9500 || c > 10500 {
			t.Errorf("permutation %v drawn %d times of 60000", p, c)
		}
	}
}

func TestShuffleMatchesPerm(t *testing.T) {
	a, b := New(9), New(9)
	p := a.Perm(50)
	q := make([]int, 50)
	for i := range q {
		q[i] = i
	}
	b.Shuffle(len(q), func(i, j int) { q[i], q[j] = q[j], q[i] })
	if !slices.Equal(p, q) {
		t.Fatal("Shuffle of the identity differs from Perm for the same seed")
	}
}

func TestChild(t *testing.T) {
	p := New(10)
	c1, c1again, c2 := p.Child(1), p.Child(1), p.Child(2)
	x1, x2 := c1.Uint64(), c2.Uint64()
	if x1 != c1again.Uint64() {
		t.Fatal("Child(1) is not deterministic")
	}
	if x1 == x2 {
		t.Fatal("Child(1) and Child(2) start alike")
	}
	// Making children must not advance the parent.
	if p.Uint64() != New(10).Uint64() {
		t.Fatal("Child advanced the parent")
	}
	// The child stream is unrelated to the parent's.
	q := New(10)
	c := q.Child(0)
	for range 100 {
		if c.Uint64() == q.Uint64() {
			t.Fatal("child repeats the parent's stream")
		}
	}
}

func TestNormalSpareAndMarshal(t *testing.T) {
	a := New(11)
	a.Normal() // leaves a cached deviate
	state, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var b Source
	if err := b.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if x, y := a.Normal(), b.Normal(); math.Float64bits(x) != math.Float64bits(y) {
			t.Fatalf("restored Source gave %v, original %v", y, x)
		}
	}
	if b.UnmarshalBinary(state[:10]) == nil || b.UnmarshalBinary(make([]byte, stateSize)) == nil {
		t.Fatal("UnmarshalBinary accepted an invalid state")
	}
}

func BenchmarkNormal(b *testing.B) {
	s := New(1)
	x := 0.0
	for i := 0; i < b.N; i++ {
		x += s.Normal()
	}
	_ = x
}

// Float32s gives the bits of as many Float32 calls, and leaves the Source
// where they would: the next draws agree too.
func TestFloat32sIsFloat32(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		a, b := New(uint64(n)+3), New(uint64(n)+3)
		got := make([]float32, n)
		a.Float32s(got)
		for i, v := range got {
			if want := b.Float32(); math.Float32bits(v) != math.Float32bits(want) {
				t.Fatalf("n=%d: element %d = %v, want %v", n, i, v, want)
			}
		}
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("n=%d: next draw %#x, want %#x", n, x, y)
		}
	}
}
