/*
 * How a connection opened and closed (outcome.h; docs/reports.md). Built
 * from the results alone, in capture order, so that a report, the stats
 * tree and the outcome fields all give the value the packet trees imply.
 */
#include "outcome.h"

#include <string.h>

/* Kept once per stream by the plugin, and once per row by the reports
 * (docs/performance.md). */
_Static_assert(sizeof(ts_outcome) == 8, "ts_outcome grew: it is kept once per TCP stream");

static const char *const open_names[TS_OPEN_COUNT] = {
    [TS_OPEN_THREE_WAY] = "three-way",
    [TS_OPEN_SIMULTANEOUS] = "simultaneous",
    [TS_OPEN_PARTIAL] = "partial",
    [TS_OPEN_NONE] = "none",
};

static const char *const close_names[TS_CLOSE_COUNT] = {
    [TS_CLOSE_FOUR_WAY] = "four-way",
    [TS_CLOSE_THREE_WAY] = "three-way",
    [TS_CLOSE_SIMULTANEOUS] = "simultaneous",
    [TS_CLOSE_RESET_BY_CLIENT] = "reset by client",
    [TS_CLOSE_RESET_BY_SERVER] = "reset by server",
    [TS_CLOSE_HALF_CLOSED] = "half-closed",
    [TS_CLOSE_STILL_OPEN] = "still open",
    [TS_CLOSE_REFUSED] = "refused",
    [TS_CLOSE_NO_ANSWER] = "no answer",
};

const char *ts_open_name(unsigned o)
{
    return o < TS_OPEN_COUNT ? open_names[o] : "?";
}

const char *ts_close_name(unsigned c)
{
    return c < TS_CLOSE_COUNT ? close_names[c] : "?";
}

void ts_outcome_init(ts_outcome *o)
{
    memset(o, 0, sizeof *o);
    o->reset_by = -1;
}

static int synchronized_state(unsigned s)
{
    return s >= TS_ESTABLISHED;
}

void ts_outcome_add(ts_outcome *o, const ts_result *r)
{
    unsigned side = r->sender ? TS_SERVER : TS_CLIENT;

    /* A SYN that reuses the ports of a finished connection starts a new one:
     * forget how the old one opened and closed. */
    if ((r->events & TS_EV_NEW_CONNECTION) && o->seen) {
        uint16_t connections = o->connections;
        ts_outcome_init(o);
        o->connections = connections;
    }
    if (!o->seen || (r->events & TS_EV_NEW_CONNECTION))
        o->connections++;
    o->seen = 1;

    switch (r->role) {
    case TS_ROLE_SYN:
        if (side == TS_CLIENT && (r->step == 1 || (r->events & TS_EV_RETRANSMISSION)))
            o->client_syn_seen = 1;
        o->syn_seen = 1;
        break;
    case TS_ROLE_SYN_ACK:
        o->syn_ack_seen = 1;
        o->syn_seen = 1;
        break;
    case TS_ROLE_HANDSHAKE_ACK:
        if (r->step == 3)
            o->handshake_acked = 1;
        break;
    case TS_ROLE_FIN_ACK_OF_FIN:
        if (!(r->events & TS_EV_RETRANSMISSION))
            o->merged_close = 1;
        break;
    case TS_ROLE_RST:
        /* Only an RST its receiver accepts ends the connection (docs/spec.md,
         * "RST acceptance"); one after both endpoints had closed ends
         * nothing: the close before it is how the connection ended. */
        if (r->rst_ignored != TS_RST_ACCEPTED || r->rst_kind == TS_RST_AFTER_CLOSE)
            break;
        if (r->rst_kind == TS_RST_REFUSED)
            o->refused = 1;
        o->reset_by = (int8_t)side;
        break;
    default:
        break;
    }
    /* A FIN counts for the close whatever role its segment has (it may ride
     * on the handshake-ack or on a SYN-ACK's repeat). */
    if ((r->flags & TS_FIN) && !(r->flags & TS_RST))
        o->fin_sent |= (uint8_t)(1u << side) & 3u;
    /* An RST shown lost later (its receiver sent again) did not end it. */
    if (r->events & TS_EV_LOST_RST) {
        o->reset_by = -1;
        o->refused = 0;
    }
    if (r->events & TS_EV_SIMULTANEOUS_OPEN)
        o->simultaneous_open = 1;
    /* CLOSING is reached only by crossing FINs (RFC 9293 section 3.6),
     * whatever evidence took an endpoint there. */
    if ((r->events & TS_EV_SIMULTANEOUS_CLOSE) || r->state[TS_CLIENT] == TS_CLOSING ||
        r->state[TS_SERVER] == TS_CLOSING)
        o->simultaneous_close = 1;
    if (synchronized_state(r->state[TS_CLIENT]) || synchronized_state(r->state[TS_SERVER]))
        o->synchronized = 1;
    o->state[TS_CLIENT] = r->state[TS_CLIENT];
    o->state[TS_SERVER] = r->state[TS_SERVER];
}

ts_open ts_outcome_opened(const ts_outcome *o)
{
    if (o->simultaneous_open)
        return TS_OPEN_SIMULTANEOUS;
    /* docs/spec.md: three-way only when all three handshake segments were
     * captured: the client's SYN, a SYN-ACK and the handshake-ack. */
    if (o->client_syn_seen && o->syn_ack_seen && o->handshake_acked)
        return TS_OPEN_THREE_WAY;
    if (o->syn_seen)
        return TS_OPEN_PARTIAL;
    return TS_OPEN_NONE;
}

ts_close ts_outcome_closed(const ts_outcome *o)
{
    /* A connection that never opened: the client's SYN got an RST, or no
     * SYN-ACK at all. */
    if (o->client_syn_seen && !o->syn_ack_seen && !o->synchronized) {
        if (o->refused)
            return TS_CLOSE_REFUSED;
        if (o->reset_by < 0)
            return TS_CLOSE_NO_ANSWER;
    }
    if (o->reset_by >= 0)
        return o->reset_by == TS_SERVER ? TS_CLOSE_RESET_BY_SERVER : TS_CLOSE_RESET_BY_CLIENT;
    if (o->fin_sent == ((1u << TS_CLIENT) | (1u << TS_SERVER))) {
        if (o->simultaneous_close)
            return TS_CLOSE_SIMULTANEOUS;
        if (o->merged_close)
            return TS_CLOSE_THREE_WAY;
        return TS_CLOSE_FOUR_WAY;
    }
    if (o->fin_sent)
        return TS_CLOSE_HALF_CLOSED;
    return TS_CLOSE_STILL_OPEN;
}
