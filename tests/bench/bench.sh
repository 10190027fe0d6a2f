#!/usr/bin/env bash
# tcpstate benchmark (not a test: it passes or fails nothing, it measures).
#
#   tests/bench/bench.sh [options]
#
# On captures made by tests/bench/gen_capture.c it runs tshark without the
# plugin and with it, and prints wall time, peak memory (max RSS) and, under
# valgrind's callgrind, instructions, with the ratios and the plugin's retained
# memory per frame and per stream. The tshark runs (names used in the output):
#
#   base-plain     no plugin: tshark -r F                (no protocol tree is built)
#   base-fields    no plugin: tshark -r F -T fields -e tcp.stream  (the full visible tree:
#                           -T fields sets print_details)
#   plugin-plain   plugin:    tshark -r F                (the plugin's wanted fields force a tree)
#   plugin-same    plugin:    tshark -r F -T fields -e tcp.stream  (the very output of base-fields)
#   plugin-fields  plugin:    -T fields -e tcp.stream -e tcpstate.role -e tcpstate.client.state
#                             -e tcpstate.server.state -e tcpstate.conn_state -e tcpstate.history
#   base-conv      no plugin: tshark -r F -q -z conv,tcp
#   plugin-conv    plugin:    tshark -r F -q -z tcpstate,conv   (skipped if not registered)
#
# Options:
#   --plugin PATH      tcpstate.so to measure (default: build the work tree,
#                      RelWithDebInfo, in WORK/build)
#   --work DIR         work dir (default /tmp/tcpstate-bench); captures are kept
#                      there and reused when the generator did not change
#   --sizes "S:C ..."  cost curve: SEGMENTS:STREAMS per capture
#                      (default "125000:12500 250000:25000 500000:50000 1000000:100000")
#   --frames-shape S:C capture with many frames per stream, for the memory fit
#                      (default 1000000:1000; "none" to skip)
#   --flood N          SYN flood of N distinct tuples, for the memory fit
#                      (default 1000000; 0 to skip)
#   --callgrind-max N  run callgrind on curve captures of at most N segments
#                      (default 100000; 0 = no callgrind). callgrind runs ~50x
#                      slower than tshark: 1M segments take about 45 min a run.
#   --callgrind-runs "R ..."  which runs get callgrind
#                      (default "base-plain base-fields plugin-plain plugin-same plugin-fields")
#   --jobs N           callgrind runs in parallel (default: number of CPUs)
#   --repeat N         wall-time/RSS runs per configuration; the fastest is kept (default 1)
#   --seed N           generator seed (default 1)
#   --no-wall          skip the wall-time/RSS runs (callgrind only)
#   --report           only print the summary of an earlier run in WORK
#
# Results: WORK/results.tsv (one row per capture and run) and, per callgrind
# run, WORK/out/NAME.callgrind (read with callgrind_annotate).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

plugin=""
work=/tmp/tcpstate-bench
sizes="125000:12500 250000:25000 500000:50000 1000000:100000"
frames_shape=1000000:1000
flood=1000000
cg_max=100000
cg_runs="base-plain base-fields plugin-plain plugin-same plugin-fields"
jobs=$(nproc)
repeat=1
seed=1
wall=1
report=0
while [ $# -gt 0 ]; do
  case $1 in
    --plugin) plugin=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --frames-shape) frames_shape=$2; shift 2 ;;
    --flood) flood=$2; shift 2 ;;
    --callgrind-max) cg_max=$2; shift 2 ;;
    --callgrind-runs) cg_runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-wall) wall=0; shift ;;
    --report) report=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
work=$(cd "$work" && pwd)

if [ $report = 1 ]; then
  [ -f "$work/results.tsv" ] || { echo "bench: no $work/results.tsv" >&2; exit 2; }
  plugin=/dev/null
fi
if [ -z "$plugin" ]; then
  echo "bench: building the plugin (RelWithDebInfo) in $work/build"
  cmake -S "$root" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$work/build.log" 2>&1 &&
    cmake --build "$work/build" -j"$(nproc)" --target tcpstate >> "$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; exit 1; }
  plugin=$work/build/plugin/tcpstate.so
fi
if [ $report = 0 ]; then
[ -f "$plugin" ] || { echo "bench: no plugin at $plugin" >&2; exit 2; }
gen=$(ts_build_gen "$work")
ts_setup "$work" "$plugin"
ts_preflight_base || ts_die "preflight: the runs without the plugin would load one"
mkdir -p "$work/cap"
chmod a+rx "$work/cap"

have_conv=0
# tshark prints the -z list on stderr
zlist=$(ts_tshark plugin -- -z help 2>&1 || true)
if grep -q '^ *tcpstate,conv' <<< "$zlist"; then
  have_conv=1
fi

fields=(-T fields -e tcp.stream -e tcpstate.role -e tcpstate.client.state -e tcpstate.server.state
  -e tcpstate.conn_state -e tcpstate.history)
run_args() { # NAME FILE -> pd and tshark args on separate lines of a global array
  local f=$2
  case $1 in
    base-plain) pd=base; args=(-r "$f") ;;
    base-fields) pd=base; args=(-r "$f" -T fields -e tcp.stream) ;;
    plugin-plain) pd=plugin; args=(-r "$f") ;;
    plugin-same) pd=plugin; args=(-r "$f" -T fields -e tcp.stream) ;;
    plugin-fields) pd=plugin; args=(-r "$f" "${fields[@]}") ;;
    base-conv) pd=base; args=(-r "$f" -q -z conv,tcp) ;;
    plugin-conv) pd=plugin; args=(-r "$f" -q -z tcpstate,conv) ;;
  esac
}

all_runs="base-plain base-fields plugin-plain plugin-same plugin-fields base-conv"
[ $have_conv = 1 ] && all_runs="$all_runs plugin-conv"

results=$work/results.tsv
printf 'capture\tframes\tstreams\trun\twall_s\tmaxrss_kb\tinstructions\n' > "$results"

# Wall time and max RSS: the fastest of --repeat runs.
measure() { # LABEL FILE FRAMES STREAMS RUN
  local label=$1 f=$2 frames=$3 streams=$4 run=$5 best_t="" best_m="" t m i
  run_args "$run" "$f"
  for ((i = 0; i < repeat; i++)); do
    ts_tshark "$pd" /usr/bin/time -f '%e %M' -o "$TS_OUT/time.txt" -- "${args[@]}" \
      > /dev/null 2> "$TS_OUT/stderr.txt" || { echo "bench: $run failed on $f:"; cat "$TS_OUT/stderr.txt"; exit 1; }
    read -r t m < <(tail -1 "$TS_OUT/time.txt")
    if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
      best_t=$t; best_m=$m
    fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "$label" "$frames" "$streams" "$run" "$best_t" "$best_m" >> "$results"
  printf '  %-14s %8.2f s %9d KB\n' "$run" "$best_t" "$best_m"
}

callgrind_one() { # LABEL RUN FILE
  local label=$1 run=$2 f=$3 out
  run_args "$run" "$f"
  out=$TS_OUT/$label.$run.callgrind
  ts_tshark "$pd" valgrind --tool=callgrind --callgrind-out-file="$out" -- "${args[@]}" \
    > /dev/null 2> "$TS_OUT/$label.$run.valgrind.txt"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TS_OUT/$label.$run.valgrind.txt" > "$TS_OUT/$label.$run.instr"
}

captures=()
gen_capture() { # LABEL ARGS...
  local label=$1 f=$work/cap/$1.pcap stamp=$work/cap/$1.args
  shift
  if [ ! -f "$f" ] || [ "$gen" -nt "$f" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$* -s $seed" ]; then
    "$gen" "$@" -s "$seed" -o "$f" 2> "$work/cap/$label.log" || { cat "$work/cap/$label.log"; exit 1; }
    echo "$* -s $seed" > "$stamp"
  fi
  chmod a+r "$f"
}

echo "bench: $(uname -srm), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "bench: $(tshark --version | head -1)"
echo "bench: plugin $plugin ($(sha256sum "$plugin" | cut -c1-12)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ $have_conv = 1 ] || echo "bench: -z tcpstate,conv is not registered by this build: plugin-conv skipped"

declare -A cap_frames cap_streams
curve=()
for s in $sizes; do
  segs=${s%%:*}; streams=${s##*:}
  label="curve-$segs-$streams"
  gen_capture "$label" -n "$segs" -c "$streams"
  curve+=("$label"); cap_frames[$label]=$segs; cap_streams[$label]=$streams
done
shapes=()
if [ "$frames_shape" != none ]; then
  segs=${frames_shape%%:*}; streams=${frames_shape##*:}
  label="frames-$segs-$streams"
  gen_capture "$label" -n "$segs" -c "$streams"
  shapes+=("$label"); cap_frames[$label]=$segs; cap_streams[$label]=$streams
fi
if [ "$flood" != 0 ]; then
  label="synflood-$flood"
  gen_capture "$label" --syn-flood "$flood"
  shapes+=("$label"); cap_frames[$label]=$flood; cap_streams[$label]=$flood
fi

[ $wall = 1 ] && echo && echo "== wall time and max RSS (fastest of $repeat)"
[ $wall = 1 ] && for label in "${curve[@]}"; do
  echo "$label (${cap_frames[$label]} frames, ${cap_streams[$label]} streams):"
  for run in $all_runs; do
    measure "$label" "$work/cap/$label.pcap" "${cap_frames[$label]}" "${cap_streams[$label]}" "$run"
  done
done
[ $wall = 1 ] && for label in "${shapes[@]}"; do
  echo "$label (${cap_frames[$label]} frames, ${cap_streams[$label]} streams):"
  for run in base-fields plugin-same; do
    measure "$label" "$work/cap/$label.pcap" "${cap_frames[$label]}" "${cap_streams[$label]}" "$run"
  done
done

if [ "$cg_max" -gt 0 ]; then
  echo
  echo "== callgrind (instructions), $jobs in parallel, curve captures of <= $cg_max segments"
  pending=()
  for label in "${curve[@]}"; do
    [ "${cap_frames[$label]}" -le "$cg_max" ] || continue
    for run in $cg_runs; do
      [ "$run" = plugin-conv ] && [ $have_conv = 0 ] && continue
      pending+=("$label $run")
    done
  done
  # tshark's start-up (registration of every dissector) on a capture with no
  # packet, to report the instructions per frame of every size
  head -c 24 "$work/cap/${curve[0]}.pcap" > "$work/cap/empty.pcap"
  chmod a+r "$work/cap/empty.pcap"
  cap_frames[empty]=0; cap_streams[empty]=0
  for run in $cg_runs; do
    [ "$run" = plugin-conv ] && [ $have_conv = 0 ] && continue
    pending+=("empty $run")
  done
  running=0
  for p in "${pending[@]}"; do
    # shellcheck disable=SC2086
    callgrind_one $p "$work/cap/${p%% *}.pcap" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then
      wait -n || true
      running=$((running - 1))
    fi
  done
  wait || true
  tmp=$(mktemp)
  while IFS=$'\t' read -r label frames streams run wall rss instr; do
    if [ "$label" != capture ] && [ -s "$TS_OUT/$label.$run.instr" ]; then
      instr=$(cat "$TS_OUT/$label.$run.instr")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$frames" "$streams" "$run" "$wall" "$rss" "$instr"
  done < "$results" > "$tmp"
  for p in "${pending[@]}"; do
    label=${p%% *}; run=${p##* }
    if ! grep -q "^$label	[0-9]*	[0-9]*	$run	" "$tmp"; then
      printf '%s\t%s\t%s\t%s\t\t\t%s\n' "$label" "${cap_frames[$label]}" "${cap_streams[$label]}" \
        "$run" "$(cat "$TS_OUT/$label.$run.instr" 2>/dev/null)" >> "$tmp"
    fi
  done
  mv "$tmp" "$results"
  chmod a+r "$results"
fi

fi # report
results=$work/results.tsv
TS_OUT=$work/out
curve=()
for s in $sizes; do curve+=("curve-${s%%:*}-${s##*:}"); done
echo
echo "== summary (ratios: with plugin / without)"
awk -F'\t' -v flood="$flood" '
  NR == 1 { next }
  { key = $1 SUBSEP $4; wall[key] = $5; rss[key] = $6; ins[key] = $7
    frames[$1] = $2; streams[$1] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  function ratio(a, b) { return (a != "" && b != "" && b > 0) ? sprintf("%.3f", a / b) : "-" }
  END {
    printf "%-26s %-38s %8s %8s %8s\n", "capture", "ratio", "instr", "wall", "maxrss"
    for (i = 1; i <= n; i++) {
      c = order[i]
      if (c == "empty") continue
      split("plugin-same/base-fields plugin-plain/base-plain plugin-plain/base-fields plugin-fields/base-fields plugin-conv/base-conv", pairs, " ")
      for (j = 1; j <= 5; j++) {
        split(pairs[j], ab, "/"); a = c SUBSEP ab[1]; b = c SUBSEP ab[2]
        if (!(a in wall) || !(b in wall)) continue
        printf "%-26s %-38s %8s %8s %8s\n", c, pairs[j], ratio(ins[a], ins[b]), ratio(wall[a], wall[b]), ratio(rss[a], rss[b])
      }
    }
    print ""
    print "retained memory: (max RSS of plugin-same - max RSS of base-fields) / frames and / streams"
    for (i = 1; i <= n; i++) {
      c = order[i]; a = c SUBSEP "plugin-same"; b = c SUBSEP "base-fields"
      if (c == "empty" || rss[a] == "" || rss[b] == "") continue
      d = (rss[a] - rss[b]) * 1024; delta[c] = d
      printf "  %-26s %+10.1f MB  %7.1f B/frame  %8.1f B/stream\n", c, d / 1048576, d / frames[c], d / streams[c]
    }
    # separate the per-frame and per-stream parts: d = a*frames + b*streams,
    # solved on the frames-shape capture and the SYN flood
    for (c in delta) { if (c ~ /^frames-/) fc = c; if (c ~ /^synflood-/) sc = c }
    if (fc != "" && sc != "") {
      f1 = frames[fc]; s1 = streams[fc]; f2 = frames[sc]; s2 = streams[sc]
      det = f1 * s2 - f2 * s1
      if (det != 0) {
        pa = (delta[fc] * s2 - delta[sc] * s1) / det
        pb = (f1 * delta[sc] - f2 * delta[fc]) / det
        printf "  fit on %s and %s: %.1f bytes per frame + %.1f bytes per stream\n", fc, sc, pa, pb
      }
    }
    print ""
    print "cost curve (plugin-same - base-fields), per frame; instructions less the start-up"
    print "(the runs on a capture with no packet), i.e. what each frame costs:"
    for (i = 1; i <= n; i++) {
      c = order[i]; if (c !~ /^curve-/) continue
      a = c SUBSEP "plugin-same"; b = c SUBSEP "base-fields"
      line = sprintf("  %-26s wall %+8.2f us/frame", c, (wall[a] - wall[b]) * 1e6 / frames[c])
      ea = "empty" SUBSEP "plugin-same"; eb = "empty" SUBSEP "base-fields"
      if (ins[a] != "" && ins[b] != "" && ins[ea] != "" && ins[eb] != "") {
        pa = (ins[a] - ins[ea]) / frames[c]; pb = (ins[b] - ins[eb]) / frames[c]
        line = line sprintf("   instr %.0f vs %.0f /frame: +%.0f, ratio %.3f", pa, pb, pa - pb, pa / pb)
      } else if (ins[a] != "" && ins[b] != "")
        line = line sprintf("   instr %+9.0f /frame  (base %.0f /frame)", (ins[a] - ins[b]) / frames[c], ins[b] / frames[c])
      print line
    }
  }' "$results"

# The plugin's own functions in the largest callgrind profile of plugin-fields.
prof=""
for label in "${curve[@]}"; do
  [ -f "$TS_OUT/$label.plugin-fields.callgrind" ] && prof=$TS_OUT/$label.plugin-fields.callgrind
done
if [ -n "$prof" ]; then
  # the plugin's own functions (sources under plugin/ or core/), first (largest) line of each
  plugin_funcs() { # COUNT callgrind_annotate-options...
    local n=$1
    shift
    (cd / && callgrind_annotate "$@" --threshold=100 "$prof" 2>/dev/null) |
      awk 'match($0, /^ *[0-9,]+ \( *[0-9.]+%\)  [^ :]+:[^ \[]+/) {
             line = substr($0, 1, RLENGTH); split(line, w, "  ")
             loc = w[length(w)]; file = loc; sub(/:.*/, "", file); fn = loc; sub(/^[^:]*:/, "", fn)
             if (file !~ /(^|\/)(plugin|core)\/[A-Za-z0-9_-]+\.c$/ || (fn in seen)) next
             seen[fn] = 1; print line }' | head -"$n"
  }
  echo
  echo "== profile of plugin-fields ($(basename "$prof")): tcpstate.so functions, inclusive"
  plugin_funcs 25 --inclusive=yes
  echo "== the same, exclusive (self)"
  plugin_funcs 15 --inclusive=no
fi
echo
echo "bench: results in $results"
