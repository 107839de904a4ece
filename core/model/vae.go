package model

import (
	"gorgonia.org/tensor"

	"vaeaug/core/nn"
	"vaeaug/core/optim"
	"vaeaug/core/rng"
)

// LatentDim is the size of the VAE's latent code.
const LatentDim = 20

// VAE is the article's convolutional VAE (latent 20). The encoder trunk maps
// N×28×28×1 to a 32-wide code from which two dense heads give z_mean and
// z_log_var; the decoder maps z to 28×28×1 logits whose sigmoid is the image.
type VAE struct {
	Trunk          *Sequential // encoder up to the 32-wide LeakyReLU
	ZMean, ZLogVar *nn.Dense
	Decoder        *Sequential // z → pre-sigmoid logits N×28×28×1
	Out            *nn.Sigmoid
	Sample         nn.Reparam
	Loss           nn.VAELoss

	dm, dv buffer2
	params []*nn.Param
}

// buffer2 is a reusable tensor for the few sums the VAE step forms itself.
type buffer2 struct {
	t *tensor.Dense
}

func (b *buffer2) sum(x, y *tensor.Dense) *tensor.Dense {
	if b.t == nil || !b.t.Shape().Eq(x.Shape()) {
		b.t = nn.NewTensor(x.Shape()...)
	}
	d := nn.Data(b.t)
	xs, ys := nn.Data(x)[:len(d)], nn.Data(y)[:len(d)]
	for i := range d {
		d[i] = xs[i] + ys[i]
	}
	return b.t
}

// NewVAE builds the VAE with initial weights and sampling stream from seed.
func NewVAE(seed uint64) *VAE {
	nm := namer{}
	lrelu := func() nn.Layer { return nn.NewLeakyReLU(nm.next("leaky_re_lu"), 0.2) }
	bn := func(c int) nn.Layer { return nn.NewBatchNorm(nm.next("batch_normalization"), c) }
	conv := func(in, out, stride int, init nn.Initializer) nn.Layer {
		return nn.NewConv2D(nm.next("conv2d"), in, out, stride, init)
	}
	trunk := &Sequential{Name: "encoder", InShape: []int{28, 28, 1}, Layers: []nn.Layer{
		conv(1, 32, 1, nn.GlorotUniform), bn(32), lrelu(),
		conv(32, 64, 2, nn.GlorotUniform), bn(64), lrelu(),
		conv(64, 64, 1, nn.GlorotUniform), bn(64), lrelu(),
		conv(64, 64, 1, nn.GlorotUniform), bn(64), lrelu(),
		nn.NewFlatten(nm.next("flatten"), 14*14*64),
		nn.NewDense(nm.next("dense"), 14*14*64, 32, nn.GlorotUniform), bn(32), lrelu(),
	}}
	// Nothing uses the gradient with respect to the images.
	trunk.Layers[0].(*nn.Conv2D).NoInputGrad = true
	v := &VAE{Trunk: trunk}
	v.ZMean = nn.NewDense(nm.next("dense"), 32, LatentDim, nn.GlorotUniform)
	v.ZLogVar = nn.NewDense(nm.next("dense"), 32, LatentDim, nn.GlorotUniform)
	v.Decoder = &Sequential{Name: "decoder", InShape: []int{LatentDim}, Layers: []nn.Layer{
		nn.NewDense(nm.next("dense"), LatentDim, 14*14*64, nn.GlorotUniform), bn(14 * 14 * 64), lrelu(),
		nn.NewReshape(nm.next("reshape"), 14, 14, 64),
		nn.NewConv2DTranspose(nm.next("conv2d_transpose"), 64, 32, nn.GlorotUniform), bn(32), lrelu(),
		conv(32, 1, 1, nn.GlorotNormal), bn(1),
	}}
	v.Out = nn.NewSigmoid(nm.next("activation"))
	v.Reset(seed)
	return v
}

// EncoderLayers lists the encoder's layers in Keras order: the trunk, then
// the z_mean and z_log_var heads.
func (v *VAE) EncoderLayers() []nn.Layer {
	return append(append([]nn.Layer(nil), v.Trunk.Layers...), v.ZMean, v.ZLogVar)
}

// DecoderLayers lists the decoder's layers in Keras order, ending with the
// output sigmoid.
func (v *VAE) DecoderLayers() []nn.Layer {
	return append(append([]nn.Layer(nil), v.Decoder.Layers...), v.Out)
}

// Layers lists encoder then decoder layers.
func (v *VAE) Layers() []nn.Layer { return append(v.EncoderLayers(), v.DecoderLayers()...) }

// Params lists every weight, encoder first, in Keras get_weights() order.
func (v *VAE) Params() []*nn.Param {
	if v.params == nil {
		v.params = paramsOf(v.Layers())
	}
	return v.params
}

// Reset draws fresh weights from seed (in get_weights() order) and restarts
// the sampling stream (child stream 1 of seed).
func (v *VAE) Reset(seed uint64) {
	resetLayers(v.Layers(), seed)
	v.Sample.RNG = rng.New(seed).Child(1 << 32)
}

// Encode runs the encoder in inference mode on x (N×28×28×1) and returns
// z_mean and z_log_var (N×20), valid until the next call.
func (v *VAE) Encode(x *tensor.Dense) (mean, logVar *tensor.Dense) {
	h := v.Trunk.Forward(x, false)
	return v.ZMean.Forward(h, false), v.ZLogVar.Forward(h, false)
}

// Decode runs the decoder in inference mode on z (N×20) and returns images
// N×28×28×1 in (0,1), valid until the next call.
func (v *VAE) Decode(z *tensor.Dense) *tensor.Dense {
	return v.Out.Forward(v.Decoder.Forward(z, false), false)
}

// TrainStep runs one optimiser step on a batch x (N×28×28×1 in [0,1]) and
// returns the batch's mean loss before the update; v.Loss.Recon and
// v.Loss.KL hold its two parts.
func (v *VAE) TrainStep(x *tensor.Dense, opt optim.Optimizer) float64 {
	loss := v.Gradients(x)
	opt.Step()
	return loss
}

// Gradients sets every parameter gradient to that of the batch's mean loss
// (training mode, with fresh ε from the sampling stream) and returns the
// loss.
func (v *VAE) Gradients(x *tensor.Dense) float64 {
	optim.ZeroGrads(v.Params())
	h := v.Trunk.Forward(x, true)
	mean := v.ZMean.Forward(h, true)
	logVar := v.ZLogVar.Forward(h, true)
	z := v.Sample.Forward(mean, logVar)
	logits := v.Decoder.Forward(z, true)
	loss := v.Loss.Forward(logits, x, mean, logVar)

	dLogits, dMeanKL, dLogVarKL := v.Loss.Backward(logits, x, mean, logVar)
	dMeanZ, dLogVarZ := v.Sample.Backward(v.Decoder.Backward(dLogits))
	// The two heads own distinct input-gradient buffers: sum into the second.
	dh1 := nn.Data(v.ZMean.Backward(v.dm.sum(dMeanKL, dMeanZ)))
	dh := v.ZLogVar.Backward(v.dv.sum(dLogVarKL, dLogVarZ))
	for i, g := range nn.Data(dh) {
		nn.Data(dh)[i] = g + dh1[i]
	}
	v.Trunk.Backward(dh)
	return loss
}

func paramsOf(layers []nn.Layer) []*nn.Param {
	var ps []*nn.Param
	for _, l := range layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}
