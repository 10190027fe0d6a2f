#!/usr/bin/env bash
# Set everything up (Debian packages, build, plugin install) and run the whole
# test suite: the core's unit tests, the plugin tests on every sample capture
# (one pass and two passes against the reviewed expected outputs), and the
# field check against SPEC.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
cd "$root"
ctest --test-dir build --output-on-failure
