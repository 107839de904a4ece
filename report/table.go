package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"vaeaug/core/study"
)

// WriteTable writes cells as a plain-text table for the terminal: one row
// per (n, arm, VAE level), one column per k, each entry the mean test
// accuracy in percent, "± std" when the cell has more than one run, and, for
// every arm other than the baseline, the gain over that n's baseline in
// percentage points in brackets — and, for an augmented arm whose
// step-matched control was trained (same n, k and VAE level), the gain over
// that control too, which is the part of the gain that more training alone
// does not explain. Rows follow the order of Aggregate whatever order cells
// come in.
func WriteTable(w io.Writer, cells []Cell) error {
	cells = slices.Clone(cells)
	slices.SortStableFunc(cells, compareCells)

	var ks []int
	baseline := map[int]float64{}
	type point struct{ n, k, level int }
	control := map[point]float64{}
	for _, c := range cells {
		if c.Arm == study.ArmStepMatched {
			control[point{c.N, c.K, c.VAELevel}] = c.Mean
		}
		if !slices.Contains(ks, c.K) {
			ks = append(ks, c.K)
		}
		// The baseline arm has k = 0; keep the first should a caller pass
		// several so the choice does not depend on anything random.
		if _, seen := baseline[c.N]; !seen && c.Arm == study.ArmBaseline {
			baseline[c.N] = c.Mean
		}
	}
	slices.Sort(ks)

	// The table goes through a buffer so trailing padding (tabwriter pads
	// the empty k columns of baseline rows) can be trimmed from each line.
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	head := []string{"n", "arm", "level", "runs"}
	for _, k := range ks {
		head = append(head, "k="+strconv.Itoa(k))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))

	for start := 0; start < len(cells); {
		// A row is the run of cells sharing (N, Arm, VAELevel); they are
		// adjacent because of the sort above.
		end := start + 1
		for end < len(cells) && sameRow(cells[start], cells[end]) {
			end++
		}
		row := cells[start:end]
		level := "-"
		if row[0].VAELevel >= 0 {
			level = strconv.Itoa(row[0].VAELevel)
		}
		fields := []string{strconv.Itoa(row[0].N), row[0].Arm, level, runsText(row)}
		for _, k := range ks {
			i := slices.IndexFunc(row, func(c Cell) bool { return c.K == k })
			if i < 0 {
				fields = append(fields, "")
				continue
			}
			c := row[i]
			base, ok := baseline[c.N]
			text := entryText(c, base, ok && c.Arm != study.ArmBaseline)
			if ctl, ok := control[point{c.N, c.K, c.VAELevel}]; ok && c.Arm != study.ArmBaseline && c.Arm != study.ArmStepMatched {
				text += fmt.Sprintf(" [%+.2f]", 100*(c.Mean-ctl))
			}
			fields = append(fields, text)
		}
		fmt.Fprintln(tw, strings.Join(fields, "\t"))
		start = end
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, "test accuracy in % (mean ± sample std over runs); (+x.xx) = gain over the baseline arm in points;\n"+
		"[+x.xx] = gain over the step-matched control (originals trained for as many steps); level - = no VAE")
	return err
}

// sameRow reports whether a and b belong to the same table row.
func sameRow(a, b Cell) bool {
	return a.N == b.N && a.Arm == b.Arm && a.VAELevel == b.VAELevel
}

// runsText is the number of runs behind a row, a range when its cells differ
// (a run that failed part-way leaves fewer values in some cells).
func runsText(row []Cell) string {
	lo, hi := row[0].Count, row[0].Count
	for _, c := range row[1:] {
		lo, hi = min(lo, c.Count), max(hi, c.Count)
	}
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// entryText formats one cell as "mean ± std (+gain)" in percent.
func entryText(c Cell, base float64, withGain bool) string {
	s := fmt.Sprintf("%.2f", 100*c.Mean)
	if c.Count > 1 {
		s += fmt.Sprintf(" ± %.2f", 100*c.Std)
	}
	if withGain {
		s += fmt.Sprintf(" (%+.2f)", 100*(c.Mean-base))
	}
	return s
}
