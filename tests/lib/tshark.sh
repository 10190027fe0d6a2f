# The one way tcpstate's tests and scripts run tshark with a given build of
# tcpstate.so (source it; or run it: see "Command line" below).
#
# Whatever tcpstate.so is installed anywhere, and whoever runs it, tshark
# must load exactly the build under test:
#
#  - tshark run as root ignores personal plugins and WIRESHARK_PLUGIN_DIR, so
#    as root tshark runs as `nobody` (setpriv);
#  - a tcpstate.so in the global plugin dir would be loaded instead of (or
#    beside) the build, so tshark never reads the global dir: it gets its own
#    WIRESHARK_PLUGIN_DIR made of links to every global plugin except
#    tcpstate.so, plus a copy of the build ("plugin"), or without it ("base",
#    for the benchmark's runs without the plugin);
#  - HOME is an empty dir (no personal plugins or preferences), so is the
#    extcap dir (no capture helper starts; under a preloaded sanitizer
#    runtime one hung `tshark -G plugins`), the rest of the environment is
#    cleared, the locale is C.UTF-8;
#  - the ABI dir (4.0, 4.4, ...) comes from `tshark --version`.
#
# ts_setup WORK [PLUGIN.so [WRAPPER...]]
#                             set it all up once, in WORK (made world-readable),
#                             then ts_preflight (when PLUGIN.so is given); the
#                             preflight's tshark runs under WRAPPER (e.g. env
#                             LD_PRELOAD=... for a sanitizer build)
# ts_preflight                fail unless tshark loads the copy of the build
#                             (tshark -G plugins lists tcpstate.so from WORK's
#                             plugin dir, and nothing else named tcpstate) and
#                             the protocol tcpstate is registered
# ts_preflight_base           fail if the "base" set-up loads any tcpstate
# ts_tshark base|plugin [WRAPPER...] -- [tshark args...]
#                             run `WRAPPER... tshark args...` in that set-up
# ts_readable FILE            print the path of a copy of FILE that tshark's
#                             user can read (made once per file, in WORK/cap)
# ts_normalise                filter: the known output differences of newer
#                             tshark versions written in 4.0's forms
#                             (tests/lib/normalise.py says which)
# ts_die MESSAGE              print "FAIL  MESSAGE" and "0 passed, 1 failed", exit 1
#
# Files the wrapped command writes must go to a dir tshark's user can write:
# $TS_OUT. Set up once per script: one tshark run then costs what tshark costs.
#
# Command line (for tests/lib/tshark.py and other non-shell callers):
#   tests/lib/tshark.sh setup WORK PLUGIN.so            ts_setup + preflight
#   tests/lib/tshark.sh run WORK base|plugin -- ARGS    ts_tshark in WORK
#   tests/lib/tshark.sh readable WORK FILE              ts_readable

TS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ts_die() {
  echo "FAIL  $*"
  echo "0 passed, 1 failed"
  exit 1
}

ts_abi() { tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p'; }

# ts_attach WORK: use a set-up made earlier by ts_setup WORK.
ts_attach() {
  TS_WORK=$1
  TS_HOME=$1/home
  TS_OUT=$1/out
  TS_ABI=$(cat "$1/abi")
}

ts_setup() {
  local work=$1 so=${2:-} global d f pd
  shift $(($# < 2 ? $# : 2))
  TS_PREFLIGHT_WRAP=("$@")
  command -v tshark > /dev/null || ts_die "tshark is not installed (apt-get install tshark)"
  if [ "$(id -u)" = 0 ]; then
    command -v setpriv > /dev/null || ts_die "setpriv is missing (util-linux): tshark cannot run as nobody"
  fi
  [ -z "$so" ] || [ -f "$so" ] || ts_die "no such plugin: $so"
  TS_ABI=$(ts_abi)
  [ -n "$TS_ABI" ] || ts_die "cannot read the Wireshark version from 'tshark --version'"
  global=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
  [ -d "$global" ] || ts_die "no global plugin dir in 'tshark -G folders' (got '$global')"
  mkdir -p "$work"
  work=$(cd "$work" && pwd)
  TS_WORK=$work
  TS_HOME=$work/home
  TS_OUT=$work/out
  echo "$TS_ABI" > "$work/abi"
  rm -rf "$TS_HOME"
  rm -rf "$work/extcap"
  mkdir -p "$TS_HOME" "$TS_OUT" "$work/cap" "$work/extcap"
  for pd in base plugin; do
    rm -rf "$work/pd-$pd"
    mkdir -p "$work/pd-$pd/$TS_ABI/epan"
    for d in "$global"/*/; do
      [ -d "$d" ] || continue
      mkdir -p "$work/pd-$pd/$TS_ABI/$(basename "$d")"
      for f in "$d"*; do
        [ -e "$f" ] || continue
        [ "$(basename "$f")" = tcpstate.so ] && continue
        ln -s "$f" "$work/pd-$pd/$TS_ABI/$(basename "$d")/"
      done
    done
  done
  if [ -n "$so" ]; then
    cp "$so" "$work/pd-plugin/$TS_ABI/epan/tcpstate.so"
  fi
  chmod -R a+rX "$work"
  chmod 1777 "$TS_HOME" "$TS_OUT"
  if ! ts_as_user test -w "$TS_HOME" -a -r "$work/abi"; then
    ts_die "tshark's user cannot reach $work (every dir above it must be searchable by all)"
  fi
  if [ -n "$so" ]; then
    ts_preflight || ts_die "preflight: tshark does not load the build under test ($so); see above"
  fi
}

# ts_as_user CMD...: run CMD as tshark's user (nobody when root).
ts_as_user() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
  else
    "$@"
  fi
}

ts_tshark() {
  local pd=$1 wrap=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    wrap+=("$1")
    shift
  done
  [ "${1:-}" = -- ] && shift
  ts_as_user env -i PATH="$PATH" HOME="$TS_HOME" LC_ALL=C.UTF-8 \
    WIRESHARK_PLUGIN_DIR="$TS_WORK/pd-$pd" WIRESHARK_EXTCAP_DIR="$TS_WORK/extcap" \
    "${wrap[@]}" tshark "$@"
}

# ts_plugin_list base|plugin: `tshark -G plugins` (name, version, type, path)
# in that set-up, into $TS_OUT/plugins.PD (stderr: $TS_OUT/plugins.PD.err).
# The preflight's runs are bounded: a tshark that hangs fails it.
TS_PREFLIGHT_TIMEOUT=(timeout 300)

ts_plugin_list() {
  ts_tshark "$1" "${TS_PREFLIGHT_TIMEOUT[@]}" "${TS_PREFLIGHT_WRAP[@]}" -- -G plugins > "$TS_OUT/plugins.$1" 2> "$TS_OUT/plugins.$1.err"
}

# The lines of such a listing whose name or file name holds "tcpstate".
ts_tcpstate_lines() {
  awk -F'\t' '{ file = $4; sub(/.*\//, "", file) } tolower($1 " " file) ~ /tcpstate/' "$1"
}

ts_preflight() {
  local want=$TS_WORK/pd-plugin/$TS_ABI/epan/tcpstate.so lines ok=1
  # the two listings at once: each is a full tshark start-up
  ts_tshark plugin "${TS_PREFLIGHT_TIMEOUT[@]}" "${TS_PREFLIGHT_WRAP[@]}" -- -G protocols > "$TS_OUT/protocols" 2> /dev/null &
  ts_plugin_list plugin
  wait $!
  lines=$(ts_tcpstate_lines "$TS_OUT/plugins.plugin")
  if ! printf '%s\n' "$lines" | awk -F'\t' -v want="$want" '
        { n++; sub(/[[:space:]]+$/, "", $1) }
        $1 == "tcpstate.so" && $4 == want { good++ }
        END { exit !(n == 1 && good == 1) }'; then
    echo "preflight: tshark -G plugins must list exactly one tcpstate, $want; it lists:" >&2
    printf '%s\n' "${lines:-(no tcpstate at all)}" | sed 's/^/  /' >&2
    sed 's/^/  tshark: /' "$TS_OUT/plugins.plugin.err" | head -5 >&2
    ok=0
  fi
  if ! awk -F'\t' '$3 == "tcpstate" { found = 1 } END { exit !found }' "$TS_OUT/protocols"; then
    echo "preflight: the protocol tcpstate is not registered (tshark -G protocols)" >&2
    ok=0
  fi
  [ $ok = 1 ]
}

ts_preflight_base() {
  ts_plugin_list base
  if [ ! -s "$TS_OUT/plugins.base" ]; then
    echo "preflight: tshark -G plugins printed nothing in the set-up without the plugin" >&2
    return 1
  fi
  if [ -n "$(ts_tcpstate_lines "$TS_OUT/plugins.base")" ]; then
    echo "preflight: the set-up without the plugin loads one:" >&2
    ts_tcpstate_lines "$TS_OUT/plugins.base" | sed 's/^/  /' >&2
    return 1
  fi
}

ts_readable() {
  local src copy
  src=$(readlink -f "$1") || return 1
  [ -f "$src" ] || { echo "ts_readable: no such file: $1" >&2; return 1; }
  copy=$TS_WORK/cap$src
  if [ ! -f "$copy" ]; then
    mkdir -p "$(dirname "$copy")"
    cp "$src" "$copy"
    chmod -R a+rX "$TS_WORK/cap"
  fi
  printf '%s\n' "$copy"
}

ts_normalise() { python3 "$TS_LIB/normalise.py"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  cmd=${1:-}
  case $cmd in
    setup) ts_setup "${2:?WORK}" "${3:?PLUGIN.so}" >&2 ;;
    run)
      ts_attach "${2:?WORK}"
      pd=${3:?base|plugin}
      shift 3
      [ "${1:-}" = -- ] && shift
      ts_tshark "$pd" -- "$@"
      ;;
    readable) ts_attach "${2:?WORK}"; ts_readable "${3:?FILE}" ;;
    *) echo "usage: tshark.sh setup WORK PLUGIN.so | run WORK base|plugin -- ARGS | readable WORK FILE" >&2
       exit 2 ;;
  esac
fi
