package augment

import (
	"fmt"
	"math"
)

// PixelRMS returns the root-mean-square difference between a and b in [0, 1]
// intensity units (1.0 = 255). The slices may hold one image or a whole
// batch; they must have equal lengths. Empty slices give 0.
//
// The squared differences are summed as integers, which is exact, so the
// result does not depend on summation order or platform.
func PixelRMS(a, b []uint8) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("augment: PixelRMS needs equal lengths, got %d and %d", len(a), len(b)))
	}
	if len(a) == 0 {
		return 0
	}
	var sum uint64
	for i, v := range a {
		d := int64(v) - int64(b[i])
		sum += uint64(d * d)
	}
	return math.Sqrt(float64(sum)/float64(len(a))) / 255
}
