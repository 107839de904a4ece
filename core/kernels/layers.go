package kernels

import "fmt"

// The layer kernels: the per-channel loops of batch normalisation, the
// ReLU/LeakyReLU pair, 2x2 max pooling and a bias's two passes, for NHWC
// tensors stored as rows of c contiguous channels (c features for a dense
// layer's output).
//
// Each output's arithmetic is fixed by the pure-Go code in this file (the
// *Go functions, which are also the conformance references): a per-channel
// sum adds its rows in increasing order, in float64 (in float32 for a
// bias's gradient, as the layers always summed it), starting from the value already in the
// sum; an element-wise result is one fixed expression
// with every product rounded before it is added. The SIMD versions (SIMD128
// kernels on js/wasm, layers_wasm.go; AVX2 on amd64 with GOEXPERIMENT=simd,
// layers_avx_amd64.go) run their lanes across channels (or across elements
// for element-wise work), never across the terms of one sum, so they give
// the same bits. Every function panics with ErrShape on slices too short
// for the sizes given, and none allocates.

// blockFloats bounds the floats of one tensor (16 KiB) that a per-channel
// sum kernel is handed at a time. The SIMD sums keep a block of channels in
// registers while they walk down the rows, then move to the next block of
// channels; cutting the rows into blocks that stay in L1 means the tensor is
// read from memory once however many channel blocks there are. Splitting the
// rows changes no order: each block starts from the sums the previous one
// stored, in float64.
const blockFloats = 4096

// blockRows is how many rows of c channels go into one sum-kernel call.
func blockRows(c int) int { return max(1, blockFloats/c) }

// rowsOf checks that x holds whole rows of c > 0 channels and that each
// per-channel slice in pc has at least c entries, and returns the number of
// rows.
func rowsOf(op string, n, c int, pc ...int) int {
	if c <= 0 || n%c != 0 {
		panic(fmt.Errorf("%w: %s: %d values are not rows of %d channels", ErrShape, op, n, c))
	}
	for _, l := range pc {
		if l < c {
			panic(fmt.Errorf("%w: %s: per-channel slice of %d for %d channels", ErrShape, op, l, c))
		}
	}
	return n / c
}

func checkSameLen(op string, n int, ls ...int) {
	for _, l := range ls {
		if l < n {
			panic(fmt.Errorf("%w: %s: slice of %d for %d values", ErrShape, op, l, n))
		}
	}
}

// AddToRows adds b to every row of y (len(y)/len(b) rows of len(b)
// values): y[r*c+j] += b[j], a layer's bias. The SIMD128 kernel does it in
// lanes (addrows); natively Go's loop is already fast.
func AddToRows(y, b []float32) {
	rows := rowsOf("AddToRows", len(y), len(b))
	if rows > 0 && !simdAddToRows(y, b, rows) {
		addToRowsGo(y, b)
	}
}

func addToRowsGo(y, b []float32) {
	c := len(b)
	for r := 0; r < len(y); r += c {
		row := y[r : r+c]
		for j, v := range b {
			row[j] += v
		}
	}
}

// SumRowsInto adds every row of g (len(g)/len(db) rows of len(db) values)
// into db, in row order: db[j] += g[r*c+j] for r = 0, 1, ..., in float32 (a
// bias's gradient).
func SumRowsInto(db, g []float32) {
	rows := rowsOf("SumRowsInto", len(g), len(db))
	if rows > 0 && !simdSumRowsInto(db, g, rows) {
		sumRowsIntoGo(db, g)
	}
}

func sumRowsIntoGo(db, g []float32) {
	c := len(db)
	for r := 0; r < len(g); r += c {
		for j, v := range g[r : r+c] {
			db[j] += v
		}
	}
}

// ChannelSums adds the rows of x (len(x)/c rows of c channels) into sum in
// float64: sum[j] += float64(x[r*c+j]) for r = 0, 1, ... in order.
func ChannelSums(sum []float64, x []float32, c int) {
	rows := rowsOf("ChannelSums", len(x), c, len(sum))
	switch {
	case rows == 0:
	case simdOK || avxOK:
		rb := blockRows(c)
		for r0 := 0; r0 < rows; r0 += rb {
			fastChannelSums(sum, x[r0*c:], min(rb, rows-r0), c)
		}
	default:
		channelSumsGo(sum, x, c)
	}
}

func channelSumsGo(sum []float64, x []float32, c int) {
	sum = sum[:c]
	for r := 0; r < len(x); r += c {
		for j, v := range x[r : r+c] {
			sum[j] += float64(v)
		}
	}
}

// ChannelSqDevs adds the squared deviations of the rows of x from mean into
// sum2: d := float64(x[r*c+j]) - mean[j]; sum2[j] += d*d, rows in order
// (the second pass of a two-pass variance).
func ChannelSqDevs(sum2 []float64, x []float32, mean []float64, c int) {
	rows := rowsOf("ChannelSqDevs", len(x), c, len(sum2), len(mean))
	switch {
	case rows == 0:
	case simdOK || avxOK:
		rb := blockRows(c)
		for r0 := 0; r0 < rows; r0 += rb {
			fastChannelSqDevs(sum2, x[r0*c:], mean, min(rb, rows-r0), c)
		}
	default:
		channelSqDevsGo(sum2, x, mean, c)
	}
}

func channelSqDevsGo(sum2 []float64, x []float32, mean []float64, c int) {
	sum2, mean = sum2[:c], mean[:c]
	for r := 0; r < len(x); r += c {
		for j, v := range x[r : r+c] {
			d := float64(v) - mean[j]
			sum2[j] += float64(d * d)
		}
	}
}

// ChannelSumsDot adds, per channel, the rows of g into sum and the float32
// products g·h into sum2, both in float64 and rows in order:
// sum[j] += float64(g[i]); sum2[j] += float64(g[i]*h[i]) for i = r*c+j.
// (Batch norm's Σdy and Σdy·x̂.)
func ChannelSumsDot(sum, sum2 []float64, g, h []float32, c int) {
	rows := rowsOf("ChannelSumsDot", len(g), c, len(sum), len(sum2))
	checkSameLen("ChannelSumsDot", len(g), len(h))
	switch {
	case rows == 0:
	case simdOK || avxOK:
		rb := blockRows(c)
		for r0 := 0; r0 < rows; r0 += rb {
			o := r0 * c
			fastChannelSumsDot(sum, sum2, g[o:], h[o:], min(rb, rows-r0), c)
		}
	default:
		channelSumsDotGo(sum, sum2, g, h, c)
	}
}

func channelSumsDotGo(sum, sum2 []float64, g, h []float32, c int) {
	sum, sum2 = sum[:c], sum2[:c]
	h = h[:len(g)]
	for r := 0; r < len(g); r += c {
		gr, hr := g[r:r+c], h[r:r+c]
		for j, v := range gr {
			sum[j] += float64(v)
			sum2[j] += float64(v * hr[j])
		}
	}
}

// BatchNormApply normalises x per channel and applies scale and offset:
// xhat = (x - mean[j]) * invStd[j], y = gamma[j]*xhat + beta[j], in float32
// with the product rounded before the add.
func BatchNormApply(y, xhat, x, mean, invStd, gamma, beta []float32, c int) {
	rows := rowsOf("BatchNormApply", len(x), c, len(mean), len(invStd), len(gamma), len(beta))
	checkSameLen("BatchNormApply", len(x), len(y), len(xhat))
	switch {
	case rows == 0:
	case simdOK || avxOK:
		fastBatchNormApply(y, xhat, x, mean, invStd, gamma, beta, rows, c)
	default:
		batchNormApplyGo(y, xhat, x, mean, invStd, gamma, beta, c)
	}
}

func batchNormApplyGo(y, xhat, x, mean, invStd, gamma, beta []float32, c int) {
	mean, invStd, gamma, beta = mean[:c], invStd[:c], gamma[:c], beta[:c]
	y, xhat = y[:len(x)], xhat[:len(x)]
	for r := 0; r < len(x); r += c {
		xr, hr, yr := x[r:r+c], xhat[r:r+c], y[r:r+c]
		for j, v := range xr {
			h := float32(v-mean[j]) * invStd[j]
			hr[j] = h
			yr[j] = float32(gamma[j]*h) + beta[j]
		}
	}
}

// ScaleChannels sets dst = x * scale[j] per channel.
func ScaleChannels(dst, x, scale []float32, c int) {
	rows := rowsOf("ScaleChannels", len(x), c, len(scale))
	checkSameLen("ScaleChannels", len(x), len(dst))
	switch {
	case rows == 0:
	case simdOK || avxOK:
		fastScaleChannels(dst, x, scale, rows, c)
	default:
		scaleChannelsGo(dst, x, scale, c)
	}
}

func scaleChannelsGo(dst, x, scale []float32, c int) {
	scale = scale[:c]
	dst = dst[:len(x)]
	for r := 0; r < len(x); r += c {
		for j, v := range x[r : r+c] {
			dst[r+j] = v * scale[j]
		}
	}
}

// BatchNormBackward is the input gradient of a batch norm in training mode,
// dx = γ·invStd/n · (n·dy − Σdy − x̂·Σ(dy·x̂)), in float64 per element:
// dx = float32(coef[j] * ((n*g - sum[j]) - h*sum2[j])) with every product
// rounded before it is added, for g = dy, h = x̂ and coef = γ·invStd/n.
func BatchNormBackward(dx, g, h []float32, sum, sum2, coef []float64, n float64, c int) {
	rows := rowsOf("BatchNormBackward", len(g), c, len(sum), len(sum2), len(coef))
	checkSameLen("BatchNormBackward", len(g), len(dx), len(h))
	switch {
	case rows == 0:
	case simdOK || avxOK:
		fastBatchNormBackward(dx, g, h, sum, sum2, coef, n, rows, c)
	default:
		batchNormBackwardGo(dx, g, h, sum, sum2, coef, n, c)
	}
}

func batchNormBackwardGo(dx, g, h []float32, sum, sum2, coef []float64, n float64, c int) {
	sum, sum2, coef = sum[:c], sum2[:c], coef[:c]
	dx, h = dx[:len(g)], h[:len(g)]
	for r := 0; r < len(g); r += c {
		gr, hr, dr := g[r:r+c], h[r:r+c], dx[r:r+c]
		for j, v := range gr {
			t := float64(n*float64(v)) - sum[j] - float64(float64(hr[j])*sum2[j])
			dr[j] = float32(coef[j] * t)
		}
	}
}

// DropoutMask turns the uniform draws in mask into a dropout mask in
// place: +0 where u < rate, else scale. Go compiled to wasm dispatches
// every branch of a loop through a br_table, and this loop took about
// 10 ns an element there; the SIMD128 kernel (dropmask) takes lanes of 4.
func DropoutMask(mask []float32, rate, scale float32) {
	if len(mask) > 0 && !simdDropoutMask(mask, rate, scale) {
		dropoutMaskGo(mask, rate, scale)
	}
}

func dropoutMaskGo(mask []float32, rate, scale float32) {
	for i, u := range mask {
		if u < rate {
			mask[i] = 0
		} else {
			mask[i] = scale
		}
	}
}

// ReLU sets y = max(x, 0) element-wise, with Go's max: a NaN stays NaN and
// -0 becomes +0.
func ReLU(y, x []float32) {
	checkSameLen("ReLU", len(y), len(x))
	switch {
	case len(y) == 0:
	case simdOK || avxOK:
		fastReLU(y, x[:len(y)])
	default:
		reluGo(y, x)
	}
}

func reluGo(y, x []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] = max(v, 0)
	}
}

// ReLUBackward sets dx = g where the ReLU's output y is positive, else +0.
func ReLUBackward(dx, g, y []float32) {
	checkSameLen("ReLUBackward", len(dx), len(g), len(y))
	switch {
	case len(dx) == 0:
	case simdOK || avxOK:
		fastReLUBackward(dx, g[:len(dx)], y[:len(dx)])
	default:
		reluBackwardGo(dx, g, y)
	}
}

func reluBackwardGo(dx, g, y []float32) {
	g, y = g[:len(dx)], y[:len(dx)]
	for i, v := range g {
		if y[i] > 0 {
			dx[i] = v
		} else {
			dx[i] = 0
		}
	}
}

// LeakyReLU sets y = x where x > 0, else alpha*x, element-wise.
func LeakyReLU(y, x []float32, alpha float32) {
	checkSameLen("LeakyReLU", len(y), len(x))
	switch {
	case len(y) == 0:
	case simdOK || avxOK:
		fastLeakyReLU(y, x[:len(y)], alpha)
	default:
		leakyReLUGo(y, x, alpha)
	}
}

func leakyReLUGo(y, x []float32, alpha float32) {
	x = x[:len(y)]
	for i, v := range x {
		if v > 0 {
			y[i] = v
		} else {
			y[i] = alpha * v
		}
	}
}

// LeakyReLUBackward sets dx = g where the input x was positive, else
// alpha*g.
func LeakyReLUBackward(dx, g, x []float32, alpha float32) {
	checkSameLen("LeakyReLUBackward", len(dx), len(g), len(x))
	switch {
	case len(dx) == 0:
	case simdOK || avxOK:
		fastLeakyReLUBackward(dx, g[:len(dx)], x[:len(dx)], alpha)
	default:
		leakyReLUBackwardGo(dx, g, x, alpha)
	}
}

func leakyReLUBackwardGo(dx, g, x []float32, alpha float32) {
	g, x = g[:len(dx)], x[:len(dx)]
	for i, v := range g {
		if x[i] > 0 {
			dx[i] = v
		} else {
			dx[i] = alpha * v
		}
	}
}

// MaxPool2x2 takes the maximum of each 2x2 window, stride 2, of the n×h×w×c
// tensor x into y (n×⌈h/2⌉×⌈w/2⌉×c) and the flat index into x of each
// maximum into arg. Windows start at even rows and columns; one that runs
// past an odd edge uses only the pixels inside. The pixels are visited in
// row-major order and a later one wins only if it is greater, so ties (and
// a NaN first pixel) go to the first.
func MaxPool2x2(y []float32, arg []int32, x []float32, n, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	checkPool("MaxPool2x2", n, h, w, c)
	checkSameLen("MaxPool2x2", n*h*w*c, len(x))
	checkSameLen("MaxPool2x2", n*oh*ow*c, len(y), len(arg))
	switch {
	case n*h*w*c == 0:
	case simdOK || avxOK:
		fastMaxPool2x2(y, arg, x, n, h, w, c)
	default:
		maxPool2x2Go(y, arg, x, n, h, w, c)
	}
}

func checkPool(op string, n, h, w, c int) {
	if n < 0 || h < 0 || w < 0 || c < 0 || n*h*w*c > 1<<31-1 {
		panic(fmt.Errorf("%w: %s: shape %d×%d×%d×%d", ErrShape, op, n, h, w, c))
	}
}

func maxPool2x2Go(y []float32, arg []int32, x []float32, n, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	o := 0
	for b := range n {
		for i := range oh {
			for j := range ow {
				for ch := range c {
					best := -1
					for di := range 2 {
						r := 2*i + di
						if r >= h {
							break
						}
						for dj := range 2 {
							cc := 2*j + dj
							if cc >= w {
								break
							}
							idx := ((b*h+r)*w+cc)*c + ch
							if best < 0 || x[idx] > x[best] {
								best = idx
							}
						}
					}
					y[o] = x[best]
					arg[o] = int32(best)
					o++
				}
			}
		}
	}
}

// MaxPool2x2Backward routes each output gradient dy to its window's maximum
// (arg, from MaxPool2x2 with the same shape): dx (n×h×w×c) is +0 except
// there, where it is +0 + dy.
func MaxPool2x2Backward(dx, dy []float32, arg []int32, n, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	checkPool("MaxPool2x2Backward", n, h, w, c)
	checkSameLen("MaxPool2x2Backward", n*h*w*c, len(dx))
	checkSameLen("MaxPool2x2Backward", n*oh*ow*c, len(dy), len(arg))
	switch {
	case n*h*w*c == 0:
	case simdOK || avxOK:
		fastMaxPool2x2Backward(dx, dy, arg, n, h, w, c)
	default:
		maxPool2x2BackwardGo(dx, dy, arg, n, h, w, c)
	}
}

func maxPool2x2BackwardGo(dx, dy []float32, arg []int32, n, h, w, c int) {
	oh, ow := (h+1)/2, (w+1)/2
	dx = dx[:n*h*w*c]
	clear(dx)
	for o, v := range dy[:n*oh*ow*c] {
		dx[arg[o]] += v
	}
}
