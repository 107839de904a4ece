package nn

import (
	"slices"

	"gorgonia.org/tensor"
)

// checkShape panics with ErrShape unless t has exactly the given shape.
func checkShape(layer, what string, t *tensor.Dense, want ...int) {
	s := t.Shape()
	ok := len(s) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = s[i] == want[i]
	}
	if !ok {
		// Copy before boxing, so that want does not escape and a call
		// that passes stays allocation-free.
		shapePanic(layer, what, slices.Clone([]int(s)), slices.Clone(want))
	}
}
