// Package augment implements the classic data augmentation of handwritten
// digits — small random shifts, rotations, scalings and elastic distortions —
// and the Gaussian pixel noise of the noise control arm, so that the study
// can ask whether VAE augmentation adds to what these cheap transforms
// already give.
//
// # Images
//
// An image is 28×28 grey pixels stored row-major as Pixels bytes, 0 for
// background and 255 for full ink, exactly as data.Images.Pix holds them, so
// the functions work on slices of that array without conversion. Pixel
// (row i, column j) is the point (x, y) = (j, i); x runs right and y down,
// and the image centre is (13.5, 13.5), between the four middle pixels.
//
// # Classic augmentation
//
// A Transformer draws, for every image, one affine transform — a rotation
// and an isotropic scale about the centre followed by a shift, each uniform
// in the ranges of its Classic — and, if enabled, an elastic displacement
// field after Simard, Steinkraus and Platt, "Best practices for
// convolutional neural networks applied to visual document analysis" (2003):
// a uniform random number in [-1, 1) for each pixel and axis, smoothed by a
// Gaussian of standard deviation ElasticSigma and multiplied by ElasticAlpha.
//
// The two are composed before any resampling: output pixel p takes the
// source value at A⁻¹(p + d(p)), which is the elastic distortion applied to
// the affinely transformed digit. Resampling once, rather than once per
// transform, avoids blurring the digit twice. Values between pixels are
// interpolated bilinearly, everything outside the source image counts as
// background, and the result is rounded half up and clamped to a byte.
// Because bilinear weights at whole-pixel positions are exactly 1 and 0,
// the identity, whole-pixel shifts and quarter turns reproduce the source
// pixels exactly.
//
// The Gaussian blur is separable: rows, then columns, each a 1-D
// convolution with a kernel truncated at radius int(4σ + 0.5) and normalised
// to sum 1, with zero beyond the image border. These are the conventions of
// scipy.ndimage.gaussian_filter(mode="constant"), which the widely copied
// reference implementation of Simard's distortion uses, so alpha and sigma
// mean the same here as there. With the defaults (alpha 34, sigma 4) the
// displacements have a standard deviation of about 1.4 pixels near the
// centre; that bends strokes visibly and, where it compresses or stretches
// them, changes a digit's ink by tens of per cent, as the original intends.
//
// # Reproducibility
//
// The project requires the same seed to give the same bytes natively and in
// WebAssembly. Therefore the package uses no transcendental function from
// the standard library: sines and cosines come from sinCos, a Taylor
// polynomial on [-π/4, π/4] after exact quadrant reduction, accurate to
// about one ulp; the Gaussian kernel uses num.Exp. Every product that feeds
// an addition is written float64(a*b), which forbids the compiler from
// fusing it into an FMA; every sum runs in a fixed order; and random numbers
// come only from rng.Source, consumed in the order documented on
// Transformer.Apply and AddNoise. The tests pin FNV-64 hashes both of output
// images and of the intermediate floating-point values, and the same
// constants must hold on every platform.
//
// # Cost
//
// A Transformer keeps its scratch buffers, so Apply and the other per-image
// functions allocate nothing. One full default augmentation costs about 40
// µs of CPU natively (about 10 µs without the elastic part, whose two blurred
// fields are most of the work). A Transformer is not safe for concurrent
// use; to augment in parallel, give each worker its own Transformer and an
// rng.Source derived with Child from a fixed per-image or per-shard stream
// number, and the result does not depend on scheduling.
//
// # Noise control
//
// AddNoise perturbs every pixel by independent Gaussian noise of a given
// standard deviation in [0, 1] units, and PixelRMS measures the
// root-mean-square pixel difference between two images or batches in the
// same units. Together they build the control arm: measure the spread of the
// VAE samples around their originals with PixelRMS, then add noise of that
// spread to copies of the originals. Clamping to [0, 255] shrinks the
// realised spread on MNIST's black background, so compare the two arms'
// spreads with PixelRMS rather than assume them equal.
package augment
