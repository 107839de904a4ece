package study

import (
	"gorgonia.org/tensor"

	"vaeaug/core/nn"
)

// imageBatch is a float32 buffer for up to max 28x28 images with one tensor
// header per batch size used over it. A training loop uses two sizes (full
// batches and an epoch's shorter last one), so after the first epoch a step
// allocates no header.
type imageBatch struct {
	x     []float32
	views map[int]*tensor.Dense // looked up, never iterated
}

func newImageBatch(max int) *imageBatch {
	return &imageBatch{x: make([]float32, max*784), views: map[int]*tensor.Dense{}}
}

// tensor returns the first n images of the buffer as an n×28×28×1 tensor.
func (b *imageBatch) tensor(n int) *tensor.Dense {
	t, ok := b.views[n]
	if !ok {
		t = nn.FromSlice(b.x[:n*784], n, 28, 28, 1)
		b.views[n] = t
	}
	return t
}
