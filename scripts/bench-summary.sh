#!/usr/bin/env bash
# Prints the speed of the three model steps natively (with the AVX2 tiles of
# a GOEXPERIMENT=simd build, as `make vaeaug` builds the command line), as
# wasm under Node with the SIMD128 kernels (wasm-simd) and without them
# (wasm-scalar), and natively on the pure-Go path (native-purego), each the
# median of COUNT runs, then the GEMM GFLOP/s per shape with and without the
# SIMD kernels in both, ending with one line per model:
#   classifier-train img/s: native N, wasm-simd N, wasm-scalar N, native-purego N
# Usage: scripts/bench-summary.sh   (env: GO, COUNT=3, BENCHTIME=5x, GEMM=1)
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
COUNT=${COUNT:-3}
BENCHTIME=${BENCHTIME:-5x}
EXEC="$PWD/scripts/go_js_wasm_exec_simd"
export VAEAUG_GO_WASM_DIR="${VAEAUG_GO_WASM_DIR:-$($GO env GOROOT)/lib/wasm}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

GOEXPERIMENT=simd $GO test -c -o "$tmp/model.native" ./core/model
GOEXPERIMENT=simd $GO test -c -o "$tmp/kernels.native" ./core/kernels
GOOS=js GOARCH=wasm $GO test -c -o "$tmp/model.wasm" ./core/model
GOOS=js GOARCH=wasm $GO test -c -o "$tmp/kernels.wasm" ./core/kernels

steps='^Benchmark(ClassifierTrainStep|VAETrainStep|ClassifierInference)$'
# The test binaries run in their package directory, as go test runs them.
(cd core/model && "$tmp/model.native" -test.run '^$' -test.bench "$steps" -test.benchtime "$BENCHTIME" -test.count "$COUNT") >"$tmp/native.txt"
(cd core/model && VAEAUG_SIMD=1 "$EXEC" "$tmp/model.wasm" -test.run '^$' -test.bench "$steps" -test.benchtime "$BENCHTIME" -test.count "$COUNT") >"$tmp/simd.txt"
(cd core/model && VAEAUG_SIMD=0 "$EXEC" "$tmp/model.wasm" -test.run '^$' -test.bench "$steps" -test.benchtime "$BENCHTIME" -test.count "$COUNT") >"$tmp/scalar.txt"
(cd core/model && VAEAUG_SIMD=0 "$tmp/model.native" -test.run '^$' -test.bench "$steps" -test.benchtime "$BENCHTIME" -test.count "$COUNT") >"$tmp/purego.txt"

# metric FILE UNIT: "name value" for every result line, the name without the
# -GOMAXPROCS suffix.
metric() {
	awk -v unit="$2" '/^Benchmark/ { for (i = 2; i <= NF; i++) if ($i == unit) { n = $1; sub(/-[0-9]+$/, "", n); print n, $(i-1) } }' "$1"
}
# median NAME: the median value of NAME on stdin.
median() {
	awk -v name="$1" '$1 == name { print $2 }' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.4g\n", (v[NR/2] + v[NR/2+1]) / 2 }'
}

if [ "${GEMM:-1}" != 0 ]; then
	gemms='^BenchmarkGemm(|TA|TB|Conv)$'
	# Alternate the two so that load from elsewhere hits both alike.
	for _ in $(seq "$COUNT"); do
		VAEAUG_SIMD=1 "$EXEC" "$tmp/kernels.wasm" -test.run '^$' -test.bench "$gemms" -test.benchtime 3x >>"$tmp/gsimd.txt"
		VAEAUG_SIMD=0 "$EXEC" "$tmp/kernels.wasm" -test.run '^$' -test.bench "$gemms" -test.benchtime 3x >>"$tmp/gscalar.txt"
		VAEAUG_SIMD=1 "$tmp/kernels.native" -test.run '^$' -test.bench "$gemms" -test.benchtime 3x -test.cpu 1 >>"$tmp/gavx.txt"
		VAEAUG_SIMD=0 "$tmp/kernels.native" -test.run '^$' -test.bench "$gemms" -test.benchtime 3x -test.cpu 1 >>"$tmp/gpurego.txt"
	done
	echo "GEMM GFLOP/s, one thread (median of $COUNT): wasm under Node, and native:"
	metric "$tmp/gsimd.txt" GFLOP/s >"$tmp/gs"
	metric "$tmp/gscalar.txt" GFLOP/s >"$tmp/gc"
	metric "$tmp/gavx.txt" GFLOP/s >"$tmp/ga"
	metric "$tmp/gpurego.txt" GFLOP/s >"$tmp/gp"
	for b in $(awk '!seen[$1]++ { print $1 }' "$tmp/gs"); do
		printf '  %-36s wasm-simd %6.2f  wasm-scalar %6.2f  native-avx2 %6.2f  native-purego %6.2f\n' "${b#Benchmark}" \
			"$(median "$b" <"$tmp/gs")" "$(median "$b" <"$tmp/gc")" "$(median "$b" <"$tmp/ga")" "$(median "$b" <"$tmp/gp")"
	done
fi

for pair in ClassifierTrainStep:classifier-train VAETrainStep:vae-train ClassifierInference:classifier-infer; do
	b=Benchmark${pair%%:*}
	n=$(metric "$tmp/native.txt" img/s | median "$b")
	s=$(metric "$tmp/simd.txt" img/s | median "$b")
	c=$(metric "$tmp/scalar.txt" img/s | median "$b")
	p=$(metric "$tmp/purego.txt" img/s | median "$b")
	echo "${pair#*:} img/s: native $n, wasm-simd $s, wasm-scalar $c, native-purego $p"
done
