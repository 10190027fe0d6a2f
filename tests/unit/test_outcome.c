/*
 * test_outcome.c: how a connection opened and closed (core/outcome.c), the
 * `opened`/`closed` values of -z tcpstate,conv and tcpstate.outcome.*, driven
 * through the real tracker (docs/spec.md, "Stream-level reports";
 * docs/reports.md).
 */
#include "outcome.h"
#include "tcpstate_core.h"
#include "unit.h"

#include <string.h>

#define MS(x) ((int64_t)(x) * 1000000)
enum { C = TS_CLIENT, S = TS_SERVER };

typedef struct {
    ts_conn conn;
    ts_config cfg;
    ts_outcome out;
    int first;
} run;

static void start(run *r)
{
    memset(r, 0, sizeof *r);
    ts_conn_init(&r->conn);
    ts_outcome_init(&r->out);
    r->cfg.msl_ns = TS_DEFAULT_MSL_NS;
    r->first = -1;
}

static void seg(run *r, int side, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len, int64_t t)
{
    ts_segment s;
    ts_result res;

    if (r->first < 0)
        r->first = side;
    memset(&s, 0, sizeof s);
    s.time_ns = t;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.flags = flags;
    s.sport = side == C ? 40000 : 6302;
    s.dport = side == C ? 6302 : 40000;
    s.from_first = (uint8_t)(side == r->first);
    ts_conn_track(&r->conn, &r->cfg, &s, &res);
    ts_outcome_add(&r->out, &res);
}

static void expect(const run *r, const char *opened, const char *closed, int line)
{
    unit_check(strcmp(ts_open_name(ts_outcome_opened(&r->out)), opened) == 0, __FILE__, line,
               "opened: expected %s, got %s", opened, ts_open_name(ts_outcome_opened(&r->out)));
    unit_check(strcmp(ts_close_name(ts_outcome_closed(&r->out)), closed) == 0, __FILE__, line,
               "closed: expected %s, got %s", closed, ts_close_name(ts_outcome_closed(&r->out)));
}
#define EXPECT_OUTCOME(r, o, c) expect(r, o, c, __LINE__)

static const uint16_t SYN = TS_SYN, SA = TS_SYN | TS_ACK, A = TS_ACK, FA = TS_FIN | TS_ACK,
                      RA = TS_RST | TS_ACK, R = TS_RST;

static void open3(run *r)
{
    seg(r, C, SYN, 1000, 0, 0, MS(0));
    seg(r, S, SA, 5000, 1001, 0, MS(10));
    seg(r, C, A, 1001, 5001, 0, MS(30));
}

static void test_closes(void)
{
    run r;

    start(&r);
    open3(&r);
    EXPECT_OUTCOME(&r, "three-way", "still open");
    seg(&r, C, FA, 1001, 5001, 0, MS(40));
    EXPECT_OUTCOME(&r, "three-way", "half-closed");
    seg(&r, S, FA, 5001, 1002, 0, MS(50));
    seg(&r, C, A, 1002, 5002, 0, MS(60));
    EXPECT_OUTCOME(&r, "three-way", "three-way");

    start(&r);
    open3(&r);
    seg(&r, C, FA, 1001, 5001, 0, MS(40));
    seg(&r, S, A, 5001, 1002, 0, MS(50));
    seg(&r, S, FA, 5001, 1002, 0, MS(60));
    seg(&r, C, A, 1002, 5002, 0, MS(70));
    EXPECT_OUTCOME(&r, "three-way", "four-way");

    start(&r);
    open3(&r);
    seg(&r, S, RA, 5001, 1001, 0, MS(40));
    EXPECT_OUTCOME(&r, "three-way", "reset by server");
}

/* Connections that never opened (docs/spec.md: refused, no answer). */
static void test_never_opened(void)
{
    run r;

    start(&r);
    seg(&r, C, SYN, 1000, 0, 0, MS(0));
    EXPECT_OUTCOME(&r, "partial", "no answer");
    seg(&r, C, SYN, 1000, 0, 0, MS(1000));
    EXPECT_OUTCOME(&r, "partial", "no answer");

    start(&r);
    seg(&r, C, SYN, 1000, 0, 0, MS(0));
    seg(&r, S, RA, 0, 1001, 0, MS(1));
    EXPECT_OUTCOME(&r, "partial", "refused");
    /* Its RST lost, the client repeats the SYN, refused again. */
    seg(&r, C, SYN, 1000, 0, 0, MS(1000));
    seg(&r, S, RA, 0, 1001, 0, MS(1001));
    EXPECT_OUTCOME(&r, "partial", "refused");

    /* A bare RST answering the SYN is ignored: the real SYN-ACK follows. */
    start(&r);
    seg(&r, C, SYN, 1000, 0, 0, MS(0));
    seg(&r, S, R, 0, 0, 0, MS(1));
    EXPECT_OUTCOME(&r, "partial", "no answer");
    seg(&r, S, SA, 5000, 1001, 0, MS(10));
    seg(&r, C, A, 1001, 5001, 0, MS(30));
    EXPECT_OUTCOME(&r, "three-way", "still open");
}

/* three-way only when all three handshake segments were captured; a FIN on
 * the handshake-ack counts for the close. */
static void test_opening(void)
{
    run r;

    start(&r);
    seg(&r, C, SYN, 1000, 0, 0, MS(0));
    seg(&r, C, A, 1001, 5001, 0, MS(30)); /* the SYN-ACK not captured */
    EXPECT_OUTCOME(&r, "partial", "still open");

    start(&r);
    seg(&r, C, SYN, 1000, 0, 0, MS(0));
    seg(&r, S, SA, 5000, 1001, 0, MS(10));
    seg(&r, C, FA, 1001, 5001, 0, MS(30)); /* handshake-ack carrying the FIN */
    seg(&r, S, FA, 5001, 1002, 0, MS(40));
    seg(&r, C, A, 1002, 5002, 0, MS(50));
    EXPECT_OUTCOME(&r, "three-way", "three-way");

    start(&r);
    seg(&r, C, A, 1001, 5001, 10, MS(0)); /* mid-stream */
    EXPECT_OUTCOME(&r, "none", "still open");
}

int main(void)
{
    UNIT_RUN(test_closes);
    UNIT_RUN(test_never_opened);
    UNIT_RUN(test_opening);
    return unit_report();
}
