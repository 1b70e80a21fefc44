#!/usr/bin/env bash
# make test: every suite, in order of speed: C++ unit tests, a 5-second run of each
# fuzz target, web unit tests,
# integration tests against a real server over HTTPS, browser tests. Stops at the
# first suite that fails; ends with one line that adds up all the suites.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build/release}
export EGOVBOX_BINARY="$build_dir/egovbox"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=0

# Runs a suite, shows its output, and adds its counts (read by `count`) to the totals.
suite() {
  local name=$1 count=$2
  shift 2
  printf '\n== %s ==\n' "$name"
  set +e
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  read -r p f < <($count "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$status" -ne 0 ]; then
    printf '\n%s failed.\ntests: %d passed, %d failed\n' "$name" "$passed" "$failed"
    exit "$status"
  fi
}

ctest_counts() { awk '/tests passed, .* tests failed out of/ {t=$NF; f=$(NF-4)} END {print t-f, f+0}' "$1"; }
node_counts() { awk '/^# pass / {p=$3} /^# fail / {f=$3} END {print p+0, f+0}' "$1"; }
vitest_counts() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '$1 == "Tests" {for (i = 2; i <= NF; i++) {if ($(i+1) ~ /^passed/) p=$i; if ($(i+1) ~ /^failed/) f=$i}} END {print p+0, f+0}'
}

suite "unit (C++, ctest)" ctest_counts ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
suite "fuzz smoke (each libFuzzer target for 5 s)" node_counts scripts/fuzz.sh 5 --smoke
suite "unit (web, vitest)" vitest_counts bash -c 'cd web && npm test --silent'
suite "integration (HTTPS against egovbox serve)" node_counts node --test --test-concurrency=1 tests/integration/
suite "e2e (headless Chromium, loopback-only network namespace)" node_counts scripts/run-e2e.sh

printf '\nAll test suites passed.\n%d passed, %d failed\n' "$passed" "$failed"
