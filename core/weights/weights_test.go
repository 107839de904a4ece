package weights

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

// dense makes a float32 tensor of the given shape filled by f(i).
func dense(f func(i int) float32, shape ...int) *tensor.Dense {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = f(i)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}

// tricky holds values whose bits must survive a round trip exactly.
var tricky = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 0.1, math.MaxFloat32, math.SmallestNonzeroFloat32,
	float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(0x7fc00001), // NaN with payload
	math.Float32frombits(0x00400000), 3.14159265, -2.5e-38,
}

func sampleEntries() []Entry {
	return []Entry{
		{"conv2d_1/kernel", dense(func(i int) float32 { return tricky[i%len(tricky)] * float32(1+i/len(tricky)) }, 3, 3, 1, 16)},
		{"conv2d_1/bias", dense(func(i int) float32 { return float32(i) - 7.5 }, 16)},
		{"batch_normalization_1/gamma", dense(func(int) float32 { return 1 }, 16)},
		{"dense_1/kernel", dense(func(i int) float32 { return float32(i%13) / 7 }, 20, 5)},
		{"scalar", tensor.New(tensor.FromScalar(float32(2.75)))},
	}
}

func bitsOf(t *tensor.Dense) []uint32 {
	var b []uint32
	for _, v := range t.Float32s() {
		b = append(b, math.Float32bits(v))
	}
	return b
}

func shapeOf(t *tensor.Dense) []int {
	if t.IsScalar() {
		return []int{}
	}
	return []int(t.Shape())
}

func checkSame(t *testing.T, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Key != w.Key || !slices.Equal(shapeOf(g.Value), shapeOf(w.Value)) {
			t.Fatalf("entry %d is %q %v, want %q %v", i, g.Key, shapeOf(g.Value), w.Key, shapeOf(w.Value))
		}
		if g.Value.Dtype() != tensor.Float32 {
			t.Fatalf("entry %q has dtype %v", g.Key, g.Value.Dtype())
		}
		if !slices.Equal(bitsOf(g.Value), bitsOf(w.Value)) {
			t.Fatalf("entry %q: bits differ:\n got %x\nwant %x", g.Key, bitsOf(g.Value), bitsOf(w.Value))
		}
	}
}

func TestRoundTripExactBits(t *testing.T) {
	want := sampleEntries()
	var buf bytes.Buffer
	if err := Write(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, got, want)

	// The same entries give the same bytes: no timestamps or map order.
	var again bytes.Buffer
	if err := Write(&again, sampleEntries()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("writing the same entries twice gave different archives")
	}
}

// TestNpyLayout checks the archive at the byte level against what np.load
// expects: stored members named KEY.npy in order, each a version 1.0 .npy
// file with a newline-terminated header dictionary padded so the data
// starts on a 64-byte boundary, followed by little-endian float32 data.
func TestNpyLayout(t *testing.T) {
	entries := sampleEntries()
	var buf bytes.Buffer
	if err := Write(&buf, entries); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(entries) {
		t.Fatalf("%d members, want %d", len(zr.File), len(entries))
	}
	shapes := []string{"(3, 3, 1, 16)", "(16,)", "(16,)", "(20, 5)", "()"}
	for i, f := range zr.File {
		if f.Name != entries[i].Key+".npy" {
			t.Fatalf("member %d is %q, want %q", i, f.Name, entries[i].Key+".npy")
		}
		if f.Method != zip.Store {
			t.Fatalf("member %q has method %d, want stored (0)", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		data := b.Bytes()
		if string(data[:6]) != "\x93NUMPY" || data[6] != 1 || data[7] != 0 {
			t.Fatalf("%s: preamble %q, want \\x93NUMPY version 1.0", f.Name, data[:8])
		}
		hlen := int(binary.LittleEndian.Uint16(data[8:10]))
		if (10+hlen)%64 != 0 {
			t.Errorf("%s: data offset %d is not a multiple of 64", f.Name, 10+hlen)
		}
		header := string(data[10 : 10+hlen])
		dict := "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapes[i] + ", }"
		if strings.TrimRight(header, " \n") != dict || !strings.HasSuffix(header, "\n") ||
			strings.Count(header, "\n") != 1 || strings.TrimLeft(header[len(dict):], " ") != "\n" {
			t.Errorf("%s: header %q, want %q padded with spaces and ending in a newline", f.Name, header, dict)
		}
		vals := entries[i].Value.Float32s()
		if len(data) != 10+hlen+4*len(vals) {
			t.Fatalf("%s: %d bytes, want %d", f.Name, len(data), 10+hlen+4*len(vals))
		}
		for j, v := range vals {
			if got := binary.LittleEndian.Uint32(data[10+hlen+4*j:]); got != math.Float32bits(v) {
				t.Fatalf("%s: value %d is %#x, want %#x", f.Name, j, got, math.Float32bits(v))
			}
		}
	}
}

// member is one raw zip member for hand-built archives.
type member struct {
	name    string
	data    []byte
	deflate bool
}

func makeZip(t testing.TB, ms ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		method := zip.Store
		if m.deflate {
			method = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// npy builds a .npy file with the given header dictionary and n float32
// values 0, 1, 2, ...
func npy(dict string, n int) []byte {
	b := padHeader(dict)
	for i := range n {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(i)))
	}
	return b
}

func f4(shape string) string {
	return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"
}

// TestReadNumPyStyle reads members laid out as NumPy writes them, including
// a deflated one (np.savez_compressed), double-quoted keys and no trailing
// comma.
func TestReadNumPyStyle(t *testing.T) {
	data := makeZip(t,
		member{name: "a/kernel.npy", data: npy(f4("(2, 3)"), 6)},
		member{name: "a/bias.npy", data: npy(`{"descr": "<f4", "shape": (3,), "fortran_order": False}`, 3), deflate: true},
	)
	got, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != "a/kernel" || got[1].Key != "a/bias" {
		t.Fatalf("entries %v", got)
	}
	if !slices.Equal(got[0].Value.Float32s(), []float32{0, 1, 2, 3, 4, 5}) || !slices.Equal(shapeOf(got[0].Value), []int{2, 3}) {
		t.Fatalf("a/kernel = %v %v", got[0].Value.Shape(), got[0].Value.Float32s())
	}
	if !slices.Equal(got[1].Value.Float32s(), []float32{0, 1, 2}) {
		t.Fatalf("a/bias = %v", got[1].Value.Float32s())
	}
}

func TestReadErrors(t *testing.T) {
	good := makeZip(t, member{name: "k.npy", data: npy(f4("(4,)"), 4)})
	corrupt := slices.Clone(good)
	// Flip a bit in the last data value (it sits just before the central
	// directory); the CRC must catch it.
	cd := bytes.LastIndex(corrupt, []byte("PK\x01\x02"))
	corrupt[cd-17] ^= 1

	cases := []struct {
		name string
		data []byte
		err  error
		msg  string // must appear in the message
	}{
		{"garbage", []byte("this is not a zip file at all, just text"), ErrNotZip, "not a zip"},
		{"empty", nil, ErrNotZip, ""},
		{"cut archive", good[:len(good)/2], ErrNotZip, ""},
		{"not npy name", makeZip(t, member{name: "k.txt", data: npy(f4("(4,)"), 4)}), ErrNotNpy, `"k.txt"`},
		{"bad magic", makeZip(t, member{name: "k.npy", data: []byte("\x93NUMPZ\x01\x00\x00\x00")}), ErrNotNpy, "magic"},
		{"short", makeZip(t, member{name: "k.npy", data: []byte("\x93NUM")}), ErrNotNpy, "preamble"},
		{"float64", makeZip(t, member{name: "k.npy", data: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 4)}), ErrDtype, "'<f8' (float64)"},
		{"big endian", makeZip(t, member{name: "k.npy", data: npy("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", 4)}), ErrDtype, "'>f4'"},
		{"int32", makeZip(t, member{name: "k.npy", data: npy("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", 4)}), ErrDtype, "int32"},
		{"version 2", makeZip(t, member{name: "k.npy", data: append([]byte("\x93NUMPY\x02\x00"), npy(f4("(1,)"), 1)[8:]...)}), ErrHeader, "version 2.0"},
		{"fortran", makeZip(t, member{name: "k.npy", data: npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 4)}), ErrHeader, "Fortran"},
		{"no shape", makeZip(t, member{name: "k.npy", data: npy("{'descr': '<f4', 'fortran_order': False}", 4)}), ErrHeader, "shape"},
		{"extra key", makeZip(t, member{name: "k.npy", data: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1}", 4)}), ErrHeader, "unknown key"},
		{"bad tuple", makeZip(t, member{name: "k.npy", data: npy(f4("(4)"), 4)}), ErrHeader, "trailing comma"},
		{"negative dim", makeZip(t, member{name: "k.npy", data: npy(f4("(-4,)"), 4)}), ErrHeader, "non-negative"},
		{"zero size", makeZip(t, member{name: "k.npy", data: npy(f4("(0, 3)"), 0)}), ErrHeader, "zero-size"},
		{"huge shape", makeZip(t, member{name: "k.npy", data: npy(f4("(100000, 100000, 100000)"), 4)}), ErrSize, ""},
		{"huge dim", makeZip(t, member{name: "k.npy", data: npy(f4("(99999999999999999999999,)"), 4)}), ErrHeader, "too large"},
		{"truncated data", makeZip(t, member{name: "k.npy", data: npy(f4("(3, 3, 1, 16)"), 100)}), ErrTruncated, "needs 576 bytes"},
		{"truncated deflated", makeZip(t, member{name: "k.npy", data: npy(f4("(5,)"), 4), deflate: true}), ErrTruncated, ""},
		{"trailing data", makeZip(t, member{name: "k.npy", data: npy(f4("(2,)"), 4)}), ErrHeader, "after"},
		{"truncated header", makeZip(t, member{name: "k.npy", data: npy(f4("(2,)"), 0)[:30]}), ErrTruncated, "header"},
		{"duplicate", makeZip(t, member{name: "k.npy", data: npy(f4("(1,)"), 1)}, member{name: "k.npy", data: npy(f4("(1,)"), 1)}), nil, "twice"},
		{"checksum", corrupt, zip.ErrChecksum, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.data), int64(len(c.data)))
			if err == nil {
				t.Fatal("no error")
			}
			if c.err != nil && !errors.Is(err, c.err) {
				t.Errorf("error %q is not %v", err, c.err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not mention %q", err, c.msg)
			}
			if c.name != "garbage" && c.name != "empty" && c.name != "cut archive" && !strings.Contains(err.Error(), ".") {
				t.Errorf("error %q does not name the member", err)
			}
		})
	}
}

// TestReadLyingSizes feeds an archive whose directory claims a member of
// 240 MB (consistent with its header's shape) while the file holds 16 bytes
// of data: Read must report truncation without allocating the claimed size.
func TestReadLyingSizes(t *testing.T) {
	body := npy(f4("(1000, 1000, 60)"), 4)
	claimed := uint64(len(body)-16) + 240e6
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "k.npy", Method: zip.Store,
		CompressedSize64: claimed, UncompressedSize64: claimed,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	zw.Close()
	data := buf.Bytes()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Read(bytes.NewReader(data), int64(len(data)))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("error %v, want ErrTruncated", err)
	}
	t.Log(err)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("Read allocated %d bytes", n)
	}
}

func TestWriteErrors(t *testing.T) {
	ok := dense(func(int) float32 { return 1 }, 2)
	view, err := dense(func(i int) float32 { return float32(i) }, 4, 4).Slice(nil, tensor.S(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]Entry{
		"empty key":  {{"", ok}},
		"duplicate":  {{"a", ok}, {"a", ok}},
		"nil":        {{"a", nil}},
		"float64":    {{"a", tensor.New(tensor.WithShape(2), tensor.Of(tensor.Float64))}},
		"zero size":  {{"a", tensor.New(tensor.WithShape(0, 2), tensor.Of(tensor.Float32))}},
		"view":       {{"a", view.(*tensor.Dense)}},
		"bad utf8":   {{"a\xff", ok}},
		"nul in key": {{"a\x00b", ok}},
	}
	for name, es := range cases {
		if err := Write(&bytes.Buffer{}, es); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWriteFileReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.npz")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := sampleEntries()
	if err := WriteFile(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, got, want)
	// A failed write leaves the old file and no temporary file behind.
	if err := WriteFile(path, []Entry{{"", want[0].Value}}); err == nil {
		t.Fatal("WriteFile accepted an empty key")
	}
	names, _ := os.ReadDir(dir)
	if len(names) != 1 || names[0].Name() != "w.npz" {
		t.Fatalf("directory holds %v", names)
	}
	if _, err := ReadFile(path); err != nil {
		t.Fatalf("old file damaged: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.npz")); err == nil {
		t.Fatal("ReadFile of a missing file succeeded")
	}
}

// gorgonia's WriteNpy and ReadNpy are the reference for the array data,
// which this package encodes and decodes itself: the same bytes after the
// header, and the same values and shape back.
func TestNpyDataMatchesGorgonia(t *testing.T) {
	for _, e := range sampleEntries() {
		var ours, ref bytes.Buffer
		if err := encodeNpy(&ours, e); err != nil {
			t.Fatal(err)
		}
		if err := e.Value.WriteNpy(&ref); err != nil {
			t.Fatal(err)
		}
		body := func(b []byte) []byte { return b[npyPrefix+(int(b[8])|int(b[9])<<8):] }
		if !bytes.Equal(body(ours.Bytes()), body(ref.Bytes())) {
			t.Errorf("%s: data differs from gorgonia's WriteNpy", e.Key)
		}
		var arch bytes.Buffer
		if err := Write(&arch, []Entry{e}); err != nil {
			t.Fatal(err)
		}
		got, err := Read(bytes.NewReader(arch.Bytes()), int64(arch.Len()))
		if err != nil {
			t.Fatal(err)
		}
		want := new(tensor.Dense)
		if err := want.ReadNpy(bytes.NewReader(ref.Bytes())); err != nil {
			t.Fatal(err)
		}
		checkSame(t, got, []Entry{{e.Key, want}})
	}
}
