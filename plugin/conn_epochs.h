/*
 * The values a stream's frames share (tcpstate_conn_info), kept per stream
 * as epochs instead of one copy per change: within an epoch each value is set
 * at most once - a side's base at its first segment, its SYN and FIN frames,
 * its entry into TIME-WAIT, the handshake RTT - and an epoch stores the
 * frame from which each holds. Only a value that changes again (a new
 * connection on the stream, a SYN with another ISN, TIME-WAIT left, the
 * Zeek history rewritten) starts a new epoch. A stream usually has one.
 */
#ifndef TCPSTATE_CONN_EPOCHS_H
#define TCPSTATE_CONN_EPOCHS_H

#include "tcpstate_plugin.h"

/* Frame numbers start at 1: a frame of 0 means "not set in this epoch". */
typedef struct conn_epoch {
    uint32_t start;           /* first frame of the epoch */
    uint32_t base[2];
    uint32_t base_frame[2];   /* from which base[] is known */
    uint32_t syn_frame[2];    /* the value and the frame it holds from */
    uint32_t fin_frame[2];
    uint32_t tw_frame[2];     /* from which time_wait_since_ns[] holds */
    uint32_t rtt_frame;
    uint8_t base_from_syn[2];
    uint8_t base_from_ack[2]; /* in the two bytes `count` left unused */
    /* In the stream's first epoch (conn_epochs.first) only: how many epochs
     * the stream has. It sits where the alignment of the times below would
     * leave bytes unused, so it costs the stream nothing (docs/performance.md). */
    uint32_t count;
    int64_t time_wait_since_ns[2];
    int64_t handshake_rtt_ns;
    union {
        const char *history;
        /* In conn_epochs.first of a stream with several epochs, which then
         * is no epoch any more (its copy is the array's first): the array. */
        struct conn_epoch *all;
    };
} conn_epoch;

/* The first epoch lives in the stream's own entry (a stream usually has no
 * other: docs/performance.md). When a second one comes, all of them move to
 * an array (by start frame, ascending), which doubles when full: its
 * capacity is the smallest power of two not below the count, and is not
 * kept. `first` then keeps only the count (`first.count`, kept there from
 * the start) and the array (`first.all`). Zero-filled is empty. */
typedef struct {
    conn_epoch first;
} conn_epochs;

/* The frame of the first update (the stream's first frame), 0 before it. */
uint32_t conn_epochs_first_frame(const conn_epochs *e);

/* The values as of `frame` (the latest ones with UINT32_MAX); all unknown
 * (zero, RTT -1, history NULL) before the stream's first frame. */
void conn_epochs_at(const conn_epochs *e, uint32_t frame, tcpstate_conn_info *out);

/* First pass, frames in order: the values from `frame` on are `now`;
 * `latest` is what conn_epochs_at(e, UINT32_MAX, ...) gave just before (the
 * caller has it already: every tracked frame comes here). */
void conn_epochs_update(conn_epochs *e, uint32_t frame, const tcpstate_conn_info *latest,
                        const tcpstate_conn_info *now);

/* The history buffer `live` is rewritten: the frames so far keep `copy`. */
void conn_epochs_keep_history(conn_epochs *e, const char *live, const char *copy);

/* Whether an epoch shows the history buffer `history` (by address). */
gboolean conn_epochs_show_history(const conn_epochs *e, const char *history);

#endif
