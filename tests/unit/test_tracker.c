/*
 * test_tracker.c: unit tests of the tcpstate core (core/tcpstate_core.h)
 * against the field contract, docs/spec.md, and RFC 9293.
 *
 * Each scenario is a connection between a client (port 40000) and a server
 * (port 6302). Segments are fed in capture order with raw sequence numbers;
 * after each one the result is checked: role, step, phase, sender, both
 * endpoints' prev/state, and where relevant the events, attempt and rst_kind.
 *
 * Build alone (from the repository root), linking every core source file:
 *   gcc -std=c11 -Wall -Wextra -Icore -Itests/unit core/tracker.c core/names.c
 *       core/describe.c tests/unit/test_tracker.c -o /tmp/tt && /tmp/tt
 */
#include "tcpstate_core.h"
#include "explain.h"
#include "notes.h"
#include "unit.h"

#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Scenario helper                                                          */
/* ------------------------------------------------------------------------ */

#define MS(x) ((int64_t)(x) * 1000000)
#define SEC(x) ((int64_t)(x) * 1000000000)

enum { C = TS_CLIENT, S = TS_SERVER };

/* Short state names for the expectation tables. */
enum {
    CL = TS_CLOSED, LI = TS_LISTEN, SS = TS_SYN_SENT, SR = TS_SYN_RECEIVED,
    ES = TS_ESTABLISHED, FW1 = TS_FIN_WAIT_1, FW2 = TS_FIN_WAIT_2, CW = TS_CLOSE_WAIT,
    CG = TS_CLOSING, LA = TS_LAST_ACK, TW = TS_TIME_WAIT
};

#define F_SYN TS_SYN
#define F_SA (TS_SYN | TS_ACK)
#define F_A TS_ACK
#define F_PA (TS_PSH | TS_ACK)
#define F_FA (TS_FIN | TS_ACK)
#define F_R TS_RST
#define F_RA (TS_RST | TS_ACK)

typedef struct {
    ts_conn conn;
    ts_config cfg;
    ts_result r;       /* result of the last segment */
    int first_side;    /* side that sent the stream's first segment; -1 before */
    uint16_t port[2];  /* by side: client 40000, server 6302 */
    int n;             /* segments fed so far */
    int ts_next;       /* the next segment carries the Timestamps option below (sc_ts) */
    uint32_t tsval, tsecr;
} scen;

static void sc_init(scen *s)
{
    memset(s, 0, sizeof *s);
    ts_conn_init(&s->conn);
    s->cfg.msl_ns = TS_DEFAULT_MSL_NS;
    s->first_side = -1;
    s->port[C] = 40000;
    s->port[S] = 6302;
}

/* Feed one segment sent by `side`; from_first is 1 when `side` sent the
 * stream's first segment. */
static const ts_result *sc_send(scen *s, int side, uint16_t flags, uint32_t seq, uint32_t ack,
                                uint32_t len, int64_t t)
{
    ts_segment seg;

    if (s->first_side < 0)
        s->first_side = side;
    memset(&seg, 0, sizeof seg);
    seg.time_ns = t;
    seg.seq = seq;
    seg.ack = ack;
    seg.len = len;
    seg.window = 64240;
    seg.flags = flags;
    seg.sport = s->port[side];
    seg.dport = s->port[1 - side];
    seg.from_first = (uint8_t)(side == s->first_side);
    if (s->ts_next) {
        seg.has_ts = 1;
        seg.tsval = s->tsval;
        seg.tsecr = s->tsecr;
        s->ts_next = 0;
    }
    ts_conn_track(&s->conn, &s->cfg, &seg, &s->r);
    s->n++;
    return &s->r;
}

static const ts_result *cli(scen *s, uint16_t f, uint32_t seq, uint32_t ack, uint32_t len, int64_t t)
{
    return sc_send(s, C, f, seq, ack, len, t);
}

static const ts_result *srv(scen *s, uint16_t f, uint32_t seq, uint32_t ack, uint32_t len, int64_t t)
{
    return sc_send(s, S, f, seq, ack, len, t);
}

/* The next segment sent carries a Timestamps option (RFC 7323 section 3.2). */
static void sc_ts(scen *s, uint32_t tsval, uint32_t tsecr)
{
    s->ts_next = 1;
    s->tsval = tsval;
    s->tsecr = tsecr;
}

/* Event names, for failure messages. */
static const char *const ev_names[] = {
    "MIDSTREAM", "SIMULTANEOUS_OPEN", "SIMULTANEOUS_CLOSE", "MERGED_CLOSE", "HALF_CLOSE",
    "RETRANSMISSION", "AFTER_CLOSE", "LOST_SYN_ACK", "LOST_HANDSHAKE_ACK", "LOST_FINAL_ACK",
    "LOST_ACK_OF_FIN", "TIME_WAIT_EXPIRED", "IN_TIME_WAIT", "NEW_CONNECTION", "ODD_FLAGS",
    "DATA_AFTER_FIN", "TIME_WAIT_ENTERED", "UNEXPECTED", "LOST_FIN", "LOST_RST", "SYNCHRONIZED",
    "RST_IGNORED", "REORDERED", "KEEPALIVE", "STALE", "GOT_UNSEEN_FIN", "SYN_UNSEEN", "FIN_UNSEEN",
    "ABORT_UNSEEN", "CANNOT_SHOW", "ECHO_TEST", "SHOWN_BY_ECHO", "FIN_WAS_DATA", "FIN_MAY_REPEAT",
    "NEW_BY_ECHO",
};

static const char *ev_str(ts_events ev)
{
    static char buf[2][400];
    static int which;
    char *b = buf[which ^= 1];
    size_t n = 0;

    b[0] = '\0';
    for (unsigned i = 0; i < sizeof ev_names / sizeof ev_names[0]; i++)
        if (ev & ((ts_events)1 << i))
            n += (size_t)snprintf(b + n, sizeof buf[0] - n, "%s%s", n ? "|" : "", ev_names[i]);
    if (!n)
        snprintf(b, sizeof buf[0], "0");
    return b;
}

/* Check role, step (0 = absent), phase, sender and both endpoints' prev/state
 * of the last segment. */
static void expect_at(const char *file, int line, const scen *s, unsigned role, unsigned step,
                      unsigned phase, unsigned sender, unsigned cprev, unsigned cstate,
                      unsigned sprev, unsigned sstate)
{
    const ts_result *r = &s->r;
    int k = s->n;

    unit_check(r->role == role, file, line, "seg %d role: expected %s, got %s", k,
               ts_role_name(role), ts_role_name(r->role));
    unit_check(r->step == step, file, line, "seg %d (%s) step: expected %u, got %u", k,
               ts_role_name(role), step, r->step);
    unit_check(r->phase == phase, file, line, "seg %d (%s) phase: expected %s, got %s", k,
               ts_role_name(role), ts_phase_name(phase), ts_phase_name(r->phase));
    unit_check(r->sender == sender, file, line, "seg %d (%s) sender: expected %s, got %s", k,
               ts_role_name(role), ts_side_name(sender), ts_side_name(r->sender));
    unit_check(r->prev[C] == cprev && r->state[C] == cstate, file, line,
               "seg %d (%s) client: expected %s -> %s, got %s -> %s", k, ts_role_name(role),
               ts_state_name(cprev), ts_state_name(cstate), ts_state_name(r->prev[C]),
               ts_state_name(r->state[C]));
    unit_check(r->prev[S] == sprev && r->state[S] == sstate, file, line,
               "seg %d (%s) server: expected %s -> %s, got %s -> %s", k, ts_role_name(role),
               ts_state_name(sprev), ts_state_name(sstate), ts_state_name(r->prev[S]),
               ts_state_name(r->state[S]));
}

#define EXPECT(s, role, step, phase, sender, cprev, cstate, sprev, sstate)                     \
    expect_at(__FILE__, __LINE__, (s), (role), (step), (phase), (sender), (cprev), (cstate),   \
              (sprev), (sstate))

/* Events: exactly these bits. */
#define EXPECT_EVENTS(s, ev)                                                                     \
    unit_check((s)->r.events == (ts_events)(ev), __FILE__, __LINE__,                             \
               "seg %d events: expected %s, got %s", (s)->n, ev_str((ts_events)(ev)),            \
               ev_str((s)->r.events))
/* Events: at least these bits. */
#define EXPECT_EV(s, ev)                                                                         \
    unit_check(((s)->r.events & (ts_events)(ev)) == (ts_events)(ev), __FILE__, __LINE__,          \
               "seg %d events: expected at least %s, got %s", (s)->n, ev_str((ts_events)(ev)),   \
               ev_str((s)->r.events))
/* Events: none of these bits. */
#define EXPECT_NOEV(s, ev)                                                                       \
    unit_check(((s)->r.events & (ts_events)(ev)) == 0, __FILE__, __LINE__,                       \
               "seg %d events: expected none of %s, got %s", (s)->n, ev_str((ts_events)(ev)),    \
               ev_str((s)->r.events))
#define EXPECT_FIELD(s, field, v)                                                                \
    unit_check((long long)(s)->r.field == (long long)(v), __FILE__, __LINE__,                   \
               "seg %d " #field ": expected %lld, got %lld", (s)->n, (long long)(v),            \
               (long long)(s)->r.field)

/* The bits that mark something unusual; a textbook segment has none. */
#define EV_ANOMALY                                                                               \
    (TS_EV_MIDSTREAM | TS_EV_SIMULTANEOUS_OPEN | TS_EV_SIMULTANEOUS_CLOSE | TS_EV_RETRANSMISSION | \
     TS_EV_AFTER_CLOSE | TS_EV_LOST_SYN_ACK | TS_EV_LOST_HANDSHAKE_ACK | TS_EV_LOST_FINAL_ACK |  \
     TS_EV_LOST_ACK_OF_FIN | TS_EV_TIME_WAIT_EXPIRED | TS_EV_NEW_CONNECTION | TS_EV_ODD_FLAGS | \
     TS_EV_DATA_AFTER_FIN | TS_EV_UNEXPECTED)

/* Client ISN 1000, server ISN 5000: the opening three segments at 0, 10, 30 ms. */
static void open_3way(scen *s)
{
    cli(s, F_SYN, 1000, 0, 0, MS(0));
    srv(s, F_SA, 5000, 1001, 0, MS(10));
    cli(s, F_A, 1001, 5001, 0, MS(30));
}

/* ------------------------------------------------------------------------ */
/* Names (docs/spec.md tokens)                                                   */
/* ------------------------------------------------------------------------ */

/* docs/spec.md "Per-segment fields": state names are RFC 9293's, upper case with
 * hyphens; roles, phases and sides are the tokens of the tables. These are
 * the public interface: compare them exactly. */
static void test_names(void)
{
    static const char *const states[] = { "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED",
                                          "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
                                          "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT" };
    static const char *const roles[] = { "rst", "syn", "syn-ack", "handshake-ack",
                                         "fin+ack-of-fin", "fin", "ack-of-fin", "final-ack",
                                         "data", "ack" };
    static const char *const phases[] = { "handshake", "data", "teardown", "reset", "closed" };

    CHECK_INT(sizeof states / sizeof states[0], TS_STATE_COUNT);
    CHECK_INT(sizeof roles / sizeof roles[0], TS_ROLE_COUNT);
    CHECK_INT(sizeof phases / sizeof phases[0], TS_PHASE_COUNT);
    for (unsigned i = 0; i < TS_STATE_COUNT; i++)
        CHECK_STR(ts_state_name(i), states[i]);
    for (unsigned i = 0; i < TS_ROLE_COUNT; i++)
        CHECK_STR(ts_role_name(i), roles[i]);
    for (unsigned i = 0; i < TS_PHASE_COUNT; i++)
        CHECK_STR(ts_phase_name(i), phases[i]);
    CHECK_STR(ts_side_name(TS_CLIENT), "client");
    CHECK_STR(ts_side_name(TS_SERVER), "server");

    /* Out of range: "?" (never NULL). */
    CHECK_STR(ts_state_name(TS_STATE_COUNT), "?");
    CHECK_STR(ts_state_name(255), "?");
    CHECK_STR(ts_state_name(~0u), "?");
    CHECK_STR(ts_role_name(TS_ROLE_COUNT), "?");
    CHECK_STR(ts_role_name(~0u), "?");
    CHECK_STR(ts_phase_name(TS_PHASE_COUNT), "?");
    CHECK_STR(ts_phase_name(~0u), "?");
    CHECK_STR(ts_side_name(2), "?");
    CHECK_STR(ts_side_name(~0u), "?");

    /* Milestone roles (docs/spec.md "Roles": handshake steps 1-3, teardown steps). */
    for (unsigned i = 0; i <= TS_ROLE_COUNT; i++) {
        int hs = i == TS_ROLE_SYN || i == TS_ROLE_SYN_ACK || i == TS_ROLE_HANDSHAKE_ACK;
        int td = i == TS_ROLE_FIN || i == TS_ROLE_FIN_ACK_OF_FIN || i == TS_ROLE_ACK_OF_FIN ||
                 i == TS_ROLE_FINAL_ACK;
        CHECK_MSG(!!ts_role_is_handshake(i) == hs, "ts_role_is_handshake(%u) != %d", i, hs);
        CHECK_MSG(!!ts_role_is_teardown(i) == td, "ts_role_is_teardown(%u) != %d", i, td);
    }
}

/* ------------------------------------------------------------------------ */
/* Three-way handshake                                                      */
/* ------------------------------------------------------------------------ */

/* RFC 9293 section 3.5 figure 6 / docs/spec.md roles syn, syn-ack, handshake-ack
 * (steps 1-3, phase handshake). The server is LISTEN before the first SYN;
 * the sender changes state as it sends, the receiver as it receives.
 * handshake_rtt: from the first SYN to the handshake-ack, on the
 * handshake-ack and every later segment. */
static void test_handshake(void)
{
    scen s;
    sc_init(&s);

    cli(&s, F_SYN, 1000, 0, 0, MS(100));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, LI, SR);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 3);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);
    EXPECT_FIELD(&s, assumed, 0);
    EXPECT_FIELD(&s, rst_kind, TS_RST_NONE);
    EXPECT_FIELD(&s, corrected, 0);
    EXPECT_FIELD(&s, attempt, 0);

    srv(&s, F_SA, 5000, 1001, 0, MS(112));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 3);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);

    cli(&s, F_A, 1001, 5001, 0, MS(125));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 3);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(25));

    /* Data and pure ACKs: roles data / ack, phase data, no step. */
    cli(&s, F_PA, 1001, 5001, 100, MS(130));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(25));
    EXPECT_FIELD(&s, len, 100);
    EXPECT_FIELD(&s, flags, F_PA);

    srv(&s, F_A, 5001, 1101, 0, MS(140));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(25));

    srv(&s, F_PA, 5001, 1101, 1460, MS(150));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(25));

    /* A duplicate ACK and a window update are still plain acks. */
    cli(&s, F_A, 1101, 6461, 0, MS(160));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    cli(&s, F_A, 1101, 6461, 0, MS(161));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(25));
    EXPECT_FIELD(&s, assumed, 0);
}

/* docs/spec.md roles: handshake-ack "moves the SYN-RECEIVED endpoint to
 * ESTABLISHED (it may carry data)": the role beats data. */
static void test_handshake_ack_with_data(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(5));
    cli(&s, F_PA, 1001, 5001, 200, MS(7));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(7));
    EXPECT_FIELD(&s, len, 200);
    EXPECT_NOEV(&s, EV_ANOMALY);

    /* The next data segment is plain data. */
    cli(&s, F_PA, 1201, 5001, 200, MS(8));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(7));
}

/* ------------------------------------------------------------------------ */
/* Closing                                                                  */
/* ------------------------------------------------------------------------ */

/* RFC 9293 section 3.6 figure 12 (normal close) / docs/spec.md: a four-way close
 * is 1 fin, 2 ack-of-fin, 3 fin, 4 final-ack; step_total is known (4) from the
 * second milestone on. The active closer goes ESTABLISHED -> FIN-WAIT-1 ->
 * FIN-WAIT-2 -> TIME-WAIT, the passive one ESTABLISHED -> CLOSE-WAIT ->
 * LAST-ACK -> CLOSED. */
static void test_four_way_close(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 100, MS(40));
    srv(&s, F_A, 5001, 1101, 0, MS(50));

    cli(&s, F_FA, 1101, 5001, 0, MS(1000));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 0); /* not known yet */
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));

    srv(&s, F_A, 5001, 1102, 0, MS(1010));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 4);

    srv(&s, F_FA, 5001, 1102, 0, MS(1020));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    EXPECT_EVENTS(&s, TS_EV_TIME_WAIT_ENTERED);
    EXPECT_FIELD(&s, step_total, 4);
    EXPECT_FIELD(&s, attempt, 0);

    cli(&s, F_A, 1102, 5002, 0, MS(1030));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 4);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));

    /* docs/spec.md phase: closed "when both endpoints were CLOSED or TIME-WAIT
     * before it"; events AFTER_CLOSE, and IN_TIME_WAIT when the receiver is
     * in TIME-WAIT (RFC 9293 3.10.7.4, TIME-WAIT state takes the segment). */
    cli(&s, F_A, 1102, 5002, 0, MS(1040));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, C, TW, TW, CL, CL);
    EXPECT_EVENTS(&s, TS_EV_AFTER_CLOSE);
    srv(&s, F_PA, 5002, 1102, 10, MS(1050));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE | TS_EV_IN_TIME_WAIT);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));
}

/* The same close started by the server: roles and steps follow the segments,
 * not the sides. */
static void test_four_way_close_server_first(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    srv(&s, F_FA, 5001, 1001, 0, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    cli(&s, F_A, 1001, 5002, 0, MS(101));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, C, CW, CW, FW1, FW2);
    EXPECT_FIELD(&s, step_total, 4);
    cli(&s, F_FA, 1001, 5002, 0, MS(102));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, C, CW, LA, FW2, TW);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_ENTERED);
    srv(&s, F_A, 5002, 1002, 0, MS(103));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, S, LA, CL, TW, TW);
    EXPECT_NOEV(&s, EV_ANOMALY);
}

/* docs/spec.md: fin+ack-of-fin "has FIN and is the first to acknowledge the
 * peer's FIN (the merged second and third step: the three-way close)";
 * a merged close is 1 fin, 2 fin+ack-of-fin, 3 final-ack. The client gets
 * the ACK of its FIN and the server's FIN at once: FIN-WAIT-1 -> TIME-WAIT
 * (RFC 9293 3.10.7.4: the ACK check moves it to FIN-WAIT-2, the FIN check to
 * TIME-WAIT). */
static void test_merged_close(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);

    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    EXPECT_FIELD(&s, step_total, 0);

    srv(&s, F_FA, 5001, 1002, 0, MS(110));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    EXPECT_EVENTS(&s, TS_EV_MERGED_CLOSE | TS_EV_TIME_WAIT_ENTERED);
    EXPECT_FIELD(&s, step_total, 3);

    cli(&s, F_A, 1002, 5002, 0, MS(120));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, step_total, 3);

    /* Nothing more is a milestone. */
    cli(&s, F_A, 1002, 5002, 0, MS(130));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, C, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE);
}

/* A merged close whose FIN+ACK also carries data: the FIN occupies seq+len
 * (RFC 9293 3.4), and the final ACK must cover that. */
static void test_merged_close_with_data(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_FA | TS_PSH, 5001, 1002, 300, MS(110));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    EXPECT_EV(&s, TS_EV_MERGED_CLOSE);
    /* The ACK of the data only (5301) does not cover the FIN at 5301. */
    cli(&s, F_A, 1002, 5301, 0, MS(120));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, LA);
    cli(&s, F_A, 1002, 5302, 0, MS(121));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_FIELD(&s, step_total, 3);
}

/* RFC 9293 section 3.6 figure 13 (simultaneous close) / docs/spec.md proof "a FIN
 * whose ack does not cover the peer's earlier FIN (crossing FINs): its sender
 * is CLOSING"; its prev is what the previous segment reported (CLOSE-WAIT).
 * Steps: 1 fin, 2 fin, 3 final-ack, 4 final-ack. */
static void test_simultaneous_close(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);

    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);

    srv(&s, F_FA, 5001, 1001, 0, MS(101));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, CG, CW, CG);
    EXPECT_EVENTS(&s, TS_EV_SIMULTANEOUS_CLOSE);
    EXPECT_FIELD(&s, corrected, 1u << S);
    EXPECT_FIELD(&s, step_total, 4);

    cli(&s, F_A, 1002, 5002, 0, MS(102));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, CG, CG, CG, TW);
    EXPECT_EVENTS(&s, TS_EV_TIME_WAIT_ENTERED);
    EXPECT_FIELD(&s, step_total, 4);

    srv(&s, F_A, 5002, 1002, 0, MS(103));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, S, CG, TW, TW, TW);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_ENTERED);
    EXPECT_NOEV(&s, EV_ANOMALY);
    EXPECT_FIELD(&s, step_total, 4);

    /* Both in TIME-WAIT: closed. */
    cli(&s, F_A, 1002, 5002, 0, MS(104));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, C, TW, TW, TW, TW);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE | TS_EV_IN_TIME_WAIT);
}

/* The same crossing FINs with the ACKs arriving in the other order. */
static void test_simultaneous_close_other_order(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    srv(&s, F_FA, 5001, 1001, 0, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    cli(&s, F_FA, 1001, 5001, 0, MS(101));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, C, CW, CG, FW1, CG);
    EXPECT_EV(&s, TS_EV_SIMULTANEOUS_CLOSE);
    EXPECT_FIELD(&s, corrected, 1u << C);
    cli(&s, F_A, 1002, 5002, 0, MS(102));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, CG, CG, CG, TW);
    srv(&s, F_A, 5002, 1002, 0, MS(103));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, S, CG, TW, TW, TW);
}

/* docs/spec.md: HALF_CLOSE is "data from the side that has not closed, after the
 * peer's FIN" (RFC 9293 3.6: a CLOSE-WAIT endpoint may still send); only the
 * first such segment is noted. Phase teardown because an endpoint was in a
 * closing state before it. */
static void test_half_close(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    srv(&s, F_A, 5001, 1002, 0, MS(101));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);

    srv(&s, F_PA, 5001, 1002, 1000, MS(200));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, S, FW2, FW2, CW, CW);
    EXPECT_EVENTS(&s, TS_EV_HALF_CLOSE);
    cli(&s, F_A, 1002, 6001, 0, MS(201));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, FW2, FW2, CW, CW);
    EXPECT_EVENTS(&s, 0);
    srv(&s, F_PA, 6001, 1002, 1000, MS(300));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, S, FW2, FW2, CW, CW);
    EXPECT_EVENTS(&s, 0); /* the first data segment only */

    srv(&s, F_FA, 7001, 1002, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_ENTERED);
    EXPECT_NOEV(&s, TS_EV_HALF_CLOSE);
    cli(&s, F_A, 1002, 7002, 0, MS(401));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_FIELD(&s, step_total, 4);
}

/* docs/spec.md ack-of-fin "may carry data": the passive side's first ACK of the
 * FIN is ack-of-fin even with payload (the role table puts it above data). */
static void test_ack_of_fin_with_data(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_PA, 5001, 1002, 500, MS(101));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    EXPECT_FIELD(&s, len, 500);
    EXPECT_FIELD(&s, step_total, 4);
}

/* RFC 9293 section 3.4 / docs/spec.md "first to acknowledge the peer's FIN": a FIN
 * occupies one sequence number after the segment's data (seq + len); an ACK
 * acknowledges it only when ack > that number. Comparisons are modulo 2^32. */
static void test_fin_ack_by_number(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);

    /* FIN carrying 50 bytes: occupies 1001 + 50 = 1051. */
    cli(&s, F_FA | TS_PSH, 1001, 5001, 50, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    /* ack 1001: acknowledges nothing new. */
    srv(&s, F_A, 5001, 1001, 0, MS(101));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, FW1, FW1, CW, CW);
    /* ack 1051 = FIN seq: the data, not the FIN. */
    srv(&s, F_A, 5001, 1051, 0, MS(102));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, FW1, FW1, CW, CW);
    EXPECT_NOEV(&s, EV_ANOMALY);
    /* ack 1052 = FIN seq + 1: the ACK of the FIN. */
    srv(&s, F_A, 5001, 1052, 0, MS(103));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    /* Not the first any more. */
    srv(&s, F_A, 5001, 1052, 0, MS(104));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, FW2, FW2, CW, CW);

    /* The server's FIN after it already acknowledged the client's FIN: the
     * plain second FIN of a four-way close (not fin+ack-of-fin: it is not
     * the first to acknowledge that FIN). */
    srv(&s, F_FA, 5001, 1052, 0, MS(105));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    /* The client's ACK below the server's FIN (5001) is not the final ACK. */
    cli(&s, F_A, 1052, 5001, 0, MS(106));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, LA);
    cli(&s, F_A, 1052, 5002, 0, MS(107));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);

    /* A FIN+ACK whose ack is one short of the peer's FIN, before any ACK of
     * it: the FINs crossed (simultaneous close), not fin+ack-of-fin. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA | TS_PSH, 1001, 5001, 50, MS(100));
    srv(&s, F_FA, 5001, 1051, 0, MS(101));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, CG, CW, CG);
    EXPECT_EV(&s, TS_EV_SIMULTANEOUS_CLOSE);
    EXPECT_NOEV(&s, TS_EV_MERGED_CLOSE);
}

/* The same rules with sequence numbers that wrap past 2^32 (RFC 9293 3.4:
 * arithmetic modulo 2^32). Client ISN 0xFFFFFFF0, server ISN 0xFFFFFFFA. */
static void test_wraparound(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 0xFFFFFFF0u, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, LI, SR);
    srv(&s, F_SA, 0xFFFFFFFAu, 0xFFFFFFF1u, 0, MS(1));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    cli(&s, F_A, 0xFFFFFFF1u, 0xFFFFFFFBu, 0, MS(2));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(2));

    /* 15 bytes 0xFFFFFFF1..0xFFFFFFFF, then a FIN with 16 bytes at 0:
     * the FIN occupies 0x10. */
    cli(&s, F_PA, 0xFFFFFFF1u, 0xFFFFFFFBu, 15, MS(3));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    cli(&s, F_FA, 0x00000000u, 0xFFFFFFFBu, 16, MS(4));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    /* (Within the server's round trip of 1 ms after the FIN: acks that do
     * not cover it yet crossed it; later they would prove it lost.) */
    srv(&s, F_A, 0xFFFFFFFBu, 0xFFFFFFFFu, 0, MS(4) + 300000); /* before the wrap */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, FW1, FW1, CW, CW);
    srv(&s, F_A, 0xFFFFFFFBu, 0x00000010u, 0, MS(4) + 600000); /* the FIN's own number */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, FW1, FW1, CW, CW);
    srv(&s, F_A, 0xFFFFFFFBu, 0x00000011u, 0, MS(7));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    /* Server FIN with 4 bytes at 0xFFFFFFFB: occupies 0xFFFFFFFF; its ACK is 0. */
    srv(&s, F_FA, 0xFFFFFFFBu, 0x00000011u, 4, MS(8));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    cli(&s, F_A, 0x00000011u, 0xFFFFFFFFu, 0, MS(9));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, LA);
    cli(&s, F_A, 0x00000011u, 0x00000000u, 0, MS(10));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);

    /* A SYN at 0xFFFFFFFF is acknowledged by ack 0; a merged close whose FIN
     * sits at 0xFFFFFFFF likewise. */
    sc_init(&s);
    cli(&s, F_SYN, 0xFFFFFFFFu, 0, 0, MS(0));
    srv(&s, F_SA, 0xFFFFFFFEu, 0x00000000u, 0, MS(1));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    cli(&s, F_A, 0x00000000u, 0xFFFFFFFFu, 0, MS(2));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    srv(&s, F_FA, 0xFFFFFFFFu, 0x00000000u, 0, MS(3));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    cli(&s, F_FA, 0x00000000u, 0x00000000u, 0, MS(4));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, C, CW, LA, FW1, TW);
    EXPECT_EV(&s, TS_EV_MERGED_CLOSE);
    srv(&s, F_A, 0x00000000u, 0x00000001u, 0, MS(5));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, S, LA, CL, TW, TW);
    EXPECT_FIELD(&s, step_total, 3);
}

/* ------------------------------------------------------------------------ */
/* Simultaneous open                                                        */
/* ------------------------------------------------------------------------ */

/* RFC 9293 section 3.5 figure 7 / docs/spec.md proof "the side taken to be
 * listening sends a SYN without ACK (crossing SYNs: simultaneous open): it
 * is SYN-RECEIVED"; role syn (handshake 1) for each side's SYN. Then each
 * side's SYN-ACK (syn-ack, step 2) moves its receiver to ESTABLISHED. */
static void test_simultaneous_open(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, LI, SR);

    srv(&s, F_SYN, 5000, 0, 0, MS(1));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, S, SS, SR, SR, SR);
    EXPECT_EVENTS(&s, TS_EV_SIMULTANEOUS_OPEN);
    EXPECT_FIELD(&s, step_total, 3);
    EXPECT_FIELD(&s, attempt, 0);

    cli(&s, F_SA, 1000, 5001, 0, MS(2));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, C, SR, SR, SR, ES);
    EXPECT_NOEV(&s, EV_ANOMALY);

    srv(&s, F_SA, 5000, 1001, 0, MS(3));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SR, ES, ES, ES);
    EXPECT_NOEV(&s, EV_ANOMALY);

    cli(&s, F_PA, 1001, 5001, 10, MS(4));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_NOEV(&s, EV_ANOMALY);
    /* The sender was decided by the first SYN without ACK: the client. */
    srv(&s, F_A, 5001, 1011, 0, MS(5));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
}

/* The crossing SYN-ACKs seen in the other order. */
static void test_simultaneous_open_other_order(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SYN, 5000, 0, 0, MS(1));
    EXPECT_EV(&s, TS_EV_SIMULTANEOUS_OPEN);
    srv(&s, F_SA, 5000, 1001, 0, MS(2));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SR, ES, SR, SR);
    cli(&s, F_SA, 1000, 5001, 0, MS(3));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_NOEV(&s, EV_ANOMALY);
}

/* ------------------------------------------------------------------------ */
/* Retransmissions                                                          */
/* ------------------------------------------------------------------------ */

/* docs/spec.md: "A retransmitted SYN, SYN-ACK or FIN keeps the role of the segment
 * it repeats, and an expert info says which attempt it is"; step is "absent
 * ... for retransmissions". handshake_rtt is measured from the FIRST SYN. */
static void test_retransmitted_syn(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, LI, SR);
    cli(&s, F_SYN, 1000, 0, 0, MS(1000));
    EXPECT(&s, TS_ROLE_SYN, 0, TS_PHASE_HANDSHAKE, C, SS, SS, SR, SR);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 0);
    cli(&s, F_SYN, 1000, 0, 0, MS(3000));
    EXPECT(&s, TS_ROLE_SYN, 0, TS_PHASE_HANDSHAKE, C, SS, SS, SR, SR);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION);
    EXPECT_FIELD(&s, attempt, 3);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);

    srv(&s, F_SA, 5000, 1001, 0, MS(3010));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, attempt, 0);
    cli(&s, F_A, 1001, 5001, 0, MS(3020));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(3020));
}

static void test_retransmitted_syn_ack(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(1));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    srv(&s, F_SA, 5000, 1001, 0, MS(1001));
    EXPECT(&s, TS_ROLE_SYN_ACK, 0, TS_PHASE_HANDSHAKE, S, ES, ES, SR, SR);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION);
    EXPECT_FIELD(&s, attempt, 2);
    srv(&s, F_SA, 5000, 1001, 0, MS(3001));
    EXPECT(&s, TS_ROLE_SYN_ACK, 0, TS_PHASE_HANDSHAKE, S, ES, ES, SR, SR);
    EXPECT_FIELD(&s, attempt, 3);
    cli(&s, F_A, 1001, 5001, 0, MS(3002));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(3002));
    EXPECT_EVENTS(&s, 0);
}

static void test_retransmitted_fin(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    cli(&s, F_FA, 1001, 5001, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, CW, CW);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_CANNOT_SHOW);
    EXPECT_FIELD(&s, attempt, 2);
    cli(&s, F_FA, 1001, 5001, 0, MS(1000));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, CW, CW);
    EXPECT_FIELD(&s, attempt, 3);
    /* Teardown steps count first transmissions only. */
    srv(&s, F_A, 5001, 1002, 0, MS(1001));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    EXPECT_FIELD(&s, step_total, 4);
    srv(&s, F_FA, 5001, 1002, 0, MS(1002));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    EXPECT_FIELD(&s, attempt, 0);
    cli(&s, F_A, 1002, 5002, 0, MS(1003));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
}

/* A retransmitted FIN+ACK of a merged close keeps the role fin+ack-of-fin,
 * gets no step; the client in TIME-WAIT takes it there (RFC 9293 3.10.7.4). */
static void test_retransmitted_fin_ack_of_fin(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_FA, 5001, 1002, 0, MS(101));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    srv(&s, F_FA, 5001, 1002, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, LA, LA);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_IN_TIME_WAIT);
    EXPECT_NOEV(&s, TS_EV_LOST_FINAL_ACK | TS_EV_LOST_ACK_OF_FIN | TS_EV_TIME_WAIT_ENTERED);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 0);
    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_FIELD(&s, step_total, 3);
}

/* ------------------------------------------------------------------------ */
/* Proofs that the wire model was wrong (docs/spec.md table)                     */
/* ------------------------------------------------------------------------ */

/* "the client retransmits its SYN after a SYN-ACK was seen (the SYN-ACK was
 * lost): client SYN-SENT"; prev is what the previous segment reported. */
static void test_proof_lost_syn_ack(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(1));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    cli(&s, F_SYN, 1000, 0, 0, MS(1000));
    EXPECT(&s, TS_ROLE_SYN, 0, TS_PHASE_HANDSHAKE, C, ES, SS, SR, SR);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_SYN_ACK);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << C);
    /* The server repeats its SYN-ACK; now it arrives. */
    srv(&s, F_SA, 5000, 1001, 0, MS(1001));
    EXPECT(&s, TS_ROLE_SYN_ACK, 0, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 0);
    cli(&s, F_A, 1001, 5001, 0, MS(1002));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(1002));
    EXPECT_EVENTS(&s, 0);
}

/* "the server repeats its SYN-ACK after the handshake-ack was seen": no ACK of
 * it reached the server, which is SYN-RECEIVED again. The client's next ACK
 * moves it to ESTABLISHED (role handshake-ack: "moves the SYN-RECEIVED
 * endpoint to ESTABLISHED"). */
static void test_proof_lost_handshake_ack(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));
    srv(&s, F_SA, 5000, 1001, 0, MS(1010));
    EXPECT(&s, TS_ROLE_SYN_ACK, 0, TS_PHASE_HANDSHAKE, S, ES, ES, ES, SR);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_HANDSHAKE_ACK);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << S);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));
    cli(&s, F_A, 1001, 5001, 0, MS(1011));
    EXPECT_FIELD(&s, role, TS_ROLE_HANDSHAKE_ACK);
    EXPECT_FIELD(&s, phase, TS_PHASE_HANDSHAKE);
    EXPECT_FIELD(&s, prev[S], SR);
    EXPECT_FIELD(&s, state[S], ES);
    EXPECT_FIELD(&s, state[C], ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));
}

/* "an endpoint taken to be CLOSED retransmits its FIN (the final ACK was
 * lost): it is LAST-ACK". The client in TIME-WAIT takes the FIN there and
 * stays (RFC 9293 3.10.7.4); its new ACK moves the server LAST-ACK ->
 * CLOSED, and is a plain ack: not the first to acknowledge that FIN. */
static void test_proof_lost_final_ack(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_A, 5001, 1002, 0, MS(101));
    srv(&s, F_FA, 5001, 1002, 0, MS(102));
    cli(&s, F_A, 1002, 5002, 0, MS(103));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);

    srv(&s, F_FA, 5001, 1002, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, CL, LA);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_FINAL_ACK | TS_EV_IN_TIME_WAIT);
    EXPECT_NOEV(&s, TS_EV_AFTER_CLOSE | TS_EV_LOST_ACK_OF_FIN | TS_EV_TIME_WAIT_ENTERED);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << S);

    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_NOEV(&s, TS_EV_AFTER_CLOSE);

    /* Now really closed. */
    cli(&s, F_A, 1002, 5002, 0, MS(402));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, C, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE);
}

/* The same proof after a merged close: the repeated FIN+ACK keeps the role
 * fin+ack-of-fin. */
static void test_proof_lost_final_ack_merged(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_FA, 5001, 1002, 0, MS(101));
    cli(&s, F_A, 1002, 5002, 0, MS(102));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    srv(&s, F_FA, 5001, 1002, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, CL, LA);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_FINAL_ACK | TS_EV_IN_TIME_WAIT);
    EXPECT_NOEV(&s, TS_EV_MERGED_CLOSE | TS_EV_AFTER_CLOSE);
    EXPECT_FIELD(&s, corrected, 1u << S);
    EXPECT_FIELD(&s, attempt, 2);
    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
}

/* "an endpoint taken to be FIN-WAIT-2 ... retransmits its FIN (the ACK of
 * that FIN was lost): FIN-WAIT-1" (it has not received the peer's FIN). */
static void test_proof_lost_ack_of_fin_fw2(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_A, 5001, 1002, 0, MS(101));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    cli(&s, F_FA, 1001, 5001, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW2, FW1, CW, CW);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_ACK_OF_FIN);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << C);
    /* The server's repeated ACK: a plain ack now, FIN-WAIT-1 -> FIN-WAIT-2. */
    srv(&s, F_A, 5001, 1002, 0, MS(401));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    srv(&s, F_FA, 5001, 1002, 0, MS(500));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    cli(&s, F_A, 1002, 5002, 0, MS(501));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
}

/* "an endpoint taken to be ... TIME-WAIT retransmits its FIN: ... CLOSING"
 * (it has received the peer's FIN). The repeated FIN carries the ACK of the
 * server's FIN, which moves the server LAST-ACK -> CLOSED. */
static void test_proof_lost_ack_of_fin_tw(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_A, 5001, 1002, 0, MS(101));
    srv(&s, F_FA, 5001, 1002, 0, MS(102));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    cli(&s, F_FA, 1001, 5002, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, TW, CG, LA, CL);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_ACK_OF_FIN);
    EXPECT_NOEV(&s, TS_EV_LOST_FINAL_ACK);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << C);
    /* The server acknowledges the FIN again: CLOSING -> TIME-WAIT. */
    srv(&s, F_A, 5002, 1002, 0, MS(401));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, CG, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_ENTERED);
}

/* ------------------------------------------------------------------------ */
/* Resets                                                                   */
/* ------------------------------------------------------------------------ */

/* Bring a connection to a given point; returns the client's next seq and the
 * server's next seq through cseq and sseq. */
enum {
    AT_SYN, AT_SYN_ACK, AT_OPEN, AT_FIN1, AT_ACK_OF_FIN, AT_FIN2, AT_CLOSED_4WAY,
    AT_CLOSING, AT_BOTH_TW, AT_AFTER_RST, AT_SIM_OPEN, AT_COUNT
};

static void bring_to(scen *s, int at, uint32_t *cseq, uint32_t *sseq)
{
    *cseq = 1001;
    *sseq = 5001;
    switch (at) {
    case AT_SYN:
        cli(s, F_SYN, 1000, 0, 0, MS(0));
        return;
    case AT_SYN_ACK:
        cli(s, F_SYN, 1000, 0, 0, MS(0));
        srv(s, F_SA, 5000, 1001, 0, MS(1));
        return;
    case AT_SIM_OPEN:
        cli(s, F_SYN, 1000, 0, 0, MS(0));
        srv(s, F_SYN, 5000, 0, 0, MS(1));
        return;
    default:
        break;
    }
    open_3way(s);
    if (at == AT_OPEN)
        return;
    if (at == AT_AFTER_RST) {
        cli(s, F_R, 1001, 0, 0, MS(100));
        return;
    }
    if (at == AT_CLOSING || at == AT_BOTH_TW) {
        cli(s, F_FA, 1001, 5001, 0, MS(100));
        srv(s, F_FA, 5001, 1001, 0, MS(101));
        *cseq = 1002;
        *sseq = 5002;
        if (at == AT_BOTH_TW) {
            cli(s, F_A, 1002, 5002, 0, MS(102));
            srv(s, F_A, 5002, 1002, 0, MS(103));
        }
        return;
    }
    cli(s, F_FA, 1001, 5001, 0, MS(100));
    *cseq = 1002;
    if (at == AT_FIN1)
        return;
    srv(s, F_A, 5001, 1002, 0, MS(101));
    if (at == AT_ACK_OF_FIN)
        return;
    srv(s, F_FA, 5001, 1002, 0, MS(102));
    *sseq = 5002;
    if (at == AT_FIN2)
        return;
    cli(s, F_A, 1002, 5002, 0, MS(103));
}

/* RFC 9293 section 3.10.7 with RFC 5961 / docs/spec.md "RST acceptance": an
 * RST with the sequence number its receiver expects next (here the sender's
 * next one) closes both endpoints; role rst, phase reset; prev is the state
 * before it. A bare RST answering a SYN is ignored by the client in SYN-SENT.
 * rst_kind by the state before it (tcpstate_core.h): REFUSED = the server
 * answers the client's SYN with an RST it accepts, HANDSHAKE = during the handshake, ABORT =
 * ESTABLISHED, TEARDOWN = while closing, AFTER_CLOSE = both CLOSED/TIME-WAIT.
 * Then the receiver sends an ACK seconds later: an endpoint taken to be closed
 * by the RST that sends again never got it (docs/spec.md's proofs): it is
 * back where it was, unless it was CLOSED anyway - and where that ACK does not
 * cover a FIN it had been taken to have, it never got that FIN either
 * (`after`). */
static void test_rst_every_state(void)
{
    static const struct {
        int at, side;
        uint16_t flags;
        unsigned cprev, sprev, kind, ignored, after;
    } cases[] = {
        { AT_SYN, S, F_RA, SS, SR, TS_RST_REFUSED, 0, ES },
        { AT_SYN, S, F_R, SS, SR, TS_RST_HANDSHAKE, TS_RST_IGNORED_NO_ACK, 0 },
        { AT_SYN, C, F_R, SS, SR, TS_RST_HANDSHAKE, 0, SR },
        { AT_SYN_ACK, C, F_R, ES, SR, TS_RST_HANDSHAKE, 0, SR },
        { AT_SYN_ACK, S, F_RA, ES, SR, TS_RST_HANDSHAKE, 0, ES },
        { AT_SIM_OPEN, C, F_R, SR, SR, TS_RST_HANDSHAKE, 0, SR },
        { AT_SIM_OPEN, S, F_RA, SR, SR, TS_RST_HANDSHAKE, 0, SR },
        { AT_OPEN, C, F_R, ES, ES, TS_RST_ABORT, 0, ES },
        { AT_OPEN, S, F_RA, ES, ES, TS_RST_ABORT, 0, ES },
        { AT_FIN1, C, F_R, FW1, CW, TS_RST_TEARDOWN, 0, ES },
        { AT_FIN1, S, F_RA, FW1, CW, TS_RST_TEARDOWN, 0, FW1 },
        { AT_ACK_OF_FIN, S, F_R, FW2, CW, TS_RST_TEARDOWN, 0, FW2 },
        { AT_ACK_OF_FIN, C, F_RA, FW2, CW, TS_RST_TEARDOWN, 0, CW },
        { AT_FIN2, C, F_R, TW, LA, TS_RST_TEARDOWN, 0, LA },
        { AT_FIN2, S, F_R, TW, LA, TS_RST_TEARDOWN, 0, FW2 },
        { AT_CLOSING, C, F_R, CG, CG, TS_RST_TEARDOWN, 0, FW1 },
        { AT_CLOSING, S, F_RA, CG, CG, TS_RST_TEARDOWN, 0, FW1 },
        { AT_CLOSED_4WAY, C, F_R, TW, CL, TS_RST_AFTER_CLOSE, 0, CL },
        { AT_CLOSED_4WAY, S, F_R, TW, CL, TS_RST_AFTER_CLOSE, 0, TW },
        { AT_BOTH_TW, S, F_RA, TW, TW, TS_RST_AFTER_CLOSE, 0, TW },
        { AT_AFTER_RST, C, F_R, CL, CL, TS_RST_AFTER_CLOSE, 0, CL },
        { AT_AFTER_RST, S, F_RA, CL, CL, TS_RST_AFTER_CLOSE, 0, CL },
    };

    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scen s;
        uint32_t cseq, sseq;
        unsigned rcv = 1u - (unsigned)cases[i].side, after[2];
        sc_init(&s);
        unit_set_ctx("case %u (at %d, %s RST)", i, cases[i].at, ts_side_name(cases[i].side));
        bring_to(&s, cases[i].at, &cseq, &sseq);
        if (cases[i].side == C)
            cli(&s, cases[i].flags, cseq, sseq, 0, MS(500));
        else
            srv(&s, cases[i].flags, sseq, cseq, 0, MS(500));
        EXPECT_FIELD(&s, rst_kind, cases[i].kind);
        EXPECT_FIELD(&s, rst_ignored, cases[i].ignored);
        EXPECT_FIELD(&s, step, 0);
        EXPECT_NOEV(&s, TS_EV_ODD_FLAGS | TS_EV_UNEXPECTED);
        if (cases[i].ignored) {
            EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, cases[i].side, cases[i].cprev, cases[i].cprev,
                   cases[i].sprev, cases[i].sprev);
            EXPECT_EV(&s, TS_EV_RST_IGNORED);
            continue;
        }
        EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, cases[i].side, cases[i].cprev, CL,
               cases[i].sprev, CL);
        EXPECT_NOEV(&s, TS_EV_RST_IGNORED);

        /* The receiver sends again (the ack numbers stay below any FIN: an
         * ACK that covered a FIN sent before the RST would by the role table
         * still be that FIN's first ACK). */
        if (cases[i].side == C)
            srv(&s, F_A, sseq, 1001, 0, SEC(5));
        else
            cli(&s, F_A, cseq, 5001, 0, SEC(5));
        after[cases[i].side] = CL;
        after[rcv] = cases[i].after;
        EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, rcv, CL, after[C], CL, after[S]);
        EXPECT_FIELD(&s, rst_kind, TS_RST_NONE);
        if (cases[i].after == CL) {
            EXPECT_EV(&s, TS_EV_AFTER_CLOSE);
        } else {
            EXPECT_EV(&s, TS_EV_LOST_RST);
            EXPECT_FIELD(&s, cause[rcv], TS_CAUSE_CORRECTED);
        }
        /* The sender of the RST, CLOSED, sends after it: after close. */
        if (cases[i].side == C)
            cli(&s, F_A, cseq, sseq, 0, SEC(6));
        else
            srv(&s, F_A, sseq, cseq, 0, SEC(6));
        EXPECT_FIELD(&s, state[cases[i].side], CL);
    }
    unit_set_ctx("");
}

/* A stream whose first segment is a RST: the opening was not captured
 * (UNKNOWN_CONN); both taken to be ESTABLISHED before it (docs/spec.md), both
 * CLOSED after; sender by the port rule. */
static void test_rst_first(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_RA, 1000, 5000, 0, MS(0));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, ES, CL, ES, CL);
    EXPECT_FIELD(&s, rst_kind, TS_RST_UNKNOWN_CONN);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_EV(&s, TS_EV_MIDSTREAM);
    srv(&s, F_R, 5000, 0, 0, MS(1));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, CL, CL, CL, CL);
    EXPECT_FIELD(&s, rst_kind, TS_RST_AFTER_CLOSE);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_NOEV(&s, TS_EV_MIDSTREAM);

    /* From the server (lower port). */
    sc_init(&s);
    srv(&s, F_R, 5000, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, ES, CL, ES, CL);
    EXPECT_FIELD(&s, rst_kind, TS_RST_UNKNOWN_CONN);
}

/* docs/spec.md phase "closed when both endpoints were CLOSED or TIME-WAIT before
 * it"; AFTER_CLOSE: "both endpoints were CLOSED or TIME-WAIT before it". */
static void test_after_close(void)
{
    scen s;
    uint32_t cseq, sseq;
    sc_init(&s);
    bring_to(&s, AT_CLOSED_4WAY, &cseq, &sseq);
    cli(&s, F_PA, cseq, sseq, 20, MS(200));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_CLOSED, C, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE);
    srv(&s, F_A, sseq, cseq, 0, MS(201));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE | TS_EV_IN_TIME_WAIT);

    /* But while one endpoint is still LAST-ACK: teardown, not closed. */
    sc_init(&s);
    bring_to(&s, AT_FIN2, &cseq, &sseq);
    srv(&s, F_A, sseq, cseq, 0, MS(200));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, S, TW, TW, LA, LA);
    EXPECT_NOEV(&s, TS_EV_AFTER_CLOSE);
    EXPECT_EV(&s, TS_EV_IN_TIME_WAIT);
}

/* ------------------------------------------------------------------------ */
/* Capture starting mid-connection                                          */
/* ------------------------------------------------------------------------ */

/* docs/spec.md: "A stream whose opening was not captured starts with both
 * endpoints ESTABLISHED (tcpstate.assumed set on all its segments)"; sender:
 * "else the endpoint with the lower port is the server; else the sender of
 * the first captured segment is the client". MIDSTREAM on the first only. */
static void test_midstream(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_PA, 1001, 5001, 100, MS(0));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, TS_EV_MIDSTREAM);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);
    srv(&s, F_A, 5001, 1101, 0, MS(1));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, assumed, 1);
    /* A full close still works, with assumed on every segment. */
    cli(&s, F_FA, 1101, 5001, 0, MS(2));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    EXPECT_FIELD(&s, assumed, 1);
    srv(&s, F_FA, 5001, 1102, 0, MS(3));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    EXPECT_FIELD(&s, assumed, 1);
    cli(&s, F_A, 1102, 5002, 0, MS(4));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_NOEV(&s, TS_EV_MIDSTREAM);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);

    /* First segment from the server (lower port 6302 -> server). */
    sc_init(&s);
    srv(&s, F_A, 5001, 1001, 0, MS(0));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, TS_EV_MIDSTREAM);
    cli(&s, F_PA, 1001, 5001, 10, MS(1));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_EVENTS(&s, 0);

    /* The lower port decides even when it is the "client" label's port. */
    sc_init(&s);
    s.port[C] = 80;     /* the tracker must call this side the server */
    s.port[S] = 50000;
    cli(&s, F_A, 1001, 5001, 0, MS(0));
    EXPECT_FIELD(&s, sender, TS_SERVER);
    srv(&s, F_A, 5001, 1001, 0, MS(1));
    EXPECT_FIELD(&s, sender, TS_CLIENT);

    /* Equal ports: the first sender is the client, whichever it is. */
    sc_init(&s);
    s.port[C] = s.port[S] = 5555;
    srv(&s, F_A, 5001, 1001, 0, MS(0));
    EXPECT_FIELD(&s, sender, TS_CLIENT);
    EXPECT_FIELD(&s, assumed, 1);
    cli(&s, F_A, 1001, 5001, 0, MS(1));
    EXPECT_FIELD(&s, sender, TS_SERVER);
    sc_init(&s);
    s.port[C] = s.port[S] = 5555;
    cli(&s, F_A, 1001, 5001, 0, MS(0));
    EXPECT_FIELD(&s, sender, TS_CLIENT);
    srv(&s, F_A, 5001, 1001, 0, MS(1));
    EXPECT_FIELD(&s, sender, TS_SERVER);

    /* A first FIN: the close is tracked from ESTABLISHED. */
    sc_init(&s);
    srv(&s, F_FA, 5001, 1001, 0, MS(0));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    EXPECT_EV(&s, TS_EV_MIDSTREAM);
    EXPECT_FIELD(&s, assumed, 1);
}

/* docs/spec.md sender rule: "the sender of the first SYN without ACK is the client;
 * else the sender of the first SYN-ACK is the server" - before the port rule.
 * A stream starting with a SYN-ACK missed the client's SYN: the client is
 * SYN-SENT until the SYN-ACK reaches it. */
static void test_starts_with_syn_ack(void)
{
    scen s;
    sc_init(&s);
    srv(&s, F_SA, 5000, 1001, 0, MS(0));
    EXPECT_FIELD(&s, sender, TS_SERVER);
    EXPECT_FIELD(&s, role, TS_ROLE_SYN_ACK);
    EXPECT_FIELD(&s, phase, TS_PHASE_HANDSHAKE);
    EXPECT_FIELD(&s, prev[C], SS);
    EXPECT_FIELD(&s, state[C], ES);
    EXPECT_FIELD(&s, state[S], SR);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_EV(&s, TS_EV_MIDSTREAM);
    cli(&s, F_A, 1001, 5001, 0, MS(1));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, assumed, 1);
    EXPECT_NOEV(&s, TS_EV_MIDSTREAM);

    /* Ports reversed: the SYN-ACK still names its sender the server. */
    sc_init(&s);
    s.port[C] = 6302;
    s.port[S] = 40000;
    srv(&s, F_SA, 5000, 1001, 0, MS(0));
    EXPECT_FIELD(&s, sender, TS_SERVER);
    cli(&s, F_A, 1001, 5001, 0, MS(1));
    EXPECT_FIELD(&s, sender, TS_CLIENT);

    /* A SYN from the lower port: still the client. */
    sc_init(&s);
    s.port[C] = 22;
    s.port[S] = 60000;
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, LI, SR);
    EXPECT_FIELD(&s, assumed, 0);
    EXPECT_NOEV(&s, TS_EV_MIDSTREAM);
}

/* ------------------------------------------------------------------------ */
/* TIME-WAIT expiry                                                         */
/* ------------------------------------------------------------------------ */

/* docs/spec.md: "An endpoint in TIME-WAIT counts as CLOSED for a segment captured
 * more than 2xMSL (preference msl) after it entered TIME-WAIT" (RFC 9293
 * section 3.10.8, the 2 MSL timeout). With msl = 1 s the client, in TIME-WAIT
 * since the server's FIN at 102 ms, is still TIME-WAIT at 102 ms + 2 s and
 * CLOSED (TIME_WAIT_EXPIRED) 1 ns later. */
static void test_time_wait_expiry(void)
{
    scen s;
    uint32_t cseq, sseq;
    const int64_t entered = MS(102);

    sc_init(&s);
    s.cfg.msl_ns = SEC(1);
    bring_to(&s, AT_CLOSED_4WAY, &cseq, &sseq);
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);

    srv(&s, F_A, sseq, cseq, 0, entered + MS(1900));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_IN_TIME_WAIT);
    EXPECT_NOEV(&s, TS_EV_TIME_WAIT_EXPIRED);

    cli(&s, F_A, cseq, sseq, 0, entered + SEC(2));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, C, TW, TW, CL, CL);
    EXPECT_NOEV(&s, TS_EV_TIME_WAIT_EXPIRED);

    cli(&s, F_A, cseq, sseq, 0, entered + SEC(2) + 1);
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, C, CL, CL, CL, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_EXPIRED | TS_EV_AFTER_CLOSE);

    srv(&s, F_A, sseq, cseq, 0, entered + SEC(3));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
    EXPECT_NOEV(&s, TS_EV_TIME_WAIT_EXPIRED | TS_EV_IN_TIME_WAIT); /* only once */

    /* Default MSL 30 s (docs/spec.md): TIME-WAIT lasts Linux's 60 s. */
    sc_init(&s);
    bring_to(&s, AT_CLOSED_4WAY, &cseq, &sseq);
    srv(&s, F_A, sseq, cseq, 0, entered + SEC(59));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_NOEV(&s, TS_EV_TIME_WAIT_EXPIRED);
    srv(&s, F_A, sseq, cseq, 0, entered + SEC(61));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_EXPIRED);

    /* Both in TIME-WAIT after a simultaneous close: the server entered at
     * 102 ms (the client's final ACK), the client at 103 ms (the server's);
     * at 102 ms + 2 s + 1 ns only the server has expired. */
    sc_init(&s);
    s.cfg.msl_ns = SEC(1);
    bring_to(&s, AT_BOTH_TW, &cseq, &sseq);
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, S, CG, TW, TW, TW);
    srv(&s, F_A, sseq, cseq, 0, MS(102) + SEC(2) + 1);
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_EXPIRED | TS_EV_IN_TIME_WAIT);
    srv(&s, F_A, sseq, cseq, 0, MS(103) + SEC(2) + 1);
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_EXPIRED);
    EXPECT_NOEV(&s, TS_EV_IN_TIME_WAIT);
}

/* RFC 9293 section 3.10.7.4, TIME-WAIT state, "eighth, check the FIN bit":
 * a FIN received there is acknowledged and the 2 MSL timeout restarted. The
 * server's repeated FIN at 1.5 s (lost final ACK) restarts the client's
 * TIME-WAIT, so at 3 s (< 1.5 s + 2 s) it is still TIME-WAIT. */
static void test_time_wait_restart(void)
{
    scen s;
    uint32_t cseq, sseq;
    sc_init(&s);
    s.cfg.msl_ns = SEC(1);
    bring_to(&s, AT_CLOSED_4WAY, &cseq, &sseq);
    srv(&s, F_FA, 5001, 1002, 0, MS(102) + MS(1500));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, CL, LA);
    EXPECT_EV(&s, TS_EV_LOST_FINAL_ACK | TS_EV_IN_TIME_WAIT);
    cli(&s, F_A, 1002, 5002, 0, MS(102) + MS(1501));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    srv(&s, F_A, 5002, 1002, 0, MS(102) + SEC(3));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_NOEV(&s, TS_EV_TIME_WAIT_EXPIRED);
    srv(&s, F_A, 5002, 1002, 0, MS(102) + MS(1500) + SEC(2) + 1);
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_EXPIRED);
}

/* ------------------------------------------------------------------------ */
/* A new connection on the same tuple                                       */
/* ------------------------------------------------------------------------ */

/* RFC 9293 section 3.10.7.4 (a SYN in TIME-WAIT may open a new incarnation)
 * / tcpstate_core.h NEW_CONNECTION: a SYN with a new ISN after the old
 * connection finished starts a new handshake: syn step 1, client SYN-SENT,
 * server SYN-RECEIVED; steps 1-3 again and a new handshake_rtt; the teardown
 * steps start again from 1. */
static void test_new_connection(void)
{
    scen s;
    uint32_t cseq, sseq;
    sc_init(&s);
    bring_to(&s, AT_CLOSED_4WAY, &cseq, &sseq);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));

    cli(&s, F_SYN, 900000, 0, 0, SEC(5));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, TW, SS, CL, SR);
    EXPECT_EVENTS(&s, TS_EV_NEW_CONNECTION);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);
    EXPECT_FIELD(&s, step_total, 3);
    EXPECT_FIELD(&s, assumed, 0);

    srv(&s, F_SA, 700000, 900001, 0, SEC(5) + MS(40));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);
    cli(&s, F_A, 900001, 700001, 0, SEC(5) + MS(50));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(50));

    cli(&s, F_PA, 900001, 700001, 5, SEC(6));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(50));

    /* The new connection's close counts its own steps. */
    srv(&s, F_FA, 700001, 900006, 0, SEC(7));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    EXPECT_FIELD(&s, step_total, 0);
    cli(&s, F_FA, 900006, 700002, 0, SEC(7) + 1);
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, C, CW, LA, FW1, TW);
    EXPECT_FIELD(&s, step_total, 3);
    srv(&s, F_A, 700002, 900007, 0, SEC(7) + 2);
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, S, LA, CL, TW, TW);
}

/* A new connection after a RST, refused by the server: REFUSED (the server
 * answers the client's SYN with RST), not AFTER_CLOSE. */
static void test_new_connection_after_rst(void)
{
    scen s;
    uint32_t cseq, sseq;
    sc_init(&s);
    bring_to(&s, AT_AFTER_RST, &cseq, &sseq);
    cli(&s, F_SYN, 123456, 0, 0, SEC(1));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, CL, SR);
    EXPECT_EV(&s, TS_EV_NEW_CONNECTION);
    EXPECT_NOEV(&s, TS_EV_AFTER_CLOSE);
    srv(&s, F_RA, 0, 123457, 0, SEC(1) + 1);
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, SS, CL, SR, CL);
    EXPECT_FIELD(&s, rst_kind, TS_RST_REFUSED);
    /* docs/spec.md: the client repeats its SYN with the same ISN after an
     * RST refused it: that RST never reached it. A retransmission of the same
     * attempt (no step, attempt 2); the client is SYN-SENT again, the server,
     * where nobody listens, stays CLOSED. */
    cli(&s, F_SYN, 123456, 0, 0, SEC(2));
    EXPECT(&s, TS_ROLE_SYN, 0, TS_PHASE_HANDSHAKE, C, CL, SS, CL, CL);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_RST);
    EXPECT_NOEV(&s, TS_EV_NEW_CONNECTION);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << C);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
    /* The server refuses it again: accepted, a refusal. */
    srv(&s, F_RA, 0, 123457, 0, SEC(2) + 1);
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, SS, CL, CL, CL);
    EXPECT_FIELD(&s, rst_kind, TS_RST_REFUSED);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_ACCEPTED);
}

/* A new connection from the other side (the old server opens): the sender
 * labels are decided once per stream and do not change (docs/spec.md sender). */
static void test_new_connection_other_side(void)
{
    scen s;
    uint32_t cseq, sseq;
    sc_init(&s);
    bring_to(&s, AT_CLOSED_4WAY, &cseq, &sseq);
    srv(&s, F_SYN, 777, 0, 0, SEC(300));
    EXPECT_FIELD(&s, sender, TS_SERVER);
    EXPECT_FIELD(&s, role, TS_ROLE_SYN);
    EXPECT_FIELD(&s, step, 1);
    EXPECT_FIELD(&s, state[S], SS);
    EXPECT_FIELD(&s, state[C], SR);
    EXPECT_EV(&s, TS_EV_NEW_CONNECTION);
    cli(&s, F_SA, 888, 778, 0, SEC(300) + MS(1));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, C, SR, SR, SS, ES);
    srv(&s, F_A, 778, 889, 0, SEC(300) + MS(3));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, S, SR, ES, ES, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(3));
}

/* ------------------------------------------------------------------------ */
/* Odd flag combinations                                                    */
/* ------------------------------------------------------------------------ */

/* tcpstate_core.h ODD_FLAGS: "SYN+FIN, SYN+RST, FIN+RST or no flags at all".
 * The role table's first fitting row still decides the role: RST beats SYN
 * (rst), SYN beats FIN (syn); without flags: data with payload, else ack. */
static void test_odd_flags(void)
{
    scen s;

    sc_init(&s);
    cli(&s, TS_SYN | TS_FIN, 1000, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, CL, SS, LI, SR);
    EXPECT_EV(&s, TS_EV_ODD_FLAGS);

    sc_init(&s);
    open_3way(&s);
    cli(&s, TS_SYN | TS_RST, 1001, 0, 0, MS(100));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, ES, CL, ES, CL);
    EXPECT_EV(&s, TS_EV_ODD_FLAGS);
    EXPECT_FIELD(&s, rst_kind, TS_RST_ABORT);

    sc_init(&s);
    open_3way(&s);
    srv(&s, TS_FIN | TS_RST | TS_ACK, 5001, 1001, 0, MS(100));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, ES, CL, ES, CL);
    EXPECT_EV(&s, TS_EV_ODD_FLAGS);
    EXPECT_FIELD(&s, rst_kind, TS_RST_ABORT);

    sc_init(&s);
    open_3way(&s);
    cli(&s, 0, 1001, 0, 30, MS(100));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, TS_EV_ODD_FLAGS);
    cli(&s, 0, 1031, 0, 0, MS(101));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, TS_EV_ODD_FLAGS);
    /* PSH alone (no ACK) is also "no SYN/RST/ACK". A normal ACK is not odd. */
    srv(&s, F_A, 5001, 1031, 0, MS(102));
    EXPECT_EVENTS(&s, 0);
    /* URG/ECE/CWR/PSH with ACK are ordinary. */
    srv(&s, TS_ACK | TS_PSH | TS_URG | TS_ECE | TS_CWR, 5001, 1031, 8, MS(103));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);

    /* A first segment without flags: midstream and odd. */
    sc_init(&s);
    cli(&s, 0, 1001, 0, 0, MS(0));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, TS_EV_MIDSTREAM | TS_EV_ODD_FLAGS);
    EXPECT_FIELD(&s, assumed, 1);

    /* A SYN+RST as a stream's first segment: rst; the server, LISTEN before
     * any SYN, ignores an RST (RFC 9293 section 3.10.7.2). */
    sc_init(&s);
    cli(&s, TS_SYN | TS_RST, 1000, 0, 0, MS(0));
    EXPECT_FIELD(&s, role, TS_ROLE_RST);
    EXPECT_FIELD(&s, phase, TS_PHASE_RESET);
    EXPECT_FIELD(&s, state[C], CL);
    EXPECT_FIELD(&s, state[S], LI);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_LISTEN);
    EXPECT_EV(&s, TS_EV_ODD_FLAGS);
    CHECK(s.r.rst_kind != TS_RST_NONE && s.r.rst_kind < TS_RST_COUNT);
}

/* ------------------------------------------------------------------------ */
/* Other per-segment facts                                                  */
/* ------------------------------------------------------------------------ */

/* tcpstate_core.h DATA_AFTER_FIN: new data sent after the sender's own FIN
 * (RFC 9293 3.10.2: after CLOSE no more SENDs); a retransmitted FIN that
 * carries its old data (ending at the FIN) is not new data. handshake_rtt
 * stays on every later segment (docs/spec.md), RST included. */
static void test_misc_facts(void)
{
    scen s;
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA | TS_PSH, 1001, 5001, 20, MS(100));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    EXPECT_NOEV(&s, TS_EV_DATA_AFTER_FIN);
    cli(&s, F_FA | TS_PSH, 1001, 5001, 20, MS(300)); /* the same FIN with its data */
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, CW, CW);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_CANNOT_SHOW);
    cli(&s, F_PA, 1022, 5001, 10, MS(301)); /* beyond the FIN */
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, CW, CW);
    EXPECT_EV(&s, TS_EV_DATA_AFTER_FIN);
    EXPECT_NOEV(&s, TS_EV_HALF_CLOSE); /* the sender is the side that closed */
    srv(&s, F_R, 5001, 0, 0, MS(302));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, FW1, CL, CW, CL);
    EXPECT_FIELD(&s, rst_kind, TS_RST_TEARDOWN);
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));
    srv(&s, F_A, 5001, 1001, 0, MS(303));
    EXPECT_FIELD(&s, handshake_rtt_ns, MS(30));
    EXPECT_FIELD(&s, phase, TS_PHASE_CLOSED);

    /* The result echoes the segment's flags and length. */
    cli(&s, TS_ACK | TS_PSH | TS_ECE, 1, 2, 77, MS(304));
    EXPECT_FIELD(&s, flags, TS_ACK | TS_PSH | TS_ECE);
    EXPECT_FIELD(&s, len, 77);
}

/* A FIN from the server while it is still SYN-RECEIVED (RFC 9293 3.10.4:
 * CLOSE in SYN-RECEIVED sends FIN and goes to FIN-WAIT-1); the client,
 * ESTABLISHED, goes to CLOSE-WAIT. */
static void test_fin_from_syn_received(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(1));
    srv(&s, F_FA, 5001, 1001, 0, MS(2));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, SR, FW1);
    /* The client's ACK acknowledges both the SYN-ACK and the FIN. The server
     * is no longer SYN-RECEIVED, so it is not a handshake-ack but the first
     * ACK of the server's FIN from a side that has not sent a FIN:
     * ack-of-fin, FIN-WAIT-1 -> FIN-WAIT-2 (RFC 9293 3.10.7.4). */
    cli(&s, F_A, 1001, 5002, 0, MS(3));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, C, CW, CW, FW1, FW2);
    EXPECT_FIELD(&s, step_total, 4);
}

/* ------------------------------------------------------------------------ */
/* Summary sentences                                                        */
/* ------------------------------------------------------------------------ */

static int starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* docs/spec.md tcpstate.summary: "what this segment does and what it changes, in
 * one plain sentence (e.g. "Teardown 2/3: ...; server CLOSE-WAIT -> LAST-ACK")".
 * Checks the milestone prefix and the arrow-separated state changes. */
static void expect_summary(const char *file, int line, const scen *s, const char *prefix,
                           const char *const *parts)
{
    char buf[512];
    size_t n = ts_describe(&s->r, buf, sizeof buf);

    unit_check(n == strlen(buf), file, line, "seg %d summary: returned %zu, strlen %zu", s->n, n,
               strlen(buf));
    unit_check(starts_with(buf, prefix), file, line,
               "seg %d summary: expected to start \"%s\", got \"%s\"", s->n, prefix, buf);
    for (; parts && *parts; parts++)
        unit_check(strstr(buf, *parts) != NULL, file, line,
                   "seg %d summary: expected to contain \"%s\", got \"%s\"", s->n, *parts, buf);
}

#define EXPECT_SUMMARY(s, prefix, ...)                                                          \
    do {                                                                                        \
        static const char *const parts_[] = { __VA_ARGS__, NULL };                              \
        expect_summary(__FILE__, __LINE__, (s), (prefix), parts_);                              \
    } while (0)

#define ARROW "\xe2\x86\x92" /* U+2192 RIGHTWARDS ARROW, UTF-8 */

static void test_describe(void)
{
    scen s;
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    EXPECT_SUMMARY(&s, "Handshake 1/3: ", "client CLOSED " ARROW " SYN-SENT",
                   "server LISTEN " ARROW " SYN-RECEIVED");
    srv(&s, F_SA, 5000, 1001, 0, MS(1));
    EXPECT_SUMMARY(&s, "Handshake 2/3: ", "client SYN-SENT " ARROW " ESTABLISHED");
    cli(&s, F_A, 1001, 5001, 0, MS(2));
    EXPECT_SUMMARY(&s, "Handshake 3/3: ", "server SYN-RECEIVED " ARROW " ESTABLISHED");

    cli(&s, F_FA, 1001, 5001, 0, MS(10));
    EXPECT_SUMMARY(&s, "Teardown 1", "client ESTABLISHED " ARROW " FIN-WAIT-1",
                   "server ESTABLISHED " ARROW " CLOSE-WAIT");
    srv(&s, F_FA, 5001, 1002, 0, MS(11));
    EXPECT_SUMMARY(&s, "Teardown 2/3: the server's FIN+ACK acknowledges the client's FIN",
                   "server CLOSE-WAIT " ARROW " LAST-ACK",
                   "client FIN-WAIT-1 " ARROW " TIME-WAIT");
    cli(&s, F_A, 1002, 5002, 0, MS(12));
    EXPECT_SUMMARY(&s, "Teardown 3/3: ", "server LAST-ACK " ARROW " CLOSED");

    /* A four-way close's last step. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_A, 5001, 1002, 0, MS(101));
    EXPECT_SUMMARY(&s, "Teardown 2/4: ", "client FIN-WAIT-1 " ARROW " FIN-WAIT-2");
    srv(&s, F_FA, 5001, 1002, 0, MS(102));
    EXPECT_SUMMARY(&s, "Teardown 3/4: ", "server CLOSE-WAIT " ARROW " LAST-ACK",
                   "client FIN-WAIT-2 " ARROW " TIME-WAIT");
    cli(&s, F_A, 1002, 5002, 0, MS(103));
    EXPECT_SUMMARY(&s, "Teardown 4/4: ", "server LAST-ACK " ARROW " CLOSED");

    /* Tiny buffer: truncated, NUL-terminated, returns the full length. */
    {
        char full[512], small[16];
        size_t need = ts_describe(&s.r, full, sizeof full);
        size_t got;

        memset(small, 'X', sizeof small);
        got = ts_describe(&s.r, small, 8);
        CHECK_INT(got, need);
        CHECK_INT(small[7], '\0');
        CHECK_INT(strlen(small), 7);
        CHECK(strncmp(small, full, 7) == 0);
        CHECK_INT(small[8], 'X'); /* nothing written past size */
        CHECK(need > 8);

        memset(small, 'X', sizeof small);
        got = ts_describe(&s.r, small, 1);
        CHECK_INT(got, need);
        CHECK_INT(small[0], '\0');
        CHECK_INT(small[1], 'X');

        /* Size 0: writes nothing, not even through a NULL pointer. */
        CHECK_INT(ts_describe(&s.r, NULL, 0), need);
        memset(small, 'X', sizeof small);
        CHECK_INT(ts_describe(&s.r, small, 0), need);
        CHECK_INT(small[0], 'X');

        /* Exactly enough room. */
        {
            char exact[512];
            memset(exact, 'X', sizeof exact);
            CHECK_INT(ts_describe(&s.r, exact, need + 1), need);
            CHECK_STR(exact, full);
            CHECK_INT(exact[need + 1], 'X');
        }
    }

    /* A reset and a retransmission have their own heads. */
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    cli(&s, F_SYN, 1000, 0, 0, MS(1000));
    EXPECT_SUMMARY(&s, "SYN retransmission, attempt 2", "no state changes");
    srv(&s, F_RA, 0, 1001, 0, MS(1001));
    EXPECT_SUMMARY(&s, "Reset: nothing listens on the server's port: its TCP refuses the connection",
                   "client SYN-SENT " ARROW " CLOSED", "server SYN-RECEIVED " ARROW " CLOSED");
}

/* ------------------------------------------------------------------------ */
/* Robustness                                                               */
/* ------------------------------------------------------------------------ */

/* Deterministic pseudo-random numbers (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

typedef struct {
    long long bad_range, bad_rst, bad_phase, bad_step, bad_sender, bad_echo, bad_events,
        bad_describe, bad_attempt;
    char first[300];
} fuzz_stats;

static void fuzz_note(fuzz_stats *st, long long *counter, long i, const char *what)
{
    if (!st->first[0])
        snprintf(st->first, sizeof st->first, "segment %ld: %s", i, what);
    (*counter)++;
}

static int is_closed_or_tw(unsigned s)
{
    return s == TS_CLOSED || s == TS_TIME_WAIT;
}

static int is_closing(unsigned s)
{
    return s == TS_FIN_WAIT_1 || s == TS_FIN_WAIT_2 || s == TS_CLOSING || s == TS_CLOSE_WAIT ||
           s == TS_LAST_ACK;
}

/* Check one result against the ranges and the rules of docs/spec.md that can be
 * derived from the result alone. */
static void fuzz_check(fuzz_stats *st, long i, const ts_segment *seg, const ts_result *r,
                       int sender_of_first)
{
    char buf[400], full[1024];
    size_t size, need, n;
    unsigned expect_phase;

    if (r->role >= TS_ROLE_COUNT || r->phase >= TS_PHASE_COUNT || r->prev[0] >= TS_STATE_COUNT ||
        r->prev[1] >= TS_STATE_COUNT || r->state[0] >= TS_STATE_COUNT ||
        r->state[1] >= TS_STATE_COUNT || r->step > 4 || r->sender > 1 ||
        r->rst_kind >= TS_RST_COUNT || r->assumed > 1 || r->corrected > 3 ||
        (r->step_total != 0 && r->step_total != 3 && r->step_total != 4))
        fuzz_note(st, &st->bad_range, i, "a field out of range");

    /* docs/spec.md: "An accepted rst puts both endpoints in CLOSED" (a
     * listener that sent it listens on); one that is not accepted changes
     * no state. rst_kind only on rst. */
    if ((r->role == TS_ROLE_RST) != (r->rst_kind != TS_RST_NONE) ||
        (r->role == TS_ROLE_RST && r->rst_ignored == TS_RST_ACCEPTED &&
         ((r->state[0] != TS_CLOSED && r->prev[0] != TS_LISTEN) ||
          (r->state[1] != TS_CLOSED && r->prev[1] != TS_LISTEN))) ||
        (r->role == TS_ROLE_RST && r->rst_ignored != TS_RST_ACCEPTED &&
         (r->state[0] != r->prev[0] || r->state[1] != r->prev[1])) ||
        (r->rst_ignored != TS_RST_ACCEPTED) != ((r->events & TS_EV_RST_IGNORED) != 0) ||
        (r->role == TS_ROLE_RST) != ((seg->flags & TS_RST) != 0))
        fuzz_note(st, &st->bad_rst, i, "rst role / rst_kind / CLOSED states disagree");

    /* docs/spec.md phase: "by the first rule that fits". */
    if (r->role == TS_ROLE_RST)
        expect_phase = TS_PHASE_RESET;
    else if (ts_role_is_handshake(r->role))
        expect_phase = TS_PHASE_HANDSHAKE;
    else if (ts_role_is_teardown(r->role) || is_closing(r->prev[0]) || is_closing(r->prev[1]))
        expect_phase = TS_PHASE_TEARDOWN;
    else if (is_closed_or_tw(r->prev[0]) && is_closed_or_tw(r->prev[1]))
        expect_phase = TS_PHASE_CLOSED;
    else
        expect_phase = TS_PHASE_DATA;
    if (r->phase != expect_phase)
        fuzz_note(st, &st->bad_phase, i, "phase does not follow docs/spec.md's phase rule");

    /* Steps only on milestones; handshake steps 1-3 and step_total 3. */
    if (r->step && !ts_role_is_handshake(r->role) && !ts_role_is_teardown(r->role))
        fuzz_note(st, &st->bad_step, i, "a step on a role that is no milestone");
    if (r->step && ts_role_is_handshake(r->role) && (r->step > 3 || r->step_total != 3))
        fuzz_note(st, &st->bad_step, i, "handshake step out of 1..3 or step_total != 3");
    if (!r->step && r->step_total)
        fuzz_note(st, &st->bad_step, i, "step_total without a step");
    /* docs/spec.md: step "absent ... for retransmissions". Not checked for a
     * handshake-ack: a FIN+ACK can be both the first ACK of a SYN-ACK and a
     * repeated FIN (e.g. after a RST, a SYN-ACK whose SYN was not captured,
     * then the client's FIN+ACK); the core gives it the handshake-ack role
     * and step 3 (see the report of this test suite). */
    if (r->step && (r->events & TS_EV_RETRANSMISSION) && r->role != TS_ROLE_HANDSHAKE_ACK)
        fuzz_note(st, &st->bad_step, i, "a step on a retransmission");
    /* Handshake roles from the flags. */
    if ((r->role == TS_ROLE_SYN) != ((seg->flags & (TS_SYN | TS_RST | TS_ACK)) == TS_SYN) ||
        (r->role == TS_ROLE_SYN_ACK) != ((seg->flags & (TS_SYN | TS_RST | TS_ACK)) == F_SA))
        fuzz_note(st, &st->bad_step, i, "syn / syn-ack role does not match the flags");
    if ((r->role == TS_ROLE_FIN || r->role == TS_ROLE_FIN_ACK_OF_FIN) &&
        !(seg->flags & TS_FIN))
        fuzz_note(st, &st->bad_step, i, "a fin role without FIN");

    /* docs/spec.md sender: decided once per stream. */
    if (r->sender != (seg->from_first ? sender_of_first : 1 - sender_of_first))
        fuzz_note(st, &st->bad_sender, i, "sender changed within the stream");

    if (r->flags != seg->flags || r->len != seg->len)
        fuzz_note(st, &st->bad_echo, i, "flags/len not echoed");
    if (r->events & ~TS_EV_DEFINED)
        fuzz_note(st, &st->bad_events, i, "an undefined event bit");
    if ((r->attempt != 0) != ((r->events & TS_EV_RETRANSMISSION) != 0) || r->attempt == 1)
        fuzz_note(st, &st->bad_attempt, i, "attempt and RETRANSMISSION disagree");

    /* ts_describe: never writes past size, always NUL-terminated, returns the
     * full length; a cut text ends before a UTF-8 character (up to 3 bytes
     * short of the room), never inside one. */
    need = ts_describe(r, full, sizeof full);
    size = rnd() % 300;
    memset(buf, 0x5A, sizeof buf);
    n = ts_describe(r, size ? buf : NULL, size);
    if (n != need || need != strlen(full) || need >= sizeof full ||
        (size && ((need < size ? strlen(buf) != need
                               : strlen(buf) > size - 1 || strlen(buf) + 3 < size - 1 ||
                                     ((unsigned char)full[strlen(buf)] & 0xC0) == 0x80) ||
                  strncmp(buf, full, strlen(buf)) != 0)))
        fuzz_note(st, &st->bad_describe, i, "ts_describe length/truncation wrong");
    for (size_t k = size; k < sizeof buf; k++)
        if ((unsigned char)buf[k] != 0x5A) {
            fuzz_note(st, &st->bad_describe, i, "ts_describe wrote past size");
            break;
        }
}

/* Random segments: mostly plausible flag sets near a few sequence bases (so
 * that ACKs sometimes cover SYNs and FINs), sometimes anything at all. */
static void fuzz_segment(ts_segment *seg, int64_t *t)
{
    static const uint16_t palette[] = { F_SYN, F_SA, F_A, F_PA, F_FA, F_FA | TS_PSH, F_R, F_RA,
                                        TS_SYN | TS_FIN, TS_SYN | TS_RST, TS_FIN | TS_RST, 0,
                                        TS_FIN, TS_SYN | TS_ACK | TS_FIN | TS_RST };
    static const uint32_t bases[] = { 1000, 5000, 0xFFFFFFF0u, 0x7FFFFFFFu };
    uint32_t x = rnd();

    memset(seg, 0, sizeof *seg);
    seg->flags = (x & 7) ? palette[rnd() % (sizeof palette / sizeof palette[0])]
                         : (uint16_t)(rnd() & 0x1FF);
    seg->seq = (x & 0x18) ? bases[rnd() % 4] + rnd() % 8 : rnd();
    seg->ack = (x & 0x60) ? bases[rnd() % 4] + rnd() % 8 : rnd();
    seg->len = (x & 0x180) == 0 ? rnd() : (x & 0x180) == 0x80 ? rnd() % 1500 : 0;
    seg->window = rnd() & 0xFFFF;
    seg->from_first = (uint8_t)(rnd() & 1);
    switch ((x >> 9) & 7) {
    case 0: *t -= (int64_t)(rnd() % 1000000000u); break;      /* backwards */
    case 1: *t += (int64_t)rnd() * 1000000; break;             /* far ahead */
    case 2: break;                                             /* same time */
    default: *t += (int64_t)(rnd() % 50000000u); break;        /* up to 50 ms */
    }
    if (*t > ((int64_t)1 << 61) || *t < -((int64_t)1 << 61))
        *t = 0;
    seg->time_ns = *t;
}

static void fuzz_run(int fresh_every, long count)
{
    fuzz_stats st;
    ts_conn conn;
    ts_config cfg;
    ts_result r;
    int64_t t = 0;
    int sender_of_first = 0;
    uint16_t ports[2] = { 40000, 6302 };
    long in_conn = 0;
    long roles[TS_ROLE_COUNT] = { 0 };

    memset(&st, 0, sizeof st);
    ts_conn_init(&conn);
    cfg.msl_ns = SEC(1);
    for (long i = 0; i < count; i++) {
        ts_segment seg;
        if (fresh_every && in_conn == fresh_every) {
            ts_conn_init(&conn);
            in_conn = 0;
            cfg.msl_ns = (rnd() & 1) ? MS(1) : SEC(60);
            /* Sometimes equal or reversed ports. */
            ports[0] = (uint16_t)((rnd() & 3) ? 40000 : 5555);
            ports[1] = (uint16_t)((rnd() & 3) ? 6302 : 5555);
        }
        fuzz_segment(&seg, &t);
        if (in_conn == 0)
            seg.from_first = 1;
        seg.sport = ports[seg.from_first ? 0 : 1];
        seg.dport = ports[seg.from_first ? 1 : 0];
        ts_conn_track(&conn, &cfg, &seg, &r);
        if (in_conn == 0)
            sender_of_first = r.sender;
        fuzz_check(&st, i, &seg, &r, sender_of_first);
        if (r.role < TS_ROLE_COUNT)
            roles[r.role]++;
        in_conn++;
    }

    unit_set_ctx("fresh every %d: %s", fresh_every, st.first);
    CHECK_INT(st.bad_range, 0);
    CHECK_INT(st.bad_rst, 0);
    CHECK_INT(st.bad_phase, 0);
    CHECK_INT(st.bad_step, 0);
    CHECK_INT(st.bad_sender, 0);
    CHECK_INT(st.bad_echo, 0);
    CHECK_INT(st.bad_events, 0);
    CHECK_INT(st.bad_attempt, 0);
    CHECK_INT(st.bad_describe, 0);
    /* The generator reaches every role. */
    for (unsigned k = 0; k < TS_ROLE_COUNT; k++)
        CHECK_MSG(roles[k] > 0, "role %s never produced", ts_role_name(k));
    unit_set_ctx("");
}

/* 200000 arbitrary segments through one connection, and through fresh
 * connections every 50 segments: every field in range, the docs/spec.md rules
 * that follow from a result alone hold, ts_describe never overflows. */

/* ------------------------------------------------------------------------ */
/* Regressions: odd orders found by the robustness run and by review        */
/* ------------------------------------------------------------------------ */

/* The active closer's TIME-WAIT ran out and it repeats its FIN: it never got
 * the ACK of its FIN, so it is CLOSING (SPEC proof table, last row), not
 * LAST-ACK, which only the passive closer reaches (RFC 9293 section 3.6). */
static void test_expired_active_closer_repeats_fin(void)
{
    scen s;

    sc_init(&s);
    s.cfg.msl_ns = SEC(1);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(40));
    srv(&s, F_A, 5001, 1002, 0, MS(50));
    srv(&s, F_FA, 5001, 1002, 0, MS(102));
    EXPECT(&s, TS_ROLE_FIN, 3, TS_PHASE_TEARDOWN, S, FW2, TW, CW, LA);
    cli(&s, F_FA, 1001, 5002, 0, SEC(3));
    /* Its ack covers the server's FIN: the server, in LAST-ACK, closes. */
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, CL, CG, LA, CL);
    EXPECT_EV(&s, TS_EV_TIME_WAIT_EXPIRED | TS_EV_LOST_ACK_OF_FIN | TS_EV_RETRANSMISSION);
    EXPECT_NOEV(&s, TS_EV_LOST_FINAL_ACK);
}

/* A repeated FIN keeps the role of the FIN it repeats and gets no step, even
 * when it also completes a handshake (SPEC "Roles": retransmissions). */
static void test_repeated_fin_completing_handshake(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(0));  /* midstream: a FIN first */
    srv(&s, F_RA, 5001, 1002, 0, MS(10)); /* reset: both CLOSED */
    srv(&s, F_SA, 7000, 1001, 0, MS(20)); /* a SYN-ACK with a new ISN: a new connection */
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, CL, ES, CL, SR);
    EXPECT_EV(&s, TS_EV_NEW_CONNECTION);
    cli(&s, F_FA, 1001, 7001, 0, MS(30)); /* completes the handshake, carries the FIN */
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, FW1, SR, CW);
    EXPECT_NOEV(&s, TS_EV_RETRANSMISSION);
    /* The FIN rode on the handshake-ack: the server's ACK of it is step 2 of 4. */
    srv(&s, F_A, 7001, 1002, 0, MS(40));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);
    EXPECT_FIELD(&s, step_total, 4);
    cli(&s, F_FA, 1001, 7001, 0, MS(200)); /* the FIN again, well after the ACK of it */
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW2, FW1, CW, CW);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_ACK_OF_FIN);
}

/* After an RST, acknowledging a FIN sent before it closes nothing: no
 * ack-of-fin or final-ack role, no step (RFC 9293 section 3.10.7: the reset
 * deleted the connection). */
static void test_ack_of_old_fin_after_rst(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(40));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    cli(&s, F_R, 1002, 0, 0, MS(50));
    EXPECT_FIELD(&s, rst_kind, TS_RST_TEARDOWN);
    srv(&s, F_A, 5001, 1002, 0, MS(60));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
    EXPECT_EV(&s, TS_EV_AFTER_CLOSE);
}

/* A client that already sent the handshake-ack and data proves it got the
 * SYN-ACK: a later repeat of its SYN is only a retransmission, not the proof
 * of a lost SYN-ACK. */
/* A clock that steps back between the SYN and the handshake-ack (merged or
 * re-ordered capture files) gives no RTT rather than a negative one. */
static void test_handshake_rtt_clock_back(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(100));
    srv(&s, F_SA, 5000, 1001, 0, MS(50));
    cli(&s, F_A, 1001, 5001, 0, MS(60));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    EXPECT_FIELD(&s, handshake_rtt_ns, -1);
}

static void test_syn_repeat_after_handshake(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    cli(&s, F_SYN, 1000, 0, 0, MS(50));
    EXPECT(&s, TS_ROLE_SYN, 0, TS_PHASE_HANDSHAKE, C, ES, ES, ES, ES);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION);
    EXPECT_NOEV(&s, TS_EV_LOST_SYN_ACK);
}


/* ------------------------------------------------------------------------ */
/* docs/spec.md v2: evidence, RST acceptance, keep-alive                    */
/* (open_3way: SYN at 0, SYN-ACK at 10 ms, ACK at 30 ms: the round trips    */
/* capture->server->capture 10 ms, capture->client->capture 20 ms)          */
/* ------------------------------------------------------------------------ */

/* A bare RST (no ACK) answering a SYN: the client in SYN-SENT ignores it
 * (RFC 9293 section 3.10.7.3); the real SYN-ACK that follows is the
 * handshake's step 2, not a new connection. */
static void test_rst_without_ack_in_syn_sent(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_R, 0, 0, 0, MS(1));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, SS, SS, SR, SR);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_NO_ACK);
    EXPECT_EV(&s, TS_EV_RST_IGNORED);
    srv(&s, F_SA, 5000, 1001, 0, MS(10));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    EXPECT_NOEV(&s, TS_EV_NEW_CONNECTION);
    cli(&s, F_A, 1001, 5001, 0, MS(30));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
}

/* RFC 9293 section 3.10.7.3, SYN-SENT: an RST is acceptable only if
 * ISS < SEG.ACK =< SND.NXT. One whose ack is the client's ISN (zeek's
 * rst-inject-rae.pcap frame 2) or beyond its SYN is dropped, and, answering
 * no SYN of the client's, refuses nothing; the SYN+ACK that follows opens
 * the connection. */
static void test_rst_ack_outside_syn_in_syn_sent(void)
{
    static const uint32_t acks[] = { 1000, 1002, 999 };

    for (unsigned i = 0; i < sizeof acks / sizeof acks[0]; i++) {
        scen s;
        sc_init(&s);
        unit_set_ctx("ack %u", acks[i]);
        cli(&s, F_SYN, 1000, 0, 0, MS(0));
        srv(&s, F_RA, 0, acks[i], 0, MS(233));
        EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, SS, SS, SR, SR);
        EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_NO_ACK);
        EXPECT_FIELD(&s, rst_kind, TS_RST_HANDSHAKE);
        EXPECT_EV(&s, TS_EV_RST_IGNORED);
        srv(&s, F_SA, 5000, 1001, 0, MS(1266));
        EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    }
    unit_set_ctx("");
}

/* Zeek's syn-then-ack-then-rst.pcap: SYN seq 0, an ACK with ack 0 from the
 * server held in SYN-RECEIVED, a bare RST on seq 0. The server's ack 0 does
 * not cover the client's ISN, so it says nothing of what the server expects
 * (RFC 9293 section 3.4: a receiver that got the SYN expects ISN + 1); the
 * RST on the SYN's own number is not the next expected (RFC 5961 section 3)
 * and is not accepted, as in syn-then-rst.pcap without that ACK. An ack
 * beyond the ISN still counts (last case). */
static void test_rst_ack_before_peer_isn(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_SYN, 0, 0, 0, MS(0));
    srv(&s, F_A, 0, 0, 0, MS(1));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, SS, SS, SR, SR);
    cli(&s, F_R, 0, 0, 0, MS(2));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, SS, SS, SR, SR);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_SEQ);
    EXPECT_EV(&s, TS_EV_RST_IGNORED);

    sc_init(&s); /* syn-then-rst.pcap: the same verdict without the ACK */
    cli(&s, F_SYN, 0, 0, 0, MS(0));
    cli(&s, F_R, 0, 0, 0, MS(2));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, SS, SS, SR, SR);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_SEQ);

    sc_init(&s); /* across the wrap: ack 0xFFFFFFF0 is still before ISN 0 */
    cli(&s, F_SYN, 0, 0, 0, MS(0));
    srv(&s, F_A, 0, 0xFFFFFFF0u, 0, MS(1));
    cli(&s, F_R, 0xFFFFFFF0u, 0, 0, MS(2));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, SS, SS, SR, SR);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_SEQ);

    sc_init(&s); /* an ack beyond the ISN tells RCV.NXT: the RST on it closes */
    cli(&s, F_SYN, 0, 0, 0, MS(0));
    srv(&s, F_A, 0, 5, 0, MS(1));
    cli(&s, F_R, 5, 0, 0, MS(2));
    EXPECT_FIELD(&s, rst_ignored, TS_RST_ACCEPTED);
    /* (its ack of data beyond the SYN made the server ESTABLISHED) */
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, SS, CL, ES, CL);
}

/* An RST whose sequence number is not the next one its receiver expects
 * changes nothing (RFC 5961 section 3); the receiver's challenge ACK is an
 * ordinary ACK; the RST that answers it, with the right number, closes. */
static void test_rst_wrong_sequence_number(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 100, MS(40));
    srv(&s, F_A, 5001, 1101, 0, MS(50));
    srv(&s, F_RA, 9000, 1101, 0, MS(60)); /* not 5001 */
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, ES, ES, ES, ES);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_IGNORED_SEQ);
    EXPECT_EV(&s, TS_EV_RST_IGNORED);
    cli(&s, F_A, 1101, 5001, 0, MS(70)); /* the challenge ACK */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    srv(&s, F_R, 5001, 0, 0, MS(80));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, ES, CL, ES, CL);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_ACCEPTED);
    EXPECT_FIELD(&s, rst_kind, TS_RST_ABORT);
}

/* A SYN captured after the SYN-ACK that answers it (and the handshake ACK):
 * the same connection, the original SYN, changing nothing; not a new
 * connection (docs/spec.md's proofs). */
static void test_handshake_reordered(void)
{
    scen s;

    sc_init(&s);
    srv(&s, F_SA, 5000, 1001, 0, MS(0));
    EXPECT(&s, TS_ROLE_SYN_ACK, 2, TS_PHASE_HANDSHAKE, S, SS, ES, SR, SR);
    cli(&s, F_A, 1001, 5001, 0, MS(1));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    cli(&s, F_SYN, 1000, 0, 0, MS(2));
    EXPECT(&s, TS_ROLE_SYN, 1, TS_PHASE_HANDSHAKE, C, ES, ES, ES, ES);
    EXPECT_EV(&s, TS_EV_REORDERED);
    EXPECT_NOEV(&s, TS_EV_NEW_CONNECTION | TS_EV_RETRANSMISSION);
    EXPECT_FIELD(&s, corrected, 0);
    cli(&s, F_PA, 1001, 5001, 10, MS(3));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
}

/* A SYN-ACK repeat captured a few microseconds after the handshake-ack
 * crossed it (it answers a duplicate SYN): stale, the server stays
 * ESTABLISHED and the client's next data is no second handshake-ack. One
 * captured well after a round trip proves the ACK lost. */
static void test_syn_ack_repeat_crossing_handshake_ack(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    srv(&s, F_SA, 5000, 1001, 0, MS(30) + 5000);
    EXPECT(&s, TS_ROLE_SYN_ACK, 0, TS_PHASE_HANDSHAKE, S, ES, ES, ES, ES);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_STALE);
    EXPECT_NOEV(&s, TS_EV_LOST_HANDSHAKE_ACK);
    cli(&s, F_PA, 1001, 5001, 10, MS(31));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);

    sc_init(&s);
    open_3way(&s);
    srv(&s, F_SA, 5000, 1001, 0, SEC(1));
    EXPECT(&s, TS_ROLE_SYN_ACK, 0, TS_PHASE_HANDSHAKE, S, ES, ES, ES, SR);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_HANDSHAKE_ACK);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_CORRECTED);
}

/* A server held in SYN-RECEIVED (its handshake ACK not captured) that sends
 * data or acknowledges client data is ESTABLISHED; with TCP Fast Open (data
 * on the SYN) it may send data from SYN-RECEIVED acknowledging only the SYN's
 * data. */
static void test_content_proves_established(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(10));
    srv(&s, F_PA, 5001, 1001, 100, MS(40));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, S, ES, ES, SR, ES);
    EXPECT_EV(&s, TS_EV_SYNCHRONIZED);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_CORRECTED);
    cli(&s, F_PA, 1001, 5101, 10, MS(50));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);

    /* Only the server's direction captured after the SYN: its ACK of client
     * data beyond the SYN proves it too. */
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(10));
    srv(&s, F_A, 5001, 1201, 0, MS(40));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, SR, ES);
    EXPECT_EV(&s, TS_EV_SYNCHRONIZED);

    /* TCP Fast Open: 50 bytes on the SYN; the server answers with data
     * before the handshake ACK, acknowledging just those: no proof. */
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 50, MS(0));
    srv(&s, F_SA, 5000, 1051, 0, MS(10));
    srv(&s, F_PA, 5001, 1051, 100, MS(11));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, S, ES, ES, SR, SR);
    EXPECT_NOEV(&s, TS_EV_SYNCHRONIZED);
    EXPECT_FIELD(&s, corrected, 0);
}

/* ssh.pcap frames 862-942: the client's FIN, the server's FIN+ACK, then the
 * client repeats its FIN still acknowledging only up to the server's FIN: the
 * FIN+ACK never reached it, with its ACK, so the client is FIN-WAIT-1 - not
 * CLOSING, which beside the server's LAST-ACK would be impossible. */
static void test_fin_repeat_without_peer_fin(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(40));
    srv(&s, F_FA, 5001, 1002, 0, MS(50));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    cli(&s, F_FA, 1001, 5001, 0, MS(300));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, TW, FW1, LA, LA);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_FIN | TS_EV_LOST_ACK_OF_FIN);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
    /* The server repeats its FIN+ACK; now it arrives. */
    srv(&s, F_FA, 5001, 1002, 0, MS(500));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 0, TS_PHASE_TEARDOWN, S, FW1, TW, LA, LA);
    cli(&s, F_A, 1002, 5002, 0, MS(501));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);

    /* The same repeat captured within a round trip of the FIN+ACK crossed
     * it: nothing changes. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(40));
    srv(&s, F_FA, 5001, 1002, 0, MS(50));
    cli(&s, F_FA, 1001, 5001, 0, MS(51));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, TW, TW, LA, LA);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_STALE);
    EXPECT_FIELD(&s, corrected, 0);
}

/* A FIN lost after the capture point: the peer's later segments do not
 * acknowledge it, a round trip and more after it: the peer is back in
 * ESTABLISHED; the FIN's repeat then reaches it. */
static void test_lost_fin_by_ack(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(40));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    srv(&s, F_PA, 5001, 1001, 100, MS(45)); /* crossed the FIN: stale */
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, S, FW1, FW1, CW, CW);
    EXPECT_EV(&s, TS_EV_STALE);
    srv(&s, F_PA, 5101, 1001, 100, MS(200));
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, S, FW1, FW1, CW, ES);
    EXPECT_EV(&s, TS_EV_LOST_FIN);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_CORRECTED);
    cli(&s, F_FA, 1001, 5201, 0, MS(300));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, ES, CW);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION);
    srv(&s, F_A, 5201, 1002, 0, MS(301));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, FW2, CW, CW);

    /* Crossing FINs where the first was lost: the second FIN, sent well
     * after the first, does not acknowledge it: its sender goes
     * ESTABLISHED -> FIN-WAIT-1, not CLOSING. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(40));
    srv(&s, F_FA, 5001, 1001, 0, MS(500));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, CG, CW, FW1);
    EXPECT_EV(&s, TS_EV_LOST_FIN);
    EXPECT_NOEV(&s, TS_EV_SIMULTANEOUS_CLOSE);
}

/* An RST captured but lost before its receiver, which lives on: its FIN a
 * second later puts it back where it was, then FIN-WAIT-1; the RST no longer
 * ended the connection, so that FIN is the close's first step. */
static void test_rst_lost_then_fin(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    srv(&s, F_RA, 5001, 1001, 0, MS(40));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, S, ES, CL, ES, CL);
    cli(&s, F_FA, 1001, 5001, 0, SEC(1));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, CL, FW1, CL, CL);
    EXPECT_EV(&s, TS_EV_LOST_RST);
    EXPECT_NOEV(&s, TS_EV_UNEXPECTED | TS_EV_AFTER_CLOSE);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
}

/* Keep-alive probes (docs/spec.md's role table): one below the next
 * sequence number, with no byte or one old byte: role ack. A 1-byte segment
 * there that the peer has not acknowledged is a retransmission: data. */
static void test_keepalive_probe(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 20, MS(40));
    srv(&s, F_A, 5001, 1021, 0, MS(50));
    cli(&s, F_A, 1020, 5001, 0, SEC(10));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EV(&s, TS_EV_KEEPALIVE);
    srv(&s, F_A, 5001, 1021, 0, SEC(10) + 1);
    EXPECT_NOEV(&s, TS_EV_KEEPALIVE);
    cli(&s, F_PA, 1020, 5001, 1, SEC(20));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_EV(&s, TS_EV_KEEPALIVE);
    EXPECT_NOEV(&s, TS_EV_HALF_CLOSE);

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 20, MS(40));
    cli(&s, F_PA, 1020, 5001, 1, MS(300)); /* not yet acknowledged */
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_DATA, C, ES, ES, ES, ES);
    EXPECT_NOEV(&s, TS_EV_KEEPALIVE);
}

/* Every state change of a long random run was checked against RFC 9293's
 * edges by the checked core (TS_CHECK_EDGES aborts on any other); here, the
 * moves the scenarios above make carry their cause. */
static void test_causes(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_SENT);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_RECEIVED);
    srv(&s, F_SA, 5000, 1001, 0, MS(10));
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_RECEIVED);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_NONE);
}


/* The stored verdict (tcpstate_core.h): every verdict field survives
 * ts_verdict_of() + ts_verdict_apply(), and the segment's numbers are not
 * touched - so a field added to TS_VERDICT_FIELDS reads back after `-2` or a
 * GUI click as on the first pass. */
static void test_verdict_round_trip(void)
{
    ts_result in, out, numbers;
    ts_verdict v;
    unsigned char *p = (unsigned char *)&in;

    for (size_t i = 0; i < sizeof in; i++)
        p[i] = (unsigned char)(0x5Au + 37u * i);
    memset(&out, 0, sizeof out);
    out.handshake_rtt_ns = 123;
    out.len = 7;
    out.acked_new = 9;
    out.flags = TS_ACK;
    numbers = out;
    ts_verdict_of(&in, &v);
    ts_verdict_apply(&v, &out);
#define CHECK_VERDICT_FIELD(type, name, dim) CHECK(memcmp(&out.name, &in.name, sizeof out.name) == 0);
    TS_VERDICT_FIELDS(CHECK_VERDICT_FIELD)
#undef CHECK_VERDICT_FIELD
#define CHECK_NUMBER_FIELD(type, name, dim) CHECK(memcmp(&out.name, &numbers.name, sizeof out.name) == 0);
    TS_NUMBER_FIELDS(CHECK_NUMBER_FIELD)
#undef CHECK_NUMBER_FIELD
}


/* A FIN lost before the capture point: the sender's next segment, without
 * payload, has a sequence number one beyond its data (the FIN took one).
 * It had closed: FIN-WAIT-1; the peer got nothing; the FIN's repeat is its
 * second attempt. */
static void test_fin_before_capture(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    cli(&s, F_A, 1012, 5001, 0, MS(300)); /* 1011 went to an unseen FIN */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, FW1, ES, ES);
    EXPECT_EV(&s, TS_EV_FIN_UNSEEN);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
    cli(&s, F_FA, 1011, 5001, 0, MS(500));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, ES, CW);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION);
    EXPECT_FIELD(&s, attempt, 2);
}

/* docs/accuracy.md, kind 11: one byte of data lost before the capture point
 * leaves the same gap as an unseen FIN, and its sender's next segment may be
 * a pure ACK. The byte's retransmission - data on the number taken for the
 * FIN - shows it: the FIN never existed (TS_EV_FIN_WAS_DATA). */
static void test_unseen_fin_was_data(void)
{
    scen s;

    /* Kernel-truth seed 6, 3 %, stream 617: the retransmission comes before
     * the receiver acknowledged the byte. */
    sc_init(&s);
    open_3way(&s);
    srv(&s, F_PA, 5001, 1001, 1081, MS(40));
    cli(&s, F_A, 1002, 6082, 0, MS(50)); /* 1001: a lost byte, taken for a FIN */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, FW1, ES, ES);
    EXPECT_EV(&s, TS_EV_FIN_UNSEEN);
    cli(&s, F_PA, 1001, 6082, 1, MS(300)); /* its retransmission */
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, C, FW1, ES, ES, ES);
    EXPECT_EVENTS(&s, TS_EV_FIN_WAS_DATA);
    EXPECT_FIELD(&s, corrected, 1u << C);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
    srv(&s, F_A, 6082, 1002, 0, MS(310)); /* acknowledges the byte: no close */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    EXPECT_EVENTS(&s, 0);
    cli(&s, F_FA, 1002, 6082, 0, MS(400)); /* the real close: its first FIN */
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    EXPECT_NOEV(&s, TS_EV_RETRANSMISSION);

    /* The receiver had acknowledged that number (its ACK lost after the
     * capture point): it had the byte, not a FIN, and its ACK counted as a
     * close milestone is none; the real FIN is the close's first step. The
     * repeat carries a new byte too: one old byte alone could be a
     * keep-alive probe after the FIN, and proves nothing. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    cli(&s, F_A, 1012, 5001, 0, MS(60)); /* 1011: a lost byte, taken for a FIN */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, C, ES, FW1, ES, ES);
    srv(&s, F_A, 5001, 1012, 0, MS(70));
    EXPECT(&s, TS_ROLE_ACK_OF_FIN, 1, TS_PHASE_TEARDOWN, S, FW1, FW2, ES, CW);
    EXPECT_EV(&s, TS_EV_GOT_UNSEEN_FIN);
    cli(&s, F_PA, 1011, 5001, 1, MS(200)); /* one old byte: a probe? */
    EXPECT_NOEV(&s, TS_EV_FIN_WAS_DATA);
    EXPECT_FIELD(&s, state[C], FW2);
    cli(&s, F_PA, 1011, 5001, 2, MS(300)); /* the byte again, and a new one */
    EXPECT(&s, TS_ROLE_DATA, 0, TS_PHASE_TEARDOWN, C, FW2, ES, CW, ES);
    EXPECT_EVENTS(&s, TS_EV_FIN_WAS_DATA);
    EXPECT_FIELD(&s, corrected, (1u << C) | (1u << S));
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_CORRECTED);
    /* One note for both, within an expert info's label (Wireshark cuts a
     * label at 240 bytes, "Expert Info (Warning/Sequence): " included, as
     * tests/unit/test_texts.c checks for every note). */
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        char text[512];

        unit_check(ts_note_text(&s.r, TS_NOTE_LOST_SEGMENT, (ts_language)lang, 30, text, sizeof text) > 0 &&
                       strstr(text, "FIN-WAIT-2 \xe2\x86\x92 ESTABLISHED") &&
                       strstr(text, "CLOSE-WAIT \xe2\x86\x92 ESTABLISHED") &&
                       strlen(text) <= 239 - strlen("Expert Info (Warning/Sequence): "),
                   __FILE__, __LINE__, "note: %s", text);
    }
    srv(&s, F_A, 5001, 1013, 0, MS(310));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, ES);
    cli(&s, F_FA, 1013, 5001, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    EXPECT_NOEV(&s, TS_EV_RETRANSMISSION);
    srv(&s, F_FA, 5001, 1014, 0, MS(410));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    EXPECT_FIELD(&s, step_total, 3);

    /* A captured FIN on that number confirms the inference: later data
     * covering it is data after the FIN, and withdraws nothing. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    cli(&s, F_A, 1012, 5001, 0, MS(60));
    cli(&s, F_FA, 1011, 5001, 0, MS(300));
    EXPECT_FIELD(&s, attempt, 2);
    cli(&s, F_PA, 1005, 5001, 10, MS(400));
    EXPECT_NOEV(&s, TS_EV_FIN_WAS_DATA);
    EXPECT_EV(&s, TS_EV_DATA_AFTER_FIN);
    EXPECT_FIELD(&s, state[C], FW1);
}

/* The same unseen FIN, shown by the answer to the peer's FIN (docs/spec.md:
 * a segment's content tells what state its sender is in): that answer comes
 * within a round trip of the peer's FIN, which was sent once, and is
 * numbered one beyond the data, so the FIN was out before the peer's FIN
 * arrived: crossing FINs, FIN-WAIT-1 -> CLOSING (RFC 9293 section 3.6), not
 * the passive close the model had (CLOSE-WAIT). When the answer may be to a
 * repeat of the peer's FIN, the order is not shown and the model's view
 * stands: LAST-ACK. */
static void test_fin_before_capture_crossing(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    srv(&s, F_FA, 5001, 1011, 0, MS(300));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    cli(&s, F_A, 1012, 5002, 0, MS(321)); /* 1011 went to an unseen FIN */
    EXPECT(&s, TS_ROLE_FINAL_ACK, 2, TS_PHASE_TEARDOWN, C, CW, CG, FW1, FW2);
    EXPECT_EV(&s, TS_EV_FIN_UNSEEN | TS_EV_SIMULTANEOUS_CLOSE);
    EXPECT_FIELD(&s, corrected, 1u << C);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_RECEIVED);
    cli(&s, F_FA, 1011, 5002, 0, MS(520));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, CG, CG, FW2, TW);
    EXPECT_FIELD(&s, attempt, 2);
    srv(&s, F_A, 5002, 1012, 0, MS(530));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, S, CG, TW, TW, TW);

    /* The server repeats its FIN before the answer: the answer may be to
     * the repeat, sent after the client's own close. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    srv(&s, F_FA, 5001, 1011, 0, MS(300));
    srv(&s, F_FA, 5001, 1011, 0, MS(305));
    cli(&s, F_A, 1012, 5002, 0, MS(321));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 2, TS_PHASE_TEARDOWN, C, CW, LA, FW1, FW2);
    EXPECT_EV(&s, TS_EV_FIN_UNSEEN);
    EXPECT_NOEV(&s, TS_EV_SIMULTANEOUS_CLOSE);

    /* An answer a round trip too late is no answer to the first FIN. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    srv(&s, F_FA, 5001, 1011, 0, MS(300));
    cli(&s, F_A, 1012, 5002, 0, MS(600));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 2, TS_PHASE_TEARDOWN, C, CW, LA, FW1, FW2);
    EXPECT_NOEV(&s, TS_EV_SIMULTANEOUS_CLOSE);
}

/* A FIN lost after the capture point, repeated; the peer's FIN crosses the
 * repeat (captured just after it, its ack not covering the FIN). The first
 * transmission was lost, but the round trip counts from the repeat, which
 * was on its way (docs/spec.md: a stale segment never moves a state
 * backwards; crossing FINs): the server goes FIN-WAIT-1 -> CLOSING, not
 * back to ESTABLISHED by LOST_FIN. */
static void test_fin_crossing_a_repeat(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(300));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, C, ES, FW1, ES, CW);
    cli(&s, F_FA, 1001, 5001, 0, MS(600));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, FW1, FW1, CW, CW);
    EXPECT_FIELD(&s, attempt, 2);
    srv(&s, F_FA, 5001, 1001, 0, MS(601));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, CG, CW, CG);
    EXPECT_EV(&s, TS_EV_SIMULTANEOUS_CLOSE);
    EXPECT_NOEV(&s, TS_EV_LOST_FIN);
    cli(&s, F_A, 1002, 5002, 0, MS(621));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, CG, CG, CG, TW);
    srv(&s, F_A, 5002, 1002, 0, MS(622));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, S, CG, TW, TW, TW);

    /* Without the repeat, the same FIN a round trip late proves the first
     * one lost. */
    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(300));
    srv(&s, F_FA, 5001, 1001, 0, MS(601));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, CG, CW, FW1);
    EXPECT_EV(&s, TS_EV_LOST_FIN);
}

/* An abort whose RST was lost before the capture point (docs/spec.md: a
 * segment's content tells what state its sender is in): the server's FIN
 * is answered, a round trip later, by an RST without ACK numbered with that
 * FIN's ack - a closed port's answer (RFC 9293 section 3.10.7.1). The client
 * had no connection when the FIN came: its CLOSE-WAIT is withdrawn. The
 * server, in FIN-WAIT-1, takes the RST (exactly the next number). */
static void test_abort_before_capture(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 10, MS(40));
    srv(&s, F_A, 5001, 1011, 0, MS(50));
    srv(&s, F_FA, 5001, 1011, 0, SEC(6));
    EXPECT(&s, TS_ROLE_FIN, 1, TS_PHASE_TEARDOWN, S, ES, CW, ES, FW1);
    cli(&s, F_R, 1011, 0, 0, SEC(6) + MS(20));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, CW, CL, FW1, CL);
    EXPECT_EV(&s, TS_EV_ABORT_UNSEEN);
    EXPECT_FIELD(&s, corrected, 1u << C);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_RECEIVED);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_ACCEPTED);

    /* The answer to a repeat of the FIN counts from that repeat. */
    sc_init(&s);
    open_3way(&s);
    srv(&s, F_FA, 5001, 1001, 0, SEC(6));
    srv(&s, F_FA, 5001, 1001, 0, SEC(6) + MS(220));
    cli(&s, F_R, 1001, 0, 0, SEC(6) + MS(230));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, CW, CL, FW1, CL);
    EXPECT_EV(&s, TS_EV_ABORT_UNSEEN);

    /* No proof: an RST with ACK (an abort of a live connection), one long
     * after the FIN (an ABORT, RFC 9293 section 3.10.5), one after the
     * client acknowledged the FIN: the client sends it from CLOSE-WAIT. */
    for (int i = 0; i < 3; i++) {
        sc_init(&s);
        open_3way(&s);
        srv(&s, F_FA, 5001, 1001, 0, SEC(6));
        if (i == 2)
            cli(&s, F_A, 1001, 5002, 0, SEC(6) + MS(10));
        if (i == 0)
            cli(&s, F_RA, 1001, 5002, 0, SEC(6) + MS(20));
        else
            cli(&s, F_R, 1001, 0, 0, SEC(6) + (i == 1 ? SEC(2) : MS(20)));
        EXPECT_NOEV(&s, TS_EV_ABORT_UNSEEN);
        EXPECT_FIELD(&s, corrected, 0);
        EXPECT_FIELD(&s, cause[C], TS_CAUSE_SENT);
    }
}

/* Kind 3 of docs/accuracy.md: crossing FINs, the server's lost after the
 * capture point. The model delivers it (client FIN-WAIT-1 -> CLOSING, then
 * TIME-WAIT on the server's ACK); the server's repeat shows that its FIN or
 * the client's ACK of it was lost, and nothing in the capture says which:
 * the repeat carries CANNOT_SHOW, the states stay the model's, and the note
 * names the other story (the client FIN-WAIT-2 until the repeat). */
static void test_cannot_show_lost_fin(void)
{
    scen s;
    char text[TS_TEXT_MAX];

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_FA, 5001, 1001, 0, MS(101));
    EXPECT(&s, TS_ROLE_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, CG, CW, CG);
    EXPECT_NOEV(&s, TS_EV_CANNOT_SHOW);
    srv(&s, F_A, 5002, 1002, 0, MS(102));
    EXPECT_FIELD(&s, state[C], TW);
    srv(&s, F_FA, 5001, 1002, 0, MS(400));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, CG, CG);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_CANNOT_SHOW);
    EXPECT_FIELD(&s, corrected, 0);
    unit_check(ts_note_text(&s.r, TS_NOTE_CANNOT_SHOW, TS_LANG_EN, 30, text, sizeof text) > 0 &&
                   strstr(text, "the client was FIN-WAIT-2, not TIME-WAIT, until this repeat") &&
                   strlen(text) <= 205,
               __FILE__, __LINE__, "note: %s", text);
    unit_check(ts_note_text(&s.r, TS_NOTE_CANNOT_SHOW, TS_LANG_ZH_CN, 30, text, sizeof text) > 0 &&
                   strstr(text, "FIN-WAIT-2") && strlen(text) <= 205,
               __FILE__, __LINE__, "note (zh): %s", text);
    /* The client acknowledges the repeat: nothing more to say. */
    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT_NOEV(&s, TS_EV_CANNOT_SHOW);

    /* No doubt when the client's ACK of the first FIN was captured: the
     * repeat then shows the ACK was lost after the capture point. */
    sc_init(&s);
    open_3way(&s);
    srv(&s, F_FA, 5001, 1001, 0, MS(100));
    cli(&s, F_A, 1001, 5002, 0, MS(101));
    srv(&s, F_FA, 5001, 1001, 0, MS(400));
    EXPECT_EV(&s, TS_EV_RETRANSMISSION);
    EXPECT_NOEV(&s, TS_EV_CANNOT_SHOW);
    unit_check(ts_note_text(&s.r, TS_NOTE_CANNOT_SHOW, TS_LANG_EN, 30, text, sizeof text) == 0, __FILE__,
               __LINE__, "no note expected: %s", text);
}

/* Kind 3 with timestamps (core/tracker.c, echo_doubt_open): the client's
 * answer to the server's repeated FIN settles the doubt when its echo is
 * older than the repeat's TSval (it took the repeat as a duplicate: it had
 * the first FIN, RFC 7323 section 4.3), and only then. */
/* A passive closer's first FIN with no captured ACK of the peer's FIN before
 * it (docs/accuracy.md, kind 10; core/tracker.c, fin_may_repeat): in doubt
 * when the model needs that ACK lost, i.e. the peer repeated its FIN or the
 * FIN came later than a delayed ACK waits (200 ms) plus the sender's round
 * trip (the server's: 10 ms in open_3way). */
static void test_fin_may_repeat(void)
{
    static const struct {
        int64_t after_ms;   /* the server's FIN+ACK, this long after the client's FIN */
        int ack_first;      /* the server acknowledged the client's FIN before */
        int peer_repeats;   /* the client repeated its FIN 5 ms before the server's */
        int doubt;
    } cases[] = {
        { 212, 0, 0, 1 }, /* kernel-truth seed 7, 3 %, stream 733 */
        { 211, 0, 0, 1 }, { 209, 0, 0, 0 }, /* around 200 ms + the server's round trip */
        { 1, 0, 0, 0 },   /* the lesson's three-way close */
        { 500, 1, 0, 0 }, /* the ACK was captured: an ordinary four-way close */
        { 220, 0, 1, 1 }, /* after the client's repeat (relay seed 1, 3 %, stream 67) */
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scen s;
        char text[TS_TEXT_MAX];
        ts_explain_input in;

        sc_init(&s);
        open_3way(&s);
        cli(&s, F_FA, 1001, 5001, 0, MS(100));
        if (cases[i].ack_first)
            srv(&s, F_A, 5001, 1002, 0, MS(101));
        if (cases[i].peer_repeats)
            cli(&s, F_FA, 1001, 5001, 0, MS(100 + cases[i].after_ms - 5));
        srv(&s, F_FA, 5001, 1002, 0, MS(100 + cases[i].after_ms));
        /* The model's story stands either way. */
        EXPECT_FIELD(&s, prev[S], CW);
        EXPECT_FIELD(&s, state[S], LA);
        unit_check(!!(s.r.events & TS_EV_FIN_MAY_REPEAT) == cases[i].doubt &&
                       !!(s.r.events & TS_EV_CANNOT_SHOW) == cases[i].doubt,
                   __FILE__, __LINE__, "case %zu: events %llx", i, (unsigned long long)s.r.events);
        if (!cases[i].doubt)
            continue;
        memset(&in, 0, sizeof in);
        ts_explain_line(&s.r, &in, TS_LANG_EN, TS_WHY_MODEL, text, sizeof text);
        unit_check(strstr(text, "the capture cannot show whether the server sent its FIN before or after the "
                                "client's FIN reached it") &&
                       strstr(text, "the server was then CLOSING, not CLOSE-WAIT, and ends in TIME-WAIT, not CLOSED"),
                   __FILE__, __LINE__, "case %zu why: %s", i, text);
        ts_explain_line(&s.r, &in, TS_LANG_ZH_CN, TS_WHY_MODEL, text, sizeof text);
        unit_check(strstr(text, "抓包无法说明服务器是在客户端的 FIN 到达之前还是之后发出自己的 FIN") &&
                       strstr(text, "抓包中没有看到客户端的 FIN 得到服务器的 ACK"),
                   __FILE__, __LINE__, "case %zu why (zh): %s", i, text);
        for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
            unit_check(ts_note_text(&s.r, TS_NOTE_CANNOT_SHOW, (ts_language)lang, 30, text, sizeof text) > 0 &&
                           strstr(text, "CLOSING") && strstr(text, "TIME-WAIT") &&
                           strlen(text) <= 239 - strlen("Expert Info (Note/Sequence): "),
                       __FILE__, __LINE__, "case %zu note: %s", i, text);
        }
        /* The client's ACK closes the server as the model has it. */
        cli(&s, F_A, 1002, 5002, 0, MS(100 + cases[i].after_ms + 10));
        EXPECT_FIELD(&s, state[S], CL);
        EXPECT_NOEV(&s, TS_EV_CANNOT_SHOW);
    }
}

/* A close after open_3way(), segment by segment (timestamps on each when
 * `timestamps`). */
typedef struct {
    int side;
    uint16_t flags;
    uint32_t seq, ack, len, ms, tsval, tsecr;
} close_seg;

static void replay_close(scen *s, const close_seg *seg, size_t n, int timestamps)
{
    sc_init(s);
    open_3way(s);
    for (size_t i = 0; i < n; i++) {
        if (timestamps)
            sc_ts(s, seg[i].tsval, seg[i].tsecr);
        sc_send(s, seg[i].side, seg[i].flags, seg[i].seq, seg[i].ack, seg[i].len, MS(seg[i].ms));
    }
}

static void kind3(scen *s, int timestamps)
{
    static const close_seg seg[] = {
        { C, F_FA, 1001, 5001, 0, 100, 100, 900 },  /* the client's FIN */
        { S, F_FA, 5001, 1001, 0, 101, 901, 100 },  /* the server's, crossing it */
        { S, F_A, 5002, 1002, 0, 102, 902, 100 },   /* the server's ACK of the client's FIN */
        { S, F_FA, 5001, 1002, 0, 400, 1200, 100 }, /* the server's FIN again */
    };

    replay_close(s, seg, sizeof seg / sizeof seg[0], timestamps);
}

static void kind3_with_timestamps(scen *s)
{
    kind3(s, 1);
}

static void why_model_text(const scen *s, ts_language lang, char *buf, size_t size)
{
    ts_explain_input in;

    memset(&in, 0, sizeof in);
    buf[0] = '\0';
    ts_explain_line(&s->r, &in, lang, TS_WHY_MODEL, buf, size);
}

static void test_cannot_show_settled_by_echo(void)
{
    scen s;
    char text[TS_TEXT_MAX];

    kind3_with_timestamps(&s);
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, CG, CG);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_IN_TIME_WAIT | TS_EV_CANNOT_SHOW | TS_EV_ECHO_TEST);
    why_model_text(&s, TS_LANG_EN, text, sizeof text);
    unit_check(strstr(text, "so far, the capture cannot show") &&
                   strstr(text, "the client's next segment acknowledging this FIN can show it: if its "
                                "timestamp echo is older"),
               __FILE__, __LINE__, "why: %s", text);
    unit_check(ts_note_text(&s.r, TS_NOTE_CANNOT_SHOW, TS_LANG_EN, 30, text, sizeof text) > 0 &&
                   strncmp(text, "Not shown so far: ", 18) == 0 && strlen(text) <= 205,
               __FILE__, __LINE__, "note: %s", text);
    why_model_text(&s, TS_LANG_ZH_CN, text, sizeof text);
    unit_check(strstr(text, "到这次重发为止") && strstr(text, "客户端下一个确认这个 FIN 的报文段可以说明"), __FILE__, __LINE__,
               "why (zh): %s", text);
    /* Its echo, 902, is older than the repeat's 1200: settled, states unchanged. */
    sc_ts(&s, 130, 902);
    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT_EV(&s, TS_EV_SHOWN_BY_ECHO);
    EXPECT_FIELD(&s, state[C], TW);
    EXPECT_FIELD(&s, corrected, 0);
    why_model_text(&s, TS_LANG_EN, text, sizeof text);
    unit_check(strstr(text, "it acknowledges the server's FIN with a timestamp echo (TSecr) older than the "
                            "timestamp (TSval) of the server's repeated FIN") != NULL,
               __FILE__, __LINE__, "why: %s", text);
    why_model_text(&s, TS_LANG_ZH_CN, text, sizeof text);
    unit_check(strstr(text, "服务器之前的 FIN 已经到达它") != NULL, __FILE__, __LINE__, "why (zh): %s", text);
    /* Said once: a later ACK says nothing more. */
    sc_ts(&s, 131, 902);
    cli(&s, F_A, 1002, 5002, 0, MS(402));
    EXPECT_NOEV(&s, TS_EV_SHOWN_BY_ECHO);

    /* An echo of the repeat's own TSval from TIME-WAIT, where a duplicate
     * keeps an older echo (RFC 7323 section 5.3): the repeat was new to it,
     * so the server's first FIN was lost. Its state stays TIME-WAIT. */
    kind3_with_timestamps(&s);
    sc_ts(&s, 130, 1200);
    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT_NOEV(&s, TS_EV_SHOWN_BY_ECHO | TS_EV_CANNOT_SHOW | TS_EV_ECHO_TEST);
    EXPECT_EV(&s, TS_EV_NEW_BY_ECHO);
    EXPECT_FIELD(&s, prev[C], TW);
    EXPECT_FIELD(&s, state[C], TW);
    EXPECT_FIELD(&s, corrected, 0);
    why_model_text(&s, TS_LANG_EN, text, sizeof text);
    unit_check(strstr(text, "its timestamp echo (TSecr) is the timestamp (TSval) of the server's repeated FIN") &&
                   strstr(text, "Had the server's earlier FIN reached it") &&
                   strstr(text, "the server's earlier FIN was lost after the capture point, the client was "
                                "FIN-WAIT-2, not TIME-WAIT, until the repeat reached it"),
               __FILE__, __LINE__, "why: %s", text);
    why_model_text(&s, TS_LANG_ZH_CN, text, sizeof text);
    unit_check(strstr(text, "正是服务器重发的 FIN 的时间戳") && strstr(text, "客户端在重发到达之前是 FIN-WAIT-2"),
               __FILE__, __LINE__, "why (zh): %s", text);
    unit_check(ts_note_text(&s.r, TS_NOTE_LOST_SEGMENT, TS_LANG_EN, 30, text, sizeof text) > 0 &&
                   strcmp(text, "Shown by the timestamp echo: the server's earlier FIN was lost after the capture "
                                "point; the client was FIN-WAIT-2, not TIME-WAIT, until the repeat") == 0,
               __FILE__, __LINE__, "note: %s", text);
    unit_check(ts_note_text(&s.r, TS_NOTE_LOST_SEGMENT, TS_LANG_ZH_CN, 30, text, sizeof text) > 0 &&
                   strstr(text, "服务器在重发之前发出的 FIN 在抓包点之后丢失") != NULL,
               __FILE__, __LINE__, "note (zh): %s", text);
    /* Said once. */
    sc_ts(&s, 131, 1200);
    cli(&s, F_A, 1002, 5002, 0, MS(402));
    EXPECT_NOEV(&s, TS_EV_ECHO_TEST | TS_EV_NEW_BY_ECHO);

    /* The same, but the server's ACK before the repeat carries the repeat's
     * TSval (one clock tick): an echo of it could come from that ACK, so
     * the repeat opens no test and says so. */
    {
        static const close_seg same_tick[] = {
            { C, F_FA, 1001, 5001, 0, 100, 100, 900 },
            { S, F_FA, 5001, 1001, 0, 101, 901, 100 },
            { S, F_A, 5002, 1002, 0, 102, 1200, 100 },
            { S, F_FA, 5001, 1002, 0, 103, 1200, 100 },
        };
        replay_close(&s, same_tick, sizeof same_tick / sizeof same_tick[0], 1);
    }
    EXPECT_EV(&s, TS_EV_CANNOT_SHOW);
    EXPECT_NOEV(&s, TS_EV_ECHO_TEST);
    sc_ts(&s, 130, 1200);
    cli(&s, F_A, 1002, 5002, 0, MS(104));
    EXPECT_NOEV(&s, TS_EV_ECHO_TEST | TS_EV_NEW_BY_ECHO | TS_EV_SHOWN_BY_ECHO);

    /* From CLOSING (the server's ACK of the client's FIN not captured), an
     * echo of the repeat settles nothing: Linux takes a duplicate FIN's
     * timestamp there. */
    {
        static const close_seg from_closing[] = {
            { C, F_FA, 1001, 5001, 0, 100, 100, 900 },
            { S, F_FA, 5001, 1001, 0, 101, 901, 100 },
            { S, F_FA, 5001, 1002, 0, 400, 1200, 100 },
        };
        replay_close(&s, from_closing, sizeof from_closing / sizeof from_closing[0], 1);
    }
    EXPECT_EV(&s, TS_EV_CANNOT_SHOW | TS_EV_ECHO_TEST);
    EXPECT_FIELD(&s, prev[C], CG);
    sc_ts(&s, 130, 1200);
    cli(&s, F_A, 1002, 5002, 0, MS(401));
    EXPECT_NOEV(&s, TS_EV_SHOWN_BY_ECHO | TS_EV_CANNOT_SHOW | TS_EV_NEW_BY_ECHO);
    EXPECT_EV(&s, TS_EV_ECHO_TEST);
    why_model_text(&s, TS_LANG_EN, text, sizeof text);
    unit_check(strstr(text, "is not older than the timestamp (TSval) of the server's repeated FIN") &&
                   strstr(text, "but Linux does in CLOSE-WAIT or CLOSING") &&
                   strstr(text, "the capture cannot show whether the server's earlier FIN had reached it"),
               __FILE__, __LINE__, "why: %s", text);
    why_model_text(&s, TS_LANG_ZH_CN, text, sizeof text);
    unit_check(strstr(text, "不早于服务器重发的 FIN") != NULL, __FILE__, __LINE__, "why (zh): %s", text);

    /* A second repeat keeps the first repeat's TSval: an echo of that first
     * repeat is no older copy. */
    kind3_with_timestamps(&s);
    sc_ts(&s, 1800, 100);
    srv(&s, F_FA, 5001, 1002, 0, MS(1000));
    EXPECT_EV(&s, TS_EV_CANNOT_SHOW | TS_EV_ECHO_TEST);
    sc_ts(&s, 160, 1200);
    cli(&s, F_A, 1002, 5002, 0, MS(1001));
    EXPECT_NOEV(&s, TS_EV_SHOWN_BY_ECHO);

    /* A segment of the client that does not acknowledge the FIN (its repeat
     * of its own FIN, acknowledging up to 5001) waits; the answer settles. */
    kind3_with_timestamps(&s);
    sc_ts(&s, 120, 902);
    cli(&s, F_FA, 1001, 5001, 0, MS(401));
    EXPECT_NOEV(&s, TS_EV_SHOWN_BY_ECHO | TS_EV_ECHO_TEST);
    sc_ts(&s, 121, 902);
    cli(&s, F_A, 1002, 5002, 0, MS(402));
    EXPECT_EV(&s, TS_EV_SHOWN_BY_ECHO);

    /* Without timestamps nothing can settle it, and the repeat says so. */
    kind3(&s, 0);
    EXPECT_EV(&s, TS_EV_CANNOT_SHOW);
    EXPECT_NOEV(&s, TS_EV_ECHO_TEST);
    why_model_text(&s, TS_LANG_EN, text, sizeof text);
    unit_check(strncmp(text, "the capture cannot show", 23) == 0 && !strstr(text, "timestamp"), __FILE__,
               __LINE__, "why: %s", text);

    /* The receiver had not acknowledged everything before the FIN (its
     * Last.ACK.sent below the repeat's SEG.SEQ): a new FIN need not update
     * its TS.Recent, so its echo could not tell. */
    {
        static const close_seg unacked_data[] = {
            { S, F_PA, 5001, 1001, 100, 50, 800, 90 },
            { C, F_FA, 1001, 5001, 0, 100, 100, 700 },
            { S, F_FA, 5101, 1001, 0, 101, 901, 100 },
            { S, F_A, 5102, 1002, 0, 102, 902, 100 },
            { S, F_FA, 5101, 1002, 0, 400, 1200, 100 },
        };
        replay_close(&s, unacked_data, sizeof unacked_data / sizeof unacked_data[0], 1);
    }
    EXPECT_EV(&s, TS_EV_CANNOT_SHOW);
    EXPECT_NOEV(&s, TS_EV_ECHO_TEST);
    sc_ts(&s, 130, 902);
    cli(&s, F_A, 1002, 5102, 0, MS(401));
    EXPECT_NOEV(&s, TS_EV_SHOWN_BY_ECHO);
}

/* The passive closer's answer to a repeated FIN that crossed its own
 * FIN+ACK, captured just after the final ACK that closed it
 * (sample-pcaps/fin-repeat-timestamps.pcap frames 11-14): sent before that
 * ACK reached it, so STALE, and its summary does not say it was sent after
 * the close. The phase stays docs/spec.md's (closed); a segment a round trip
 * later is after the close. */
static void test_stale_answer_after_final_ack(void)
{
    scen s;
    char text[TS_TEXT_MAX];

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    cli(&s, F_FA, 1001, 5001, 0, MS(400)); /* repeat: the server's ACK of it was lost */
    srv(&s, F_FA, 5001, 1002, 0, MS(401));
    cli(&s, F_A, 1002, 5002, 0, MS(402));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);
    srv(&s, F_A, 5002, 1002, 0, MS(403)); /* its answer to the repeat */
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, TW, TW, CL, CL);
    EXPECT_EV(&s, TS_EV_STALE | TS_EV_AFTER_CLOSE);
    ts_describe_in(&s.r, TS_LANG_EN, text, sizeof text);
    unit_check(strstr(text, "sent before the client's last segment reached it") &&
                   !strstr(text, "sends a segment after the connection closed"),
               __FILE__, __LINE__, "summary: %s", text);
    ts_describe_in(&s.r, TS_LANG_ZH_CN, text, sizeof text);
    unit_check(strstr(text, "到达它之前发出的") != NULL, __FILE__, __LINE__, "summary (zh): %s", text);
    srv(&s, F_A, 5002, 1002, 0, MS(900));
    EXPECT_NOEV(&s, TS_EV_STALE);
    ts_describe_in(&s.r, TS_LANG_EN, text, sizeof text);
    unit_check(strstr(text, "the server sends a segment after the connection closed") != NULL, __FILE__, __LINE__,
               "summary: %s", text);
}

/* R1 (docs/accuracy.md): an RST that its receiver answers with a challenge
 * ACK (RFC 5961 section 3.2) did not close it. The client's last data
 * segment was lost after the capture point, so the RST's number (1701) is
 * beyond what the server expects (1501). The server's first ACK (1501)
 * answers the earlier data; the second acknowledges nothing new, at least
 * up to the lost segment and below the RST: its challenge ACK, although
 * it comes within the crossing window. The closed port's RST numbered with
 * that ack then closes it. */
static void test_challenge_ack_rejects_rst(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_PA, 1001, 5001, 500, MS(40));
    cli(&s, F_PA, 1501, 5001, 200, MS(41));
    cli(&s, F_RA, 1701, 5001, 0, MS(42));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, ES, CL, ES, CL);
    srv(&s, F_A, 5001, 1501, 0, MS(52));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
    EXPECT_EV(&s, TS_EV_STALE);
    srv(&s, F_A, 5001, 1501, 0, MS(52) + 30000);
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, ES);
    EXPECT_EV(&s, TS_EV_LOST_RST);
    EXPECT_FIELD(&s, corrected, 1u << S);
    EXPECT_FIELD(&s, cause[S], TS_CAUSE_CORRECTED);
    cli(&s, F_R, 1501, 0, 0, MS(62));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, CL, CL, ES, CL);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_ACCEPTED);
    /* It ends the server's open connection: an abort, not a reset "during
     * the handshake" (its sender was CLOSED, no handshake was going on). */
    EXPECT_FIELD(&s, rst_kind, TS_RST_ABORT);

    /* No proof: the duplicate reaches the RST's number (every byte before
     * it had arrived), or it only shows a hole below the last segment
     * (Linux accepts an RST at the right edge of the data beyond a hole),
     * or it moves the ack forward (it answers data that arrived). */
    for (int i = 0; i < 3; i++) {
        sc_init(&s);
        open_3way(&s);
        cli(&s, F_PA, 1001, 5001, 500, MS(40));
        cli(&s, F_PA, 1501, 5001, 200, MS(41));
        if (i == 1)
            cli(&s, F_PA, 1701, 5001, 200, MS(41) + 5000);
        cli(&s, F_RA, i == 1 ? 1901 : 1701, 5001, 0, MS(42));
        srv(&s, F_A, 5001, i == 0 ? 1701 : 1501, 0, MS(52));
        if (i < 2)
            srv(&s, F_A, 5001, i == 0 ? 1701 : 1501, 0, MS(52) + 30000);
        EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, CL);
        EXPECT_NOEV(&s, TS_EV_LOST_RST);
        EXPECT_EV(&s, TS_EV_STALE);
    }
}

/* F6 (docs/accuracy.md): data on the handshake ACK lost after the capture
 * point. The server's next segment, a pure ACK acknowledging only the
 * client's SYN, shows that the handshake ACK never reached it: it is still
 * SYN-RECEIVED. Here that ACK is also its challenge ACK to the client's
 * RST (numbered after the lost data), so the RST's close is withdrawn too;
 * the closed port's RST numbered 1001 closes it. */
static void test_handshake_ack_data_lost(void)
{
    scen s;

    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(10));
    cli(&s, F_PA, 1001, 5001, 1389, MS(30));
    EXPECT(&s, TS_ROLE_HANDSHAKE_ACK, 3, TS_PHASE_HANDSHAKE, C, ES, ES, SR, ES);
    cli(&s, F_RA, 2390, 5001, 0, MS(31));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, ES, CL, ES, CL);
    srv(&s, F_A, 5001, 1001, 0, MS(41));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_CLOSED, S, CL, CL, CL, SR);
    EXPECT_EV(&s, TS_EV_LOST_RST | TS_EV_LOST_HANDSHAKE_ACK);
    EXPECT_FIELD(&s, corrected, 1u << S);
    cli(&s, F_R, 1001, 0, 0, MS(51));
    EXPECT(&s, TS_ROLE_RST, 0, TS_PHASE_RESET, C, CL, CL, SR, CL);
    EXPECT_FIELD(&s, rst_ignored, TS_RST_ACCEPTED);

    /* Without an RST: the same proof. */
    sc_init(&s);
    cli(&s, F_SYN, 1000, 0, 0, MS(0));
    srv(&s, F_SA, 5000, 1001, 0, MS(10));
    cli(&s, F_PA, 1001, 5001, 100, MS(30));
    srv(&s, F_A, 5001, 1001, 0, MS(40));
    EXPECT(&s, TS_ROLE_ACK, 0, TS_PHASE_DATA, S, ES, ES, ES, SR);
    EXPECT_EV(&s, TS_EV_LOST_HANDSHAKE_ACK);
    /* Its repeated data then completes the handshake (the ACK field of
     * any segment of the client does, RFC 9293 section 3.10.7.4). */
    cli(&s, F_PA, 1001, 5001, 100, MS(240));
    EXPECT_FIELD(&s, state[S], ES);

    /* No proof: a handshake ACK without data (nothing to acknowledge); an
     * ack that covers the data; a client that repeated its SYN (the ACK may
     * answer that repeat, crossing the handshake ACK); a second segment of
     * the server (only its first answer after the handshake ACK tells). */
    for (int i = 0; i < 4; i++) {
        sc_init(&s);
        cli(&s, F_SYN, 1000, 0, 0, MS(0));
        if (i == 2)
            cli(&s, F_SYN, 1000, 0, 0, MS(5));
        srv(&s, F_SA, 5000, 1001, 0, MS(10));
        cli(&s, F_PA, 1001, 5001, i == 0 ? 0 : 100, MS(30));
        if (i == 3)
            srv(&s, F_PA, 5001, 1101, 10, MS(40));
        srv(&s, F_A, i == 3 ? 5011 : 5001, i == 1 ? 1101 : 1001, 0, MS(41));
        EXPECT_NOEV(&s, TS_EV_LOST_HANDSHAKE_ACK);
        EXPECT_FIELD(&s, state[S], ES);
    }
}

/* A merged close whose FIN+ACK was lost after the capture point: the client
 * repeats its FIN (LOST_ACK_OF_FIN: FIN-WAIT-1), then acknowledges the
 * server's FIN - a repeat of the FIN+ACK reached it unseen. That FIN came
 * from a passive closer, so it acknowledged the client's FIN as well: the
 * client is TIME-WAIT (FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT), not CLOSING,
 * and the close is no simultaneous one. */
static void test_unseen_fin_acks_own_fin(void)
{
    scen s;

    sc_init(&s);
    open_3way(&s);
    cli(&s, F_FA, 1001, 5001, 0, MS(100));
    srv(&s, F_FA, 5001, 1002, 0, MS(110));
    EXPECT(&s, TS_ROLE_FIN_ACK_OF_FIN, 2, TS_PHASE_TEARDOWN, S, FW1, TW, CW, LA);
    cli(&s, F_FA, 1001, 5001, 0, MS(360));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, TW, FW1, LA, LA);
    EXPECT_EV(&s, TS_EV_LOST_ACK_OF_FIN);
    cli(&s, F_A, 1002, 5002, 0, MS(361));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 3, TS_PHASE_TEARDOWN, C, FW1, TW, LA, CL);
    EXPECT_EV(&s, TS_EV_GOT_UNSEEN_FIN);
    EXPECT_FIELD(&s, cause[C], TS_CAUSE_CORRECTED);
}

static void test_robustness(void)
{
    /* The default seed, then a few others: an invariant that holds on one
     * random sequence only is not shown to hold (issue 10: the RST ack fix
     * first broke "an RST not accepted changes no state" on two other seeds). */
    static const uint64_t seeds[] = { 0x9E3779B97F4A7C15ull, 1, 2, 3, 0xC0FFEEull, 0xDEADBEEFull };
    const char *env = getenv("TCPSTATE_FUZZ_SEEDS");
    unsigned n = env ? (unsigned)strtoul(env, NULL, 10) : 0;

    for (unsigned k = 0; k < sizeof seeds / sizeof seeds[0] + n; k++) {
        rng_state = k < sizeof seeds / sizeof seeds[0] ? seeds[k] : 0x1000u + k;
        fuzz_run(0, 200000);
        fuzz_run(50, 200000);
    }
}

/* Retransmitted FINs that prove nothing: the sender is where the model has it
 * (LAST-ACK waiting for the ACK, CLOSING after crossing FINs), so there is no
 * correction and no lost-segment event; the attempt still counts. */
static void test_retransmitted_fin_no_proof(void)
{
    scen s;
    uint32_t cseq, sseq;

    sc_init(&s);
    bring_to(&s, AT_FIN2, &cseq, &sseq); /* client TIME-WAIT, server LAST-ACK */
    srv(&s, F_FA, 5001, 1002, 0, MS(300));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, S, TW, TW, LA, LA);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_IN_TIME_WAIT | TS_EV_CANNOT_SHOW);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 0);
    srv(&s, F_FA, 5001, 1002, 0, MS(700));
    EXPECT_FIELD(&s, attempt, 3);
    EXPECT_FIELD(&s, state[S], LA);
    cli(&s, F_A, 1002, 5002, 0, MS(701));
    EXPECT(&s, TS_ROLE_FINAL_ACK, 4, TS_PHASE_TEARDOWN, C, TW, TW, LA, CL);

    /* Crossing FINs, then the client repeats its FIN 200 ms later, still
     * not acknowledging the server's FIN: by then it would have, had that
     * FIN reached it (docs/spec.md: a segment's ack tells what its sender
     * received). The server's FIN was lost: the client is FIN-WAIT-1. */
    sc_init(&s);
    bring_to(&s, AT_CLOSING, &cseq, &sseq);
    cli(&s, F_FA, 1001, 5001, 0, MS(300));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, C, CG, FW1, CG, CG);
    EXPECT_EVENTS(&s, TS_EV_RETRANSMISSION | TS_EV_LOST_FIN | TS_EV_CANNOT_SHOW);
    EXPECT_FIELD(&s, attempt, 2);
    EXPECT_FIELD(&s, corrected, 1u << C);
    /* The repeated crossing FIN keeps its role fin; the server's repeated FIN
     * now acknowledging the client's is still a retransmission of a fin. */
    srv(&s, F_FA, 5001, 1002, 0, MS(301));
    EXPECT(&s, TS_ROLE_FIN, 0, TS_PHASE_TEARDOWN, S, FW1, TW, CG, CG);
    EXPECT_EV(&s, TS_EV_RETRANSMISSION | TS_EV_TIME_WAIT_ENTERED);
    EXPECT_NOEV(&s, TS_EV_MERGED_CLOSE);
    EXPECT_FIELD(&s, attempt, 2);
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

int main(void)
{
    UNIT_RUN(test_names);
    UNIT_RUN(test_handshake);
    UNIT_RUN(test_handshake_ack_with_data);
    UNIT_RUN(test_four_way_close);
    UNIT_RUN(test_four_way_close_server_first);
    UNIT_RUN(test_merged_close);
    UNIT_RUN(test_merged_close_with_data);
    UNIT_RUN(test_simultaneous_close);
    UNIT_RUN(test_simultaneous_close_other_order);
    UNIT_RUN(test_half_close);
    UNIT_RUN(test_ack_of_fin_with_data);
    UNIT_RUN(test_fin_ack_by_number);
    UNIT_RUN(test_wraparound);
    UNIT_RUN(test_simultaneous_open);
    UNIT_RUN(test_simultaneous_open_other_order);
    UNIT_RUN(test_retransmitted_syn);
    UNIT_RUN(test_retransmitted_syn_ack);
    UNIT_RUN(test_retransmitted_fin);
    UNIT_RUN(test_retransmitted_fin_ack_of_fin);
    UNIT_RUN(test_proof_lost_syn_ack);
    UNIT_RUN(test_proof_lost_handshake_ack);
    UNIT_RUN(test_proof_lost_final_ack);
    UNIT_RUN(test_proof_lost_final_ack_merged);
    UNIT_RUN(test_proof_lost_ack_of_fin_fw2);
    UNIT_RUN(test_proof_lost_ack_of_fin_tw);
    UNIT_RUN(test_rst_every_state);
    UNIT_RUN(test_rst_first);
    UNIT_RUN(test_after_close);
    UNIT_RUN(test_midstream);
    UNIT_RUN(test_starts_with_syn_ack);
    UNIT_RUN(test_time_wait_expiry);
    UNIT_RUN(test_time_wait_restart);
    UNIT_RUN(test_new_connection);
    UNIT_RUN(test_new_connection_after_rst);
    UNIT_RUN(test_new_connection_other_side);
    UNIT_RUN(test_odd_flags);
    UNIT_RUN(test_misc_facts);
    UNIT_RUN(test_fin_from_syn_received);
    UNIT_RUN(test_describe);
    UNIT_RUN(test_retransmitted_fin_no_proof);
    UNIT_RUN(test_expired_active_closer_repeats_fin);
    UNIT_RUN(test_repeated_fin_completing_handshake);
    UNIT_RUN(test_ack_of_old_fin_after_rst);
    UNIT_RUN(test_syn_repeat_after_handshake);
    UNIT_RUN(test_rst_without_ack_in_syn_sent);
    UNIT_RUN(test_rst_ack_outside_syn_in_syn_sent);
    UNIT_RUN(test_rst_ack_before_peer_isn);
    UNIT_RUN(test_rst_wrong_sequence_number);
    UNIT_RUN(test_handshake_reordered);
    UNIT_RUN(test_syn_ack_repeat_crossing_handshake_ack);
    UNIT_RUN(test_content_proves_established);
    UNIT_RUN(test_fin_repeat_without_peer_fin);
    UNIT_RUN(test_lost_fin_by_ack);
    UNIT_RUN(test_rst_lost_then_fin);
    UNIT_RUN(test_keepalive_probe);
    UNIT_RUN(test_causes);
    UNIT_RUN(test_verdict_round_trip);
    UNIT_RUN(test_fin_before_capture);
    UNIT_RUN(test_fin_before_capture_crossing);
    UNIT_RUN(test_unseen_fin_was_data);
    UNIT_RUN(test_fin_crossing_a_repeat);
    UNIT_RUN(test_abort_before_capture);
    UNIT_RUN(test_challenge_ack_rejects_rst);
    UNIT_RUN(test_cannot_show_lost_fin);
    UNIT_RUN(test_cannot_show_settled_by_echo);
    UNIT_RUN(test_fin_may_repeat);
    UNIT_RUN(test_stale_answer_after_final_ack);
    UNIT_RUN(test_handshake_ack_data_lost);
    UNIT_RUN(test_unseen_fin_acks_own_fin);
    UNIT_RUN(test_handshake_rtt_clock_back);
    UNIT_RUN(test_robustness);
    return unit_report();
}
