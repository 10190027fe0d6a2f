#!/usr/bin/env bash
# docs/spec.md is the project's copy of the field contract that ships beside
# the repository as ../shared/SPEC.md: the code's comments cite docs/spec.md,
# so the two must not drift. Fails if either is missing or they differ.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ours=$root/docs/spec.md
theirs=$root/../shared/SPEC.md
[ -s "$ours" ] || { echo "FAIL: $ours is missing or empty"; exit 1; }
[ -s "$theirs" ] || { echo "FAIL: $theirs is missing or empty"; exit 1; }
if diff -u "$theirs" "$ours"; then
  echo "docs/spec.md is identical to ../shared/SPEC.md ($(wc -l < "$ours") lines)"
  echo "1 passed, 0 failed"
else
  echo "FAIL: docs/spec.md differs from ../shared/SPEC.md: copy it (cp ../shared/SPEC.md docs/spec.md)"
  echo "0 passed, 1 failed"
  exit 1
fi
