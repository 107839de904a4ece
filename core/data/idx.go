package data

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
)

// Image geometry and label range of every dataset this package accepts.
// The study's models are built for MNIST-shaped input, so other sizes are
// refused at load time rather than failing deep inside a model.
const (
	Rows       = 28
	Cols       = 28
	Pixels     = Rows * Cols // bytes per image
	NumClasses = 10
)

// MaxExamples is the largest example count an IDX header may declare.
// It is the size of the EMNIST "digits" training set (240,000), the largest
// of the MNIST-compatible sets the study may be run on (MNIST and KMNIST
// have 60,000, Fashion-MNIST 60,000). It bounds memory: an image file is
// never decompressed beyond MaxImageBytes, whatever its header claims,
// so a corrupt header or a gzip bomb cannot make the loader allocate more.
const MaxExamples = 240000

// MaxImageBytes and MaxLabelBytes are the largest uncompressed IDX files
// accepted (header plus MaxExamples images or labels). Reading stops one
// byte past the size the header declares, so larger inputs are refused
// with an error after at most this many bytes have been decompressed.
const (
	MaxImageBytes = imageHeaderLen + MaxExamples*Pixels
	MaxLabelBytes = labelHeaderLen + MaxExamples
)

const (
	imagesMagic    = 0x00000803 // unsigned bytes, 3 dimensions (N, rows, cols)
	labelsMagic    = 0x00000801 // unsigned bytes, 1 dimension (N)
	imageHeaderLen = 16
	labelHeaderLen = 8
	// firstChunk caps the first allocation for the body; the buffer then
	// doubles only as real data arrives, so a header that lies about the
	// count costs at most this much memory.
	firstChunk = 64 << 10
)

// Images holds N grey 28x28 images as bytes, row-major, image after image.
// Bytes rather than float32 keep the 60,000-image training set at 47 MB
// instead of 188 MB, which matters in the browser.
type Images struct {
	// Name is the file name the images were read from, used in messages.
	Name string
	// Pix holds Len()*Pixels bytes; image i is Pix[i*Pixels:(i+1)*Pixels],
	// 0 is black (background) and 255 white (ink), as in the MNIST files.
	Pix []uint8
}

// Len returns the number of images.
func (im *Images) Len() int { return len(im.Pix) / Pixels }

// At returns image i as a slice of Pixels bytes that aliases Pix.
// It panics if i is out of range, like a slice index.
func (im *Images) At(i int) []uint8 { return im.Pix[i*Pixels : (i+1)*Pixels : (i+1)*Pixels] }

// pixelScale maps a byte to byte/255 in float32. A table avoids a division
// per pixel; float32 division is correctly rounded under IEEE 754, so the
// table is bit-identical on every platform including wasm.
var pixelScale = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v) / 255
	}
	return t
}()

// Float32 writes image i scaled to [0,1] (byte/255) into dst[:Pixels] and
// returns dst[:Pixels]. The caller owns dst so that a training loop can
// reuse one buffer. It panics if dst is shorter than Pixels or i is out of
// range; both are programming errors, not bad input.
func (im *Images) Float32(dst []float32, i int) []float32 {
	dst = dst[:Pixels]
	for k, v := range im.At(i) {
		dst[k] = pixelScale[v]
	}
	return dst
}

// Batch writes the images idx[0], idx[1], ... scaled to [0,1] one after the
// other into dst (NCHW with C=1, i.e. len(idx)*Pixels values) and returns
// dst[:len(idx)*Pixels]. It panics if dst is too short or an index is out
// of range.
func (im *Images) Batch(dst []float32, idx []int) []float32 {
	dst = dst[:len(idx)*Pixels]
	for j, i := range idx {
		im.Float32(dst[j*Pixels:], i)
	}
	return dst
}

// Transpose swaps rows and columns of every image in place. EMNIST stores
// its images transposed relative to MNIST; call this once after loading an
// EMNIST file so digits are upright like MNIST's.
func (im *Images) Transpose() {
	for i := 0; i < im.Len(); i++ {
		p := im.At(i)
		for r := 0; r < Rows; r++ {
			for c := r + 1; c < Cols; c++ {
				p[r*Cols+c], p[c*Cols+r] = p[c*Cols+r], p[r*Cols+c]
			}
		}
	}
}

// Labels holds one class label (0-9) per example.
type Labels struct {
	// Name is the file name the labels were read from, used in messages.
	Name string
	// Y holds the labels; every value is below NumClasses.
	Y []uint8
}

// Len returns the number of labels.
func (l *Labels) Len() int { return len(l.Y) }

// ParseImages parses an IDX image file (magic 0x00000803) held in b, either
// raw or gzip-compressed (detected by the gzip magic bytes 1f 8b). name is
// only used in error messages. The images must be 28x28. A raw file that
// parses is not copied: the images then share b's memory.
func ParseImages(name string, b []byte) (*Images, error) {
	if pix, ok := rawImagePixels(b); ok {
		return &Images{Name: name, Pix: pix}, nil
	}
	return ReadImages(name, bytes.NewReader(b))
}

// rawImagePixels returns the pixels of b, a raw IDX image file, when
// ReadImages would accept it whole (right magic and size, a count it
// allows, exactly that many images and nothing after them); else false,
// and ParseImages takes the stream path, whose errors say what is wrong.
// The browser hands the worker MNIST's 47 MB of training images unpacked,
// and the stream path's copy into a buffer grown by doubling cost about a
// tenth of a second there before the first training step.
func rawImagePixels(b []byte) ([]byte, bool) {
	if len(b) < imageHeaderLen || binary.BigEndian.Uint32(b) != imagesMagic {
		return nil, false
	}
	count := binary.BigEndian.Uint32(b[4:8])
	rows := binary.BigEndian.Uint32(b[8:12])
	cols := binary.BigEndian.Uint32(b[12:16])
	if rows != Rows || cols != Cols || checkCount("", count, "images") != nil ||
		len(b)-imageHeaderLen != int(count)*Pixels {
		return nil, false
	}
	return b[imageHeaderLen:len(b):len(b)], true
}

// ParseLabels parses an IDX label file (magic 0x00000801) held in b, either
// raw or gzip-compressed. name is only used in error messages. Every label
// must be in 0-9.
func ParseLabels(name string, b []byte) (*Labels, error) {
	return ReadLabels(name, bytes.NewReader(b))
}

// ReadImages is ParseImages for a stream. It reads no further than one
// byte past the data the header declares, and never more than
// MaxImageBytes+1 decompressed bytes.
func ReadImages(name string, r io.Reader) (*Images, error) {
	s, err := openStream(name, r)
	if err != nil {
		return nil, err
	}
	if err := s.readMagic(imagesMagic); err != nil {
		return nil, err
	}
	var h [imageHeaderLen - 4]byte
	if err := s.readHeader(h[:], imageHeaderLen); err != nil {
		return nil, err
	}
	count := binary.BigEndian.Uint32(h[0:4])
	rows := binary.BigEndian.Uint32(h[4:8])
	cols := binary.BigEndian.Uint32(h[8:12])
	if rows != Rows || cols != Cols {
		return nil, fileErr(name, ErrFormat, nil,
			"found %dx%d images, expected 28x28 grey images", rows, cols)
	}
	if err := checkCount(name, count, "images"); err != nil {
		return nil, err
	}
	pix, err := s.readBody(int(count)*Pixels, int(count), "images", "bytes of pixels")
	if err != nil {
		return nil, err
	}
	return &Images{Name: name, Pix: pix}, nil
}

// ReadLabels is ParseLabels for a stream. It reads no further than one
// byte past the data the header declares, and never more than
// MaxLabelBytes+1 decompressed bytes.
func ReadLabels(name string, r io.Reader) (*Labels, error) {
	s, err := openStream(name, r)
	if err != nil {
		return nil, err
	}
	if err := s.readMagic(labelsMagic); err != nil {
		return nil, err
	}
	var h [labelHeaderLen - 4]byte
	if err := s.readHeader(h[:], labelHeaderLen); err != nil {
		return nil, err
	}
	count := binary.BigEndian.Uint32(h[0:4])
	if err := checkCount(name, count, "labels"); err != nil {
		return nil, err
	}
	y, err := s.readBody(int(count), int(count), "labels", "bytes of labels")
	if err != nil {
		return nil, err
	}
	for i, v := range y {
		if v >= NumClasses {
			return nil, fileErr(name, ErrFormat, nil,
				"label %d at index %d is out of range, expected digit classes 0-9", v, i)
		}
	}
	return &Labels{Name: name, Y: y}, nil
}

func checkCount(name string, count uint32, what string) error {
	if count == 0 {
		return fileErr(name, ErrFormat, nil, "the header declares 0 %s; the file holds no data", what)
	}
	if count > MaxExamples {
		return fileErr(name, ErrTooLarge, nil,
			"the header declares %d %s, more than the %d this loader accepts (the size of EMNIST digits)",
			count, what, MaxExamples)
	}
	return nil
}

// stream is the decompressed view of an input with the bookkeeping needed
// for precise messages: whether it was gzip and how far decoding got.
type stream struct {
	name string
	r    io.Reader
	gz   bool
	n    int // decompressed bytes consumed so far
}

func openStream(name string, r io.Reader) (*stream, error) {
	// Peek at two bytes without bufio, whose 4 KiB buffer would be wasted
	// on every fuzz input and makes the allocation bound less obvious.
	var magic [2]byte
	n, err := io.ReadFull(r, magic[:])
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil, fileErr(name, ErrFormat, nil, "the file is empty")
	}
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, fileErr(name, nil, err, "cannot read")
	}
	r = io.MultiReader(bytes.NewReader(magic[:n]), r)
	if n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fileErr(name, ErrFormat, err, "starts like gzip but has a corrupt gzip header")
		}
		return &stream{name: name, r: zr, gz: true}, nil
	}
	return &stream{name: name, r: r}, nil
}

// read fills p completely or reports why it could not. A clean end of data
// comes back as io.EOF or io.ErrUnexpectedEOF, as from io.ReadFull.
func (s *stream) read(p []byte) (int, error) {
	n, err := io.ReadFull(s.r, p)
	s.n += n
	return n, err
}

// ioErr turns a read failure that is not a clean end of data into a
// message; for gzip input it blames the compressed stream, since that is
// where corruption shows up.
func (s *stream) ioErr(err error) error {
	var corrupt flate.CorruptInputError
	if s.gz && (errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.As(err, &corrupt) || err == io.ErrUnexpectedEOF) {
		return fileErr(s.name, ErrFormat, err,
			"the gzip data is corrupt or truncated (after %d decompressed bytes)", s.n)
	}
	return fileErr(s.name, nil, err, "read failed after %d bytes", s.n)
}

// endOfData reports whether err means the (decompressed) data simply ended.
// For gzip, io.ErrUnexpectedEOF from io.ReadFull is ambiguous, so the
// gzip reader is asked once more: it returns io.EOF only after a complete,
// checksum-verified stream.
func (s *stream) endOfData(err error) (bool, error) {
	if err == io.EOF {
		return true, nil
	}
	if err != io.ErrUnexpectedEOF {
		return false, s.ioErr(err)
	}
	if !s.gz {
		return true, nil
	}
	var b [1]byte
	n, err2 := s.r.Read(b[:])
	if n == 0 && err2 == io.EOF {
		return true, nil
	}
	if err2 == nil || err2 == io.EOF {
		err2 = io.ErrUnexpectedEOF
	}
	return false, s.ioErr(err2)
}

func (s *stream) readMagic(want uint32) error {
	var b [4]byte
	if _, err := s.read(b[:]); err != nil {
		if end, ioerr := s.endOfData(err); !end {
			return ioerr
		}
		return fileErr(s.name, ErrFormat, nil,
			"the data ends after %d bytes, inside the 4-byte IDX magic number", s.n)
	}
	got := binary.BigEndian.Uint32(b[:])
	if got == want {
		return nil
	}
	// Name the swapped-file case explicitly: passing labels as images is
	// the most likely user mistake.
	if got == imagesMagic || got == labelsMagic {
		return fileErr(s.name, ErrFormat, nil,
			"this is %s (magic 0x%08x), expected %s (magic 0x%08x)", kindOf(got), got, kindOf(want), want)
	}
	if b[0] == 0 && b[1] == 0 && b[3] > 0 {
		return fileErr(s.name, ErrFormat, nil,
			"IDX magic 0x%08x has data type 0x%02x and %d dimensions, expected %s of unsigned bytes (magic 0x%08x)",
			got, b[2], b[3], kindOf(want), want)
	}
	return fileErr(s.name, ErrFormat, nil,
		"not an IDX file: magic number 0x%08x, expected %s (magic 0x%08x)", got, kindOf(want), want)
}

func kindOf(magic uint32) string {
	if magic == imagesMagic {
		return "an IDX image file"
	}
	return "an IDX label file"
}

func (s *stream) readHeader(p []byte, headerLen int) error {
	if _, err := s.read(p); err != nil {
		if end, ioerr := s.endOfData(err); !end {
			return ioerr
		}
		return fileErr(s.name, ErrFormat, nil,
			"the data ends after %d bytes, inside the %d-byte IDX header", s.n, headerLen)
	}
	return nil
}

// readBody reads exactly want bytes and checks that nothing follows.
// It never allocates from the header count alone: the buffer starts at
// firstChunk bytes and grows only while the data really continues, so
// memory stays proportional to the bytes actually present.
func (s *stream) readBody(want, count int, what, unit string) ([]byte, error) {
	buf := make([]byte, 0, min(want, firstChunk))
	for len(buf) < want {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*cap(buf), want))
			copy(grown, buf)
			buf = grown
		}
		n, err := s.read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if end, ioerr := s.endOfData(err); !end {
				return nil, ioerr
			}
			return nil, fileErr(s.name, ErrFormat, nil,
				"truncated: the header declares %d %s (%d %s) but only %d bytes follow the header",
				count, what, want, unit, len(buf))
		}
	}
	// One more byte tells a complete file from one with trailing data; for
	// gzip it also makes the reader verify the CRC-32 at the end.
	var extra [1]byte
	n, err := s.read(extra[:])
	if n > 0 {
		return nil, fileErr(s.name, ErrFormat, nil,
			"extra data after the %d %s the header declares (%d %s); the header count is wrong or files were concatenated",
			count, what, want, unit)
	}
	if end, ioerr := s.endOfData(err); !end {
		return nil, ioerr
	}
	return buf, nil
}
