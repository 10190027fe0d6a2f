#!/usr/bin/env bash
# Build tcpstate against Debian 13 ("trixie")'s Wireshark 4.4 and run the
# whole ctest suite there, in a Debian 13 root made with debootstrap and cached
# in /var/cache/tcpstate (see scripts/debian-root.sh). As root:
#
#   bash scripts/wireshark-4.4.sh      # build in build-debian13/, ctest
#   TCPSTATE_CTEST_ARGS='-R plugin_' bash scripts/wireshark-4.4.sh   # some tests only
#
# (tests/packages/run.sh makes and tests the .deb from the same build dir.)
#
# The clone is mounted in the root at /srv/tcpstate/src (its ../shared at
# /srv/tcpstate/shared), so the build dir build-debian13/ is in the clone,
# beside the host's build/ and separate from it. Inside the root the tests run
# tshark as `nobody` with the build's plugin (scripts/tshark-with-plugin); the
# root's global plugin dir stays empty. Nothing stays mounted after the script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/debian-root.sh"
debian_root_unshare "$here/wireshark-4.4.sh" "$@"

[ $# = 0 ] || { echo "usage: $0 (no arguments)" >&2; exit 2; }

clone=$(cd "$here/.." && pwd)
trap debian_root_umount_all EXIT
trap 'exit 130' INT TERM
start=$SECONDS

debian_root_build trixie
root=$DEBIAN_ROOT_DIR
debian_root_log "root ready: $root ($(debian_root_chroot "$root" dpkg-query -W -f='${Version}' libwireshark-dev))" \
  "after $((SECONDS - start)) s"
debian_root_mount_system "$root"
debian_root_mount_clone "$root" "$clone"

log=build-debian13/build.log
steps="mkdir -p build-debian13
  { cmake -S . -B build-debian13 -DTCPSTATE_WERROR=ON && cmake --build build-debian13 -j\$(nproc); } \
    > $log 2>&1 || { cat $log; exit 1; }
  grep -m1 'Building against Wireshark' $log
  ctest --test-dir build-debian13 --output-on-failure ${TCPSTATE_CTEST_ARGS:-}"
debian_root_chroot "$root" bash -c "set -e; cd $DEBIAN_ROOT_SRC && $steps"
debian_root_log "Wireshark 4.4 suite passed in $((SECONDS - start)) s"
