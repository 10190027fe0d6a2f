#include "stream_machines.h"

#include <epan/wmem_scopes.h>

#include "byte_pack.h"
#include "slab.h"

/* A live stream in the order it was queued, and the frame it was queued in. */
typedef struct {
    uint32_t stream;
    uint32_t queued;
} queued_stream;

/* The state below exists while a file is open (machines_init). */
static stream_machines fresh;  /* what the machines are packed against */
static slab *store;            /* live machines and history copies */
static slab *packed_store;     /* packed bytes */
static wmem_map_t *histories;  /* a Zeek history -> its one copy (TS_ZEEK_HISTORY_MAX + 1 bytes) */
static queued_stream *queue;   /* a ring of the live streams, oldest first */
static uint32_t queue_cap, queue_head;
uint32_t machines_live_count; /* the queue's length: each live stream is in it once */

_Static_assert(sizeof(stream_machines) <= BYTE_PACK_MAX, "the machines are packed");
_Static_assert(sizeof(live_machines) <= SLAB_GIVE_MAX, "live machines are reused");
_Static_assert(BYTE_PACK_BOUND(sizeof(stream_machines)) <= SLAB_GIVE_MAX, "packed bytes are reused");

void machines_init(void)
{
    ts_conn_init(&fresh.conn);
    ts_zeek_init(&fresh.zeek);
    ts_wire_init(&fresh.wire);
    store = slab_new();
    packed_store = slab_new_bytes();
    histories = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    queue = NULL;
    queue_cap = queue_head = machines_live_count = 0;
}

static void queue_push(uint32_t stream, uint32_t frame)
{
    if (machines_live_count == queue_cap) { /* double it, oldest first again */
        uint32_t cap = queue_cap ? queue_cap * 2 : 64;
        queued_stream *q = wmem_alloc_array(wmem_file_scope(), queued_stream, cap);
        for (uint32_t i = 0; i < machines_live_count; i++)
            q[i] = queue[(queue_head + i) & (queue_cap - 1)];
        wmem_free(wmem_file_scope(), queue);
        queue = q;
        queue_cap = cap;
        queue_head = 0;
    }
    queue[(queue_head + machines_live_count++) & (queue_cap - 1)] = (queued_stream){stream, frame};
}

static queued_stream queue_pop(void)
{
    queued_stream q = queue[queue_head];

    queue_head = (queue_head + 1) & (queue_cap - 1);
    machines_live_count--;
    return q;
}

/* The one copy of a history, made on its first use: the epochs of every
 * packed stream that showed it point to it. */
static const char *history_copy(const char *history)
{
    char *copy = (char *)wmem_map_lookup(histories, history);

    if (!copy) {
        copy = (char *)slab_alloc0(store, TS_ZEEK_HISTORY_MAX + 1);
        memcpy(copy, history, TS_ZEEK_HISTORY_MAX + 1);
        wmem_map_insert(histories, copy, copy);
    }
    return copy;
}

#if TCPSTATE_HOT_STREAMS == 0
/* The test build checks that a stream's epochs were pointed away from a
 * history buffer (tests/plugin/run-pack-identity.sh): from the live one when
 * the stream is packed (it is given back, to be reused), from the shared
 * copy when it is unpacked (left there, every later frame would start an
 * epoch of its own: the trees stay the same, so only this catches it). */
static void check_history_left(const conn_epochs *epochs, const char *left, const char *when)
{
    if (conn_epochs_show_history(epochs, left))
        g_error("tcpstate: a stream %s keeps epochs on the history it left", when);
}
#else
#define check_history_left(epochs, left, when) ((void)0)
#endif

static void pack(machines_slot *slot, uint8_t *is_packed, conn_epochs *epochs)
{
    live_machines *l = (live_machines *)slot->at;
    uint8_t packed[BYTE_PACK_BOUND(sizeof(stream_machines))];
    size_t n = byte_pack((const uint8_t *)&l->m, (const uint8_t *)&fresh, sizeof l->m, packed);
    uint8_t *p = (uint8_t *)slab_take(packed_store, n);

    memcpy(p, packed, n);
#if TCPSTATE_HOT_STREAMS == 0
    { /* the test build checks every packing (tests/plugin/run-pack-identity.sh) */
        stream_machines back;
        if (byte_unpack(p, (const uint8_t *)&fresh, sizeof back, (uint8_t *)&back) != n ||
            memcmp(&back, &l->m, sizeof back) != 0)
            g_error("tcpstate: stream machines packed into %zu bytes do not unpack", n);
    }
#endif
    conn_epochs_keep_history(epochs, l->m.zeek.history, history_copy(l->m.zeek.history));
    check_history_left(epochs, l->m.zeek.history, "packed");
    slab_give(store, l, sizeof *l);
    slot->at = p;
    *is_packed = 1;
}

/* The packed bytes of `slot` into `m`; how many bytes they took. */
static size_t unpack_into(const machines_slot *slot, stream_machines *m)
{
    return byte_unpack((const uint8_t *)slot->at, (const uint8_t *)&fresh, sizeof *m,
                       (uint8_t *)m);
}

stream_machines *machines_wake(machines_slot *slot, uint8_t *packed, conn_epochs *epochs,
                               uint32_t stream, uint32_t frame)
{
    live_machines *l = (live_machines *)slab_take(store, sizeof *l);

    if (!slot->at) {
        l->m = fresh;
    } else {
        const char *copy;

        slab_give(packed_store, slot->at, unpack_into(slot, &l->m));
        copy = history_copy(l->m.zeek.history);
        conn_epochs_keep_history(epochs, copy, l->m.zeek.history);
        check_history_left(epochs, copy, "unpacked");
    }
    l->touched = frame;
    slot->at = l;
    *packed = 0;
    queue_push(stream, frame);
    return &l->m;
}

const stream_machines *machines_read(const machines_slot *slot, uint8_t packed,
                                     stream_machines *copy)
{
    if (!packed)
        return &((const live_machines *)slot->at)->m;
    unpack_into(slot, copy);
    return copy;
}

void machines_pack_oldest(uint32_t frame, machines_owner owner)
{
    while (machines_live_count > TCPSTATE_HOT_STREAMS) {
        queued_stream q = queue_pop();
        machines_slot *slot;
        uint8_t *packed;
        conn_epochs *epochs;

        owner(q.stream, &slot, &packed, &epochs);
        if (((const live_machines *)slot->at)->touched > q.queued)
            queue_push(q.stream, frame); /* a second chance */
        else
            pack(slot, packed, epochs);
    }
}
