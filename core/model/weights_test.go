package model

import (
	"bytes"
	"strings"
	"testing"

	"vaeaug/core/nn"
	"vaeaug/core/weights"
)

func TestWeightsRoundTrip(t *testing.T) {
	src := NewClassifier(1)
	// Train-mode forwards move the BatchNorm statistics off their initial
	// values, so the round trip covers them too.
	x, labels := synthDigits(16, 2)
	src.Gradients(x, labels)
	var buf bytes.Buffer
	if err := SaveWeights(&buf, src.Net.Layers); err != nil {
		t.Fatal(err)
	}
	dst := NewClassifier(99)
	if err := LoadWeights(bytes.NewReader(buf.Bytes()), int64(buf.Len()), dst.Net.Layers); err != nil {
		t.Fatal(err)
	}
	if a, b := checksum(src.Params()), checksum(dst.Params()); a != b {
		t.Fatalf("weights differ after round trip: %s vs %s", a, b)
	}
	want := append([]float32(nil), nn.Data(src.Logits(x))...)
	got := nn.Data(dst.Logits(x))
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("prediction %d differs: %v vs %v", i, got[i], want[i])
		}
	}
	keys := Entries(src.Net.Layers)
	if keys[0].Key != "conv2d_1/kernel" || keys[4].Key != "batch_normalization_1/moving_mean" || keys[len(keys)-1].Key != "dense_2/bias" {
		t.Fatalf("unexpected keys: %s, %s, %s", keys[0].Key, keys[4].Key, keys[len(keys)-1].Key)
	}
}

// A wrong file is a user error: it names the weight, and the model is left
// as it was.
func TestLoadWeightsRejects(t *testing.T) {
	good := Entries(NewClassifier(1).Net.Layers)
	cases := map[string]struct {
		entries []weights.Entry
		msg     string
	}{
		"renamed":   {replace(good, 2, weights.Entry{Key: "batch_norm/gamma", Value: good[2].Value}), `"batch_norm/gamma", want "batch_normalization_1/gamma"`},
		"reshaped":  {replace(good, 0, weights.Entry{Key: "conv2d_1/kernel", Value: nn.NewTensor(3, 3, 16, 1)}), `"conv2d_1/kernel" has shape [3 3 16 1], want [3 3 1 16]`},
		"truncated": {good[:5], `missing "batch_normalization_1/moving_variance"`},
		"extra":     {append(append([]weights.Entry(nil), good...), weights.Entry{Key: "x", Value: nn.NewTensor(1)}), `first extra is "x"`},
		"vae file":  {Entries(NewVAE(1).Layers()), `"conv2d_1/kernel" has shape [3 3 1 32], want [3 3 1 16]`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := weights.Write(&buf, tc.entries); err != nil {
				t.Fatal(err)
			}
			c := NewClassifier(5)
			before := checksum(c.Params())
			err := LoadWeights(bytes.NewReader(buf.Bytes()), int64(buf.Len()), c.Net.Layers)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want one containing %s", err, tc.msg)
			}
			if checksum(c.Params()) != before {
				t.Fatal("a failed load changed the model")
			}
		})
	}
}

func replace(es []weights.Entry, i int, e weights.Entry) []weights.Entry {
	out := append([]weights.Entry(nil), es...)
	out[i] = e
	return out
}
