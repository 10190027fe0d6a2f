#include "tracking.h"

#include <epan/proto_data.h>
#include <epan/tap.h>

#include "audience.h"
#include "bytes_hash.h"
#include "conn_epochs.h"
#include "dense_table.h"
#include "id_index.h"
#include "slab.h"
#include "stream_machines.h"
#include "verdicts.h"

/*
 * What is kept, and why it is small (docs/performance.md):
 *
 * - per frame, one 16-byte frame_record in a table indexed by frame number:
 *   the stream, the verdict's index (verdicts.c), where the TCP header starts
 *   (seq, ack and flags are read from it again on later passes), the payload
 *   length, the acknowledged byte count and the history length. A frame that
 *   does not fit (several TCP layers, a header outside the frame's own bytes,
 *   a length over 65534, ...) keeps its whole items in a map instead.
 * - per stream, a stream_entry: the tuple, the values its frames share
 *   (conn_epochs.c), and its state machines, packed while it is not touched
 *   recently (stream_machines.c).
 */

/* The two endpoints of a connection, in a fixed order (the smaller address and
 * port first), so both directions give the same key. Sized by address family
 * (docs/performance.md): a stream keeps 2 * addr_len address bytes, end 0's
 * then end 1's, at the end of its entry; a lookup builds a tuple_key, which
 * has the same head. Hashed and compared over tuple_size() bytes. */
typedef struct {
    uint16_t port[2];
    uint8_t addr_len; /* 4, 16, or 0 when the layer had no IP addresses */
    uint8_t addr[];
} tuple_head;

typedef struct {
    uint32_t storage[(sizeof(tuple_head) + 2 * 16 + 3) / 4]; /* a tuple_head with room */
} tuple_key;

static tuple_head *tuple_of(tuple_key *k)
{
    return (tuple_head *)k->storage;
}

static size_t tuple_size(const tuple_head *k)
{
    return offsetof(tuple_head, addr) + 2u * k->addr_len;
}

static const uint8_t *tuple_addr(const tuple_head *k, unsigned end)
{
    return k->addr + end * k->addr_len;
}

typedef struct stream_entry {
    machines_slot machines;           /* the trackers, live or packed (stream_machines.h) */
    conn_epochs shared;               /* what its frames' explanations refer to */
    /* Neither its tcp.stream (its index in `streams`) nor its first frame
     * (its first epoch's start) is kept: both are known where needed. */
    uint8_t first_slot; /* which end of `tuple` sent the stream's first segment */
    uint8_t packed;     /* whether `machines` are packed */
    tuple_head tuple;   /* last: its addresses follow */
} stream_entry;

/* What every stream costs beside its machines' live or packed bytes
 * (docs/performance.md: their address 8 B, the epochs with the first one
 * inside 88 B, and these last fields; 13 tuple bytes follow for IPv4). */
_Static_assert(offsetof(stream_entry, tuple) == 98,
               "stream_entry changed size: check docs/performance.md");

/* A stream on an earlier one's endpoints: where that one stood at its first
 * segment, and whether its first connection still runs (only that one can
 * end the earlier one's TIME-WAIT: a later connection on the stream follows
 * its own first one). */
typedef struct {
    ts_reuse note;
    uint8_t watching;
} reuse_record;

/* The TIME-WAIT ends of an earlier stream, by its side (frame 0: none). The
 * first end of a side counts. */
typedef struct {
    ts_tw_end side[2];
} tw_end_pair;

enum { RECORD_NONE = 0, RECORD_PACKED, RECORD_FULL };

typedef struct {
    uint32_t stream;
    uint32_t acked_new;
    uint16_t verdict;       /* verdicts.c */
    uint16_t header_offset; /* the TCP header in the frame's bytes */
    uint16_t len;
    uint8_t history_len;
    uint8_t kind;           /* RECORD_* */
} frame_record;

/* What every frame costs (docs/performance.md: 16 bytes a frame). */
_Static_assert(sizeof(frame_record) == 16, "frame_record must stay 16 bytes");

/* The table and map below exist while a file is open (init to cleanup). */
static dense_table *streams;  /* tcp.stream -> stream_entry * */
static slab *entries;         /* where the stream_entry records are */
static dense_table *frames;   /* frame number -> frame_record */
static wmem_map_t *full_frames; /* frame number -> tcpstate_frame, for RECORD_FULL */
static id_index *tuples;      /* tuple_head -> the latest stream with those endpoints */
static wmem_map_t *reuses;    /* tcp.stream -> reuse_record, for the streams that reuse
                                 an earlier one's endpoints (few: not kept in every entry) */
static wmem_map_t *tw_ends;   /* earlier tcp.stream -> tw_end_pair, for the streams whose
                                 TIME-WAIT a later one ended (core/refs.h, ts_tw_end) */
static wmem_map_t *wire_notes; /* wire_key() -> ts_wire_info, kept only when not plain */

/* A frame's layer: frames and layers are few enough for one 64-bit key
 * (a pointer-sized key on the 64-bit builds Wireshark 4 supports). */
static gpointer wire_key(uint32_t frame, unsigned layer)
{
    return GSIZE_TO_POINTER(((gsize)frame << 8) | (layer & 0xFF));
}

static guint tuple_hash(gconstpointer key)
{
    return bytes_hash(key, tuple_size((const tuple_head *)key));
}

static gboolean tuple_equal(gconstpointer a, gconstpointer b)
{
    const tuple_head *x = (const tuple_head *)a, *y = (const tuple_head *)b;

    return x->addr_len == y->addr_len && memcmp(x, y, tuple_size(x)) == 0;
}

static stream_entry *find_stream(uint32_t stream)
{
    stream_entry *const *slot = (stream_entry *const *)dense_table_find(streams, stream);

    return slot ? *slot : NULL;
}

/* The tuples index's key of a stream (id_index.h): only streams already in
 * the table are indexed. */
static const void *stream_tuple(uint32_t stream)
{
    return &find_stream(stream)->tuple;
}

void tracking_init(void)
{
    streams = dense_table_new(sizeof(stream_entry *));
    entries = slab_new();
    frames = dense_table_new(sizeof(frame_record));
    full_frames = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    tuples = id_index_new(tuple_hash, tuple_equal, stream_tuple);
    machines_init();
    reuses = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    tw_ends = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    wire_notes = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    verdicts_init();
}

void tracking_cleanup(void)
{
    streams = frames = NULL;
    entries = NULL;
    tuples = NULL;
    full_frames = reuses = tw_ends = wire_notes = NULL;
}

/* Which end of the tuple sent this segment (0 or 1). */
static unsigned make_tuple(const tcp_layer *t, tuple_key *key)
{
    tuple_head *k = tuple_of(key);
    int swap = memcmp(t->src_addr, t->dst_addr, t->addr_len);

    memset(key, 0, sizeof *key);
    if (swap == 0)
        swap = t->seg.sport > t->seg.dport;
    else
        swap = swap > 0;
    k->addr_len = t->addr_len;
    memcpy(k->addr + (unsigned)swap * t->addr_len, t->src_addr, t->addr_len);
    memcpy(k->addr + (unsigned)!swap * t->addr_len, t->dst_addr, t->addr_len);
    k->port[swap] = t->seg.sport;
    k->port[!swap] = t->seg.dport;
    return (unsigned)swap;
}

/* Which end of the stream's tuple sent this segment. Equal ends (a socket
 * talking to itself) count as the first sender's. */
static unsigned sender_slot(const stream_entry *e, const tcp_layer *t)
{
    const tuple_head *k = &e->tuple;

    if (t->addr_len != k->addr_len) /* the addresses changed size: ports decide */
        return t->seg.sport == k->port[0] && t->seg.sport != t->seg.dport ? 0u : 1u;
    if (t->seg.sport == k->port[0] && memcmp(t->src_addr, tuple_addr(k, 0), k->addr_len) == 0)
        return 0;
    return 1;
}

/* Where the earlier connection on the same endpoints stood when this stream's
 * first segment came (for a SYN that reuses them, e.g. within TIME-WAIT);
 * `first_slot`: the end of the tuple that sent that segment. */
static reuse_record *note_reuse(uint32_t old, unsigned first_slot, const ts_config *cfg,
                                int64_t now)
{
    reuse_record *n = wmem_new0(wmem_file_scope(), reuse_record);
    const stream_entry *o = find_stream(old);
    stream_machines copy;

    ts_reuse_note(&machines_read(&o->machines, o->packed, &copy)->conn, old, cfg->msl_ns, now,
                  o->first_slot == first_slot, &n->note);
    n->watching = 1;
    return n;
}

static stream_entry *new_stream(const tcp_layer *t, const ts_config *cfg)
{
    tuple_key k;
    unsigned first_slot = make_tuple(t, &k);
    size_t ksize = tuple_size(tuple_of(&k));
    stream_entry *e =
        (stream_entry *)slab_alloc0(entries, offsetof(stream_entry, tuple) + ksize);
    uint32_t old;

    e->first_slot = (uint8_t)first_slot;
    memcpy(&e->tuple, tuple_of(&k), ksize);
    if (t->addr_len) {
        old = id_index_lookup(tuples, &e->tuple);
        if (old != ID_INDEX_NONE)
            wmem_map_insert(reuses, GUINT_TO_POINTER(t->stream),
                            note_reuse(old, first_slot, cfg, t->seg.time_ns));
        id_index_set(tuples, &e->tuple, t->stream);
    }
    return e;
}

/* On the first frame of a stream that reuses an earlier one's endpoints,
 * where that one stood; NULL on its other frames. The first frame is its
 * first epoch's start (conn_epochs.h), 0 while the first is being tracked. */
static const ts_reuse *stream_reuse(const stream_entry *e, uint32_t stream, uint32_t frame)
{
    uint32_t first = conn_epochs_first_frame(&e->shared);

    const reuse_record *rec;

    if (first != frame && first != 0)
        return NULL;
    rec = (const reuse_record *)wmem_map_lookup(reuses, GUINT_TO_POINTER(stream));
    return rec ? &rec->note : NULL;
}

/* First pass: does this segment of a reusing stream end the earlier
 * stream's TIME-WAIT (core/refs.c decides)? Only a SYN or SYN+ACK can. */
static void track_tw_end(uint32_t stream, const ts_segment *seg, uint32_t frame,
                         tcpstate_item *out)
{
    reuse_record *rec;
    tw_end_pair *pair;
    ts_tw_end end;

    if (!(seg->flags & TS_SYN) ||
        !(rec = (reuse_record *)wmem_map_lookup(reuses, GUINT_TO_POINTER(stream))) ||
        !rec->watching)
        return;
    if (out->result.events & TS_EV_NEW_CONNECTION) {
        rec->watching = 0; /* the stream's first connection is over */
        return;
    }
    if (!ts_reuse_ends_time_wait(&rec->note, stream, seg, out->result.sender, &out->info->refs,
                                 frame, &end))
        return;
    pair = (tw_end_pair *)wmem_map_lookup(tw_ends, GUINT_TO_POINTER(end.stream));
    if (!pair) {
        pair = wmem_new0(wmem_file_scope(), tw_end_pair);
        wmem_map_insert(tw_ends, GUINT_TO_POINTER(end.stream), pair);
    }
    if (pair->side[end.side].frame)
        return;
    pair->side[end.side] = end;
    out->tw_end = &pair->side[end.side];
}

/* Later passes: the end a frame showed (track_tw_end), or NULL. */
static const ts_tw_end *frame_tw_end(uint32_t stream, uint32_t frame, uint16_t flags)
{
    const reuse_record *rec;
    const tw_end_pair *pair;

    if (!(flags & TS_SYN) ||
        !(rec = (const reuse_record *)wmem_map_lookup(reuses, GUINT_TO_POINTER(stream))) ||
        !(pair = (const tw_end_pair *)wmem_map_lookup(tw_ends, GUINT_TO_POINTER(rec->note.stream))))
        return NULL;
    for (unsigned s = 0; s < 2; s++)
        if (pair->side[s].frame == frame && pair->side[s].new_stream == stream)
            return &pair->side[s];
    return NULL;
}

const ts_tw_end *tracking_time_wait_end(uint32_t stream, unsigned side)
{
    const tw_end_pair *pair =
        tw_ends ? (const tw_end_pair *)wmem_map_lookup(tw_ends, GUINT_TO_POINTER(stream)) : NULL;

    return pair && side < 2 && pair->side[side].frame ? &pair->side[side] : NULL;
}

/* Zeek's conn_state and history. Frames share the stream's history buffer,
 * each showing a prefix of it; when Zeek rewrites the history (not just
 * appends), the frames so far get a copy of what it was. */
static void track_zeek(stream_entry *e, ts_zeek *zeek, const ts_segment *seg,
                       uint32_t captured_len, tcpstate_item *out)
{
    char before[sizeof zeek->history];
    uint16_t version = zeek->version;
    ts_zeek_result z;

    memcpy(before, zeek->history, sizeof before);
    ts_zeek_track_captured(zeek, seg, captured_len, &z);
    if (z.version != version) {
        char *old = (char *)wmem_memdup(wmem_file_scope(), before, sizeof before);
        conn_epochs_keep_history(&e->shared, zeek->history, old);
    }
    out->history_len = z.history_len;
    out->conn_state = z.conn_state;
}

/* The shared values after this segment, from those before it: what the
 * texts refer to is the core's (core/refs.c). */
static void next_info(const stream_machines *m, const tcp_layer *t, const tcpstate_item *item,
                      uint32_t frame, tcpstate_conn_info *n)
{
    ts_refs_track(&n->refs, &m->conn, &t->seg, &item->result, frame);
    n->handshake_rtt_ns = item->result.handshake_rtt_ns;
    n->history = m->zeek.history;
}

/* The first `len` letters of `history` (a buffer of TS_ZEEK_HISTORY_MAX + 1
 * bytes, or NULL) into `out`, NUL-terminated. */
static void copy_history(const char *history, unsigned len, char *out)
{
    size_t n = history ? MIN(len, TS_ZEEK_HISTORY_MAX) : 0;

    /* Every history buffer (the stream's, its kept copies, an item's) has
     * the same size: copied whole, with a constant size, it takes no call
     * (docs/performance.md); the string ends at n. */
    if (n)
        memcpy(out, history, TS_ZEEK_HISTORY_MAX + 1);
    out[n] = '\0';
}

/* The item's own copy of its history (tcpstate_plugin.h): `info` points to
 * the buffer the frame shows a prefix of, which later segments can change. */
_Static_assert(sizeof(((tcpstate_item *)0)->history) == sizeof(((ts_zeek *)0)->history),
               "a history buffer is copied whole");

static void own_history(tcpstate_item *item, tcpstate_conn_info *info)
{
    copy_history(info->history, item->history_len, item->history);
    info->history = item->history;
}

/* The shared values as of this segment; the item gets its own copy. */
static void track_info(stream_entry *e, const stream_machines *m, const tcp_layer *t,
                       tcpstate_item *item, uint32_t frame, wmem_allocator_t *scope)
{
    tcpstate_conn_info *n = wmem_new(scope, tcpstate_conn_info);
    tcpstate_conn_info latest;

    conn_epochs_at(&e->shared, UINT32_MAX, &latest);
    *n = latest;
    next_info(m, t, item, frame, n);
    conn_epochs_update(&e->shared, frame, &latest, n);
    own_history(item, n);
    item->info = n;
}

/* The wire bookkeeping of the texts; a plain info is rebuilt, not kept. */
static void track_wire(ts_wire *wire, const ts_segment *seg, uint32_t frame, unsigned layer,
                       tcpstate_item *out)
{
    const ts_result *r = &out->result;

    ts_wire_track(wire, seg, r->sender, (r->events & TS_EV_NEW_CONNECTION) != 0, frame,
                  &out->wire);
    if (audience_dissects_again() && !ts_wire_info_is_plain(&out->wire, seg, r->acked_new))
        wmem_map_insert(wire_notes, wire_key(frame, layer),
                        wmem_memdup(wmem_file_scope(), &out->wire, sizeof out->wire));
}

static void track_layer(const tcp_layer *t, const ts_config *cfg, uint32_t frame, unsigned layer,
                        wmem_allocator_t *scope, tcpstate_item *out)
{
    stream_entry **slot = (stream_entry **)dense_table_at(streams, t->stream);
    stream_entry *e = *slot;
    ts_segment seg = t->seg;
    stream_machines *m;

    if (!e)
        e = *slot = new_stream(t, cfg);
    m = machines_live(&e->machines, &e->packed, &e->shared, t->stream, frame);
    seg.from_first = sender_slot(e, t) == e->first_slot;
    memset(out, 0, sizeof *out);
    out->stream = t->stream;
    out->time_ns = t->seg.time_ns;
    out->seq = t->seg.seq;
    out->ack = t->seg.ack;
    out->reuse = stream_reuse(e, t->stream, frame);
    ts_conn_track(&m->conn, cfg, &seg, &out->result);
    if (audience_why_seen())
        track_wire(&m->wire, &seg, frame, layer, out);
    if (audience_zeek_seen())
        track_zeek(e, &m->zeek, &seg, t->captured_len, out);
    track_info(e, m, t, out, frame, scope);
    track_tw_end(t->stream, &seg, frame, out);
}

/* Store a single-layer frame in 16 bytes when it fits. */
static gboolean pack_record(frame_record *rec, const tcp_layer *t, const tcpstate_item *item)
{
    uint16_t verdict;

    if (t->header_offset < 0 || t->header_offset >= 0xFFFF || item->result.len >= 0xFFFF ||
        t->stream == UINT32_MAX)
        return FALSE;
    verdict = verdicts_intern(&item->result, item->conn_state);
    if (verdict == VERDICT_NONE)
        return FALSE;
    rec->stream = t->stream;
    rec->acked_new = item->result.acked_new;
    rec->verdict = verdict;
    rec->header_offset = (uint16_t)t->header_offset;
    rec->len = (uint16_t)item->result.len;
    rec->history_len = item->history_len;
    rec->kind = RECORD_PACKED;
    return TRUE;
}

/* What later dissections of the frame render from (tracking_frame). */
static void store_frame(uint32_t frame, const tcp_layers *layers, const tcpstate_frame *f)
{
    frame_record *rec = (frame_record *)dense_table_at(frames, frame);
    tcpstate_frame *kept;

    if (f->count == 1 && !f->untracked && pack_record(rec, &layers->layer[0], &f->item[0]))
        return;
    kept = (tcpstate_frame *)wmem_memdup(wmem_file_scope(), f,
                                         sizeof *f + f->count * sizeof f->item[0]);
    for (unsigned i = 0; i < kept->count; i++) /* rebuilt from the stream when used */
        kept->item[i].info = NULL;
    rec->kind = RECORD_FULL;
    wmem_map_insert(full_frames, GUINT_TO_POINTER(frame), kept);
}

/* The machines of a tracked stream (machines_cool). */
static void stream_owner(uint32_t stream, machines_slot **slot, uint8_t **packed,
                         conn_epochs **epochs)
{
    stream_entry *e = find_stream(stream);

    *slot = &e->machines;
    *packed = &e->packed;
    *epochs = &e->shared;
}

const tcpstate_frame *tracking_track_frame(packet_info *pinfo, const tcp_layers *layers,
                                           const ts_config *cfg)
{
    tcpstate_frame *f;

    if ((layers->count == 0 && layers->incomplete == 0) || !frames)
        return NULL;
    /* Each item is cleared by track_layer(). */
    f = (tcpstate_frame *)wmem_alloc(pinfo->pool, sizeof *f + layers->count * sizeof f->item[0]);
    f->count = layers->count;
    f->untracked = layers->incomplete;
    for (unsigned i = 0; i < layers->count; i++)
        track_layer(&layers->layer[i], cfg, pinfo->num, i, pinfo->pool, &f->item[i]);

    if (audience_dissects_again())
        store_frame(pinfo->num, layers, f);
    machines_cool(pinfo->num, stream_owner);
    /* Within this dissection only the tcpstate tap's listeners (reports)
     * look the frame up again (tracking_frame); the dissector has it. */
    if (have_tap_listener(tcpstate_id.tap))
        p_add_proto_data(pinfo->pool, pinfo, tcpstate_id.proto, 0, f);
    return f;
}

/* An item's own copy of the values its stream's frames share. */
static void share_info(packet_info *pinfo, const stream_entry *e, tcpstate_item *item)
{
    tcpstate_conn_info *info = wmem_new(pinfo->pool, tcpstate_conn_info);

    conn_epochs_at(&e->shared, pinfo->num, info);
    own_history(item, info);
    item->info = info;
}

void tracking_history_at(uint32_t stream, uint32_t frame, unsigned len,
                         char out[TS_ZEEK_HISTORY_MAX + 1])
{
    const stream_entry *e = frames ? find_stream(stream) : NULL;
    tcpstate_conn_info info;

    /* The epoch of `frame` points to the buffer it showed a prefix of, or
     * to the copy made when that buffer was rewritten (track_zeek). */
    if (e)
        conn_epochs_at(&e->shared, frame, &info);
    copy_history(e ? info.history : NULL, len, out);
}

static tcpstate_frame *unpack_record(packet_info *pinfo, tvbuff_t *tvb, const frame_record *rec)
{
    const stream_entry *e = find_stream(rec->stream);
    const ts_wire_info *kept;
    tcpstate_frame *f;
    tcpstate_item *item;
    ts_segment seg;

    memset(&seg, 0, sizeof seg);
    if (!e || !tcp_layers_read_header(tvb, rec->header_offset, &seg))
        return NULL; /* not the bytes the first pass saw */
    f = (tcpstate_frame *)wmem_alloc0(pinfo->pool, sizeof *f + sizeof f->item[0]);
    f->count = 1;
    item = &f->item[0];
    item->stream = rec->stream;
    item->seq = seg.seq;
    item->ack = seg.ack;
    item->time_ns = (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    verdicts_apply(rec->verdict, &item->result, &item->conn_state);
    item->result.flags = seg.flags;
    item->result.len = rec->len;
    item->result.acked_new = rec->acked_new;
    item->history_len = rec->history_len;
    share_info(pinfo, e, item);
    item->result.handshake_rtt_ns = item->info->handshake_rtt_ns;
    item->reuse = stream_reuse(e, rec->stream, pinfo->num);
    item->tw_end = frame_tw_end(rec->stream, pinfo->num, seg.flags);
    kept = (const ts_wire_info *)wmem_map_lookup(wire_notes, wire_key(pinfo->num, 0));
    if (kept)
        item->wire = *kept;
    else
        ts_wire_info_plain(&seg, rec->acked_new, &item->wire);
    return f;
}

const tcpstate_frame *tracking_frame(packet_info *pinfo, tvbuff_t *tvb)
{
    tcpstate_frame *f = (tcpstate_frame *)p_get_proto_data(pinfo->pool, pinfo, tcpstate_id.proto, 0);
    const frame_record *rec;

    if (f || !frames)
        return f;
    rec = (const frame_record *)dense_table_find(frames, pinfo->num);
    if (!rec || rec->kind == RECORD_NONE)
        return NULL;
    if (rec->kind == RECORD_FULL) {
        const tcpstate_frame *stored =
            (const tcpstate_frame *)wmem_map_lookup(full_frames, GUINT_TO_POINTER(pinfo->num));
        if (!stored)
            return NULL;
        f = (tcpstate_frame *)wmem_memdup(pinfo->pool, stored,
                                          sizeof *f + stored->count * sizeof f->item[0]);
        for (unsigned i = 0; i < f->count; i++) {
            const stream_entry *e = find_stream(f->item[i].stream);
            if (e)
                share_info(pinfo, e, &f->item[i]);
        }
    } else if (!(f = unpack_record(pinfo, tvb, rec))) {
        return NULL;
    }
    p_add_proto_data(pinfo->pool, pinfo, tcpstate_id.proto, 0, f);
    return f;
}
