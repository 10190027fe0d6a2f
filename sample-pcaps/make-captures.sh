#!/bin/bash
# Regenerate the sample captures in this directory from the running Linux
# kernel, and check each one with tshark before it replaces the old one.
#
#   sudo ./make-captures.sh                 # all captures, into this directory
#   sudo ./make-captures.sh lesson ipv6     # only some of them
#   sudo ./make-captures.sh -o DIR ...      # write the captures to DIR instead
#   sudo NS_PREFIX=x ./make-captures.sh ... # namespaces x-cli, x-srv, x-relay
#
# Every scenario runs in network namespaces of its own (tcpstate-cli,
# tcpstate-srv and, where delays or a loss are needed, tcpstate-relay) joined
# by veth pairs; no packet ever leaves them.  tcpdump captures on the
# client's interface.  The namespaces are built anew for each attempt and
# removed on exit, also after a failure or Ctrl-C.
#
# Timing-dependent scenarios can, rarely, come out differently (e.g. the
# kernel merges two segments); each scenario is therefore tried up to
# $ATTEMPTS times and only a capture that passes tools/check_capture.py is
# installed.  The script exits non-zero if any capture could not be made.
#
# Requirements: root, iproute2, iptables, ethtool, tcpdump, tshark, curl,
# python3 (Debian's /usr/bin/python3).  See README.md.

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS=$HERE/tools
PY=/usr/bin/python3
ATTEMPTS=3

ALL_SCENARIOS=(lesson server-close refused half-close rst-abort syn-timeout
               lost-final-ack simultaneous-close simultaneous-open midstream ipv6
               tcp-keepalive)

NS_PREFIX=${NS_PREFIX:-tcpstate}
export NS_PREFIX      # the same names in each attempt's child process
NS_CLI=$NS_PREFIX-cli
NS_SRV=$NS_PREFIX-srv
NS_RLY=$NS_PREFIX-relay
NAMESPACES=("$NS_CLI" "$NS_SRV" "$NS_RLY")

# Fixed MAC addresses and static neighbour entries: no ARP/ND exchange can
# delay the first segment (this matters for the simultaneous scenarios, where
# both SYNs or FINs must leave at the same instant).
MAC_CLI=02:99:00:00:00:01
MAC_SRV=02:99:00:00:00:02
MAC_RLY_CLI=02:99:00:00:01:01
MAC_RLY_SRV=02:99:00:00:01:02
# Direct link (client <-> server).
CLI4=10.99.1.1 SRV4=10.99.1.2 CLI6=fd00:99::1 SRV6=fd00:99::2
# Relayed link (client <-> relay <-> server): one subnet, the relay is a wire.
RCLI4=10.99.2.1 RSRV4=10.99.2.2
PORT=6302           # every server listens here
CLOSED_PORT=6399    # nothing listens here (refused)

log() { printf '%s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------ cleanup

delete_namespaces() {
    local ns
    for ns in "${NAMESPACES[@]}"; do
        if [ -e "/run/netns/$ns" ]; then
            ip netns del "$ns" || log "warning: could not delete namespace $ns"
        fi
    done
}

PIDS=()      # our background processes not yet reaped
# Stop one process we started: the signal first, SIGKILL if it lingers.
stop_pid() {
    local pid=$1 sig=${2:-TERM} i
    kill -"$sig" "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    # Deleting the namespaces also removes their veth interfaces (and with
    # them the iptables rule and sysctl of syn-timeout).
    delete_namespaces
}

# ------------------------------------------------------------ small helpers

# Run a command in a namespace in the background, bounded by a timeout.
#   in_bg NS SECONDS LOGNAME CMD...     (sets BG_PID)
in_bg() {
    local ns=$1 secs=$2 logname=$3
    shift 3
    ip netns exec "$ns" timeout -k 2 "$secs" "$@" >"$RUN/$logname.log" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

# Wait for a background process and fail (showing its log) if it failed.
expect_ok() {
    local pid=$1 logname=$2 rc=0 p kept=()
    wait "$pid" || rc=$?
    # Once reaped, its PID may be reused by someone else: forget it so that
    # cleanup never signals a stranger.
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
    PIDS=("${kept[@]}")
    if [ "$rc" -ne 0 ]; then
        sed 's/^/    | /' "$RUN/$logname.log" >&2
        die "$logname exited with status $rc"
    fi
}

wait_for_file() {
    local file=$1 secs=$2 i
    for i in $(seq $((secs * 20))); do
        [ -e "$file" ] && return 0
        sleep 0.05
    done
    die "timed out waiting for $file"
}

# Wall-clock instant N seconds from now, for the peers that must act at once.
deadline_in() { $PY -c "import time, sys; print('%.6f' % (time.time() + float(sys.argv[1])))" "$1"; }

PEERS=("$PY" "$TOOLS/peers.py")

# ------------------------------------------------------------------ network

# Bring a veth end up with its offloads off: otherwise the kernel hands
# tcpdump (and the relay) 64 KB super-segments and segments whose checksum is
# left for a NIC that does not exist.
. "$TOOLS/netns.sh" # veth_up, new_namespace, setup_direct

# client <-> relay <-> server, IPv4 only.  The relay's interfaces have no
# addresses and IPv6 is off in all three namespaces, so the relay's own kernel
# stays silent and the only frames on the links are the scenario's.
setup_relay() {
    local ns
    for ns in "$NS_CLI" "$NS_SRV" "$NS_RLY"; do
        new_namespace "$ns"
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    done
    ip -n "$NS_CLI" link add cli0 address "$MAC_CLI" type veth \
        peer name rly-cli address "$MAC_RLY_CLI" netns "$NS_RLY"
    ip -n "$NS_SRV" link add srv0 address "$MAC_SRV" type veth \
        peer name rly-srv address "$MAC_RLY_SRV" netns "$NS_RLY"
    veth_up "$NS_CLI" cli0
    veth_up "$NS_SRV" srv0
    veth_up "$NS_RLY" rly-cli
    veth_up "$NS_RLY" rly-srv
    # The client's frames are addressed to the server's MAC, not the relay's.
    ip -n "$NS_RLY" link set rly-cli promisc on
    ip -n "$NS_RLY" link set rly-srv promisc on
    ip -n "$NS_CLI" addr add "$RCLI4/24" dev cli0
    ip -n "$NS_SRV" addr add "$RSRV4/24" dev srv0
    ip -n "$NS_CLI" neigh replace "$RSRV4" lladdr "$MAC_SRV" dev cli0 nud permanent
    ip -n "$NS_SRV" neigh replace "$RCLI4" lladdr "$MAC_CLI" dev srv0 nud permanent
}

# start_relay DELAY_MS [relay options...]
start_relay() {
    local delay=$1
    shift
    in_bg "$NS_RLY" 40 relay "$PY" "$TOOLS/relay.py" --client-if rly-cli --server-if rly-srv \
        --delay-ms "$delay" --duration 30 --ready-file "$RUN/relay.ready" "$@"
    RELAY_PID=$BG_PID
    wait_for_file "$RUN/relay.ready" 5
}

stop_relay() {
    stop_pid "$RELAY_PID" TERM
    expect_ok "$RELAY_PID" relay
}

# ------------------------------------------------------------------ capture

# Capture TCP on the client's interface.  Returns only once tcpdump really
# captures: it prints "listening on" after the socket is set up; the short
# sleep covers the rest of its start-up.
start_capture() {
    in_bg "$NS_CLI" 60 tcpdump tcpdump -i cli0 -n --immediate-mode -U -s 0 -w "$PCAP" tcp
    TCPDUMP_PID=$BG_PID
    local i
    for i in $(seq 100); do
        grep -q "listening on" "$RUN/tcpdump.log" && break
        kill -0 "$TCPDUMP_PID" 2>/dev/null || die "tcpdump failed: $(cat "$RUN/tcpdump.log")"
        sleep 0.05
    done
    grep -q "listening on" "$RUN/tcpdump.log" || die "tcpdump did not start"
    sleep 0.3
}

# stop_capture [SECONDS]: give trailing segments time to arrive, then stop.
stop_capture() {
    sleep "${1:-0.3}"
    stop_pid "$TCPDUMP_PID" TERM
    expect_ok "$TCPDUMP_PID" tcpdump
    # Every packet the filter accepted must be in the file (--immediate-mode
    # matters here: otherwise packets still in the ring are lost on exit).
    local captured received
    captured=$(sed -n 's/^\([0-9]*\) packets\? captured$/\1/p' "$RUN/tcpdump.log")
    received=$(sed -n 's/^\([0-9]*\) packets\? received by filter$/\1/p' "$RUN/tcpdump.log")
    if ! grep -q "^0 packets dropped by kernel" "$RUN/tcpdump.log" \
            || [ -z "$captured" ] || [ "$captured" != "$received" ]; then
        die "tcpdump lost packets: $(cat "$RUN/tcpdump.log")"
    fi
}

# ---------------------------------------------------------------- scenarios
# Each sets CLIENT_ADDR (for the checker) and leaves the capture in $PCAP.

# curl fetches two pages over one keep-alive connection and exits, so the
# client closes first; the server closes at once (FIN+ACK).
http_lesson() {
    local srv=$1 url=$2
    setup_direct
    start_capture
    in_bg "$NS_SRV" 20 server "${PEERS[@]}" http server --server "$srv" --ready-file "$RUN/ready"
    local server=$BG_PID
    wait_for_file "$RUN/ready" 5
    # -g: no URL globbing, so that [fd00:99::2] is taken literally.
    ip netns exec "$NS_CLI" curl -g -s --noproxy '*' --max-time 10 \
        "$url/" "$url/a" >"$RUN/curl.out" || die "curl failed"
    expect_ok "$server" server
    stop_capture
    [ "$(grep -c 'Hello from' "$RUN/curl.out")" -eq 2 ] || die "curl did not get two pages"
}

scenario_lesson() {
    CLIENT_ADDR=$CLI4
    http_lesson "$SRV4" "http://$SRV4:$PORT"
}

scenario_ipv6() {
    CLIENT_ADDR=$CLI6
    http_lesson "$SRV6" "http://[$SRV6]:$PORT"
}

# Plain server/client pair on the direct link: run_pair SCENARIO [client options].
run_pair() {
    local scenario=$1
    shift
    in_bg "$NS_SRV" 20 server "${PEERS[@]}" "$scenario" server --server "$SRV4" --ready-file "$RUN/ready"
    local server=$BG_PID
    wait_for_file "$RUN/ready" 5
    in_bg "$NS_CLI" 20 client "${PEERS[@]}" "$scenario" client --server "$SRV4" "$@"
    local client=$BG_PID
    expect_ok "$client" client
    expect_ok "$server" server
}

scenario_server_close() {
    CLIENT_ADDR=$CLI4
    setup_direct
    start_capture
    run_pair server-close
    stop_capture
}

scenario_refused() {
    CLIENT_ADDR=$CLI4
    setup_direct
    start_capture
    in_bg "$NS_CLI" 10 client "${PEERS[@]}" refused client --server "$SRV4" --port "$CLOSED_PORT"
    expect_ok "$BG_PID" client
    stop_capture
}

scenario_half_close() {
    CLIENT_ADDR=$CLI4
    setup_direct
    start_capture
    run_pair half-close
    stop_capture
}

scenario_rst_abort() {
    CLIENT_ADDR=$CLI4
    setup_direct
    start_capture
    run_pair rst-abort
    stop_capture
}

# The server's namespace silently drops SYNs; with tcp_syn_retries=2 the
# client's kernel gives up after the SYN and two retransmissions (~1 s, ~2 s
# apart; it waits another ~4 s before reporting ETIMEDOUT).
# Recent kernels (e.g. 6.18) retransmit the first SYNs at a constant 1 s
# (net.ipv4.tcp_syn_linear_timeouts, default 4) while still allowing the
# exponential model's total time (7 s for 2 retries), which gives 6 SYNs
# instead of 3; turn that off to get the classic exponential back-off.
scenario_syn_timeout() {
    CLIENT_ADDR=$CLI4
    setup_direct
    ip netns exec "$NS_SRV" iptables -A INPUT -p tcp --syn --dport "$PORT" -j DROP
    ip netns exec "$NS_CLI" sysctl -qw net.ipv4.tcp_syn_retries=2
    if ip netns exec "$NS_CLI" test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts; then
        ip netns exec "$NS_CLI" sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
    fi
    start_capture
    in_bg "$NS_CLI" 20 client "${PEERS[@]}" syn-timeout client --server "$SRV4" --timeout 15
    expect_ok "$BG_PID" client
    stop_capture
}

# The client closes first; the relay drops its final ACK, so the server
# repeats its FIN after one RTO (~200 ms) and the client answers from
# TIME-WAIT.  The capture point is before the relay: both ACKs are seen.
scenario_lost_final_ack() {
    CLIENT_ADDR=$RCLI4
    setup_relay
    start_relay 5 --drop-final-ack
    start_capture
    in_bg "$NS_SRV" 20 server "${PEERS[@]}" lost-final-ack server --server "$RSRV4" --ready-file "$RUN/ready"
    local server=$BG_PID
    wait_for_file "$RUN/ready" 5
    in_bg "$NS_CLI" 20 client "${PEERS[@]}" lost-final-ack client --server "$RSRV4"
    expect_ok "$BG_PID" client
    expect_ok "$server" server
    # The server process is gone, but its kernel still holds the connection
    # in LAST-ACK; wait for the retransmitted FIN and the new ACK.
    stop_capture 1.5
    stop_relay
}

# 50 ms each way: both peers close at the same wall-clock instant, so each
# FIN is on the wire before the other one arrives.
scenario_simultaneous_close() {
    CLIENT_ADDR=$RCLI4
    setup_relay
    start_relay 50
    start_capture
    local deadline
    deadline=$(deadline_in 2)
    in_bg "$NS_SRV" 20 server "${PEERS[@]}" simultaneous-close server --server "$RSRV4" \
        --ready-file "$RUN/ready" --deadline "$deadline"
    local server=$BG_PID
    wait_for_file "$RUN/ready" 5
    in_bg "$NS_CLI" 20 client "${PEERS[@]}" simultaneous-close client --server "$RSRV4" --deadline "$deadline"
    expect_ok "$BG_PID" client
    expect_ok "$server" server
    stop_capture 0.5
    stop_relay
}

# No listener: both peers bind a fixed port and connect() to each other at
# the same instant; with 50 ms each way the SYNs cross.
scenario_simultaneous_open() {
    CLIENT_ADDR=$RCLI4
    setup_relay
    start_relay 50
    start_capture
    local deadline
    deadline=$(deadline_in 1.5)
    in_bg "$NS_SRV" 20 peer-b "${PEERS[@]}" simultaneous-open b \
        --local "$RSRV4:40002" --remote "$RCLI4:40001" --deadline "$deadline"
    local b=$BG_PID
    in_bg "$NS_CLI" 20 peer-a "${PEERS[@]}" simultaneous-open a \
        --local "$RCLI4:40001" --remote "$RSRV4:40002" --deadline "$deadline"
    expect_ok "$BG_PID" peer-a
    expect_ok "$b" peer-b
    stop_capture 0.5
    stop_relay
}

# The connection is established before tcpdump starts; the client waits for
# a go signal that is given only once the capture really runs.
scenario_midstream() {
    CLIENT_ADDR=$CLI4
    setup_direct
    in_bg "$NS_SRV" 20 server "${PEERS[@]}" midstream server --server "$SRV4" --ready-file "$RUN/ready"
    local server=$BG_PID
    wait_for_file "$RUN/ready" 5
    in_bg "$NS_CLI" 20 client "${PEERS[@]}" midstream client --server "$SRV4" \
        --ready-file "$RUN/connected" --go-file "$RUN/go"
    local client=$BG_PID
    wait_for_file "$RUN/connected" 5
    sleep 0.2   # let the handshake's last ACK pass before capturing
    start_capture
    touch "$RUN/go"
    expect_ok "$client" client
    expect_ok "$server" server
    stop_capture
}

# The client's kernel checks an idle connection with TCP keep-alive probes
# (SO_KEEPALIVE, first probe after 1 s idle, then every 1 s); the server's
# kernel answers each.  After about 3.5 s idle the client closes.
scenario_tcp_keepalive() {
    CLIENT_ADDR=$CLI4
    setup_direct
    start_capture
    run_pair tcp-keepalive
    stop_capture
}

# ------------------------------------------------------------------- driver

# One attempt at one scenario, in a child process so that set -e, the
# cleanup trap and the process list apply to this attempt alone.
run_one() {
    local name=$1
    RUN=$WORK/$name.$2
    PCAP=$RUN/$name.pcap
    mkdir -p "$RUN"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    delete_namespaces       # leftovers of an interrupted earlier run
    "scenario_${name//-/_}"
    cleanup
    trap - EXIT
    "$PY" "$TOOLS/check_capture.py" "$name" "$PCAP" --client "$CLIENT_ADDR"
    cp "$PCAP" "$OUT_DIR/$name.pcap"
}

main() {
    OUT_DIR=$HERE
    if [ "${1:-}" = "-o" ]; then
        [ $# -ge 2 ] && [ -d "$2" ] || die "-o needs an existing directory"
        OUT_DIR=$(cd "$2" && pwd)
        shift 2
    fi
    export OUT_DIR
    [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, tcpdump)"
    local tool pkg
    for tool in ip:iproute2 iptables:iptables ethtool:ethtool tcpdump:tcpdump \
                tshark:tshark curl:curl timeout:coreutils "$PY:python3"; do
        pkg=${tool##*:}
        tool=${tool%:*}
        command -v "$tool" >/dev/null \
            || die "missing $tool: apt-get install $pkg (see README.md)"
    done
    local scenarios=("$@") name
    [ ${#scenarios[@]} -gt 0 ] || scenarios=("${ALL_SCENARIOS[@]}")
    for name in "${scenarios[@]}"; do
        [[ " ${ALL_SCENARIOS[*]} " == *" $name "* ]] || die "unknown capture '$name' (known: ${ALL_SCENARIOS[*]})"
    done

    WORK=$(mktemp -d /tmp/tcpstate-captures.XXXXXX)
    export WORK
    trap 'delete_namespaces' EXIT
    trap 'log "interrupted"; rm -rf "$WORK"; exit 130' INT TERM

    local failed=() attempt
    for name in "${scenarios[@]}"; do
        for attempt in $(seq "$ATTEMPTS"); do
            if bash "$HERE/make-captures.sh" --one "$name" "$attempt"; then
                continue 2
            fi
            log "warning: $name: attempt $attempt of $ATTEMPTS failed"
        done
        failed+=("$name")
    done

    if [ ${#failed[@]} -gt 0 ]; then
        log ""
        log "FAILED: ${failed[*]}  (old captures kept; logs and rejected captures in $WORK)"
        exit 1
    fi
    rm -rf "$WORK"
    log "all ${#scenarios[@]} captures regenerated and checked"
}

if [ "${1:-}" = "--one" ]; then
    run_one "$2" "$3"
else
    main "$@"
fi
