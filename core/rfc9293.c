/*
 * The edges of RFC 9293's state diagram (section 3.3.2, figure 5) with the
 * event processing that takes them (section 3.10). See rfc9293.h.
 *
 * The sender's edges are the user calls that put a segment on the wire (OPEN
 * sends a SYN, CLOSE a FIN, ABORT an RST); the receiver's edges are section
 * 3.10.7, "SEGMENT ARRIVES", in its order of checks (RST, SYN, ACK, FIN).
 * An RST closes only when its receiver accepts it (section 3.10.7 with
 * RFC 5961 section 3; docs/spec.md, "RST acceptance").
 */
#include "rfc9293.h"

static const ts_edge edges[] = {
    /* Opening (sections 3.10.1 OPEN, 3.10.2 SEND, 3.10.7.2, 3.10.7.3, 3.10.7.4). */
    { TS_CLOSED, TS_LISTEN, TS_VIA_CALL, "passive OPEN (nothing on the wire)", "3.10.1", NULL },
    { TS_CLOSED, TS_SYN_SENT, TS_VIA_SEND, "SYN (active OPEN)", "3.10.1", "syn, 1/3" },
    { TS_LISTEN, TS_SYN_SENT, TS_VIA_SEND, "SYN (SEND in LISTEN)", "3.10.2", "syn" },
    { TS_LISTEN, TS_SYN_RECEIVED, TS_VIA_RECEIVE, "SYN", "3.10.7.2", "syn, 1/3" },
    { TS_SYN_SENT, TS_SYN_RECEIVED, TS_VIA_RECEIVE, "SYN without ACK (simultaneous open)", "3.10.7.3", "syn, simultaneous open" },
    { TS_SYN_SENT, TS_ESTABLISHED, TS_VIA_RECEIVE, "SYN+ACK of its SYN", "3.10.7.3", "syn-ack, 2/3" },
    { TS_SYN_RECEIVED, TS_ESTABLISHED, TS_VIA_RECEIVE, "ACK of its SYN", "3.10.7.4", "handshake-ack, 3/3" },
    /* Closing (sections 3.10.4 CLOSE, 3.10.7.4). */
    { TS_SYN_RECEIVED, TS_FIN_WAIT_1, TS_VIA_SEND, "FIN (CLOSE)", "3.10.4", "fin" },
    { TS_ESTABLISHED, TS_FIN_WAIT_1, TS_VIA_SEND, "FIN (CLOSE)", "3.10.4", "fin, teardown 1" },
    { TS_CLOSE_WAIT, TS_LAST_ACK, TS_VIA_SEND, "FIN (CLOSE)", "3.10.4", "fin 3/4, or fin+ack-of-fin 2/3" },
    { TS_SYN_RECEIVED, TS_CLOSE_WAIT, TS_VIA_RECEIVE, "FIN", "3.10.7.4", "fin" },
    { TS_ESTABLISHED, TS_CLOSE_WAIT, TS_VIA_RECEIVE, "FIN", "3.10.7.4", "fin, teardown 1" },
    { TS_FIN_WAIT_1, TS_FIN_WAIT_2, TS_VIA_RECEIVE, "ACK of its FIN", "3.10.7.4", "ack-of-fin, 2/4" },
    { TS_FIN_WAIT_1, TS_CLOSING, TS_VIA_RECEIVE, "FIN (simultaneous close)", "3.10.7.4", "fin, simultaneous close" },
    { TS_FIN_WAIT_1, TS_TIME_WAIT, TS_VIA_RECEIVE, "FIN with the ACK of its FIN", "3.10.7.4", "fin+ack-of-fin, 2/3" },
    { TS_FIN_WAIT_2, TS_TIME_WAIT, TS_VIA_RECEIVE, "FIN", "3.10.7.4", "fin, 3/4" },
    { TS_CLOSING, TS_TIME_WAIT, TS_VIA_RECEIVE, "ACK of its FIN", "3.10.7.4", "final-ack, 3/4 or 4/4" },
    { TS_LAST_ACK, TS_CLOSED, TS_VIA_RECEIVE, "ACK of its FIN", "3.10.7.4", "final-ack, 3/3 or 4/4" },
    { TS_TIME_WAIT, TS_CLOSED, TS_VIA_TIMEOUT, "2 MSL after entering TIME-WAIT", "3.10.8", "preference msl" },
    /* Reset: the sender aborts (section 3.10.5 ABORT), an accepted RST closes
     * its receiver (section 3.10.7.3 in SYN-SENT, 3.10.7.4 "first, check
     * the sequence number" with RFC 5961 otherwise). */
    { TS_SYN_SENT, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_SYN_RECEIVED, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_ESTABLISHED, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_FIN_WAIT_1, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_FIN_WAIT_2, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_CLOSE_WAIT, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_CLOSING, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_LAST_ACK, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_TIME_WAIT, TS_CLOSED, TS_VIA_SEND, "RST (ABORT)", "3.10.5", "rst" },
    { TS_SYN_SENT, TS_CLOSED, TS_VIA_RECEIVE, "RST acknowledging its SYN", "3.10.7.3", "rst" },
    { TS_SYN_RECEIVED, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_ESTABLISHED, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_FIN_WAIT_1, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_FIN_WAIT_2, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_CLOSE_WAIT, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_CLOSING, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_LAST_ACK, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
    { TS_TIME_WAIT, TS_CLOSED, TS_VIA_RECEIVE, "acceptable RST", "3.10.7.4", "rst" },
};

const ts_edge *ts_rfc9293_edges(size_t *count)
{
    *count = sizeof edges / sizeof edges[0];
    return edges;
}

int ts_rfc9293_allows(unsigned from, unsigned to, unsigned via)
{
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        if (edges[i].from == from && edges[i].to == to && edges[i].via == via)
            return 1;
    return 0;
}
