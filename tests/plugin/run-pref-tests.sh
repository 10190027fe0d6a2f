#!/usr/bin/env bash
# Preference tests: each preference of the plugin (-o tcpstate.NAME:VALUE)
# changes what it should and nothing else.
#
#   tests/plugin/run-pref-tests.sh PATH/TO/tcpstate.so
#
# tshark runs through tests/lib/tshark.sh (exactly this build, outputs in
# tshark 4.0's forms). Every expected value is non-empty, and an empty run
# fails: where a preference turns something off, the check lists what is
# left (e.g. every frame untagged), not an empty result.
# Ends with the line "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
. "$TCPSTATE_ROOT/tests/lib/check.sh"
so=$(readlink -f "${1:?usage: run-pref-tests.sh PATH/TO/tcpstate.so}")
work=$(mktemp -d /tmp/tcpstate-prefs.XXXXXX)
trap 'rm -rf "$work"' EXIT
TC_TMP=$work
ts_setup "$work" "$so"
pcaps=$TCPSTATE_ROOT/sample-pcaps
# tshark_p CAPTURE-NAME [tshark args...]: tshark on sample-pcaps/CAPTURE-NAME
tshark_p() {
  local pcap=$pcaps/$1
  shift
  ts_tshark plugin -- -r "$(ts_readable "$pcap")" "$@" 2>/dev/null | ts_normalise
}

expect() { # expect NAME WANT GOT
  if [ -z "$2" ]; then
    tc_fail "$1: the expected value is empty (a check must be able to fail)"
  elif [ "$2" = "$3" ]; then
    tc_pass "$1"
  else
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") > "$work/diff"
    tc_fail "$1" "$work/diff"
  fi
}

# info_prefix: off by default; on, the Info column of each milestone starts
# with its tag, and no other frame is tagged.
got=$(tshark_p lesson.pcap -T fields -e frame.number -e _ws.col.Info |
  awk -F'\t' '{ print $1 ($2 ~ /^\[/ ? " tagged" : " untagged") }' | tr '\n' ' ')
expect "info_prefix off by default: no tag" "1 untagged 2 untagged 3 untagged 4 untagged \
5 untagged 6 untagged 7 untagged 8 untagged 9 untagged 10 untagged 11 untagged 12 untagged " "$got"
got=$(tshark_p lesson.pcap -o tcpstate.info_prefix:TRUE -T fields -e frame.number \
  -e _ws.col.Info | awk -F'\t' '$2 ~ /^\[/ { split($2, t, "] "); print $1 " " t[1] "]" }')
expect "info_prefix on: tags of the lesson" "1 [HS 1/3]
2 [HS 2/3]
3 [HS 3/3]
10 [FIN 1]
11 [FIN 2/3]
12 [FIN 3/3]" "$got"
got=$(tshark_p refused.pcap -o tcpstate.info_prefix:TRUE -T fields -e frame.number \
  -e _ws.col.Info | awk -F'\t' '{ split($2, t, "] "); print $1 " " t[1] "]" }')
expect "info_prefix on: [RST]" "1 [HS 1/3]
2 [RST]" "$got"
got=$(tshark_p syn-timeout.pcap -o tcpstate.info_prefix:TRUE -T fields -e _ws.col.Info |
  sed -n '2s/\].*/]/p')
expect "info_prefix on: a repeated SYN" "[HS rexmit]" "$got"
# Under language zh_CN the tags are in the words of the lesson.
got=$(tshark_p lesson.pcap -o tcpstate.info_prefix:TRUE -o tcpstate.language:zh_CN -T fields \
  -e frame.number -e _ws.col.Info | awk -F'\t' '$2 ~ /^\[/ { split($2, t, "] "); print $1 " " t[1] "]" }')
expect "info_prefix on, zh_CN: tags of the lesson" "1 [握手 1/3]
2 [握手 2/3]
3 [握手 3/3]
10 [挥手 1]
11 [挥手 2/3]
12 [挥手 3/3]" "$got"
got=$(tshark_p refused.pcap -o tcpstate.info_prefix:TRUE -o tcpstate.language:zh_CN -T fields \
  -e _ws.col.Info | sed -n '2s/\].*/]/p')
expect "info_prefix on, zh_CN: an RST" "[复位]" "$got"
got=$(tshark_p syn-timeout.pcap -o tcpstate.info_prefix:TRUE -o tcpstate.language:zh_CN -T fields \
  -e _ws.col.Info | sed -n '2s/\].*/]/p')
expect "info_prefix on, zh_CN: a repeated SYN" "[握手 重传]" "$got"

# msl: the client of lost-final-ack.pcap enters TIME-WAIT at frame 9 and gets
# the repeated FIN 211 ms later (frame 11). With the default MSL it is still
# in TIME-WAIT; with msl 0 its TIME-WAIT has run out and it counts as CLOSED.
got=$(tshark_p lost-final-ack.pcap -Y frame.number==11 -T fields -e tcpstate.client.prev)
expect "msl default 30: still in TIME-WAIT after 211 ms" "TIME-WAIT" "$got"
got=$(tshark_p lost-final-ack.pcap -o tcpstate.msl:0 -Y frame.number==11 -T fields \
  -e tcpstate.client.prev)
expect "msl 0: TIME-WAIT over, CLOSED" "CLOSED" "$got"
got=$(tshark_p lost-final-ack.pcap -o tcpstate.msl:0 -2 -Y frame.number==11 -T fields \
  -e tcpstate.client.prev)
expect "msl 0, two passes: the same" "CLOSED" "$got"
got=$(tshark_p lost-final-ack.pcap -Y frame.number==9 -T fields -e tcpstate.why \
  -E occurrence=a -E aggregator=$'\n' | grep -o 'until [0-9.]* s')
expect "msl default (30): TIME-WAIT lasts Linux's 60 s" "until 60.000 s" "$got"
got=$(tshark_p lost-final-ack.pcap -o tcpstate.msl:120 -Y frame.number==9 -T fields \
  -e tcpstate.why -E occurrence=a -E aggregator=$'\n' | grep -o 'until [0-9.]* s')
expect "msl 120: TIME-WAIT lasts RFC 9293's 240 s" "until 240.000 s" "$got"

# milestone_chat: a chat item per milestone by default, none when off; the
# other expert infos stay.
got=$(tshark_p lesson.pcap -Y tcpstate.milestone -T fields -e frame.number | tr '\n' ' ')
expect "milestone_chat default: six milestones" "1 2 3 10 11 12 " "$got"
got=$(tshark_p lesson.pcap -o tcpstate.milestone_chat:FALSE -Y 'tcpstate && !tcpstate.milestone' \
  -T fields -e frame.number | tr '\n' ' ')
expect "milestone_chat off: none (every tracked frame is without one)" "1 2 3 4 5 6 7 8 9 10 11 12 " "$got"
got=$(tshark_p lesson.pcap -o tcpstate.milestone_chat:FALSE -Y tcpstate.merged_close \
  -T fields -e frame.number)
expect "milestone_chat off: notes stay" "11" "$got"

# language: the summary of frame 1 in each language.
got=$(tshark_p lesson.pcap -Y frame.number==1 -T fields -e tcpstate.summary)
expect "language default: English" "Handshake 1/3: the client asks to open a connection (SYN); client CLOSED → SYN-SENT, server LISTEN → SYN-RECEIVED" "$got"
got=$(tshark_p lesson.pcap -o tcpstate.language:zh_CN -Y frame.number==1 -T fields \
  -e tcpstate.summary)
expect "language zh_CN: Chinese" "第一次握手：客户端请求建立连接（SYN）；客户端 CLOSED → SYN-SENT，服务器 LISTEN → SYN-RECEIVED" "$got"
# Wireshark takes an enum preference's unknown value as its default.
got=$(tshark_p lesson.pcap -o tcpstate.language:klingon -Y frame.number==1 -T fields \
  -e tcpstate.summary | cut -c1-13)
expect "language: an unknown value means English" "Handshake 1/3" "$got"

# language, saved: Wireshark registers the Statistics menu entries (and
# the title line tshark prints above a stats tree or table) before it reads
# any preference, so the plugin reads the saved tcpstate.language from the
# personal preferences file of the profile in use (docs/reports.md, "In
# Chinese"). The title lines show what was registered. These checks come
# last: the preferences file written here stays in this run's HOME.
titles() { # titles [tshark args...]: the title lines of the tree and the table, sorted
  tshark_p lesson.pcap -q -z tcpstate,tree -z tcpstate,streams "$@" |
    grep -E '^TCP .*:$' | LC_ALL=C sort | tr '\n' '|'
}
got=$(titles)
expect "menu titles: English without a saved language" \
  "TCP Connection State Streams:|TCP Connection State:|" "$got"
got=$(titles -o tcpstate.language:zh_CN)
expect "menu titles: -o comes too late for them (the limit)" \
  "TCP Connection State Streams:|TCP Connection State:|" "$got"
got=$(tshark_p lesson.pcap -q -z tcpstate,tree -o tcpstate.language:zh_CN | grep -c '按 conn_state 分的流')
expect "menu titles: ... while -o makes the labels Chinese" "1" "$got"
conf=$TS_HOME/.config/wireshark
mkdir -p "$conf/profiles/class-zh"
printf '# Language of the summary line and the explanations\n#tcpstate.language: English\n' \
  > "$conf/preferences"
printf 'tcpstate.msl: 30\ntcpstate.language: zh_CN\n' > "$conf/profiles/class-zh/preferences"
chmod -R a+rX "$TS_HOME/.config"
got=$(titles)
expect "menu titles: a commented-out default is no saved language" \
  "TCP Connection State Streams:|TCP Connection State:|" "$got"
got=$(titles -C class-zh)
expect "menu titles: the language saved in the profile in use (-C)" \
  "TCP 连接状态:|TCP 连接状态（流列表）:|" "$got"
printf 'tcpstate.language: 简体中文 (Simplified Chinese)\n' > "$conf/preferences"
got=$(titles)
expect "menu titles: the language the Preferences dialog saved" \
  "TCP 连接状态:|TCP 连接状态（流列表）:|" "$got"
got=$(tshark_p lesson.pcap -Y frame.number==1 -T fields -e tcpstate.summary | cut -c1-15)
expect "menu titles: the saved language is the preference's too" "第一次握手" "$got"
got=$(titles -o tcpstate.language:en)
expect "menu titles: -o en comes too late for them too" \
  "TCP 连接状态:|TCP 连接状态（流列表）:|" "$got"
rm -rf "$conf"

tc_summary
