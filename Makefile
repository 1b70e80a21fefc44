# The two commands: `make run` and `make test`. Everything else is for developers.
# Build type: the "release" CMake preset (optimised, with debug info) for run,
# test and benchmarks alike, so what is tested is what runs.

PRESET ?= release
BUILD_DIR := build/$(PRESET)
BINARY := $(BUILD_DIR)/egovbox
DATA_DIR ?= data
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
FUZZERS := csv request_target personal_code json_body config_duration websocket_frames capability rfc3339 byte_range file_name stun rtp rtcp sdp form_body tcp_framing

.PHONY: run build deps native web test unit fuzz-native integration e2e web-test bench-http bench-realtime bench-sfu fuzz lint format clean

run: build
	$(BINARY) serve --data-dir $(DATA_DIR)

build: deps native web

deps:
	@scripts/setup-deps.sh

native: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

web: deps
	@cd web && npm run --silent build

test: build fuzz-native
	@scripts/run-tests.sh $(BUILD_DIR)

unit: native
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

web-test: deps
	cd web && npm test --silent

integration: build
	EGOVBOX_BINARY=$(BINARY) node --test --test-concurrency=1 tests/integration/

e2e: build
	EGOVBOX_BINARY=$(BINARY) scripts/run-e2e.sh

bench-http: build
	bench/http/run.sh $(BINARY)

# 10 000 WebSocket connections: server memory per connection and the p50/p99 of one
# notification's fan-out, against 100 connections in the same run (bench/realtime/).
bench-realtime: native
	bench/realtime/run.sh $(BINARY)

# One media worker pinned to CPU 0, egovbox-loadgen on CPU 1: forwarded packets/s at
# saturation, CPU-seconds per 1,000 forwarded packets, delay p50/p99, loss, and the
# cost per packet over its floor (loopback sendmmsg/recvmmsg + OpenSSL's SRTP
# primitives) measured in the same run (bench/sfu/, docs/performance.md).
bench-sfu: native
	bench/sfu/run.sh $(BINARY)

# The libFuzzer targets (fuzz/), built with clang and the sanitizers.
fuzz-native: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS)

# Each libFuzzer target for FUZZ_SECONDS on its corpus in build/fuzz/corpus/<target>
# (seeded from fuzz/corpus/), which keeps what it finds; a crashing input is written to
# build/fuzz/<target>-crash-*. `make test` runs each for 5 s as a smoke test.
fuzz: fuzz-native
	@scripts/fuzz.sh $(FUZZ_SECONDS)

lint: deps
	scripts/lint.sh

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build web/dist
