package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"vaeaug/core/nn"
)

// Counts are a model's parameter totals in Keras' convention: every weight
// counts, and the BatchNorm moving statistics are the non-trainable ones.
type Counts struct{ Total, Trainable, NonTrainable int }

// Count adds up the parameters of layers.
func Count(layers []nn.Layer) Counts {
	var c Counts
	for _, p := range paramsOf(layers) {
		c.Total += p.Size()
		if p.Trainable {
			c.Trainable += p.Size()
		} else {
			c.NonTrainable += p.Size()
		}
	}
	return c
}

type summaryRow struct {
	layer  string
	shape  []int
	params int
}

// layerRows lists each layer applied in turn to one example of shape in,
// and returns the rows and the final shape.
func layerRows(in []int, layers []nn.Layer) ([]summaryRow, []int) {
	var rows []summaryRow
	shape := in
	for _, l := range layers {
		shape = l.OutShape(shape)
		n := 0
		for _, p := range l.Params() {
			n += p.Size()
		}
		rows = append(rows, summaryRow{l.Name() + " (" + l.Class() + ")", shape, n})
	}
	return rows, shape
}

// writeSummary prints a layer table in the style of Keras'
// model.summary(): name (class), output shape with None for the batch, and
// parameter count, then the totals of layers.
func writeSummary(w io.Writer, title string, rows []summaryRow, layers []nn.Layer) error {
	c := Count(layers)
	// Keras cuts long names at 29 columns; widening keeps them whole.
	wName := 29
	for _, r := range rows {
		wName = max(wName, len(r.layer)+1)
	}
	width := wName + 26 + 10
	var b strings.Builder
	line := strings.Repeat("_", width)
	fmt.Fprintf(&b, "Model: %q\n%s\n", title, line)
	fmt.Fprintf(&b, "%-*s%-26s%s\n%s\n", wName, "Layer (type)", "Output Shape", "Param #", strings.Repeat("=", width))
	for i, r := range rows {
		fmt.Fprintf(&b, "%-*s%-26s%d\n", wName, r.layer, shapeString(r.shape), r.params)
		if i < len(rows)-1 {
			fmt.Fprintln(&b, line)
		}
	}
	fmt.Fprintf(&b, "%s\nTotal params: %s\nTrainable params: %s\nNon-trainable params: %s\n%s\n",
		strings.Repeat("=", width), commas(c.Total), commas(c.Trainable), commas(c.NonTrainable), line)
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary prints the classifier's layer table.
func (c *Classifier) Summary(w io.Writer) error {
	rows, _ := layerRows(c.Net.InShape, c.Net.Layers)
	return writeSummary(w, "classifier", rows, c.Net.Layers)
}

// Summary prints the encoder's and the decoder's layer tables, with input
// rows and the sampling layer as Keras shows them for functional models.
func (v *VAE) Summary(w io.Writer) error {
	rows, h := layerRows(v.Trunk.InShape, v.Trunk.Layers)
	heads, _ := layerRows(h, []nn.Layer{v.ZMean})
	lv, _ := layerRows(h, []nn.Layer{v.ZLogVar})
	rows = append([]summaryRow{{"encoder_input (InputLayer)", v.Trunk.InShape, 0}}, rows...)
	rows = append(append(append(rows, heads...), lv...), summaryRow{"z (Lambda)", []int{LatentDim}, 0})
	if err := writeSummary(w, "encoder", rows, v.EncoderLayers()); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	rows, _ = layerRows(v.Decoder.InShape, v.DecoderLayers())
	rows = append([]summaryRow{{"z_sampling (InputLayer)", v.Decoder.InShape, 0}}, rows...)
	return writeSummary(w, "decoder", rows, v.DecoderLayers())
}

func shapeString(s []int) string {
	parts := []string{"None"}
	for _, d := range s {
		parts = append(parts, strconv.Itoa(d))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// commas writes n with thousands separators, as Keras' summary does.
func commas(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
