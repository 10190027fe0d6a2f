/*
 * Unit tests of the core's texts: the summary (describe*.c), the Why lines
 * (explain.c) and the expert notes (notes.c), in English and Simplified
 * Chinese. Every segment of a set of scenarios must get a summary and the
 * seq/ack lines in both languages; the Chinese texts must be Chinese (CJK
 * characters, none of the English words); every event a segment has must
 * have a note; buffers of any size are safe.
 */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "notes.h"
#include "tcpstate_core.h"
#include "unit.h"

#define MS(x) ((int64_t)(x) * 1000000)

typedef struct {
    ts_conn conn;
    ts_config cfg;
    ts_result r;
    int first; /* side that sent first, -1 before */
} scen;

/* One scenario: a list of segments (side, flags, seq, ack, len). */
typedef struct {
    int side;
    uint16_t flags;
    uint32_t seq, ack, len;
} seg;

/* A UTF-8 CJK Unified Ideograph (U+4E00..U+9FFF) somewhere in s. */
static int has_han(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p[0] && p[1] && p[2]; p++)
        if (p[0] >= 0xE4 && p[0] <= 0xE9 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
            return 1;
    return 0;
}

static int has_english_word(const char *s)
{
    static const char *const words[] = { "the ", "client", "server", "acknowledge", " sends",
                                         "bytes", "connection" };
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(s, words[i]))
            return 1;
    return 0;
}

static void check_texts(const ts_result *r, uint32_t seqv, uint32_t ackv, int64_t now, int k)
{
    char buf[1024];
    ts_explain_input in;

    memset(&in, 0, sizeof in);
    in.now_ns = now;
    in.msl_ns = TS_DEFAULT_MSL_NS;
    in.seq_raw = seqv;
    in.ack_raw = ackv;
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        size_t n = ts_describe_in(r, (ts_language)lang, buf, sizeof buf);
        CHECK_MSG(n > 0 && n < sizeof buf, "segment %d: summary length %zu", k, n);
        if (lang == TS_LANG_ZH_CN) {
            CHECK_MSG(has_han(buf), "segment %d: Chinese summary has no Chinese: %s", k, buf);
            CHECK_MSG(!has_english_word(buf), "segment %d: English left in: %s", k, buf);
        }
        for (int w = TS_WHY_SEQ; w <= TS_WHY_ACK; w++) {
            n = ts_explain_line(r, &in, (ts_language)lang, (ts_why)w, buf, sizeof buf);
            CHECK_MSG(n > 0, "segment %d: no Why line %d", k, w);
            if (lang == TS_LANG_ZH_CN && n)
                CHECK_MSG(has_han(buf) && !has_english_word(buf), "segment %d: Why %d: %s", k, w,
                          buf);
        }
        for (int w = 0; w < TS_NOTE_COUNT; w++) {
            n = ts_note_text(r, (ts_note)w, (ts_language)lang, 60, buf, sizeof buf);
            if (n && lang == TS_LANG_ZH_CN)
                CHECK_MSG(has_han(buf) && !has_english_word(buf), "segment %d: note %d: %s", k, w,
                          buf);
        }
    }
}

static void run(const seg *segs, int count, const char *name)
{
    scen s;

    memset(&s, 0, sizeof s);
    ts_conn_init(&s.conn);
    s.cfg.msl_ns = TS_DEFAULT_MSL_NS;
    s.first = -1;
    unit_set_ctx("%s", name);
    for (int i = 0; i < count; i++) {
        ts_segment g;

        memset(&g, 0, sizeof g);
        if (s.first < 0)
            s.first = segs[i].side;
        g.time_ns = MS(10 * i);
        g.flags = segs[i].flags;
        g.seq = segs[i].seq;
        g.ack = segs[i].ack;
        g.len = segs[i].len;
        g.sport = segs[i].side == TS_CLIENT ? 40000 : 80;
        g.dport = segs[i].side == TS_CLIENT ? 80 : 40000;
        g.from_first = (uint8_t)(segs[i].side == s.first);
        ts_conn_track(&s.conn, &s.cfg, &g, &s.r);
        check_texts(&s.r, g.seq, g.ack, g.time_ns, i + 1);
        /* Each event has its note, in both languages. */
        for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
            char buf[512];
            size_t total = 0;
            for (int w = 0; w < TS_NOTE_COUNT; w++)
                total += ts_note_text(&s.r, (ts_note)w, (ts_language)lang, 60, buf, sizeof buf);
            uint32_t noted = TS_EV_MIDSTREAM | TS_EV_SIMULTANEOUS_OPEN | TS_EV_SIMULTANEOUS_CLOSE |
                             TS_EV_MERGED_CLOSE | TS_EV_HALF_CLOSE | TS_EV_RETRANSMISSION |
                             TS_EV_AFTER_CLOSE | TS_EV_LOST_SYN_ACK | TS_EV_LOST_FINAL_ACK |
                             TS_EV_ODD_FLAGS;
            if ((s.r.events & noted) || s.r.role == TS_ROLE_RST)
                CHECK_MSG(total > 0, "segment %d: events 0x%x but no note", i + 1,
                          (unsigned)s.r.events);
        }
    }
}

enum { C = TS_CLIENT, S = TS_SERVER };
#define SYN TS_SYN
#define SA (TS_SYN | TS_ACK)
#define A TS_ACK
#define PA (TS_PSH | TS_ACK)
#define FA (TS_FIN | TS_ACK)
#define RA (TS_RST | TS_ACK)

static void test_every_kind_of_segment(void)
{
    static const seg lesson[] = {
        { C, SYN, 1000, 0, 0 },    { S, SA, 5000, 1001, 0 },  { C, A, 1001, 5001, 0 },
        { C, PA, 1001, 5001, 78 }, { S, A, 5001, 1079, 0 },   { S, PA, 5001, 1079, 177 },
        { C, FA, 1079, 5178, 0 },  { S, FA, 5178, 1080, 0 },  { C, A, 1080, 5179, 0 },
        { S, FA, 5178, 1080, 0 },  { C, A, 1080, 5179, 0 },   { C, A, 1080, 5179, 0 },
    };
    static const seg four_way_half_close[] = {
        { C, SYN, 1000, 0, 0 },   { S, SA, 5000, 1001, 0 }, { C, A, 1001, 5001, 0 },
        { C, FA, 1001, 5001, 0 }, { S, A, 5001, 1002, 0 },  { S, PA, 5001, 1002, 10 },
        { C, A, 1002, 5011, 0 },  { S, FA, 5011, 1002, 0 }, { C, A, 1002, 5012, 0 },
    };
    static const seg simultaneous[] = {
        { C, SYN, 1000, 0, 0 },   { S, SYN, 5000, 0, 0 },   { C, SA, 1000, 5001, 0 },
        { S, SA, 5000, 1001, 0 }, { C, FA, 1001, 5001, 0 }, { S, FA, 5001, 1001, 0 },
        { C, A, 1002, 5002, 0 },  { S, A, 5002, 1002, 0 },
    };
    static const seg trouble[] = {
        { C, SYN, 1000, 0, 0 },          { C, SYN, 1000, 0, 0 },    { S, SA, 5000, 1001, 0 },
        { C, SYN, 1000, 0, 0 },          { S, SA, 5000, 1001, 0 },  { C, A, 1001, 5001, 0 },
        { C, TS_SYN | TS_FIN, 9, 0, 0 }, { S, RA, 5001, 1001, 0 },  { C, A, 1001, 5001, 0 },
        { C, SYN, 7000, 0, 0 },          { S, RA, 0, 7001, 0 },     { C, 0, 7001, 0, 5 },
    };
    static const seg midstream[] = {
        { S, PA, 100, 200, 10 }, { C, A, 200, 110, 0 }, { C, FA, 200, 110, 0 },
        { S, FA, 110, 201, 0 },  { C, A, 201, 111, 0 }, { C, TS_RST, 201, 0, 0 },
    };

    run(lesson, (int)(sizeof lesson / sizeof lesson[0]), "lesson");
    run(four_way_half_close, (int)(sizeof four_way_half_close / sizeof four_way_half_close[0]),
        "four-way half-close");
    run(simultaneous, (int)(sizeof simultaneous / sizeof simultaneous[0]), "simultaneous");
    run(trouble, (int)(sizeof trouble / sizeof trouble[0]), "trouble");
    run(midstream, (int)(sizeof midstream / sizeof midstream[0]), "midstream");
}

/* Any buffer size: NUL-terminated, never overrun, the full length returned. */
static void test_buffers(void)
{
    ts_conn c;
    ts_config cfg = { TS_DEFAULT_MSL_NS };
    ts_segment g;
    ts_result r;
    ts_explain_input in;
    char full[1024], small[64];

    memset(&g, 0, sizeof g);
    ts_conn_init(&c);
    g.flags = TS_SYN;
    g.seq = 1;
    g.sport = 40000;
    g.dport = 80;
    g.from_first = 1;
    ts_conn_track(&c, &cfg, &g, &r);
    memset(&in, 0, sizeof in);
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        size_t n = ts_describe_in(&r, (ts_language)lang, full, sizeof full);
        for (size_t size = 0; size < sizeof small; size++) {
            memset(small, 'x', sizeof small);
            size_t m = ts_describe_in(&r, (ts_language)lang, size ? small : NULL, size);
            CHECK_INT(m, n);
            if (size) {
                CHECK(memchr(small, '\0', size) != NULL);
                CHECK(strncmp(small, full, strlen(small)) == 0);
            }
        }
        /* Cut before a UTF-8 character, never inside one. */
        n = ts_explain_line(&r, &in, (ts_language)lang, TS_WHY_SEQ, small, 8);
        ts_explain_line(&r, &in, (ts_language)lang, TS_WHY_SEQ, full, sizeof full);
        CHECK(n > 7 && strlen(small) <= 7 && strlen(small) >= 4 &&
              strncmp(small, full, strlen(small)) == 0 &&
              ((unsigned char)full[strlen(small)] & 0xC0) != 0x80);
        n = ts_note_text(&r, TS_NOTE_RST, (ts_language)lang, 60, small, sizeof small);
        CHECK_INT(n, 0); /* a SYN has no RST note */
    }
}

int main(void)
{
    UNIT_RUN(test_every_kind_of_segment);
    UNIT_RUN(test_buffers);
    return unit_report();
}
