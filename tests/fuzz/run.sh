#!/usr/bin/env bash
# Build the core's libFuzzer harness (tests/fuzz/fuzz_core.c) with clang,
# ASan and UBSan, and run it for a bounded time.
#
#   tests/fuzz/run.sh [SECONDS] [extra libFuzzer options...]   (default 60 s)
#
# Build dir: $TCPSTATE_FUZZ_BUILD (default /tmp/tcpstate-fuzz-build). The
# corpus grows in $TCPSTATE_FUZZ_CORPUS (default BUILD/corpus), seeded by
# tests/fuzz/seeds.py; a crash is saved as BUILD/tests/fuzz/crash-* and makes the script
# fail. Needs clang (apt-get install clang).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
build=${TCPSTATE_FUZZ_BUILD:-/tmp/tcpstate-fuzz-build}
corpus=${TCPSTATE_FUZZ_CORPUS:-$build/corpus}

command -v clang > /dev/null || { echo "fuzz: clang is missing (apt-get install clang)" >&2; exit 2; }
CC=clang cmake -S "$root" -B "$build" -DTCPSTATE_CORE_ONLY=ON -DTCPSTATE_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$build.log" 2>&1 || { cat "$build.log"; exit 1; }
cmake --build "$build" --target fuzz_core -j"$(nproc)" >> "$build.log" 2>&1 ||
  { tail -40 "$build.log"; exit 1; }

mkdir -p "$corpus"
python3 "$here/seeds.py" "$corpus"
cd "$build/tests/fuzz"
echo "fuzz: running fuzz_core for ${seconds}s (corpus $corpus)"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
set +e
./fuzz_core -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$@" "$corpus" \
  > "$build/fuzz.log" 2>&1
rc=$?
set -e
grep -E '^#[0-9]+.*DONE|^stat::number_of_executed_units|^stat::peak_rss|^Done' "$build/fuzz.log" || true
if [ $rc -ne 0 ]; then
  echo "fuzz: FAILED (exit $rc); the end of $build/fuzz.log:"
  tail -40 "$build/fuzz.log"
  ls "$build"/tests/fuzz/crash-* "$build"/tests/fuzz/timeout-* "$build"/tests/fuzz/oom-* 2>/dev/null || true
  exit 1
fi
echo "fuzz: no crash, no sanitizer report, no failed check in ${seconds}s ($(ls "$corpus" | wc -l) inputs in the corpus)"
