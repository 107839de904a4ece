package augment

import (
	"fmt"
	"math"

	"vaeaug/core/rng"
)

// AddNoise writes to dst the pixels of src plus independent Gaussian noise of
// standard deviation std, where std is in the [0, 1] intensity units the
// classifier sees (1.0 = 255), rounded half up and clamped to [0, 255]. The
// slices may hold any number of pixels (one image or a whole n×Pixels batch)
// but must have equal lengths; they may be the same slice. It draws one
// r.Normal per pixel, in order, and panics if std is negative, infinite or
// NaN.
//
// It serves the noise control arm: copies of the originals whose spread
// around them is set to the measured spread of VAE samples (see PixelRMS),
// so that any gain from VAE samples can be compared with unstructured
// perturbation of the same size. Clamping makes the realised spread smaller
// than std wherever pixels are near 0 or 255 — on MNIST, with its mostly
// black background, noticeably so — so measure the noisy copies with
// PixelRMS as well if the two spreads are to be matched exactly.
func AddNoise(dst, src []uint8, std float64, r *rng.Source) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("augment: AddNoise needs equal lengths, got dst %d and src %d", len(dst), len(src)))
	}
	if !(std >= 0) || math.IsInf(std, 1) {
		panic(fmt.Sprintf("augment: AddNoise std %v is not finite and non-negative", std))
	}
	// Work in pixel units so that std = 0 returns src exactly.
	scale := float64(std * 255)
	for i, v := range src {
		dst[i] = toPixel(float64(v) + float64(scale*r.Normal()))
	}
}
