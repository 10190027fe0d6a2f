#!/usr/bin/env bash
# Outcome field tests (SPEC.md v2 "Per-stream outcome fields", docs/fields.md):
# the real tshark with the built plugin on every sample capture, the mixed
# report capture, and one mixing a refused connection with normal ones.
#
#   tests/plugin/run-outcome-tests.sh PATH/TO/tcpstate.so
#
# Per capture:
#  - the plugin is loaded (every capture has tracked segments: tcpstate.role);
#  - a one-pass run shows no tcpstate.outcome.* field at all;
#  - a two-pass run (-2) shows all six on every tracked frame, and on each
#    stream's last frame they equal that stream's -z tcpstate,conv,tsv row
#    (the row describes the stream's last connection);
#  - within one connection every frame shows the same outcome.
# Then the filter of the brief: tshark -2 -Y 'tcpstate.outcome.closed == "X"'
# selects exactly the frames of the streams whose conv row says X (X taken
# from the rows, so "refused" is covered once the report has it), and at
# least one capture has a reset/refused connection so the check cannot pass
# on nothing.
# Ends with the line "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
so=$(readlink -f "${1:?usage: run-outcome-tests.sh PATH/TO/tcpstate.so}")
[ -f "$so" ] || { echo "no such plugin: $so"; exit 2; }
. "$ROOT/tests/bench/lib.sh"
. "$ROOT/tests/plugin/checks.sh"
checks_setup outcome "$so"

OUT=(tcpstate.outcome.conn_state tcpstate.outcome.history tcpstate.outcome.opened
     tcpstate.outcome.closed tcpstate.outcome.client.state tcpstate.outcome.server.state)
eargs=()
for f in "${OUT[@]}"; do eargs+=(-e "$f"); done

closes_seen=0
# A refused connection among normal ones (concatenated, so each keeps its stream).
mkdir -p "$work/mix"
mergecap -a -w "$work/mix/mixed-refused.pcap" "$ROOT/sample-pcaps/lesson.pcap" \
  "$ROOT/sample-pcaps/refused.pcap" "$ROOT/sample-pcaps/syn-timeout.pcap" ||
  fail "mergecap could not make the mixed capture"
for pcap in "$ROOT"/sample-pcaps/*.pcap "$ROOT"/tests/plugin/captures/reports-mix.pcap \
            "$work/mix/mixed-refused.pcap"; do
  name=$(basename "$pcap" .pcap)
  cap=$work/cap/$name.pcap
  cp "$pcap" "$cap" && chmod a+r "$cap"
  d=$work/$name
  mkdir -p "$d"

  ts_tshark plugin -- -r "$cap" -T fields -E separator=/t -e tcp.stream -e tcpstate.role \
    "${eargs[@]}" > "$d/one" 2> "$d/one.err"
  ts_tshark plugin -- -r "$cap" -2 -T fields -E separator=/t -e tcpstate.stream \
    -e frame.number "${eargs[@]}" > "$d/two" 2> "$d/two.err"
  ts_tshark plugin -- -r "$cap" -q -z tcpstate,conv,tsv > "$d/conv" 2> "$d/conv.err"

  if ! awk -F'\t' '$2 != ""' "$d/one" | grep -q .; then
    fail "$name: no tcpstate.role in a one-pass run (plugin not loaded?)" "$d/one.err"
    continue
  fi
  if cut -f3- "$d/one" | tr -d '\t\n' | grep -q .; then
    fail "$name: a one-pass run shows outcome fields" "$d/one"
  else
    pass "$name: one pass shows no outcome field"
  fi
  # Every tracked frame of the two-pass run has all six fields (history may
  # be empty, the other five never are).
  if awk -F'\t' '$1 != "" && ($3 == "" || $5 == "" || $6 == "" || $7 == "" || $8 == "")' \
       "$d/two" | grep -q . || ! grep -q . "$d/two"; then
    fail "$name: a tracked frame lacks outcome fields in -2" "$d/two"
  else
    pass "$name: -2 shows the outcome on every tracked frame"
  fi
  # The last frame of each stream equals the stream's conv row. A frame with
  # several TCP layers lists several values per field: compare single-layer
  # frames only (the conv row of a tunnel's streams is covered by the others).
  awk -F'\t' '$1 != "" && $1 !~ /,/ { last[$1] = $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 "\t" $8 }
              END { for (s in last) print s "\t" last[s] }' "$d/two" | sort -n > "$d/last"
  awk -F'\t' 'NR > 1 { print $1 "\t" $6 "\t" $7 "\t" $8 "\t" $9 "\t" $10 "\t" $11 }' "$d/conv" \
    | sort -n > "$d/rows"
  join -t$'\t' "$d/last" "$d/rows" > "$d/joined"
  if [ ! -s "$d/joined" ]; then
    fail "$name: no stream to compare with -z tcpstate,conv,tsv" "$d/conv.err"
  elif awk -F'\t' '{ for (i = 2; i <= 7; i++) if ($i != $(i + 6)) bad = 1 } END { exit !bad }' \
         "$d/joined"; then
    fail "$name: outcome of a stream's last frame differs from its conv row" "$d/joined"
  else
    pass "$name: outcome = -z tcpstate,conv on $(wc -l < "$d/joined") stream(s)"
  fi
  # Streams with one connection: every frame shows the same outcome.
  awk -F'\t' 'NR > 1 && $19 == 1 { print $1 }' "$d/conv" > "$d/single"
  if awk -F'\t' 'FNR == NR { single[$1] = 1; next }
                 $1 in single { v = $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8
                                if (($1 in seen) && seen[$1] != v) bad = 1; seen[$1] = v }
                 END { exit !bad }' "$d/single" "$d/two"; then
    fail "$name: frames of one connection show different outcomes" "$d/two"
  else
    pass "$name: one outcome per connection"
  fi

  # The filter: every frame of every stream whose row says X, and no other.
  awk -F'\t' 'NR > 1 { print $9 }' "$d/conv" | sort -u | while IFS= read -r closed; do
    awk -F'\t' -v c="$closed" 'FNR == NR { if ($9 == c) want[$1] = 1; next }
                               $1 in want { print $2 }' "$d/conv" "$d/two" | sort -n > "$d/want"
    ts_tshark plugin -- -r "$cap" -2 -Y "tcpstate.outcome.closed == \"$closed\"" \
      -T fields -e frame.number 2> "$d/filter.err" | sort -n > "$d/got"
    if [ -s "$d/want" ] && cmp -s "$d/want" "$d/got"; then
      echo "ok    $name: -2 -Y 'tcpstate.outcome.closed == \"$closed\"' selects $(wc -l < "$d/got") frame(s)"
      echo pass >> "$work/filter-results"
    else
      echo "FAIL  $name: -2 -Y 'tcpstate.outcome.closed == \"$closed\"' (want vs got)"
      diff "$d/want" "$d/got" | head -10 | sed 's/^/      /'
      echo fail >> "$work/filter-results"
    fi
    case $closed in "reset by"*|refused) echo "$closed" >> "$work/closes" ;; esac
  done
done
# A TIME-WAIT that a later stream on the same addresses and ports ended
# (docs/design.md, "Streams that reuse an earlier stream's endpoints"): in
# crafted-port-reuse.pcap the server of stream 0 waits in TIME-WAIT, and
# accepts stream 1's SYN (frame 10) with its SYN+ACK (frame 11) 1.5 s later,
# so stream 0's server ends CLOSED on every frame of stream 0; stream 1's
# client keeps its own TIME-WAIT. With msl 0 that TIME-WAIT runs out at
# once (the server is CLOSED by expiry from frame 9 on): frame 10 says so,
# and no early end is claimed on frames 10 and 11.
reuse=$work/cap/crafted-port-reuse.pcap
ts_tshark plugin -- -r "$reuse" -2 -T fields -e tcpstate.stream \
  -e tcpstate.outcome.client.state -e tcpstate.outcome.server.state > "$work/reuse.two" 2>&1
want=$(printf '0\tCLOSED\tCLOSED\n%.0s' 1 2 3 4 5 6 7 8 9; printf '1\tTIME-WAIT\tCLOSED\n%.0s' 1 2 3 4 5 6 7 8 9)
if [ "$(cat "$work/reuse.two")" = "$want" ]; then
  pass "crafted-port-reuse: stream 0's server ends CLOSED (its TIME-WAIT ended by stream 1), stream 1's client TIME-WAIT"
else
  fail "crafted-port-reuse: outcome states of the reused tuple" "$work/reuse.two"
fi
ts_tshark plugin -- -r "$reuse" -o tcpstate.msl:0 -V -Y 'frame.number >= 10 && frame.number <= 11' \
  > "$work/reuse.msl0" 2>&1
if grep -q 'no endpoint in TIME-WAIT' "$work/reuse.msl0" && ! grep -q 'CLOSED in stream' "$work/reuse.msl0"; then
  pass "crafted-port-reuse, msl 0: the TIME-WAIT had run out before the new SYN; no early end said"
else
  fail "crafted-port-reuse, msl 0: frames 10-11's Why lines" "$work/reuse.msl0"
fi

passed=$((passed + $(grep -c pass "$work/filter-results" 2>/dev/null || true)))
failed=$((failed + $(grep -c fail "$work/filter-results" 2>/dev/null || true)))
if [ -s "$work/closes" ]; then
  pass "reset or refused connections covered: $(sort -u "$work/closes" | paste -sd, -)"
else
  fail "no capture has a reset or refused connection: the filter test proves nothing"
fi

checks_end
