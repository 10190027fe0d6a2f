#!/usr/bin/python3
"""Two delay lines in one relay namespace, with the capture point between them.

    client -- rly-cli [relay: D/2] mid-a ==veth== mid-b [relay: D/2] rly-srv -- server

Every frame that arrives on rly-cli is sent on mid-a after --half-delay-ms,
arrives on mid-b, and is sent on rly-srv after another --half-delay-ms; the
other direction is the mirror image.  tcpdump listens on mid-a, which carries
each frame once, in the middle of the path: both endpoints are half a round
trip away from the capture point, as on a real wire tap (docs/accuracy.md).

This kernel has no netem qdisc; the relay of sample-pcaps/tools/relay.py is
reused for opening the AF_PACKET sockets.  Loss *before* the capture point is
made here (--loss-before): a TCP frame arriving from an endpoint (rly-cli,
rly-srv) is dropped with that probability before it reaches mid-a, so it is
never captured, and its sender's kernel believes it sent it, as after a loss
on a real wire.  (An iptables DROP in the sender's own OUTPUT chain is no
such loss: Linux sees the local failure and leaves the segment unsent, so a
FIN "lost" there is a FIN sent later, see docs/accuracy.md.)  Loss *after*
the capture point stays in the receivers' INPUT chains (run.sh).
"""

import argparse
import heapq
import os
import random
import select
import signal
import sys
import time

sys.dont_write_bytecode = True      # leave no __pycache__ in sample-pcaps/tools
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "sample-pcaps", "tools"))
from relay import PACKET_OUTGOING, open_interface  # noqa: E402


class Stop(Exception):
    pass


def on_sigterm(signum, frame):
    raise Stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half-delay-ms", type=float, default=2.5)
    ap.add_argument("--duration", type=float, default=600.0, help="stop after this many seconds")
    ap.add_argument("--ready-file")
    ap.add_argument("--loss-before", type=float, default=0.0,
                    help="probability of dropping a TCP frame before the capture point")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    names = ("rly-cli", "mid-a", "mid-b", "rly-srv")
    socks = {name: open_interface(name) for name in names}
    # Where a frame received on an interface goes next.
    route = {socks["rly-cli"]: socks["mid-a"], socks["mid-a"]: socks["rly-cli"],
             socks["mid-b"]: socks["rly-srv"], socks["rly-srv"]: socks["mid-b"]}
    delay = args.half_delay_ms / 1000.0
    pending = []          # (due, order, out socket, frame); one delay: order kept
    order = forwarded = dropped = 0
    rng = random.Random(args.seed)
    # Frames from the endpoints, not yet past the capture point.
    lossy = {socks["rly-cli"], socks["rly-srv"]}
    signal.signal(signal.SIGTERM, on_sigterm)
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("%d\n" % os.getpid())
    stop_at = time.monotonic() + args.duration
    try:
        while True:
            now = time.monotonic()
            while pending and pending[0][0] <= now:
                _, _, out, frame = heapq.heappop(pending)
                try:
                    out.send(frame)
                    forwarded += 1
                except OSError as e:     # e.g. ENOBUFS: the frame is lost, as on a wire
                    print("midrelay: send failed: %s" % e, file=sys.stderr)
            if now >= stop_at:
                break
            timeout = stop_at - now
            if pending:
                timeout = min(timeout, pending[0][0] - now)
            readable, _, _ = select.select(list(route), [], [], max(0.0, timeout))
            for sock in readable:
                for _ in range(256):     # bounded burst per socket, then fairness
                    try:
                        frame, addr = sock.recvfrom(65535)
                    except BlockingIOError:
                        break
                    if addr[2] == PACKET_OUTGOING:
                        continue
                    # IPv4 (EtherType 0x0800) carrying TCP (protocol 6).
                    if (sock in lossy and frame[12:14] == b"\x08\x00" and len(frame) > 23
                            and frame[23] == 6 and rng.random() < args.loss_before):
                        dropped += 1
                        continue
                    heapq.heappush(pending, (time.monotonic() + delay, order, route[sock], frame))
                    order += 1
    except Stop:
        pass
    print("midrelay: forwarded %d frames, dropped %d before the capture point" % (forwarded, dropped),
          file=sys.stderr)


if __name__ == "__main__":
    main()
