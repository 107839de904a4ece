package nn

import (
	"math"

	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
)

// BatchNorm normalises the last axis (a conv's channels or a dense layer's
// features) with Keras' defaults: momentum 0.99, epsilon 1e-3, learnt scale
// gamma and offset beta. Training uses the batch's mean and (biased)
// variance and moves the stored statistics towards them; inference uses the
// stored ones.
//
// The moving variance is fed the unbiased batch variance (times R/(R-1) for R
// rows per channel), as TensorFlow's fused batch norm does.
//
// The passes over the tensor run on core/kernels (SIMD where available):
// every per-channel sum adds the rows in order, in float64, so lanes across
// channels give the same bits as the plain loops.
type BatchNorm struct {
	name                               string
	C                                  int
	Momentum                           float64
	Epsilon                            float64
	Gamma, Beta, MovingMean, MovingVar *Param

	train  bool
	rows   int
	xhat   []float32 // normalised input, kept for backward
	invStd []float32 // per channel: 1/sqrt(var+eps) of the last forward
	sum    []float64 // per-channel scratch
	sum2   []float64
	coef   []float64
	mean   []float32 // per channel: the mean the last forward subtracted
	scale  []float32 // per channel: gamma·invStd (inference-mode backward)
	y, dx  buffer
}

// NewBatchNorm makes a BatchNorm over c channels or features.
func NewBatchNorm(name string, c int) *BatchNorm {
	return &BatchNorm{
		name: name, C: c, Momentum: 0.99, Epsilon: 1e-3,
		Gamma:      newParam("gamma", true, Ones, c, c, c),
		Beta:       newParam("beta", true, Zeros, c, c, c),
		MovingMean: newParam("moving_mean", false, Zeros, c, c, c),
		MovingVar:  newParam("moving_variance", false, Ones, c, c, c),
		invStd:     make([]float32, c),
		sum:        make([]float64, c),
		sum2:       make([]float64, c),
		coef:       make([]float64, c),
		mean:       make([]float32, c),
		scale:      make([]float32, c),
	}
}

func (b *BatchNorm) Name() string  { return b.name }
func (b *BatchNorm) Class() string { return "BatchNormalization" }
func (b *BatchNorm) Params() []*Param {
	return []*Param{b.Gamma, b.Beta, b.MovingMean, b.MovingVar}
}

func (b *BatchNorm) OutShape(in []int) []int {
	if len(in) == 0 || in[len(in)-1] != b.C {
		shapePanic(b.name, "input shape", in, []int{-1, b.C})
	}
	return in
}

func (b *BatchNorm) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	s := x.Shape()
	if len(s) < 2 || s[len(s)-1] != b.C {
		shapePanic(b.name, "input shape", []int(s), []int{-1, b.C})
	}
	yt, y := b.y.get(s...)
	xs := f32(x)[:len(y)]
	c := b.C
	b.rows = len(y) / c
	b.train = train
	if cap(b.xhat) < len(y) {
		b.xhat = make([]float32, len(y))
	}
	b.xhat = b.xhat[:len(y)]
	if train {
		b.batchStats(xs)
	} else {
		mv := b.MovingVar.Data()
		for j := range c {
			b.sum[j] = float64(b.MovingMean.Data()[j])
			b.invStd[j] = float32(1 / math.Sqrt(float64(mv[j])+b.Epsilon))
		}
	}
	// xhat = (x - mean)·invStd, y = gamma·xhat + beta per channel.
	for j := range c {
		b.mean[j] = float32(b.sum[j])
	}
	kernels.BatchNormApply(y, b.xhat, xs, b.mean, b.invStd, b.Gamma.Data(), b.Beta.Data(), c)
	return yt
}

// batchStats leaves the batch mean in b.sum and 1/sqrt(var+eps) in b.invStd,
// and updates the moving statistics. Sums run over rows in order, in
// float64, two-pass for the variance.
func (b *BatchNorm) batchStats(xs []float32) {
	c := b.C
	clear(b.sum)
	clear(b.sum2)
	kernels.ChannelSums(b.sum, xs, c)
	n := float64(b.rows)
	for j := range b.sum {
		b.sum[j] /= n
	}
	// sum2[j] += d·d for d = x - mean, rows in order.
	kernels.ChannelSqDevs(b.sum2, xs, b.sum, c)
	mm, mv := b.MovingMean.Data(), b.MovingVar.Data()
	unbias := 1.0
	if b.rows > 1 {
		unbias = n / (n - 1)
	}
	for j := range c {
		v := b.sum2[j] / n
		b.invStd[j] = float32(1 / math.Sqrt(v+b.Epsilon))
		// TensorFlow's assign_moving_average: m -= (m - value)·(1-momentum).
		mm[j] -= float32((float64(mm[j]) - b.sum[j]) * (1 - b.Momentum))
		mv[j] -= float32((float64(mv[j]) - float64(v*unbias)) * (1 - b.Momentum))
		b.sum[j] = float64(float32(b.sum[j])) // the mean as forward used it
	}
}

func (b *BatchNorm) Backward(dy *tensor.Dense) *tensor.Dense {
	checkShape(b.name, "output gradient", dy, b.y.shape...)
	dxt, dx := b.dx.get(b.y.shape...)
	g := f32(dy)[:len(dx)]
	c := b.C
	gamma := b.Gamma.Data()
	dgamma, dbeta := b.Gamma.GradData(), b.Beta.GradData()
	// sum ← Σ dy, sum2 ← Σ dy·xhat per channel, in row order.
	clear(b.sum)
	clear(b.sum2)
	kernels.ChannelSumsDot(b.sum, b.sum2, g, b.xhat, c)
	for j := range c {
		dbeta[j] += float32(b.sum[j])
		dgamma[j] += float32(b.sum2[j])
	}
	if !b.train {
		// Inference mode: the statistics are constants, dx = dy·gamma·invStd.
		for j := range c {
			b.scale[j] = float32(gamma[j] * b.invStd[j])
		}
		kernels.ScaleChannels(dx, g, b.scale, c)
		return dxt
	}
	// dx = γ·invStd/R · (R·dy − Σdy − xhat·Σ(dy·xhat)).
	n := float64(b.rows)
	for j := range c {
		b.coef[j] = float64(gamma[j]) * float64(b.invStd[j]) / n
	}
	kernels.BatchNormBackward(dx, g, b.xhat, b.sum, b.sum2, b.coef, n, c)
	return dxt
}
