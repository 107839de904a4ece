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
;; and the results are the bits of the pure-Go kernels.
;;
;; Exports: gemm (all three products; GemmTB passes a transposed copy of B)
;; and col2im. The four tile functions of gemm follow one pattern and were
;; written from a small template; this text is the source.
(module
  (import "go" "mem" (memory 0))

  ;; gemm computes, for i < m and j < n,
  ;;   C[i*ldc+j] = (load ? C[i*ldc+j] : +0) + sum over p < k of A(i,p) * B[p*ldb+j]
  ;; with A(i,p) = a[i*ars + p*aps] (ars = lda, aps = 1 for A·B; ars = 1,
  ;; aps = lda for Aᵀ·B). c, a and b are byte addresses of float32 arrays;
  ;; every other argument counts float32 elements. k must be at least 1.
  ;; Columns go in panels of 8 (then 4, then 1); within a panel, rows go
  ;; four at a time, then one at a time, so a panel of B (k×8) stays in L1
  ;; while it meets every row of A.
  (func (export "gemm")
        (param $c i32) (param $a i32) (param $b i32)
        (param $m i32) (param $n i32) (param $k i32)
        (param $ars i32) (param $aps i32) (param $ldb i32) (param $ldc i32) (param $load i32)
    (local $ars4 i32) (local $aps4 i32) (local $ldb4 i32) (local $ldc4 i32)
    (local $i i32) (local $j i32) (local $m4 i32) (local $n8 i32) (local $n4 i32)
    (local.set $ars4 (i32.shl (local.get $ars) (i32.const 2)))
    (local.set $aps4 (i32.shl (local.get $aps) (i32.const 2)))
    (local.set $ldb4 (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    ;; panels of 8 columns
    (local.set $j (i32.const 0))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $n8)))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m4)))
        (call $t4x8
          (call $addr (local.get $c) (local.get $i) (local.get $ldc4) (local.get $j))
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4)))
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop)))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (call $t1x8
          (call $addr (local.get $c) (local.get $i) (local.get $ldc4) (local.get $j))
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4)))
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $k) (local.get $ars4) (local.get $aps4) (local.get $ldb4) (local.get $ldc4) (local.get $load))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rloop)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jloop)))
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
    ;; the last columns one element at a time
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
        (call $t1x1
          (call $addr (local.get $c) (local.get $i) (local.get $ldc4) (local.get $j))
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars4)))
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $k) (local.get $aps4) (local.get $ldb4) (local.get $load))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jloop)))
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

  ;; t4x8: the 4x8 tile of C at $pc (row stride $ldc4 bytes), rows of A at $pa0.., B at $pb.
  (func $t4x8 (param $pc i32) (param $pa0 i32) (param $pb i32) (param $k i32)
        (param $ars4 i32) (param $aps4 i32) (param $ldb4 i32) (param $ldc4 i32) (param $load i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $p i32)
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
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (f32x4.splat (f32.load (local.get $pa0))))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (f32x4.splat (f32.load (local.get $pa1))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (f32x4.splat (f32.load (local.get $pa2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (f32x4.splat (f32.load (local.get $pa3))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (local.set $pa1 (i32.add (local.get $pa1) (local.get $aps4)))
      (local.set $pa2 (i32.add (local.get $pa2) (local.get $aps4)))
      (local.set $pa3 (i32.add (local.get $pa3) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
    (v128.store offset=16 (local.get $pc) (local.get $c01))
    (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c10))
    (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 1))) (local.get $c11))
    (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c20))
    (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 2))) (local.get $c21))
    (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c30))
    (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $ldc4) (i32.const 3))) (local.get $c31))
  )

  ;; t1x8: the 1x8 tile of C at $pc (row stride $ldc4 bytes), rows of A at $pa0.., B at $pb.
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
      (local.set $x (f32x4.splat (f32.load (local.get $pa0))))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
    (v128.store offset=16 (local.get $pc) (local.get $c01))
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
      (local.set $x (f32x4.splat (f32.load (local.get $pa0))))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $x (f32x4.splat (f32.load (local.get $pa1))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $x (f32x4.splat (f32.load (local.get $pa2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $x (f32x4.splat (f32.load (local.get $pa3))))
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
      (local.set $x (f32x4.splat (f32.load (local.get $pa0))))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $pa0 (i32.add (local.get $pa0) (local.get $aps4)))
      (local.set $pb (i32.add (local.get $pb) (local.get $ldb4)))
      (br_if $ploop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
  )

  ;; col2im adds one image's rows of the column matrix into its gradient img
  ;; (NHWC, h×w pixels of ch channels, already cleared by the caller): for
  ;; each output pixel (i, j) in row-major order, its row of 9·ch values at
  ;; rows, then the next. Entry (kh, kw, c) of the row adds into pixel
  ;; (i*stride+kh-pt, j*stride+kw-pl) where that is inside the image. Each
  ;; element of img gets at most one term per row, so adding the rows in order
  ;; gives exactly the sums of the pure-Go col2imRange.
  (func (export "col2im")
        (param $img i32) (param $rows i32) (param $h i32) (param $w i32) (param $ch i32)
        (param $stride i32) (param $oh i32) (param $ow i32) (param $pt i32) (param $pl i32)
    (local $i i32) (local $j i32) (local $kh i32) (local $kw i32) (local $y i32) (local $x i32)
    (local $ch4 i32)
    (local.set $ch4 (i32.shl (local.get $ch) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_s (local.get $i) (local.get $oh)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_s (local.get $j) (local.get $ow)))
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
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
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

)
