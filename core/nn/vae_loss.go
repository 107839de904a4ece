package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/num"
	"vaeaug/core/rng"
)

// VAELoss is the article's VAE objective per image, averaged over the batch:
// 784·mean BCE(x, x̂) + KL, i.e. the summed pixel BCE plus
// KL = −½ Σ (1 + log σ² − μ² − σ²).
//
// It takes the decoder's pre-sigmoid logits ℓ rather than x̂ = sigmoid(ℓ):
// BCE = max(ℓ,0) − ℓ·x + log(1+exp(−|ℓ|)) is exact and finite for any ℓ,
// where log(x̂) from a rounded x̂ near 0 or 1 is not (Keras clips x̂ to
// [1e-7, 1−1e-7] instead; we do not need to).
type VAELoss struct {
	// Recon and KL are the batch means of the two terms of the last Forward.
	Recon, KL float64

	dLogits, dMean, dLogVar buffer
}

// Forward returns the mean loss of a batch: logits and x are N×P (x in
// [0,1]), mean and logVar N×L. It panics with ErrShape on mismatched shapes.
func (l *VAELoss) Forward(logits, x, mean, logVar *tensor.Dense) float64 {
	s := logits.Shape()
	if len(s) < 2 || prod(x.Shape()) != prod(s) {
		shapePanic("vae_loss", "logits vs x", []int(s), []int(x.Shape()))
	}
	n := s[0]
	checkShape("vae_loss", "z_log_var", logVar, mean.Shape()...)
	if mean.Shape()[0] != n {
		shapePanic("vae_loss", "z_mean", []int(mean.Shape()), []int{n, -1})
	}
	var recon, kl float64
	xs := f32(x)
	for i, v := range f32(logits) {
		lv := float64(v)
		recon += max(lv, 0) - float64(lv*float64(xs[i])) + num.Log1p(num.Exp(-abs64(lv)))
	}
	ms := f32(mean)
	for i, lv := range f32(logVar) {
		m := float64(ms[i])
		kl += 1 + float64(lv) - float64(m*m) - num.Exp(float64(lv))
	}
	kl *= -0.5
	l.Recon, l.KL = recon/float64(n), kl/float64(n)
	return l.Recon + l.KL
}

// Backward returns the gradients of the mean loss with respect to the
// logits, z_mean and z_log_var of the last Forward (pass the same tensors).
func (l *VAELoss) Backward(logits, x, mean, logVar *tensor.Dense) (dLogits, dMean, dLogVar *tensor.Dense) {
	n := logits.Shape()[0]
	inv := 1 / float64(n)
	dlt, dl := l.dLogits.get(logits.Shape()...)
	xs := f32(x)
	for i, v := range f32(logits) {
		dl[i] = float32((sigmoid64(float64(v)) - float64(xs[i])) * inv)
	}
	dmt, dm := l.dMean.get(mean.Shape()...)
	dvt, dv := l.dLogVar.get(logVar.Shape()...)
	ms := f32(mean)
	for i, lv := range f32(logVar) {
		dm[i] = float32(float64(ms[i]) * inv)
		dv[i] = float32(-0.5 * (1 - num.Exp(float64(lv))) * inv)
	}
	return dlt, dmt, dvt
}

func abs64(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// Reparam draws z = μ + ε·exp(½·log σ²) with one standard normal ε per
// element (so one per example and latent dimension; the article's single ε
// per batch is a slip, see SPEC.md).
type Reparam struct {
	RNG       *rng.Source
	eps, std  []float32
	z, dm, dv buffer
}

// Forward samples z for mean and logVar (both N×L), drawing ε in index order.
func (r *Reparam) Forward(mean, logVar *tensor.Dense) *tensor.Dense {
	checkShape("sampling", "z_log_var", logVar, mean.Shape()...)
	zt, z := r.z.get(mean.Shape()...)
	r.eps = grow(r.eps, len(z))
	r.std = grow(r.std, len(z))
	ms, vs := f32(mean), f32(logVar)
	for i := range z {
		r.eps[i] = float32(r.RNG.Normal())
		r.std[i] = float32(num.Exp(0.5 * float64(vs[i])))
		z[i] = ms[i] + float32(r.eps[i]*r.std[i])
	}
	return zt
}

// Backward maps dz to the gradients with respect to mean and logVar.
func (r *Reparam) Backward(dz *tensor.Dense) (dMean, dLogVar *tensor.Dense) {
	checkShape("sampling", "dz", dz, r.z.shape...)
	dmt, dm := r.dm.get(r.z.shape...)
	dvt, dv := r.dv.get(r.z.shape...)
	for i, g := range f32(dz) {
		dm[i] = g
		dv[i] = float32(g*r.eps[i]) * float32(0.5*r.std[i])
	}
	return dmt, dvt
}
