package nn

import (
	"math"

	"vaeaug/core/rng"
)

// truncStd is the standard deviation of a standard normal truncated to
// [-2, 2] (scipy.stats.truncnorm.std(a=-2, b=2)). Keras 2.2 divides the
// wanted standard deviation by it so that the truncated draws end up with
// the variance VarianceScaling promises.
const truncStd = 0.87962566103423978

// HeNormal is Keras 2.2's he_normal: VarianceScaling(scale=2, mode="fan_in",
// distribution="normal"), a normal with standard deviation
// sqrt(2/fanIn)/0.8796 truncated at two standard deviations. Values are drawn
// in order dst[0], dst[1], ... and stored as float32.
func HeNormal(dst []float32, fanIn, fanOut int, r *rng.Source) {
	truncatedNormal(dst, 2/max(1, float64(fanIn)), r)
}

// GlorotNormal is Keras 2.2's glorot_normal: VarianceScaling(scale=1,
// mode="fan_avg", distribution="normal"), a normal with standard deviation
// sqrt(1/fan_avg)/0.8796, fan_avg = (fanIn+fanOut)/2, truncated at two
// standard deviations. Values are drawn in order and stored as float32.
func GlorotNormal(dst []float32, fanIn, fanOut int, r *rng.Source) {
	truncatedNormal(dst, 1/max(1, float64(fanIn+fanOut)/2), r)
}

// GlorotUniform is Keras 2.2's glorot_uniform (the default for Dense and
// Conv layers): uniform on [-limit, limit) with limit =
// sqrt(6/(fanIn+fanOut)). Values are drawn in order and stored as float32.
func GlorotUniform(dst []float32, fanIn, fanOut int, r *rng.Source) {
	// VarianceScaling(scale=1, fan_avg, uniform): limit = sqrt(3*scale/n).
	n := max(1, float64(fanIn+fanOut)/2)
	limit := math.Sqrt(3 / n)
	width := 2 * limit
	for i := range dst {
		// minval + (maxval-minval)*u as TensorFlow's random_uniform; the
		// conversion keeps the product from fusing with the addition.
		dst[i] = float32(float64(r.Float64()*width) - limit)
	}
}

// Zeros sets every value to 0 (Keras "zeros": biases, beta, moving mean).
func Zeros(dst []float32, fanIn, fanOut int, r *rng.Source) { clear(dst) }

// Ones sets every value to 1 (Keras "ones": gamma, moving variance).
func Ones(dst []float32, fanIn, fanOut int, r *rng.Source) {
	for i := range dst {
		dst[i] = 1
	}
}

// truncatedNormal fills dst with VarianceScaling's "normal" distribution for
// the given variance (scale/n): a normal with standard deviation
// sqrt(variance)/truncStd, truncated at two of those standard deviations.
func truncatedNormal(dst []float32, variance float64, r *rng.Source) {
	std := math.Sqrt(variance) / truncStd
	for i := range dst {
		dst[i] = float32(r.TruncatedNormal(std))
	}
}
