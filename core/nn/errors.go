package nn

import (
	"errors"
	"fmt"
)

// ErrShape is the panic value (wrapped with the layer and shapes) when a layer
// is given a tensor of the wrong shape.
var ErrShape = errors.New("nn: shape mismatch")

// ErrNoTraining is the panic value (wrapped with the layer) when Backward
// follows a Forward in inference mode, which keeps less than the gradients
// need.
var ErrNoTraining = errors.New("nn: Backward after an inference Forward")

func shapePanic(layer, what string, got, want any) {
	panic(fmt.Errorf("%w: %s: %s is %v, want %v", ErrShape, layer, what, got, want))
}
