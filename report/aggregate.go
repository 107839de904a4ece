package report

import (
	"cmp"
	"slices"

	"gonum.org/v1/gonum/stat"

	"vaeaug/core/study"
)

// Cell is one point of the study's design, (N, Arm, K, VAELevel), summarised
// over every run (seed or repeat) that trained it. Mean and Std are of the
// test accuracy as a fraction in [0, 1]; Std is the sample standard
// deviation (n−1 denominator) and is 0 when Count is 1. Values holds the
// individual test accuracies in the order the results were given.
type Cell struct {
	N, K, VAELevel int
	Arm            string
	Mean, Std      float64
	Count          int
	Values         []float64
}

// cellKey identifies a design point; it is only used to group, never to
// order output, because map iteration order is random.
type cellKey struct {
	n, k, level int
	arm         string
}

// Aggregate groups every ArmResult of results by (N, Arm, K, VAELevel) and
// returns one Cell per group, sorted by N, then Arm, then VAELevel, then K,
// so that the same results always print and plot in the same order.
func Aggregate(results []study.Result) []Cell {
	index := map[cellKey]int{}
	var cells []Cell
	for _, r := range results {
		for _, a := range r.Arms {
			key := cellKey{n: r.N, k: a.K, level: a.VAELevel, arm: a.Arm}
			i, ok := index[key]
			if !ok {
				i = len(cells)
				index[key] = i
				cells = append(cells, Cell{N: r.N, K: a.K, VAELevel: a.VAELevel, Arm: a.Arm})
			}
			cells[i].Values = append(cells[i].Values, a.TestAcc)
		}
	}
	for i := range cells {
		c := &cells[i]
		c.Count = len(c.Values)
		c.Mean = stat.Mean(c.Values, nil)
		// One value has no spread; stat.StdDev would return NaN (0/0).
		if c.Count > 1 {
			c.Std = stat.StdDev(c.Values, nil)
		}
	}
	slices.SortStableFunc(cells, compareCells)
	return cells
}

// compareCells orders cells by N, Arm, VAELevel, K.
func compareCells(a, b Cell) int {
	return cmp.Or(
		cmp.Compare(a.N, b.N),
		cmp.Compare(a.Arm, b.Arm),
		cmp.Compare(a.VAELevel, b.VAELevel),
		cmp.Compare(a.K, b.K),
	)
}

// MeanSnapshots averages the VAE snapshots of several runs level by level
// (loss, reconstruction and KL; the epoch of the first run that has the
// level), sorted by level. Runs with different seeds reach slightly
// different losses at the same epoch, and a figure panel needs one number
// per level for its title.
func MeanSnapshots(results []study.Result) []study.Snapshot {
	type acc struct {
		s     study.Snapshot
		count int
	}
	index := map[int]int{}
	var sums []acc
	for _, r := range results {
		for _, s := range r.Snapshots {
			i, ok := index[s.Level]
			if !ok {
				i = len(sums)
				index[s.Level] = i
				sums = append(sums, acc{s: study.Snapshot{Level: s.Level, Epoch: s.Epoch}})
			}
			sums[i].s.Loss += s.Loss
			sums[i].s.Recon += s.Recon
			sums[i].s.KL += s.KL
			sums[i].count++
		}
	}
	out := make([]study.Snapshot, len(sums))
	for i, a := range sums {
		c := float64(a.count)
		out[i] = a.s
		out[i].Loss, out[i].Recon, out[i].KL = a.s.Loss/c, a.s.Recon/c, a.s.KL/c
	}
	slices.SortFunc(out, func(a, b study.Snapshot) int { return cmp.Compare(a.Level, b.Level) })
	return out
}
