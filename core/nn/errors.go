package nn

import (
	"errors"
	"fmt"
)

// ErrShape is the panic value (wrapped with the layer and shapes) when a layer
// is given a tensor of the wrong shape.
var ErrShape = errors.New("nn: shape mismatch")

func shapePanic(layer, what string, got, want any) {
	panic(fmt.Errorf("%w: %s: %s is %v, want %v", ErrShape, layer, what, got, want))
}
