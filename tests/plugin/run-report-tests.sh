#!/usr/bin/env bash
# Report tests: run the stream-level reports (-z tcpstate,conv / conv,tsv /
# ladder / tree, docs/reports.md) with the built plugin on every sample
# capture and on the report test captures (tests/plugin/captures: an empty
# capture, one without TCP, a mix of streams), and compare with the reviewed
# expected outputs in tests/plugin/expected/.
#
#   tests/plugin/run-report-tests.sh PATH/TO/tcpstate.so
#   tests/plugin/run-report-tests.sh --update PATH/TO/tcpstate.so   # rewrite expected/;
#                                                 # then REVIEW every changed line (git diff)
#
# Per capture: the four reports equal NAME.{conv.txt,conv.tsv,ladder.txt,
# tree.txt}; a two-pass run (-2) prints exactly what a one-pass run prints;
# every ladder line fits in 100 columns; the ladder's relative seq/ack/len
# equal tshark's tcp.seq/tcp.ack/tcp.len; tshark prints no warning or error.
# Then single cases: one stream of a ladder, a stream that does not exist,
# report filters, and arguments that must be refused.
# tshark runs through tests/lib/tshark.sh (exactly this build, outputs in
# tshark 4.0's forms); no check passes on empty output (tests/lib/check.sh).
# Ends with the line "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

update=0
if [ "${1:-}" = "--update" ]; then
  update=1
  shift
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/tshark.sh"
. "$ROOT/tests/lib/check.sh"
so=$(readlink -f "${1:?usage: run-report-tests.sh [--update] PATH/TO/tcpstate.so}")
[ -f "$so" ] || ts_die "no such plugin: $so"
EXPECTED=$ROOT/tests/plugin/expected
mkdir -p "$EXPECTED"

work=$(mktemp -d /tmp/tcpstate-reports.XXXXXX)
trap 'rm -rf "$work"' EXIT
TC_TMP=$work
ts_setup "$work" "$so"
mkdir -p "$work/cap" "$work/out"

# run_tshark CAPTURE [tshark args...], CAPTURE relative to the repository:
# tshark (tests/lib/tshark.sh) on a copy tshark's user can read; stdout in
# tshark 4.0's forms; stderr and the exit status are tshark's.
run_tshark() {
  local cap
  cap=$(ts_readable "$ROOT/$1") || return 2
  shift
  ts_tshark plugin -- -r "$cap" "$@" | ts_normalise
}

pass() { tc_pass "$1"; }
fail() { tc_fail "$@"; }

# check NAME EXPECTED-FILE ACTUAL-FILE (with --update: write EXPECTED-FILE,
# unless ACTUAL-FILE is empty)
check() {
  if [ $update = 1 ] && [[ "$2" == "$EXPECTED"/* ]]; then
    if tc_nonempty "$1" "$3"; then
      cp "$3" "$2"
      pass "$1 (expected output written)"
    fi
  else
    tc_check "$@"
  fi
}

# check_width NAME FILE: every line of a ladder fits in 100 columns.
check_width() {
  tc_nonempty "$1" "$2" || return
  if awk 'length($0) > 100 { print FILENAME ":" FNR ": " length($0) " columns"; bad = 1 }
          END { exit bad }' "$2" > "$work/wide"; then
    pass "$1: every line fits in 100 columns"
  else
    fail "$1: lines wider than 100 columns" "$work/wide"
  fi
}

# check_quiet NAME STDERR-FILE STDOUT-FILE: tshark printed something and
# complained about nothing.
check_quiet() {
  tc_nonempty "$1: tshark's output" "$3" || return
  if grep -Eiq 'dissector bug|malformed|warning|error|critical|assert' "$2"; then
    fail "$1: tshark complained" "$2"
  else
    pass "$1: no warning or error from tshark"
  fi
}

# Split the combined output of one run into its four reports. tshark draws
# the reports in the reverse order of the -z options; each starts with a line
# only it has (its banner's title, or the TSV header).
split_reports() { # split_reports COMBINED OUTDIR
  awk -v dir="$2" '
    { line[NR] = $0 }
    $0 ~ /^stream\tclient_addr\t/               { start["conv.tsv"] = NR }
    $0 == "TCP connection states (tcpstate,conv)"   { start["conv.txt"] = NR - 1 }
    $0 == "TCP connection ladder (tcpstate,ladder)" { start["ladder.txt"] = NR - 1 }
    $0 == "TCP 连接状态（tcpstate,conv）"             { start["conv.txt"] = NR - 1 }
    $0 == "TCP 连接时序图（tcpstate,ladder）"         { start["ladder.txt"] = NR - 1 }
    $0 == "TCP Connection State:"                  { start["tree.txt"] = NR - 2 }
    END {
      n = 0
      for (k in start) { n++; key[n] = k }
      for (i = 1; i <= n; i++)        # sort the sections by where they start
        for (j = i + 1; j <= n; j++)
          if (start[key[j]] < start[key[i]]) { t = key[i]; key[i] = key[j]; key[j] = t }
      for (i = 1; i <= n; i++) {
        last = i < n ? start[key[i + 1]] - 1 : NR
        out = dir "/" key[i]
        printf "" > out
        for (l = start[key[i]]; l <= last; l++) print line[l] > out
        close(out)
      }
    }' "$1"
}

REPORTS=(-z tcpstate,conv,tsv -z tcpstate,tree -z tcpstate,ladder -z tcpstate,conv)

shopt -s nullglob
captures=("$ROOT"/sample-pcaps/*.pcap "$ROOT"/tests/plugin/captures/*.pcap)
[ ${#captures[@]} -gt 0 ] || { echo "no captures found"; exit 1; }

for pcap in "${captures[@]}"; do
  name=$(basename "$pcap" .pcap)
  rel=${pcap#$ROOT/}
  out=$work/out/$name
  mkdir -p "$out"
  run_tshark "$rel" -q "${REPORTS[@]}" > "$out/all" 2> "$out/err"
  split_reports "$out/all" "$out"
  for report in conv.txt conv.tsv ladder.txt tree.txt; do
    case $report in
      conv.txt) z=tcpstate,conv ;;
      conv.tsv) z=tcpstate,conv,tsv ;;
      ladder.txt) z=tcpstate,ladder ;;
      tree.txt) z=tcpstate,tree ;;
    esac
    if [ -f "$out/$report" ]; then
      check "$name: $z" "$EXPECTED/$name.$report" "$out/$report"
    else
      fail "$name: no ${report} output in the run" "$out/all"
    fi
  done
  [ -f "$out/ladder.txt" ] && check_width "$name: ladder" "$out/ladder.txt"
  # The ladder's relative numbers are Wireshark's: compare every arrow's
  # seq, ack and len with tcp.seq, tcp.ack and tcp.len of its frame.
  if [ -f "$out/ladder.txt" ]; then
    run_tshark "$rel" -o tcp.analyze_sequence_numbers:TRUE -o tcp.relative_sequence_numbers:TRUE \
      -Y "tcp" -T fields -E occurrence=f -e frame.number -e tcp.seq -e tcp.ack -e tcp.len \
      > "$out/ws" 2>> "$out/err"
    awk 'NR == FNR { seq[$1] = $2; ack[$1] = $3; len[$1] = $4; next }
         $1 ~ /^[0-9]+$/ && / seq=/ {
           s = a = l = ""
           for (i = 2; i <= NF; i++) {
             if ($i ~ /^seq=/) s = substr($i, 5)
             if ($i ~ /^ack=/) a = substr($i, 5)
             if ($i ~ /^len=/) l = substr($i, 5)
           }
           if (!($1 in seq) || s != seq[$1] || (a != "" && a != ack[$1]) || l != len[$1])
             printf "frame %s: ladder seq=%s ack=%s len=%s, tshark seq=%s ack=%s len=%s\n",
                    $1, s, a, l, seq[$1], ack[$1], len[$1]
           arrows++
         }
         END { print arrows + 0 > (dir "/arrows") }' dir="$out" FS='\t' "$out/ws" FS=' ' "$out/ladder.txt" \
      > "$out/seqdiff"
    arrows=$(cat "$out/arrows")
    if [ -s "$out/seqdiff" ]; then
      fail "$name: ladder seq/ack/len differ from tshark's tcp.seq/tcp.ack/tcp.len" "$out/seqdiff"
    elif [ "$arrows" = 0 ] && [ -s "$out/ws" ]; then
      fail "$name: tshark sees TCP segments, the ladder draws no arrow" "$out/ladder.txt"
    elif [ "$arrows" = 0 ]; then
      echo "skip  $name: no TCP segment, no ladder arrow to compare with tshark's"
    else
      pass "$name: ladder seq/ack/len equal tshark's tcp.seq/tcp.ack/tcp.len ($arrows arrows)"
    fi
  fi
  run_tshark "$rel" -q -2 "${REPORTS[@]}" > "$out/all2" 2>> "$out/err"
  tc_same "$name: two passes print what one pass prints" "$out/all" "$out/all2" \
    '^TCP connection states \(tcpstate,conv\)$'
  # An empty TSV report says so on stderr: not a complaint.
  grep -v '^tcpstate,conv: no TCP stream' "$out/err" > "$out/err2"
  check_quiet "$name" "$out/err2" "$out/all"
done

# single NAME CAPTURE EXPECTED-BASENAME -z ARG: one report run, compared.
single() {
  local name=$1 cap=$2 want=$3
  shift 3
  run_tshark "$cap" -q "$@" > "$work/single" 2> "$work/single.err"
  check "$name" "$EXPECTED/$want" "$work/single"
  check_quiet "$name" "$work/single.err" "$work/single"
}

# The ladder of the only stream is the ladder of all streams.
single "lesson: tcpstate,ladder,0 is the whole ladder" sample-pcaps/lesson.pcap \
  lesson.ladder.txt -z tcpstate,ladder,0
single "reports-mix: tcpstate,ladder,2 (one stream of four)" tests/plugin/captures/reports-mix.pcap \
  reports-mix.ladder-2.txt -z tcpstate,ladder,2
check_width "reports-mix: ladder,2" "$work/single"
# An RST its receiver does not accept gets a note under its arrow (docs/spec.md,
# "RST acceptance"), in both languages.
single "rst-ignored: tcpstate,ladder notes the RST not accepted" tests/plugin/captures/rst-ignored.pcap \
  rst-ignored.ladder.txt -z tcpstate,ladder
check_width "rst-ignored: ladder" "$work/single"
single "rst-ignored: tcpstate,ladder in zh_CN" tests/plugin/captures/rst-ignored.pcap \
  rst-ignored.zh_CN.ladder.txt -z tcpstate,ladder -o tcpstate.language:zh_CN
single "lesson: tcpstate,ladder,7 (no such stream)" sample-pcaps/lesson.pcap \
  lesson.ladder-7.txt -z tcpstate,ladder,7
single "reports-mix: tcpstate,ladder,9 (no such stream)" tests/plugin/captures/reports-mix.pcap \
  reports-mix.ladder-9.txt -z tcpstate,ladder,9
single "empty: tcpstate,ladder,7 (no TCP at all)" tests/plugin/captures/empty.pcap \
  empty.ladder-7.txt -z tcpstate,ladder,7
single "no-tcp: tcpstate,ladder,0 (no TCP at all)" tests/plugin/captures/no-tcp.pcap \
  no-tcp.ladder-0.txt -z tcpstate,ladder,0
single "reports-mix: tcpstate,conv,tcp.port == 25" tests/plugin/captures/reports-mix.pcap \
  reports-mix.conv-port25.txt -z "tcpstate,conv,tcp.port == 25"
single "reports-mix: tcpstate,conv,tsv,tcp.port == 25" tests/plugin/captures/reports-mix.pcap \
  reports-mix.conv-port25.tsv -z "tcpstate,conv,tsv,tcp.port == 25"
single "reports-mix: tcpstate,tree,tcp.port == 25" tests/plugin/captures/reports-mix.pcap \
  reports-mix.tree-port25.txt -z "tcpstate,tree,tcp.port == 25"
single "lesson: tcpstate,conv with a filter that matches nothing" sample-pcaps/lesson.pcap \
  lesson.conv-nomatch.txt -z "tcpstate,conv,tcp.port == 1"

# Arguments that must be refused: tshark exits non-zero and says why.
refuse() { # refuse NAME EXPECTED-STDERR-PATTERN -z ARG
  local name=$1 pattern=$2
  shift 2
  run_tshark sample-pcaps/lesson.pcap -q "$@" > "$work/refused" 2>&1
  local rc=$?
  if [ $rc != 0 ] && grep -q -- "$pattern" "$work/refused"; then
    pass "$name: refused (exit $rc)"
  else
    echo "exit status $rc" >> "$work/refused"
    fail "$name: not refused as expected" "$work/refused"
  fi
}
refuse "tcpstate,ladder,abc" "STREAM must be a tcp.stream number" -z tcpstate,ladder,abc
refuse "tcpstate,ladder,-1" "STREAM must be a tcp.stream number" -z tcpstate,ladder,-1
refuse "tcpstate,conv with a broken filter" 'tcpstate,conv: Filter "tcp.port ==" is invalid' \
  -z "tcpstate,conv,tcp.port =="
refuse "tcpstate,convx" "invalid -z tcpstate,convx" -z tcpstate,convx

# tshark -z help lists the three reports.
ts_tshark plugin -- -z help > "$work/help" 2>&1
for want in tcpstate,conv tcpstate,ladder tcpstate,tree; do
  if grep -Eq "^[[:space:]]+$want\$" "$work/help"; then
    pass "tshark -z help lists $want"
  else
    fail "tshark -z help does not list $want" "$work/help"
  fi
done

# ---- language zh_CN: the same reports in Chinese (docs/reports.md) ----
# Per capture: the aligned conv, the ladder and the stats tree equal the
# reviewed NAME.zh_CN.{conv.txt,ladder.txt,tree.txt}; every ladder line fits
# in 100 display columns (a CJK character takes two); the conv table's
# columns line up by display width; and no English word a student must read
# is left (tests/plugin/zh-check.py: its allow-list is the contract's tokens,
# flag and header field names; a stream's history string comes from the
# same capture's TSV). The TSV form is for scripts and stays English.
ZHCHECK=$ROOT/tests/plugin/zh-check.py
ZH=(-o tcpstate.language:zh_CN)
# zh_check NAME zh-check.py-ARGS...: one zh-check.py check, counted.
zh_check() {
  local name=$1
  shift
  if /usr/bin/python3 "$ZHCHECK" "$@" > "$work/zhcheck" 2>&1; then
    pass "$name: $(tail -1 "$work/zhcheck")"
  else
    fail "$name" "$work/zhcheck"
  fi
}
# Lines of tshark's stats-tree print that Wireshark writes, not the plugin:
# its column titles, and the tree's title, which is registered at start-up
# before any preference is read (docs/reports.md, "Language").
ws_tree_lines='^(Topic / Item +Count|TCP Connection State:$)'
for pcap in "${captures[@]}"; do
  name=$(basename "$pcap" .pcap)
  rel=${pcap#$ROOT/}
  out=$work/out/$name/zh
  mkdir -p "$out"
  run_tshark "$rel" -q "${ZH[@]}" -z tcpstate,tree -z tcpstate,ladder -z tcpstate,conv \
    > "$out/all" 2> "$out/err"
  split_reports "$out/all" "$out"
  for report in conv.txt ladder.txt tree.txt; do
    if [ -f "$out/$report" ]; then
      check "$name: zh_CN ${report%.txt}" "$EXPECTED/$name.zh_CN.$report" "$out/$report"
    else
      fail "$name: no zh_CN ${report%.txt} output in the run" "$out/all"
    fi
  done
  check_quiet "$name: zh_CN" "$out/err" "$out/all"
  [ -f "$out/ladder.txt" ] || continue
  zh_check "$name: zh_CN ladder width" width "$out/ladder.txt"
  # The histories of this capture's streams, from its TSV (English run above).
  awk -F'\t' 'NR > 1 && $7 != "" { print $7 }' "$work/out/$name/conv.tsv" > "$out/allow" 2>/dev/null
  if grep -q '^ *[0-9]' "$out/conv.txt"; then
    zh_check "$name: zh_CN conv columns" aligned "$out/conv.txt"
  fi
  zh_check "$name: zh_CN conv words" words "$out/conv.txt" "$out/allow"
  zh_check "$name: zh_CN ladder words" words "$out/ladder.txt" "$out/allow"
  grep -Ev "$ws_tree_lines" "$out/tree.txt" > "$out/tree-plugin.txt"
  zh_check "$name: zh_CN tree words" words "$out/tree-plugin.txt"
done

# The SVG ladder in Chinese: the reviewed picture of the lesson, and no
# English word in the text of any picture.
for cap in sample-pcaps/lesson.pcap tests/plugin/captures/reports-mix.pcap sample-pcaps/refused.pcap; do
  name=$(basename "$cap" .pcap)
  run_tshark "$cap" -q "${ZH[@]}" -z tcpstate,ladder,svg > "$work/zh.svg" 2> "$work/zh.svg.err"
  [ "$name" = lesson ] && check "lesson: zh_CN ladder,svg" "$EXPECTED/lesson.zh_CN.ladder.svg" "$work/zh.svg"
  /usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E
print("\n".join(t.text or "" for t in E.parse(sys.argv[1]).iter("{http://www.w3.org/2000/svg}text")))' \
    "$work/zh.svg" > "$work/zh.svg.txt" 2>&1
  zh_check "$name: zh_CN ladder,svg words" words "$work/zh.svg.txt"
done

# The stream table (-z tcpstate,streams) in Chinese: no English word but the
# lines Wireshark prints itself (the menu title, registered at start-up, and
# "Filter for statistics:").
run_tshark tests/plugin/captures/reports-mix.pcap -q "${ZH[@]}" -z tcpstate,streams \
  > "$work/zh.table" 2> "$work/zh.table.err"
awk -F'\t' 'NR > 1 { print $7 }' "$work/out/reports-mix/conv.tsv" > "$work/zh.allow"
grep -Ev '^(TCP Connection State Streams:|Filter for statistics:)' "$work/zh.table" > "$work/zh.table.txt"
zh_check "reports-mix: zh_CN stream table words" words "$work/zh.table.txt" "$work/zh.allow"

# The outcome lines (tshark -2: a re-dissection) in Chinese: their labels are
# Chinese, each close and open token beside its Chinese words; the values the
# filters use stay the contract's tokens.
run_tshark sample-pcaps/refused.pcap -2 "${ZH[@]}" -V -O tcpstate > "$work/zh.outcome" 2> "$work/zh.outcome.err"
if grep -q '^    \[连接如何关闭：被拒绝（refused）\]$' "$work/zh.outcome" &&
   grep -q '^        \[连接如何建立：握手不完整（partial）\]$' "$work/zh.outcome" &&
   ! grep -Eq 'Connection (closed|opened)|final state|Final Zeek' "$work/zh.outcome"; then
  pass "refused: zh_CN outcome lines (-2)"
else
  fail "refused: zh_CN outcome lines (-2): English labels or no outcome" "$work/zh.outcome"
fi

# The Info column's tags (preference info_prefix) in Chinese: a line of
# the tagged Info column is the untagged one with the tags before it; the
# tags hold no English word.
for cap in sample-pcaps/lesson.pcap tests/plugin/captures/reports-mix.pcap sample-pcaps/refused.pcap; do
  name=$(basename "$cap" .pcap)
  cols=(-o 'gui.column.format:"Info","%i"')
  run_tshark "$cap" "${ZH[@]}" "${cols[@]}" > "$work/info.plain" 2>> "$work/info.err"
  run_tshark "$cap" "${ZH[@]}" "${cols[@]}" -o tcpstate.info_prefix:TRUE > "$work/info.tagged" 2>> "$work/info.err"
  paste -d '\n' "$work/info.plain" "$work/info.tagged" | awk '
    NR % 2 == 1 { plain = $0; next }
    { n = length($0) - length(plain)
      if (n < 0 || substr($0, n + 1) != plain) { print "not a prefix: " $0; bad = 1; next }
      if (n > 0) print substr($0, 1, n) }
    END { exit bad }' > "$work/info.tags"
  if [ $? = 0 ] && grep -q '^\[' "$work/info.tags"; then
    zh_check "$name: zh_CN Info tags ($(grep -c . "$work/info.tags") tagged frames)" words "$work/info.tags"
  else
    fail "$name: zh_CN Info tags are not prefixes of the Info column, or there are none" "$work/info.tags"
  fi
done

# The expert infos' texts in Chinese (-z expert, the plugin's rows) on every
# capture: no English word.
for pcap in "${captures[@]}"; do
  run_tshark "${pcap#$ROOT/}" -q "${ZH[@]}" -z expert 2>> "$work/expert.err" |
    awk '$3 == "TCPSTATE" { sub(/^ *[0-9]+ +[A-Za-z]+ +TCPSTATE  /, ""); print }'
done | sort -u > "$work/zh.expert"
zh_check "zh_CN expert texts of all captures ($(grep -c . "$work/zh.expert") distinct)" words "$work/zh.expert"

# The expert infos' registered summaries (plugin/experts.c): each is
# registered twice under one filter name. tshark -G fields lists the first,
# English one, as before; the name's last registration (what Lua's
# Field.new finds) has a Chinese summary; and the filter name selects the
# same frames in both languages.
ts_tshark plugin -- -G fields 2> /dev/null |
  awk -F'\t' '$1 == "F" && $4 == "FT_NONE" && $5 == "tcpstate" { print $3 "\t" $2 }' \
  > "$work/experts.en"
{
  echo 'for _, name in ipairs({'
  awk -F'\t' '{ printf "  \"%s\",\n", $1 }' "$work/experts.en"
  echo '}) do print(name .. "\t" .. tostring(Field.new(name).display)) end'
} > "$work/experts.lua"
lua=$(ts_readable "$work/experts.lua")
ts_tshark plugin -- -X "lua_script:$lua" -r "$(ts_readable "$ROOT/sample-pcaps/refused.pcap")" -c 1 \
  2> "$work/experts.err" | grep -P '^tcpstate\.' > "$work/experts.zh"
n=$(grep -c . "$work/experts.en")
if [ "$n" -ge 19 ] && grep -q $'^tcpstate.rst\tConnection reset$' "$work/experts.en" &&
   ! LC_ALL=C.UTF-8 grep -P '\t.*[\x{4e00}-\x{9fff}]' "$work/experts.en" > /dev/null &&
   [ "$(LC_ALL=C.UTF-8 grep -cP '\t.*[\x{4e00}-\x{9fff}]' "$work/experts.zh")" = "$n" ]; then
  pass "expert infos: $n registered in English (tshark -G fields) and in Chinese under the same names"
else
  cat "$work/experts.en" "$work/experts.zh" "$work/experts.err" > "$work/experts.all" 2>&1
  fail "expert infos: not registered in both languages" "$work/experts.all"
fi
for lang in en zh_CN; do
  got=$(run_tshark sample-pcaps/refused.pcap -o "tcpstate.language:$lang" -Y tcpstate.rst \
        -T fields -e frame.number 2>&1 | tr '\n' ' ')
  if [ "$got" = "2 " ]; then
    pass "language $lang: the filter tcpstate.rst selects frame 2 of refused.pcap"
  else
    echo "$got" > "$work/experts.filter"
    fail "language $lang: the filter tcpstate.rst" "$work/experts.filter"
  fi
done

tc_summary
