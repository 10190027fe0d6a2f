#!/usr/bin/env bash
# tcpstate benchmark: the four ratios of issue 14's table, with and without the
# plugin in one run (docs/performance.md says how to read them).
#
#   1 plain    tshark -r F                                    (no tree in either run)
#   2 conv     tshark -r F -q -z tcpstate,conv  /  tshark -r F -q -z conv,tcp
#   3 fields   tshark -r F -T fields -e TCP... -e tcpstate.role -e tcpstate.client.state
#              /  the same without the two tcpstate fields (TCP... below: tshark 4.0
#              has no `-e tcp.*`, so the TCP fields a script typically prints)
#   control    (only with --ratios control) Wireshark's own price for two more
#              string fields: the TCP fields of ratio 3 plus -e ip.src_host
#              -e ip.dst_host / the TCP fields alone, both without the plugin.
#              Ratio 3's runs print two more string fields too: this part of it
#              is Wireshark's printing, whatever prints them (docs/performance.md,
#              "Session 13")
#   4 memory   retained memory per stream: max RSS with / without the plugin of
#              tshark -2 -r F (the first pass tracks every stream, as the GUI does;
#              a plain run tracks nothing, plugin/audience.h) on a SYN flood (1 frame
#              a stream) and on a capture of few long streams, split into bytes per
#              frame + bytes per stream
#
# Ratios 1-3 are measured twice:
#  - instructions per frame (valgrind's callgrind: exact and repeatable whatever
#    the load, with Wireshark's hash seeds fixed by tests/bench/fixed_seed.c)
#    at four capture sizes: the frames from one size to the next
#    (tshark's start-up cancels), so a flat cost per frame shows it linear;
#  - CPU time (user + sys; the median of --repeat runs, with and without the
#    plugin interleaved) on the benchmark capture (issue 14: 240 000 segments,
#    20 000 streams). Wall and CPU times are noisy on a shared machine.
#
# tshark runs as tests/bench/lib.sh sets it up (tests/lib/tshark.sh: as nobody,
# its own WIRESHARK_PLUGIN_DIR with or without the build). It fails closed: if
# the runs with the plugin do not load exactly the build under test, or the
# runs without it load any tcpstate, or the plugin's runs print no tcpstate
# output, nothing is measured.
#
# Options:
#   --wireshark V       the Wireshark to measure against: the host's (default), or
#                       4.4, Debian 13's, in the root scripts/wireshark-4.4.sh uses
#                       (/var/cache/tcpstate/trixie-root; as root; valgrind and time
#                       are installed in it when missing). There the whole benchmark
#                       runs as here (the build, the preflights, the runs), with the
#                       clone mounted in the root and the work dir too; the root is
#                       locked meanwhile and nothing stays mounted afterwards
#   --plugin PATH       tcpstate.so to measure (default: build the work tree,
#                       RelWithDebInfo, in WORK/build; with --wireshark, a build
#                       for that version, e.g. build-debian13/plugin/tcpstate.so)
#   --work DIR          work dir (default /tmp/tcpstate-bench, or
#                       /tmp/tcpstate-bench-V with --wireshark V); captures are kept
#                       and reused while the generator and its arguments are the same
#   --sizes "S:C ..."   callgrind captures, SEGMENTS:STREAMS
#                       (default "2500:250 5000:500 10000:1000 20000:2000")
#   --capture S:C       the benchmark capture for CPU time (default 240000:20000; none)
#   --repeat N          CPU-time runs of each command (default 3; the median is kept)
#   --flood N           SYN flood of N streams for the memory fit (default 200000; 0 = none)
#   --frames-shape S:C  few long streams for the memory fit (default 400000:400)
#   --jobs N            callgrind runs in parallel (default 2)
#   --ratios "R ..."    which of the ratios 1-3 to measure: plain, conv, fields,
#                       and control (not measured unless named)
#                       (default all three; the others print "not decided")
#   --no-callgrind      CPU time and memory only
#   --seed N            generator seed (default 1)
#   --report            print the summary of the last run in WORK again
#
# Results: WORK/results.tsv (capture, frames, streams, run, cpu_s, maxrss_kb,
# instructions) and WORK/out/*.callgrind (callgrind_annotate reads them).
set -euo pipefail
bench_args=("$@")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

plugin=""
wireshark=""
work=""
sizes="2500:250 5000:500 10000:1000 20000:2000"
capture=240000:20000
repeat=3
flood=200000
frames_shape=400000:400
jobs=2
callgrind=1
seed=1
report=0
pairs="plain conv fields"
while [ $# -gt 0 ]; do
  case $1 in
    --wireshark) wireshark=$2; shift 2 ;;
    --plugin) plugin=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --capture) capture=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --flood) flood=$2; shift 2 ;;
    --frames-shape) frames_shape=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-callgrind) callgrind=0; shift ;;
    --seed) seed=$2; shift 2 ;;
    --ratios) pairs=$2; shift 2 ;;
    --report) report=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$work" ] || work=/tmp/tcpstate-bench${wireshark:+-$wireshark}
mkdir -p "$work"
work=$(cd "$work" && pwd)
results=$work/results.tsv

# Another Wireshark than the host's: run this same script, with the same
# options, inside the Debian root that has it (tests/bench/lib.sh,
# ts_in_root); there its tshark is the one measured. The summary of a run
# (--report) is read on the host.
if [ $report = 0 ] && [ -n "$wireshark" ] && [ "$(ts_abi)" != "$wireshark" ]; then
  [ -z "${TCPSTATE_BENCH_IN_ROOT:-}" ] ||
    ts_die "inside the root tshark is $(ts_abi), not the Wireshark $wireshark asked for"
  suite=$(ts_wireshark_suite "$wireshark") ||
    { echo "bench: no Debian root provides Wireshark $wireshark (the host has $(ts_abi); 4.4 is known)" >&2; exit 2; }
  . "$root/scripts/debian-root.sh"
  debian_root_unshare "$here/bench.sh" "${bench_args[@]}"
  trap debian_root_umount_all EXIT
  trap 'exit 130' INT TERM
  inner=(--wireshark "$wireshark" --work "$TS_ROOT_WORK" --sizes "$sizes" --capture "$capture"
    --repeat "$repeat" --flood "$flood" --frames-shape "$frames_shape" --jobs "$jobs" --seed "$seed"
    --ratios "$pairs")
  [ $callgrind = 1 ] || inner+=(--no-callgrind)
  if [ -n "$plugin" ]; then
    # the root sees the work dir, not the host's paths
    [ -f "$plugin" ] || { echo "bench: no plugin at $plugin" >&2; exit 2; }
    mkdir -p "$work/given"
    cp "$plugin" "$work/given/tcpstate.so"
    echo "bench: measuring $plugin (copied to $work/given/tcpstate.so)"
    inner+=(--plugin "$TS_ROOT_WORK/given/tcpstate.so")
  fi
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
  git -C "$root" diff --quiet HEAD 2>/dev/null || commit=$commit+changes
  ts_in_root "$suite" "$work" env TCPSTATE_BENCH_IN_ROOT=1 TCPSTATE_BENCH_COMMIT="$commit" \
    bash "$DEBIAN_ROOT_SRC/tests/bench/bench.sh" "${inner[@]}"
  echo "bench: ($TS_ROOT_WORK in the root is $work on the host; --wireshark $wireshark --work $work --report prints the summary again)"
  exit
fi
[ $report = 1 ] || [ -z "$wireshark" ] || [ "$(ts_abi)" = "$wireshark" ] ||
  ts_die "tshark here is $(ts_abi), not the Wireshark $wireshark asked for"

# The TCP fields of ratio 3 (the same in both runs).
tcp_fields=(-e tcp.stream -e tcp.srcport -e tcp.dstport -e tcp.seq -e tcp.ack -e tcp.len
  -e tcp.flags -e tcp.window_size_value)
run_args() { # RUN FILE -> pd, args
  local f=$2
  case $1 in
    base-plain) pd=base; args=(-r "$f") ;;
    plugin-plain) pd=plugin; args=(-r "$f") ;;
    base-tracking) pd=base; args=(-2 -r "$f") ;;
    # the Info tags show that the plugin tracked (they cost no retained memory)
    plugin-tracking) pd=plugin; args=(-2 -r "$f" -o tcpstate.info_prefix:TRUE) ;;
    base-conv) pd=base; args=(-r "$f" -q -z conv,tcp) ;;
    plugin-conv) pd=plugin; args=(-r "$f" -q -z tcpstate,conv) ;;
    base-fields) pd=base; args=(-r "$f" -T fields "${tcp_fields[@]}") ;;
    plugin-fields) pd=plugin; args=(-r "$f" -T fields "${tcp_fields[@]}" -e tcpstate.role -e tcpstate.client.state) ;;
    # the control: "plugin-" names the run with the two more fields, which
    # here are Wireshark's, and neither run loads the plugin
    base-control) pd=base; args=(-r "$f" -T fields "${tcp_fields[@]}") ;;
    plugin-control) pd=base; args=(-r "$f" -T fields "${tcp_fields[@]}" -e ip.src_host -e ip.dst_host) ;;
    *) echo "bench: unknown run $1" >&2; exit 2 ;;
  esac
}
for p in $pairs; do
  case $p in plain|conv|fields|control) ;; *) echo "bench: unknown ratio $p" >&2; exit 2 ;; esac
done

if [ $report = 0 ]; then
  if [ -z "$plugin" ]; then
    echo "bench: building the plugin (RelWithDebInfo) in $work/build"
    cmake -S "$root" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$work/build.log" 2>&1 &&
      cmake --build "$work/build" -j2 --target tcpstate >> "$work/build.log" 2>&1 ||
      { tail -30 "$work/build.log"; exit 1; }
    plugin=$work/build/plugin/tcpstate.so
  fi
  [ -f "$plugin" ] || { echo "bench: no plugin at $plugin" >&2; exit 2; }
  gen=$(ts_build_gen "$work")
  fixed_seed=$(ts_build_fixed_seed "$work")
  ts_setup "$work" "$plugin" # fails unless the plugin runs load exactly this build
  ts_preflight_base || ts_die "preflight: the runs without the plugin would load a tcpstate"
  ts_tshark plugin -- -z help 2>&1 | grep -q '^ *tcpstate,conv' ||
    ts_die "preflight: the build registers no -z tcpstate,conv"
  mkdir -p "$work/cap"
  chmod a+rx "$work/cap"

  make_capture() { # LABEL GENERATOR-ARGS...
    local label=$1 f=$work/cap/$1.pcap stamp=$work/cap/$1.args
    shift
    if [ ! -f "$f" ] || [ "$gen" -nt "$f" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$* -s $seed" ]; then
      "$gen" "$@" -s "$seed" -o "$f" 2> "$work/cap/$label.log" || { cat "$work/cap/$label.log"; exit 1; }
      echo "$* -s $seed" > "$stamp"
    fi
    chmod a+r "$f"
  }
  declare -A frames streams

  echo "bench: $(uname -srm), $(nproc) CPUs; $(tshark --version | head -1)"
  # (in a root, where git may be missing, the host told the commit)
  echo "bench: plugin $plugin (sha256 $(sha256sum "$plugin" | cut -c1-12)), commit" \
    "${TCPSTATE_BENCH_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo '+changes')}"
  echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'capture\tframes\tstreams\trun\tcpu_s\tmaxrss_kb\tinstructions\n' > "$results"

  # One run: CPU seconds and max RSS into results; the output is checked.
  timed() { # LABEL RUN
    local label=$1 run=$2 f=$work/cap/$1.pcap
    run_args "$run" "$f"
    ts_tshark "$pd" /usr/bin/time -f '%U %S %M' -o "$TS_OUT/time.txt" -- "${args[@]}" \
      > "$TS_OUT/stdout.txt" 2> "$TS_OUT/stderr.txt" ||
      { echo "bench: $run failed on $f:"; cat "$TS_OUT/stderr.txt"; exit 1; }
    check_output "$run" "$TS_OUT/stdout.txt"
    read -r u s m < <(tail -1 "$TS_OUT/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "$label" "${frames[$label]}" "${streams[$label]}" "$run" \
      "$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')" "$m" >> "$results"
  }
  # Fail closed: the plugin's runs must show the plugin's output.
  check_output() { # RUN FILE
    case $1 in
      plugin-conv) grep -q '^TCP connection states (tcpstate,conv)' "$2" && grep -Eq '^ +[0-9]+ ' "$2" ||
        ts_die "$1 printed no connection (is tcpstate,conv working?)" ;;
      plugin-fields) awk -F'\t' '$9 != "" { n++ } END { exit !(n > 0) }' "$2" ||
        ts_die "$1 printed no tcpstate.role" ;;
      plugin-control) awk -F'\t' '$9 != "" && $10 != "" { n++ } END { exit !(n > 0) }' "$2" ||
        ts_die "$1 printed no ip.src_host and ip.dst_host" ;;
      base-conv) grep -q '<->' "$2" || ts_die "$1 printed no conversation" ;;
      plugin-tracking) grep -q ' \[HS 1/3\] ' "$2" || ts_die "$1 printed no tcpstate tag (did it track?)" ;;
    esac
  }

  if [ "$capture" != none ]; then
    label=bench-${capture%%:*}-${capture##*:}
    frames[$label]=${capture%%:*}; streams[$label]=${capture##*:}
    make_capture "$label" -n "${frames[$label]}" -c "${streams[$label]}"
    echo "== CPU time, $label, median of $repeat interleaved runs"
    for ((i = 0; i < repeat; i++)); do
      for p in $pairs; do
        timed "$label" "base-$p"
        timed "$label" "plugin-$p"
      done
    done
  fi

  if [ "$flood" != 0 ]; then
    echo "== memory (max RSS of tshark -2 runs: the plugin tracks every stream)"
    label=flood-$flood
    frames[$label]=$flood; streams[$label]=$flood
    make_capture "$label" --syn-flood "$flood"
    label2=frames-${frames_shape%%:*}-${frames_shape##*:}
    frames[$label2]=${frames_shape%%:*}; streams[$label2]=${frames_shape##*:}
    make_capture "$label2" -n "${frames[$label2]}" -c "${streams[$label2]}"
    for l in "$label" "$label2"; do
      timed "$l" base-tracking
      timed "$l" plugin-tracking
    done
  fi

  if [ $callgrind = 1 ]; then
    echo "== callgrind, sizes $sizes, $jobs in parallel"
    pending=()
    for s in $sizes; do
      l=curve-${s%%:*}-${s##*:}
      frames[$l]=${s%%:*}; streams[$l]=${s##*:}
      make_capture "$l" -n "${frames[$l]}" -c "${streams[$l]}"
    done
    for l in $(for s in $sizes; do echo "curve-${s%%:*}-${s##*:}"; done); do
      for p in $pairs; do pending+=("$l base-$p" "$l plugin-$p"); done
    done
    cg_one() { # LABEL RUN
      run_args "$2" "$work/cap/$1.pcap"
      ts_tshark "$pd" env LD_PRELOAD="$fixed_seed" valgrind --tool=callgrind --callgrind-out-file="$TS_OUT/$1.$2.callgrind" -- "${args[@]}" \
        > "$TS_OUT/$1.$2.stdout" 2> "$TS_OUT/$1.$2.valgrind.txt"
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TS_OUT/$1.$2.valgrind.txt" > "$TS_OUT/$1.$2.instr"
    }
    running=0
    for p in "${pending[@]}"; do
      # shellcheck disable=SC2086
      cg_one $p &
      running=$((running + 1))
      if [ $running -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
    done
    wait || true
    for p in "${pending[@]}"; do
      l=${p%% *}; r=${p##* }
      [ -s "$TS_OUT/$l.$r.instr" ] || ts_die "callgrind $r on $l gave no count ($TS_OUT/$l.$r.valgrind.txt)"
      ! grep -q 'cannot be preloaded' "$TS_OUT/$l.$r.valgrind.txt" ||
        ts_die "callgrind $r on $l ran without the fixed hash seeds ($TS_OUT/$l.$r.valgrind.txt)"
      check_output "$r" "$TS_OUT/$l.$r.stdout"
      printf '%s\t%s\t%s\t%s\t\t\t%s\n' "$l" "${frames[$l]}" "${streams[$l]}" "$r" "$(cat "$TS_OUT/$l.$r.instr")" >> "$results"
    done
    # A plain run builds no protocol tree with the plugin either: Wireshark's
    # tree functions cost exactly what they cost without it (each returns at
    # once when there is no tree). Fails closed: the counts must be found.
    tree_cost() { # CALLGRIND-FILE
      (cd / && callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null) |
        awk '/\?\?\?:(proto_tree_add_item|proto_tree_add_uint|proto_tree_add_string|proto_item_add_subtree) / {
               gsub(",", "", $1); n += $1; k++ } END { if (k == 4) print n }'
    }
    for s in $sizes; do
      case " $pairs " in *" plain "*) ;; *) break ;; esac
      l=curve-${s%%:*}-${s##*:}
      a=$(tree_cost "$TS_OUT/$l.plugin-plain.callgrind"); b=$(tree_cost "$TS_OUT/$l.base-plain.callgrind")
      [ -n "$a" ] && [ -n "$b" ] || ts_die "no tree functions found in the callgrind profiles of $l"
      [ "$a" = "$b" ] || ts_die "plain run on $l: the tree functions cost $a instructions with the plugin, $b without (a tree is built)"
      printf '%s\t%s\t%s\t%s\t\t\t%s\n' "$l" "${frames[$l]}" "${streams[$l]}" notree "$a" >> "$results"
    done
    case " $pairs " in *" plain "*)
      echo "bench: plain runs build no tree with the plugin (Wireshark's tree functions cost the same with and without it)" ;;
    esac
  fi
  chmod a+r "$results"
fi

[ -f "$results" ] || { echo "bench: no $results" >&2; exit 2; }
echo
awk -F'\t' '
  NR == 1 { next }
  { frames[$1] = $2; streams[$1] = $3
    if ($5 != "") { k = $1 SUBSEP $4; cpu[k, ++ncpu[k]] = $5; if ($6 > rss[k]) rss[k] = $6 }
    if ($7 != "") ins[$1, $4] = $7
    if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  function median(k,   m, i, j, t, v) {
    m = ncpu[k]; if (!m) return ""
    for (i = 1; i <= m; i++) v[i] = cpu[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  # what the frames between two captures cost: start-up (the same in both) cancels
  function per_frame(c0, c, r) { return (ins[c, r] - ins[c0, r]) / (frames[c] - frames[c0]) }
  BEGIN {
    name["plain"] = "plain tshark -r (no tree)"; target["plain"] = 1.05
    name["conv"] = "-q -z tcpstate,conv / -q -z conv,tcp"; target["conv"] = 1.25
    name["fields"] = "-T fields TCP + 2 tcpstate / TCP only"; target["fields"] = 1.10
    name["control"] = "control: TCP + 2 Wireshark strings / TCP"
    split("plain conv fields control", P, " ")
  }
  END {
    for (i = 1; i <= n; i++) if (order[i] ~ /^curve-/) curve[++nc] = order[i]
    if (nc >= 2) {
      print "instructions per frame (callgrind; from one capture size to the next, so that tshark'"'"'s"
      print "start-up cancels; the last column from the smallest to the largest), with / without:"
      printf "  %-40s", ""
      for (j = 2; j <= nc; j++) printf " %24s", frames[curve[j - 1]] "-" frames[curve[j]] " frames"
      printf " %24s\n", frames[curve[1]] "-" frames[curve[nc]] " frames"
      for (p = 1; p <= 4; p++) {
        if (P[p] == "control" && !((curve[1], "plugin-control") in ins)) continue # only when asked
        printf "  %-40s", name[P[p]]
        # a ratio left out (--ratios) has no counts: no figure, not a "met"
        for (j = 1; j <= nc; j++)
          if (!((curve[j], "plugin-" P[p]) in ins) || !((curve[j], "base-" P[p]) in ins)) break
        if (j <= nc) { print " not measured"; continue }
        for (j = 2; j <= nc + 1; j++) {
          c0 = j <= nc ? curve[j - 1] : curve[1]; c = j <= nc ? curve[j] : curve[nc]
          a = per_frame(c0, c, "plugin-" P[p]); b = per_frame(c0, c, "base-" P[p])
          printf " %7.0f/%-7.0f %7.3f", a, b, a / b
        }
        r_ins[P[p]] = a / b
        print ""
      }
      print ""
    }
    for (i = 1; i <= n; i++) if (order[i] ~ /^bench-/) bc = order[i]
    if (bc != "") {
      printf "CPU seconds (user+sys, median), %s (%d frames, %d streams), with / without:\n", bc, frames[bc], streams[bc]
      for (p = 1; p <= 4; p++) {
        if (!ncpu[bc SUBSEP "plugin-" P[p]] || !ncpu[bc SUBSEP "base-" P[p]]) continue
        a = median(bc SUBSEP "plugin-" P[p]); b = median(bc SUBSEP "base-" P[p])
        printf "  %-40s %7.2f / %-7.2f %6.3f\n", name[P[p]], a, b, a / b
        r_cpu[P[p]] = a / b
      }
      print ""
    }
    for (i = 1; i <= n; i++) { if (order[i] ~ /^flood-/) fc = order[i]; if (order[i] ~ /^frames-/) sc = order[i] }
    if (fc != "" && sc != "") {
      print "retained memory (max RSS with - without the plugin, tshark -2 runs: every stream tracked):"
      for (q = 1; q <= 2; q++) {
        c = q == 1 ? fc : sc
        d[c] = (rss[c SUBSEP "plugin-tracking"] - rss[c SUBSEP "base-tracking"]) * 1024
        printf "  %-26s %d frames, %d streams: %+.1f MB (%.0f KB without)\n", c, frames[c], streams[c], d[c] / 1048576, rss[c SUBSEP "base-tracking"]
      }
      # d = per_frame * frames + per_stream * streams, solved on the two captures
      f1 = frames[fc]; s1 = streams[fc]; f2 = frames[sc]; s2 = streams[sc]; det = f1 * s2 - f2 * s1
      if (det != 0) {
        mf = (d[fc] * s2 - d[sc] * s1) / det; ms = (f1 * d[sc] - f2 * d[fc]) / det
        printf "  fit: %.1f bytes per frame + %.1f bytes per stream\n", mf, ms
      }
      print ""
    }
    print "== issue 14 (with the plugin / without; target)"
    for (p = 1; p <= 3; p++) {
      line = sprintf("%-42s", name[P[p]])
      if (P[p] in r_ins) line = line sprintf("  instructions %.3f", r_ins[P[p]])
      if (P[p] in r_cpu) line = line sprintf("  CPU %.3f (%s)", r_cpu[P[p]], bc)
      # the verdict from the instructions; CPU time alone is too noisy to decide
      v = (P[p] in r_ins) ? r_ins[P[p]] : ""
      printf "%s  target <= %.2f: %s\n", line, target[P[p]],
        (v == "" ? "not decided (not measured by callgrind)" : v <= target[P[p]] ? "met" : "MISSED")
    }
    if (ms != "")
      printf "%-42s  %.0f B  target <= 256 B: %s\n", "retained memory per stream", ms, ms <= 256 ? "met" : "MISSED"
    else
      printf "%-42s  not measured\n", "retained memory per stream"
  }' "$results"
echo
echo "bench: results in $results"
