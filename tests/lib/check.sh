# Checks for the shell test scripts (source it), made so that no check can
# pass on output that is not there: a comparison with an expected file fails
# when that file is missing or empty, or when the actual output is empty; a
# comparison of two runs fails unless the first holds the plugin's values;
# and the closing line counts a failure when no check ran at all.
#
# tc_pass NAME / tc_fail NAME [DETAILS-FILE]   count one check
# tc_check NAME EXPECTED-FILE ACTUAL-FILE       ACTUAL equals the reviewed EXPECTED
# tc_same NAME FILE1 FILE2 ERE                  two runs print the same, and FILE1
#                                               has a line matching ERE (the
#                                               plugin's values, not just a header)
# tc_nonempty NAME FILE                         FILE holds something (prints nothing
#                                               and counts nothing when it does)
# tc_logged NAME OUT ERE                        the run's stderr (OUT.err) holds the
#                                               plugin's decision ERE (its log at
#                                               --log-level info) and no tcpstate
#                                               warning
# tc_summary                                    "N passed, N failed"; returns non-zero
#                                               if anything failed or nothing ran
# TC_TMP: a scratch dir of the caller's (for diffs); set it before the checks.

tc_passed=0
tc_failed=0

tc_pass() { tc_passed=$((tc_passed + 1)); echo "ok    $1"; }

tc_fail() {
  tc_failed=$((tc_failed + 1))
  echo "FAIL  $1"
  if [ $# -ge 2 ]; then sed 's/^/      /' "$2" | head -40; fi
  return 0
}

# Fails (and counts the failure) when FILE is missing or empty.
tc_nonempty() {
  if [ ! -s "$2" ]; then
    tc_fail "$1: no output (did tshark run?)"
    return 1
  fi
}

tc_check() {
  local name=$1 want=$2 got=$3
  if [ ! -s "$want" ]; then
    tc_fail "$name: expected output $want is missing or empty"
    return
  fi
  tc_nonempty "$name" "$got" || return
  if diff -u "$want" "$got" > "$TC_TMP/tc.diff"; then
    tc_pass "$name"
  else
    tc_fail "$name" "$TC_TMP/tc.diff"
  fi
}

tc_same() {
  local name=$1 a=$2 b=$3 ere=$4
  tc_nonempty "$name" "$a" || return
  if ! grep -Eq -- "$ere" "$a"; then
    tc_fail "$name: the output holds no tcpstate values (no line matches /$ere/)" "$a"
    return
  fi
  if diff -u "$a" "$b" > "$TC_TMP/tc.diff"; then
    tc_pass "$name"
  else
    tc_fail "$name" "$TC_TMP/tc.diff"
  fi
}

tc_logged() {
  if ! grep -Eq -- "$3" "$2.err"; then
    { printf 'wanted /%s/ in stderr, which holds:\n' "$3"; head -20 "$2.err"; } > "$TC_TMP/tc.why"
    tc_fail "$1: the plugin's decision" "$TC_TMP/tc.why"
  elif grep -q 'tcpstate.*WARNING\|asks for tcpstate' "$2.err"; then
    tc_fail "$1: a warning" "$2.err"
  else
    tc_pass "$1: the plugin's decision"
  fi
}

tc_summary() {
  if [ $((tc_passed + tc_failed)) = 0 ]; then
    echo "no check ran"
    tc_failed=1
  fi
  echo "$tc_passed passed, $tc_failed failed"
  [ "$tc_failed" = 0 ]
}
