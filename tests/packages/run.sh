#!/usr/bin/env bash
# Package tests: make the .deb of each tested Wireshark and install it, the
# way a user would, into a clean root of its Debian:
#
#   Wireshark 4.0: built on the host (Debian 12) in build/, installed into a
#                  clean Debian 12 root;
#   Wireshark 4.4: built in the Debian 13 build root in build-debian13/
#                  (scripts/wireshark-4.4.sh), installed into a clean Debian 13
#                  root.
#
# A clean root is a throw-away copy of the cached minbase root of its Debian
# (scripts/debian-root.sh), removed at the end; the build roots and the host
# are never touched by an install. In each clean root:
#   - `apt-get install -y ./PACKAGE.deb` succeeds (it pulls tshark, the
#     package's Recommends);
#   - the package depends on the libwireshark ABI package that root's tshark
#     uses, and its name says that tshark's major.minor;
#   - `tshark -G plugins` lists tcpstate.so from the global plugin dir;
#   - tshark on sample-pcaps/lesson.pcap prints the roles and states of
#     sample-pcaps/lesson.fields.tsv.
# As root: bash tests/packages/run.sh. Ends with "N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
clone=$(cd "$here/../.." && pwd)
. "$clone/scripts/debian-root.sh"
debian_root_unshare "$here/run.sh" "$@"

scratch=
expected=$(mktemp /tmp/tcpstate-lesson.XXXXXX)
cleanup() {
  debian_root_umount_all
  [ -z "$scratch" ] || debian_root_remove "$scratch"
  rm -f "$expected"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }
start=$SECONDS

# The package for the host's Wireshark, from the host's build/ (the build
# scripts/setup.sh makes; configured here if it is missing). The host must be
# Debian 12 for this to be the package of Debian 12.
# shellcheck disable=SC1091
host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ "$host_suite" = bookworm ] || { echo "the host is not Debian 12 (bookworm): $host_suite" >&2; exit 1; }
cd "$clone"
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DTCPSTATE_WERROR=ON > /dev/null
rm -f build/tcpstate-wireshark*.deb
cmake --build build -j"$(nproc)" > /dev/null
cmake --build build --target package > /dev/null
debian_root_log "4.0 package made on the host after $((SECONDS - start)) s"

# The package for Debian 13's Wireshark, from its build root.
debian_root_build trixie
build_root=$DEBIAN_ROOT_DIR
debian_root_mount_system "$build_root"
debian_root_mount_clone "$build_root" "$clone"
rm -f build-debian13/tcpstate-wireshark*.deb
debian_root_chroot "$build_root" bash -c "set -e; cd $DEBIAN_ROOT_SRC
  [ -f build-debian13/CMakeCache.txt ] || cmake -S . -B build-debian13 -DTCPSTATE_WERROR=ON > /dev/null
  cmake --build build-debian13 -j\$(nproc) > /dev/null
  cmake --build build-debian13 --target package > /dev/null"
debian_root_umount_all
debian_root_log "4.4 package made in $build_root after $((SECONDS - start)) s"

# The lesson's expected values of some fields, by the header of its fields dump.
expected_columns() { # expected_columns FIELD...
  local want
  want=$(IFS=,; echo "$*")
  awk -F'\t' -v want="$want" 'NR == 1 { n = split(want, w, ","); for (i = 1; i <= n; i++)
      for (j = 1; j <= NF; j++) if ($j == w[i]) col[i] = j; next }
    { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? "\t" : "") $(col[i]); print line }' \
    "$clone/sample-pcaps/lesson.fields.tsv"
}
lesson_fields=(frame.number tcpstate.role tcpstate.client.state tcpstate.server.state)
expected_columns "${lesson_fields[@]}" > "$expected"
grep -q $'\tfinal-ack\t' "$expected" ||
  { echo "no final-ack in the lesson's expected fields: the check could not fail" >&2; exit 1; }

test_package() { # test_package SUITE DEB
  local suite=$1 deb=$2 name t0=$SECONDS abi got_plugins ws_package
  name=$(basename "$deb")
  debian_root_base "$suite"
  scratch=$(mktemp -d "$TCPSTATE_ROOT_CACHE/clean-$suite.XXXXXX")
  cp -a "$DEBIAN_ROOT_DIR/." "$scratch/"
  rm -f "$scratch/$DEBIAN_ROOT_MARKER"
  mkdir -p "$TCPSTATE_ROOT_CACHE/apt-archives-$suite/partial"
  debian_root_mount_system "$scratch"
  # Downloaded .debs are kept between runs; the root itself stays clean.
  debian_root_mount "$TCPSTATE_ROOT_CACHE/apt-archives-$suite" "$scratch/var/cache/apt/archives" --bind
  cp "$deb" "$clone/sample-pcaps/lesson.pcap" "$scratch/tmp/"
  if debian_root_chroot "$scratch" apt-get update -q > "$scratch/tmp/apt.log" 2>&1 &&
     debian_root_chroot "$scratch" apt-get install -y -q "./tmp/$name" >> "$scratch/tmp/apt.log" 2>&1; then
    pass "$suite: apt-get install -y ./$name"
  else
    fail "$suite: apt-get install -y ./$name"
    tail -20 "$scratch/tmp/apt.log" | sed 's/^/      /'
  fi
  abi=$(debian_root_chroot "$scratch" tshark --version 2> /dev/null |
    sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p') || true
  ws_package=$(debian_root_chroot "$scratch" dpkg-query -W -f='${Package}\n' 'libwireshark[0-9]*' \
    2> /dev/null | grep -x 'libwireshark[0-9]*' | head -1) || true
  if [ -n "$abi" ] && [ "$name" != "${name#tcpstate-wireshark"$abi"_}" ] &&
     [ -n "$ws_package" ] && dpkg-deb -f "$deb" Depends | grep -Eq "(^|, )$ws_package( |,|$)"; then
    pass "$suite: $name is for tshark $abi and depends on $ws_package"
  else
    fail "$suite: $name is not for tshark '$abi' / does not depend on '$ws_package'" \
      "(Depends: $(dpkg-deb -f "$deb" Depends))"
  fi
  got_plugins=$(debian_root_chroot "$scratch" tshark -G plugins 2> /dev/null | grep 'tcpstate\.so') || true
  if printf '%s\n' "$got_plugins" | grep -q "/wireshark/plugins/$abi/epan/tcpstate\.so"; then
    pass "$suite: tshark -G plugins lists it: $(echo $got_plugins)"
  else
    fail "$suite: tshark -G plugins does not list tcpstate.so in plugins/$abi/epan: '$got_plugins'"
  fi
  local args=()
  for f in "${lesson_fields[@]}"; do args+=(-e "$f"); done
  debian_root_chroot "$scratch" tshark -r /tmp/lesson.pcap -T fields "${args[@]}" \
    > "$scratch/tmp/lesson.got" 2> "$scratch/tmp/lesson.err" || true
  if diff -u "$expected" "$scratch/tmp/lesson.got" > "$scratch/tmp/diff"; then
    pass "$suite: the lesson's roles and states ($(wc -l < "$scratch/tmp/lesson.got") frames)"
  else
    fail "$suite: the lesson's roles and states"
    head -20 "$scratch/tmp/diff" "$scratch/tmp/lesson.err" | sed 's/^/      /'
  fi
  debian_root_umount_all
  debian_root_remove "$scratch"
  scratch=
  debian_root_log "$suite: clean-root install test took $((SECONDS - t0)) s"
}

shopt -s nullglob
debs40=(build/tcpstate-wireshark4.0_*.deb)
debs44=(build-debian13/tcpstate-wireshark4.4_*.deb)
[ ${#debs40[@]} = 1 ] && [ ${#debs44[@]} = 1 ] ||
  { echo "expected one package each, got: ${debs40[*]} ${debs44[*]}" >&2; exit 1; }
test_package bookworm "$clone/${debs40[0]}"
test_package trixie "$clone/${debs44[0]}"

echo "$passed passed, $failed failed (in $((SECONDS - start)) s)"
[ "$failed" = 0 ]
