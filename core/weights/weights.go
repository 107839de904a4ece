// Package weights reads and writes a model's weights as a NumPy .npz
// archive: a zip file with one stored (uncompressed) member "KEY.npy" per
// tensor, in order. np.load(path)[KEY] returns each float32 array, and an
// archive made by np.savez (or np.savez_compressed) from Keras'
// get_weights() under the same keys reads back here.
//
// Keys are Keras weight names such as "conv2d_1/kernel"; the '/' is kept in
// the member name, which NumPy handles.
//
// Each member is a .npy file whose header follows the format specification
// (gorgonia's lacks the terminating newline) and whose data is the float32
// values in little-endian order. gorgonia's (*tensor.Dense).WriteNpy and
// ReadNpy are the reference for that data (TestNpyDataMatchesGorgonia), but
// this package encodes and decodes it itself: they box every element, which
// took 0.75 s for the classifier's weights in the browser worker, and each
// finished run exports three models. Every header is checked before
// decoding, so Read never panics and never allocates much more than the
// data actually present.
package weights

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"
	"unicode/utf8"
	"vaeaug/internal/atomicfile"

	"gorgonia.org/tensor"
)

// Entry is one named tensor of an archive.
type Entry struct {
	Key   string
	Value *tensor.Dense
}

// MaxEntryBytes bounds the array data of one member (256 MiB, 64 Mi
// float32s; the study's largest weight is 1.6 MB). Read rejects larger
// headers before allocating, so a hostile archive cannot make it allocate
// without bound.
const MaxEntryBytes = 256 << 20

// maxDim is the largest single dimension a header may state.
const maxDim = MaxEntryBytes / 4

// Errors returned by Read, wrapped with the member name and details; test
// them with errors.Is.
var (
	ErrNotZip    = errors.New("not a zip archive")
	ErrNotNpy    = errors.New("not a .npy member")
	ErrDtype     = errors.New("unsupported dtype")
	ErrHeader    = errors.New("bad .npy header")
	ErrTruncated = errors.New("truncated data")
	ErrSize      = errors.New("array too large")
)

// dosDate1980 is 1980-01-01 in MS-DOS date format (year-1980<<9 | month<<5
// | day), the earliest zip timestamp and the one Python's zipfile uses by
// default. A fixed time makes the archive a pure function of its entries.
const dosDate1980 = 0<<9 | 1<<5 | 1

// Write writes entries as an .npz archive to w, one stored member
// "KEY.npy" per entry, in order. Every value must be a float32 tensor with
// at least one element whose data is laid out contiguously (not a strided
// view). Keys must be non-empty, valid UTF-8 and unique.
func Write(w io.Writer, entries []Entry) error {
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if err := checkEntry(e); err != nil {
			return err
		}
		if seen[e.Key] {
			return fmt.Errorf("weights: key %q appears twice", e.Key)
		}
		seen[e.Key] = true
	}
	zw := zip.NewWriter(w)
	var buf bytes.Buffer
	for _, e := range entries {
		buf.Reset()
		if err := encodeNpy(&buf, e); err != nil {
			return err
		}
		data := buf.Bytes()
		fh := &zip.FileHeader{
			Name:               e.Key + ".npy",
			Method:             zip.Store,
			ModifiedDate:       dosDate1980,
			CRC32:              crc32.ChecksumIEEE(data),
			CompressedSize64:   uint64(len(data)),
			UncompressedSize64: uint64(len(data)),
		}
		fh.SetMode(0o644)
		// CreateRaw takes the sizes and checksum we computed, so the local
		// header carries them and no data descriptor follows the data.
		fw, err := zw.CreateRaw(fh)
		if err != nil {
			return fmt.Errorf("weights: %q: %w", e.Key, err)
		}
		if _, err := fw.Write(data); err != nil {
			return fmt.Errorf("weights: %q: %w", e.Key, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	return nil
}

// checkEntry rejects what encodeNpy cannot write faithfully, or Read would
// refuse.
func checkEntry(e Entry) error {
	switch {
	case e.Key == "":
		return errors.New("weights: empty key")
	case !utf8.ValidString(e.Key) || strings.ContainsRune(e.Key, 0):
		return fmt.Errorf("weights: key %q is not valid UTF-8 text", e.Key)
	case e.Value == nil:
		return fmt.Errorf("weights: %q: nil tensor", e.Key)
	case e.Value.Dtype() != tensor.Float32:
		return fmt.Errorf("weights: %q: dtype %v, only float32 is supported", e.Key, e.Value.Dtype())
	case e.Value.RequiresIterator():
		return fmt.Errorf("weights: %q: strided view; Materialize it first", e.Key)
	case e.Value.Shape().TotalSize() == 0:
		// Read refuses zero-size arrays.
		return fmt.Errorf("weights: %q: zero-size tensor (shape %v)", e.Key, e.Value.Shape())
	}
	return nil
}

// encodeNpy appends one .npy file for e to buf: the header for its shape,
// then its values as little-endian float32s.
func encodeNpy(buf *bytes.Buffer, e Entry) error {
	shape := []int(e.Value.Shape())
	if e.Value.IsScalar() {
		shape = []int{}
	}
	vals := e.Value.Float32s()
	if len(vals) != e.Value.Shape().TotalSize() {
		return fmt.Errorf("weights: %q: %d values for shape %v", e.Key, len(vals), shape)
	}
	buf.Write(formatHeader(shape))
	buf.Grow(4 * len(vals))
	b := buf.AvailableBuffer()
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	buf.Write(b)
	return nil
}

// Read reads every member of the .npz archive in r (size bytes long), in
// archive order. Each must be a version 1.0 .npy file of a C-ordered
// little-endian float32 array ('<f4') with at least one element; members may
// be stored or deflated. Errors name the member and wrap one of ErrNotZip,
// ErrNotNpy, ErrDtype, ErrHeader, ErrTruncated or ErrSize where one applies.
func Read(r io.ReaderAt, size int64) ([]Entry, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("weights: %w: %v", ErrNotZip, err)
	}
	entries := make([]Entry, 0, len(zr.File))
	seen := make(map[string]bool, len(zr.File))
	for _, f := range zr.File {
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok || key == "" {
			return nil, fmt.Errorf("weights: member %q: %w (name must be KEY.npy)", f.Name, ErrNotNpy)
		}
		if seen[key] {
			return nil, fmt.Errorf("weights: member %q appears twice", f.Name)
		}
		seen[key] = true
		v, err := readMember(f)
		if err != nil {
			return nil, fmt.Errorf("weights: member %q: %w", f.Name, err)
		}
		entries = append(entries, Entry{Key: key, Value: v})
	}
	return entries, nil
}

// readMember decodes one .npy member after checking its header.
func readMember(f *zip.File) (*tensor.Dense, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()

	var pre [npyPrefix]byte
	if _, err := io.ReadFull(rc, pre[:]); err != nil {
		return nil, fmt.Errorf("%w: shorter than a .npy preamble: %v", ErrNotNpy, err)
	}
	if string(pre[:len(npyMagic)]) != npyMagic {
		return nil, fmt.Errorf("%w: bad magic %q", ErrNotNpy, pre[:len(npyMagic)])
	}
	if pre[6] != 1 || pre[7] != 0 {
		return nil, fmt.Errorf("%w: format version %d.%d, only 1.0 is supported", ErrHeader, pre[6], pre[7])
	}
	hlen := int(pre[8]) | int(pre[9])<<8
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(rc, hb); err != nil {
		return nil, fmt.Errorf("%w: header of %d bytes: %v", ErrTruncated, hlen, err)
	}
	hd, err := parseHeader(string(hb))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHeader, err)
	}
	if hd.descr != "<f4" {
		name := dtypeNames[hd.descr]
		if name != "" {
			name = " (" + name + ")"
		}
		return nil, fmt.Errorf("%w '%s'%s: only little-endian float32 '<f4' is accepted", ErrDtype, hd.descr, name)
	}
	if hd.fortran {
		return nil, fmt.Errorf("%w: Fortran-ordered arrays are not supported", ErrHeader)
	}
	n := 1
	for _, d := range hd.shape {
		// Each d <= maxDim, so checking before multiplying cannot overflow.
		if d != 0 && n > maxDim/d {
			return nil, fmt.Errorf("%w: shape %v exceeds %d bytes", ErrSize, hd.shape, MaxEntryBytes)
		}
		n *= d
	}
	if n == 0 {
		// Nothing here holds an empty weight, and Write refuses them.
		return nil, fmt.Errorf("%w: zero-size shape %v is not supported", ErrHeader, hd.shape)
	}
	want := 4 * n
	// Cheap early check against the size the archive declares; the zip
	// reader enforces that size (and the CRC) when the data is read.
	if got := f.UncompressedSize64; got != 0 && got != uint64(npyPrefix+hlen+want) {
		if got < uint64(npyPrefix+hlen+want) {
			return nil, fmt.Errorf("%w: shape %v needs %d bytes of data, member has %d", ErrTruncated, hd.shape, want, int64(got)-int64(npyPrefix+hlen))
		}
		return nil, fmt.Errorf("%w: %d bytes after the %d bytes of data shape %v needs", ErrHeader, int64(got)-int64(npyPrefix+hlen+want), want, hd.shape)
	}
	// Read what is there, at most one byte more than needed: ReadAll grows
	// with the data actually present, not with what the header claims.
	data, err := io.ReadAll(io.LimitReader(rc, int64(want)+1))
	if errors.Is(err, zip.ErrChecksum) {
		return nil, fmt.Errorf("data corrupted: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: shape %v needs %d bytes of data, read %d: %w", ErrTruncated, hd.shape, want, len(data), err)
	}
	switch {
	case len(data) < want:
		return nil, fmt.Errorf("%w: shape %v needs %d bytes of data, member has %d", ErrTruncated, hd.shape, want, len(data))
	case len(data) > want:
		return nil, fmt.Errorf("%w: bytes after the %d bytes of data shape %v needs", ErrHeader, want, hd.shape)
	}

	vals := make([]float32, n)
	for i := range vals {
		vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	if len(hd.shape) == 0 {
		return tensor.New(tensor.FromScalar(vals[0])), nil
	}
	return tensor.New(tensor.WithShape(hd.shape...), tensor.WithBacking(vals)), nil
}

// WriteFile writes entries to the .npz file at path. It writes a temporary
// file in the same directory and renames it over path, so readers never see
// a half-written archive and a failed write leaves any old file intact.
func WriteFile(path string, entries []Entry) error {
	err := atomicfile.Write(path, func(w io.Writer) error { return Write(w, entries) })
	if err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	return nil
}

// ReadFile reads the .npz file at path; see Read.
func ReadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	entries, err := Read(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}
