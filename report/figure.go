package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"vaeaug/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"vaeaug/core/study"
)

// DefaultTitle is the figure title when FigureOptions.Title is empty and
// the augmented arm is the VAE one.
const DefaultTitle = "VAE augmentation: test accuracy vs samples per original"

// FigureOptions choose what Figure draws. The zero value draws the article's
// figure: the "vae" arm against the plain baseline, every VAE level present,
// 8×5-inch panels, PNG at 150 dpi.
type FigureOptions struct {
	// Arm is the augmented arm drawn as solid lines, one per n; empty
	// means study.ArmVAE.
	Arm string
	// Baseline is the arm drawn as dashed lines in each n's colour, for
	// instance study.ArmBaseline (the default when empty) or
	// study.ArmStepMatched. A baseline trained without k (K = 0) is a
	// horizontal line; one trained per k is drawn through its k values.
	Baseline string
	// Levels are the VAE levels to draw, one panel each, in this order; nil
	// means every level the arm has, ascending.
	Levels []int
	// Snapshots describe the levels (see MeanSnapshots); when a level is
	// found here its panel title gives the VAE's epoch and loss.
	Snapshots []study.Snapshot
	// Title replaces the figure title.
	Title string
	// PanelWidth and PanelHeight are the size of one panel; zero means
	// 8 × 5 inches.
	PanelWidth, PanelHeight vg.Length
	// DPI is the resolution of raster output; zero means 150.
	DPI int
}

// Chart is a figure ready to draw: panels side by side under a common title,
// with one legend to their right. Its fields may be adjusted before
// drawing; Figure fills all of them.
type Chart struct {
	Title       string
	TitleStyle  text.Style
	Panels      []*plot.Plot
	Legend      plot.Legend
	PanelWidth  vg.Length
	PanelHeight vg.Length
	DPI         int
}

// figureFont is the typeface of every text in the figure; a sans face reads
// better than gonum/plot's default serif at figure sizes.
var figureFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Text sizes, in points, chosen to stay legible when the PNG is shrunk to
// half its width in a document.
const (
	titleSize  = 16
	panelSize  = 14
	labelSize  = 13
	tickSize   = 12
	legendSize = 13
)

// articleN maps the article's four training-set sizes to fixed palette
// slots, so n = 100 has the same colour in every figure whatever other n
// are drawn beside it.
var articleN = map[int]int{100: 0, 200: 1, 400: 2, 800: 3}

// palette is a colour-blind-friendly qualitative scheme (Okabe–Ito, with
// black last), dark enough for thin lines on white.
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // bluish green
	color.RGBA{204, 121, 167, 255}, // reddish purple
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{160, 140, 0, 255},   // dark yellow
	color.RGBA{0, 0, 0, 255},       // black
}

// glyphs give each n a marker shape too, so lines stay distinguishable in
// grey-scale print.
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, diamondGlyph{},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
}

// diamondGlyph is a filled diamond: gonum/plot has no fourth filled shape,
// and a hollow one with a line through it reads poorly in the legend.
type diamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.3 // a diamond looks smaller than a square of equal radius
	c.FillPolygon(sty.Color, []vg.Point{
		{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y},
		{X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y},
	})
}

// styleSlots returns, for every n, its palette/glyph slot: the article's n
// first at fixed slots, any other n after them in increasing order.
func styleSlots(ns []int) map[int]int {
	slots := map[int]int{}
	next := len(articleN)
	for _, n := range ns { // ns is sorted, so the extra slots are deterministic
		if s, ok := articleN[n]; ok {
			slots[n] = s
		} else {
			slots[n] = next
			next++
		}
	}
	return slots
}

// Figure builds the article's figure from aggregated cells: test accuracy
// in percent against k on a log axis ticked at the k values present, one
// coloured line with markers per n for opts.Arm, one panel per VAE level,
// error bars of ±1 sample std where a cell has several runs, and each n's
// baseline dashed in the same colour (with a faint ±1 std band when it has
// several runs). Panels share the y range so they can be compared by eye.
func Figure(cells []Cell, opts FigureOptions) (*Chart, error) {
	arm := cmpOr(opts.Arm, study.ArmVAE)
	baseArm := cmpOr(opts.Baseline, study.ArmBaseline)
	pw, ph := opts.PanelWidth, opts.PanelHeight
	if pw <= 0 {
		pw = 8 * vg.Inch
	}
	if ph <= 0 {
		ph = 5 * vg.Inch
	}
	dpi := opts.DPI
	if dpi <= 0 {
		dpi = 150
	}

	cells = slices.Clone(cells)
	slices.SortStableFunc(cells, compareCells)
	var armCells, baseCells []Cell
	var ns, ks, levels []int
	for _, c := range cells {
		switch c.Arm {
		case arm:
			armCells = append(armCells, c)
			addSorted(&ns, c.N)
			addSorted(&ks, c.K)
			addSorted(&levels, c.VAELevel)
		case baseArm:
			baseCells = append(baseCells, c)
		}
	}
	if len(armCells) == 0 {
		return nil, fmt.Errorf("report: figure: no cells for arm %q", arm)
	}
	if ks[0] <= 0 {
		return nil, fmt.Errorf("report: figure: arm %q has k = %d, which a log axis cannot show", arm, ks[0])
	}
	if opts.Levels != nil {
		for _, l := range opts.Levels {
			if !slices.Contains(levels, l) {
				return nil, fmt.Errorf("report: figure: arm %q has no cells at VAE level %d (levels: %v)", arm, l, levels)
			}
		}
		levels = opts.Levels
	}
	if len(levels) == 0 {
		return nil, errors.New("report: figure: no levels to draw")
	}

	// The x range leaves half a log step beyond the outer k so their
	// markers and error-bar caps are not cut by the axes.
	xmin, xmax := float64(ks[0])/1.6, float64(ks[len(ks)-1])*1.6
	var ticks plot.ConstantTicks
	for _, k := range ks {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: strconv.Itoa(k)})
	}

	slots := styleSlots(ns)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	widen := func(c Cell) {
		ylo, yhi = min(ylo, 100*(c.Mean-c.Std)), max(yhi, 100*(c.Mean+c.Std))
	}
	anyBars := false

	var panels []*plot.Plot
	for _, level := range levels {
		p := newPanel(panelTitle(arm, level, opts.Snapshots))
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = ticks
		p.Y.Tick.Marker = percentTicks{}
		p.Add(gridLines())

		for _, n := range ns {
			slot := slots[n]
			col := palette[slot%len(palette)]

			// The baseline goes first so the solid line is drawn over it.
			base := baselineFor(baseCells, n, level)
			if len(base) > 0 {
				ps, err := baselinePlotters(base, col, xmin, xmax)
				if err != nil {
					return nil, err
				}
				p.Add(ps...)
				for _, c := range base {
					widen(c)
				}
			}

			var pts plotter.XYs
			var bars errPoints
			for _, c := range armCells {
				if c.N != n || c.VAELevel != level {
					continue
				}
				pts = append(pts, plotter.XY{X: float64(c.K), Y: 100 * c.Mean})
				if c.Count > 1 {
					bars.XYs = append(bars.XYs, plotter.XY{X: float64(c.K), Y: 100 * c.Mean})
					bars.err = append(bars.err, 100*c.Std)
				}
				widen(c)
			}
			if len(pts) == 0 {
				continue
			}
			line, scatter, err := plotter.NewLinePoints(pts)
			if err != nil {
				return nil, err
			}
			line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2)}
			scatter.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4.5), Shape: glyphs[slot%len(glyphs)]}
			p.Add(line, scatter)
			if len(bars.XYs) > 0 {
				eb, err := plotter.NewYErrorBars(bars)
				if err != nil {
					return nil, err
				}
				eb.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.5)}
				eb.CapWidth = vg.Points(8)
				p.Add(eb)
				anyBars = true
			}
		}
		panels = append(panels, p)
	}

	// One y range for every panel, padded by 8% (at least half a point) and
	// kept within 0–100%, fixed after Add so data ranges cannot widen it.
	pad := max(0.08*(yhi-ylo), 0.5)
	ylo, yhi = max(0, ylo-pad), min(100, yhi+pad)
	for _, p := range panels {
		p.X.Min, p.X.Max = xmin, xmax
		p.Y.Min, p.Y.Max = ylo, yhi
	}

	title := opts.Title
	if title == "" {
		title = DefaultTitle
		if arm != study.ArmVAE {
			title = fmt.Sprintf("%q augmentation: test accuracy vs samples per original", arm)
		}
	}
	return &Chart{
		Title:       title,
		TitleStyle:  textStyle(titleSize, draw.XCenter, draw.YTop),
		Panels:      panels,
		Legend:      legendFor(ns, slots, arm, baseArm, len(baseCells) > 0, anyBars),
		PanelWidth:  pw,
		PanelHeight: ph,
		DPI:         dpi,
	}, nil
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// addSorted inserts v into the sorted set *s.
func addSorted(s *[]int, v int) {
	if i, found := slices.BinarySearch(*s, v); !found {
		*s = slices.Insert(*s, i, v)
	}
}

// textStyle is a figure text style of the given size and alignment.
func textStyle(size vg.Length, x text.XAlignment, y text.YAlignment) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(figureFont, size),
		XAlign:  x,
		YAlign:  y,
		Handler: plot.DefaultTextHandler,
	}
}

// newPanel is an empty panel with the figure's fonts and axis labels.
func newPanel(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(panelSize, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = "k: generated samples per original (log scale)"
	p.Y.Label.Text = "test accuracy (%)"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(figureFont, labelSize)
		a.Tick.Label.Font = font.From(figureFont, tickSize)
		a.Label.Padding = vg.Points(4)
	}
	return p
}

// gridLines are light reference lines at the ticks, to read values off.
func gridLines() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: color.Gray{Y: 225}, Width: vg.Points(0.6)}
	g.Horizontal = g.Vertical
	return g
}

// panelTitle names the VAE level of a panel and, when known, its epoch and
// loss, which is how the article tells its training levels apart.
func panelTitle(arm string, level int, snaps []study.Snapshot) string {
	if level < 0 {
		return fmt.Sprintf("arm %q (no VAE)", arm)
	}
	for _, s := range snaps {
		if s.Level == level {
			return fmt.Sprintf("VAE level %d: epoch %d, loss %.1f", level, s.Epoch, s.Loss)
		}
	}
	return fmt.Sprintf("VAE level %d", level)
}

// baselineFor returns the baseline cells of n for a panel at level: those
// trained at that same level when the baseline depends on it (a noise or
// step-matched arm tied to a VAE level), otherwise those with no VAE.
func baselineFor(base []Cell, n, level int) []Cell {
	var same, none []Cell
	for _, c := range base {
		switch {
		case c.N != n:
		case c.VAELevel == level:
			same = append(same, c)
		case c.VAELevel < 0:
			none = append(none, c)
		}
	}
	if len(same) > 0 {
		return same
	}
	return none
}

// baselinePlotters draws a baseline dashed in col. A baseline trained per k
// (K > 0, e.g. step-matched to each augmented arm) is a line through its k
// values; one trained once (K = 0) spans the whole x range, with a faint
// band of ±1 std when it has several runs.
func baselinePlotters(base []Cell, col color.Color, xmin, xmax float64) ([]plot.Plotter, error) {
	dashed := draw.LineStyle{Color: col, Width: vg.Points(1.8), Dashes: []vg.Length{vg.Points(7), vg.Points(4)}}
	var perK plotter.XYs
	var bars errPoints
	for _, c := range base {
		if c.K > 0 {
			perK = append(perK, plotter.XY{X: float64(c.K), Y: 100 * c.Mean})
			if c.Count > 1 {
				bars.XYs = append(bars.XYs, perK[len(perK)-1])
				bars.err = append(bars.err, 100*c.Std)
			}
		}
	}
	if len(perK) > 0 {
		line, scatter, err := plotter.NewLinePoints(perK)
		if err != nil {
			return nil, err
		}
		line.LineStyle = dashed
		scatter.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
		ps := []plot.Plotter{line, scatter}
		if len(bars.XYs) > 0 {
			eb, err := plotter.NewYErrorBars(bars)
			if err != nil {
				return nil, err
			}
			eb.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1), Dashes: dashed.Dashes}
			ps = append(ps, eb)
		}
		return ps, nil
	}

	c := base[0] // K = 0: one value for every k
	y := 100 * c.Mean
	var ps []plot.Plotter
	if c.Count > 1 && c.Std > 0 {
		lo, hi := y-100*c.Std, y+100*c.Std
		band, err := plotter.NewPolygon(plotter.XYs{{X: xmin, Y: lo}, {X: xmax, Y: lo}, {X: xmax, Y: hi}, {X: xmin, Y: hi}})
		if err != nil {
			return nil, err
		}
		r, g, b, _ := col.RGBA()
		// Premultiplied alpha: a 12% tint of the line colour.
		const a = 0.12
		band.Color = color.RGBA64{R: uint16(a * float64(r)), G: uint16(a * float64(g)), B: uint16(a * float64(b)), A: uint16(math.Round(a * 0xffff))}
		band.LineStyle.Width = 0
		ps = append(ps, band)
	}
	line, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: y}, {X: xmax, Y: y}})
	if err != nil {
		return nil, err
	}
	line.LineStyle = dashed
	return append(ps, line), nil
}

// errPoints feeds plotter.NewYErrorBars with symmetric errors.
type errPoints struct {
	plotter.XYs
	err []float64
}

// YError returns the symmetric error of point i.
func (e errPoints) YError(i int) (float64, float64) { return e.err[i], e.err[i] }

// percentTicks puts labelled ticks on the accuracy axis at a round step
// (1, 2 or 5 times a power of ten) giving four to ten labels, with an
// unlabelled tick halfway between; gonum's default ticker can settle on
// steps such as 9 points that are awkward to read off.
type percentTicks struct{}

// Ticks returns the ticks between lo and hi.
func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := math.Pow(10, math.Floor(math.Log10(span)))
	for _, m := range []float64{0.1, 0.2, 0.5, 1} {
		if span/(step*m) <= 10 {
			step *= m
			break
		}
	}
	// Labels carry as many decimals as the step needs, which also hides
	// rounding residue such as 80.15000000000001.
	decimals := max(0, int(-math.Floor(math.Log10(step))))
	var ts []plot.Tick
	for i := math.Ceil(lo / step * 2); i*step/2 <= hi; i++ {
		v := i * step / 2
		t := plot.Tick{Value: v}
		if math.Mod(i, 2) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ts = append(ts, t)
	}
	return ts
}

// legendFor lists one entry per n in its colour and marker, then the two
// line styles (solid = augmented arm, dashed = baseline) in grey, then what
// the bars mean when any are drawn.
func legendFor(ns []int, slots map[int]int, arm, baseArm string, haveBase, bars bool) plot.Legend {
	l := plot.NewLegend()
	l.TextStyle = textStyle(legendSize, draw.XLeft, draw.YBottom)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(30)
	l.Padding = vg.Points(5)
	for _, n := range ns {
		slot := slots[n]
		col := palette[slot%len(palette)]
		l.Add(fmt.Sprintf("n = %d", n),
			lineThumb{draw.LineStyle{Color: col, Width: vg.Points(2)}},
			glyphThumb{draw.GlyphStyle{Color: col, Radius: vg.Points(4.5), Shape: glyphs[slot%len(glyphs)]}})
	}
	grey := color.Gray{Y: 90}
	l.Add("")
	l.Add(arm+" (solid)", lineThumb{draw.LineStyle{Color: grey, Width: vg.Points(2)}})
	if haveBase {
		l.Add(baseArm+" (dashed)", lineThumb{draw.LineStyle{Color: grey, Width: vg.Points(1.8), Dashes: []vg.Length{vg.Points(7), vg.Points(4)}}})
	}
	if bars {
		l.Add("bars: ±1 std over runs")
	}
	return l
}

// lineThumb draws a legend line across the middle of its thumbnail.
type lineThumb struct{ sty draw.LineStyle }

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.sty, c.Min.X, y, c.Max.X, y)
}

// glyphThumb draws a legend marker at the centre of its thumbnail.
type glyphThumb struct{ sty draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (t glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(t.sty, c.Center()) }

// Layout margins around the panels.
var (
	outerPad  = vg.Points(10)
	panelGap  = vg.Points(24)
	legendGap = vg.Points(14)
)

// titleHeight is the height of the strip above the panels.
func (c *Chart) titleHeight() vg.Length {
	if c.Title == "" {
		return 0
	}
	return c.TitleStyle.Height(c.Title) + vg.Points(10)
}

// legendWidth is the width of the strip right of the panels.
func (c *Chart) legendWidth() vg.Length {
	r := c.Legend.Rectangle(draw.Canvas{})
	return r.Max.X - r.Min.X + legendGap
}

// Size returns the size of the whole figure: the panels side by side plus
// the title strip above and the legend strip to the right.
func (c *Chart) Size() (w, h vg.Length) {
	n := vg.Length(len(c.Panels))
	return n*c.PanelWidth + c.legendWidth() + 2*outerPad, c.PanelHeight + c.titleHeight() + 2*outerPad
}

// Draw draws the figure onto dc, filling it: a white background, the title
// centred at the top, the panels aligned side by side (same plot area
// heights whatever their tick labels), the legend at the top right.
func (c *Chart) Draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	inner := draw.Crop(dc, outerPad, -outerPad, outerPad, -outerPad)
	if c.Title != "" {
		inner.FillText(c.TitleStyle, vg.Point{X: inner.Center().X, Y: inner.Max.Y}, c.Title)
		inner = draw.Crop(inner, 0, 0, 0, -c.titleHeight())
	}
	lw := c.legendWidth()
	area := draw.Crop(inner, 0, -lw, 0, 0)
	if len(c.Panels) > 0 { // Tiles divides by the number of columns
		tiles := draw.Tiles{Rows: 1, Cols: len(c.Panels), PadX: panelGap}
		canvases := plot.Align([][]*plot.Plot{c.Panels}, tiles, area)
		for i, p := range c.Panels {
			p.Draw(canvases[0][i])
		}
	}
	// Start the legend level with the top of the plot areas, below the
	// panel titles, so it reads as part of the panels.
	legend := c.Legend
	if len(c.Panels) > 0 && c.Panels[0].Title.Text != "" {
		legend.YOffs = -(c.Panels[0].Title.TextStyle.Height(c.Panels[0].Title.Text) + c.Panels[0].Title.Padding)
	}
	legend.Draw(draw.Crop(inner, inner.Max.X-inner.Min.X-lw+legendGap, 0, 0, 0))
}

// Encode writes the figure to w in format: "png" at the chart's DPI, "svg",
// or any other format gonum/plot knows ("pdf", "eps", "jpg", "tiff", "tex").
func (c *Chart) Encode(w io.Writer, format string) error {
	width, height := c.Size()
	var cw io.WriterTo
	switch strings.ToLower(format) {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(c.DPI))
		c.Draw(draw.New(img))
		cw = vgimg.PngCanvas{Canvas: img}
	case "svg":
		svg := vgsvg.New(width, height)
		c.Draw(draw.New(svg))
		cw = svg
	default:
		fc, err := draw.NewFormattedCanvas(width, height, strings.ToLower(format))
		if err != nil {
			return err
		}
		c.Draw(draw.New(fc))
		cw = fc
	}
	_, err := cw.WriteTo(w)
	return err
}

// SaveFigure builds the figure of cells (see Figure) and writes it to path
// in the format its extension names (.png, .svg, .pdf, …).
func SaveFigure(path string, cells []Cell, opts FigureOptions) (err error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if ext == "" {
		return fmt.Errorf("report: %s: no extension to choose the image format from", path)
	}
	chart, err := Figure(cells, opts)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(f io.Writer) error { return chart.Encode(f, ext) })
}
