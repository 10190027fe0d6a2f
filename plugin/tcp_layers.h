/*
 * Reads the TCP headers of a frame into the core's plain segment records. A
 * frame can hold several TCP layers (tunnels) and TCP headers quoted inside
 * ICMP errors; the quoted ones are left out, since they are copies of
 * segments sent earlier, not new segments.
 *
 * No field is asked for, so a run that builds no protocol tree builds none
 * with tcpstate loaded: each segment's header comes from the "tcp" tap
 * (struct tcpheader, which TCP queues for the frame being dissected), and
 * from the frame's bytes (tcp_bytes.c) for the layers the tap misses: a header
 * cut inside its options, and every layer of a dissection that runs no taps.
 * Where the header starts in the frame is kept, so that later passes read
 * seq, ack and flags there again (tracking.c). docs/design.md has the rules.
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
    uint32_t captured_len; /* payload bytes the capture holds (the snap length may cut
                              them; Zeek counts ACKs of the rest as content gaps) */
} tcp_layer;

typedef struct {
    unsigned count;
    unsigned incomplete;   /* TCP layers whose header is cut short or malformed */
    gboolean taps;         /* this dissection runs taps (the first pass of tshark -2
                              runs none); FALSE when the frame has no TCP layer */
    tcp_layer layer[TCP_LAYERS_MAX];
} tcp_layers;

/* Find the protocols and taps and listen to the "tcp" tap (in the handoff,
 * once every protocol is registered). */
void tcp_layers_register(void);

/* The fields the post-dissector must ask Wireshark for with the preferences
 * of now: none, but tcp.checksum.status while TCP checks checksums (the tap
 * does not carry the verdict; asking for it builds a tree). NULL for none. */
GArray *tcp_layers_wanted_fields(void);

/* Fill `out` with the TCP layers of the frame being dissected (first pass
 * only). `frame_tvb` is the frame's own data. */
void tcp_layers_read(packet_info *pinfo, proto_tree *tree, tvbuff_t *frame_tvb, int64_t time_ns,
                     tcp_layers *out);

/* Seq, ack, flags and window of a header at `offset` of `tvb`; FALSE when the
 * bytes are not there. */
gboolean tcp_layers_read_header(tvbuff_t *tvb, int offset, ts_segment *seg);

#endif
