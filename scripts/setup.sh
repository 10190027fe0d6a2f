#!/usr/bin/env bash
# Set up a Debian 12 machine for tcpstate and build it:
#   1. install the Debian packages it needs to build, test and run (as root,
#      or through sudo), unless TCPSTATE_SKIP_APT=1;
#   2. configure and build in ./build;
#   3. install the plugin: as root into Wireshark's global plugin dir (root's
#      tshark ignores personal plugins), otherwise into the personal one.
# Run from anywhere: bash scripts/setup.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packages=(build-essential cmake pkg-config python3 tshark libwireshark-dev wireshark-dev util-linux)
# `column`, which the tutorials' tshark commands pipe into (docs/tutorial.md);
# a minimal Debian 12 root does not have it.
packages+=(bsdextrautils)
# The GUI, and a font with Chinese glyphs for language:zh_CN (without one,
# Qt draws boxes); the GUI tests' tools (tests/gui/run-gui-tests.sh).
packages+=(wireshark-qt fonts-wqy-microhei xvfb xdotool openbox xclip imagemagick)

if [ "${TCPSTATE_SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    echo "setup: installing ${missing[*]}"
    # wireshark-common asks whether non-root users may capture: keep the default.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
  fi
fi

global=OFF
[ "$(id -u)" = 0 ] && global=ON
cmake -S . -B build -DTCPSTATE_INSTALL_GLOBAL=$global -DTCPSTATE_WERROR=ON > build.log 2>&1 ||
  { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { cat build.log; exit 1; }
cmake --install build >> build.log 2>&1 || { cat build.log; exit 1; }
echo "setup: built build/plugin/tcpstate.so; $(grep -m1 'Installing:\|Up-to-date:' build.log)"
rm -f build.log
