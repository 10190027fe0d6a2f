/*
 * Reads the TCP headers of a frame, as Wireshark's TCP dissector decoded them,
 * into the core's plain segment records. A frame can hold several TCP layers
 * (tunnels) and TCP headers quoted inside ICMP errors; the quoted ones are left
 * out, since they are copies of segments sent earlier, not new segments.
 */
#ifndef TCPSTATE_TCP_LAYERS_H
#define TCPSTATE_TCP_LAYERS_H

#include <wireshark.h>
#include <epan/proto.h>

#include "tcpstate_core.h"

#define TCP_LAYERS_MAX 8

typedef struct {
    uint32_t stream;
    ts_segment seg;        /* from_first is left 0: the stream table sets it */
    uint8_t src_addr[16];  /* the addresses of the enclosing IP header */
    uint8_t dst_addr[16];
    uint8_t addr_len;      /* 4, 16, or 0 when none was found */
} tcp_layer;

typedef struct {
    unsigned count;
    unsigned incomplete;   /* TCP layers with a stream number but no full header */
    tcp_layer layer[TCP_LAYERS_MAX];
} tcp_layers;

/* Resolve the TCP and IP field ids (in the handoff, once the fields exist) and
 * return them as the list the post-dissector must ask Wireshark for. */
GArray *tcp_layers_wanted_fields(void);

/* Fill `out` from the fields of the current dissection (first pass only: later
 * passes do not get the fields). */
void tcp_layers_read(proto_tree *tree, int64_t time_ns, tcp_layers *out);

#endif
