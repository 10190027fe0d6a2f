/*
 * A stream's three state machines (the RFC 9293 tracker, Zeek's view, the
 * texts' wire bookkeeping): live while the stream was touched recently,
 * packed against a fresh stream's machines otherwise (docs/performance.md,
 * "per stream"). A packed stream's machines are unpacked, byte for byte,
 * when its next segment comes (a retransmission minutes later, say): every
 * result stays exactly what it would have been.
 *
 * "Recently": the TCPSTATE_HOT_STREAMS streams touched last (second-chance
 * order: a stream touched again since it was queued is queued again), so
 * a capture with fewer streams open at once packs none, and a flood of
 * streams keeps that many live at most. A test build sets it to 0: every
 * stream is packed after each frame (tests/plugin/run-pack-identity.sh).
 */
#ifndef TCPSTATE_STREAM_MACHINES_H
#define TCPSTATE_STREAM_MACHINES_H

#include "tcpstate_plugin.h"
#include "conn_epochs.h"
#include "wire.h"

#ifndef TCPSTATE_HOT_STREAMS
#define TCPSTATE_HOT_STREAMS 4096
#endif

typedef struct {
    ts_conn conn;
    ts_zeek zeek;
    ts_wire wire;
} stream_machines;

/* In a stream's entry: its live machines, or its packed bytes (`packed`),
 * or NULL before the stream's first segment. The flag sits apart, where
 * the entry has a byte to spare: packed bytes are not aligned. */
typedef struct {
    void *at;
} machines_slot;

/* The file's start (tracking_init): nothing live, nothing packed. */
void machines_init(void);

/* Live machines, with the frame of their stream's last segment. */
typedef struct {
    stream_machines m;
    uint32_t touched;
} live_machines;

/* How many streams are live now. */
extern uint32_t machines_live_count;

/* machines_live() for a stream that is new or packed. */
stream_machines *machines_wake(machines_slot *slot, uint8_t *packed, conn_epochs *epochs,
                               uint32_t stream, uint32_t frame);

/* The machines of `stream` for its segment in `frame`, live: fresh ones for a
 * new stream (an empty slot), unpacked if packed. `epochs` is the stream's:
 * while packed, the epochs that showed its live Zeek history point to a
 * copy of it (conn_epochs_keep_history), and back to the live one here.
 * Inline: every segment asks (docs/performance.md). */
static inline stream_machines *machines_live(machines_slot *slot, uint8_t *packed,
                                             conn_epochs *epochs, uint32_t stream,
                                             uint32_t frame)
{
    live_machines *l = (live_machines *)slot->at;

    if (!l || *packed)
        return machines_wake(slot, packed, epochs, stream, frame);
    l->touched = frame;
    return &l->m;
}

/* The machines to read, live or unpacked into `copy`. */
const stream_machines *machines_read(const machines_slot *slot, uint8_t packed,
                                     stream_machines *copy);

/* Where a stream's slot, its flag and its epochs are (tracking.c's table). */
typedef void (*machines_owner)(uint32_t stream, machines_slot **slot, uint8_t **packed,
                               conn_epochs **epochs);

/* machines_cool() when more streams are live than are kept so. */
void machines_pack_oldest(uint32_t frame, machines_owner owner);

/* After a frame: pack the streams not touched recently (above). */
static inline void machines_cool(uint32_t frame, machines_owner owner)
{
    if (machines_live_count > TCPSTATE_HOT_STREAMS)
        machines_pack_oldest(frame, owner);
}

#endif
