#!/usr/bin/env bash
# make test: every suite, in order of speed: C++ unit tests, web unit tests,
# integration tests against a real server over HTTPS, browser tests. Stops at the
# first suite that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build/release}
export EGOVBOX_BINARY="$build_dir/egovbox"

section() { printf '\n== %s ==\n' "$1"; }

section "unit (C++, ctest)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"

section "unit (web, vitest)"
(cd web && npm test --silent)

section "integration (HTTPS against egovbox serve)"
node --test --test-concurrency=1 tests/integration/

section "e2e (headless Chromium, loopback-only network namespace)"
scripts/run-e2e.sh

printf '\nAll test suites passed.\n'
