package augment

import (
	"vaeaug/core/num"
	"vaeaug/core/rng"
)

// gaussianKernel returns the taps w[0..2R] of a Gaussian of standard
// deviation sigma, truncated at radius R = int(4·sigma + 0.5) and normalised
// to sum to 1, as scipy.ndimage.gaussian_filter does (truncate=4.0) in the
// reference implementations of Simard et al.'s distortion. Taps farther than
// Side−1 from the centre are then dropped: with the zero padding used here
// they can never meet a pixel inside the image, so the result is unchanged
// and the blur costs no more than the image is wide.
func gaussianKernel(sigma float64) []float64 {
	radius := int(float64(4*sigma) + 0.5)
	full := make([]float64, 2*radius+1)
	inv := -0.5 / float64(sigma*sigma)
	sum := 0.0
	for k := -radius; k <= radius; k++ {
		w := num.Exp(float64(float64(k*k) * inv))
		full[k+radius] = w
		sum += w
	}
	for i := range full {
		full[i] /= sum
	}
	keep := min(radius, Side-1)
	return full[radius-keep : radius+keep+1]
}

// drawField fills f with a displacement component: independent uniforms in
// [-1, 1), drawn in row-major order, smoothed by the separable Gaussian
// kernel (rows first, then columns) with zero padding outside the image, and
// multiplied by alpha. tmp is scratch.
//
// This is Simard et al.'s construction. Alpha multiplies the smoothed field
// in a last pass, as in the reference implementation, rather than being
// folded into the kernel, so the kernel and the smoothed field do not depend
// on alpha.
func drawField(f, tmp *[Pixels]float64, kernel []float64, alpha float64, r *rng.Source) {
	for i := range f {
		f[i] = signed(r)
	}
	blurRows(tmp, f, kernel)
	blurCols(f, tmp, kernel)
	for i := range f {
		f[i] = float64(alpha * f[i])
	}
}

// maxTaps is the longest kernel gaussianKernel returns: radius Side−1.
const maxTaps = 2*Side - 1

// blurRows convolves every row of src with kernel into dst, treating pixels
// outside the image as zero. Each output sums its terms in one fixed order,
// tap −R first; the zero padding only adds +0 terms, which change nothing.
// Seven outputs (a quarter row) are accumulated side by side so that the
// additions do not wait on one another; that, and skipping taps that meet
// only padding, made the blur roughly twice as fast as tap-by-tap updates of
// whole rows.
func blurRows(dst, src *[Pixels]float64, kernel []float64) {
	radius := len(kernel) / 2
	// The row with radius zeros on either side; the margins stay zero.
	var pad [Side + maxTaps - 1]float64
	for i := 0; i < Pixels; i += Side {
		copy(pad[radius:radius+Side], src[i:i+Side])
		out := dst[i : i+Side]
		for j := 0; j+7 <= Side; j += 7 {
			// Skip the taps that meet only padding for all seven outputs
			// (pad index j+t+m outside [radius, radius+Side) for m = 0..6).
			lo, hi := max(0, radius-j-6), min(len(kernel), radius+Side-j)
			var a0, a1, a2, a3, a4, a5, a6 float64
			for t := lo; t < hi; t++ {
				w := kernel[t]
				s := pad[j+t : j+t+7]
				a0 += float64(w * s[0])
				a1 += float64(w * s[1])
				a2 += float64(w * s[2])
				a3 += float64(w * s[3])
				a4 += float64(w * s[4])
				a5 += float64(w * s[5])
				a6 += float64(w * s[6])
			}
			o := out[j : j+7]
			o[0], o[1], o[2], o[3], o[4], o[5], o[6] = a0, a1, a2, a3, a4, a5, a6
		}
	}
}

// blurCols is blurRows down the columns: output row i sums input rows i+k
// for the taps k that stay inside the image, in increasing k, seven columns
// at a time. Skipping the rows outside the image, rather than padding, gives
// the same sums, since those terms would all be +0.
func blurCols(dst, src *[Pixels]float64, kernel []float64) {
	radius := len(kernel) / 2
	for i := 0; i < Side; i++ {
		// Taps t whose row i+t−radius lies in [0, Side).
		lo, hi := max(0, radius-i), min(len(kernel), radius+Side-i)
		out := dst[i*Side : (i+1)*Side]
		for j := 0; j+7 <= Side; j += 7 {
			var a0, a1, a2, a3, a4, a5, a6 float64
			for t := lo; t < hi; t++ {
				w := kernel[t]
				row := (i+t-radius)*Side + j
				s := src[row : row+7]
				a0 += float64(w * s[0])
				a1 += float64(w * s[1])
				a2 += float64(w * s[2])
				a3 += float64(w * s[3])
				a4 += float64(w * s[4])
				a5 += float64(w * s[5])
				a6 += float64(w * s[6])
			}
			o := out[j : j+7]
			o[0], o[1], o[2], o[3], o[4], o[5], o[6] = a0, a1, a2, a3, a4, a5, a6
		}
	}
}
