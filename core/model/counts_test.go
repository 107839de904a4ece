package model

import (
	"bytes"
	"strings"
	"testing"
)

// The counts SPEC.md gives for the article's Keras models.
func TestParameterCounts(t *testing.T) {
	v := NewVAE(1)
	for _, tc := range []struct {
		name string
		got  Counts
		want Counts
	}{
		{"classifier", Count(NewClassifier(1).Net.Layers), Counts{1660602, 1660282, 320}},
		{"encoder", Count(v.EncoderLayers()), Counts{Total: 496456}},
		{"decoder", Count(v.DecoderLayers()), Counts{Total: 332485}},
	} {
		if tc.got.Total != tc.want.Total || (tc.want.Trainable != 0 && tc.got != tc.want) {
			t.Errorf("%s: counts %+v, want %+v", tc.name, tc.got, tc.want)
		}
		if tc.got.Total != tc.got.Trainable+tc.got.NonTrainable {
			t.Errorf("%s: %+v does not add up", tc.name, tc.got)
		}
	}
	if got := Count(v.Layers()).Total; got != 828941 {
		t.Errorf("VAE total %d, want 828941", got)
	}
}

func TestSummary(t *testing.T) {
	var b bytes.Buffer
	if err := NewClassifier(1).Summary(&b); err != nil {
		t.Fatal(err)
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"conv2d_1 (Conv2D) (None, 28, 28, 16) 160 ",
		"max_pooling2d_2 (MaxPooling2D) (None, 7, 7, 64) 0 ",
		"flatten_1 (Flatten) (None, 3136) 0 ",
		"dense_1 (Dense) (None, 512) 1606144 ",
		"dense_2 (Dense) (None, 10) 5130 ",
		"Total params: 1,660,602 Trainable params: 1,660,282 Non-trainable params: 320 ",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("classifier summary lacks %q:\n%s", want, s)
		}
	}
	b.Reset()
	if err := NewVAE(1).Summary(&b); err != nil {
		t.Fatal(err)
	}
	s = strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"conv2d_2 (Conv2D) (None, 14, 14, 64) 18496 ",
		"dense_1 (Dense) (None, 32) 401440 ",
		"z (Lambda) (None, 20) 0 ",
		"dense_4 (Dense) (None, 12544) 263424 ",
		"batch_normalization_6 (BatchNormalization) (None, 12544) 50176 ",
		"conv2d_transpose_1 (Conv2DTranspose) (None, 28, 28, 32) 18464 ",
		"conv2d_5 (Conv2D) (None, 28, 28, 1) 289 ",
		"Total params: 496,456",
		"Total params: 332,485",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("VAE summary lacks %q:\n%s", want, s)
		}
	}
}
