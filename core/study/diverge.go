package study

import (
	"fmt"
	"math"
)

// divergeFactor is how far a training loss may rise above its first value
// before the run is called diverged. Neither model's loss climbs above its
// value at initialisation in a healthy run; with too large a learning rate
// the classifier's loss first shoots up (168× ln 10 at learning rate 1,
// 19,000 at 10) and then settles at ln 10 with the network dead, which
// would otherwise end in a chance-level accuracy reported as a result.
const divergeFactor = 10

// lossWatch stops a training loop whose loss is not finite or has risen
// divergeFactor times above its first value.
type lossWatch struct {
	stage string  // "train classifier (vae)", "train VAE": names the stage in the error
	lr    float64 // the learning rate, named in the error as the likely cause
	first float64
}

// check returns an error if loss shows divergence at the given step or
// epoch (unit and count name it; nothing is formatted unless it fails).
func (w *lossWatch) check(loss float64, unit string, count int) error {
	switch {
	case math.IsNaN(loss) || math.IsInf(loss, 0):
		return fmt.Errorf("%s: the loss became %v at %s %d: training diverged (learning rate %g; try a smaller one)",
			w.stage, loss, unit, count, w.lr)
	case w.first == 0:
		w.first = loss
	case loss > divergeFactor*w.first:
		return fmt.Errorf("%s: the loss rose to %.4g at %s %d, over %d× its first value %.4g: training diverged (learning rate %g; try a smaller one)",
			w.stage, loss, unit, count, divergeFactor, w.first, w.lr)
	}
	return nil
}
