/*
 * The connection tracker: both endpoints' RFC 9293 states, seen from the wire.
 *
 * Each segment is applied in two halves, as SPEC.md's wire model says: first
 * the sender changes state because it sends the segment (an OPEN or CLOSE
 * call, RFC 9293 sections 3.10.1 and 3.10.4), then the receiver changes state
 * because it receives it (RFC 9293 section 3.10.7, "SEGMENT ARRIVES"), in the
 * RFC's order of checks: RST, SYN, ACK, then FIN.
 *
 * Where a segment proves that an earlier one was lost after the capture point,
 * or that two segments crossed, the sender's state is corrected (SPEC.md, "When
 * a later segment proves the wire model wrong") and an event says so.
 */
#include "tcpstate_core.h"

#include <string.h>

/* Sequence number comparison modulo 2^32 (RFC 9293 section 3.4). */
static int seq_gt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

static int closed_or_time_wait(unsigned s)
{
    return s == TS_CLOSED || s == TS_TIME_WAIT;
}

/* The states in which a close is under way (SPEC.md's teardown phase rule). */
static int closing_state(unsigned s)
{
    return s == TS_FIN_WAIT_1 || s == TS_FIN_WAIT_2 || s == TS_CLOSING || s == TS_CLOSE_WAIT ||
           s == TS_LAST_ACK;
}

static void endpoint_reset(ts_endpoint *ep, ts_state state)
{
    memset(ep, 0, sizeof *ep);
    ep->state = (uint8_t)state;
}

/* A connection before its first SYN: the side about to send it CLOSED, the
 * other LISTEN (SPEC.md: "The server is LISTEN before the first SYN arrives"). */
static void conn_open_fresh(ts_conn *c, ts_side opener)
{
    endpoint_reset(&c->ep[opener], TS_CLOSED);
    endpoint_reset(&c->ep[1 - opener], TS_LISTEN);
    c->first_syn_ns = -1;
    c->handshake_rtt_ns = -1;
    c->assumed = 0;
    c->td_steps = 0;
    c->td_total = 0;
    c->handshake_acked = 0;
    c->reset = 0;
}

void ts_conn_init(ts_conn *conn)
{
    memset(conn, 0, sizeof *conn);
    conn_open_fresh(conn, TS_CLIENT);
}

/*
 * SPEC.md's sender rule, applied to the stream's first captured segment: the
 * sender of a SYN without ACK is the client; the sender of a SYN-ACK is the
 * server; else the lower port is the server; else the first sender is the
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
        c->ep[TS_CLIENT].state = TS_SYN_SENT;
        c->ep[TS_CLIENT].isn = seg->ack - 1;
        c->ep[TS_CLIENT].isn_known = 1;
        c->ep[TS_SERVER].state = TS_SYN_RECEIVED;
    } else {
        c->ep[TS_CLIENT].state = TS_ESTABLISHED;
        c->ep[TS_SERVER].state = TS_ESTABLISHED;
    }
}

/* SPEC.md: an endpoint in TIME-WAIT counts as CLOSED for a segment captured
 * more than 2*MSL after it entered TIME-WAIT (RFC 9293 section 3.10.7.4,
 * "TIME-WAIT STATE"; the 2 MSL timeout of section 3.10.8). */
static void expire_time_wait(ts_conn *c, const ts_config *cfg, int64_t now, ts_result *r)
{
    for (int i = 0; i < 2; i++) {
        ts_endpoint *ep = &c->ep[i];
        if (ep->state == TS_TIME_WAIT && now - ep->time_wait_since > 2 * cfg->msl_ns) {
            ep->state = TS_CLOSED;
            r->events |= TS_EV_TIME_WAIT_EXPIRED;
        }
    }
}

/* Entering TIME-WAIT starts (and a FIN received there restarts) the 2 MSL timer. */
static void enter_time_wait(ts_endpoint *ep, int64_t now, ts_result *r)
{
    if (ep->state != TS_TIME_WAIT)
        r->events |= TS_EV_TIME_WAIT_ENTERED;
    ep->state = TS_TIME_WAIT;
    ep->time_wait_since = now;
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

static ts_rst_kind classify_rst(const ts_conn *c, ts_side sender, const ts_result *r)
{
    unsigned cs = r->prev[TS_CLIENT], ss = r->prev[TS_SERVER];

    if (c->segments == 0 && c->assumed)
        return TS_RST_UNKNOWN_CONN;
    if (sender == TS_SERVER && cs == TS_SYN_SENT && c->ep[TS_SERVER].synack_attempts == 0)
        return TS_RST_REFUSED;
    if (closed_or_time_wait(cs) && closed_or_time_wait(ss))
        return TS_RST_AFTER_CLOSE;
    if (closing_state(cs) || closing_state(ss))
        return TS_RST_TEARDOWN;
    if (cs == TS_ESTABLISHED && ss == TS_ESTABLISHED)
        return TS_RST_ABORT;
    return TS_RST_HANDSHAKE;
}

/* Counts one more transmission (saturating) and returns the new count. */
static uint8_t count_attempt(uint8_t *attempts)
{
    if (*attempts < UINT8_MAX)
        (*attempts)++;
    return *attempts;
}

/*
 * A segment with SYN (and without RST). Returns its role and sets its step.
 * The sender: an active OPEN (RFC 9293 section 3.10.1) moves CLOSED to
 * SYN-SENT; a SYN-ACK is what a LISTEN or SYN-SENT endpoint sends after a SYN
 * arrived (sections 3.10.7.2, 3.10.7.3), so its sender is SYN-RECEIVED.
 * The receiver: sections 3.10.7.2 (LISTEN), 3.10.7.3 (SYN-SENT) and 3.10.7.4
 * (the ACK check of SYN-RECEIVED, for crossing SYN-ACKs).
 */
static ts_role track_syn(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int with_ack = (seg->flags & TS_ACK) != 0;
    ts_role role = with_ack ? TS_ROLE_SYN_ACK : TS_ROLE_SYN;
    uint8_t *attempts = with_ack ? &x->synack_attempts : &x->syn_attempts;
    int same_isn = x->isn_known && seg->seq == x->isn;
    int finished = c->segments > 0 && closed_or_time_wait(r->prev[TS_CLIENT]) &&
                   closed_or_time_wait(r->prev[TS_SERVER]);

    int crossing = !with_ack && y->syn_attempts > 0 && x->syn_attempts == 0 &&
                   x->synack_attempts == 0 && (x->state == TS_LISTEN || x->state == TS_SYN_RECEIVED);

    if (*attempts > 0 && same_isn && (with_ack || !finished)) {
        /* A retransmission keeps its role, gets no step, and may prove a loss. */
        r->events |= TS_EV_RETRANSMISSION;
        r->attempt = count_attempt(attempts);
        if (!with_ack && x->state == TS_ESTABLISHED && x->synack_attempts == 0 &&
            !c->handshake_acked) {
            /* It repeats its SYN although a SYN-ACK moved it to ESTABLISHED:
             * that SYN-ACK never reached it. */
            x->state = TS_SYN_SENT;
            r->events |= TS_EV_LOST_SYN_ACK;
            r->corrected |= (uint8_t)(1u << s);
        } else if (with_ack && x->state == TS_ESTABLISHED) {
            /* It repeats its SYN-ACK: nothing acknowledging its SYN reached it. */
            x->state = TS_SYN_RECEIVED;
            r->events |= TS_EV_LOST_HANDSHAKE_ACK;
            r->corrected |= (uint8_t)(1u << s);
        }
    } else if (crossing) {
        /* The side taken to be listening opens too: crossing SYNs, a
         * simultaneous open (RFC 9293 section 3.5, figure 7). Having sent its
         * SYN and received the peer's, it is SYN-RECEIVED. */
        x->state = TS_SYN_RECEIVED;
        r->events |= TS_EV_SIMULTANEOUS_OPEN;
        r->corrected |= (uint8_t)(1u << s);
        r->step = 1;
    } else if (!with_ack) {
        int new_isn = x->isn_known && !same_isn;
        if (finished || x->syn_attempts > 0 ||
            (x->state != TS_CLOSED && x->state != TS_LISTEN && x->state != TS_SYN_SENT) ||
            (x->state == TS_SYN_SENT && new_isn)) {
            /* A new connection on the stream's tuple: after the old one
             * finished, or with a new ISN. Its opener starts from CLOSED. */
            if (c->segments > 0)
                r->events |= TS_EV_NEW_CONNECTION;
            conn_open_fresh(c, s);
        }
        x->state = TS_SYN_SENT;
        r->step = 1;
    } else if (finished && !same_isn) {
        /* A SYN-ACK with a new ISN after the old connection finished: the
         * server's answer to a new SYN the capture missed. */
        r->events |= TS_EV_NEW_CONNECTION;
        conn_open_fresh(c, (ts_side)(1 - s));
        y->state = TS_SYN_SENT;
        y->isn = seg->ack - 1;
        y->isn_known = 1;
        x->state = TS_SYN_RECEIVED;
        r->step = 2;
    } else {
        if (x->state <= TS_SYN_RECEIVED)
            x->state = TS_SYN_RECEIVED;
        else if (x->state != TS_ESTABLISHED)
            r->events |= TS_EV_UNEXPECTED;
        /* An ESTABLISHED sender of a first SYN-ACK is the other half of
         * crossing SYN-ACKs in a simultaneous open: it stays ESTABLISHED. */
        r->step = 2;
    }

    if (*attempts == 0)
        *attempts = 1;
    x->isn = seg->seq;
    x->isn_known = 1;
    if (!with_ack && c->first_syn_ns < 0)
        c->first_syn_ns = seg->time_ns;

    /* The receiver. */
    if (!with_ack) {
        if (y->state == TS_LISTEN || y->state == TS_SYN_SENT)
            y->state = TS_SYN_RECEIVED;
    } else if ((y->state == TS_SYN_SENT || y->state == TS_SYN_RECEIVED) && acks_syn(seg, y)) {
        y->state = TS_ESTABLISHED;
    }
    return role;
}

/*
 * The sender's half of a FIN (RFC 9293 section 3.10.4, CLOSE): ESTABLISHED
 * (or SYN-RECEIVED) goes to FIN-WAIT-1, CLOSE-WAIT to LAST-ACK. Returns 1 for
 * a retransmission. A FIN that does not acknowledge the peer's earlier FIN
 * proves the two crossed; a repeated FIN proves its ACK was lost.
 */
static int send_fin(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    uint32_t fin_seq = seg->seq + seg->len;

    if (x->fin_attempts > 0) {
        r->events |= TS_EV_RETRANSMISSION;
        r->attempt = count_attempt(&x->fin_attempts);
        switch (x->state) {
        case TS_CLOSED:
            if (y->fin_attempts > 0 && !x->closed_first) {
                /* The passive closer, taken to be CLOSED after LAST-ACK,
                 * repeats its FIN: the final ACK never reached it. */
                x->state = TS_LAST_ACK;
                r->events |= TS_EV_LOST_FINAL_ACK;
            } else {
                /* The active closer (its TIME-WAIT ran out) or a one-sided
                 * close: the ACK of its FIN never reached it. */
                x->state = y->fin_attempts > 0 ? TS_CLOSING : TS_FIN_WAIT_1;
                r->events |= TS_EV_LOST_ACK_OF_FIN;
            }
            r->corrected |= (uint8_t)(1u << s);
            break;
        case TS_FIN_WAIT_2:
            x->state = TS_FIN_WAIT_1;
            r->events |= TS_EV_LOST_ACK_OF_FIN;
            r->corrected |= (uint8_t)(1u << s);
            break;
        case TS_TIME_WAIT:
            x->state = TS_CLOSING;
            r->events |= TS_EV_LOST_ACK_OF_FIN;
            r->corrected |= (uint8_t)(1u << s);
            break;
        default:
            break;
        }
        return 1;
    }

    x->fin_attempts = 1;
    x->fin_seq = fin_seq;
    x->closed_first = y->fin_attempts == 0;
    if (y->fin_attempts > 0 && !x->acked_peer_fin && !acks_fin(seg, y)) {
        /* The peer's FIN had not reached it when it sent this one: it went
         * ESTABLISHED -> FIN-WAIT-1, and with the peer's FIN, CLOSING
         * (RFC 9293 section 3.6, figure 13, simultaneous close). */
        x->state = TS_CLOSING;
        r->events |= TS_EV_SIMULTANEOUS_CLOSE;
        r->corrected |= (uint8_t)(1u << s);
    } else if (x->state == TS_CLOSE_WAIT) {
        x->state = TS_LAST_ACK;
    } else if (x->state == TS_ESTABLISHED || x->state == TS_SYN_RECEIVED || x->state == TS_SYN_SENT) {
        x->state = TS_FIN_WAIT_1;
    } else {
        r->events |= TS_EV_UNEXPECTED;
    }
    return 0;
}

/* The receiver's half of a FIN (RFC 9293 section 3.10.7.4, "eighth, check the
 * FIN bit"), after the ACK field was processed. */
static void receive_fin(ts_endpoint *y, int64_t now, ts_result *r)
{
    switch (y->state) {
    case TS_SYN_RECEIVED:
    case TS_ESTABLISHED:
        y->state = TS_CLOSE_WAIT;
        break;
    case TS_FIN_WAIT_1:
        /* Its own FIN is not acknowledged yet (else the ACK check would
         * have moved it to FIN-WAIT-2). */
        y->state = TS_CLOSING;
        break;
    case TS_FIN_WAIT_2:
    case TS_TIME_WAIT:
        enter_time_wait(y, now, r);
        break;
    default:
        break; /* CLOSE-WAIT, CLOSING, LAST-ACK: a repeated FIN; CLOSED, LISTEN, SYN-SENT: ignored */
    }
}

/* The receiver's half of the ACK field (RFC 9293 section 3.10.7.4, "fifth,
 * check the ACK field"). Returns 1 if it completed the handshake. */
static int receive_ack(ts_endpoint *y, const ts_segment *seg, int64_t now, ts_result *r)
{
    int established = 0;

    if (y->state == TS_SYN_RECEIVED && acks_syn(seg, y)) {
        y->state = TS_ESTABLISHED;
        established = 1;
    }
    if (acks_fin(seg, y)) {
        if (y->state == TS_FIN_WAIT_1)
            y->state = TS_FIN_WAIT_2;
        else if (y->state == TS_CLOSING)
            enter_time_wait(y, now, r);
        else if (y->state == TS_LAST_ACK)
            y->state = TS_CLOSED;
    }
    return established;
}

/* A segment without SYN and RST: the data and close part of the life. */
static ts_role track_other(ts_conn *c, ts_side s, const ts_segment *seg, ts_result *r)
{
    ts_endpoint *x = &c->ep[s], *y = &c->ep[1 - s];
    int fin = (seg->flags & TS_FIN) != 0;
    int had_fin = x->fin_attempts > 0;
    /* After an RST, acknowledging an old FIN closes nothing any more. */
    int first_ack_of_fin = acks_fin(seg, y) && !x->acked_peer_fin && !c->reset;
    int fin_again = 0;
    ts_role role;

    /* An ACK from SYN-SENT shows it got a SYN-ACK the capture missed. */
    if (x->state == TS_SYN_SENT && (seg->flags & TS_ACK))
        x->state = TS_ESTABLISHED;

    if (seg->len > 0) {
        if (y->fin_attempts > 0 && !had_fin && !x->half_close_noted) {
            x->half_close_noted = 1;
            r->events |= TS_EV_HALF_CLOSE;
        }
        if (had_fin && seq_gt(seg->seq + seg->len, x->fin_seq))
            r->events |= TS_EV_DATA_AFTER_FIN;
    }

    if (fin)
        fin_again = send_fin(c, s, seg, r);

    if (receive_ack(y, seg, seg->time_ns, r) && !fin_again) {
        role = TS_ROLE_HANDSHAKE_ACK;
        if (!c->handshake_acked) {
            c->handshake_acked = 1;
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
        role = seg->len > 0 ? TS_ROLE_DATA : TS_ROLE_ACK;
    }
    if (fin && !fin_again)
        x->fin_role = (uint8_t)(first_ack_of_fin ? TS_ROLE_FIN_ACK_OF_FIN : TS_ROLE_FIN);
    if (role == TS_ROLE_FIN_ACK_OF_FIN && !fin_again)
        r->events |= TS_EV_MERGED_CLOSE;
    if (first_ack_of_fin)
        x->acked_peer_fin = 1;

    if (fin)
        receive_fin(y, seg->time_ns, r);

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
    if (r->prev[1 - s] == TS_TIME_WAIT)
        r->events |= TS_EV_IN_TIME_WAIT;
    if (odd_flags(seg->flags))
        r->events |= TS_EV_ODD_FLAGS;

    r->acked_new = track_acked(&c->ep[s], &c->ep[1 - s], seg);
    if (seg->flags & TS_RST) {
        /* RFC 9293 section 3.10.7: a RST closes the connection in every
         * synchronized state; SPEC.md takes both endpoints to CLOSED. */
        role = TS_ROLE_RST;
        r->rst_kind = (uint8_t)classify_rst(c, s, r);
        c->reset = 1;
        c->ep[TS_CLIENT].state = TS_CLOSED;
        c->ep[TS_SERVER].state = TS_CLOSED;
    } else if (seg->flags & TS_SYN) {
        role = track_syn(c, s, seg, r);
    } else {
        role = track_other(c, s, seg, r);
    }

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
