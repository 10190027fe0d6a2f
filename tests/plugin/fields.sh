# The fields the sample captures' expected outputs record, and the two dumps
# of a capture that are compared with them (sourced by the plugin test
# scripts, after tests/lib/tshark.sh and its ts_setup). frame.number first, then every per-segment field of
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

# A line of a fields dump that holds the plugin's values (stream, sender,
# role), and a line of a tree dump that is a tcpstate tree: what a dump must
# hold before two of them are compared (tc_same).
TCPSTATE_FIELDS_ERE=$'^[0-9]+\t[0-9]+\t[a-z]+\t[a-z+-]+\t'
TCPSTATE_TREE_ERE='^\[?TCP (Connection State|连接状态)'

# Print the fields dump of a capture: fields_dump CAPTURE [extra tshark args]
fields_dump() {
  local pcap=$1
  shift
  local args=()
  for f in "${TCPSTATE_FIELDS[@]}"; do args+=(-e "$f"); done
  ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${TSHARK_COMMON[@]}" \
    -T fields -E header=y -E occurrence=a -E aggregator='|' "${args[@]}" "$@" | ts_normalise
}

# Print the tcpstate trees of a capture (expert infos and the Why lines
# included), one block per frame: tree_dump CAPTURE [extra tshark args]
# (add -o tcpstate.language:zh_CN for the Chinese trees)
tree_dump() {
  local pcap=$1
  shift
  ts_tshark plugin -- -r "$(ts_readable "$pcap")" "${TSHARK_COMMON[@]}" -V -O tcpstate "$@" |
    ts_normalise |
    awk '/^Frame [0-9]+:/ { print ""; print "Frame " $2; next }
         /^\[?TCP (Connection State|连接状态)/ { keep = 1 }
         /^[^ ]/ && !/^\[?TCP (Connection State|连接状态)/ { keep = 0 }
         keep { print }'
}

# Drop the per-connection outcome subtree ("Connection closed: ..." and the
# lines indented under it) from a tree dump: only re-dissected frames carry
# it (docs/spec.md, "Per-stream outcome fields"), so a two-pass dump equals
# the one-pass one without it. tests/plugin/run-outcome-tests.sh checks it.
strip_outcome() {
  awk 'skip && match($0, /^ */) && RLENGTH > depth { next }
       { skip = 0 }
       /^ *\[Connection closed: / { match($0, /^ */); depth = RLENGTH; skip = 1; next }
       { print }'
}
