// Package static holds the browser trainer's page and the files the build
// generates for it (in gen/: the wasm worker, wasm_exec.js, the MNIST data,
// vendored npm assets), embedded into every binary that imports the package,
// so that cmd/serve is one self-contained file.
//
// FS is the site as the server sees it: index.html at its root and the
// generated files under gen/. Assets applies the same view to a directory on
// disk, so serving from disk during development shows exactly the files the
// embedded copy would.
package static

import (
	"embed"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
)

// The pattern embeds everything here except names beginning with "." or "_"
// (in gen/ too, as for any directory pattern), rather than naming
// "*.html *.js *.css gen": a go:embed pattern that matches nothing is a
// compile error, and while the page is being written, or in a clean checkout
// before the first build, some of those would match nothing. This one always
// matches (this file at least). Leaving out dotfiles keeps editor lock files
// out, which are dangling symbolic links that go:embed refuses. Assets then
// hides what is not part of the site (Go files, READMEs). gen/README.md is
// committed so that gen/ exists in a clean checkout too.
//
//go:embed [^._]*
var embedded embed.FS

// FS holds the page and the generated files, and nothing else: Go sources,
// Markdown files, npm manifests, node_modules and names beginning with "." or
// "_" are hidden (see Assets).
var FS fs.FS = Assets(embedded)

// Assets returns a read-only view of fsys that contains only the files that
// belong to the site. Hidden from the view, as if they did not exist, are
// every path with an element that begins with "." or "_" or is named
// "node_modules", files ending in ".go" or ".md", and the npm manifests
// package.json and package-lock.json. Everything else in fsys is visible under
// the same name.
//
// The result implements fs.ReadDirFS, fs.ReadFileFS and fs.StatFS. Files it
// opens are the files of fsys, so they keep any io.Seeker or io.ReaderAt
// methods that fsys provides.
func Assets(fsys fs.FS) fs.FS {
	return assetFS{fsys}
}

// Visible reports whether the slash-separated path name, relative to the root
// of the site, is part of the view that Assets returns. The root "." is
// visible. Visible does not check that name exists.
func Visible(name string) bool {
	if name == "." {
		return true
	}
	if !fs.ValidPath(name) {
		return false
	}
	for elem := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") || elem == "node_modules" {
			return false
		}
	}
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".go"), strings.HasSuffix(base, ".md"):
		return false
	case base == "package.json", base == "package-lock.json":
		return false
	}
	return true
}

// assetFS is the filtering view that Assets returns.
type assetFS struct {
	fsys fs.FS
}

// check returns the error that an operation on a path that is not visible
// reports: fs.ErrInvalid for malformed paths, as fs.FS requires, and
// fs.ErrNotExist for hidden ones, so that hidden files cannot be told apart
// from missing ones.
func check(op, name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if !Visible(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return nil
}

// Open opens name in the underlying file system if it is visible. A
// directory's ReadDir lists only its visible entries.
func (a assetFS) Open(name string) (fs.File, error) {
	if err := check("open", name); err != nil {
		return nil, err
	}
	f, err := a.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if info.IsDir() {
		return &dirFile{File: f, name: name}, nil
	}
	return f, nil
}

// ReadDir lists the visible entries of the directory name.
func (a assetFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := check("readdir", name); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(a.fsys, name)
	return visibleEntries(name, entries), err
}

// ReadFile reads the visible file name.
func (a assetFS) ReadFile(name string) ([]byte, error) {
	if err := check("readfile", name); err != nil {
		return nil, err
	}
	return fs.ReadFile(a.fsys, name)
}

// Stat describes the visible file or directory name.
func (a assetFS) Stat(name string) (fs.FileInfo, error) {
	if err := check("stat", name); err != nil {
		return nil, err
	}
	return fs.Stat(a.fsys, name)
}

// visibleEntries filters entries of the directory dir in place.
func visibleEntries(dir string, entries []fs.DirEntry) []fs.DirEntry {
	kept := entries[:0]
	for _, e := range entries {
		if Visible(path.Join(dir, e.Name())) {
			kept = append(kept, e)
		}
	}
	return kept
}

// dirFile is an open directory whose ReadDir hides what Visible rejects. It
// reads the whole underlying listing on the first call, because filtering
// would otherwise make ReadDir(n) return fewer than n entries before the end.
type dirFile struct {
	fs.File
	name    string
	entries []fs.DirEntry
	loaded  bool
}

// ReadDir follows the contract of fs.ReadDirFile.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.loaded {
		rd, ok := d.File.(fs.ReadDirFile)
		if !ok {
			return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: errors.ErrUnsupported}
		}
		all, err := rd.ReadDir(-1)
		if err != nil {
			return nil, err
		}
		d.entries = visibleEntries(d.name, all)
		d.loaded = true
	}
	if n <= 0 {
		rest := d.entries
		d.entries = nil
		return rest, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	head := d.entries[:n:n]
	d.entries = d.entries[n:]
	return head, nil
}
