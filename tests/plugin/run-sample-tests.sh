#!/usr/bin/env bash
# Plugin tests: run the real tshark with the built plugin on every sample
# capture and compare with the reviewed expected outputs beside it.
#
#   tests/plugin/run-sample-tests.sh PATH/TO/tcpstate.so
#
# For each capture:
#   - the fields dump of a one-pass run equals NAME.fields.tsv;
#   - a two-pass run (-2) prints exactly the same fields;
#   - the tcpstate trees (expert infos and Why lines included) equal
#     NAME.tree.txt, in one pass and in two, and in Chinese NAME.tree.zh_CN.txt;
#   - every tracked segment has a summary in English and in Chinese, and the
#     Chinese summary and Why lines are Chinese (no English left in them);
#   - the display filter tcpstate.role == "final-ack" selects exactly the
#     frames whose role is final-ack, in one pass and in two;
#   - in a capture made with a short snapshot length (snaplen-*), every TCP
#     segment is tracked, in one pass and in two (the headers whose options
#     the snapshot length cut are read from the frame's bytes).
# Ends with the line "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/plugin/fields.sh"
so=$(readlink -f "${1:?usage: run-sample-tests.sh PATH/TO/tcpstate.so}")

passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() { # check NAME EXPECTED-FILE ACTUAL-FILE
  if diff -u "$2" "$3" > "$work/diff"; then
    passed=$((passed + 1))
    echo "ok    $1"
  else
    failed=$((failed + 1))
    echo "FAIL  $1"
    head -40 "$work/diff" | sed 's/^/      /'
  fi
}

# Every segment the plugin tracks has a summary in both languages, and the
# Chinese texts are Chinese: each summary and Why line holds CJK characters
# and no English word of the English texts (a missing translation).
check_texts() { # check_texts NAME PLUGIN CAPTURE
  local name=$1 so=$2 pcap=$3 lang bad
  for lang in en zh_CN; do
    "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" -o tcpstate.language:$lang \
      -Y tcpstate -T fields -E occurrence=a -E aggregator=$'\x1f' \
      -e frame.number -e tcpstate.summary -e tcpstate.why > "$work/texts.$lang" 2>> "$work/err"
  done
  bad=$(awk -F'\t' '$2 == "" { print "frame " $1 ": no summary" }' "$work/texts.en" "$work/texts.zh_CN")
  bad+=$(perl -CSD -ne 'chomp; my ($f, @t) = split /\t|\x1f/;
      for (grep { length } @t) {
        print "frame $f: not Chinese: $_\n" unless /\p{Han}/;
        print "frame $f: English left: $_\n"
          if /\b(the|client|server|acknowledges|sends|bytes|connection)\b/;
      }' "$work/texts.zh_CN")
  if [ -z "$bad" ]; then
    passed=$((passed + 1))
    echo "ok    $name: every segment has an English and a Chinese summary"
  else
    failed=$((failed + 1))
    echo "FAIL  $name: summaries:"
    printf '%s\n' "$bad" | head -10 | sed 's/^/      /'
  fi
}

# Every TCP segment of the capture is tracked: the frames with a TCP layer
# are the frames with a tcpstate role (and there are some), in one pass and
# in two.
check_all_tracked() { # check_all_tracked NAME PLUGIN CAPTURE
  local name=$1 so=$2 pcap=$3 mode extra tcp tracked
  for mode in one-pass two-pass; do
    extra=()
    [ $mode = two-pass ] && extra=(-2)
    tcp=$(tshark -r "$pcap" -Y tcp -T fields -e frame.number 2>> "$work/err" | grep -c .)
    tracked=$("$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" "${extra[@]}" \
      -Y 'tcpstate.role && !tcpstate.untracked' -T fields -e frame.number 2>> "$work/err" | grep -c .)
    if [ "$tcp" -gt 0 ] && [ "$tracked" = "$tcp" ]; then
      passed=$((passed + 1))
      echo "ok    $name: all $tcp TCP segments tracked ($mode)"
    else
      failed=$((failed + 1))
      echo "FAIL  $name: $tracked of $tcp TCP segments tracked ($mode)"
    fi
  done
}

# The frames a field dump gives a role, as one frame number per line.
frames_with_role() { awk -F'\t' -v r="$2" 'NR > 1 && $4 == r { print $1 }' "$1"; }

shopt -s nullglob
captures=("$TCPSTATE_ROOT"/sample-pcaps/*.pcap "$TCPSTATE_ROOT"/sample-pcaps/*.pcapng)
[ ${#captures[@]} -gt 0 ] || { echo "no sample captures found"; exit 1; }

for pcap in "${captures[@]}"; do
  base=${pcap%.*}
  name=$(basename "$base")
  if [ ! -f "$base.fields.tsv" ] || [ ! -f "$base.tree.txt" ] || [ ! -f "$base.tree.zh_CN.txt" ]; then
    failed=$((failed + 1))
    echo "FAIL  $name: no expected output (run tests/plugin/update-expected.sh and review it)"
    continue
  fi
  fields_dump "$so" "$pcap" > "$work/one.tsv" 2> "$work/err"
  check "$name: fields, one pass" "$base.fields.tsv" "$work/one.tsv"
  fields_dump "$so" "$pcap" -2 > "$work/two.tsv" 2>> "$work/err"
  check "$name: fields, two passes equal one pass" "$work/one.tsv" "$work/two.tsv"
  tree_dump "$so" "$pcap" > "$work/tree1.txt" 2>> "$work/err"
  check "$name: trees, one pass" "$base.tree.txt" "$work/tree1.txt"
  tree_dump "$so" "$pcap" -2 > "$work/tree2.txt" 2>> "$work/err"
  check "$name: trees, two passes" "$base.tree.txt" "$work/tree2.txt"
  tree_dump "$so" "$pcap" -o tcpstate.language:zh_CN > "$work/zh.txt" 2>> "$work/err"
  check "$name: Chinese trees" "$base.tree.zh_CN.txt" "$work/zh.txt"
  check_texts "$name" "$so" "$pcap"
  case $name in snaplen-*) check_all_tracked "$name" "$so" "$pcap" ;; esac

  frames_with_role "$base.fields.tsv" final-ack > "$work/want"
  for mode in one-pass two-pass; do
    extra=()
    [ $mode = two-pass ] && extra=(-2)
    "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" "${extra[@]}" \
      -Y 'tcpstate.role == "final-ack"' -T fields -e frame.number > "$work/got" 2>> "$work/err"
    check "$name: -Y tcpstate.role == \"final-ack\" ($mode)" "$work/want" "$work/got"
  done
  if grep -Eiq 'dissector bug|malformed|warning|error' "$work/err"; then
    failed=$((failed + 1))
    echo "FAIL  $name: tshark complained:"
    sed 's/^/      /' "$work/err" | head -20
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
