package model

import (
	"fmt"
	"io"
	"slices"

	"gorgonia.org/tensor"

	"vaeaug/core/nn"
	"vaeaug/core/weights"
)

// Entries lists layers' weights as .npz entries keyed "layer/weight"
// (e.g. "conv2d_1/kernel") in Keras get_weights() order. The entries share
// the parameters' tensors.
func Entries(layers []nn.Layer) []weights.Entry {
	var es []weights.Entry
	for _, l := range layers {
		for _, p := range l.Params() {
			es = append(es, weights.Entry{Key: l.Name() + "/" + p.Name, Value: p.Value})
		}
	}
	return es
}

// SaveWeights writes layers' weights to w as a NumPy .npz archive in Keras
// names, order and layouts.
func SaveWeights(w io.Writer, layers []nn.Layer) error {
	return weights.Write(w, Entries(layers))
}

// LoadWeights reads a .npz archive written by SaveWeights (or by NumPy from
// a Keras model's get_weights() under the same names) into layers. The
// archive must hold exactly the layers' weights, in order, with the same
// names and shapes, as float32; otherwise LoadWeights returns an error that
// names the first weight that differs and leaves every layer unchanged.
func LoadWeights(r io.ReaderAt, size int64, layers []nn.Layer) error {
	got, err := weights.Read(r, size)
	if err != nil {
		return err
	}
	want := Entries(layers)
	for i, w := range want {
		if i >= len(got) {
			return fmt.Errorf("weights file ends after %d weights; missing %q (shape %v)", len(got), w.Key, []int(w.Value.Shape()))
		}
		g := got[i]
		if g.Key != w.Key {
			return fmt.Errorf("weight %d is %q, want %q", i+1, g.Key, w.Key)
		}
		if g.Value.Dtype() != tensor.Float32 {
			return fmt.Errorf("weight %q has dtype %v, want float32", g.Key, g.Value.Dtype())
		}
		if !slices.Equal([]int(g.Value.Shape()), []int(w.Value.Shape())) {
			return fmt.Errorf("weight %q has shape %v, want %v", g.Key, []int(g.Value.Shape()), []int(w.Value.Shape()))
		}
	}
	if len(got) > len(want) {
		return fmt.Errorf("weights file has %d weights, want %d; first extra is %q", len(got), len(want), got[len(want)].Key)
	}
	for i, w := range want {
		copy(nn.Data(w.Value), nn.Data(got[i].Value))
	}
	return nil
}
