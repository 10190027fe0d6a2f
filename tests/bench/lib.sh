# Shared by tests/bench/bench.sh and tests/robustness/run.sh (source it):
# tshark with and without a given tcpstate.so comes from tests/lib/tshark.sh
# (ts_setup, ts_tshark base|plugin, the preflights); this adds the capture
# generator, the fixed hash seeds of the callgrind runs, and the benchmark's
# way into the Debian root of another Wireshark version.
# shellcheck source=../lib/tshark.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)/tshark.sh"

# Builds tests/bench/gen_capture.c into $1/gen_capture (once).
ts_build_gen() {
  local root out=$1/gen_capture
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -x "$out" ] || [ "$root/tests/bench/gen_capture.c" -nt "$out" ]; then
    cc -O2 -Wall -Wextra -o "$out" "$root/tests/bench/gen_capture.c" -lm
  fi
  echo "$out"
}

# Builds tests/bench/fixed_seed.c into $1/fixed_seed.so (once), readable by
# tshark's user: preloaded, it makes callgrind's counts repeatable.
ts_build_fixed_seed() {
  local root out=$1/fixed_seed.so
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -f "$out" ] || [ "$root/tests/bench/fixed_seed.c" -nt "$out" ]; then
    cc -O2 -Wall -Wextra -shared -fPIC -o "$out" "$root/tests/bench/fixed_seed.c"
  fi
  chmod a+r "$out"
  echo "$out"
}

# Another Wireshark than the host's: the benchmark runs in one of the Debian
# roots of scripts/debian-root.sh (the one scripts/wireshark-4.4.sh builds and
# tests in). ts_wireshark_suite VERSION prints the Debian suite whose tshark
# is that version (fails for a version no root provides).
ts_wireshark_suite() {
  case $1 in
    4.4) echo trixie ;;
    *) return 1 ;;
  esac
}

# What the benchmark needs in a root beyond scripts/debian-root.sh's build
# packages (callgrind, and /usr/bin/time for max RSS), and where the host's
# work dir appears inside it.
TS_ROOT_BENCH_PACKAGES=(valgrind time)
TS_ROOT_WORK=/srv/tcpstate/work

# ts_in_root SUITE WORK COMMAND...: run COMMAND as root inside SUITE's build
# root (made, or completed with missing packages, as scripts/wireshark-4.4.sh
# does; valgrind and time installed with apt-get inside it when missing), with
# this clone at $DEBIAN_ROOT_SRC, the host dir WORK at $TS_ROOT_WORK, and /proc
# and /dev mounted. Call it in a private mount namespace (debian_root_unshare
# "$0" "$@" first): the mounts cannot outlive the script, and are unmounted
# when COMMAND ends. The root's lock is held until the script ends, so no
# other run makes or changes that root meanwhile. Returns COMMAND's status.
ts_in_root() {
  local suite=$1 work=$2 clone dir missing rc=0
  shift 2
  clone=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  # shellcheck source=../../scripts/debian-root.sh
  . "$clone/scripts/debian-root.sh"
  [ -n "${TCPSTATE_IN_MOUNT_NS:-}" ] ||
    { echo "ts_in_root: call debian_root_unshare first (mounts must stay private)" >&2; return 2; }
  debian_root_build "$suite"
  dir=$DEBIAN_ROOT_DIR
  missing=$(debian_root_missing "$dir" "${TS_ROOT_BENCH_PACKAGES[@]}")
  # shellcheck disable=SC2086 # one package per word
  [ -z "$missing" ] || debian_root_install "$dir" $missing
  debian_root_mount_system "$dir"
  debian_root_mount_clone "$dir" "$clone"
  debian_root_mount "$work" "$dir$TS_ROOT_WORK" --bind
  debian_root_chroot "$dir" "$@" || rc=$?
  debian_root_umount_all
  return $rc
}
