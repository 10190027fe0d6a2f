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
. "$TCPSTATE_ROOT/tests/plugin/fields.sh"
so=$(readlink -f "${1:?usage: run-read-filter-tests.sh PATH/TO/tcpstate.so}")

passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

filters=(
  'tcp.flags.fin == 1 || tcp.flags.syn == 1'
  'tcpstate.role == "fin"'
  'tcpstate.role == "final-ack" || tcp.len > 0'
)

for pcap in "$TCPSTATE_ROOT"/sample-pcaps/lesson.pcap "$TCPSTATE_ROOT"/sample-pcaps/ipv6.pcap \
            "$TCPSTATE_ROOT"/sample-pcaps/lost-final-ack.pcap; do
  name=$(basename "$pcap" .pcap)
  fields_dump "$so" "$pcap" > "$work/all.tsv" 2> "$work/err"
  for filter in "${filters[@]}"; do
    # The frames the filter keeps, by their numbers in the whole capture.
    "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" "${TSHARK_COMMON[@]}" \
      -Y "$filter" -T fields -e frame.number > "$work/kept" 2>> "$work/err"
    awk -F'\t' 'NR == FNR { keep[$1] = 1; next }
                FNR == 1 { print; next }
                ($1 in keep) { $1 = ++n; print }' OFS='\t' "$work/kept" "$work/all.tsv" > "$work/want"
    fields_dump "$so" "$pcap" -2 -R "$filter" > "$work/got" 2>> "$work/err"
    if [ -s "$work/kept" ] && [ "$(wc -l < "$work/want")" -gt 1 ] && diff -u "$work/want" "$work/got" > "$work/diff"; then
      passed=$((passed + 1))
      echo "ok    $name: -2 -R '$filter' keeps the whole capture's states ($(grep -c . "$work/kept") frames)"
    else
      failed=$((failed + 1))
      echo "FAIL  $name: -2 -R '$filter'"
      [ -s "$work/kept" ] || echo "      the filter kept no frame (did the plugin load?)"
      head -30 "$work/diff" 2>/dev/null | sed 's/^/      /'
    fi
  done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
