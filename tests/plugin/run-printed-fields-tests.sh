#!/usr/bin/env bash
# Printed-fields tests: a tshark -T fields run gets only the items of its -e
# fields and of the fields something refers to (plugin/printed_fields.c;
# tshark 4.0 builds a visible tree for -T fields, 4.4 primes the -e fields),
# and prints exactly what the full tree gives.
#
#   tests/plugin/run-printed-fields-tests.sh PATH/TO/tcpstate.so
#
# The full tree's values come from the same build: a run that also prints
# -e tcpstate (the protocol, whose value is its top line) keeps the full tree
# (printed_fields.c), so its other columns are the reference. Every run must
# log the plugin's decision (tshark --log-level info) and print tcpstate
# values. Ends with the line "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
. "$TCPSTATE_ROOT/tests/lib/check.sh"
so=$(readlink -f "${1:?usage: run-printed-fields-tests.sh PATH/TO/tcpstate.so}")
work=$(mktemp -d /tmp/tcpstate-printed.XXXXXX)
trap 'rm -rf "$work"' EXIT
TC_TMP=$work
ts_setup "$work" "$so"

only='tcpstate INFO.*this tshark prints only its [0-9]+ -e fields'
tracked='tcpstate INFO.*tracking every stream from frame'
skipped='tcpstate INFO.*no stream is tracked'

# Every tcpstate field and expert info, as tshark lists them.
ts_tshark plugin -- -G fields 2> /dev/null |
  awk -F'\t' '($1 == "F" || $1 == "P") && $3 ~ /^tcpstate\./ && !seen[$3]++ { print $3 }' > "$work/all"
n_all=$(wc -l < "$work/all")
if [ "$n_all" -lt 30 ] || ! grep -qx tcpstate.role "$work/all" ||
   ! grep -qx tcpstate.outcome.closed "$work/all" || ! grep -qx tcpstate.lost_segment "$work/all"; then
  tc_fail "tshark -G fields lists the tcpstate fields (got $n_all)" "$work/all"
  tc_summary
  exit 1
fi
tc_pass "tshark -G fields lists $n_all tcpstate fields"
mapfile -t all < "$work/all"

# run OUT [tshark args...]: stdout to OUT, stderr to OUT.err
run() {
  local out=$1
  shift
  ts_tshark plugin -- --log-level info "$@" > "$out" 2> "$out.err"
}

logged() { # NAME OUT ERE: the run's stderr holds ERE, and no tcpstate warning
  if ! grep -Eq -- "$3" "$2.err"; then
    { printf 'wanted /%s/ in stderr, which holds:\n' "$3"; head -20 "$2.err"; } > "$work/why"
    tc_fail "$1: the plugin's decision" "$work/why"
  elif grep -q 'tcpstate.*WARNING' "$2.err"; then
    tc_fail "$1: a warning" "$2.err"
  else
    tc_pass "$1: the plugin's decision"
  fi
}

# same NAME CAPTURE OPTIONS FIELD... : -T fields with these fields (and the
# tshark options OPTIONS, split at blanks) prints the
# columns the full tree gives (the same run with -e tcpstate last, which
# keeps the full tree), and prints tcpstate values.
same() {
  local name=$1 cap=$2 opts=$3 es=() f one=$work/one.$RANDOM full=$work/full.$RANDOM
  shift 3
  for f in "$@"; do es+=(-e "$f"); done
  run "$one" $opts -r "$cap" -T fields -E occurrence=a -e frame.number "${es[@]}" &
  run "$full" $opts -r "$cap" -T fields -E occurrence=a -e frame.number "${es[@]}" -e tcpstate
  wait $!
  logged "$name" "$one" "$only"
  if grep -Eq "$only" "$full.err"; then
    tc_fail "$name: the run with -e tcpstate keeps the full tree" "$full.err"
  fi
  # the reference without its last column (the protocol's top line)
  awk -F'\t' -v OFS='\t' '{ NF--; print }' "$full" > "$full.cut"
  if ! awk -F'\t' '{ for (i = 2; i <= NF; i++) if ($i != "") found = 1 } END { exit !found }' "$one"; then
    tc_fail "$name: no tcpstate value printed" "$one"
    return
  fi
  # 4.0 prints the protocol item's top line (in the language of the
  # preference); 4.4, whose -T fields tree is not visible, its name
  if ! awk -F'\t' '$NF ~ /^(TCP Connection State: |TCP 连接状态——|tcpstate$)/ { found = 1 } END { exit !found }' "$full"; then
    tc_fail "$name: the reference run printed no protocol line" "$full"
    return
  fi
  cp "$one" "$work/last"
  if diff -u "$full.cut" "$one" > "$work/diff"; then
    tc_pass "$name: as the full tree"
  else
    tc_fail "$name: differs from the full tree" "$work/diff"
  fi
}

captures=()
for cap in "$TCPSTATE_ROOT"/sample-pcaps/*.pcap "$TCPSTATE_ROOT"/tests/plugin/captures/*.pcap; do
  case $(basename "$cap") in empty.pcap|no-tcp.pcap) continue ;; esac
  captures+=("$(ts_readable "$cap")")
done
[ ${#captures[@]} -ge 20 ] || tc_fail "found only ${#captures[@]} captures"

markers=0
for cap in "${captures[@]}"; do
  name=$(basename "$cap" .pcap)
  # every field at once, then the small sets a script asks for
  same "$name, every field" "$cap" "" "${all[@]}" _ws.expert.message _ws.expert.severity
  same "$name, every field (-2)" "$cap" -2 "${all[@]}"
  same "$name, role and client state" "$cap" "" tcpstate.role tcpstate.client.state
  same "$name, why" "$cap" "" tcpstate.why
  same "$name, markers" "$cap" "" tcpstate.role tcpstate.lost_segment tcpstate.cannot_show \
    tcpstate.simultaneous_close
  # the marker columns (expert infos: "1" where present) somewhere
  awk -F'\t' '$3 $4 $5 != "" { found = 1 } END { exit !found }' "$work/last" && markers=$((markers + 1))
  same "$name, outcome (-2)" "$cap" -2 tcpstate.outcome.closed tcpstate.outcome.history
done

if [ $markers -ge 3 ]; then
  tc_pass "the marker expert infos are printed in $markers captures"
else
  tc_fail "the marker expert infos are printed in only $markers captures"
fi

# -T pdml, json and ek with -e fields print those fields instead of the
# tree (epan/print.c): the same decision, the same check against the full
# tree (its tcpstate entries taken out, the capture file's name and the run's
# time in pdml's header too).
cat > "$work/strip.py" <<'PY'
import json, re, sys
fmt, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("tcpstate", "timestamp")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
if fmt == "json":
    print(json.dumps(strip(json.loads(text)), indent=1, ensure_ascii=False))
elif fmt == "ek":
    for line in text.splitlines():
        print(json.dumps(strip(json.loads(line)), ensure_ascii=False))
else:
    for line in text.splitlines():
        if not re.match(r'\s*<field name="tcpstate" ', line) and not line.startswith("<pdml "):
            print(line)
PY
for name in lesson crafted-port-reuse crafted-tunnel-icmp lost-final-ack; do
  cap=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/$name.pcap")
  # the Chinese labels and expert texts take the same paths
  same "$name, every field in Chinese" "$cap" "-o tcpstate.language:zh_CN" "${all[@]}" _ws.expert.message
  for fmt in json ek pdml; do
    es=(-e frame.number -e tcpstate.role -e tcpstate.why -e tcpstate.client.state -e tcpstate.lost_segment)
    run "$work/$fmt.one" -r "$cap" -T "$fmt" "${es[@]}" &
    run "$work/$fmt.full" -r "$cap" -T "$fmt" "${es[@]}" -e tcpstate
    wait $!
    logged "$name, -T $fmt with -e" "$work/$fmt.one" "$only"
    grep -Eq "$only" "$work/$fmt.full.err" && tc_fail "$name, -T $fmt: -e tcpstate keeps the full tree" "$work/$fmt.full.err"
    python3 "$work/strip.py" "$fmt" "$work/$fmt.one" > "$work/$fmt.one.s" 2> "$work/$fmt.err1"
    python3 "$work/strip.py" "$fmt" "$work/$fmt.full" > "$work/$fmt.full.s" 2> "$work/$fmt.err2"
    if ! grep -q 'tcpstate.role' "$work/$fmt.one.s" && ! grep -q 'tcpstate_role' "$work/$fmt.one.s"; then
      tc_fail "$name, -T $fmt: no tcpstate value printed" "$work/$fmt.one"
    elif ! grep -q 'TCP Connection State: \|"tcpstate"' "$work/$fmt.full" &&
         ! grep -q '"tcpstate"' "$work/$fmt.full"; then
      tc_fail "$name, -T $fmt: the reference printed no protocol entry" "$work/$fmt.full"
    elif diff -u "$work/$fmt.full.s" "$work/$fmt.one.s" > "$work/diff"; then
      tc_pass "$name, -T $fmt with -e: as the full tree"
    else
      tc_fail "$name, -T $fmt with -e: differs from the full tree" "$work/diff"
    fi
  done
done

# Which runs keep the full tree, and which track nothing (4.0 and 4.4 alike).
cap=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/lesson.pcap")
run "$work/other" -r "$cap" -T fields -e tcp.stream
logged "-T fields without a tcpstate field" "$work/other" "$skipped"
tc_nonempty "-T fields without a tcpstate field: output" "$work/other"
run "$work/proto" -r "$cap" -T fields -e tcpstate.role -e tcpstate
logged "-e tcpstate keeps the full tree" "$work/proto" "$tracked"
grep -Eq "$only" "$work/proto.err" && tc_fail "-e tcpstate keeps the full tree: the log says otherwise" "$work/proto.err"
run "$work/phs" -r "$cap" -T fields -e tcpstate.role -z io,phs
logged "a listener that reads the whole tree (-z io,phs) keeps it" "$work/phs" "$tracked"
grep -Eq "$only" "$work/phs.err" && tc_fail "-z io,phs keeps the full tree: the log says otherwise" "$work/phs.err"
grep -q $'^[0-9]*\t*syn$\|^syn$' "$work/phs" || tc_fail "-z io,phs: the role is printed" "$work/phs"
run "$work/filter" -r "$cap" -T fields -e frame.number -Y 'tcpstate.role == "fin"'
logged "-T fields, a filter on a tcpstate field" "$work/filter" "$only"
[ "$(grep -c . "$work/filter")" -ge 1 ] && tc_pass "the filter keeps FIN segments" ||
  tc_fail "the filter keeps FIN segments" "$work/filter"

tc_summary
