#!/usr/bin/env bash
# Runs every libFuzzer target of build/fuzz for SECONDS each.
#   scripts/fuzz.sh SECONDS          `make fuzz`: each target works on its own corpus in
#                                    build/fuzz/corpus/<target> (seeded from fuzz/corpus/),
#                                    which keeps what it finds between runs
#   scripts/fuzz.sh SECONDS --smoke  `make test`: on a throw-away copy of the seeds
# A crashing input is written to build/fuzz/<target>-crash-*. Ends with "# pass N" and
# "# fail M" lines (the counts run-tests.sh adds up); exits non-zero if any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?seconds per target}
smoke=${2:-}
fuzzers=$(sed -n 's/^FUZZERS := //p' Makefile)

work=build/fuzz/corpus
if [ "$smoke" = "--smoke" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

passed=0
failed=0
for fuzzer in $fuzzers; do
  mkdir -p "$work/$fuzzer"
  cp -r "fuzz/corpus/$fuzzer/." "$work/$fuzzer/" 2>/dev/null || true
  echo "fuzz: $fuzzer for $seconds s"
  if build/fuzz/"${fuzzer}"_fuzzer -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="build/fuzz/$fuzzer-" "$work/$fuzzer" >"$work/$fuzzer.log" 2>&1; then
    passed=$((passed + 1))
    grep -E '^stat::number_of_executed_units' "$work/$fuzzer.log" | sed "s/^/  $fuzzer /"
  else
    failed=$((failed + 1))
    tail -40 "$work/$fuzzer.log"
    echo "fuzz: $fuzzer FAILED (see build/fuzz/$fuzzer-*)"
  fi
done
echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ]
