// Package nn holds the layers of the article's two models, each a forward and
// backward pair, plus their losses and initialisers.
//
// Layout: activations are batch-first NHWC float32 tensors: N examples, H rows,
// W columns, C channels (a dense activation is N×F). Keras uses the same
// layout, so weights keep Keras' shapes: a conv kernel is [3,3,in,out], a dense
// kernel [in,out], a transposed-conv kernel [3,3,out,in].
//
// A layer owns its output and input-gradient tensors and reuses them from step
// to step; the tensor returned by Forward or Backward is valid until the next
// call of the same method. Forward keeps exactly what Backward needs.
// Backward adds into the parameter gradients (callers zero them with
// ZeroGrads before a step), so a layer used twice in one step sums correctly.
//
// Shape mismatches are programmer errors: they panic with ErrShape, naming
// the layer and the shapes.
package nn
