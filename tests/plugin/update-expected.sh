#!/usr/bin/env bash
# Regenerate the expected outputs beside every sample capture from a built
# plugin. The result must be REVIEWED line by line (git diff) before it is
# committed: the tests compare against these files.
#
#   tests/plugin/update-expected.sh build/plugin/tcpstate.so [CAPTURE...]
#
# tshark runs through tests/lib/tshark.sh (the build under test and nothing
# else, outputs in tshark 4.0's forms). A dump that holds no tcpstate values
# is refused: the old file stays and the script fails.
set -euo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
. "$TCPSTATE_ROOT/tests/plugin/fields.sh"
so=$(readlink -f "${1:?usage: update-expected.sh PATH/TO/tcpstate.so [CAPTURE...]}")
shift
work=$(mktemp -d /tmp/tcpstate-update.XXXXXX)
trap 'rm -rf "$work"' EXIT
ts_setup "$work" "$so"
captures=("$@")
shopt -s nullglob
[ ${#captures[@]} -gt 0 ] ||
  captures=("$TCPSTATE_ROOT"/sample-pcaps/*.pcap "$TCPSTATE_ROOT"/sample-pcaps/*.pcapng)
status=0
for pcap in "${captures[@]}"; do
  base=${pcap%.*}
  fields_dump "$pcap" > "$work/fields.tsv"
  tree_dump "$pcap" > "$work/tree.txt"
  tree_dump "$pcap" -o tcpstate.language:zh_CN > "$work/tree.zh_CN.txt"
  if ! grep -Eq "$TCPSTATE_FIELDS_ERE" "$work/fields.tsv" ||
    ! grep -Eq "$TCPSTATE_TREE_ERE" "$work/tree.txt" ||
    ! grep -Eq "$TCPSTATE_TREE_ERE" "$work/tree.zh_CN.txt"; then
    echo "REFUSED $pcap: a dump holds no tcpstate values; expected outputs left as they were"
    status=1
    continue
  fi
  cp "$work/fields.tsv" "$base.fields.tsv"
  cp "$work/tree.txt" "$base.tree.txt"
  cp "$work/tree.zh_CN.txt" "$base.tree.zh_CN.txt"
  echo "wrote $base.fields.tsv $base.tree.txt $base.tree.zh_CN.txt"
done
exit $status
