;; SIMD128 kernels for vaeaug's wasm build (core/kernels/simd_wasm.go calls them
;; through //go:wasmimport "simd"; scripts/build-simd.mjs compiles this file
;; with the npm package wabt into static/gen/simd.wasm).
;;
;; The module imports Go's own linear memory, so Go passes plain pointers.
;; Every product keeps the order documented in core/kernels/doc.go: each
;; C[i,j] starts from its old value (load != 0) or +0 and adds the products
;; A(i,p)*B[p,j] for p = 0..k-1 in increasing p, each product rounded to
;; float32 (f32x4.mul / f32.mul) before the add (f32x4.add / f32.add): no
;; fused or relaxed multiply-add, no horizontal sums. Lanes run over j, so
;; each lane is one C element with exactly the scalar sequence of roundings,
;; and the results are the bits of the pure-Go kernels. (One exception,
;; conv1fwd, keeps a fixed order of its own with four partial sums, which
;; the pure-Go code keeps too: see it below.)
;;
;; Exports: gemm (all three products; GemmTB passes a transposed copy of B),
;; gemv (products with one column), transpose (that copy's 4×4 squares),
;; conv1fwd and conv1dw (a convolution to one channel), conv1in and
;; conv1indw (one from one channel) and col2im; then the layer kernels of
;; core/kernels/layers.go (chansum, chansqdev, chansumdot, bnapply,
;; chanscale, bnbwd, dropmask, relu, relubwd, lrelu, lrelubwd, maxpool,
;; maxpoolbwd, addrows, sumrows; adam and rmsprop, the optimisers' updates),
;; which keep their own orders, described with them below; last, the
;; Winograd transforms winow, winoin and winoout of core/kernels/winograd.go
;; and winody of winograd_grad.go; and peak, the benchmarks' gauge of
;; the machine's speed. The tile and panel functions of gemm follow
;; one pattern and were written from a small template; this text is the
;; source.
(module
  (import "go" "mem" (memory 0))

  ;; gemm computes, for i < m and j < n,
  ;;   C[i*ldc+j] = (load ? C[i*ldc+j] : +0) + sum over p < k of A(i,p) * B[p*ldb+j]
  ;; with A(i,p) = a[i*ars + p*aps] (ars = lda, aps = 1 for A·B; ars = 1,
  ;; aps = lda for Aᵀ·B). c, a and b are byte addresses of float32 arrays;
  ;; every other argument counts float32 elements but pack, the byte address
  ;; of room for k×8 floats where panels of B are copied (see panel), or 0.
  ;; k must be at least 1.
  ;; Columns go in panels of 8 (then 4, then the last few with lanes over
  ;; the rows: gemv2, gemv, colt2 or colt); within a panel, rows go in
  ;; register tiles (4 rows by 8 columns: eight accumulators, two vectors of
  ;; B and a broadcast of A), then one at a time, so a panel of B (k×8) stays
  ;; in L1 while it meets every row of A. For Aᵀ·B (ars = 1) the rows of a
  ;; tile are adjacent floats of A, so panel8c reads them through one pointer
  ;; at constant offsets and takes 5 rows at a time (ten accumulators still
  ;; fit V8's 15 allocatable xmm registers on x64). A(i,p) is broadcast with
  ;; v128.load32_splat, a plain broadcast load, where f32.load + f32x4.splat
  ;; costs a shuffle on a port the adds need.
  (func (export "gemm")
        (param $c i32) (param $a i32) (param $b i32)
        (param $m i32) (param $n i32) (param $k i32)
        (param $ars i32) (param $aps i32) (param $ldb i32) (param $ldc i32) (param $load i32)
        (param $pack i32)
    (local $ars4 i32) (local $aps4 i32) (local $ldb4 i32) (local $ldc4 i32)
    (local $i i32) (local $j i32) (local $m4 i32) (local $n8 i32) (local $n4 i32)
    (local $pb i32) (local $pl4 i32)
    (local.set $ars4 (i32.shl (local.get $ars) (i32.const 2)))
    (local.set $aps4 (i32.shl (local.get $aps) (i32.const 2)))
    (local.set $ldb4 (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    ;; panels of 8 columns: Aᵀ·B (ars = 1) in tiles of 5 rows, all else in tiles of 4
    (if (i32.eq (local.get $ars) (i32.const 1)) (then
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n8)))
        (call $panel (local.get $b) (local.get $j) (local.get $k) (local.get $ldb4) (local.get $m) (local.get $pack))
        (local.set $pl4 (global.get $panelLd4))
        (local.set $pb (global.get $panelAt))
        (call $panel8c (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $a)
          (local.get $pb)
          (local.get $m) (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $pl4) (local.get $ldc4) (local.get $load))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop))))
    (else
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n8)))
        (call $panel (local.get $b) (local.get $j) (local.get $k) (local.get $ldb4) (local.get $m) (local.get $pack))
        (local.set $pl4 (global.get $panelLd4))
        (local.set $pb (global.get $panelAt))
        (call $panel4x8 (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $a) (local.get $pb)
          (local.get $k) (local.get $m4) (local.get $ars4) (local.get $aps4) (local.get $pl4) (local.get $ldc4) (local.get $load))
        (local.set $i (local.get $m4))
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
          (call $t1x8
            (call $addr (local.get $c) (local.get $i) (local.get $ldc4) (local.get $j))
            (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4)))
            (local.get $pb)
            (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $pl4) (local.get $ldc4) (local.get $load))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rloop)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop)))))
    ;; one panel of 4 columns
    (if (i32.lt_u (local.get $j) (local.get $n4)) (then
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m4)))
        (call $t4x4
          (call $addr (local.get $c) (local.get $i) (local.get $ldc4) (local.get $j))
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4)))
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop)))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (call $t1x4
          (call $addr (local.get $c) (local.get $i) (local.get $ldc4) (local.get $j))
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4)))
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rloop)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))))
    ;; the last n mod 4 columns with lanes over the rows: for A·B (A's rows
    ;; run along p), two at a time through gemv2, then one through gemv; for
    ;; Aᵀ·B (ars = 1), likewise through colt2 and colt
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
      (if (i32.eq (local.get $ars) (i32.const 1)) (then
        (if (i32.le_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)) (then
          (call $colt2 (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $a)
            (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
            (local.get $m) (local.get $k) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
          (local.set $j (i32.add (local.get $j) (i32.const 1))))
        (else
          (call $colt (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $a)
            (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
            (local.get $m) (local.get $k) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load)))))
      (else (if (i32.le_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)) (then
        (call $gemv2 (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $a)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $m) (local.get $k) (local.get $ars) (local.get $ldb) (local.get $ldc) (local.get $load))
        (local.set $j (i32.add (local.get $j) (i32.const 1))))
      (else
        (call $gemv (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $a)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $m) (local.get $k) (local.get $ars) (local.get $ldb) (local.get $ldc) (local.get $load))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jloop)))
  )

  ;; panel picks where a panel of 8 columns of B (at column j, row stride
  ;; ldb4 bytes, k rows) is read from, in the globals panelAt and panelLd4:
  ;; in place, or, when pack is not 0 and at least two tiles of rows (m >= 8)
  ;; will read it, copied to pack as k contiguous rows of 32 bytes. A panel
  ;; read in place with a row stride of a large power of two (a dense
  ;; layer's 512 columns: 2 KiB) falls in two of L1's sets and is read from
  ;; L2 again by every tile; copied, its k·32 bytes stay in L1. A copy, so
  ;; the bits do not change.
  (global $panelAt (mut i32) (i32.const 0))
  (global $panelLd4 (mut i32) (i32.const 0))
  (func $panel (param $b i32) (param $j i32) (param $k i32) (param $ldb4 i32) (param $m i32) (param $pack i32)
    (local $src i32) (local $dst i32)
    (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
    (if (i32.or (i32.eqz (local.get $pack)) (i32.or (i32.lt_u (local.get $m) (i32.const 8)) (i32.eq (local.get $ldb4) (i32.const 32)))) (then
      (global.set $panelAt (local.get $src))
      (global.set $panelLd4 (local.get $ldb4))
      (return)))
    (global.set $panelAt (local.get $pack))
    (global.set $panelLd4 (i32.const 32))
    (local.set $dst (local.get $pack))
    (loop $copy
      (v128.store offset=0 (local.get $dst) (v128.load offset=0 (local.get $src)))
      (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (local.set $src (i32.add (local.get $src) (local.get $ldb4)))
      (br_if $copy (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))

  ;; colt computes one column of Aᵀ·B: for i < m,
  ;;   C[i*ldc] = (load ? C[i*ldc] : +0) + sum over p < k of a[i + p*aps] * B[p*ldb]
  ;; in increasing p. Four adjacent rows of A are adjacent floats, so one
  ;; vector load gives a lane to each; sixteen rows go at a time in four
  ;; accumulators, whose sums are independent and overlap in the adder,
  ;; then four, then single rows through t1x1. k must be at least 1.
  (func $colt (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32)
        (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $i i32) (local $p i32) (local $pa i32) (local $pb i32) (local $x v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (block $done16 (loop $loop16
      (br_if $done16 (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $m)))
      (local.set $s0 (call $lanesload (local.get $c) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $s1 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $load)))
      (local.set $s2 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 8)) (local.get $ldc4) (local.get $load)))
      (local.set $s3 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 12)) (local.get $ldc4) (local.get $load)))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $pb (local.get $b))
      (local.set $p (local.get $k))
      (loop $ploop
        (local.set $x (v128.load32_splat (local.get $pb)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 (local.get $pa)) (local.get $x))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $pa)) (local.get $x))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $pa)) (local.get $x))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $pa)) (local.get $x))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aps4)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (call $lanesstore (local.get $c) (local.get $i) (local.get $ldc4) (local.get $s0))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $s1))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 8)) (local.get $ldc4) (local.get $s2))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 12)) (local.get $ldc4) (local.get $s3))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $loop16)))
    (block $done4 (loop $loop4
      (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $s0 (call $lanesload (local.get $c) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $pb (local.get $b))
      (local.set $p (local.get $k))
      (loop $ploop
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $pa)) (v128.load32_splat (local.get $pb)))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aps4)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (call $lanesstore (local.get $c) (local.get $i) (local.get $ldc4) (local.get $s0))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $loop4)))
    (block $done1 (loop $loop1
      (br_if $done1 (i32.ge_u (local.get $i) (local.get $m)))
      (call $t1x1 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4)))
        (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))) (local.get $b)
        (local.get $k) (local.get $aps4) (local.get $ldb4) (local.get $load))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $loop1)))
  )

  ;; colt2 is colt for two adjacent columns j and j+1 (b and c point at
  ;; column j): sixteen rows of both in eight accumulators, so each vector
  ;; of A serves two columns and eight sums overlap in the adder, where two
  ;; colt calls kept four. The last m mod 16 rows go through colt, one
  ;; column at a time.
  (func $colt2 (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32)
        (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $i i32) (local $p i32) (local $pa i32) (local $pb i32) (local $x0 v128) (local $x1 v128) (local $v v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (block $done16 (loop $loop16
      (br_if $done16 (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $m)))
      (local.set $s0 (call $lanesload (local.get $c) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $s1 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $load)))
      (local.set $s2 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 8)) (local.get $ldc4) (local.get $load)))
      (local.set $s3 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 12)) (local.get $ldc4) (local.get $load)))
      (local.set $s4 (call $lanesload (i32.add (local.get $c) (i32.const 4)) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $s5 (call $lanesload (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $load)))
      (local.set $s6 (call $lanesload (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 8)) (local.get $ldc4) (local.get $load)))
      (local.set $s7 (call $lanesload (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 12)) (local.get $ldc4) (local.get $load)))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $pb (local.get $b))
      (local.set $p (local.get $k))
      (loop $ploop
        (local.set $x0 (v128.load32_splat offset=0 (local.get $pb)))
        (local.set $x1 (v128.load32_splat offset=4 (local.get $pb)))
        (local.set $v (v128.load offset=0 (local.get $pa)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $v) (local.get $x0))))
        (local.set $s4 (f32x4.add (local.get $s4) (f32x4.mul (local.get $v) (local.get $x1))))
        (local.set $v (v128.load offset=16 (local.get $pa)))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $v) (local.get $x0))))
        (local.set $s5 (f32x4.add (local.get $s5) (f32x4.mul (local.get $v) (local.get $x1))))
        (local.set $v (v128.load offset=32 (local.get $pa)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $v) (local.get $x0))))
        (local.set $s6 (f32x4.add (local.get $s6) (f32x4.mul (local.get $v) (local.get $x1))))
        (local.set $v (v128.load offset=48 (local.get $pa)))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $v) (local.get $x0))))
        (local.set $s7 (f32x4.add (local.get $s7) (f32x4.mul (local.get $v) (local.get $x1))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aps4)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (call $lanesstore (local.get $c) (local.get $i) (local.get $ldc4) (local.get $s0))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $s1))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 8)) (local.get $ldc4) (local.get $s2))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 12)) (local.get $ldc4) (local.get $s3))
      (call $lanesstore (i32.add (local.get $c) (i32.const 4)) (local.get $i) (local.get $ldc4) (local.get $s4))
      (call $lanesstore (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $s5))
      (call $lanesstore (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 8)) (local.get $ldc4) (local.get $s6))
      (call $lanesstore (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 12)) (local.get $ldc4) (local.get $s7))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $loop16)))
    (if (i32.lt_u (local.get $i) (local.get $m)) (then
      (local.set $c (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4))))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
      (call $colt (local.get $c) (local.get $a) (local.get $b) (i32.sub (local.get $m) (local.get $i)) (local.get $k)
        (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
      (call $colt (i32.add (local.get $c) (i32.const 4)) (local.get $a) (i32.add (local.get $b) (i32.const 4))
        (i32.sub (local.get $m) (local.get $i)) (local.get $k)
        (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))))
  )

  ;; lanesload returns C[i..i+3] of a column (row stride ldc4 bytes) as the
  ;; lanes of a vector, or +0s when load is 0; lanesstore writes them back.
  (func $lanesload (param $c i32) (param $i i32) (param $ldc4 i32) (param $load i32) (result v128)
    (local $pc i32) (local $v v128)
    (if (i32.eqz (local.get $load)) (then (return (v128.const f32x4 0 0 0 0))))
    (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4))))
    (local.set $v (f32x4.splat (f32.load (local.get $pc))))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
    (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load (local.get $pc))))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
    (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load (local.get $pc))))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
    (f32x4.replace_lane 3 (local.get $v) (f32.load (local.get $pc))))

  (func $lanesstore (param $c i32) (param $i i32) (param $ldc4 i32) (param $v v128)
    (local $pc i32)
    (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4))))
    (f32.store (local.get $pc) (f32x4.extract_lane 0 (local.get $v)))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
    (f32.store (local.get $pc) (f32x4.extract_lane 1 (local.get $v)))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
    (f32.store (local.get $pc) (f32x4.extract_lane 2 (local.get $v)))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
    (f32.store (local.get $pc) (f32x4.extract_lane 3 (local.get $v))))

  ;; gemv computes, for i < m,
  ;;   C[i*ldc] = (load ? C[i*ldc] : +0) + sum over p < k of A[i*lda+p] * B[p*ldb]
  ;; in increasing p: a product with one column (a convolution with one
  ;; output channel), where gemm's lanes along the columns would idle. Here
  ;; the lanes run over four rows: their next four values are loaded and
  ;; transposed in registers (two rounds of interleaves), so that vector q
  ;; holds A[i..i+3, p+q], and each lane adds its row's products in order as
  ;; t1x1 does. gemv8 takes the rows eight at a time; the quad left over
  ;; goes through the loop below. The last k mod 4 products of each row, and
  ;; the last m mod 4 rows, go through t1x1 itself. k must be at least 1.
  (func $gemv (export "gemv")
        (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32)
        (param $lda i32) (param $ldb i32) (param $ldc i32) (param $load i32)
    (local $lda4 i32) (local $ldb4 i32) (local $ldc4 i32) (local $m4 i32) (local $k4 i32)
    (local $i i32) (local $p i32) (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32)
    (local $pb i32) (local $pc i32)
    (local $acc v128) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $lda4 (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb4 (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $i (call $gemv8 (local.get $c) (local.get $a) (local.get $b) (local.get $m) (local.get $k)
      (local.get $lda4) (local.get $ldb4) (local.get $ldc4) (local.get $load)))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $m4)))
      (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda4))))
      (local.set $pa1 (i32.add (local.get $pa0) (local.get $lda4)))
      (local.set $pa2 (i32.add (local.get $pa1) (local.get $lda4)))
      (local.set $pa3 (i32.add (local.get $pa2) (local.get $lda4)))
      (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4))))
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (if (local.get $load) (then
        (local.set $acc (f32x4.replace_lane 0 (local.get $acc) (f32.load (local.get $pc))))
        (local.set $acc (f32x4.replace_lane 1 (local.get $acc) (f32.load (i32.add (local.get $pc) (local.get $ldc4)))))
        (local.set $acc (f32x4.replace_lane 2 (local.get $acc) (f32.load (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))))))
        (local.set $acc (f32x4.replace_lane 3 (local.get $acc) (f32.load (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))))))))
      (local.set $pb (local.get $b))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $k4)))
        (local.set $r0 (v128.load (local.get $pa0)))
        (local.set $r1 (v128.load (local.get $pa1)))
        (local.set $r2 (v128.load (local.get $pa2)))
        (local.set $r3 (v128.load (local.get $pa3)))
        ;; t0 = (r0[0] r1[0] r0[1] r1[1]), t1 = (r0[2] r1[2] r0[3] r1[3]); t2, t3 likewise of r2, r3
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        ;; columns p..p+3 of the four rows, each added in turn
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2))
          (v128.load32_splat (local.get $pb)))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2))
          (v128.load32_splat (i32.add (local.get $pb) (local.get $ldb4))))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3))
          (v128.load32_splat (i32.add (local.get $pb) (i32.shl (local.get $ldb4) (i32.const 1)))))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3))
          (v128.load32_splat (i32.add (local.get $pb) (i32.mul (local.get $ldb4) (i32.const 3)))))))
        (local.set $pa0 (i32.add (local.get $pa0) (i32.const 16)))
        (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
        (local.set $pa2 (i32.add (local.get $pa2) (i32.const 16)))
        (local.set $pa3 (i32.add (local.get $pa3) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $ldb4) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $ploop)))
      (f32.store (local.get $pc) (f32x4.extract_lane 0 (local.get $acc)))
      (f32.store (i32.add (local.get $pc) (local.get $ldc4)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.store (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (f32x4.extract_lane 2 (local.get $acc)))
      (f32.store (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (f32x4.extract_lane 3 (local.get $acc)))
      ;; the last k mod 4 products, continuing from the sums just stored
      (if (i32.lt_u (local.get $k4) (local.get $k)) (then
        (call $t1x1 (local.get $pc) (local.get $pa0) (local.get $pb) (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))
        (call $t1x1 (i32.add (local.get $pc) (local.get $ldc4)) (local.get $pa1) (local.get $pb) (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))
        (call $t1x1 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $pa2) (local.get $pb) (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))
        (call $t1x1 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $pa3) (local.get $pb) (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $iloop)))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
      (call $t1x1 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4)))
        (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda4))) (local.get $b)
        (local.get $k) (i32.const 4) (local.get $ldb4) (local.get $load))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rloop)))
  )

  ;; gemv8 is gemv's bulk: rows eight at a time, as two quads with an
  ;; accumulator each, and returns the number of rows done (m rounded down
  ;; to 8). With one quad, each step of its single chain of adds waited on
  ;; the last (four dependent adds per four products), which held a column to
  ;; about a quarter of gemm's speed; two chains overlap. Each lane still
  ;; adds its row's products in increasing p from its old value or +0, and
  ;; the last k mod 4 products of each row go through t1x1.
  (func $gemv8
        (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32)
        (param $lda4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32) (result i32)
    (local $m8 i32) (local $k4 i32) (local $i i32) (local $p i32) (local $r i32)
    (local $pa i32) (local $pq i32) (local $pb i32) (local $pc i32)
    (local $s0 v128) (local $s1 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $m8)))
      (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda4))))
      (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4))))
      (local.set $s0 (call $lanesload (local.get $c) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $s1 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $load)))
      (local.set $pb (local.get $b))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $k4)))
        ;; B[p..p+3], broadcast, for both quads
        (local.set $b0 (v128.load32_splat (local.get $pb)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        (local.set $b1 (v128.load32_splat (local.get $pb)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        (local.set $b2 (v128.load32_splat (local.get $pb)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        (local.set $b3 (v128.load32_splat (local.get $pb)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
        ;; rows i..i+3, columns p..p+3
        (local.set $pq (local.get $pa))
        (local.set $r0 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r1 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r2 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r3 (v128.load (local.get $pq)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)) (local.get $b0))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)) (local.get $b1))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)) (local.get $b2))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)) (local.get $b3))))
        ;; rows i+4..i+7
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r0 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r1 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r2 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r3 (v128.load (local.get $pq)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)) (local.get $b0))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)) (local.get $b1))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)) (local.get $b2))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)) (local.get $b3))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $ploop)))
      (call $lanesstore (local.get $c) (local.get $i) (local.get $ldc4) (local.get $s0))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $s1))
      ;; the last k mod 4 products of the eight rows, continuing from the sums
      ;; just stored; pa and pb now point at column k4 of row i and row k4 of B
      (if (i32.lt_u (local.get $k4) (local.get $k)) (then
        (local.set $r (i32.const 0))
        (loop $rloop
          (call $t1x1 (local.get $pc) (local.get $pa) (local.get $pb)
            (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))
          (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
          (local.set $pa (i32.add (local.get $pa) (local.get $lda4)))
          (br_if $rloop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 8))))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $iloop)))
    (local.get $m8)
  )

  ;; gemv2 is gemv for two adjacent columns j and j+1 (b and c point at
  ;; column j): the 10-class dense layer's last two. Done as two gemvs, each
  ;; row's sum was one chain of dependent adds through a single accumulator,
  ;; so every step waited on the adder's latency, and the four rows' values
  ;; were transposed twice. Here rows go eight at a time, two quads, and each
  ;; transposed quad of A serves both columns: four accumulators, whose
  ;; chains overlap. Each lane still adds its row's products in increasing p
  ;; from its old value or +0. The last k mod 4 products go through t1x1,
  ;; and the last m mod 8 rows through gemv, one column at a time.
  (func $gemv2
        (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32)
        (param $lda i32) (param $ldb i32) (param $ldc i32) (param $load i32)
    (local $lda4 i32) (local $ldb4 i32) (local $ldc4 i32) (local $m8 i32) (local $k4 i32)
    (local $i i32) (local $p i32) (local $pa i32) (local $pq i32) (local $pb i32) (local $pc i32) (local $r i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $q v128)
    (local.set $lda4 (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb4 (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $m8)))
      (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda4))))
      (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4))))
      ;; s0, s1: rows i..i+3 of columns j, j+1; s2, s3: rows i+4..i+7
      (local.set $s0 (call $lanesload (local.get $c) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $s1 (call $lanesload (i32.add (local.get $c) (i32.const 4)) (local.get $i) (local.get $ldc4) (local.get $load)))
      (local.set $s2 (call $lanesload (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $load)))
      (local.set $s3 (call $lanesload (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $load)))
      (local.set $pb (local.get $b))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $k4)))
        ;; the first quad: rows i..i+3, columns p..p+3
        (local.set $pq (local.get $pa))
        (local.set $r0 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r1 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r2 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r3 (v128.load (local.get $pq)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $q (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $pb)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $pb)))))
        (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $r (i32.add (local.get $pb) (local.get $ldb4)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $r)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $r)))))
        (local.set $q (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $r (i32.add (local.get $r) (local.get $ldb4)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $r)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $r)))))
        (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $r (i32.add (local.get $r) (local.get $ldb4)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $r)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $r)))))
        ;; the second quad: rows i+4..i+7
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r0 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r1 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r2 (v128.load (local.get $pq)))
        (local.set $pq (i32.add (local.get $pq) (local.get $lda4)))
        (local.set $r3 (v128.load (local.get $pq)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $q (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $pb)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $pb)))))
        (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $r (i32.add (local.get $pb) (local.get $ldb4)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $r)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $r)))))
        (local.set $q (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $r (i32.add (local.get $r) (local.get $ldb4)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $r)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $r)))))
        (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $r (i32.add (local.get $r) (local.get $ldb4)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $q) (v128.load32_splat offset=0 (local.get $r)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $q) (v128.load32_splat offset=4 (local.get $r)))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $r) (local.get $ldb4)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $ploop)))
      (call $lanesstore (local.get $c) (local.get $i) (local.get $ldc4) (local.get $s0))
      (call $lanesstore (i32.add (local.get $c) (i32.const 4)) (local.get $i) (local.get $ldc4) (local.get $s1))
      (call $lanesstore (local.get $c) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $s2))
      (call $lanesstore (i32.add (local.get $c) (i32.const 4)) (i32.add (local.get $i) (i32.const 4)) (local.get $ldc4) (local.get $s3))
      ;; the last k mod 4 products of the eight rows, continuing from the sums
      ;; just stored; pa and pb now point at column k4 of row i and row k4 of B
      (if (i32.lt_u (local.get $k4) (local.get $k)) (then
        (local.set $r (i32.const 0))
        (loop $rloop
          (call $t1x1 (local.get $pc) (local.get $pa) (local.get $pb)
            (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))
          (call $t1x1 (i32.add (local.get $pc) (i32.const 4)) (local.get $pa) (i32.add (local.get $pb) (i32.const 4))
            (i32.sub (local.get $k) (local.get $k4)) (i32.const 4) (local.get $ldb4) (i32.const 1))
          (local.set $pc (i32.add (local.get $pc) (local.get $ldc4)))
          (local.set $pa (i32.add (local.get $pa) (local.get $lda4)))
          (br_if $rloop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 8))))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $iloop)))
    (if (i32.lt_u (local.get $m8) (local.get $m)) (then
      (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $m8) (local.get $lda4))))
      (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $m8) (local.get $ldc4))))
      (call $gemv (local.get $pc) (local.get $pa) (local.get $b)
        (i32.sub (local.get $m) (local.get $m8)) (local.get $k) (local.get $lda) (local.get $ldb) (local.get $ldc) (local.get $load))
      (call $gemv (i32.add (local.get $pc) (i32.const 4)) (local.get $pa) (i32.add (local.get $b) (i32.const 4))
        (i32.sub (local.get $m) (local.get $m8)) (local.get $k) (local.get $lda) (local.get $ldb) (local.get $ldc) (local.get $load))))
  )

  ;; transpose writes the transpose of the rows×cols block at src (row stride
  ;; lds floats) to dst (row stride ldd): dst[c*ldd+r] = src[r*lds+c]; dst
  ;; and src do not overlap. Each 4×4 square goes through registers in two
  ;; rounds of interleaves, as in gemv: a move, so the bits are the
  ;; source's. With rows and cols at least 4, the last square of a row or
  ;; column of squares starts 4 before the edge and overlaps the one before
  ;; it, whose floats it writes again, the same; else every float goes on
  ;; its own. (Moving the last cols mod 4 columns a float at a time took
  ;; about half the time of a dense layer's 512×10 weights.)
  (func $transpose (export "transpose") (param $dst i32) (param $ldd i32) (param $src i32) (param $lds i32)
        (param $rows i32) (param $cols i32)
    (local $ldd4 i32) (local $lds4 i32) (local $r i32) (local $c i32) (local $rr i32) (local $cc i32)
    (local $ps i32) (local $pd i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $ldd4 (i32.shl (local.get $ldd) (i32.const 2)))
    (local.set $lds4 (i32.shl (local.get $lds) (i32.const 2)))
    (if (i32.and (i32.ge_u (local.get $rows) (i32.const 4)) (i32.ge_u (local.get $cols) (i32.const 4))) (then
      (loop $rloop
        ;; rr = min(r, rows−4), cc = min(c, cols−4)
        (local.set $rr (select (local.get $r) (i32.sub (local.get $rows) (i32.const 4))
          (i32.le_u (local.get $r) (i32.sub (local.get $rows) (i32.const 4)))))
        (local.set $c (i32.const 0))
        (loop $cloop
          (local.set $cc (select (local.get $c) (i32.sub (local.get $cols) (i32.const 4))
            (i32.le_u (local.get $c) (i32.sub (local.get $cols) (i32.const 4)))))
          (local.set $ps (i32.add (local.get $src)
            (i32.shl (i32.add (i32.mul (local.get $rr) (local.get $lds)) (local.get $cc)) (i32.const 2))))
          (local.set $r0 (v128.load (local.get $ps)))
          (local.set $r1 (v128.load (i32.add (local.get $ps) (local.get $lds4))))
          (local.set $r2 (v128.load (i32.add (local.get $ps) (i32.shl (local.get $lds4) (i32.const 1)))))
          (local.set $r3 (v128.load (i32.add (local.get $ps) (i32.mul (local.get $lds4) (i32.const 3)))))
          ;; t0 = (r0[0] r1[0] r0[1] r1[1]), t1 = (r0[2] r1[2] r0[3] r1[3]); t2, t3 likewise of r2, r3
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
          (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
          (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
          (local.set $pd (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $cc) (local.get $ldd)) (local.get $rr)) (i32.const 2))))
          (v128.store (local.get $pd)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $pd) (local.get $ldd4))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $pd) (i32.shl (local.get $ldd4) (i32.const 1)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
          (v128.store (i32.add (local.get $pd) (i32.mul (local.get $ldd4) (i32.const 3)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
          (br_if $cloop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 4))) (local.get $cols))))
        (br_if $rloop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 4))) (local.get $rows))))
      (return)))
    ;; fewer than 4 rows or columns: one float at a time, as bits (i32)
    (block $edone (loop $eloop
      (br_if $edone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $ecdone (loop $ecloop
        (br_if $ecdone (i32.ge_u (local.get $c) (local.get $cols)))
        (i32.store
          (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $ldd)) (local.get $r)) (i32.const 2)))
          (i32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $lds)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $ecloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eloop)))
  )

  ;; conv1fwd and conv1dw are a stride-1 3×3 convolution to one output
  ;; channel (the VAE's last) without its column matrix, for one image;
  ;; core/kernels/simd_wasm.go prepares their inputs.
  ;;
  ;; conv1fwd: x is the image, h×wd pixels of 32 channels (wd a multiple of
  ;; 7); y gets its h×wd outputs in the order of core/kernels/conv_oneout.go,
  ;; not Im2col's: four partial sums per output, lane l over the channels
  ;; c ≡ l (mod 4), each adding for ky, for each group of four channels,
  ;; for kx, then (s0+s1)+(s2+s3) ($hsum4). Lanes run over channels, so a
  ;; pixel's channels are contiguous reads of the NHWC image. (Im2col's
  ;; order, one chain per output, put the lanes over outputs and needed the
  ;; channels as planes: transposing them took about a fifth of the pass.)
  ;; A row goes in chunks of 7 outputs in seven accumulators. For each
  ;; input row and group of channels, the chunk's 9 input pixels x0..x8
  ;; (x0 left of the first output) are each loaded once and meet the three
  ;; taps' weights w0..w2: x_j adds into outputs j (kx 0), j−1 and j−2, so
  ;; each output still takes kx = 0, 1, 2 in turn. A pixel outside the
  ;; image is read from zero, 9 pixels of +0: a whole row outside, or x0
  ;; of a row's first chunk and x8 of its last. Pixels are 128 bytes apart,
  ;; the loads' constant offsets.
  ;; In Chromium 148, timed call by call (abkernel), one 28×28 image took
  ;; 21.25 µs with Im2col's order and the transposes, 17.25 µs this way;
  ;; with kx outermost (each tap's pixels loaded for it, 8 loads per 7
  ;; products) 19.5 µs.
  (func $hsum4 (param $a v128) (param $b v128) (param $c v128) (param $d v128) (result v128)
    ;; [(a0+a1)+(a2+a3), the same of b, c, d]
    (local $s v128) (local $u v128)
    (local.set $s (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $b))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $b))))
    (local.set $u (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c) (local.get $d))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c) (local.get $d))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $s) (local.get $u))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $s) (local.get $u))))

  (func (export "conv1fwd") (param $y i32) (param $x i32) (param $w i32)
        (param $h i32) (param $wd i32) (param $zero i32)
    (local $oy i32) (local $q0 i32) (local $ky i32) (local $row4 i32)
    (local $py i32) (local $px i32) (local $p0 i32) (local $p8 i32) (local $pw i32) (local $mo i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128)
    (local.set $row4 (i32.shl (local.get $wd) (i32.const 7)))
    (local.set $py (local.get $y))
    (block $ydone (loop $yloop
      (br_if $ydone (i32.ge_u (local.get $oy) (local.get $h)))
      (local.set $q0 (i32.const 0))
      (block $qdone (loop $qloop
        (br_if $qdone (i32.ge_u (local.get $q0) (local.get $wd)))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $a2 (v128.const f32x4 0 0 0 0))
        (local.set $a3 (v128.const f32x4 0 0 0 0))
        (local.set $a4 (v128.const f32x4 0 0 0 0))
        (local.set $a5 (v128.const f32x4 0 0 0 0))
        (local.set $a6 (v128.const f32x4 0 0 0 0))
        (local.set $ky (i32.const 0))
        (loop $kyloop
          ;; px: pixel (oy+ky−1, q0−1), the one x0 is, or the zero pixels
          (if (i32.and (i32.ge_u (i32.add (local.get $oy) (local.get $ky)) (i32.const 1))
                       (i32.le_u (i32.add (local.get $oy) (local.get $ky)) (local.get $h)))
            (then
              (local.set $px (i32.add (local.get $x) (i32.add
                (i32.mul (i32.sub (i32.add (local.get $oy) (local.get $ky)) (i32.const 1)) (local.get $row4))
                (i32.shl (i32.sub (local.get $q0) (i32.const 1)) (i32.const 7)))))
              (local.set $p0 (select (local.get $zero) (local.get $px) (i32.eqz (local.get $q0))))
              (local.set $p8 (select (local.get $zero) (i32.add (local.get $px) (i32.const 1024))
                (i32.eq (i32.add (local.get $q0) (i32.const 7)) (local.get $wd)))))
            (else
              (local.set $px (local.get $zero))
              (local.set $p0 (local.get $zero))
              (local.set $p8 (local.get $zero))))
          (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $ky) (i32.const 384))))
          (local.set $mo (i32.const 0))
          (loop $mloop
            (local.set $w0 (v128.load offset=0 (i32.add (local.get $pw) (local.get $mo))))
            (local.set $w1 (v128.load offset=128 (i32.add (local.get $pw) (local.get $mo))))
            (local.set $w2 (v128.load offset=256 (i32.add (local.get $pw) (local.get $mo))))
            (local.set $v (v128.load (i32.add (local.get $p0) (local.get $mo))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=128 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=256 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $w2))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=384 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (local.get $w2))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=512 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $w2))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=640 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (local.get $w2))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=768 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $w2))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $w0))))
            (local.set $v (v128.load offset=896 (i32.add (local.get $px) (local.get $mo))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (local.get $w2))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $w1))))
            (local.set $v (v128.load (i32.add (local.get $p8) (local.get $mo))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $w2))))
            (br_if $mloop (i32.lt_u (local.tee $mo (i32.add (local.get $mo) (i32.const 16))) (i32.const 128))))
          (br_if $kyloop (i32.lt_u (local.tee $ky (i32.add (local.get $ky) (i32.const 1))) (i32.const 3))))
        (v128.store (local.get $py) (call $hsum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
        (local.set $v (call $hsum4 (local.get $a4) (local.get $a5) (local.get $a6) (local.get $a6)))
        (v128.store64_lane offset=16 0 (local.get $py) (local.get $v))
        (v128.store32_lane offset=24 2 (local.get $py) (local.get $v))
        (local.set $py (i32.add (local.get $py) (i32.const 28)))
        (local.set $q0 (i32.add (local.get $q0) (i32.const 7)))
        (br $qloop)))
      (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
      (br $yloop)))
  )

  ;; conv1dw adds one image's terms to the weight gradient dw (9·C floats,
  ;; C a multiple of 8): x is the image, h×wd pixels of C channels, read in
  ;; place; dy its h×wd output gradient; zero wd·C floats of +0, read
  ;; for a row outside the image. Each weight adds its pixels' products in
  ;; order to its old value (Im2col then gemm's order, the padding's zeros
  ;; included, so GemmTA's bits). Lanes run over 8 channels of one tap row's
  ;; three taps, in six accumulators loaded from dw: going along an output
  ;; row, the input pixel that tap kx = 2 reads is the one kx = 1 reads one
  ;; output later and kx = 0 two, so each pixel is loaded once per pass and
  ;; kept in registers (a pixel left of the row, and right of it, is +0).
  ;; Reading the image in place saves the copy with a zero border that the
  ;; previous version read (5.6-5.9 µs an image in Go under Node); its loop
  ;; took 16 channels of two taps from 8 loads a pixel. In Chromium 148,
  ;; call for call on one 28×28×32 image, this one took 0.90× its time
  ;; (25.5-26.0 against 28.5-29.0 µs in a slow spell), copy not counted.
  ;; The rows go in bands whose rows (32 KiB at most) stay in L1 while
  ;; every tap row and group reads them; each weight's pixels still come in
  ;; order, band after band.
  (func (export "conv1dw") (param $dw i32) (param $x i32) (param $dy i32) (param $c i32)
        (param $zero i32) (param $h i32) (param $wd i32)
    (local $c4 i32) (local $band i32) (local $y0 i32) (local $y1 i32) (local $ky i32) (local $mo i32)
    (local $pk i32) (local $oy i32) (local $ox i32) (local $px i32) (local $pd i32) (local $iy i32)
    (local $d v128) (local $na v128) (local $nb v128)
    (local $x0a v128) (local $x1a v128) (local $x0b v128) (local $x1b v128)
    (local $a0a v128) (local $a1a v128) (local $a2a v128) (local $a0b v128) (local $a1b v128) (local $a2b v128)
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    ;; band + 2 rows of wd·c floats in 8192 floats, at least one row
    (local.set $band (i32.sub (i32.div_u (i32.const 8192) (i32.mul (local.get $wd) (local.get $c))) (i32.const 2)))
    (if (i32.lt_s (local.get $band) (i32.const 1)) (then (local.set $band (i32.const 1))))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $y0) (local.get $h)))
      (local.set $y1 (i32.add (local.get $y0) (local.get $band)))
      (if (i32.gt_u (local.get $y1) (local.get $h)) (then (local.set $y1 (local.get $h))))
      (local.set $ky (i32.const 0))
      (loop $kyloop
        (local.set $mo (i32.const 0))
        (loop $mloop
          ;; taps (ky, 0..2), channels mo/4 .. +7: a_kx a (first 4), b (next 4)
          (local.set $pk (i32.add (i32.add (local.get $dw) (local.get $mo))
            (i32.mul (i32.mul (local.get $ky) (i32.const 3)) (local.get $c4))))
          (local.set $a0a (v128.load offset=0 (local.get $pk)))
          (local.set $a0b (v128.load offset=16 (local.get $pk)))
          (local.set $a1a (v128.load offset=0 (i32.add (local.get $pk) (local.get $c4))))
          (local.set $a1b (v128.load offset=16 (i32.add (local.get $pk) (local.get $c4))))
          (local.set $a2a (v128.load offset=0 (i32.add (local.get $pk) (i32.shl (local.get $c4) (i32.const 1)))))
          (local.set $a2b (v128.load offset=16 (i32.add (local.get $pk) (i32.shl (local.get $c4) (i32.const 1)))))
          (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $y0) (local.get $wd)) (i32.const 2))))
          (local.set $oy (local.get $y0))
          (loop $yloop
            ;; px: input row oy+ky−1 at its first pixel, or the zero row
            (local.set $iy (i32.sub (i32.add (local.get $oy) (local.get $ky)) (i32.const 1)))
            (local.set $px (i32.add (local.get $mo) (select
              (i32.add (local.get $x) (i32.mul (i32.mul (local.get $iy) (local.get $wd)) (local.get $c4)))
              (local.get $zero)
              (i32.lt_u (local.get $iy) (local.get $h)))))
            ;; output 0 reads pixel −1 (+0) for kx 0 and pixel 0 for kx 1
            (local.set $x0a (v128.const f32x4 0 0 0 0))
            (local.set $x0b (v128.const f32x4 0 0 0 0))
            (local.set $x1a (v128.load offset=0 (local.get $px)))
            (local.set $x1b (v128.load offset=16 (local.get $px)))
            (local.set $ox (i32.sub (local.get $wd) (i32.const 1)))
            (block $xdone (loop $xloop
              (br_if $xdone (i32.eqz (local.get $ox)))
              (local.set $px (i32.add (local.get $px) (local.get $c4)))
              (local.set $d (v128.load32_splat (local.get $pd)))
              (local.set $na (v128.load offset=0 (local.get $px)))
              (local.set $nb (v128.load offset=16 (local.get $px)))
              (local.set $a0a (f32x4.add (local.get $a0a) (f32x4.mul (local.get $x0a) (local.get $d))))
              (local.set $a1a (f32x4.add (local.get $a1a) (f32x4.mul (local.get $x1a) (local.get $d))))
              (local.set $a2a (f32x4.add (local.get $a2a) (f32x4.mul (local.get $na) (local.get $d))))
              (local.set $a0b (f32x4.add (local.get $a0b) (f32x4.mul (local.get $x0b) (local.get $d))))
              (local.set $a1b (f32x4.add (local.get $a1b) (f32x4.mul (local.get $x1b) (local.get $d))))
              (local.set $a2b (f32x4.add (local.get $a2b) (f32x4.mul (local.get $nb) (local.get $d))))
              (local.set $x0a (local.get $x1a))
              (local.set $x1a (local.get $na))
              (local.set $x0b (local.get $x1b))
              (local.set $x1b (local.get $nb))
              (local.set $pd (i32.add (local.get $pd) (i32.const 4)))
              (local.set $ox (i32.sub (local.get $ox) (i32.const 1)))
              (br $xloop)))
            ;; the row's last output reads pixel wd (+0) for kx 2
            (local.set $d (v128.load32_splat (local.get $pd)))
            (local.set $a0a (f32x4.add (local.get $a0a) (f32x4.mul (local.get $x0a) (local.get $d))))
            (local.set $a1a (f32x4.add (local.get $a1a) (f32x4.mul (local.get $x1a) (local.get $d))))
            (local.set $a2a (f32x4.add (local.get $a2a) (f32x4.mul (v128.const f32x4 0 0 0 0) (local.get $d))))
            (local.set $a0b (f32x4.add (local.get $a0b) (f32x4.mul (local.get $x0b) (local.get $d))))
            (local.set $a1b (f32x4.add (local.get $a1b) (f32x4.mul (local.get $x1b) (local.get $d))))
            (local.set $a2b (f32x4.add (local.get $a2b) (f32x4.mul (v128.const f32x4 0 0 0 0) (local.get $d))))
            (local.set $pd (i32.add (local.get $pd) (i32.const 4)))
            (br_if $yloop (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $y1))))
          (v128.store offset=0 (local.get $pk) (local.get $a0a))
          (v128.store offset=16 (local.get $pk) (local.get $a0b))
          (v128.store offset=0 (i32.add (local.get $pk) (local.get $c4)) (local.get $a1a))
          (v128.store offset=16 (i32.add (local.get $pk) (local.get $c4)) (local.get $a1b))
          (v128.store offset=0 (i32.add (local.get $pk) (i32.shl (local.get $c4) (i32.const 1))) (local.get $a2a))
          (v128.store offset=16 (i32.add (local.get $pk) (i32.shl (local.get $c4) (i32.const 1))) (local.get $a2b))
          (br_if $mloop (i32.lt_u (local.tee $mo (i32.add (local.get $mo) (i32.const 32))) (local.get $c4))))
        (br_if $kyloop (i32.lt_u (local.tee $ky (i32.add (local.get $ky) (i32.const 1))) (i32.const 3))))
      (local.set $y0 (local.get $y1))
      (br $bloop)))
  )

  ;; conv1in is a stride-1 3×3 convolution from one input channel (the
  ;; first convs; the adjoint convolution that is the VAE's last conv's
  ;; input gradient) without its column matrix, for one image: y gets h×wd
  ;; pixels of n channels (n a multiple of 8, wd of 4), each starting from
  ;; +0 and adding its nine taps' rounded products in tap order, as Im2col
  ;; then gemm (k = 9). xp is the image with a zero border (row stride rs =
  ;; wd+2); wp holds w (9×n) as n/8 panels of 9 rows of 8. A tile is 4
  ;; pixels of a row by 8 channels, panel4x8's tile: a tap's four A values
  ;; are broadcasts at constant offsets from one pointer into xp, which moves
  ;; a float per tap and a row per three, where gemm's k-loop moves five
  ;; pointers a step and reads a column matrix that Im2col must write first.
  ;; (With the nine taps written out in line, Node 20's TurboFan hoisted all
  ;; their loads to the top of the tile and spilled most of them: 12
  ;; GFLOP/s.)
  (func (export "conv1in") (param $y i32) (param $xp i32) (param $wp i32) (param $n i32)
        (param $rs i32) (param $h i32) (param $wd i32)
    (local $oy i32) (local $j i32) (local $ox i32) (local $rs4 i32) (local $ldc4 i32) (local $rowstep i32)
    (local $r0 i32) (local $pc i32) (local $pw i32) (local $pa i32) (local $pb i32) (local $ky i32) (local $kx i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rs4 (i32.shl (local.get $rs) (i32.const 2)))
    (local.set $rowstep (i32.sub (local.get $rs4) (i32.const 12)))
    (local.set $ldc4 (i32.shl (local.get $n) (i32.const 2)))
    (block $ydone (loop $yloop
      (br_if $ydone (i32.ge_u (local.get $oy) (local.get $h)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $pw (i32.add (local.get $wp) (i32.mul (local.get $j) (i32.const 36))))
        (local.set $r0 (i32.add (local.get $xp) (i32.mul (local.get $oy) (local.get $rs4))))
        (local.set $pc (i32.add (local.get $y)
          (i32.shl (i32.add (i32.mul (i32.mul (local.get $oy) (local.get $wd)) (local.get $n)) (local.get $j)) (i32.const 2))))
        (local.set $ox (i32.const 0))
        (block $xdone (loop $xloop
          (br_if $xdone (i32.ge_u (local.get $ox) (local.get $wd)))
          (local.set $c00 (v128.const f32x4 0 0 0 0))
          (local.set $c01 (v128.const f32x4 0 0 0 0))
          (local.set $c10 (v128.const f32x4 0 0 0 0))
          (local.set $c11 (v128.const f32x4 0 0 0 0))
          (local.set $c20 (v128.const f32x4 0 0 0 0))
          (local.set $c21 (v128.const f32x4 0 0 0 0))
          (local.set $c30 (v128.const f32x4 0 0 0 0))
          (local.set $c31 (v128.const f32x4 0 0 0 0))
          (local.set $pa (local.get $r0))
          (local.set $pb (local.get $pw))
          (local.set $ky (i32.const 3))
          (loop $kyloop
            (local.set $kx (i32.const 3))
            (loop $kxloop
              (local.set $b0 (v128.load offset=0 (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (v128.load32_splat offset=0 (local.get $pa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat offset=4 (local.get $pa)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat offset=8 (local.get $pa)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat offset=12 (local.get $pa)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
              (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
              (br_if $kxloop (local.tee $kx (i32.sub (local.get $kx) (i32.const 1)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $rowstep)))
            (br_if $kyloop (local.tee $ky (i32.sub (local.get $ky) (i32.const 1)))))
          (v128.store offset=0 (local.get $pc) (local.get $c00))
          (v128.store offset=16 (local.get $pc) (local.get $c01))
          (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c10))
          (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c11))
          (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c20))
          (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c21))
          (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c30))
          (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c31))
          (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
          (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ldc4) (i32.const 2))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 4)))
          (br $xloop)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop)))
      (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
      (br $yloop)))
  )

  ;; conv1indw adds one image's terms to the weight gradient dw (9×n, n a
  ;; multiple of 8) of a stride-1 convolution from one input channel (the
  ;; first convs): xp is the image with a zero border (row stride rs =
  ;; wd+2), as conv1in reads it; dy its h×wd×n output gradient. Each weight
  ;; adds every pixel's product in order, as GemmTA over the column matrix
  ;; does. Lanes run over 8 channels of one tap row's three taps, in six
  ;; accumulators loaded from dw; along an output row, the padded pixel
  ;; tap kx = 2 reads is the one kx = 1 reads one output later and kx = 0
  ;; two, so each is broadcast once and kept. (The previous version took 16
  ;; channels of two taps, and with 16 channels the ninth tap with a copy of
  ;; itself whose sums were dropped; in Chromium 148, timed call by call on
  ;; one 28×28 image, this one takes 0.83-0.90× its time with 16 channels,
  ;; 0.93-1.00× with 32.)
  ;; Each output row goes through every channel group and tap row before
  ;; the next, so its dy (3.5 KB with 32 channels) is read from memory once
  ;; and then from L1; taken a group and tap row at a time over the whole
  ;; image, dy (100 KB) came back from L2 for each of the 3·n/8 passes, and
  ;; the call took 1/0.96 of this one's time on 32 images of 32 channels.
  ;; Rows in order keep each weight's order.
  (func (export "conv1indw") (param $dw i32) (param $xp i32) (param $dy i32) (param $n i32)
        (param $rs i32) (param $h i32) (param $wd i32)
    (local $j4 i32) (local $ky i32) (local $pk i32) (local $oy i32) (local $ox i32) (local $px i32) (local $pd i32)
    (local $n4 i32) (local $row i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $d0 v128) (local $d1 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    ;; n·4 bytes: dy's pixel stride and dw's tap stride
    (local.set $n4 (i32.shl (local.get $n) (i32.const 2)))
    (loop $yloop
      ;; row: dy's output row oy
      (local.set $row (i32.add (local.get $dy) (i32.mul (i32.mul (local.get $oy) (local.get $wd)) (local.get $n4))))
      (local.set $j4 (i32.const 0))
      (loop $jloop
        (local.set $ky (i32.const 0))
        (loop $kyloop
          ;; taps (ky, 0..2) at channels j..j+7: a0 a1 (kx 0), a2 a3 (kx 1), a4 a5 (kx 2)
          (local.set $pk (i32.add (i32.add (local.get $dw) (local.get $j4))
            (i32.mul (i32.mul (local.get $ky) (i32.const 3)) (local.get $n4))))
          (local.set $a0 (v128.load offset=0 (local.get $pk)))
          (local.set $a1 (v128.load offset=16 (local.get $pk)))
          (local.set $a2 (v128.load offset=0 (i32.add (local.get $pk) (local.get $n4))))
          (local.set $a3 (v128.load offset=16 (i32.add (local.get $pk) (local.get $n4))))
          (local.set $a4 (v128.load offset=0 (i32.add (local.get $pk) (i32.shl (local.get $n4) (i32.const 1)))))
          (local.set $a5 (v128.load offset=16 (i32.add (local.get $pk) (i32.shl (local.get $n4) (i32.const 1)))))
          (local.set $pd (i32.add (local.get $row) (local.get $j4)))
          ;; padded row oy+ky: output ox reads its pixels ox, ox+1, ox+2
          (local.set $px (i32.add (local.get $xp)
            (i32.shl (i32.mul (i32.add (local.get $oy) (local.get $ky)) (local.get $rs)) (i32.const 2))))
          (local.set $s0 (v128.load32_splat offset=0 (local.get $px)))
          (local.set $s1 (v128.load32_splat offset=4 (local.get $px)))
          (local.set $ox (local.get $wd))
          (loop $xloop
            (local.set $s2 (v128.load32_splat offset=8 (local.get $px)))
            (local.set $d0 (v128.load offset=0 (local.get $pd)))
            (local.set $d1 (v128.load offset=16 (local.get $pd)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s0) (local.get $d0))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s0) (local.get $d1))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s1) (local.get $d0))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s1) (local.get $d1))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s2) (local.get $d0))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s2) (local.get $d1))))
            (local.set $s0 (local.get $s1))
            (local.set $s1 (local.get $s2))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))
            (local.set $pd (i32.add (local.get $pd) (local.get $n4)))
            (br_if $xloop (local.tee $ox (i32.sub (local.get $ox) (i32.const 1)))))
          (v128.store offset=0 (local.get $pk) (local.get $a0))
          (v128.store offset=16 (local.get $pk) (local.get $a1))
          (v128.store offset=0 (i32.add (local.get $pk) (local.get $n4)) (local.get $a2))
          (v128.store offset=16 (i32.add (local.get $pk) (local.get $n4)) (local.get $a3))
          (v128.store offset=0 (i32.add (local.get $pk) (i32.shl (local.get $n4) (i32.const 1))) (local.get $a4))
          (v128.store offset=16 (i32.add (local.get $pk) (i32.shl (local.get $n4) (i32.const 1))) (local.get $a5))
          (br_if $kyloop (i32.lt_u (local.tee $ky (i32.add (local.get $ky) (i32.const 1))) (i32.const 3))))
        (br_if $jloop (i32.lt_u (local.tee $j4 (i32.add (local.get $j4) (i32.const 32))) (local.get $n4))))
      (br_if $yloop (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $h))))
  )

  ;; addrows and sumrows are a bias's passes over rows of c values (the
  ;; layer kernels AddToRows and SumRowsInto of core/kernels/layers.go):
  ;; addrows sets y[r,j] = y[r,j] + b[j]; sumrows sets db[j] = db[j] + g[r,j]
  ;; for r = 0, 1, ... in order, one f32 add each, as Go's dst[i] += v. The
  ;; lanes run across channels (c a multiple of 4), across the elements
  ;; when c = 1 for addrows, and not at all otherwise: sumrows with c = 1 is
  ;; one sum, in a local. rows and c are positive.
  (func (export "addrows") (param $y i32) (param $b i32) (param $rows i32) (param $c i32)
    (local $end i32) (local $py i32) (local $pb i32) (local $rend i32) (local $bv v128) (local $bs f32)
    (local.set $end (i32.add (local.get $y) (i32.shl (i32.mul (local.get $rows) (local.get $c)) (i32.const 2))))
    (if (i32.eq (local.get $c) (i32.const 1)) (then
      (local.set $bv (v128.load32_splat (local.get $b)))
      (local.set $py (local.get $y))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.gt_u (i32.add (local.get $py) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $py) (f32x4.add (v128.load (local.get $py)) (local.get $bv)))
        (local.set $py (i32.add (local.get $py) (i32.const 16)))
        (br $vloop)))
      (local.set $bs (f32.load (local.get $b)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $py) (local.get $end)))
        (f32.store (local.get $py) (f32.add (f32.load (local.get $py)) (local.get $bs)))
        (local.set $py (i32.add (local.get $py) (i32.const 4)))
        (br $sloop)))
      (return)))
    (local.set $py (local.get $y))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $py) (local.get $end)))
      (local.set $rend (i32.add (local.get $py) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $pb (local.get $b))
      (if (i32.eqz (i32.and (local.get $c) (i32.const 3))) (then
        (loop $jloop
          (v128.store (local.get $py) (f32x4.add (v128.load (local.get $py)) (v128.load (local.get $pb))))
          (local.set $py (i32.add (local.get $py) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (br_if $jloop (i32.lt_u (local.get $py) (local.get $rend)))))
      (else
        (loop $jloop
          (f32.store (local.get $py) (f32.add (f32.load (local.get $py)) (f32.load (local.get $pb))))
          (local.set $py (i32.add (local.get $py) (i32.const 4)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
          (br_if $jloop (i32.lt_u (local.get $py) (local.get $rend))))))
      (br $rloop)))
  )

  (func (export "sumrows") (param $db i32) (param $g i32) (param $rows i32) (param $c i32)
    (local $end i32) (local $pg i32) (local $pd i32) (local $rend i32) (local $s f32)
    (local.set $end (i32.add (local.get $g) (i32.shl (i32.mul (local.get $rows) (local.get $c)) (i32.const 2))))
    (local.set $pg (local.get $g))
    (if (i32.eq (local.get $c) (i32.const 1)) (then
      (local.set $s (f32.load (local.get $db)))
      (loop $sloop
        (local.set $s (f32.add (local.get $s) (f32.load (local.get $pg))))
        (local.set $pg (i32.add (local.get $pg) (i32.const 4)))
        (br_if $sloop (i32.lt_u (local.get $pg) (local.get $end))))
      (f32.store (local.get $db) (local.get $s))
      (return)))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $pg) (local.get $end)))
      (local.set $rend (i32.add (local.get $pg) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $pd (local.get $db))
      (if (i32.eqz (i32.and (local.get $c) (i32.const 3))) (then
        (loop $jloop
          (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (v128.load (local.get $pg))))
          (local.set $pg (i32.add (local.get $pg) (i32.const 16)))
          (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
          (br_if $jloop (i32.lt_u (local.get $pg) (local.get $rend)))))
      (else
        (loop $jloop
          (f32.store (local.get $pd) (f32.add (f32.load (local.get $pd)) (f32.load (local.get $pg))))
          (local.set $pg (i32.add (local.get $pg) (i32.const 4)))
          (local.set $pd (i32.add (local.get $pd) (i32.const 4)))
          (br_if $jloop (i32.lt_u (local.get $pg) (local.get $rend))))))
      (br $rloop)))
  )

  ;; adam and rmsprop are the optimisers' element-wise updates (AdamUpdate
  ;; and RMSpropUpdate of core/kernels/optim.go), each element's expression
  ;; as in Go: the gradient clipped to [-clip, clip] when doclip (compare and
  ;; select, so a NaN passes as with Go's ifs), every product and quotient
  ;; rounded to f32, f32x4.sqrt correctly rounded as Go's float64 root of a
  ;; float32 is once rounded back. Lanes run over elements; the last n mod 4
  ;; go through the same operations in scalar f32.
  (func $clip4 (param $g v128) (param $clip v128) (result v128)
    (local.set $g (v128.bitselect (local.get $clip) (local.get $g) (f32x4.gt (local.get $g) (local.get $clip))))
    (v128.bitselect (f32x4.neg (local.get $clip)) (local.get $g) (f32x4.lt (local.get $g) (f32x4.neg (local.get $clip)))))

  (func $clip1 (param $g f32) (param $clip f32) (result f32)
    (if (f32.gt (local.get $g) (local.get $clip)) (then (return (local.get $clip))))
    (if (f32.lt (local.get $g) (f32.neg (local.get $clip))) (then (return (f32.neg (local.get $clip)))))
    (local.get $g))

  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
        (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $lr f32) (param $eps f32)
        (param $clip f32) (param $doclip i32)
    (local $o i32) (local $end4 i32) (local $end i32)
    (local $gv v128) (local $mv v128) (local $vv v128) (local $clipv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    (local.set $clipv (f32x4.splat (local.get $clip)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $end4)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
      (if (local.get $doclip) (then (local.set $gv (call $clip4 (local.get $gv) (local.get $clipv)))))
      (local.set $mv (f32x4.add
        (f32x4.mul (f32x4.splat (local.get $b1)) (v128.load (i32.add (local.get $m) (local.get $o))))
        (f32x4.mul (f32x4.splat (local.get $c1)) (local.get $gv))))
      (local.set $vv (f32x4.add
        (f32x4.mul (f32x4.splat (local.get $b2)) (v128.load (i32.add (local.get $v) (local.get $o))))
        (f32x4.mul (f32x4.splat (local.get $c2)) (f32x4.mul (local.get $gv) (local.get $gv)))))
      (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mv))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vv))
      (v128.store (i32.add (local.get $w) (local.get $o)) (f32x4.sub
        (v128.load (i32.add (local.get $w) (local.get $o)))
        (f32x4.div (f32x4.mul (f32x4.splat (local.get $lr)) (local.get $mv))
                   (f32x4.add (f32x4.sqrt (local.get $vv)) (f32x4.splat (local.get $eps))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vloop)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
      (if (local.get $doclip) (then (local.set $gs (call $clip1 (local.get $gs) (local.get $clip)))))
      (local.set $ms (f32.add
        (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $o))))
        (f32.mul (local.get $c1) (local.get $gs))))
      (local.set $vs (f32.add
        (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $o))))
        (f32.mul (local.get $c2) (f32.mul (local.get $gs) (local.get $gs)))))
      (f32.store (i32.add (local.get $m) (local.get $o)) (local.get $ms))
      (f32.store (i32.add (local.get $v) (local.get $o)) (local.get $vs))
      (f32.store (i32.add (local.get $w) (local.get $o)) (f32.sub
        (f32.load (i32.add (local.get $w) (local.get $o)))
        (f32.div (f32.mul (local.get $lr) (local.get $ms))
                 (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $sloop)))
  )

  (func (export "rmsprop") (param $w i32) (param $g i32) (param $a i32) (param $n i32)
        (param $rho f32) (param $c f32) (param $lr f32) (param $eps f32) (param $clip f32) (param $doclip i32)
    (local $o i32) (local $end4 i32) (local $end i32)
    (local $gv v128) (local $av v128) (local $clipv v128) (local $gs f32) (local $as f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    (local.set $clipv (f32x4.splat (local.get $clip)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $end4)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
      (if (local.get $doclip) (then (local.set $gv (call $clip4 (local.get $gv) (local.get $clipv)))))
      (local.set $av (f32x4.add
        (f32x4.mul (f32x4.splat (local.get $rho)) (v128.load (i32.add (local.get $a) (local.get $o))))
        (f32x4.mul (f32x4.splat (local.get $c)) (f32x4.mul (local.get $gv) (local.get $gv)))))
      (v128.store (i32.add (local.get $a) (local.get $o)) (local.get $av))
      (v128.store (i32.add (local.get $w) (local.get $o)) (f32x4.sub
        (v128.load (i32.add (local.get $w) (local.get $o)))
        (f32x4.div (f32x4.mul (f32x4.splat (local.get $lr)) (local.get $gv))
                   (f32x4.add (f32x4.sqrt (local.get $av)) (f32x4.splat (local.get $eps))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vloop)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
      (if (local.get $doclip) (then (local.set $gs (call $clip1 (local.get $gs) (local.get $clip)))))
      (local.set $as (f32.add
        (f32.mul (local.get $rho) (f32.load (i32.add (local.get $a) (local.get $o))))
        (f32.mul (local.get $c) (f32.mul (local.get $gs) (local.get $gs)))))
      (f32.store (i32.add (local.get $a) (local.get $o)) (local.get $as))
      (f32.store (i32.add (local.get $w) (local.get $o)) (f32.sub
        (f32.load (i32.add (local.get $w) (local.get $o)))
        (f32.div (f32.mul (local.get $lr) (local.get $gs))
                 (f32.add (f32.sqrt (local.get $as)) (local.get $eps)))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $sloop)))
  )

  ;; addr returns the byte address of C[i, j]: c + i*ldc4 + 4j.
  (func $addr (param $c i32) (param $i i32) (param $ldc4 i32) (param $j i32) (result i32)
    (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4)))
             (i32.shl (local.get $j) (i32.const 2))))

  ;; t1x1: one element of C, in scalar f32 ops with the same order.
  (func $t1x1 (param $pc i32) (param $pa i32) (param $pb i32) (param $k i32)
        (param $aps4 i32) (param $ldb4 i32) (param $load i32)
    (local $s f32) (local $p i32)
    (if (local.get $load) (then (local.set $s (f32.load (local.get $pc)))))
    (local.set $p (local.get $k))
    (loop $ploop
      (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
      (local.set $pa (i32.add (local.get $pa) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (f32.store (local.get $pc) (local.get $s))
  )

  ;; panel4x8: the 4x8 tiles of a panel of C at $pc (row stride $ldc4
  ;; bytes) down rows 0..m4-1 (m4 a multiple of 4), rows of A from $pa, the
  ;; panel of B at $pb. One call per panel: a call per tile (t4x8, which
  ;; this replaces) cost 5-7% of a product with k = 10 (the 10-class
  ;; layer's input gradient), as tests/bench/abkernel.mjs timed it.
  (func $panel4x8 (param $pc i32) (param $pa i32) (param $pb i32) (param $k i32) (param $m4 i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $p i32) (local $q i32) (local $i i32)
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $m4)))
      (local.set $pa0 (local.get $pa))
      (local.set $q (local.get $pb))
      (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
      (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
      (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
      (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
      (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars4)))
      (local.set $pa2 (i32.add (local.get $pa1) (local.get $ars4)))
      (local.set $pa3 (i32.add (local.get $pa2) (local.get $ars4)))
      (if (local.get $load) (then
        (local.set $c00 (v128.load offset=0 (local.get $pc)))
        (local.set $c01 (v128.load offset=16 (local.get $pc)))
        (local.set $c10 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1)))))
        (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1)))))
        (local.set $c20 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2)))))
        (local.set $c21 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2)))))
        (local.set $c30 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3)))))
        (local.set $c31 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3)))))
      ))
      (local.set $p (local.get $k))
      (loop $ploop
        (local.set $b0 (v128.load offset=0 (local.get $q)))
        (local.set $b1 (v128.load offset=16 (local.get $q)))
        (local.set $x (v128.load32_splat (local.get $pa0)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $pa1)))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $pa2)))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $pa3)))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
        (local.set $pa1 (i32.add (local.get $pa1) (local.get $aps4)))
        (local.set $pa2 (i32.add (local.get $pa2) (local.get $aps4)))
        (local.set $pa3 (i32.add (local.get $pa3) (local.get $aps4)))
        (local.set $q (i32.add (local.get $q) (local.get $ldb4)))
        (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (v128.store offset=0 (local.get $pc) (local.get $c00))
      (v128.store offset=16 (local.get $pc) (local.get $c01))
      (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c10))
      (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c11))
      (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c20))
      (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c21))
      (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c30))
      (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c31))
      (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ldc4) (i32.const 2))))
      (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $ars4) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $iloop)))
  )

  ;; t1x8: the 1x8 tile of C at $pc (row stride $ldc4 bytes), row of A at $pa0, B at $pb.
  (func $t1x8 (param $pc i32) (param $pa0 i32) (param $pb i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128) (local $c01 v128)
    (local $x v128) (local $b0 v128) (local $b1 v128)
     (local $p i32)
    (if (local.get $load) (then
      (local.set $c00 (v128.load offset=0 (local.get $pc)))
      (local.set $c01 (v128.load offset=16 (local.get $pc)))
    ))
    (local.set $p (local.get $k))
    (loop $ploop
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load32_splat (local.get $pa0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
    (v128.store offset=16 (local.get $pc) (local.get $c01))
  )

  ;; panel8c: rows 0..m-1 of one panel of 8 columns (ars = 1): tiles of
  ;; 5 rows, and of 4 where that leaves a multiple of 5 (so m = 32 goes
  ;; 4+4+4+5+5+5+5), then single rows.
  (func $panel8c (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $i i32) (local $r i32)
    (block $done (loop $loop
      (local.set $r (i32.sub (local.get $m) (local.get $i)))
      (if (i32.and (i32.ge_u (local.get $r) (i32.const 4)) (i32.ne (i32.rem_u (local.get $r) (i32.const 5)) (i32.const 0))) (then
      (call $t4x8c1 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4)))
        (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4))) (local.get $b)
        (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $loop)))
      (br_if $done (i32.lt_u (local.get $r) (i32.const 5)))
      (call $t5x8c1 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4)))
        (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4))) (local.get $b)
        (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
      (local.set $i (i32.add (local.get $i) (i32.const 5)))
      (br $loop)))
    (block $done1 (loop $loop1
      (br_if $done1 (i32.ge_u (local.get $i) (local.get $m)))
      (call $t1x8 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc4)))
        (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4))) (local.get $b)
        (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $loop1)))
  )

  ;; t5x8c1: the 5x8 tile of C at $pc; rows of A at $pa0, $pa0+4, ... (ars = 1), B at $pb.
  (func $t5x8c1 (param $pc i32) (param $pa0 i32) (param $pb i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $c40 v128) (local $c41 v128)
    (local $x v128) (local $b0 v128) (local $b1 v128)
     (local $p i32) (local $q i32)
    (if (local.get $load) (then
      (local.set $q (local.get $pc))
      (local.set $c00 (v128.load offset=0 (local.get $q)))
      (local.set $c01 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))))
      (local.set $c10 (v128.load offset=0 (local.get $q)))
      (local.set $c11 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))))
      (local.set $c20 (v128.load offset=0 (local.get $q)))
      (local.set $c21 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))))
      (local.set $c30 (v128.load offset=0 (local.get $q)))
      (local.set $c31 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 4))))
      (local.set $c40 (v128.load offset=0 (local.get $q)))
      (local.set $c41 (v128.load offset=16 (local.get $q)))
    ))
    (local.set $p (local.get $k))
    (loop $ploop
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load32_splat offset=0 (local.get $pa0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=4 (local.get $pa0)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=8 (local.get $pa0)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=12 (local.get $pa0)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=16 (local.get $pa0)))
      (local.set $c40 (f32x4.add (local.get $c40) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c41 (f32x4.add (local.get $c41) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (local.set $q (local.get $pc))
    (v128.store offset=0 (local.get $q) (local.get $c00))
    (v128.store offset=16 (local.get $q) (local.get $c01))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))))
    (v128.store offset=0 (local.get $q) (local.get $c10))
    (v128.store offset=16 (local.get $q) (local.get $c11))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))))
    (v128.store offset=0 (local.get $q) (local.get $c20))
    (v128.store offset=16 (local.get $q) (local.get $c21))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))))
    (v128.store offset=0 (local.get $q) (local.get $c30))
    (v128.store offset=16 (local.get $q) (local.get $c31))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 4))))
    (v128.store offset=0 (local.get $q) (local.get $c40))
    (v128.store offset=16 (local.get $q) (local.get $c41))
  )

  ;; t4x8c1: the 4x8 tile of C at $pc; rows of A at $pa0, $pa0+4, ... (ars = 1), B at $pb.
  (func $t4x8c1 (param $pc i32) (param $pa0 i32) (param $pb i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $x v128) (local $b0 v128) (local $b1 v128)
     (local $p i32) (local $q i32)
    (if (local.get $load) (then
      (local.set $q (local.get $pc))
      (local.set $c00 (v128.load offset=0 (local.get $q)))
      (local.set $c01 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))))
      (local.set $c10 (v128.load offset=0 (local.get $q)))
      (local.set $c11 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))))
      (local.set $c20 (v128.load offset=0 (local.get $q)))
      (local.set $c21 (v128.load offset=16 (local.get $q)))
      (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))))
      (local.set $c30 (v128.load offset=0 (local.get $q)))
      (local.set $c31 (v128.load offset=16 (local.get $q)))
    ))
    (local.set $p (local.get $k))
    (loop $ploop
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load32_splat offset=0 (local.get $pa0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=4 (local.get $pa0)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=8 (local.get $pa0)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=12 (local.get $pa0)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (local.set $q (local.get $pc))
    (v128.store offset=0 (local.get $q) (local.get $c00))
    (v128.store offset=16 (local.get $q) (local.get $c01))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))))
    (v128.store offset=0 (local.get $q) (local.get $c10))
    (v128.store offset=16 (local.get $q) (local.get $c11))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))))
    (v128.store offset=0 (local.get $q) (local.get $c20))
    (v128.store offset=16 (local.get $q) (local.get $c21))
    (local.set $q (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))))
    (v128.store offset=0 (local.get $q) (local.get $c30))
    (v128.store offset=16 (local.get $q) (local.get $c31))
  )

  ;; t4x4: the 4x4 tile of C at $pc (row stride $ldc4 bytes), rows of A at $pa0.., B at $pb.
  (func $t4x4 (param $pc i32) (param $pa0 i32) (param $pb i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128)
    (local $x v128) (local $b0 v128)
    (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $p i32)
    (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars4)))
    (local.set $pa2 (i32.add (local.get $pa1) (local.get $ars4)))
    (local.set $pa3 (i32.add (local.get $pa2) (local.get $ars4)))
    (if (local.get $load) (then
      (local.set $c00 (v128.load offset=0 (local.get $pc)))
      (local.set $c10 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1)))))
      (local.set $c20 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2)))))
      (local.set $c30 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3)))))
    ))
    (local.set $p (local.get $k))
    (loop $ploop
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $x (v128.load32_splat (local.get $pa0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $x (v128.load32_splat (local.get $pa1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $x (v128.load32_splat (local.get $pa2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $x (v128.load32_splat (local.get $pa3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (local.set $pa1 (i32.add (local.get $pa1) (local.get $aps4)))
      (local.set $pa2 (i32.add (local.get $pa2) (local.get $aps4)))
      (local.set $pa3 (i32.add (local.get $pa3) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
    (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c10))
    (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c20))
    (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c30))
  )

  ;; t1x4: the 1x4 tile of C at $pc (row stride $ldc4 bytes), rows of A at $pa0.., B at $pb.
  (func $t1x4 (param $pc i32) (param $pa0 i32) (param $pb i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128)
    (local $x v128) (local $b0 v128)
     (local $p i32)
    (if (local.get $load) (then
      (local.set $c00 (v128.load offset=0 (local.get $pc)))
    ))
    (local.set $p (local.get $k))
    (loop $ploop
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $x (v128.load32_splat (local.get $pa0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
  )

  ;; col2im adds rows of the column matrix into the image gradient img (NHWC,
  ;; h×w pixels of ch channels): the np rows of output pixels p0, p0+1, ...
  ;; of one image, in row-major order, starting at rows. Entry (kh, kw, c) of
  ;; output pixel (i, j)'s row adds into pixel (i*stride+kh-pt,
  ;; j*stride+kw-pl) where that is inside the image. Each element of img gets
  ;; at most one term per row, so adding the rows in order gives exactly the
  ;; sums of the pure-Go col2imRows.
  (func (export "col2im")
        (param $img i32) (param $rows i32) (param $h i32) (param $w i32) (param $ch i32)
        (param $stride i32) (param $ow i32) (param $pt i32) (param $pl i32)
        (param $p0 i32) (param $np i32)
    (local $i i32) (local $j i32) (local $kh i32) (local $kw i32) (local $y i32) (local $x i32)
    (local $ch4 i32)
    (local.set $ch4 (i32.shl (local.get $ch) (i32.const 2)))
    (local.set $i (i32.div_u (local.get $p0) (local.get $ow)))
    (local.set $j (i32.rem_u (local.get $p0) (local.get $ow)))
    (block $done (loop $ploop
      (br_if $done (i32.le_s (local.get $np) (i32.const 0)))
      (local.set $kh (i32.const 0))
      (loop $khloop
        (local.set $y (i32.sub (i32.add (i32.mul (local.get $i) (local.get $stride)) (local.get $kh)) (local.get $pt)))
        (if (i32.and (i32.ge_s (local.get $y) (i32.const 0)) (i32.lt_s (local.get $y) (local.get $h))) (then
          (local.set $kw (i32.const 0))
          (loop $kwloop
            (local.set $x (i32.sub (i32.add (i32.mul (local.get $j) (local.get $stride)) (local.get $kw)) (local.get $pl)))
            (if (i32.and (i32.ge_s (local.get $x) (i32.const 0)) (i32.lt_s (local.get $x) (local.get $w))) (then
              (call $addrun
                (i32.add (local.get $img)
                  (i32.mul (i32.add (i32.mul (local.get $y) (local.get $w)) (local.get $x)) (local.get $ch4)))
                (i32.add (local.get $rows)
                  (i32.mul (i32.add (i32.mul (local.get $kh) (i32.const 3)) (local.get $kw)) (local.get $ch4)))
                (local.get $ch))))
            (br_if $kwloop (i32.lt_s (local.tee $kw (i32.add (local.get $kw) (i32.const 1))) (i32.const 3))))))
        (br_if $khloop (i32.lt_s (local.tee $kh (i32.add (local.get $kh) (i32.const 1))) (i32.const 3))))
      (local.set $rows (i32.add (local.get $rows) (i32.mul (local.get $ch4) (i32.const 9))))
      ;; next output pixel: along the row, then down to the next row
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (if (i32.eq (local.get $j) (local.get $ow)) (then
        (local.set $j (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (local.set $np (i32.sub (local.get $np) (i32.const 1)))
      (br $ploop)))
  )

  ;; addrun adds the n floats at src into the n floats at dst.
  (func $addrun (param $dst i32) (param $src i32) (param $n i32)
    (block $vdone (loop $vloop
      (br_if $vdone (i32.lt_s (local.get $n) (i32.const 4)))
      (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $n (i32.sub (local.get $n) (i32.const 4)))
      (br $vloop)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.eqz (local.get $n)))
      (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $sloop)))
  )

  ;; ---------------------------------------------------------------------
  ;; Layer kernels (core/kernels/layers.go: the batch-norm sums and
  ;; element-wise passes, ReLU, LeakyReLU, 2x2 max pooling). Tensors are rows
  ;; of c contiguous float32 channels; per-channel sums are float64 arrays.
  ;; Each computes exactly the expression of its pure-Go twin in layers.go,
  ;; one IEEE operation for each Go operation, with lanes across channels (or
  ;; across elements when every element is independent), never across the
  ;; terms of one sum: a sum's lane adds the rows in increasing order. Channel
  ;; remainders run the same operations in scalar form. f32->f64 is exact
  ;; (f64x2.promote_low_f32x4, f64.promote_f32), f64->f32 rounds to nearest
  ;; as Go's conversion does (f32x4.demote_f64x2_zero, f32.demote_f64).
  ;; rows and c are at least 1; n may be 0.

  ;; chansum: sum[j] += f64(x[r*c+j]) for r = 0..rows-1, for each j < c.
  ;; Blocks of 8 channels keep four f64x2 accumulators while walking down the
  ;; rows; then pairs, then the last channel.
  (func (export "chansum") (param $sum i32) (param $x i32) (param $rows i32) (param $c i32)
    (local $c4 i32) (local $j i32) (local $ps i32) (local $px i32) (local $r i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f64)
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (block $done8 (loop $loop8
      (br_if $done8 (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $c)))
      (local.set $ps (i32.add (local.get $sum) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $px (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $a0 (v128.load offset=0 (local.get $ps)))
      (local.set $a1 (v128.load offset=16 (local.get $ps)))
      (local.set $a2 (v128.load offset=32 (local.get $ps)))
      (local.set $a3 (v128.load offset=48 (local.get $ps)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $px)))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $px)))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $px)))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $px)))))
        (local.set $px (i32.add (local.get $px) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store offset=0 (local.get $ps) (local.get $a0))
      (v128.store offset=16 (local.get $ps) (local.get $a1))
      (v128.store offset=32 (local.get $ps) (local.get $a2))
      (v128.store offset=48 (local.get $ps) (local.get $a3))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $loop8)))
    (block $done2 (loop $loop2
      (br_if $done2 (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $c)))
      (local.set $ps (i32.add (local.get $sum) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $px (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $a0 (v128.load (local.get $ps)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px)))))
        (local.set $px (i32.add (local.get $px) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store (local.get $ps) (local.get $a0))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $loop2)))
    (if (i32.lt_u (local.get $j) (local.get $c)) (then
      (local.set $ps (i32.add (local.get $sum) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $px (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $s (f64.load (local.get $ps)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $px)))))
        (local.set $px (i32.add (local.get $px) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (f64.store (local.get $ps) (local.get $s))))
  )

  ;; chansqdev: d = f64(x[r*c+j]) - mean[j]; sum2[j] += d*d, rows in order.
  (func (export "chansqdev") (param $sum2 i32) (param $x i32) (param $mean i32) (param $rows i32) (param $c i32)
    (local $c4 i32) (local $j i32) (local $ps i32) (local $pm i32) (local $px i32) (local $r i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $d v128)
    (local $s f64) (local $m f64) (local $ds f64)
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (block $done8 (loop $loop8
      (br_if $done8 (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $c)))
      (local.set $ps (i32.add (local.get $sum2) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pm (i32.add (local.get $mean) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $px (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $a0 (v128.load offset=0 (local.get $ps)))
      (local.set $a1 (v128.load offset=16 (local.get $ps)))
      (local.set $a2 (v128.load offset=32 (local.get $ps)))
      (local.set $a3 (v128.load offset=48 (local.get $ps)))
      (local.set $m0 (v128.load offset=0 (local.get $pm)))
      (local.set $m1 (v128.load offset=16 (local.get $pm)))
      (local.set $m2 (v128.load offset=32 (local.get $pm)))
      (local.set $m3 (v128.load offset=48 (local.get $pm)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $px))) (local.get $m0)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $px))) (local.get $m1)))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $px))) (local.get $m2)))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $px))) (local.get $m3)))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $px (i32.add (local.get $px) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store offset=0 (local.get $ps) (local.get $a0))
      (v128.store offset=16 (local.get $ps) (local.get $a1))
      (v128.store offset=32 (local.get $ps) (local.get $a2))
      (v128.store offset=48 (local.get $ps) (local.get $a3))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $loop8)))
    (block $done2 (loop $loop2
      (br_if $done2 (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $c)))
      (local.set $ps (i32.add (local.get $sum2) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pm (i32.add (local.get $mean) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $px (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $a0 (v128.load (local.get $ps)))
      (local.set $m0 (v128.load (local.get $pm)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px))) (local.get $m0)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $px (i32.add (local.get $px) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store (local.get $ps) (local.get $a0))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $loop2)))
    (if (i32.lt_u (local.get $j) (local.get $c)) (then
      (local.set $ps (i32.add (local.get $sum2) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $px (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $m (f64.load (i32.add (local.get $mean) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $s (f64.load (local.get $ps)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $ds (f64.sub (f64.promote_f32 (f32.load (local.get $px))) (local.get $m)))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $ds) (local.get $ds))))
        (local.set $px (i32.add (local.get $px) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (f64.store (local.get $ps) (local.get $s))))
  )

  ;; chansumdot: sum[j] += f64(g[i]); sum2[j] += f64(g[i]*h[i]) (the product
  ;; rounded to f32 first) for i = r*c+j, rows in order.
  (func (export "chansumdot") (param $sum i32) (param $sum2 i32) (param $g i32) (param $h i32) (param $rows i32) (param $c i32)
    (local $c4 i32) (local $j i32) (local $ps i32) (local $pq i32) (local $pg i32) (local $ph i32) (local $r i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128) (local $v v128)
    (local $s f64) (local $q f64) (local $f f32)
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (block $done8 (loop $loop8
      (br_if $done8 (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $c)))
      (local.set $ps (i32.add (local.get $sum) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pq (i32.add (local.get $sum2) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pg (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $s0 (v128.load offset=0 (local.get $ps)))
      (local.set $s1 (v128.load offset=16 (local.get $ps)))
      (local.set $s2 (v128.load offset=32 (local.get $ps)))
      (local.set $s3 (v128.load offset=48 (local.get $ps)))
      (local.set $q0 (v128.load offset=0 (local.get $pq)))
      (local.set $q1 (v128.load offset=16 (local.get $pq)))
      (local.set $q2 (v128.load offset=32 (local.get $pq)))
      (local.set $q3 (v128.load offset=48 (local.get $pq)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $v (v128.load64_zero offset=0 (local.get $pg)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $q0 (f64x2.add (local.get $q0) (f64x2.promote_low_f32x4 (f32x4.mul (local.get $v) (v128.load64_zero offset=0 (local.get $ph))))))
        (local.set $v (v128.load64_zero offset=8 (local.get $pg)))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $q1 (f64x2.add (local.get $q1) (f64x2.promote_low_f32x4 (f32x4.mul (local.get $v) (v128.load64_zero offset=8 (local.get $ph))))))
        (local.set $v (v128.load64_zero offset=16 (local.get $pg)))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $q2 (f64x2.add (local.get $q2) (f64x2.promote_low_f32x4 (f32x4.mul (local.get $v) (v128.load64_zero offset=16 (local.get $ph))))))
        (local.set $v (v128.load64_zero offset=24 (local.get $pg)))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $q3 (f64x2.add (local.get $q3) (f64x2.promote_low_f32x4 (f32x4.mul (local.get $v) (v128.load64_zero offset=24 (local.get $ph))))))
        (local.set $pg (i32.add (local.get $pg) (local.get $c4)))
        (local.set $ph (i32.add (local.get $ph) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store offset=0 (local.get $ps) (local.get $s0))
      (v128.store offset=16 (local.get $ps) (local.get $s1))
      (v128.store offset=32 (local.get $ps) (local.get $s2))
      (v128.store offset=48 (local.get $ps) (local.get $s3))
      (v128.store offset=0 (local.get $pq) (local.get $q0))
      (v128.store offset=16 (local.get $pq) (local.get $q1))
      (v128.store offset=32 (local.get $pq) (local.get $q2))
      (v128.store offset=48 (local.get $pq) (local.get $q3))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $loop8)))
    (block $done2 (loop $loop2
      (br_if $done2 (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $c)))
      (local.set $ps (i32.add (local.get $sum) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pq (i32.add (local.get $sum2) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pg (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $s0 (v128.load (local.get $ps)))
      (local.set $q0 (v128.load (local.get $pq)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $v (v128.load64_zero (local.get $pg)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $q0 (f64x2.add (local.get $q0) (f64x2.promote_low_f32x4 (f32x4.mul (local.get $v) (v128.load64_zero (local.get $ph))))))
        (local.set $pg (i32.add (local.get $pg) (local.get $c4)))
        (local.set $ph (i32.add (local.get $ph) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store (local.get $ps) (local.get $s0))
      (v128.store (local.get $pq) (local.get $q0))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $loop2)))
    (if (i32.lt_u (local.get $j) (local.get $c)) (then
      (local.set $ps (i32.add (local.get $sum) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pq (i32.add (local.get $sum2) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $pg (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $s (f64.load (local.get $ps)))
      (local.set $q (f64.load (local.get $pq)))
      (local.set $r (local.get $rows))
      (loop $rloop
        (local.set $f (f32.load (local.get $pg)))
        (local.set $s (f64.add (local.get $s) (f64.promote_f32 (local.get $f))))
        (local.set $q (f64.add (local.get $q) (f64.promote_f32 (f32.mul (local.get $f) (f32.load (local.get $ph))))))
        (local.set $pg (i32.add (local.get $pg) (local.get $c4)))
        (local.set $ph (i32.add (local.get $ph) (local.get $c4)))
        (br_if $rloop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (f64.store (local.get $ps) (local.get $s))
      (f64.store (local.get $pq) (local.get $q))))
  )

  ;; bnapply: xh = (x - mean[j]) * inv[j]; y = gam[j]*xh + bet[j], in f32,
  ;; for rows of c channels. With c = 1 the parameters are splatted and the
  ;; lanes run along the rows.
  (func (export "bnapply") (param $y i32) (param $xh i32) (param $x i32)
        (param $mean i32) (param $inv i32) (param $gam i32) (param $bet i32) (param $rows i32) (param $c i32)
    (local $c4 i32) (local $cv i32) (local $j i32) (local $end i32)
    (local $vm v128) (local $vi v128) (local $vg v128) (local $vb v128) (local $h v128)
    (local $fh f32)
    (if (i32.eq (local.get $c) (i32.const 1)) (then
      (local.set $vm (v128.load32_splat (local.get $mean)))
      (local.set $vi (v128.load32_splat (local.get $inv)))
      (local.set $vg (v128.load32_splat (local.get $gam)))
      (local.set $vb (v128.load32_splat (local.get $bet)))
      (local.set $end (i32.shl (i32.and (local.get $rows) (i32.const -4)) (i32.const 2)))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $h (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $vm)) (local.get $vi)))
        (v128.store (i32.add (local.get $xh) (local.get $j)) (local.get $h))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (f32x4.add (f32x4.mul (local.get $vg) (local.get $h)) (local.get $vb)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vloop)))
      ;; the last rows go through the scalar row loop below
      (local.set $x (i32.add (local.get $x) (local.get $end)))
      (local.set $xh (i32.add (local.get $xh) (local.get $end)))
      (local.set $y (i32.add (local.get $y) (local.get $end)))
      (local.set $rows (i32.and (local.get $rows) (i32.const 3)))
      (if (i32.eqz (local.get $rows)) (then (return)))))
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (local.set $cv (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (loop $rloop
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $cv)))
        (local.set $h (f32x4.mul
          (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (v128.load (i32.add (local.get $mean) (local.get $j))))
          (v128.load (i32.add (local.get $inv) (local.get $j)))))
        (v128.store (i32.add (local.get $xh) (local.get $j)) (local.get $h))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $gam) (local.get $j))) (local.get $h))
                     (v128.load (i32.add (local.get $bet) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $j) (local.get $c4)))
        (local.set $fh (f32.mul
          (f32.sub (f32.load (i32.add (local.get $x) (local.get $j))) (f32.load (i32.add (local.get $mean) (local.get $j))))
          (f32.load (i32.add (local.get $inv) (local.get $j)))))
        (f32.store (i32.add (local.get $xh) (local.get $j)) (local.get $fh))
        (f32.store (i32.add (local.get $y) (local.get $j))
          (f32.add (f32.mul (f32.load (i32.add (local.get $gam) (local.get $j))) (local.get $fh))
                   (f32.load (i32.add (local.get $bet) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $sloop)))
      (local.set $x (i32.add (local.get $x) (local.get $c4)))
      (local.set $xh (i32.add (local.get $xh) (local.get $c4)))
      (local.set $y (i32.add (local.get $y) (local.get $c4)))
      (br_if $rloop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
  )

  ;; chanscale: dst = x * scale[j] for rows of c channels (c = 1 splatted).
  (func (export "chanscale") (param $dst i32) (param $x i32) (param $scale i32) (param $rows i32) (param $c i32)
    (local $c4 i32) (local $cv i32) (local $j i32) (local $end i32) (local $vs v128)
    (if (i32.eq (local.get $c) (i32.const 1)) (then
      (local.set $vs (v128.load32_splat (local.get $scale)))
      (local.set $end (i32.shl (i32.and (local.get $rows) (i32.const -4)) (i32.const 2)))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $j))
          (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $vs)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vloop)))
      (local.set $x (i32.add (local.get $x) (local.get $end)))
      (local.set $dst (i32.add (local.get $dst) (local.get $end)))
      (local.set $rows (i32.and (local.get $rows) (i32.const 3)))
      (if (i32.eqz (local.get $rows)) (then (return)))))
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (local.set $cv (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (loop $rloop
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $cv)))
        (v128.store (i32.add (local.get $dst) (local.get $j))
          (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $j))) (v128.load (i32.add (local.get $scale) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $j) (local.get $c4)))
        (f32.store (i32.add (local.get $dst) (local.get $j))
          (f32.mul (f32.load (i32.add (local.get $x) (local.get $j))) (f32.load (i32.add (local.get $scale) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $sloop)))
      (local.set $x (i32.add (local.get $x) (local.get $c4)))
      (local.set $dst (i32.add (local.get $dst) (local.get $c4)))
      (br_if $rloop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
  )

  ;; bnbwd: dx = f32(coef[j] * ((n*f64(g) - sum[j]) - f64(h)*sum2[j])), all
  ;; in f64, for rows of c channels; pairs of channels per f64x2 (c = 1
  ;; splatted, pairs of rows).
  (func (export "bnbwd") (param $dx i32) (param $g i32) (param $h i32)
        (param $sum i32) (param $sum2 i32) (param $coef i32) (param $n f64) (param $rows i32) (param $c i32)
    (local $c4 i32) (local $cv i32) (local $j i32) (local $j2 i32) (local $end i32)
    (local $vn v128) (local $vs v128) (local $vq v128) (local $vc v128) (local $t v128)
    (local.set $vn (f64x2.splat (local.get $n)))
    (if (i32.eq (local.get $c) (i32.const 1)) (then
      (local.set $vs (f64x2.splat (f64.load (local.get $sum))))
      (local.set $vq (f64x2.splat (f64.load (local.get $sum2))))
      (local.set $vc (f64x2.splat (f64.load (local.get $coef))))
      (local.set $end (i32.shl (i32.and (local.get $rows) (i32.const -2)) (i32.const 2)))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $t (f64x2.sub
          (f64x2.sub (f64x2.mul (local.get $vn) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g) (local.get $j)))))
                     (local.get $vs))
          (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $h) (local.get $j)))) (local.get $vq))))
        (v128.store64_lane 0 (i32.add (local.get $dx) (local.get $j))
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $vc) (local.get $t))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $vloop)))
      (local.set $g (i32.add (local.get $g) (local.get $end)))
      (local.set $h (i32.add (local.get $h) (local.get $end)))
      (local.set $dx (i32.add (local.get $dx) (local.get $end)))
      (local.set $rows (i32.and (local.get $rows) (i32.const 1)))
      (if (i32.eqz (local.get $rows)) (then (return)))))
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (local.set $cv (i32.shl (i32.and (local.get $c) (i32.const -2)) (i32.const 2)))
    (loop $rloop
      ;; $j: byte offset into the f32 rows, $j2 = 2*$j into the f64 arrays
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $cv)))
        (local.set $j2 (i32.shl (local.get $j) (i32.const 1)))
        (local.set $t (f64x2.sub
          (f64x2.sub (f64x2.mul (local.get $vn) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g) (local.get $j)))))
                     (v128.load (i32.add (local.get $sum) (local.get $j2))))
          (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $h) (local.get $j))))
                     (v128.load (i32.add (local.get $sum2) (local.get $j2))))))
        (v128.store64_lane 0 (i32.add (local.get $dx) (local.get $j))
          (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (i32.add (local.get $coef) (local.get $j2))) (local.get $t))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $vloop)))
      (if (i32.lt_u (local.get $j) (local.get $c4)) (then
        (local.set $j2 (i32.shl (local.get $j) (i32.const 1)))
        (f32.store (i32.add (local.get $dx) (local.get $j))
          (f32.demote_f64 (f64.mul (f64.load (i32.add (local.get $coef) (local.get $j2)))
            (f64.sub
              (f64.sub (f64.mul (local.get $n) (f64.promote_f32 (f32.load (i32.add (local.get $g) (local.get $j)))))
                       (f64.load (i32.add (local.get $sum) (local.get $j2))))
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $h) (local.get $j))))
                       (f64.load (i32.add (local.get $sum2) (local.get $j2))))))))))
      (local.set $g (i32.add (local.get $g) (local.get $c4)))
      (local.set $h (i32.add (local.get $h) (local.get $c4)))
      (local.set $dx (i32.add (local.get $dx) (local.get $c4)))
      (br_if $rloop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
  )

  ;; dropmask: m = +0 where m < rate, else scale, in place (Dropout's mask
  ;; from its uniform draws), as Go's if: a NaN compares false and becomes
  ;; scale. f32x4.lt gives all ones where m < rate, and andnot clears
  ;; scale's bits there.
  (func (export "dropmask") (param $m i32) (param $n i32) (param $rate f32) (param $scale f32)
    (local $end i32) (local $vr v128) (local $vs v128)
    (local.set $vr (f32x4.splat (local.get $rate)))
    (local.set $vs (f32x4.splat (local.get $scale)))
    (local.set $end (i32.add (local.get $m) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $m) (local.get $end)))
      (v128.store (local.get $m)
        (v128.andnot (local.get $vs) (f32x4.lt (v128.load (local.get $m)) (local.get $vr))))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (br $vloop)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $m) (local.get $end)))
      (f32.store (local.get $m)
        (select (f32.const 0) (local.get $scale) (f32.lt (f32.load (local.get $m)) (local.get $rate))))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (br $sloop)))
  )

  ;; relu: y = max(x, 0) as Go's max computes it: x where not (x <= 0), so a
  ;; NaN passes through unchanged, else +0 (also for -0).
  (func (export "relu") (param $y i32) (param $x i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128) (local $f f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
      (v128.store (i32.add (local.get $y) (local.get $i))
        (v128.andnot (local.get $v) (f32x4.le (local.get $v) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vloop)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $f (f32.load (i32.add (local.get $x) (local.get $i))))
      (f32.store (i32.add (local.get $y) (local.get $i))
        (select (f32.const 0) (local.get $f) (f32.le (local.get $f) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sloop)))
  )

  ;; relubwd: dx = g where y > 0, else +0.
  (func (export "relubwd") (param $dx i32) (param $g i32) (param $y i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
      (v128.store (i32.add (local.get $dx) (local.get $i))
        (v128.and (v128.load (i32.add (local.get $g) (local.get $i)))
                  (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vloop)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
      (f32.store (i32.add (local.get $dx) (local.get $i))
        (select (f32.load (i32.add (local.get $g) (local.get $i))) (f32.const 0)
                (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sloop)))
  )

  ;; lrelu: y = x where x > 0, else alpha*x.
  (func (export "lrelu") (param $y i32) (param $x i32) (param $n i32) (param $alpha f32)
    (local $i i32) (local $end i32) (local $v v128) (local $va v128) (local $f f32)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
      (v128.store (i32.add (local.get $y) (local.get $i))
        (v128.bitselect (local.get $v) (f32x4.mul (local.get $va) (local.get $v))
                        (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vloop)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $f (f32.load (i32.add (local.get $x) (local.get $i))))
      (f32.store (i32.add (local.get $y) (local.get $i))
        (select (local.get $f) (f32.mul (local.get $alpha) (local.get $f)) (f32.gt (local.get $f) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sloop)))
  )

  ;; lrelubwd: dx = g where x > 0, else alpha*g.
  (func (export "lrelubwd") (param $dx i32) (param $g i32) (param $x i32) (param $n i32) (param $alpha f32)
    (local $i i32) (local $end i32) (local $v v128) (local $va v128) (local $f f32)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $g) (local.get $i))))
      (v128.store (i32.add (local.get $dx) (local.get $i))
        (v128.bitselect (local.get $v) (f32x4.mul (local.get $va) (local.get $v))
                        (f32x4.gt (v128.load (i32.add (local.get $x) (local.get $i))) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vloop)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $f (f32.load (i32.add (local.get $g) (local.get $i))))
      (f32.store (i32.add (local.get $dx) (local.get $i))
        (select (local.get $f) (f32.mul (local.get $alpha) (local.get $f))
                (f32.gt (f32.load (i32.add (local.get $x) (local.get $i))) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $sloop)))
  )

  ;; maxpool: the 2x2, stride-2 max pool of the n×h×w×c tensor x into y and
  ;; the flat element index of each maximum into arg (i32), windows in
  ;; output order, lanes across channels. A window's pixels are visited in
  ;; row-major order (those past an odd edge skipped) and a later one wins
  ;; only where it is greater (f32x4.gt), as in the pure-Go loop.
  (func (export "maxpool") (param $y i32) (param $arg i32) (param $x i32)
        (param $n i32) (param $h i32) (param $w i32) (param $c i32)
    (local $oh i32) (local $ow i32) (local $b i32) (local $i i32) (local $j i32) (local $ch i32)
    (local $cv i32) (local $wc i32) (local $e i32) (local $hasr i32) (local $hasc i32)
    (local $vbest v128) (local $vidx v128) (local $vcand v128) (local $vm v128) (local $vi v128)
    (local $best f32) (local $bidx i32) (local $cand f32)
    (local.set $oh (i32.shr_u (i32.add (local.get $h) (i32.const 1)) (i32.const 1)))
    (local.set $ow (i32.shr_u (i32.add (local.get $w) (i32.const 1)) (i32.const 1)))
    (local.set $cv (i32.and (local.get $c) (i32.const -4)))
    (local.set $wc (i32.mul (local.get $w) (local.get $c)))
    (local.set $b (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $oh)))
        (local.set $hasr (i32.lt_u (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)) (local.get $h)))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $ow)))
          (local.set $hasc (i32.lt_u (i32.add (i32.shl (local.get $j) (i32.const 1)) (i32.const 1)) (local.get $w)))
          ;; $e: element index of the window's first pixel, channel 0
          (local.set $e (i32.mul
            (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.shl (local.get $i) (i32.const 1))) (local.get $w))
                     (i32.shl (local.get $j) (i32.const 1)))
            (local.get $c)))
          (local.set $ch (i32.const 0))
          (block $vdone (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $ch) (local.get $cv)))
            (local.set $vi (i32x4.add (i32x4.splat (i32.add (local.get $e) (local.get $ch))) (v128.const i32x4 0 1 2 3)))
            (local.set $vbest (v128.load (i32.add (local.get $x) (i32.shl (i32.add (local.get $e) (local.get $ch)) (i32.const 2)))))
            (local.set $vidx (local.get $vi))
            (if (local.get $hasc) (then
              (local.set $vcand (v128.load (i32.add (local.get $x) (i32.shl (i32.add (i32.add (local.get $e) (local.get $c)) (local.get $ch)) (i32.const 2)))))
              (local.set $vm (f32x4.gt (local.get $vcand) (local.get $vbest)))
              (local.set $vbest (v128.bitselect (local.get $vcand) (local.get $vbest) (local.get $vm)))
              (local.set $vidx (v128.bitselect (i32x4.add (local.get $vi) (i32x4.splat (local.get $c))) (local.get $vidx) (local.get $vm)))))
            (if (local.get $hasr) (then
              (local.set $vcand (v128.load (i32.add (local.get $x) (i32.shl (i32.add (i32.add (local.get $e) (local.get $wc)) (local.get $ch)) (i32.const 2)))))
              (local.set $vm (f32x4.gt (local.get $vcand) (local.get $vbest)))
              (local.set $vbest (v128.bitselect (local.get $vcand) (local.get $vbest) (local.get $vm)))
              (local.set $vidx (v128.bitselect (i32x4.add (local.get $vi) (i32x4.splat (local.get $wc))) (local.get $vidx) (local.get $vm)))
              (if (local.get $hasc) (then
                (local.set $vcand (v128.load (i32.add (local.get $x)
                  (i32.shl (i32.add (i32.add (local.get $e) (i32.add (local.get $wc) (local.get $c))) (local.get $ch)) (i32.const 2)))))
                (local.set $vm (f32x4.gt (local.get $vcand) (local.get $vbest)))
                (local.set $vbest (v128.bitselect (local.get $vcand) (local.get $vbest) (local.get $vm)))
                (local.set $vidx (v128.bitselect (i32x4.add (local.get $vi) (i32x4.splat (i32.add (local.get $wc) (local.get $c))))
                                                 (local.get $vidx) (local.get $vm)))))))
            (v128.store (local.get $y) (local.get $vbest))
            (v128.store (local.get $arg) (local.get $vidx))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $arg (i32.add (local.get $arg) (i32.const 16)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $vloop)))
          (block $sdone (loop $sloop
            (br_if $sdone (i32.ge_u (local.get $ch) (local.get $c)))
            (local.set $bidx (i32.add (local.get $e) (local.get $ch)))
            (local.set $best (f32.load (i32.add (local.get $x) (i32.shl (local.get $bidx) (i32.const 2)))))
            (if (local.get $hasc) (then
              (local.set $cand (f32.load (i32.add (local.get $x) (i32.shl (i32.add (local.get $bidx) (local.get $c)) (i32.const 2)))))
              (if (f32.gt (local.get $cand) (local.get $best)) (then
                (local.set $best (local.get $cand))
                (local.set $bidx (i32.add (i32.add (local.get $e) (local.get $ch)) (local.get $c)))))))
            (if (local.get $hasr) (then
              (local.set $cand (f32.load (i32.add (local.get $x)
                (i32.shl (i32.add (i32.add (local.get $e) (local.get $ch)) (local.get $wc)) (i32.const 2)))))
              (if (f32.gt (local.get $cand) (local.get $best)) (then
                (local.set $best (local.get $cand))
                (local.set $bidx (i32.add (i32.add (local.get $e) (local.get $ch)) (local.get $wc)))))
              (if (local.get $hasc) (then
                (local.set $cand (f32.load (i32.add (local.get $x)
                  (i32.shl (i32.add (i32.add (local.get $e) (local.get $ch)) (i32.add (local.get $wc) (local.get $c))) (i32.const 2)))))
                (if (f32.gt (local.get $cand) (local.get $best)) (then
                  (local.set $best (local.get $cand))
                  (local.set $bidx (i32.add (i32.add (local.get $e) (local.get $ch)) (i32.add (local.get $wc) (local.get $c))))))))))
            (f32.store (local.get $y) (local.get $best))
            (i32.store (local.get $arg) (local.get $bidx))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (local.set $arg (i32.add (local.get $arg) (i32.const 4)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
            (br $sloop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
  )

  ;; maxpoolbwd: the input gradient of maxpool. Every pixel of x lies in
  ;; exactly one window, so each element of dx is written once: +0 + dy at
  ;; the window's maximum (its index in arg), +0 elsewhere, as the pure-Go
  ;; loop's cleared dx plus one += gives.
  (func (export "maxpoolbwd") (param $dx i32) (param $dy i32) (param $arg i32)
        (param $n i32) (param $h i32) (param $w i32) (param $c i32)
    (local $oh i32) (local $ow i32) (local $b i32) (local $i i32) (local $j i32) (local $ch i32)
    (local $cv i32) (local $wc i32) (local $e i32) (local $hasr i32) (local $hasc i32) (local $k i32)
    (local $vg v128) (local $va v128) (local $vi v128)
    (local $g f32) (local $a i32)
    (local.set $oh (i32.shr_u (i32.add (local.get $h) (i32.const 1)) (i32.const 1)))
    (local.set $ow (i32.shr_u (i32.add (local.get $w) (i32.const 1)) (i32.const 1)))
    (local.set $cv (i32.and (local.get $c) (i32.const -4)))
    (local.set $wc (i32.mul (local.get $w) (local.get $c)))
    (local.set $b (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $oh)))
        (local.set $hasr (i32.lt_u (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)) (local.get $h)))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $ow)))
          (local.set $hasc (i32.lt_u (i32.add (i32.shl (local.get $j) (i32.const 1)) (i32.const 1)) (local.get $w)))
          (local.set $e (i32.mul
            (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.shl (local.get $i) (i32.const 1))) (local.get $w))
                     (i32.shl (local.get $j) (i32.const 1)))
            (local.get $c)))
          (local.set $ch (i32.const 0))
          (block $vdone (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $ch) (local.get $cv)))
            (local.set $vg (f32x4.add (v128.load (local.get $dy)) (v128.const f32x4 0 0 0 0)))
            (local.set $va (v128.load (local.get $arg)))
            (local.set $k (i32.add (local.get $e) (local.get $ch)))
            (local.set $vi (i32x4.add (i32x4.splat (local.get $k)) (v128.const i32x4 0 1 2 3)))
            (v128.store (i32.add (local.get $dx) (i32.shl (local.get $k) (i32.const 2)))
              (v128.and (local.get $vg) (i32x4.eq (local.get $va) (local.get $vi))))
            (if (local.get $hasc) (then
              (v128.store (i32.add (local.get $dx) (i32.shl (i32.add (local.get $k) (local.get $c)) (i32.const 2)))
                (v128.and (local.get $vg) (i32x4.eq (local.get $va) (i32x4.add (local.get $vi) (i32x4.splat (local.get $c))))))))
            (if (local.get $hasr) (then
              (v128.store (i32.add (local.get $dx) (i32.shl (i32.add (local.get $k) (local.get $wc)) (i32.const 2)))
                (v128.and (local.get $vg) (i32x4.eq (local.get $va) (i32x4.add (local.get $vi) (i32x4.splat (local.get $wc))))))
              (if (local.get $hasc) (then
                (v128.store (i32.add (local.get $dx) (i32.shl (i32.add (local.get $k) (i32.add (local.get $wc) (local.get $c))) (i32.const 2)))
                  (v128.and (local.get $vg)
                    (i32x4.eq (local.get $va) (i32x4.add (local.get $vi) (i32x4.splat (i32.add (local.get $wc) (local.get $c)))))))))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $arg (i32.add (local.get $arg) (i32.const 16)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $vloop)))
          (block $sdone (loop $sloop
            (br_if $sdone (i32.ge_u (local.get $ch) (local.get $c)))
            (local.set $g (f32.add (f32.load (local.get $dy)) (f32.const 0)))
            (local.set $a (i32.load (local.get $arg)))
            (local.set $k (i32.add (local.get $e) (local.get $ch)))
            (f32.store (i32.add (local.get $dx) (i32.shl (local.get $k) (i32.const 2)))
              (select (local.get $g) (f32.const 0) (i32.eq (local.get $a) (local.get $k))))
            (if (local.get $hasc) (then
              (f32.store (i32.add (local.get $dx) (i32.shl (i32.add (local.get $k) (local.get $c)) (i32.const 2)))
                (select (local.get $g) (f32.const 0) (i32.eq (local.get $a) (i32.add (local.get $k) (local.get $c)))))))
            (if (local.get $hasr) (then
              (f32.store (i32.add (local.get $dx) (i32.shl (i32.add (local.get $k) (local.get $wc)) (i32.const 2)))
                (select (local.get $g) (f32.const 0) (i32.eq (local.get $a) (i32.add (local.get $k) (local.get $wc)))))
              (if (local.get $hasc) (then
                (f32.store (i32.add (local.get $dx) (i32.shl (i32.add (local.get $k) (i32.add (local.get $wc) (local.get $c))) (i32.const 2)))
                  (select (local.get $g) (f32.const 0)
                    (i32.eq (local.get $a) (i32.add (local.get $k) (i32.add (local.get $wc) (local.get $c))))))))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
            (local.set $arg (i32.add (local.get $arg) (i32.const 4)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
            (br $sloop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
  )

  ;; ---------------------------------------------------------------------
  ;; Winograd F(2x2,3x3) transforms (core/kernels/winograd.go: winoInGo and
  ;; winoOutGo, the same expressions with lanes across channels). Strides
  ;; count floats; c and n are multiples of 4.
  ;;
  ;; winow: the weight transform G g Gᵀ of winoWeightsGo (winograd.go), with
  ;; lanes across four output channels k of one input channel ch (n a
  ;; multiple of 4): g is w's nine taps of (ch, k..k+3), or with adj the
  ;; mirrored taps; t = G g row by row, then entry (i, j) of t Gᵀ goes to
  ;; plane 4i+j (planes c·n floats apart) at ch·n + k, or with adj at
  ;; k·c + ch, a lane at a time (winowst). G's rows are (1,0,0),
  ;; (½,½,½), (½,−½,½), (0,0,1), each sum added left to right then halved,
  ;; as in Go.
  (func $winowst (param $u i32) (param $o4 i32) (param $c4 i32) (param $x v128)
    ;; the four lanes of x to u + o4, c4 bytes apart
    (local $p i32)
    (local.set $p (i32.add (local.get $u) (local.get $o4)))
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $x)))
    (local.set $p (i32.add (local.get $p) (local.get $c4)))
    (f32.store (local.get $p) (f32x4.extract_lane 1 (local.get $x)))
    (local.set $p (i32.add (local.get $p) (local.get $c4)))
    (f32.store (local.get $p) (f32x4.extract_lane 2 (local.get $x)))
    (local.set $p (i32.add (local.get $p) (local.get $c4)))
    (f32.store (local.get $p) (f32x4.extract_lane 3 (local.get $x))))

  (func (export "winow") (param $u i32) (param $w i32) (param $c i32) (param $n i32) (param $adj i32)
    (local $ch i32) (local $k i32) (local $c4 i32) (local $plane4 i32)
    (local $src i32) (local $o4 i32) (local $half v128)
    (local $g00 v128)
    (local $g01 v128)
    (local $g02 v128)
    (local $g10 v128)
    (local $g11 v128)
    (local $g12 v128)
    (local $g20 v128)
    (local $g21 v128)
    (local $g22 v128)
    (local $t00 v128)
    (local $t01 v128)
    (local $t02 v128)
    (local $t10 v128)
    (local $t11 v128)
    (local $t12 v128)
    (local $t20 v128)
    (local $t21 v128)
    (local $t22 v128)
    (local $t30 v128)
    (local $t31 v128)
    (local $t32 v128)
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    ;; c·n floats between u's planes, and between w's taps
    (local.set $plane4 (i32.mul (local.get $c4) (local.get $n)))
    (local.set $half (v128.const f32x4 0.5 0.5 0.5 0.5))
    (block $cdone (loop $cloop
      (br_if $cdone (i32.ge_u (local.get $ch) (local.get $c)))
      (local.set $k (i32.const 0))
      (block $kdone (loop $kloop
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $n)))
        ;; w's (tap, ch, k..k+3) at src + tap·plane4
        (local.set $src (i32.add (local.get $w)
          (i32.shl (i32.add (i32.mul (local.get $ch) (local.get $n)) (local.get $k)) (i32.const 2))))
        (local.set $g00 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 8) (i32.const 0) (local.get $adj))))))
        (local.set $g01 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 7) (i32.const 1) (local.get $adj))))))
        (local.set $g02 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 6) (i32.const 2) (local.get $adj))))))
        (local.set $g10 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 5) (i32.const 3) (local.get $adj))))))
        (local.set $g11 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 4) (i32.const 4) (local.get $adj))))))
        (local.set $g12 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 3) (i32.const 5) (local.get $adj))))))
        (local.set $g20 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 2) (i32.const 6) (local.get $adj))))))
        (local.set $g21 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 1) (i32.const 7) (local.get $adj))))))
        (local.set $g22 (v128.load (i32.add (local.get $src) (i32.mul (local.get $plane4)
          (select (i32.const 0) (i32.const 8) (local.get $adj))))))
        ;; the output's offset in bytes: ch·n + k, or k·c + ch
        (local.set $o4 (select
          (i32.shl (i32.add (i32.mul (local.get $k) (local.get $c)) (local.get $ch)) (i32.const 2))
          (i32.shl (i32.add (i32.mul (local.get $ch) (local.get $n)) (local.get $k)) (i32.const 2))
          (local.get $adj)))
        ;; row 0 of t = G g, then its four entries of t Gᵀ
        (local.set $t00 (local.get $g00))
        (local.set $t01 (local.get $g01))
        (local.set $t02 (local.get $g02))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 0))) (local.get $c4) (local.get $t00)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 0)))) (local.get $t00))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 1))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.add (local.get $t00) (local.get $t01)) (local.get $t02)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 1)))) (f32x4.mul (f32x4.add (f32x4.add (local.get $t00) (local.get $t01)) (local.get $t02)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 2))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t00) (local.get $t01)) (local.get $t02)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 2)))) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t00) (local.get $t01)) (local.get $t02)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 3))) (local.get $c4) (local.get $t02)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 3)))) (local.get $t02))))
        ;; row 1 of t = G g, then its four entries of t Gᵀ
        (local.set $t10 (f32x4.mul (f32x4.add (f32x4.add (local.get $g00) (local.get $g10)) (local.get $g20)) (local.get $half)))
        (local.set $t11 (f32x4.mul (f32x4.add (f32x4.add (local.get $g01) (local.get $g11)) (local.get $g21)) (local.get $half)))
        (local.set $t12 (f32x4.mul (f32x4.add (f32x4.add (local.get $g02) (local.get $g12)) (local.get $g22)) (local.get $half)))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 4))) (local.get $c4) (local.get $t10)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 4)))) (local.get $t10))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 5))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.add (local.get $t10) (local.get $t11)) (local.get $t12)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 5)))) (f32x4.mul (f32x4.add (f32x4.add (local.get $t10) (local.get $t11)) (local.get $t12)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 6))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t10) (local.get $t11)) (local.get $t12)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 6)))) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t10) (local.get $t11)) (local.get $t12)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 7))) (local.get $c4) (local.get $t12)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 7)))) (local.get $t12))))
        ;; row 2 of t = G g, then its four entries of t Gᵀ
        (local.set $t20 (f32x4.mul (f32x4.add (f32x4.sub (local.get $g00) (local.get $g10)) (local.get $g20)) (local.get $half)))
        (local.set $t21 (f32x4.mul (f32x4.add (f32x4.sub (local.get $g01) (local.get $g11)) (local.get $g21)) (local.get $half)))
        (local.set $t22 (f32x4.mul (f32x4.add (f32x4.sub (local.get $g02) (local.get $g12)) (local.get $g22)) (local.get $half)))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 8))) (local.get $c4) (local.get $t20)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 8)))) (local.get $t20))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 9))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.add (local.get $t20) (local.get $t21)) (local.get $t22)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 9)))) (f32x4.mul (f32x4.add (f32x4.add (local.get $t20) (local.get $t21)) (local.get $t22)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 10))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t20) (local.get $t21)) (local.get $t22)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 10)))) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t20) (local.get $t21)) (local.get $t22)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 11))) (local.get $c4) (local.get $t22)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 11)))) (local.get $t22))))
        ;; row 3 of t = G g, then its four entries of t Gᵀ
        (local.set $t30 (local.get $g20))
        (local.set $t31 (local.get $g21))
        (local.set $t32 (local.get $g22))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 12))) (local.get $c4) (local.get $t30)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 12)))) (local.get $t30))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 13))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.add (local.get $t30) (local.get $t31)) (local.get $t32)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 13)))) (f32x4.mul (f32x4.add (f32x4.add (local.get $t30) (local.get $t31)) (local.get $t32)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 14))) (local.get $c4) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t30) (local.get $t31)) (local.get $t32)) (local.get $half))))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 14)))) (f32x4.mul (f32x4.add (f32x4.sub (local.get $t30) (local.get $t31)) (local.get $t32)) (local.get $half)))))
        (if (local.get $adj)
          (then (call $winowst (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 15))) (local.get $c4) (local.get $t32)))
          (else (v128.store (i32.add (local.get $u) (i32.add (local.get $o4) (i32.mul (local.get $plane4) (i32.const 15)))) (local.get $t32))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $kloop)))
      (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
      (br $cloop)))
  )

  ;; winoin: the input transform of count tiles side by side (tile t's
  ;; patch starts at d + 2t*c, its planes at v + t*c). A tile's 4x4 patch
  ;; has row r, column q, channel ch at d[r*rs + q*c + ch]; plane 4i+j of
  ;; Bt d B goes to v[(4i+j)*vs + ch]. Bt's rows are (1,0,-1,0), (0,1,1,0), (0,-1,1,0),
  ;; (0,1,0,-1): row i of Bt d is t_q (one vector per column q), then plane
  ;; 4i+j is (t0-t2, t1+t2, t2-t1, t1-t3)[j].
  (func (export "winoin") (param $v i32) (param $vs i32) (param $d i32) (param $rs i32) (param $c i32) (param $count i32)
    (local $vs4 i32) (local $rs4 i32) (local $c4 i32) (local $c8 i32) (local $c12 i32)
    (local $p i32) (local $end i32) (local $q i32) (local $qq i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $tile i32)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $vs4 (i32.shl (local.get $vs) (i32.const 2)))
    (local.set $rs4 (i32.shl (local.get $rs) (i32.const 2)))
    (local.set $c4 (i32.shl (local.get $c) (i32.const 2)))
    (local.set $c8 (i32.shl (local.get $c) (i32.const 3)))
    (local.set $c12 (i32.add (local.get $c8) (local.get $c4)))
    (local.set $p (local.get $d))
    (local.set $q (local.get $v))
    (block $tiles (loop $tile
      (br_if $tiles (i32.ge_u (local.get $tile) (local.get $count)))
      (local.set $end (i32.add (local.get $p) (local.get $c4)))
      (block $done (loop $group
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $r1 (i32.add (local.get $p) (local.get $rs4)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rs4)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rs4)))
        (local.set $qq (local.get $q))
        ;; row 0 of Bt d
        (local.set $t0 (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $r2))))
        (local.set $t1 (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $c4))) (v128.load (i32.add (local.get $r2) (local.get $c4)))))
        (local.set $t2 (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $c8))) (v128.load (i32.add (local.get $r2) (local.get $c8)))))
        (local.set $t3 (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $c12))) (v128.load (i32.add (local.get $r2) (local.get $c12)))))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t0) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.add (local.get $t1) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t2) (local.get $t1)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t1) (local.get $t3)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        ;; row 1 of Bt d
        (local.set $t0 (f32x4.add (v128.load (local.get $r1)) (v128.load (local.get $r2))))
        (local.set $t1 (f32x4.add (v128.load (i32.add (local.get $r1) (local.get $c4))) (v128.load (i32.add (local.get $r2) (local.get $c4)))))
        (local.set $t2 (f32x4.add (v128.load (i32.add (local.get $r1) (local.get $c8))) (v128.load (i32.add (local.get $r2) (local.get $c8)))))
        (local.set $t3 (f32x4.add (v128.load (i32.add (local.get $r1) (local.get $c12))) (v128.load (i32.add (local.get $r2) (local.get $c12)))))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t0) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.add (local.get $t1) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t2) (local.get $t1)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t1) (local.get $t3)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        ;; row 2 of Bt d
        (local.set $t0 (f32x4.sub (v128.load (local.get $r2)) (v128.load (local.get $r1))))
        (local.set $t1 (f32x4.sub (v128.load (i32.add (local.get $r2) (local.get $c4))) (v128.load (i32.add (local.get $r1) (local.get $c4)))))
        (local.set $t2 (f32x4.sub (v128.load (i32.add (local.get $r2) (local.get $c8))) (v128.load (i32.add (local.get $r1) (local.get $c8)))))
        (local.set $t3 (f32x4.sub (v128.load (i32.add (local.get $r2) (local.get $c12))) (v128.load (i32.add (local.get $r1) (local.get $c12)))))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t0) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.add (local.get $t1) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t2) (local.get $t1)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t1) (local.get $t3)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        ;; row 3 of Bt d
        (local.set $t0 (f32x4.sub (v128.load (local.get $r1)) (v128.load (local.get $r3))))
        (local.set $t1 (f32x4.sub (v128.load (i32.add (local.get $r1) (local.get $c4))) (v128.load (i32.add (local.get $r3) (local.get $c4)))))
        (local.set $t2 (f32x4.sub (v128.load (i32.add (local.get $r1) (local.get $c8))) (v128.load (i32.add (local.get $r3) (local.get $c8)))))
        (local.set $t3 (f32x4.sub (v128.load (i32.add (local.get $r1) (local.get $c12))) (v128.load (i32.add (local.get $r3) (local.get $c12)))))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t0) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.add (local.get $t1) (local.get $t2)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t2) (local.get $t1)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (v128.store (local.get $qq) (f32x4.sub (local.get $t1) (local.get $t3)))
        (local.set $qq (i32.add (local.get $qq) (local.get $vs4)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $group)))
      ;; the next tile's patch starts two pixels right of this one's
      (local.set $p (i32.add (local.get $p) (local.get $c4)))
      (local.set $tile (i32.add (local.get $tile) (i32.const 1)))
      (br $tile)))
  )

  ;; winoout: the output transform of count tiles side by side (tile t's
  ;; planes start at m + t*n, its pixels at y + 2t*n). Plane 4i+j of the
  ;; products is m[(4i+j)*ms + k]; the 2x2 pixels At m A go to
  ;; y[a*ys + b*n + k].
  ;; At's rows are (1,1,1,0) and (0,1,-1,-1): reading the planes in order,
  ;; s0_j = (m0j + m1j) + m2j and s1_j = (m1j - m2j) - m3j build up, then
  ;; pixel (a, 0) is (sa_0 + sa_1) + sa_2 and (a, 1) is (sa_1 - sa_2) - sa_3.
  (func (export "winoout") (param $y i32) (param $ys i32) (param $m i32) (param $ms i32) (param $n i32) (param $count i32)
    (local $ys4 i32) (local $ms4 i32) (local $n4 i32)
    (local $q i32) (local $end i32) (local $o i32) (local $mm i32) (local $tile i32)
    (local $x v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $ys4 (i32.shl (local.get $ys) (i32.const 2)))
    (local.set $ms4 (i32.shl (local.get $ms) (i32.const 2)))
    (local.set $n4 (i32.shl (local.get $n) (i32.const 2)))
    (local.set $q (local.get $m))
    (local.set $o (local.get $y))
    (block $tiles (loop $tile
      (br_if $tiles (i32.ge_u (local.get $tile) (local.get $count)))
      (local.set $end (i32.add (local.get $q) (local.get $n4)))
      (block $done (loop $group
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $mm (local.get $q))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a0 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a1 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a2 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a3 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $x)))
        (local.set $b0 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a1 (f32x4.add (local.get $a1) (local.get $x)))
        (local.set $b1 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a2 (f32x4.add (local.get $a2) (local.get $x)))
        (local.set $b2 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a3 (f32x4.add (local.get $a3) (local.get $x)))
        (local.set $b3 (local.get $x))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $x)))
        (local.set $b0 (f32x4.sub (local.get $b0) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a1 (f32x4.add (local.get $a1) (local.get $x)))
        (local.set $b1 (f32x4.sub (local.get $b1) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a2 (f32x4.add (local.get $a2) (local.get $x)))
        (local.set $b2 (f32x4.sub (local.get $b2) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $a3 (f32x4.add (local.get $a3) (local.get $x)))
        (local.set $b3 (f32x4.sub (local.get $b3) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $b0 (f32x4.sub (local.get $b0) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $b1 (f32x4.sub (local.get $b1) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $b2 (f32x4.sub (local.get $b2) (local.get $x)))
        (local.set $mm (i32.add (local.get $mm) (local.get $ms4)))
        (local.set $x (v128.load (local.get $mm)))
        (local.set $b3 (f32x4.sub (local.get $b3) (local.get $x)))
        (v128.store (local.get $o)
          (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (local.get $a2)))
        (v128.store (i32.add (local.get $o) (local.get $n4))
          (f32x4.sub (f32x4.sub (local.get $a1) (local.get $a2)) (local.get $a3)))
        (v128.store (i32.add (local.get $o) (local.get $ys4))
          (f32x4.add (f32x4.add (local.get $b0) (local.get $b1)) (local.get $b2)))
        (v128.store (i32.add (i32.add (local.get $o) (local.get $ys4)) (local.get $n4))
          (f32x4.sub (f32x4.sub (local.get $b1) (local.get $b2)) (local.get $b3)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $group)))
      ;; the next tile's pixels start two pixels right of this one's
      (local.set $o (i32.add (local.get $o) (local.get $n4)))
      (local.set $tile (i32.add (local.get $tile) (i32.const 1)))
      (br $tile)))
  )

;; winody is winoDyGo (core/kernels/winograd_grad.go) with lanes across
  ;; channels: count 2x2 blocks of dy side by side, pixel (a, b) of tile t
  ;; at dy[2t*n + a*ys + b*n + k]; plane 4i+j of A e At goes to
  ;; e[t*n + (4i+j)*es + k]. A's rows are (1,0), (1,1), (1,-1) and (0,-1):
  ;; over the rows, r0b = e0b, r1b = e0b + e1b, r2b = e0b - e1b, r3b = -e1b;
  ;; then over the columns, plane (i, 0..3) is ri0, ri0 + ri1, ri0 - ri1
  ;; and -ri1. n is a multiple of 4.
  (func (export "winody") (param $e i32) (param $es i32) (param $dy i32) (param $ys i32) (param $n i32) (param $count i32)
    (local $es4 i32) (local $ys4 i32) (local $n4 i32)
    (local $q i32) (local $end i32) (local $o i32) (local $tile i32)
    (local $e00 v128) (local $e01 v128) (local $e10 v128) (local $e11 v128)
    (local.set $es4 (i32.shl (local.get $es) (i32.const 2)))
    (local.set $ys4 (i32.shl (local.get $ys) (i32.const 2)))
    (local.set $n4 (i32.shl (local.get $n) (i32.const 2)))
    (local.set $q (local.get $dy))
    (local.set $o (local.get $e))
    (block $tiles (loop $tile
      (br_if $tiles (i32.ge_u (local.get $tile) (local.get $count)))
      (local.set $end (i32.add (local.get $q) (local.get $n4)))
      (block $done (loop $group
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $e00 (v128.load (local.get $q)))
        (local.set $e01 (v128.load (i32.add (local.get $q) (local.get $n4))))
        (local.set $e10 (v128.load (i32.add (local.get $q) (local.get $ys4))))
        (local.set $e11 (v128.load (i32.add (i32.add (local.get $q) (local.get $ys4)) (local.get $n4))))
        ;; row i = 0: r00 = e00, r01 = e01
        (call $winodyrow (local.get $o) (local.get $es4) (local.get $e00) (local.get $e01))
        ;; i = 1: e0b + e1b
        (call $winodyrow (i32.add (local.get $o) (i32.shl (local.get $es4) (i32.const 2)))
          (local.get $es4) (f32x4.add (local.get $e00) (local.get $e10)) (f32x4.add (local.get $e01) (local.get $e11)))
        ;; i = 2: e0b - e1b
        (call $winodyrow (i32.add (local.get $o) (i32.shl (local.get $es4) (i32.const 3)))
          (local.get $es4) (f32x4.sub (local.get $e00) (local.get $e10)) (f32x4.sub (local.get $e01) (local.get $e11)))
        ;; i = 3: -e1b
        (call $winodyrow (i32.add (local.get $o) (i32.mul (local.get $es4) (i32.const 12)))
          (local.get $es4) (f32x4.neg (local.get $e10)) (f32x4.neg (local.get $e11)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $group)))
      ;; the next tile's pixels start two pixels right of this one's
      (local.set $q (i32.add (local.get $q) (local.get $n4)))
      (local.set $tile (i32.add (local.get $tile) (i32.const 1)))
      (br $tile)))
  )

  ;; winodyrow stores the four planes of one row i of winody's tile: r0,
  ;; r0 + r1, r0 - r1 and -r1, es4 bytes apart from o.
  (func $winodyrow (param $o i32) (param $es4 i32) (param $r0 v128) (param $r1 v128)
    (v128.store (local.get $o) (local.get $r0))
    (local.set $o (i32.add (local.get $o) (local.get $es4)))
    (v128.store (local.get $o) (f32x4.add (local.get $r0) (local.get $r1)))
    (local.set $o (i32.add (local.get $o) (local.get $es4)))
    (v128.store (local.get $o) (f32x4.sub (local.get $r0) (local.get $r1)))
    (local.set $o (i32.add (local.get $o) (local.get $es4)))
    (v128.store (local.get $o) (f32x4.neg (local.get $r1)))
  )

  ;; peak is no kernel of the trainer's: the benchmarks (bench_wasm_test.go)
  ;; call it right after each timed product to read how fast this machine
  ;; is running SIMD128 at that moment, since a shared host can halve its
  ;; speed for minutes at a time. Its loop is gemm's register tile without
  ;; the memory: n rounds, each loading two vectors of w (cycling through
  ;; its first 16, so nothing is loop-invariant) and adding their rounded
  ;; products with four broadcasts of w[0..3] into eight accumulators, 64
  ;; flops. It returns lane 0 of their sum so that nothing is dead code.
  (func (export "peak") (param $w i32) (param $n i32) (result f32)
    (local $o i32) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $v0 v128) (local $v1 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $x0 (v128.load32_splat offset=0 (local.get $w)))
    (local.set $x1 (v128.load32_splat offset=4 (local.get $w)))
    (local.set $x2 (v128.load32_splat offset=8 (local.get $w)))
    (local.set $x3 (v128.load32_splat offset=12 (local.get $w)))
    (block $done (loop $round
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $v0 (v128.load offset=0 (i32.add (local.get $w) (local.get $o))))
      (local.set $v1 (v128.load offset=16 (i32.add (local.get $w) (local.get $o))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x0) (local.get $v0))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x0) (local.get $v1))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x1) (local.get $v0))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x1) (local.get $v1))))
      (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $x2) (local.get $v0))))
      (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $x2) (local.get $v1))))
      (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $x3) (local.get $v0))))
      (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $x3) (local.get $v1))))
      (local.set $o (i32.and (i32.add (local.get $o) (i32.const 32)) (i32.const 255)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $round)))
    (f32x4.extract_lane 0 (f32x4.add
      (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3)))
      (f32x4.add (f32x4.add (local.get $a4) (local.get $a5)) (f32x4.add (local.get $a6) (local.get $a7)))))
  )

)
