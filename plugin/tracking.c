#include "tracking.h"

#include <epan/proto_data.h>

/* A stream's tracker and the identity of the endpoint that sent its first
 * captured segment (to tell the direction of later segments). */
typedef struct {
    ts_conn conn;
    uint8_t first_addr[16];
    uint8_t first_addr_len;
    uint16_t first_port;
} stream_entry;

static wmem_map_t *streams;

void tracking_register(void)
{
    streams = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash,
                                     g_direct_equal);
}

static int sent_by_first(const stream_entry *e, const tcp_layer *t)
{
    if (t->seg.sport != e->first_port)
        return 0;
    if (t->src_addr_len != e->first_addr_len)
        return t->seg.sport != t->seg.dport; /* no address to compare: ports decide */
    return memcmp(t->src_addr, e->first_addr, e->first_addr_len) == 0;
}

static void track_layer(const tcp_layer *t, const ts_config *cfg, tcpstate_item *out)
{
    stream_entry *e = (stream_entry *)wmem_map_lookup(streams, GUINT_TO_POINTER(t->stream));
    ts_segment seg = t->seg;

    if (!e) {
        e = wmem_new0(wmem_file_scope(), stream_entry);
        ts_conn_init(&e->conn);
        memcpy(e->first_addr, t->src_addr, sizeof e->first_addr);
        e->first_addr_len = t->src_addr_len;
        e->first_port = t->seg.sport;
        wmem_map_insert(streams, GUINT_TO_POINTER(t->stream), e);
    }
    seg.from_first = (uint8_t)sent_by_first(e, t);
    out->stream = t->stream;
    ts_conn_track(&e->conn, cfg, &seg, &out->result);
}

const tcpstate_frame *tracking_track_frame(packet_info *pinfo, const tcp_layers *layers,
                                           const ts_config *cfg)
{
    tcpstate_frame *f;

    if (layers->count == 0 && layers->incomplete == 0)
        return NULL;
    f = (tcpstate_frame *)wmem_alloc0(wmem_file_scope(),
                                      sizeof *f + layers->count * sizeof f->item[0]);
    f->count = layers->count;
    f->untracked = layers->incomplete;
    for (unsigned i = 0; i < layers->count; i++)
        track_layer(&layers->layer[i], cfg, &f->item[i]);
    p_add_proto_data(wmem_file_scope(), pinfo, tcpstate_id.proto, 0, f);
    return f;
}

const tcpstate_frame *tracking_frame(packet_info *pinfo)
{
    return (const tcpstate_frame *)p_get_proto_data(wmem_file_scope(), pinfo, tcpstate_id.proto, 0);
}
