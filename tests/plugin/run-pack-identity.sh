#!/usr/bin/env bash
# Packed streams behave exactly as live ones (plugin/stream_machines.h,
# docs/performance.md "per stream"): the trees of a test build that packs
# every stream's state machines after each frame must equal, byte for byte,
# those of a reference build, in one pass and in two (`-2`: the second pass
# reads what the first one kept).
#
#   tests/plugin/run-pack-identity.sh REF.so PACK.so [--samples | CAPTURE...]
#
# PACK.so: a build configured with -DTCPSTATE_HOT_STREAMS=0 (every stream
# packed after each frame, unpacked at its next segment); REF.so: a build
# without packing (the commit before it) or with the default. Without
# CAPTUREs: every capture of ../shared/corpus and sample-pcaps, and two
# generated ones (tests/bench/gen_capture.c: port reuse, retransmissions,
# IPv6); with --samples (ctest plugin_pack_identity, REF.so the build with the
# default): sample-pcaps, tests/plugin/captures and the two generated ones. Fails on any difference, on a run without tcpstate trees, and on a
# tshark that fails. Ends with "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib/tshark.sh"
. "$root/tests/bench/lib.sh"
ref=$(readlink -f "${1:?usage: run-pack-identity.sh REF.so PACK.so [CAPTURE...]}")
pack=$(readlink -f "${2:?usage: run-pack-identity.sh REF.so PACK.so [CAPTURE...]}")
shift 2
work=$(mktemp -d /tmp/tcpstate-pack.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod a+rx "$work"

caps=("$@")
if [ ${#caps[@]} = 0 ] || [ "${caps[0]}" = --samples ]; then
  ts_build_gen "$work" > /dev/null || ts_die "cannot build the capture generator"
  "$work/gen_capture" -n 8000 -c 800 -s 3 -o "$work/gen-3.pcap" > /dev/null
  "$work/gen_capture" -n 8000 -c 800 -s 7 --ipv6 50 --rexmit 10 --reuse 20 \
    -o "$work/gen-7.pcap" > /dev/null
  if [ ${#caps[@]} = 0 ]; then
    dirs=("$root/../shared/corpus" "$root/sample-pcaps")
  else
    dirs=("$root/sample-pcaps" "$root/tests/plugin/captures")
  fi
  mapfile -t caps < <(find "${dirs[@]}" -type f \
    \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \
       -o -name '*.cap' -o -name '*.trace' -o -name '*.dmp' \) | sort)
  caps+=("$work/gen-3.pcap" "$work/gen-7.pcap")
fi
[ ${#caps[@]} -gt 0 ] || ts_die "no captures"

ts_setup "$work/ref" "$ref" > /dev/null 2>&1 || ts_die "preflight of $ref"
ts_setup "$work/pack" "$pack" > /dev/null 2>&1 || ts_die "preflight of $pack"

passed=0 failed=0 trees=0
for cap in "${caps[@]}"; do
  name=$(basename "$cap")
  for passes in 1 2; do
    opt=()
    [ $passes = 2 ] && opt=(-2)
    ok=1
    for b in ref pack; do
      ts_attach "$work/$b"
      ts_tshark plugin -- -r "$(ts_readable "$cap")" "${opt[@]}" -V -O tcpstate \
        > "$work/$b.out" 2> "$work/$b.err"
      rc=$?
      # tshark exits 2 on a cut-short capture: the same for both builds
      echo "exit $rc" >> "$work/$b.out"
      grep -v '^Running as user' "$work/$b.err" >> "$work/$b.out"
    done
    n=$(grep -c '^\[TCP Connection State: ' "$work/ref.out")
    if ! cmp -s "$work/ref.out" "$work/pack.out"; then
      echo "FAIL  $name ($passes pass): the trees differ"
      diff "$work/ref.out" "$work/pack.out" | head -10 | sed 's/^/  /'
      ok=0
    fi
    if [ $ok = 1 ]; then
      passed=$((passed + 1))
      trees=$((trees + n))
    else
      failed=$((failed + 1))
    fi
  done
done
echo "$trees tcpstate trees compared"
[ $trees -gt 0 ] || { echo "FAIL  no tcpstate tree in any capture"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ $failed = 0 ]
