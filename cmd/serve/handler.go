package main

import (
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// maxURLBytes bounds the request target. The longest legitimate URL is a page
// link carrying a run's settings, a few hundred bytes; longer ones are
// answered 414 by the handler, with the security headers. Targets longer
// than the server's MaxHeaderBytes never reach the handler: net/http answers
// them 431 itself.
const maxURLBytes = 4096

// securityHeaders go on every response the handler writes, errors included.
// The CSP allows no inline script or style and no other origin; wasm needs
// 'wasm-unsafe-eval' to compile. COOP and COEP make the page cross-origin
// isolated (SharedArrayBuffer) in a secure context; CORP lets our own page and
// worker load each subresource under COEP and stops other sites embedding it.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
		"style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; " +
		"base-uri 'none'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Embedder-Policy", "require-corp"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Referrer-Policy", "no-referrer"},
}

// handler serves the assets of a file system; see newHandler.
type handler struct {
	store  *assetStore
	fsys   fs.FS
	logger *slog.Logger
}

// newHandler returns the server's handler for the site in fsys, which must
// hold index.html at its root. It answers only GET and HEAD, of files whose
// extension is in mimeTypes, by exact name ("/" means "/index.html"); there
// are no directory listings and no redirects. Precompressed variants (X.br,
// X.gz next to X) are chosen by Accept-Encoding. Every response carries the
// security headers, and each request is logged to logger.
//
// With live false, fsys is indexed and hashed once, before newHandler
// returns, so fsys must not change afterwards (an embed.FS cannot). With live
// true, files are looked at again on every request, for development.
func newHandler(fsys fs.FS, logger *slog.Logger, live bool) (http.Handler, error) {
	store, err := newAssetStore(fsys, logger, live)
	if err != nil {
		return nil, err
	}
	return &handler{store: store, fsys: fsys, logger: logger}, nil
}

// ServeHTTP sets the security headers, serves the request and logs it.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	hdr := rec.Header()
	for _, kv := range securityHeaders {
		hdr.Set(kv[0], kv[1])
	}
	// no-cache means "store, but revalidate before every use": with strong
	// ETags a revalidation costs one 304 round trip and a changed wasm is
	// never used stale. Hashed file names would save the round trip, but
	// would make the page and worker depend on names made by the build.
	hdr.Set("Cache-Control", "no-cache")
	h.serve(rec, r)
	h.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("path", truncate(r.URL.EscapedPath(), 256)),
		slog.Int("status", rec.statusCode()),
		slog.Int64("bytes", rec.bytes),
		slog.String("encoding", rec.Header().Get("Content-Encoding")),
		slog.Duration("duration", time.Since(start)),
		slog.String("remote", r.RemoteAddr),
	)
}

// serve answers the request; ServeHTTP has already set the common headers.
func (h *handler) serve(w http.ResponseWriter, r *http.Request) {
	if len(r.RequestURI) > maxURLBytes {
		httpError(w, r, http.StatusRequestURITooLong)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		httpError(w, r, http.StatusMethodNotAllowed)
		return
	}
	name, status := assetName(r.URL.Path)
	if status != http.StatusOK {
		httpError(w, r, status)
		return
	}
	a, err := h.store.lookup(name)
	if err != nil {
		h.logger.Error("looking up asset", "name", name, "err", err)
		httpError(w, r, http.StatusInternalServerError)
		return
	}
	if a == nil {
		httpError(w, r, http.StatusNotFound)
		return
	}
	rp := a.choose(r.Header.Values("Accept-Encoding"))
	f, err := h.fsys.Open(rp.file)
	if err != nil {
		h.logger.Error("opening asset", "file", rp.file, "err", err)
		httpError(w, r, http.StatusInternalServerError)
		return
	}
	defer f.Close()
	content, ok := f.(io.ReadSeeker)
	if !ok {
		// Every fs.FS used here (embed, os.Root, fstest) returns seekable
		// files; this keeps any other one working at the cost of a copy.
		data, err := io.ReadAll(f)
		if err != nil {
			h.logger.Error("reading asset", "file", rp.file, "err", err)
			httpError(w, r, http.StatusInternalServerError)
			return
		}
		content = bytes.NewReader(data)
	}

	hdr := w.Header()
	hdr.Set("Content-Type", a.ctype)
	hdr.Set("ETag", rp.etag)
	if len(a.reps) > 1 {
		// Every response for an asset that has variants depends on
		// Accept-Encoding, the identity one included, or a shared cache
		// could hand brotli to a client that did not ask for it.
		hdr.Set("Vary", "Accept-Encoding")
	}
	if rp.encoding != "" {
		hdr.Set("Content-Encoding", rp.encoding)
	}
	// ServeContent handles If-None-Match (304), If-Match, HEAD and Range.
	// Ranges of an encoded response are ranges of the encoded bytes, which
	// is what HTTP specifies and what the ETag of the variant identifies.
	// The zero modification time keeps Last-Modified out: the ETag is the
	// only validator, and it is the same for the embedded and the on-disk
	// copy of a file.
	http.ServeContent(&lengthWriter{ResponseWriter: w, size: rp.size}, r, rp.file, time.Time{}, content)
}

// assetName maps a decoded URL path to the name of an asset in the file
// system, or returns an error status. Net/http has already decoded the
// percent-escapes once, so "..%2f" arrives here as "../"; what a second
// decoding would turn into something else ("%252e" is now "%2e") is refused
// because a "%" is left. Dot segments, backslashes (a separator on
// Windows), NUL and other control bytes are refused with 400. Paths ending in
// "/" other than the root name directories and are not found; so are paths
// with empty segments, which net/http's ServeMux would clean into another
// name. The result is a valid fs.FS name, so nothing outside the file system
// can be named at all.
func assetName(urlPath string) (string, int) {
	if !strings.HasPrefix(urlPath, "/") {
		return "", http.StatusBadRequest
	}
	for i := 0; i < len(urlPath); i++ {
		if c := urlPath[i]; c < 0x20 || c == 0x7f || c == '\\' || c == '%' {
			return "", http.StatusBadRequest
		}
	}
	if urlPath == "/" {
		return "index.html", http.StatusOK
	}
	name := urlPath[1:]
	for seg := range strings.SplitSeq(name, "/") {
		switch seg {
		case ".", "..":
			return "", http.StatusBadRequest
		case "":
			return "", http.StatusNotFound
		}
	}
	if path.Clean(name) != name || !fs.ValidPath(name) {
		return "", http.StatusNotFound
	}
	return name, http.StatusOK
}

// httpError writes a short plain-text error page, or only its header for
// HEAD. http.Error keeps the headers already set (the security headers).
func httpError(w http.ResponseWriter, r *http.Request, status int) {
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		return
	}
	http.Error(w, strconv.Itoa(status)+" "+http.StatusText(status), status)
}

// truncate shortens s to at most n bytes for the log, so a hostile URL
// cannot flood it.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// lengthWriter sets Content-Length on full (200) responses with a
// Content-Encoding. http.ServeContent leaves it out in that case (for the
// sake of wrappers that compress on the fly), which would send the
// precompressed wasm chunked and stop the page from showing download
// progress. Partial and error responses are left to ServeContent.
type lengthWriter struct {
	http.ResponseWriter
	size        int64
	wroteHeader bool
}

// WriteHeader adds Content-Length if needed and writes the header.
func (lw *lengthWriter) WriteHeader(code int) {
	if !lw.wroteHeader {
		lw.wroteHeader = true
		h := lw.Header()
		if code == http.StatusOK && h.Get("Content-Encoding") != "" && h.Get("Content-Length") == "" {
			h.Set("Content-Length", strconv.FormatInt(lw.size, 10))
		}
	}
	lw.ResponseWriter.WriteHeader(code)
}

// Write writes body bytes, writing a 200 header first if none was written.
func (lw *lengthWriter) Write(p []byte) (int, error) {
	if !lw.wroteHeader {
		lw.WriteHeader(http.StatusOK)
	}
	return lw.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (lw *lengthWriter) Unwrap() http.ResponseWriter { return lw.ResponseWriter }

// recorder notes the status and body size of a response for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader records the first status written.
func (rc *recorder) WriteHeader(code int) {
	if rc.status == 0 {
		rc.status = code
	}
	rc.ResponseWriter.WriteHeader(code)
}

// Write counts body bytes; a write without WriteHeader means 200.
func (rc *recorder) Write(p []byte) (int, error) {
	if rc.status == 0 {
		rc.status = http.StatusOK
	}
	n, err := rc.ResponseWriter.Write(p)
	rc.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rc *recorder) Unwrap() http.ResponseWriter { return rc.ResponseWriter }

// statusCode is the status sent, 200 if the handler wrote nothing.
func (rc *recorder) statusCode() int {
	if rc.status == 0 {
		return http.StatusOK
	}
	return rc.status
}
