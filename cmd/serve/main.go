// Command serve serves the vaeaug browser trainer: the page, the wasm worker,
// wasm_exec.js and the MNIST data, all embedded in the binary (package
// vaeaug/static), so the one file is all a classroom machine needs.
//
// Usage:
//
//	go run ./cmd/serve [-addr 127.0.0.1:8080] [-dir DIR] [-log text|json]
//
// It listens on 127.0.0.1:8080 unless -addr says otherwise; "-addr :8080"
// serves the whole LAN. With -dir it serves the files of DIR (normally
// static) instead of the embedded ones, and picks up changes on reload. The
// first line on standard output names the URL; access logs go to standard
// error. Ctrl-C (SIGINT) or SIGTERM stops it gracefully: requests in flight
// get a few seconds to finish.
//
// Run "make build" (or "make serve") first: until then the embedded site has
// no wasm and no data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"vaeaug/static"
)

// Server limits. ReadHeaderTimeout and ReadTimeout stop slow-loris clients
// (requests here have no body); WriteTimeout bounds a whole response and is
// generous because a phone on a crowded classroom Wi-Fi may need a minute for
// the wasm and the data; IdleTimeout closes unused keep-alive connections.
// MaxHeaderBytes leaves room for cookies that other local development
// servers set on 127.0.0.1, which browsers send to every port.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 32 << 10
	shutdownTimeout   = 10 * time.Second
)

// expected lists assets the page cannot work without; their absence is
// reported at start-up, because it almost always means the build was not run.
var expected = []string{
	"index.html",
	"gen/vaeaug.wasm",
	"gen/wasm_exec.js",
	"gen/mnist/train-images-idx3-ubyte.gz",
	"gen/mnist/train-labels-idx1-ubyte.gz",
	"gen/mnist/t10k-images-idx3-ubyte.gz",
	"gen/mnist/t10k-labels-idx1-ubyte.gz",
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, stop, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "serve:", err)
		}
		os.Exit(2)
	}
}

// run parses args, serves until ctx is done and then shuts down gracefully.
// Once ctx is done it calls stopSignals (if not nil), so a second Ctrl-C
// kills the process instead of waiting for the shutdown. ready, if not nil,
// is called with the base URL once the server is listening; tests use it to
// learn the port of "-addr 127.0.0.1:0".
func run(ctx context.Context, stopSignals func(), args []string, stdout, stderr io.Writer, ready func(url string)) error {
	opts, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}

	var logger *slog.Logger
	switch opts.log {
	case "text":
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(stderr, nil))
	default:
		return fmt.Errorf("-log %q: want text or json", opts.log)
	}

	fsys, live := static.FS, false
	if opts.dir != "" {
		// An os.Root refuses to follow symbolic links out of the directory,
		// which os.DirFS would do.
		root, err := os.OpenRoot(opts.dir)
		if err != nil {
			return err
		}
		defer root.Close()
		fsys, live = static.Assets(root.FS()), true
	}
	h, err := newHandler(fsys, logger, live)
	if err != nil {
		return err
	}
	for _, name := range expected {
		if _, err := fs.Stat(fsys, name); err != nil {
			logger.Warn("missing asset: run make build first", "name", name)
		}
	}

	ln, err := net.Listen("tcp", opts.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		// Most often a second `make serve`: say what to do.
		return fmt.Errorf("%s is already in use (is the trainer already running? stop it, or pick another port: -addr 127.0.0.1:8081, or make serve SERVEFLAGS='-addr 127.0.0.1:8081'): %w", opts.addr, err)
	}
	if err != nil {
		return err
	}
	srv := newServer(h, logger)
	url := announce(stdout, ln.Addr().(*net.TCPAddr), opts.dir)
	logger.Info("listening", "addr", ln.Addr().String(), "url", url)
	if ready != nil {
		ready(url)
	}
	return serve(ctx, stopSignals, srv, ln, logger)
}

// options are the command-line settings.
type options struct {
	addr, dir, log string
}

// defaultAddr keeps the server on this machine unless -addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

// parseArgs parses the command line; usage and errors go to stderr.
func parseArgs(args []string, stderr io.Writer) (options, error) {
	var opts options
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&opts.addr, "addr", defaultAddr, "`host:port` to listen on; \":8080\" serves the LAN (not a secure context)")
	flags.StringVar(&opts.dir, "dir", "", "serve the files of `DIR` (e.g. static) instead of the embedded ones, for development")
	flags.StringVar(&opts.log, "log", "text", "access log format: text or json")
	if err := flags.Parse(args); err != nil {
		return options{}, err
	}
	if flags.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	return opts, nil
}

// limits are the timeouts and size limit of the http.Server; tests shorten
// the timeouts to watch them work in a second.
type limits struct {
	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout time.Duration
	maxHeaderBytes                                            int
}

// productionLimits are the limits the command runs with.
var productionLimits = limits{
	readHeaderTimeout: readHeaderTimeout,
	readTimeout:       readTimeout,
	writeTimeout:      writeTimeout,
	idleTimeout:       idleTimeout,
	maxHeaderBytes:    maxHeaderBytes,
}

// newServer returns the http.Server for handler h, with the limits above.
func newServer(h http.Handler, logger *slog.Logger) *http.Server {
	return newServerWith(h, logger, productionLimits)
}

// newServerWith returns the http.Server for handler h with limits l.
func newServerWith(h http.Handler, logger *slog.Logger, l limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.readHeaderTimeout,
		ReadTimeout:       l.readTimeout,
		WriteTimeout:      l.writeTimeout,
		IdleTimeout:       l.idleTimeout,
		MaxHeaderBytes:    l.maxHeaderBytes,
		// Otherwise net/http answers "OPTIONS *" itself, without our
		// headers; our handler answers it 405 like any other method.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// serve runs srv on ln until ctx is done, then shuts it down: the listener
// closes at once, and requests in flight get shutdownTimeout to finish
// before their connections are closed.
func serve(ctx context.Context, stopSignals func(), srv *http.Server, ln net.Listener, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if stopSignals != nil {
		stopSignals()
	}
	logger.Info("shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// Requests still running after the timeout are cut off.
		srv.Close()
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// announce prints where the trainer can be opened and returns the URL to
// use on this machine. Browsers treat http://127.0.0.1 and http://localhost
// as secure contexts but not a LAN address over plain http, and only a
// secure context can be cross-origin isolated and use SharedArrayBuffer;
// the note says so, because the page then runs without it.
func announce(w io.Writer, addr *net.TCPAddr, dir string) string {
	port := strconv.Itoa(addr.Port)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port) + "/"
	from := "the embedded files"
	if dir != "" {
		from = dir
	}
	fmt.Fprintf(w, "Serving the vaeaug trainer at %s (from %s). Ctrl-C stops it.\n", url, from)

	var lan []string
	switch {
	case addr.IP.IsUnspecified():
		lan = lanURLs(port)
		if len(lan) == 0 {
			lan = []string{"http://<this machine's address>:" + port + "/"}
		}
	case !addr.IP.IsLoopback():
		lan = []string{url}
	}
	for _, u := range lan {
		fmt.Fprintf(w, "On the network: %s\n", u)
	}
	if len(lan) > 0 {
		fmt.Fprintln(w, "Note: over plain http a LAN address is not a secure context, so pages opened through it "+
			"are not cross-origin isolated (no SharedArrayBuffer); the URL with 127.0.0.1 is, on this machine.")
	}
	return url
}

// lanURLs lists the URLs of this machine's non-loopback IPv4 addresses,
// which are what students type; link-local and IPv6 addresses are left out.
func lanURLs(port string) []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var urls []string
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.To4() == nil || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		urls = append(urls, "http://"+net.JoinHostPort(ipn.IP.String(), port)+"/")
	}
	return urls
}
