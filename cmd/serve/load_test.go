//go:build load

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Load parameters. Each client fetches what a browser opening the trainer
// fetches, once: the page, its scripts and style sheet, the wasm (brotli and
// identity) and the four MNIST files, loadRequestsPerClient requests in all,
// about 39 MB. 200 clients move about 8 GB over loopback and hash all of
// it, which takes well under a minute on two busy cores.
const (
	loadClients = 200
	// loadDeadline bounds the whole run, build and start-up excluded.
	loadDeadline = 150 * time.Second
)

// loadAsset is one request of a client: the target, the Accept-Encoding
// sent, the Content-Encoding the server must answer with, and the file
// under static/ the body must be (after decoding).
type loadAsset struct {
	kind, target, accept, encoding, file string
}

// loadAssets is the request sequence of one client, in a browser's order.
var loadAssets = func() []loadAsset {
	as := []loadAsset{{"page", "/", "", "", "index.html"}}
	// Scripts and the style sheet ask for gzip, so that the gzip variant
	// of wasm_exec.js is decoded and checked too.
	for _, f := range []string{
		"style.css", "app.js", "settings.js", "charts.js", "gallery.js", "stages.js", "pictures.js", "pad.js",
		"store.js", "trainer.js", "pool.js", "results.js", "worker.js", "simd-imports.js",
	} {
		as = append(as, loadAsset{"js/css", "/" + f, "gzip", "", f})
	}
	as = append(as,
		loadAsset{"js/css", "/gen/wasm_exec.js", "gzip", "gzip", "gen/wasm_exec.js"},
		loadAsset{"wasm-br", "/gen/vaeaug.wasm", "br", "br", "gen/vaeaug.wasm"},
		loadAsset{"wasm", "/gen/vaeaug.wasm", "", "", "gen/vaeaug.wasm"},
	)
	for _, f := range []string{
		"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
		"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
	} {
		// A browser's Accept-Encoding: the data files are sent as
		// they are, never with a Content-Encoding.
		as = append(as, loadAsset{"mnist", "/gen/mnist/" + f, "gzip, deflate, br, zstd", "", "gen/mnist/" + f})
	}
	return as
}()

var loadKinds = []string{"page", "js/css", "wasm-br", "wasm", "mnist"}

// TestLoad builds the real server, starts it on 127.0.0.1 and lets
// loadClients clients load the trainer at once. Every response must be 200
// with the expected Content-Encoding and a body identical to the file on
// disk. It logs latency percentiles per kind of asset, throughput and the
// server's peak memory, and stops the server with SIGINT.
func TestLoad(t *testing.T) {
	siteDir := filepath.Join("..", "..", "static")

	// Expected SHA-256 sums of the files on disk: the original, and the
	// .br as sent (Go has no brotli decoder; see checkBrotli).
	want := map[string][32]byte{}
	for _, a := range loadAssets {
		for _, name := range []string{a.file, a.file + ".br"} {
			if _, ok := want[name]; ok || (name != a.file && a.encoding != "br") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(siteDir, filepath.FromSlash(name)))
			if err != nil {
				t.Fatalf("%v (run make build first)", err)
			}
			want[name] = sha256.Sum256(data)
		}
	}
	checkBrotli(t, filepath.Join(siteDir, "gen", "vaeaug.wasm"))

	// Build and start the server.
	bin := filepath.Join(t.TempDir(), "serve")
	buildStart := time.Now()
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the server in %v", time.Since(buildStart).Round(time.Millisecond))
	logPath := filepath.Join(t.TempDir(), "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-log", "json")
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	waited := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		first := true
		for sc.Scan() {
			if first {
				lines <- sc.Text()
				first = false
			}
		}
		if first {
			close(lines)
		}
		// Wait only once stdout is drained, as StdoutPipe requires.
		waited <- cmd.Wait()
	}()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cmd.Process.Kill() // the server started here, by its PID
			<-waited
		}
	})
	var first string
	select {
	case first = <-lines:
	case <-time.After(60 * time.Second):
		t.Fatal("no start-up line after 60 s")
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`).FindString(first)
	if url == "" {
		logs, _ := os.ReadFile(logPath)
		t.Fatalf("first line of output %q names no URL on 127.0.0.1\n%s", first, logs)
	}
	base := strings.TrimSuffix(url, "/")
	t.Logf("server PID %d at %s", pid, url)

	// Each client has its own transport holding one connection, as a
	// browser tab opening the page would: 200 clients mean 200 connections
	// the server serves at once, however fast it answers. (A shared pool
	// lent idle connections between clients, so on a quick machine fewer
	// were opened and a check on their number failed at random.)
	newClient := func() *http.Client {
		return &http.Client{Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			MaxConnsPerHost:       1,
			MaxIdleConnsPerHost:   1,
			IdleConnTimeout:       30 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			DisableCompression:    true, // Accept-Encoding is set by hand and bodies decoded here
			ForceAttemptHTTP2:     false,
		}}
	}

	var (
		mu        sync.Mutex
		total     = map[string][]time.Duration{} // request to last body byte
		ttfb      = map[string][]time.Duration{} // request to response header
		errs      []string
		nErrs     atomic.Int64
		nReqs     atomic.Int64
		nBytes    atomic.Int64
		nConns    atomic.Int64
		inFlight  atomic.Int64
		maxFlight atomic.Int64
	)
	fail := func(format string, args ...any) {
		nErrs.Add(1)
		mu.Lock()
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
		mu.Unlock()
	}
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if !info.Reused {
			nConns.Add(1)
		}
	}}

	ctx, cancel := context.WithTimeout(context.Background(), loadDeadline)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, trace)
	fetch := func(client *http.Client, a loadAsset) {
		req, err := http.NewRequestWithContext(ctx, "GET", base+a.target, nil)
		if err != nil {
			fail("%s: %v", a.target, err)
			return
		}
		if a.accept != "" {
			req.Header.Set("Accept-Encoding", a.accept)
		}
		nReqs.Add(1)
		flight := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := maxFlight.Load(); flight > m && !maxFlight.CompareAndSwap(m, flight); m = maxFlight.Load() {
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			fail("GET %s (%q): %v", a.target, a.accept, err)
			return
		}
		defer resp.Body.Close()
		header := time.Since(start)
		if resp.StatusCode != 200 {
			fail("GET %s (%q): status %d", a.target, a.accept, resp.StatusCode)
			return
		}
		if got := resp.Header.Get("Content-Encoding"); got != a.encoding {
			fail("GET %s (%q): Content-Encoding %q, want %q", a.target, a.accept, got, a.encoding)
			return
		}
		// Hash the body as it arrives (bodies are not kept: 200 wasm
		// files would take 5 GB), decoding gzip on the way.
		counted := &countingReader{r: resp.Body}
		var body io.Reader = counted
		wantSum := want[a.file]
		switch a.encoding {
		case "gzip":
			zr, err := gzip.NewReader(counted)
			if err != nil {
				fail("GET %s: gzip: %v", a.target, err)
				return
			}
			body = zr
		case "br":
			wantSum = want[a.file+".br"]
		}
		h := sha256.New()
		if _, err := io.Copy(h, body); err != nil {
			fail("GET %s (%q): reading body: %v", a.target, a.accept, err)
			return
		}
		// Read the response to its end (a gzip reader stops at the
		// stream's trailer), or the connection is not kept alive.
		if _, err := io.Copy(io.Discard, counted); err != nil {
			fail("GET %s (%q): reading body: %v", a.target, a.accept, err)
			return
		}
		took := time.Since(start)
		nBytes.Add(counted.n)
		if resp.ContentLength != counted.n {
			fail("GET %s (%q): %d body bytes, Content-Length %d", a.target, a.accept, counted.n, resp.ContentLength)
			return
		}
		if !bytes.Equal(h.Sum(nil), wantSum[:]) {
			fail("GET %s (%q): body differs from %s on disk", a.target, a.accept, a.file)
			return
		}
		mu.Lock()
		total[a.kind] = append(total[a.kind], took)
		ttfb[a.kind] = append(ttfb[a.kind], header)
		mu.Unlock()
	}

	begin := make(chan struct{})
	var wg sync.WaitGroup
	for range loadClients {
		wg.Go(func() {
			client := newClient()
			defer client.CloseIdleConnections()
			<-begin
			for _, a := range loadAssets {
				if ctx.Err() != nil {
					fail("deadline of %v passed", loadDeadline)
					return
				}
				fetch(client, a)
			}
		})
	}
	start := time.Now()
	close(begin)
	wg.Wait()
	elapsed := time.Since(start)

	// Peak memory while the server still runs.
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Errorf("reading the server's memory: %v", err)
	}
	hwm, rss := procField(status, "VmHWM"), procField(status, "VmRSS")

	// Stop the server gracefully, by its PID (the clients closed their
	// idle connections as they finished).
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waited:
		stopped = true
		if err != nil {
			t.Errorf("server exited with %v after SIGINT", err)
		}
	case <-time.After(shutdownTimeout + 10*time.Second):
		t.Fatalf("server still running %v after SIGINT", shutdownTimeout+10*time.Second)
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(logs, []byte(`"msg":"stopped"`)) {
		t.Errorf("server log lacks the clean stop")
	}
	if n := bytes.Count(logs, []byte(`"msg":"request"`)); int64(n) != nReqs.Load() {
		t.Errorf("server logged %d requests, clients sent %d", n, nReqs.Load())
	}

	// Report.
	wantReqs := int64(loadClients * len(loadAssets))
	t.Logf("%d clients × %d requests = %d requests (%d sent), %d errors, %d connections opened, up to %d requests in flight",
		loadClients, len(loadAssets), wantReqs, nReqs.Load(), nErrs.Load(), nConns.Load(), maxFlight.Load())
	t.Logf("%.1f s: %.0f requests/s, %.0f MB received, %.0f MB/s",
		elapsed.Seconds(), float64(nReqs.Load())/elapsed.Seconds(), float64(nBytes.Load())/1e6, float64(nBytes.Load())/1e6/elapsed.Seconds())
	for _, k := range loadKinds {
		t.Logf("%-8s n=%4d  complete p50 %8v p99 %8v   first byte p50 %8v p99 %8v",
			k, len(total[k]), pct(total[k], 50), pct(total[k], 99), pct(ttfb[k], 50), pct(ttfb[k], 99))
	}
	t.Logf("server peak memory VmHWM %s (VmRSS %s at the end)", hwm, rss)

	for _, e := range errs {
		t.Error(e)
	}
	if nErrs.Load() != 0 || nReqs.Load() != wantReqs {
		t.Fatalf("%d errors, %d of %d requests sent", nErrs.Load(), nReqs.Load(), wantReqs)
	}
	// Every client opened its own connection (now and then one is
	// replaced mid-run, hence "at least"), and all of them were in flight
	// together.
	if nConns.Load() < loadClients || maxFlight.Load() < loadClients*9/10 {
		t.Errorf("want %d connections, one per client, all busy at once: %d opened, at most %d requests in flight",
			loadClients, nConns.Load(), maxFlight.Load())
	}
}

// checkBrotli checks once that the .br next to file decompresses to file,
// using Node's zlib (the build's compress.mjs needs Node, and the standard
// library has no brotli decoder). The load test then checks that each brotli
// body is that .br byte for byte.
func checkBrotli(t *testing.T, file string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed to decode %s.br (it also built it): %v", file, err)
	}
	script := `const fs = require("fs"), zlib = require("zlib");
const [f] = process.argv.slice(1);
process.exit(zlib.brotliDecompressSync(fs.readFileSync(f + ".br")).equals(fs.readFileSync(f)) ? 0 : 1);`
	if out, err := exec.Command(node, "-e", script, file).CombinedOutput(); err != nil {
		t.Fatalf("%s.br does not decompress to %s (run scripts/compress.mjs): %v\n%s", file, file, err, out)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// pct returns the p-th percentile of ds (nearest rank), rounded for the log.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i, 1)-1].Round(100 * time.Microsecond)
}

// procField returns the value of a field of /proc/PID/status, e.g. "123 kB".
func procField(status []byte, name string) string {
	for line := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
