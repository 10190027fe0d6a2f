# Debian roots for building and testing tcpstate against another Debian's
# Wireshark (sourced by scripts/wireshark-4.4.sh and tests/packages/run.sh).
#
# A root is made once with `debootstrap --variant=minbase SUITE` and kept in
# $TCPSTATE_ROOT_CACHE (default /var/cache/tcpstate), outside any clone, so
# that later runs reuse it:
#   SUITE-base  the bare minbase root, never changed after debootstrap
#               (copied to make clean roots, e.g. for installing a package);
#   SUITE-root  a copy of SUITE-base plus the packages a build and the test
#               suite need.
# A root counts only when its marker file .tcpstate-complete exists: the marker
# is written last, so a root whose making was interrupted is made again.
#
# Mounts: the caller runs inside its own mount namespace (debian_root_unshare),
# so every mount made for a root (its /proc and /dev, the clone) disappears
# when the script ends, however it ends; a trap also unmounts them in order.
#
# Needs root, debootstrap (installed with apt-get when missing) and unshare,
# mount, chroot (util-linux, coreutils).

TCPSTATE_ROOT_CACHE=${TCPSTATE_ROOT_CACHE:-/var/cache/tcpstate}
TCPSTATE_DEBIAN_MIRROR=${TCPSTATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_ROOT_MARKER=.tcpstate-complete
# What the build and the test suite use (scripts/setup.sh's list, the GUI
# tests' too (the Qt GUI is the package `wireshark` in Debian 13), plus perl for the tests' Unicode checks; minbase has only
# perl-base).
DEBIAN_ROOT_BUILD_PACKAGES=(build-essential cmake pkg-config python3 tshark libwireshark-dev
  wireshark-dev util-linux perl file
  wireshark fonts-wqy-microhei xvfb xdotool openbox xclip imagemagick)

# Re-run the calling script in a private mount namespace (once): mounts made
# there are never seen by the host and vanish with the script's last process.
#   debian_root_unshare "$0" "$@"
debian_root_unshare() {
  [ -n "${TCPSTATE_IN_MOUNT_NS:-}" ] && return 0
  [ "$(id -u)" = 0 ] || { echo "$(basename "$1"): must run as root (debootstrap, chroot, mount)" >&2; exit 2; }
  export TCPSTATE_IN_MOUNT_NS=1
  exec unshare --mount --propagation private bash "$@"
}

debian_root_log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Install debootstrap on the host if it is missing.
debian_root_need_debootstrap() {
  command -v debootstrap > /dev/null && return 0
  debian_root_log "installing debootstrap on the host"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q debootstrap
}

# Hold an exclusive lock on a cached root for the rest of the script, so that
# two runs never make or change the same root at once.
declare -A DEBIAN_ROOT_LOCKS=()
debian_root_lock() { # debian_root_lock NAME
  local fd
  # A second flock of the same file from this script would wait for itself.
  [ -n "${DEBIAN_ROOT_LOCKS[$1]:-}" ] && return 0
  DEBIAN_ROOT_LOCKS[$1]=1
  mkdir -p "$TCPSTATE_ROOT_CACHE"
  exec {fd}> "$TCPSTATE_ROOT_CACHE/$1.lock"
  flock "$fd"
}

# Remove a root (never crossing into a mounted file system).
debian_root_remove() {
  [ -e "$1" ] || return 0
  rm -rf --one-file-system "$1"
}

# Run a command inside a root as root, with a clean environment.
debian_root_chroot() { # debian_root_chroot DIR COMMAND...
  local dir=$1
  shift
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb \
    DEBIAN_FRONTEND=noninteractive chroot "$dir" "$@"
}

# Mounts made with debian_root_mount, innermost last; unmounted in reverse.
DEBIAN_ROOT_MOUNTS=()
debian_root_mount() { # debian_root_mount SOURCE TARGET [mount options...]
  local src=$1 target=$2
  shift 2
  mkdir -p "$target"
  mount "$@" "$src" "$target"
  DEBIAN_ROOT_MOUNTS+=("$target")
}
debian_root_umount_all() {
  local i
  for ((i = ${#DEBIAN_ROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${DEBIAN_ROOT_MOUNTS[i]}" 2> /dev/null || umount -l "${DEBIAN_ROOT_MOUNTS[i]}" || true
  done
  DEBIAN_ROOT_MOUNTS=()
}

# /proc and /dev inside a root (tshark, apt and the tests need both).
debian_root_mount_system() { # debian_root_mount_system DIR
  debian_root_mount proc "$1/proc" -t proc
  debian_root_mount /dev "$1/dev" --bind
  # Name resolution for apt inside the root.
  cp -L /etc/resolv.conf "$1/etc/resolv.conf" 2> /dev/null || true
}

# The bare minbase root of SUITE, made with debootstrap when it is missing or
# incomplete. Sets DEBIAN_ROOT_DIR to its path. (The functions that lock set
# a variable instead of printing: a $(...) subshell would drop the lock.)
debian_root_base() { # debian_root_base SUITE
  local suite=$1 dir=$TCPSTATE_ROOT_CACHE/$1-base
  debian_root_lock "$suite-base"
  if [ ! -f "$dir/$DEBIAN_ROOT_MARKER" ]; then
    debian_root_need_debootstrap
    debian_root_log "debootstrap --variant=minbase $suite $dir"
    debian_root_remove "$dir"
    # debootstrap mounts /proc and /sys inside the root while it works; in our
    # mount namespace they cannot outlive this script even if it fails.
    debootstrap --variant=minbase "$suite" "$dir" "$TCPSTATE_DEBIAN_MIRROR" > "$dir.log" 2>&1 ||
      { tail -20 "$dir.log" >&2; return 1; }
    debian_root_chroot "$dir" apt-get clean
    echo "debootstrap --variant=minbase $suite, $(date -u +%FT%TZ)" > "$dir/$DEBIAN_ROOT_MARKER"
  fi
  DEBIAN_ROOT_DIR=$dir
}

# Install packages in a root (apt-get update first), with /proc and /dev
# mounted for the time of the install.
debian_root_install() { # debian_root_install DIR PACKAGE...
  local dir=$1
  shift
  debian_root_mount_system "$dir"
  debian_root_log "apt-get install in $dir: $* (log: $dir.apt.log)"
  { debian_root_chroot "$dir" apt-get update -q &&
    debian_root_chroot "$dir" apt-get install -y -q --no-install-recommends "$@" &&
    debian_root_chroot "$dir" apt-get clean; } > "$dir.apt.log" 2>&1 ||
    { tail -20 "$dir.apt.log" >&2; return 1; }
  debian_root_umount_all
}

# The packages of a list that a root lacks, one per line.
debian_root_missing() { # debian_root_missing DIR PACKAGE...
  local dir=$1 p
  shift
  for p in "$@"; do
    debian_root_chroot "$dir" dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null |
      grep -q 'install ok installed' || echo "$p"
  done
}

# The build root of SUITE: a copy of its base root with the build and test
# packages installed; reused as long as it is complete and has them all.
# Sets DEBIAN_ROOT_DIR to its path.
debian_root_build() { # debian_root_build SUITE
  local suite=$1 dir=$TCPSTATE_ROOT_CACHE/$1-root base missing
  debian_root_base "$suite"
  base=$DEBIAN_ROOT_DIR
  debian_root_lock "$suite-root"
  if [ ! -f "$dir/$DEBIAN_ROOT_MARKER" ]; then
    debian_root_log "making $dir from $base"
    debian_root_remove "$dir"
    cp -a "$base" "$dir"
    rm -f "$dir/$DEBIAN_ROOT_MARKER"
    debian_root_install "$dir" "${DEBIAN_ROOT_BUILD_PACKAGES[@]}"
    echo "$suite build root: ${DEBIAN_ROOT_BUILD_PACKAGES[*]}" > "$dir/$DEBIAN_ROOT_MARKER"
  else
    missing=$(debian_root_missing "$dir" "${DEBIAN_ROOT_BUILD_PACKAGES[@]}")
    if [ -n "$missing" ]; then
      debian_root_log "installing in $dir: $(echo $missing)"
      # shellcheck disable=SC2086 # one package per word
      debian_root_install "$dir" $missing
    fi
  fi
  DEBIAN_ROOT_DIR=$dir
}

# Mount a clone of the repository (and the ../shared beside it, read-only,
# when there is one) inside a root at /srv/tcpstate/src and
# /srv/tcpstate/shared, so that the tests find ../shared as on the host.
DEBIAN_ROOT_SRC=/srv/tcpstate/src
debian_root_mount_clone() { # debian_root_mount_clone DIR CLONE
  local dir=$1 clone=$2
  debian_root_mount "$clone" "$dir$DEBIAN_ROOT_SRC" --bind
  if [ -d "$clone/../shared" ]; then
    debian_root_mount "$clone/../shared" "$dir${DEBIAN_ROOT_SRC%/*}/shared" --bind
    mount -o remount,bind,ro "$dir${DEBIAN_ROOT_SRC%/*}/shared"
  fi
}
