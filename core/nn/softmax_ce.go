package nn

import (
	"gorgonia.org/tensor"

	"vaeaug/core/num"
)

// SoftmaxCrossEntropy is softmax followed by categorical cross-entropy,
// fused: it takes logits, never forms log(softmax) from a rounded
// probability, and so stays finite for any finite logits. The loss is the
// mean over the batch, as Keras reports it.
type SoftmaxCrossEntropy struct {
	probs buffer
	grad  buffer
}

// Forward returns the mean loss of logits (N×C) against integer labels
// (len N, each in [0, C)) and keeps the softmax probabilities for Backward.
// It panics with ErrShape on a label count or value that does not fit.
func (l *SoftmaxCrossEntropy) Forward(logits *tensor.Dense, labels []uint8) float64 {
	s := logits.Shape()
	if len(s) != 2 || s[0] != len(labels) {
		shapePanic("softmax_cross_entropy", "logits", []int(s), []int{len(labels), -1})
	}
	n, c := s[0], s[1]
	_, p := l.probs.get(n, c)
	z := f32(logits)
	var loss float64
	for i := range n {
		zi, pi := z[i*c:(i+1)*c], p[i*c:(i+1)*c]
		y := int(labels[i])
		if y >= c {
			shapePanic("softmax_cross_entropy", "label", y, c)
		}
		logSum := softmaxRow(pi, zi)
		loss += logSum - float64(zi[y])
	}
	return loss / float64(n)
}

// softmaxRow writes softmax(z) into p and returns log Σ exp(z) (both shifted
// by max z, so no exp overflows).
func softmaxRow(p, z []float32) float64 {
	m := z[0]
	for _, v := range z {
		m = max(m, v)
	}
	var sum float64
	for j, v := range z {
		e := num.Exp(float64(v - m))
		p[j] = float32(e)
		sum += e
	}
	inv := 1 / sum
	for j := range p {
		p[j] = float32(float64(p[j]) * inv)
	}
	return float64(m) + num.Log(sum)
}

// Backward returns d(mean loss)/d(logits) = (softmax − onehot)/N for the
// labels of the last Forward.
func (l *SoftmaxCrossEntropy) Backward(labels []uint8) *tensor.Dense {
	n, c := l.probs.shape[0], l.probs.shape[1]
	gt, g := l.grad.get(n, c)
	inv := 1 / float32(n)
	for i, p := range l.probs.data {
		g[i] = p * inv
	}
	for i, y := range labels[:n] {
		g[i*c+int(y)] -= inv
	}
	return gt
}

// Probs returns the softmax probabilities of the last Forward (N×C).
func (l *SoftmaxCrossEntropy) Probs() []float32 { return l.probs.data }

// Softmax writes the row-wise softmax of logits (n rows of len(p)/n) into p.
func Softmax(p, logits []float32, n int) {
	c := len(p) / n
	for i := range n {
		softmaxRow(p[i*c:(i+1)*c], logits[i*c:(i+1)*c])
	}
}
