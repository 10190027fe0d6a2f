/*
 * The summary sentence of a segment (tcpstate.summary, the first line of the
 * plugin's tree): "<milestone>: <what the segment does>; <what it changes>".
 * It is built from the stored ts_result alone, so any later dissection of the
 * frame renders the same sentence as the first pass.
 */
#include "tcpstate_core.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct {
    char *buf;
    size_t size;
    size_t len; /* length needed so far (may exceed size) */
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    size_t room = t->len < t->size ? t->size - t->len : 0;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

static void put_head(text *t, const ts_result *r)
{
    if (r->step && ts_role_is_handshake(r->role))
        put(t, "Handshake %u/3", r->step);
    else if (r->step && r->step_total)
        put(t, "Teardown %u/%u", r->step, r->step_total);
    else if (r->step)
        put(t, "Teardown %u", r->step);
    else if (r->role == TS_ROLE_RST)
        put(t, "Reset");
    else if (r->events & TS_EV_RETRANSMISSION)
        put(t, "%s retransmission, attempt %u",
            r->role == TS_ROLE_SYN ? "SYN" : r->role == TS_ROLE_SYN_ACK ? "SYN+ACK" : "FIN", r->attempt);
    else if (ts_role_is_handshake(r->role))
        put(t, "Handshake");
    else if (ts_role_is_teardown(r->role) || r->phase == TS_PHASE_TEARDOWN)
        put(t, "Teardown");
    else if (r->phase == TS_PHASE_CLOSED)
        put(t, "After close");
    else
        put(t, r->role == TS_ROLE_DATA ? "Data" : "ACK");
}

static void put_bytes(text *t, const char *lead, uint32_t len)
{
    if (len)
        put(t, "%s%u byte%s", lead, len, len == 1 ? "" : "s");
}

static void put_rst(text *t, const ts_result *r, const char *who)
{
    switch (r->rst_kind) {
    case TS_RST_REFUSED:
        put(t, "the server refuses the connection: RST answers the client's SYN");
        break;
    case TS_RST_HANDSHAKE:
        put(t, "the %s resets the connection during the handshake", who);
        break;
    case TS_RST_ABORT:
        put(t, "the %s aborts the open connection with RST", who);
        break;
    case TS_RST_TEARDOWN:
        put(t, "the %s resets the connection while it is closing", who);
        break;
    case TS_RST_AFTER_CLOSE:
        put(t, "the %s sends RST after the connection closed", who);
        break;
    default:
        put(t, "the %s resets a connection whose opening was not captured", who);
        break;
    }
}

static void put_action(text *t, const ts_result *r)
{
    const char *who = ts_side_name(r->sender), *peer = ts_side_name(1u - r->sender);
    int again = (r->events & TS_EV_RETRANSMISSION) != 0;

    switch (r->role) {
    case TS_ROLE_RST:
        put_rst(t, r, who);
        break;
    case TS_ROLE_SYN:
        if (again)
            put(t, "the %s repeats its SYN", who);
        else if (r->events & TS_EV_SIMULTANEOUS_OPEN)
            put(t, "the %s sends its own SYN while the %s's is on its way (simultaneous open)", who,
                peer);
        else if (r->events & TS_EV_NEW_CONNECTION)
            put(t, "the %s opens a new connection on the same addresses and ports (SYN)", who);
        else
            put(t, "the %s asks to open a connection (SYN)", who);
        if (r->events & TS_EV_LOST_SYN_ACK)
            put(t, " because the %s's SYN+ACK never reached it", peer);
        break;
    case TS_ROLE_SYN_ACK:
        if (again)
            put(t, "the %s repeats its SYN+ACK", who);
        else
            put(t, "the %s accepts and acknowledges the %s's SYN (SYN+ACK)", who, peer);
        if (r->events & TS_EV_LOST_HANDSHAKE_ACK)
            put(t, " because no ACK of it reached the %s", who);
        break;
    case TS_ROLE_HANDSHAKE_ACK:
        put(t, "the %s acknowledges the %s's SYN", who, peer);
        put_bytes(t, " and sends ", r->len);
        put(t, "; the connection is open");
        break;
    case TS_ROLE_FIN_ACK_OF_FIN:
        if (again)
            put(t, "the %s repeats its FIN+ACK", who);
        else
            put(t, "the %s's FIN+ACK acknowledges the %s's FIN and closes its side too", who, peer);
        break;
    case TS_ROLE_FIN:
        if (again)
            put(t, "the %s repeats its FIN", who);
        else if (r->events & TS_EV_SIMULTANEOUS_CLOSE)
            put(t, "the %s closes its side before the %s's FIN reached it (simultaneous close)", who,
                peer);
        else if (r->step >= 3)
            put(t, "the %s closes its side too (FIN)", who);
        else
            put(t, "the %s closes its side of the connection (FIN)", who);
        break;
    case TS_ROLE_ACK_OF_FIN:
        put(t, "the %s acknowledges the %s's FIN", who, peer);
        put_bytes(t, " and sends ", r->len);
        break;
    case TS_ROLE_FINAL_ACK:
        put(t, "the %s acknowledges the %s's FIN (the final ACK)", who, peer);
        break;
    case TS_ROLE_DATA:
        put(t, "the %s sends", who);
        put_bytes(t, " ", r->len);
        break;
    default:
        if (r->prev[1u - r->sender] == TS_LAST_ACK && r->state[1u - r->sender] == TS_CLOSED)
            put(t, "the %s acknowledges the %s's repeated FIN", who, peer);
        else if (r->phase == TS_PHASE_CLOSED)
            put(t, "the %s sends a segment after the connection closed", who);
        else
            put(t, "the %s sends an ACK without data", who);
        break;
    }

    /* Clauses for what the segment also reveals. */
    if (r->role == TS_ROLE_DATA && (r->events & TS_EV_HALF_CLOSE))
        put(t, " after the %s's FIN (half-close)", peer);
    if (r->events & TS_EV_LOST_FINAL_ACK)
        put(t, " because the %s's final ACK never reached it", peer);
    else if ((r->events & TS_EV_LOST_ACK_OF_FIN) && ts_role_is_teardown(r->role))
        put(t, " because the %s's ACK of it never reached it", peer);
}

static void put_changes(text *t, const ts_result *r)
{
    unsigned order[2] = { r->sender, 1u - r->sender };
    int any = 0;

    for (int i = 0; i < 2; i++) {
        unsigned side = order[i] & 1u;
        if (r->prev[side] == r->state[side])
            continue;
        put(t, "%s %s %s \xe2\x86\x92 %s", any ? "," : ";", ts_side_name(side),
            ts_state_name(r->prev[side]), ts_state_name(r->state[side]));
        any = 1;
    }
    if (!any)
        put(t, "; no state changes");
}

size_t ts_describe(const ts_result *r, char *buf, size_t size)
{
    text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    put_head(&t, r);
    put(&t, ": ");
    put_action(&t, r);
    put_changes(&t, r);
    return t.len;
}
