package model

import (
	"gorgonia.org/tensor"

	"vaeaug/core/nn"
	"vaeaug/core/rng"
)

// synthDigits makes n deterministic 28x28 images in [0,1] in 10 classes:
// each class is a fixed random stroke pattern, each example that pattern
// shifted by up to 2 pixels with uniform noise in [0, 0.1) added. Labels
// cycle 0..9.
func synthDigits(n int, seed uint64) (*tensor.Dense, []uint8) { return synth(n, seed, 0.1) }

// synth is synthDigits with the noise amplitude given.
func synth(n int, seed uint64, noise float32) (*tensor.Dense, []uint8) {
	r := rng.New(seed)
	var protos [10][28 * 28]float32
	for c := range protos {
		for range 4 { // four strokes per class
			y0, x0 := 4+r.IntN(20), 4+r.IntN(20)
			dy, dx := r.IntN(3)-1, r.IntN(3)-1
			for s := range 10 {
				y, x := y0+s*dy, x0+s*dx
				if y >= 0 && y < 28 && x >= 0 && x < 28 {
					protos[c][y*28+x] = 1
				}
			}
		}
	}
	x := nn.NewTensor(n, 28, 28, 1)
	xs := nn.Data(x)
	labels := make([]uint8, n)
	for i := range n {
		c := i % 10
		labels[i] = uint8(c)
		sy, sx := r.IntN(5)-2, r.IntN(5)-2
		img := xs[i*784 : (i+1)*784]
		for y := range 28 {
			for xx := range 28 {
				v := noise * float32(r.Float64())
				py, px := y-sy, xx-sx
				if py >= 0 && py < 28 && px >= 0 && px < 28 {
					v += (1 - noise) * protos[c][py*28+px]
				}
				img[y*28+xx] = v
			}
		}
	}
	return x, labels
}

// batchOf copies examples idx of x (N×28×28×1) into dst and their labels
// into dstLabels.
func batchOf(dst *tensor.Dense, dstLabels []uint8, x *tensor.Dense, labels []uint8, idx []int) {
	d, s := nn.Data(dst), nn.Data(x)
	for b, i := range idx {
		copy(d[b*784:(b+1)*784], s[i*784:(i+1)*784])
		if dstLabels != nil {
			dstLabels[b] = labels[i]
		}
	}
}
