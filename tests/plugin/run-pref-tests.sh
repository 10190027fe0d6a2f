#!/usr/bin/env bash
# Preference tests: each preference of the plugin (-o tcpstate.NAME:VALUE)
# changes what it should and nothing else.
#
#   tests/plugin/run-pref-tests.sh PATH/TO/tcpstate.so
#
# Ends with the line "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
so=$(readlink -f "${1:?usage: run-pref-tests.sh PATH/TO/tcpstate.so}")
tshark_p() { "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" "$@" 2>/dev/null; }
pcaps=$TCPSTATE_ROOT/sample-pcaps
passed=0
failed=0

expect() { # expect NAME WANT GOT
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok    $1"
  else
    failed=$((failed + 1))
    echo "FAIL  $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/      /' | head -20
  fi
}

# info_prefix: off by default; on, the Info column of each milestone starts
# with its tag, and no other frame is tagged.
got=$(tshark_p -r "$pcaps/lesson.pcap" -T fields -e frame.number -e _ws.col.Info |
  awk -F'\t' '$2 ~ /^\[/ { print $1 }')
expect "info_prefix off by default: no tag" "" "$got"
got=$(tshark_p -r "$pcaps/lesson.pcap" -o tcpstate.info_prefix:TRUE -T fields -e frame.number \
  -e _ws.col.Info | awk -F'\t' '$2 ~ /^\[/ { split($2, t, "] "); print $1 " " t[1] "]" }')
expect "info_prefix on: tags of the lesson" "1 [HS 1/3]
2 [HS 2/3]
3 [HS 3/3]
10 [FIN 1]
11 [FIN 2/3]
12 [FIN 3/3]" "$got"
got=$(tshark_p -r "$pcaps/refused.pcap" -o tcpstate.info_prefix:TRUE -T fields -e frame.number \
  -e _ws.col.Info | awk -F'\t' '{ split($2, t, "] "); print $1 " " t[1] "]" }')
expect "info_prefix on: [RST]" "1 [HS 1/3]
2 [RST]" "$got"
got=$(tshark_p -r "$pcaps/syn-timeout.pcap" -o tcpstate.info_prefix:TRUE -T fields -e _ws.col.Info |
  sed -n '2s/\].*/]/p')
expect "info_prefix on: a repeated SYN" "[HS rexmit]" "$got"

# msl: the client of lost-final-ack.pcap enters TIME-WAIT at frame 9 and gets
# the repeated FIN 211 ms later (frame 11). With the default MSL it is still
# in TIME-WAIT; with msl 0 its TIME-WAIT has run out and it counts as CLOSED.
got=$(tshark_p -r "$pcaps/lost-final-ack.pcap" -Y frame.number==11 -T fields -e tcpstate.client.prev)
expect "msl default 60: still in TIME-WAIT after 211 ms" "TIME-WAIT" "$got"
got=$(tshark_p -r "$pcaps/lost-final-ack.pcap" -o tcpstate.msl:0 -Y frame.number==11 -T fields \
  -e tcpstate.client.prev)
expect "msl 0: TIME-WAIT over, CLOSED" "CLOSED" "$got"
got=$(tshark_p -r "$pcaps/lost-final-ack.pcap" -o tcpstate.msl:0 -2 -Y frame.number==11 -T fields \
  -e tcpstate.client.prev)
expect "msl 0, two passes: the same" "CLOSED" "$got"
got=$(tshark_p -r "$pcaps/lost-final-ack.pcap" -Y frame.number==9 -T fields -e tcpstate.why \
  -E occurrence=a -E aggregator=$'\n' | grep -o 'until [0-9.]* s')
expect "msl default: TIME-WAIT lasts 120 s" "until 120.000 s" "$got"
got=$(tshark_p -r "$pcaps/lost-final-ack.pcap" -o tcpstate.msl:30 -Y frame.number==9 -T fields \
  -e tcpstate.why -E occurrence=a -E aggregator=$'\n' | grep -o 'until [0-9.]* s')
expect "msl 30: TIME-WAIT lasts 60 s" "until 60.000 s" "$got"

# milestone_chat: a chat item per milestone by default, none when off; the
# other expert infos stay.
got=$(tshark_p -r "$pcaps/lesson.pcap" -Y tcpstate.milestone -T fields -e frame.number | tr '\n' ' ')
expect "milestone_chat default: six milestones" "1 2 3 10 11 12 " "$got"
got=$(tshark_p -r "$pcaps/lesson.pcap" -o tcpstate.milestone_chat:FALSE -Y tcpstate.milestone \
  -T fields -e frame.number)
expect "milestone_chat off: none" "" "$got"
got=$(tshark_p -r "$pcaps/lesson.pcap" -o tcpstate.milestone_chat:FALSE -Y tcpstate.merged_close \
  -T fields -e frame.number)
expect "milestone_chat off: notes stay" "11" "$got"

# language: the summary of frame 1 in each language.
got=$(tshark_p -r "$pcaps/lesson.pcap" -Y frame.number==1 -T fields -e tcpstate.summary)
expect "language default: English" "Handshake 1/3: the client asks to open a connection (SYN); client CLOSED → SYN-SENT, server LISTEN → SYN-RECEIVED" "$got"
got=$(tshark_p -r "$pcaps/lesson.pcap" -o tcpstate.language:zh_CN -Y frame.number==1 -T fields \
  -e tcpstate.summary)
expect "language zh_CN: Chinese" "第一次握手：客户端请求建立连接（SYN）；客户端 CLOSED → SYN-SENT，服务器 LISTEN → SYN-RECEIVED" "$got"
# Wireshark takes an enum preference's unknown value as its default.
got=$(tshark_p -r "$pcaps/lesson.pcap" -o tcpstate.language:klingon -Y frame.number==1 -T fields \
  -e tcpstate.summary | cut -c1-13)
expect "language: an unknown value means English" "Handshake 1/3" "$got"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
