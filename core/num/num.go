// Package num holds the elementary functions used on the training path,
// written in pure Go so that the same inputs give bit-identical results on
// every platform.
//
// Go's math.Exp and math.Log use assembly on amd64, arm64 and s390x but pure
// Go on wasm, and the two disagree in the last bit for some inputs; and the Go
// compiler may fuse a multiply followed by an add into one FMA instruction on
// arm64 (and other targets) but not on amd64 or wasm. The functions here are
// ports of the portable algorithms in Go's math package with every product
// that feeds an addition wrapped in an explicit float64 conversion, which the
// Go specification says forbids fusion. They are therefore bit-identical
// across amd64, arm64 and wasm, and agree with math within 1 ulp.
//
// Only exact IEEE helpers from math (Frexp, Ldexp, Float64bits, IsNaN, ...)
// are used; those have no rounding freedom.
package num
