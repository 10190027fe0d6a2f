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

# What the runs printed, format by format, as one JSON line per packet of
# field -> value(s), without the tcpstate protocol's own entry (-e
# tcpstate: its top line in 4.0, its name in 4.4) and pdml's header (the
# run's time, the file's name). Writes the packets to OUT and prints "VALUES
# PROTOCOLS": how many tcpstate or expert values were printed, and how many
# tcpstate entries look like the protocol's (4.0: its top line in the
# preference's language; 4.4, whose -T fields tree is not visible: its name).
cat > "$work/packets.py" <<'PY'
import json, re, sys
import xml.etree.ElementTree as ET
fmt, path, out = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
packets = []
if fmt == "fields":
    lines = text.splitlines()
    header = lines[0].split("\t") if lines else []
    packets = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
elif fmt == "json":
    packets = [p["_source"]["layers"] for p in json.loads(text)]
elif fmt == "ek":
    packets = [d["layers"] for d in map(json.loads, text.splitlines()) if "layers" in d]
else:
    for packet in ET.fromstring(text).iter("packet"):
        fields = {}
        for f in packet.findall("field"):
            fields.setdefault(f.get("name"), []).append(f.get("value"))
        packets.append(fields)
top = re.compile(r"^(TCP Connection State: |TCP 连接状态——|tcpstate$)")
values = protocols = 0
with open(out, "w", encoding="utf-8") as o:
    for fields in packets:
        own = fields.pop("tcpstate", None)
        for v in own if isinstance(own, list) else [own] if own else []:
            protocols += bool(top.match(v))
        for name, v in fields.items():
            if re.match(r"(tcpstate|_ws\.expert)[._]", name) and v not in ("", [], None):
                values += 1
        o.write(json.dumps(fields, ensure_ascii=False) + "\n")
print(values, protocols)
PY

# same NAME CAPTURE FORMAT OPTIONS FIELD... : tshark -T FORMAT (and the
# tshark options OPTIONS, split at blanks) with these -e fields prints what
# the full tree gives (the same run with -e tcpstate last, which keeps the
# full tree), and prints tcpstate values.
same() {
  local name=$1 cap=$2 fmt=$3 opts=$4 es=() f counts one=$work/one.$RANDOM full=$work/full.$RANDOM
  shift 4
  for f in "$@"; do es+=(-e "$f"); done
  [ "$fmt" = fields ] && es=(-E occurrence=a -E header=y "${es[@]}")
  run "$one" $opts -r "$cap" -T "$fmt" -e frame.number "${es[@]}" &
  run "$full" $opts -r "$cap" -T "$fmt" -e frame.number "${es[@]}" -e tcpstate
  wait $!
  tc_logged "$name" "$one" "$only"
  if grep -Eq "$only" "$full.err"; then
    tc_fail "$name: the run with -e tcpstate keeps the full tree" "$full.err"
  fi
  counts=$(python3 "$work/packets.py" "$fmt" "$one" "$one.packets" 2> "$one.py")
  if [ "${counts%% *}" = "" ] || [ "${counts%% *}" = 0 ]; then
    tc_fail "$name: no tcpstate value printed" "$one"
    return
  fi
  counts=$(python3 "$work/packets.py" "$fmt" "$full" "$full.packets" 2> "$full.py")
  if [ "${counts##* }" = "" ] || [ "${counts##* }" = 0 ]; then
    tc_fail "$name: the reference run printed no protocol line" "$full"
    return
  fi
  cp "$one.packets" "$work/last"
  if diff -u "$full.packets" "$one.packets" > "$work/diff"; then
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
reuses=0
for cap in "${captures[@]}"; do
  name=$(basename "$cap" .pcap)
  # every field at once, then the small sets a script asks for
  same "$name, every field" "$cap" fields "" "${all[@]}" _ws.expert.message _ws.expert.severity
  same "$name, every field (-2)" "$cap" fields -2 "${all[@]}"
  same "$name, role and client state" "$cap" fields "" tcpstate.role tcpstate.client.state
  same "$name, why" "$cap" fields "" tcpstate.why
  same "$name, markers" "$cap" fields "" tcpstate.role tcpstate.lost_segment tcpstate.cannot_show \
    tcpstate.simultaneous_close
  # the marker expert infos ("1" where present) somewhere
  grep -Eq '"tcpstate\.(lost_segment|cannot_show|simultaneous_close)": "[^"]' "$work/last" &&
    markers=$((markers + 1))
  same "$name, outcome (-2)" "$cap" fields -2 tcpstate.outcome.closed tcpstate.outcome.history
  # the port-reuse expert info alone: its text is made of Why lines that
  # are not printed (plugin/render.c, add_why)
  same "$name, port reuse" "$cap" fields "" tcpstate.role tcpstate.port_reuse
  grep -Eq '"tcpstate\.port_reuse": "[^"]' "$work/last" && reuses=$((reuses + 1))
done

if [ $reuses -ge 1 ]; then
  tc_pass "the port-reuse expert info is printed in $reuses captures"
else
  tc_fail "the port-reuse expert info is printed in no capture"
fi

if [ $markers -ge 3 ]; then
  tc_pass "the marker expert infos are printed in $markers captures"
else
  tc_fail "the marker expert infos are printed in only $markers captures"
fi

# -T pdml, json and ek with -e fields print those fields instead of the
# tree (epan/print.c): the same decision, the same check against the full
# tree; and every field in Chinese, whose labels and expert texts take the
# same paths.
for name in lesson crafted-port-reuse crafted-tunnel-icmp lost-final-ack; do
  cap=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/$name.pcap")
  same "$name, every field in Chinese" "$cap" fields "-o tcpstate.language:zh_CN" "${all[@]}" _ws.expert.message
  for fmt in json ek pdml; do
    same "$name, -T $fmt with -e" "$cap" "$fmt" "" tcpstate.role tcpstate.why tcpstate.client.state \
      tcpstate.lost_segment
  done
done

# Which runs keep the full tree, and which track nothing (4.0 and 4.4 alike).
cap=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/lesson.pcap")
run "$work/other" -r "$cap" -T fields -e tcp.stream
tc_logged "-T fields without a tcpstate field" "$work/other" "$skipped"
tc_nonempty "-T fields without a tcpstate field: output" "$work/other"
run "$work/proto" -r "$cap" -T fields -e tcpstate.role -e tcpstate
tc_logged "-e tcpstate keeps the full tree" "$work/proto" "$tracked"
grep -Eq "$only" "$work/proto.err" && tc_fail "-e tcpstate keeps the full tree: the log says otherwise" "$work/proto.err"
run "$work/phs" -r "$cap" -T fields -e tcpstate.role -z io,phs
tc_logged "a listener that reads the whole tree (-z io,phs) keeps it" "$work/phs" "$tracked"
grep -Eq "$only" "$work/phs.err" && tc_fail "-z io,phs keeps the full tree: the log says otherwise" "$work/phs.err"
grep -q $'^[0-9]*\t*syn$\|^syn$' "$work/phs" || tc_fail "-z io,phs: the role is printed" "$work/phs"
run "$work/filter" -r "$cap" -T fields -e frame.number -Y 'tcpstate.role == "fin"'
tc_logged "-T fields, a filter on a tcpstate field" "$work/filter" "$only"
[ "$(grep -c . "$work/filter")" -ge 1 ] && tc_pass "the filter keeps FIN segments" ||
  tc_fail "the filter keeps FIN segments" "$work/filter"

tc_summary
