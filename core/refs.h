/*
 * What the texts of a segment refer to besides its own header fields, and
 * the Why lines' input built from them (explain.h). The plugin keeps these
 * records per stream and per frame; it extracts, calls these functions and
 * renders - every value a Why line states is derived here, where the unit
 * tests reach it (tests/unit/test_refs.c):
 *
 * - ts_refs: each side's relative-number base (its ISN: its SYN's seq, or
 *   the peer's SYN+ACK's ack - 1 when its SYN was not captured; else the
 *   first seq seen - 1), the frames of its SYN and FIN,
 *   and since when it is in TIME-WAIT, as of a segment;
 * - ts_reuse: on a new connection on the endpoints of an earlier one, where
 *   that one's endpoints stood (TIME-WAIT left, still open);
 * - ts_explain_input_of(): which frame an ack acknowledges (the peer's SYN
 *   or FIN), whether the sender's FIN was sent before, the TIME-WAIT clock,
 *   from those records and the segment.
 */
#ifndef TCPSTATE_REFS_H
#define TCPSTATE_REFS_H

#include <stdint.h>

#include "explain.h"
#include "tcpstate_core.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* By ts_side. Frame numbers start at 1: 0 means "not seen". */
typedef struct {
    uint32_t base[2];              /* relative sequence number 0 (valid with base_known) */
    uint32_t syn_frame[2];         /* the frame of its SYN (first transmission of that ISN) */
    uint32_t fin_frame[2];         /* the frame of its first FIN */
    uint8_t base_known[2];
    uint8_t base_from_syn[2];      /* the base is the ISN of a captured SYN */
    /* the base is the ISN a SYN+ACK's ack showed (ack - 1, RFC 9293 section
     * 3.4), its SYN not captured; it fills ts_refs' padding */
    uint8_t base_from_ack[2];
    int64_t time_wait_since_ns[2]; /* when it last entered TIME-WAIT; 0 = never */
} ts_refs;

/* The records after a segment, from those before it (all zero before a
 * stream's first segment): `conn` is the tracker after the segment, `r` its
 * result for the segment `seg` of frame `frame`. A new connection on the
 * stream (TS_EV_NEW_CONNECTION) starts from zero. */
void ts_refs_track(ts_refs *refs, const ts_conn *conn, const ts_segment *seg, const ts_result *r,
                   uint32_t frame);

/* The frame of the peer's SYN or FIN this segment is the first to
 * acknowledge, 0 when none; *is_syn says which. Its FIN for the roles that
 * acknowledge a FIN (ack-of-fin, final-ack, fin-ack-of-fin); its SYN when
 * the ack is exactly the peer's ISN + 1 and newly acknowledged (the
 * SYN-ACK, the handshake ACK, or an RST refusing the SYN). */
uint32_t ts_refs_acked_frame(const ts_refs *refs, const ts_result *r, uint32_t ack,
                             uint8_t *is_syn);

/* On a stream's first segment only: the earlier stream with the same
 * addresses and ports, and where its endpoints stood then. */
typedef struct {
    int64_t tw_left_ns[2];  /* by its side: TIME-WAIT left (<= 0: it had ended) */
    int64_t tw_until_ns[2]; /* by its side: when that TIME-WAIT runs out (with in_tw) */
    uint32_t stream;
    uint8_t in_tw[2];
    uint8_t old_open;       /* that connection had not closed in the capture */
    uint8_t first_side;     /* its side that sent the new stream's first segment */
} ts_reuse;

/* `old` is the earlier stream's tracker as it stands at `now_ns`, the new
 * stream's first segment; TIME-WAIT lasts 2 * msl_ns (RFC 9293 3.6.1).
 * `same_first`: the new stream's first segment came from the endpoint
 * (address and port) that sent the earlier stream's first segment. */
void ts_reuse_note(const ts_conn *old, uint32_t old_stream, int64_t msl_ns, int64_t now_ns,
                   int same_first, ts_reuse *out);

/*
 * The end of an earlier connection's TIME-WAIT by the new connection on its
 * addresses and ports (docs/design.md, "Streams that reuse an earlier
 * stream's endpoints"). An address and port pair holds one connection at a
 * time, so an endpoint that has the new connection has left the old one's
 * TIME-WAIT. The evidence is the endpoint's own handshake segment in the new
 * stream, sent while its TIME-WAIT had not run out (2 * MSL):
 * - its SYN+ACK: it accepted the new SYN in TIME-WAIT (RFC 1122 section
 *   4.2.2.13, RFC 6191; RFC 9293 section 3.10.7.4): the TIME-WAIT ended when
 *   that SYN reached it;
 * - its own SYN: it opened the new connection itself from the same port
 *   (Linux's tcp_tw_reuse), ending its TIME-WAIT there.
 * A SYN it receives proves nothing alone: in TIME-WAIT it may drop it, or
 * answer with an ACK of the old connection. A TIME-WAIT that had run out
 * before that segment ended by itself: its story stays the expiry's.
 */
typedef struct {
    uint32_t stream;     /* the earlier stream */
    uint32_t new_stream; /* the stream that ended it */
    uint32_t syn_frame;  /* the new SYN that ended it; 0 when it was not captured */
    uint32_t frame;      /* the segment that shows it (that endpoint's SYN or SYN+ACK) */
    uint8_t side;        /* the earlier connection's side whose TIME-WAIT ended */
    uint8_t own_syn;     /* that endpoint sent the SYN (else it answered it) */
} ts_tw_end;

/* Does segment `seg` (frame `frame`) of stream `new_stream`, which reuses
 * the endpoints of `note`'s stream, end a TIME-WAIT there? `sender` is its
 * ts_side in the new stream (ts_result.sender), `refs` the new stream's
 * records after it (they name the SYN a SYN+ACK answers; NULL: unknown).
 * Returns 1 and fills *out, else 0. The caller keeps the first end of each
 * side, and asks only about the new stream's first connection. */
int ts_reuse_ends_time_wait(const ts_reuse *note, uint32_t new_stream, const ts_segment *seg,
                            unsigned sender, const ts_refs *refs, uint32_t frame, ts_tw_end *out);

/* An endpoint's final state in the earlier connection (tcpstate.outcome.*,
 * the reports): CLOSED where the new connection ended its TIME-WAIT
 * (`end` not NULL), else `state`. */
unsigned ts_tw_end_final_state(unsigned state, const ts_tw_end *end);

/* One segment's records, as the plugin stores them. */
typedef struct {
    const ts_result *result;
    uint32_t seq, ack;          /* raw */
    uint32_t frame;
    int64_t time_ns;
    int64_t msl_ns;             /* the MSL preference */
    const ts_refs *refs;        /* NULL when not known: the lines claim no base, no frame */
    const ts_reuse *reuse;      /* NULL but on a reusing stream's first segment */
    const ts_wire_info *wire;   /* NULL when not known (core/wire.h) */
} ts_segment_records;

void ts_explain_input_of(const ts_segment_records *rec, ts_explain_input *out);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_REFS_H */
