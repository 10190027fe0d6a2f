#!/usr/bin/env bash
# Run the text oracle (oracle.py) on a set of captures:
#   tests/texts/run-oracle.sh PATH/TO/tcpstate.so samples   sample-pcaps/ and tests/ captures
#   tests/texts/run-oracle.sh PATH/TO/tcpstate.so corpus    ../shared/corpus/ (Wireshark's and Zeek's)
# Fails when the set is empty or missing (fail closed).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
so=${1:?usage: run-oracle.sh PATH/TO/tcpstate.so samples|corpus}
case ${2:?samples or corpus} in
  samples) mapfile -t caps < <(ls "$root"/sample-pcaps/*.pcap "$root"/tests/plugin/captures/*.pcap) ;;
  corpus)
    [ -d "$root/../shared/corpus" ] || { echo "no ../shared/corpus" >&2; exit 1; }
    mapfile -t caps < <(find "$root/../shared/corpus" -type f \( -name '*.pcap' -o -name '*.pcapng' \
      -o -name '*.cap' -o -name '*.gz' \) | sort) ;;
  *) echo "samples or corpus" >&2; exit 2 ;;
esac
[ ${#caps[@]} -gt 0 ] || { echo "no captures" >&2; exit 1; }
exec /usr/bin/python3 "$root/tests/texts/oracle.py" "$so" "${caps[@]}"
