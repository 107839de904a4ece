// Package atomicfile writes files so that a reader, or a run killed
// half-way, never sees a partial file: the content goes to a temporary file
// in the same directory, which is synced and then renamed over the target.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Write creates or replaces the file at path with what write produces. If
// write (or any file operation) fails, the old file, if any, is left intact
// and the temporary file is removed. The file is made readable by everyone
// (0644), as results and weights are meant to be shared.
func Write(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// CreateTemp makes the file private (0600).
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// RemoveLeftovers deletes the temporary files Write leaves in dir when its
// process is killed between creating and renaming one (".NAME.tmpDIGITS"),
// and returns how many it removed. Call it only where no other process is
// writing into dir.
func RemoveLeftovers(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, nil
		}
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		if e.IsDir() || !isLeftover(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// isLeftover reports whether name has the form CreateTemp gives Write's
// temporary files: "." + base + ".tmp" + digits.
func isLeftover(name string) bool {
	i := strings.LastIndex(name, ".tmp")
	if !strings.HasPrefix(name, ".") || i <= 0 || i+4 == len(name) {
		return false
	}
	for _, r := range name[i+4:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
