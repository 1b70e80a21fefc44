#!/usr/bin/env bash
# Installs what building, running and testing eGov box needs on Debian 12:
# Debian packages through apt, the web app's npm packages through npm ci.
# Idempotent and quiet when everything is already there. Needs root for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config clang-format clang-tidy
  # libraries
  libboost-dev libssl-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev
  libcli11-dev libtomlplusplus-dev liboath-dev libqrencode-dev libical-dev libcurl4-openssl-dev libmagic-dev libjwt-dev tzdata
  # tests and benchmarks (clang for the libFuzzer targets, which `make test` runs briefly;
  # libsrtp2 as the reference our SRTP is checked against)
  libsrtp2-dev clang libclang-rt-14-dev libgtest-dev libgmock-dev libbenchmark-dev sqlite3 chromium nginx-light wrk util-linux iproute2 nftables curl
  # clamd for the virus-scan tests, started by the tests themselves with their own
  # configuration and a one-line test database (no freshclam, no network)
  clamav-daemon
)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node.js (20 or newer, for Vite) comes with npm; a machine that already has it,
# from Debian or elsewhere, keeps the one it has.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-deps: these Debian packages are missing; run as root or install them: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The tests run their own clamd; the system services the package enables (a clamd
  # without a database and a freshclam that downloads signatures) are not wanted.
  # Only when this run installed them, so that a machine's own ClamAV is left alone.
  if [[ " ${missing[*]} " == *" clamav-daemon "* ]] && [ -d /run/systemd/system ]; then
    systemctl disable --now clamav-daemon.socket clamav-daemon.service clamav-freshclam.service >/dev/null 2>&1 || true
  fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup-deps: Node.js $(node --version) is too old for the web build (Vite needs 20 or newer)" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
install_npm() {
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
install_npm web
install_npm tests
