package data

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadMNIST(t *testing.T) {
	train, test := loadMNIST(t)
	if train.Len() != 60000 || test.Len() != 10000 {
		t.Fatalf("got %d train and %d test examples, want 60000 and 10000", train.Len(), test.Len())
	}
	// Known first labels of the official files.
	if train.Label(0) != 5 || test.Label(0) != 7 {
		t.Errorf("first labels %d, %d; want 5, 7", train.Label(0), test.Label(0))
	}
	// Published class counts of the MNIST training set.
	want := [NumClasses]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
	if got := train.ClassCounts(); got != want {
		t.Errorf("train class counts %v, want %v", got, want)
	}
	x := train.Images.Float32(make([]float32, Pixels), 0)
	var sum float64
	for _, v := range x {
		if v < 0 || v > 1 {
			t.Fatalf("pixel %v outside [0,1]", v)
		}
		sum += float64(v)
	}
	// The first training image (a 5) has 166 non-zero pixels; its ink sums
	// to about 107.9 after scaling, a cheap check that bytes were not shifted.
	if sum < 100 || sum > 115 {
		t.Errorf("ink of first image = %v", sum)
	}
}

func TestVerifyMNIST(t *testing.T) {
	dir := mnistDir(t)
	if err := VerifyMNISTDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyMNIST(filepath.Join(dir, f), b); err != nil {
			t.Errorf("official file refused: %v", err)
		}
		// The unpacked file has its own digest.
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		rawName := strings.TrimSuffix(f, ".gz")
		if err := VerifyMNIST(rawName, raw); err != nil {
			t.Errorf("unpacked file refused: %v", err)
		}
		if err := VerifyMNIST(f, raw); err == nil || !strings.Contains(err.Error(), "not gzip-compressed") {
			t.Errorf("unpacked bytes under .gz name: %v", err)
		}
		// One flipped bit must be caught and the file named.
		b[len(b)/2] ^= 1
		err = VerifyMNIST(f, b)
		if !errors.Is(err, ErrChecksum) || !strings.HasPrefix(err.Error(), "data: "+f+": SHA-256 is ") {
			t.Errorf("corrupt %s: %v", f, err)
		}
	}
	if err := VerifyMNIST("mnist.npz", nil); err == nil || !strings.Contains(err.Error(), "not an MNIST file name") {
		t.Errorf("unknown name: %v", err)
	}
}

// TestLoadMNISTErrors copies the files into a temporary directory, breaks
// them one at a time and checks that the loader names the broken file.
func TestLoadMNISTErrors(t *testing.T) {
	src := mnistDir(t)
	dir := t.TempDir()
	names := []string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}
	orig := map[string][]byte{}
	for _, f := range names {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		orig[f] = b
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Only the small label files are corrupted so the test stays fast; the
	// image files take the same path.
	for _, f := range []string{TrainLabelsFile, TestLabelsFile} {
		p := filepath.Join(dir, f)
		bad := bytes.Clone(orig[f])
		bad[100] ^= 0x40
		os.WriteFile(p, bad, 0o644)
		_, _, err := LoadMNIST(dir)
		if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), p) {
			t.Errorf("corrupt %s: %v", f, err)
		}
		if err := VerifyMNISTDir(dir); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("VerifyMNISTDir with corrupt %s: %v", f, err)
		}
		os.Remove(p)
		_, _, err = LoadMNIST(dir)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "scripts/mnist.sh") {
			t.Errorf("missing %s: %v", f, err)
		}
		os.WriteFile(p, orig[f], 0o644)
	}
	if _, _, err := LoadMNIST(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing dir: %v", err)
	}
}

func TestMNISTFromBytes(t *testing.T) {
	dir := mnistDir(t)
	var b [4][]byte
	for i, f := range []string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile} {
		var err error
		if b[i], err = os.ReadFile(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	// Swapping the test images and labels must be caught by the hash
	// check before parsing, naming the file.
	_, _, err := MNISTFromBytes(b[0], b[1], b[3], b[2])
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), TestImagesFile) {
		t.Errorf("swapped: %v", err)
	}
	train, test := loadMNIST(t)
	// Compare against LoadMNIST on the small test set only, to stay quick.
	_, test2, err := MNISTFromBytes(b[0], b[1], b[2], b[3])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(test2.Images.Pix, test.Images.Pix) || !bytes.Equal(test2.Labels.Y, test.Labels.Y) || train.Name != "mnist train" {
		t.Error("MNISTFromBytes differs from LoadMNIST")
	}
}

func TestLoadPair(t *testing.T) {
	dir := t.TempDir()
	im := filepath.Join(dir, "fashion-images.gz")
	lb := filepath.Join(dir, "fashion-labels")
	os.WriteFile(im, gz(validImages(4)), 0o644)
	os.WriteFile(lb, validLabels(3, 1, 4, 1), 0o644)
	ds, err := LoadPair(im, lb)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 4 || ds.Label(2) != 4 || ds.Name != im {
		t.Fatalf("got %v", ds)
	}
	os.WriteFile(lb, validLabels(3, 1, 4), 0o644)
	if _, err := LoadPair(im, lb); !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), lb) || !strings.Contains(err.Error(), im) {
		t.Errorf("count mismatch: %v", err)
	}
	os.WriteFile(lb, validLabels(3, 1, 4, 11), 0o644)
	if _, err := LoadPair(im, lb); err == nil || !strings.HasPrefix(err.Error(), "data: "+lb+": label 11") {
		t.Errorf("bad label: %v", err)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := LoadPair(missing, lb); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "data: "+missing+": cannot open") {
		t.Errorf("missing file: %v", err)
	}
}

// MNISTFromUnpacked (the browser's path: the page hashes and unpacks the
// downloads natively) gives the same data as LoadMNIST, and refuses a
// digest that is not the official one for its file, naming the file.
func TestMNISTFromUnpacked(t *testing.T) {
	dir := mnistDir(t)
	var sums [4][sha256.Size]byte
	var raw [4][]byte
	for i, f := range []string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = sha256.Sum256(b)
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if raw[i], err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	train, test := loadMNIST(t)
	train2, test2, err := MNISTFromUnpacked(sums, raw[0], raw[1], raw[2], raw[3])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(train2.Images.Pix, train.Images.Pix) || !bytes.Equal(train2.Labels.Y, train.Labels.Y) ||
		!bytes.Equal(test2.Images.Pix, test.Images.Pix) || !bytes.Equal(test2.Labels.Y, test.Labels.Y) {
		t.Error("MNISTFromUnpacked differs from LoadMNIST")
	}
	bad := sums
	bad[2], bad[3] = sums[3], sums[2]
	if _, _, err := MNISTFromUnpacked(bad, raw[0], raw[1], raw[2], raw[3]); !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), TestImagesFile) {
		t.Errorf("swapped digests: %v", err)
	}
	// Unpacked bytes that are not IDX are refused by the parser.
	if _, _, err := MNISTFromUnpacked(sums, raw[0][:1000], raw[1], raw[2], raw[3]); !errors.Is(err, ErrFormat) {
		t.Errorf("truncated images: %v", err)
	}
}
