/*
 * The "Why" lines of a segment: the seq/ack arithmetic and the TIME-WAIT
 * facts a student needs to read it, in English or Simplified Chinese. Like
 * the summary, they are built from stored values only.
 */
#ifndef TCPSTATE_EXPLAIN_H
#define TCPSTATE_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "tcpstate_core.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the lines need besides the ts_result. */
typedef struct {
    int64_t  now_ns;             /* the segment's capture time */
    int64_t  time_wait_since_ns[2]; /* by side: when it entered TIME-WAIT (valid when in it) */
    int64_t  msl_ns;
    uint32_t seq_raw, ack_raw;   /* the segment's raw numbers */
    uint32_t base[2];            /* by side: relative sequence number 0 (ISN, or first seq - 1) */
    uint32_t acked_frame;        /* frame of the peer's SYN or FIN this segment first acknowledges; 0 = none */
    uint8_t  acked_syn;          /* acked_frame is the peer's SYN (else its FIN) */
    uint8_t  fin_sent_before;    /* the sender's FIN was sent in an earlier frame */
    uint8_t  base_known[2];
    uint8_t  base_from_syn[2];   /* the base is the ISN of a captured SYN */
    uint8_t  base_from_ack[2];   /* the base is the ISN a SYN+ACK's ack showed (its SYN not captured) */
    /* A new connection on the endpoints of an earlier one (another stream). */
    uint8_t  reuse;
    uint8_t  reuse_in_tw[2];     /* by side of the earlier connection: it was in TIME-WAIT */
    uint8_t  reuse_old_open;     /* the earlier connection had not closed */
    uint32_t reuse_stream;
    int64_t  reuse_tw_left_ns[2];/* TIME-WAIT left then (<= 0: it had ended) */
    /* What the segment does on the wire (core/wire.c): retransmission,
     * probe, duplicate ACK, ... Without it (wire_known 0) the lines claim
     * none of that. */
    ts_wire_info wire;
    uint8_t  wire_known;
} ts_explain_input;

/* Which line (a ts_explain_line index) says what. */
typedef enum {
    TS_WHY_SEQ = 0,   /* seq: relative and raw, and why it has that value */
    TS_WHY_NEXT,      /* what this segment adds to the sender's sequence space */
    TS_WHY_ACK,       /* ack: what it acknowledges */
    TS_WHY_FLAG,      /* the ACK flag versus the ack number */
    TS_WHY_ONE_ONE,   /* first segment after the handshake: why seq and ack are 1 */
    TS_WHY_MODEL,     /* what the capture cannot show: did the SYN arrive, did anybody listen */
    TS_WHY_NAMES,     /* the new states as netstat and ss spell them (and textbooks' SYN-RCVD) */
    TS_WHY_TIME_WAIT, /* who is in TIME-WAIT and until when; arrivals in or after it */
    TS_WHY_REUSE,     /* a SYN on the endpoints of an earlier connection: was it in TIME-WAIT? */
    TS_WHY_COUNT
} ts_why;

/* Writes line `which` (NUL-terminated) and returns its length, or 0 when that
 * line has nothing to say for this segment. A line may hold a "\n" where it
 * is best shown as two. TS_TEXT_MAX (tcpstate_core.h) holds every line; a
 * shorter buffer gets the line cut at a UTF-8 character boundary. */
size_t ts_explain_line(const ts_result *r, const ts_explain_input *in, ts_language lang,
                       ts_why which, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_EXPLAIN_H */
