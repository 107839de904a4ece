package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"vaeaug/static"
)

// forbidden are bytes that only files outside the site (or hidden in it)
// contain; no response may carry them.
var forbidden = []string{"root:x:0:0", "module vaeaug", "package static", "SECRET"}

// hostileSite writes a site to disk with files worth stealing around it and
// hidden in it, and symbolic links that lead out, and returns the site's
// directory.
func hostileSite(t *testing.T) string {
	t.Helper()
	top := t.TempDir()
	site := filepath.Join(top, "site")
	files := map[string]string{
		"go.mod":                "module vaeaug\n",
		"secret.js":             "var SECRET = 1;",
		"etc/passwd":            "root:x:0:0:root:/root:/bin/bash\n",
		"etc/passwd.txt":        "root:x:0:0:root:/root:/bin/bash\n",
		"site/index.html":       "<!doctype html><title>site</title>",
		"site/app.js":           "import './x.js';",
		"site/embed.go":         "package static // SECRET",
		"site/.env":             "SECRET=1",
		"site/gen/README.md":    "SECRET notes",
		"site/gen/vaeaug.wasm":  string(wasmBytes),
		"site/gen/mnist/a.gz":   "\x1f\x8bdata",
		"site/gen/.x.js.tmp":    "SECRET temp",
		"site/_private/key.txt": "SECRET key",
	}
	for name, data := range files {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"site/up":       top,
		"site/etc":      filepath.Join(top, "etc"),
		"site/gen/s.js": filepath.Join(top, "secret.js"),
	} {
		if err := os.Symlink(target, filepath.Join(top, filepath.FromSlash(link))); err != nil {
			t.Fatalf("symbolic links are needed here: %v", err)
		}
	}
	return site
}

// hostileHandlers returns the handler over the hostile site as -dir serves
// it (live) and indexed once at start-up (static), over the test site, and
// over the real embedded site.
func hostileHandlers(t *testing.T) map[string]http.Handler {
	t.Helper()
	root, err := os.OpenRoot(hostileSite(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	logger := slog.New(slog.DiscardHandler)
	hs := map[string]http.Handler{}
	for name, mk := range map[string]func() (http.Handler, error){
		"disk-live":   func() (http.Handler, error) { return newHandler(static.Assets(root.FS()), logger, true) },
		"disk-static": func() (http.Handler, error) { return newHandler(static.Assets(root.FS()), logger, false) },
		"test-site":   func() (http.Handler, error) { return newHandler(static.Assets(testSite(t)), logger, false) },
		"embedded":    func() (http.Handler, error) { return newHandler(static.FS, logger, false) },
	} {
		h, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		hs[name] = h
	}
	return hs
}

// hostileTargets are request targets that try to leave the site or reach a
// hidden file, in every encoding, with the status the handler must answer.
// Each is valid for net/http's request parser, so each reaches the handler.
var hostileTargets = []struct {
	target string
	status int
}{
	// Plain and percent-encoded dot segments: net/http decodes once, so
	// these arrive as "..", which is refused.
	{"/../go.mod", 400},
	{"/../../../../etc/passwd", 400},
	{"/..%2fgo.mod", 400},
	{"/..%2Fsecret.js", 400},
	{"/%2e%2e/go.mod", 400},
	{"/%2e%2e%2fsecret.js", 400},
	{"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 400},
	{"/%2E%2E%2Fetc%2Fpasswd.txt", 400},
	{"/.%2e/secret.js", 400},
	{"/%2e./secret.js", 400},
	{"/gen/%2e%2e/%2e%2e/go.mod", 400},
	{"/gen/mnist/..%2f..%2f..%2fsecret.js", 400},
	{"/gen/vaeaug.wasm%2f..%2f..%2f..%2fsecret.js", 400},
	{"/%2e/index.html", 400},
	{"/gen/..", 400},
	// Double (and triple) encoding: a "%" is left after one decoding.
	{"/%252e%252e/go.mod", 400},
	{"/%252e%252e%252fsecret.js", 400},
	{"/%25252e%25252e/secret.js", 400},
	{"/..%255csecret.js", 400},
	// Backslashes, raw and encoded: a separator on Windows.
	{`/..\secret.js`, 400},
	{`/gen\..\..\secret.js`, 400},
	{"/..%5csecret.js", 400},
	{"/%5c%5c..%5csecret.js", 400},
	{"/%5cetc%5cpasswd.txt", 400},
	{"/C:%5cWindows%5cwin.ini", 400},
	// Absolute paths, raw and encoded.
	{"//etc/passwd", 404},
	{"///etc/passwd.txt", 404},
	{"/%2fetc%2fpasswd.txt", 404},
	{"/etc/passwd", 404},
	{"/etc/passwd.txt", 404}, // site/etc is a symbolic link out of the site
	{"/up/secret.js", 404},
	{"/gen/s.js", 404},
	{"/C:/Windows/win.ini", 404},
	{"/proc/self/environ", 404},
	// NUL and other control bytes.
	{"/%00", 400},
	{"/index.html%00", 400},
	{"/index.html%00.js", 400},
	{"/gen/%00/../secret.js", 400},
	{"/index.html%0d%0aSet-Cookie:%20x=1", 400},
	{"/index.html%09", 400},
	{"/index.html%7f", 400},
	// Overlong and other invalid UTF-8 for "." and "/", and look-alikes:
	// never decoded to dots, and not valid names either.
	{"/%c0%ae%c0%ae/secret.js", 404},
	{"/%c0%ae%c0%ae%c0%afsecret.js", 404},
	{"/..%c0%afsecret.js", 404},
	{"/..%c1%9csecret.js", 404},
	{"/%e0%80%ae%e0%80%ae/secret.js", 404},
	{"/%f0%80%80%ae%f0%80%80%ae/secret.js", 404},
	{"/%ef%bc%8e%ef%bc%8e/secret.js", 404}, // fullwidth full stops
	{"/index.html%ff", 404},
	// Hidden files inside the site.
	{"/embed.go", 404},
	{"/.env", 404},
	{"/%2eenv", 404},
	{"/gen/README.md", 404},
	{"/gen/.x.js.tmp", 404},
	{"/_private/key.txt", 404},
	{"/gen/", 404},
	{"/up/", 404},
	// Absolute-form request target: the path is what counts.
	{"http://127.0.0.1/../secret.js", 400},
	{"http://127.0.0.1/%2e%2e/secret.js", 400},
}

// checkNoLeak fails if body holds anything from outside the site.
func checkNoLeak(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, s := range forbidden {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("%s: body contains %q: %.120q", what, s, body)
		}
	}
}

// TestHostileTargets sends every hostile target, GET and HEAD, to the
// handler over a site on disk (live and static), the test site and the
// embedded site: each is refused with exactly the expected status, with the
// security headers, and with nothing from outside the site in the body.
func TestHostileTargets(t *testing.T) {
	for name, h := range hostileHandlers(t) {
		for _, tc := range hostileTargets {
			for _, method := range []string{"GET", "HEAD"} {
				w := do(h, method, tc.target, nil)
				what := fmt.Sprintf("%s: %s %.60s", name, method, tc.target)
				if w.Code != tc.status {
					t.Errorf("%s: status %d, want %d", what, w.Code, tc.status)
				}
				checkSecurityHeaders(t, what, w.Header())
				checkNoLeak(t, what, w.Body.Bytes())
				if method == "HEAD" && w.Body.Len() != 0 {
					t.Errorf("%s: %d body bytes", what, w.Body.Len())
				}
			}
		}
	}
}

// TestHostileTargetsOverTCP sends the hostile targets as raw request lines
// on a real connection, so that nothing in a client normalises them, to the
// handler over the site on disk.
func TestHostileTargetsOverTCP(t *testing.T) {
	hs := hostileHandlers(t)
	for _, name := range []string{"disk-live", "embedded"} {
		srv := httptest.NewServer(hs[name])
		addr := srv.Listener.Addr().String()
		for _, tc := range hostileTargets {
			resp, body := rawGet(t, addr, tc.target)
			what := fmt.Sprintf("%s: GET %.60s over TCP", name, tc.target)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: status %d, want %d", what, resp.StatusCode, tc.status)
			}
			checkSecurityHeaders(t, what, resp.Header)
			checkNoLeak(t, what, body)
		}
		srv.Close()
	}
}

// TestMalformedRequestsOverTCP sends requests that net/http's own parser
// refuses before the handler sees them, or that only a raw connection can
// send, to the real server that run starts with its production limits.
func TestMalformedRequestsOverTCP(t *testing.T) {
	url, stop, _, _ := startRun(t)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	const hostClose = "Host: 127.0.0.1\r\nConnection: close\r\n"
	longURL := "/" + strings.Repeat("a", 100<<10)
	for _, tc := range []struct {
		name, req string
		status    int
		ours      bool // answered by our handler, so with the security headers
	}{
		// Past MaxHeaderBytes net/http answers 431 itself.
		{"100 KB URL", "GET " + longURL + " HTTP/1.1\r\n" + hostClose + "\r\n", 431, false},
		{"100 KB traversal", "GET /" + strings.Repeat("..%2f", 20<<10) + "etc/passwd HTTP/1.1\r\n" + hostClose + "\r\n", 431, false},
		{"100 KB header", "GET / HTTP/1.1\r\n" + hostClose + "X-Big: " + strings.Repeat("y", 100<<10) + "\r\n\r\n", 431, false},
		{"5000 headers", "GET / HTTP/1.1\r\n" + hostClose + strings.Repeat("X-A: b\r\n", 5000) + "\r\n", 431, false},
		{"100 KB cookie", "GET / HTTP/1.1\r\n" + hostClose + "Cookie: a=" + strings.Repeat("c", 100<<10) + "\r\n\r\n", 431, false},
		// Below MaxHeaderBytes, long URLs are our 414.
		{"8 KB URL", "GET /" + strings.Repeat("a", 8<<10) + " HTTP/1.1\r\n" + hostClose + "\r\n", 414, true},
		{"URL at the limit", "GET /" + strings.Repeat("a", maxURLBytes-1) + " HTTP/1.1\r\n" + hostClose + "\r\n", 404, true},
		{"URL past the limit", "GET /" + strings.Repeat("a", maxURLBytes) + " HTTP/1.1\r\n" + hostClose + "\r\n", 414, true},
		// A long header that fits is served.
		{"16 KB cookie", "GET / HTTP/1.1\r\n" + hostClose + "Cookie: a=" + strings.Repeat("c", 16<<10) + "\r\n\r\n", 200, true},
		// What net/http refuses with 400 before routing.
		{"raw NUL", "GET /index.html\x00.js HTTP/1.1\r\n" + hostClose + "\r\n", 400, false},
		{"raw CR in target", "GET /a\rb HTTP/1.1\r\n" + hostClose + "\r\n", 400, false},
		{"bad escape", "GET /%u002e%u002e/go.mod HTTP/1.1\r\n" + hostClose + "\r\n", 400, false},
		{"truncated escape", "GET /%2 HTTP/1.1\r\n" + hostClose + "\r\n", 400, false},
		{"relative target", "GET ../go.mod HTTP/1.1\r\n" + hostClose + "\r\n", 400, false},
		{"no Host", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 400, false},
		{"two Hosts", "GET / HTTP/1.1\r\n" + hostClose + "Host: evil\r\n\r\n", 400, false},
		{"bad header name", "GET / HTTP/1.1\r\n" + hostClose + "Bad Header: x\r\n\r\n", 400, false},
		{"bad protocol", "GET / HTTP/9.9\r\n" + hostClose + "\r\n", 505, false},
		{"space in target", "GET /a b HTTP/1.1\r\n" + hostClose + "\r\n", 400, false},
		// Methods other than GET and HEAD: our 405 with Allow.
		{"POST", "POST / HTTP/1.1\r\n" + hostClose + "Content-Length: 3\r\n\r\nabc", 405, true},
		{"PUT", "PUT /index.html HTTP/1.1\r\n" + hostClose + "Content-Length: 0\r\n\r\n", 405, true},
		{"DELETE", "DELETE /index.html HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"PATCH", "PATCH / HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"TRACE", "TRACE / HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"OPTIONS", "OPTIONS / HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"CONNECT", "CONNECT 127.0.0.1:443 HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"PROPFIND", "PROPFIND / HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"lower-case get", "get / HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		{"POST traversal", "POST /../../etc/passwd HTTP/1.1\r\n" + hostClose + "\r\n", 405, true},
		// HTTP/1.0 still works, and gets the same refusals.
		{"HTTP/1.0 GET", "GET / HTTP/1.0\r\n\r\n", 200, true},
		{"HTTP/1.0 traversal", "GET /..%2f..%2fetc/passwd HTTP/1.0\r\n\r\n", 400, true},
	} {
		resp, body := rawExchange(t, addr, tc.req)
		what := tc.name
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", what, resp.StatusCode, tc.status)
		}
		if tc.ours {
			checkSecurityHeaders(t, what, resp.Header)
		}
		if tc.status == 405 {
			if got := resp.Header.Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s: Allow %q, want GET, HEAD", what, got)
			}
			if bytes.Contains(bytes.ToLower(body), []byte("<!doctype")) {
				t.Errorf("%s: the page was sent", what)
			}
		}
		checkNoLeak(t, what, body)
	}
}

// rawExchange writes req on a new connection to addr and returns the
// response and as much of its body as arrives.
func rawExchange(t *testing.T, addr, req string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	// The server may answer and close before reading all of a request it
	// refuses, so a write error is not a failure; the response decides.
	go io.WriteString(conn, req)
	method, _, _ := strings.Cut(req, " ")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%.40q: %v", req, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

// TestRangeAndConditionalRequests checks range and conditional requests
// beyond TestRange and TestETag: each status, the bytes of each range, and
// the security headers on every one of them.
func TestRangeAndConditionalRequests(t *testing.T) {
	h, _ := newTestHandler(t)
	const target = "/gen/vaeaug.wasm"
	n := len(wasmBytes)
	etag := do(h, "GET", target, nil).Header().Get("ETag")
	brETag := do(h, "GET", target, map[string]string{"Accept-Encoding": "br"}).Header().Get("ETag")
	for _, tc := range []struct {
		method string
		header map[string]string
		status int
		body   []byte // nil: not checked
		crange string // Content-Range, "" not checked
	}{
		{"GET", map[string]string{"Range": "bytes=0-0"}, 206, wasmBytes[:1], fmt.Sprintf("bytes 0-0/%d", n)},
		{"GET", map[string]string{"Range": "bytes=-16"}, 206, wasmBytes[n-16:], fmt.Sprintf("bytes %d-%d/%d", n-16, n-1, n)},
		{"GET", map[string]string{"Range": "bytes=100-"}, 206, wasmBytes[100:], fmt.Sprintf("bytes 100-%d/%d", n-1, n)},
		{"GET", map[string]string{"Range": fmt.Sprintf("bytes=%d-%d", n-2, n+1000)}, 206, wasmBytes[n-2:], fmt.Sprintf("bytes %d-%d/%d", n-2, n-1, n)},
		{"GET", map[string]string{"Range": "bytes=0-1,4-5"}, 206, nil, ""},
		{"HEAD", map[string]string{"Range": "bytes=0-9"}, 206, []byte{}, fmt.Sprintf("bytes 0-9/%d", n)},
		{"GET", map[string]string{"Accept-Encoding": "br", "Range": "bytes=2-5"}, 206, brBytes[2:6], fmt.Sprintf("bytes 2-5/%d", len(brBytes))},
		// Unsatisfiable and malformed ranges.
		{"GET", map[string]string{"Range": fmt.Sprintf("bytes=%d-", n)}, 416, nil, fmt.Sprintf("bytes */%d", n)},
		{"GET", map[string]string{"Range": "bytes=99999999-"}, 416, nil, fmt.Sprintf("bytes */%d", n)},
		{"GET", map[string]string{"Range": "bytes=5-2"}, 416, nil, ""},
		{"GET", map[string]string{"Range": "bytes=abc"}, 416, nil, ""},
		{"GET", map[string]string{"Range": "bytes=--1"}, 416, nil, ""},
		// (ServeContent writes an error body for HEAD too, which a real
		// connection drops; the recorder keeps it, so it is not checked.)
		{"HEAD", map[string]string{"Range": fmt.Sprintf("bytes=%d-", n)}, 416, nil, fmt.Sprintf("bytes */%d", n)},
		// If-Range: only the current strong ETag keeps the range; a date
		// never matches, as there is no Last-Modified.
		{"GET", map[string]string{"Range": "bytes=0-3", "If-Range": etag}, 206, wasmBytes[:4], ""},
		{"GET", map[string]string{"Range": "bytes=0-3", "If-Range": `"stale"`}, 200, wasmBytes, ""},
		{"GET", map[string]string{"Range": "bytes=0-3", "If-Range": "W/" + etag}, 200, wasmBytes, ""},
		{"GET", map[string]string{"Range": "bytes=0-3", "If-Range": brETag}, 200, wasmBytes, ""},
		{"GET", map[string]string{"Range": "bytes=0-3", "If-Range": time.Now().UTC().Format(http.TimeFormat)}, 200, wasmBytes, ""},
		// If-None-Match: its ETag, weakly compared, or "*" gives 304,
		// also when a range is asked for.
		{"GET", map[string]string{"If-None-Match": etag}, 304, []byte{}, ""},
		{"HEAD", map[string]string{"If-None-Match": etag}, 304, []byte{}, ""},
		{"GET", map[string]string{"If-None-Match": "W/" + etag}, 304, []byte{}, ""},
		{"GET", map[string]string{"If-None-Match": "*"}, 304, []byte{}, ""},
		{"GET", map[string]string{"If-None-Match": etag, "Range": "bytes=0-3"}, 304, []byte{}, ""},
		{"GET", map[string]string{"If-None-Match": `"stale"`}, 200, wasmBytes, ""},
		{"GET", map[string]string{"If-None-Match": brETag}, 200, wasmBytes, ""},
		// If-Modified-Since is ignored: there is no Last-Modified.
		{"GET", map[string]string{"If-Modified-Since": time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}, 200, wasmBytes, ""},
		// If-Match.
		{"GET", map[string]string{"If-Match": etag}, 200, wasmBytes, ""},
		{"GET", map[string]string{"If-Match": "*"}, 200, wasmBytes, ""},
		{"GET", map[string]string{"If-Match": `"stale"`}, 412, nil, ""},
		{"GET", map[string]string{"If-Match": "W/" + etag}, 412, nil, ""},
	} {
		w := do(h, tc.method, target, tc.header)
		what := fmt.Sprintf("%s %v", tc.method, tc.header)
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", what, w.Code, tc.status)
		}
		checkSecurityHeaders(t, what, w.Header())
		if tc.body != nil && !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("%s: body of %d bytes, want %d", what, w.Body.Len(), len(tc.body))
		}
		if tc.crange != "" && w.Header().Get("Content-Range") != tc.crange {
			t.Errorf("%s: Content-Range %q, want %q", what, w.Header().Get("Content-Range"), tc.crange)
		}
		switch tc.status {
		case 200, 206, 304:
			if got := w.Header().Get("ETag"); got == "" {
				t.Errorf("%s: no ETag", what)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-cache" {
				t.Errorf("%s: Cache-Control %q", what, got)
			}
		}
	}
}

// TestSecurityHeadersOnHEADErrors covers the error statuses for HEAD, which
// httpError writes by another path than for GET.
func TestSecurityHeadersOnHEADErrors(t *testing.T) {
	h, _ := newTestHandler(t)
	for _, tc := range []struct {
		target string
		header map[string]string
		status int
	}{
		{"/nope", nil, 404},
		{"/..%2fgo.mod", nil, 400},
		{"/" + strings.Repeat("a", maxURLBytes), nil, 414},
		{"/", map[string]string{"If-Match": `"x"`}, 412},
		{"/", map[string]string{"If-None-Match": "*"}, 304},
	} {
		w := do(h, "HEAD", tc.target, tc.header)
		what := fmt.Sprintf("HEAD %.40s %v", tc.target, tc.header)
		if w.Code != tc.status || w.Body.Len() != 0 {
			t.Errorf("%s: status %d with %d body bytes, want %d and none", what, w.Code, w.Body.Len(), tc.status)
		}
		checkSecurityHeaders(t, what, w.Header())
	}
}

// testLimits are short timeouts so that the slow-client tests take about a
// second. ReadTimeout is the longest of the read-side ones, because net/http
// falls back on it when ReadHeaderTimeout or IdleTimeout is zero: a closing
// well before it shows that the specific timeout did its job.
var testLimits = limits{
	readHeaderTimeout: 300 * time.Millisecond,
	readTimeout:       1500 * time.Millisecond,
	writeTimeout:      500 * time.Millisecond,
	idleTimeout:       300 * time.Millisecond,
	maxHeaderBytes:    maxHeaderBytes,
}

// startLimited serves h with limits l on a free loopback port until the test
// ends, through serve as the command does.
func startLimited(t *testing.T, h http.Handler, l limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- serve(ctx, nil, newServerWith(h, logger, l), ln, logger) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestSlowHeader dribbles a request header one byte at a time: the server
// closes the connection once ReadHeaderTimeout has passed, without an
// answer and long before the header is complete.
func TestSlowHeader(t *testing.T) {
	h, _ := newTestHandler(t)
	addr := startLimited(t, h, testLimits)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + strings.Repeat("s", 200) + "\r\n\r\n"
	const perByte = 20 * time.Millisecond // the whole header would take 5 s
	start := time.Now()
	closed := make(chan time.Duration, 1)
	var reply []byte
	go func() {
		reply, _ = io.ReadAll(conn)
		closed <- time.Since(start)
	}()
	sent := 0
	var took time.Duration
	deadline := time.After(3 * time.Second)
dribble:
	for sent < len(req) {
		select {
		case took = <-closed:
			break dribble
		case <-deadline:
			t.Fatalf("connection still open after 3 s and %d of %d bytes", sent, len(req))
		case <-time.After(perByte):
		}
		if _, err := conn.Write([]byte{req[sent]}); err != nil {
			took = <-closed
			break
		}
		sent++
	}
	if sent == len(req) {
		t.Fatalf("the whole header (%d bytes) was sent before the server closed the connection", sent)
	}
	// net/http either closes silently or, when the deadline cuts a header
	// line in two, answers 400 and closes; it must never serve the page.
	if len(reply) != 0 && !bytes.HasPrefix(reply, []byte("HTTP/1.1 400 ")) && !bytes.HasPrefix(reply, []byte("HTTP/1.1 408 ")) {
		t.Errorf("server answered a request it never got: %.80q", reply)
	}
	if took < testLimits.readHeaderTimeout-50*time.Millisecond || took > time.Second {
		t.Errorf("connection closed after %v, want about ReadHeaderTimeout %v", took, testLimits.readHeaderTimeout)
	}
	t.Logf("closed after %v and %d of %d header bytes", took.Round(time.Millisecond), sent, len(req))
}

// TestIdleConnection checks that a keep-alive connection left idle is closed
// after IdleTimeout.
func TestIdleConnection(t *testing.T) {
	h, _ := newTestHandler(t)
	addr := startLimited(t, h, testLimits)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("status %d, close %v: want a kept-alive 200", resp.StatusCode, resp.Close)
	}
	start := time.Now()
	n, err := br.Read(make([]byte, 1))
	took := time.Since(start)
	if n != 0 || err == nil {
		t.Fatalf("read %d bytes, %v: want the connection closed", n, err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("idle connection still open after %v", took)
	}
	if took < testLimits.idleTimeout-50*time.Millisecond || took > time.Second {
		t.Errorf("idle connection closed after %v, want about %v", took, testLimits.idleTimeout)
	}
}

// TestSlowReader asks for a large file and does not read it: once
// WriteTimeout has passed the server gives up and closes the connection, so
// the client gets only what the socket buffers held.
func TestSlowReader(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MiB
	site := fstest.MapFS{
		"index.html":   {Data: []byte("<!doctype html>")},
		"gen/big.wasm": {Data: big},
	}
	h, err := newHandler(static.Assets(site), slog.New(slog.DiscardHandler), false)
	if err != nil {
		t.Fatal(err)
	}
	addr := startLimited(t, h, testLimits)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A small fixed receive buffer keeps the kernel from taking the file.
	if err := conn.(*net.TCPConn).SetReadBuffer(64 << 10); err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET /gen/big.wasm HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	time.Sleep(3 * testLimits.writeTimeout)
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if err == nil || n >= int64(len(big)) {
		t.Errorf("slow reader got %d of %d bytes, err %v: want the response cut off", n, len(big), err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("connection not closed by the server (client deadline hit after %v)", time.Since(start))
	}
	t.Logf("slow reader got %d of %d bytes before the server closed: %v", n, len(big), err)
}

// TestDefaultAddr checks that the server listens on loopback only unless
// told otherwise, as parsed and as -h tells the user.
func TestDefaultAddr(t *testing.T) {
	opts, err := parseArgs(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if opts.addr != "127.0.0.1:8080" {
		t.Errorf("default -addr %q, want 127.0.0.1:8080", opts.addr)
	}
	host, _, err := net.SplitHostPort(opts.addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		t.Errorf("default -addr %q is not a loopback address", opts.addr)
	}
	if opts, err := parseArgs([]string{"-addr", ":9000"}, io.Discard); err != nil || opts.addr != ":9000" {
		t.Errorf("-addr :9000 parsed as %q, %v", opts.addr, err)
	}
	var usage bytes.Buffer
	if err := run(context.Background(), nil, []string{"-h"}, io.Discard, &usage, nil); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	if !strings.Contains(usage.String(), `(default "127.0.0.1:8080")`) {
		t.Errorf("usage does not show the default address:\n%s", usage.String())
	}
}
