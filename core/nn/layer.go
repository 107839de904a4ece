package nn

import "gorgonia.org/tensor"

// Layer is one step of a model: a forward and a backward pass over a batch.
type Layer interface {
	// Name is the Keras layer name, e.g. "conv2d_1"; weight keys are
	// Name()+"/"+Param.Name.
	Name() string
	// Class is the Keras class name shown by a summary, e.g. "Conv2D".
	Class() string
	// OutShape is the shape of one output example given one input example's
	// shape (both without the batch axis). It panics with ErrShape if the
	// layer cannot take that input.
	OutShape(in []int) []int
	// Forward computes the layer's output for batch x. train selects batch
	// statistics (BatchNorm) and active dropout.
	Forward(x *tensor.Dense, train bool) *tensor.Dense
	// Backward takes the gradient of the loss with respect to the last
	// Forward's output, adds the parameter gradients, and returns the
	// gradient with respect to that Forward's input. That Forward must be
	// a training one where inference keeps less (a Conv2D keeps no column
	// matrix); Backward panics with ErrNoTraining otherwise.
	Backward(dy *tensor.Dense) *tensor.Dense
	// Params lists the layer's weights in Keras get_weights() order.
	Params() []*Param
}
