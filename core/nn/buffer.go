package nn

import (
	"slices"

	"gorgonia.org/tensor"
)

// buffer is a reusable float32 tensor owned by a layer. It grows its backing
// slice only when a larger shape is asked for and makes a new tensor header
// only when the shape changes, so a training loop at a fixed batch size
// allocates nothing after its first step.
type buffer struct {
	t     *tensor.Dense
	data  []float32
	shape []int
}

// get returns a tensor of the given shape and its backing slice. The
// contents are whatever the previous user left there.
func (b *buffer) get(shape ...int) (*tensor.Dense, []float32) {
	if b.t != nil && slices.Equal(b.shape, shape) {
		return b.t, b.data
	}
	size := 1
	for _, d := range shape {
		size *= d
	}
	if cap(b.data) < size {
		b.data = make([]float32, size)
	}
	b.data = b.data[:size]
	// Hand the tensor our own copy so that shape does not escape and a
	// call with an unchanged shape stays allocation-free.
	b.shape = slices.Clone(shape)
	b.t = tensor.New(tensor.WithShape(slices.Clone(b.shape)...), tensor.WithBacking(b.data))
	return b.t, b.data
}

// f32 returns the backing slice of a float32 tensor.
// f32 returns the backing slice of a float32 tensor. Float32s, unlike
// Data, does not box the slice in an interface, so it allocates nothing.
func f32(t *tensor.Dense) []float32 { return t.Float32s() }

// NewTensor allocates a zeroed float32 tensor of the given shape.
func NewTensor(shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
}

// FromSlice wraps data (not copied) as a tensor of the given shape. It panics
// with ErrShape if the sizes differ.
func FromSlice(data []float32, shape ...int) *tensor.Dense {
	size := 1
	for _, d := range shape {
		size *= d
	}
	if size != len(data) {
		shapePanic("FromSlice", "data length", len(data), shape)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

// Data returns the backing slice of a float32 tensor.
func Data(t *tensor.Dense) []float32 { return f32(t) }
