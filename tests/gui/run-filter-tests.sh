#!/usr/bin/env bash
# Filters in the real Wireshark GUI (under Xvfb, tests/gui/lib.sh), on the
# Wireshark the machine has (4.0 on Debian 12, 4.4 in the Debian 13 root):
#
#   tests/gui/run-filter-tests.sh PATH/TO/tcpstate.so [SHOTDIR]
#
#  1. Read filters: `wireshark -r F -R FILTER` shows each kept frame with
#     every tcpstate field as `tshark -2 -R FILTER` gives it (the whole
#     capture's states: tests/plugin/run-read-filter-tests.sh checks those
#     against the unfiltered capture), and still does after a preference
#     change re-dissects the kept frames (plugin/readfilter_replay.c); a
#     filter on a plain TCP field and one on a tcpstate field. A Lua tap
#     (tests/gui/dump-fields.lua) writes the fields of every frame the GUI
#     dissects, and of every frame tshark's second pass dissects.
#  2. Outcome filters at start-up: `wireshark -r F -Y 'tcpstate.outcome.closed
#     == "refused"'` displays as many frames as `tshark -2 -Y` selects (the
#     Displayed count of Statistics > Capture File Properties, its text
#     selected and copied), on refused.pcap and on a capture mixing a
#     refused stream with normal ones; again after a preference change
#     re-dissects every frame (the Lua script's Tools menu entry).
# With SHOTDIR, the main window of the mixed capture filtered at start-up is
# written there as gui-outcome-startup.png, and the lesson read with a read
# filter and re-dissected, its frame 3 selected, as
# gui-readfilter-redissected.png (look at them).
# Every check compares with a non-empty tshark answer, so a GUI that did not
# load the build (no tcpstate fields, nothing displayed) fails. Ends with
# "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/gui/lib.sh"
gui_args "$@"
. "$ROOT/tests/bench/lib.sh"
. "$ROOT/tests/plugin/checks.sh"

gui_setup "$so"
ts_setup "$GUI_WORK/ts" "$so"
W=$GUI_WORK/out
for c in lesson lost-final-ack refused crafted-port-reuse; do cp "$ROOT/sample-pcaps/$c.pcap" "$W/"; done
# One refused connection among normal ones (concatenated, so each keeps its stream).
mergecap -a -w "$W/mixed-refused.pcap" "$ROOT/sample-pcaps/lesson.pcap" \
  "$ROOT/sample-pcaps/refused.pcap" "$ROOT/sample-pcaps/syn-timeout.pcap"
cp "$ROOT/tests/gui/dump-fields.lua" "$GUI_HOME/"
chmod a+r "$W"/* "$GUI_HOME/dump-fields.lua"
OUT=$GUI_HOME/out.tsv
# The preference change below is saved in HOME: each run starts from these.
PREFS=$GUI_HOME/.config/wireshark/preferences
cp "$PREFS" "$GUI_WORK/preferences.orig"
: > "$OUT"
chmod a+rw "$OUT"

# dump_tshark PCAP ARGS...: the lines tests/gui/dump-fields.lua writes in
# tshark (every tcpstate field of every frame), one a frame, on stdout.
dump_tshark() {
  local pcap=$1
  shift
  : > "$W/ts-dump.tsv"
  chmod a+rw "$W/ts-dump.tsv"
  ts_tshark plugin env TCPSTATE_DUMP="$W/ts-dump.tsv" -- -r "$pcap" "$@" -q \
    -X lua_script:"$GUI_HOME/dump-fields.lua" > /dev/null 2>&1
  last_rows < "$W/ts-dump.tsv"
}
# last_rows: the last line written for each frame, in frame order (the GUI
# dissects a frame several times; its last dissection is what is shown).
last_rows() {
  awk -F'\t' '{ row[$1] = $0 } END { for (f in row) print row[f] }' | sort -n
}
# wait_rows N: until the Lua tap has written N rows (30 s at most), then quiet.
wait_rows() {
  for _ in $(seq 1 60); do
    [ "$(grep -c . "$OUT")" -ge "$1" ] && break
    sleep 0.5
  done
  sleep 2
}
# same_as_tshark WHAT: the GUI's last line for each frame ($OUT) is tshark's
# ($W/want), and tshark's holds the tcpstate fields of every frame.
same_as_tshark() {
  last_rows < "$OUT" > "$W/got"
  if [ -n "${2:-}" ]; then # leave out the fields named so (a documented limit)
    sed -E -i "s/\t$2=[^\t]*//g" "$W/want" "$W/got"
  fi
  if [ -s "$W/want" ] && ! grep -v -q 'tcpstate.role=' "$W/want" &&
     diff -u "$W/want" "$W/got" > "$W/diff"; then
    pass "$1 ($(grep -c . "$W/got") frames, every ${2:+other }tcpstate field)"
  else
    [ -s "$W/diff" ] || cat "$W/want" "$W/got" > "$W/diff"
    fail "$1 (diff: tshark -2 -R, the GUI)" "$W/diff"
  fi
}
# redissect: the Lua script's Tools menu entry (its last) changes a
# preference as the Preferences dialog does: every frame is dissected anew.
redissect() {
  xdotool windowactivate --sync "$1" 2> /dev/null || true
  xdotool key --clearmodifiers alt+t
  sleep 0.8
  xdotool key Up Return
}
# relist N CMD...: CMD makes the GUI dissect and list every frame again;
# until it has listed the N frames twice (the second time as a click shows
# them, see show_all below), and 3 s more for the last rows.
relist() {
  local n=$1
  shift
  : > "$OUT"
  "$@"
  wait_rows $((2 * n))
  sleep 3
}
# ctrl_r MAIN: View > Reload.
ctrl_r() {
  xdotool windowactivate --sync "$1" 2> /dev/null || true
  xdotool key --clearmodifiers ctrl+r
}

# ---- 1. read filters ----
# The display filter names an outcome field and shows every frame: the GUI
# then lists every frame again once the read (or the re-dissection) is over
# (plugin/gui_refilter.c), so the last line of each frame holds what a click
# on it shows, outcome included, as tshark's second pass does.
show_all='frame || tcpstate.outcome.closed'
# Each case: capture, then read filter. Without its SYNs, the re-dissection
# numbers TCP streams otherwise: the port-reuse capture's two connections
# become one tcp.stream, the mixed capture loses its unanswered SYN's stream.
cases=(
  "lesson|tcp.flags.fin == 1 || tcp.flags.syn == 1"
  'lesson|tcpstate.role == "fin"'
  "lost-final-ack|tcp.flags.fin == 1 || tcp.flags.syn == 1"
  'lost-final-ack|tcpstate.role == "fin"'
  "crafted-port-reuse|tcp.flags.syn == 0"
  "mixed-refused|tcp.flags.syn == 0"
  "lesson|frame.number <= 5"
)
for c in "${cases[@]}"; do
  name=${c%%|*}
  filter=${c#*|}
  dump_tshark "$W/$name.pcap" -2 -R "$filter" > "$W/want"
  n=$(grep -c . "$W/want")
  cp "$GUI_WORK/preferences.orig" "$PREFS"
  : > "$OUT"
  gui_wireshark -r "$W/$name.pcap" -R "$filter" -Y "$show_all" \
    -X lua_script:"$GUI_HOME/dump-fields.lua"
  if ! main=$(gui_wait_window "^$name" 60); then
    fail "$name: wireshark -R '$filter': no window" "$GUI_WORK/wireshark.log"
    continue
  fi
  wait_rows $((2 * n))
  same_as_tshark "$name: wireshark -R '$filter' shows the whole capture's states"
  # A preference change re-dissects the kept frames only: they must keep
  # the whole capture's states (docs/design.md, "Read filters").
  relist "$n" redissect "$main"
  if [ "$filter" = "frame.number <= 5" ]; then
    # Dropped only after the last kept frame: nothing is replayed, so the
    # outcome is that of the kept frames (docs/design.md, "Read filters").
    same_as_tshark "$name: -R '$filter', after a preference change re-dissects (but the outcome)" \
      'tcpstate\.outcome\.[a-z_.]+'
  else
    same_as_tshark "$name: -R '$filter', after a preference change re-dissects"
  fi
  if [ -n "$shots" ] && [ "$c" = "${cases[0]}" ]; then
    gui_place "$main" 0 0 1270 700
    gui_click "$main" 100 133 # frame 3, the client's FIN
    sleep 1
    gui_shot "$main" "$shots/gui-readfilter-redissected.png" &&
      echo "      wrote $shots/gui-readfilter-redissected.png"
  fi
  # View > Reload (Ctrl+R) reads the file again, without its read filter
  # (Wireshark forgets it when it closes the file): every frame with the
  # whole capture's states, as `tshark -2` gives them, also after a second
  # re-dissection (what was kept for the filtered read must not be used).
  if [ "$name" = lesson ] || [ "$name" = mixed-refused ]; then
    dump_tshark "$W/$name.pcap" -2 > "$W/want"
    n=$(grep -c . "$W/want")
    relist "$n" ctrl_r "$main"
    same_as_tshark "$name: read with -R '$filter', then reloaded (no read filter)"
    relist "$n" redissect "$main"
    same_as_tshark "$name: read with -R '$filter', reloaded, then re-dissected"
  fi
done

# Files opened one after the other in the same GUI (the Lua script's Tools
# menu entry, given a file to open): the lesson with a read filter
# and re-dissected, the same file opened again with the same read filter
# while the dropped records are kept (that read records them anew), then
# another file without a read filter (what was kept must not be used).
open_file() { # open_file MAIN PATH [READ FILTER]
  printf '%s\n%s\n' "$2" "${3:-}" > "$GUI_HOME/open.txt"
  chmod a+rw "$GUI_HOME/open.txt"
  redissect "$1" # the same entry: it opens the file instead
}
filter='tcp.flags.fin == 1 || tcp.flags.syn == 1'
dump_tshark "$W/lesson.pcap" -2 -R "$filter" > "$W/want"
n=$(grep -c . "$W/want")
cp "$GUI_WORK/preferences.orig" "$PREFS"
: > "$OUT"
gui_wireshark -r "$W/lesson.pcap" -R "$filter" -Y "$show_all" -X lua_script:"$GUI_HOME/dump-fields.lua"
if main=$(gui_wait_window "^lesson" 60); then
  wait_rows $((2 * n))
  relist "$n" redissect "$main"
  same_as_tshark "lesson: -R '$filter', re-dissected (before opening files)"
  relist "$n" open_file "$main" "$W/lesson.pcap" "$filter"
  same_as_tshark "lesson opened again with -R '$filter' (File > Open)"
  relist "$n" redissect "$main"
  same_as_tshark "lesson opened again with -R '$filter', re-dissected"
  dump_tshark "$W/mixed-refused.pcap" -2 > "$W/want"
  n=$(grep -c . "$W/want")
  : > "$OUT"
  open_file "$main" "$W/mixed-refused.pcap"
  if main=$(gui_wait_window "^mixed-refused" 60); then
    wait_rows $((2 * n))
    sleep 3
    same_as_tshark "then mixed-refused opened without a read filter"
    relist "$n" redissect "$main"
    same_as_tshark "then mixed-refused without a read filter, re-dissected"
  else
    fail "File > Open of mixed-refused: no window" "$GUI_WORK/wireshark.log"
  fi
else
  fail "lesson: wireshark -R '$filter': no window" "$GUI_WORK/wireshark.log"
fi

# ---- 2. outcome filters at start-up ----
# displayed MAIN: the Displayed packet count of Capture File Properties.
displayed() {
  local d
  xdotool windowactivate --sync "$1" 2> /dev/null || true
  xdotool key --clearmodifiers ctrl+alt+shift+c
  d=$(gui_wait_window 'Capture File Properties' 10) || return 1
  sleep 1
  gui_place "$d" 100 20 860 900
  gui_as_user xclip -i -selection clipboard < /dev/null > /dev/null 2>&1 # empty it first
  gui_click "$d" 400 300 # its text: select all, copy
  xdotool key --clearmodifiers ctrl+a ctrl+c
  sleep 0.7
  gui_as_user xclip -o -selection clipboard > "$W/props.txt" 2> /dev/null
  xdotool windowclose "$d" 2> /dev/null || true
  sleep 0.5
  # The statistics table's cells, one a line: "Packets", captured, displayed
  # as "N (P%)", marked.
  awk 'row == 2 { print $1; exit }
       row { row++ } $0 == "Packets" { row = 1 }' "$W/props.txt"
}
filter='tcpstate.outcome.closed == "refused"'
for name in refused mixed-refused; do
  want=$(ts_tshark plugin -- -r "$W/$name.pcap" -2 -Y "$filter" -T fields -e frame.number 2> /dev/null | grep -c .)
  total=$(ts_tshark plugin -- -r "$W/$name.pcap" -T fields -e frame.number 2> /dev/null | grep -c .)
  cp "$GUI_WORK/preferences.orig" "$PREFS"
  gui_wireshark -r "$W/$name.pcap" -Y "$filter" -X lua_script:"$GUI_HOME/dump-fields.lua"
  if main=$(gui_wait_window "^$name" 60); then
    sleep 5 # the GUI draws its taps (and so applies the filter again) every 3 s
    if [ -n "$shots" ] && [ "$name" = mixed-refused ]; then
      gui_place "$main" 0 0 1270 700
      gui_shot "$main" "$shots/gui-outcome-startup.png" && echo "      wrote $shots/gui-outcome-startup.png"
    fi
    got=$(displayed "$main")
    if [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
      pass "$name: wireshark -Y '$filter' displays $got of $total frames, as tshark -2 -Y"
    else
      fail "$name: wireshark -Y '$filter' displays '${got:-?}' frames, tshark -2 -Y $want" "$W/props.txt"
    fi
    # A preference change re-dissects every frame: the filter still selects them.
    # The Lua tap writes every frame again when they are re-dissected.
    : > "$OUT"
    redissect "$main"
    wait_rows "$total"
    sleep 4
    redissected=$(sort -n -u "$OUT" | grep -c .)
    got=$(displayed "$main")
    if [ "$redissected" -lt "$total" ]; then
      fail "$name: the preference change re-dissected $redissected of $total frames"
    elif [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
      pass "$name: after a preference change (re-dissection) it still displays $got frames"
    else
      fail "$name: after a preference change it displays '${got:-?}' frames, want $want" "$W/props.txt"
    fi
  else
    fail "$name: wireshark -Y '$filter': no window" "$GUI_WORK/wireshark.log"
  fi
done

gui_stop_wireshark
checks_end
