package data

import "fmt"

// Dataset pairs images with their labels, example i being image i with
// label i. Its parts are shared, not copied, by NewDataset; Subset copies.
type Dataset struct {
	// Name identifies the dataset in messages and logs, e.g. "mnist train".
	Name string
	// Images and Labels have the same length, Len().
	Images *Images
	Labels *Labels
	// Index[i] is the position of example i in the files it was read from.
	// Subsets keep it, so every example can be traced back to (and logged
	// as) its number in the original file, whatever splitting happened.
	Index []int
}

// NewDataset pairs images and labels read from two files. It returns an
// error naming both files if their counts differ, and validates what a
// caller building Images or Labels by hand could get wrong.
func NewDataset(name string, images *Images, labels *Labels) (*Dataset, error) {
	if images == nil || labels == nil {
		return nil, fileErr(name, ErrMismatch, nil, "images or labels missing")
	}
	if len(images.Pix)%Pixels != 0 {
		return nil, fileErr(images.Name, ErrFormat, nil,
			"pixel data is %d bytes, not a whole number of 28x28 images", len(images.Pix))
	}
	if images.Len() != labels.Len() {
		return nil, fileErr(name, ErrMismatch, nil,
			"%s has %d images but %s has %d labels; the counts must match",
			images.Name, images.Len(), labels.Name, labels.Len())
	}
	for i, v := range labels.Y {
		if v >= NumClasses {
			return nil, fileErr(labels.Name, ErrFormat, nil,
				"label %d at index %d is out of range, expected digit classes 0-9", v, i)
		}
	}
	index := make([]int, images.Len())
	for i := range index {
		index[i] = i
	}
	return &Dataset{Name: name, Images: images, Labels: labels, Index: index}, nil
}

// Len returns the number of examples.
func (d *Dataset) Len() int { return len(d.Labels.Y) }

// Label returns the class (0-9) of example i.
func (d *Dataset) Label(i int) int { return int(d.Labels.Y[i]) }

// ClassCounts returns how many examples each class has.
func (d *Dataset) ClassCounts() [NumClasses]int {
	var c [NumClasses]int
	for _, v := range d.Labels.Y {
		c[v]++
	}
	return c
}

// Batch writes the images idx[...] scaled to [0,1] into x (len(idx)*Pixels
// values) and their labels into y (len(idx) values), reusing the caller's
// buffers. It panics if a buffer is too short or an index out of range.
func (d *Dataset) Batch(x []float32, y []int, idx []int) {
	d.Images.Batch(x, idx)
	y = y[:len(idx)]
	for j, i := range idx {
		y[j] = int(d.Labels.Y[i])
	}
}

// Subset returns a new dataset holding copies of the examples idx, in that
// order, named name. Repeated indices are allowed (they give repeated
// examples); an index out of range is an error.
func (d *Dataset) Subset(name string, idx []int) (*Dataset, error) {
	n := d.Len()
	for _, i := range idx {
		if i < 0 || i >= n {
			return nil, fileErr(d.Name, ErrSubset, nil,
				"subset index %d is out of range for %d examples", i, n)
		}
	}
	out := &Dataset{
		Name:   name,
		Images: &Images{Name: d.Images.Name, Pix: make([]uint8, len(idx)*Pixels)},
		Labels: &Labels{Name: d.Labels.Name, Y: make([]uint8, len(idx))},
		Index:  make([]int, len(idx)),
	}
	// Images whose indices run consecutively are copied as one block: a
	// training pool is the whole training set but for 5000 scattered
	// validation images, so its 55000 images go in about 5000 copies
	// instead of one each.
	for j := 0; j < len(idx); {
		r := j + 1
		for r < len(idx) && idx[r] == idx[r-1]+1 {
			r++
		}
		copy(out.Images.Pix[j*Pixels:r*Pixels], d.Images.Pix[idx[j]*Pixels:(idx[j]+r-j)*Pixels])
		j = r
	}
	for j, i := range idx {
		out.Labels.Y[j] = d.Labels.Y[i]
		out.Index[j] = d.Index[i]
	}
	return out, nil
}

// String describes the dataset briefly, for logs.
func (d *Dataset) String() string {
	return fmt.Sprintf("%s (%d examples)", d.Name, d.Len())
}
