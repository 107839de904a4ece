package study

import (
	"fmt"
	"slices"

	"vaeaug/core/data"
)

// MemoryCeiling is the most memory a run may need: Validate refuses a
// config whose EstimateMemory exceeds it, and the browser worker makes it
// the Go runtime's soft memory limit (so garbage does not grow the wasm
// memory past it either).
//
// A wasm32 memory can grow to 4 GiB in Chromium, but the page is meant for a
// classroom laptop (4–8 GB of RAM shared with the OS and the browser). The
// models' buffers take about 0.25 GiB at the article's batch sizes (the
// classifier's forward buffers for 100 evaluation images and the VAE's for
// 50 generated ones are most of it; no conv keeps an im2col matrix), so the
// default run (n = 100, k = 10) peaks at 396 MiB, measured in Chromium by
// tests/memory/measure.mjs (estimate 501 MiB). The largest cell of the grid
// (n = 800, k = 250: 200,000 generated images, another 157 MB) is estimated
// at 664 MiB (it peaked at 766 MiB against an estimate of 862 when training
// still kept im2col matrices), and the grid's n = 800 run, with k =
// 10,50,250 in one run, at 696 MiB. 1.25 GiB holds all of them with room
// to spare and refuses what a laptop should not attempt, e.g. classifier or
// VAE batches of several hundred, which take 1.5 and 3.1 MB an image in
// training.
const MemoryCeiling int64 = 1280 << 20

// Per-image buffers of the models, in float32 values (4 bytes; a max-pool
// argmax is an int32, also 4). Every layer keeps its output and input
// gradient buffers, except the first conv of each model, whose input
// gradient nothing uses. No conv, transposed or not, keeps an im2col
// matrix: training and inference alike build it a block of rows at a time
// in the kernels' scratch (core/kernels), and the passes take Winograd's
// products where a conv's shape allows. The buffers grow to the
// largest batch a model has seen and are never shrunk. See core/nn.
const (
	// Classifier, any forward pass (training or inference): its four convs'
	// outputs (4·12,544), batch-norm outputs and normalised inputs
	// (4·2·12,544), ReLU outputs (4·12,544), max-pool outputs and argmaxes
	// (2·2·3,136) and the dense head (512+512+10).
	clfForwardFloats = 50176 + 100352 + 50176 + 12544 + 1034
	// Classifier, training only: dropout outputs and masks (2·3,136 +
	// 2·512), softmax probabilities (10), and the backward pass: the head's
	// input gradients (10+512+512+512+3,136+3,136), max-pool, ReLU and
	// batch-norm input gradients (2·12,544 + 4·12,544 + 4·12,544) and the
	// convs' input gradients but the first's (12,544+3,136+12,544).
	clfTrainFloats = 7296 + 10 + 7818 + 25088 + 50176 + 50176 + 28224
	// VAE encoder, any forward pass: conv, batch-norm (output and normalised
	// input) and LeakyReLU outputs (4·(25,088 + 3·12,544)), the 32-wide
	// dense block (4·32) and the two heads (2·20).
	vaeEncodeFloats = 250880 + 128 + 40
	// VAE decoder, any forward pass: the dense block to 14·14·64 (4·12,544),
	// the transposed conv's output (28·28·32), its batch norm and LeakyReLU
	// (3·25,088), the last conv's output (784), its batch norm (2·784) and
	// the sigmoid (784).
	vaeDecodeFloats = 50176 + 25088 + 75264 + 784 + 1568 + 784
	// VAE, training only: sampling (z, ε, σ: 3·20), loss gradients
	// (784+2·20), the sampling and heads' gradients (2·20 + 2·20 + 2·32),
	// the decoder's backward pass (784 + 3·25,088 + 3·12,544 + 20) and the
	// encoder's (32 + 32 + 12,544 + 2·62,720 + 25,088 + 2·12,544).
	vaeTrainFloats = 60 + 824 + 40 + 40 + 64 + 113700 + 188224

	// Per model, whatever the batch: the F(4×4, 3×3) Winograd transforms
	// of the kernels of the convs that take them (36·(16·16 + 16·64 +
	// 64·64) in the classifier, 36·2·64·64 in the VAE's encoder); a model in
	// training also holds those of their adjoints, for the input gradients.
	clfWinogradFloats = 193536
	vaeWinogradFloats = 294912
	// kernelScratchFloats is the kernels' scratch, shared by every model:
	// the products' packing buffers (48·256 + 64K), the largest block of
	// Winograd tiles or im2col rows (a block of the weight gradient of a
	// 64→64 conv at 14×14, 2·36·(48·64 + 16) + 36·64·64 + 6·18·64 + 16·64:
	// two sets of 36 planes of tiles, each padded by a cache line, the 36
	// C×n sums, a strip of six image rows with their border and a tile of
	// dy; the forward pass's blocks are smaller) and, with the SIMD128
	// kernels, the largest conv kernel transposed (576·64).
	kernelScratchFloats = 12288 + 65536 + 377728 + 36864

	// Parameters (weights, biases, batch-norm statistics) of each model.
	clfParams = 1660602
	vaeParams = 828941

	// mnistExamples are the images every run holds: the 60,000 training
	// images (the pool and the validation slice) and the 10,000 test ones,
	// each 784 pixel bytes, a label byte and an 8-byte index.
	mnistExamples     = 60000 + 10000
	mnistExampleBytes = data.Pixels + 1 + 8

	// runtimeBytes and gcSlackDiv make the Runtime part: the wasm memory
	// holds more than what is live. At start-up it is 12 MiB (the module's
	// static data, the runtime's structures, stacks); at a run's peak,
	// measured in Chromium (tests/memory/measure.mjs), it exceeded the live
	// bytes of the Data, TrainSet, Classifier and VAE parts by 120–130 MiB:
	// garbage not yet collected (buffers outgrown) and free memory too
	// fragmented for the next large buffer. runtimeBytes plus a sixteenth
	// of the live bytes (about 100 MiB) and the Worker part (about 137 MiB,
	// most of it only there if the page uses the kept models during a run)
	// cover that: the measured peaks were 0.88–0.89 of the estimate (0.88
	// again after inference stopped keeping im2col matrices, 0.79 for the
	// default run once training stopped keeping them too).
	runtimeBytes = 48 << 20
	gcSlackDiv   = 16
)

// ServeBatch is how many images the browser worker runs through a kept
// model at once (predict, walk, recon); the estimate's Worker part assumes
// it.
const ServeBatch = 10

// Memory is an estimate of the bytes a run holds at its peak, by part.
type Memory struct {
	// Data is MNIST as every run holds it (the pool, validation and test
	// images with labels and indices): about 55 MB whatever the config.
	Data int64
	// TrainSet is the training set of an augmented arm: the n originals
	// followed by n·k copies, 785 bytes each (pixels and label), for the
	// largest k; when a larger k follows a smaller one the set is
	// reallocated and both are alive during the copy. Plus the originals'
	// own copy (n·793 bytes).
	TrainSet int64
	// Classifier is the classifier's parameters five times (weights,
	// gradients, Adam's two moments, the best weights so far) and its
	// buffers: forward ones for max(batch, 100) images (validation and test
	// go 100 at a time), training ones for a batch, and the batch itself.
	Classifier int64
	// VAE is, when an arm samples the VAE, its parameters (weights,
	// gradients, RMSprop's state, one copy per snapshot) and buffers:
	// forward ones for max(VAE batch, 50) images (generation decodes 50 at
	// a time), training ones for a VAE batch; and the latent codes of the
	// originals during generation.
	VAE int64
	// Worker is what the browser worker keeps beside the run: the kept
	// weights of the previous run and of this one (two classifiers and a
	// VAE each), and the models that serve predict, walk and recon with
	// their buffers for ServeBatch images.
	Worker int64
	// Runtime is the Go runtime, the module's static data, garbage not yet
	// collected and fragmentation: 48 MiB plus a sixteenth of the rest.
	Runtime int64
}

// Total is the estimated peak in bytes.
func (m Memory) Total() int64 {
	return m.Data + m.TrainSet + m.Classifier + m.VAE + m.Worker + m.Runtime
}

// EstimateMemory returns an upper estimate of the memory a run of c (with
// defaults filled in) needs at its peak in the browser worker. It grows with
// n·k (the training set), the batch sizes (the models' buffers) and the
// number of VAE snapshots; epochs, steps and validation or test sizes do not
// change it.
func EstimateMemory(c Config) Memory {
	const f32 = 4
	var m Memory
	m.Data = mnistExamples * mnistExampleBytes

	n := int64(c.N)
	m.TrainSet = n * mnistExampleBytes
	if c.needsK() {
		var capacity, peak int64
		for _, k := range c.K {
			need := (n + n*int64(k)) * (data.Pixels + 1)
			if need > capacity {
				peak = max(peak, capacity+need)
				capacity = need
			}
		}
		m.TrainSet += peak
	}

	batch := int64(c.Batch)
	m.Classifier = f32 * (5*clfParams + 2*clfWinogradFloats + kernelScratchFloats +
		max(batch, evalBatch)*(clfForwardFloats+data.Pixels) + batch*clfTrainFloats)

	if c.needsVAE() {
		vb := int64(c.VAEBatch)
		m.VAE = f32 * ((3+int64(len(c.SnapshotEpochs)))*vaeParams + 2*vaeWinogradFloats +
			max(vb, genBatch)*(vaeEncodeFloats+vaeDecodeFloats+data.Pixels) + vb*vaeTrainFloats +
			2*n*20)
	}

	// The worker keeps two classifiers and a VAE for the previous run and
	// for this one, and serves predict, walk and recon with two classifiers
	// and a VAE (weights and gradients) and their inference buffers.
	var kept int64 = 2 * (2*clfParams + vaeParams)
	var serving int64 = 2*(2*clfParams+clfWinogradFloats+ServeBatch*clfForwardFloats) +
		2*vaeParams + vaeWinogradFloats + ServeBatch*(vaeEncodeFloats+vaeDecodeFloats)
	m.Worker = f32 * (kept + serving)

	live := m.Total()
	m.Runtime = runtimeBytes + live/gcSlackDiv
	return m
}

// checkMemory refuses c when its estimate exceeds MemoryCeiling, naming n,
// the largest k and the estimate's main parts.
func (c Config) checkMemory() error {
	m := EstimateMemory(c)
	if m.Total() <= MemoryCeiling {
		return nil
	}
	k := "k = none"
	if c.needsK() && len(c.K) > 0 {
		k = fmt.Sprintf("k = %d", slices.Max(c.K))
	}
	return fmt.Errorf("n = %d, %s: the run would need about %s of memory (estimate: training set %s, classifier %s, VAE %s), over the %s ceiling: use a smaller n·k or smaller batches",
		c.N, k, mib(m.Total()), mib(m.TrainSet), mib(m.Classifier), mib(m.VAE), mib(MemoryCeiling))
}

// mib formats a byte count in whole MiB, rounded up.
func mib(b int64) string { return fmt.Sprintf("%d MiB", (b+1<<20-1)>>20) }
