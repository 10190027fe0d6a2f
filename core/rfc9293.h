/*
 * RFC 9293's state diagram as data: every edge an endpoint may take because
 * it SENDS a segment, RECEIVES one, or because a timer runs out (RFC 9293
 * section 3.3.2, figure 5, and the event processing of section 3.10).
 *
 * This one table is what the tracker is checked against (every move the
 * tracker makes because a segment was sent or received must be an edge of
 * it; tests/unit/test_tracker.c and the fuzzer build the core with
 * TS_CHECK_EDGES), and what docs/design.md's transition table and
 * docs/diagrams/tcp-states.dot are checked against (tests/unit/test_docs.c).
 * Moves that are not edges - a correction proved by a later segment, a state
 * assumed for a capture that began mid-connection, a new connection on a
 * reused tuple - are recorded as such (ts_cause) and explained in docs/spec.md.
 */
#ifndef TCPSTATE_RFC9293_H
#define TCPSTATE_RFC9293_H

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TS_VIA_SEND = 0,  /* the endpoint sends a segment (or the user call that sends it) */
    TS_VIA_RECEIVE,   /* the endpoint receives a segment */
    TS_VIA_TIMEOUT,   /* a timer runs out (TIME-WAIT's 2 MSL) */
    TS_VIA_CALL,      /* a user call that sends nothing (passive OPEN): never seen on the wire */
    TS_VIA_COUNT
} ts_via;

typedef struct {
    uint8_t from, to;     /* ts_state */
    uint8_t via;          /* ts_via */
    const char *what;     /* the segment or event, e.g. "SYN", "ACK of its FIN" */
    const char *section;  /* RFC 9293 section, e.g. "3.10.7.4" */
    const char *role;     /* tcpstate.role of the segment behind it (docs only), or NULL */
} ts_edge;

/* The table, and its length. */
const ts_edge *ts_rfc9293_edges(size_t *count);

/* Is from -> to an edge taken via `via`? */
int ts_rfc9293_allows(unsigned from, unsigned to, unsigned via);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_RFC9293_H */
