package model

import (
	"gorgonia.org/tensor"

	"vaeaug/core/nn"
)

// Sequential runs layers one after another.
type Sequential struct {
	Name    string
	InShape []int // one example's input shape
	Layers  []nn.Layer
}

// Forward runs x (batch-first) through every layer.
func (s *Sequential) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	for _, l := range s.Layers {
		x = l.Forward(x, train)
	}
	return x
}

// Backward runs dy back through every layer and returns the input gradient.
func (s *Sequential) Backward(dy *tensor.Dense) *tensor.Dense {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Backward(dy)
	}
	return dy
}

// Params lists every weight in Keras get_weights() order.
func (s *Sequential) Params() []*nn.Param {
	var ps []*nn.Param
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// OutShape is the shape of one output example.
func (s *Sequential) OutShape() []int {
	shape := s.InShape
	for _, l := range s.Layers {
		shape = l.OutShape(shape)
	}
	return shape
}

// namer hands out Keras 2 layer names: a counter per prefix, from 1.
type namer map[string]int

func (n namer) next(prefix string) string {
	n[prefix]++
	return prefix + "_" + itoa(n[prefix])
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
