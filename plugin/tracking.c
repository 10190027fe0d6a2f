#include "tracking.h"

#include <epan/proto_data.h>

/* The two endpoints of a connection, in a fixed order (the smaller address and
 * port first), so both directions give the same key. */
typedef struct {
    uint8_t addr[2][16];
    uint16_t port[2];
    uint8_t addr_len;
} tuple_key;

/* A stream's tracker and the identity of the endpoint that sent its first
 * captured segment (to tell the direction of later segments). */
typedef struct stream_entry {
    ts_conn conn;
    tuple_key tuple;
    const struct stream_entry *reused; /* the stream these endpoints had before, if any */
    uint32_t stream;
    ts_zeek zeek;
    char *history;          /* copy of zeek.history for the current history version */
    tcpstate_conn_info *info; /* current copy; replaced, never changed, once frames point to it */
    uint16_t history_version;
    uint8_t first_addr[16];
    uint8_t first_addr_len;
    uint16_t first_port;
} stream_entry;

static wmem_map_t *streams; /* tcp.stream -> stream_entry */
static wmem_map_t *tuples;  /* tuple_key -> the latest stream_entry with those endpoints */

static guint tuple_hash(gconstpointer key)
{
    const uint8_t *p = (const uint8_t *)key;
    guint h = 2166136261u; /* FNV-1a */

    for (size_t i = 0; i < sizeof(tuple_key); i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static gboolean tuple_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(tuple_key)) == 0;
}

void tracking_register(void)
{
    streams = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash,
                                     g_direct_equal);
    tuples = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), tuple_hash, tuple_equal);
}

static void make_tuple(const tcp_layer *t, tuple_key *k)
{
    int swap = memcmp(t->src_addr, t->dst_addr, t->addr_len);

    memset(k, 0, sizeof *k);
    if (swap == 0)
        swap = t->seg.sport > t->seg.dport;
    else
        swap = swap > 0;
    memcpy(k->addr[swap], t->src_addr, t->addr_len);
    memcpy(k->addr[!swap], t->dst_addr, t->addr_len);
    k->port[swap] = t->seg.sport;
    k->port[!swap] = t->seg.dport;
    k->addr_len = t->addr_len;
}

static int sent_by_first(const stream_entry *e, const tcp_layer *t)
{
    if (t->seg.sport != e->first_port)
        return 0;
    if (t->addr_len != e->first_addr_len)
        return t->seg.sport != t->seg.dport; /* no address to compare: ports decide */
    return memcmp(t->src_addr, e->first_addr, e->first_addr_len) == 0;
}

/* Zeek's conn_state and history. Frames share the stream's copy of the
 * history: a new copy is made only when the history is rewritten. */
static void track_zeek(stream_entry *e, const ts_segment *seg, tcpstate_item *out)
{
    ts_zeek_result z;

    ts_zeek_track(&e->zeek, seg, &z);
    if (!e->history || e->history_version != z.version) {
        e->history = (char *)wmem_alloc0(wmem_file_scope(), sizeof e->zeek.history);
        e->history_version = z.version;
    }
    memcpy(e->history, e->zeek.history, sizeof e->zeek.history);
    out->history = e->history;
    out->history_len = z.history_len;
    out->conn_state = z.conn_state;
}

/* The explanations' reference values after this segment. */
/* Where the earlier connection on the same endpoints stood when this stream's
 * first segment came (for a SYN that reuses them, e.g. within TIME-WAIT). */
static void note_reuse(const stream_entry *e, const ts_config *cfg, int64_t now,
                       tcpstate_conn_info *n)
{
    const ts_conn *old = &e->reused->conn;

    n->reuse = 1;
    n->reuse_stream = e->reused->stream;
    n->reuse_old_open = 0;
    for (int i = 0; i < 2; i++) {
        unsigned st = old->ep[i].state;
        n->reuse_in_tw[i] = st == TS_TIME_WAIT;
        n->reuse_tw_left_ns[i] =
            st == TS_TIME_WAIT ? old->ep[i].time_wait_since + 2 * cfg->msl_ns - now : 0;
        if (st != TS_TIME_WAIT && st != TS_CLOSED && st != TS_LISTEN)
            n->reuse_old_open = 1;
    }
}

static void next_info(const stream_entry *e, const tcp_layer *t, const tcpstate_item *item,
                      const ts_config *cfg, uint32_t frame, tcpstate_conn_info *n)
{
    unsigned s = item->result.sender & 1u;
    uint16_t flags = t->seg.flags;

    memset(n->reuse_tw_left_ns, 0, sizeof n->reuse_tw_left_ns);
    n->reuse = n->reuse_in_tw[0] = n->reuse_in_tw[1] = n->reuse_old_open = 0;
    n->reuse_stream = 0;
    if (e->reused && e->conn.segments == 1)
        note_reuse(e, cfg, t->seg.time_ns, n);

    if (item->result.events & (TS_EV_NEW_CONNECTION))
        memset(n, 0, sizeof *n);
    if ((flags & TS_SYN) && !(flags & TS_RST)) {
        if (!n->base_from_syn[s] || n->base[s] != t->seg.seq) {
            n->base[s] = t->seg.seq;
            n->syn_frame[s] = frame;
        }
        n->base_known[s] = n->base_from_syn[s] = 1;
    } else if (!n->base_known[s]) {
        n->base[s] = t->seg.seq - 1;
        n->base_known[s] = 1;
    }
    if ((flags & TS_FIN) && !(flags & (TS_RST | TS_SYN)) && !n->fin_frame[s])
        n->fin_frame[s] = frame;
    for (int i = 0; i < 2; i++)
        n->time_wait_since_ns[i] =
            e->conn.ep[i].state == TS_TIME_WAIT ? e->conn.ep[i].time_wait_since : 0;
}

static void track_info(stream_entry *e, const tcp_layer *t, const ts_config *cfg, tcpstate_item *item,
                       uint32_t frame)
{
    tcpstate_conn_info n;

    if (e->info)
        n = *e->info;
    else
        memset(&n, 0, sizeof n);
    next_info(e, t, item, cfg, frame, &n);
    if (!e->info || memcmp(&n, e->info, sizeof n) != 0) {
        e->info = wmem_new(wmem_file_scope(), tcpstate_conn_info);
        *e->info = n;
    }
    item->info = e->info;
}

static void track_layer(const tcp_layer *t, const ts_config *cfg, uint32_t frame, tcpstate_item *out)
{
    stream_entry *e = (stream_entry *)wmem_map_lookup(streams, GUINT_TO_POINTER(t->stream));
    ts_segment seg = t->seg;

    if (!e) {
        e = wmem_new0(wmem_file_scope(), stream_entry);
        ts_conn_init(&e->conn);
        ts_zeek_init(&e->zeek);
        memcpy(e->first_addr, t->src_addr, sizeof e->first_addr);
        e->first_addr_len = t->addr_len;
        e->first_port = t->seg.sport;
        e->stream = t->stream;
        wmem_map_insert(streams, GUINT_TO_POINTER(t->stream), e);
        if (t->addr_len) {
            make_tuple(t, &e->tuple);
            e->reused = (const stream_entry *)wmem_map_lookup(tuples, &e->tuple);
            wmem_map_insert(tuples, &e->tuple, e);
        }
    }
    seg.from_first = (uint8_t)sent_by_first(e, t);
    out->stream = t->stream;
    out->time_ns = t->seg.time_ns;
    out->seq = t->seg.seq;
    out->ack = t->seg.ack;
    ts_conn_track(&e->conn, cfg, &seg, &out->result);
    track_zeek(e, &seg, out);
    track_info(e, t, cfg, out, frame);
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
        track_layer(&layers->layer[i], cfg, pinfo->num, &f->item[i]);
    p_add_proto_data(wmem_file_scope(), pinfo, tcpstate_id.proto, 0, f);
    return f;
}

const tcpstate_frame *tracking_frame(packet_info *pinfo)
{
    return (const tcpstate_frame *)p_get_proto_data(wmem_file_scope(), pinfo, tcpstate_id.proto, 0);
}
