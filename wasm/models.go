//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"vaeaug/core/data"
	"vaeaug/core/model"
	"vaeaug/core/nn"
	"vaeaug/core/study"
)

// keptInfo says which arm of which run a kept model comes from.
type keptInfo struct {
	Arm     string  `json:"arm"`
	K       int     `json:"k"`
	Level   int     `json:"level"`
	Epoch   int     `json:"epoch,omitempty"`
	ValAcc  float64 `json:"valAcc"`
	TestAcc float64 `json:"testAcc"`
	RunID   int     `json:"runId"`
	N       int     `json:"n"`
	Seed    uint64  `json:"seed"`
}

// keptArm is a classifier's kept weights, in Params order.
type keptArm struct {
	info   keptInfo
	params []float32
}

// keptVAE is a VAE snapshot's weights, in Params order.
type keptVAE struct {
	info   keptInfo
	params []float32
}

// keptRun is what one run keeps for predict, export and walk.
type keptRun struct {
	baseline, augmented *keptArm
	vae                 *keptVAE
}

// keptModels serves the models of the last finished run (or those the page
// restored with a "weights" request). The classifiers and VAE used to
// serve them are built on first use and reloaded when the kept weights
// change.
type keptModels struct {
	mu     sync.Mutex
	cur    keptRun
	clf    [2]*model.Classifier // baseline, augmented
	clfFor [2]*keptArm          // the weights loaded into clf[i]
	vae    *model.VAE
	vaeFor *keptVAE
}

// commit makes a finished run's models the served ones. A run without an
// augmented arm (or without a VAE) keeps the previous one's.
func (m *keptModels) commit(r *keptRun) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.baseline != nil {
		m.cur.baseline = r.baseline
	}
	if r.augmented != nil || r.baseline != nil {
		// The augmented arm must belong to the same run as the baseline
		// for the comparison to mean anything.
		m.cur.augmented = r.augmented
	}
	if r.vae != nil {
		m.cur.vae = r.vae
	}
}

// classifier returns the classifier holding kept arm i (0 baseline,
// 1 augmented), or nil when none is kept. Call with m.mu held.
func (m *keptModels) classifier(i int) (*model.Classifier, *keptArm) {
	k := m.cur.baseline
	if i == 1 {
		k = m.cur.augmented
	}
	if k == nil {
		return nil, nil
	}
	if m.clf[i] == nil {
		m.clf[i] = model.NewClassifier(1)
	}
	if m.clfFor[i] != k {
		loadParams(m.clf[i].Params(), k.params)
		m.clfFor[i] = k
	}
	return m.clf[i], k
}

// vaeModel returns the VAE holding the kept snapshot, or nil. Call with
// m.mu held.
func (m *keptModels) vaeModel() (*model.VAE, *keptVAE) {
	k := m.cur.vae
	if k == nil {
		return nil, nil
	}
	if m.vae == nil {
		m.vae = model.NewVAE(1)
	}
	if m.vaeFor != k {
		loadParams(m.vae.Params(), k.params)
		m.vaeFor = k
	}
	return m.vae, k
}

// maxPredict is the most images one predict, walk or recon request takes.
const maxPredict = 500

// serveBatch is how many images go through a kept model at once: the
// models' buffers grow to the largest batch they see (about 1.9 MB an image
// for a classifier, 3.9 MB for the VAE) and stay, beside any run, so they
// are kept small; study.EstimateMemory counts them at this size.
const serveBatch = study.ServeBatch

// release drops the serving models and their buffers (the kept weights
// stay; the models are rebuilt on first use), so that a run does not share
// the memory with them.
func (m *keptModels) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clf, m.clfFor = [2]*model.Classifier{}, [2]*keptArm{}
	m.vae, m.vaeFor = nil, nil
}

// predict answers {pixels: Float32Array(m·784)} (a drawing, values in
// [0,1]) or {offset, count} (test digits) with each kept classifier's
// probabilities.
func (w *worker) predict(req request) error {
	var x []float32
	var labels []int
	var pix []byte
	pv, err := req.msg.Get("pixels")
	if err != nil {
		return err
	}
	offset := 0
	if !pv.IsUndefined() {
		if x, err = w.js.floatsFromJS(pv); err != nil {
			return fmt.Errorf("pixels: %w", err)
		}
		if len(x) == 0 || len(x)%784 != 0 || len(x) > maxPredict*784 {
			return fmt.Errorf("pixels: %d values: want a positive multiple of 784, at most %d images", len(x), maxPredict)
		}
	} else {
		test, err := w.testSet()
		if err != nil {
			return err
		}
		var count int
		if offset, count, err = rangeArgs(req, test.Len()); err != nil {
			return err
		}
		x = make([]float32, count*784)
		pix = make([]byte, 0, count*784)
		for i := range count {
			test.Images.Float32(x[i*784:(i+1)*784], offset+i)
			pix = append(pix, test.Images.At(offset+i)...)
			labels = append(labels, test.Label(offset+i))
		}
	}
	count := len(x) / 784
	w.kept.mu.Lock()
	defer w.kept.mu.Unlock()
	ev := predictionEvent{Type: "prediction", ID: req.id, Count: count, Labels: labels, Offset: offset}
	var bins []binaryField
	for i, name := range []string{"baseline", "augmented"} {
		c, k := w.kept.classifier(i)
		if c == nil {
			if i == 0 {
				return errors.New("no trained classifier yet: finish a run first")
			}
			continue
		}
		probs := make([]float32, count*10)
		preds := make([]int, count)
		for s := 0; s < count; s += serveBatch {
			b := min(serveBatch, count-s)
			logits := nn.Data(c.Logits(nn.FromSlice(x[s*784:(s+b)*784], b, 28, 28, 1)))
			for j := range b {
				preds[s+j] = softmax(probs[(s+j)*10:(s+j+1)*10], logits[j*10:(j+1)*10])
			}
		}
		arr, err := w.js.floatsToJS(probs)
		if err != nil {
			return err
		}
		bins = append(bins, binaryField{name, arr})
		info := k.info
		if i == 0 {
			ev.BaselineArm, ev.BaselinePred = &info, preds
		} else {
			ev.AugmentedArm, ev.AugmentedPred = &info, preds
		}
	}
	if pix != nil {
		arr, err := w.js.bytesToJS(pix)
		if err != nil {
			return err
		}
		bins = append(bins, binaryField{"pixels", arr})
	}
	w.emit(ev, bins...)
	return nil
}

// export answers {which: "baseline"|"augmented"|"vae"} with the kept
// model's weights as a Keras-layout .npz archive (field "bytes").
func (w *worker) export(req request) error {
	which, err := optString(req.msg, "which", "baseline")
	if err != nil {
		return err
	}
	w.kept.mu.Lock()
	defer w.kept.mu.Unlock()
	var b []byte
	var info keptInfo
	switch which {
	case "baseline", "augmented":
		i := 0
		if which == "augmented" {
			i = 1
		}
		c, k := w.kept.classifier(i)
		if c == nil {
			return fmt.Errorf("no %s classifier kept: finish a run with that arm first", which)
		}
		info = k.info
		b, err = npzOf(func(buf *bytes.Buffer) error { return model.SaveWeights(buf, c.Net.Layers) })
	case "vae":
		v, k := w.kept.vaeModel()
		if v == nil {
			return errors.New("no VAE kept: finish a run with a VAE arm first")
		}
		info = k.info
		b, err = npzOf(func(buf *bytes.Buffer) error { return model.SaveWeights(buf, v.Layers()) })
	default:
		return fmt.Errorf("which = %q: want baseline, augmented or vae", which)
	}
	if err != nil {
		return err
	}
	arr, err := w.js.bytesToJS(b)
	if err != nil {
		return err
	}
	w.emit(exportEvent{Type: "export", ID: req.id, Which: which, Arm: info, Filename: npzName(which, info)},
		binaryField{"bytes", arr})
	return nil
}

// npzOf returns the bytes save writes: a Keras-layout .npz archive.
func npzOf(save func(*bytes.Buffer) error) ([]byte, error) {
	var buf bytes.Buffer
	if err := save(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// npzName is the download name of an exported model.
func npzName(which string, k keptInfo) string {
	name := fmt.Sprintf("vaeaug-n%d-seed%d-%s", k.N, k.Seed, strings.ReplaceAll(k.Arm, "+", "-"))
	if which == "augmented" {
		name += fmt.Sprintf("-k%d", k.K)
	}
	if k.Level >= 0 && k.Arm != "baseline" {
		name += fmt.Sprintf("-level%d", k.Level)
	}
	return name + ".npz"
}

// setWeights answers {which, bytes: Uint8Array (.npz), info} by loading an
// archive exported earlier (the page keeps the last run's in IndexedDB),
// so that predict and walk work again after a reload.
func (w *worker) setWeights(req request) error {
	which, err := optString(req.msg, "which", "")
	if err != nil {
		return err
	}
	bv, err := req.msg.Get("bytes")
	if err != nil {
		return err
	}
	b, err := w.js.bytesFromJS(bv)
	if err != nil {
		return fmt.Errorf("bytes: %w", err)
	}
	var info keptInfo
	if iv, err := req.msg.Get("info"); err == nil && !iv.IsUndefined() && !iv.IsNull() {
		s, err := w.js.stringify(iv)
		if err != nil {
			return fmt.Errorf("info: %w", err)
		}
		if err := json.Unmarshal([]byte(s), &info); err != nil {
			return fmt.Errorf("info: %w", err)
		}
	}
	w.kept.mu.Lock()
	defer w.kept.mu.Unlock()
	switch which {
	case "baseline", "augmented":
		c := model.NewClassifier(1)
		if err := model.LoadWeights(bytes.NewReader(b), int64(len(b)), c.Net.Layers); err != nil {
			return err
		}
		k := &keptArm{info: info, params: copyParams(c.Params())}
		if which == "baseline" {
			w.kept.cur.baseline = k
		} else {
			w.kept.cur.augmented = k
		}
	case "vae":
		v := model.NewVAE(1)
		if err := model.LoadWeights(bytes.NewReader(b), int64(len(b)), v.Layers()); err != nil {
			return err
		}
		w.kept.cur.vae = &keptVAE{info: info, params: copyParams(v.Params())}
	default:
		return fmt.Errorf("which = %q: want baseline, augmented or vae", which)
	}
	w.emit(idEvent{Type: "weightsLoaded", ID: req.id})
	return nil
}

// walk answers {from, to, steps} (test indices) with the kept VAE's decoded
// images along the straight line between the two digits' latent means
// (field "images", steps·784 bytes) and the two digits (field "ends").
func (w *worker) walk(req request) error {
	test, err := w.testSet()
	if err != nil {
		return err
	}
	from, err := optInt(req.msg, "from", 0)
	if err != nil {
		return err
	}
	to, err := optInt(req.msg, "to", 1)
	if err != nil {
		return err
	}
	steps, err := optInt(req.msg, "steps", 10)
	if err != nil {
		return err
	}
	if from < 0 || from >= test.Len() || to < 0 || to >= test.Len() {
		return fmt.Errorf("from = %d, to = %d: want test indices from 0 to %d", from, to, test.Len()-1)
	}
	if steps < 2 || steps > 64 {
		return fmt.Errorf("steps = %d: want 2 to 64", steps)
	}
	w.kept.mu.Lock()
	defer w.kept.mu.Unlock()
	v, k := w.kept.vaeModel()
	if v == nil {
		return errors.New("no VAE kept: finish a run with a VAE arm first")
	}
	x := make([]float32, 2*784)
	test.Images.Float32(x[:784], from)
	test.Images.Float32(x[784:], to)
	mean, _ := v.Encode(nn.FromSlice(x, 2, 28, 28, 1))
	mu := nn.Data(mean)
	const d = model.LatentDim
	z := make([]float32, steps*d)
	for s := range steps {
		t := float32(s) / float32(steps-1)
		for j := range d {
			z[s*d+j] = (1-t)*mu[j] + t*mu[d+j]
		}
	}
	img := make([]byte, 0, steps*784)
	for s := 0; s < steps; s += serveBatch {
		b := min(serveBatch, steps-s)
		img = append(img, toBytes(nn.Data(v.Decode(nn.FromSlice(z[s*d:(s+b)*d], b, d))))...)
	}
	ends := append(append([]byte(nil), test.Images.At(from)...), test.Images.At(to)...)
	imgArr, err := w.js.bytesToJS(img)
	if err != nil {
		return err
	}
	endArr, err := w.js.bytesToJS(ends)
	if err != nil {
		return err
	}
	w.emit(imagesEvent{Type: "walk", ID: req.id, Count: steps, Steps: steps, From: from, To: to, Level: k.info.Level},
		binaryField{"images", imgArr}, binaryField{"ends", endArr})
	return nil
}

// recon answers {offset, count} with the kept VAE's reconstructions
// (decoded latent means) of those test digits (fields "originals" and
// "images", count·784 bytes each).
func (w *worker) recon(req request) error {
	test, err := w.testSet()
	if err != nil {
		return err
	}
	offset, count, err := rangeArgs(req, test.Len())
	if err != nil {
		return err
	}
	w.kept.mu.Lock()
	defer w.kept.mu.Unlock()
	v, k := w.kept.vaeModel()
	if v == nil {
		return errors.New("no VAE kept: finish a run with a VAE arm first")
	}
	x := make([]float32, count*784)
	orig := make([]byte, 0, count*784)
	for i := range count {
		test.Images.Float32(x[i*784:(i+1)*784], offset+i)
		orig = append(orig, test.Images.At(offset+i)...)
	}
	img := make([]byte, 0, count*784)
	for s := 0; s < count; s += serveBatch {
		b := min(serveBatch, count-s)
		mean, _ := v.Encode(nn.FromSlice(x[s*784:(s+b)*784], b, 28, 28, 1))
		img = append(img, toBytes(nn.Data(v.Decode(mean)))...)
	}
	oArr, err := w.js.bytesToJS(orig)
	if err != nil {
		return err
	}
	iArr, err := w.js.bytesToJS(img)
	if err != nil {
		return err
	}
	w.emit(imagesEvent{Type: "recon", ID: req.id, Count: count, From: offset, Level: k.info.Level},
		binaryField{"originals", oArr}, binaryField{"images", iArr})
	return nil
}

// testSet is the loaded test set, or an error before the data is loaded.
func (w *worker) testSet() (*data.Dataset, error) {
	select {
	case <-w.loaded:
	default:
		return nil, errors.New("the data is not loaded yet")
	}
	if w.loadErr != nil {
		return nil, w.loadErr
	}
	return w.data.Test, nil
}

// rangeArgs reads {offset, count} for n items (count 1 to maxPredict).
func rangeArgs(req request, n int) (offset, count int, err error) {
	if offset, err = optInt(req.msg, "offset", 0); err != nil {
		return 0, 0, err
	}
	if count, err = optInt(req.msg, "count", 10); err != nil {
		return 0, 0, err
	}
	if count < 1 || count > maxPredict || offset < 0 || offset+count > n {
		return 0, 0, fmt.Errorf("offset = %d, count = %d: want 1 to %d items within 0..%d", offset, count, maxPredict, n)
	}
	return offset, count, nil
}

// softmax writes the probabilities of logits into dst and returns the
// index of the largest.
func softmax(dst, logits []float32) int {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	var sum float64
	for i, v := range logits {
		e := math.Exp(float64(v - logits[best]))
		dst[i] = float32(e)
		sum += e
	}
	for i := range dst {
		dst[i] = float32(float64(dst[i]) / sum)
	}
	return best
}

// toBytes rounds [0,1] pixel values to bytes.
func toBytes(f []float32) []byte {
	b := make([]byte, len(f))
	for i, v := range f {
		x := v*255 + 0.5
		switch {
		case !(x > 0):
			b[i] = 0
		case x >= 255:
			b[i] = 255
		default:
			b[i] = uint8(x)
		}
	}
	return b
}

// copyParams copies every parameter's values, BatchNorm statistics
// included.
func copyParams(ps []*nn.Param) []float32 {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	out := make([]float32, 0, n)
	for _, p := range ps {
		out = append(out, p.Data()...)
	}
	return out
}

// loadParams copies values saved by copyParams back into ps.
func loadParams(ps []*nn.Param, src []float32) {
	for _, p := range ps {
		src = src[copy(p.Data(), src):]
	}
}
