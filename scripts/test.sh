#!/usr/bin/env bash
# Set everything up (Debian packages, build, plugin install) and run the whole
# test suite: the core's unit tests, the plugin tests on every sample capture
# (one pass and two passes, both languages, against the reviewed expected
# outputs), the reports, the Zeek conformance, the field check against docs/spec.md,
# and then the core's unit tests again built with AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
cd "$root"
ctest --test-dir build --output-on-failure
bash "$root/tests/sanitize-unit.sh"
