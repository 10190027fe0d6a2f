# What the outcome, table and GUI test scripts share (source it after
# tests/bench/lib.sh): counters and the ok/FAIL lines, and a work dir with
# tshark set up to run with and without the build (ts_setup).
#
#   checks_setup NAME PLUGIN.so   $work (removed on exit), $work/cap, ts_setup
#   pass TEXT                     count and print "ok    TEXT"
#   fail TEXT [FILE]              count and print "FAIL  TEXT", then FILE's start
#   checks_end                    print "N passed, N failed"; status 1 on a failure

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; [ $# -lt 2 ] || sed 's/^/      /' "$2" | head -20; }

checks_setup() {
  work=$(mktemp -d "/tmp/tcpstate-$1.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  ts_setup "$work" "$2"
  mkdir -p "$work/cap"
}

checks_end() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}
