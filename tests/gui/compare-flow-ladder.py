#!/usr/bin/env python3
"""Compare the Flow Graph's text export (type "TCP Connection State") with
the text ladder of -z tcpstate,ladder for a one-stream capture whose ladder
folds nothing.

    compare-flow-ladder.py FLOW.txt LADDER.txt

Per segment, in order: the role (the Flow Graph's label is cut at its column
width, so its role text must be a prefix of the ladder's or equal it), the
relative seq, ack and len, and the states written beside the arrow. Prints
the differences and exits 1, or prints "N segments agree".
"""
import re
import sys

STATE = r"(CLOSED|LISTEN|SYN-SENT|SYN-RECEIVED|ESTABLISHED|FIN-WAIT-1|FIN-WAIT-2|CLOSE-WAIT|CLOSING|LAST-ACK|TIME-WAIT)"


def flow_items(path):
    """(label, seq, ack, len, client state, server state) per item."""
    items = []
    for line in open(path, encoding="utf-8"):
        # "|0.000089 |         handshake-ack 3/3  A          |server ESTABLISHED; seq=1 ack=1 len=0"
        m = re.match(r"^\|\d+\.\d+ \|(.*)\|([^|]*)$", line.rstrip("\n"))
        if not m:
            continue
        label = m.group(1).strip().split("|")[0].strip()
        comment = m.group(2)
        nums = re.search(r"seq=(\d+)(?: ack=(\d+))? len=(\d+)", comment)
        if not nums:
            raise SystemExit("no seq/len in the comment: " + line)
        client = re.search(r"client " + STATE, comment)
        server = re.search(r"server " + STATE, comment)
        items.append((label, nums.group(1), nums.group(2) or "", nums.group(3),
                      client.group(1) if client else "", server.group(1) if server else ""))
    return items


def ladder_rows(path):
    """(role, seq, ack, len, client state, server state) per segment row."""
    rows = []
    for line in open(path, encoding="utf-8"):
        # "    3              |-- ACK seq=1 ack=1 len=0 ---->| ESTABLISHED  handshake-ack 3/3"
        m = re.match(r"^\s*(\d+)(-\d+)? (.{12}) \|(.*)\| (.{12}) ?(.*)$", line.rstrip("\n"))
        if not m:
            continue
        if m.group(2):
            raise SystemExit("the ladder folds segments: compare a capture without folds")
        nums = re.search(r"seq=(\d+)(?: ack=(\d+))? len=(\d+)", m.group(4))
        rows.append((m.group(6).strip(), nums.group(1), nums.group(2) or "", nums.group(3),
                     m.group(3).strip(), m.group(5).strip()))
    return rows


def main():
    flow, ladder = flow_items(sys.argv[1]), ladder_rows(sys.argv[2])
    bad = []
    if not ladder:
        bad.append("the ladder has no segment")
    if len(flow) != len(ladder):
        bad.append("%d Flow Graph items, %d ladder segments" % (len(flow), len(ladder)))
    for i, (f, l) in enumerate(zip(flow, ladder)):
        role_ok = f[0].startswith(l[0] + "  ") or l[0].startswith(f[0]) or f[0] == l[0]
        if not role_ok or f[1:] != l[1:]:
            bad.append("segment %d: flow %r, ladder %r" % (i + 1, f, l))
    if bad:
        print("\n".join(bad))
        return 1
    print("%d segments agree" % len(ladder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
