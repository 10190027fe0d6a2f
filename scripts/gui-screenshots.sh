#!/usr/bin/env bash
# Screenshots of the plugin in the Wireshark GUI, taken under a virtual X
# server, for docs/reports.md (and a check that the GUI side works):
#
#   docs/gui-packet-details.png   lesson.pcap, frame 11 selected, the "TCP
#                                 Connection State" tree expanded
#   docs/gui-statistics-menu.png  the Statistics menu with its "TCP Connection
#                                 State" entry
#   docs/gui-statistics.png       the window that entry opens (the stats tree)
#
#   scripts/gui-screenshots.sh [PATH/TO/tcpstate.so] [OUTDIR]     (defaults:
#                                 build/plugin/tcpstate.so, docs)
#
# Installs what it needs when it is missing (as root, with apt-get:
# wireshark-qt, xvfb, xdotool, imagemagick). Wireshark runs as an unprivileged
# user (`nobody` when run as root: root's Wireshark ignores personal plugins)
# with a throw-away HOME that holds the plugin in its personal plugin dir and
# fixed preferences (window size, columns), so the pictures come out the same
# each time. Every wait is bounded; everything started here (Xvfb, Wireshark
# and its children) is stopped at the end, on failure and Ctrl-C too.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
so=$(readlink -f "${1:-$ROOT/build/plugin/tcpstate.so}")
outdir=$(readlink -f "${2:-$ROOT/docs}")
capture=$ROOT/sample-pcaps/lesson.pcap
WIDTH=1280
HEIGHT=1000

die() { echo "gui-screenshots: $*" >&2; exit 1; }
[ -f "$so" ] || die "no plugin at $so (build it first: cmake --build build)"
[ -f "$capture" ] || die "no capture at $capture"
mkdir -p "$outdir"

# ---- packages ----
need=()
command -v wireshark > /dev/null || need+=(wireshark-qt)
command -v Xvfb > /dev/null || need+=(xvfb)
command -v xdotool > /dev/null || need+=(xdotool)
[ -x /usr/bin/import ] || need+=(imagemagick)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing packages ${need[*]}; install them or run as root"
  echo "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" \
    > /tmp/gui-screenshots-apt.log 2>&1 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update > /dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" \
        > /tmp/gui-screenshots-apt.log 2>&1; } ||
    die "apt-get install ${need[*]} failed; see /tmp/gui-screenshots-apt.log"
fi

# ---- the throw-away home ----
work=$(mktemp -d /tmp/tcpstate-gui.XXXXXX)
xvfb_pid=
ws_pid=
cleanup() {
  # Stop only what this script started: Wireshark's process group (it was
  # started with setsid, so its pid is the group id), then Xvfb.
  if [ -n "$ws_pid" ] && kill -0 "$ws_pid" 2> /dev/null; then
    kill -TERM -- "-$ws_pid" 2> /dev/null || true
    for _ in $(seq 1 50); do kill -0 "$ws_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL -- "-$ws_pid" 2> /dev/null || true
  fi
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2> /dev/null; then
    kill -TERM "$xvfb_pid" 2> /dev/null || true
    for _ in $(seq 1 50); do kill -0 "$xvfb_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$xvfb_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ver=$(tshark --version 2> /dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
[ -n "$ver" ] || ver=$(wireshark --version 2> /dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
home=$work/home
mkdir -p "$home/.local/lib/wireshark/plugins/$ver/epan" "$home/.config/wireshark" "$home/run"
global=/usr/lib/x86_64-linux-gnu/wireshark/plugins/$ver/epan/tcpstate.so
if [ -f "$global" ] && ! cmp -s "$global" "$so"; then
  die "$global is installed and differs from $so; Wireshark would load it instead"
fi
cp "$so" "$home/.local/lib/wireshark/plugins/$ver/epan/tcpstate.so"
cp "$capture" "$work/lesson.pcap"

# Fixed preferences: columns that show the plugin's fields, no interface
# scan at start-up (nothing is captured here), no byte pane.
cat > "$home/.config/wireshark/preferences" << 'EOF'
gui.column.format:
	"No.", "%m",
	"Time", "%t",
	"Source", "%s",
	"Destination", "%d",
	"Protocol", "%p",
	"Length", "%L",
	"Role", "%Cus:tcpstate.role:0:R",
	"Client state", "%Cus:tcpstate.client.state:0:R",
	"Server state", "%Cus:tcpstate.server.state:0:R",
	"Info", "%i"
capture.no_interface_load: TRUE
capture.no_extcap: TRUE
gui.update.enabled: FALSE
EOF
cat > "$home/.config/wireshark/recent_common" << EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $WIDTH
gui.geometry_main_height: $HEIGHT
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
EOF
cat > "$home/.config/wireshark/recent" << 'EOF'
gui.toolbar_main_show: TRUE
gui.filter_toolbar_show: TRUE
gui.packet_list_show: TRUE
gui.tree_view_show: TRUE
gui.byte_view_show: FALSE
gui.statusbar_show: TRUE
gui.geometry_main_upper_pane: 230
column.width:
	%m, 60,
	%t, 80,
	%s, 90,
	%d, 90,
	%p, 70,
	%L, 60,
	"%Cus:tcpstate.role", 140,
	"%Cus:tcpstate.client.state", 100,
	"%Cus:tcpstate.server.state", 100,
	%i, 400
EOF
chmod -R a+rwX "$work"
as_user=()
if [ "$(id -u)" = 0 ]; then
  chown -R nobody:nogroup "$home"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod 700 "$home/run"

# ---- the X server ----
display=
for n in $(seq 90 119); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
    display=:$n
    break
  fi
done
[ -n "$display" ] || die "no free X display number in :90-:119"
# -ac: any local client may connect (Wireshark runs as another user); the
# server listens on its Unix socket only.
Xvfb "$display" -screen 0 "${WIDTH}x${HEIGHT}x24" -nolisten tcp -ac > "$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do
  DISPLAY=$display xdotool getdisplaygeometry > /dev/null 2>&1 && break
  kill -0 "$xvfb_pid" 2> /dev/null || die "Xvfb did not start: $(cat "$work/xvfb.log")"
  sleep 0.1
done
DISPLAY=$display xdotool getdisplaygeometry > /dev/null 2>&1 || die "Xvfb did not answer in 10 s"
export DISPLAY=$display

# wait_for_window NAME-REGEX SECONDS: print the id of a visible window whose
# name matches, waiting at most SECONDS.
wait_for_window() {
  local id
  for _ in $(seq 1 $(($2 * 4))); do
    id=$(xdotool search --onlyvisible --name "$1" 2> /dev/null | tail -1 || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    kill -0 "$ws_pid" 2> /dev/null || return 1
    sleep 0.25
  done
  return 1
}

shot() { # shot WINDOW FILE: one window, or "root" for the whole screen
  import -display "$display" -window "$1" "$2"
  echo "wrote $2"
}

# ---- Wireshark ----
# Frame 11 of the lesson is the server's FIN+ACK (the three-way close); the
# filter keeps the teardown, and -g selects frame 11.
# setsid: its own process group (the background job is no group leader, so
# setsid does not fork and $! is that group's id), to stop it and its
# children together at the end.
setsid "${as_user[@]}" env -i PATH="$PATH" HOME="$home" DISPLAY="$display" \
  XDG_RUNTIME_DIR="$home/run" LC_ALL=C.UTF-8 QT_QPA_PLATFORM=xcb QT_ACCESSIBILITY=0 \
  NO_AT_BRIDGE=1 wireshark -r "$work/lesson.pcap" -Y 'tcpstate.phase == "teardown"' -g 11 \
  > "$work/wireshark.log" 2>&1 &
ws_pid=$!

main=$(wait_for_window 'lesson' 60) ||
  die "no Wireshark window within 60 s; its log: $(tail -20 "$work/wireshark.log")"
sleep 3 # let it finish reading, filtering and selecting
xdotool windowmove "$main" 0 0 windowsize "$main" "$WIDTH" "$HEIGHT" 2> /dev/null || true
sleep 1

# The packet details pane is below the packet list (upper pane 230 px high,
# under the menu bar, the tool bar and the filter bar). Click into it, go to
# its last item, the TCP Connection State tree (a FIN+ACK carries no
# application protocol after it), and expand that item and its subtrees.
xdotool mousemove --window "$main" 300 $((HEIGHT - 120)) click 1
sleep 0.5
xdotool key --clearmodifiers End
sleep 0.3
xdotool key --clearmodifiers shift+Right
sleep 1
shot "$main" "$outdir/gui-packet-details.png"

# Statistics menu: its plugin entries come last, after a separator, so Up
# from the top wraps round to ours.
xdotool windowfocus --sync "$main" 2> /dev/null || true
xdotool key --clearmodifiers alt+s
sleep 1
xdotool key --clearmodifiers Up
sleep 0.5
shot root "$outdir/gui-statistics-menu.png"
xdotool key --clearmodifiers Return
stats=$(wait_for_window 'TCP Connection State' 30) || die "the statistics window did not open"
sleep 3 # it taps every packet, then draws
xdotool windowmove "$stats" 100 20 windowsize "$stats" 1000 760 2> /dev/null || true
sleep 1.5
shot "$stats" "$outdir/gui-statistics.png"

grep -i "tcpstate" "$work/wireshark.log" | grep -iv "debug" > "$work/plugin-msgs" || true
if [ -s "$work/plugin-msgs" ]; then
  echo "gui-screenshots: Wireshark said about the plugin:" >&2
  cat "$work/plugin-msgs" >&2
fi
echo "done; everything started here is being stopped"
