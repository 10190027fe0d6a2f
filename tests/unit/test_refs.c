/*
 * Unit tests of what the texts refer to (core/refs.c): each side's base, SYN
 * and FIN frames and TIME-WAIT clock across a stream's segments; which frame
 * an ack acknowledges; where an earlier connection on the same endpoints
 * stood; and the Why lines' input built from those records. Every branch of
 * the derivation has a case here whose expected value differs from what a
 * broken branch gives.
 */
#include <string.h>

#include "refs.h"
#include "segment.h"
#include "tcpstate_core.h"
#include "tw_end_text.h"
#include "unit.h"

#define MS(x) ((int64_t)(x) * 1000000)

enum { C = TS_CLIENT, S = TS_SERVER };

/* A stream as the plugin keeps it: its tracker and its refs. */
typedef struct {
    ts_conn conn;
    ts_config cfg;
    ts_result r;
    ts_refs refs;
    uint32_t frame;
    int first;
} stream;

static void stream_init(stream *st)
{
    memset(st, 0, sizeof *st);
    ts_conn_init(&st->conn);
    st->cfg.msl_ns = TS_DEFAULT_MSL_NS;
    st->first = -1;
}

static void send(stream *st, int side, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                 int64_t ms)
{
    ts_segment g;

    if (st->first < 0)
        st->first = side;
    st->frame++;
    g = unit_segment(side, st->first, flags, seq, ack, len, 64240, ms);
    ts_conn_track(&st->conn, &st->cfg, &g, &st->r);
    ts_refs_track(&st->refs, &st->conn, &g, &st->r, st->frame);
}

/* A new stream and its handshake: client ISN 1000, server ISN 5000, frames
 * 1 to 3 at 0, 1 and 2 ms. */
static void handshake(stream *st)
{
    stream_init(st);
    send(st, C, TS_SYN, 1000, 0, 0, 0);
    send(st, S, TS_SYN | TS_ACK, 5000, 1001, 0, 1);
    send(st, C, TS_ACK, 1001, 5001, 0, 2);
}

/* The base: a SYN's seq; a repeated SYN keeps the first frame; another ISN
 * is a new base from its frame; an RST with SYN is no base; a side whose
 * SYN was not seen counts from its first seq - 1. */
static void test_base(void)
{
    stream st;

    stream_init(&st);
    send(&st, C, TS_SYN, 1000, 0, 0, 0);
    CHECK_INT(st.refs.base[C], 1000);
    CHECK_INT(st.refs.base_known[C], 1);
    CHECK_INT(st.refs.base_from_syn[C], 1);
    CHECK_INT(st.refs.syn_frame[C], 1);
    CHECK_INT(st.refs.base_known[S], 0);
    send(&st, C, TS_SYN, 1000, 0, 0, 1000); /* the same SYN again */
    CHECK_INT(st.refs.syn_frame[C], 1);
    send(&st, C, TS_SYN, 2000, 0, 0, 2000); /* another ISN */
    CHECK_INT(st.refs.base[C], 2000);
    CHECK_INT(st.refs.syn_frame[C], 3);
    send(&st, S, TS_SYN | TS_ACK, 7000, 2001, 0, 2001);
    CHECK_INT(st.refs.base[S], 7000);
    CHECK_INT(st.refs.base_from_syn[S], 1);
    CHECK_INT(st.refs.syn_frame[S], 4);
    /* A SYN-ACK with another ISN on the same connection (no new connection
     * for the tracker): the new ISN is the base, from its frame. */
    send(&st, S, TS_SYN | TS_ACK, 8000, 2001, 0, 2002);
    CHECK_INT(st.r.events & TS_EV_NEW_CONNECTION, 0);
    CHECK_INT(st.refs.base[S], 8000);
    CHECK_INT(st.refs.syn_frame[S], 5);
    send(&st, C, TS_ACK, 2001, 8001, 0, 2003);
    CHECK_INT(st.refs.base[C], 2000); /* a later segment keeps the base */
    CHECK_INT(st.refs.base[S], 8000);

    /* Mid-stream: no SYN; the first seq seen is number 1. */
    stream_init(&st);
    send(&st, C, TS_PSH | TS_ACK, 3644483466u, 1839914458u, 16, 0);
    CHECK_INT(st.refs.base[C], 3644483465u);
    CHECK_INT(st.refs.base_known[C], 1);
    CHECK_INT(st.refs.base_from_syn[C], 0);
    CHECK_INT(st.refs.syn_frame[C], 0);
    send(&st, S, TS_ACK, 1839914458u, 3644483482u, 0, 1);
    CHECK_INT(st.refs.base[S], 1839914457u);
    send(&st, C, TS_PSH | TS_ACK, 3644483482u, 1839914458u, 10, 2);
    CHECK_INT(st.refs.base[C], 3644483465u); /* not moved by later seqs */
    /* Seq 0 wraps: its base is 2^32 - 1. */
    stream_init(&st);
    send(&st, C, TS_ACK, 0, 5, 0, 0);
    CHECK_INT(st.refs.base[C], 0xFFFFFFFFu);

    /* SYN+RST is no ISN: the base is the first seq - 1. */
    stream_init(&st);
    send(&st, C, TS_SYN | TS_RST, 500, 0, 0, 0);
    CHECK_INT(st.refs.base_from_syn[C], 0);
    CHECK_INT(st.refs.syn_frame[C], 0);
    CHECK_INT(st.refs.base[C], 499);
}

/* Issue 10, finding 9: a SYN+ACK whose SYN was not captured shows the
 * client's ISN (its ack - 1, RFC 9293 section 3.4); the client's numbers
 * count from it, as Wireshark's relative numbers do (dns-ooo.pcap), also for
 * the client's first segment seen later. Its SYN, captured after (the
 * handshake reordered), is the base from then on. A side seen before the
 * SYN+ACK keeps its first seq - 1. */
static void test_base_from_syn_ack(void)
{
    stream st;

    stream_init(&st);
    send(&st, S, TS_SYN | TS_ACK, 5000, 1001, 0, 0);
    CHECK_INT(st.refs.base_known[C], 1);
    CHECK_INT(st.refs.base[C], 1000);
    CHECK_INT(st.refs.base_from_ack[C], 1);
    CHECK_INT(st.refs.base_from_syn[C], 0);
    CHECK_INT(st.refs.syn_frame[C], 0);
    CHECK_INT(st.refs.base_from_ack[S], 0);
    send(&st, C, TS_ACK | TS_PSH, 1001, 5001, 10, 1);
    CHECK_INT(st.refs.base[C], 1000); /* not its first seq - 1 */
    CHECK_INT(st.refs.base_from_ack[C], 1);
    send(&st, C, TS_SYN, 1000, 0, 0, 2); /* its SYN, captured late */
    CHECK_INT(st.refs.base[C], 1000);
    CHECK_INT(st.refs.base_from_syn[C], 1);
    CHECK_INT(st.refs.base_from_ack[C], 0);

    stream_init(&st); /* the client seen first: its first seq counts */
    send(&st, C, TS_ACK, 700, 9, 0, 0);
    send(&st, S, TS_SYN | TS_ACK, 5000, 1001, 0, 1);
    CHECK_INT(st.refs.base[C], 699);
    CHECK_INT(st.refs.base_from_ack[C], 0);

    stream_init(&st); /* SYN+ACK+RST shows no ISN */
    send(&st, S, TS_SYN | TS_ACK | TS_RST, 5000, 1001, 0, 0);
    CHECK_INT(st.refs.base_known[C], 0);
}

/* The FIN frame: the first FIN only; FIN with SYN or RST is none. */
static void test_fin_frame(void)
{
    stream st;

    handshake(&st); /* frames 1-3 */
    send(&st, C, TS_FIN | TS_ACK, 1001, 5001, 0, 3);
    CHECK_INT(st.refs.fin_frame[C], 4);
    CHECK_INT(st.refs.fin_frame[S], 0);
    send(&st, C, TS_FIN | TS_ACK, 1001, 5001, 0, 300); /* repeated */
    CHECK_INT(st.refs.fin_frame[C], 4);
    send(&st, S, TS_FIN | TS_ACK, 5001, 1002, 0, 301);
    CHECK_INT(st.refs.fin_frame[S], 6);

    stream_init(&st);
    send(&st, C, TS_SYN | TS_FIN, 1000, 0, 0, 0);
    CHECK_INT(st.refs.fin_frame[C], 0);
    send(&st, S, TS_FIN | TS_RST | TS_ACK, 0, 1001, 0, 1);
    CHECK_INT(st.refs.fin_frame[S], 0);
}

/* TIME-WAIT: since when, while in it; 0 before and after it (a new
 * connection on the stream clears every record). */
static void test_time_wait_and_new_connection(void)
{
    stream st;

    handshake(&st); /* frames 1-3 */
    send(&st, C, TS_FIN | TS_ACK, 1001, 5001, 0, 3);
    CHECK_INT(st.refs.time_wait_since_ns[C], 0);
    /* The server's FIN+ACK acknowledges the client's FIN: the client is in
     * TIME-WAIT from that segment's capture time on. */
    send(&st, S, TS_FIN | TS_ACK, 5001, 1002, 0, 4);
    CHECK_INT(ts_conn_state(&st.conn, C), TS_TIME_WAIT);
    CHECK_INT(st.refs.time_wait_since_ns[C], MS(4));
    CHECK_INT(st.refs.time_wait_since_ns[S], 0);
    send(&st, C, TS_ACK, 1002, 5002, 0, 5);
    CHECK_INT(st.refs.time_wait_since_ns[C], MS(4)); /* unchanged by its own final ACK */
    CHECK_INT(st.refs.time_wait_since_ns[S], 0);
    /* A new SYN well after 2MSL: a new connection on the stream. */
    send(&st, C, TS_SYN, 90000, 0, 0, 200000);
    CHECK(st.r.events & TS_EV_NEW_CONNECTION);
    CHECK_INT(st.refs.base[C], 90000);
    CHECK_INT(st.refs.syn_frame[C], 7);
    CHECK_INT(st.refs.fin_frame[C], 0);
    CHECK_INT(st.refs.base_known[S], 0);
    CHECK_INT(st.refs.syn_frame[S], 0);
    CHECK_INT(st.refs.time_wait_since_ns[C], 0);
}

/* Which frame an ack acknowledges, for every role and condition. */
static void test_acked_frame(void)
{
    ts_refs refs;
    ts_result r;
    uint8_t is_syn = 9;

    memset(&refs, 0, sizeof refs);
    memset(&r, 0, sizeof r);
    refs.base[C] = 1000;
    refs.base[S] = 5000;
    refs.base_known[C] = refs.base_known[S] = 1;
    refs.base_from_syn[C] = refs.base_from_syn[S] = 1;
    refs.syn_frame[C] = 1;
    refs.syn_frame[S] = 2;
    refs.fin_frame[C] = 7;
    refs.fin_frame[S] = 9;
    /* No records: nothing. */
    r.sender = S;
    r.flags = TS_ACK | TS_SYN;
    r.role = TS_ROLE_SYN_ACK;
    r.acked_new = 1;
    CHECK_INT(ts_refs_acked_frame(NULL, &r, 1001, &is_syn), 0);
    CHECK_INT(is_syn, 0);
    /* The SYN-ACK acknowledges the client's SYN (ISN + 1). */
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1001, &is_syn), 1);
    CHECK_INT(is_syn, 1);
    /* ... not with another ack, nothing new, no ACK flag, a base not from a
     * SYN, or no SYN frame. */
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1002, &is_syn), 0);
    CHECK_INT(is_syn, 0);
    r.acked_new = 0;
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1001, &is_syn), 0);
    r.acked_new = 1;
    r.flags = TS_SYN;
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1001, &is_syn), 0);
    r.flags = TS_ACK | TS_SYN;
    refs.base_from_syn[C] = 0;
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1001, &is_syn), 0);
    refs.base_from_syn[C] = 1;
    refs.syn_frame[C] = 0;
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1001, &is_syn), 0);
    CHECK_INT(is_syn, 0);
    refs.syn_frame[C] = 1;
    /* The handshake ACK: the server's SYN, by the other side. */
    r.sender = C;
    r.flags = TS_ACK;
    r.role = TS_ROLE_HANDSHAKE_ACK;
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 5001, &is_syn), 2);
    CHECK_INT(is_syn, 1);
    /* The roles that acknowledge a FIN: the peer's FIN frame. */
    static const uint8_t fin_roles[] = { TS_ROLE_ACK_OF_FIN, TS_ROLE_FINAL_ACK,
                                         TS_ROLE_FIN_ACK_OF_FIN };
    for (unsigned i = 0; i < sizeof fin_roles; i++) {
        unit_set_ctx("role %u", fin_roles[i]);
        r.role = fin_roles[i];
        r.sender = C;
        CHECK_INT(ts_refs_acked_frame(&refs, &r, 5002, &is_syn), 9);
        CHECK_INT(is_syn, 0);
        r.sender = S;
        CHECK_INT(ts_refs_acked_frame(&refs, &r, 1002, &is_syn), 7);
    }
    unit_set_ctx("%s", "");
    /* Other roles acknowledge no frame (data, a plain ACK). */
    r.role = TS_ROLE_DATA;
    CHECK_INT(ts_refs_acked_frame(&refs, &r, 1500, &is_syn), 0);
    CHECK_INT(is_syn, 0);
}

/* The earlier connection on reused endpoints: TIME-WAIT left (positive, or
 * negative when it had run out) and whether it was still open. */
static void test_reuse(void)
{
    stream st;
    ts_reuse n;
    int64_t since;

    handshake(&st); /* frames 1-3 */
    ts_reuse_note(&st.conn, 4, TS_DEFAULT_MSL_NS, MS(3), 1, &n);
    CHECK_INT(n.stream, 4);
    CHECK_INT(n.old_open, 1);
    CHECK_INT(n.in_tw[C], 0);
    CHECK_INT(n.tw_left_ns[C], 0);
    send(&st, C, TS_FIN | TS_ACK, 1001, 5001, 0, 3);
    send(&st, S, TS_FIN | TS_ACK, 5001, 1002, 0, 4);
    send(&st, C, TS_ACK, 1002, 5002, 0, 5);
    since = ts_conn_time_wait_since(&st.conn, C);
    ts_reuse_note(&st.conn, 4, TS_DEFAULT_MSL_NS, since + MS(1500), 1, &n);
    CHECK_INT(n.old_open, 0); /* TIME-WAIT and CLOSED */
    CHECK_INT(n.in_tw[C], 1);
    CHECK_INT(n.in_tw[S], 0);
    CHECK_INT(n.tw_left_ns[C], 2 * TS_DEFAULT_MSL_NS - MS(1500));
    CHECK_INT(n.tw_left_ns[S], 0);
    ts_reuse_note(&st.conn, 4, MS(100), since + MS(450), 1, &n);
    CHECK_INT(n.tw_left_ns[C], -MS(250));
    /* A listener left alone is not open (the server LISTEN, the client
     * CLOSED before any SYN). */
    stream_init(&st);
    ts_reuse_note(&st.conn, 2, TS_DEFAULT_MSL_NS, MS(2), 1, &n);
    CHECK_INT(ts_conn_state(&st.conn, S), TS_LISTEN);
    CHECK_INT(n.old_open, 0);
    /* A refused connection: both CLOSED. */
    send(&st, C, TS_SYN, 1000, 0, 0, 0);
    send(&st, S, TS_RST | TS_ACK, 0, 1001, 0, 1);
    ts_reuse_note(&st.conn, 1, TS_DEFAULT_MSL_NS, MS(2), 1, &n);
    CHECK_INT(n.old_open, 0);
    CHECK_INT(n.in_tw[C] | n.in_tw[S], 0);
    CHECK_INT(n.stream, 1);
}

/* Whether the new stream's segment `st->r` (just sent) ends a TIME-WAIT of
 * the earlier stream noted in `n`. */
static int ends(const ts_reuse *n, const stream *st, int side, uint16_t flags, uint32_t seq,
                uint32_t ack, int64_t ms, ts_tw_end *out)
{
    ts_segment g = unit_segment(side, st->first, flags, seq, ack, 0, 64240, ms);

    return ts_reuse_ends_time_wait(n, 7, &g, st->r.sender, &st->refs, st->frame, out);
}

/* A new stream whose first segment, the client's SYN (ISN `isn`, at `ms`),
 * comes from the earlier stream's `old_side`, in TIME-WAIT there: its own
 * SYN ends that TIME-WAIT. */
static void own_syn_ends(const ts_reuse *n, stream *st, uint32_t isn, int64_t ms, int old_side,
                         ts_tw_end *e)
{
    stream_init(st);
    send(st, C, TS_SYN, isn, 0, 0, ms);
    CHECK_INT(ends(n, st, C, TS_SYN, isn, 0, ms, e), 1);
    CHECK_INT(e->side, old_side);
    CHECK_INT(e->own_syn, 1);
}

/* A TIME-WAIT that a new connection on the same endpoints ends early
 * (core/refs.h, ts_tw_end): the endpoint's own SYN+ACK to the new SYN, or
 * its own SYN, while its 2MSL had not run out; never a SYN it only
 * receives, an ACK or an RST, nor an answer sent after 2MSL. */
static void test_tw_end(void)
{
    stream old, st;
    ts_reuse n;
    ts_tw_end e;
    int64_t since;

    /* The server closes first (crafted-port-reuse.pcap's stream 0): it
     * waits in TIME-WAIT. */
    handshake(&old); /* frames 1-3 */
    send(&old, S, TS_FIN | TS_ACK, 5001, 1001, 0, 3);
    send(&old, C, TS_ACK, 1001, 5002, 0, 4);
    send(&old, C, TS_FIN | TS_ACK, 1001, 5002, 0, 5);
    send(&old, S, TS_ACK, 5002, 1002, 0, 6);
    CHECK_INT(ts_conn_state(&old.conn, S), TS_TIME_WAIT);
    since = ts_conn_time_wait_since(&old.conn, S);
    /* 1.5 s later the same client opens again from the same port. */
    ts_reuse_note(&old.conn, 0, TS_DEFAULT_MSL_NS, since + MS(1500), 1, &n);
    CHECK_INT(n.first_side, C);
    CHECK_INT(n.in_tw[S], 1);
    CHECK_INT(n.tw_until_ns[S], since + 2 * TS_DEFAULT_MSL_NS);
    CHECK_INT(n.tw_left_ns[S], 2 * TS_DEFAULT_MSL_NS - MS(1500));
    stream_init(&st);
    send(&st, C, TS_SYN, 900000, 0, 0, 1500 + 5);
    /* The new SYN alone proves nothing: the client was not in TIME-WAIT,
     * and the server only received it. */
    CHECK_INT(ends(&n, &st, C, TS_SYN, 900000, 0, 1500 + 5, &e), 0);
    CHECK_INT(e.frame, 0);
    /* A challenge ACK from the server (its old connection's numbers): no. */
    send(&st, S, TS_ACK, 5002, 1002, 0, 1500 + 6);
    CHECK_INT(ends(&n, &st, S, TS_ACK, 5002, 1002, 1500 + 6, &e), 0);
    /* An RST with SYN opens nothing. */
    CHECK_INT(ends(&n, &st, S, TS_SYN | TS_RST | TS_ACK, 0, 900001, 1500 + 6, &e), 0);
    /* Its SYN+ACK of the new SYN: it accepted it in TIME-WAIT. */
    send(&st, S, TS_SYN | TS_ACK, 70000, 900001, 0, 1500 + 7);
    CHECK_INT(ends(&n, &st, S, TS_SYN | TS_ACK, 70000, 900001, 1500 + 7, &e), 1);
    CHECK_INT(e.stream, 0);
    CHECK_INT(e.new_stream, 7);
    CHECK_INT(e.side, S);
    CHECK_INT(e.own_syn, 0);
    CHECK_INT(e.syn_frame, 1); /* the new stream's SYN */
    CHECK_INT(e.frame, 3);
    CHECK_INT(ts_tw_end_final_state(TS_TIME_WAIT, &e), TS_CLOSED);
    CHECK_INT(ts_tw_end_final_state(TS_TIME_WAIT, NULL), TS_TIME_WAIT);
    CHECK_INT(ts_tw_end_final_state(TS_LAST_ACK, &e), TS_LAST_ACK);
    /* A SYN+ACK that acknowledges no captured SYN names none. */
    CHECK_INT(ends(&n, &st, S, TS_SYN | TS_ACK, 70000, 123, 1500 + 7, &e), 1);
    CHECK_INT(e.syn_frame, 0);
    CHECK_INT(e.frame, 3);
    /* Sent when its 2MSL had run out: the TIME-WAIT may have expired first
     * (the expiry's story stays), to the nanosecond. */
    {
        ts_segment g = unit_segment(S, C, TS_SYN | TS_ACK, 70000, 900001, 0, 64240, 0);
        g.time_ns = n.tw_until_ns[S];
        CHECK_INT(ts_reuse_ends_time_wait(&n, 7, &g, S, &st.refs, 3, &e), 0);
        g.time_ns = n.tw_until_ns[S] - 1;
        CHECK_INT(ts_reuse_ends_time_wait(&n, 7, &g, S, &st.refs, 3, &e), 1);
    }
    /* A TIME-WAIT that had run out before the new stream began. */
    ts_reuse_note(&old.conn, 0, MS(100), since + MS(450), 1, &n);
    CHECK(n.tw_left_ns[S] < 0);
    CHECK_INT(ends(&n, &st, S, TS_SYN | TS_ACK, 70000, 900001, 450, &e), 0);

    /* The new stream begins with the old server's segment: the sides are
     * found by address and port, not by the new stream's roles. The old
     * server sends the new SYN itself (it is the new stream's client). */
    ts_reuse_note(&old.conn, 0, TS_DEFAULT_MSL_NS, since + MS(1500), 0, &n);
    CHECK_INT(n.first_side, S);
    own_syn_ends(&n, &st, 4242, 1500, S, &e);
    CHECK_INT(e.syn_frame, 1);
    CHECK_INT(e.frame, 1);
    /* ... and the old client's SYN+ACK there: it was not in TIME-WAIT. */
    send(&st, S, TS_SYN | TS_ACK, 99, 4243, 0, 1501);
    CHECK_INT(ends(&n, &st, S, TS_SYN | TS_ACK, 99, 4243, 1501, &e), 0);

    /* The client closes first (the usual case) and opens again from its
     * TIME-WAIT port (Linux's tcp_tw_reuse): its own SYN ends it. */
    handshake(&old);
    send(&old, C, TS_FIN | TS_ACK, 1001, 5001, 0, 3);
    send(&old, S, TS_FIN | TS_ACK, 5001, 1002, 0, 4);
    send(&old, C, TS_ACK, 1002, 5002, 0, 5);
    CHECK_INT(ts_conn_state(&old.conn, C), TS_TIME_WAIT);
    ts_reuse_note(&old.conn, 2, TS_DEFAULT_MSL_NS, MS(1005), 1, &n);
    own_syn_ends(&n, &st, 3000, 1005, C, &e);
    CHECK_INT(e.stream, 2);
}

/* The words of an ended TIME-WAIT (core/tw_end_text.c): the frame named,
 * the evidence said, in both languages. */
static void test_tw_end_words(void)
{
    ts_tw_end e;
    char buf[TS_TEXT_MAX];

    memset(&e, 0, sizeof e);
    e.stream = 0;
    e.new_stream = 1;
    e.syn_frame = 10;
    e.frame = 11;
    e.side = S;
    ts_tw_end_reason(&e, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "TIME-WAIT ended by stream 1's SYN, frame 10");
    ts_tw_end_reason(&e, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "TIME-WAIT 被第 1 条流的 SYN 提前结束，第 10 帧");
    ts_tw_end_why(&e, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "stream 0's server, still in TIME-WAIT on these addresses and ports, accepts "
                   "the new SYN (frame 10): its TIME-WAIT ends early; it is CLOSED in stream 0 "
                   "(RFC 1122 section 4.2.2.13)");
    ts_tw_end_why(&e, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "第 0 条流的服务器在这对地址和端口上仍处于 TIME-WAIT，却接受了新 SYN（第 10 帧）："
                   "其 TIME-WAIT 提前结束，第 0 条流中为 CLOSED（RFC 1122 4.2.2.13）");
    e.syn_frame = 0;
    ts_tw_end_reason(&e, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "TIME-WAIT ended by stream 1's connection, SYN+ACK frame 11");
    ts_tw_end_why(&e, TS_LANG_EN, buf, sizeof buf);
    CHECK(strstr(buf, "accepts a new SYN (not captured)") != NULL);
    e.own_syn = 1;
    e.syn_frame = e.frame = 10;
    e.side = C;
    ts_tw_end_why(&e, TS_LANG_EN, buf, sizeof buf);
    CHECK(strstr(buf, "stream 0's client, still in TIME-WAIT on these addresses and ports, sends "
                      "this SYN itself") != NULL);
    CHECK(strstr(buf, "it is CLOSED in stream 0") != NULL);
    /* Every form fits an expert info's label (239 bytes and a NUL, the
     * label beginning "Expert Info (Note/Sequence): ") with large numbers in
     * either language. */
    e.stream = 99999999;
    e.new_stream = 100000000;
    for (int lang = 0; lang < 2; lang++)
        for (int form = 0; form < 3; form++) {
            e.own_syn = form == 0;
            e.syn_frame = form == 2 ? 0 : 99999999;
            size_t n = ts_tw_end_why(&e, (ts_language)lang, buf, sizeof buf);

            CHECK_MSG(n < 240 - strlen("Expert Info (Note/Sequence): "), "form %d, language %d: %u bytes",
                      form, lang, (unsigned)n);
        }
    /* A short buffer is cut, and the needed length returned. */
    e.stream = 0;
    e.new_stream = 1;
    e.syn_frame = 10;
    CHECK_INT(ts_tw_end_reason(&e, TS_LANG_EN, buf, 8), strlen("TIME-WAIT ended by stream 1's SYN, frame 10"));
    CHECK_INT(strlen(buf), 7);
}

/* The Why lines' input: every value copied or derived from the records. */
static void test_explain_input(void)
{
    ts_refs refs;
    ts_reuse reuse;
    ts_wire_info wire;
    ts_result r;
    ts_segment_records rec;
    ts_explain_input in;

    memset(&refs, 0, sizeof refs);
    memset(&reuse, 0, sizeof reuse);
    memset(&wire, 0, sizeof wire);
    memset(&r, 0, sizeof r);
    memset(&rec, 0, sizeof rec);
    r.sender = C;
    r.flags = TS_ACK;
    r.role = TS_ROLE_FINAL_ACK;
    rec.result = &r;
    rec.seq = 1002;
    rec.ack = 5002;
    rec.frame = 12;
    rec.time_ns = MS(777);
    rec.msl_ns = MS(30000);
    /* Nothing known: no base, no frame, no wire, no reuse. */
    memset(&in, 0xAB, sizeof in);
    ts_explain_input_of(&rec, &in);
    CHECK_INT(in.now_ns, MS(777));
    CHECK_INT(in.msl_ns, MS(30000));
    CHECK_INT(in.seq_raw, 1002);
    CHECK_INT(in.ack_raw, 5002);
    CHECK_INT(in.base_known[C] | in.base_known[S], 0);
    CHECK_INT(in.acked_frame, 0);
    CHECK_INT(in.fin_sent_before, 0);
    CHECK_INT(in.wire_known, 0);
    CHECK_INT(in.reuse, 0);
    /* With records. */
    refs.base[C] = 1000;
    refs.base[S] = 5000;
    refs.base_known[C] = refs.base_known[S] = 1;
    refs.base_from_syn[S] = 1;
    refs.fin_frame[S] = 10;
    refs.time_wait_since_ns[C] = MS(700);
    wire.seq_kind = TS_SEQ_RETRANSMITTED;
    wire.sent_max = 1234;
    reuse.stream = 3;
    reuse.in_tw[S] = 1;
    reuse.tw_left_ns[S] = MS(5);
    reuse.old_open = 1;
    rec.refs = &refs;
    rec.wire = &wire;
    rec.reuse = &reuse;
    ts_explain_input_of(&rec, &in);
    CHECK_INT(in.base[C], 1000);
    CHECK_INT(in.base[S], 5000);
    CHECK_INT(in.base_known[C], 1);
    CHECK_INT(in.base_from_syn[C], 0);
    CHECK_INT(in.base_from_syn[S], 1);
    CHECK_INT(in.time_wait_since_ns[C], MS(700));
    CHECK_INT(in.time_wait_since_ns[S], 0);
    CHECK_INT(in.acked_frame, 10); /* the final ACK of the server's FIN */
    CHECK_INT(in.acked_syn, 0);
    CHECK_INT(in.wire_known, 1);
    CHECK_INT(in.wire.seq_kind, TS_SEQ_RETRANSMITTED);
    CHECK_INT(in.wire.sent_max, 1234);
    CHECK_INT(in.reuse, 1);
    CHECK_INT(in.reuse_stream, 3);
    CHECK_INT(in.reuse_old_open, 1);
    CHECK_INT(in.reuse_in_tw[S], 1);
    CHECK_INT(in.reuse_in_tw[C], 0);
    CHECK_INT(in.reuse_tw_left_ns[S], MS(5));
    /* The sender's FIN: sent before this frame, or in this very frame. */
    CHECK_INT(in.fin_sent_before, 0);
    refs.fin_frame[C] = 11;
    ts_explain_input_of(&rec, &in);
    CHECK_INT(in.fin_sent_before, 1);
    refs.fin_frame[C] = 12;
    ts_explain_input_of(&rec, &in);
    CHECK_INT(in.fin_sent_before, 0);
    /* Sent by the server: its own FIN frame counts, not the client's. */
    r.sender = S;
    r.role = TS_ROLE_ACK;
    ts_explain_input_of(&rec, &in);
    CHECK_INT(in.fin_sent_before, 1);
    CHECK_INT(in.acked_frame, 0);
}

int main(void)
{
    UNIT_RUN(test_base);
    UNIT_RUN(test_base_from_syn_ack);
    UNIT_RUN(test_fin_frame);
    UNIT_RUN(test_time_wait_and_new_connection);
    UNIT_RUN(test_acked_frame);
    UNIT_RUN(test_reuse);
    UNIT_RUN(test_tw_end);
    UNIT_RUN(test_tw_end_words);
    UNIT_RUN(test_explain_input);
    return unit_report();
}
