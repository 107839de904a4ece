package study

import (
	"context"
	"testing"

	"vaeaug/core/model"
	"vaeaug/core/rng"
)

// Generation keeps the originals in front, adds k copies per original in
// order (i, j), and labels each copy with its original's label.
func TestGenerateKeepsLabelsAndCount(t *testing.T) {
	const n, k = 13, 3 // 39 samples: not a multiple of the decode batch
	orig := imageSet{pix: make([]uint8, n*784), labels: make([]uint8, n)}
	r := rng.New(1)
	for i := range n {
		orig.labels[i] = uint8(r.IntN(10))
		for p := range 784 {
			orig.pix[i*784+p] = uint8(r.IntN(256))
		}
	}
	var out imageSet
	out.pix = append(out.pix, orig.pix...)
	out.labels = append(out.labels, orig.labels...)
	v := model.NewVAE(2)
	calls := 0
	spread, err := generate(context.Background(), v, orig, k, rng.New(3), &out, &Hooks{Progress: func(Progress) { calls++ }}, Progress{})
	if err != nil {
		t.Fatal(err)
	}
	if out.len() != n*(k+1) || len(out.pix) != n*(k+1)*784 {
		t.Fatalf("%d images (%d bytes), want %d", out.len(), len(out.pix), n*(k+1))
	}
	for i := range n {
		for j := range k {
			if got := out.labels[n+i*k+j]; got != orig.labels[i] {
				t.Fatalf("copy %d of original %d labelled %d, want %d", j, i, got, orig.labels[i])
			}
		}
	}
	if spread <= 0 || spread >= 1 || calls == 0 {
		t.Fatalf("spread %v, progress calls %d", spread, calls)
	}
	// The same stream gives the same samples, whatever else ran before.
	again := imageSet{pix: append([]uint8(nil), orig.pix...), labels: append([]uint8(nil), orig.labels...)}
	if _, err := generate(context.Background(), v, orig, k, rng.New(3), &again, &Hooks{}, Progress{}); err != nil {
		t.Fatal(err)
	}
	for i := range out.pix {
		if out.pix[i] != again.pix[i] {
			t.Fatalf("byte %d differs between two generations from one seed", i)
		}
	}
}
