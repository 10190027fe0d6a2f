/*
 * Unit tests of core/zeek.c: Zeek's conn_state and history (docs/zeek.md).
 *
 * Each scenario feeds segments of one stream, as the plugin does, and checks
 * the history string and conn_state after the last one. "A" is the endpoint
 * that sends the stream's first segment, "B" the other one. Unless a test says
 * otherwise A uses port 40000 and B port 5555, neither a likely server port,
 * so no flip happens at creation. A's ISN is 100 and B's is 500.
 */
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "zeek.h"

#define MS ((int64_t)1000000)
#define SEC ((int64_t)1000000000)

/* Endpoint indices, as in ts_zeek.ep and ts_zeek.orig: 0 = the first sender. */
enum { A = 0, B = 1 };

typedef struct {
    ts_zeek z;
    ts_zeek_result r;
    int64_t t;
    uint16_t port[2]; /* by endpoint index */
} sim;

static void sim_start(sim *m, uint16_t port_a, uint16_t port_b)
{
    memset(m, 0, sizeof *m);
    ts_zeek_init(&m->z);
    m->t = 1000 * SEC;
    m->port[A] = port_a;
    m->port[B] = port_b;
}

static void sim_init(sim *m)
{
    sim_start(m, 40000, 5555);
}

/* One segment after `gap` nanoseconds, with every field given. */
static void seg_full(sim *m, int from, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
                     uint32_t window, int bad, int64_t gap)
{
    ts_segment s;

    memset(&s, 0, sizeof s);
    m->t += gap;
    s.time_ns = m->t;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.window = window;
    s.flags = (uint16_t)flags;
    s.sport = m->port[from];
    s.dport = m->port[!from];
    s.from_first = (uint8_t)(from == A);
    s.bad_checksum = (uint8_t)bad;
    ts_zeek_track(&m->z, &s, &m->r);
}

/* A segment 1 ms after the previous one of which the capture holds only
 * `captured` payload bytes (snap length). */
static void tx_cut(sim *m, int from, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
                   uint32_t captured)
{
    ts_segment s;

    memset(&s, 0, sizeof s);
    m->t += MS;
    s.time_ns = m->t;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.window = 1000;
    s.flags = (uint16_t)flags;
    s.sport = m->port[from];
    s.dport = m->port[!from];
    s.from_first = (uint8_t)(from == A);
    ts_zeek_track_captured(&m->z, &s, captured, &m->r);
}

/* An ordinary segment 1 ms after the previous one. */
static void tx(sim *m, int from, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    seg_full(m, from, flags, seq, ack, len, 1000, 0, MS);
}

static void tx_at(sim *m, int64_t gap, int from, unsigned flags, uint32_t seq, uint32_t ack,
                  uint32_t len)
{
    seg_full(m, from, flags, seq, ack, len, 1000, 0, gap);
}

static const char *state(const sim *m)
{
    return ts_zeek_conn_state_name(m->r.conn_state);
}

#define SA (TS_SYN | TS_ACK)
#define PA (TS_PSH | TS_ACK)
#define FA (TS_FIN | TS_ACK)
#define RA (TS_RST | TS_ACK)

/* SYN, SYN-ACK, ACK: "ShA", both ESTABLISHED. */
static void handshake(sim *m)
{
    tx(m, A, TS_SYN, 100, 0, 0);
    tx(m, B, SA, 500, 101, 0);
    tx(m, A, TS_ACK, 101, 501, 0);
}

/* Handshake, 10 bytes from A, 20 from B, each acknowledged: "ShADad". */
static void handshake_and_data(sim *m)
{
    handshake(m);
    tx(m, A, PA, 101, 501, 10);
    tx(m, B, TS_ACK, 501, 111, 0);
    tx(m, B, PA, 501, 111, 20);
    tx(m, A, TS_ACK, 111, 521, 0);
}

/* ---------------------------------------------------------------- */
/* conn_state codes                                                  */

static void test_s0_syn_only(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    CHECK_STR(m.z.history, "S");
    CHECK_STR(state(&m), "S0");
    /* Data and ACKs from the originator leave it SYN_SENT: still S0. */
    tx(&m, A, TS_ACK, 101, 501, 0);
    tx(&m, A, PA, 101, 501, 5);
    CHECK_STR(m.z.history, "SAD");
    CHECK_STR(state(&m), "S0");
}

static void test_s1_syn_synack(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, SA, 500, 101, 0);
    CHECK_STR(m.z.history, "Sh");
    CHECK_STR(state(&m), "S1"); /* the third ACK is not needed */
    tx(&m, A, TS_ACK, 101, 501, 0);
    CHECK_STR(m.z.history, "ShA");
    CHECK_STR(state(&m), "S1");
}

static void test_sf_full_connection(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, FA, 111, 521, 0);
    CHECK_STR(state(&m), "S2");
    tx(&m, B, FA, 521, 112, 0);
    tx(&m, A, TS_ACK, 112, 522, 0);
    CHECK_STR(m.z.history, "ShADadFf");
    CHECK_STR(state(&m), "SF");
    /* A RST after both FINs changes nothing. */
    tx(&m, A, TS_RST, 112, 0, 0);
    CHECK_STR(state(&m), "SF");
}

static void test_sf_midstream(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, PA, 1000, 9000, 10);
    tx(&m, B, TS_ACK, 9000, 1010, 0);
    tx(&m, A, FA, 1010, 9000, 0);
    tx(&m, B, FA, 9000, 1011, 0);
    tx(&m, A, TS_ACK, 1011, 9001, 0);
    CHECK_STR(m.z.history, "DaFfA");
    CHECK_STR(state(&m), "SF"); /* no handshake needed */
}

static void test_rej_reset_answer(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, RA, 0, 101, 0);
    CHECK_STR(m.z.history, "Sr");
    CHECK_STR(state(&m), "REJ");
}

static void test_rej_both_reset_no_bytes(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, SA, 500, 101, 0);
    tx(&m, A, TS_RST, 101, 0, 0);
    CHECK_STR(state(&m), "RSTO");
    tx(&m, B, TS_RST, 501, 0, 0);
    CHECK_STR(m.z.history, "ShRr");
    CHECK_STR(state(&m), "REJ"); /* both RESET, both sizes 0 */
}

static void test_rstr_both_reset_with_bytes(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, SA, 500, 101, 0);
    tx(&m, A, PA, 101, 501, 10);
    tx(&m, A, TS_RST, 111, 0, 0);
    tx(&m, B, TS_RST, 501, 0, 0);
    CHECK_STR(m.z.history, "ShDRr");
    CHECK_STR(state(&m), "RSTR"); /* A's 10 bytes: not REJ */
}

static void test_s2_orig_fin(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, FA, 101, 501, 0);
    CHECK_STR(m.z.history, "ShAF");
    CHECK_STR(state(&m), "S2");
}

static void test_s3_resp_fin(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, B, FA, 501, 101, 0);
    CHECK_STR(m.z.history, "ShAf");
    CHECK_STR(state(&m), "S3");
}

static void test_rsto_orig_abort(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, RA, 111, 521, 0);
    CHECK_STR(m.z.history, "ShADadR");
    CHECK_STR(state(&m), "RSTO");
}

static void test_rstr_resp_abort(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, FA, 111, 521, 0);
    tx(&m, B, TS_RST, 521, 0, 0);
    CHECK_STR(m.z.history, "ShADadFr");
    CHECK_STR(state(&m), "RSTR");
}

static void test_rstos0(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, A, TS_RST, 101, 0, 0);
    CHECK_STR(m.z.history, "SR");
    CHECK_STR(state(&m), "RSTOS0");

    /* The responder's bare ACK does not wake it: "SaR" is still RSTOS0. */
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, TS_ACK, 500, 101, 0);
    tx(&m, A, TS_RST, 101, 0, 0);
    CHECK_STR(m.z.history, "SaR");
    CHECK_STR(state(&m), "RSTOS0");
}

static void test_rstos0_pattern_broken_is_oth(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, TS_ACK, 500, 101, 0);
    tx(&m, A, FA, 101, 501, 0);
    CHECK_STR(state(&m), "SH");
    tx(&m, A, TS_RST, 102, 0, 0);
    CHECK_STR(m.z.history, "SaFR");
    CHECK_STR(state(&m), "OTH"); /* F before R breaks the pattern */

    sim_init(&m);
    tx(&m, A, TS_RST, 100, 0, 0);
    CHECK_STR(m.z.history, "R");
    CHECK_STR(state(&m), "OTH"); /* no leading S */
}

static void test_rstrh(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, PA, 1000, 9000, 10);
    tx(&m, B, TS_RST, 9000, 0, 0);
    CHECK_STR(m.z.history, "Dr");
    CHECK_STR(state(&m), "RSTRH"); /* no SYN-ACK needed */
}

static void test_sh(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, A, FA, 101, 0, 0);
    CHECK_STR(m.z.history, "SF");
    CHECK_STR(state(&m), "SH");

    sim_init(&m);
    tx(&m, A, PA, 1000, 9000, 10);
    tx(&m, A, TS_ACK, 1010, 9000, 0);
    tx(&m, A, FA, 1010, 9000, 0);
    CHECK_STR(m.z.history, "DAF");
    CHECK_STR(state(&m), "SH");
}

static void test_shr(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_ACK, 1000, 9000, 0);
    tx(&m, B, FA, 9000, 1000, 0);
    CHECK_STR(m.z.history, "Af");
    CHECK_STR(state(&m), "SHR");
}

static void test_oth(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0); /* a lone SYN-ACK, no flip at creation */
    CHECK_STR(m.z.history, "H");
    CHECK_STR(state(&m), "OTH");

    sim_init(&m);
    tx(&m, A, PA, 1000, 9000, 10);
    tx(&m, B, PA, 9000, 1010, 10);
    CHECK_STR(m.z.history, "Dd");
    CHECK_STR(state(&m), "OTH"); /* midstream: PARTIAL/PARTIAL */
}

static void test_conn_state_names(void)
{
    static const char *const names[] = { "S0",   "S1",   "SF",     "REJ",   "S2", "S3", "RSTO",
                                         "RSTR", "RSTOS0", "RSTRH", "SH",    "SHR", "OTH" };
    unsigned i;

    CHECK_INT(sizeof names / sizeof names[0], TS_ZEEK_CONN_STATE_COUNT);
    for (i = 0; i < TS_ZEEK_CONN_STATE_COUNT; i++)
        CHECK_STR(ts_zeek_conn_state_name(i), names[i]);
    CHECK_STR(ts_zeek_conn_state_name(TS_ZEEK_CONN_STATE_COUNT), "?");
    CHECK_STR(ts_zeek_conn_state_name(9999), "?");
}

/* ---------------------------------------------------------------- */
/* History letters                                                   */

static void test_letters_s_h_case(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, A, TS_SYN, 100, 0, 0); /* retransmitted SYN: same ISN, nothing */
    tx(&m, B, SA, 500, 101, 0);
    tx(&m, B, SA, 500, 101, 0);   /* retransmitted SYN-ACK: nothing */
    CHECK_STR(m.z.history, "Sh");
    CHECK_INT(m.r.conn_index, 0);
}

static void test_letters_a_d_once(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, PA, 111, 521, 10);
    tx(&m, B, TS_ACK, 521, 121, 0);
    tx(&m, B, PA, 521, 121, 10);
    tx(&m, A, TS_ACK, 121, 531, 0);
    CHECK_STR(m.z.history, "ShADad"); /* d and a at most once per direction */
}

static void test_letter_f_repeat_rule(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, FA, 111, 521, 0);
    tx(&m, A, FA, 111, 521, 0); /* retransmitted FIN: nothing */
    CHECK_STR(m.z.history, "ShADadF");
    tx(&m, A, FA, 111, 521, 5); /* a FIN at a new place: another F */
    CHECK_STR(m.z.history, "ShADadFF");
}

static void test_letter_r_repeat_rule(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, B, TS_RST, 501, 0, 0);
    tx(&m, B, TS_RST, 501, 0, 0); /* same seq: nothing */
    tx(&m, B, TS_RST, 600, 0, 0); /* new seq: another r */
    CHECK_STR(m.z.history, "ShArr");
    CHECK_STR(state(&m), "RSTR");
}

static void test_letters_i_q(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, TS_FIN | TS_RST | TS_ACK, 101, 501, 0);
    tx(&m, A, TS_FIN | TS_RST | TS_ACK, 101, 501, 0);
    tx(&m, B, TS_FIN | TS_RST, 501, 0, 0);
    CHECK_STR(m.z.history, "ShAIi"); /* one I per direction, no F/R letters */

    /* SYN+FIN and SYN+RST give one Q per direction (with ACK set, so
     * that they are not taken as a new connection's SYN). */
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, A, TS_SYN | TS_FIN | TS_ACK, 100, 0, 0);
    CHECK_STR(m.z.history, "SQ");
    tx(&m, A, TS_SYN | TS_RST | TS_ACK, 100, 0, 0);
    CHECK_STR(m.z.history, "SQ");
    tx(&m, B, TS_SYN | TS_RST | TS_ACK, 500, 101, 0);
    CHECK_STR(m.z.history, "SQq");

    sim_init(&m);
    tx(&m, A, TS_SYN | TS_RST, 100, 0, 0);
    CHECK_STR(m.z.history, "Q");
}

static void test_letter_c_bad_checksum(void)
{
    sim m;
    int i;

    sim_init(&m);
    seg_full(&m, A, TS_SYN, 100, 0, 0, 1000, 1, MS);
    CHECK_STR(m.z.history, "C");
    CHECK_STR(state(&m), "OTH"); /* the SYN was dropped: nothing else changed */
    /* The good copy: the originator's ISN is unknown (0), so it is a new
     * connection (TCPSessionAdapter::IsReuse). */
    tx(&m, A, TS_SYN, 100, 0, 0);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "S");
    seg_full(&m, B, SA, 500, 101, 0, 1000, 1, MS);
    CHECK_STR(m.z.history, "Sc");
    CHECK_STR(state(&m), "S0");
    for (i = 0; i < 8; i++)
        seg_full(&m, B, SA, 500, 101, 0, 1000, 1, MS);
    CHECK_STR(m.z.history, "Sc");
    seg_full(&m, B, SA, 500, 101, 0, 1000, 1, MS);
    CHECK_STR(m.z.history, "Scc"); /* the 10th bad packet from B */
    CHECK_INT(m.r.conn_index, 1);
}

static void test_letter_t_retransmission(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 101, 501, 100);
    tx(&m, A, PA, 101, 501, 100); /* same data again */
    CHECK_STR(m.z.history, "ShADT");
    tx(&m, A, PA, 151, 501, 100); /* overlaps but goes further: no t */
    tx(&m, A, PA, 121, 501, 10);  /* late out-of-order: counts (2nd) */
    CHECK_STR(m.z.history, "ShADT");
    tx(&m, B, PA, 501, 251, 10);
    tx(&m, B, PA, 501, 251, 10);
    CHECK_STR(m.z.history, "ShADTdt");
}

static void test_letter_t_not_after_reset_or_fin_only_syn(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, SA, 500, 101, 0);
    tx(&m, A, TS_FIN | TS_PSH | TS_ACK, 50, 501, 10); /* before the SYN, but only the SYN seen */
    CHECK_STR(m.z.history, "ShF");

    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 101, 501, 10);
    tx(&m, A, RA, 111, 501, 0);
    tx(&m, A, PA, 101, 501, 10); /* from a RESET sender: not counted */
    CHECK_STR(m.z.history, "ShADR");
}

/* ssh-dups.pcap's "ShADTadtTtFf": 10 retransmissions each way give the
 * second T/t; the counts per letter and side follow 1, 10, 100. */
static void test_repeat_counting(void)
{
    sim m;
    int i;

    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 101, 501, 10);
    tx(&m, A, PA, 101, 501, 10); /* T #1 */
    tx(&m, B, TS_ACK, 501, 111, 0);
    tx(&m, B, PA, 501, 111, 10);
    tx(&m, B, PA, 501, 111, 10); /* t #1 */
    for (i = 0; i < 9; i++)      /* T #2..#10 */
        tx(&m, A, PA, 101, 501, 10);
    for (i = 0; i < 9; i++)      /* t #2..#10 */
        tx(&m, B, PA, 501, 111, 10);
    tx(&m, A, FA, 111, 511, 0);
    tx(&m, B, FA, 511, 112, 0);
    CHECK_STR(m.z.history, "ShADTadtTtFf");
    CHECK_STR(state(&m), "SF");

    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 101, 501, 10);
    for (i = 0; i < 99; i++)
        tx(&m, A, PA, 101, 501, 10);
    CHECK_STR(m.z.history, "ShADTT"); /* 99 retransmissions */
    tx(&m, A, PA, 101, 501, 10);
    CHECK_STR(m.z.history, "ShADTTT"); /* the 100th */
}

static void test_letter_w_zero_window(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    seg_full(&m, B, TS_ACK, 501, 101, 0, 0, 0, MS);
    CHECK_STR(m.z.history, "ShAaw");
    seg_full(&m, A, TS_ACK, 101, 501, 0, 0, 0, MS);
    CHECK_STR(m.z.history, "ShAawW");
    seg_full(&m, A, RA, 101, 501, 0, 0, 0, MS); /* not on a RST */
    CHECK_STR(m.z.history, "ShAawWR");

    /* Not after the peer's FIN; scaled like t. */
    sim_init(&m);
    handshake(&m);
    tx(&m, A, FA, 101, 501, 0);
    seg_full(&m, B, TS_ACK, 501, 102, 0, 0, 0, MS);
    CHECK_STR(m.z.history, "ShAFa");
}

static void test_flip_at_creation(void)
{
    sim m;

    /* A SYN-ACK from a likely server port (80): its sender is the responder. */
    sim_start(&m, 80, 40000);
    tx(&m, A, SA, 500, 101, 0);
    CHECK_STR(m.z.history, "^h");
    CHECK_INT(m.z.orig, B);
    tx(&m, B, TS_ACK, 101, 501, 0);
    tx(&m, B, PA, 101, 501, 10);
    tx(&m, A, TS_ACK, 501, 111, 0);
    tx(&m, A, PA, 501, 111, 20);
    tx(&m, B, FA, 111, 521, 0);
    tx(&m, A, FA, 521, 112, 0);
    CHECK_STR(m.z.history, "^hADadFf");
    CHECK_STR(state(&m), "SF");

    /* Midstream data from port 80. */
    sim_start(&m, 80, 40000);
    tx(&m, A, PA, 9000, 1000, 10);
    CHECK_STR(m.z.history, "^d");
    CHECK_STR(state(&m), "OTH");

    /* A pure SYN is never flipped. */
    sim_start(&m, 80, 40000);
    tx(&m, A, TS_SYN, 100, 0, 0);
    CHECK_STR(m.z.history, "S");

    /* Both likely: flip only without SYN and when sport < dport. */
    sim_start(&m, 80, 6669);
    tx(&m, A, TS_ACK, 9000, 1000, 0);
    CHECK_STR(m.z.history, "^a");
    sim_start(&m, 6669, 80);
    tx(&m, A, TS_ACK, 9000, 1000, 0);
    CHECK_STR(m.z.history, "A");
    sim_start(&m, 80, 6669);
    tx(&m, A, SA, 9000, 1000, 0);
    CHECK_STR(m.z.history, "H");
}

static void test_flip_reversal(void)
{
    sim m;
    uint16_t v;

    /* The SYN-ACK is captured before the SYN it answers: "Hs^". */
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0);
    v = m.z.version;
    tx(&m, B, TS_SYN, 100, 0, 0);
    CHECK_STR(m.z.history, "Hs^");
    CHECK_INT(m.z.orig, B);
    CHECK_INT(m.z.version, v); /* appended, not rewritten */
    CHECK_INT(m.r.conn_index, 0);
    tx(&m, B, TS_ACK, 101, 501, 0);
    tx(&m, B, PA, 101, 501, 10);
    tx(&m, A, TS_ACK, 501, 111, 0);
    tx(&m, A, PA, 501, 111, 10);
    tx(&m, B, FA, 111, 511, 0);
    tx(&m, A, FA, 511, 112, 0);
    CHECK_STR(m.z.history, "Hs^ADadFf");
    CHECK_STR(state(&m), "SF");

    /* A SYN with another ISN is a new connection instead. */
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0);
    tx(&m, B, TS_SYN, 7777, 0, 0);
    CHECK_STR(m.z.history, "S");
    CHECK_INT(m.r.conn_index, 1);
    CHECK_INT(m.r.new_conn, 1);
}

static void test_flip_late(void)
{
    sim m;
    uint16_t v;

    /* Both ports likely (80 -> 6669 with SYN): no creation flip, so the
     * first productive packet flips and rewrites "H" to "^h". */
    sim_start(&m, 80, 6669);
    tx(&m, A, SA, 500, 101, 0);
    CHECK_STR(m.z.history, "H");
    v = m.z.version;
    tx(&m, B, TS_ACK, 101, 501, 0);
    CHECK_STR(m.z.history, "^hA");
    CHECK_INT(m.z.orig, B);
    CHECK_INT(m.r.version, (uint16_t)(v + 1));
    tx(&m, B, PA, 101, 501, 10);
    tx(&m, A, TS_ACK, 501, 111, 0);
    CHECK_STR(m.z.history, "^hADa");
    CHECK_STR(state(&m), "OTH"); /* B PARTIAL, A still SYN_ACK_SENT */
    tx(&m, B, FA, 111, 501, 0);
    tx(&m, A, FA, 501, 112, 0);
    CHECK_STR(m.z.history, "^hADaFf");
    CHECK_STR(state(&m), "SF");

    /* Only the SYN-ACK sender's packets ("^haf", one-sided-2745). */
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0);
    tx(&m, A, TS_ACK, 501, 101, 0);
    tx(&m, A, FA, 501, 101, 0);
    CHECK_STR(m.z.history, "^haf");
    CHECK_STR(state(&m), "SHR");

    /* Another letter first: no late flip. */
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0);
    seg_full(&m, B, TS_ACK, 101, 501, 0, 1000, 1, MS);
    tx(&m, B, TS_ACK, 101, 501, 0);
    CHECK_STR(m.z.history, "Hca");
    CHECK_INT(m.z.orig, A);
}

/* ---------------------------------------------------------------- */
/* Several Zeek connections on one stream                            */

static void test_reuse_after_close(void)
{
    sim m;
    uint16_t v;

    /* pop3.pcap: SYN, RST-ACK, the same SYN again: one REJ per attempt. */
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, RA, 0, 101, 0);
    CHECK_STR(state(&m), "REJ");
    CHECK_INT(m.r.new_conn, 0);
    v = m.z.version;
    tx(&m, A, TS_SYN, 100, 0, 0);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_INT(m.r.conn_index, 1);
    CHECK_INT(m.r.version, (uint16_t)(v + 1));
    CHECK_STR(m.z.history, "S");
    CHECK_STR(state(&m), "S0");
    tx(&m, B, RA, 0, 101, 0);
    CHECK_STR(m.z.history, "Sr");
    CHECK_INT(m.r.new_conn, 0);
    CHECK_INT(m.r.conn_index, 1);
}

static void test_reuse_new_isn(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, TS_SYN, 100, 0, 0); /* same ISN, not closed: no reuse */
    CHECK_INT(m.r.conn_index, 0);
    CHECK_STR(m.z.history, "ShADad");
    tx(&m, A, TS_SYN, 90000, 0, 0); /* new ISN: reuse */
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "S");
}

static void test_reuse_synack_half_connection(void)
{
    sim m;

    /* localhost-bad-chksum: a dropped SYN leaves the originator INACTIVE,
     * so the SYN-ACK starts the next connection (with B as originator). */
    sim_init(&m);
    seg_full(&m, A, TS_SYN, 100, 0, 0, 1000, 1, MS);
    CHECK_STR(m.z.history, "C");
    tx(&m, B, SA, 500, 101, 0);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_INT(m.z.orig, B);
    CHECK_STR(m.z.history, "H");
}

static void test_attempt_timer(void)
{
    sim m;

    /* ssh client side: unanswered SYN (S0), 5 s later a new connection. */
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, A, PA, 101, 501, 10);
    CHECK_STR(m.z.history, "SD");
    /* Due exactly tcp_attempt_delay after the SYN (1 ns earlier it is not,
     * the last case below). */
    tx_at(&m, 5 * SEC - MS, A, PA, 111, 501, 10);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "D");
    CHECK_STR(state(&m), "OTH");

    /* Answered in time: no split. */
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx_at(&m, 4 * SEC, B, SA, 500, 101, 0);
    tx_at(&m, 10 * SEC, A, TS_ACK, 101, 501, 0);
    CHECK_INT(m.r.conn_index, 0);
    CHECK_STR(m.z.history, "ShA");

    /* Just before the deadline: no split either. */
    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx_at(&m, 5 * SEC - 1, A, PA, 101, 501, 10);
    CHECK_INT(m.r.conn_index, 0);
    CHECK_STR(m.z.history, "SD");
}

static void test_close_delay(void)
{
    sim m;

    /* After a RST the connection is removed 5 s after its last packet. */
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, RA, 111, 521, 0);
    tx_at(&m, 4 * SEC, B, PA, 521, 111, 10);
    CHECK_INT(m.r.conn_index, 0);
    CHECK_STR(m.z.history, "ShADadR");
    /* Removed 5 s after the RST, however recent B's packet was. */
    tx_at(&m, 1500 * MS, B, PA, 531, 111, 10);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "D"); /* B is the new originator */
    CHECK_INT(m.z.orig, B);

    /* Both FINs: the same. */
    sim_init(&m);
    handshake_and_data(&m);
    tx(&m, A, FA, 111, 521, 0);
    tx(&m, B, FA, 521, 112, 0);
    tx_at(&m, 5 * SEC + MS, A, TS_ACK, 112, 522, 0);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "A");
}

static void test_expire_timer_fin_then_rst(void)
{
    sim m;
    int i;

    /* A half close, then a RST from the same side: not a ConnectionClosed,
     * so no close delay. The ExpireTimers (every 6 s) remove the connection
     * only after 5 s without packets. */
    sim_init(&m);
    handshake(&m);
    tx(&m, A, FA, 101, 501, 0);
    tx_at(&m, SEC, A, TS_RST, 102, 0, 0);
    CHECK_STR(state(&m), "RSTO");
    for (i = 0; i < 4; i++) {
        tx_at(&m, 3 * SEC, B, PA, 501 + 10 * (uint32_t)i, 102, 10);
        CHECK_INT(m.r.conn_index, 0);
    }
    CHECK_STR(m.z.history, "ShAFRd");
    tx_at(&m, 6 * SEC, B, PA, 541, 102, 10);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "D");
}

static void test_inactivity_timeouts(void)
{
    sim m;

    /* Established: 5 min. */
    sim_init(&m);
    handshake(&m);
    tx_at(&m, 300 * SEC - 1, A, PA, 101, 501, 10);
    CHECK_INT(m.r.conn_index, 0);
    tx_at(&m, 300 * SEC, A, PA, 111, 501, 10);
    CHECK_INT(m.r.new_conn, 1);
    CHECK_STR(m.z.history, "D");

    /* ssh (port 22): 1 h. */
    sim_start(&m, 40000, 22);
    handshake(&m);
    tx_at(&m, 3000 * SEC, A, PA, 101, 501, 10);
    CHECK_INT(m.r.conn_index, 0);
    tx_at(&m, 3600 * SEC, A, PA, 111, 501, 10);
    CHECK_INT(m.r.new_conn, 1);

    /* Both sides still in handshake states (SYN_ACK_SENT / INACTIVE after
     * a late flip): 1 min. */
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0);
    tx(&m, A, TS_ACK, 501, 101, 0);
    CHECK_STR(m.z.history, "^ha");
    tx_at(&m, 59 * SEC, A, TS_ACK, 501, 101, 0);
    CHECK_INT(m.r.conn_index, 0);
    tx_at(&m, 60 * SEC, A, TS_ACK, 501, 101, 0);
    CHECK_INT(m.r.new_conn, 1);
}

/* ---------------------------------------------------------------- */
/* Limits and robustness                                             */

/* ---------------------------------------------------------------- */
/* Content gaps: g/G (TCP_Reassembler; docs/zeek.md)                 */

/* miss_end_data.pcap's "ShADafgF": the responder's data before its FIN was
 * never captured. The letter comes at the originator's ACK that passes the
 * hole, not at the FIN that reveals it, and is the responder's (lower case). */
static void test_gap_responder_data_at_ack(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 101, 501, 10);
    tx(&m, B, TS_ACK, 501, 111, 0);
    tx(&m, B, FA, 601, 111, 0); /* 100 bytes from B missing */
    CHECK_STR(m.z.history, "ShADaf");
    tx(&m, A, TS_ACK, 111, 602, 0); /* acks them and the FIN */
    CHECK_STR(m.z.history, "ShADafg");
    tx(&m, A, FA, 111, 602, 0);
    tx(&m, B, TS_ACK, 602, 112, 0);
    CHECK_STR(m.z.history, "ShADafgF");
    CHECK_STR(state(&m), "SF");
}

/* The originator's missing data: the responder's ACK reveals 'G'. The data
 * beyond the hole was captured; the gap is the hole only, once. */
static void test_gap_originator_data_at_ack(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 111, 501, 10); /* [101, 111) never captured */
    CHECK_STR(m.z.history, "ShAD");
    tx(&m, B, TS_ACK, 501, 105, 0); /* short of the hole's end: still a gap */
    CHECK_STR(m.z.history, "ShADaG");
    tx(&m, B, TS_ACK, 501, 121, 0); /* the rest was delivered: nothing new */
    tx(&m, A, PA, 121, 501, 10);
    tx(&m, B, TS_ACK, 501, 131, 0);
    CHECK_STR(m.z.history, "ShADaG");
    CHECK_STR(state(&m), "S1");
}

/* A hole that is filled before the ACK (reordering, or a retransmission
 * captured after the segment beyond it) is no gap; an ACK that stops before
 * the hole reveals nothing; an ACK of the FIN octet alone is no gap. */
static void test_gap_not_when_filled_or_not_passed(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 111, 501, 10);
    tx(&m, B, TS_ACK, 501, 101, 0); /* before the hole */
    tx(&m, B, TS_ACK, 501, 101, 0);
    CHECK_STR(m.z.history, "ShADa");
    tx(&m, A, PA, 101, 501, 10); /* fills it (late: 'T') */
    tx(&m, B, TS_ACK, 501, 121, 0);
    CHECK_STR(m.z.history, "ShADaT");
    /* Data spanning the hole and the buffered range at once. */
    tx(&m, A, PA, 131, 501, 10);
    tx(&m, A, PA, 121, 501, 15);
    tx(&m, B, TS_ACK, 501, 141, 0);
    CHECK_STR(m.z.history, "ShADaT");
    tx(&m, A, FA, 141, 501, 0);
    tx(&m, B, FA, 501, 142, 0);
    tx(&m, A, TS_ACK, 142, 502, 0);
    CHECK_STR(m.z.history, "ShADaTFf");
    CHECK_STR(state(&m), "SF");
}

/* Data acknowledged beyond everything captured (no buffered range): one gap
 * up to the ACK; a later segment already acknowledged changes nothing. */
static void test_gap_tail_and_acked_data(void)
{
    sim m;
    sim_init(&m);
    handshake_and_data(&m); /* "ShADad" */
    tx(&m, A, TS_ACK, 111, 541, 0); /* B's [521, 541) never seen */
    CHECK_STR(m.z.history, "ShADadg");
    tx(&m, B, PA, 521, 111, 20); /* that data, late: already acknowledged */
    tx(&m, A, TS_ACK, 111, 541, 0);
    CHECK_STR(m.z.history, "ShADadg");
    CHECK_INT(m.z.ep[B].gap, 1);
}

/* g/G count like t: the letter at the 1st, 10th, 100th gap of that side.
 * Each ACK passing a hole is one gap. */
static void test_gap_repeat_counting(void)
{
    sim m;
    uint32_t i, seq = 101;

    sim_init(&m);
    handshake(&m);
    for (i = 0; i < 9; i++) {
        seq += 10; /* 10 bytes lost before the capture */
        tx(&m, A, PA, seq, 501, 10);
        seq += 10;
        tx(&m, B, TS_ACK, 501, seq, 0);
    }
    CHECK_STR(m.z.history, "ShADaG"); /* 9 gaps */
    seq += 10;
    tx(&m, A, PA, seq, 501, 10);
    seq += 10;
    tx(&m, B, TS_ACK, 501, seq, 0);
    CHECK_STR(m.z.history, "ShADaGG"); /* the 10th */
    CHECK_INT(m.z.ep[A].gap, 10);
    CHECK_INT(m.z.ep[B].gap, 0);
}

/* Two holes passed by one ACK are two gaps in Zeek; one buffered range is
 * kept here, so they count once (docs/zeek.md). The first letter is the same. */
static void test_gap_two_holes_one_range(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 111, 501, 10);
    tx(&m, A, PA, 131, 501, 10);
    tx(&m, B, TS_ACK, 501, 141, 0);
    CHECK_STR(m.z.history, "ShADaG");
    CHECK_INT(m.z.ep[A].gap, 1);

    /* An ACK beyond the buffered range: the hole before it and the unseen
     * data after it are two gaps, as in Zeek. */
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 111, 501, 10);
    tx(&m, B, TS_ACK, 501, 131, 0);
    CHECK_STR(m.z.history, "ShADaG");
    CHECK_INT(m.z.ep[A].gap, 2);
}

/* Gaps are written only while both sides are ESTABLISHED, or CLOSED coming
 * from it: not in a connection without handshake, not when the ACK rides on
 * a RST (its sender is RESET by then), not before the SYN-ACK. */
static void test_gap_only_when_cleanly_open(void)
{
    sim m;

    sim_init(&m); /* midstream: PARTIAL */
    tx(&m, A, PA, 1000, 5000, 10);
    tx(&m, A, PA, 1020, 5000, 10);
    tx(&m, B, TS_ACK, 5000, 1030, 0);
    CHECK_STR(m.z.history, "Da");
    CHECK_INT(m.z.ep[A].gap, 0);

    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 111, 501, 10);
    tx(&m, B, RA, 501, 121, 0);
    CHECK_STR(m.z.history, "ShADr");
    CHECK_STR(state(&m), "RSTR");

    sim_init(&m); /* the responder answers the SYN with data only: SYN_SENT */
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, A, PA, 111, 501, 10);
    tx(&m, B, TS_ACK, 501, 121, 0);
    CHECK_STR(m.z.history, "SDa");

    /* The side whose data is missing has FIN'd from ESTABLISHED: still clean;
     * after a FIN from SYN_SENT it is not. */
    sim_init(&m);
    handshake(&m);
    tx(&m, A, FA, 111, 501, 0);
    tx(&m, B, TS_ACK, 501, 112, 0);
    CHECK_STR(m.z.history, "ShAFaG");
}

/* Payload cut by the snap length never reaches Zeek's reassembler: its ACK
 * is a gap in either direction (ts_zeek_track_captured). */
static void test_gap_truncated_payload(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx_cut(&m, A, PA, 101, 501, 100, 99);
    tx(&m, B, TS_ACK, 501, 201, 0);
    CHECK_STR(m.z.history, "ShADaG");
    tx_cut(&m, B, PA, 501, 201, 100, 0);
    tx(&m, A, TS_ACK, 201, 601, 0);
    CHECK_STR(m.z.history, "ShADaGdg");
    tx_cut(&m, B, PA, 601, 201, 100, 100); /* wholly captured: no gap */
    tx(&m, A, TS_ACK, 201, 701, 0);
    CHECK_INT(m.z.ep[B].gap, 1);
}

/* retransmit-fast009.pcap, Zeek baseline "ShADaGdgtR": every payload was cut
 * to the headers (54-byte frames). Its frames, with raw numbers. */
static void test_gap_retransmit_fast009(void)
{
    static const struct {
        int from;
        unsigned flags;
        uint32_t seq, ack, len;
    } f[] = {
        { A, TS_SYN, 414291386u, 0, 0 },
        { B, SA, 4249385775u, 414291387u, 0 },
        { A, TS_ACK, 414291387u, 4249385776u, 0 },
        { A, PA, 414291387u, 4249385776u, 474 },
        { B, TS_ACK, 4249385776u, 414291861u, 0 },
        { B, TS_ACK, 4249385776u, 414291861u, 1446 },
        { B, TS_ACK, 4249387222u, 414291861u, 1446 },
        { B, TS_ACK, 4249388668u, 414291861u, 1446 },
        { B, TS_ACK, 4249390114u, 414291861u, 1446 },
        { B, TS_ACK, 4249391560u, 414291861u, 1446 },
        { B, TS_ACK, 4249393006u, 414291861u, 1446 },
        { B, TS_ACK, 4249394452u, 414291861u, 1446 },
        { B, TS_ACK, 4249395898u, 414291861u, 1446 },
        { B, TS_ACK, 4249397344u, 414291861u, 1446 },
        { B, TS_ACK, 4249398790u, 414291861u, 1286 },
        { A, TS_ACK, 414291861u, 4249388636u, 0 },
        { A, TS_ACK, 414291861u, 4249390066u, 0 },
        { B, TS_ACK, 4249400076u, 414291861u, 1446 },
        { B, TS_ACK, 4249401522u, 414291861u, 1446 },
        { B, TS_ACK, 4249402968u, 414291861u, 1446 },
        { B, TS_ACK, 4249404414u, 414291861u, 1446 },
        { B, TS_ACK, 4249405860u, 414291861u, 1366 },
        { A, TS_ACK, 414291861u, 4249392926u, 0 },
        { A, TS_ACK, 414291861u, 4249394356u, 0 },
        { B, TS_ACK, 4249407226u, 414291861u, 1430 },
        { B, PA, 4249408656u, 414291861u, 903 },
        { A, TS_ACK, 414291861u, 4249397216u, 0 },
        { A, TS_ACK, 414291861u, 4249398646u, 0 },
        { A, TS_ACK, 414291861u, 4249398646u, 0 },
        { A, TS_ACK, 414291861u, 4249398646u, 0 },
        { A, TS_ACK, 414291861u, 4249398646u, 0 },
        { B, TS_ACK, 4249398646u, 414291861u, 1430 },
        { A, TS_ACK, 414291861u, 4249398646u, 0 },
        { B, TS_ACK, 4249404366u, 414291861u, 1430 },
        { A, TS_ACK, 414291861u, 4249398646u, 0 },
        { B, TS_ACK, 4249405796u, 414291861u, 1430 },
        { A, TS_ACK, 414291861u, 4249404366u, 0 },
        { A, TS_ACK, 414291861u, 4249409559u, 0 },
        { A, RA, 414291861u, 4249409559u, 0 },
    };
    sim m;
    size_t i;

    sim_start(&m, 50368, 80);
    for (i = 0; i < sizeof f / sizeof f[0]; i++)
        tx_cut(&m, f[i].from, f[i].flags, f[i].seq, f[i].ack, f[i].len, 0);
    CHECK_STR(m.z.history, "ShADaGdgtR");
    CHECK_STR(state(&m), "RSTO");
    /* The same frames wholly captured: no gap at all. */
    sim_start(&m, 50368, 80);
    for (i = 0; i < sizeof f / sizeof f[0]; i++)
        tx(&m, f[i].from, f[i].flags, f[i].seq, f[i].ack, f[i].len);
    CHECK_STR(m.z.history, "ShADadtR");
}

/* A partial connection (its first packet no SYN) ignores an ACK of just the
 * first octet, but that octet then stays a hole: the gap comes at the next
 * ACK that passes it. */
static void test_gap_partial_first_octet(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, TS_ACK, 101, 501, 0); /* before its SYN: partial */
    tx(&m, A, TS_SYN, 100, 0, 0);
    tx(&m, B, SA, 500, 101, 0);
    CHECK_STR(m.z.history, "ASh");
    tx(&m, B, TS_ACK, 501, 102, 0); /* A's octet 101 never captured */
    CHECK_STR(m.z.history, "ASha");
    tx(&m, A, PA, 102, 501, 10);
    tx(&m, A, PA, 101, 501, 11); /* too late: trimmed, the hole stays */
    tx(&m, B, TS_ACK, 501, 112, 0);
    CHECK_STR(m.z.history, "AShaDTG");

    /* Not partial (a SYN first): the same ACK is a gap at once. */
    sim_init(&m);
    handshake(&m);
    tx(&m, B, TS_ACK, 501, 102, 0);
    CHECK_STR(m.z.history, "ShAaG");

    /* A missed SYN recovered by SYN-ACK then ACK is not partial either:
     * A (port 80) is the responder from creation, B the originator. */
    sim_start(&m, 80, 40000);
    tx(&m, A, SA, 500, 101, 0);
    tx(&m, B, TS_ACK, 101, 501, 0);
    CHECK_STR(m.z.history, "^hA");
    tx(&m, A, TS_ACK, 501, 102, 0);
    CHECK_STR(m.z.history, "^hAaG");
}

/* Zeek gives up on a direction with more than 16 KiB buffered above a hole
 * while none of its data was acknowledged: no gap is ever reported for it. */
static void test_gap_give_up_above_hole(void)
{
    sim m;
    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 102, 501, 16384); /* 16385 bytes above the 1-byte hole */
    tx(&m, B, TS_ACK, 501, 102 + 16384, 0);
    CHECK_STR(m.z.history, "ShADa");
    CHECK_INT(m.z.ep[A].skip, 1);

    sim_init(&m);
    handshake(&m);
    tx(&m, A, PA, 102, 501, 16383); /* 16384: still kept */
    tx(&m, B, TS_ACK, 501, 102 + 16383, 0);
    CHECK_STR(m.z.history, "ShADaG");

    sim_init(&m); /* once data was acknowledged, any amount is kept */
    handshake(&m);
    tx(&m, A, PA, 101, 501, 10);
    tx(&m, B, TS_ACK, 501, 111, 0);
    tx(&m, A, PA, 112, 501, 20000);
    tx(&m, B, TS_ACK, 501, 20112, 0);
    CHECK_STR(m.z.history, "ShADaG");
}

/* The letter's case follows the roles when the gap is found: after a
 * reversal flip ("Hs^"), the SYN-ACK sender is the responder. */
static void test_gap_case_after_flip(void)
{
    sim m;
    sim_init(&m);
    tx(&m, A, SA, 500, 101, 0);   /* "H": A is the originator */
    tx(&m, B, TS_SYN, 100, 0, 0); /* the SYN it answered: "Hs^", A now responder */
    tx(&m, B, TS_ACK, 101, 501, 0);
    tx(&m, A, PA, 511, 101, 10);  /* A's [501, 511) missing */
    tx(&m, B, TS_ACK, 101, 521, 0);
    CHECK_STR(m.z.history, "Hs^Adg"); /* B's second ACK adds no 'A' */
}

static void test_history_cap(void)
{
    sim m;
    uint32_t i;

    sim_init(&m);
    tx(&m, A, TS_SYN, 100, 0, 0);
    for (i = 0; i < 100; i++)
        tx(&m, A, TS_RST, 101 + i, 0, 0); /* each RST at a new seq adds R */
    CHECK_INT(m.r.history_len, TS_ZEEK_HISTORY_MAX);
    CHECK_INT(strlen(m.z.history), TS_ZEEK_HISTORY_MAX);
    CHECK(m.z.history[0] == 'S' && m.z.history[1] == 'R');
    CHECK_STR(state(&m), "RSTOS0");
}

static void test_time_backwards_and_wild_input(void)
{
    sim m;

    sim_init(&m);
    handshake(&m);
    tx_at(&m, -100 * SEC, A, PA, 101, 501, 10); /* time goes back: no timer fires */
    CHECK_INT(m.r.conn_index, 0);
    tx(&m, A, 0xFFF, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu);
    tx(&m, B, 0, 0, 0, 0);
    CHECK(strlen(m.z.history) == m.r.history_len);
    CHECK(m.r.conn_state < TS_ZEEK_CONN_STATE_COUNT);

    /* Extreme capture times: no overflow in the timer arithmetic. */
    sim_init(&m);
    m.t = INT64_MAX - 2 * SEC;
    handshake(&m);
    tx(&m, A, RA, 101, 501, 0);
    m.t = INT64_MAX;
    tx_at(&m, 0, B, PA, 501, 101, 10);
    CHECK_INT(m.r.new_conn, 1);   /* the close delay ran out at the end of time */
    m.t = INT64_MIN;
    tx_at(&m, 0, B, PA, 511, 101, 10);
    CHECK(m.r.conn_index >= 1);   /* network time stays at the end: saturated timers */
    CHECK(m.r.conn_state < TS_ZEEK_CONN_STATE_COUNT);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static uint32_t pick_seq(uint32_t base)
{
    switch (rnd() % 4) {
    case 0:
        return rnd();
    case 1:
        return base;
    default:
        return base + rnd() % 3000 - 1000;
    }
}

/* The reassembly model's invariant: a buffered range lies beyond a hole
 * (it would have been delivered otherwise). */
static int buffered_beyond_hole(const ts_zeek_endpoint *e)
{
    return e->ooo_lo == e->ooo_hi || (int32_t)(e->ooo_lo - e->reassem) > 0;
}

static void test_random_robustness(void)
{
    static const uint16_t ports[] = { 80, 22, 443, 40000, 5555, 6669, 1080, 8000 };
    static const uint16_t flag_mix[] = { TS_SYN, SA, TS_ACK, PA, FA, RA, TS_RST,
                                         TS_FIN, TS_SYN | TS_FIN, TS_FIN | TS_RST, 0 };
    ts_zeek z;
    ts_zeek_result r;
    int64_t t = 0;
    uint32_t seq[2] = { 1000, 50000 };
    unsigned bad = 0, i, conns = 0;
    uint16_t last_index = 0;

    ts_zeek_init(&z);
    for (i = 0; i < 100000; i++) {
        ts_segment s;
        unsigned from = rnd() % 2;
        int ok;

        memset(&s, 0, sizeof s);
        if (i % 5000 == 0) {
            ts_zeek_init(&z);
            last_index = 0;
        }
        t += (int64_t)(rnd() % 2000) * MS - (rnd() % 8 == 0 ? 3000 * MS : 0);
        if (rnd() % 500 == 0)
            t += 400 * SEC;
        s.time_ns = t;
        s.flags = (uint16_t)(rnd() % 3 ? flag_mix[rnd() % (sizeof flag_mix / sizeof flag_mix[0])]
                                       : rnd() & 0xFFF);
        s.seq = pick_seq(seq[from]);
        s.ack = pick_seq(seq[!from]);
        s.len = rnd() % 10 == 0 ? rnd() : rnd() % 1500;
        s.window = rnd() % 6 == 0 ? 0 : rnd() % 65536;
        s.sport = ports[(i / 5000 + from) % 8];
        s.dport = ports[(i / 5000 + !from) % 8];
        s.from_first = (uint8_t)from;
        s.bad_checksum = (uint8_t)(rnd() % 20 == 0);
        seq[from] = s.seq + s.len;
        if (rnd() % 8 == 0)
            ts_zeek_track_captured(&z, &s, rnd() % (s.len + 1), &r);
        else
            ts_zeek_track(&z, &s, &r);

        ok = r.history_len <= TS_ZEEK_HISTORY_MAX && z.history[TS_ZEEK_HISTORY_MAX] == '\0' &&
             strlen(z.history) == r.history_len &&
             r.version == z.version && r.conn_index == z.conn_index &&
             r.conn_state < TS_ZEEK_CONN_STATE_COUNT && z.ep[0].state <= TS_ZEEK_RESET &&
             z.ep[1].state <= TS_ZEEK_RESET && z.orig <= 1 && z.started &&
             buffered_beyond_hole(&z.ep[0]) && buffered_beyond_hole(&z.ep[1]) &&
             r.conn_index >= last_index && (r.new_conn ? r.conn_index == last_index + 1 || r.conn_index == UINT16_MAX
                                                       : r.conn_index == last_index);
        if (!ok && bad++ < 5)
            unit_note(__FILE__, __LINE__, "segment %u: bad result (history \"%s\")", i, z.history);
        conns += r.new_conn;
        last_index = r.conn_index;
    }
    CHECK_INT(bad, 0);
    CHECK(conns > 0); /* the loop does exercise connection splits */
}

int main(void)
{
    UNIT_RUN(test_s0_syn_only);
    UNIT_RUN(test_s1_syn_synack);
    UNIT_RUN(test_sf_full_connection);
    UNIT_RUN(test_sf_midstream);
    UNIT_RUN(test_rej_reset_answer);
    UNIT_RUN(test_rej_both_reset_no_bytes);
    UNIT_RUN(test_rstr_both_reset_with_bytes);
    UNIT_RUN(test_s2_orig_fin);
    UNIT_RUN(test_s3_resp_fin);
    UNIT_RUN(test_rsto_orig_abort);
    UNIT_RUN(test_rstr_resp_abort);
    UNIT_RUN(test_rstos0);
    UNIT_RUN(test_rstos0_pattern_broken_is_oth);
    UNIT_RUN(test_rstrh);
    UNIT_RUN(test_sh);
    UNIT_RUN(test_shr);
    UNIT_RUN(test_oth);
    UNIT_RUN(test_conn_state_names);
    UNIT_RUN(test_letters_s_h_case);
    UNIT_RUN(test_letters_a_d_once);
    UNIT_RUN(test_letter_f_repeat_rule);
    UNIT_RUN(test_letter_r_repeat_rule);
    UNIT_RUN(test_letters_i_q);
    UNIT_RUN(test_letter_c_bad_checksum);
    UNIT_RUN(test_letter_t_retransmission);
    UNIT_RUN(test_letter_t_not_after_reset_or_fin_only_syn);
    UNIT_RUN(test_repeat_counting);
    UNIT_RUN(test_letter_w_zero_window);
    UNIT_RUN(test_flip_at_creation);
    UNIT_RUN(test_flip_reversal);
    UNIT_RUN(test_flip_late);
    UNIT_RUN(test_reuse_after_close);
    UNIT_RUN(test_reuse_new_isn);
    UNIT_RUN(test_reuse_synack_half_connection);
    UNIT_RUN(test_attempt_timer);
    UNIT_RUN(test_close_delay);
    UNIT_RUN(test_expire_timer_fin_then_rst);
    UNIT_RUN(test_inactivity_timeouts);
    UNIT_RUN(test_gap_responder_data_at_ack);
    UNIT_RUN(test_gap_originator_data_at_ack);
    UNIT_RUN(test_gap_not_when_filled_or_not_passed);
    UNIT_RUN(test_gap_tail_and_acked_data);
    UNIT_RUN(test_gap_repeat_counting);
    UNIT_RUN(test_gap_two_holes_one_range);
    UNIT_RUN(test_gap_only_when_cleanly_open);
    UNIT_RUN(test_gap_truncated_payload);
    UNIT_RUN(test_gap_retransmit_fast009);
    UNIT_RUN(test_gap_partial_first_octet);
    UNIT_RUN(test_gap_give_up_above_hole);
    UNIT_RUN(test_gap_case_after_flip);
    UNIT_RUN(test_history_cap);
    UNIT_RUN(test_time_backwards_and_wild_input);
    UNIT_RUN(test_random_robustness);
    return unit_report();
}
