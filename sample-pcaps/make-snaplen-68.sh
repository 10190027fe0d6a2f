#!/bin/bash
# Make snaplen-68.pcapng: three connections as a capture with tcpdump's old
# default snapshot length of 68 bytes shows them, every SYN and SYN-ACK cut
# inside its TCP options (tcpstate must still track every segment).
#
#   sudo sample-pcaps/make-snaplen-68.sh [OUTPUT]   # default: sample-pcaps/snaplen-68.pcapng
#
# 1. IPv4 over Ethernet: real Linux traffic between two network namespaces,
#    captured by tcpdump -s 68 on the client's veth (14 + 20 + 20 = 54 bytes
#    of headers: 14 of the SYN's 20 option bytes are cut).
# 2. IPv6: real Linux traffic captured by tcpdump (full frames) on the same
#    veth, then stored as a raw-IP link cut at 68 bytes (tools/craft.py
#    raw_ip_cut: the Ethernet header dropped, each frame cut at 68 bytes), which
#    is what tcpdump -s 68 records on a link without a link-layer header (a
#    tunnel or tun device): 40 + 20 = 60 bytes of
#    headers, 12 of the 20 option bytes cut. Over Ethernet, 68 bytes would cut
#    the fixed TCP header itself (before the window), which no tool can track.
# 3. IPv4 in IPv4 on a raw-IP link, cut at 68 bytes: crafted by
#    tools/craft.py (snaplen_68_tunnel), as this kernel has no ipip device.
#
# The namespaces are ${NS_PREFIX}s68-cli and ${NS_PREFIX}s68-srv (NS_PREFIX
# defaults to "dp-"), joined by one veth pair, 10.99.68.0/24 and
# fd00:99:68::/64; no packet leaves them. They are removed on exit.
# Requirements: root, iproute2, ethtool, tcpdump, editcap, mergecap, tshark,
# Debian's /usr/bin/python3 with python3-scapy.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/snaplen-68.pcapng}
PY=/usr/bin/python3
P=${NS_PREFIX:-dp-}
NS_CLI=${P}s68-cli
NS_SRV=${P}s68-srv
CLI=$NS_CLI SRV=$NS_SRV
CLI4=10.99.68.1 SRV4=10.99.68.2 CLI6=fd00:99:68::1 SRV6=fd00:99:68::2
MAC_CLI=02:00:00:00:68:01 MAC_SRV=02:00:00:00:68:02
PORT=8068
RUN=$(mktemp -d /tmp/snaplen-68.XXXXXX)
. "$HERE/tools/netns.sh" # setup_direct
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$CLI" 2>/dev/null || true
    ip netns del "$SRV" 2>/dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "make-snaplen-68.sh: must run as root" >&2; exit 1; }
setup_direct

# One request and reply per connection; the client closes first. Both
# programs are time-limited, so nothing can hang.
SERVER='
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1)
open(sys.argv[3], "w").close()
c, _ = s.accept(); c.recv(1000); c.sendall(b"HTTP/1.0 204 No Content\r\n\r\n")
c.recv(1000); c.close()
'
CLIENT='
import socket, sys, time
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
c.sendall(b"GET / HTTP/1.0\r\n\r\n"); c.recv(1000); time.sleep(0.05); c.close()
'
capture() { # capture NAME SNAPLEN FILTER
    ip netns exec "$CLI" timeout 30 tcpdump -i cli0 -n --immediate-mode -U -s "$2" \
        -w "$RUN/$1.pcap" "$3" 2> "$RUN/$1.log" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q "listening on" "$RUN/$1.log" && break; sleep 0.05; done
    grep -q "listening on" "$RUN/$1.log" || { cat "$RUN/$1.log" >&2; exit 1; }
}
connect() { # connect SERVER-ADDRESS
    rm -f "$RUN/ready"
    ip netns exec "$SRV" timeout 10 "$PY" -c "$SERVER" "$1" "$PORT" "$RUN/ready" &
    local server=$!
    for _ in $(seq 100); do [ -f "$RUN/ready" ] && break; sleep 0.05; done
    ip netns exec "$CLI" timeout 10 "$PY" -c "$CLIENT" "$1" "$PORT"
    wait "$server"
}

capture v4 68 "ip and tcp"
capture v6 0 "ip6 and tcp"
sleep 0.3
connect "$SRV4"
sleep 0.2
connect "$SRV6"
sleep 0.5
for pid in "${PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
wait
PIDS=()

last=$(tshark -r "$RUN/v6.pcap" -T fields -e frame.time_epoch 2>/dev/null | tail -1)
"$PY" -c "import sys; sys.path.insert(0, '$HERE/tools'); import craft
craft.raw_ip_cut('$RUN/v6.pcap', '$RUN/v6-68.pcap')
craft.snaplen_68_tunnel('$RUN/tunnel.pcap', float('$last') + 0.5)"
mergecap -F pcapng -w "$RUN/out.pcapng" "$RUN/v4.pcap" "$RUN/v6-68.pcap" "$RUN/tunnel.pcap"

# Three connections, each with a SYN and a SYN-ACK whose options are cut.
cut=$(tshark -r "$RUN/out.pcapng" -Y 'tcp.flags.syn == 1 && frame.cap_len < frame.len' 2>/dev/null | wc -l)
streams=$(tshark -r "$RUN/out.pcapng" -T fields -e tcp.stream 2>/dev/null | sort -u | grep -c .)
[ "$cut" = 6 ] && [ "$streams" = 3 ] || {
    echo "make-snaplen-68.sh: expected 3 streams with 6 cut SYNs, got $streams and $cut" >&2
    exit 1
}
cp "$RUN/out.pcapng" "$OUT"
echo "wrote $OUT ($(tshark -r "$OUT" 2>/dev/null | wc -l) frames)"
