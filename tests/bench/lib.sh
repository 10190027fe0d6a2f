# Shared by tests/bench/bench.sh and tests/robustness/run.sh (source it).
#
# Runs tshark with and without a given tcpstate.so, whoever runs it, with the
# same set of every other plugin:
#
#  - tshark run as root ignores personal plugins and WIRESHARK_PLUGIN_DIR, so
#    as root everything runs as `nobody` (setpriv, as scripts/tshark-with-plugin);
#  - a tcpstate.so installed in the global plugin dir would be loaded in the
#    "without" runs too, so neither run uses the global dir: each gets its own
#    WIRESHARK_PLUGIN_DIR made of links to every global plugin but tcpstate.so,
#    and the "with" dir also holds the build under test;
#  - HOME is an empty temp dir: no personal preferences or plugins.
#
# After ts_setup WORKDIR [PLUGIN.so]:
#   ts_tshark base|plugin [WRAPPER...] -- [tshark args...]
# runs `WRAPPER... tshark args...` as that user, in that plugin set-up.
# WORKDIR must be readable by nobody (it is made world-readable); files the
# wrapped command writes must go to a dir `nobody` can write ($TS_OUT).

ts_abi() { tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p'; }

ts_setup() {
  local work=$1 so=${2:-} abi global d f
  abi=$(ts_abi)
  global=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
  TS_WORK=$work
  TS_HOME=$work/home
  TS_OUT=$work/out
  mkdir -p "$TS_HOME" "$TS_OUT"
  chmod 1777 "$TS_HOME" "$TS_OUT"
  for pd in base plugin; do
    rm -rf "$work/pd-$pd"
    mkdir -p "$work/pd-$pd/$abi"
    for d in "$global"/*/; do
      [ -d "$d" ] || continue
      mkdir -p "$work/pd-$pd/$abi/$(basename "$d")"
      for f in "$d"*; do
        [ -e "$f" ] || continue
        [ "$(basename "$f")" = tcpstate.so ] && continue
        ln -s "$f" "$work/pd-$pd/$abi/$(basename "$d")/"
      done
    done
  done
  mkdir -p "$work/pd-plugin/$abi/epan"
  if [ -n "$so" ]; then
    cp "$so" "$work/pd-plugin/$abi/epan/tcpstate.so"
  fi
  chmod -R a+rX "$work"
  chmod a+rx "$work"
}

ts_tshark() {
  local pd=$1 wrap=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    wrap+=("$1")
    shift
  done
  [ "${1:-}" = -- ] && shift
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
      env HOME="$TS_HOME" WIRESHARK_PLUGIN_DIR="$TS_WORK/pd-$pd" "${wrap[@]}" tshark "$@"
  else
    env HOME="$TS_HOME" WIRESHARK_PLUGIN_DIR="$TS_WORK/pd-$pd" "${wrap[@]}" tshark "$@"
  fi
}

# Builds tests/bench/gen_capture.c into $1/gen_capture (once).
ts_build_gen() {
  local root out=$1/gen_capture
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -x "$out" ] || [ "$root/tests/bench/gen_capture.c" -nt "$out" ]; then
    cc -O2 -Wall -Wextra -o "$out" "$root/tests/bench/gen_capture.c" -lm
  fi
  echo "$out"
}
