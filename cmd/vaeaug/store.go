package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"vaeaug/internal/atomicfile"

	"vaeaug/core/study"
	"vaeaug/report"
)

// store keeps a folder's results.json (every finished run) and rewrites it,
// with results.csv, after each run, so an interrupted grid loses at most the
// run in progress and a rerun resumes.
type store struct {
	dir     string
	results []study.Result
}

func openStore(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &store{dir: dir}
	// A run killed while writing leaves a temporary file behind; a resume
	// is the moment to clear them (one process per folder).
	for _, d := range []string{dir, filepath.Join(dir, "weights")} {
		if _, err := atomicfile.RemoveLeftovers(d); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, err
	}
	if err := json.Unmarshal(b, &s.results); err != nil {
		return nil, fmt.Errorf("%s: not a results file this program wrote (%v); move it away to start afresh",
			filepath.Join(dir, "results.json"), err)
	}
	return s, nil
}

// find returns the finished run with exactly this dataset and config.
func (s *store) find(dataset string, cfg study.Config) *study.Result {
	want, _ := json.Marshal(cfg)
	for i := range s.results {
		r := &s.results[i]
		got, _ := json.Marshal(r.Config)
		if r.Dataset == dataset && bytes.Equal(got, want) {
			return r
		}
	}
	return nil
}

// add records a finished run and rewrites results.json and results.csv.
func (s *store) add(r study.Result) error {
	s.results = append(s.results, r)
	b, err := json.MarshalIndent(s.results, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(s.dir, "results.json"), b); err != nil {
		return err
	}
	var csv bytes.Buffer
	if err := report.WriteCSV(&csv, s.results); err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(s.dir, "results.csv"), csv.Bytes())
}
