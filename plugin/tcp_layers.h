/*
 * Reads the TCP headers of a frame into the core's plain segment records. A
 * frame can hold several TCP layers (tunnels) and TCP headers quoted inside
 * ICMP errors; the quoted ones are left out, since they are copies of
 * segments sent earlier, not new segments.
 *
 * Wireshark is asked for as few fields as will locate the headers (each
 * wanted field costs every frame a list in the tree): tcp.stream and tcp.len
 * per TCP layer, tcp.srcport for where its header starts, ip.src/ipv6.src for
 * where its addresses are. Sequence and acknowledgment numbers, flags and
 * window are then read from the header's bytes, as later passes read them
 * again from the stored offset (tracking.c).
 */
#ifndef TCPSTATE_TCP_LAYERS_H
#define TCPSTATE_TCP_LAYERS_H

#include <wireshark.h>
#include <epan/proto.h>

#include "tcpstate_core.h"

#define TCP_LAYERS_MAX 8

/* The header bytes a segment record needs: ports, seq, ack, flags, window. */
#define TCP_HEADER_READ 16

typedef struct {
    uint32_t stream;
    ts_segment seg;        /* from_first is left 0: the stream table sets it */
    int header_offset;     /* where the TCP header starts in the frame's own bytes;
                              -1 when it is in other bytes (a reassembled IP datagram) */
    uint8_t src_addr[16];  /* the addresses of the enclosing IP header */
    uint8_t dst_addr[16];
    uint8_t addr_len;      /* 4, 16, or 0 when none was found */
} tcp_layer;

typedef struct {
    unsigned count;
    unsigned incomplete;   /* TCP layers with a stream number but no full header */
    tcp_layer layer[TCP_LAYERS_MAX];
} tcp_layers;

/* Resolve the TCP and IP field ids (in the handoff, once the fields exist). */
void tcp_layers_register(void);

/* The fields the post-dissector must ask Wireshark for with the preferences
 * of now (tcp.checksum.status and tcp.checksum.partial only while TCP checks
 * checksums). */
GArray *tcp_layers_wanted_fields(void);

/* Fill `out` from the fields of the current dissection (first pass only: later
 * passes do not get the fields). `frame_tvb` is the frame's own data. */
void tcp_layers_read(proto_tree *tree, tvbuff_t *frame_tvb, int64_t time_ns, tcp_layers *out);

/* Seq, ack, flags and window of a header at `offset` of `tvb`; FALSE when the
 * bytes are not there. */
gboolean tcp_layers_read_header(tvbuff_t *tvb, int offset, ts_segment *seg);

#endif
