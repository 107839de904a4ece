package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"time"
	"vaeaug/core/weights"

	"vaeaug/core/data"
	"vaeaug/core/model"
	"vaeaug/core/study"
	"vaeaug/report"
)

// runCmd runs one configuration: `vaeaug run -n 100 -k 10`.
func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f studyFlags
	f.register(fs)
	n := fs.Int("n", 100, "number of originals (a multiple of 10: n/10 per class)")
	fs.Var(&f.k, "k", "generated copies per original, comma-separated (default 10)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	return execute(&f, []int{*n}, 1, stdout, stderr)
}

// gridCmd runs the article's grid: every n, every k, every VAE level, with
// -repeats seeds each.
func gridCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("grid", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f studyFlags
	f.register(fs)
	ns := intList{100, 200, 400, 800}
	fs.Var(&ns, "n", "numbers of originals, comma-separated")
	f.k = intList{10, 50, 250}
	fs.Var(&f.k, "k", "generated copies per original, comma-separated")
	repeats := fs.Int("repeats", 1, "runs per n, with seeds seed, seed+1, …")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *repeats < 1 || *repeats > 100 {
		fmt.Fprintf(stderr, "vaeaug grid: -repeats %d: want 1 to 100\n", *repeats)
		return 2
	}
	return execute(&f, ns, *repeats, stdout, stderr)
}

// execute runs every (n, repeat) cell not already in the output folder,
// then writes the tables and figures of everything there.
func execute(f *studyFlags, ns []int, repeats int, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintln(stderr, "vaeaug:", err)
		return 1
	}
	if f.baseline != study.ArmBaseline && f.baseline != study.ArmStepMatched {
		fmt.Fprintf(stderr, "vaeaug: -baseline %q: want %s or %s\n", f.baseline, study.ArmBaseline, study.ArmStepMatched)
		return 2
	}
	var cells []study.Config
	for _, n := range ns {
		for r := range repeats {
			c := f.config(n)
			c.Seed = f.seed + uint64(r)
			if err := c.Validate(); err != nil {
				fmt.Fprintln(stderr, "vaeaug:", err)
				return 2
			}
			cells = append(cells, c)
		}
	}
	d, err := loadData(f)
	if err != nil {
		return fail(err)
	}
	st, err := openStore(f.out)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	sampled := false
	for i, cfg := range cells {
		prefix := fmt.Sprintf("[%d/%d] n=%d seed=%d", i+1, len(cells), cfg.N, cfg.Seed)
		if st.find(d.Name, cfg) != nil {
			fmt.Fprintf(stderr, "%s: done earlier, kept from %s\n", prefix, filepath.Join(f.out, "results.json"))
			continue
		}
		b := &bars{w: stderr, prefix: prefix}
		hooks := study.Hooks{Progress: b.update}
		if !sampled {
			hooks.Generated = func(arm string, level, k int, originals [][]uint8, samples [][][]uint8) {
				if arm != study.ArmVAE && !(arm == study.ArmClassic && !slices.Contains(cfg.Arms, study.ArmVAE)) {
					return
				}
				shown := min(k, 10)
				for j := range samples {
					samples[j] = samples[j][:shown]
				}
				name := fmt.Sprintf("samples-%s-level%d-k%d.png", sanitize(arm), level, k)
				if err := report.SampleGrid(filepath.Join(f.out, name), originals, samples); err != nil {
					fmt.Fprintln(stderr, "vaeaug: sample grid:", err)
				}
			}
			sampled = true
		}
		if !f.noWeights {
			hooks.ArmDone = func(a study.ArmResult, c *model.Classifier) {
				saveClassifier(f.out, cfg, a, c, stderr)
			}
		}
		res, err := study.Run(ctx, cfg, d, hooks)
		b.finish()
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "\nvaeaug: stopped. %d finished runs are in %s; run the same command again to resume.\n",
				len(st.results), filepath.Join(f.out, "results.json"))
			return 130
		}
		if err != nil {
			return fail(err)
		}
		for j := range res.Arms {
			res.Arms[j].Weights = weightsName(cfg, res.Arms[j])
			if f.noWeights {
				res.Arms[j].Weights = ""
			}
		}
		if err := st.add(*res); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stderr, "%s: finished in %s\n", prefix, time.Duration(res.Seconds*float64(time.Second)).Round(time.Second))
	}
	return summarize(st, f.out, f.baseline, stdout, stderr)
}

// summarize prints the table of every finished run in the folder and draws
// the figures.
func summarize(st *store, out, baseline string, stdout, stderr io.Writer) int {
	cells := report.Aggregate(st.results)
	if err := report.WriteTable(stdout, cells); err != nil {
		fmt.Fprintln(stderr, "vaeaug:", err)
		return 1
	}
	results := fmt.Sprintf("results: %s, %s", filepath.Join(out, "results.csv"), filepath.Join(out, "results.json"))
	// The figure is the article's: the VAE arm against k. A grid without
	// that arm (e.g. -arms baseline,classic) still has its table and files.
	if !slices.ContainsFunc(cells, func(c report.Cell) bool { return c.Arm == study.ArmVAE }) {
		fmt.Fprintf(stdout, "\n%s; no figure (it plots the %q arm, which this grid does not train)\n", results, study.ArmVAE)
		return 0
	}
	opts := report.FigureOptions{Baseline: baseline, Snapshots: report.MeanSnapshots(st.results)}
	for _, ext := range []string{"png", "svg"} {
		path := filepath.Join(out, "figure."+ext)
		if err := report.SaveFigure(path, cells, opts); err != nil {
			fmt.Fprintln(stderr, "vaeaug: figure:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "\n%s; figure: %s, %s\n", results, filepath.Join(out, "figure.png"), filepath.Join(out, "figure.svg"))
	return 0
}

// loadData reads MNIST (checking the files' SHA-256) or a user-given IDX set.
func loadData(f *studyFlags) (*study.Data, error) {
	other := []string{f.trainImages, f.trainLabels, f.testImages, f.testLabels}
	if slices.ContainsFunc(other, func(s string) bool { return s != "" }) {
		if slices.Contains(other, "") {
			return nil, fmt.Errorf("other data needs all four of -train-images, -train-labels, -test-images, -test-labels")
		}
		train, err := data.LoadPair(f.trainImages, f.trainLabels)
		if err != nil {
			return nil, err
		}
		test, err := data.LoadPair(f.testImages, f.testLabels)
		if err != nil {
			return nil, err
		}
		return study.NewData(filepath.Base(f.trainImages), train, test)
	}
	if _, err := os.Stat(f.dataDir); err != nil {
		return nil, fmt.Errorf("MNIST not found in %s: run `make data` (or give -data DIR)", f.dataDir)
	}
	train, test, err := data.LoadMNIST(f.dataDir)
	if err != nil {
		return nil, err
	}
	return study.NewData("mnist", train, test)
}

func weightsName(cfg study.Config, a study.ArmResult) string {
	name := fmt.Sprintf("n%d-seed%d-%s", cfg.N, cfg.Seed, sanitize(a.Arm))
	if a.K > 0 {
		name += fmt.Sprintf("-k%d", a.K)
	}
	if a.VAELevel >= 0 {
		name += fmt.Sprintf("-level%d", a.VAELevel)
	}
	return filepath.Join("weights", name+".npz")
}

// saveClassifier writes an arm's kept weights as a Keras-layout .npz.
func saveClassifier(out string, cfg study.Config, a study.ArmResult, c *model.Classifier, stderr io.Writer) {
	path := filepath.Join(out, weightsName(cfg, a))
	err := os.MkdirAll(filepath.Dir(path), 0o755)
	if err == nil {
		err = weights.WriteFile(path, model.Entries(c.Net.Layers))
	}
	if err != nil {
		fmt.Fprintln(stderr, "vaeaug: saving weights:", err)
	}
}

func sanitize(arm string) string {
	out := []byte(arm)
	for i, c := range out {
		if c == '+' {
			out[i] = '_'
		}
	}
	return string(out)
}
