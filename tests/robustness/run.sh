#!/usr/bin/env bash
# Robustness run: tshark with an ASan+UBSan build of the plugin on hostile
# captures. Fails on any crash, any sanitizer report, any "Dissector bug" of
# the plugin, any frame whose tcpstate tree differs between one pass and two
# (-2), a sample or generated capture without any tcpstate tree, or no tree
# at all. tshark runs through tests/lib/tshark.sh (exactly this build).
#
#   tests/robustness/run.sh [--plugin ASAN_TCPSTATE.so] [--work DIR] [--seeds N]
#                           [--flood N] [--jobs N]
#
# Inputs (all kept in WORK/in, so a failure can be replayed):
#   - every sample capture (sample-pcaps/*.pcap) and a 20k-segment generated one
#     (tests/bench/gen_capture.c), each also mutated by `editcap -E 0.02` with
#     --seeds seeds (default 3) and cut short at a third and two thirds;
#   - `randpkt -t tcp`, `-t ip`, `-t ipv6` captures (1000 packets each);
#   - every capture of ../shared/corpus/wireshark/ and ../shared/corpus/zeek/traces/
#     (gz files are read by tshark directly), when present;
#   - a SYN flood of --flood distinct tuples (default 20000; 0 to skip), whose
#     peak RSS is printed with and without the plugin.
# Each input is run twice: `tshark -V` (one pass) and `tshark -2 -V`; and
# twice more with `-T fields` and every tcpstate field but the outcome's, where
# the plugin adds only the printed items (plugin/printed_fields.c): the same
# checks, the two passes' outputs equal, and the decision logged.
#
# The ASan build: -DTCPSTATE_SANITIZE=ON (the top-level CMake option), built
# in WORK/build unless --plugin is given. tshark itself is not instrumented,
# so the ASan runtime is preloaded (LD_PRELOAD=libasan.so.8 libubsan.so.1);
# ASAN_OPTIONS=detect_leaks=0 (Wireshark does not free everything at exit);
# WIRESHARK_DEBUG_WMEM_OVERRIDE=simple makes every wmem allocation a malloc of
# its own, so ASan sees the bounds of the plugin's wmem blocks too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../bench/lib.sh
. "$root/tests/bench/lib.sh"     # tests/lib/tshark.sh and the capture generator

if [ "${1:-}" = --one ]; then
  # worker: --one WORK INPUT  -> prints one result line
  work=$2 in=$3
  ts_attach "$work"
  name=$(basename "$in")
  log=$work/log/$name
  san=(env LD_PRELOAD="$(cat "$work/preload")" ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1:exitcode=86
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86 WIRESHARK_DEBUG_WMEM_OVERRIDE=simple
    G_SLICE=always-malloc)
  status=ok
  # judge RC STDERR RUN: a crash, an exit other than 0 or 2 (tshark's "cut
  # short" and similar read errors; anything else - a bad -o option, a
  # missing plugin - means nothing was tested) or a sanitizer report sets
  # status. Called right after the run, under `set +e`; sets -e again.
  judge() {
    set -e
    if [ "$1" -ge 128 ] || [ "$1" = 86 ]; then
      status="CRASH($3, exit $1)"
    elif [ "$1" != 0 ] && [ "$1" != 2 ]; then
      status="TSHARK-EXIT-$1($3)"
    elif grep -q -E 'runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer|SUMMARY: [A-Za-z]*Sanitizer' "$2"; then
      status="SANITIZER($3)"
    fi
  }
  for pass in 1 2; do
    opt=()
    [ $pass = 2 ] && opt=(-2)
    set +e
    ts_tshark plugin "${san[@]}" -- -r "$in" "${opt[@]}" -V -o tcpstate.info_prefix:TRUE > "$log.pass$pass.out" 2> "$log.pass$pass.err"
    judge $? "$log.pass$pass.err" "pass $pass"
    # the plugin's tree of every frame, to compare the passes; without the
    # connection's outcome, which only a re-dissection knows (docs/fields.md,
    # "Per-connection outcome fields"): its subtree starts at "Connection
    # closed" (plugin/conn_outcome.c)
    awk '/^Frame [0-9]+:/ { inside = 0; print; next }
         /^\[?TCP Connection State/ { inside = 1; print; next }
         /^[^ ]/ { inside = 0 }
         outcome && /^        / { next }
         { outcome = 0 }
         inside && /^    \[Connection closed: / { outcome = 1; next }
         inside { print }' "$log.pass$pass.out" > "$log.pass$pass.tcpstate"
  done
  # The same input with -T fields and every tcpstate field but the outcome
  # (a re-dissection's only): tshark prints only its -e fields, so the plugin
  # adds only their items (plugin/printed_fields.c); one pass against two.
  for pass in 1 2; do
    [ "$status" = ok ] || break
    opt=()
    [ $pass = 2 ] && opt=(-2)
    set +e
    # shellcheck disable=SC2046
    ts_tshark plugin "${san[@]}" -- --log-level info -r "$in" "${opt[@]}" -T fields $(cat "$work/fields") \
      > "$log.fields$pass.out" 2> "$log.fields$pass.err"
    judge $? "$log.fields$pass.err" "-T fields, pass $pass"
    if [ "$status" = ok ] && [ -s "$log.fields$pass.out" ] &&
       ! grep -q 'tcpstate INFO.*prints only its' "$log.fields$pass.err"; then
      status="FIELDS-NO-DECISION(pass $pass)" # frames were read, but the decision was not the expected one
    fi
  done
  if [ "$status" = ok ] && ! cmp -s "$log.fields1.out" "$log.fields2.out"; then
    status="FIELDS-PASS-MISMATCH"
  fi
  bugs=$(cat "$log".pass*.out "$log".pass*.err "$log".fields*.err 2> /dev/null | grep -o 'Dissector bug, protocol [^:,]*' | sort | uniq -c |
    awk '{ $1 = $1 "x"; print }' | paste -sd, - || true)
  if [ "$status" = ok ] && echo "$bugs" | grep -qi 'protocol TCPSTATE'; then
    status="DISSECTOR-BUG"
  fi
  if [ "$status" = ok ] && ! cmp -s "$log.pass1.tcpstate" "$log.pass2.tcpstate"; then
    status="PASS-MISMATCH"
  fi
  frames=$(grep -c '^Frame [0-9]*:' "$log.pass1.out" || true)
  trees=$(grep -c '^\[\?TCP Connection State' "$log.pass1.out" || true)
  # an input that is whole TCP (a sample capture, the generated ones) must
  # get trees: none means the plugin did nothing, not that all went well
  case $name in
    *.mut*|*.cut*|randpkt-*|corpus-*) ;;
    *) [ "$status" = ok ] && [ "${trees:-0}" = 0 ] && status="NO-TREES" ;;
  esac
  [ "$status" = ok ] && rm -f "$log".pass* "$log".fields*
  printf '%s\t%s\t%s\t%s\t%s\n' "$status" "$name" "$frames" "$trees" "${bugs:-}"
  exit 0
fi

plugin=""
work=/tmp/tcpstate-robustness
seeds=3
flood=20000
jobs=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    --plugin) plugin=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --flood) flood=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "robustness: unknown option $1" >&2; exit 2 ;;
  esac
done
start=$(date +%s)
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [ -z "$plugin" ]; then
  echo "robustness: building the plugin with ASan+UBSan in $work/build"
  cmake -S "$root" -B "$work/build" -DTCPSTATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    > "$work/build.log" 2>&1 &&
    cmake --build "$work/build" -j"$(nproc)" --target tcpstate >> "$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; exit 1; }
  plugin=$work/build/plugin/tcpstate.so
fi
# the sanitizer runtimes the plugin needs, preloaded into tshark
preload=$(ldd "$plugin" | awk '/lib(asan|ubsan)\.so/ { print $3 }' | paste -sd' ' -)
[ -n "$preload" ] || { echo "robustness: $plugin is not built with ASan (-DTCPSTATE_SANITIZE=ON)" >&2; exit 2; }
# the preflight (tshark loads exactly this build) needs the runtimes too
ts_setup "$work" "$plugin" env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0
echo "$preload" > "$work/preload"
# every tcpstate field but the outcome's, for the -T fields runs
ts_tshark plugin env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 -- -G fields 2> /dev/null |
  awk -F'\t' '$1 == "F" && $3 ~ /^tcpstate\./ && $3 !~ /^tcpstate\.outcome\./ && !seen[$3]++ { printf " -e %s", $3 }' \
  > "$work/fields"
grep -q ' -e tcpstate.role' "$work/fields" || { echo "robustness: tshark -G fields lists no tcpstate.role" >&2; exit 2; }
rm -rf "$work/in" "$work/log"
mkdir -p "$work/in" "$work/log"
chmod 1777 "$work/log"

gen=$(ts_build_gen "$work")
"$gen" -n 20000 -c 2000 -s 7 -o "$work/in/generated.pcap" 2> /dev/null
bases=("$work/in/generated.pcap")
for f in "$root"/sample-pcaps/*.pcap; do
  cp "$f" "$work/in/"
  bases+=("$work/in/$(basename "$f")")
done
for f in "${bases[@]}"; do
  b=${f%.pcap}
  for ((s = 1; s <= seeds; s++)); do
    editcap -E 0.02 --seed "$s" "$f" "$b.mut$s.pcap" > /dev/null 2>&1
  done
  size=$(stat -c %s "$f")
  head -c $((size / 3)) "$f" > "$b.cut1.pcap"
  head -c $((size * 2 / 3)) "$f" > "$b.cut2.pcap"
done
for t in tcp ip ipv6; do
  randpkt -t "$t" -c 1000 -b 300 "$work/in/randpkt-$t.pcap" > /dev/null 2>&1
done
corpus=$root/../shared/corpus
for f in "$corpus"/wireshark/* "$corpus"/zeek/traces/*; do
  [ -f "$f" ] || continue
  case $f in *.md|*.tsv|*.txt) continue ;; esac
  cp "$f" "$work/in/corpus-$(basename "$(dirname "$f")")-$(basename "$f")"
done
if [ "$flood" -gt 0 ]; then
  "$gen" --syn-flood "$flood" -o "$work/in/synflood.pcap" 2> /dev/null
fi
chmod -R a+rX "$work/in"
n=$(find "$work/in" -type f | wc -l)
echo "robustness: $n captures, 4 runs each (-V and -T fields, one pass and two), $jobs in parallel"

find "$work/in" -type f | sort | xargs -P "$jobs" -I{} bash "$0" --one "$work" {} > "$work/results.tsv"

awk -F'\t' '
  { total++; if ($1 != "ok") { bad++; print "  " $1 "  " $2 } ; frames += $3; trees += $4
    if ($5 != "") others = others "  " $2 ": " $5 "\n" }
  END {
    printf "robustness: %d captures, %d frames, %d tcpstate trees; %d failed\n", total, frames, trees, bad
    if (others != "") printf "Dissector bug lines (of any protocol):\n%s", others
  }' "$work/results.tsv"

if [ "$flood" -gt 0 ]; then
  # the ASan plugin needs its runtime preloaded: both runs get it (no wmem override)
  for pd in base plugin; do
    ts_tshark "$pd" env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 /usr/bin/time -f '%M' -o "$TS_OUT/flood.$pd" -- -r "$work/in/synflood.pcap" -T fields \
      -e tcp.stream > /dev/null 2>&1
  done
  awk -v n="$flood" -v b="$(tail -1 "$TS_OUT/flood.base")" -v p="$(tail -1 "$TS_OUT/flood.plugin")" \
    'BEGIN { printf "robustness: SYN flood of %d tuples (ASan build, runtime preloaded in both runs): max RSS %d KB without, %d KB with the plugin: %.0f bytes per stream (ASan-inflated; see tests/bench/bench.sh --flood for the release number)\n", n, b, p, (p - b) * 1024 / n }'
fi
echo "robustness: $(($(date +%s) - start)) s; details in $work/results.tsv and $work/log/"
# fails on any input that is not ok, and when no input ran or no tree was drawn
[ -s "$work/results.tsv" ] || { echo "robustness: FAILED: no input ran"; exit 1; }
awk -F'\t' '{ t += $4 } END { exit !(t > 0) }' "$work/results.tsv" ||
  { echo "robustness: FAILED: no tcpstate tree in any output"; exit 1; }
! grep -qv '^ok	' "$work/results.tsv"
