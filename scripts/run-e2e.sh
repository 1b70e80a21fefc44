#!/usr/bin/env bash
# Browser tests (Playwright + Debian chromium) inside a network namespace that has
# only loopback, so nothing a browser does can leave this machine; the namespace's
# resolv.conf points at 127.0.0.1. Runs as root (unshare needs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export EGOVBOX_BINARY=${EGOVBOX_BINARY:-build/release/egovbox}

resolv=$(mktemp)
trap 'rm -f "$resolv"' EXIT
echo "nameserver 127.0.0.1" > "$resolv"

unshare -n -m sh -c "
  set -e
  ip link set lo up
  mount --bind '$resolv' /etc/resolv.conf
  exec node --test --test-concurrency=1 tests/e2e/
"
