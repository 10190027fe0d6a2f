/*
 * The summary sentence in English: "<milestone>: <what the segment does>;
 * <what it changes>", e.g. "Teardown 2/3: the server's FIN+ACK acknowledges
 * the client's FIN and closes its side too; server CLOSE-WAIT → LAST-ACK,
 * client FIN-WAIT-1 → TIME-WAIT".
 */
#include "describe_text.h"

static void put_head(ts_text *t, const ts_result *r)
{
    if (r->step && ts_role_is_handshake(r->role))
        ts_text_put(t, "Handshake %u/3", r->step);
    else if (r->step && r->step_total)
        ts_text_put(t, "Teardown %u/%u", r->step, r->step_total);
    else if (r->step)
        ts_text_put(t, "Teardown %u", r->step);
    else if (r->role == TS_ROLE_RST)
        ts_text_put(t, r->rst_ignored ? "Reset ignored" : "Reset");
    else if (r->events & TS_EV_RETRANSMISSION)
        ts_text_put(t, "%s retransmission, attempt %u",
            r->role == TS_ROLE_SYN ? "SYN" : r->role == TS_ROLE_SYN_ACK ? "SYN+ACK" : "FIN", r->attempt);
    else if (ts_role_is_handshake(r->role))
        ts_text_put(t, "Handshake");
    else if (ts_role_is_teardown(r->role) || r->phase == TS_PHASE_TEARDOWN)
        ts_text_put(t, "Teardown");
    else if (r->phase == TS_PHASE_CLOSED)
        ts_text_put(t, "After close");
    else if (r->events & TS_EV_KEEPALIVE)
        ts_text_put(t, "Keep-alive");
    else
        ts_text_put(t, r->role == TS_ROLE_DATA ? "Data" : (r->flags & TS_ACK) ? "ACK" : "Segment");
}

static void put_bytes(ts_text *t, const char *lead, uint32_t len)
{
    if (len)
        ts_text_put(t, "%s%u byte%s", lead, len, len == 1 ? "" : "s");
}

static void put_rst(ts_text *t, const ts_result *r, const char *who)
{
    const char *peer = ts_side_name(1u - r->sender);

    /* docs/spec.md, "RST acceptance": an RST its receiver does not accept
     * changes nothing. */
    switch (r->rst_ignored) {
    case TS_RST_IGNORED_NO_ACK:
        ts_text_put(t, "the %s sends an RST that does not acknowledge the %s's SYN, so the %s, in "
                       "SYN-SENT, ignores it", who, peer, peer);
        return;
    case TS_RST_IGNORED_SEQ:
        ts_text_put(t, "the %s sends an RST whose sequence number is not the next one the %s "
                       "expects, so the %s does not accept it", who, peer, peer);
        return;
    case TS_RST_IGNORED_LISTEN:
        ts_text_put(t, "the %s sends an RST, which the listening %s ignores", who, peer);
        return;
    default:
        break;
    }
    switch (r->rst_kind) {
    case TS_RST_REFUSED:
        /* RFC 9293 section 3.10.7.1: no socket listens, so the TCP answers. */
        ts_text_put(t, "nothing listens on the server's port: its TCP refuses the connection, RST "
                       "answers the client's SYN");
        break;
    case TS_RST_HANDSHAKE:
        ts_text_put(t, "the %s resets the connection during the handshake", who);
        break;
    case TS_RST_ABORT:
        ts_text_put(t, "the %s aborts the open connection with RST", who);
        break;
    case TS_RST_TEARDOWN:
        ts_text_put(t, "the %s resets the connection while it is closing", who);
        break;
    case TS_RST_AFTER_CLOSE:
        ts_text_put(t, "the %s sends RST after the connection closed", who);
        break;
    default:
        ts_text_put(t, "the %s resets a connection whose opening was not captured", who);
        break;
    }
}

static void put_action(ts_text *t, const ts_result *r)
{
    const char *who = ts_side_name(r->sender), *peer = ts_side_name(1u - r->sender);
    int again = (r->events & TS_EV_RETRANSMISSION) != 0;

    switch (r->role) {
    case TS_ROLE_RST:
        put_rst(t, r, who);
        break;
    case TS_ROLE_SYN:
        if (again)
            ts_text_put(t, "the %s repeats its SYN", who);
        else if (r->events & TS_EV_SIMULTANEOUS_OPEN)
            ts_text_put(t, "the %s sends its own SYN while the %s's is on its way (simultaneous open)", who,
                peer);
        else if (r->events & TS_EV_NEW_CONNECTION)
            ts_text_put(t, "the %s opens a new connection on the same addresses and ports (SYN)", who);
        else if (r->events & TS_EV_REORDERED)
            ts_text_put(t, "the %s's SYN that opened the connection, captured after the SYN+ACK that "
                           "answers it", who);
        else
            ts_text_put(t, "the %s asks to open a connection (SYN)", who);
        if ((r->events & TS_EV_LOST_SYN_ACK) && !(r->corrected & (1u << (r->sender & 1u))))
            ts_text_put(t, " because the %s's SYN+ACK never reached it", peer);
        break;
    case TS_ROLE_SYN_ACK:
        if (again)
            ts_text_put(t, "the %s repeats its SYN+ACK", who);
        else
            ts_text_put(t, "the %s accepts and acknowledges the %s's SYN (SYN+ACK)", who, peer);
        if ((r->events & TS_EV_LOST_HANDSHAKE_ACK) && !(r->corrected & (1u << (r->sender & 1u))))
            ts_text_put(t, " because no ACK of it reached the %s", who);
        break;
    case TS_ROLE_HANDSHAKE_ACK:
        ts_text_put(t, "the %s acknowledges the %s's SYN", who, peer);
        put_bytes(t, " and sends ", r->len);
        ts_text_put(t, "; the connection is open");
        break;
    case TS_ROLE_FIN_ACK_OF_FIN:
        if (again)
            ts_text_put(t, "the %s repeats its FIN+ACK", who);
        else
            ts_text_put(t, "the %s's FIN+ACK acknowledges the %s's FIN and closes its side too", who, peer);
        break;
    case TS_ROLE_FIN:
        if (again)
            ts_text_put(t, "the %s repeats its FIN", who);
        else if (r->events & TS_EV_SIMULTANEOUS_CLOSE)
            ts_text_put(t, "the %s closes its side before the %s's FIN reached it (simultaneous close)", who,
                peer);
        else {
            /* Data and FIN in one segment: both are said. */
            ts_text_put(t, "the %s", who);
            put_bytes(t, " sends ", r->len);
            ts_text_put(t, "%s closes its side %s(FIN)", r->len ? " and" : "",
                        r->step >= 3 ? "too " : "of the connection ");
        }
        break;
    case TS_ROLE_ACK_OF_FIN:
        ts_text_put(t, "the %s acknowledges the %s's FIN", who, peer);
        put_bytes(t, " and sends ", r->len);
        break;
    case TS_ROLE_FINAL_ACK:
        ts_text_put(t, "the %s acknowledges the %s's FIN (the final ACK)", who, peer);
        break;
    case TS_ROLE_DATA:
        ts_text_put(t, "the %s sends", who);
        put_bytes(t, " ", r->len);
        break;
    default:
        if (r->prev[1u - r->sender] == TS_LAST_ACK && r->state[1u - r->sender] == TS_CLOSED)
            ts_text_put(t, "the %s acknowledges the %s's repeated FIN", who, peer);
        else if (r->phase == TS_PHASE_CLOSED)
            ts_text_put(t, "the %s sends a segment after the connection closed", who);
        else if (r->events & TS_EV_KEEPALIVE)
            ts_text_put(t, "the %s checks that the %s is still there (a keep-alive probe: one below "
                           "its next sequence number%s)", who, peer, r->len ? ", with 1 old byte" : "");
        else if (!(r->flags & TS_ACK))
            ts_text_put(t, "the %s sends a segment without the ACK flag", who);
        else
            ts_text_put(t, "the %s sends an ACK without data", who);
        break;
    }

    /* Clauses for what the segment also reveals. */
    if (r->role == TS_ROLE_DATA && (r->events & TS_EV_HALF_CLOSE))
        ts_text_put(t, " after the %s's FIN (half-close)", peer);
    /* A correction of the sender says its evidence after its change. */
    if (r->corrected & (1u << (r->sender & 1u)))
        return;
    if (r->events & TS_EV_LOST_FINAL_ACK)
        ts_text_put(t, " because the %s's final ACK never reached it", peer);
    else if ((r->events & TS_EV_LOST_ACK_OF_FIN) && ts_role_is_teardown(r->role))
        ts_text_put(t, " because the %s's ACK of it never reached it", peer);
}

void ts_describe_en(ts_text *t, const ts_result *r)
{
    put_head(t, r);
    ts_text_put(t, ": ");
    put_action(t, r);
    ts_text_put_changes(t, r, TS_LANG_EN, "; ", ", ", "; no state changes");
}
