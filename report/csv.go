package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"vaeaug/core/study"
)

// csvHeader names the columns WriteCSV writes, in order.
var csvHeader = func() []string {
	h := []string{
		"dataset", "n", "seed", "arm", "k", "vae_level", "vae_epoch", "vae_loss",
		"train_size", "steps", "best_step", "val_acc", "test_acc",
	}
	for d := range 10 {
		h = append(h, fmt.Sprintf("acc_%d", d))
	}
	h = append(h,
		"pixel_std", "seconds", "weights",
		"vae_batch", "vae_epochs", "batch", "eval_every", "patience", "max_steps", "val_size", "test_size",
		"confusion",
	)
	return h
}()

// WriteCSV writes one row per trained classifier (one per run and arm) with
// every setting and score needed to redo any analysis without the JSON: the
// design point, the VAE snapshot used (epoch and loss, empty when the arm
// uses no VAE), training sizes and steps, validation and test accuracy, the
// ten per-digit accuracies, the pixel spread of the generated images, the
// run's budgets and the confusion matrix. The confusion matrix is one column
// of 100 counts separated by spaces, row-major with the true digit as the
// row, so that the file stays rectangular. Floats are written in the
// shortest form that reads back to the same value.
func WriteCSV(w io.Writer, results []study.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range results {
		for _, a := range r.Arms {
			if err := cw.Write(csvRow(r, a)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRow formats one arm of one run in the order of csvHeader.
func csvRow(r study.Result, a study.ArmResult) []string {
	itoa := strconv.Itoa
	vaeEpoch, vaeLoss := "", ""
	if a.VAELevel >= 0 {
		for _, s := range r.Snapshots {
			if s.Level == a.VAELevel {
				vaeEpoch, vaeLoss = itoa(s.Epoch), ftoa(s.Loss)
				break
			}
		}
	}
	row := []string{
		r.Dataset, itoa(r.N), strconv.FormatUint(r.Seed, 10), a.Arm, itoa(a.K), itoa(a.VAELevel), vaeEpoch, vaeLoss,
		itoa(a.TrainSize), itoa(a.Steps), itoa(a.BestStep), ftoa(a.ValAcc), ftoa(a.TestAcc),
	}
	for _, p := range a.PerClass {
		row = append(row, ftoa(p))
	}
	c := r.Config
	row = append(row,
		ftoa(a.PixelStd), ftoa(a.Seconds), a.Weights,
		itoa(c.VAEBatch), itoa(c.VAEEpochs), itoa(c.Batch), itoa(c.EvalEvery), itoa(c.Patience),
		itoa(c.MaxSteps), itoa(c.ValSize), itoa(c.TestSize),
	)
	var conf strings.Builder
	for i, rowCounts := range a.Confusion {
		for j, v := range rowCounts {
			if i+j > 0 {
				conf.WriteByte(' ')
			}
			conf.WriteString(itoa(v))
		}
	}
	return append(row, conf.String())
}

// ftoa formats v in the shortest form that parses back to v.
func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
