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

tc_summary
