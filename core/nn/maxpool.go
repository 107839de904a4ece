package nn

import "gorgonia.org/tensor"

// MaxPool2D takes the maximum of each 2x2 window, stride 2, "same" padding:
// N×H×W×C → N×ceil(H/2)×ceil(W/2)×C. With TensorFlow's same padding the
// windows start at even rows and columns; a window that runs past an odd edge
// uses only the pixels inside. Ties go to the first pixel in row-major order.
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
	xs := f32(x)
	o := 0
	for b := range n {
		for i := range oh {
			for j := range ow {
				for ch := range c {
					best := -1
					for di := range 2 {
						r := 2*i + di
						if r >= h {
							break
						}
						for dj := range 2 {
							cc := 2*j + dj
							if cc >= w {
								break
							}
							idx := ((b*h+r)*w+cc)*c + ch
							if best < 0 || xs[idx] > xs[best] {
								best = idx
							}
						}
					}
					y[o] = xs[best]
					l.argmax[o] = int32(best)
					o++
				}
			}
		}
	}
	return yt
}

func (l *MaxPool2D) Backward(dy *tensor.Dense) *tensor.Dense {
	checkShape(l.name, "output gradient", dy, l.y.shape...)
	n, c := l.y.shape[0], l.y.shape[3]
	dxt, dx := l.dx.get(n, l.h, l.w, c)
	clear(dx)
	for o, v := range f32(dy) {
		dx[l.argmax[o]] += v
	}
	return dxt
}
