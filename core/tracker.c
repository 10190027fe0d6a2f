/*
 * The connection tracker: both endpoints' RFC 9293 states, seen from the wire.
 *
 * Each segment is applied in two halves, as docs/spec.md's wire model says:
 * first the sender changes state because it sends the segment (an OPEN, CLOSE
 * or ABORT call, RFC 9293 sections 3.10.1, 3.10.4, 3.10.5), then the receiver
 * changes state because it receives it (section 3.10.7, "SEGMENT ARRIVES"), in
 * the RFC's order of checks: RST, SYN, ACK, then FIN.
 *
 * Every state change goes through move(), which records why it happened
 * (ts_cause): sent, received, assumed, expired, a new connection, or corrected
 * by evidence. A sent or received move must be an edge of RFC 9293's diagram
 * (core/rfc9293.c); builds with TS_CHECK_EDGES (the unit tests, the fuzzer)
 * abort on any other.
 *
 * Evidence (docs/spec.md, "When a later segment proves the wire model
 * wrong"): a segment's ack tells what its sender has received; its content
 * tells what state its sender is in; a stale segment - one its sender sent
 * before it learnt what the capture shows before it - never moves a state
 * backwards. What an endpoint has received of the close is kept as facts
 * (its FIN sent and acknowledged, the peer's FIN received), and a correction
 * re-derives its state from them (close_state()).
 */
#include "tcpstate_core.h"

#include "rfc9293.h"

#include <string.h>
#ifdef TS_CHECK_EDGES
#include <stdio.h>
#include <stdlib.h>
#endif

/* Sequence number comparison modulo 2^32 (RFC 9293 section 3.4). */
static int seq_gt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

static int seq_ge(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) >= 0;
}

static int closed_or_time_wait(unsigned s)
{
    return s == TS_CLOSED || s == TS_TIME_WAIT;
}

/* The states in which a close is under way (docs/spec.md's teardown phase rule). */
static int closing_state(unsigned s)
{
    return s == TS_FIN_WAIT_1 || s == TS_FIN_WAIT_2 || s == TS_CLOSING || s == TS_CLOSE_WAIT ||
           s == TS_LAST_ACK;
}

/* ---- The one place where states change ---- */

static void move(ts_conn *c, ts_result *r, ts_side side, ts_state to, ts_cause why, int64_t now)
{
    ts_endpoint *ep = &c->ep[side];
    ts_state from = (ts_state)ep->state;

    if (to == TS_TIME_WAIT) {
        /* Entering TIME-WAIT starts its 2 MSL timer (section 3.10.7.4). */
        ep->time_wait_since = now;
        if (from != TS_TIME_WAIT)
            r->events |= TS_EV_TIME_WAIT_ENTERED;
    }
    if (from == to)
        return;
#ifdef TS_CHECK_EDGES
    if ((why == TS_CAUSE_SENT && !ts_rfc9293_allows(from, to, TS_VIA_SEND)) ||
        (why == TS_CAUSE_RECEIVED && !ts_rfc9293_allows(from, to, TS_VIA_RECEIVE)) ||
        (why == TS_CAUSE_EXPIRED && !ts_rfc9293_allows(from, to, TS_VIA_TIMEOUT))) {
        fprintf(stderr, "tcpstate: %s -> %s (%s) is no edge of RFC 9293\n", ts_state_name(from),
                ts_state_name(to), why == TS_CAUSE_SENT ? "sent" : why == TS_CAUSE_RECEIVED ? "received" : "timer");
        abort();
    }
#endif
    ep->state = (uint8_t)to;
    if (why == TS_CAUSE_CORRECTED)
        r->corrected |= (uint8_t)(1u << side);
    if (r->cause[side] != TS_CAUSE_CORRECTED)
        r->cause[side] = (uint8_t)why;
}

/* Where an endpoint is in a close, from what it has sent and received
 * (RFC 9293 section 3.3.2): used when evidence changes one of those facts. */
static ts_state close_state(const ts_endpoint *ep)
{
    if (!ep->fin_attempts)
        return ep->got_peer_fin ? TS_CLOSE_WAIT : TS_ESTABLISHED;
    if (ep->got_peer_fin && ep->passive_closer)
        return ep->fin_acked ? TS_CLOSED : TS_LAST_ACK;
    if (ep->got_peer_fin)
        return ep->fin_acked ? TS_TIME_WAIT : TS_CLOSING;
    return ep->fin_acked ? TS_FIN_WAIT_2 : TS_FIN_WAIT_1;
}

/* ---- Round trips: what "stale" means ---- */

/*
 * A segment from endpoint x captured after a segment y sent it crossed that
 * segment when x sent it before that segment reached x: it was captured less
 * than one round trip (capture point -> x -> capture point) after it
 * (docs/spec.md, stale segments). The round trip is x's first measured one:
 * the handshake's (SYN -> SYN-ACK for the server, SYN-ACK -> ACK for the
 * client), else the first ack of x that covered new data of the peer.
 *
 * That measurement is the quickest answer; a segment queued behind data
 * takes longer. Measured against the Linux kernel's own states
 * (docs/accuracy.md), segments that crossed an RST or a FIN were captured
 * up to three handshake round trips later, up to 36 ms on a 10 ms path. So
 * the window is three round trips, and at least 40 ms: a lost segment is
 * repeated only after a retransmission timeout (200 ms or more on Linux),
 * still beyond it. When x's round trip is not known yet (a capture that began
 * mid-connection, before x acknowledged anything new), the window is 200 ms,
 * Linux's smallest retransmission timeout, or three of the peer's round trips
 * if that is longer. In the handshake, where the client's round trip is
 * measured last (at the handshake-ack), the server's stands in for it; with
 * neither known, a repeat is taken at its word.
 */
#define TS_MIN_WINDOW_NS ((int64_t)40000000)
#define TS_UNKNOWN_RTT_WINDOW_NS ((int64_t)200000000)

static int64_t crossing_window_ns(const ts_conn *c, ts_side x, int handshake)
{
    int64_t own = (int64_t)c->ep[x].rtt_us * 1000, peer = (int64_t)c->ep[1 - x].rtt_us * 1000;
    int64_t w;

    if (own)
        w = 3 * own;
    else if (handshake && peer)
        w = 3 * peer;
    else if (handshake)
        return -1;
    else
        w = 3 * peer > TS_UNKNOWN_RTT_WINDOW_NS ? 3 * peer : TS_UNKNOWN_RTT_WINDOW_NS;
    return w > TS_MIN_WINDOW_NS ? w : TS_MIN_WINDOW_NS;
}

/* Was a segment of x captured at `now` possibly sent before x got what the
 * capture showed at `then`? */
static int crossed(const ts_conn *c, ts_side x, int64_t then, int64_t now)
{
    return now - then <= crossing_window_ns(c, x, 0);
}

/* The same in the handshake (see above). */
static int crossed_in_handshake(const ts_conn *c, ts_side x, int64_t then, int64_t now)
{
    int64_t w = crossing_window_ns(c, x, 1);

    return w >= 0 && now - then <= w;
}

/* Round-trip samples: a segment that advances y's sequence space starts one
 * (if none is running); the first ack of x that covers it ends it. */
static void sample_answer(ts_conn *c, ts_side x, const ts_segment *seg)
{
    ts_endpoint *y = &c->ep[1 - x], *ep = &c->ep[x];

    if (!y->sample_pending || !(seg->flags & TS_ACK) || !seq_ge(seg->ack, y->sample_end))
        return;
    y->sample_pending = 0;
    if (seg->time_ns >= y->sample_ns) {
        int64_t us = (seg->time_ns - y->sample_ns) / 1000;
        uint32_t v = us < 1 ? 1u : us > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)us;
        if (!ep->rtt_us)
            ep->rtt_us = v; /* the first one: the handshake's, when it was captured */
    }
}

/* Its next sequence number after this segment; starts a sample on new data. */
static void advance_snd_nxt(ts_endpoint *x, const ts_segment *seg)
{
    uint32_t end = seg->seq + seg->len + ((seg->flags & TS_SYN) ? 1u : 0u) + ((seg->flags & TS_FIN) ? 1u : 0u);

    if (seg->flags & TS_RST)
        return;
    /* Karn: an answer to a repeated segment may answer either copy. */
    if (x->sample_pending && end != seg->seq && seq_gt(x->sample_end, seg->seq))
        x->sample_pending = 0;
    if (!x->snd_nxt_known || seq_gt(end, x->snd_nxt)) {
        x->last_seq = seg->seq;
        x->snd_nxt = end;
        x->snd_nxt_known = 1;
        if (!x->sample_pending && end != seg->seq) {
            x->sample_pending = 1;
            x->sample_end = end;
            x->sample_ns = seg->time_ns;
        }
    }
}

/* ---- A connection's start ---- */

static void endpoint_reset(ts_endpoint *ep)
{
    uint8_t state = ep->state;
    uint32_t rtt = ep->rtt_us; /* the path stays what it was */

    memset(ep, 0, sizeof *ep);
    ep->state = state;
    ep->rtt_us = rtt;
}

/* A connection before its first SYN: the side about to send it CLOSED, the
 * other LISTEN (docs/spec.md: "The server is LISTEN before the first SYN
 * arrives"). */
static void conn_open_fresh(ts_conn *c, ts_result *r, ts_side opener, int64_t now)
{
    endpoint_reset(&c->ep[opener]);
    endpoint_reset(&c->ep[1 - opener]);
    move(c, r, opener, TS_CLOSED, TS_CAUSE_NEW_CONNECTION, now);
    move(c, r, (ts_side)(1 - opener), TS_LISTEN, TS_CAUSE_NEW_CONNECTION, now);
    c->first_syn_ns = -1;
    c->handshake_rtt_ns = -1;
    c->handshake_ack_ns = -1;
    c->assumed = 0;
    c->td_steps = 0;
    c->td_total = 0;
    c->handshake_acked = 0;
    c->handshake_data = 0;
    c->echo_doubt = 0;
    c->reset = 0;
}

void ts_conn_init(ts_conn *conn)
{
    memset(conn, 0, sizeof *conn);
    conn->ep[TS_SERVER].state = TS_LISTEN;
    conn->first_syn_ns = -1;
    conn->handshake_rtt_ns = -1;
    conn->handshake_ack_ns = -1;
}

/*
 * docs/spec.md's sender rule, applied to the stream's first captured segment:
 * the sender of a SYN without ACK is the client; the sender of a SYN-ACK is
 * the server; else the lower port is the server; else the first sender is the
 * client. Also sets the starting states: a stream that does not start with a
 * SYN was caught mid-connection.
 */
static void conn_first_segment(ts_conn *c, const ts_segment *seg, ts_result *r)
{
    int syn = (seg->flags & TS_SYN) != 0, ack = (seg->flags & TS_ACK) != 0;
    int rst = (seg->flags & TS_RST) != 0;

    if (syn && !ack)
        c->client_is_first = 1;
    else if (syn && ack)
        c->client_is_first = 0;
    else if (seg->sport != seg->dport)
        c->client_is_first = seg->sport > seg->dport;
    else
        c->client_is_first = 1;

    if (syn && !ack)
        return; /* the opening is in the capture */

    c->assumed = 1;
    r->events |= TS_EV_MIDSTREAM;
    if (syn && ack && !rst) {
        /* Only the client's SYN was missed: the client waits in SYN-SENT and
         * the server, having received that SYN, in SYN-RECEIVED. */
        move(c, r, TS_CLIENT, TS_SYN_SENT, TS_CAUSE_ASSUMED, seg->time_ns);
        c->ep[TS_CLIENT].isn = seg->ack - 1;
        c->ep[TS_CLIENT].isn_known = 1;
        move(c, r, TS_SERVER, TS_SYN_RECEIVED, TS_CAUSE_ASSUMED, seg->time_ns);
    } else {
        move(c, r, TS_CLIENT, TS_ESTABLISHED, TS_CAUSE_ASSUMED, seg->time_ns);
        move(c, r, TS_SERVER, TS_ESTABLISHED, TS_CAUSE_ASSUMED, seg->time_ns);
    }
}

/* docs/spec.md: an endpoint in TIME-WAIT counts as CLOSED for a segment
 * captured more than 2*MSL after it entered TIME-WAIT (RFC 9293 section
 * 3.10.8, the time-wait timeout). */
static void expire_time_wait(ts_conn *c, const ts_config *cfg, int64_t now, ts_result *r)
{
    for (int i = 0; i < 2; i++) {
        ts_endpoint *ep = &c->ep[i];
        if (ep->state == TS_TIME_WAIT && now - ep->time_wait_since > 2 * cfg->msl_ns) {
            move(c, r, (ts_side)i, TS_CLOSED, TS_CAUSE_EXPIRED, now);
            r->events |= TS_EV_TIME_WAIT_EXPIRED;
        }
    }
}

/* Does this segment's ack number cover the endpoint's SYN? An ISN that was
 * never seen cannot be checked, so any ACK is taken to cover it. */
static int acks_syn(const ts_segment *seg, const ts_endpoint *ep)
{
    if (!(seg->flags & TS_ACK))
        return 0;
    return !ep->isn_known || seq_gt(seg->ack, ep->isn);
}

/* Does it cover the endpoint's FIN? By number, not by flags: the ack must pass
 * the sequence number the FIN occupies (RFC 9293 section 3.10.7.4, the ACK
 * checks of FIN-WAIT-1, CLOSING and LAST-ACK). */
static int acks_fin(const ts_segment *seg, const ts_endpoint *ep)
{
    return (seg->flags & TS_ACK) && ep->fin_attempts > 0 && seq_gt(seg->ack, ep->fin_seq);
}

/* Counts one more transmission (saturating) and returns the new count. */
static uint8_t count_attempt(uint8_t *attempts)
{
    if (*attempts < UINT8_MAX)
        (*attempts)++;
    return *attempts;
}

/* ---- RST ---- */

/* A refusal answers the SYN: a TCP with no listener sends <SEQ=0>
 * <ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (RFC 9293 section 3.10.7.1), an RST the
 * client in SYN-SENT accepts. One it does not accept (`ignored`) answers no
 * SYN of its: it refuses nothing, whoever sent it. */
static ts_rst_kind classify_rst(const ts_conn *c, ts_side sender, const ts_result *r, int ignored)
{
    unsigned cs = r->prev[TS_CLIENT], ss = r->prev[TS_SERVER];

    if (c->segments == 0 && c->assumed)
        return TS_RST_UNKNOWN_CONN;
    if (sender == TS_SERVER && cs == TS_SYN_SENT && c->ep[TS_SERVER].synack_attempts == 0 && !ignored)
        return TS_RST_REFUSED;
    if (closed_or_time_wait(cs) && closed_or_time_wait(ss))
        return TS_RST_AFTER_CLOSE;
    if (closing_state(cs) || closing_state(ss))
        return TS_RST_TEARDOWN;
    /* An open connection on one side at least, no handshake in progress on
     * either: an abort, also when its sender is already CLOSED (its first
     * RST was not taken, docs/spec.md: the receiver is still ESTABLISHED). */
    if ((cs == TS_ESTABLISHED || cs == TS_CLOSED) && (ss == TS_ESTABLISHED || ss == TS_CLOSED))
        return TS_RST_ABORT;
    return TS_RST_HANDSHAKE;
}

/* RFC 9293 section 3.10.7.3, SYN-SENT: an ACK is acceptable only if
 * ISS < SEG.ACK =< SND.NXT; an RST with any other ack is dropped. */
static int rst_acks_syn(const ts_segment *seg, const ts_endpoint *ep)
{
    return acks_syn(seg, ep) && (!ep->isn_known || !ep->snd_nxt_known || seq_ge(ep->snd_nxt, seg->ack));
}

/*
 * Does the receiver y's highest ack tell its RCV.NXT for the sender x? Only an
 * ack beyond x's ISN does: a receiver that got x's SYN expects ISN + 1 or more
 * (RFC 9293 section 3.4), so an ack at or before the ISN (e.g. the ack 0 of a
 * server held in SYN-RECEIVED, Zeek's syn-then-ack-then-rst.pcap) was not
 * drawn from x's numbers and says nothing about what y expects. An ISN the
 * capture did not see cannot be checked: the ack is taken at its word.
 */
static int rcv_nxt_known(const ts_endpoint *x, const ts_endpoint *y)
{
    return y->high_ack_known && (!x->isn_known || seq_gt(y->high_ack, x->isn));
}

/*
 * Does the receiver accept the RST (docs/spec.md, "RST acceptance": RFC 9293
 * section 3.10.7 with RFC 5961 section 3)? In SYN-SENT only an RST that
 * acknowledges its SYN; in LISTEN none; in a synchronized state only one whose
 * sequence number is exactly the next it expects: the sender's next sequence
 * number as far as the capture delivered it, or the highest ack the receiver
 * has sent (when the capture saw neither, it cannot check, and accepts).
 */
static int rst_acceptance(const ts_conn *c, ts_side s, const ts_segment *seg)
{
    const ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];

    switch (y->state) {
    case TS_LISTEN:
        return TS_RST_IGNORED_LISTEN;
    case TS_SYN_SENT:
        return rst_acks_syn(seg, y) ? TS_RST_ACCEPTED : TS_RST_IGNORED_NO_ACK;
    case TS_CLOSED:
        return TS_RST_ACCEPTED; /* nothing left to close */
    default:
        break;
    }
    if (c->segments == 0 || (!x->snd_nxt_known && !rcv_nxt_known(x, y)))
        return TS_RST_ACCEPTED;
    if ((x->snd_nxt_known && seg->seq == x->snd_nxt) || (rcv_nxt_known(x, y) && seg->seq == y->high_ack))
        return TS_RST_ACCEPTED;
    return TS_RST_IGNORED_SEQ;
}

/*
 * docs/spec.md: a segment's content tells what state its sender is in. An RST
 * without ACK whose sequence number is the ack of the segment it answers is
 * what a port without connection sends (RFC 9293 section 3.10.7.1, CLOSED:
 * <SEQ=SEG.ACK><CTL=RST>). Sent by an endpoint the model holds in
 * CLOSE-WAIT, which has not acknowledged the peer's FIN, within a round trip
 * of that FIN (its latest transmission), with that FIN's ack as its number,
 * it is the answer to the FIN: the endpoint had no connection any more when
 * the FIN came. It had aborted before, and that RST was lost before the
 * capture point (an endpoint that aborts a connection it has sends its RST
 * with ACK on Linux, the BSDs and Windows, and would have acknowledged the
 * FIN first; an ABORT without ACK, RFC 9293 section 3.10.5, is not an
 * answer, hence the round trip). Its CLOSE-WAIT is withdrawn: CLOSED.
 * The same answer from an endpoint the model holds in TIME-WAIT, entered on
 * that FIN: in TIME-WAIT it would have acknowledged the FIN (section
 * 3.10.7.4, TIME-WAIT), so it had no connection when the FIN came and never
 * entered TIME-WAIT; that TIME-WAIT is withdrawn.
 */
static void abort_unseen(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    const ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];

    if ((seg->flags & TS_ACK) || (x->state != TS_CLOSE_WAIT && x->state != TS_TIME_WAIT) || x->acked_peer_fin ||
        !y->fin_attempts ||
        !y->high_ack_known || seg->seq != y->high_ack || !crossed(c, s, y->fin_ns, seg->time_ns))
        return;
    move(c, r, s, TS_CLOSED, TS_CAUSE_CORRECTED, seg->time_ns);
    r->events |= TS_EV_ABORT_UNSEEN;
}

static ts_role track_rst(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_side peer = (ts_side)(1 - s);

    /* docs/spec.md: an RST that is not accepted changes no state, its
     * sender's neither: what abort_unseen() reads in it (a closed port's
     * answer) is a correction, and a correction drawn from a segment that
     * changes nothing would be a change (docs/design.md, "RST
     * acceptance"). rst_acceptance() does not read the sender's state. */
    r->rst_ignored = (uint8_t)rst_acceptance(c, s, seg);
    r->rst_kind = (uint8_t)classify_rst(c, s, r, r->rst_ignored != TS_RST_ACCEPTED);
    if (r->rst_ignored != TS_RST_ACCEPTED) {
        r->events |= TS_EV_RST_IGNORED;
        return TS_ROLE_RST;
    }
    abort_unseen(c, s, seg, r);
    /* A reset connection answers nothing: no round-trip sample survives it. */
    c->ep[s].sample_pending = c->ep[peer].sample_pending = 0;
    c->ep[s].before_rst = c->ep[s].state;
    c->ep[peer].before_rst = c->ep[peer].state;
    c->rst_receiver = (uint8_t)peer;
    c->rst_seq = seg->seq;
    c->rst_ns = seg->time_ns;
    c->reset = 1;
    /* The sender aborts (section 3.10.5), the receiver takes the RST
     * (3.10.7); an endpoint already CLOSED or in LISTEN has nothing to close,
     * and a server that never got past LISTEN (the model's listener for a
     * refused SYN) is CLOSED: nobody listened. */
    if (c->ep[s].state != TS_LISTEN) /* a listener answers a stray segment with RST and listens on (3.10.7.2) */
        move(c, r, s, TS_CLOSED, TS_CAUSE_SENT, seg->time_ns);
    move(c, r, peer, TS_CLOSED, TS_CAUSE_RECEIVED, seg->time_ns);
    return TS_ROLE_RST;
}

/*
 * RFC 5961 section 3.2 (docs/spec.md, "RST acceptance"): an endpoint whose
 * next expected sequence number is below an RST's does not take it; it
 * answers with a challenge ACK, an ACK of what it has. Its ack value, not its
 * time, tells it from an ACK that crossed the RST, when the RST follows its
 * sender's last segment (data or FIN): a pure ACK that acknowledges nothing new (an
 * ACK sent before the RST arrived answers data that reached it and moves the
 * ack forward), at least up to that segment and less than the RST's number,
 * says that segment had not arrived (lost after the capture point) and
 * nothing after it could fill the gap: the RST was not the number it
 * expected, whenever that ACK is captured. (An ack below an earlier segment
 * only shows a hole: Linux also accepts an RST at the right edge of the data
 * it holds beyond a hole, RFC 2018's SACK, and its duplicate ACKs for that
 * data are no challenge ACK; the capture cannot tell, so it proves nothing.)
 */
static int challenge_ack(const ts_conn *c, ts_side receiver, const ts_segment *seg, const ts_result *r)
{
    const ts_endpoint *y = &c->ep[1 - receiver]; /* the RST's sender */

    return (seg->flags & (TS_ACK | TS_SYN | TS_FIN | TS_RST)) == TS_ACK && seg->len == 0 &&
           r->acked_new == 0 && y->snd_nxt_known && y->snd_nxt == c->rst_seq && seq_ge(seg->ack, y->last_seq) &&
           seq_gt(c->rst_seq, seg->ack);
}

/*
 * docs/spec.md: an endpoint taken to be CLOSED after an RST that sends
 * anything but an RST in the old connection's sequence space never got the
 * RST - unless it sent that segment before the RST could have reached it -
 * or did not accept it (its challenge ACK, above). Returns 1 when it
 * restored the endpoint.
 */
static int rst_was_lost(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s];

    if (!c->reset || c->rst_receiver != s || x->state != TS_CLOSED || x->before_rst == TS_CLOSED)
        return 0;
    /* A segment sent before the RST could reach it proves nothing, whatever
     * it acknowledges (its ack is below the RST's number when data crossed
     * it too); only one sent later shows the receiver lives on, or its
     * challenge ACK, whose ack value tells it (challenge_ack()). */
    if (crossed(c, s, c->rst_ns, seg->time_ns) && !challenge_ack(c, s, seg, r)) {
        r->events |= TS_EV_STALE;
        return 0;
    }
    move(c, r, s, (ts_state)x->before_rst, TS_CAUSE_CORRECTED, seg->time_ns);
    r->events |= TS_EV_LOST_RST;
    c->reset = 0;
    return 1;
}

/* ---- SYN and SYN-ACK ---- */

typedef enum {
    SYN_FIRST,          /* the connection's opening SYN (or SYN-ACK) */
    SYN_REPEAT,         /* the same ISN again: a retransmission */
    SYN_REORDERED,      /* the original SYN, captured after the SYN-ACK that answers it */
    SYN_CROSSING,       /* the side taken to be listening opens too: simultaneous open */
    SYN_NEW_CONNECTION  /* a new connection on the stream's tuple */
} syn_kind;

/* What is this SYN (or SYN-ACK)? */
static syn_kind classify_syn(const ts_conn *c, ts_side s, const ts_segment *seg, const ts_result *r)
{
    const ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int with_ack = (seg->flags & TS_ACK) != 0;
    uint8_t attempts = with_ack ? x->synack_attempts : x->syn_attempts;
    int same_isn = x->isn_known && seg->seq == x->isn;
    int finished = c->segments > 0 && closed_or_time_wait(r->prev[TS_CLIENT]) &&
                   closed_or_time_wait(r->prev[TS_SERVER]);

    /* After a normal close the same ISN is still a new connection only in
     * theory; after a reset, the RST may not have reached the sender. */
    if (attempts > 0 && same_isn && (!finished || c->reset || with_ack))
        return SYN_REPEAT;
    if (with_ack)
        return finished && !same_isn ? SYN_NEW_CONNECTION : SYN_FIRST;
    if (attempts == 0 && same_isn && x->state != TS_CLOSED && x->state != TS_LISTEN && !finished)
        return SYN_REORDERED;
    if (y->syn_attempts > 0 && x->syn_attempts == 0 && x->synack_attempts == 0 &&
        (x->state == TS_LISTEN || x->state == TS_SYN_RECEIVED))
        return SYN_CROSSING;
    if (finished || attempts > 0 ||
        (x->state != TS_CLOSED && x->state != TS_LISTEN && x->state != TS_SYN_SENT) ||
        (x->state == TS_SYN_SENT && x->isn_known && !same_isn))
        return SYN_NEW_CONNECTION;
    return SYN_FIRST;
}

/* A SYN without ACK: what it changes (sections 3.10.1, 3.10.7.2, 3.10.7.3). */
static void apply_syn(ts_conn *c, ts_side s, const ts_segment *seg, syn_kind kind, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int64_t now = seg->time_ns;

    switch (kind) {
    case SYN_REPEAT:
        r->events |= TS_EV_RETRANSMISSION;
        r->attempt = count_attempt(&x->syn_attempts);
        if (rst_was_lost(c, s, seg, r))
            break;
        if (x->state == TS_ESTABLISHED && x->synack_attempts == 0 && !c->handshake_acked &&
            y->synack_attempts > 0) {
            /* It repeats its SYN although a SYN-ACK moved it to ESTABLISHED:
             * that SYN-ACK never reached it - unless the two crossed. */
            if (crossed_in_handshake(c, s, y->syn_ns, now)) {
                r->events |= TS_EV_STALE;
            } else {
                move(c, r, s, TS_SYN_SENT, TS_CAUSE_CORRECTED, now);
                r->events |= TS_EV_LOST_SYN_ACK;
            }
        }
        break;
    case SYN_REORDERED:
        /* The opening SYN, captured late: its receiver got it before the
         * SYN-ACK it answered, so it changes nothing now (a stale segment). */
        x->syn_attempts = 1;
        r->events |= TS_EV_REORDERED;
        r->step = 1;
        c->assumed = 0;
        x->syn_len = seg->len;
        return;
    case SYN_CROSSING:
        /* Simultaneous open (RFC 9293 section 3.5, figure 7): the side taken
         * to be listening had sent its own SYN and received the peer's:
         * it is SYN-RECEIVED, and never was LISTEN. */
        move(c, r, s, TS_SYN_RECEIVED, TS_CAUSE_CORRECTED, now);
        r->events |= TS_EV_SIMULTANEOUS_OPEN;
        r->step = 1;
        break;
    case SYN_NEW_CONNECTION:
        if (c->segments > 0)
            r->events |= TS_EV_NEW_CONNECTION;
        conn_open_fresh(c, r, s, now);
        /* fall through */
    default:
        move(c, r, s, TS_SYN_SENT, TS_CAUSE_SENT, now);
        r->step = 1;
        break;
    }
    if (x->syn_attempts == 0)
        x->syn_attempts = 1;
    x->isn = seg->seq;
    x->isn_known = 1;
    x->syn_len = seg->len;
    x->syn_ns = now;
    if (c->first_syn_ns < 0)
        c->first_syn_ns = now;

    /* The receiver: LISTEN or SYN-SENT (crossing SYNs) goes SYN-RECEIVED. */
    if (y->state == TS_LISTEN || y->state == TS_SYN_SENT)
        move(c, r, (ts_side)(1 - s), TS_SYN_RECEIVED, TS_CAUSE_RECEIVED, now);
}

/* A SYN-ACK: what it changes (sections 3.10.7.2-3.10.7.4). */
static void apply_syn_ack(ts_conn *c, ts_side s, const ts_segment *seg, syn_kind kind, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    ts_side peer = (ts_side)(1 - s);
    int64_t now = seg->time_ns;

    switch (kind) {
    case SYN_REPEAT:
        r->events |= TS_EV_RETRANSMISSION;
        r->attempt = count_attempt(&x->synack_attempts);
        /* It repeats its SYN-ACK after the handshake-ack: no ACK of its SYN
         * reached it - unless the two crossed, or it has sent data since
         * (which only an ESTABLISHED endpoint does). */
        if (x->state == TS_ESTABLISHED && c->handshake_acked &&
            (!x->snd_nxt_known || x->snd_nxt == x->isn + 1u + x->syn_len)) {
            if (crossed_in_handshake(c, s, c->handshake_ack_ns, now)) {
                r->events |= TS_EV_STALE;
            } else {
                move(c, r, s, TS_SYN_RECEIVED, TS_CAUSE_CORRECTED, now);
                r->events |= TS_EV_LOST_HANDSHAKE_ACK;
            }
        }
        break;
    case SYN_NEW_CONNECTION:
        /* A SYN-ACK with a new ISN after the old connection finished: the
         * server's answer to a new SYN the capture missed. */
        r->events |= TS_EV_NEW_CONNECTION;
        conn_open_fresh(c, r, peer, now);
        move(c, r, peer, TS_SYN_SENT, TS_CAUSE_ASSUMED, now);
        y->isn = seg->ack - 1;
        y->isn_known = 1;
        move(c, r, s, TS_SYN_RECEIVED, TS_CAUSE_ASSUMED, now);
        r->step = 2;
        break;
    default:
        if (x->state == TS_CLOSED || x->state == TS_LISTEN || x->state == TS_SYN_SENT) {
            /* A SYN-ACK is sent from SYN-RECEIVED: it had received a SYN that
             * the model had not delivered to it. */
            move(c, r, s, TS_SYN_RECEIVED, TS_CAUSE_CORRECTED, now);
            r->events |= TS_EV_SYN_UNSEEN;
        } else if (x->state != TS_SYN_RECEIVED && x->state != TS_ESTABLISHED) {
            r->events |= TS_EV_UNEXPECTED;
        }
        /* An ESTABLISHED sender of a first SYN-ACK is the other half of
         * crossing SYN-ACKs in a simultaneous open: it stays ESTABLISHED. */
        r->step = 2;
        break;
    }
    /* A SYN-ACK is sent from SYN-RECEIVED, which has taken no FIN: one
     * acknowledging the peer's FIN fits no transition. */
    if (acks_fin(seg, y))
        r->events |= TS_EV_UNEXPECTED;
    if (x->synack_attempts == 0)
        x->synack_attempts = 1;
    x->isn = seg->seq;
    x->isn_known = 1;
    x->syn_ns = now;

    /* The receiver: SYN-SENT or SYN-RECEIVED, when it acknowledges its SYN. */
    if ((y->state == TS_SYN_SENT || y->state == TS_SYN_RECEIVED) && acks_syn(seg, y))
        move(c, r, peer, TS_ESTABLISHED, TS_CAUSE_RECEIVED, now);
}

/* ---- Everything else: data, ACKs, FINs ---- */

/*
 * docs/spec.md: a segment's content tells what state its sender is in. Only a
 * synchronized endpoint sends data or acknowledges the peer's data (or, from
 * SYN-SENT, acknowledges the peer's SYN) - except a server that accepted data
 * on the client's SYN (TCP Fast Open, RFC 7413), which may send data from
 * SYN-RECEIVED acknowledging no more than that SYN carried.
 */
static void content_proves_synchronized(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int ack = (seg->flags & TS_ACK) != 0;
    int proves;

    switch (x->state) {
    case TS_SYN_SENT:
        proves = ack && acks_syn(seg, y);
        break;
    case TS_SYN_RECEIVED: {
        int tfo = y->syn_len > 0;
        int acks_peer_data = ack && y->isn_known && seq_gt(seg->ack, y->isn + 1u + y->syn_len);
        proves = acks_peer_data || (seg->len > 0 && !tfo);
        break;
    }
    case TS_LISTEN:
        proves = ack || seg->len > 0;
        break;
    default:
        return;
    }
    if (!proves)
        return;
    move(c, r, s, TS_ESTABLISHED, TS_CAUSE_CORRECTED, seg->time_ns);
    r->events |= TS_EV_SYNCHRONIZED;
}

/*
 * docs/spec.md: a segment's ack tells what its sender has received. The
 * handshake-ack that carried data moved its receiver to ESTABLISHED; when
 * the receiver's next segment is a pure ACK that acknowledges only the
 * peer's SYN, neither that ACK nor its data reached it: it is still
 * SYN-RECEIVED (an endpoint that got them acknowledges the data; one in
 * SYN-RECEIVED answers a segment it cannot accept, such as an RST that is
 * not the next number it expects, with an ACK of what it has: RFC 9293
 * section 3.10.7.4, RFC 5961 section 3.2). A repeat of its SYN+ACK is
 * apply_syn_ack()'s proof. Such an ACK cannot have crossed the handshake-ack
 * when the peer sent one SYN: before the handshake-ack it had nothing else to
 * answer.
 */
static void handshake_ack_lost(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    const ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];

    if (c->handshake_data != 1u + s || x->state != TS_ESTABLISHED || seg->len ||
        (seg->flags & (TS_ACK | TS_FIN)) != TS_ACK || !y->isn_known || y->syn_attempts != 1 ||
        seg->ack != y->isn + 1u + y->syn_len)
        return;
    move(c, r, s, TS_SYN_RECEIVED, TS_CAUSE_CORRECTED, seg->time_ns);
    r->events |= TS_EV_LOST_HANDSHAKE_ACK;
}

/*
 * docs/spec.md: a segment's ack tells what its sender has received. An ack
 * that does not cover the peer's FIN which the model had delivered, on a
 * segment captured more than a round trip after that FIN, proves the FIN was
 * lost after the capture point; an ack that covers a FIN the model had taken
 * as lost proves it arrived (a retransmission the capture missed). Crossing
 * FINs are left to send_fin(). Returns 1 when it took the peer's FIN back.
 */
static int ack_tells_peer_fin(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];

    if (!(seg->flags & TS_ACK) || !y->fin_attempts || c->reset)
        return 0;
    if (!x->got_peer_fin) {
        if (acks_fin(seg, y) && x->state >= TS_ESTABLISHED) {
            x->got_peer_fin = 1;
            /* The peer sent its FIN after it had x's FIN (a passive
             * closer): every copy of that FIN acknowledges x's FIN too
             * (its ack is cumulative), so the copy that reached x did. */
            if (x->fin_attempts && !x->fin_acked && y->passive_closer) {
                x->fin_acked = 1;
                x->fin_acked_ns = seg->time_ns;
            }
            move(c, r, s, close_state(x), TS_CAUSE_CORRECTED, seg->time_ns);
            r->events |= TS_EV_GOT_UNSEEN_FIN;
        }
        return 0;
    }
    if (x->acked_peer_fin || acks_fin(seg, y))
        return 0;
    if (crossed(c, s, y->fin_ns, seg->time_ns)) {
        if (!(seg->flags & TS_FIN))
            r->events |= TS_EV_STALE;
        return 0;
    }
    x->got_peer_fin = 0;
    move(c, r, s, close_state(x), TS_CAUSE_CORRECTED, seg->time_ns);
    r->events |= TS_EV_LOST_FIN;
    return 1;
}

/*
 * docs/spec.md: a segment's content tells what its sender did. A FIN takes
 * one sequence number (RFC 9293 section 3.3.1): a segment without payload
 * whose sequence number is one beyond everything its sender was seen to send
 * follows a FIN of its sender that the capture did not see (lost before the
 * capture point). That FIN reached nobody, as far as the capture shows; its
 * sender closed when it sent it. A lost 1-byte data segment leaves the same
 * gap, and its sender's next segment can be a pure ACK too (the byte's
 * retransmission comes a timeout later): then this inference is wrong, the
 * sentence says so (core/describe.c), and that retransmission shows it
 * (unseen_fin_was_data(); docs/accuracy.md, kind 11).
 */
static void unseen_fin(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    ts_state to;

    if (x->fin_attempts || !x->snd_nxt_known || seg->len || (seg->flags & (TS_FIN | TS_SYN)) ||
        seg->seq != x->snd_nxt + 1u || x->state < TS_ESTABLISHED || c->reset)
        return;
    x->fin_attempts = 1;
    x->fin_seq = x->snd_nxt;
    x->fin_ns = seg->time_ns;
    x->fin_role = TS_ROLE_FIN;
    c->fins_unseen |= (uint8_t)(1u << s);
    /* Which went first, that FIN or the peer's reaching it, its own ack
     * would tell, and it is unseen. This segment tells it when it is the
     * answer to the peer's FIN: it acknowledges that FIN, which the peer has
     * sent once, and comes within a round trip of it (docs/spec.md, stale
     * segments). Had the peer's FIN come first, that answer would be sent
     * before the FIN, with the FIN's own sequence number (or ride on the
     * FIN); its number shows the FIN was already out: the two FINs crossed,
     * its sender went FIN-WAIT-1 -> CLOSING (RFC 9293 section 3.6, figure
     * 13). Otherwise the model's view stands. */
    if (x->got_peer_fin && !x->acked_peer_fin && acks_fin(seg, y) && y->fin_attempts == 1 &&
        crossed(c, s, y->fin_ns, seg->time_ns)) {
        x->passive_closer = 0;
        r->events |= TS_EV_SIMULTANEOUS_CLOSE;
    } else {
        x->passive_closer = x->got_peer_fin;
    }
    to = close_state(x);
    move(c, r, s, to, TS_CAUSE_CORRECTED, seg->time_ns);
    r->events |= TS_EV_FIN_UNSEEN;
}

/*
 * docs/spec.md: a segment's content tells what its sender did. Data on the
 * very sequence number unseen_fin() took for a FIN shows that the number was
 * one byte of data the capture missed (lost before the capture point, or
 * not captured; this is its retransmission): the FIN never existed
 * (docs/accuracy.md, kind 11). The
 * sender is back where it was without it (RFC 9293 section 3.3.2). A
 * receiver whose ack covered that number had the byte, not a FIN: it is
 * back too, and an acknowledgment of that FIN counted as a close milestone
 * is not one. A captured FIN on that number would instead have confirmed
 * the inference (track_other() then forgets the doubt). One byte on that
 * number which the receiver has already acknowledged proves nothing: a
 * keep-alive probe after the FIN looks the same (RFC 9293 section 3.8.4
 * lets a probe carry one byte of garbage).
 */
static void unseen_fin_was_data(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];

    if (!(c->fins_unseen & (1u << s)) || !seg->len || seq_gt(seg->seq, x->fin_seq) ||
        !seq_gt(seg->seq + seg->len, x->fin_seq) || c->reset)
        return;
    if (seg->len == 1 && y->high_ack_known && seq_gt(y->high_ack, x->fin_seq))
        return;
    c->fins_unseen &= (uint8_t)~(1u << s);
    x->fin_attempts = 0;
    x->fin_acked = 0;
    x->passive_closer = 0;
    move(c, r, s, close_state(x), TS_CAUSE_CORRECTED, seg->time_ns);
    if (y->got_peer_fin) {
        y->got_peer_fin = 0;
        y->passive_closer = 0;
        if (y->acked_peer_fin && c->td_steps > 0 && --c->td_steps < 2)
            c->td_total = 0;
        y->acked_peer_fin = 0;
        move(c, r, (ts_side)(1 - s), close_state(y), TS_CAUSE_CORRECTED, seg->time_ns);
    }
    r->events |= TS_EV_FIN_WAS_DATA;
}

/*
 * What the receiver's timestamp echo shows about a FIN left in doubt
 * (TS_EV_CANNOT_SHOW; docs/spec.md, "What the capture cannot show"). An
 * endpoint echoes in TSecr its TS.Recent, the TSval of a segment it
 * received. RFC 7323 section 4.3 (as RFC 1323 before it, where SEG.LEN
 * counts the FIN: RFC 9293 section 3.3.1) copies an arriving segment's TSval
 * to TS.Recent when SEG.SEQ <= Last.ACK.sent (< SEG.SEQ + SEG.LEN in RFC
 * 1323). A receiver that never had the FIN, and had acknowledged everything
 * before it, has Last.ACK.sent = the repeat's SEG.SEQ: the repeat is new to
 * it, updates TS.Recent, and every echo from then on is the repeat's TSval or
 * later. So an answer that acknowledges the FIN and echoes an older TSval
 * shows that an earlier copy had reached it: the model's story.
 *
 * The other way round needs the receiver's state. A receiver that had the
 * first FIN finds the repeat outside its window (it ends at RCV.NXT: RFC
 * 9293 section 3.10.7.4, first check), and RFC 7323 section 5.3 rejects such
 * a segment (R2) before recording its timestamp (R3): it keeps echoing an
 * older TSval. Linux does so in TIME-WAIT, but in CLOSE-WAIT or CLOSING it
 * counts a segment that ends at the number it expects as inside the window
 * and takes its timestamp (docs/accuracy.md, kind 3). So an echo of the
 * repeat's own TSval shows that the repeat was new to its receiver when the
 * model had that receiver in TIME-WAIT, and the repeat's TSval is newer than
 * every one its sender sent since its first FIN (none of those could have
 * put it there); elsewhere it settles nothing.
 */
/* The repeat `seg` of side s raised the doubt: can an answer settle it? Only
 * with timestamps, only for the first such repeat (a later one's TSval would
 * let an echo of the first repeat pass for an older copy), and only when the
 * receiver's captured acks reach the repeat's start (its Last.ACK.sent). A
 * receiver in TIME-WAIT is tested only as below: there an echo of the
 * repeat's own TSval settles it the other way. */
static void echo_doubt_open(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    const ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int in_time_wait = y->state == TS_TIME_WAIT;

    if (c->echo_doubt == 2u - s) {
        r->events |= TS_EV_ECHO_TEST;
        return;
    }
    if (!seg->has_ts || c->echo_doubt || !y->high_ack_known || !seq_ge(y->high_ack, seg->seq))
        return;
    /* In TIME-WAIT, the answer can show the other story only when the
     * repeat's TSval is newer than its sender's since its first FIN, and
     * the receiver's FIN was acknowledged by a segment of its own (x->fin_ns
     * is still the previous transmission's time here): without the earlier
     * FIN it was then FIN-WAIT-2, the state the texts name. */
    if (in_time_wait && !(x->fin_tsval_known && seq_gt(seg->tsval, x->tsval_since_fin) && y->fin_acked &&
                          y->fin_acked_ns != x->fin_ns))
        return;
    c->echo_doubt = (uint8_t)(2u - s);
    c->echo_tsval = seg->tsval;
    c->echo_new_shows = (uint8_t)in_time_wait;
    r->events |= TS_EV_ECHO_TEST;
}

/* A segment of the receiver in doubt: the first that acknowledges the FIN
 * settles it by its echo, for the model's story (SHOWN_BY_ECHO) or, from
 * TIME-WAIT, for the other one (NEW_BY_ECHO), or says that its echo could
 * not (ECHO_TEST alone); an RST ends the test. */
static void echo_doubt_answer(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    if (c->echo_doubt != 1u + s)
        return;
    if (seg->flags & TS_RST) {
        c->echo_doubt = 0;
        return;
    }
    if (!acks_fin(seg, &c->ep[1 - s]))
        return;
    c->echo_doubt = 0;
    if (!seg->has_ts)
        return;
    /* Timestamps compare modulo 2^32 as sequence numbers do (RFC 7323
     * section 5.2): the echo is older when the repeat's TSval is after it. */
    if (seq_gt(c->echo_tsval, seg->tsecr)) {
        r->events |= TS_EV_SHOWN_BY_ECHO;
    } else if (c->echo_new_shows) {
        /* Tested from TIME-WAIT; no claim if it has left it since (an
         * expiry, a new connection). */
        if (c->ep[s].state != TS_TIME_WAIT)
            return;
        /* The peer's earlier FIN was lost after the capture point: this
         * endpoint was in the same close without it until the repeat came
         * and took it to TIME-WAIT (RFC 9293 section 3.10.7.4, FIN-WAIT-2
         * with a FIN). That is the state it is in, and its 2MSL timer ran
         * from the repeat in the model's story too (a FIN in TIME-WAIT
         * restarts it): only the states before the repeat were another. */
        r->events |= TS_EV_NEW_BY_ECHO;
    } else {
        r->events |= TS_EV_ECHO_TEST;
    }
}

/*
 * A passive closer's first captured FIN, with no captured ACK of the peer's
 * FIN before it (docs/accuracy.md, kind 10). When the peer repeated its FIN,
 * or more time has passed since that FIN than a delayed ACK waits (200 ms on
 * Linux and Windows; RFC 1122 section 4.2.3.2 allows up to 500 ms) plus the
 * way back to the capture point, the model's story needs an ACK lost before
 * the capture point: the FIN reached it, it acknowledged it in CLOSE-WAIT,
 * and its application closed later. Another story sends the same segments:
 * its FIN went out before the peer's arrived and was lost before the capture
 * point, its ACK of the peer's FIN too (FIN-WAIT-1, then CLOSING), and this
 * FIN is that FIN's repeat (a simultaneous close, RFC 9293 section 3.6). The
 * model's story needs one loss, the other two: the model stands, and the
 * segment says what the capture cannot show (core/unshown.c).
 */
#define TS_DELAYED_ACK_MAX_NS ((int64_t)200000000)

static int fin_may_repeat(const ts_conn *c, ts_side s, const ts_segment *seg)
{
    const ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];

    if (x->state != TS_CLOSE_WAIT || !x->got_peer_fin || x->acked_peer_fin || c->reset || !acks_fin(seg, y))
        return 0;
    return y->fin_attempts > 1 || seg->time_ns - y->fin_ns > TS_DELAYED_ACK_MAX_NS + (int64_t)x->rtt_us * 1000;
}

/*
 * The sender's half of a FIN (RFC 9293 section 3.10.4, CLOSE): ESTABLISHED
 * (or SYN-RECEIVED) goes to FIN-WAIT-1, CLOSE-WAIT to LAST-ACK. Returns 1 for
 * a retransmission. A FIN that does not acknowledge the peer's FIN it crossed
 * makes a simultaneous close; a repeated FIN proves its ACK was lost.
 */
static int send_fin(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int64_t now = seg->time_ns;

    if (x->fin_attempts > 0) {
        ts_state was = (ts_state)x->state, now_state;

        r->events |= TS_EV_RETRANSMISSION;
        r->attempt = count_attempt(&x->fin_attempts);
        /* The model had delivered the first transmission, and no segment of
         * the receiver acknowledging it was captured: the repeat shows that
         * the FIN or that acknowledgment was lost, not which. The model's
         * story stands (docs/spec.md); the segment says what the capture
         * cannot show when the other story gives the receiver another state
         * (core/unshown.c; docs/accuracy.md, kind 3). */
        if (y->got_peer_fin && !y->acked_peer_fin && !c->reset &&
            (y->state == TS_CLOSING || y->state == TS_TIME_WAIT || y->state == TS_CLOSE_WAIT)) {
            r->events |= TS_EV_CANNOT_SHOW;
            echo_doubt_open(c, s, seg, r);
        }
        /* A segment of the peer that crosses this repeat proves nothing
         * about the first transmission (docs/spec.md, stale segments): the
         * round trip counts from the latest. */
        x->fin_ns = now;
        if (x->fin_state_pending) {
            /* Its first FIN came from a state that sends none and moved
             * nothing; this one, from a synchronized state, closes. */
            x->fin_state_pending = 0;
            if (x->state == TS_CLOSE_WAIT)
                move(c, r, s, TS_LAST_ACK, TS_CAUSE_SENT, now);
            else if (x->state == TS_ESTABLISHED || x->state == TS_SYN_RECEIVED)
                move(c, r, s, TS_FIN_WAIT_1, TS_CAUSE_SENT, now);
            x->passive_closer = x->got_peer_fin;
            return 1;
        }
        if (!x->fin_acked)
            return 1;
        /* An ACK of its FIN reached it (in the model): unless the repeat
         * crossed that ACK, the ACK was lost. Whether it has the peer's FIN
         * is what this FIN's own ack says (a peer FIN that travelled in the
         * lost segment was lost with it). */
        if (crossed(c, s, x->fin_acked_ns, now)) {
            r->events |= TS_EV_STALE;
            return 1;
        }
        x->fin_acked = 0;
        if (y->fin_attempts && x->got_peer_fin && !acks_fin(seg, y) && !x->acked_peer_fin)
            x->got_peer_fin = 0;
        now_state = close_state(x);
        move(c, r, s, now_state, TS_CAUSE_CORRECTED, now);
        if (was == TS_CLOSED && now_state == TS_LAST_ACK)
            r->events |= TS_EV_LOST_FINAL_ACK;
        else
            r->events |= TS_EV_LOST_ACK_OF_FIN;
        return 1;
    }

    x->fin_attempts = 1;
    x->fin_seq = seg->seq + seg->len;
    x->fin_ns = now;
    if (y->fin_attempts > 0 && x->got_peer_fin && !x->acked_peer_fin && !acks_fin(seg, y)) {
        /* The peer's FIN had not reached it when it sent this one: it went
         * ESTABLISHED -> FIN-WAIT-1, and with the peer's FIN, CLOSING
         * (RFC 9293 section 3.6, figure 13, simultaneous close). */
        x->passive_closer = 0;
        move(c, r, s, TS_CLOSING, TS_CAUSE_CORRECTED, now);
        r->events |= TS_EV_SIMULTANEOUS_CLOSE;
        return 0;
    }
    x->passive_closer = x->got_peer_fin;
    if (fin_may_repeat(c, s, seg))
        r->events |= TS_EV_CANNOT_SHOW | TS_EV_FIN_MAY_REPEAT;
    if (x->state == TS_CLOSE_WAIT)
        move(c, r, s, TS_LAST_ACK, TS_CAUSE_SENT, now);
    else if (x->state == TS_ESTABLISHED || x->state == TS_SYN_RECEIVED)
        move(c, r, s, TS_FIN_WAIT_1, TS_CAUSE_SENT, now);
    else
        r->events |= TS_EV_UNEXPECTED;
    return 0;
}

/* The receiver's half of the ACK field (RFC 9293 section 3.10.7.4, "fifth,
 * check the ACK field"). Returns 1 if it completed the handshake. */
static int receive_ack(ts_conn *c, ts_side receiver, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *y = &c->ep[receiver];
    int established = 0;

    if (y->state == TS_SYN_RECEIVED && acks_syn(seg, y)) {
        move(c, r, receiver, TS_ESTABLISHED, TS_CAUSE_RECEIVED, seg->time_ns);
        established = 1;
    }
    if (acks_fin(seg, y) && !y->fin_acked &&
        (y->state == TS_FIN_WAIT_1 || y->state == TS_CLOSING || y->state == TS_LAST_ACK)) {
        y->fin_acked = 1;
        y->fin_acked_ns = seg->time_ns;
        move(c, r, receiver, close_state(y), TS_CAUSE_RECEIVED, seg->time_ns);
    }
    return established;
}

/* The receiver's half of a FIN (RFC 9293 section 3.10.7.4, "eighth, check the
 * FIN bit"), after the ACK field was processed. */
static void receive_fin(ts_conn *c, ts_side receiver, int64_t now, ts_result *r)
{
    ts_endpoint *y = &c->ep[receiver];

    switch (y->state) {
    case TS_SYN_RECEIVED:
    case TS_ESTABLISHED:
        y->got_peer_fin = 1;
        move(c, r, receiver, TS_CLOSE_WAIT, TS_CAUSE_RECEIVED, now);
        break;
    case TS_FIN_WAIT_1:
        /* Its own FIN is not acknowledged yet (else the ACK check would
         * have moved it to FIN-WAIT-2). */
        y->got_peer_fin = 1;
        move(c, r, receiver, TS_CLOSING, TS_CAUSE_RECEIVED, now);
        break;
    case TS_FIN_WAIT_2:
    case TS_TIME_WAIT:
        /* A FIN in TIME-WAIT restarts the 2 MSL timer. */
        y->got_peer_fin = 1;
        move(c, r, receiver, TS_TIME_WAIT, TS_CAUSE_RECEIVED, now);
        break;
    default:
        break; /* CLOSE-WAIT, CLOSING, LAST-ACK: a repeated FIN; CLOSED, LISTEN, SYN-SENT: ignored */
    }
}

/* A keep-alive probe (RFC 9293 section 3.8.4; docs/spec.md's role table):
 * sequence number one below the next one, with no byte or one byte that the
 * peer has already acknowledged; never after its own FIN. */
static int keepalive_probe(const ts_endpoint *x, const ts_endpoint *y, const ts_segment *seg)
{
    if ((seg->flags & (TS_SYN | TS_FIN | TS_RST)) || !x->snd_nxt_known || x->fin_attempts)
        return 0;
    if (seg->seq != x->snd_nxt - 1u || seg->len > 1)
        return 0;
    return seg->len == 0 || (y->high_ack_known && seq_ge(y->high_ack, x->snd_nxt));
}

/* A segment without SYN and RST: the data and close part of the life. */
static ts_role track_other(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    ts_side peer = (ts_side)(1 - s);
    int fin = (seg->flags & TS_FIN) != 0;
    int had_fin, first_ack_of_fin, fin_again = 0, keepalive;
    ts_role role;

    /* What the segment proves about its sender, before what it does. */
    rst_was_lost(c, s, seg, r);
    handshake_ack_lost(c, s, seg, r);
    content_proves_synchronized(c, s, seg, r);
    ack_tells_peer_fin(c, s, seg, r);
    unseen_fin_was_data(c, s, seg, r);
    unseen_fin(c, s, seg, r);
    /* A captured FIN of a sender whose FIN was inferred is a copy of it
     * (its number is the inferred one, else unseen_fin_was_data() had
     * withdrawn it): nothing is left in doubt. */
    if (fin)
        c->fins_unseen &= (uint8_t)~(1u << s);

    /* A segment of a sender that the ACK of its FIN has just closed,
     * captured within a round trip of that ACK, was sent before the ACK
     * reached it (docs/spec.md, stale segments): e.g. its answer to a
     * repeated FIN that crossed its own FIN+ACK. It changes nothing, and
     * its words say it was sent before the close (core/describe_sentence.c). */
    if (x->state == TS_CLOSED && x->fin_acked && !fin && crossed(c, s, x->fin_acked_ns, seg->time_ns))
        r->events |= TS_EV_STALE;

    had_fin = x->fin_attempts > 0;
    /* After an RST, acknowledging an old FIN closes nothing any more. */
    first_ack_of_fin = acks_fin(seg, y) && !x->acked_peer_fin && !c->reset;
    keepalive = keepalive_probe(x, y, seg);
    if (keepalive)
        r->events |= TS_EV_KEEPALIVE;

    if (seg->len > 0 && !keepalive) {
        if (y->fin_attempts > 0 && !had_fin && !x->half_close_noted) {
            x->half_close_noted = 1;
            r->events |= TS_EV_HALF_CLOSE;
        }
        if (had_fin && seq_gt(seg->seq + seg->len, x->fin_seq))
            r->events |= TS_EV_DATA_AFTER_FIN;
    }

    /* A first FIN is sent by a synchronized endpoint (CLOSE in CLOSED, LISTEN
     * or SYN-SENT sends none: RFC 9293 section 3.10.4); one from such a state
     * fits no transition. (A repeated FIN from CLOSED is a proof: send_fin.) */
    if (fin && !x->fin_attempts &&
        (x->state == TS_CLOSED || x->state == TS_LISTEN || x->state == TS_SYN_SENT)) {
        r->events |= TS_EV_UNEXPECTED;
        x->fin_attempts = 1; /* its repeat is still a repeat (attempt 2) */
        x->fin_seq = seg->seq + seg->len;
        x->fin_ns = seg->time_ns;
        x->fin_role = TS_ROLE_FIN;
        x->fin_state_pending = 1;
        return TS_ROLE_FIN;
    }
    if (fin)
        fin_again = send_fin(c, s, seg, r);

    /* RFC 9293 section 3.10.7.4, first check sequence number: a receiver
     * that got the sender's SYN expects ISN + 1 or more, so a FIN without
     * data on the SYN's own number lies wholly before its window (zeek's
     * fin_retransmission.pcap). It answers with an ACK and drops the
     * segment: neither its ACK nor its FIN is processed. The sender's own
     * close (above) stands. core/explain.c says so in the seq line. */
    if (fin && seg->len == 0 && x->isn_known && seg->seq == x->isn && y->state >= TS_SYN_RECEIVED) {
        /* As a FIN without ACK below: its role, no step. */
        if (!fin_again)
            x->fin_role = TS_ROLE_FIN;
        return fin_again ? (ts_role)x->fin_role : TS_ROLE_FIN;
    }

    /* A synchronized receiver drops a segment without ACK (RFC 9293 section
     * 3.10.7.4, fifth check: "if the ACK bit is off drop the segment"). */
    if (!(seg->flags & TS_ACK) && y->state >= TS_SYN_RECEIVED) {
        role = fin ? (fin_again ? (ts_role)x->fin_role : TS_ROLE_FIN)
                   : seg->len > 0 && !keepalive ? TS_ROLE_DATA : TS_ROLE_ACK;
        if (fin && !fin_again)
            x->fin_role = TS_ROLE_FIN;
        return role;
    }

    if (receive_ack(c, peer, seg, r) && !fin_again) {
        role = TS_ROLE_HANDSHAKE_ACK;
        if (!c->handshake_acked) {
            c->handshake_acked = 1;
            c->handshake_ack_ns = seg->time_ns;
            c->handshake_data = seg->len > 0 ? (uint8_t)(1u + peer) : 0;
            r->step = 3;
            /* A capture whose clock steps back (merged or re-ordered files)
             * has no meaningful RTT: none rather than a negative one. */
            if (c->first_syn_ns >= 0 && seg->time_ns >= c->first_syn_ns)
                c->handshake_rtt_ns = seg->time_ns - c->first_syn_ns;
        }
        /* A FIN on it is still the close's first milestone, though the
         * segment is shown as the handshake-ack (the role table's order). */
        if (fin && !c->reset && c->td_steps == 0)
            c->td_steps = 1;
    } else if (fin) {
        /* A retransmission keeps the role of the FIN it repeats. */
        role = fin_again ? (ts_role)x->fin_role
                         : first_ack_of_fin ? TS_ROLE_FIN_ACK_OF_FIN : TS_ROLE_FIN;
    } else if (first_ack_of_fin) {
        role = had_fin ? TS_ROLE_FINAL_ACK : TS_ROLE_ACK_OF_FIN;
    } else {
        role = seg->len > 0 && !keepalive ? TS_ROLE_DATA : TS_ROLE_ACK;
    }
    if (fin && !fin_again)
        x->fin_role = (uint8_t)(first_ack_of_fin ? TS_ROLE_FIN_ACK_OF_FIN : TS_ROLE_FIN);
    if (role == TS_ROLE_FIN_ACK_OF_FIN && !fin_again)
        r->events |= TS_EV_MERGED_CLOSE;
    if (first_ack_of_fin)
        x->acked_peer_fin = 1;

    if (fin)
        receive_fin(c, peer, seg->time_ns, r);

    if (ts_role_is_teardown(role) && !fin_again && !c->reset && c->td_steps < 4) {
        r->step = ++c->td_steps;
        /* The second milestone tells the kind of close: a merged FIN+ACK
         * makes it a three-way close, anything else a four-way one. */
        if (r->step == 2)
            c->td_total = role == TS_ROLE_FIN_ACK_OF_FIN ? 3 : 4;
    }
    return role;
}

static ts_phase phase_of(ts_role role, const ts_result *r)
{
    unsigned cs = r->prev[TS_CLIENT], ss = r->prev[TS_SERVER];

    if (role == TS_ROLE_RST)
        return TS_PHASE_RESET;
    if (ts_role_is_handshake(role))
        return TS_PHASE_HANDSHAKE;
    if (ts_role_is_teardown(role) || closing_state(cs) || closing_state(ss))
        return TS_PHASE_TEARDOWN;
    if (closed_or_time_wait(cs) && closed_or_time_wait(ss))
        return TS_PHASE_CLOSED;
    return TS_PHASE_DATA;
}

/* How far this segment moves its sender's acknowledgment forward. The first
 * ACK counts from the peer's ISN when it is known (so the handshake-ack
 * acknowledges 1: the SYN), else it only sets the mark. */
static uint32_t track_acked(ts_endpoint *x, const ts_endpoint *y, const ts_segment *seg)
{
    uint32_t from, n = 0;

    if (!(seg->flags & TS_ACK))
        return 0;
    if (x->high_ack_known)
        from = x->high_ack;
    else if (y->isn_known)
        from = y->isn;
    else
        from = seg->ack;
    if (seq_gt(seg->ack, from))
        n = seg->ack - from;
    if (!x->high_ack_known || seq_gt(seg->ack, x->high_ack)) {
        x->high_ack = seg->ack;
        x->high_ack_known = 1;
    }
    return n;
}

/* The newest TSval an endpoint sent from its first FIN on (echo_doubt_open
 * compares a repeat's with it), kept only from then: a closing stream's
 * bytes, not every segment's. */
static void note_tsval_since_fin(ts_endpoint *x, const ts_segment *seg)
{
    if (!seg->has_ts || !x->fin_attempts || (seg->flags & TS_RST))
        return;
    if (!x->fin_tsval_known || seq_gt(seg->tsval, x->tsval_since_fin)) {
        x->tsval_since_fin = seg->tsval;
        x->fin_tsval_known = 1;
    }
}

/* Flag combinations no TCP stack sends in a normal connection. */
static int odd_flags(uint16_t flags)
{
    int syn = (flags & TS_SYN) != 0, fin = (flags & TS_FIN) != 0, rst = (flags & TS_RST) != 0;

    return (syn && fin) || (syn && rst) || (fin && rst) || !(flags & (TS_SYN | TS_RST | TS_ACK));
}

void ts_conn_track(ts_conn *c, const ts_config *cfg, const ts_segment *seg, ts_result *r)
{
    ts_side s;
    ts_role role;

    memset(r, 0, sizeof *r);
    if (c->segments == 0)
        conn_first_segment(c, seg, r);
    s = (seg->from_first != 0) == (c->client_is_first != 0) ? TS_CLIENT : TS_SERVER;
    r->sender = (uint8_t)s;

    expire_time_wait(c, cfg, seg->time_ns, r);
    for (int i = 0; i < 2; i++)
        r->prev[i] = c->ep[i].state;
    /* The moves before the segment (assumed start, expiry) are in prev. */
    r->cause[0] = r->cause[1] = TS_CAUSE_NONE;
    if (r->prev[1 - s] == TS_TIME_WAIT)
        r->events |= TS_EV_IN_TIME_WAIT;
    if (odd_flags(seg->flags))
        r->events |= TS_EV_ODD_FLAGS;

    sample_answer(c, s, seg);
    echo_doubt_answer(c, s, seg, r);
    r->acked_new = track_acked(&c->ep[s], &c->ep[1 - s], seg);
    if (seg->flags & TS_RST) {
        role = track_rst(c, s, seg, r);
    } else if (seg->flags & TS_SYN) {
        syn_kind kind = classify_syn(c, s, seg, r);
        if (seg->flags & TS_ACK) {
            apply_syn_ack(c, s, seg, kind, r);
            role = TS_ROLE_SYN_ACK;
        } else {
            apply_syn(c, s, seg, kind, r);
            role = TS_ROLE_SYN;
        }
    } else {
        role = track_other(c, s, seg, r);
    }
    advance_snd_nxt(&c->ep[s], seg);
    note_tsval_since_fin(&c->ep[s], seg);
    /* handshake_ack_lost() judges only the first segment after it. */
    if (c->handshake_data == 1u + s)
        c->handshake_data = 0;

    if (closed_or_time_wait(r->prev[TS_CLIENT]) && closed_or_time_wait(r->prev[TS_SERVER]) &&
        role != TS_ROLE_RST && !(r->events & TS_EV_NEW_CONNECTION) && !r->corrected)
        r->events |= TS_EV_AFTER_CLOSE;

    r->role = (uint8_t)role;
    if (r->step)
        r->step_total = ts_role_is_handshake(role) ? 3 : c->td_total;
    r->flags = seg->flags;
    r->len = seg->len;
    r->phase = (uint8_t)phase_of(role, r);
    for (int i = 0; i < 2; i++)
        r->state[i] = c->ep[i].state;
    r->assumed = c->assumed;
    r->handshake_rtt_ns = c->handshake_rtt_ns;
    if (c->segments < UINT32_MAX)
        c->segments++;
}
