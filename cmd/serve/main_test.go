package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startRun runs run with args on a free loopback port and returns its URL
// and a function that stops it and returns run's error.
func startRun(t *testing.T, args ...string) (url string, stop func() error, stdout, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	urls := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, nil, append([]string{"-addr", "127.0.0.1:0"}, args...), stdout, stderr, func(u string) { urls <- u })
	}()
	select {
	case url = <-urls:
	case err := <-errc:
		cancel()
		t.Fatalf("run: %v\n%s", err, stderr)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("run did not start listening")
	}
	stop = func() error {
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(shutdownTimeout + 5*time.Second):
			t.Fatal("run did not return after cancel")
			return nil
		}
	}
	return url, stop, stdout, stderr
}

// TestRun starts the real server as main does, on 127.0.0.1:0, and checks
// what only a real listener shows: the start-up message, net/http's own
// limits, "OPTIONS *", and a clean return on shutdown.
func TestRun(t *testing.T) {
	url, stop, stdout, stderr := startRun(t, "-log", "json")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL %q is not on 127.0.0.1", url)
	}
	if first, _, _ := strings.Cut(stdout.String(), "\n"); !strings.Contains(first, url) {
		t.Errorf("first line of output %q does not name %s", first, url)
	}
	if strings.Contains(stdout.String(), "secure context") {
		t.Errorf("loopback start-up printed the LAN note:\n%s", stdout)
	}

	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(body)), "<!doctype html>") {
		t.Errorf("GET /: %d %.80q", resp.StatusCode, body)
	}
	checkSecurityHeaders(t, "GET / over TCP", resp.Header)

	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	if resp, _ := rawGet(t, addr, "/"); resp.StatusCode != 200 {
		t.Errorf("raw GET /: %d", resp.StatusCode)
	}
	options := rawRequest(t, addr, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if options.StatusCode != 405 || options.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("OPTIONS *: %d, CSP %q; want 405 from our handler", options.StatusCode, options.Header.Get("Content-Security-Policy"))
	}
	// Between maxURLBytes and MaxHeaderBytes the handler answers 414; past
	// MaxHeaderBytes net/http refuses the request itself.
	if resp, _ := rawGet(t, addr, "/"+strings.Repeat("x", 2*maxURLBytes)); resp.StatusCode != 414 {
		t.Errorf("long URL: %d, want 414", resp.StatusCode)
	}
	huge := rawRequest(t, addr, "GET /"+strings.Repeat("x", 2*maxHeaderBytes)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	if huge.StatusCode != 431 && huge.StatusCode != 414 && huge.StatusCode != 400 {
		t.Errorf("huge URL: %d, want 431", huge.StatusCode)
	}
	bigHeader := rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("y", 2*maxHeaderBytes)+"\r\n\r\n")
	if bigHeader.StatusCode != 431 {
		t.Errorf("huge header: %d, want 431", bigHeader.StatusCode)
	}

	if err := stop(); err != nil {
		t.Errorf("run returned %v after cancel", err)
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"request"`, `"status":200`, `"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("still listening after shutdown")
	}
}

// TestRunDir serves a directory with -dir.
func TestRunDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>from disk"), 0o644); err != nil {
		t.Fatal(err)
	}
	url, stop, stdout, _ := startRun(t, "-dir", dir)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "<!doctype html>from disk" {
		t.Errorf("GET /: %q", body)
	}
	if !strings.Contains(stdout.String(), dir) {
		t.Errorf("start-up message does not name %s: %q", dir, stdout)
	}
	if err := stop(); err != nil {
		t.Error(err)
	}
}

func TestRunBadArgs(t *testing.T) {
	for _, args := range [][]string{
		{"-nope"},
		{"-log", "xml"},
		{"extra"},
		{"-dir", filepath.Join(t.TempDir(), "missing")},
		{"-addr", "127.0.0.1:notaport"},
	} {
		err := run(context.Background(), nil, args, io.Discard, io.Discard, nil)
		if err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestRunAddrInUse checks that a port already taken (a second make serve)
// is refused with what to do, not only the system's words.
func TestRunAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), nil, []string{"-addr", ln.Addr().String()}, io.Discard, io.Discard, nil)
	if err == nil {
		t.Fatal("run on a taken port succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "already in use") || !strings.Contains(msg, "-addr") {
		t.Errorf("error does not say the port is taken and how to pick another: %q", msg)
	}
}

// rawRequest writes req on a new connection to addr and reads the response
// header (the body, if any, is not read).
func rawRequest(t *testing.T, addr, req string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	// The server may answer and close before it has read everything we
	// send, so a write error is not a failure; the response decides.
	io.WriteString(conn, req)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.40q: %v", req, err)
	}
	resp.Body.Close()
	return resp
}

// TestGracefulShutdown checks that shutting down stops accepting at once but
// lets a request in flight finish.
func TestGracefulShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		fmt.Fprint(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	logger := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := false
	errc := make(chan error, 1)
	go func() { errc <- serve(ctx, func() { stopped = true }, newServer(slow, logger), ln, logger) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- result{string(b), err}
	}()
	<-entered
	cancel()
	// Shutdown closes the listener first; wait until new connections fail.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Errorf("request in flight: %q, %v; want it to finish", r.body, r.err)
	}
	if err := <-errc; err != nil {
		t.Errorf("serve: %v", err)
	}
	if !stopped {
		t.Error("signal handling was not stopped, so a second Ctrl-C would not kill")
	}
}

func TestServerLimits(t *testing.T) {
	srv := newServer(http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Errorf("timeouts not all set: %+v", srv)
	}
	// The production server runs with the documented constants, and they
	// make sense together: the header must be read within the whole
	// request's time, and a response may take far longer than a request.
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"ReadHeaderTimeout", srv.ReadHeaderTimeout, readHeaderTimeout},
		{"ReadTimeout", srv.ReadTimeout, readTimeout},
		{"WriteTimeout", srv.WriteTimeout, writeTimeout},
		{"IdleTimeout", srv.IdleTimeout, idleTimeout},
	} {
		if c.got != c.want || c.got <= 0 {
			t.Errorf("%s = %v, want %v (non-zero)", c.name, c.got, c.want)
		}
	}
	if srv.MaxHeaderBytes != maxHeaderBytes {
		t.Errorf("MaxHeaderBytes = %d, want %d", srv.MaxHeaderBytes, maxHeaderBytes)
	}
	if !(srv.ReadHeaderTimeout <= srv.ReadTimeout && srv.ReadTimeout < srv.WriteTimeout) {
		t.Errorf("ReadHeaderTimeout %v, ReadTimeout %v, WriteTimeout %v: want increasing",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout)
	}
	if srv.ReadHeaderTimeout > 10*time.Second || srv.WriteTimeout < time.Minute {
		t.Errorf("ReadHeaderTimeout %v (slow-loris), WriteTimeout %v (the wasm on slow Wi-Fi): out of range",
			srv.ReadHeaderTimeout, srv.WriteTimeout)
	}
	if srv.MaxHeaderBytes <= maxURLBytes {
		t.Errorf("MaxHeaderBytes %d leaves no room for the handler's 414 (maxURLBytes %d)", srv.MaxHeaderBytes, maxURLBytes)
	}
	if !srv.DisableGeneralOptionsHandler {
		t.Error(`net/http would answer "OPTIONS *" itself`)
	}
}

func TestAnnounce(t *testing.T) {
	for _, tc := range []struct {
		addr    net.TCPAddr
		url     string
		lanNote bool
	}{
		{net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080/", false},
		{net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080/", false},
		{net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080/", true},
		{net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://127.0.0.1:8080/", true},
		{net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 9000}, "http://192.0.2.7:9000/", true},
	} {
		var out bytes.Buffer
		url := announce(&out, &tc.addr, "")
		if url != tc.url {
			t.Errorf("%v: URL %q, want %q", tc.addr.String(), url, tc.url)
		}
		if note := strings.Contains(out.String(), "not a secure context"); note != tc.lanNote {
			t.Errorf("%v: LAN note printed %v, want %v:\n%s", tc.addr.String(), note, tc.lanNote, out.String())
		}
	}
}
