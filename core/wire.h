/*
 * What a segment does on the wire, for the texts (explain.c): the bookkeeping
 * Wireshark's tcp.analysis does, from the core's own records so that the
 * texts do not depend on Wireshark's preferences - which bytes a segment
 * carries again (a retransmission), a keep-alive or zero-window probe and
 * the ACK that answers it, a duplicate ACK and what it asks for, a window
 * update, and what an ack acknowledges when the capture began mid-stream.
 *
 * It is separate from the state tracker (tracker.c): it changes no state and
 * no field of docs/spec.md; it only says what the Why lines may claim.
 */
#ifndef TCPSTATE_WIRE_H
#define TCPSTATE_WIRE_H

#include <stdint.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a segment's sequence numbers sit against what its sender sent before. */
typedef enum {
    TS_SEQ_NEW = 0,     /* it starts where the sender's earlier segments ended (or is its first) */
    TS_SEQ_RETRANSMITTED, /* everything it occupies was sent before */
    TS_SEQ_PARTLY_NEW,  /* it starts inside what was sent before and ends beyond it */
    TS_SEQ_KEEPALIVE,   /* seq one below the next, 0 or 1 byte, no SYN/FIN/RST */
    TS_SEQ_ZERO_WINDOW_PROBE, /* a probe while the peer advertises window 0 */
    TS_SEQ_GAP,         /* it starts beyond: numbers in between were not captured */
    TS_SEQ_FILLS_GAP,   /* inside numbers a GAP skipped: out of order, or first sent unseen */
    TS_SEQ_KIND_COUNT
} ts_seq_kind;

/* What a segment's ack field says against the sender's earlier acks. */
typedef enum {
    TS_ACKK_NONE = 0,   /* no ACK flag */
    TS_ACKK_NEW,        /* it acknowledges numbers the sender had not acknowledged */
    TS_ACKK_SAME,       /* the same ack as before, nothing else of note */
    TS_ACKK_DUP,        /* a duplicate ACK: same ack and window, the peer has more outstanding */
    TS_ACKK_WINDOW_UPDATE, /* same ack, only the window changed */
    TS_ACKK_PROBE_ANSWER, /* the ACK that answers the peer's keep-alive / zero-window probe */
    TS_ACKK_OLD,        /* an ack below one the sender sent before */
    TS_ACKK_COUNT
} ts_ack_kind;

/* The per-side bookkeeping (internal; exposed so ts_wire has a fixed size):
 * its numbers here, its one-bit facts in ts_wire_flags. */
typedef struct {
    /* Its SYN's sequence number when syn_seen, else the first segment's seq
     * (the lowest number of it seen): one word, since each is read only in
     * its case (wire.c). */
    uint32_t isn_or_first;
    uint32_t snd_max;      /* one past the highest sequence number it sent */
    uint32_t ack;          /* its latest ack */
    uint32_t window;       /* its latest window field */
    uint32_t dup_acks;     /* duplicate ACKs in a row */
    uint32_t probe_frame;  /* its pending probe (keep-alive or zero-window); 0 = none */
    uint32_t fin_seq;      /* the number its FIN occupies, when fin_seen */
    uint32_t probe_seq;    /* its pending probe's sequence number */
    uint32_t hole_lo, hole_hi; /* the latest numbers a GAP skipped, [lo, hi), when has_hole */
    /* The oldest numbers a GAP skipped and nothing filled yet, [lo, hi), when
     * lo != hi: a later gap must not make a segment that fills this one a
     * "retransmission" of numbers never captured (wire.c, fills_hole). */
    uint32_t old_lo, old_hi;
} ts_wire_side;

/* One bit each (docs/performance.md: a stream's bytes), only ever set to 0
 * or 1 (wire.c). Kept beside the two sides' numbers, not in them, so that
 * the two sides share one word's alignment padding. */
typedef struct {
    uint8_t has_hole : 1;
    uint8_t seen : 1, syn_seen : 1, fin_seen : 1, ack_known : 1, window_known : 1;
    uint8_t window_from_syn : 1; /* its latest window field came on a SYN (never scaled, RFC 7323) */
    /* Its pending probe's kind (valid with probe_frame): a zero-window probe,
     * else a keep-alive (the only two kinds a probe has). */
    uint8_t probe_zwp : 1;
    /* Its oldest hole took in a later one when a third gap came, with the
     * numbers captured between them: a segment inside it may fill skipped
     * numbers or repeat captured ones (wire.c). The ninth bit makes the
     * flags two bytes, which the sides' word alignment left unused. */
    uint8_t old_mixed : 1;
} ts_wire_flags;

typedef struct {
    ts_wire_side side[2];  /* by ts_side */
    ts_wire_flags flag[2]; /* by ts_side */
} ts_wire;

/* What the texts may say about one segment. Raw sequence numbers. */
typedef struct {
    uint32_t sent_max;     /* one past the highest number its sender had sent before it */
    uint32_t peer_ack;     /* the peer's latest ack before it (valid with peer_ack_known; a
                              plain info, which is not kept, leaves it unknown) */
    uint32_t acked_from;   /* an ack of kind NEW acknowledges [acked_from, ack) */
    uint32_t dup_count;    /* TS_ACKK_DUP: the n-th duplicate */
    uint32_t answers_frame;/* TS_ACKK_PROBE_ANSWER: the probe's frame */
    uint32_t prev_window;  /* TS_ACKK_WINDOW_UPDATE: the window before */
    uint32_t window;       /* WINDOW_UPDATE, PROBE_ANSWER: the segment's window field */
    uint32_t peer_sent_max;/* TS_ACKK_DUP: one past the peer's highest number sent */
    uint32_t hole_lo, hole_hi; /* TS_SEQ_GAP: the numbers skipped; FILLS_GAP: the hole it fills in */
    uint8_t  seq_kind;     /* ts_seq_kind */
    uint8_t  ack_kind;     /* ts_ack_kind */
    uint8_t  sent_known;   /* sent_max is known (the sender was seen before) */
    uint8_t  peer_ack_known;
    uint8_t  acked_from_syn; /* acked_from is the peer's ISN (its SYN is among what is acknowledged) */
    uint8_t  acked_fin;    /* the peer's FIN is among what a NEW ack acknowledges */
    uint8_t  hole_mixed;   /* FILLS_GAP: that hole also holds numbers the capture saw (several gaps
                              merged): the segment fills skipped numbers or repeats captured ones */
    uint8_t  acked_unseen; /* a NEW ack while the capture had seen no segment of the peer: none of
                              [acked_from, ack) was captured, the last may be its FIN */
    uint8_t  fast;         /* a retransmission after 3 or more duplicate ACKs (RFC 5681 3.2) */
    uint8_t  zero_window;  /* it advertises window 0: the peer must stop sending new data */
    uint8_t  prev_window_syn; /* WINDOW_UPDATE: the window before was a SYN's, not scaled */
    uint8_t  answers_kind; /* TS_SEQ_KEEPALIVE or TS_SEQ_ZERO_WINDOW_PROBE */
} ts_wire_info;

void ts_wire_init(ts_wire *w);

/* One segment, in capture order, sent by `sender` (ts_result.sender) in
 * frame `frame`; `new_connection` when the tracker says a new connection
 * starts on the stream's tuple (TS_EV_NEW_CONNECTION). */
void ts_wire_track(ts_wire *w, const ts_segment *seg, unsigned sender, int new_connection,
                   uint32_t frame, ts_wire_info *out);

/* An info with nothing of note, which the caller need not keep: the one
 * ts_wire_info_plain() rebuilds from the segment and the tracker's
 * acked_new (ts_result.acked_new). */
int ts_wire_info_is_plain(const ts_wire_info *info, const ts_segment *seg, uint32_t acked_new);
void ts_wire_info_plain(const ts_segment *seg, uint32_t acked_new, ts_wire_info *out);

#ifdef __cplusplus
}
#endif

#endif
