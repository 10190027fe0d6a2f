#!/usr/bin/python3
"""Transparent Ethernet relay with a fixed one-way delay and an optional drop.

This kernel has no netem qdisc, so delays and losses between the client and
the server namespaces are produced here instead: the relay namespace holds two
interfaces without IP addresses, and this program copies every frame that
arrives on one of them to the other one after --delay-ms milliseconds.

With --drop-final-ack it drops exactly one segment: the first pure ACK that
the client sends after a FIN from the server has passed the relay, i.e. the
last ACK of a close in which the client closed first.  The capture point is
on the client side of the relay, so the capture still shows that ACK, while
the server never gets it and must retransmit its FIN from LAST-ACK.

The relay stops by itself after --duration seconds.
"""

import argparse
import heapq
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4          # frames this host transmits; forwarding them would loop
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def open_interface(name):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((name, ETH_P_ALL))
    sock.setblocking(False)
    # Until bind() the socket received frames of every interface; throw them
    # away so that nothing is forwarded to the wrong side.
    try:
        while True:
            sock.recv(65535)
    except BlockingIOError:
        pass
    return sock


def tcp_info(frame):
    """Return (flags, payload_len) of a TCP segment in an Ethernet frame, or None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    if ethertype == ETH_P_IP and len(frame) >= 34:
        ihl = (frame[14] & 0x0F) * 4
        total_len = struct.unpack_from("!H", frame, 16)[0]
        if frame[23] != socket.IPPROTO_TCP:
            return None
        tcp_off = 14 + ihl
        ip_payload = total_len - ihl
    elif ethertype == ETH_P_IPV6 and len(frame) >= 54:
        # Only a TCP header directly after the fixed header; the peers here
        # never send extension headers.
        if frame[20] != socket.IPPROTO_TCP:
            return None
        tcp_off = 54
        ip_payload = struct.unpack_from("!H", frame, 18)[0]
    else:
        return None
    if len(frame) < tcp_off + 20:
        return None
    data_off = (frame[tcp_off + 12] >> 4) * 4
    return frame[tcp_off + 13], ip_payload - data_off


def describe(frame):
    info = tcp_info(frame)
    if info is None:
        return "non-TCP frame"
    flags, length = info
    names = "".join(n for bit, n in ((TCP_SYN, "S"), (TCP_FIN, "F"), (TCP_RST, "R"),
                                     (TCP_PSH, "P"), (TCP_ACK, "A")) if flags & bit)
    return "TCP [%s] len=%d" % (names, length)


class Stop(Exception):
    pass


def on_sigterm(signum, frame):
    # make-captures.sh ends the relay with SIGTERM once a scenario is over;
    # leave the loop cleanly so that the summary and the drop check still run.
    raise Stop()


class Relay:
    def __init__(self, args):
        self.args = args
        self.cli = open_interface(args.client_if)
        self.srv = open_interface(args.server_if)
        self.other = {self.cli: self.srv, self.srv: self.cli}
        self.side = {self.cli: "client", self.srv: "server"}
        self.delay = args.delay_ms / 1000.0
        # Frames waiting for their delay to pass: (due time, arrival order,
        # out socket, frame).  The delay is the same for every frame, so the
        # order within a direction is kept.
        self.pending = []
        self.order = 0
        self.server_fin_seen = False
        self.dropped = False
        self.forwarded = 0

    def should_drop(self, sock, info):
        if not self.args.drop_final_ack or info is None or self.dropped:
            return False
        flags, length = info
        if sock is self.srv and flags & TCP_FIN:
            self.server_fin_seen = True
        elif sock is self.cli and self.server_fin_seen and flags == TCP_ACK and length == 0:
            self.dropped = True
            print("relay: dropped the client's final ACK", file=sys.stderr, flush=True)
            return True
        return False

    def receive(self, sock):
        while True:
            try:
                frame, addr = sock.recvfrom(65535)
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            info = tcp_info(frame)
            if self.args.verbose and info is not None:
                print("relay: from %s: %s" % (self.side[sock], describe(frame)),
                      file=sys.stderr, flush=True)
            if self.should_drop(sock, info):
                continue
            heapq.heappush(self.pending,
                           (time.monotonic() + self.delay, self.order, self.other[sock], frame))
            self.order += 1

    def run(self, duration):
        stop_at = time.monotonic() + duration
        while True:
            now = time.monotonic()
            while self.pending and self.pending[0][0] <= now:
                _, _, out, frame = heapq.heappop(self.pending)
                out.send(frame)
                self.forwarded += 1
            if now >= stop_at:
                return
            timeout = stop_at - now
            if self.pending:
                timeout = min(timeout, self.pending[0][0] - now)
            readable, _, _ = select.select([self.cli, self.srv], [], [], max(0.0, timeout))
            for sock in readable:
                self.receive(sock)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--client-if", required=True, help="interface towards the client")
    ap.add_argument("--server-if", required=True, help="interface towards the server")
    ap.add_argument("--delay-ms", type=float, default=0.0, help="one-way delay, both directions")
    ap.add_argument("--duration", type=float, default=30.0, help="stop after this many seconds")
    ap.add_argument("--drop-final-ack", action="store_true",
                    help="drop the client's first pure ACK after the server's FIN, once")
    ap.add_argument("--ready-file", help="created once both interfaces are open")
    ap.add_argument("-v", "--verbose", action="store_true", help="log every TCP frame")
    args = ap.parse_args()

    relay = Relay(args)
    signal.signal(signal.SIGTERM, on_sigterm)
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("%d\n" % os.getpid())
    try:
        relay.run(args.duration)
    except Stop:
        pass

    print("relay: forwarded %d frames, %s" % (
        relay.forwarded, "dropped 1" if relay.dropped else "dropped none"), file=sys.stderr)
    if args.drop_final_ack and not relay.dropped:
        sys.exit(3)


if __name__ == "__main__":
    main()
