// Package rng is the project's seeded random source. Every number it hands
// out is a pure function of the seed, computed with integer arithmetic and
// exact or project-owned floating point, so a seed gives bit-identical
// streams on amd64, arm64 and js/wasm and under any Go version.
//
// The raw generator is xoshiro256** (Blackman and Vigna), seeded through
// SplitMix64. Everything above the raw uint64 stream (floats, bounded
// integers, permutations, normal deviates) is implemented here rather than
// taken from math/rand, whose derived methods are not promised to stay the
// same between Go releases.
//
// A Source is not safe for concurrent use; give each goroutine its own Child.
package rng

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"

	"vaeaug/core/num"
)

// Source is a deterministic random stream.
//
// Normal draws two deviates at a time and keeps the second for the next call
// (see Normal); that cached value is part of the Source's state.
type Source struct {
	s        [4]uint64 // xoshiro256** state, never all zero
	spare    float64   // second deviate of the last polar-method pair
	hasSpare bool
}

// golden is 2**64 divided by the golden ratio, SplitMix64's increment.
const golden = 0x9e3779b97f4a7c15

// mix is SplitMix64's output function (a bijection on uint64 with strong
// avalanche), used for seeding and for deriving child streams.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// New returns a Source seeded with seed. The four state words are the first
// four outputs of SplitMix64 started at seed, as the xoshiro authors
// recommend, so nearby seeds give unrelated streams.
func New(seed uint64) *Source {
	r := &Source{}
	x := seed
	for i := range r.s {
		x += golden
		r.s[i] = mix(x)
	}
	if r.s == [4]uint64{} {
		// xoshiro's all-zero state is a fixed point; SplitMix64 never
		// yields four zeros in a row, but the guard costs nothing.
		r.s[0] = golden
	}
	return r
}

// Child returns a new Source whose stream is derived from s's current state
// and the stream number. It does not advance s, so children are a pure
// function of (parent state, stream): the same call gives the same child,
// different stream numbers give unrelated children, and the order in which
// children are made does not matter. The child starts with no cached normal
// deviate.
func (s *Source) Child(stream uint64) *Source {
	// Each step is a bijection of h, so distinct streams give distinct
	// seeds for the same parent state.
	h := mix(stream + golden)
	for _, w := range s.s {
		h = mix(h ^ w)
	}
	return New(h)
}

// Uint64 returns the next 64 random bits (xoshiro256**).
func (s *Source) Uint64() uint64 {
	r := bits.RotateLeft64(s.s[1]*5, 7) * 9
	t := s.s[1] << 17
	s.s[2] ^= s.s[0]
	s.s[3] ^= s.s[1]
	s.s[1] ^= s.s[2]
	s.s[0] ^= s.s[3]
	s.s[2] ^= t
	s.s[3] = bits.RotateLeft64(s.s[3], 45)
	return r
}

// Float64 returns a uniform value in [0, 1): the top 53 bits of Uint64
// scaled by 2**-53, which is exact.
func (s *Source) Float64() float64 {
	return float64(s.Uint64()>>11) * 0x1p-53
}

// Float32 returns a uniform value in [0, 1): the top 24 bits of Uint64
// scaled by 2**-24, which is exact.
func (s *Source) Float32() float32 {
	return float32(s.Uint64()>>40) * 0x1p-24
}

// Float32s fills dst with the values that len(dst) calls of Float32 would
// return, in order, and leaves s where they would. It keeps the state in
// locals: Uint64 works on s's fields in memory, and js/wasm spends about
// 20 ns a draw on those loads and stores, which made Dropout's mask 2.6% of
// a classifier training step.
func (s *Source) Float32s(dst []float32) {
	s0, s1, s2, s3 := s.s[0], s.s[1], s.s[2], s.s[3]
	for i := range dst {
		r := bits.RotateLeft64(s1*5, 7) * 9
		t := s1 << 17
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = bits.RotateLeft64(s3, 45)
		dst[i] = float32(r>>40) * 0x1p-24
	}
	s.s = [4]uint64{s0, s1, s2, s3}
}

// IntN returns a uniform integer in [0, n). It panics if n <= 0.
//
// It uses Lemire's multiply-and-reject method, which is unbiased and
// usually needs a single Uint64.
func (s *Source) IntN(n int) int {
	if n <= 0 {
		panic("rng: IntN called with n <= 0")
	}
	un := uint64(n)
	hi, lo := bits.Mul64(s.Uint64(), un)
	if lo < un {
		// Reject the low products that would over-represent some
		// outcomes: there are 2**64 mod n of them.
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(s.Uint64(), un)
		}
	}
	return int(hi)
}

// Shuffle permutes n elements in place by Fisher–Yates, calling swap(i, j)
// for i from n-1 down to 1 with j = IntN(i+1). It panics if n < 0.
func (s *Source) Shuffle(n int, swap func(i, j int)) {
	if n < 0 {
		panic("rng: Shuffle called with n < 0")
	}
	for i := n - 1; i > 0; i-- {
		swap(i, s.IntN(i+1))
	}
}

// Perm returns a uniformly random permutation of 0..n-1: the identity
// shuffled by Shuffle. It panics if n < 0.
func (s *Source) Perm(n int) []int {
	if n < 0 {
		panic("rng: Perm called with n < 0")
	}
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	s.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// Normal returns a standard normal deviate (mean 0, variance 1).
//
// It uses Marsaglia's polar method, which yields two independent deviates
// per accepted pair of uniforms: the first is returned and the second is
// cached in s and returned by the next call. The stream of Normal values is
// therefore deterministic, but interleaving other draws (Uint64, Float64,
// ...) between two Normal calls does not affect the cached value. The
// logarithm is num.Log, so the values are bit-identical on every platform.
func (s *Source) Normal() float64 {
	if s.hasSpare {
		s.hasSpare = false
		return s.spare
	}
	for {
		u, v := s.signedUnit(), s.signedUnit()
		// The conversions keep every product rounded on its own (no fused
		// multiply-add), as on platforms without FMA.
		q := float64(u*u) + float64(v*v)
		if q == 0 || q >= 1 {
			continue
		}
		m := math.Sqrt(float64(-2*num.Log(q)) / q)
		s.spare, s.hasSpare = float64(v*m), true
		return float64(u * m)
	}
}

// signedUnit returns a uniform value in [-1, 1) with 54 random bits. It is
// built from an integer so that no multiply-add is left for the compiler to
// fuse (2*Float64()-1 would be folded into one).
func (s *Source) signedUnit() float64 {
	return float64(int64(s.Uint64()>>10)-1<<53) * 0x1p-53
}

// TruncatedNormal returns a normal deviate with mean 0 and standard
// deviation std before truncation, redrawn until it lies within two standard
// deviations of the mean, like TensorFlow's truncated_normal (which Keras'
// VarianceScaling initialisers use). The truncated distribution's standard
// deviation is about 0.87962566 × std.
func (s *Source) TruncatedNormal(std float64) float64 {
	for {
		z := s.Normal()
		if z >= -2 && z <= 2 {
			return float64(z * std)
		}
	}
}

// stateSize is the length of a marshalled Source.
const stateSize = 4*8 + 8 + 1

// errState is returned when unmarshalling bytes that are not a Source.
var errState = errors.New("rng: invalid Source state")

// MarshalBinary encodes the Source's complete state (including any cached
// normal deviate), so a checkpointed run can resume the same stream.
func (s *Source) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, stateSize)
	for _, w := range s.s {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.spare))
	if s.hasSpare {
		return append(b, 1), nil
	}
	return append(b, 0), nil
}

// UnmarshalBinary restores a state written by MarshalBinary.
func (s *Source) UnmarshalBinary(b []byte) error {
	if len(b) != stateSize || b[stateSize-1] > 1 {
		return errState
	}
	var st [4]uint64
	for i := range st {
		st[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	if st == [4]uint64{} {
		return errState
	}
	s.s = st
	s.spare = math.Float64frombits(binary.LittleEndian.Uint64(b[32:]))
	s.hasSpare = b[stateSize-1] == 1
	return nil
}
