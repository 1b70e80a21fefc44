#!/usr/bin/env bash
# make lint: clang-format check over every C++ file, then clang-tidy (.clang-tidy)
# over the sources, with the compile commands of the given build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
# clang-tidy cannot read g++'s precompiled headers: configure (not build) a
# tree of its own without them, just for the compile commands.
lint_dir=build/lint

mapfile -t files < <(git ls-files '*.cc' '*.h')
echo "lint: clang-format on ${#files[@]} files"
clang-format --dry-run --Werror "${files[@]}"

cmake -S . -B "$lint_dir" -G Ninja -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
# server.cc, tls_websocket.cc and beast_compilation.cc need g++'s coroutine support in Asio 1.74,
# which clang 14 does not get from those headers; g++ -Werror covers them.
mapfile -t sources < <(git ls-files 'src/*.cc' | grep -v -e 'src/http/server.cc' -e 'src/http/tls_websocket.cc' -e 'src/http/beast_compilation.cc')
echo "lint: clang-tidy on ${#sources[@]} files"
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$lint_dir" --quiet
echo "lint: clean"
