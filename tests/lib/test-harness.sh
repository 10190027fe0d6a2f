#!/usr/bin/env bash
# Tests of the harness itself (tests/lib/): that it fails closed.
#
#   tests/lib/test-harness.sh PATH/TO/tcpstate.so
#
#  - the checks of tests/lib/check.sh fail on a missing or empty expected
#    file, on empty output, on two empty runs, and when no check ran;
#  - the preflight refuses a tcpstate.so that is an empty file, and one that
#    is another plugin (a copy of a global one): scripts/tshark-with-plugin
#    and a test suite then fail before testing anything;
#  - without tshark on PATH, a suite fails and says so;
#  - with a tshark that prints nothing when it reads a capture (everything
#    else, the preflight included, is the real tshark), every plugin suite
#    and the Zeek conformance fail.
# Ends with the line "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/tshark.sh"
. "$root/tests/lib/check.sh"
so=$(readlink -f "${1:?usage: test-harness.sh PATH/TO/tcpstate.so}")
work=$(mktemp -d /tmp/tcpstate-harness.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod a+rx "$work"
TC_TMP=$work/tmp
mkdir -p "$TC_TMP"

# expect_failure NAME OUTPUT-FILE STATUS: the run failed (non-zero status)
# and its last line counts at least one failure.
expect_failure() {
  if [ "$3" != 0 ] && tail -1 "$2" | grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed$'; then
    tc_pass "$1 (exit $3: $(tail -1 "$2"))"
  else
    echo "exit status $3" >> "$2"
    tc_fail "$1: did not fail closed" "$2"
  fi
}

# -- tests/lib/check.sh, in a subshell of its own each (own counters)
printf 'a\n' > "$work/one"
: > "$work/empty"
for case in "tc_check x $work/missing $work/one" "tc_check x $work/empty $work/one" \
  "tc_check x $work/one $work/empty" "tc_same x $work/empty $work/empty ." \
  "tc_same x $work/one $work/one tcpstate" "true"; do
  # shellcheck disable=SC2086
  (tc_passed=0 tc_failed=0; $case > /dev/null; tc_summary) > "$work/out" 2>&1
  expect_failure "check.sh: ${case//$work\//} fails" "$work/out" $?
done

# -- the preflight
cp /dev/null "$work/empty.so"
"$root/scripts/tshark-with-plugin" "$work/empty.so" -r "$root/sample-pcaps/lesson.pcap" > "$work/out" 2>&1
expect_failure "preflight: an empty tcpstate.so (tshark-with-plugin)" "$work/out" $?
"$root/tests/plugin/run-pref-tests.sh" "$work/empty.so" > "$work/out" 2>&1
expect_failure "preflight: an empty tcpstate.so (run-pref-tests.sh)" "$work/out" $?
global=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
other=$(find "$global/epan" -name '*.so' ! -name tcpstate.so 2>/dev/null | sort | head -1)
if [ -n "$other" ]; then
  cp "$other" "$work/other.so"
  "$root/scripts/tshark-with-plugin" "$work/other.so" -r "$root/sample-pcaps/lesson.pcap" > "$work/out" 2>&1
  rc=$?
  expect_failure "preflight: ${other##*/} named tcpstate.so" "$work/out" $rc
else
  tc_fail "no global epan plugin to disguise as tcpstate.so in $global/epan"
fi

# -- no tshark on PATH: a PATH of links to every command but tshark
mkdir -p "$work/no-tshark"
for d in /usr/local/bin /usr/bin /bin; do
  for f in "$d"/*; do
    name=$(basename "$f")
    [ "$name" = tshark ] || [ -e "$work/no-tshark/$name" ] || ln -s "$f" "$work/no-tshark/$name"
  done
done
PATH=$work/no-tshark "$root/tests/plugin/run-pref-tests.sh" "$so" > "$work/out" 2>&1
expect_failure "no tshark on PATH" "$work/out" $?
grep -q 'tshark is not installed' "$work/out" || tc_fail "no tshark on PATH: no message saying so"

# -- a tshark that prints nothing when it reads a capture
mkdir -p "$work/silent"
real=$(command -v tshark)
cat > "$work/silent/tshark" <<EOS
#!/bin/sh
for a; do [ "\$a" = -r ] && exit 0; done
exec "$real" "\$@"
EOS
chmod -R a+rx "$work/silent"
for suite in run-sample-tests.sh run-report-tests.sh run-pref-tests.sh run-audience-tests.sh run-printed-fields-tests.sh; do
  PATH=$work/silent:$PATH "$root/tests/plugin/$suite" "$so" > "$work/out" 2>&1
  expect_failure "silent tshark: $suite" "$work/out" $?
done
corpus=$root/../shared/corpus/zeek
if [ -f "$corpus/expected.tsv" ]; then
  PATH=$work/silent:$PATH python3 "$root/tests/zeek/conformance.py" "$so" "$corpus" > "$work/out" 2>&1
  expect_failure "silent tshark: conformance.py" "$work/out" $?
fi

tc_summary
