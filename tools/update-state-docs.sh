#!/usr/bin/env bash
# Rewrite docs/diagrams/tcp-states.dot and docs/design.md's transition table
# from core/rfc9293.c, and render the diagram (needs graphviz):
#   tools/update-state-docs.sh [BUILD_DIR]     (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
. "$root/tools/state-docs-lib.sh"
cmake --build "$build" --target state-docs > /dev/null
gen=$build/tools/state-docs
"$gen" dot > "$root/docs/diagrams/tcp-states.dot"
"$gen" table > /tmp/state-docs-table.$$
awk -v b="$BEGIN_MARK" -v e="$END_MARK" -v t=/tmp/state-docs-table.$$ '
  $0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
  $0 == e { skip = 0 }
  !skip { print }' "$root/docs/design.md" > /tmp/state-docs-design.$$
mv /tmp/state-docs-design.$$ "$root/docs/design.md"
rm -f /tmp/state-docs-table.$$
if command -v dot > /dev/null; then make -C "$root/docs/diagrams" -B > /dev/null; fi
echo "updated docs/diagrams/tcp-states.dot and docs/design.md"
