package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"vaeaug/core/study"
)

// lockedBuffer collects a child's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// readResults parses a results.json; a missing file is no results.
func readResults(t *testing.T, path string) ([]study.Result, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var rs []study.Result
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatalf("%s does not parse (%v):\n%s", path, err, b)
	}
	return rs, b
}

// tempFiles lists the atomic writers' temporary files (".NAME.tmp…") under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(d.Name(), ".tmp") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A grid killed with SIGKILL in the middle of its second cell leaves a
// results.json that parses and holds exactly the finished cell; running the
// same command again keeps that cell ("done earlier"), computes the rest and
// ignores leftover temporary files.
func TestGridKilledMidCellResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and trains two tiny grid cells")
	}
	data, err := filepath.Abs(mnistDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "train-images-idx3-ubyte.gz")); err != nil {
		t.Skipf("MNIST not in %s (make data): %v", data, err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "vaeaug")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(tmp, "out")
	resultsPath := filepath.Join(out, "results.json")
	// Two cells (n = 20, then 30) of a few seconds each on this machine.
	args := []string{"grid", "-n", "20,30", "-k", "2", "-arms", "baseline,vae", "-vae-epochs", "1",
		"-max-steps", "6", "-eval-every", "3", "-patience", "2", "-val-size", "50", "-test-size", "50",
		"-data", data, "-out", out}

	// First run: wait for cell 1 in results.json and cell 2 under way, then
	// SIGKILL (no chance to clean up).
	var stderr lockedBuffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			<-exited
		}
	}()
	cell2 := regexp.MustCompile(`\[2/2\] n=30 seed=1 (train|generate|evaluate)`)
	// The deadlines only keep a hung binary from hanging the test; the cells
	// take ~10 s each on an idle 2-core machine, several times that on a
	// loaded one.
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if time.Now().After(deadline) {
			t.Fatalf("cell 2 did not start within 5 min; stderr:\n%s", stderr.String())
		}
		select {
		case err := <-exited:
			killed = true
			t.Fatalf("the grid ended (%v) before it could be killed in cell 2; stderr:\n%s", err, stderr.String())
		default:
		}
		rs, _ := readResults(t, resultsPath)
		if len(rs) >= 1 && cell2.MatchString(stderr.String()) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Let cell 2 get into its training, then kill it.
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	killed = true
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the grid was not killed by SIGKILL (%v): it finished first? stderr:\n%s", err, stderr.String())
	}
	first := stderr.String()
	if strings.Contains(first, "[2/2] n=30 seed=1: finished") {
		t.Fatalf("cell 2 finished before the kill; the test needs longer cells:\n%s", first)
	}

	rs, before := readResults(t, resultsPath)
	if len(rs) != 1 || rs[0].N != 20 || rs[0].Seed != 1 || len(rs[0].Arms) != 2 {
		t.Fatalf("after the kill results.json holds %d runs, want exactly the finished cell n=20: %s", len(rs), before)
	}
	left := tempFiles(t, out)
	t.Logf("after SIGKILL: results.json has cell n=%d; temporary files left: %v", rs[0].N, left)
	// Whatever a kill in the middle of a write may leave (a truncated
	// temporary results file, a half-written weights file), a rerun must
	// ignore and clear: plant both.
	planted := filepath.Join(out, ".results.json.tmp123456")
	if err := os.WriteFile(planted, before[:len(before)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	halfWeights := filepath.Join(out, "weights", ".n30-seed1-baseline.npz.tmp654321")
	if err := os.MkdirAll(filepath.Dir(halfWeights), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(halfWeights, []byte("PK\x03\x04 truncated"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Second run: the same command resumes.
	var stderr2 bytes.Buffer
	cmd2 := exec.Command(bin, args...)
	cmd2.Stdout = io.Discard
	cmd2.Stderr = &stderr2
	done := make(chan error, 1)
	if err := cmd2.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd2.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("rerun: %v\n%s", err, stderr2.String())
		}
	case <-time.After(5 * time.Minute):
		cmd2.Process.Kill()
		<-done
		t.Fatalf("rerun did not finish within 5 min:\n%s", stderr2.String())
	}
	second := stderr2.String()
	if !strings.Contains(second, "[1/2] n=20 seed=1: done earlier") {
		t.Errorf("rerun did not keep cell 1 as done earlier:\n%s", second)
	}
	if regexp.MustCompile(`\[1/2\] n=20 seed=1 (train|generate|evaluate)`).MatchString(second) {
		t.Errorf("rerun recomputed cell 1:\n%s", second)
	}
	if !strings.Contains(second, "[2/2] n=30 seed=1: finished") {
		t.Errorf("rerun did not compute cell 2:\n%s", second)
	}
	final, _ := readResults(t, resultsPath)
	if len(final) != 2 || final[0].N != 20 || final[1].N != 30 {
		t.Fatalf("final results.json: %d runs, want n=20 then n=30", len(final))
	}
	kept, _ := json.Marshal(rs[0])
	now, _ := json.Marshal(final[0])
	if !bytes.Equal(kept, now) {
		t.Errorf("cell 1 changed on resume:\nbefore %s\nafter  %s", kept, now)
	}
	for _, r := range final {
		for _, a := range r.Arms {
			if _, err := os.Stat(filepath.Join(out, a.Weights)); err != nil {
				t.Errorf("n=%d %s: weights %s: %v", r.N, a.Arm, a.Weights, err)
			}
		}
	}
	// The rerun cleared what the kill left (and what was planted) and wrote
	// its own files completely: no temporary file remains.
	if rest := tempFiles(t, out); len(rest) > 0 {
		t.Errorf("temporary files remain after the rerun: %v", rest)
	}
}
