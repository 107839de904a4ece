package nn

import "gorgonia.org/tensor"

// checkShape panics with ErrShape unless t has exactly the given shape.
func checkShape(layer, what string, t *tensor.Dense, want ...int) {
	s := t.Shape()
	if len(s) != len(want) {
		shapePanic(layer, what, []int(s), want)
	}
	for i, d := range want {
		if s[i] != d {
			shapePanic(layer, what, []int(s), want)
		}
	}
}

// addTo adds src into dst element by element.
func addTo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}
