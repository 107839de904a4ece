package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vaeaug/core/model"
	"vaeaug/core/study"
)

const mnistDir = "../../data/mnist" // make data

func TestSummaryCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"summary"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{"Total params: 1,660,602", "Non-trainable params: 320", "Total params: 496,456", "Total params: 332,485"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func TestBadInputIsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"run", "-n", "15"},
		{"run", "-n", "100", "-k", "ten"},
		{"run", "-n", "100", "-arms", "gan"},
		{"grid", "-repeats", "0"},
		{"run", "-data", "/nonexistent"},
		{"run", "-baseline", "noise"},
		{"run", "-lr", "-1"},
		{"run", "-vae-lr", "abc"},
		{"run", "-lr", "1e9"},
	} {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		if code == 0 || errb.Len() == 0 || strings.Contains(errb.String(), "goroutine") {
			t.Errorf("%v: exit %d, stderr %q: want a non-zero exit with a message, no stack trace", args, code, errb.String())
		}
	}
}

// A tiny run writes every output; running it again resumes instead of
// recomputing.
func TestRunWritesOutputsAndResumes(t *testing.T) {
	out := t.TempDir()
	args := []string{"run", "-n", "20", "-k", "2", "-arms", "baseline,vae", "-vae-epochs", "1",
		"-max-steps", "6", "-eval-every", "3", "-patience", "2", "-val-size", "50", "-test-size", "50",
		"-data", mnistDir, "-out", out}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var results []study.Result
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || len(results[0].Arms) != 2 {
		t.Fatalf("results: %+v", results)
	}
	for _, name := range []string{"results.csv", "figure.svg", "samples-vae-level0-k2.png"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	f, err := os.Open(filepath.Join(out, "figure.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("figure.png: %v", err)
	}
	// The saved weights load back into a classifier.
	w := filepath.Join(out, results[0].Arms[0].Weights)
	wb, err := os.ReadFile(w)
	if err != nil {
		t.Fatal(err)
	}
	if err := model.LoadWeights(bytes.NewReader(wb), int64(len(wb)), model.NewClassifier(1).Net.Layers); err != nil {
		t.Fatalf("%s: %v", w, err)
	}

	stdout.Reset()
	stderr.Reset()
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "done earlier") {
		t.Fatalf("rerun did not resume: %s", stderr.String())
	}
	b2, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if !bytes.Equal(b, b2) {
		t.Fatal("rerun changed results.json")
	}
}

// A grid without the VAE arm has its table and results but no figure (the
// figure plots that arm), and says so instead of failing.
func TestBaselineOnlyRunHasNoFigure(t *testing.T) {
	out := t.TempDir()
	args := []string{"run", "-n", "20", "-arms", "baseline", "-max-steps", "4", "-eval-every", "2",
		"-patience", "2", "-val-size", "50", "-test-size", "50", "-data", mnistDir, "-out", out, "-no-weights"}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "no figure") {
		t.Errorf("stdout does not say why there is no figure:\n%s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(out, "results.csv")); err != nil {
		t.Error(err)
	}
}

// A learning rate of 10 makes the classifier diverge: the command stops with
// a message naming the stage and the cause, writes no result for the cell,
// and exits non-zero.
func TestDivergingRunIsReported(t *testing.T) {
	out := t.TempDir()
	args := []string{"run", "-n", "20", "-arms", "baseline", "-lr", "10", "-max-steps", "20", "-eval-every", "5",
		"-val-size", "50", "-test-size", "50", "-data", mnistDir, "-out", out, "-no-weights"}
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	msg := stderr.String()
	if code == 0 || strings.Contains(msg, "goroutine") {
		t.Fatalf("exit %d, stderr %q: want a non-zero exit with a message", code, msg)
	}
	for _, want := range []string{"train classifier (baseline)", "diverged", "learning rate 10"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, msg)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "results.json")); err == nil && strings.Contains(string(b), "test_acc") {
		t.Errorf("a diverged cell was recorded: %s", b)
	}
}

// A run whose estimated peak memory is over the ceiling is refused before
// any data is read or output written, with the estimate in the message.
func TestOverTheMemoryCeilingIsRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "-n", "800", "-k", "250", "-vae-batch", "320", "-data", mnistDir, "-out", out}
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	msg := stderr.String()
	if code == 0 || !strings.Contains(msg, "ceiling") || !strings.Contains(msg, "MiB") {
		t.Fatalf("exit %d, stderr %q: want a refusal naming the memory ceiling", code, msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused run created its output folder %s", out)
	}
}
