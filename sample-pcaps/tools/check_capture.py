#!/usr/bin/python3
"""Check with tshark that a sample capture shows what its scenario promises.

    check_capture.py SCENARIO FILE --client ADDR

Reads FILE with tshark, checks the properties every sample must have (classic
pcap, one TCP connection and nothing else, valid checksums, wire-sized frames)
and then the sequence of segments that makes the scenario worth having (who
sends which SYN/FIN/RST, in which order, what they acknowledge).  Prints one
summary line with frame numbers on success; prints every violated expectation
and exits 1 otherwise.
"""

import argparse
import subprocess
import sys

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MAX_WIRE_FRAME = 1514        # Ethernet, no VLAN: anything bigger means GSO/GRO leaked in

FIELDS = [
    "frame.number", "frame.time_relative", "frame.len", "frame.protocols",
    "ip.src", "ipv6.src", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len",
    "tcp.stream", "tcp.checksum.status", "ip.checksum.status",
]

# (pure SYN, SYN+ACK, FIN, RST) frames expected in each capture.
COUNTS = {
    "lesson": (1, 1, 2, 0),
    "server-close": (1, 1, 2, 0),
    "refused": (1, 0, 0, 1),
    "half-close": (1, 1, 2, 0),
    "rst-abort": (1, 1, 0, 1),
    "syn-timeout": (3, 0, 0, 0),
    "lost-final-ack": (1, 1, 3, 0),
    "simultaneous-close": (1, 1, 2, 0),
    "simultaneous-open": (2, 2, 2, 0),
    "midstream": (0, 0, 2, 0),
    "ipv6": (1, 1, 2, 0),
    "tcp-keepalive": (1, 1, 2, 0),
}


class Seg:
    def __init__(self, row, client):
        (num, t, flen, protos, src4, src6, flags, seq, ack, tlen,
         stream, tcp_ck, ip_ck) = row
        self.n = int(num)
        self.t = float(t)
        self.frame_len = int(flen)
        self.protocols = protos
        self.src = src4 or src6
        self.ipv6 = bool(src6) and not src4
        self.side = "C" if self.src == client else "S"
        self.flags = int(flags, 16) if flags else None
        self.seq = int(seq) if seq else None
        self.ack = int(ack) if ack else None
        self.len = int(tlen) if tlen else 0
        self.stream = stream
        self.tcp_ck, self.ip_ck = tcp_ck, ip_ck

    def has(self, bit):
        return bool(self.flags & bit)

    @property
    def pure_syn(self):
        return self.has(SYN) and not self.has(ACK)

    @property
    def syn_ack(self):
        return self.has(SYN) and self.has(ACK)

    @property
    def pure_ack(self):
        return self.flags == ACK and self.len == 0

    def acks(self, other):
        """True if this segment acknowledges `other`'s SYN/FIN (seq + len + 1)."""
        return self.has(ACK) and self.ack == (other.seq + other.len + 1) % 2**32

    def __str__(self):
        names = "".join(c for b, c in ((SYN, "S"), (FIN, "F"), (RST, "R"), (PSH, "P"),
                                       (ACK, "A")) if self.has(b))
        return "#%d %s[%s] len=%d" % (self.n, self.side, names, self.len)


class Checker:
    def __init__(self, scenario, path, client):
        self.scenario, self.path, self.client = scenario, path, client
        self.errors = []
        self.segs = []
        self.phases = []       # (name, frame range text) for the summary line

    def expect(self, cond, msg):
        if not cond:
            self.errors.append(msg)
        return cond

    def tshark(self, *args):
        out = subprocess.run(["tshark", "-n", "-r", self.path] + list(args),
                             check=True, capture_output=True, text=True, timeout=60)
        return out.stdout

    def load(self):
        with open(self.path, "rb") as f:
            magic = f.read(4)
        # Classic pcap (µs or ns timestamps, either byte order), not pcapng.
        self.expect(magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4",
                              b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"),
                    "not a classic pcap file (magic %s)" % magic.hex())
        args = ["-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
        for f in FIELDS:
            args += ["-e", f]
        for line in self.tshark(*args).splitlines():
            self.segs.append(Seg(line.split("\t"), self.client))

    def generic(self):
        segs = self.segs
        if not self.expect(segs, "capture is empty"):
            return False
        self.expect(all(s.flags is not None for s in segs), "capture holds non-TCP frames")
        self.expect(len({s.stream for s in segs}) == 1, "capture holds more than one TCP connection")
        self.expect(len({s.src for s in segs}) <= 2, "more than two addresses in the capture")
        self.expect(all(s.tcp_ck == "1" for s in segs),
                    "bad/unverified TCP checksum in frames %s" %
                    [s.n for s in segs if s.tcp_ck != "1"])
        self.expect(all(s.ip_ck in ("", "1") for s in segs), "bad IPv4 header checksum")
        self.expect(max(s.frame_len for s in segs) <= MAX_WIRE_FRAME,
                    "frame larger than the wire allows: offloads were not disabled")
        want_v6 = self.scenario == "ipv6"
        self.expect(all(s.ipv6 == want_v6 for s in segs),
                    "expected only %s" % ("IPv6" if want_v6 else "IPv4"))
        if any(s.flags is None for s in segs):
            return False
        counts = (sum(s.pure_syn for s in segs), sum(s.syn_ack for s in segs),
                  sum(s.has(FIN) for s in segs), sum(s.has(RST) for s in segs))
        self.expect(counts == COUNTS[self.scenario],
                    "SYN/SYN-ACK/FIN/RST counts %s, expected %s" % (counts, COUNTS[self.scenario]))
        return True

    # -------------------------------------------------------------- helpers

    def fins(self, side=None):
        return [s for s in self.segs if s.has(FIN) and (side is None or s.side == side)]

    def after(self, seg):
        return self.segs[self.segs.index(seg) + 1:]

    def next_from(self, seg, side):
        return next((s for s in self.after(seg) if s.side == side), None)

    def data(self, side):
        return [s for s in self.segs if s.side == side and s.len > 0]

    def handshake(self):
        """Frames 1-3 must be the client's SYN, the server's SYN-ACK, the client's ACK."""
        s = self.segs
        if not self.expect(len(s) >= 3, "too short for a handshake"):
            return
        ok = (self.expect(s[0].pure_syn and s[0].side == "C", "frame 1 is not the client's SYN")
              and self.expect(s[1].syn_ack and s[1].side == "S" and s[1].acks(s[0]),
                              "frame 2 is not the server's SYN-ACK")
              and self.expect(s[2].pure_ack and s[2].side == "C" and s[2].acks(s[1]),
                              "frame 3 is not the client's ACK of the SYN-ACK"))
        if ok:
            self.phases.append(("handshake", "1-3"))

    def close_from(self, first):
        self.phases.append(("close", "%d-%d" % (first.n, self.segs[-1].n)))

    def data_both_ways(self):
        self.expect(self.data("C") and self.data("S"), "no data in both directions")

    # ------------------------------------------------------------ scenarios

    def check_lesson(self):
        self.handshake()
        out = self.tshark("-d", "tcp.port==6302,http", "-Y", "http.request",
                          "-T", "fields", "-e", "frame.number")
        requests = out.split()
        out = self.tshark("-d", "tcp.port==6302,http", "-Y", "http.response",
                          "-T", "fields", "-e", "frame.number")
        responses = out.split()
        self.expect(len(requests) == 2 and len(responses) == 2,
                    "expected 2 HTTP requests and 2 responses, got %d/%d"
                    % (len(requests), len(responses)))
        if requests:
            self.phases.append(("HTTP requests", ",".join(requests)))
            self.phases.append(("responses", ",".join(responses)))
        # Three-way close: client FIN, server FIN+ACK (the ACK of the client's
        # FIN rides on the server's FIN), client ACK, and nothing else.
        s = self.segs
        if not self.expect(len(s) >= 6, "capture too short"):
            return
        c_fin, s_fin, last = s[-3], s[-2], s[-1]
        if (self.expect(c_fin.side == "C" and c_fin.has(FIN), "3rd-last frame is not the client's FIN")
                and self.expect(s_fin.side == "S" and s_fin.has(FIN) and s_fin.acks(c_fin),
                                "2nd-last frame is not the server's FIN+ACK of the client's FIN")
                and self.expect(last.side == "C" and last.pure_ack and last.acks(s_fin),
                                "last frame is not the client's ACK of the server's FIN")):
            self.close_from(c_fin)

    check_ipv6 = check_lesson

    def check_server_close(self):
        self.handshake()
        self.data_both_ways()
        fins = self.fins()
        if len(fins) != 2:
            return
        s_fin, c_fin = fins
        if not self.expect(s_fin.side == "S" and c_fin.side == "C", "the server did not close first"):
            return
        ack1 = self.next_from(s_fin, "C")
        self.expect(ack1 is not None and ack1.pure_ack and ack1.acks(s_fin),
                    "the client's first segment after the server's FIN is not a pure ACK of it")
        self.expect(c_fin.t - s_fin.t >= 0.15, "the client closed less than 150 ms after the server")
        self.expect(self.after(s_fin)[:2] == [ack1, c_fin],
                    "server FIN is not followed by exactly: client ACK, client FIN")
        last = self.segs[-1]
        self.expect(self.after(c_fin) == [last] and last.side == "S" and last.pure_ack
                    and last.acks(c_fin), "the last frame is not the server's ACK of the client's FIN")
        self.close_from(s_fin)

    def check_refused(self):
        s = self.segs
        if self.expect(len(s) == 2, "expected exactly 2 frames, got %d" % len(s)):
            self.expect(s[0].side == "C" and s[0].pure_syn, "frame 1 is not the client's SYN")
            self.expect(s[1].side == "S" and s[1].flags == RST | ACK and s[1].acks(s[0]),
                        "frame 2 is not RST+ACK of the SYN")

    def check_half_close(self):
        self.handshake()
        fins = self.fins()
        if len(fins) != 2:
            return
        c_fin, s_fin = fins
        if not self.expect(c_fin.side == "C" and s_fin.side == "S", "the client did not close first"):
            return
        ack = self.next_from(c_fin, "S")
        self.expect(ack is not None and ack.pure_ack and ack.acks(c_fin),
                    "the server's first segment after the client's FIN is not a pure ACK of it")
        later = [s for s in self.after(c_fin) if s.side == "S" and s.len > 0]
        self.expect(len(later) >= 3, "fewer than 3 server data segments after the client's FIN")
        if later:
            self.expect(later[-1].t - later[0].t >= 0.08,
                        "server data after the half-close spans less than 80 ms")
            self.phases.append(("server data after client FIN", "%d-%d" % (later[0].n, later[-1].n)))
        self.expect(not [s for s in self.after(c_fin) if s.side == "C" and s.len > 0],
                    "the client sent data after its FIN")
        last = self.segs[-1]
        self.expect(last.side == "C" and last.pure_ack and last.acks(s_fin),
                    "the last frame is not the client's ACK of the server's FIN")
        self.phases.append(("client FIN", str(c_fin.n)))
        self.phases.append(("server FIN", str(s_fin.n)))
        self.phases.append(("final ACK", str(last.n)))

    def check_rst_abort(self):
        self.handshake()
        self.data_both_ways()
        rst = self.segs[-1]
        if self.expect(rst.side == "C" and rst.has(RST), "the last frame is not the client's RST"):
            self.phases.append(("RST", str(rst.n)))

    def check_syn_timeout(self):
        s = self.segs
        if not self.expect(len(s) == 3, "expected exactly 3 frames, got %d" % len(s)):
            return
        self.expect(all(x.side == "C" and x.pure_syn for x in s), "not 3 SYNs from the client")
        self.expect(len({x.seq for x in s}) == 1, "the SYNs do not share one sequence number")
        gaps = (s[1].t - s[0].t, s[2].t - s[1].t)
        # Linux: initial RTO 1 s, doubled for each retransmission.
        self.expect(0.8 <= gaps[0] <= 1.5 and 1.6 <= gaps[1] <= 3.0,
                    "retransmission gaps %.2f s / %.2f s, expected ~1 s / ~2 s" % gaps)
        self.phases.append(("SYN", "1"))
        self.phases.append(("retransmissions", "2,3"))

    def check_lost_final_ack(self):
        self.handshake()
        self.data_both_ways()
        c_fins, s_fins = self.fins("C"), self.fins("S")
        if not self.expect(len(c_fins) == 1 and len(s_fins) == 2, "expected 1 client FIN, 2 server FINs"):
            return
        c_fin, (fin1, fin2) = c_fins[0], s_fins
        self.expect(c_fin.n < fin1.n, "the client did not close first")
        self.expect(fin1.acks(c_fin), "the server's FIN does not acknowledge the client's FIN")
        self.expect(fin2.seq == fin1.seq and fin2.len == 0, "the second server FIN is not a retransmission")
        self.expect(fin2.t - fin1.t >= 0.15, "the FIN was repeated too early for an RTO")
        ack1, ack2 = self.next_from(fin1, "C"), self.next_from(fin2, "C")
        self.expect(ack1 is not None and ack1.pure_ack and ack1.acks(fin1) and ack1.n < fin2.n,
                    "no client ACK of the server's FIN before the retransmission")
        self.expect(ack2 is not None and ack2.pure_ack and ack2.acks(fin2) and ack2 is self.segs[-1],
                    "the last frame is not the client's new ACK of the retransmitted FIN")
        self.close_from(c_fin)
        if ack1 and ack2:
            self.phases.append(("lost ACK", str(ack1.n)))
            self.phases.append(("FIN retransmission", str(fin2.n)))
            self.phases.append(("new ACK", str(ack2.n)))

    def check_simultaneous_close(self):
        self.handshake()
        fins = self.fins()
        if len(fins) != 2:
            return
        f1, f2 = fins
        self.expect(f1.side != f2.side, "both FINs come from the same side")
        self.expect(self.segs.index(f2) == self.segs.index(f1) + 1, "the two FINs are not adjacent")
        self.expect(f2.ack == f1.seq + f1.len,
                    "the second FIN acknowledges the first one: no crossing")
        rest = self.after(f2)
        self.expect(len(rest) == 2 and all(s.pure_ack for s in rest),
                    "the FINs are not followed by exactly two pure ACKs")
        if len(rest) == 2:
            by_side = {s.side: s for s in rest}
            fin_of = {f1.side: f1, f2.side: f2}
            self.expect(set(by_side) == {"C", "S"}
                        and by_side["C"].acks(fin_of["S"]) and by_side["S"].acks(fin_of["C"]),
                        "the two ACKs do not each acknowledge the other side's FIN")
        self.close_from(f1)

    def check_simultaneous_open(self):
        s = self.segs
        syns = [x for x in s if x.pure_syn]
        synacks = [x for x in s if x.syn_ack]
        if len(syns) != 2 or len(synacks) != 2:
            return
        self.expect({x.side for x in syns} == {"C", "S"}, "the SYNs do not come from both sides")
        self.expect({x.side for x in synacks} == {"C", "S"}, "the SYN-ACKs do not come from both sides")
        self.expect(s[0] is syns[0] and s[1] is syns[1], "frames 1 and 2 are not the two crossing SYNs")
        self.expect(max(x.n for x in syns) < min(x.n for x in synacks),
                    "a SYN-ACK comes before both SYNs")
        for sa in synacks:
            own = next(x for x in syns if x.side == sa.side)
            peer = next(x for x in syns if x.side != sa.side)
            self.expect(sa.seq == own.seq and sa.acks(peer),
                        "SYN-ACK #%d does not repeat its SYN and acknowledge the peer's" % sa.n)
        self.data_both_ways()
        fins = self.fins()
        self.phases.append(("SYNs", "%d,%d" % (syns[0].n, syns[1].n)))
        self.phases.append(("SYN-ACKs", "%d,%d" % (synacks[0].n, synacks[1].n)))
        if fins:
            self.close_from(fins[0])

    def check_midstream(self):
        s = self.segs
        self.expect(not any(x.has(SYN) for x in s), "the capture contains a SYN")
        self.data_both_ways()
        fins = self.fins()
        self.expect(fins and fins[0].n > 1, "the capture starts with a FIN")
        self.expect(s[0].len > 0 and s[0].side == "C", "frame 1 is not the client's first data")
        if fins:
            self.close_from(fins[0])

    def check_tcp_keepalive(self):
        """Data both ways, then at least two probes of the client's kernel,
        each answered, then the client's close.  A Linux probe (RFC 9293
        section 3.8.4) carries no data and seq = the next one - 1; the answer
        is a pure ACK of the next one (acknowledging nothing new)."""
        self.handshake()
        self.data_both_ways()
        fins = self.fins()
        if not self.expect(len(fins) == 2 and fins[0].side == "C",
                           "the client did not close first"):
            return
        c_fin = fins[0]
        idle = [s for s in self.segs[3:] if s.n < c_fin.n and s.len == 0]
        probes = [s for s in idle if s.side == "C" and s.pure_ack
                  and s.seq == (c_fin.seq - 1) % 2**32]
        self.expect(len(probes) >= 2, "fewer than 2 keep-alive probes (seq = next - 1, no data)")
        for p in probes:
            answer = self.next_from(p, "S")
            self.expect(answer is not None and answer.pure_ack and answer.ack == c_fin.seq
                        and answer.n < c_fin.n,
                        "probe %d is not answered by an ACK of the next number" % p.n)
        gaps = [b.t - a.t for a, b in zip(probes, probes[1:])]
        self.expect(all(0.8 <= g <= 1.5 for g in gaps),
                    "probes not about 1 s apart: %s" % ["%.2f" % g for g in gaps])
        self.expect(not [s for s in self.segs if c_fin.t > s.t > probes[0].t and s.len > 0]
                    if probes else True, "data between the probes")
        if probes:
            self.phases.append(("probes", ",".join(str(p.n) for p in probes)))
        self.close_from(c_fin)

    def run(self):
        self.load()
        if self.generic():
            getattr(self, "check_" + self.scenario.replace("-", "_"))()
        return not self.errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", choices=sorted(COUNTS))
    ap.add_argument("file")
    ap.add_argument("--client", required=True, help="the client's IP address")
    args = ap.parse_args()
    c = Checker(args.scenario, args.file, args.client)
    if c.run():
        phases = "; ".join("%s %s" % p for p in c.phases)
        print("OK   %-22s %3d frames%s" % (args.file.rsplit("/", 1)[-1], len(c.segs),
                                          ("; " + phases) if phases else ""))
        return 0
    print("FAIL %s:" % args.file, file=sys.stderr)
    for e in c.errors:
        print("     - " + e, file=sys.stderr)
    for s in c.segs:
        print("       %s seq=%s ack=%s t=%.3f" % (s, s.seq, s.ack, s.t), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
