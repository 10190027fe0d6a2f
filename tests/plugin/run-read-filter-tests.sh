#!/usr/bin/env bash
# Read filters: `tshark -2 -R FILTER` keeps only the frames FILTER matches on
# the first pass, and numbers the kept frames 1, 2, ... Every segment was on
# the wire all the same, so each kept frame must show the states the whole
# capture gives it: its row of the unfiltered fields dump, renumbered.
#
#   tests/plugin/run-read-filter-tests.sh PATH/TO/tcpstate.so
#
# Filters on a plain TCP field and on a tcpstate field. Ends with the line
# "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
. "$TCPSTATE_ROOT/tests/lib/check.sh"
. "$TCPSTATE_ROOT/tests/plugin/fields.sh"
so=$(readlink -f "${1:?usage: run-read-filter-tests.sh PATH/TO/tcpstate.so}")

work=$(mktemp -d /tmp/tcpstate-readfilter.XXXXXX)
trap 'rm -rf "$work"' EXIT
TC_TMP=$work
ts_setup "$work" "$so"

filters=(
  'tcp.flags.fin == 1 || tcp.flags.syn == 1'
  'tcpstate.role == "fin"'
  'tcpstate.role == "final-ack" || tcp.len > 0'
)

for pcap in "$TCPSTATE_ROOT"/sample-pcaps/lesson.pcap "$TCPSTATE_ROOT"/sample-pcaps/ipv6.pcap \
            "$TCPSTATE_ROOT"/sample-pcaps/lost-final-ack.pcap; do
  name=$(basename "$pcap" .pcap)
  fields_dump "$pcap" > "$work/all.tsv" 2> "$work/err"
  for filter in "${filters[@]}"; do
    # The frames the filter keeps, by their numbers in the whole capture.
    ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${TSHARK_COMMON[@]}" \
      -Y "$filter" -T fields -e frame.number > "$work/kept" 2>> "$work/err"
    awk -F'\t' 'NR == FNR { keep[$1] = 1; next }
                FNR == 1 { print; next }
                ($1 in keep) { $1 = ++n; print }' OFS='\t' "$work/kept" "$work/all.tsv" > "$work/want"
    fields_dump "$pcap" -2 -R "$filter" > "$work/got" 2>> "$work/err"
    if [ -s "$work/kept" ] && [ "$(wc -l < "$work/want")" -gt 1 ] && diff -u "$work/want" "$work/got" > "$work/diff"; then
      tc_pass "$name: -2 -R '$filter' keeps the whole capture's states ($(grep -c . "$work/kept") frames)"
    else
      [ -s "$work/kept" ] || echo "the filter kept no frame (did the plugin load?)" >> "$work/diff"
      tc_fail "$name: -2 -R '$filter'" "$work/diff"
    fi
  done
done

# A read filter that drops the new connection's handshake (or the whole new
# stream) still leaves stream 0's server CLOSED: stream 1's SYN+ACK was on
# the wire and ended its TIME-WAIT (docs/design.md, "Streams that reuse an
# earlier stream's endpoints"); the outcome fields and -z tcpstate,conv say so.
reuse=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/crafted-port-reuse.pcap")
for filter in 'tcp.flags.syn == 0' 'tcp.stream == 0'; do
  ts_tshark plugin -- -r "$reuse" -2 -R "$filter" -T fields -e tcpstate.stream \
    -e tcpstate.outcome.server.state > "$work/reuse" 2>> "$work/err"
  ts_tshark plugin -- -r "$reuse" -2 -R "$filter" -q -z tcpstate,conv,tsv > "$work/reuse.conv" 2>> "$work/err"
  kept0=$(awk -F'\t' '$1 == 0' "$work/reuse" | grep -c .)
  closed0=$(awk -F'\t' '$1 == 0 && $2 == "CLOSED"' "$work/reuse" | grep -c .)
  row0=$(awk -F'\t' '$1 == 0 { print $11 }' "$work/reuse.conv")
  if [ "$kept0" -gt 0 ] && [ "$kept0" = "$closed0" ] && [ "$row0" = CLOSED ]; then
    tc_pass "crafted-port-reuse: -2 -R '$filter': stream 0's server ends CLOSED ($kept0 frames and the conv row)"
  else
    cat "$work/reuse" "$work/reuse.conv" > "$work/diff"
    tc_fail "crafted-port-reuse: -2 -R '$filter': stream 0's final server state" "$work/diff"
  fi
done

# Filters on expert infos: a display filter alone builds a tree nobody sees,
# where the plugin formats only the expert infos a filter refers to
# (plugin/experts.c); they must keep exactly the frames they keep when the
# tree is shown (-V: every expert info is added).
expert_filters=(
  'lesson.pcap|tcpstate.milestone'
  'rst-abort.pcap|tcpstate.rst'
  'crafted-port-reuse.pcap|tcpstate.port_reuse'
  'crafted-odd-flags.pcap|tcpstate.odd_flags'
  'crafted-odd-flags.pcap|_ws.malformed && tcpstate'
  'lesson.pcap|_ws.expert.message contains "FIN" && tcpstate'
  'half-close.pcap|_ws.expert.severity >= 0x00400000 && tcpstate'
)
for case in "${expert_filters[@]}"; do
  pcap=$TCPSTATE_ROOT/sample-pcaps/${case%%|*}
  filter=${case#*|}
  ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${TSHARK_COMMON[@]}" -Y "$filter" \
    2>> "$work/err" | awk '{ print $1 }' > "$work/hidden"
  ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${TSHARK_COMMON[@]}" -Y "$filter" -V \
    2>> "$work/err" | sed -n 's/^Frame \([0-9]*\):.*/\1/p' > "$work/shown"
  if [ -s "$work/shown" ] && diff -u "$work/shown" "$work/hidden" > "$work/diff"; then
    tc_pass "${case%%|*}: -Y '$filter' keeps the same frames without a visible tree ($(grep -c . "$work/shown") frames)"
  else
    [ -s "$work/shown" ] || echo "the filter kept no frame (did the plugin load?)" >> "$work/diff"
    tc_fail "${case%%|*}: -Y '$filter' without a visible tree" "$work/diff"
  fi
done

tc_summary
