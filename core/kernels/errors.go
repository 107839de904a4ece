package kernels

import "errors"

// ErrShape is the panic value (wrapped with details) for slices too short for
// the dimensions given.
var ErrShape = errors.New("kernels: dimension mismatch")
