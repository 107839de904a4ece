package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Per-layer benchmarks at the shapes the models use (batch 32): one
// Forward and one Backward per iteration, reported as MB/s of input.

func benchLayer(b *testing.B, l Layer, train bool, shape ...int) {
	r := rand.New(rand.NewPCG(1, 2))
	x := randTensor(r, 1, shape...)
	y := l.Forward(x, train)
	g := randTensor(r, 1, y.Shape()...)
	l.Backward(g)
	b.SetBytes(int64(4 * len(f32(x))))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		l.Forward(x, train)
		l.Backward(g)
	}
}

func BenchmarkBatchNormLayer(b *testing.B) {
	for _, s := range [][]int{
		{32, 28, 28, 32}, {32, 28, 28, 16}, {32, 14, 14, 64}, {32, 12544}, {32, 32}, {32, 28, 28, 1},
	} {
		for _, train := range []bool{true, false} {
			b.Run(fmt.Sprintf("%v/train=%v", s, train), func(b *testing.B) {
				benchLayer(b, NewBatchNorm("bn", s[len(s)-1]), train, s...)
			})
		}
	}
}

func BenchmarkActivationLayer(b *testing.B) {
	s := []int{32, 28, 28, 32}
	b.Run("ReLU", func(b *testing.B) { benchLayer(b, NewReLU("relu"), true, s...) })
	b.Run("LeakyReLU", func(b *testing.B) { benchLayer(b, NewLeakyReLU("lrelu", 0.2), true, s...) })
}

func BenchmarkMaxPoolLayer(b *testing.B) {
	for _, s := range [][]int{{32, 28, 28, 16}, {32, 14, 14, 64}} {
		b.Run(fmt.Sprint(s), func(b *testing.B) { benchLayer(b, NewMaxPool2D("pool"), true, s...) })
	}
}

// BenchmarkBias times a layer's bias passes (addBias in Forward, sumRows in
// Backward) over the convolutions' outputs at batch 32, as MB/s of output.
func BenchmarkBias(b *testing.B) {
	for _, s := range [][2]int{{25088, 16}, {25088, 32}, {6272, 64}, {25088, 1}} {
		rows, c := s[0], s[1]
		y := randTensor(rand.New(rand.NewPCG(3, 4)), 1, rows, c)
		bias := make([]float32, c)
		b.Run(fmt.Sprintf("%dx%d", rows, c), func(b *testing.B) {
			b.SetBytes(int64(4 * rows * c))
			b.ReportAllocs()
			for b.Loop() {
				addBias(f32(y), bias)
				sumRows(bias, f32(y))
			}
		})
	}
}
