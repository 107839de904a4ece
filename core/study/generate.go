package study

import (
	"context"
	"math"

	"vaeaug/core/model"
	"vaeaug/core/nn"
	"vaeaug/core/num"
	"vaeaug/core/rng"
)

// genBatch is how many latent codes are decoded at once.
const genBatch = 50

// generate appends, for every original i and every j < k, a decoded sample
// z = μ + ε·exp(½·log σ²) around original i's latent code, to out.pix in
// order (i, j), labelled with original i's label. The encoder and decoder run
// in inference mode. It returns the RMS per-pixel difference between the
// samples and their originals, in [0,1] units.
func generate(ctx context.Context, v *model.VAE, orig imageSet, k int, r *rng.Source, out *imageSet, h *Hooks, p Progress) (float64, error) {
	n := orig.len()
	x := make([]float32, genBatch*784)
	z := make([]float32, genBatch*model.LatentDim)
	// Latent codes of every original, encoded genBatch at a time.
	mean := make([]float32, n*model.LatentDim)
	std := make([]float32, n*model.LatentDim)
	idx := make([]int, 0, genBatch)
	for s := 0; s < n; s += genBatch {
		idx = idx[:0]
		for i := s; i < min(s+genBatch, n); i++ {
			idx = append(idx, i)
		}
		b := len(idx)
		orig.fill(x, nil, idx)
		m, lv := v.Encode(nn.FromSlice(x[:b*784], b, 28, 28, 1))
		copy(mean[s*model.LatentDim:], nn.Data(m))
		for j, l := range nn.Data(lv) {
			std[s*model.LatentDim+j] = float32(num.Exp(0.5 * float64(l)))
		}
	}
	// Samples in order (i, j), decoded genBatch at a time; ε drawn in that
	// same order, so the result does not depend on the batch size.
	total := n * k
	base := out.len()
	out.pix = growBytes(out.pix, (base+total)*784)
	out.labels = growBytes(out.labels, base+total)
	var sq float64
	for s := 0; s < total; s += genBatch {
		b := min(genBatch, total-s)
		for t := range b {
			i := (s + t) / k
			mu, sd := mean[i*model.LatentDim:(i+1)*model.LatentDim], std[i*model.LatentDim:(i+1)*model.LatentDim]
			zt := z[t*model.LatentDim : (t+1)*model.LatentDim]
			for d := range zt {
				zt[d] = mu[d] + float32(float32(r.Normal())*sd[d])
			}
		}
		img := nn.Data(v.Decode(nn.FromSlice(z[:b*model.LatentDim], b, model.LatentDim)))
		for t := range b {
			i := (s + t) / k
			dst := out.pix[(base+s+t)*784 : (base+s+t+1)*784]
			src := orig.pix[i*784 : (i+1)*784]
			for q, v := range img[t*784 : (t+1)*784] {
				dst[q] = unitToByte(v)
				d := float64(byteToUnit[dst[q]]) - float64(byteToUnit[src[q]])
				sq += float64(d * d)
			}
			out.labels[base+s+t] = orig.labels[i]
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		p.Done, p.Total, p.Images = s+b, total, s+b
		h.progress(p)
	}
	if total == 0 {
		return 0, nil
	}
	return math.Sqrt(sq / float64(total*784)), nil
}

// growBytes returns b resliced to n, reallocating (and keeping the
// contents) only when its capacity is short.
func growBytes(b []uint8, n int) []uint8 {
	if cap(b) < n {
		nb := make([]uint8, n)
		copy(nb, b)
		return nb
	}
	return b[:n]
}
