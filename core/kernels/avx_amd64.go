//go:build goexperiment.simd && amd64

package kernels

import (
	"os"
	"simd/archsimd"
)

// Native SIMD (built with GOEXPERIMENT=simd on amd64): the three products run
// on AVX2 tiles written with Go's experimental simd/archsimd. They compute
// exactly what the SIMD128 kernels of simd/kernels.wat compute, in the order
// doc.go fixes: each lane of an accumulator is one C[i,j] and adds the
// rounded product A[i,p]*B[p,j] for p in increasing order, with a separate
// multiply and add (archsimd fuses only when asked to with MulAdd, which this
// file never calls; make fma-check also compiles it and fails on any
// VFMADD). So the bits equal the pure-Go path's, which still serves every
// other platform, the shapes below, and VAEAUG_SIMD=0.

// avxOK is whether the AVX2 tiles are in use: the CPU has AVX2 and the
// environment did not turn them off (VAEAUG_SIMD=0 runs the pure-Go path,
// so one binary can check the two against each other).
var avxOK = archsimd.X86.AVX2() && os.Getenv("VAEAUG_SIMD") != "0"

// avxMinN is the narrowest block of C the tiles take (one vector of
// columns); narrower ones stay on the pure-Go tiles.
const avxMinN = 8

// avxRange computes rows [i0,i1) × columns [j0,j1) of C with the AVX2 tiles
// and reports true, or reports false, having done nothing, when they are
// off or the block is one the pure-Go path handles as well.
func avxRange(o op, c, a, b []float32, m, n, k int, acc bool, i0, i1, j0, j1 int, s *scratch) bool {
	if !avxOK || j1-j0 < avxMinN || (k <= smallK && o != opGemmTA) {
		return false
	}
	// Equal p runs as in gemmRange; C is stored between runs, which rounds
	// nothing because the accumulators are float32 already.
	kc := runLen(k)
	nc := max(16, ncFloats/kc/16*16)
	for jb := j0; jb < j1; jb += nc {
		nb := min(nc, j1-jb)
		for p0 := 0; p0 < k; p0 += kc {
			kk := min(kc, k-p0)
			load := acc || p0 > 0
			// B as kk rows of nb contiguous columns; A(i,p) = ap[i*ars+p*aps].
			var bp []float32
			var ldb int
			switch o {
			case opGemm, opGemmTA:
				bp, ldb = b[p0*n+jb:], n
			case opGemmTB:
				bp, ldb = s.b[:nb*kk], nb
				transposeBlock(bp, nb, b[jb*k+p0:], k, nb, kk)
			}
			var ap []float32
			ars, aps := k, 1
			if o == opGemmTA {
				ap, ars, aps = a[p0*m:], 1, m
			} else {
				ap = a[p0:]
			}
			avxBlock(c[jb:], n, ap, ars, aps, bp, ldb, i0, i1, nb, kk, load)
		}
	}
	return true
}

// avxBlock updates rows [i0,i1) and the nb columns of C at c (row stride
// ldc) with kk terms: C[i,j] += Σ_p a[i*ars+p*aps] * b[p*ldb+j].
func avxBlock(c []float32, ldc int, a []float32, ars, aps int, b []float32, ldb, i0, i1, nb, kk int, load bool) {
	j16 := nb &^ 15
	j8 := nb &^ 7
	i := i0
	for ; i+4 <= i1; i += 4 {
		ci, ai := c[i*ldc:], a[i*ars:]
		for j := 0; j < j16; j += 16 {
			avx4x16(ci[j:], ldc, ai, ars, aps, b[j:], ldb, kk, load)
		}
		if j16 < j8 {
			avx4x8(ci[j16:], ldc, ai, ars, aps, b[j16:], ldb, kk, load)
		}
	}
	for ; i < i1; i++ {
		ci, ai := c[i*ldc:], a[i*ars:]
		for j := 0; j < j8; j += 8 {
			avx1x8(ci[j:], ai, aps, b[j:], ldb, kk, load)
		}
	}
	if j8 == nb {
		return
	}
	for i := i0; i < i1; i++ {
		for j := j8; j < nb; j++ {
			k1x1(c[i*ldc+j:], a[i*ars:], aps, b[j:], ldb, kk, load)
		}
	}
}

// avx4x16 updates the 4×16 tile of C at c: eight accumulators, two vectors
// of B and four broadcasts of A per p.
func avx4x16(c []float32, ldc int, a []float32, ars, aps int, b []float32, ldb, kk int, load bool) {
	r0 := c[:16:16]
	r1 := c[ldc : ldc+16 : ldc+16]
	r2 := c[2*ldc : 2*ldc+16 : 2*ldc+16]
	r3 := c[3*ldc : 3*ldc+16 : 3*ldc+16]
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
	if load {
		c00, c01 = archsimd.LoadFloat32x8Slice(r0), archsimd.LoadFloat32x8Slice(r0[8:])
		c10, c11 = archsimd.LoadFloat32x8Slice(r1), archsimd.LoadFloat32x8Slice(r1[8:])
		c20, c21 = archsimd.LoadFloat32x8Slice(r2), archsimd.LoadFloat32x8Slice(r2[8:])
		c30, c31 = archsimd.LoadFloat32x8Slice(r3), archsimd.LoadFloat32x8Slice(r3[8:])
	}
	_ = a[3*ars+(kk-1)*aps]
	_ = b[(kk-1)*ldb+15]
	ao, bo := 0, 0
	for range kk {
		bv := b[bo : bo+16 : bo+16]
		b0 := archsimd.LoadFloat32x8Slice(bv)
		b1 := archsimd.LoadFloat32x8Slice(bv[8:])
		x := archsimd.BroadcastFloat32x8(a[ao])
		c00 = c00.Add(x.Mul(b0))
		c01 = c01.Add(x.Mul(b1))
		x = archsimd.BroadcastFloat32x8(a[ao+ars])
		c10 = c10.Add(x.Mul(b0))
		c11 = c11.Add(x.Mul(b1))
		x = archsimd.BroadcastFloat32x8(a[ao+2*ars])
		c20 = c20.Add(x.Mul(b0))
		c21 = c21.Add(x.Mul(b1))
		x = archsimd.BroadcastFloat32x8(a[ao+3*ars])
		c30 = c30.Add(x.Mul(b0))
		c31 = c31.Add(x.Mul(b1))
		ao += aps
		bo += ldb
	}
	c00.StoreSlice(r0)
	c01.StoreSlice(r0[8:])
	c10.StoreSlice(r1)
	c11.StoreSlice(r1[8:])
	c20.StoreSlice(r2)
	c21.StoreSlice(r2[8:])
	c30.StoreSlice(r3)
	c31.StoreSlice(r3[8:])
}

// avx4x8 is avx4x16 for a block 8 columns wide.
func avx4x8(c []float32, ldc int, a []float32, ars, aps int, b []float32, ldb, kk int, load bool) {
	r0 := c[:8:8]
	r1 := c[ldc : ldc+8 : ldc+8]
	r2 := c[2*ldc : 2*ldc+8 : 2*ldc+8]
	r3 := c[3*ldc : 3*ldc+8 : 3*ldc+8]
	var c0, c1, c2, c3 archsimd.Float32x8
	if load {
		c0, c1 = archsimd.LoadFloat32x8Slice(r0), archsimd.LoadFloat32x8Slice(r1)
		c2, c3 = archsimd.LoadFloat32x8Slice(r2), archsimd.LoadFloat32x8Slice(r3)
	}
	_ = a[3*ars+(kk-1)*aps]
	_ = b[(kk-1)*ldb+7]
	ao, bo := 0, 0
	for range kk {
		bv := archsimd.LoadFloat32x8Slice(b[bo : bo+8 : bo+8])
		c0 = c0.Add(archsimd.BroadcastFloat32x8(a[ao]).Mul(bv))
		c1 = c1.Add(archsimd.BroadcastFloat32x8(a[ao+ars]).Mul(bv))
		c2 = c2.Add(archsimd.BroadcastFloat32x8(a[ao+2*ars]).Mul(bv))
		c3 = c3.Add(archsimd.BroadcastFloat32x8(a[ao+3*ars]).Mul(bv))
		ao += aps
		bo += ldb
	}
	c0.StoreSlice(r0)
	c1.StoreSlice(r1)
	c2.StoreSlice(r2)
	c3.StoreSlice(r3)
}

// avx1x8 updates one row and 8 columns of C.
func avx1x8(c []float32, a []float32, aps int, b []float32, ldb, kk int, load bool) {
	r := c[:8:8]
	var acc archsimd.Float32x8
	if load {
		acc = archsimd.LoadFloat32x8Slice(r)
	}
	_ = a[(kk-1)*aps]
	_ = b[(kk-1)*ldb+7]
	ao, bo := 0, 0
	for range kk {
		acc = acc.Add(archsimd.BroadcastFloat32x8(a[ao]).Mul(archsimd.LoadFloat32x8Slice(b[bo : bo+8 : bo+8])))
		ao += aps
		bo += ldb
	}
	acc.StoreSlice(r)
}
