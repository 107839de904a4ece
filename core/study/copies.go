package study

import (
	"context"
	"math"

	"vaeaug/core/augment"
	"vaeaug/core/rng"
)

// classicCopies appends k classically distorted copies (shift, rotation,
// scale, elastic; augment.DefaultClassic) of each original to out, in order
// (i, j), and returns their RMS per-pixel difference from the originals.
func classicCopies(ctx context.Context, orig imageSet, k int, r *rng.Source, out *imageSet, h *Hooks, p Progress) (float64, error) {
	n := orig.len()
	base := out.len()
	out.pix = growBytes(out.pix, (base+n*k)*784)
	out.labels = growBytes(out.labels, base+n*k)
	for i := range n {
		for j := range k {
			at := base + i*k + j
			copy(out.pix[at*784:(at+1)*784], orig.pix[i*784:(i+1)*784])
			out.labels[at] = orig.labels[i]
		}
	}
	if err := classicInPlace(ctx, out, base, r, h, p); err != nil {
		return 0, err
	}
	return spread(orig, *out, base, k), nil
}

// classicInPlace distorts every image of set from index from on, in order.
func classicInPlace(ctx context.Context, set *imageSet, from int, r *rng.Source, h *Hooks, p Progress) error {
	t, err := augment.NewTransformer(augment.DefaultClassic())
	if err != nil {
		return err
	}
	total := set.len() - from
	for i := from; i < set.len(); i++ {
		img := set.pix[i*784 : (i+1)*784]
		t.Apply(img, img, r)
		if done := i - from + 1; done%500 == 0 || done == total {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.Done, p.Total, p.Images = done, total, done
			h.progress(p)
		}
	}
	return nil
}

// noiseCopies overwrites the k copies of each original stored in out from
// index orig.len() on with the original plus Gaussian pixel noise whose
// realised RMS spread matches target (the VAE samples' spread). Clamping to
// [0,255] shrinks the realised spread, so the noise level is calibrated on
// the first originals before the copies are made.
func noiseCopies(ctx context.Context, orig imageSet, k int, target float64, r *rng.Source, out *imageSet, h *Hooks, p Progress) error {
	n := orig.len()
	std := calibrateNoise(orig, target)
	for i := range n {
		src := orig.pix[i*784 : (i+1)*784]
		for j := range k {
			at := n + i*k + j
			augment.AddNoise(out.pix[at*784:(at+1)*784], src, std, r)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		p.Done, p.Total, p.Images = (i+1)*k, n*k, (i+1)*k
		h.progress(p)
	}
	return nil
}

// calibrateNoise finds the noise std whose clamped result has RMS spread
// target around the originals, by a few multiplicative corrections measured
// on up to 20 originals with a fixed stream.
func calibrateNoise(orig imageSet, target float64) float64 {
	if target <= 0 {
		return 0
	}
	m := min(20, orig.len())
	buf := make([]uint8, 784)
	std := target
	for range 6 {
		r := rng.New(0)
		var sq float64
		for i := range m {
			src := orig.pix[i*784 : (i+1)*784]
			augment.AddNoise(buf, src, std, r)
			d := augment.PixelRMS(buf, src)
			sq += float64(d * d)
		}
		got := math.Sqrt(sq / float64(m))
		if got <= 0 {
			break
		}
		std *= target / got
	}
	return std
}

// spread is the RMS per-pixel difference between the copies in set (k per
// original, from index base on) and their originals.
func spread(orig, set imageSet, base, k int) float64 {
	var sq float64
	n := orig.len()
	for i := range n {
		for j := range k {
			at := base + i*k + j
			d := augment.PixelRMS(set.pix[at*784:(at+1)*784], orig.pix[i*784:(i+1)*784])
			sq += float64(d * d)
		}
	}
	if n*k == 0 {
		return 0
	}
	return math.Sqrt(sq / float64(n*k))
}
