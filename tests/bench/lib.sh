# Shared by tests/bench/bench.sh and tests/robustness/run.sh (source it):
# tshark with and without a given tcpstate.so comes from tests/lib/tshark.sh
# (ts_setup, ts_tshark base|plugin, the preflights); this adds the capture
# generator and the fixed hash seeds of the callgrind runs.
# shellcheck source=../lib/tshark.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)/tshark.sh"

# Builds tests/bench/gen_capture.c into $1/gen_capture (once).
ts_build_gen() {
  local root out=$1/gen_capture
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -x "$out" ] || [ "$root/tests/bench/gen_capture.c" -nt "$out" ]; then
    cc -O2 -Wall -Wextra -o "$out" "$root/tests/bench/gen_capture.c" -lm
  fi
  echo "$out"
}

# Builds tests/bench/fixed_seed.c into $1/fixed_seed.so (once), readable by
# tshark's user: preloaded, it makes callgrind's counts repeatable.
ts_build_fixed_seed() {
  local root out=$1/fixed_seed.so
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -f "$out" ] || [ "$root/tests/bench/fixed_seed.c" -nt "$out" ]; then
    cc -O2 -Wall -Wextra -shared -fPIC -o "$out" "$root/tests/bench/fixed_seed.c"
  fi
  chmod a+r "$out"
  echo "$out"
}
