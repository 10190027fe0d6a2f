#!/bin/bash
# Make your own lesson capture: curl fetches two pages over one keep-alive
# connection from Python's HTTP/1.1 server on port 6302, then exits (the
# client closes first); tcpdump records it.  Then tshark with the tcpstate
# plugin checks that the capture has the lesson's shape and draws its ladder.
# docs/tutorial.md, section 2.1, explains the result.
#
#   sudo bash make-lesson.sh                  # writes lesson-mine.pcap here
#   sudo bash make-lesson.sh -o FILE.pcap     # somewhere else
#   sudo bash make-lesson.sh --lo             # on the loopback interface lo
#   bash make-lesson.sh --check FILE.pcap     # only check a capture you made
#
# By default the client and the server each get a network namespace of their
# own (tut-cli, tut-srv, joined by a veth pair, 10.99.1.1 and 10.99.1.2, the
# addresses of lesson.pcap); tcpdump listens on the client's interface cli0.
# Nothing leaves these namespaces and they are removed at the end, also after
# an error or Ctrl-C.  With --lo everything runs in the machine's own
# namespace on 127.0.0.1, the way you would do it by hand in three terminals:
#
#   python3 -m http.server --protocol HTTP/1.1 --bind 127.0.0.1 6302
#   tcpdump -i lo -w mine.pcap 'tcp port 6302'
#   curl -s -o /dev/null -o /dev/null http://127.0.0.1:6302/ http://127.0.0.1:6302/a
#
# Requirements (Debian 12, as root): apt-get install python3 curl tcpdump
# iproute2 ethtool tshark, and the tcpstate plugin (scripts/setup.sh, or
# TSHARK="scripts/tshark-with-plugin build/plugin/tcpstate.so" to use a build).
#
# Exit status: 0 if the capture has the lesson's shape (three-way handshake,
# two requests and two responses on one connection, the client's FIN first,
# a three- or four-way close); 2 if it was made but has another shape (it is
# kept: see what happened with the ladder); 1 on any other error.

set -euo pipefail

PORT=6302
PREFIX=tut                        # the namespaces made here
NS_CLI=$PREFIX-cli NS_SRV=$PREFIX-srv
CLI4=10.99.1.1 SRV4=10.99.1.2 CLI6=fd00:99::1 SRV6=fd00:99::2
MAC_CLI=02:99:00:00:00:01 MAC_SRV=02:99:00:00:00:02
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tools/netns.sh"     # setup_direct
read -r -a TSHARK <<< "${TSHARK:-tshark}"

log() { printf '%s\n' "$*" >&2; }
die() { log "make-lesson: $*"; exit 1; }

usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 1; }

OUT=lesson-mine.pcap LO=0 CHECK_ONLY=0
while [ $# -gt 0 ]; do
    case $1 in
        -o) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
        --check) [ $# -ge 2 ] || usage; OUT=$2; CHECK_ONLY=1; shift 2 ;;
        --lo) LO=1; shift ;;
        -h|--help) usage ;;
        *) usage ;;
    esac
done

if [ "$CHECK_ONLY" = 1 ]; then
    [ -r "$OUT" ] || die "cannot read $OUT"
    need=("${TSHARK[0]}":tshark)
else
    [ "$(id -u)" -eq 0 ] || die "run me as root (network namespaces, tcpdump): sudo bash $0"
    need=(python3:python3 curl:curl tcpdump:tcpdump ip:iproute2 ss:iproute2
          ethtool:ethtool timeout:coreutils "${TSHARK[0]}":tshark)
fi
for tool in "${need[@]}"; do
    command -v "${tool%:*}" >/dev/null || die "missing ${tool%:*}: apt-get install ${tool#*:}"
done

WORK=$(mktemp -d /tmp/make-lesson.XXXXXX)
chmod 755 "$WORK"        # tcpdump writes here after giving up root
PIDS=()                  # processes started here and not yet reaped
MADE_NS=()               # namespaces made here

# Stop one process this script started, by its PID.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid ns
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    PIDS=()
    for ns in "${MADE_NS[@]}"; do
        # Absent if making it failed (it did not exist before: setup_network).
        [ ! -e "/run/netns/$ns" ] || ip netns del "$ns" || log "warning: could not delete namespace $ns"
    done
    MADE_NS=()
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until() { # wait_until SECONDS CMD...: poll CMD every 50 ms
    local i
    for i in $(seq $(($1 * 20))); do
        "${@:2}" && return 0
        sleep 0.05
    done
    return 1
}

# ------------------------------------------------------------------ network

# Command prefixes that run a command in the client's or the server's
# namespace (with --lo: right here). Not shell functions, so that $! of a
# background command is the command itself, which stop_pid can signal.
IN_CLI=(ip netns exec "$NS_CLI") IN_SRV=(ip netns exec "$NS_SRV")
[ "$LO" = 0 ] || IN_CLI=(env) IN_SRV=(env)

setup_network() {
    local ns
    if [ "$LO" = 1 ]; then
        SRV=127.0.0.1 CAPTURE_IF=lo
        ! listening || die "port $PORT is in use on this machine"
        return
    fi
    SRV=$SRV4 CAPTURE_IF=cli0
    for ns in "$NS_CLI" "$NS_SRV"; do
        [ ! -e "/run/netns/$ns" ] || die "namespace $ns exists already (ip netns del $ns)"
    done
    MADE_NS=("$NS_CLI" "$NS_SRV")
    # The link of the other sample captures (tools/netns.sh): the veth pair
    # cli0-srv0 with its offloads off, so that tcpdump sees the segments as a
    # network card would send them, and no ARP before the SYN.
    setup_direct
}

listening() { "${IN_SRV[@]}" ss -Htln "sport = :$PORT" | grep -q .; }
tcpdump_listens() { grep -q "listening on" "$WORK/tcpdump.log"; }

# --------------------------------------------------------- the three steps

make_capture() {
    # The server's pages: / and /a.
    mkdir "$WORK/www"
    echo '<html><body>Hello from the tcpstate lesson</body></html>' > "$WORK/www/index.html"
    echo 'Hello again, same connection' > "$WORK/www/a"

    # 1. The server. HTTP/1.1 keeps the connection open after an answer
    #    (python3's default, HTTP/1.0, closes it after each one).
    "${IN_SRV[@]}" timeout -k 2 30 python3 -m http.server --protocol HTTP/1.1 \
        --bind "$SRV" --directory "$WORK/www" "$PORT" > "$WORK/server.log" 2>&1 &
    PIDS+=($!)
    wait_until 5 listening || die "the server did not start: $(cat "$WORK/server.log")"

    # 2. The capture, on the client's side. -U writes each packet at once,
    #    --immediate-mode hands it over at once: nothing is lost at the end.
    : > "$WORK/tcpdump.log"
    "${IN_CLI[@]}" timeout -k 2 30 tcpdump -i "$CAPTURE_IF" -n -s 0 -U --immediate-mode \
        -w "$WORK/lesson.pcap" "tcp port $PORT" > "$WORK/tcpdump.log" 2>&1 &
    local tcpdump=$!
    PIDS+=("$tcpdump")
    wait_until 5 tcpdump_listens || die "tcpdump did not start: $(cat "$WORK/tcpdump.log")"
    sleep 0.3

    # 3. Two URLs on one curl command: curl reuses the connection for the
    #    second one (HTTP keep-alive), then exits, which closes the connection.
    "${IN_CLI[@]}" curl -s --noproxy '*' --max-time 10 -o "$WORK/page1" -o "$WORK/page2" \
        "http://$SRV:$PORT/" "http://$SRV:$PORT/a" || die "curl failed"
    grep -q 'Hello from' "$WORK/page1" && grep -q 'Hello again' "$WORK/page2" \
        || die "curl did not get both pages"

    # The server's FIN and the client's last ACK follow within milliseconds.
    sleep 0.5
    stop_pid "$tcpdump"
    grep -q "^0 packets dropped by kernel" "$WORK/tcpdump.log" \
        || die "tcpdump lost packets: $(cat "$WORK/tcpdump.log")"
    cp "$WORK/lesson.pcap" "$OUT"
    log "wrote $OUT ($(sed -n 's/ packets\? captured$//p' "$WORK/tcpdump.log") packets)"
}

# ------------------------------------------------------- the lesson's shape

if [ "$CHECK_ONLY" = 0 ]; then
    setup_network
    make_capture
    cleanup    # the namespaces go now, the capture stays
    WORK=$(mktemp -d /tmp/make-lesson.XXXXXX)
fi

"${TSHARK[@]}" -G plugins 2>/dev/null | grep -q tcpstate \
    || die "tshark has no tcpstate plugin: install it (scripts/setup.sh) or set TSHARK (see above)"
# One line per segment, and the conv report (docs/reports.md) with the ladder.
"${TSHARK[@]}" -r "$OUT" -d "tcp.port==$PORT,http" -T fields -E occurrence=f \
    -e tcp.stream -e tcpstate.sender -e tcpstate.role -e tcp.flags.fin \
    -e http.request -e http.response > "$WORK/segments" 2>/dev/null || true
"${TSHARK[@]}" -r "$OUT" -q -z tcpstate,conv,tsv -z tcpstate,ladder > "$WORK/reports" 2>/dev/null || true

problems=()
streams=$(cut -f1 "$WORK/segments" | sort -u | grep -c . || true)
[ "$streams" = 1 ] || problems+=("$streams TCP connections instead of one")
roles=$(head -3 "$WORK/segments" | cut -f3 | tr '\n' ' ')
[ "$roles" = "syn syn-ack handshake-ack " ] \
    || problems+=("the first three segments are '$roles', not a three-way handshake")
requests=$(awk -F'\t' '$5 != ""' "$WORK/segments" | wc -l)
responses=$(awk -F'\t' '$6 != ""' "$WORK/segments" | wc -l)
[ "$requests" = 2 ] && [ "$responses" = 2 ] \
    || problems+=("$requests HTTP requests and $responses responses instead of 2 and 2")
first_fin=$(awk -F'\t' '$4 == 1 { print $2; exit }' "$WORK/segments")
[ "$first_fin" = client ] || problems+=("the first FIN came from '${first_fin:-nobody}', not from the client")
# The conv report's column "closed": three-way or four-way.
closed=$(awk -F'\t' '$1 == "stream" { for (i = 1; i <= NF; i++) c[$i] = i; next }
                     c["closed"] && NF > 1 { print $c["closed"]; exit }' "$WORK/reports")
case $closed in
    three-way) how="three-way:
the server's FIN carried its ACK of the client's FIN, as in lesson.pcap" ;;
    four-way) how="four-way:
the server's ACK of the client's FIN left alone, before the server's FIN" ;;
    *) problems+=("the connection closed '$closed', not in three or four segments") ;;
esac

echo
sed -n '/^frame/,/^=/p' "$WORK/reports" | sed '$d'
echo
if [ ${#problems[@]} -eq 0 ]; then
    echo "The lesson's shape: a three-way handshake, two requests and two responses on"
    echo "one connection, the client's FIN first; the close was $how."
    exit 0
fi
echo "Not the lesson's shape (the capture is kept; read its ladder above):"
printf '  - %s\n' "${problems[@]}"
exit 2
