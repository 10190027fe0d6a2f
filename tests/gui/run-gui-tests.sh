#!/usr/bin/env bash
# GUI tests: the real Wireshark (wireshark-qt) with the built plugin, under
# Xvfb and openbox, driven with xdotool (tests/gui/lib.sh), compared with
# the real tshark's reports (docs/reports.md):
#
#   tests/gui/run-gui-tests.sh PATH/TO/tcpstate.so [SHOTDIR]
#
#  1. `wireshark -z tcpstate,conv` opens the stream table (which proves the
#     plugin loaded); its rows, copied with its Copy button, equal
#     `tshark -z tcpstate,conv,tsv` cell for cell (tests/plugin/captures/
#     reports-mix.pcap: four streams, four ways to end).
#  2. Statistics > TCP Connection State Streams opens the same table.
#  3. Statistics > Flow Graph, flow type "TCP Connection State", on the
#     lesson: exported as text, one item per segment whose role, relative
#     seq/ack/len and state changes equal `tshark -z tcpstate,ladder`'s rows;
#     exported as PNG.
#  4. `wireshark -z tcpstate,ladder` shows a message saying where the
#     ladder is, instead of printing nothing at quit.
#  5. The display filter tcpstate.outcome.closed == "reset by client",
#     typed after the file is read, on rst-abort.pcap, shows rows and
#     "reset by server" none (the exact frames are checked in tshark by
#     tests/plugin/run-outcome-tests.sh).
#  6. language:zh_CN: the tree and the stream table in Chinese, with a CJK
#     font installed (screenshot).
#  7. `wireshark -z tcpstate,tree` is refused by Wireshark ("Invalid -z
#     argument": its GUI takes no stats tree with -z).
# With SHOTDIR, the screenshots and the lesson's Flow Graph PNG are written
# there (scripts/gui-screenshots.sh passes docs/); look at them.
#
# The window positions used for clicks come from a fixed screen and window
# geometry (1280x1000, windows moved and sized first); the dialogs' titles are
# checked at every step, so a layout that differs fails instead of passing.
# Ends with "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/gui/lib.sh"
gui_args "$@"
. "$ROOT/tests/bench/lib.sh"
. "$ROOT/tests/plugin/checks.sh"

gui_setup "$so"
W=$GUI_WORK/out
for c in sample-pcaps/lesson.pcap sample-pcaps/rst-abort.pcap \
         tests/plugin/captures/reports-mix.pcap; do
  cp "$ROOT/$c" "$W/" && chmod a+r "$W/$(basename "$c")"
done
chmod 777 "$W"
ts_setup "$GUI_WORK/ts" "$so"

keep_shot() { # keep_shot FILE NAME: copy a screenshot to SHOTDIR
  [ -n "$shots" ] && [ -s "$1" ] && cp "$1" "$shots/$2" && echo "      wrote $shots/$2"
  return 0
}
menu_statistics() { # menu_statistics N: the Nth entry of the Statistics menu
  local main=$1 n=$2
  xdotool windowactivate --sync "$main" 2> /dev/null || true
  xdotool key --clearmodifiers alt+s
  sleep 0.8
  for _ in $(seq 2 "$n"); do xdotool key Down; sleep 0.05; done
  xdotool key Return
}

# ---- 1. -z tcpstate,conv opens the stream table ----
gui_wireshark -r "$W/reports-mix.pcap" -z tcpstate,conv
if table=$(gui_wait_window 'TCP Connection State Streams' 60); then
  pass "wireshark -z tcpstate,conv opens the stream table (the plugin is loaded)"
  sleep 2
  gui_place "$table" 20 40 1240 420
  gui_shot "$table" "$W/table.png"
  keep_shot "$W/table.png" gui-stream-table.png
  gui_click "$table" 1002 375 # its Copy button
  sleep 0.7
  gui_as_user xclip -o -selection clipboard > "$W/table.txt" 2> /dev/null
  ts_tshark plugin -- -r "$W/reports-mix.pcap" -q -z tcpstate,conv,tsv > "$W/conv.tsv" 2> /dev/null
  # The table's rows, in its columns' order, blank-separated, as the tsv says.
  awk -F'\t' -f "$ROOT/tests/plugin/conv-table-rows.awk" "$W/conv.tsv" | sort > "$W/want"
  awk '/^ *[0-9]+  / { $1 = $1; print }' "$W/table.txt" | sort > "$W/got"
  if [ -s "$W/want" ] && cmp -s "$W/want" "$W/got"; then
    pass "the stream table equals -z tcpstate,conv,tsv ($(wc -l < "$W/got") rows)"
  else
    diff "$W/want" "$W/got" > "$W/diff" 2>&1
    fail "the stream table differs from -z tcpstate,conv,tsv (want vs got)" "$W/diff"
  fi
else
  fail "wireshark -z tcpstate,conv opened no stream table" "$GUI_WORK/wireshark.log"
fi

# ---- 2. the same table from the Statistics menu ----
if main=$(gui_wait_window '^reports-mix' 10); then
  xdotool windowclose "${table:-0}" 2> /dev/null || true
  sleep 1
  menu_statistics "$main" 12 # TCP Connection State Streams
  if t2=$(gui_wait_window 'TCP Connection State Streams' 20); then
    pass "Statistics > TCP Connection State Streams opens the table"
    xdotool windowclose "$t2" 2> /dev/null || true
  else
    gui_shot root "$W/menu.png"
    fail "Statistics > TCP Connection State Streams: no table"
  fi
fi

# ---- 3. the Flow Graph of the lesson ----
gui_wireshark -r "$W/lesson.pcap"
ts_tshark plugin -- -r "$W/lesson.pcap" -q -z tcpstate,ladder > "$W/ladder.txt" 2> /dev/null
if main=$(gui_wait_window '^lesson' 60); then
  sleep 2
  menu_statistics "$main" 18 # Flow Graph
  if flow=$(gui_wait_window ' Flow ' 20); then
    sleep 2
    gui_place "$flow" 0 0 1270 960
    gui_click "$flow" 669 884 # Flow type
    sleep 0.8
    for _ in 1 2 3 4 5; do xdotool key Down; sleep 0.05; done # "TCP Connection State"
    xdotool key Return
    sleep 3
    gui_shot "$flow" "$W/flow.png"
    keep_shot "$W/flow.png" gui-flow-graph.png
    # export_as FILTER-INDEX FILE: Export, the file type, the name, Save.
    export_as() {
      local dlg
      gui_click "$flow" 1045 915 # Export
      dlg=$(gui_wait_window 'Save Graph As' 10) || return 1
      gui_place "$dlg" 100 100 640 440
      gui_click "$dlg" 319 396 # Files of type
      sleep 0.7
      xdotool key Home
      for _ in $(seq 1 "$1"); do xdotool key Down; sleep 0.05; done
      xdotool key Return
      sleep 0.4
      gui_click "$dlg" 319 365 # File name
      xdotool type --delay 10 "$2"
      xdotool key Return
      for _ in $(seq 1 20); do [ -s "$2" ] && break; sleep 0.25; done
    }
    export_as 4 "$W/flow.txt" # ASCII
    export_as 1 "$W/flow-export.png" # PNG
    if python3 "$ROOT/tests/gui/compare-flow-ladder.py" "$W/flow.txt" "$W/ladder.txt" \
         > "$W/cmp" 2>&1; then
      pass "Flow Graph (TCP Connection State) = -z tcpstate,ladder: $(tail -1 "$W/cmp")"
    else
      fail "the Flow Graph's text export differs from -z tcpstate,ladder" "$W/cmp"
    fi
    if [ -s "$W/flow-export.png" ]; then
      pass "the Flow Graph exports a PNG"
      keep_shot "$W/flow-export.png" flow-graph-lesson.png
    else
      fail "the Flow Graph exported no PNG"
    fi
  else
    gui_shot root "$W/menu.png"
    fail "Statistics > Flow Graph opened nothing"
  fi
else
  fail "wireshark -r lesson.pcap: no window" "$GUI_WORK/wireshark.log"
fi

# ---- 4. -z tcpstate,ladder in the GUI says where the ladder is ----
gui_wireshark -r "$W/lesson.pcap" -z tcpstate,ladder
if gui_wait_window '^lesson' 60 > /dev/null; then
  sleep 3
  # The message is a dialog of its own, beside the main window.
  xdotool search --onlyvisible --class . getwindowname %@ 2> /dev/null > "$W/windows" || true
  gui_shot root "$W/ladder-msg.png"
  # The message box is named "Wireshark" (a main window is named after its file).
  msg=$(xdotool search --onlyvisible --class . getwindowname %@ 2> /dev/null | grep -x Wireshark)
  if [ -n "$msg" ]; then
    pass "wireshark -z tcpstate,ladder shows a message (window: $(echo "$msg" | head -1))"
    keep_shot "$W/ladder-msg.png" gui-ladder-message.png
  else
    fail "wireshark -z tcpstate,ladder showed no message" "$W/windows"
  fi
else
  fail "wireshark -z tcpstate,ladder: no window" "$GUI_WORK/wireshark.log"
fi

# ---- 5. the outcome filter, typed after the file is read ----
# The packet list is read from the screen: with a filter that selects the
# stream's frames it has rows (not all white), with one that selects none it
# is empty (white). The exact count is checked in tshark
# (tests/plugin/run-outcome-tests.sh); the screenshot shows it here.
gui_wireshark -r "$W/rst-abort.pcap"
apply_filter() { # apply_filter MAIN FILTER SHOT: the packet list's mean brightness
  xdotool windowactivate --sync "$1" 2> /dev/null || true
  xdotool key --clearmodifiers ctrl+slash # the display filter bar
  sleep 0.3
  xdotool key --clearmodifiers ctrl+a BackSpace
  xdotool type --delay 10 "$2"
  xdotool key Return
  sleep 2
  gui_shot "$1" "$3"
  # The rows of the packet list, under its header, left of any scroll bar.
  convert "$3" -crop 1000x120+10+140 +repage -colorspace Gray -format '%[fx:mean]' info:
}
if main=$(gui_wait_window '^rst-abort' 60); then
  sleep 2
  gui_place "$main" 0 0 1270 960
  some=$(apply_filter "$main" 'tcpstate.outcome.closed == "reset by client"' "$W/outcome.png")
  none=$(apply_filter "$main" 'tcpstate.outcome.closed == "reset by server"' "$W/outcome-none.png")
  if awk -v s="$some" -v n="$none" 'BEGIN { exit !(s != "" && n != "" && s < 0.97 && n > 0.995) }'; then
    pass "GUI filter tcpstate.outcome.closed: rows for \"reset by client\" (brightness $some), none for \"reset by server\" ($none)"
  else
    fail "GUI filter tcpstate.outcome.closed: brightness $some (want rows) / $none (want none)"
  fi
  apply_filter "$main" 'tcpstate.outcome.closed == "reset by client"' "$W/outcome.png" > /dev/null
  gui_click "$main" 300 204 # the last packet (the RST), to show its tree
  sleep 1
  gui_click "$main" 300 500 # the details pane; its last line is the tcpstate tree
  sleep 0.5
  xdotool key --clearmodifiers End shift+Right # expand it and its subtrees
  sleep 1
  gui_shot "$main" "$W/outcome.png"
  keep_shot "$W/outcome.png" gui-outcome-filter.png
else
  fail "wireshark -r rst-abort.pcap: no window" "$GUI_WORK/wireshark.log"
fi

# ---- 6. Chinese: the tree and the stream table under language:zh_CN ----
# Wireshark itself stays English; the plugin's texts follow the preference.
# The screenshot shows whether a CJK font is installed (boxes without one).
gui_wireshark -o tcpstate.language:zh_CN -r "$W/lesson.pcap" -z tcpstate,conv
if zt=$(gui_wait_window 'TCP Connection State Streams' 60); then
  sleep 2
  gui_place "$zt" 20 60 1240 300 # over the packet list, the details pane below stays visible
  main=$(gui_wait_window '^lesson' 5) && {
    gui_click "$main" 300 540 # the details pane: the last item is the tcpstate tree
    sleep 0.5
    xdotool key --clearmodifiers End shift+Right
    sleep 1
    xdotool windowactivate --sync "$zt" 2> /dev/null || true
    sleep 1
  }
  gui_shot root "$W/zh.png"
  keep_shot "$W/zh.png" gui-zh-CN.png
  if fc-list :lang=zh family 2> /dev/null | grep -q .; then
    pass "language:zh_CN: the stream table opens; a CJK font is installed ($(fc-list :lang=zh family | head -1))"
  else
    fail "language:zh_CN: no CJK font is installed (Chinese shows as boxes; scripts/setup.sh installs fonts-wqy-microhei)"
  fi
else
  fail "language:zh_CN: no stream table" "$GUI_WORK/wireshark.log"
fi

# ---- 7. -z tcpstate,tree: the GUI takes no stats tree with -z ----
# Wireshark's GUI (4.0 and 4.4) lists no stats tree among its -z arguments
# (none of its own either): it refuses the argument, lists those it takes
# and exits. The tree is Statistics > TCP Connection State.
gui_wireshark -r "$W/lesson.pcap" -z tcpstate,tree
for _ in $(seq 1 120); do kill -0 "$GUI_WS_PID" 2> /dev/null || break; sleep 0.25; done
if ! kill -0 "$GUI_WS_PID" 2> /dev/null && grep -q 'Invalid -z argument' "$GUI_WORK/wireshark.log" &&
   grep -q 'tcpstate,conv' "$GUI_WORK/wireshark.log"; then
  pass "wireshark -z tcpstate,tree is refused (\"Invalid -z argument\", the list names tcpstate,conv)"
else
  fail "wireshark -z tcpstate,tree: not refused as expected" "$GUI_WORK/wireshark.log"
fi

gui_stop_wireshark
checks_end
