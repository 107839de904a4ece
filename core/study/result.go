package study

// Arm names: what a classifier was trained on.
const (
	ArmBaseline    = "baseline"     // the n originals
	ArmStepMatched = "step-matched" // the originals, for as many steps as the augmented arm
	ArmNoise       = "noise"        // originals + k noisy copies each
	ArmVAE         = "vae"          // originals + k VAE samples each
	ArmClassic     = "classic"      // originals + k shifted/rotated/scaled/elastic copies each
	ArmVAEClassic  = "vae+classic"  // originals + k VAE samples each, classically distorted
)

// Snapshot is the VAE at one training level.
type Snapshot struct {
	Level int     `json:"level"` // 0 = least trained
	Epoch int     `json:"epoch"` // epochs trained when taken
	Loss  float64 `json:"loss"`  // mean training loss over that epoch
	Recon float64 `json:"recon"` // its reconstruction part (784·BCE)
	KL    float64 `json:"kl"`    // its KL part
}

// ArmResult is one trained classifier and how it scored.
type ArmResult struct {
	Arm      string `json:"arm"`
	K        int    `json:"k"`         // generated copies per original (0 for baseline)
	VAELevel int    `json:"vae_level"` // snapshot used, -1 when no VAE is involved
	// TrainSize is the number of images per epoch (originals + generated).
	TrainSize int `json:"train_size"`
	// Steps is the number of optimiser steps taken; BestStep the step whose
	// weights were kept (best validation accuracy).
	Steps    int     `json:"steps"`
	BestStep int     `json:"best_step"`
	ValAcc   float64 `json:"val_acc"`
	TestAcc  float64 `json:"test_acc"`
	// PerClass is the test accuracy of each digit; Confusion[true][pred]
	// counts test images.
	PerClass  [10]float64 `json:"per_class"`
	Confusion [10][10]int `json:"confusion"`
	// PixelStd is, for generated arms, the RMS per-pixel difference between
	// generated images and their original (noise arms are matched to it).
	PixelStd float64 `json:"pixel_std,omitempty"`
	Seconds  float64 `json:"seconds"`
	Weights  string  `json:"weights,omitempty"` // .npz file of the kept weights, when saved
}

// Result is one run: one n, one seed, every configured arm.
type Result struct {
	Dataset   string      `json:"dataset"`
	N         int         `json:"n"`
	Seed      uint64      `json:"seed"`
	Config    Config      `json:"config"`
	Snapshots []Snapshot  `json:"snapshots"`
	Arms      []ArmResult `json:"arms"`
	Seconds   float64     `json:"seconds"`
}
