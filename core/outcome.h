/*
 * How a connection opened and closed, from its segments' results: the
 * `opened` and `closed` columns of `-z tcpstate,conv` and the stats tree, and
 * the tcpstate.outcome.* fields (docs/spec.md, "Stream-level reports";
 * docs/reports.md defines each value).
 */
#ifndef TCPSTATE_OUTCOME_H
#define TCPSTATE_OUTCOME_H

#include <stdint.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TS_OPEN_THREE_WAY = 0, /* SYN, SYN-ACK and the handshake-ack all captured */
    TS_OPEN_SIMULTANEOUS,  /* crossing SYNs */
    TS_OPEN_PARTIAL,       /* some of the handshake captured */
    TS_OPEN_NONE,          /* none of it: the capture began mid-connection */
    TS_OPEN_COUNT
} ts_open;

typedef enum {
    TS_CLOSE_FOUR_WAY = 0,
    TS_CLOSE_THREE_WAY,
    TS_CLOSE_SIMULTANEOUS,
    TS_CLOSE_RESET_BY_CLIENT,
    TS_CLOSE_RESET_BY_SERVER,
    TS_CLOSE_HALF_CLOSED,
    TS_CLOSE_STILL_OPEN,
    TS_CLOSE_REFUSED,      /* never opened: an RST answered the SYN */
    TS_CLOSE_NO_ANSWER,    /* never opened: no SYN-ACK came back */
    TS_CLOSE_COUNT
} ts_close;

/* What the segments of one connection have shown so far. A SYN that starts a
 * new connection on the same stream (TS_EV_NEW_CONNECTION) starts over.
 * The plugin keeps one per stream (docs/performance.md), so the facts are
 * one bit each: outcome.c only ever sets them to 0 or 1 (8 bytes, 18 when
 * each had a byte). */
typedef struct {
    uint16_t connections;        /* connections seen on the stream (1 + new-connection SYNs) */
    uint8_t state[2];            /* each endpoint's state after the last segment */
    int8_t reset_by;             /* ts_side of the accepted RST that ended it; -1 none */
    uint8_t seen : 1;            /* at least one segment */
    uint8_t client_syn_seen : 1; /* the client's SYN (first transmission, or reordered) */
    uint8_t syn_ack_seen : 1;    /* a SYN-ACK */
    uint8_t syn_seen : 1;        /* a SYN or SYN-ACK of either side */
    uint8_t handshake_acked : 1; /* the handshake-ack (step 3) */
    uint8_t synchronized : 1;    /* some segment left an endpoint ESTABLISHED or later */
    uint8_t simultaneous_open : 1;
    uint8_t merged_close : 1;    /* a fin+ack-of-fin */
    uint8_t simultaneous_close : 1;
    uint8_t refused : 1;         /* an accepted RST answered the client's SYN */
    /* Bit 1 << ts_side: that side sent a segment with FIN (also on a
     * handshake segment). */
    uint8_t fin_sent : 2;
} ts_outcome;

void ts_outcome_init(ts_outcome *o);
void ts_outcome_add(ts_outcome *o, const ts_result *r);
ts_open ts_outcome_opened(const ts_outcome *o);
ts_close ts_outcome_closed(const ts_outcome *o);
const char *ts_open_name(unsigned o);   /* "three-way", ...; "?" out of range */
const char *ts_close_name(unsigned c);  /* "four-way", ..., "refused", "no answer" */

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_OUTCOME_H */
