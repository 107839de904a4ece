package model

import (
	"gorgonia.org/tensor"

	"vaeaug/core/nn"
	"vaeaug/core/optim"
	"vaeaug/core/rng"
)

// Classifier is the article's "light VGG for MNIST": two conv blocks (16 and
// 64 filters: conv-BN-ReLU-conv-BN-ReLU-maxpool), then dropout 0.3, dense 512
// ReLU, dropout 0.5 and dense 10, whose logits feed a fused softmax
// cross-entropy. Input N×28×28×1 in [0,1].
type Classifier struct {
	Net    *Sequential
	Loss   nn.SoftmaxCrossEntropy
	params []*nn.Param
}

// NewClassifier builds the classifier with initial weights and dropout
// streams drawn from seed.
func NewClassifier(seed uint64) *Classifier {
	nm := namer{}
	var ls []nn.Layer
	in := 1
	for _, f := range []int{16, 64} {
		for range 2 {
			ls = append(ls,
				nn.NewConv2D(nm.next("conv2d"), in, f, 1, nn.HeNormal),
				nn.NewBatchNorm(nm.next("batch_normalization"), f),
				nn.NewReLU(nm.next("activation")))
			in = f
		}
		ls = append(ls, nn.NewMaxPool2D(nm.next("max_pooling2d")))
	}
	ls = append(ls,
		nn.NewFlatten(nm.next("flatten"), 7*7*64),
		nn.NewDropout(nm.next("dropout"), 0.3),
		nn.NewDense(nm.next("dense"), 7*7*64, 512, nn.HeNormal),
		nn.NewReLU(nm.next("activation")),
		nn.NewDropout(nm.next("dropout"), 0.5),
		nn.NewDense(nm.next("dense"), 512, 10, nn.GlorotNormal),
	)
	// Nothing uses the gradient with respect to the images.
	ls[0].(*nn.Conv2D).NoInputGrad = true
	c := &Classifier{Net: &Sequential{Name: "classifier", InShape: []int{28, 28, 1}, Layers: ls}}
	c.Reset(seed)
	return c
}

// Reset draws fresh weights and dropout streams from seed. Parameters draw
// in get_weights() order from one stream; dropout layer i gets child stream
// i+1 of the same seed.
func (c *Classifier) Reset(seed uint64) { resetLayers(c.Net.Layers, seed) }

// Params lists every weight in Keras get_weights() order.
func (c *Classifier) Params() []*nn.Param {
	if c.params == nil {
		c.params = c.Net.Params()
	}
	return c.params
}

// TrainStep runs one optimiser step on a batch x (N×28×28×1) with labels and
// returns the batch's mean loss before the update.
func (c *Classifier) TrainStep(x *tensor.Dense, labels []uint8, opt optim.Optimizer) float64 {
	loss := c.Gradients(x, labels)
	opt.Step()
	return loss
}

// Gradients sets every parameter gradient to that of the batch's mean loss
// (training mode: batch statistics, active dropout) and returns the loss.
func (c *Classifier) Gradients(x *tensor.Dense, labels []uint8) float64 {
	optim.ZeroGrads(c.Params())
	loss := c.Loss.Forward(c.Net.Forward(x, true), labels)
	c.Net.Backward(c.Loss.Backward(labels))
	return loss
}

// Logits runs the classifier in inference mode and returns N×10 logits
// (valid until the next call).
func (c *Classifier) Logits(x *tensor.Dense) *tensor.Dense { return c.Net.Forward(x, false) }

func resetLayers(layers []nn.Layer, seed uint64) {
	r := rng.New(seed)
	for i, l := range layers {
		for _, p := range l.Params() {
			p.Reset(r)
		}
		if d, ok := l.(*nn.Dropout); ok {
			d.RNG = rng.New(seed).Child(uint64(i + 1))
		}
	}
}
