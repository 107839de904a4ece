package data

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// updateCorpus rewrites testdata/fuzz from the seed inputs below:
//
//	go test ./core/data -run TestWriteFuzzCorpus -update-corpus
var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz seed corpus files")

type seedInput struct {
	name string
	data []byte
}

// imageSeeds are small valid and broken image files covering each branch
// of the parser, so fuzzing starts from interesting places.
func imageSeeds() []seedInput {
	one := validImages(1)
	return []seedInput{
		{"valid-raw-1", one},
		{"valid-raw-2", validImages(2)},
		{"valid-gzip-1", gz(one)},
		{"truncated-pixels", one[:400]},
		{"truncated-header", one[:9]},
		{"trailing-byte", append(bytes.Clone(one), 7)},
		{"labels-magic", validLabels(1, 2, 3)},
		{"32x32", idxImages(imagesMagic, 1, 32, 32, make([]byte, 64))},
		{"oversize-count", idxImages(imagesMagic, 0xffffffff, 28, 28, make([]byte, 16))},
		{"max-count-short", idxImages(imagesMagic, MaxExamples, 28, 28, make([]byte, 16))},
		{"gzip-garbage", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3}},
		{"gzip-truncated", gz(one)[:20]},
	}
}

// labelSeeds are the label-file counterparts of imageSeeds.
func labelSeeds() []seedInput {
	ok := validLabels(5, 0, 4, 1, 9)
	return []seedInput{
		{"valid-raw-5", ok},
		{"valid-gzip-5", gz(ok)},
		{"label-10", validLabels(1, 10)},
		{"truncated", ok[:10]},
		{"trailing-byte", append(bytes.Clone(ok), 3)},
		{"images-magic", validImages(1)[:40]},
		{"zero-count", idxLabels(labelsMagic, 0, nil)},
		{"oversize-count", idxLabels(labelsMagic, 0xffffffff, []byte{1})},
		{"gzip-garbage", []byte{0x1f, 0x8b, 0xff}},
	}
}

// decompressedLen is how many bytes the parser could possibly see: the
// allocation bound in the fuzz targets is stated in terms of it.
func decompressedLen(b []byte) int {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return len(b)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return 0
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, MaxImageBytes+2))
	return int(n)
}

// allocBound is what a parse may allocate for an input that decompresses
// to plain bytes: the body buffer grows by doubling (so up to about twice
// the data, plus the copy it grows from), plus a fixed overhead for the
// gzip decoder and the first chunk.
func allocBound(plain int) uint64 { return 4*uint64(plain) + 256<<10 }

func FuzzParseImages(f *testing.F) {
	for _, s := range imageSeeds() {
		f.Add(s.data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		plain := decompressedLen(b)
		var im *Images
		var err error
		n := allocated(func() { im, err = ParseImages("fuzz.idx", b) })
		if n > allocBound(plain) {
			t.Fatalf("allocated %d bytes for %d input bytes (%d decompressed)", n, len(b), plain)
		}
		if err != nil {
			if _, ok := err.(*FileError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if !bytes.HasPrefix([]byte(err.Error()), []byte("data: fuzz.idx: ")) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if im.Len() < 1 || im.Len() > MaxExamples || len(im.Pix) != im.Len()*Pixels {
			t.Fatalf("accepted %d bytes of pixels", len(im.Pix))
		}
		// A successful parse must round-trip through the raw encoding.
		again, err := ParseImages("again", idxImages(imagesMagic, uint32(im.Len()), Rows, Cols, im.Pix))
		if err != nil || !bytes.Equal(again.Pix, im.Pix) {
			t.Fatalf("re-encoded file does not parse back: %v", err)
		}
	})
}

func FuzzParseLabels(f *testing.F) {
	for _, s := range labelSeeds() {
		f.Add(s.data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		plain := decompressedLen(b)
		var lb *Labels
		var err error
		n := allocated(func() { lb, err = ParseLabels("fuzz.idx", b) })
		if n > allocBound(plain) {
			t.Fatalf("allocated %d bytes for %d input bytes (%d decompressed)", n, len(b), plain)
		}
		if err != nil {
			if _, ok := err.(*FileError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if !bytes.HasPrefix([]byte(err.Error()), []byte("data: fuzz.idx: ")) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if lb.Len() < 1 || lb.Len() > MaxExamples {
			t.Fatalf("accepted %d labels", lb.Len())
		}
		for i, v := range lb.Y {
			if v >= NumClasses {
				t.Fatalf("accepted label %d at %d", v, i)
			}
		}
	})
}

// TestWriteFuzzCorpus writes the seed inputs as files in the format `go
// test` reads from testdata/fuzz, so they are visible and kept alongside
// any crashers the fuzzer adds. Without -update-corpus it only checks
// that the directories exist.
func TestWriteFuzzCorpus(t *testing.T) {
	for _, c := range []struct {
		target string
		seeds  []seedInput
	}{
		{"FuzzParseImages", imageSeeds()},
		{"FuzzParseLabels", labelSeeds()},
	} {
		dir := filepath.Join("testdata", "fuzz", c.target)
		if !*updateCorpus {
			if _, err := os.Stat(dir); err != nil {
				t.Errorf("seed corpus missing: %v (regenerate with -update-corpus)", err)
			}
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, s := range c.seeds {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s.data)
			if err := os.WriteFile(filepath.Join(dir, "seed-"+s.name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
