// Package kernels holds the numeric inner loops every layer calls: matrix
// products, transposes and the im2col/col2im pair for 3x3 convolutions.
//
// Every product is shaped "broadcast A[i,p], multiply the contiguous row
// B[p, j..j+w], add into C[i, j..j+w]", and each element of C accumulates its
// terms in increasing p, starting from its old value (or zero). Because the
// order of every addition is fixed and no multiply is fused with an add, a
// SIMD implementation that keeps this order gives the same bits as the
// pure-Go loops, and so does any split of the rows of C across goroutines.
// The pure-Go code here computes small tiles of C as dot products over packed
// copies of the operands instead, but every element still sees exactly that
// sequence of roundings.
//
// Large calls are spread over a pool of worker goroutines (sized by
// GOMAXPROCS, started on first use) by cutting the output into disjoint
// blocks, never a sum, so results do not depend on the number of cores. On
// GOARCH=wasm everything runs in the calling goroutine. Once warm, no call
// allocates.
//
// On js/wasm, Gemm, GemmTA, GemmTB (for C at least 8 columns wide) and
// Col2im run on hand-written SIMD128 kernels (simd/kernels.wat) when the host
// supplies them as the import module "simd" (static/worker.js in the browser,
// scripts/go_js_wasm_exec_simd under Node); otherwise, and on every other
// platform, on the pure-Go code. The kernels keep the order above, so both
// give the same bits: the same conformance tests run against each
// (make test-wasm runs them with and without VAEAUG_SIMD=0).
//
// Natively on amd64, a build with GOEXPERIMENT=simd (make vaeaug, and make
// test-native's second pass) runs the three products on AVX2 tiles written
// with Go's experimental simd/archsimd (avx_amd64.go), which keep the same
// order and so the same bits; VAEAUG_SIMD=0 turns them off.
//
// The per-channel and element-wise passes of BatchNorm, ReLU, LeakyReLU and
// 2x2 max pooling (layers.go) follow the same scheme: a pure-Go reference,
// SIMD128 exports of the same module on js/wasm and AVX2 versions natively,
// with lanes only across channels or independent elements, so each output
// keeps its serial order and all three give the same bits.
//
// Convolutions (conv.go, conv_backward.go, winograd.go, winograd_grad.go):
// Conv3x3Forward and Conv3x3Backward are Im2col, Gemm, GemmTA, GemmTB and
// Col2im done a block of rows at a time, with the same bits, except a
// forward pass to one output channel (conv_oneout.go): four partial sums
// across channels, in a fixed order that the SIMD128 kernel keeps. Where the
// shape allows, the layers take Winograd instead: Conv3x3Winograd,
// F(4×4, 3×3), for the outputs and input gradients, and
// Conv3x3WinogradWeightGrad, F(3×3, 4×4), for the weight gradients. Their
// transforms are fixed expressions (with lanes across channels in SIMD128
// exports on js/wasm, and in AVX2 natively) and their 36 products are
// Gemm's and GemmTA's, so they too give the same bits everywhere,
// though not those of the direct sums.
//
// Matrices are dense, row-major []float32 with their dimensions passed
// explicitly. Dimension mismatches are programmer errors and panic with
// ErrShape.
package kernels
