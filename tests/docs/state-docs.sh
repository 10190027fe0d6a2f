#!/usr/bin/env bash
# The state diagram (docs/diagrams/tcp-states.dot) and the transition table
# of docs/design.md hold exactly what tools/state-docs prints from the edge
# table of core/rfc9293.c, which the tracker is checked against.
#   tests/docs/state-docs.sh PATH/TO/state-docs
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
gen=${1:?usage: state-docs.sh PATH/TO/state-docs}
. "$root/tools/state-docs-lib.sh"
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$gen" dot > "$work/dot"
"$gen" table > "$work/table"
design_table "$root/docs/design.md" > "$work/design-table"
for pair in "dot:$root/docs/diagrams/tcp-states.dot" "table:$work/design-table"; do
  what=${pair%%:*} file=${pair#*:}
  if [ -s "$work/$what" ] && [ -s "$file" ] && diff -u "$file" "$work/$what"; then
    passed=$((passed + 1)); echo "ok    $what matches core/rfc9293.c"
  else
    failed=$((failed + 1)); echo "FAIL  $what differs from core/rfc9293.c (run tools/update-state-docs.sh)"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
