# The fields the sample captures' expected outputs record (sourced by the
# plugin test scripts). frame.number first, then every per-segment field of
# docs/spec.md that the plugin registers, then the additions of docs/fields.md.
TCPSTATE_FIELDS=(
  frame.number
  tcpstate.stream
  tcpstate.sender
  tcpstate.role
  tcpstate.phase
  tcpstate.step
  tcpstate.client.prev
  tcpstate.client.state
  tcpstate.server.prev
  tcpstate.server.state
  tcpstate.assumed
  tcpstate.conn_state
  tcpstate.history
  tcpstate.handshake_rtt
  tcpstate.attempt
  tcpstate.summary
)

# tshark options shared by every run: fixed time display so outputs do not
# depend on the machine's time zone.
TSHARK_COMMON=(-o tcp.analyze_sequence_numbers:TRUE -t r)

# Print the fields dump of a capture: fields_dump PLUGIN CAPTURE [extra tshark args]
fields_dump() {
  local so=$1 pcap=$2
  shift 2
  local args=()
  for f in "${TCPSTATE_FIELDS[@]}"; do args+=(-e "$f"); done
  "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" "${TSHARK_COMMON[@]}" \
    -T fields -E header=y -E occurrence=a -E aggregator='|' "${args[@]}" "$@"
}

# Print the tcpstate trees of a capture (expert infos and the Why lines
# included), one block per frame: tree_dump PLUGIN CAPTURE [extra tshark args]
# (add -o tcpstate.language:zh_CN for the Chinese trees)
tree_dump() {
  local so=$1 pcap=$2
  shift 2
  "$TCPSTATE_ROOT/scripts/tshark-with-plugin" "$so" -r "$pcap" "${TSHARK_COMMON[@]}" \
    -V -O tcpstate "$@" |
    awk '/^Frame [0-9]+:/ { print ""; print "Frame " $2; next }
         /^\[?TCP (Connection State|连接状态)/ { keep = 1 }
         /^[^ ]/ && !/^\[?TCP (Connection State|连接状态)/ { keep = 0 }
         keep { print }'
}
