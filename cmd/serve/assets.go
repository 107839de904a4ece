package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// mimeTypes maps the file extensions the server is willing to serve to their
// Content-Type. It is also the allow-list of assets: a file with any other
// extension is never served. The table is fixed here rather than taken from
// package mime, which also reads the system's mime.types, so that the answer
// does not depend on the machine (instantiateStreaming needs exactly
// application/wasm, and nosniff makes a wrong script type fatal).
var mimeTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".gz":          "application/gzip",
}

// compressible lists the extensions whose files may have precompressed
// variants. Data that is already compressed (the MNIST .gz files, images,
// fonts) is served only as it is.
var compressible = map[string]bool{
	".html": true, ".js": true, ".mjs": true, ".css": true, ".wasm": true,
	".json": true, ".map": true, ".webmanifest": true, ".txt": true, ".svg": true,
}

// encodings lists the precompressed variants in the server's order of
// preference: brotli is about a quarter smaller than gzip for the wasm.
var encodings = []struct {
	name   string // Content-Encoding token
	suffix string // file name suffix of the variant
}{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// rep is one stored representation of an asset: the file itself or a
// precompressed variant of it.
type rep struct {
	file     string // path in the file system
	encoding string // Content-Encoding, "" for the file itself
	size     int64
	etag     string // quoted strong ETag derived from the bytes
	modTime  time.Time
}

// asset is a servable file with the representations the server may choose
// from; reps[0] is the file itself, the rest follow the order of encodings.
type asset struct {
	ctype string
	reps  []rep
}

// assetStore finds assets in a file system. In static mode (live false) every
// asset is found, hashed and stored once at start-up, so a request costs a map
// look-up. In live mode, used when serving a directory under development,
// each request looks at the files again and rehashes only those whose size or
// modification time changed, so edits show up on reload.
type assetStore struct {
	fsys   fs.FS
	logger *slog.Logger
	live   bool

	mu    sync.Mutex
	index map[string]*asset // static mode: every asset by name
	reps  map[string]rep    // live mode: representations hashed so far
}

// newAssetStore returns a store over fsys; in static mode it indexes fsys
// before returning.
func newAssetStore(fsys fs.FS, logger *slog.Logger, live bool) (*assetStore, error) {
	s := &assetStore{fsys: fsys, logger: logger, live: live, reps: map[string]rep{}}
	if live {
		return s, nil
	}
	start := time.Now()
	s.index = map[string]*asset{}
	var total int64
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name != "." && hiddenName(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		a, err := s.load(name)
		if err != nil {
			return err
		}
		if a != nil {
			s.index[name] = a
			for _, r := range a.reps {
				total += r.size
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("indexing assets: %w", err)
	}
	// The hashes are kept, the bytes are not: files are reopened per request.
	s.reps = nil
	logger.Info("assets indexed", "assets", len(s.index), "bytes", total, "duration", time.Since(start))
	return s, nil
}

// lookup returns the asset called name, or nil if there is none.
func (s *assetStore) lookup(name string) (*asset, error) {
	if !s.live {
		return s.index[name], nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(name)
}

// hiddenName reports whether a path element is one the server never serves
// even if the file system shows it: dotfiles (.git, editor swap files,
// temporary files of the build scripts) and names starting with "_".
func hiddenName(elem string) bool {
	return strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_")
}

// load builds the asset called name from the file system. It returns nil and
// no error if name is not an asset: a missing file, a directory, a file with
// an extension outside mimeTypes, a hidden name, or a precompressed variant,
// which is only ever served in place of its original.
func (s *assetStore) load(name string) (*asset, error) {
	for elem := range strings.SplitSeq(name, "/") {
		if hiddenName(elem) {
			return nil, nil
		}
	}
	ext := path.Ext(name)
	ctype, ok := mimeTypes[ext]
	if !ok {
		return nil, nil
	}
	for _, enc := range encodings {
		if orig, ok := strings.CutSuffix(name, enc.suffix); ok && compressible[path.Ext(orig)] {
			if info, err := fs.Stat(s.fsys, orig); err == nil && info.Mode().IsRegular() {
				return nil, nil
			}
		}
	}
	info, err := fs.Stat(s.fsys, name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			// A symbolic link out of an os.Root ("path escapes from
			// parent"), a file we may not read: not an asset, and
			// answered 404 like a missing file rather than 500.
			s.logger.Warn("not serving a file that cannot be looked at", "name", name, "err", err)
		}
		return nil, nil
	}
	if !info.Mode().IsRegular() {
		return nil, nil
	}
	r, err := s.rep(name, "", info)
	if err != nil {
		return nil, err
	}
	a := &asset{ctype: ctype, reps: []rep{r}}
	if !compressible[ext] {
		return a, nil
	}
	for _, enc := range encodings {
		vname := name + enc.suffix
		vinfo, err := fs.Stat(s.fsys, vname)
		if err != nil || !vinfo.Mode().IsRegular() {
			continue
		}
		// Modification times are zero in an embed.FS; on disk, a variant
		// older than its original is stale (it was not regenerated after a
		// rebuild) and would serve old code to some browsers only.
		if vinfo.ModTime().Before(info.ModTime()) {
			s.logger.Warn("ignoring stale precompressed file: run scripts/compress.mjs again",
				"file", vname, "original", name)
			continue
		}
		v, err := s.rep(vname, enc.name, vinfo)
		if err != nil {
			return nil, err
		}
		a.reps = append(a.reps, v)
	}
	if !s.live {
		if err := s.checkGzip(a); err != nil {
			// scripts/compress.mjs writes the .br before the .gz, so a
			// stale .gz means the .br cannot be trusted either.
			s.logger.Warn("ignoring precompressed files that do not match their original: "+
				"run scripts/compress.mjs again (make build)", "original", name, "err", err)
			a.reps = a.reps[:1]
		}
	}
	return a, nil
}

// checkGzip returns an error if a has a gzip variant that does not
// decompress to exactly the bytes of a's file. Modification times cannot
// catch a stale variant in an embed.FS, where they are all zero, and a stale
// one would serve old code to some browsers only. Go has no brotli decoder;
// checkGzip relies on the .br being written before the .gz.
func (s *assetStore) checkGzip(a *asset) error {
	for _, v := range a.reps[1:] {
		if v.encoding != "gzip" {
			continue
		}
		f, err := s.fsys.Open(v.file)
		if err != nil {
			return err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", v.file, err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, zr); err != nil {
			return fmt.Errorf("%s: %w", v.file, err)
		}
		if etag(h.Sum(nil)) != a.reps[0].etag {
			return fmt.Errorf("%s is not a compressed copy of %s", v.file, a.reps[0].file)
		}
	}
	return nil
}

// etag makes the quoted strong ETag for a SHA-256 sum. 128 bits are plenty
// to tell versions of a file apart, and the variants of one asset get
// different ETags because their bytes differ, as a strong ETag must.
func etag(sum []byte) string {
	return strconv.Quote(hex.EncodeToString(sum[:16]))
}

// rep hashes the file name, or reuses an earlier hash of it if its size and
// modification time have not changed since.
func (s *assetStore) rep(name, encoding string, info fs.FileInfo) (rep, error) {
	if r, ok := s.reps[name]; ok && r.size == info.Size() && r.modTime.Equal(info.ModTime()) {
		return r, nil
	}
	f, err := s.fsys.Open(name)
	if err != nil {
		return rep{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return rep{}, fmt.Errorf("hashing %s: %w", name, err)
	}
	r := rep{
		file:     name,
		encoding: encoding,
		size:     n,
		etag:     etag(h.Sum(nil)),
		modTime:  info.ModTime(),
	}
	s.reps[name] = r
	return r, nil
}

// choose picks the representation of a to send for the Accept-Encoding
// header values accept: the variant with the highest q-value among those the
// client accepts, brotli first on a tie, or else the file itself.
func (a *asset) choose(accept []string) rep {
	best, bestQ := a.reps[0], 0.0
	for _, r := range a.reps[1:] {
		if q := qvalue(accept, r.encoding); q > bestQ {
			best, bestQ = r, q
		}
	}
	return best
}

// qvalue returns the q-value that the Accept-Encoding header values accept
// give to coding (RFC 9110, section 12.5.3): the value of an explicit entry,
// else that of "*", else 0. "x-gzip" counts as "gzip".
func qvalue(accept []string, coding string) float64 {
	explicit, wildcard := -1.0, -1.0
	for _, value := range accept {
		for elem := range strings.SplitSeq(value, ",") {
			token, params, _ := strings.Cut(elem, ";")
			token = strings.ToLower(strings.TrimSpace(token))
			if token == "x-gzip" {
				token = "gzip"
			}
			if token != coding && token != "*" {
				continue
			}
			q, ok := parseQ(params)
			if !ok {
				continue
			}
			if token == "*" {
				wildcard = max(wildcard, q)
			} else {
				explicit = max(explicit, q)
			}
		}
	}
	switch {
	case explicit >= 0:
		return explicit
	case wildcard >= 0:
		return wildcard
	}
	return 0
}

// parseQ returns the q parameter among the ";"-separated params, 1 if there
// is none, and false if it is malformed (the whole entry is then ignored).
func parseQ(params string) (float64, bool) {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		// The negated test also rejects NaN, which ParseFloat accepts.
		if err != nil || !(q >= 0 && q <= 1) {
			return 0, false
		}
		return q, true
	}
	return 1, true
}
