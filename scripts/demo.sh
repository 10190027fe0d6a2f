#!/usr/bin/env bash
# Set everything up (Debian packages, build, plugin install) and show the
# plugin at work on the lesson capture: curl fetching two pages from an
# HTTP/1.1 server on port 6302 over one keep-alive connection.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
pcap="$root/sample-pcaps/lesson.pcap"
echo
echo "== tshark -r sample-pcaps/lesson.pcap -T fields (one line per segment)"
tshark -r "$pcap" -T fields -E header=y \
  -e frame.number -e tcp.flags.str -e tcp.seq -e tcp.ack -e tcp.len \
  -e tcpstate.sender -e tcpstate.role -e tcpstate.step \
  -e tcpstate.client.state -e tcpstate.server.state | column -t -s $'\t'
echo
echo "== each segment's summary"
tshark -r "$pcap" -T fields -e frame.number -e tcpstate.summary
echo
echo "== the tcpstate tree of frame 11 (tshark -r ... -O tcpstate -V -Y frame.number==11)"
tshark -r "$pcap" -O tcpstate -V -Y frame.number==11 | sed -n '/TCP Connection State/,$p'
