#!/usr/bin/env bash
# Audience tests: a tshark run in which nothing can see tcpstate's output
# tracks no stream, and every run in which something can - a tree, a filter
# or a custom column on a tcpstate field, an expert info through the expert
# tap, an Expert column or a _ws.expert field, a tcpstate report, the Info
# column's tag - tracks every stream and shows what a two-pass run shows
# (plugin/audience.h, docs/performance.md).
#
#   tests/plugin/run-audience-tests.sh PATH/TO/tcpstate.so
#
# tshark runs through tests/lib/tshark.sh (exactly this build). The plugin
# logs its decision at the info level (tshark --log-level info): each run
# must log the decision the test expects, a run with an audience must print
# the plugin's values (tc_same's pattern), and the same as the run with -2,
# whose first pass has no taps and always tracks. A run without an audience
# must print exactly what tshark prints without the plugin.
# Ends with the line "N passed, N failed".
set -uo pipefail
TCPSTATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$TCPSTATE_ROOT/tests/lib/tshark.sh"
. "$TCPSTATE_ROOT/tests/lib/check.sh"
so=$(readlink -f "${1:?usage: run-audience-tests.sh PATH/TO/tcpstate.so}")
work=$(mktemp -d /tmp/tcpstate-audience.XXXXXX)
trap 'rm -rf "$work"' EXIT
TC_TMP=$work
ts_setup "$work" "$so"
ts_preflight_base || ts_die "preflight: the set-up without the plugin is not clean"

tracked='tcpstate INFO.*tracking every stream from frame'
skipped='tcpstate INFO.*nothing in this run can see tcpstate.s output: no stream is tracked'

# run OUT PD [tshark args...]: stdout to OUT, stderr to OUT.err
run() {
  local out=$1 pd=$2
  shift 2
  ts_tshark "$pd" -- --log-level info "$@" > "$out" 2> "$out.err"
}

# seen NAME CAPTURE ERE [tshark args...]: one pass tracks and shows what -2 shows
seen() {
  local name=$1 cap=$2 ere=$3 one=$work/one.$RANDOM two=$work/two.$RANDOM
  shift 3
  run "$one" plugin -r "$cap" "$@" &
  run "$two" plugin -2 -r "$cap" "$@"
  wait $!
  # tshark's only pass stores no frame's result; -2's first pass must
  tc_logged "$name" "$one" "$tracked [0-9]+, storing no frame's result"
  tc_logged "$name (-2)" "$two" "$tracked [0-9]+\$"
  # The outcome subtree is a re-dissection's only (docs/fields.md).
  sed -i '/^ *\[Connection closed: /,/^ *\[Server.s final state: /d' "$two"
  tc_same "$name: one pass shows what two passes show" "$one" "$two" "$ere"
}

# unseen NAME CAPTURE [tshark args...]: nothing tracked, output as without the plugin
unseen() {
  local name=$1 cap=$2 with=$work/with.$RANDOM without=$work/without.$RANDOM
  shift 2
  run "$with" plugin -r "$cap" "$@" &
  run "$without" base -r "$cap" "$@"
  wait $!
  tc_logged "$name" "$with" "$skipped"
  tc_nonempty "$name: output" "$with" || return
  if diff -u "$without" "$with" > "$work/diff"; then
    tc_pass "$name: the same output as without the plugin"
  else
    tc_fail "$name: the output differs from tshark's without the plugin" "$work/diff"
  fi
}

# A Lua script's field extractor (a "frame" tap whose filter names the field).
cat > "$work/roles.lua" <<'LUA'
local role = Field.new("tcpstate.role")
local tap = Listener.new("frame", "tcp")
local seen = {}
function tap.packet(pinfo)
  local r = role()
  seen[#seen + 1] = tostring(pinfo.number) .. "=" .. (r and tostring(r) or "-")
end
function tap.draw() print("lua roles: " .. table.concat(seen, " ")) end
LUA
chmod a+r "$work/roles.lua"
with_lua=1
ts_tshark plugin -- --version 2>/dev/null | grep -q 'without Lua' && with_lua=0

columns='gui.column.format:"No.","%m","Role","%Cus:tcpstate.role","Client","%Cus:tcpstate.client.state","Server","%Cus:tcpstate.server.state"'
for name in lesson lost-final-ack crafted-port-reuse crafted-tunnel-icmp; do
  cap=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/$name.pcap")
  unseen "$name, plain" "$cap"
  unseen "$name, a filter on TCP only" "$cap" -Y 'tcp.flags.syn == 1'
  unseen "$name, another protocol's report" "$cap" -q -z conv,tcp
  # tshark 4.0 builds a visible tree for -T fields: only its -e fields
  # count (plugin/printed_fields.h)
  unseen "$name, -T fields of other protocols" "$cap" -T fields -e frame.number -e tcp.stream -e tcp.flags
  seen "$name, -V" "$cap" '^\[?TCP Connection State: ' -V -O tcpstate
  seen "$name, custom columns" "$cap" ' (syn|fin|data|ack) ' -o "$columns"
  seen "$name, a filter on a tcpstate field" "$cap" . -Y 'tcpstate.client.state == "ESTABLISHED"'
  seen "$name, a filter on the protocol" "$cap" . -Y 'tcpstate'
  seen "$name, -T fields" "$cap" $'\t(syn|fin|data|ack)\t' -T fields -e frame.number \
    -e tcpstate.role -e tcpstate.client.state -e tcpstate.server.state
  seen "$name, the expert tap" "$cap" 'TCPSTATE' -q -z expert
  seen "$name, an Expert column" "$cap" '(Chat|Note|Warning)' -o 'gui.column.format:"No.","%m","Expert","%a"'
  seen "$name, a _ws.expert column" "$cap" '(Handshake|handshake|FIN|SYN|RST|Reset|close)' \
    -o 'gui.column.format:"No.","%m","Expert","%Cus:_ws.expert.message"'
  seen "$name, the Info column's tag" "$cap" ' \[(HS|FIN|RST)' -o tcpstate.info_prefix:TRUE
  if [ $with_lua = 1 ]; then
    seen "$name, a Lua field extractor" "$cap" '^lua roles: 1=[a-z][a-z+-]* ' -q -X "lua_script:$work/roles.lua"
  else
    echo "skip  $name, a Lua field extractor: this tshark is built without Lua"
  fi
  seen "$name, -z tcpstate,conv" "$cap" ' (SF|S0|S1|REJ|RSTO|RSTR|OTH|SH|S2|S3) ' -q -z tcpstate,conv
done

# decided NAME CAPTURE ERE [tshark args...]: the decision logged is exactly ERE
# (after "tracking every stream from frame N"): whether a frame's result is
# stored, and whether the Zeek view and the Why lines' bookkeeping are
# tracked (plugin/audience.h). What each run
# prints is checked above (seen) and by the printed-fields suite.
decided() {
  local name=$1 cap=$2 ere=$3 out=$work/decided.$RANDOM
  shift 3
  run "$out" plugin -r "$cap" "$@"
  tc_nonempty "$name: output" "$out" || return
  tc_logged "$name" "$out" "$tracked [0-9]+$ere\$"
}
cap=$(ts_readable "$TCPSTATE_ROOT/sample-pcaps/lesson.pcap")
once=", storing no frame's result"
nozeek=", without the Zeek view"
nowhy=", without the Why lines' bookkeeping"
decided "-T fields, role" "$cap" "$once$nozeek$nowhy" -T fields -e tcpstate.role
decided "-T fields, history" "$cap" "$once$nowhy" -T fields -e tcpstate.role -e tcpstate.history
decided "-T fields, conn_state" "$cap" "$once$nowhy" -T fields -e tcpstate.conn_state
decided "-T fields, why" "$cap" "$once$nozeek" -T fields -e tcpstate.why
decided "-T fields, port_reuse" "$cap" "$once$nozeek" -T fields -e tcpstate.port_reuse
decided "-T fields, role, a filter on conn_state" "$cap" "$once$nowhy" -T fields -e tcpstate.role \
  -Y 'tcpstate.conn_state == "SF"'
# -e tcpstate: tshark 4.0 then builds the tree in full (plugin/printed_fields.h);
# 4.4's -T fields tree is not visible, and the protocol's item shows no view
if [ "$(ts_abi)" = 4.0 ]; then protocol="$once"; else protocol="$once$nozeek$nowhy"; fi
decided "-T fields, tcpstate" "$cap" "$protocol" -T fields -e tcpstate -e tcpstate.role
decided "-V" "$cap" "$once" -V
decided "-z tcpstate,conv" "$cap" "$once" -q -z tcpstate,conv
decided "-z expert" "$cap" "$once$nozeek" -q -z expert
decided "a filter on tcpstate.role" "$cap" "$once$nozeek$nowhy" -Y 'tcpstate.role == "fin"'
decided "-2 -T fields, role" "$cap" "" -2 -T fields -e tcpstate.role
tc_summary
