#!/bin/bash
# Kernel-truth check: run a seeded workload of real Linux TCP connections
# through a lossy lab, capture it in the middle, and compare what tcpstate
# says about every endpoint with what the kernel's own state transitions say.
#
#   sudo tests/kernel-truth/run.sh --plugin build/plugin/tcpstate.so \
#        [--seed N] [--loss P] [--connections C] [--out DIR] [--half-delay-ms D]
#        [--prefix NAME] (names of the namespaces etc., default kt)
#   tests/kernel-truth/run.sh --plugin OTHER/tcpstate.so --reuse DIR
#        (no new workload: the same capture and kernel truth, another build)
#
# Root, a few minutes; NOT a CI test (see docs/accuracy.md for what it
# measures and the numbers of past runs).  The lab:
#
#   kt-cli 10.77.1.1 -- [kt-rly: delay D | capture (tcpdump on mid-a) | delay D] -- kt-srv 10.77.1.2
#
# Losses, each dropping TCP with probability P: midrelay.py drops a segment
# *before* the capture point (never captured, its sender believes it sent
# it); iptables `statistic` rules in kt-srv INPUT and kt-cli INPUT drop it
# *after* it (captured, never delivered).  Truth: the tracepoint
# sock:inet_sock_set_state (a tracefs instance of our own), plus `ss -tan`
# snapshots in both namespaces for what the tracepoint cannot show (TIME-WAIT
# and FIN-WAIT-2 time-wait sockets, listeners' request sockets).
#
# Everything (capture, trace, snapshots, plan, logs, results) is kept in the
# output directory (default /work/kernel-truth-out/seed<N>-loss<P>).
# Namespaces, the tracefs instance and the tracefs mount (if this script made
# it) are removed on exit, also after a failure or Ctrl-C.

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3

PLUGIN= SEED=1 LOSS=0.02 CONNECTIONS=1000 OUT= HALF_DELAY_MS=2.5 REUSE= PREFIX=kt
while [ $# -gt 0 ]; do
    case $1 in
        --plugin) PLUGIN=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --loss) LOSS=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --half-delay-ms) HALF_DELAY_MS=$2; shift 2 ;;
        --reuse) REUSE=$2; shift 2 ;;
        --prefix) PREFIX=$2; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

# --prefix names what the lab creates: its namespaces, its tracefs instance
# and its iptables chain (default kt: kt-cli, kt-srv, kt-rly, kt-truth, kt-loss).
case $PREFIX in [a-z]*) ;; *) echo "--prefix must start with a lower-case letter" >&2; exit 2 ;; esac
NS_CLI=$PREFIX-cli NS_SRV=$PREFIX-srv NS_RLY=$PREFIX-rly
NAMESPACES=("$NS_CLI" "$NS_SRV" "$NS_RLY")
CLI=10.77.1.1 SRV=10.77.1.2
MAC_CLI=02:77:00:00:00:01 MAC_SRV=02:77:00:00:00:02
PORT=7300 CLOSED_PORT=7399
TRACEFS=/sys/kernel/tracing
INSTANCE=$TRACEFS/instances/$PREFIX-truth
MOUNTED_TRACEFS=0
PIDS=()

log() { printf '[kt %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ -n "$PLUGIN" ] && [ -f "$PLUGIN" ] || die "--plugin PATH/tcpstate.so is required"
PLUGIN=$(cd "$(dirname "$PLUGIN")" && pwd)/$(basename "$PLUGIN")

# The one place that runs tshark with the plugin under test: the harness may
# change (scripts/tshark-with-plugin today), the rest of this script not.
plugin_tshark() {
    "$ROOT/scripts/tshark-with-plugin" "$PLUGIN" "$@"
}

# tshark with the plugin over the capture in $OUT, then the comparison.
analyse() {
    local seed loss
    seed=$(sed -n 's/^seed=//p' "$OUT/run.txt") loss=$(sed -n 's/^loss=//p' "$OUT/run.txt")
    log "running tshark with $PLUGIN"
    plugin_tshark -G plugins 2>/dev/null | grep -q '^tcpstate\.so' || die "tshark did not load $PLUGIN"
    plugin_tshark -r "$OUT/capture.pcap" -T fields -E separator=/t -E occurrence=f \
        -e frame.number -e frame.time_epoch -e tcp.stream -e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport \
        -e tcp.flags.str -e tcpstate.sender -e tcpstate.role \
        -e tcpstate.client.prev -e tcpstate.client.state \
        -e tcpstate.server.prev -e tcpstate.server.state -e tcp.seq -e tcp.ack -e tcp.len \
        > "$OUT/fields.tsv"
    # The plugin's own correction markers (docs/fields.md, expert infos) and
    # every expert message of those frames ("State corrected: SIDE A → B:
    # evidence" names the endpoint), and the summary, whose "SIDE A → B
    # (corrected: evidence)" names the side of a crossing, and the
    # plugin's "not shown by the capture" mark (tcpstate.cannot_show): analyze.py reads which moves are
    # corrections from these, never from the shape of the sequence.
    plugin_tshark -r "$OUT/capture.pcap" -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
        -Y 'tcpstate.lost_segment || tcpstate.simultaneous_open || tcpstate.simultaneous_close || tcpstate.stale || tcpstate.rst_ignored || tcpstate.cannot_show' \
        -e frame.number -e tcpstate.lost_segment -e tcpstate.simultaneous_open \
        -e tcpstate.simultaneous_close -e tcpstate.stale -e tcpstate.rst_ignored -e _ws.expert.message \
        -e tcpstate.summary -e tcpstate.cannot_show > "$OUT/markers.tsv"
    plugin_tshark -r "$OUT/capture.pcap" -q -z tcpstate,conv > "$OUT/conv.txt"
    $PY "$HERE/analyze.py" --out "$OUT" --client "$CLI" --server "$SRV" --port "$PORT" \
        --closed-port "$CLOSED_PORT" --seed "$seed" --loss "$loss" | tee "$OUT/report.txt"
}

if [ -n "$REUSE" ]; then
    OUT=$(cd "$REUSE" && pwd)
    [ -f "$OUT/capture.pcap" ] && [ -f "$OUT/run.txt" ] || die "$REUSE holds no finished run"
    analyse
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (namespaces, iptables, tracefs, tcpdump)"
[ "$CONNECTIONS" -ge 1 ] && [ "$CONNECTIONS" -le 5000 ] || die "--connections must be 1..5000"
for tool in ip iptables ethtool tcpdump tshark ss timeout "$PY"; do
    command -v "$tool" >/dev/null || die "missing $tool (apt-get install iproute2 iptables ethtool tcpdump tshark)"
done
[ -n "$OUT" ] || OUT=/work/kernel-truth-out/seed$SEED-loss$LOSS
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# Leftovers of an earlier run in the same place (a stale stop file would end
# the new server at once).
rm -f "$OUT"/*.pcap "$OUT"/*.log "$OUT"/*.txt "$OUT"/*.json "$OUT"/*.jsonl "$OUT"/*.tsv \
    "$OUT"/*.ready "$OUT"/*.stop

# --------------------------------------------------------------- cleanup

stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local pid ns
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    PIDS=()
    if [ -d "$INSTANCE" ]; then
        echo 0 > "$INSTANCE/events/enable" 2>/dev/null || true
        rmdir "$INSTANCE" 2>/dev/null || log "warning: could not remove $INSTANCE"
    fi
    # Deleting a namespace removes its veths and iptables rules with it.
    for ns in "${NAMESPACES[@]}"; do
        [ -e "/run/netns/$ns" ] && { ip netns del "$ns" || log "warning: could not delete $ns"; }
    done
    if [ "$MOUNTED_TRACEFS" = 1 ]; then
        umount "$TRACEFS" 2>/dev/null || true
    fi
}
# Another run's lab (the names are fixed): refuse before the trap that
# would tear it down is set.
for ns in "${NAMESPACES[@]}"; do
    [ -e "/run/netns/$ns" ] && die "namespace $ns exists: another kernel-truth run in progress?"
done
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# Run a command in a namespace in the background, bounded by a timeout.
in_bg() {
    local ns=$1 secs=$2 name=$3
    shift 3
    ip netns exec "$ns" timeout -k 2 "$secs" "$@" >"$OUT/$name.log" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

wait_for_file() {
    local i
    for i in $(seq $(($2 * 20))); do [ -e "$1" ] && return 0; sleep 0.05; done
    die "timed out waiting for $1"
}

# ------------------------------------------------------------------ lab

veth_up() {
    ip -n "$1" link set "$2" up
    # No offloads: tcpdump and the relay must see wire-sized segments.
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off >/dev/null
}

setup_lab() {
    local ns
    for ns in "${NAMESPACES[@]}"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    ip -n "$NS_CLI" link add cli0 address "$MAC_CLI" type veth peer name rly-cli netns "$NS_RLY"
    ip -n "$NS_SRV" link add srv0 address "$MAC_SRV" type veth peer name rly-srv netns "$NS_RLY"
    ip -n "$NS_RLY" link add mid-a type veth peer name mid-b
    veth_up "$NS_CLI" cli0
    veth_up "$NS_SRV" srv0
    for ifc in rly-cli rly-srv mid-a mid-b; do
        veth_up "$NS_RLY" "$ifc"
        ip -n "$NS_RLY" link set "$ifc" promisc on
    done
    ip -n "$NS_CLI" addr add "$CLI/24" dev cli0
    ip -n "$NS_SRV" addr add "$SRV/24" dev srv0
    ip -n "$NS_CLI" neigh replace "$SRV" lladdr "$MAC_SRV" dev cli0 nud permanent
    ip -n "$NS_SRV" neigh replace "$CLI" lladdr "$MAC_CLI" dev srv0 nud permanent
    # Bounded retries: a refused or unanswered SYN gives up within seconds,
    # and the exponential back-off of RFC 6298 (no linear SYN timeouts).
    ip netns exec "$NS_CLI" sysctl -qw net.ipv4.tcp_syn_retries=4
    ip netns exec "$NS_SRV" sysctl -qw net.ipv4.tcp_synack_retries=4
    for ns in "$NS_CLI" "$NS_SRV"; do
        if ip netns exec "$ns" test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts; then
            ip netns exec "$ns" sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
        fi
    done
    # Loss after the capture point (INPUT: captured, never delivered), in
    # both directions; midrelay.py makes the loss before it.
    if [ "$LOSS" != 0 ]; then
        for ns in "$NS_CLI" "$NS_SRV"; do
            ip netns exec "$ns" iptables -N "$PREFIX-loss"
            ip netns exec "$ns" iptables -A "$PREFIX-loss" -p tcp -m statistic --mode random \
                --probability "$LOSS" -j DROP
            ip netns exec "$ns" iptables -A INPUT -i "${ns##*-}0" -j "$PREFIX-loss"
        done
    fi
}

# ------------------------------------------------------------- tracing

start_tracing() {
    if [ ! -d "$TRACEFS/events" ]; then
        mount -t tracefs nodev "$TRACEFS" || die "cannot mount tracefs on $TRACEFS"
        MOUNTED_TRACEFS=1
    fi
    [ -d "$TRACEFS/events/sock/inet_sock_set_state" ] || die "no sock:inet_sock_set_state tracepoint"
    [ -d "$INSTANCE" ] && rmdir "$INSTANCE"
    mkdir "$INSTANCE"
    echo 16384 > "$INSTANCE/buffer_size_kb"
    echo mono > "$INSTANCE/trace_clock"
    # Only our ports (the tracepoint sees every namespace of the machine);
    # the analysis also checks the addresses.
    echo "family == 2 && (sport == $PORT || dport == $PORT || dport == $CLOSED_PORT)" \
        > "$INSTANCE/events/sock/inet_sock_set_state/filter"
    echo 1 > "$INSTANCE/events/sock/inet_sock_set_state/enable"
    # Who sent which RST and who accepted one (tcp_reset() only runs for an
    # accepted RST): the truth behind "reset by client/server".
    local ev
    for ev in tcp_send_reset tcp_receive_reset; do
        [ -d "$INSTANCE/events/tcp/$ev" ] || die "no tcp:$ev tracepoint on this kernel"
        echo 1 > "$INSTANCE/events/tcp/$ev/enable"
    done
    echo 1 > "$INSTANCE/tracing_on"
    # The trace clock is CLOCK_MONOTONIC, the capture's is the wall clock:
    # their difference, read back to back, ties the kernel's events to frames.
    $PY -c 'import time; print("%.9f" % (time.time() - time.clock_gettime(time.CLOCK_MONOTONIC)))' \
        > "$OUT/clock-offset.txt"
}

stop_tracing() {
    echo 0 > "$INSTANCE/tracing_on"
    cat "$INSTANCE/trace" > "$OUT/trace.txt"
    # A full ring buffer would silently lose transitions: fail closed.
    local cpu lost=0 n
    for cpu in "$INSTANCE"/per_cpu/cpu*; do
        n=$(sed -n 's/^overrun: //p' "$cpu/stats")
        lost=$((lost + ${n:-0}))
    done
    [ "$lost" -eq 0 ] || die "the trace buffer overran ($lost events lost); raise buffer_size_kb"
}

# ss snapshots: TIME-WAIT / FIN-WAIT-2 time-wait sockets and request sockets
# (SYN-RECV) are not full sockets, so the tracepoint does not show them.
snapshot() {   # snapshot TAG
    local ns
    for ns in "$NS_CLI" "$NS_SRV"; do
        ip netns exec "$ns" ss -tanH | sed "s/^/$1 $ns /"
    done
}

# ---------------------------------------------------------------- main

log "seed $SEED, loss $LOSS per rule, $CONNECTIONS connections, output in $OUT"
$PY "$HERE/workload.py" plan --seed "$SEED" --connections "$CONNECTIONS" --out "$OUT/plan.json"
setup_lab
in_bg "$NS_RLY" 900 relay $PY "$HERE/midrelay.py" --half-delay-ms "$HALF_DELAY_MS" \
    --loss-before "$LOSS" --seed "$SEED" --ready-file "$OUT/relay.ready"
RELAY_PID=$BG_PID
wait_for_file "$OUT/relay.ready" 10
in_bg "$NS_RLY" 900 tcpdump tcpdump -i mid-a -n --immediate-mode -U -s 128 -B 16384 \
    -w "$OUT/capture.pcap" tcp
TCPDUMP_PID=$BG_PID
for _ in $(seq 100); do grep -q "listening on" "$OUT/tcpdump.log" && break; sleep 0.05; done
grep -q "listening on" "$OUT/tcpdump.log" || die "tcpdump did not start"
start_tracing
sleep 0.3

in_bg "$NS_SRV" 900 server $PY "$HERE/workload.py" server --plan "$OUT/plan.json" \
    --addr "$SRV" --port "$PORT" --log "$OUT/server.jsonl" \
    --ready-file "$OUT/server.ready" --stop-file "$OUT/server.stop"
SERVER_PID=$BG_PID
wait_for_file "$OUT/server.ready" 10
kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited: $(cat "$OUT/server.log")"

# Sample the sockets every 0.2 s while the workload runs.
( while [ ! -e "$OUT/snap.stop" ]; do snapshot "$(date +%s.%N)"; sleep 0.2; done ) \
    > "$OUT/ss.txt" 2>/dev/null &
SNAP_PID=$!
PIDS+=("$SNAP_PID")

log "workload running"
ip netns exec "$NS_CLI" timeout -k 2 600 $PY "$HERE/workload.py" client --plan "$OUT/plan.json" \
    --server "$SRV" --client-addr "$CLI" --port "$PORT" --closed-port "$CLOSED_PORT" \
    --log "$OUT/client.jsonl" > "$OUT/client.log" 2>&1 || die "client failed: $(tail -5 "$OUT/client.log")"
touch "$OUT/server.stop"

# Quiet: no socket left but listeners and time-wait sockets (at most 60 s,
# the longest retransmission chain that the lab's retry limits allow).
log "client done; waiting for the kernels to finish their closes"
for _ in $(seq 120); do
    # (an orphaned FIN-WAIT-2 socket waits for a FIN that may never come)
    busy=$(snapshot now | awk '$3 != "TIME-WAIT" && $3 != "LISTEN" && $3 != "FIN-WAIT-2"' | wc -l)
    [ "$busy" -eq 0 ] && break
    sleep 0.5
done
[ "$busy" -eq 0 ] || log "warning: $busy sockets still busy at capture end (see ss.txt FINAL)"
sleep 1
touch "$OUT/snap.stop"
wait "$SNAP_PID" 2>/dev/null || true
# The capture ends here; the kernel's truth is taken at the same instant.
stop_pid "$TCPDUMP_PID"
stop_tracing
snapshot FINAL >> "$OUT/ss.txt"
wait "$TCPDUMP_PID" 2>/dev/null || true
grep -q "^0 packets dropped by kernel" "$OUT/tcpdump.log" || die "tcpdump dropped packets: $(cat "$OUT/tcpdump.log")"
# Per-namespace counters: TcpExtTCPChallengeACK counts RFC 5961 challenge
# ACKs (among them the answers to RSTs that were not exactly in sequence).
for ns in "$NS_CLI" "$NS_SRV"; do ip netns exec "$ns" nstat -az > "$OUT/nstat-kt-${ns##*-}.txt"; done
stop_pid "$SERVER_PID"
stop_pid "$RELAY_PID"
cleanup
trap - EXIT

log "capture: $(grep 'packets captured' "$OUT/tcpdump.log")"
printf 'seed=%s\nloss=%s\nloss_before=relay\nconnections=%s\nhalf_delay_ms=%s\nkernel=%s\n' \
    "$SEED" "$LOSS" "$CONNECTIONS" "$HALF_DELAY_MS" "$(uname -r)" > "$OUT/run.txt"
analyse
