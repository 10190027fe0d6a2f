#include "readfilter_replay.h"

/*
 * What a record is: where the file has it, its time and its lengths. The
 * frame number is not enough (a read filter numbers records as the next kept
 * frame); a re-dissection reads the kept records again from the same offsets.
 */
typedef struct {
    int64_t file_off;
    nstime_t ts;
    uint32_t pkt_len;
    uint32_t cap_len;
} record_id;

/* One record with TCP layers, as the first pass saw it. */
typedef struct {
    record_id id;
    uint32_t num;         /* the number it was dissected with */
    uint32_t first_layer; /* its layers in the store's `layers` */
    uint8_t count;
    uint8_t incomplete;
} saved_record;

typedef struct {
    GArray *records;        /* saved_record, capture order, from the first dropped one on */
    GArray *layers;         /* tcp_layer, with the whole capture's stream numbers */
    record_id first;        /* the kept frame 1 (the last record numbered 1) */
    uint32_t last_kept_num; /* the number of the last kept frame */
} record_store;

/* At most this much is kept (docs/performance.md: 152 bytes a single-layer
 * TCP record read from the first dropped one on). A read that needs more
 * keeps nothing: its re-dissection shows the kept frames' own states. */
#define READFILTER_MAX_BYTES ((size_t)256 << 20)

static gboolean enabled;

/* What the current first pass is recording (NULL until a record is dropped),
 * and what an earlier pass recorded, which this one may replay. Both are
 * g_malloc'd: they must outlive the file scope that a re-dissection empties. */
static record_store *recording, *saved;
static gboolean dropped;        /* this pass is a read that dropped a record */

/* The last record of this pass: whether it is dropped is known only when the
 * next one is numbered the same (or it is listed as kept). */
static struct {
    gboolean valid;
    record_id id;
    uint32_t num;
    tcp_layers layers; /* only `count` layers are copied */
} last;
static record_id pass_first;  /* the last record numbered 1 in this pass */
static uint32_t kept_max;     /* the highest number known kept in this pass */

/* Replaying `saved` in this pass: the next record to match or replay, and
 * whether a record was replayed (then this pass is a re-dissection: a read
 * dissects every record itself). */
static gboolean replaying;
static guint cursor;
static gboolean replayed;

void readfilter_replay_enable(void)
{
    enabled = TRUE;
}

static record_id id_of(const packet_info *pinfo)
{
    record_id id;

    memset(&id, 0, sizeof id);
    id.file_off = pinfo->fd->file_off;
    id.ts = pinfo->fd->abs_ts;
    id.pkt_len = pinfo->fd->pkt_len;
    id.cap_len = pinfo->fd->cap_len;
    return id;
}

static gboolean same_id(const record_id *a, const record_id *b)
{
    return a->file_off == b->file_off && a->ts.secs == b->ts.secs && a->ts.nsecs == b->ts.nsecs &&
           a->pkt_len == b->pkt_len && a->cap_len == b->cap_len;
}

static void store_free(record_store *s)
{
    if (!s)
        return;
    g_array_free(s->records, TRUE);
    g_array_free(s->layers, TRUE);
    g_free(s);
}

static record_store *store_new(void)
{
    record_store *s = g_new0(record_store, 1);

    s->records = g_array_new(FALSE, FALSE, sizeof(saved_record));
    s->layers = g_array_new(FALSE, FALSE, sizeof(tcp_layer));
    return s;
}

static size_t store_bytes(const record_store *s)
{
    return s->records->len * sizeof(saved_record) + s->layers->len * sizeof(tcp_layer);
}

static void store_add(record_store *s, const record_id *id, uint32_t num, const tcp_layers *layers)
{
    saved_record r;

    if (layers->count == 0)
        return; /* nothing to track in it */
    memset(&r, 0, sizeof r);
    r.id = *id;
    r.num = num;
    r.first_layer = s->layers->len;
    r.count = (uint8_t)layers->count;
    r.incomplete = (uint8_t)MIN(layers->incomplete, 255u);
    g_array_append_vals(s->records, &r, 1);
    g_array_append_vals(s->layers, layers->layer, layers->count);
}

/* The previous pass ends: a read that dropped records replaces what was kept
 * with what it recorded; a pass that found other records than the kept ones
 * freed them already; a re-dissection keeps them for the next one. */
void readfilter_replay_pass_start(void)
{
    if (recording && g_array_index(recording->records, saved_record, 0).num > kept_max) {
        /* Dropped only after the last kept frame: nothing to replay
         * (readfilter_replay_track). */
        store_free(recording);
        recording = NULL;
    }
    if (recording) {
        recording->first = pass_first;
        recording->last_kept_num = kept_max;
    }
    if (dropped || !replaying) {
        store_free(saved);
        saved = recording;
    }
    recording = NULL;
    dropped = FALSE;
    last.valid = FALSE;
    kept_max = 0;
    memset(&pass_first, 0, sizeof pass_first);
    replaying = saved != NULL;
    cursor = 0;
    replayed = FALSE;
}

/* This pass does not re-dissect the records that were kept: forget them. */
static void stop_replaying(void)
{
    replaying = FALSE;
    store_free(saved);
    saved = NULL;
}

/* Track saved record k as the first pass did: same number, time, layers. */
static void replay(guint k, packet_info *live, readfilter_feed feed, void *ctx)
{
    const saved_record *r = &g_array_index(saved->records, saved_record, k);
    packet_info pi;
    frame_data fd;
    tcp_layers layers;

    memset(&fd, 0, sizeof fd);
    fd.num = r->num;
    fd.file_off = r->id.file_off;
    fd.abs_ts = r->id.ts;
    fd.pkt_len = r->id.pkt_len;
    fd.cap_len = r->id.cap_len;
    memset(&pi, 0, sizeof pi);
    pi.fd = &fd;
    pi.num = r->num;
    pi.abs_ts = r->id.ts;
    pi.pool = live->pool; /* what tracking allocates per frame lives as long as this frame's */
    layers.count = r->count;
    layers.incomplete = r->incomplete;
    memcpy(layers.layer, &g_array_index(saved->layers, tcp_layer, r->first_layer),
           r->count * sizeof(tcp_layer));
    feed(&pi, &layers, ctx);
}

/* Before a frame of a re-dissection: the saved records up to its own are
 * replayed, and its layers get the whole capture's stream numbers (the
 * re-dissection numbers streams anew, and the tracker's tables are keyed by
 * the numbers the dropped records had). */
static void replay_before(packet_info *pinfo, const record_id *id, tcp_layers *layers,
                          readfilter_feed feed, void *ctx)
{
    const saved_record *r = NULL;
    guint j;

    if (pinfo->num == 1 && !same_id(id, &saved->first)) {
        stop_replaying(); /* another file, or the file without its read filter */
        return;
    }
    if (layers->count == 0 || saved->records->len == 0 ||
        pinfo->num < g_array_index(saved->records, saved_record, 0).num)
        return; /* before the first dropped record, both passes saw the same */
    for (j = cursor; j < saved->records->len; j++) {
        r = &g_array_index(saved->records, saved_record, j);
        if (r->num == pinfo->num && same_id(&r->id, id))
            break;
    }
    if (j == saved->records->len || r->count != layers->count) {
        stop_replaying();
        return;
    }
    for (; cursor < j; cursor++) {
        replay(cursor, pinfo, feed, ctx);
        replayed = TRUE;
    }
    cursor = j + 1;
    for (unsigned i = 0; i < layers->count; i++)
        layers->layer[i].stream = g_array_index(saved->layers, tcp_layer, r->first_layer + i).stream;
}

/* Keep what a re-dissection will need once a record was dropped. */
static void record(const packet_info *pinfo, const record_id *id, const tcp_layers *layers)
{
    if (last.valid && pinfo->num == last.num + 1)
        kept_max = last.num; /* the previous record was kept */
    if (pinfo->num == 1)
        pass_first = *id;
    if (!dropped && last.valid && pinfo->num == last.num) {
        /* The previous record was dropped: from it on, everything is kept.
         * This pass reads the file: it sees every record itself. */
        dropped = TRUE;
        if (replaying)
            stop_replaying();
        recording = store_new();
        store_add(recording, &last.id, last.num, &last.layers);
    }
    if (recording) {
        store_add(recording, id, pinfo->num, layers);
        if (store_bytes(recording) > READFILTER_MAX_BYTES) {
            ws_warning("tcpstate: the read filter dropped more than %zu MiB of TCP records; "
                       "a re-dissection will show the states of the kept frames only",
                       READFILTER_MAX_BYTES >> 20);
            store_free(recording);
            recording = NULL;
        }
    }
    last.valid = TRUE;
    last.id = *id;
    last.num = pinfo->num;
    last.layers.count = layers->count;
    last.layers.incomplete = layers->incomplete;
    if (!dropped)
        memcpy(last.layers.layer, layers->layer, layers->count * sizeof(tcp_layer));
}

const tcpstate_frame *readfilter_replay_track(packet_info *pinfo, tcp_layers *layers,
                                              readfilter_feed feed, void *ctx)
{
    record_id id;
    const tcpstate_frame *frame;

    if (!enabled)
        return feed(pinfo, layers, ctx);
    id = id_of(pinfo);
    if (replaying)
        replay_before(pinfo, &id, layers, feed, ctx);
    record(pinfo, &id, layers);
    frame = feed(pinfo, layers, ctx);
    /* After the last kept frame come the dropped records at the end of the
     * file: they count for the connections' outcome (conn_outcome.c). Only
     * in a pass that replayed a record before: a read of the file (Reload,
     * File > Open) has every record yet to come, and must not see them twice.
     * So a filter that drops records only after the last kept frame
     * (`frame.number <= 100`) keeps nothing (pass_start), and its
     * re-dissection shows the outcome as of the kept frames
     * (docs/design.md, "Read filters"). */
    if (replaying && replayed && pinfo->num == saved->last_kept_num)
        for (; cursor < saved->records->len; cursor++)
            replay(cursor, pinfo, feed, ctx);
    return frame;
}

void readfilter_replay_visited(const packet_info *pinfo)
{
    record_id id;

    if (!enabled || !last.valid || pinfo->num != last.num || kept_max >= last.num)
        return;
    id = id_of(pinfo);
    if (same_id(&id, &last.id))
        kept_max = last.num; /* listed: the read filter kept it */
}
