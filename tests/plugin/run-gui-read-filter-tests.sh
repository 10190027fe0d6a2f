#!/usr/bin/env bash
# Read filters in the real Wireshark GUI (under Xvfb): `wireshark -r F -R
# FILTER` must show each kept frame with the states the whole capture gives
# it, as `tshark -2 -R FILTER` does (tests/plugin/run-read-filter-tests.sh
# checks those against the unfiltered capture).
#
#   tests/plugin/run-gui-read-filter-tests.sh PATH/TO/tcpstate.so
#
# Needs wireshark (Debian's wireshark-qt) and xvfb-run (xvfb, xauth). The GUI
# runs as `nobody` (root's Wireshark loads no personal plugin) with a
# throw-away HOME holding the plugin, and a Lua tap (tests/plugin/gui-dump.lua)
# writes the tcpstate fields of every frame the GUI dissects while it reads
# the file; the GUI is stopped once the file is read. Ends with the line
# "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
so=$(readlink -f "${1:?usage: run-gui-read-filter-tests.sh PATH/TO/tcpstate.so}")
abi=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')

passed=0
failed=0
work=$(mktemp -d /tmp/tcpstate-gui.XXXXXX)
trap 'rm -rf "$work"' EXIT
for tool in wireshark xvfb-run; do
  command -v "$tool" > /dev/null || { echo "FAIL  $tool is not installed"; echo "0 passed, 1 failed"; exit 1; }
done
mkdir -p "$work/home/.config/wireshark"
cp "$TCPSTATE_ROOT/tests/plugin/gui-dump.lua" "$work/home/"
chmod -R a+rwX "$work"
# The plugin dir of tests/lib/tshark.sh's harness: this build and every other
# global plugin, never a globally installed tcpstate.so (WIRESHARK_PLUGIN_DIR
# replaces the global dir for a user that is not root).
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
ts_setup "$work/ts" "$so"

as_user() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
      env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$TS_WORK/pd-plugin" "$@"
  else
    env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$TS_WORK/pd-plugin" "$@"
  fi
}

# gui_fields CAPTURE FILTER FRAMES OUT: frame, role, client state, server
# state of every frame the GUI shows (it is stopped once FRAMES are written,
# or after 60 s).
gui_fields() {
  local pcap=$1 filter=$2 n=$3 out=$4 pid
  cp "$pcap" "$work/home/capture"
  : > "$work/home/out.tsv"
  chmod a+rw "$work/home/capture" "$work/home/out.tsv"
  as_user env TCPSTATE_GUI_OUT="$work/home/out.tsv" timeout 60 xvfb-run -a \
    wireshark -r "$work/home/capture" -R "$filter" -X lua_script:"$work/home/gui-dump.lua" \
    > "$work/gui.log" 2>&1 &
  pid=$!
  for _ in $(seq 60); do
    [ "$(grep -c . "$work/home/out.tsv")" -ge "$n" ] && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 1
  done
  sleep 2 # the packet list is complete; nothing more is written
  kill "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  sort -n -u "$work/home/out.tsv" > "$out"
}

filters=('tcp.flags.fin == 1 || tcp.flags.syn == 1' 'tcpstate.role == "fin"')
for pcap in "$TCPSTATE_ROOT"/sample-pcaps/lesson.pcap "$TCPSTATE_ROOT"/sample-pcaps/lost-final-ack.pcap; do
  name=$(basename "$pcap" .pcap)
  for filter in "${filters[@]}"; do
    "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" -2 -R "$filter" -T fields \
      -e frame.number -e tcpstate.role -e tcpstate.client.state -e tcpstate.server.state \
      > "$work/want" 2> /dev/null
    gui_fields "$pcap" "$filter" "$(grep -c . "$work/want")" "$work/got"
    if [ -s "$work/want" ] && ! awk -F'\t' '$2 == ""' "$work/want" | grep -q . &&
       diff -u "$work/want" "$work/got" > "$work/diff"; then
      passed=$((passed + 1))
      echo "ok    $name: GUI -R '$filter' shows the whole capture's states ($(grep -c . "$work/got") frames)"
    else
      failed=$((failed + 1))
      echo "FAIL  $name: GUI -R '$filter' (tshark -2 -R, then the GUI):"
      cat "$work/want" "$work/got" | sed 's/^/      /' | head -20
    fi
  done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
