package data

import (
	"errors"
	"fmt"
)

// Sentinel errors classify failures so that callers can test them with
// errors.Is while the message still carries the file name and details.
var (
	// ErrFormat marks data that is not a well-formed IDX file of the
	// expected kind (bad magic, wrong dimensions, truncated, trailing
	// bytes, corrupt gzip stream, label out of range).
	ErrFormat = errors.New("malformed IDX data")
	// ErrTooLarge marks files whose header declares more examples than
	// the package accepts (MaxExamples).
	ErrTooLarge = errors.New("IDX data too large")
	// ErrChecksum marks an MNIST file whose SHA-256 is not the official one.
	ErrChecksum = errors.New("SHA-256 mismatch")
	// ErrMismatch marks an image file and a label file that do not belong
	// together (different counts).
	ErrMismatch = errors.New("images and labels do not match")
	// ErrSubset marks an impossible validation split or subset request.
	ErrSubset = errors.New("invalid subset request")
)

// FileError is the error type for every failure that concerns one named
// file or dataset. Its message always starts with the name so that a user
// who passed several files knows which one to fix.
type FileError struct {
	// Name is the file name (or dataset name) as the caller gave it.
	Name string
	// Kind is one of the package's sentinel errors, or nil for a plain I/O
	// failure (then Err says what happened).
	Kind error
	// Msg says what was wrong, in words meant for the user.
	Msg string
	// Err is the underlying cause (an I/O or gzip error), or nil.
	Err error
}

// Error returns "data: NAME: MSG" followed by the cause, if any.
func (e *FileError) Error() string {
	s := "data: " + e.Name + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes both the sentinel kind and the underlying cause to
// errors.Is and errors.As.
func (e *FileError) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

func fileErr(name string, kind error, cause error, format string, args ...any) error {
	return &FileError{Name: name, Kind: kind, Msg: fmt.Sprintf(format, args...), Err: cause}
}
