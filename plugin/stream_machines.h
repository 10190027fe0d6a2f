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

/* The machines of `stream` for its segment in `frame`, live: fresh ones for a
 * new stream (an empty slot), unpacked if packed. `epochs` is the stream's:
 * while packed, the epochs that showed its live Zeek history point to a
 * copy of it (conn_epochs_keep_history), and back to the live one here. */
stream_machines *machines_live(machines_slot *slot, uint8_t *packed, conn_epochs *epochs,
                               uint32_t stream, uint32_t frame);

/* The machines to read, live or unpacked into `copy`. */
const stream_machines *machines_read(const machines_slot *slot, uint8_t packed,
                                     stream_machines *copy);

/* Where a stream's slot, its flag and its epochs are (tracking.c's table). */
typedef void (*machines_owner)(uint32_t stream, machines_slot **slot, uint8_t **packed,
                               conn_epochs **epochs);

/* After a frame: pack the streams not touched recently (above). */
void machines_cool(uint32_t frame, machines_owner owner);

#endif
