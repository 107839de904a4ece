package static

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestVisible(t *testing.T) {
	for name, want := range map[string]bool{
		".":                                   true,
		"index.html":                          true,
		"app.js":                              true,
		"style.css":                           true,
		"gen":                                 true,
		"gen/vaeaug.wasm":                     true,
		"gen/vaeaug.wasm.br":                  true,
		"gen/mnist/t10k-images-idx3-ubyte.gz": true,
		"gen/vendor/chart/chart.umd.js":       true,
		"embed.go":                            false,
		"embed_test.go":                       false,
		"gen/README.md":                       false,
		"README.md":                           false,
		"package.json":                        false,
		"package-lock.json":                   false,
		".gitignore":                          false,
		".index.html.swp":                     false,
		"gen/.vaeaug.wasm.br.tmp":             false,
		"_draft.html":                         false,
		"node_modules":                        false,
		"node_modules/chart.js/dist/a.js":     false,
		"gen/vendor/node_modules/x.js":        false,
		"":                                    false,
		"/index.html":                         false,
		"../go.mod":                           false,
		"gen/../index.html":                   false,
	} {
		if got := Visible(name); got != want {
			t.Errorf("Visible(%q) = %v, want %v", name, got, want)
		}
	}
}

// testTree is a site with hidden files scattered through it.
func testTree() fstest.MapFS {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"index.html":                  f("<!doctype html>"),
		"app.js":                      f("x"),
		"embed.go":                    f("package static"),
		".hidden":                     f("h"),
		"package.json":                f("{}"),
		"gen/README.md":               f("# gen"),
		"gen/vaeaug.wasm":             f("\x00asm"),
		"gen/vaeaug.wasm.br":          f("br"),
		"gen/.vaeaug.wasm.gz.tmp":     f("tmp"),
		"gen/mnist/t10k-labels.gz":    f("gz"),
		"gen/_old/x.js":               f("old"),
		"node_modules/chart.js/a.js":  f("a"),
		"gen/vendor/chart.umd.min.js": f("c"),
	}
}

func TestAssetsMapFS(t *testing.T) {
	fsys := Assets(testTree())
	// fstest.TestFS checks every fs.FS contract (Open, ReadDir on the FS and
	// on open directories with every n, Stat, ReadFile, Sub, Glob) and that the
	// listed files exist; it also fails if anything else is reachable by
	// walking.
	if err := fstest.TestFS(fsys, "index.html", "app.js", "gen/vaeaug.wasm", "gen/vaeaug.wasm.br",
		"gen/mnist/t10k-labels.gz", "gen/vendor/chart.umd.min.js"); err != nil {
		t.Fatal(err)
	}
	var walked []string
	if err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			walked = append(walked, p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"app.js", "gen/mnist/t10k-labels.gz", "gen/vaeaug.wasm", "gen/vaeaug.wasm.br",
		"gen/vendor/chart.umd.min.js", "index.html"}
	if !slices.Equal(walked, want) {
		t.Errorf("walk found %q, want %q", walked, want)
	}
	for _, hidden := range []string{"embed.go", ".hidden", "package.json", "gen/README.md",
		"gen/.vaeaug.wasm.gz.tmp", "gen/_old/x.js", "gen/_old", "node_modules/chart.js/a.js", "node_modules"} {
		if _, err := fsys.Open(hidden); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q): err = %v, want fs.ErrNotExist", hidden, err)
		}
		if _, err := fs.Stat(fsys, hidden); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat(%q): err = %v, want fs.ErrNotExist", hidden, err)
		}
		if _, err := fs.ReadFile(fsys, hidden); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(%q): err = %v, want fs.ErrNotExist", hidden, err)
		}
	}
	for _, bad := range []string{"/index.html", "../index.html", "gen/../index.html", "gen/", ""} {
		if _, err := fsys.Open(bad); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q): err = %v, want fs.ErrInvalid", bad, err)
		}
	}
}

// TestAssetsKeepsSeeker checks that opened files are the underlying ones, so
// the server can serve ranges from them without reading them into memory.
func TestAssetsKeepsSeeker(t *testing.T) {
	for _, fsys := range []fs.FS{Assets(testTree()), FS} {
		f, err := fsys.Open("index.html")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.(io.ReadSeeker); !ok {
			t.Errorf("%T is not an io.ReadSeeker", f)
		}
		f.Close()
	}
}

func TestEmbedded(t *testing.T) {
	// fstest.TestFS is not run here: it reads every file several times,
	// seconds once the wasm and the data are built. TestAssetsMapFS checks
	// the same view; this checks what it shows of the real files.
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !Visible(p) {
			t.Errorf("walk reached hidden %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(FS, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(string(data)), "<!doctype html>") {
		t.Errorf("index.html does not start like an HTML page: %.60q", data)
	}
	// gen/README.md must be embedded (it is what makes gen/ exist in a clean
	// checkout) yet not be part of the site.
	if _, err := fs.Stat(embedded, "gen/README.md"); err != nil {
		t.Errorf("gen/README.md is not embedded: %v", err)
	}
	if _, err := fs.Stat(FS, "gen/README.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("gen/README.md is visible: %v", err)
	}
}

// TestEmbeddedNoStrays fails if the "*" pattern has swept something large
// into the binary that is not part of the site, such as an npm install run
// inside static/.
func TestEmbeddedNoStrays(t *testing.T) {
	const limit = 64 << 10
	var hiddenBytes int64
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" {
				t.Errorf("%s is embedded: run npm elsewhere, vendor into gen/vendor/", p)
				return fs.SkipDir
			}
			return nil
		}
		if Visible(p) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hiddenBytes += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if hiddenBytes > limit {
		t.Errorf("%d bytes of embedded files are hidden from the site (limit %d): move them out of static/", hiddenBytes, limit)
	}
}
