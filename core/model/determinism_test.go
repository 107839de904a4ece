package model

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"vaeaug/core/nn"
	"vaeaug/core/rng"
)

var update = flag.Bool("update", false, "rewrite testdata/golden_checksums.txt from this build")

const goldenPath = "testdata/golden_checksums.txt"

// checksum is FNV-1a over the bits of every weight, in get_weights() order.
func checksum(params []*nn.Param) string {
	h := fnv.New64a()
	var b [4]byte
	for _, p := range params {
		for _, v := range p.Data() {
			u := math.Float32bits(v)
			b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
			h.Write(b[:])
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// twentySteps trains a fresh model of the given kind for 20 steps at batch 8
// on synthetic digits and returns the checksum of its weights.
func twentySteps(kind string) string {
	x, labels := synthDigits(64, 10)
	bx, by := nn.NewTensor(8, 28, 28, 1), make([]uint8, 8)
	r := rng.New(11)
	var step func()
	var params []*nn.Param
	switch kind {
	case "classifier":
		c := NewClassifier(12)
		opt := classifierOptimizer(c)
		step = func() { c.TrainStep(bx, by, opt) }
		params = c.Params()
	case "vae":
		v := NewVAE(13)
		opt := vaeOptimizer(v)
		step = func() { v.TrainStep(bx, opt) }
		params = v.Params()
	}
	for range 20 {
		batchOf(bx, by, x, labels, r.Perm(64)[:8])
		step()
	}
	return checksum(params)
}

func readGolden(t *testing.T) map[string]string {
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatalf("%v (run `go test ./core/model -run Golden -update` natively to create it)", err)
	}
	defer f.Close()
	golden := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), " "); ok && !strings.HasPrefix(k, "#") {
			golden[k] = v
		}
	}
	return golden
}

// Same seed → the same bits after 20 steps: twice in this build, and equal
// to the checksums in testdata, which the native build wrote and the wasm
// build (make test-wasm) must reproduce.
func TestGoldenChecksums(t *testing.T) {
	kinds := []string{"classifier", "vae"}
	got := map[string]string{}
	for _, k := range kinds {
		a, b := twentySteps(k), twentySteps(k)
		if a != b {
			t.Fatalf("%s: two runs from one seed differ: %s vs %s", k, a, b)
		}
		got[k] = a
	}
	if *update {
		var sb strings.Builder
		sb.WriteString("# FNV-1a of all weights after 20 training steps (see determinism_test.go), written on " + runtime.GOOS + "/" + runtime.GOARCH + "\n")
		for _, k := range kinds {
			sb.WriteString(k + " " + got[k] + "\n")
		}
		if err := os.WriteFile(goldenPath, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	golden := readGolden(t)
	for _, k := range kinds {
		if got[k] != golden[k] {
			t.Errorf("%s on %s/%s: checksum %s, golden %s", k, runtime.GOOS, runtime.GOARCH, got[k], golden[k])
		}
	}
}

// The result must not depend on how many cores the kernels split over.
func TestChecksumIndependentOfCores(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("one thread on wasm")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := twentySteps("classifier")
	runtime.GOMAXPROCS(4)
	if four := twentySteps("classifier"); one != four {
		t.Fatalf("GOMAXPROCS 1 gives %s, 4 gives %s", one, four)
	}
}
