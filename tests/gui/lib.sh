# Running the Wireshark GUI with a given tcpstate.so under a virtual X server
# (source it). Used by tests/gui/run-gui-tests.sh.
#
#   gui_setup PLUGIN.so          a throw-away HOME with fixed preferences, the
#                                plugin dir of tests/lib/tshark.sh (this build,
#                                never a global tcpstate.so), Xvfb, openbox
#   gui_wireshark ARGS...        start Wireshark (as `nobody` when root: root's
#                                Wireshark ignores personal plugins)
#   gui_stop_wireshark           stop it and its children
#   gui_wait_window REGEX SECS   print the id of a visible window named so
#   gui_shot WINDOW FILE         a screenshot of a window ("root": the screen)
#   gui_place WINDOW X Y W H     move and size a window
#   gui_click WINDOW X Y         click at X,Y inside a window
#   gui_as_user CMD...           run CMD as Wireshark's user, on its display
#
# Nothing is installed into Wireshark's global plugin dir, and everything
# started here (Xvfb, openbox, Wireshark and its children) is stopped on
# exit, on failure and on Ctrl-C. Every wait is bounded.

GUI_WIDTH=1280
GUI_HEIGHT=1000

gui_die() { echo "gui: $*" >&2; exit 1; }

# gui_args "$@": the arguments every GUI test script takes, PATH/TO/tcpstate.so
# [SHOTDIR]; sets so (the build under test) and shots (where screenshots go,
# empty for none).
gui_args() {
  so=$(readlink -f "${1:?usage: $(basename "$0") PATH/TO/tcpstate.so [SHOTDIR]}")
  [ -f "$so" ] || { echo "no such plugin: $so"; exit 2; }
  shots=${2:-}
  [ -z "$shots" ] || { mkdir -p "$shots" && shots=$(readlink -f "$shots"); }
}

gui_cleanup() {
  gui_stop_wireshark
  local p
  for p in "${GUI_WM_PID:-}" "${GUI_XVFB_PID:-}"; do
    [ -n "$p" ] && kill -0 "$p" 2> /dev/null || continue
    kill -TERM "$p" 2> /dev/null || true
    for _ in $(seq 1 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2> /dev/null || true
  done
  [ -n "${GUI_WORK:-}" ] && rm -rf "$GUI_WORK"
}

gui_setup() {
  local so=$1 need=() ver global n
  command -v wireshark > /dev/null || need+=(wireshark-qt)
  command -v Xvfb > /dev/null || need+=(xvfb)
  command -v xdotool > /dev/null || need+=(xdotool)
  command -v openbox > /dev/null || need+=(openbox)
  command -v xclip > /dev/null || need+=(xclip)
  [ -x /usr/bin/import ] || need+=(imagemagick)
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || gui_die "missing packages ${need[*]}; install them or run as root"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" \
      > /tmp/tcpstate-gui-apt.log 2>&1 || gui_die "apt-get install ${need[*]} failed"
  fi
  GUI_WORK=$(mktemp -d /tmp/tcpstate-gui.XXXXXX)
  chmod 755 "$GUI_WORK" # Wireshark's user reads its HOME and plugin dir here
  trap gui_cleanup EXIT
  trap 'exit 130' INT TERM
  ver=$(tshark --version 2> /dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
  GUI_HOME=$GUI_WORK/home
  mkdir -p "$GUI_HOME/.local/lib/wireshark/plugins/$ver/epan" "$GUI_HOME/.config/wireshark" \
    "$GUI_HOME/run" "$GUI_WORK/out"
  # The plugins are those of tests/lib/tshark.sh's harness: a plugin dir of
  # links to every global plugin but tcpstate.so, plus this build, given as
  # WIRESHARK_PLUGIN_DIR (which replaces the global dir for a user that is not
  # root): a tcpstate.so installed globally (scripts/setup.sh as root) is
  # never loaded beside it. ts_setup also checks that tshark loads this build.
  # Without a global tcpstate.so (the Debian 13 root, whose Qt GUI did not
  # take WIRESHARK_PLUGIN_DIR so in a test here), the personal plugin dir is
  # enough and is used.
  global=$(tshark -G folders 2> /dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')/epan/tcpstate.so
  GUI_PLUGIN_DIR=
  if [ -e "$global" ]; then
    . "$(dirname "${BASH_SOURCE[0]}")/../lib/tshark.sh"
    ts_setup "$GUI_WORK/ts" "$so" > "$GUI_WORK/preflight.log" 2>&1 ||
      { cat "$GUI_WORK/preflight.log" >&2; gui_die "the build under test does not load"; }
    GUI_PLUGIN_DIR=$TS_WORK/pd-plugin
  else
    cp "$so" "$GUI_HOME/.local/lib/wireshark/plugins/$ver/epan/tcpstate.so"
  fi
  # No interface scan (nothing is captured here), no update check.
  cat > "$GUI_HOME/.config/wireshark/preferences" << 'EOF'
capture.no_interface_load: TRUE
capture.no_extcap: TRUE
gui.update.enabled: FALSE
EOF
  cat > "$GUI_HOME/.config/wireshark/recent_common" << EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $GUI_WIDTH
gui.geometry_main_height: $GUI_HEIGHT
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
EOF
  GUI_AS=()
  if [ "$(id -u)" = 0 ]; then
    chown -R nobody:nogroup "$GUI_WORK"
    GUI_AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  fi
  chmod 755 "$GUI_WORK"
  chmod 700 "$GUI_HOME/run"

  GUI_DISPLAY=
  # Free: no lock file here, and no server answering. X servers also listen
  # on abstract sockets, which a chroot or another mount namespace with its
  # own /tmp shares (two test runs at once, one of them in the Debian 13
  # root): without the second test the two would use one display.
  for n in $(seq 90 119); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ] &&
       ! DISPLAY=:$n xdotool getdisplaygeometry > /dev/null 2>&1; then
      GUI_DISPLAY=:$n
      break
    fi
  done
  [ -n "$GUI_DISPLAY" ] || gui_die "no free X display number in :90-:119"
  # -ac: Wireshark runs as another user; the server listens on its socket only.
  Xvfb "$GUI_DISPLAY" -screen 0 "${GUI_WIDTH}x${GUI_HEIGHT}x24" -nolisten tcp -ac \
    > "$GUI_WORK/xvfb.log" 2>&1 &
  GUI_XVFB_PID=$!
  # Up to 30 s: on a loaded machine (two cores, many jobs) it can take 10.
  for _ in $(seq 1 300); do
    DISPLAY=$GUI_DISPLAY xdotool getdisplaygeometry > /dev/null 2>&1 && break
    kill -0 "$GUI_XVFB_PID" 2> /dev/null || gui_die "Xvfb did not start"
    sleep 0.1
  done
  export DISPLAY=$GUI_DISPLAY
  xdotool getdisplaygeometry > /dev/null 2>&1 || { cat "$GUI_WORK/xvfb.log" >&2; gui_die "Xvfb did not answer in 30 s"; }
  # A window manager, so that dialogs get the focus as on a desktop.
  gui_as_user openbox > "$GUI_WORK/openbox.log" 2>&1 &
  GUI_WM_PID=$!
  sleep 1
}

gui_as_user() {
  "${GUI_AS[@]}" env -i PATH="$PATH" HOME="$GUI_HOME" DISPLAY="$GUI_DISPLAY" \
    ${GUI_PLUGIN_DIR:+WIRESHARK_PLUGIN_DIR="$GUI_PLUGIN_DIR"} \
    XDG_RUNTIME_DIR="$GUI_HOME/run" LC_ALL=C.UTF-8 "$@"
}

gui_wireshark() {
  gui_stop_wireshark
  # setsid: its own process group, to stop it and its children together.
  setsid "${GUI_AS[@]}" env -i PATH="$PATH" HOME="$GUI_HOME" DISPLAY="$GUI_DISPLAY" \
    XDG_RUNTIME_DIR="$GUI_HOME/run" LC_ALL=C.UTF-8 QT_QPA_PLATFORM=xcb QT_ACCESSIBILITY=0 \
    NO_AT_BRIDGE=1 wireshark "$@" > "$GUI_WORK/wireshark.log" 2>&1 &
  GUI_WS_PID=$!
}

gui_stop_wireshark() {
  local p=${GUI_WS_PID:-}
  GUI_WS_PID=
  [ -n "$p" ] && kill -0 "$p" 2> /dev/null || return 0
  kill -TERM -- "-$p" 2> /dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
  kill -KILL -- "-$p" 2> /dev/null || true
}

gui_wait_window() {
  local id
  for _ in $(seq 1 $(($2 * 4))); do
    id=$(xdotool search --onlyvisible --name "$1" 2> /dev/null | tail -1 || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    [ -n "${GUI_WS_PID:-}" ] && ! kill -0 "$GUI_WS_PID" 2> /dev/null && return 1
    sleep 0.25
  done
  return 1
}

gui_shot() {
  import -display "$GUI_DISPLAY" -window "$1" "$2"
}

# gui_place WINDOW X Y W H: move and size a window, so that the controls
# of its (fixed) layout are at known places.
gui_place() {
  xdotool windowmove "$1" "$2" "$3" 2> /dev/null || true
  sleep 0.3
  xdotool windowsize "$1" "$4" "$5" 2> /dev/null || true
  sleep 1
}

# gui_click WINDOW X Y: click at X,Y of the window's inside (the window
# manager's frame excluded).
gui_click() {
  local X Y WINDOW WIDTH HEIGHT SCREEN
  eval "$(xdotool getwindowgeometry --shell "$1")"
  xdotool mousemove $((X + $2)) $((Y + $3)) sleep 0.2 click 1
}
