/*
 * Finding a TCP header in a frame's own bytes, for the segments the "tcp" tap
 * does not deliver (tcp_layers.c): a header cut inside its options by the
 * snapshot length (TCP queues its tap only after the options), a header too
 * short to dissect, and every segment of a dissection that runs no taps (the
 * first pass of tshark -2). Nothing here asks Wireshark for a field or a tree:
 * it reads the bytes of the IPv4/IPv6 header that carries the segment, as
 * docs/design.md ("Where a segment's header comes from") describes.
 */
#ifndef TCPSTATE_TCP_BYTES_H
#define TCPSTATE_TCP_BYTES_H

#include <wireshark.h>
#include <epan/packet.h>

/* One IP header carrying TCP, found in the frame's bytes. */
typedef struct {
    int tcp_offset;        /* where the TCP header starts in the frame's bytes */
    int tcp_reported;      /* the TCP segment's length on the wire as IP gives it
                              (header + payload), the same length TCP is handed */
    uint8_t src_addr[16];
    uint8_t dst_addr[16];
    uint8_t addr_len;      /* 4 or 16 */
    gboolean fragment;     /* the first fragment of a datagram not reassembled here */
} tcp_bytes_ip;

/* The first IPv4 or IPv6 header at or after byte `from` of `frame` whose
 * protocol is TCP, whose TCP source and destination ports are sport and dport
 * (when `match_ports`), and whose addresses are those of `src` and `dst` (when
 * they are IP addresses). */
gboolean tcp_bytes_find_ip(tvbuff_t *frame, int from, gboolean match_ports, uint16_t sport,
                           uint16_t dport, const address *src, const address *dst,
                           tcp_bytes_ip *out);

/* Where a TCP header with these ports and raw sequence number starts in
 * `tvb` at or after byte `from` (its flags equal `flags`, its ack `ack` when
 * ACK is set), or -1. */
int tcp_bytes_find_header(tvbuff_t *tvb, int from, uint16_t sport, uint16_t dport, uint32_t seq,
                          uint32_t ack, uint16_t flags);

/* The TSval and TSecr of the Timestamps option of a TCP header `h` whose
 * `hlen` bytes (more than 20) the capture holds; FALSE when it has none. */
gboolean tcp_bytes_read_timestamps(const guint8 *h, int hlen, uint32_t *tsval, uint32_t *tsecr);

#endif
