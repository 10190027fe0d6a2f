#!/usr/bin/env bash
# Plugin tests: run the real tshark with the built plugin on every sample
# capture and compare with the reviewed expected outputs beside it.
#
#   tests/plugin/run-sample-tests.sh PATH/TO/tcpstate.so
#
# tshark runs through tests/lib/tshark.sh: it loads exactly this build
# (checked before anything else, whatever is installed globally), and its
# output is normalised to tshark 4.0's forms. For each capture:
#   - the fields dump of a one-pass run equals NAME.fields.tsv;
#   - a two-pass run (-2) prints exactly the same fields;
#   - the tcpstate trees (expert infos and Why lines included) equal
#     NAME.tree.txt, in one pass and in two (without the outcome subtree,
#     which only the two-pass run has), and in Chinese NAME.tree.zh_CN.txt;
#   - every tracked segment has a summary in English and in Chinese, and the
#     Chinese summary and Why lines are Chinese (no English left in them);
#   - the display filter tcpstate.role == ROLE selects exactly the frames
#     whose role is ROLE, in one pass and in two (ROLE: final-ack, or the
#     first frame's role in a capture without a final ACK, so that the
#     expected selection is never empty).
#   - in a capture made with a short snapshot length (snaplen-*), every TCP
#     segment is tracked, in one pass and in two (the headers whose options
#     the snapshot length cut are read from the frame's bytes), and in a run
#     that builds no tree (-q -z tcpstate,conv,tsv: its rows count them all).
# No check passes on empty output (tests/lib/check.sh). Ends with the line
# "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
. "$TCPSTATE_ROOT/tests/lib/check.sh"
. "$TCPSTATE_ROOT/tests/plugin/fields.sh"
so=$(readlink -f "${1:?usage: run-sample-tests.sh PATH/TO/tcpstate.so}")

work=$(mktemp -d /tmp/tcpstate-samples.XXXXXX)
trap 'rm -rf "$work"' EXIT
TC_TMP=$work
ts_setup "$work" "$so"

# Every segment the plugin tracks has a summary in both languages, and the
# Chinese texts are Chinese: each summary and Why line holds CJK characters
# and no English word of the English texts (a missing translation). Each
# language lists as many segments as the expected fields dump tracks.
# Every TCP segment of a capture is tracked (a tree, no untracked warning), in
# one pass and two: check_all_tracked NAME CAPTURE
check_all_tracked() {
  local name=$1 pcap=$2 mode extra tcp tracked
  tcp=$(ts_tshark base -- -r "$(ts_readable "$pcap")" -Y tcp -T fields -e frame.number 2>> "$work/err" | grep -c .)
  for mode in one-pass two-pass; do
    extra=()
    [ $mode = two-pass ] && extra=(-2)
    tracked=$(ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${extra[@]}" \
      -Y 'tcpstate.role && !tcpstate.untracked' -T fields -e frame.number 2>> "$work/err" | grep -c .)
    if [ "$tcp" -gt 0 ] && [ "$tracked" = "$tcp" ]; then
      tc_pass "$name: all $tcp TCP segments tracked ($mode)"
    else
      tc_fail "$name: $tracked of $tcp TCP segments tracked ($mode)"
    fi
  done
  # A run that builds no tree (a tap report only: the tcp tap's headers and,
  # for those the snapshot length cut in the options, the frame's bytes)
  # counts every segment in its streams' rows.
  tracked=$(ts_tshark plugin -- -r "$(ts_readable "$pcap")" -q -z tcpstate,conv,tsv 2>> "$work/err" |
    awk -F'\t' '$1 == "stream" { for (i = 1; i <= NF; i++) col[$i] = i; next }
                 col["client_segments"] && $1 ~ /^[0-9]+$/ { n += $col["client_segments"] + $col["server_segments"] }
                 END { print n + 0 }')
  if [ "$tcp" -gt 0 ] && [ "$tracked" = "$tcp" ]; then
    tc_pass "$name: all $tcp TCP segments tracked (no tree: -z tcpstate,conv,tsv)"
  else
    tc_fail "$name: $tracked of $tcp TCP segments tracked (no tree: -z tcpstate,conv,tsv)"
  fi
}

check_texts() { # check_texts NAME CAPTURE EXPECTED-FIELDS
  local name=$1 pcap=$2 lang bad tracked n
  tracked=$(awk -F'\t' 'NR > 1 && $2 != ""' "$3" | wc -l)
  for lang in en zh_CN; do
    ts_tshark plugin -- -r "$(ts_readable "$pcap")" -o tcpstate.language:$lang \
      -Y tcpstate -T fields -E occurrence=a -E aggregator=$'\x1f' \
      -e frame.number -e tcpstate.summary -e tcpstate.why > "$work/texts.$lang" 2>> "$work/err"
    n=$(wc -l < "$work/texts.$lang")
    if [ "$tracked" = 0 ] || [ "$n" != "$tracked" ]; then
      tc_fail "$name: $lang texts of $n segments, the expected fields track $tracked"
      return
    fi
  done
  bad=$(awk -F'\t' '$2 == "" { print "frame " $1 ": no summary" }' "$work/texts.en" "$work/texts.zh_CN")
  bad+=$(perl -CSD -ne 'chomp; my ($f, @t) = split /\t|\x1f/;
      for (grep { length } @t) {
        print "frame $f: not Chinese: $_\n" unless /\p{Han}/;
        print "frame $f: English left: $_\n"
          if /\b(the|client|server|acknowledges|sends|bytes|connection)\b/;
      }' "$work/texts.zh_CN")
  if [ -z "$bad" ]; then
    tc_pass "$name: every segment has an English and a Chinese summary"
  else
    printf '%s\n' "$bad" | head -10 > "$work/bad"
    tc_fail "$name: summaries:" "$work/bad"
  fi
}

# The frames a field dump gives a role, as one frame number per line.
frames_with_role() { awk -F'\t' -v r="$2" 'NR > 1 && $4 == r { print $1 }' "$1"; }

shopt -s nullglob
captures=("$TCPSTATE_ROOT"/sample-pcaps/*.pcap "$TCPSTATE_ROOT"/sample-pcaps/*.pcapng)
[ ${#captures[@]} -gt 0 ] || ts_die "no sample captures found"

for pcap in "${captures[@]}"; do
  base=${pcap%.*}
  name=$(basename "$base")
  : > "$work/err"
  fields_dump "$pcap" > "$work/one.tsv" 2> "$work/err"
  tc_check "$name: fields, one pass" "$base.fields.tsv" "$work/one.tsv"
  fields_dump "$pcap" -2 > "$work/two.tsv" 2>> "$work/err"
  tc_same "$name: fields, two passes equal one pass" "$work/one.tsv" "$work/two.tsv" "$TCPSTATE_FIELDS_ERE"
  tree_dump "$pcap" > "$work/tree1.txt" 2>> "$work/err"
  tc_check "$name: trees, one pass" "$base.tree.txt" "$work/tree1.txt"
  tree_dump "$pcap" -2 > "$work/tree2-full.txt" 2>> "$work/err"
  strip_outcome < "$work/tree2-full.txt" > "$work/tree2.txt"
  tc_check "$name: trees, two passes (without the outcome subtree)" "$base.tree.txt" "$work/tree2.txt"
  if grep -q '^ *\[Connection closed: ' "$work/tree2-full.txt" &&
     ! grep -q 'Connection closed: ' "$work/tree1.txt"; then
    tc_pass "$name: the outcome subtree in two passes only"
  else
    tc_fail "$name: the outcome subtree is not in two passes only"
  fi
  tree_dump "$pcap" -o tcpstate.language:zh_CN > "$work/zh.txt" 2>> "$work/err"
  tc_check "$name: Chinese trees" "$base.tree.zh_CN.txt" "$work/zh.txt"
  if [ -s "$base.fields.tsv" ]; then
    check_texts "$name" "$pcap" "$base.fields.tsv"
    case $name in snaplen-*) check_all_tracked "$name" "$pcap" ;; esac
    role=final-ack
    frames_with_role "$base.fields.tsv" "$role" > "$work/want"
    if [ ! -s "$work/want" ]; then
      role=$(awk -F'\t' 'NR > 1 && $4 != "" { print $4; exit }' "$base.fields.tsv")
      frames_with_role "$base.fields.tsv" "$role" > "$work/want"
    fi
    for mode in one-pass two-pass; do
      extra=()
      [ $mode = two-pass ] && extra=(-2)
      ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${extra[@]}" \
        -Y "tcpstate.role == \"$role\"" -T fields -e frame.number > "$work/got" 2>> "$work/err"
      tc_check "$name: -Y tcpstate.role == \"$role\" ($mode)" "$work/want" "$work/got"
    done
  fi
  if grep -Eiq 'dissector bug|malformed|warning|error' "$work/err"; then
    tc_fail "$name: tshark complained:" "$work/err"
  fi
done

tc_summary
