package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"vaeaug/core/study"
)

// intList is a flag holding comma-separated integers.
type intList []int

func (l *intList) String() string {
	parts := make([]string, len(*l))
	for i, v := range *l {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ",")
}

func (l *intList) Set(s string) error {
	*l = nil
	for _, part := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", part)
		}
		*l = append(*l, v)
	}
	return nil
}

// stringList is a flag holding comma-separated words.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(s string) error {
	*l = nil
	for _, part := range strings.Split(s, ",") {
		*l = append(*l, strings.TrimSpace(part))
	}
	return nil
}

// studyFlags are the flags shared by run and grid: data, budgets, output.
type studyFlags struct {
	quick       bool
	arms        stringList
	k           intList
	controlK    intList
	seed        uint64
	vaeEpochs   int
	snapshots   intList
	vaeBatch    int
	batch       int
	evalEvery   int
	patience    int
	maxSteps    int
	valSize     int
	testSize    int
	out         string
	dataDir     string
	trainImages string
	trainLabels string
	testImages  string
	testLabels  string
	noWeights   bool
	lr          float64
	vaeLR       float64
	baseline    string
}

func (f *studyFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.quick, "quick", false, "short budgets for a fast look")
	fs.Var(&f.arms, "arms", "arms to train, comma-separated: baseline, step-matched, noise, vae, classic, vae+classic (default baseline,vae)")
	fs.Var(&f.controlK, "control-k", "train the step-matched and noise controls only at these k (default every k)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed (subset, weights, samples)")
	fs.IntVar(&f.vaeEpochs, "vae-epochs", 0, "VAE training epochs (default 200; 30 with -quick)")
	fs.Var(&f.snapshots, "snapshots", "epochs at which VAE snapshots (training levels) are taken, e.g. 50,200")
	fs.IntVar(&f.vaeBatch, "vae-batch", 0, "VAE batch size (default 32)")
	fs.IntVar(&f.batch, "batch", 0, "classifier batch size (default 32)")
	fs.IntVar(&f.evalEvery, "eval-every", 0, "classifier steps between validation checks")
	fs.IntVar(&f.patience, "patience", 0, "validation checks without improvement before stopping")
	fs.IntVar(&f.maxSteps, "max-steps", 0, "most classifier steps per arm")
	fs.IntVar(&f.valSize, "val-size", 0, "validation images used for early stopping (at most 5000)")
	fs.IntVar(&f.testSize, "test-size", 0, "test images that score the kept weights (at most 10000)")
	fs.Float64Var(&f.lr, "lr", 0, "classifier learning rate (default the article's 2e-4)")
	fs.Float64Var(&f.vaeLR, "vae-lr", 0, "VAE learning rate (default the article's 1e-3)")
	fs.StringVar(&f.out, "out", "out", "folder for results, figures and weights")
	fs.StringVar(&f.dataDir, "data", "data/mnist", "folder with the four MNIST files (make data)")
	fs.StringVar(&f.trainImages, "train-images", "", "other data: IDX training images (28x28 grey, with -train-labels, -test-images, -test-labels)")
	fs.StringVar(&f.trainLabels, "train-labels", "", "other data: IDX training labels (0-9)")
	fs.StringVar(&f.testImages, "test-images", "", "other data: IDX test images")
	fs.StringVar(&f.testLabels, "test-labels", "", "other data: IDX test labels")
	fs.BoolVar(&f.noWeights, "no-weights", false, "do not save each classifier's weights (.npz)")
	fs.StringVar(&f.baseline, "baseline", "baseline", "arm drawn dashed in the figure: baseline, or step-matched (the control trained for as many steps)")
}

// config turns the flags into a study config for n originals.
func (f *studyFlags) config(n int) study.Config {
	base := study.Defaults()
	if f.quick {
		base = study.Quick()
	}
	c := study.Config{
		N: n, K: f.k, ControlK: f.controlK, Arms: f.arms, Seed: f.seed,
		VAEBatch: f.vaeBatch, VAEEpochs: f.vaeEpochs, SnapshotEpochs: f.snapshots,
		Batch: f.batch, EvalEvery: f.evalEvery, Patience: f.patience, MaxSteps: f.maxSteps,
		ValSize: f.valSize, TestSize: f.testSize, LR: f.lr, VAELR: f.vaeLR,
	}
	if f.vaeEpochs != 0 && len(f.snapshots) == 0 {
		// Two levels, a quarter-trained and a fully trained VAE, as the
		// defaults have.
		c.SnapshotEpochs = []int{f.vaeEpochs}
		if f.vaeEpochs >= 4 {
			c.SnapshotEpochs = []int{f.vaeEpochs / 4, f.vaeEpochs}
		}
	}
	return c.WithDefaults(base)
}
