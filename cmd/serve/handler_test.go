package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
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

// wasmBytes stands in for the wasm: compressible, and long enough that
// ranges and lengths are not trivially right.
var wasmBytes = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("0123456789abcdef"), 512)...)

// brBytes stands in for a brotli file: Go's standard library has no brotli
// encoder, and the server never looks inside the variants anyway.
var brBytes = []byte("not really brotli, but the bytes the server must send")

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// testSite is a site laid out like static/ after a build, plus files that
// must never be served.
func testSite(t testing.TB) fstest.MapFS {
	f := func(b []byte) *fstest.MapFile { return &fstest.MapFile{Data: b, Mode: 0o644} }
	s := func(s string) *fstest.MapFile { return f([]byte(s)) }
	return fstest.MapFS{
		"index.html":                           s("<!doctype html><title>vaeaug</title>"),
		"app.js":                               s("import './x.js';"),
		"worker.js":                            s("importScripts('gen/wasm_exec.js');"),
		"style.css":                            s("body{margin:0}"),
		"embed.go":                             s("package static // secret"),
		"notes.bin":                            s("an unknown extension"),
		".env":                                 s("SECRET=1"),
		"gen/README.md":                        s("# build outputs"),
		"gen/vaeaug.wasm":                      f(wasmBytes),
		"gen/vaeaug.wasm.gz":                   f(gz(t, wasmBytes)),
		"gen/vaeaug.wasm.br":                   f(brBytes),
		"gen/wasm_exec.js":                     s("\"use strict\"; // wasm_exec"),
		"gen/wasm_exec.js.gz":                  f(gz(t, []byte("\"use strict\"; // wasm_exec"))),
		"gen/.vaeaug.wasm.br.tmp.123":          s("half-written"),
		"gen/mnist/t10k-labels-idx1-ubyte.gz":  f(gz(t, []byte("\x00\x00\x08\x01labels"))),
		"gen/mnist/train-labels-idx1-ubyte.gz": f(gz(t, []byte("\x00\x00\x08\x01more labels"))),
		"gen/vendor/chart.umd.js":              s("/* chart */"),
	}
}

// newTestHandler returns the handler over the test site as static.FS would
// present it, and the buffer that receives its JSON access log.
func newTestHandler(t testing.TB) (http.Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	h, err := newHandler(static.Assets(testSite(t)), slog.New(slog.NewJSONHandler(&logs, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	return h, &logs
}

// do sends one request to h and returns the recorded response.
func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for _, kv := range securityHeaders {
		if got := h.Values(kv[0]); len(got) != 1 || got[0] != kv[1] {
			t.Errorf("%s: %s = %q, want %q", what, kv[0], got, kv[1])
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h, _ := newTestHandler(t)
	etag := do(h, "GET", "/", nil).Header().Get("ETag")
	for _, tc := range []struct {
		method, target string
		header         map[string]string
		status         int
	}{
		{"GET", "/", nil, 200},
		{"GET", "/index.html", nil, 200},
		{"HEAD", "/", nil, 200},
		{"GET", "/", map[string]string{"If-None-Match": etag}, 304},
		{"GET", "/gen/vaeaug.wasm", map[string]string{"Range": "bytes=0-9"}, 206},
		{"GET", "/gen/vaeaug.wasm", map[string]string{"Range": "bytes=99999-"}, 416},
		{"GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": "br"}, 200},
		{"GET", "/", map[string]string{"If-Match": `"other"`}, 412},
		{"GET", "/nope", nil, 404},
		{"GET", "/gen/", nil, 404},
		{"GET", "/../go.mod", nil, 400},
		{"GET", "/" + strings.Repeat("a", maxURLBytes), nil, 414},
		{"POST", "/", nil, 405},
		{"OPTIONS", "/", nil, 405},
	} {
		w := do(h, tc.method, tc.target, tc.header)
		what := fmt.Sprintf("%s %.40s %v", tc.method, tc.target, tc.header)
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", what, w.Code, tc.status)
		}
		checkSecurityHeaders(t, what, w.Header())
		if tc.status == 200 || tc.status == 206 || tc.status == 304 {
			if got := w.Header().Get("Cache-Control"); got != "no-cache" {
				t.Errorf("%s: Cache-Control = %q, want no-cache", what, got)
			}
		}
	}
}

func TestMIMETypes(t *testing.T) {
	h, _ := newTestHandler(t)
	for target, want := range map[string]string{
		"/":                                    "text/html; charset=utf-8",
		"/index.html":                          "text/html; charset=utf-8",
		"/app.js":                              "text/javascript; charset=utf-8",
		"/gen/wasm_exec.js":                    "text/javascript; charset=utf-8",
		"/gen/vendor/chart.umd.js":             "text/javascript; charset=utf-8",
		"/style.css":                           "text/css; charset=utf-8",
		"/gen/vaeaug.wasm":                     "application/wasm",
		"/gen/mnist/t10k-labels-idx1-ubyte.gz": "application/gzip",
	} {
		// Accept-Encoding must not change the type, nor turn the MNIST
		// files into a Content-Encoding: they are data the page unpacks.
		for _, ae := range []string{"", "gzip, deflate, br, zstd"} {
			w := do(h, "GET", target, map[string]string{"Accept-Encoding": ae})
			if w.Code != 200 {
				t.Errorf("GET %s (%q): status %d", target, ae, w.Code)
				continue
			}
			if got := w.Header().Get("Content-Type"); got != want {
				t.Errorf("GET %s (%q): Content-Type %q, want %q", target, ae, got, want)
			}
		}
	}
	w := do(h, "GET", "/gen/mnist/t10k-labels-idx1-ubyte.gz", map[string]string{"Accept-Encoding": "gzip"})
	if ce, vary := w.Header().Get("Content-Encoding"), w.Header().Get("Vary"); ce != "" || vary != "" {
		t.Errorf("MNIST data: Content-Encoding %q, Vary %q; want neither", ce, vary)
	}
	if !bytes.Equal(w.Body.Bytes(), testSite(t)["gen/mnist/t10k-labels-idx1-ubyte.gz"].Data) {
		t.Error("MNIST data: body differs from the file")
	}
}

func TestEncodingNegotiation(t *testing.T) {
	h, _ := newTestHandler(t)
	site := testSite(t)
	for _, tc := range []struct {
		accept string
		want   string // Content-Encoding
	}{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br, zstd", "br"}, // Chromium
		{"gzip, deflate, br", "br"},       // Firefox
		{"GZIP;Q=0.5", "gzip"},
		{"*", "br"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0, *", "gzip"},
		{"gzip;q=0", ""},
		{"br;q=0,gzip;q=0", ""},
		{"*;q=0", ""},
		{"*;q=0, gzip", "gzip"},
		{"br;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0.8, gzip;q=0.8", "br"},
		{"br;q=bogus, gzip", "gzip"},
		{"br;q=NaN", ""},
		{"br;q=2", ""},
		{"deflate, zstd", ""},
	} {
		w := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": tc.accept})
		hdr := w.Header()
		what := fmt.Sprintf("Accept-Encoding %q", tc.accept)
		if w.Code != 200 {
			t.Fatalf("%s: status %d", what, w.Code)
		}
		if got := hdr.Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s: Content-Encoding %q, want %q", what, got, tc.want)
		}
		want := map[string][]byte{"": wasmBytes, "gzip": site["gen/vaeaug.wasm.gz"].Data, "br": brBytes}[tc.want]
		if !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("%s: body is not the %q file", what, tc.want)
		}
		if got := hdr.Get("Content-Length"); got != fmt.Sprint(len(want)) {
			t.Errorf("%s: Content-Length %q, want %d", what, got, len(want))
		}
		if got := hdr.Get("Content-Type"); got != "application/wasm" {
			t.Errorf("%s: Content-Type %q", what, got)
		}
		if got := hdr.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("%s: Vary %q, want Accept-Encoding", what, got)
		}
	}
	// wasm_exec.js has only a gzip variant: br falls back to it.
	w := do(h, "GET", "/gen/wasm_exec.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if got := w.Header().Get("Content-Encoding"); got != "gzip" {
		t.Errorf("wasm_exec.js: Content-Encoding %q, want gzip", got)
	}
	// app.js has no variant: no Vary, whatever the client accepts.
	w = do(h, "GET", "/app.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if ce, vary := w.Header().Get("Content-Encoding"), w.Header().Get("Vary"); ce != "" || vary != "" {
		t.Errorf("app.js: Content-Encoding %q, Vary %q; want neither", ce, vary)
	}
}

func TestETag(t *testing.T) {
	h, _ := newTestHandler(t)
	tags := map[string]bool{}
	for _, ae := range []string{"", "gzip", "br"} {
		w := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae})
		etag := w.Header().Get("ETag")
		if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") || len(etag) < 10 {
			t.Fatalf("%q: ETag %q is not a strong ETag", ae, etag)
		}
		tags[etag] = true

		w = do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae, "If-None-Match": etag})
		if w.Code != 304 || w.Body.Len() != 0 {
			t.Errorf("%q: If-None-Match with its ETag: status %d, %d body bytes; want 304, none", ae, w.Code, w.Body.Len())
		}
		hdr := w.Header()
		if hdr.Get("ETag") != etag || hdr.Get("Cache-Control") != "no-cache" {
			t.Errorf("%q: 304 has ETag %q, Cache-Control %q", ae, hdr.Get("ETag"), hdr.Get("Cache-Control"))
		}
		if ae != "" && hdr.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%q: 304 has no Vary", ae)
		}
		if hdr.Get("Content-Encoding") != "" || hdr.Get("Content-Length") != "" {
			t.Errorf("%q: 304 carries Content-Encoding %q, Content-Length %q", ae, hdr.Get("Content-Encoding"), hdr.Get("Content-Length"))
		}

		w = do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae, "If-None-Match": `"stale", ` + etag})
		if w.Code != 304 {
			t.Errorf("%q: If-None-Match with a list holding its ETag: status %d, want 304", ae, w.Code)
		}
		w = do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae, "If-None-Match": `"stale"`})
		if w.Code != 200 {
			t.Errorf("%q: If-None-Match with another ETag: status %d, want 200", ae, w.Code)
		}
	}
	if len(tags) != 3 {
		t.Errorf("the three representations share ETags: %v", tags)
	}
	// A client that cached the identity file and now accepts br must get
	// the br bytes, not a 304 for bytes it does not have.
	identity := do(h, "GET", "/gen/vaeaug.wasm", nil).Header().Get("ETag")
	w := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": identity})
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "br" {
		t.Errorf("identity ETag with br accepted: status %d, encoding %q; want 200 br", w.Code, w.Header().Get("Content-Encoding"))
	}
	// The ETag depends on the bytes only.
	other := testSite(t)
	other["index.html"] = &fstest.MapFile{Data: []byte("<!doctype html><title>changed</title>")}
	h2, err := newHandler(static.Assets(other), slog.New(slog.DiscardHandler), false)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := do(h, "GET", "/", nil).Header().Get("ETag"), do(h2, "GET", "/", nil).Header().Get("ETag"); a == b {
		t.Errorf("changed index.html kept its ETag %s", a)
	}
	if a, b := do(h, "GET", "/app.js", nil).Header().Get("ETag"), do(h2, "GET", "/app.js", nil).Header().Get("ETag"); a != b {
		t.Errorf("unchanged app.js changed its ETag: %s, %s", a, b)
	}
}

func TestHead(t *testing.T) {
	h, _ := newTestHandler(t)
	for _, ae := range []string{"", "br"} {
		get := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae})
		head := do(h, "HEAD", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae})
		if head.Code != 200 || head.Body.Len() != 0 {
			t.Errorf("HEAD (%q): status %d, %d body bytes; want 200 and none", ae, head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Vary", "Cache-Control", "Accept-Ranges"} {
			if g, hd := get.Header().Get(k), head.Header().Get(k); g != hd {
				t.Errorf("HEAD (%q): %s = %q, GET has %q", ae, k, hd, g)
			}
		}
		if head.Header().Get("Content-Length") == "" {
			t.Errorf("HEAD (%q): no Content-Length", ae)
		}
		checkSecurityHeaders(t, "HEAD", head.Header())
	}
}

func TestRange(t *testing.T) {
	h, _ := newTestHandler(t)
	site := testSite(t)
	for _, tc := range []struct {
		accept string
		full   []byte
	}{
		{"", wasmBytes},
		{"gzip", site["gen/vaeaug.wasm.gz"].Data},
		{"br", brBytes},
	} {
		w := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": tc.accept, "Range": "bytes=4-11"})
		if w.Code != 206 {
			t.Fatalf("%q: status %d, want 206", tc.accept, w.Code)
		}
		hdr := w.Header()
		if got, want := hdr.Get("Content-Range"), fmt.Sprintf("bytes 4-11/%d", len(tc.full)); got != want {
			t.Errorf("%q: Content-Range %q, want %q", tc.accept, got, want)
		}
		if !bytes.Equal(w.Body.Bytes(), tc.full[4:12]) || hdr.Get("Content-Length") != "8" {
			t.Errorf("%q: body %q (Content-Length %s), want %q", tc.accept, w.Body.Bytes(), hdr.Get("Content-Length"), tc.full[4:12])
		}
		if tc.accept != "" && hdr.Get("Content-Encoding") != tc.accept {
			t.Errorf("%q: a range of the variant lost its Content-Encoding", tc.accept)
		}
		// If-Range with the right ETag keeps the range, with another
		// (the client holds other bytes) returns the whole file.
		etag := hdr.Get("ETag")
		w = do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": tc.accept, "Range": "bytes=4-11", "If-Range": etag})
		if w.Code != 206 {
			t.Errorf("%q: If-Range with its ETag: status %d, want 206", tc.accept, w.Code)
		}
		w = do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": tc.accept, "Range": "bytes=4-11", "If-Range": `"other"`})
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), tc.full) {
			t.Errorf("%q: If-Range with another ETag: status %d, want 200 and the whole file", tc.accept, w.Code)
		}
	}
	w := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Range": "bytes=0-1,4-5"})
	if w.Code != 206 || !strings.HasPrefix(w.Header().Get("Content-Type"), "multipart/byteranges") {
		t.Errorf("two ranges: status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	w = do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": "br", "Range": "bytes=99999-"})
	if w.Code != 416 || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("unsatisfiable range: status %d, Content-Encoding %q; want 416 without", w.Code, w.Header().Get("Content-Encoding"))
	}
}

func TestNotFound(t *testing.T) {
	h, _ := newTestHandler(t)
	for _, target := range []string{
		"/nope", "/nope.html", "/index.htm", "/INDEX.HTML",
		"/gen", "/gen/", "/gen/mnist", "/gen/mnist/", "/gen/vendor/", // directories: no listings
		"/index.html/", "/gen//vaeaug.wasm", "//index.html", // not the asset's exact name
		"/gen/vaeaug.wasm.br", "/gen/vaeaug.wasm.gz", "/gen/wasm_exec.js.gz", // variants, only sent in place of X
		"/gen/README.md", "/embed.go", "/.env", "/notes.bin", "/gen/.vaeaug.wasm.br.tmp.123", // hidden or unknown
	} {
		for _, method := range []string{"GET", "HEAD"} {
			w := do(h, method, target, nil)
			if w.Code != 404 {
				t.Errorf("%s %s: status %d, want 404", method, target, w.Code)
			}
			if method == "HEAD" && w.Body.Len() != 0 {
				t.Errorf("HEAD %s: body %q", target, w.Body.String())
			}
		}
	}
}

func TestMethods(t *testing.T) {
	h, _ := newTestHandler(t)
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get"} {
		w := do(h, method, "/", nil)
		if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: status %d, Allow %q; want 405, GET, HEAD", method, w.Code, w.Header().Get("Allow"))
		}
		if strings.Contains(w.Body.String(), "vaeaug") {
			t.Errorf("%s /: the page was sent", method)
		}
	}
}

// traversals are requests that try to reach a file outside the site, sent as
// raw request lines so that nothing in the client normalises them first.
var traversals = []string{
	"/../go.mod",
	"/../../../../etc/passwd",
	"/..%2fgo.mod",
	"/..%2F..%2Fgo.mod",
	"/%2e%2e/go.mod",
	"/%2e%2e/%2e%2e/etc/passwd",
	"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
	"/gen/../../go.mod",
	"/gen/%2e%2e/%2e%2e/go.mod",
	"/./index.html",
	"/gen/./vaeaug.wasm",
	`/static/..\..\x`,
	"/..%5c..%5cgo.mod",
	"/%5c%5c..%5cgo.mod",
	"//etc/passwd",
	"///etc/passwd",
	"/etc/passwd",
	"/gen/%00",
	"/index.html%00.js",
	"/%252e%252e/x",
	"/%252e%252e%252fgo.mod",
	"/%25252e%25252e/go.mod",
	"/..%c0%afgo.mod",
	"/%c0%ae%c0%ae/go.mod",
	"/%u002e%u002e/go.mod",
	"/index.html%0d%0aSet-Cookie:%20x=1",
	"/C:/Windows/win.ini",
	"/gen/mnist/../../../go.mod",
	"/" + strings.Repeat("../", 1500) + "etc/passwd",
	"/" + strings.Repeat("a", 5000),
	"http://127.0.0.1/../go.mod",
	"*",
}

// refusedByNetHTTP are the traversals that net/http answers 400 itself
// (an invalid percent-escape), so without our headers.
var refusedByNetHTTP = map[string]bool{"/%u002e%u002e/go.mod": true}

func TestTraversal(t *testing.T) {
	h, _ := newTestHandler(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, target := range traversals {
		resp, body := rawGet(t, srv.Listener.Addr().String(), target)
		what := fmt.Sprintf("GET %.60s", target)
		switch resp.StatusCode {
		case 400, 404, 414:
		default:
			t.Errorf("%s: status %d, want 400, 404 or 414", what, resp.StatusCode)
		}
		if bytes.Contains(body, []byte("module vaeaug")) || bytes.Contains(body, []byte("root:")) || bytes.Contains(body, []byte("secret")) {
			t.Errorf("%s: body %q", what, body)
		}
		// The handler's own errors carry the security headers; a request
		// target so malformed that net/http refuses it never reaches it.
		if resp.Header.Get("Content-Security-Policy") == "" && !refusedByNetHTTP[target] {
			t.Errorf("%s: %d without security headers", what, resp.StatusCode)
		}
	}
}

// rawGet sends "GET target HTTP/1.1" over a new connection to addr.
func rawGet(t *testing.T, addr, target string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %.60s: %v", target, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %.60s: reading body: %v", target, err)
	}
	resp.Body.Close()
	return resp, body
}

func TestAssetName(t *testing.T) {
	for _, tc := range []struct {
		path, name string
		status     int
	}{
		{"/", "index.html", 200},
		{"/index.html", "index.html", 200},
		{"/gen/mnist/t10k-labels-idx1-ubyte.gz", "gen/mnist/t10k-labels-idx1-ubyte.gz", 200},
		{"", "", 400},
		{"*", "", 400},
		{"index.html", "", 400},
		{"/../x", "", 400},
		{"/a/../x", "", 400},
		{"/a/./x", "", 400},
		{"/a/..", "", 400},
		{"/.", "", 400},
		{`/a\b`, "", 400},
		{"/a\x00b", "", 400},
		{"/a\nb", "", 400},
		{"/a\x7fb", "", 400},
		{"/%2e%2e/x", "", 400},
		{"//x", "", 404},
		{"/a//b", "", 404},
		{"/a/", "", 404},
		{"/..x/y", "..x/y", 200}, // an ordinary name that starts with dots: simply not found later
	} {
		name, status := assetName(tc.path)
		if name != tc.name || status != tc.status {
			t.Errorf("assetName(%q) = %q, %d; want %q, %d", tc.path, name, status, tc.name, tc.status)
		}
	}
}

func TestAccessLog(t *testing.T) {
	h, logs := newTestHandler(t)
	logs.Reset()
	do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": "br"})
	do(h, "POST", "/..%2fgo.mod", nil)
	var entries []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		entries = append(entries, e)
	}
	if len(entries) != 2 {
		t.Fatalf("%d log entries, want 2", len(entries))
	}
	for _, k := range []string{"method", "path", "status", "bytes", "duration", "remote"} {
		if _, ok := entries[0][k]; !ok {
			t.Errorf("log entry has no %q: %v", k, entries[0])
		}
	}
	if e := entries[0]; e["method"] != "GET" || e["path"] != "/gen/vaeaug.wasm" || e["status"] != 200.0 ||
		e["bytes"] != float64(len(brBytes)) || e["encoding"] != "br" {
		t.Errorf("log entry %v", e)
	}
	if e := entries[1]; e["status"] != 405.0 || e["path"] != "/..%2fgo.mod" {
		t.Errorf("log entry %v: want status 405 and the path as sent", e)
	}
}

func TestQValue(t *testing.T) {
	for _, tc := range []struct {
		accept []string
		coding string
		want   float64
	}{
		{nil, "br", 0},
		{[]string{"br"}, "br", 1},
		{[]string{"gzip", "br;q=0.3"}, "br", 0.3}, // several header lines
		{[]string{" br ; q=0.3 "}, "br", 0.3},
		{[]string{"br;level=1;q=0.2"}, "br", 0.2},
		{[]string{"*;q=0.4"}, "gzip", 0.4},
		{[]string{"*;q=0.4, gzip;q=0"}, "gzip", 0},
		{[]string{"x-gzip;q=0.7"}, "gzip", 0.7},
		{[]string{"br;q="}, "br", 0},
		{[]string{"br;q=-1"}, "br", 0},
		{[]string{"br;q=Inf"}, "br", 0},
		{[]string{"brotli"}, "br", 0},
	} {
		if got := qvalue(tc.accept, tc.coding); got != tc.want {
			t.Errorf("qvalue(%q, %q) = %v, want %v", tc.accept, tc.coding, got, tc.want)
		}
	}
}

// TestLiveDir serves a real directory the way -dir does: edits show up
// without a restart, stale variants are ignored, and neither symbolic links
// nor anything else lead out of the directory.
func TestLiveDir(t *testing.T) {
	top := t.TempDir()
	site := filepath.Join(top, "site")
	write := func(name, data string, mtime time.Time) {
		t.Helper()
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now().Add(-time.Hour)
	write("index.html", "<!doctype html>v1", t0)
	write("gen/vaeaug.wasm", "wasm v1", t0)
	write("gen/vaeaug.wasm.br", "br of v1", t0.Add(time.Second))
	write("embed.go", "package static", t0)
	if err := os.WriteFile(filepath.Join(top, "secret.js"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(top, "secret.js"), filepath.Join(site, "link.js")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(top, filepath.Join(site, "up")); err != nil {
		t.Fatal(err)
	}

	root, err := os.OpenRoot(site)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	h, err := newHandler(static.Assets(root.FS()), slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	get := func(target, accept string) *httptest.ResponseRecorder {
		return do(h, "GET", target, map[string]string{"Accept-Encoding": accept})
	}
	if w := get("/", ""); w.Code != 200 || w.Body.String() != "<!doctype html>v1" {
		t.Fatalf("GET /: %d %q", w.Code, w.Body.String())
	}
	if w := get("/gen/vaeaug.wasm", "br"); w.Header().Get("Content-Encoding") != "br" || w.Body.String() != "br of v1" {
		t.Errorf("fresh variant not used: %q %q", w.Header().Get("Content-Encoding"), w.Body.String())
	}
	for _, target := range []string{"/link.js", "/up/secret.js", "/embed.go", "/gen/", "/../secret.js"} {
		if w := get(target, ""); w.Code == 200 || strings.Contains(w.Body.String(), "secret") {
			t.Errorf("GET %s: %d %q", target, w.Code, w.Body.String())
		}
	}

	etag := get("/", "").Header().Get("ETag")
	write("index.html", "<!doctype html>v2", t0.Add(time.Minute))
	if w := get("/", ""); w.Body.String() != "<!doctype html>v2" || w.Header().Get("ETag") == etag {
		t.Errorf("edit not picked up: %q, ETag %s (was %s)", w.Body.String(), w.Header().Get("ETag"), etag)
	}
	// The wasm is rebuilt but not recompressed: its .br is now older and
	// must not be served.
	write("gen/vaeaug.wasm", "wasm v2", t0.Add(time.Minute))
	if w := get("/gen/vaeaug.wasm", "br"); w.Header().Get("Content-Encoding") != "" || w.Body.String() != "wasm v2" {
		t.Errorf("stale variant used: %q %q", w.Header().Get("Content-Encoding"), w.Body.String())
	}
}

// TestEmbeddedSite runs the handler over the real embedded files. The
// generated ones exist only after make build, so their checks are skipped
// before.
func TestEmbeddedSite(t *testing.T) {
	h, err := newHandler(static.FS, slog.New(slog.DiscardHandler), false)
	if err != nil {
		t.Fatal(err)
	}
	w := do(h, "GET", "/", nil)
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	checkSecurityHeaders(t, "GET /", w.Header())
	for _, target := range []string{"/embed.go", "/embed_test.go", "/gen/README.md", "/gen/"} {
		if w := do(h, "GET", target, nil); w.Code != 404 {
			t.Errorf("GET %s: status %d, want 404", target, w.Code)
		}
	}
	for name, ctype := range map[string]string{
		"gen/vaeaug.wasm":                     "application/wasm",
		"gen/wasm_exec.js":                    "text/javascript; charset=utf-8",
		"gen/mnist/t10k-labels-idx1-ubyte.gz": "application/gzip",
	} {
		want, err := fs.ReadFile(static.FS, name)
		if err != nil {
			t.Logf("%s is not built; skipping its checks", name)
			continue
		}
		w := do(h, "GET", "/"+name, nil)
		if w.Code != 200 || w.Header().Get("Content-Type") != ctype || !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("GET /%s: %d %q, body intact: %v", name, w.Code, w.Header().Get("Content-Type"), bytes.Equal(w.Body.Bytes(), want))
		}
		for _, enc := range []struct{ token, suffix string }{{"br", ".br"}, {"gzip", ".gz"}} {
			variant, err := fs.ReadFile(static.FS, name+enc.suffix)
			if err != nil || !strings.HasSuffix(name, ".wasm") && !strings.HasSuffix(name, ".js") {
				continue
			}
			w := do(h, "GET", "/"+name, map[string]string{"Accept-Encoding": enc.token})
			if w.Header().Get("Content-Encoding") != enc.token || !bytes.Equal(w.Body.Bytes(), variant) {
				t.Errorf("GET /%s (%s): Content-Encoding %q", name, enc.token, w.Header().Get("Content-Encoding"))
			}
			if enc.token == "gzip" {
				// The gzip copy must be of the current build: a stale
				// one would serve old code to some browsers only.
				zr, err := gzip.NewReader(bytes.NewReader(variant))
				if err != nil {
					t.Fatal(err)
				}
				if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s.gz does not decompress to %s: run scripts/compress.mjs", name, name)
				}
			}
		}
	}
}

// TestStaleVariants checks that precompressed copies that do not match
// their original (the wasm was rebuilt, compress.mjs not rerun) are dropped
// at start-up, the .br with the .gz, rather than serving old code.
func TestStaleVariants(t *testing.T) {
	for name, gzData := range map[string][]byte{
		"stale":   gz(t, []byte("the previous build")),
		"corrupt": []byte("\x1f\x8b not gzip"),
	} {
		site := testSite(t)
		site["gen/vaeaug.wasm.gz"] = &fstest.MapFile{Data: gzData}
		var logs bytes.Buffer
		h, err := newHandler(static.Assets(site), slog.New(slog.NewTextHandler(&logs, nil)), false)
		if err != nil {
			t.Fatal(err)
		}
		for _, ae := range []string{"br", "gzip"} {
			w := do(h, "GET", "/gen/vaeaug.wasm", map[string]string{"Accept-Encoding": ae})
			if w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), wasmBytes) {
				t.Errorf("%s .gz, %s accepted: Content-Encoding %q; want the wasm itself", name, ae, w.Header().Get("Content-Encoding"))
			}
		}
		if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "gen/vaeaug.wasm") {
			t.Errorf("%s .gz: no warning logged:\n%s", name, logs.String())
		}
		// Assets without the problem keep their variants.
		if w := do(h, "GET", "/gen/wasm_exec.js", map[string]string{"Accept-Encoding": "gzip"}); w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s .gz of the wasm cost wasm_exec.js its variant", name)
		}
	}
}
