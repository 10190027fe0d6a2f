#!/usr/bin/python3
"""Write the crafted sample captures: cases a Linux kernel will not produce on
demand. Deterministic (fixed addresses, ports, ISNs and timestamps), so a rerun
writes identical files.

    /usr/bin/python3 sample-pcaps/tools/craft.py [OUTDIR]

crafted-tunnel-icmp.pcap   a connection carried in IP-in-IP, plus an ICMP error
                           quoting one of its segments (not a segment itself)
crafted-wraparound.pcap    sequence numbers wrap past 2^32 during the close
crafted-odd-flags.pcap     SYN+FIN, a segment with no flags, FIN+RST, and a TCP
                           header cut short by the snapshot length
crafted-port-reuse.pcap    a connection closed by the server (which waits in
                           TIME-WAIT), then a new SYN from the same client port
crafted-ip-fragments.pcap  a request sent as two IPv4 fragments: its TCP header
                           is in the reassembled datagram, not the frame's bytes
crafted-retransmission.pcap  data retransmitted after a timeout, three duplicate
                           ACKs and a fast retransmit, a zero-window probe and
                           the window update that ends it, data+FIN in one segment
crafted-keepalive.pcap     a Linux-style keep-alive probe with no data and one
                           with the old byte, each answered, then a close
crafted-byte-for-fin.pcap  a byte of data the capture missed, taken for a FIN
                           until its retransmission shows it was data
crafted-bad-options.pcap   a connection whose SYN+ACK has malformed TCP options
                           (whole in the frame): Wireshark marks it malformed
                           after it has read the numbers

snaplen_68_tunnel(PATH, T0) writes the tunnel part of snaplen-68.pcapng (see
make-snaplen-68.sh): raw IPv4-in-IPv4 frames cut at 68 bytes; raw_ip_cut(SRC,
DST) turns its IPv6 capture into a raw-IP capture cut at 68 bytes.
"""
import os
import sys

from scapy.all import ICMP, IP, TCP, Ether, Raw, fragment, wrpcap  # Debian's python3-scapy
from scapy.utils import PcapWriter, RawPcapReader

T0 = 1700000000.0
CLIENT_MAC, SERVER_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"


class Conn:
    """Builds the segments of one connection with consistent seq/ack."""

    def __init__(self, cip, sip, cport, sport, cisn, sisn, wrap=None):
        self.ends = {"c": [cip, cport, cisn], "s": [sip, sport, sisn]}
        self.wrap = wrap  # function(inner packet) -> outer packet, for tunnels

    def seg(self, who, flags, ack=None, data=b"", seq=None, window=64240):
        """A segment from `who`; `seq` sends again from an older number (a
        retransmission or probe) without moving the sender's next number past
        what it had sent."""
        me, peer = self.ends[who], self.ends["s" if who == "c" else "c"]
        nxt = me[2]
        if seq is not None:
            me[2] = seq
        tcp = TCP(sport=me[1], dport=peer[1], flags=flags, seq=me[2] % 2**32, window=window)
        if ack is not None:
            tcp.ack = ack % 2**32
        elif "A" in flags:
            tcp.ack = peer[2] % 2**32
        pkt = IP(src=me[0], dst=peer[0]) / tcp
        if data:
            pkt = pkt / Raw(data)
        me[2] += len(data) + (1 if "S" in flags else 0) + (1 if "F" in flags else 0)
        me[2] = max(me[2], nxt)
        if self.wrap:
            pkt = self.wrap(pkt, who)
        src, dst = (CLIENT_MAC, SERVER_MAC) if who == "c" else (SERVER_MAC, CLIENT_MAC)
        return Ether(src=src, dst=dst) / pkt


def stamp(pkts, step=0.01):
    for i, p in enumerate(pkts):
        p.time = T0 + i * step
    return pkts


def handshake_and_close(c, request=b"GET / HTTP/1.1\r\n\r\n", reply=b"HTTP/1.1 204 No Content\r\n\r\n"):
    return [c.seg("c", "S"), c.seg("s", "SA"), c.seg("c", "A"),
            c.seg("c", "PA", data=request), c.seg("s", "PA", data=reply), c.seg("c", "A"),
            c.seg("c", "FA"), c.seg("s", "FA"), c.seg("c", "A")]


def tunnel_icmp():
    def ipip(inner, who):
        outer_src, outer_dst = ("10.0.0.1", "10.0.0.2") if who == "c" else ("10.0.0.2", "10.0.0.1")
        return IP(src=outer_src, dst=outer_dst, proto=4) / inner

    c = Conn("192.168.1.1", "192.168.1.2", 40000, 80, 1000, 5000, wrap=ipip)
    pkts = handshake_and_close(c)
    # An ICMP "fragmentation needed" from a router back to the client, quoting
    # the client's request (frame 4): a copy of an old segment, not a new one.
    quoted = pkts[3][IP].payload.copy()  # the inner IP/TCP of frame 4
    icmp = (Ether(src=SERVER_MAC, dst=CLIENT_MAC) / IP(src="192.168.1.254", dst="192.168.1.1")
            / ICMP(type=3, code=4, nexthopmtu=1280) / bytes(quoted)[:48])
    return stamp(pkts[:5] + [icmp] + pkts[5:])


def wraparound():
    # The client's ISN sits just below 2^32: its FIN (and the ack of it) wrap.
    c = Conn("10.1.0.1", "10.1.0.2", 40001, 6302, 2**32 - 20, 2**32 - 3)
    return stamp(handshake_and_close(c))


def odd_flags():
    pkts = []
    a = Conn("10.2.0.1", "10.2.0.2", 40010, 80, 100, 900)
    pkts.append(a.seg("c", "SF"))             # SYN+FIN
    pkts.append(a.seg("s", "RA", ack=102))
    b = Conn("10.2.0.1", "10.2.0.2", 40011, 80, 300, 700)
    pkts += [b.seg("c", "S"), b.seg("s", "SA"), b.seg("c", "A")]
    pkts.append(b.seg("c", ""))               # no flags at all
    pkts.append(b.seg("c", "FR"))             # FIN+RST
    return stamp(pkts)


def port_reuse():
    first = Conn("10.4.0.1", "10.4.0.2", 40030, 80, 1000, 5000)
    pkts = [first.seg("c", "S"), first.seg("s", "SA"), first.seg("c", "A"),
            first.seg("c", "PA", data=b"GET / HTTP/1.0\r\n\r\n"),
            first.seg("s", "PA", data=b"HTTP/1.0 204 No Content\r\n\r\n"),
            first.seg("s", "FA"), first.seg("c", "A"), first.seg("c", "FA"), first.seg("s", "A")]
    stamp(pkts)
    # 1.5 s later the client opens again from the same port (new ISN), while the
    # server, which closed first, is still in TIME-WAIT (2*MSL = 120 s).
    second = Conn("10.4.0.1", "10.4.0.2", 40030, 80, 900000, 7000000)
    again = stamp(handshake_and_close(second))
    for p in again:
        p.time += 1.5
    return pkts + again


def ip_fragments():
    c = Conn("10.5.0.1", "10.5.0.2", 40040, 80, 3000, 8000)
    pkts = [c.seg("c", "S"), c.seg("s", "SA"), c.seg("c", "A")]
    req = c.seg("c", "PA", data=b"POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + b"x" * 1000)
    req[IP].id = 4242
    # Two fragments: the first carries the TCP header, the second completes the
    # datagram, which Wireshark reassembles (and dissects as TCP) there.
    pkts += [Ether(src=CLIENT_MAC, dst=SERVER_MAC) / f for f in fragment(req[IP], fragsize=600)]
    pkts += [c.seg("s", "PA", data=b"HTTP/1.1 204 No Content\r\n\r\n"), c.seg("c", "A"),
             c.seg("c", "FA"), c.seg("s", "FA"), c.seg("c", "A")]
    return stamp(pkts)


def at(pkts, times):
    """Stamp each packet at T0 + its time (seconds)."""
    for p, t in zip(pkts, times):
        p.time = T0 + t
    return pkts


def retransmission():
    c = Conn("10.6.0.1", "10.6.0.2", 40050, 6302, 10000, 20000)
    p = [c.seg("c", "S"), c.seg("s", "SA"), c.seg("c", "A"),                 # 1-3
         c.seg("c", "PA", data=b"A" * 10),                                    # 4: bytes 1-10
         c.seg("c", "PA", data=b"B" * 10),                                    # 5: bytes 11-20
         c.seg("s", "A", ack=10011),                                          # 6: acks 1-10 only
         c.seg("c", "PA", data=b"B" * 10, seq=10011),                         # 7: 11-20 again (timeout)
         c.seg("s", "A"),                                                     # 8: ack 21
         c.seg("c", "PA", data=b"C" * 10),                                    # 9: 21-30 (lost later)
         c.seg("c", "PA", data=b"D" * 10),                                    # 10: 31-40
         c.seg("s", "A", ack=10021),                                          # 11: dup ACK 1
         c.seg("c", "PA", data=b"E" * 10),                                    # 12: 41-50
         c.seg("s", "A", ack=10021),                                          # 13: dup ACK 2
         c.seg("c", "PA", data=b"F" * 10),                                    # 14: 51-60
         c.seg("s", "A", ack=10021),                                          # 15: dup ACK 3
         c.seg("c", "PA", data=b"C" * 10, seq=10021),                         # 16: fast retransmit 21-30
         c.seg("s", "A", window=0),                                           # 17: ack 61, window 0
         c.seg("c", "A", data=b"G", seq=10061),                               # 18: zero-window probe
         c.seg("s", "A", ack=10061, window=0),                                # 19: still 0
         c.seg("s", "A", ack=10061, window=64240),                            # 20: window update
         c.seg("c", "PA", data=b"G" * 5, seq=10061),                          # 21: 61-65
         c.seg("s", "FPA", data=b"bye\n"),                                    # 22: data+FIN
         c.seg("c", "FA"),                                                    # 23: FIN+ACK
         c.seg("s", "A")]                                                     # 24: final ACK
    return at(p, [0, .01, .02, .03, .031, .04, .25, .26, .27, .271, .28, .281, .29, .291, .30,
                  .301, .31, .32, .52, 1.0, 1.01, 1.02, 1.03, 1.04])


def keepalive():
    # Linux's probe (RFC 9293 section 3.8.4): seq = next - 1, no data; some
    # stacks send the old byte again. Each is answered by an ACK of next.
    c = Conn("10.7.0.1", "10.7.0.2", 40060, 6302, 30000, 40000)
    p = [c.seg("c", "S"), c.seg("s", "SA"), c.seg("c", "A"),                 # 1-3
         c.seg("c", "PA", data=b"x" * 20),                                    # 4: bytes 1-20
         c.seg("s", "A"),                                                     # 5: ack 21
         c.seg("c", "A", seq=30020),                                          # 6: probe, no data
         c.seg("s", "A"),                                                     # 7: answer
         c.seg("c", "A", seq=30020, data=b"x"),                               # 8: probe, byte 20
         c.seg("s", "A"),                                                     # 9: answer
         c.seg("c", "FA"), c.seg("s", "FA"), c.seg("c", "A")]                 # 10-12
    return at(p, [0, .01, .02, .03, .04, 75.04, 75.05, 150.05, 150.06, 151, 151.01, 151.02])


def byte_for_fin():
    # docs/accuracy.md, kind 11, with the receiver's ACK of the missed byte
    # captured: the byte (11) reached the server but not the capture, the
    # client's next segment is a pure ACK numbered 12 (taken for an unseen
    # FIN), the server acknowledges 12 (taken as its ACK of that FIN), that
    # ACK is lost after the capture point, and the client sends byte 11
    # again with a new one (the retransmission shows it was data).
    c = Conn("10.8.0.1", "10.8.0.2", 40070, 6302, 50000, 60000)
    p = [c.seg("c", "S"), c.seg("s", "SA"), c.seg("c", "A"),                 # 1-3
         c.seg("c", "PA", data=b"y" * 10),                                    # 4: bytes 1-10
         c.seg("s", "A"),                                                     # 5: ack 11
         c.seg("c", "A", seq=50012),                                          # 6: seq 12: byte 11 unseen
         c.seg("s", "A", ack=50012),                                          # 7: ack 12
         c.seg("c", "PA", seq=50011, data=b"yz"),                             # 8: bytes 11-12
         c.seg("s", "A"),                                                     # 9: ack 13
         c.seg("c", "FA"), c.seg("s", "FA"), c.seg("c", "A")]                 # 10-12
    return at(p, [0, .01, .02, .03, .04, .05, .06, .26, .27, 1, 1.01, 1.02])


def truncated(path):
    """A SYN whose TCP options are cut short by the snapshot length: Wireshark
    decodes the stream number but not the rest of the header."""
    c = Conn("10.3.0.1", "10.3.0.2", 40020, 80, 1, 2)
    full = c.seg("c", "S")
    full[TCP].options = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None),
                         ("WScale", 7)]
    full = Ether(bytes(full))
    cut = bytes(full)[:14 + 20 + 20 + 6]
    with PcapWriter(path, append=True, sync=True, linktype=1) as w:
        w.write_packet(cut, sec=int(T0 + 1), usec=0, wirelen=len(full))


# Linux's SYN options: 20 bytes (MSS, SACK permitted, timestamps, window scale).
SYN_OPTIONS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None),
               ("WScale", 7)]


def snaplen_68_tunnel(path, t0, snaplen=68):
    """A connection carried in IP-in-IP as a raw-IP link (no link header)
    captures it, each frame cut at `snaplen` bytes: both IP headers and the
    TCP header's fixed 20 bytes fit, the SYN's and SYN-ACK's options do not
    (20 + 20 + 20 + 20 > 68). No kernel here offers an ipip device, so it is
    crafted."""
    def ipip(inner, who):
        outer_src, outer_dst = ("10.0.68.1", "10.0.68.2") if who == "c" else ("10.0.68.2", "10.0.68.1")
        return IP(src=outer_src, dst=outer_dst, proto=4) / inner

    c = Conn("192.168.68.1", "192.168.68.2", 40068, 80, 68000, 86000, wrap=ipip)
    pkts = handshake_and_close(c)
    for p in pkts[:2]:  # the SYN and the SYN-ACK
        p[IP].payload[TCP].options = SYN_OPTIONS
    with PcapWriter(path, sync=True, linktype=101, snaplen=snaplen) as w:  # LINKTYPE_RAW
        w.write_header(None)
        for i, p in enumerate(pkts):
            wire = bytes(p[IP])
            t = t0 + i * 0.01
            w.write_packet(wire[:snaplen], sec=int(t), usec=int(round((t % 1) * 1e6)),
                           wirelen=len(wire))


def raw_ip_cut(src, dst, snaplen=68):
    """Rewrite an Ethernet capture of full frames as what a raw-IP link (no
    link-layer header) captured with a `snaplen` limit shows: each frame
    without its 14-byte Ethernet header, cut at `snaplen`, its wire length
    that of the IP datagram. Timestamps are kept."""
    with PcapWriter(dst, sync=True, linktype=101, snaplen=snaplen) as w:
        w.write_header(None)
        for data, meta in RawPcapReader(src):
            ip = data[14:]
            w.write_packet(ip[:snaplen], sec=meta.sec, usec=meta.usec, wirelen=len(ip))


def bad_options():
    # The SYN+ACK's 12 option bytes: MSS 1460, then kind 5 (SACK) with length
    # 3, which cannot hold one block, then kind 7 length 4, a NOP: the bytes a
    # mutated capture (editcap -E) gave the robustness run. Wireshark reads
    # the header's numbers, then throws in the options: a malformed segment
    # whose numbers are known, tracked alike in one pass and in two.
    c = Conn("10.9.0.1", "10.9.0.2", 40090, 6302, 7000, 9000)
    pkts = handshake_and_close(c)
    sa = pkts[1]
    tcp = sa[TCP]
    tcp.dataofs = 8
    sa[IP].len = None
    tcp.chksum = None
    tcp.add_payload(Raw(bytes.fromhex("020405b4050303070402" "0101")))
    pkts[1] = Ether(bytes(sa))
    return stamp(pkts)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    wrpcap(os.path.join(out, "crafted-tunnel-icmp.pcap"), tunnel_icmp())
    wrpcap(os.path.join(out, "crafted-wraparound.pcap"), wraparound())
    wrpcap(os.path.join(out, "crafted-port-reuse.pcap"), port_reuse())
    wrpcap(os.path.join(out, "crafted-ip-fragments.pcap"), ip_fragments())
    wrpcap(os.path.join(out, "crafted-retransmission.pcap"), retransmission())
    wrpcap(os.path.join(out, "crafted-keepalive.pcap"), keepalive())
    wrpcap(os.path.join(out, "crafted-byte-for-fin.pcap"), byte_for_fin())
    wrpcap(os.path.join(out, "crafted-bad-options.pcap"), bad_options())
    odd = os.path.join(out, "crafted-odd-flags.pcap")
    wrpcap(odd, odd_flags())
    truncated(odd)


if __name__ == "__main__":
    main()
