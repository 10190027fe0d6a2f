#!/usr/bin/env bash
# The core and its unit tests built with AddressSanitizer and
# UndefinedBehaviorSanitizer (-DTCPSTATE_SANITIZE=ON, core only), run by ctest.
#
#   tests/sanitize-unit.sh [BUILD_DIR]     (default: a new temp dir, removed after)
#
# Exit status: ctest's. Any sanitizer report fails its test
# (-fno-sanitize-recover=all, halt_on_error).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then
  build=$1
else
  build=$(mktemp -d /tmp/tcpstate-sanitize.XXXXXX)
  trap 'rm -rf "$build"' EXIT
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cmake -S "$root" -B "$build" -DTCPSTATE_CORE_ONLY=ON -DTCPSTATE_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=Debug > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" > "$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }
ctest --test-dir "$build" --output-on-failure
