package study

import (
	"vaeaug/core/model"
)

// Stages of a run, in order.
const (
	StageVAE      = "train VAE"
	StageGenerate = "generate"
	StageClassify = "train classifier"
	StageEvaluate = "evaluate"
)

// Progress reports where a run is. Done counts units of the stage (epochs
// for the VAE, images for generation, steps for the classifier) out of Total,
// the most the stage can take (a classifier may stop early).
type Progress struct {
	Stage    string  `json:"stage"`
	Arm      string  `json:"arm,omitempty"`
	K        int     `json:"k,omitempty"`
	VAELevel int     `json:"vae_level"`
	Done     int     `json:"done"`
	Total    int     `json:"total"`
	Loss     float64 `json:"loss,omitempty"`
	ValAcc   float64 `json:"val_acc,omitempty"`
	// Images counts images processed in this stage so far (for a speed).
	Images int `json:"images"`
}

// Hooks lets the caller watch and steer a run. Every field may be nil.
type Hooks struct {
	// Progress is called after every optimiser step, generated batch and
	// evaluation. It is where the browser yields to its event loop.
	Progress func(Progress)
	// Snapshot is called when a VAE snapshot is taken, with the VAE holding
	// its weights (valid only during the call).
	Snapshot func(s Snapshot, v *model.VAE)
	// Generated is called once per VAE level and k with the first few
	// originals and their generated images (784 bytes each), for display.
	// The slices are reused after the call: copy what you keep.
	Generated func(arm string, level, k int, originals [][]uint8, samples [][][]uint8)
	// ArmDone is called when an arm's classifier is trained and scored, with
	// the classifier holding its kept weights (valid only during the call).
	ArmDone func(a ArmResult, c *model.Classifier)
}

func (h *Hooks) progress(p Progress) {
	if h.Progress != nil {
		h.Progress(p)
	}
}
