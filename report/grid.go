package report

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"vaeaug/internal/atomicfile"
)

// Sample grid geometry: MNIST tiles, drawn twice their size so a digit is
// readable on a screen, with a thin gap whose grey differs from both the
// black background and the white strokes, so tile edges always show.
const (
	digitSide = 28
	gridScale = 2
	gridGap   = 2
	gridGrey  = 128
)

// SampleGrid writes a PNG showing each original digit followed by its
// generated samples, one original per row. Every image is 28×28 grey levels
// (0–255, row-major, MNIST's white-on-black), drawn at twice its size; tiles
// are separated by a 2-pixel mid-grey gap, which also fills the end of a row
// that has fewer samples than the longest one. generated[i] holds the
// samples of originals[i].
func SampleGrid(path string, originals [][]uint8, generated [][][]uint8) (err error) {
	img, err := sampleGrid(originals, generated)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(f io.Writer) error { return png.Encode(f, img) })
}

// sampleGrid builds the image SampleGrid writes.
func sampleGrid(originals [][]uint8, generated [][][]uint8) (*image.Gray, error) {
	if len(originals) == 0 {
		return nil, errors.New("report: sample grid: no originals")
	}
	if len(generated) != len(originals) {
		return nil, fmt.Errorf("report: sample grid: %d originals but %d sample lists", len(originals), len(generated))
	}
	cols := 1
	for i, g := range generated {
		cols = max(cols, 1+len(g))
		if len(originals[i]) != digitSide*digitSide {
			return nil, fmt.Errorf("report: sample grid: original %d has %d pixels, want %d", i, len(originals[i]), digitSide*digitSide)
		}
		for j, s := range g {
			if len(s) != digitSide*digitSide {
				return nil, fmt.Errorf("report: sample grid: sample %d of original %d has %d pixels, want %d", j, i, len(s), digitSide*digitSide)
			}
		}
	}
	tile := digitSide * gridScale
	w := cols*tile + (cols-1)*gridGap
	h := len(originals)*tile + (len(originals)-1)*gridGap
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = gridGrey
	}
	for r, orig := range originals {
		row := append([][]uint8{orig}, generated[r]...)
		for c, px := range row {
			x0, y0 := c*(tile+gridGap), r*(tile+gridGap)
			for y := range tile {
				for x := range tile {
					v := px[(y/gridScale)*digitSide+x/gridScale]
					img.SetGray(x0+x, y0+y, color.Gray{Y: v})
				}
			}
		}
	}
	return img, nil
}
