package report

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vaeaug/core/study"
)

// fakeResults builds seeds × n runs with a baseline arm and a vae arm at two
// levels and three k, whose accuracies follow a simple rule (more n, more k
// and a later level all help, with a seed-dependent wobble) so every cell is
// known in closed form.
func fakeResults(ns []int, seeds int) []study.Result {
	var out []study.Result
	for s := range seeds {
		for _, n := range ns {
			wobble := 0.01 * float64(s-seeds/2)
			base := 0.75 + 0.05*math.Log2(float64(n)/100) + wobble
			r := study.Result{
				Dataset: "mnist", N: n, Seed: uint64(s + 1),
				Snapshots: []study.Snapshot{
					{Level: 0, Epoch: 50, Loss: 130 + float64(s)},
					{Level: 1, Epoch: 200, Loss: 110 + float64(s)},
				},
				Arms: []study.ArmResult{{Arm: study.ArmBaseline, VAELevel: -1, TrainSize: n, TestAcc: base}},
			}
			r.Config.MaxSteps = 5000
			for level := range 2 {
				for i, k := range []int{10, 50, 250} {
					gain := (0.02 + 0.01*float64(i) + 0.015*float64(level)) * 100 / float64(n)
					a := study.ArmResult{
						Arm: study.ArmVAE, K: k, VAELevel: level, TrainSize: n * (k + 1),
						Steps: 1000, BestStep: 800, ValAcc: base + gain, TestAcc: base + gain,
						PixelStd: 0.1, Seconds: 12.5, Weights: "w.npz",
					}
					a.PerClass[3] = 0.5
					a.Confusion[2][7] = 4
					r.Arms = append(r.Arms, a)
				}
			}
			out = append(out, r)
		}
	}
	return out
}

func TestAggregateMeanStd(t *testing.T) {
	mk := func(seed uint64, acc float64) study.Result {
		return study.Result{N: 100, Seed: seed, Arms: []study.ArmResult{
			{Arm: study.ArmBaseline, VAELevel: -1, TestAcc: acc},
			{Arm: study.ArmVAE, K: 10, VAELevel: 0, TestAcc: acc + 0.1},
		}}
	}
	cells := Aggregate([]study.Result{mk(1, 0.7), mk(2, 0.8), mk(3, 0.9)})
	if len(cells) != 2 {
		t.Fatalf("got %d cells, want 2: %+v", len(cells), cells)
	}
	b := cells[0]
	if b.Arm != study.ArmBaseline || b.Count != 3 {
		t.Fatalf("first cell %+v, want the baseline with 3 runs", b)
	}
	if math.Abs(b.Mean-0.8) > 1e-12 || math.Abs(b.Std-0.1) > 1e-12 {
		t.Errorf("baseline mean %v std %v, want 0.8 and 0.1 (sample std)", b.Mean, b.Std)
	}
	if got := b.Values; len(got) != 3 || got[0] != 0.7 || got[2] != 0.9 {
		t.Errorf("values %v, want [0.7 0.8 0.9] in input order", got)
	}
	v := cells[1]
	if v.Arm != study.ArmVAE || v.K != 10 || math.Abs(v.Mean-0.9) > 1e-12 {
		t.Errorf("second cell %+v, want vae k=10 mean 0.9", v)
	}

	one := Aggregate([]study.Result{mk(1, 0.7)})
	if one[0].Count != 1 || one[0].Std != 0 || math.IsNaN(one[0].Std) {
		t.Errorf("single run: count %d std %v, want 1 and 0", one[0].Count, one[0].Std)
	}
}

func TestAggregateOrder(t *testing.T) {
	rs := fakeResults([]int{800, 100, 400}, 2)
	// Reverse the arms of one run so input order differs from output order.
	arms := rs[0].Arms
	for i, j := 0, len(arms)-1; i < j; i, j = i+1, j-1 {
		arms[i], arms[j] = arms[j], arms[i]
	}
	want := Aggregate(rs)
	if len(want) != 3*(1+2*3) {
		t.Fatalf("got %d cells, want %d", len(want), 3*7)
	}
	for i := 1; i < len(want); i++ {
		if compareCells(want[i-1], want[i]) >= 0 {
			t.Fatalf("cells %d and %d out of order: %+v then %+v", i-1, i, want[i-1], want[i])
		}
	}
	if want[0].N != 100 || want[0].Arm != study.ArmBaseline || want[1].VAELevel != 0 || want[1].K != 10 || want[4].VAELevel != 1 {
		t.Errorf("unexpected head of order: %+v", want[:5])
	}
	for range 20 { // map order would differ between calls
		got := Aggregate(rs)
		for i := range got {
			if got[i].N != want[i].N || got[i].Arm != want[i].Arm || got[i].K != want[i].K || got[i].VAELevel != want[i].VAELevel {
				t.Fatalf("order changed between calls at %d", i)
			}
		}
	}
}

func TestMeanSnapshots(t *testing.T) {
	s := MeanSnapshots(fakeResults([]int{100}, 2))
	if len(s) != 2 || s[0].Level != 0 || s[1].Level != 1 || s[1].Epoch != 200 || s[1].Loss != 110.5 {
		t.Errorf("got %+v, want levels 0 and 1, level 1 at epoch 200 with mean loss 110.5", s)
	}
}

func TestWriteCSV(t *testing.T) {
	rs := fakeResults([]int{100, 200}, 2)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(rs)*7; len(rows) != want {
		t.Fatalf("got %d rows, want %d (header + one per run and arm)", len(rows), want)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"dataset", "n", "seed", "arm", "k", "vae_level", "train_size", "steps", "best_step",
		"val_acc", "test_acc", "acc_0", "acc_9", "pixel_std", "seconds", "weights", "confusion"} {
		if _, ok := col[h]; !ok {
			t.Errorf("header lacks %q: %v", h, rows[0])
		}
	}
	// Row 2 is the first run's first vae arm: n=100, k=10, level 0.
	r := rows[2]
	checks := map[string]string{
		"dataset": "mnist", "n": "100", "seed": "1", "arm": "vae", "k": "10", "vae_level": "0",
		"vae_epoch": "50", "vae_loss": "130", "train_size": "1100", "acc_3": "0.5",
		"weights": "w.npz", "max_steps": "5000",
	}
	for h, want := range checks {
		if got := r[col[h]]; got != want {
			t.Errorf("column %s = %q, want %q", h, got, want)
		}
	}
	conf := strings.Fields(r[col["confusion"]])
	if len(conf) != 100 || conf[2*10+7] != "4" {
		t.Errorf("confusion has %d numbers, [2][7] = %q; want 100 and 4", len(conf), conf[27])
	}
	if rows[1][col["vae_epoch"]] != "" {
		t.Errorf("baseline row has vae_epoch %q, want empty", rows[1][col["vae_epoch"]])
	}
}

func TestFigurePNG(t *testing.T) {
	cells := Aggregate(fakeResults([]int{100, 200, 400, 800}, 3))
	path := filepath.Join(t.TempDir(), "fig.png")
	opts := FigureOptions{Snapshots: MeanSnapshots(fakeResults([]int{100}, 3))}
	if err := SaveFigure(path, cells, opts); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	// Two panels of 8 in at 150 dpi, plus legend and margins.
	if b.Dx() < 2*8*150 || b.Dy() < 5*150 {
		t.Errorf("image is %d×%d, want at least %d×%d", b.Dx(), b.Dy(), 2*8*150, 5*150)
	}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				inked++
			}
		}
	}
	if frac := float64(inked) / float64(b.Dx()*b.Dy()); frac < 0.01 {
		t.Errorf("only %.4f of the pixels are not white: the figure looks blank", frac)
	}
}

func TestFigureSVG(t *testing.T) {
	// One seed: no error bars; a step-matched baseline trained per k.
	rs := fakeResults([]int{100, 200}, 1)
	for i := range rs {
		for _, k := range []int{10, 50, 250} {
			rs[i].Arms = append(rs[i].Arms, study.ArmResult{Arm: study.ArmStepMatched, K: k, VAELevel: -1, TestAcc: 0.7})
		}
	}
	var buf bytes.Buffer
	chart, err := Figure(Aggregate(rs), FigureOptions{Baseline: study.ArmStepMatched, Levels: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(chart.Panels) != 1 {
		t.Errorf("got %d panels, want 1 (Levels: [1])", len(chart.Panels))
	}
	if err := chart.Encode(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.HasPrefix(s, "<?xml") && !strings.HasPrefix(s, "<svg") {
		t.Errorf("SVG starts with %q", s[:min(len(s), 40)])
	}
	if !strings.Contains(s, "<path") {
		t.Error("SVG has no <path>")
	}

	path := filepath.Join(t.TempDir(), "fig.svg")
	if err := SaveFigure(path, Aggregate(rs), FigureOptions{}); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || !bytes.Contains(data, []byte("<path")) {
		t.Errorf("saved SVG unreadable or empty: %v", err)
	}
}

func TestFigureErrors(t *testing.T) {
	cells := Aggregate(fakeResults([]int{100}, 1))
	if _, err := Figure(cells, FigureOptions{Arm: study.ArmClassic}); err == nil {
		t.Error("no error for an arm without cells")
	}
	if _, err := Figure(cells, FigureOptions{Levels: []int{7}}); err == nil {
		t.Error("no error for a missing level")
	}
	if err := SaveFigure(filepath.Join(t.TempDir(), "noext"), cells, FigureOptions{}); err == nil {
		t.Error("no error for a path without extension")
	}
}

func TestSampleGrid(t *testing.T) {
	digit := func(v uint8) []uint8 {
		d := make([]uint8, 28*28)
		for i := range d {
			d[i] = v
		}
		return d
	}
	orig := [][]uint8{digit(10), digit(20)}
	marked := digit(30)
	marked[3*28+5] = 250 // row 3, column 5 of the second sample of original 1
	gen := [][][]uint8{{digit(40), digit(50), digit(60)}, {digit(70), marked}}
	path := filepath.Join(t.TempDir(), "grid.png")
	if err := SampleGrid(path, orig, gen); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// 4 columns and 2 rows of 56-px tiles with 2-px gaps.
	if b := img.Bounds(); b.Dx() != 4*56+3*2 || b.Dy() != 2*56+1*2 {
		t.Fatalf("grid is %d×%d, want %d×%d", b.Dx(), b.Dy(), 4*56+3*2, 2*56+2)
	}
	gray := func(x, y int) uint8 { r, _, _, _ := img.At(x, y).RGBA(); return uint8(r >> 8) }
	// The marked pixel scales to a 2×2 block in tile (row 1, column 2).
	x0, y0 := 2*(56+2)+5*2, 1*(56+2)+3*2
	for _, p := range [][2]int{{x0, y0}, {x0 + 1, y0 + 1}} {
		if g := gray(p[0], p[1]); g != 250 {
			t.Errorf("pixel %v = %d, want 250", p, g)
		}
	}
	if g := gray(x0+2, y0); g != 30 {
		t.Errorf("pixel beside the mark = %d, want 30", g)
	}
	if g := gray(0, 0); g != 10 {
		t.Errorf("first original's corner = %d, want 10", g)
	}
	if g := gray(56, 0); g != gridGrey {
		t.Errorf("gap pixel = %d, want %d", g, gridGrey)
	}
	if g := gray(3*58+10, 58+10); g != gridGrey {
		t.Errorf("missing sample's tile = %d, want the gap grey %d", g, gridGrey)
	}

	if err := SampleGrid(path, orig, gen[:1]); err == nil {
		t.Error("no error for mismatched lengths")
	}
	if err := SampleGrid(path, [][]uint8{make([]uint8, 10)}, [][][]uint8{nil}); err == nil {
		t.Error("no error for a wrong image size")
	}
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, Aggregate(fakeResults([]int{100, 200}, 3))); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// n=100 baseline: 75% ± 1%; vae level 1 at k=250: gain (0.02+0.02+0.015)·100/100 = 5.5 points.
	for _, want := range []string{"k=0", "k=10", "k=250", "baseline", "vae", "75.00 ± 1.00", "80.50 ± 1.00 (+5.50)", "runs"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	var one bytes.Buffer
	if err := WriteTable(&one, Aggregate(fakeResults([]int{100}, 1))); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(one.String(), "\n") {
		if strings.HasPrefix(line, "100 ") && strings.Contains(line, "±") {
			t.Errorf("single-run row shows a std: %q", line)
		}
	}
	if !strings.Contains(one.String(), "75.00") {
		t.Errorf("single-run table lacks the baseline value:\n%s", one.String())
	}
}

// An augmented arm with a step-matched control shows its gain over it.
func TestWriteTableGainOverControl(t *testing.T) {
	res := []study.Result{{N: 100, Seed: 1, Arms: []study.ArmResult{
		{Arm: study.ArmBaseline, VAELevel: -1, TestAcc: 0.70},
		{Arm: study.ArmVAE, K: 10, VAELevel: 0, TestAcc: 0.76},
		{Arm: study.ArmStepMatched, K: 10, VAELevel: 0, TestAcc: 0.73},
	}}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, Aggregate(res)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"76.00 (+6.00) [+3.00]", "73.00 (+3.00)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "73.00 (+3.00) [") {
		t.Errorf("the control is compared with itself:\n%s", out)
	}
}
