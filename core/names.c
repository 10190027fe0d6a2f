/*
 * The tokens of docs/spec.md for states, roles, phases and sides. These strings are
 * the public interface (display filters, -T fields): never rename one.
 */
#include "tcpstate_core.h"

#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const state_names[TS_STATE_COUNT] = {
    [TS_CLOSED] = "CLOSED",
    [TS_LISTEN] = "LISTEN",
    [TS_SYN_SENT] = "SYN-SENT",
    [TS_SYN_RECEIVED] = "SYN-RECEIVED",
    [TS_ESTABLISHED] = "ESTABLISHED",
    [TS_FIN_WAIT_1] = "FIN-WAIT-1",
    [TS_FIN_WAIT_2] = "FIN-WAIT-2",
    [TS_CLOSE_WAIT] = "CLOSE-WAIT",
    [TS_CLOSING] = "CLOSING",
    [TS_LAST_ACK] = "LAST-ACK",
    [TS_TIME_WAIT] = "TIME-WAIT",
};

static const char *const role_names[TS_ROLE_COUNT] = {
    [TS_ROLE_RST] = "rst",
    [TS_ROLE_SYN] = "syn",
    [TS_ROLE_SYN_ACK] = "syn-ack",
    [TS_ROLE_HANDSHAKE_ACK] = "handshake-ack",
    [TS_ROLE_FIN_ACK_OF_FIN] = "fin+ack-of-fin",
    [TS_ROLE_FIN] = "fin",
    [TS_ROLE_ACK_OF_FIN] = "ack-of-fin",
    [TS_ROLE_FINAL_ACK] = "final-ack",
    [TS_ROLE_DATA] = "data",
    [TS_ROLE_ACK] = "ack",
};

static const char *const phase_names[TS_PHASE_COUNT] = {
    [TS_PHASE_HANDSHAKE] = "handshake",
    [TS_PHASE_DATA] = "data",
    [TS_PHASE_TEARDOWN] = "teardown",
    [TS_PHASE_RESET] = "reset",
    [TS_PHASE_CLOSED] = "closed",
};

static const char *const side_names[2] = {
    [TS_CLIENT] = "client",
    [TS_SERVER] = "server",
};

static const char *lookup(const char *const *table, unsigned count, unsigned i)
{
    return i < count && table[i] ? table[i] : "?";
}

const char *ts_state_name(unsigned state)
{
    return lookup(state_names, COUNT_OF(state_names), state);
}

const char *ts_role_name(unsigned role)
{
    return lookup(role_names, COUNT_OF(role_names), role);
}

const char *ts_phase_name(unsigned phase)
{
    return lookup(phase_names, COUNT_OF(phase_names), phase);
}

const char *ts_side_name(unsigned side)
{
    return lookup(side_names, COUNT_OF(side_names), side);
}

int ts_role_is_handshake(unsigned role)
{
    return role == TS_ROLE_SYN || role == TS_ROLE_SYN_ACK || role == TS_ROLE_HANDSHAKE_ACK;
}

int ts_role_is_teardown(unsigned role)
{
    return role == TS_ROLE_FIN || role == TS_ROLE_FIN_ACK_OF_FIN || role == TS_ROLE_ACK_OF_FIN ||
           role == TS_ROLE_FINAL_ACK;
}

/* ---- The stored verdict (tcpstate_core.h, TS_VERDICT_FIELDS) ---- */

#define TS_COPY_TO_VERDICT(type, name, dim) memcpy(&v->name, &r->name, sizeof v->name);
#define TS_COPY_TO_RESULT(type, name, dim) memcpy(&r->name, &v->name, sizeof r->name);

void ts_verdict_of(const ts_result *r, ts_verdict *v)
{
    memset(v, 0, sizeof *v);
    TS_VERDICT_FIELDS(TS_COPY_TO_VERDICT)
}

void ts_verdict_apply(const ts_verdict *v, ts_result *r)
{
    TS_VERDICT_FIELDS(TS_COPY_TO_RESULT)
}
