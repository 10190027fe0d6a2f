#!/usr/bin/env bash
# Filters in the real Wireshark GUI (under Xvfb, tests/gui/lib.sh), on the
# Wireshark the machine has (4.0 on Debian 12, 4.4 in the Debian 13 root):
#
#   tests/gui/run-filter-tests.sh PATH/TO/tcpstate.so [SHOTDIR]
#
#  1. Read filters: `wireshark -r F -R FILTER` shows each kept frame with the
#     states the whole capture gives it, as `tshark -2 -R FILTER` does
#     (tests/plugin/run-read-filter-tests.sh checks those against the
#     unfiltered capture); a filter on a plain TCP field and one on a tcpstate
#     field. A Lua tap (tests/gui/dump-fields.lua) writes the fields of every
#     frame the GUI dissects.
#  2. Outcome filters at start-up: `wireshark -r F -Y 'tcpstate.outcome.closed
#     == "refused"'` displays as many frames as `tshark -2 -Y` selects (the
#     Displayed count of Statistics > Capture File Properties, its text
#     selected and copied), on refused.pcap and on a capture mixing a
#     refused stream with normal ones; again after a preference change
#     re-dissects every frame (the Lua script's Tools menu entry).
# With SHOTDIR, the main window of the mixed capture filtered at start-up is
# written there as gui-outcome-startup.png (look at it).
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
for c in lesson lost-final-ack refused; do cp "$ROOT/sample-pcaps/$c.pcap" "$W/"; done
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

tshark_fields() { # tshark_fields PCAP ARGS...: frame, role, client, server state
  local pcap=$1
  shift
  ts_tshark plugin -- -r "$pcap" "$@" -T fields -e frame.number -e tcpstate.role \
    -e tcpstate.client.state -e tcpstate.server.state 2> /dev/null
}
# wait_rows N: until the Lua tap has written N rows (30 s at most), then quiet.
wait_rows() {
  for _ in $(seq 1 60); do
    [ "$(grep -c . "$OUT")" -ge "$1" ] && break
    sleep 0.5
  done
  sleep 2
}

# ---- 1. read filters ----
for name in lesson lost-final-ack; do
  for filter in 'tcp.flags.fin == 1 || tcp.flags.syn == 1' 'tcpstate.role == "fin"'; do
    tshark_fields "$W/$name.pcap" -2 -R "$filter" > "$W/want"
    : > "$OUT"
    gui_wireshark -r "$W/$name.pcap" -R "$filter" -X lua_script:"$GUI_HOME/dump-fields.lua"
    if gui_wait_window "^$name" 60 > /dev/null; then
      wait_rows "$(grep -c . "$W/want")"
      sort -n -u "$OUT" > "$W/got"
      if [ -s "$W/want" ] && ! awk -F'\t' '$2 == ""' "$W/want" | grep -q . &&
         diff -u "$W/want" "$W/got" > "$W/diff"; then
        pass "$name: wireshark -R '$filter' shows the whole capture's states ($(grep -c . "$W/got") frames)"
      else
        cat "$W/want" "$W/got" > "$W/diff"
        fail "$name: wireshark -R '$filter' (tshark -2 -R, then the GUI)" "$W/diff"
      fi
    else
      fail "$name: wireshark -R '$filter': no window" "$GUI_WORK/wireshark.log"
    fi
  done
done

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
    xdotool windowactivate --sync "$main" 2> /dev/null || true
    xdotool key --clearmodifiers alt+t
    sleep 0.8
    xdotool key Up Return # the Tools menu's last entry: the Lua script's
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
