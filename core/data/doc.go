// Package data reads MNIST-style IDX files and draws the study's training
// subsets and validation slice from them.
//
// The parsers work on bytes or an io.Reader, never on paths, because the
// browser build fetches the files itself and hands the bytes over; the
// path-based helpers (LoadMNIST, LoadPair, VerifyMNISTDir) are thin wrappers
// for the command-line tools. The package does not import syscall/js and
// builds for GOOS=js GOARCH=wasm.
//
// Every problem a user can cause (a wrong, truncated, corrupt or oversized
// file, mismatched image and label files, an impossible subset size) is
// reported as an error that names the file or dataset and says what was
// wrong; the package never panics on bad input. Panics are kept for
// programming errors such as an index out of range, as with Go slices.
//
// Randomness comes only from vaeaug/core/rng, so that the same seed selects
// the same examples on every platform, WebAssembly included.
package data
