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
	data := make([][]float32, len(params))
	for i, p := range params {
		data[i] = p.Data()
	}
	return checksumOf(data...)
}

// checksumOf is FNV-1a over the bits of every value, slice after slice.
func checksumOf(data ...[]float32) string {
	h := fnv.New64a()
	var b [4]byte
	for _, vs := range data {
		for _, v := range vs {
			u := math.Float32bits(v)
			b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
			h.Write(b[:])
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// twentySteps trains a fresh model of the given kind for 20 steps at batch 8
// on synthetic digits and returns the checksum of its weights and of its
// inference outputs on the 64 digits: the classifier's logits, the VAE's
// z_mean and the decoding of z_mean (inference takes other paths than
// training: batch norm's moving statistics, no dropout).
func twentySteps(kind string) (weights, inference string) {
	x, labels := synthDigits(64, 10)
	bx, by := nn.NewTensor(8, 28, 28, 1), make([]uint8, 8)
	r := rng.New(11)
	var step func()
	var params []*nn.Param
	var infer func() []float32
	switch kind {
	case "classifier":
		c := NewClassifier(12)
		opt := classifierOptimizer(c)
		step = func() { c.TrainStep(bx, by, opt) }
		params = c.Params()
		infer = func() []float32 { return append([]float32(nil), c.Logits(x).Data().([]float32)...) }
	case "vae":
		v := NewVAE(13)
		opt := vaeOptimizer(v)
		step = func() { v.TrainStep(bx, opt) }
		params = v.Params()
		infer = func() []float32 {
			mean, _ := v.Encode(x)
			z := append([]float32(nil), mean.Data().([]float32)...)
			return append(z, v.Decode(mean).Data().([]float32)...)
		}
	}
	for range 20 {
		batchOf(bx, by, x, labels, r.Perm(64)[:8])
		step()
	}
	return checksum(params), checksumOf(infer())
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
	kinds := []string{"classifier", "vae", "classifier-inference", "vae-inference"}
	got := map[string]string{}
	for _, k := range kinds[:2] {
		a, ai := twentySteps(k)
		b, bi := twentySteps(k)
		if a != b || ai != bi {
			t.Fatalf("%s: two runs from one seed differ: %s %s vs %s %s", k, a, ai, b, bi)
		}
		got[k], got[k+"-inference"] = a, ai
	}
	if *update {
		var sb strings.Builder
		sb.WriteString("# FNV-1a of all weights after 20 training steps, then of the inference outputs (see determinism_test.go), written on " + runtime.GOOS + "/" + runtime.GOARCH + "\n")
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
	one, onei := twentySteps("classifier")
	runtime.GOMAXPROCS(4)
	if four, fouri := twentySteps("classifier"); one != four || onei != fouri {
		t.Fatalf("GOMAXPROCS 1 gives %s %s, 4 gives %s %s", one, onei, four, fouri)
	}
}
