#!/usr/bin/env bash
# Differential check of the core's Zeek view, wire bookkeeping and outcome
# against an older revision (docs/performance.md: a layout change of ts_zeek,
# ts_wire or ts_outcome must not change a single result).
#
#   tests/diff/run.sh REV [CONNECTIONS]     (default 300000 connections)
#
# REV's core/zeek.c, core/wire.c and core/outcome.c (with their headers) are
# built with every public function renamed old_*, the work tree's beside
# them; random connections go through both (zeek_diff.c, wire_diff.c,
# outcome_diff.c). Fails (exit 1) at the first difference. The ts_wire_info
# compared must keep its layout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rev=${1:?usage: tests/diff/run.sh REV [CONNECTIONS]}
conns=${2:-300000}
work=$(mktemp -d /tmp/tcpstate-diff.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir "$work/old"
for f in zeek.c zeek.h wire.c wire.h outcome.c outcome.h tcpstate_core.h; do
  git -C "$root" show "$rev:core/$f" > "$work/old/$f"
done
cc=${CC:-cc}
rename=(-Dts_zeek_init=old_ts_zeek_init -Dts_zeek_track=old_ts_zeek_track
  -Dts_zeek_track_captured=old_ts_zeek_track_captured
  -Dts_zeek_conn_state_name=old_ts_zeek_conn_state_name
  -Dts_wire_init=old_ts_wire_init -Dts_wire_track=old_ts_wire_track
  -Dts_wire_info_is_plain=old_ts_wire_info_is_plain -Dts_wire_info_plain=old_ts_wire_info_plain
  -Dts_outcome_init=old_ts_outcome_init -Dts_outcome_add=old_ts_outcome_add
  -Dts_outcome_opened=old_ts_outcome_opened -Dts_outcome_closed=old_ts_outcome_closed
  -Dts_open_name=old_ts_open_name -Dts_close_name=old_ts_close_name)
for f in zeek wire outcome; do
  "$cc" -O2 -I"$work/old" "${rename[@]}" -c "$work/old/$f.c" -o "$work/old_$f.o"
done
"$cc" -O2 -I"$work/old" -c "$here/old_zeek.c" -o "$work/old_zeek_read.o"
"$cc" -O2 -Wall -I"$root/core" "$here/zeek_diff.c" "$root/core/zeek.c" "$work/old_zeek.o" \
  "$work/old_zeek_read.o" -o "$work/zeek_diff"
"$cc" -O2 -Wall -I"$root/core" "$here/wire_diff.c" "$root/core/wire.c" "$work/old_wire.o" \
  -o "$work/wire_diff"
"$cc" -O2 -I"$work/old" "${rename[@]}" -c "$here/old_outcome.c" -o "$work/old_outcome_read.o"
"$cc" -O2 -Wall -I"$root/core" "$here/outcome_diff.c" "$root/core/outcome.c" "$work/old_outcome.o" \
  "$work/old_outcome_read.o" -o "$work/outcome_diff"
"$work/zeek_diff" "$conns"
"$work/wire_diff" "$conns"
"$work/outcome_diff" "$conns"
