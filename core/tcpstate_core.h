/*
 * tcpstate core: a per-connection TCP state tracker with no Wireshark or glib
 * dependency.
 *
 * The caller feeds the segments of one TCP connection (one Wireshark
 * tcp.stream), in capture order, as plain records (ts_segment) and gets back,
 * per segment, what the segment does in the connection's life (ts_result):
 * its sender (client or server), its role, phase and step, the RFC 9293 state
 * of both endpoints before and after it, and the events worth an expert note.
 *
 * The model (docs/spec.md): the capture sits on the wire between the endpoints; the
 * sender changes state as it sends a segment and the receiver as it receives
 * it, both at the segment's capture time. When a later segment proves that
 * model wrong (a segment was lost after the capture point, or two segments
 * crossed), the tracker corrects the endpoint at the proving segment and says
 * so in ts_result.events.
 *
 * A ts_conn is a plain fixed-size struct: the caller owns its memory (the
 * plugin keeps one per stream in a file-scoped map); ts_conn_init() clears it.
 */
#ifndef TCPSTATE_CORE_H
#define TCPSTATE_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TCP header flag bits, as in the 12-bit flags field (and tcp.flags). */
enum {
    TS_FIN = 0x001,
    TS_SYN = 0x002,
    TS_RST = 0x004,
    TS_PSH = 0x008,
    TS_ACK = 0x010,
    TS_URG = 0x020,
    TS_ECE = 0x040,
    TS_CWR = 0x080,
    TS_AE  = 0x100
};

/* RFC 9293 section 3.3.2 connection states. */
typedef enum {
    TS_CLOSED = 0,
    TS_LISTEN,
    TS_SYN_SENT,
    TS_SYN_RECEIVED,
    TS_ESTABLISHED,
    TS_FIN_WAIT_1,
    TS_FIN_WAIT_2,
    TS_CLOSE_WAIT,
    TS_CLOSING,
    TS_LAST_ACK,
    TS_TIME_WAIT,
    TS_STATE_COUNT
} ts_state;

/* docs/spec.md role table, in its order of precedence. */
typedef enum {
    TS_ROLE_RST = 0,
    TS_ROLE_SYN,
    TS_ROLE_SYN_ACK,
    TS_ROLE_HANDSHAKE_ACK,
    TS_ROLE_FIN_ACK_OF_FIN,
    TS_ROLE_FIN,
    TS_ROLE_ACK_OF_FIN,
    TS_ROLE_FINAL_ACK,
    TS_ROLE_DATA,
    TS_ROLE_ACK,
    TS_ROLE_COUNT
} ts_role;

typedef enum {
    TS_PHASE_HANDSHAKE = 0,
    TS_PHASE_DATA,
    TS_PHASE_TEARDOWN,
    TS_PHASE_RESET,
    TS_PHASE_CLOSED,
    TS_PHASE_COUNT
} ts_phase;

typedef enum { TS_CLIENT = 0, TS_SERVER = 1 } ts_side;

/* What kind of reset an rst segment is (for the expert info and summary). */
typedef enum {
    TS_RST_NONE = 0,
    TS_RST_REFUSED,        /* the server answers the client's SYN with an RST the client accepts */
    TS_RST_HANDSHAKE,      /* abort while the handshake is in progress */
    TS_RST_ABORT,          /* abort of an open connection (ESTABLISHED) */
    TS_RST_TEARDOWN,       /* abort while the connection was closing */
    TS_RST_AFTER_CLOSE,    /* both endpoints were already CLOSED/TIME-WAIT */
    TS_RST_UNKNOWN_CONN,   /* first segment of a capture started mid-connection */
    TS_RST_COUNT
} ts_rst_kind;

/*
 * Events a segment reveals: each becomes an expert info in the plugin.
 * Several can be set on one segment. The set is 64 bits wide (ts_events):
 * the bits below 31 are enumerators, the ones above are constants of their
 * own (beyond an enumerator's int range in ISO C).
 */
typedef uint64_t ts_events;

enum {
    TS_EV_MIDSTREAM          = 1u << 0,  /* first segment; the opening was not captured */
    TS_EV_SIMULTANEOUS_OPEN  = 1u << 1,  /* crossing SYNs: the server also sent a SYN */
    TS_EV_SIMULTANEOUS_CLOSE = 1u << 2,  /* crossing FINs */
    TS_EV_MERGED_CLOSE       = 1u << 3,  /* FIN and the ACK of the peer's FIN in one segment */
    TS_EV_HALF_CLOSE         = 1u << 4,  /* data from the side that has not closed, after the peer's FIN */
    TS_EV_RETRANSMISSION     = 1u << 5,  /* a retransmitted SYN, SYN-ACK or FIN (see attempt) */
    TS_EV_AFTER_CLOSE        = 1u << 6,  /* both endpoints were CLOSED or TIME-WAIT before it */
    TS_EV_LOST_SYN_ACK       = 1u << 7,  /* client repeats its SYN after a SYN-ACK: the SYN-ACK was lost */
    TS_EV_LOST_HANDSHAKE_ACK = 1u << 8,  /* server repeats its SYN-ACK after the handshake-ack was seen */
    TS_EV_LOST_FINAL_ACK     = 1u << 9,  /* a CLOSED endpoint repeats its FIN: the final ACK was lost */
    TS_EV_LOST_ACK_OF_FIN    = 1u << 10, /* FIN-WAIT-2/TIME-WAIT endpoint repeats its FIN */
    TS_EV_TIME_WAIT_EXPIRED  = 1u << 11, /* an endpoint's TIME-WAIT ran out (2*MSL) before this segment */
    TS_EV_IN_TIME_WAIT       = 1u << 12, /* the receiver is in TIME-WAIT and takes the segment there */
    TS_EV_NEW_CONNECTION     = 1u << 13, /* a SYN that reuses the tuple of a finished connection */
    TS_EV_ODD_FLAGS          = 1u << 14, /* SYN+FIN, SYN+RST, FIN+RST or no flags at all */
    TS_EV_DATA_AFTER_FIN     = 1u << 15, /* new data sent after the sender's own FIN */
    TS_EV_TIME_WAIT_ENTERED  = 1u << 16, /* an endpoint entered TIME-WAIT on this segment */
    TS_EV_UNEXPECTED         = 1u << 17, /* the segment fits no transition of the sender's state */
    /* Evidence (docs/spec.md, "When a later segment proves the wire model wrong"). */
    TS_EV_LOST_FIN           = 1u << 18, /* its ack does not cover the peer's FIN, a round trip later: that FIN was lost */
    TS_EV_LOST_RST           = 1u << 19, /* an endpoint taken to be reset sends again: the RST never reached it */
    TS_EV_SYNCHRONIZED       = 1u << 20, /* its content (data, an ACK of the peer's SYN or data) proves its sender synchronized */
    TS_EV_RST_IGNORED        = 1u << 21, /* an RST its receiver does not accept (see rst_ignored) */
    TS_EV_REORDERED          = 1u << 22, /* a SYN captured after the SYN-ACK that answers it */
    TS_EV_KEEPALIVE          = 1u << 23, /* a keep-alive probe: seq one below the next, 0 or 1 old byte */
    TS_EV_STALE              = 1u << 24, /* sent before its sender learnt what the capture shows before it: changes nothing */
    TS_EV_GOT_UNSEEN_FIN     = 1u << 25, /* its ack covers the peer's FIN the model had taken as lost: it got it */
    TS_EV_SYN_UNSEEN         = 1u << 26, /* a SYN-ACK answers a SYN the model had not delivered to its sender */
    TS_EV_FIN_UNSEEN         = 1u << 27, /* its seq is one beyond its data: it sent a FIN the capture missed */
    TS_EV_ABORT_UNSEEN       = 1u << 28, /* its RST is a closed port's answer to the peer's FIN: it had aborted unseen */
    /* What the capture cannot show (core/unshown.c). */
    TS_EV_CANNOT_SHOW        = 1u << 29, /* a repeated FIN the model had delivered, never acknowledged in the capture: */
                                         /* it or that acknowledgment was lost, which one the capture cannot show */
    TS_EV_ECHO_TEST          = 1u << 30  /* the timestamp-echo test of a FIN in doubt: with CANNOT_SHOW, on the */
                                         /* repeat, the receiver's answer will be tested; alone, on that answer, */
                                         /* whose echo (not older than the repeat's) settled nothing */
};
#define TS_EV_SHOWN_BY_ECHO ((ts_events)1 << 31) /* its timestamp echo is older than that repeat's: it had the first FIN */
/* Evidence again (docs/spec.md: a segment's content tells what its sender did). */
#define TS_EV_FIN_WAS_DATA ((ts_events)1 << 32)  /* data on the number an unseen FIN was inferred on: that */
                                                 /* number was data the capture missed; no FIN */
/* What the capture cannot show again: with CANNOT_SHOW, on a passive closer's first FIN (core/unshown.c). */
#define TS_EV_FIN_MAY_REPEAT ((ts_events)1 << 33) /* no ACK of the peer's FIN captured, long after it: this FIN */
                                                  /* may repeat one that crossed the peer's, lost unseen */
/* What the capture cannot show, settled the other way (core/unshown.c). */
#define TS_EV_NEW_BY_ECHO ((ts_events)1 << 34) /* its echo is that repeat's TSval, though the model had it */
                                               /* in TIME-WAIT, where a duplicate keeps an older echo: */
                                               /* the repeat was new to it, the peer's earlier FIN lost */
/* Every bit defined above; the rest are never set. */
#define TS_EV_DEFINED (((ts_events)1 << 35) - 1u)

/* Why an endpoint's state changed on a segment (ts_result.cause). */
typedef enum {
    TS_CAUSE_NONE = 0,       /* it did not change */
    TS_CAUSE_SENT,           /* it sent the segment: an edge of RFC 9293 (core/rfc9293.c) */
    TS_CAUSE_RECEIVED,       /* it received the segment: an edge of RFC 9293 */
    TS_CAUSE_EXPIRED,        /* its TIME-WAIT ran out (2*MSL) before the segment */
    TS_CAUSE_ASSUMED,        /* a starting state inferred for a capture that began mid-connection */
    TS_CAUSE_NEW_CONNECTION, /* a new connection on the stream's tuple starts from CLOSED / LISTEN */
    TS_CAUSE_CORRECTED,      /* the segment proves the model wrong (events say which proof) */
    TS_CAUSE_COUNT
} ts_cause;

/* Why an RST was not accepted (docs/spec.md, "RST acceptance"). */
enum {
    TS_RST_ACCEPTED = 0,
    TS_RST_IGNORED_NO_ACK,   /* receiver in SYN-SENT, and the RST does not acknowledge its SYN */
    TS_RST_IGNORED_SEQ,      /* not the sequence number its receiver expects next (RFC 5961) */
    TS_RST_IGNORED_LISTEN    /* receiver in LISTEN ignores every RST */
};

/* One captured TCP segment, as the caller reads it off the wire. */
typedef struct {
    int64_t  time_ns;      /* capture time, nanoseconds (any epoch) */
    uint32_t seq;          /* raw (absolute) sequence number */
    uint32_t ack;          /* raw acknowledgment number (meaningful with TS_ACK) */
    uint32_t len;          /* payload length */
    uint32_t window;       /* window field as sent (unscaled) */
    uint16_t flags;        /* TS_FIN | TS_SYN | ... */
    uint16_t sport, dport; /* TCP ports of this segment */
    uint8_t  from_first;   /* 1 if sent by the endpoint that sent the stream's first captured segment */
    uint8_t  bad_checksum; /* 1 if the TCP checksum was verified and is wrong (0 when not verified) */
    uint8_t  has_ts;       /* 1 if it carries a Timestamps option (RFC 7323 section 3) */
    uint32_t tsval;        /* that option's TSval and TSecr (0 without it) */
    uint32_t tsecr;
} ts_segment;

/* Per-endpoint knowledge (internal to the tracker; exposed so ts_conn has a fixed size). */
typedef struct {
    int64_t  time_wait_since; /* capture time it entered TIME-WAIT */
    uint32_t isn;             /* sequence number of its SYN (or SYN-ACK) */
    uint32_t fin_seq;         /* sequence number its FIN occupies */
    uint32_t high_ack;        /* highest ack number it has sent */
    uint8_t  state;           /* ts_state */
    uint8_t  isn_known;       /* a SYN or SYN-ACK of it was seen (or inferred) */
    uint8_t  syn_attempts;    /* transmissions of its pure SYN */
    uint8_t  synack_attempts; /* transmissions of its SYN-ACK */
    uint8_t  fin_attempts;    /* transmissions of its FIN; 0 = no FIN sent */
    uint8_t  fin_role;        /* ts_role of its first FIN, kept by retransmissions */
    uint8_t  acked_peer_fin;  /* it has sent a segment acknowledging the peer's FIN */
    uint8_t  half_close_noted;
    uint8_t  high_ack_known;
    uint8_t  snd_nxt_known;
    uint8_t  got_peer_fin;    /* the peer's FIN reached it (as far as the capture shows) */
    uint8_t  fin_acked;       /* an ACK of its FIN reached it */
    uint8_t  passive_closer;  /* it had the peer's FIN when it sent its own */
    uint8_t  before_rst;      /* its state before the RST that closed it */
    uint8_t  sample_pending;  /* a round-trip sample of the peer's answer is running */
    uint8_t  fin_state_pending; /* its FIN came from a state that sends none: not in its state yet */
    uint8_t  fin_tsval_known; /* its first FIN carried timestamps: tsval_since_fin holds one */
    uint32_t snd_nxt;         /* sequence number after the last one it sent */
    uint32_t syn_len;         /* payload on its SYN (TCP Fast Open) */
    uint32_t sample_end;      /* the peer answers the sample when its ack reaches this */
    uint32_t rtt_us;          /* its first capture -> it -> capture round trip, µs; 0 = none */
    uint32_t last_seq;        /* sequence number of the segment that last moved snd_nxt */
    uint32_t tsval_since_fin; /* the newest TSval it sent from its first FIN on (fin_tsval_known) */
    int64_t  sample_ns;       /* capture time of the segment the running sample waits on */
    int64_t  syn_ns;          /* capture time of its latest SYN or SYN-ACK */
    int64_t  fin_ns;          /* capture time of its latest FIN */
    int64_t  fin_acked_ns;    /* capture time of the ACK that acknowledged its FIN */
} ts_endpoint;

typedef struct {
    ts_endpoint ep[2];        /* indexed by ts_side */
    int64_t  first_syn_ns;     /* -1 until the first SYN */
    int64_t  handshake_rtt_ns; /* -1 until the handshake-ack */
    uint32_t segments;
    uint8_t  client_is_first; /* the client sent the first captured segment */
    uint8_t  assumed;         /* opening not captured: states inferred */
    uint8_t  td_steps;        /* teardown milestone segments seen (0..4) */
    uint8_t  td_total;        /* 3 (merged close) or 4 once the second milestone is seen; 0 before */
    uint8_t  handshake_acked; /* a handshake-ack was seen */
    uint8_t  reset;           /* an RST ended this connection: no more close milestones */
    uint8_t  rst_receiver;    /* ts_side that received that RST */
    uint8_t  handshake_data;  /* the handshake-ack carried data and its receiver has sent nothing since */
    uint8_t  echo_doubt;      /* 1 + the side whose receipt of the peer's first FIN a repeat left in doubt
                                 (TS_EV_ECHO_TEST), until its answer; 0 = none */
    uint8_t  fins_unseen;     /* 1 << side for each side whose FIN was inferred from its sequence
                                 number (TS_EV_FIN_UNSEEN) and no copy of it captured yet */
    uint8_t  echo_new_shows;  /* that repeat found its receiver in TIME-WAIT (the model's story), with
                                 a TSval newer than any its sender sent since its first FIN: an echo
                                 of it shows that it was new there (TS_EV_NEW_BY_ECHO) */
    uint32_t rst_seq;         /* sequence number of that RST */
    uint32_t echo_tsval;      /* the TSval of the repeat that raised that doubt */
    int64_t  rst_ns;          /* capture time of that RST */
    int64_t  handshake_ack_ns; /* capture time of the handshake-ack; -1 before */
} ts_conn;

/* What a caller may read of a tracker between segments (the fields above are
 * the tracker's own): a side's RFC 9293 state now, and since when it has been
 * in TIME-WAIT (meaningful only while that state is TS_TIME_WAIT). */
static inline unsigned ts_conn_state(const ts_conn *conn, unsigned side)
{
    return conn->ep[side & 1u].state;
}

static inline int64_t ts_conn_time_wait_since(const ts_conn *conn, unsigned side)
{
    return conn->ep[side & 1u].time_wait_since;
}

/*
 * Everything the spec's per-segment fields need, for one segment, in two
 * parts, each field listed once:
 *
 * - the verdict: what the segment is and does (sender, role, states, ...).
 *   In a capture it is one of few combinations, so a frame can store it as an
 *   index into a table of distinct verdicts (the plugin's verdicts.c) - and
 *   every field here is stored and restored by ts_verdict_of()/apply();
 * - the numbers of the segment (length, what it acknowledges, flags, RTT),
 *   which the plugin re-reads from the frame on later passes.
 *
 * A new field goes into one of the two lists: there is no third place to
 * forget (each X(type, name, dimension) declares `type name dimension;`).
 */
#define TS_VERDICT_FIELDS(X)                                                                       \
    X(ts_events, events, )       /* TS_EV_* */                                                    \
    X(uint8_t, sender, )         /* ts_side */                                                    \
    X(uint8_t, role, )           /* ts_role */                                                    \
    X(uint8_t, phase, )          /* ts_phase */                                                   \
    X(uint8_t, step, )           /* 0 = absent; else 1..4 */                                      \
    X(uint8_t, step_total, )     /* steps of this handshake (3) or close (3, 4; 0 = not known) */ \
    X(uint8_t, prev, [2])        /* ts_state before, by ts_side */                                \
    X(uint8_t, state, [2])       /* ts_state after, by ts_side */                                 \
    X(uint8_t, assumed, )                                                                          \
    X(uint8_t, attempt, )        /* retransmitted SYN/SYN-ACK/FIN: 2 = first retransmission */    \
    X(uint8_t, rst_kind, )       /* ts_rst_kind */                                                \
    X(uint8_t, corrected, )      /* sides whose state a proof corrected (1 << side) */            \
    X(uint8_t, cause, [2])       /* ts_cause of each side's change, by ts_side */                 \
    X(uint8_t, rst_ignored, )    /* TS_RST_ACCEPTED or why the RST changed nothing */

#define TS_NUMBER_FIELDS(X)                                                                        \
    X(int64_t, handshake_rtt_ns, ) /* -1 when absent */                                           \
    X(uint32_t, len, )             /* the segment's payload length */                             \
    X(uint32_t, acked_new, )       /* peer sequence numbers acknowledged for the first time    */ \
                                   /* (bytes, plus 1 for a SYN or FIN); 0 for a duplicate      */ \
    X(uint16_t, flags, )           /* the segment's TCP flags */

#define TS_DECLARE_FIELD(type, name, dim) type name dim;

typedef struct {
    TS_VERDICT_FIELDS(TS_DECLARE_FIELD)
} ts_verdict;

/* A frame stores its verdict as an index into a table of distinct verdicts
 * compared as bytes (plugin/verdicts.c): the fields above fill it without
 * padding, and it stays small. A field added to TS_VERDICT_FIELDS is stored
 * and restored by itself; this says to re-check the table's cost
 * (docs/performance.md). */
#ifdef __cplusplus
static_assert(sizeof(ts_verdict) == 24, "ts_verdict changed size: check docs/performance.md");
#else
_Static_assert(sizeof(ts_verdict) == 24, "ts_verdict changed size: check docs/performance.md");
#endif

typedef struct {
    TS_NUMBER_FIELDS(TS_DECLARE_FIELD)
    TS_VERDICT_FIELDS(TS_DECLARE_FIELD)
} ts_result;

/* The verdict part of a result (padding zeroed, so it can be hashed and
 * compared as bytes), and back. */
void ts_verdict_of(const ts_result *r, ts_verdict *v);
void ts_verdict_apply(const ts_verdict *v, ts_result *r);

typedef struct {
    int64_t msl_ns;            /* Maximum Segment Lifetime; TIME-WAIT lasts 2*MSL */
} ts_config;

/* docs/spec.md: msl defaults to 30 s, so that TIME-WAIT lasts Linux's fixed
 * 60 s (RFC 9293 takes MSL = 2 minutes). */
#define TS_DEFAULT_MSL_NS ((int64_t)30 * 1000000000)

void ts_conn_init(ts_conn *conn);

/* Track one segment of the connection (capture order) and describe it. */
void ts_conn_track(ts_conn *conn, const ts_config *cfg, const ts_segment *seg, ts_result *out);

/* Token strings of docs/spec.md (never NULL; "?" for an out-of-range value). */
const char *ts_state_name(unsigned state);
const char *ts_role_name(unsigned role);
const char *ts_phase_name(unsigned phase);
const char *ts_side_name(unsigned side);

/*
 * The segment's summary sentence (tcpstate.summary): what it does and what it
 * changes, e.g. "Teardown 2/3: the server's FIN+ACK acknowledges the client's
 * FIN and closes its side; server CLOSE-WAIT → LAST-ACK, client FIN-WAIT-1 →
 * TIME-WAIT". UTF-8; always NUL-terminated. Returns the length it needed
 * (like snprintf).
 */
size_t ts_describe(const ts_result *r, char *buf, size_t size);

/* Languages of the summary (preference `language`: en, zh_CN). */
typedef enum { TS_LANG_EN = 0, TS_LANG_ZH_CN, TS_LANG_COUNT } ts_language;

/* The same sentence in a given language (Simplified Chinese uses the terms of
 * Chinese networking courses: 三次握手, 四次挥手, 半关闭, ...). */
size_t ts_describe_in(const ts_result *r, ts_language lang, char *buf, size_t size);

/* The one buffer size of the texts shared with the plugin: the summary, every
 * Why line (explain.h) and every expert note (notes.h) fit a buffer of
 * TS_TEXT_MAX bytes in either language (tests/fuzz checks every line kind
 * against it); a smaller buffer gets the text cut before a UTF-8 character,
 * never inside one. The plugin's buffers use it (plugin/render.c). */
#define TS_TEXT_MAX 1024

/* True when the role is a handshake or teardown milestone. */
int ts_role_is_handshake(unsigned role);
int ts_role_is_teardown(unsigned role);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_CORE_H */
