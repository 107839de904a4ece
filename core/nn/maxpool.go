package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/kernels"
)

// MaxPool2D takes the maximum of each 2x2 window, stride 2, "same" padding:
// N×H×W×C → N×ceil(H/2)×ceil(W/2)×C. With TensorFlow's same padding the
// windows start at even rows and columns; a window that runs past an odd edge
// uses only the pixels inside. Ties go to the first pixel in row-major order.
// Both passes run on core/kernels (SIMD where available, the same bits).
type MaxPool2D struct {
	name   string
	h, w   int
	argmax []int32 // flat input index of each output's maximum
	y, dx  buffer
}

// NewMaxPool2D makes a 2x2 stride-2 max-pooling layer.
func NewMaxPool2D(name string) *MaxPool2D { return &MaxPool2D{name: name} }

func (l *MaxPool2D) Name() string     { return l.name }
func (l *MaxPool2D) Class() string    { return "MaxPooling2D" }
func (l *MaxPool2D) Params() []*Param { return nil }

func (l *MaxPool2D) OutShape(in []int) []int {
	if len(in) != 3 {
		shapePanic(l.name, "input shape", in, "[H W C]")
	}
	return []int{(in[0] + 1) / 2, (in[1] + 1) / 2, in[2]}
}

func (l *MaxPool2D) Forward(x *tensor.Dense, train bool) *tensor.Dense {
	s := x.Shape()
	if len(s) != 4 {
		shapePanic(l.name, "input shape", []int(s), "[N H W C]")
	}
	n, h, w, c := s[0], s[1], s[2], s[3]
	l.h, l.w = h, w
	oh, ow := (h+1)/2, (w+1)/2
	yt, y := l.y.get(n, oh, ow, c)
	if cap(l.argmax) < len(y) {
		l.argmax = make([]int32, len(y))
	}
	l.argmax = l.argmax[:len(y)]
	kernels.MaxPool2x2(y, l.argmax, f32(x), n, h, w, c)
	return yt
}

func (l *MaxPool2D) Backward(dy *tensor.Dense) *tensor.Dense {
	checkShape(l.name, "output gradient", dy, l.y.shape...)
	n, c := l.y.shape[0], l.y.shape[3]
	dxt, dx := l.dx.get(n, l.h, l.w, c)
	kernels.MaxPool2x2Backward(dx, f32(dy), l.argmax, n, l.h, l.w, c)
	return dxt
}
