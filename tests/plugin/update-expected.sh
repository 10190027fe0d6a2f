#!/usr/bin/env bash
# Regenerate the expected outputs beside every sample capture from a built
# plugin. The result must be REVIEWED line by line (git diff) before it is
# committed: the tests compare against these files.
#
#   tests/plugin/update-expected.sh build/plugin/tcpstate.so [CAPTURE...]
set -euo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/plugin/fields.sh"
so=$(readlink -f "${1:?usage: update-expected.sh PATH/TO/tcpstate.so [CAPTURE...]}")
shift
captures=("$@")
shopt -s nullglob
[ ${#captures[@]} -gt 0 ] ||
  captures=("$TCPSTATE_ROOT"/sample-pcaps/*.pcap "$TCPSTATE_ROOT"/sample-pcaps/*.pcapng)
for pcap in "${captures[@]}"; do
  base=${pcap%.*}
  fields_dump "$so" "$pcap" > "$base.fields.tsv"
  tree_dump "$so" "$pcap" > "$base.tree.txt"
  tree_dump "$so" "$pcap" -o tcpstate.language:zh_CN > "$base.tree.zh_CN.txt"
  echo "wrote $base.fields.tsv $base.tree.txt $base.tree.zh_CN.txt"
done
