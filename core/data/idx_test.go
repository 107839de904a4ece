package data

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		images []byte
		labels []byte
	}{
		{"raw", validImages(3), validLabels(0, 9, 4)},
		{"gzip", gz(validImages(3)), gz(validLabels(0, 9, 4))},
		// Concatenated gzip members are valid gzip (as `cat a.gz b.gz`).
		{"gzip-multistream", append(gz(validImages(3)[:500]), gz(validImages(3)[500:])...), validLabels(0, 9, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im, err := ParseImages("x-images", tc.images)
			if err != nil {
				t.Fatal(err)
			}
			lb, err := ParseLabels("x-labels", tc.labels)
			if err != nil {
				t.Fatal(err)
			}
			if im.Len() != 3 || lb.Len() != 3 || im.Name != "x-images" || lb.Name != "x-labels" {
				t.Fatalf("got %d images %q, %d labels %q", im.Len(), im.Name, lb.Len(), lb.Name)
			}
			if !bytes.Equal(im.Pix, tinyPix(3)) || !bytes.Equal(lb.Y, []byte{0, 9, 4}) {
				t.Fatal("content differs from what was encoded")
			}
			// The parse must not keep a larger backing array than needed.
			if cap(im.Pix) != len(im.Pix) {
				t.Errorf("cap(Pix) = %d, len = %d", cap(im.Pix), len(im.Pix))
			}
			ds, err := NewDataset("x", im, lb)
			if err != nil {
				t.Fatal(err)
			}
			if ds.Len() != 3 || ds.Label(1) != 9 || ds.Index[2] != 2 {
				t.Fatalf("dataset %v: labels %v index %v", ds, ds.Labels.Y, ds.Index)
			}
		})
	}
}

// A raw file that parses is not copied (rawImagePixels), and gives what
// the stream path gives; one a byte short or long, or with a bad header,
// goes the stream path and gets its error.
func TestParseImagesRawIsNotCopied(t *testing.T) {
	b := validImages(3)
	im, err := ParseImages("raw", b)
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := ReadImages("raw", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(im.Pix, streamed.Pix) || im.Name != streamed.Name {
		t.Fatal("the raw path and the stream path differ")
	}
	if &im.Pix[0] != &b[imageHeaderLen] {
		t.Error("a raw file was copied")
	}
	for _, bad := range [][]byte{
		b[:len(b)-1],
		append(validImages(3), 0),
		idxImages(imagesMagic, 3, Rows, Cols+1, tinyPix(3)),
		idxImages(imagesMagic, 0, Rows, Cols, nil),
		idxImages(labelsMagic, 3, Rows, Cols, tinyPix(3)),
	} {
		_, got := ParseImages("bad", bad)
		_, want := ReadImages("bad", bytes.NewReader(bad))
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("%d bytes: ParseImages says %v, ReadImages %v", len(bad), got, want)
		}
	}
}

func TestReadFromReader(t *testing.T) {
	// iotest-style one-byte reads exercise the streaming path's loops.
	im, err := ReadImages("slow", &oneByteReader{bytes.NewReader(gz(validImages(2)))})
	if err != nil || im.Len() != 2 {
		t.Fatalf("ReadImages: %v, %v", im, err)
	}
	lb, err := ReadLabels("slow", &oneByteReader{bytes.NewReader(validLabels(1, 2))})
	if err != nil || lb.Len() != 2 {
		t.Fatalf("ReadLabels: %v, %v", lb, err)
	}
}

type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestFloat32(t *testing.T) {
	pix := make([]byte, 2*Pixels)
	pix[0], pix[1], pix[2] = 0, 255, 128
	pix[Pixels] = 51
	im := &Images{Pix: pix}
	dst := make([]float32, 2*Pixels)
	got := im.Float32(dst, 0)
	if len(got) != Pixels || got[0] != 0 || got[1] != 1 || got[2] != float32(128)/255 {
		t.Fatalf("Float32: %v", got[:3])
	}
	got = im.Batch(dst, []int{1, 0})
	if len(got) != 2*Pixels || got[0] != 0.2 || got[Pixels+1] != 1 {
		t.Fatalf("Batch: %v %v", got[0], got[Pixels+1])
	}
	ds, err := NewDataset("d", im, &Labels{Y: []byte{3, 7}})
	if err != nil {
		t.Fatal(err)
	}
	y := make([]int, 2)
	ds.Batch(dst, y, []int{1, 1})
	if y[0] != 7 || y[1] != 7 || dst[Pixels] != 0.2 {
		t.Fatalf("Dataset.Batch: y=%v", y)
	}
}

func TestTranspose(t *testing.T) {
	im := &Images{Pix: tinyPix(2)}
	orig := tinyPix(2)
	im.Transpose()
	for i := 0; i < 2; i++ {
		for r := 0; r < Rows; r++ {
			for c := 0; c < Cols; c++ {
				if im.Pix[i*Pixels+r*Cols+c] != orig[i*Pixels+c*Cols+r] {
					t.Fatalf("image %d (%d,%d) not transposed", i, r, c)
				}
			}
		}
	}
}

// TestStructuralErrors checks that every kind of broken input is refused
// with an error that names the file, says what was wrong, and has the
// right sentinel kind.
func TestStructuralErrors(t *testing.T) {
	img := validImages(2)
	gzImg := gz(img)
	badCRC := bytes.Clone(gzImg)
	badCRC[len(badCRC)-8] ^= 0xff // first byte of the CRC-32 trailer
	for _, tc := range []struct {
		name   string
		labels bool // parse as labels instead of images
		in     []byte
		kind   error
		want   string
	}{
		{"empty", false, nil, ErrFormat, "empty"},
		{"one byte", false, []byte{0}, ErrFormat, "inside the 4-byte IDX magic"},
		{"wrong magic", false, idxImages(0x12345678, 2, 28, 28, tinyPix(2)), ErrFormat, "not an IDX file: magic number 0x12345678"},
		{"html page", false, []byte("<!DOCTYPE html><html>"), ErrFormat, "not an IDX file"},
		{"labels as images", false, validLabels(1, 2), ErrFormat, "this is an IDX label file (magic 0x00000801), expected an IDX image file"},
		{"images as labels", true, img, ErrFormat, "this is an IDX image file (magic 0x00000803), expected an IDX label file"},
		{"float images", false, idxImages(0x00000d03, 2, 28, 28, nil), ErrFormat, "data type 0x0d"},
		{"4 dims", false, idxImages(0x00000804, 2, 28, 28, nil), ErrFormat, "4 dimensions"},
		{"truncated header", false, img[:10], ErrFormat, "inside the 16-byte IDX header"},
		{"truncated label header", true, validLabels(1)[:6], ErrFormat, "inside the 8-byte IDX header"},
		{"truncated pixels", false, img[:len(img)-1], ErrFormat, "truncated: the header declares 2 images (1568 bytes of pixels) but only 1567 bytes"},
		{"truncated labels", true, idxLabels(labelsMagic, 5, []byte{1, 2}), ErrFormat, "declares 5 labels (5 bytes of labels) but only 2 bytes"},
		{"trailing data", false, append(bytes.Clone(img), 0), ErrFormat, "extra data after the 2 images"},
		{"valid labels", true, validLabels(1, 2, 3), nil, ""}, // sanity check of the harness
		{"count too small", true, idxLabels(labelsMagic, 2, []byte{1, 2, 3}), ErrFormat, "extra data after the 2 labels"},
		{"32x32", false, idxImages(imagesMagic, 1, 32, 32, make([]byte, 1024)), ErrFormat, "found 32x32 images, expected 28x28 grey images"},
		{"28x32", false, idxImages(imagesMagic, 1, 28, 32, nil), ErrFormat, "found 28x32 images, expected 28x28 grey images"},
		{"label 10", true, validLabels(1, 2, 10, 3), ErrFormat, "label 10 at index 2 is out of range"},
		{"label 255", true, validLabels(255), ErrFormat, "label 255 at index 0"},
		{"zero count", false, idxImages(imagesMagic, 0, 28, 28, nil), ErrFormat, "declares 0 images"},
		{"oversize count", false, idxImages(imagesMagic, 0xffffffff, 28, 28, tinyPix(1)), ErrTooLarge, "declares 4294967295 images, more than the 240000"},
		{"oversize label count", true, idxLabels(labelsMagic, MaxExamples+1, []byte{1}), ErrTooLarge, "declares 240001 labels"},
		{"max count lying", false, idxImages(imagesMagic, MaxExamples, 28, 28, tinyPix(1)), ErrFormat, "declares 240000 images (188160000 bytes of pixels) but only 784 bytes"},
		{"gzip garbage", false, []byte{0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, ErrFormat, "corrupt gzip header"},
		{"gzip bad deflate", false, append(bytes.Clone(gzImg[:10]), bytes.Repeat([]byte{0xff}, 50)...), ErrFormat, "gzip data is corrupt or truncated"},
		{"gzip truncated", false, gzImg[:len(gzImg)/2], ErrFormat, "gzip data is corrupt or truncated"},
		{"gzip no trailer", false, gzImg[:len(gzImg)-8], ErrFormat, "gzip data is corrupt or truncated"},
		{"gzip bad crc", false, badCRC, ErrFormat, "gzip data is corrupt or truncated"},
		{"gzip trailing junk", false, append(bytes.Clone(gzImg), "junk"...), ErrFormat, "gzip data is corrupt or truncated"},
		{"gzip of truncated idx", false, gz(img[:100]), ErrFormat, "truncated: the header declares 2 images"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const file = "some/dir/file-under-test.idx"
			var err error
			if tc.labels {
				_, err = ParseLabels(file, tc.in)
			} else {
				_, err = ParseImages(file, tc.in)
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "data: "+file+": ") {
				t.Errorf("error does not start with the file name: %v", err)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v is not %v", err, tc.kind)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.Name != file {
				t.Errorf("not a *FileError for %q: %#v", file, err)
			}
		})
	}
}

func TestDatasetErrors(t *testing.T) {
	im, _ := ParseImages("imgs.gz", validImages(3))
	lb, _ := ParseLabels("lbls.gz", validLabels(1, 2))
	_, err := NewDataset("pair", im, lb)
	if err == nil || !errors.Is(err, ErrMismatch) {
		t.Fatalf("count mismatch: %v", err)
	}
	for _, s := range []string{"imgs.gz has 3 images", "lbls.gz has 2 labels"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q lacks %q", err, s)
		}
	}
	if _, err := NewDataset("x", &Images{Name: "odd", Pix: make([]byte, 100)}, &Labels{}); err == nil || !strings.Contains(err.Error(), "odd") {
		t.Errorf("ragged pixels: %v", err)
	}
	if _, err := NewDataset("x", &Images{Pix: make([]byte, Pixels)}, &Labels{Name: "bad", Y: []byte{12}}); err == nil || !strings.Contains(err.Error(), "bad: label 12") {
		t.Errorf("hand-made bad label: %v", err)
	}
	if _, err := NewDataset("x", nil, lb); err == nil {
		t.Error("nil images accepted")
	}
	ds, err := NewDataset("ds", im, &Labels{Y: []byte{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.Subset("s", []int{0, 3}); err == nil || !strings.Contains(err.Error(), "ds: subset index 3") {
		t.Errorf("subset out of range: %v", err)
	}
	sub, err := ds.Subset("s", []int{2, 2, 0})
	if err != nil || sub.Len() != 3 || sub.Index[0] != 2 || sub.Label(2) != 0 || !bytes.Equal(sub.Images.At(1), im.At(2)) {
		t.Errorf("subset: %v %v", sub, err)
	}
	// A subset is a copy: changing it must not change the parent.
	sub.Images.Pix[0]++
	if sub.Images.Pix[0] == im.At(2)[0] {
		t.Error("subset shares pixels with its parent")
	}
}

// Subset copies runs of consecutive indices as one block; every image must
// still be its own, whatever the order.
func TestSubsetRuns(t *testing.T) {
	im := &Images{Pix: tinyPix(7)}
	ds, err := NewDataset("ds", im, &Labels{Y: []byte{0, 1, 2, 3, 4, 5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	idx := []int{1, 2, 3, 5, 6, 0, 0, 4, 5, 6}
	sub, err := ds.Subset("s", idx)
	if err != nil {
		t.Fatal(err)
	}
	for j, i := range idx {
		if !bytes.Equal(sub.Images.At(j), im.At(i)) || sub.Label(j) != i || sub.Index[j] != i {
			t.Errorf("subset image %d is not image %d", j, i)
		}
	}
}

// TestBoundedAllocation checks that the memory a parse uses follows the
// bytes really present, not the counts a header claims, and that a gzip
// bomb is cut off after the declared size.
func TestBoundedAllocation(t *testing.T) {
	lying := idxImages(imagesMagic, MaxExamples, 28, 28, tinyPix(1))
	lyingLabels := idxLabels(labelsMagic, MaxExamples, []byte{1, 2, 3})
	// 1 image declared, 16 MiB of zeros following: compresses to ~16 KiB.
	bomb := gz(idxImages(imagesMagic, 1, 28, 28, make([]byte, 16<<20)))
	for _, tc := range []struct {
		name   string
		labels bool
		in     []byte
	}{
		{"lying image count", false, lying},
		{"lying image count gzip", false, gz(lying)},
		{"lying label count", true, lyingLabels},
		{"gzip bomb", false, bomb},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				if tc.labels {
					_, err = ParseLabels("f", tc.in)
				} else {
					_, err = ParseImages("f", tc.in)
				}
			})
			if err == nil {
				t.Fatal("no error")
			}
			// The flate decoder's tables and window take roughly 50 KB and
			// the first body chunk 64 KiB; anything near the declared sizes
			// (hundreds of MB) would show a missing bound.
			if n > 512<<10 {
				t.Errorf("allocated %d bytes for a %d-byte input (%v)", n, len(tc.in), err)
			}
		})
	}
}
