package study

import (
	"fmt"

	"vaeaug/core/data"
)

// Data is what every run draws from: the pool that originals are sampled
// from, the validation slice (disjoint from the pool) and the test set.
type Data struct {
	Name string
	Pool *data.Dataset
	Val  *data.Dataset
	Test *data.Dataset
}

// NewData splits train into the pool and the default validation slice.
func NewData(name string, train, test *data.Dataset) (*Data, error) {
	pool, val, err := data.Split(train, data.DefaultValSize)
	if err != nil {
		return nil, err
	}
	return &Data{Name: name, Pool: pool, Val: val, Test: test}, nil
}

// imageSet is a labelled set of 28x28 byte images: the originals, followed
// by generated copies stored compactly (1 byte a pixel).
type imageSet struct {
	pix    []uint8 // len = 784·len(labels)
	labels []uint8
}

func (s imageSet) len() int { return len(s.labels) }

func setOf(ds *data.Dataset, limit int) imageSet {
	n := min(ds.Len(), limit)
	return imageSet{pix: ds.Images.Pix[:n*data.Pixels], labels: ds.Labels.Y[:n]}
}

// fill writes images idx of s, scaled to [0,1], into x and their labels
// into y.
func (s imageSet) fill(x []float32, y []uint8, idx []int) {
	for b, i := range idx {
		src := s.pix[i*data.Pixels : (i+1)*data.Pixels]
		dst := x[b*data.Pixels : (b+1)*data.Pixels]
		for j, v := range src {
			dst[j] = byteToUnit[v]
		}
		if y != nil {
			y[b] = s.labels[i]
		}
	}
}

// byteToUnit maps a pixel byte to [0,1] exactly as v/255 in float32.
var byteToUnit = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return
}()

// unitToByte rounds a [0,1] value to the nearest byte, clamping outside.
func unitToByte(v float32) uint8 {
	x := float32(v*255) + 0.5 // the conversion keeps the multiply from fusing into an FMA
	switch {
	case !(x > 0): // also NaN
		return 0
	case x >= 255:
		return 255
	}
	return uint8(x)
}

func checkData(d *Data, cfg Config) error {
	if d.Val.Len() < cfg.ValSize {
		return fmt.Errorf("validation size %d: only %d held-out images", cfg.ValSize, d.Val.Len())
	}
	if d.Test.Len() < cfg.TestSize {
		return fmt.Errorf("test size %d: the test set has %d images", cfg.TestSize, d.Test.Len())
	}
	return nil
}
