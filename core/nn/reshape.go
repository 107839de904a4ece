package nn

import (
	"slices"

	"gorgonia.org/tensor"
)

// Reshape changes each example's shape to Target without moving data; the
// output shares the input's backing slice. Flatten is a Reshape to one axis.
type Reshape struct {
	name   string
	class  string
	Target []int
	in     []int // last input shape, for backward
	view   view
	grad   view
}

// NewFlatten makes a Flatten layer: N×H×W×C → N×(H·W·C).
func NewFlatten(name string, size int) *Reshape {
	return &Reshape{name: name, class: "Flatten", Target: []int{size}}
}

// NewReshape makes a Reshape layer to the per-example shape target.
func NewReshape(name string, target ...int) *Reshape {
	return &Reshape{name: name, class: "Reshape", Target: target}
}

func (l *Reshape) Name() string     { return l.name }
func (l *Reshape) Class() string    { return l.class }
func (l *Reshape) Params() []*Param { return nil }

func (l *Reshape) OutShape(in []int) []int {
	if prod(in) != prod(l.Target) {
		shapePanic(l.name, "input shape", in, l.Target)
	}
	return slices.Clone(l.Target)
}

func (l *Reshape) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	s := x.Shape()
	if len(s) < 1 || prod(s[1:]) != prod(l.Target) {
		shapePanic(l.name, "input shape", []int(s), l.Target)
	}
	if !slices.Equal(l.in, s) {
		l.in = slices.Clone(s)
	}
	return l.view.of(f32(x), s[0], l.Target)
}

func (l *Reshape) Backward(dy *tensor.Dense) *tensor.Dense {
	if prod(dy.Shape()) != prod(l.in) {
		shapePanic(l.name, "output gradient", []int(dy.Shape()), l.Target)
	}
	return l.grad.of(f32(dy), l.in[0], l.in[1:])
}

// view caches a tensor header over someone else's data, remade only when the
// data or the shape changes.
type view struct {
	t     *tensor.Dense
	data  []float32
	shape []int
}

func (v *view) of(data []float32, n int, per []int) *tensor.Dense {
	if v.t != nil && len(v.data) == len(data) && &v.data[0] == &data[0] && v.shape[0] == n && slices.Equal(v.shape[1:], per) {
		return v.t
	}
	v.data = data
	v.shape = append([]int{n}, per...)
	v.t = tensor.New(tensor.WithShape(slices.Clone(v.shape)...), tensor.WithBacking(data))
	return v.t
}

func prod(s []int) int {
	p := 1
	for _, d := range s {
		p *= d
	}
	return p
}
