#!/usr/bin/python3
"""Write the captures the report tests need besides the sample captures.
Deterministic (fixed addresses, ports, ISNs and timestamps): a rerun writes
identical files.

    /usr/bin/python3 tests/plugin/make-report-captures.py [OUTDIR]

empty.pcap         a capture file with no packets at all
no-tcp.pcap        ARP, DNS over UDP and an ICMP echo: traffic, but no TCP
reports-mix.pcap   four streams for what the sample captures lack:
                   0  a bulk transfer (a long run of data/ACK segments, folded
                      in the ladder; large relative numbers), closed four-way
                      by the server
                   1  the client closes its side and the capture ends
                      (half-closed); its handshake interleaves with stream 0
                   2  starts with the server's SYN-ACK (the client's SYN was
                      missed), some data, never closed
                   3  a three-way close followed by an RST after the close
rst-ignored.pcap   an open connection, an RST+ACK from the server whose
                   sequence number is not the next one the client expects
                   (not accepted, RFC 5961 section 3), then a three-way close.
                   (An RST dropped in SYN-SENT followed by the SYN-ACK would
                   be one stream in Wireshark 4.0 and two in 4.4, which
                   starts a new tcp.stream at a SYN after an RST; the unit
                   tests cover that case.)
"""
import os
import sys

from scapy.all import ARP, DNS, DNSQR, DNSRR, ICMP, IP, UDP, Ether  # python3-scapy
from scapy.utils import PcapWriter

# The sample captures' connection builder, addresses and start time.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "sample-pcaps", "tools"))
from craft import CLIENT_MAC, SERVER_MAC, T0, Conn  # noqa: E402


def write(path, pkts, step=0.01):
    w = PcapWriter(path, linktype=1, sync=True)  # Ethernet, classic pcap
    w.write_header(None)
    for i, p in enumerate(pkts):
        p.time = T0 + i * step
        w.write(p)
    w.close()


def no_tcp():
    cli, srv = "10.5.0.1", "10.5.0.53"
    return [
        Ether(src=CLIENT_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, psrc=cli, pdst=srv, hwsrc=CLIENT_MAC),
        Ether(src=SERVER_MAC, dst=CLIENT_MAC) / ARP(op=2, psrc=srv, pdst=cli,
                                                    hwsrc=SERVER_MAC, hwdst=CLIENT_MAC),
        Ether(src=CLIENT_MAC, dst=SERVER_MAC) / IP(src=cli, dst=srv) / UDP(sport=53000, dport=53)
        / DNS(id=7, rd=1, qd=DNSQR(qname="example.org")),
        Ether(src=SERVER_MAC, dst=CLIENT_MAC) / IP(src=srv, dst=cli) / UDP(sport=53, dport=53000)
        / DNS(id=7, qr=1, rd=1, ra=1, qd=DNSQR(qname="example.org"),
              an=DNSRR(rrname="example.org", rdata="192.0.2.7")),
        Ether(src=CLIENT_MAC, dst=SERVER_MAC) / IP(src=cli, dst=srv) / ICMP(type=8, id=1, seq=1),
        Ether(src=SERVER_MAC, dst=CLIENT_MAC) / IP(src=srv, dst=cli) / ICMP(type=0, id=1, seq=1),
    ]


def reports_mix():
    bulk = Conn("10.6.0.1", "10.6.0.2", 41000, 8080, 100000, 2000000000)
    synack = Conn("10.6.0.1", "10.6.0.3", 41001, 443, 5000, 7000)
    half = Conn("10.6.0.1", "10.6.0.4", 41002, 25, 9000, 11000)
    rst = Conn("10.6.0.1", "10.6.0.5", 41003, 80, 13000, 15000)
    pkts = []
    # Stream 0: handshake, a request, then 24 full segments from the server,
    # each second one ACKed by the client.
    pkts += [bulk.seg("c", "S"), bulk.seg("s", "SA"), bulk.seg("c", "A"),
             bulk.seg("c", "PA", data=b"GET /big HTTP/1.1\r\n\r\n"), bulk.seg("s", "A")]
    for i in range(24):
        pkts.append(bulk.seg("s", "A", data=bytes([65 + i % 26]) * 1448))
        if i == 3:
            # Stream 1's handshake in the middle of stream 0's transfer.
            pkts += [half.seg("c", "S"), half.seg("s", "SA"), half.seg("c", "A")]
        if i % 2:
            pkts.append(bulk.seg("c", "A"))
    pkts += [bulk.seg("s", "FA"), bulk.seg("c", "A"), bulk.seg("c", "FA"), bulk.seg("s", "A")]
    # Stream 2: the capture missed the client's SYN.
    synack.ends["c"][2] += 1  # the SYN occupied one sequence number
    pkts += [synack.seg("s", "SA"), synack.seg("c", "A"), synack.seg("c", "PA", data=b"hello"),
             synack.seg("s", "A")]
    # Stream 1: the client closes its side; the capture ends before the server's FIN.
    pkts += [half.seg("c", "PA", data=b"QUIT\r\n"), half.seg("c", "FA"), half.seg("s", "A")]
    # Stream 3: a three-way close, then an RST after it.
    pkts += [rst.seg("c", "S"), rst.seg("s", "SA"), rst.seg("c", "A"),
             rst.seg("c", "FA"), rst.seg("s", "FA"), rst.seg("c", "A"), rst.seg("c", "R")]
    return pkts


def rst_ignored():
    c = Conn("10.7.0.1", "10.7.0.2", 42000, 6649, 21000, 0)
    c.ends["s"][2] = 31000  # the server's ISN
    pkts = [c.seg("c", "S"), c.seg("s", "SA"), c.seg("c", "A")]
    pkts.append(c.seg("s", "RA", seq=31001 + 1000))  # 1000 beyond the next expected
    c.ends["s"][2] = 31001  # the RST took no number
    pkts += [c.seg("c", "FA"), c.seg("s", "FA"), c.seg("c", "A")]
    return pkts


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "captures")
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "empty.pcap"), [])
    write(os.path.join(out, "no-tcp.pcap"), no_tcp())
    write(os.path.join(out, "reports-mix.pcap"), reports_mix(), step=0.001)
    write(os.path.join(out, "rst-ignored.pcap"), rst_ignored())
    for name in ("empty.pcap", "no-tcp.pcap", "reports-mix.pcap", "rst-ignored.pcap"):
        print("wrote", os.path.join(out, name))


if __name__ == "__main__":
    main()
