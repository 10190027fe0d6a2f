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
#include "milestone.h"
#include "notes.h"
#include "refs.h"
#include "segment.h"
#include "tcpstate_core.h"
#include "unit.h"
#include "wire.h"

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

/* ------------------------------------------------------------------------ */
/* The Why lines against what a connection really did: a tracker, the wire  */
/* bookkeeping (core/wire.c) and the explanation input the plugin builds   */
/* with the same calls (core/refs.c).                                       */

typedef struct {
    ts_conn conn;
    ts_wire wire;
    ts_config cfg;
    ts_result r;
    ts_wire_info w;
    ts_explain_input in;
    ts_refs refs;
    uint32_t frame;
    int first;
    char text[TS_LANG_COUNT][4096]; /* every line and the summary, joined by " | " */
} story;

static void story_init(story *s, int64_t msl_ns)
{
    memset(s, 0, sizeof *s);
    ts_conn_init(&s->conn);
    ts_wire_init(&s->wire);
    s->cfg.msl_ns = msl_ns;
    s->first = -1;
}

static const char *tell(story *s, int side, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                        uint32_t window, int64_t ms)
{
    ts_segment g;

    if (s->first < 0)
        s->first = side;
    s->frame++;
    g = unit_segment(side, s->first, flags, seq, ack, len, window, ms);
    ts_conn_track(&s->conn, &s->cfg, &g, &s->r);
    ts_wire_track(&s->wire, &g, s->r.sender, (s->r.events & TS_EV_NEW_CONNECTION) != 0, s->frame, &s->w);
    /* What the plugin keeps per stream and builds per item (core/refs.c). */
    ts_refs_track(&s->refs, &s->conn, &g, &s->r, s->frame);
    {
        ts_segment_records rec;
        memset(&rec, 0, sizeof rec);
        rec.result = &s->r;
        rec.seq = seq;
        rec.ack = ack;
        rec.frame = s->frame;
        rec.time_ns = g.time_ns;
        rec.msl_ns = s->cfg.msl_ns;
        rec.refs = &s->refs;
        rec.wire = &s->w;
        ts_explain_input_of(&rec, &s->in);
    }
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        char line[TS_TEXT_MAX];
        size_t used = ts_describe_in(&s->r, (ts_language)lang, s->text[lang], sizeof s->text[lang]);
        for (int w = 0; w < TS_WHY_COUNT; w++) {
            size_t n = ts_explain_line(&s->r, &s->in, (ts_language)lang, (ts_why)w, line, sizeof line);
            CHECK_MSG(n < sizeof line, "frame %u: line %d does not fit TS_TEXT_MAX", s->frame, w);
            if (n && used + n + 4 < sizeof s->text[lang])
                used += (size_t)snprintf(s->text[lang] + used, sizeof s->text[lang] - used, " | %s", line);
        }
        if (lang == TS_LANG_ZH_CN)
            CHECK_MSG(!has_english_word(s->text[lang]), "frame %u: English in %s", s->frame, s->text[lang]);
    }
    return s->text[TS_LANG_EN];
}

#define SAYS(s, lang, what) \
    CHECK_MSG(strstr((s)->text[lang], (what)) != NULL, "frame %u: no \"%s\" in: %s", (s)->frame, (what), \
              (s)->text[lang])
#define NOT_SAYS(s, lang, what) \
    CHECK_MSG(strstr((s)->text[lang], (what)) == NULL, "frame %u: \"%s\" in: %s", (s)->frame, (what), \
              (s)->text[lang])
enum { EN = TS_LANG_EN, ZH = TS_LANG_ZH_CN };

static void handshake(story *s, uint32_t c, uint32_t v)
{
    tell(s, C, SYN, c, 0, 0, 64240, 0);
    tell(s, S, SA, v, c + 1, 0, 64240, 1);
    tell(s, C, A, c + 1, v + 1, 0, 64240, 2);
}

/* Retransmitted data: which bytes, the highest number sent before (not
 * seq - ISN), and why the seq goes back; duplicate ACKs and a fast
 * retransmit; a zero window, its probe, the probe's answer and the update. */
static void test_retransmission_texts(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 10000, 20000);
    tell(&s, C, PA, 10001, 20001, 10, 64240, 3);
    tell(&s, C, PA, 10011, 20001, 10, 64240, 4);
    tell(&s, S, A, 20001, 10011, 0, 64240, 5);
    SAYS(&s, EN, "it acknowledges 10 new bytes (numbers 1 to 10)");
    SAYS(&s, ZH, "它确认了 10 个新字节（序号 1 到 10）");
    tell(&s, C, PA, 10011, 20001, 10, 64240, 200);
    CHECK_INT(s.w.seq_kind, TS_SEQ_RETRANSMITTED);
    /* Not "had sent 20 bytes before this segment": that reads as how seq
     * 11 came about (issue 10, http-ooo2.pcap frame 3). */
    NOT_SAYS(&s, EN, "the client had sent 20 bytes of data before this segment");
    SAYS(&s, EN, "seq 11 (raw 10011 = ISN + 11): the SYN used number 0; a retransmission: the client had "
                 "already sent up to number 20, and goes back to 11 "
                 "because the server's ack stood at 11");
    SAYS(&s, EN, "numbers 11 to 20, sent before: the client's next new segment starts at seq 21");
    NOT_SAYS(&s, ZH, "客户端此前已发送 20 字节数据");
    SAYS(&s, ZH, "SYN 占用了序号 0；这是重传：客户端此前已经发送到序号 20，现在回到 11 重新发送");
    tell(&s, S, A, 20001, 10021, 0, 64240, 201);
    tell(&s, C, PA, 10021, 20001, 10, 64240, 202);
    tell(&s, C, PA, 10031, 20001, 10, 64240, 203);
    for (unsigned d = 1; d <= 3; d++) {
        char want[128];
        tell(&s, S, A, 20001, 10021, 0, 64240, 203 + d);
        CHECK_INT(s.w.ack_kind, TS_ACKK_DUP);
        CHECK_INT(s.w.dup_count, d);
        snprintf(want, sizeof want, "a duplicate ACK (%u in a row)", d);
        SAYS(&s, EN, want);
        SAYS(&s, EN, "the client has sent up to 40: the server asks again for the bytes from 21");
        SAYS(&s, ZH, "重复确认");
    }
    tell(&s, C, PA, 10021, 20001, 10, 64240, 210);
    CHECK(s.w.fast);
    SAYS(&s, EN, "a fast retransmission");
    SAYS(&s, ZH, "这是快速重传");
    tell(&s, S, A, 20001, 10041, 0, 0, 211);
    CHECK(s.w.zero_window);
    SAYS(&s, EN, "its window is 0 (a zero window)");
    tell(&s, C, A, 10041, 20001, 1, 64240, 212);
    CHECK_INT(s.w.seq_kind, TS_SEQ_ZERO_WINDOW_PROBE);
    SAYS(&s, EN, "a zero-window probe");
    SAYS(&s, EN, "it carries 1 byte, number 41");
    tell(&s, S, A, 20001, 10041, 0, 0, 400);
    CHECK_INT(s.w.ack_kind, TS_ACKK_PROBE_ANSWER);
    SAYS(&s, EN, "it answers the client's zero-window probe (frame 16)");
    tell(&s, S, A, 20001, 10041, 0, 5000, 900);
    CHECK_INT(s.w.ack_kind, TS_ACKK_WINDOW_UPDATE);
    SAYS(&s, EN, "a window update, the window goes from 0 to 5000, so the client may send again");
    SAYS(&s, ZH, "这是窗口更新，窗口从 0 变为 5000");
    tell(&s, C, PA, 10041, 20001, 5, 64240, 901);
    CHECK_INT(s.w.seq_kind, TS_SEQ_PARTLY_NEW);
    SAYS(&s, EN, "partly a retransmission");
    SAYS(&s, EN, "numbers 41 to 45, new from 42 on");
    /* Data and FIN in one segment: both said; the ack covers bytes and FIN. */
    tell(&s, S, TS_FIN | TS_PSH | TS_ACK, 20001, 10046, 4, 64240, 902);
    SAYS(&s, EN, "the server sends 4 bytes and closes its side of the connection (FIN)");
    SAYS(&s, EN, "it carries 4 bytes, numbers 1 to 4; the FIN takes sequence number 5, so the client "
                 "acknowledges it with ack 6");
    SAYS(&s, ZH, "服务器发送最后的 4 字节数据，并关闭自己这一侧（FIN）");
    tell(&s, C, FA, 10046, 20006, 0, 64240, 903);
    SAYS(&s, EN, "it acknowledges 4 new bytes (numbers 1 to 4) and the server's FIN (frame 20)");
    NOT_SAYS(&s, EN, "6 new bytes");
}

/* Keep-alive probes (RFC 9293 section 3.8.4): seq = next - 1 with 0 or 1
 * old byte; the bytes sent before count to the highest number, the next new
 * segment still starts at next; the answer is an ACK of next. */
static void test_keepalive_texts(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 30000, 40000);
    tell(&s, C, PA, 30001, 40001, 20, 64240, 3);
    tell(&s, S, A, 40001, 30021, 0, 64240, 4);
    for (uint32_t len = 0; len <= 1; len++) {
        tell(&s, C, A, 30020, 40001, len, 64240, 75000 * (len + 1));
        CHECK_INT(s.w.seq_kind, TS_SEQ_KEEPALIVE);
        CHECK_INT(s.r.role, TS_ROLE_ACK);
        SAYS(&s, EN, "Keep-alive: the client checks that the server is still there");
        SAYS(&s, EN, "seq 20 (raw 30020 = ISN + 20): the SYN used number 0; one below the client's next "
                     "number 21: a keep-alive probe");
        SAYS(&s, EN, "the client's next new segment starts at seq 21");
        SAYS(&s, ZH, "这是保活探测");
        NOT_SAYS(&s, EN, "had sent 19 bytes");
        if (len)
            SAYS(&s, EN, "it carries 1 byte, number 20, sent before");
        tell(&s, S, A, 40001, 30021, 0, 64240, 75000 * (len + 1) + 10);
        CHECK_INT(s.w.ack_kind, TS_ACKK_PROBE_ANSWER);
        SAYS(&s, EN, "it answers the client's keep-alive probe");
        SAYS(&s, ZH, "它回应客户端的保活探测");
    }
}

/* A refused connection: nobody listened; RFC 9293 3.10.7.1 explains seq 0;
 * the model's SYN-RECEIVED is said to be the model's. */
static void test_refused_texts(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 36119263, 0, 0, 64240, 0);
    SAYS(&s, EN, "the capture cannot show that the SYN arrived");
    SAYS(&s, EN, "netstat shows client SYN_SENT, server SYN_RECV");
    SAYS(&s, EN, "SYN-RCVD");
    SAYS(&s, ZH, "netstat 显示为客户端 SYN_SENT，服务器 SYN_RECV");
    SAYS(&s, ZH, "第一次握手");
    NOT_SAYS(&s, EN, "Only the first SYN");
    tell(&s, S, RA, 0, 36119264, 0, 0, 1);
    SAYS(&s, EN, "nothing listens on the server's port");
    SAYS(&s, EN, "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>");
    SAYS(&s, EN, "nothing listened on the port");
    NOT_SAYS(&s, EN, "the server's SYN was not captured");
    SAYS(&s, ZH, "没有进程监听");
}

/* zeek's pop3.pcap frames 1-4: a refused SYN, sent again with the same ISN
 * and refused again. The second RST finds the server CLOSED already: the
 * model counted no LISTEN → SYN-RECEIVED for the repeated SYN. */
static void test_refused_again_texts(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 3145310914u, 0, 0, 8192, 0);
    tell(&s, S, RA, 0, 3145310915u, 0, 0, 50);
    SAYS(&s, EN, "was counted LISTEN → SYN-RECEIVED");
    tell(&s, C, SYN, 3145310914u, 0, 0, 8192, 548);
    tell(&s, S, RA, 0, 3145310915u, 0, 0, 609);
    CHECK_INT(s.r.prev[TS_SERVER], TS_CLOSED);
    NOT_SAYS(&s, EN, "was counted LISTEN → SYN-RECEIVED");
    NOT_SAYS(&s, ZH, "LISTEN → SYN-RECEIVED");
    SAYS(&s, EN, "the server was already CLOSED when the SYN passed: an earlier RST had refused the same "
                 "SYN; this RST refuses the repeated SYN again");
    SAYS(&s, ZH, "SYN 经过时服务器已经是 CLOSED");
}

/* zeek's pop3.pcap frame 3: the client sends its SYN again, same ISN, 0.5 s
 * after an RST that acknowledged it (acceptable in SYN-SENT, RFC 9293 section
 * 3.10.7.3). A lost RST and a TCP that retries after a refusal (Windows'
 * connect()) both send it: the correction names both, in the tree's line
 * and the expert note, each within Wireshark's 240-byte label. */
static void test_syn_again_after_refusal_texts(void)
{
    story s;
    char buf[TS_TEXT_MAX];

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 3145310914u, 0, 0, 8192, 0);
    tell(&s, S, RA, 0, 3145310915u, 0, 0, 50);
    tell(&s, C, SYN, 3145310914u, 0, 0, 8192, 548);
    CHECK(s.r.corrected & (1u << TS_CLIENT));
    CHECK(s.r.events & TS_EV_LOST_RST);
    SAYS(&s, EN, "it sends its SYN again: either the server's RST was lost, or its TCP tries again after a "
                 "refusal (Windows: twice, 0.5 s apart); the capture cannot show which");
    NOT_SAYS(&s, EN, "never reached it or was not accepted");
    SAYS(&s, ZH, "它再次发送 SYN");
    NOT_SAYS(&s, ZH, "它还在发送");
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        size_t n = ts_note_text(&s.r, TS_NOTE_LOST_SEGMENT, (ts_language)lang, 60, buf, sizeof buf);
        CHECK_MSG(n > 0 && strstr(buf, lang == EN ? "the capture cannot show which" : "抓包无法区分") != NULL,
                  "%s", buf);
        CHECK_MSG(n <= 240 - 1 - strlen("Expert Info (Warning/Sequence): "), "%zu bytes: %s", n, buf);
        n = ts_side_line_in(&s.r, TS_CLIENT, (ts_language)lang, buf, sizeof buf);
        CHECK_MSG(n > 0 && n <= 240 - 1 && strstr(buf, lang == EN ? "either the server's RST was lost"
                                                                   : "或是服务器的 RST 丢失") != NULL,
                  "%zu bytes: %s", n, buf);
    }
}

/* zeek's modbus-and-non-modbus-p502.pcap frame 64: after the server's SYN+ACK,
 * an RST without ACK numbered with that SYN+ACK's ack, the client having sent
 * nothing else: a TCP without the connection answers so (RFC 9293 section
 * 3.10.7.1), e.g. under a SYN scanner. The states stay (docs/spec.md: an
 * accepted RST closes both); a Why line says what the capture cannot show.
 * An RST+ACK there (an ordinary abort) does not get that line. */
static void test_rst_without_ack_after_syn_ack_texts(void)
{
    story s;

    for (int with_ack = 0; with_ack <= 1; with_ack++) {
        story_init(&s, TS_DEFAULT_MSL_NS);
        tell(&s, C, SYN, 0, 0, 0, 65535, 0);
        tell(&s, S, SA, 3565456408u, 1, 0, 64240, 1);
        tell(&s, C, with_ack ? RA : TS_RST, 1, with_ack ? 3565456409u : 0, 0, 0, 118);
        CHECK_INT(s.r.rst_ignored, TS_RST_ACCEPTED);
        CHECK_INT(s.r.state[TS_CLIENT], TS_CLOSED);
        if (with_ack) {
            NOT_SAYS(&s, EN, "a TCP that has no connection (RFC 9293 section 3.10.7.1: <SEQ=SEG.ACK>");
            SAYS(&s, EN, "the client resets the connection during the handshake");
            continue;
        }
        SAYS(&s, EN, "no ACK flag, and its seq is the ack of the server's SYN+ACK: the answer of a TCP that "
                     "has no connection (RFC 9293 section 3.10.7.1: <SEQ=SEG.ACK><CTL=RST>)");
        SAYS(&s, EN, "the client's TCP may never have held this connection");
        SAYS(&s, EN, "the capture cannot show it");
        SAYS(&s, ZH, "客户端的 TCP 可能从未持有这条连接");
        /* Issue 10, finding 12: the summary and the note are as true as
         * that Why line: no "the client resets the connection" (it may
         * have had none), in either language. */
        NOT_SAYS(&s, EN, "resets the connection");
        NOT_SAYS(&s, ZH, "复位连接");
        SAYS(&s, EN, "Reset: the client answers the server's SYN+ACK with an RST without ACK, as a TCP that "
                     "has no connection does (it may never have held it): the handshake ends");
        SAYS(&s, ZH, "客户端用不带 ACK 的 RST 回应服务器的 SYN+ACK，没有连接的 TCP 就是这样应答的"
                     "（它可能从未持有这条连接）：握手结束");
        for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
            char note[TS_TEXT_MAX];
            CHECK(ts_note_text(&s.r, TS_NOTE_RST, (ts_language)lang, 118, note, sizeof note) > 0);
            CHECK_MSG(strstr(note, lang == EN ? "handshake ended by an RST without ACK, the answer of a TCP "
                                                "that has no connection"
                                              : "不带 ACK 的 RST 结束了握手") != NULL,
                      "%s", note);
            CHECK_MSG(strstr(note, lang == EN ? "connection reset" : "复位连接") == NULL, "%s", note);
        }
    }
}

/* zeek's rst-inject-rae.pcap frame 2: an RST+ACK whose ack is the client's
 * ISN, not ISN + 1, answers no SYN: the client in SYN-SENT drops it (RFC 9293
 * section 3.10.7.3). No text may call it a refusal or a CLOSED port; the
 * capture cannot show who sent it. */
static void test_rst_dropped_in_syn_sent_texts(void)
{
    story s;
    char note[TS_TEXT_MAX];

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 1569339004, 0, 0, 16384, 0);
    tell(&s, S, RA, 0, 1569339004, 0, 16384, 233);
    CHECK_INT(s.r.rst_ignored, TS_RST_IGNORED_NO_ACK);
    NOT_SAYS(&s, EN, "nothing listened");
    NOT_SAYS(&s, EN, "nothing listens");
    NOT_SAYS(&s, EN, "CLOSED port");
    NOT_SAYS(&s, EN, "SYN was not captured");
    SAYS(&s, EN, "its ack (raw 1569339004) does not acknowledge the client's SYN");
    SAYS(&s, EN, "the client in SYN-SENT drops it (section 3.10.7.3): it refuses nothing, and the capture "
                 "cannot show who sent it");
    SAYS(&s, EN, "checks an RST's ack, not its seq");
    NOT_SAYS(&s, ZH, "没有进程监听");
    SAYS(&s, ZH, "抓包也无法说明是谁发出了它");
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        CHECK(ts_note_text(&s.r, TS_NOTE_RST, (ts_language)lang, 60, note, sizeof note) > 0);
        CHECK_MSG(strstr(note, lang == EN ? "not accepted, it resets nothing" : "未被接受") != NULL, "%s", note);
        CHECK_MSG(strstr(note, lang == EN ? "refused" : "拒绝") == NULL, "%s", note);
    }
}

/* Mid-stream: the first ack acknowledges the bytes the capture saw. */
static void test_midstream_texts(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, PA, 3644483466u, 1839914458u, 16, 64240, 0);
    SAYS(&s, EN, "what it acknowledges is not known");
    tell(&s, S, A, 1839914458u, 3644483482u, 0, 64240, 1);
    SAYS(&s, EN, "ack 17 (raw 3644483482)");
    SAYS(&s, EN, "it acknowledges 16 new bytes (numbers 1 to 16)");
    NOT_SAYS(&s, EN, "nothing new");
    SAYS(&s, ZH, "它确认了 16 个新字节（序号 1 到 16）");
}

/* Slips: a segment with no flags is no ACK; SYN+FIN lines are separated;
 * the second SYN of a simultaneous open is not called the only ACK-less
 * one; a teardown's first wave says the kind of close is not known yet. */
static void test_slips(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, TS_SYN | TS_FIN, 100, 0, 0, 64240, 0);
    SAYS(&s, EN, "is number 1; the FIN takes sequence number 1");
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 300, 700);
    tell(&s, C, 0, 301, 0, 0, 64240, 3);
    SAYS(&s, EN, "Segment: the client sends a segment without the ACK flag");
    NOT_SAYS(&s, EN, "sends an ACK");
    SAYS(&s, ZH, "报文段：客户端发送一个不带 ACK 标志的报文段");
    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 1000, 0, 0, 64240, 0);
    tell(&s, S, SYN, 5000, 0, 0, 64240, 1);
    NOT_SAYS(&s, EN, "Only the first SYN");
    SAYS(&s, EN, "both SYNs in a simultaneous open), only an RST can lack the ACK flag");
    /* A FIN on its sender's own SYN number (zeek's fin_retransmission.pcap):
     * its SYN was captured, and nothing it sent is sent again. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 1000, 0, 0, 64240, 0);
    tell(&s, C, TS_FIN, 1000, 0, 0, 64240, 1);
    SAYS(&s, EN, "seq 0 (raw 1000): the number of the client's own SYN, not ISN + 1");
    NOT_SAYS(&s, EN, "SYN was not captured");
    NOT_SAYS(&s, EN, "a retransmission");
    SAYS(&s, ZH, "与客户端自己的 SYN 序号相同");
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, FA, 1001, 5001, 0, 64240, 3);
    SAYS(&s, ZH, "第一次挥手（此时还不知道是三次还是四次）");
    SAYS(&s, EN, "the SYN used number 0, and the client had sent no data before this segment");
    SAYS(&s, ZH, "SYN 占用了序号 0，客户端此前尚未发送数据");
    tell(&s, S, FA, 5001, 1002, 0, 64240, 4);
    SAYS(&s, ZH, "第二次挥手（三次挥手 2/3）");
    /* TIME-WAIT: which system waits how long; 2MSL as students write it. */
    SAYS(&s, EN, "the client is in TIME-WAIT until 60.000 s after this segment");
    SAYS(&s, EN, "2MSL = 60 s by preference msl: Linux waits 60 s, RFC 9293 (MSL = 2 minutes) and Windows 240 s");
    SAYS(&s, ZH, "最长报文段寿命");
    NOT_SAYS(&s, EN, ". the");
}

/* Found by the text oracle on ../shared/corpus: data on a SYN is said in the
 * summary; an RST that reuses its sender's FIN number does not count the FIN
 * among the bytes before it; data after the peer's FIN is explained. */
static void test_corpus_findings(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 500, 0, 409, 64240, 0);
    SAYS(&s, EN, "the client asks to open a connection (SYN) and sends 409 bytes");
    SAYS(&s, ZH, "客户端请求建立连接（SYN），并发送 409 字节数据");
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, S, PA, 5001, 1001, 30, 64240, 3);
    tell(&s, C, A, 1001, 5031, 0, 64240, 4);
    tell(&s, S, FA, 5031, 1001, 0, 64240, 5);
    tell(&s, S, TS_RST, 5031, 0, 0, 0, 6);
    SAYS(&s, EN, "the server had sent 30 bytes of data before this segment");
    SAYS(&s, EN, "its FIN, sent before, holds number 31");
    NOT_SAYS(&s, EN, "then its FIN took one more number");
    SAYS(&s, ZH, "服务器此前已发送 30 字节数据；它之前发出的 FIN 占用序号 31");
    /* Found on a kernel-truth capture: a closed port's RST numbered with the
     * ack it answers (1449) counts no bytes (the client had sent 1512), and
     * is no reset "during the handshake" of a connection open on the other
     * side. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, A, 1001, 5001, 1448, 64240, 3);
    tell(&s, C, PA, 2449, 5001, 64, 64240, 4);
    tell(&s, C, RA, 2513, 5001, 0, 64240, 5);
    tell(&s, S, A, 5001, 2449, 0, 64240, 6);
    tell(&s, S, A, 5001, 2449, 0, 64240, 7);
    tell(&s, C, TS_RST, 2449, 0, 0, 0, 8);
    SAYS(&s, EN, "seq 1449 (raw 2449 = ISN + 1449): below the client's next number 1513 (it had sent up to 1512)");
    SAYS(&s, EN, "takes the ack of the segment it answers as its number (RFC 9293 section 3.10.7.1");
    NOT_SAYS(&s, EN, "had sent 1448 bytes");
    NOT_SAYS(&s, EN, "during the handshake");
    SAYS(&s, ZH, "比客户端的下一个序号 1513 小（它已发送到序号 1512）");
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, S, FA, 5001, 1001, 0, 64240, 3);
    tell(&s, C, PA, 1001, 5002, 10, 64240, 4);
    SAYS(&s, EN, "the client acknowledges the server's FIN and sends 10 bytes");
    SAYS(&s, EN, "the server's FIN closed only its own direction (half-close): the client may still send");
    SAYS(&s, ZH, "服务器的 FIN 只关闭了它自己的发送方向（半关闭）");
    tell(&s, C, FA, 1011, 5002, 0, 64240, 5);
    SAYS(&s, EN, "the client had sent 10 bytes of data before this segment");
    tell(&s, S, A, 5002, 1012, 0, 64240, 6);
    SAYS(&s, EN, "it acknowledges 10 new bytes (numbers 1 to 10) and the client's FIN");
}

/* Zeek's ctu-64702-888.pcap, frame 15: the server, in FIN-WAIT-2 as the
 * model has it, answers the client's FIN a round trip later with an RST
 * without ACK numbered with that FIN's ack: RFC 9293 section 3.10.7.1's
 * answer of a TCP without the connection (in TIME-WAIT it would have
 * acknowledged the FIN, section 3.10.7.4). Not "resets the connection while
 * it is closing", and its TIME-WAIT is withdrawn (tracker.c, abort_unseen()). */
static void test_bare_rst_for_time_wait(void)
{
    story s;
    char note[512];

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, S, FA, 5001, 1001, 0, 64240, 3);
    tell(&s, C, A, 1001, 5002, 0, 64240, 4);
    tell(&s, C, FA, 1001, 5002, 0, 64240, 100);
    CHECK_INT(s.r.state[S], TS_TIME_WAIT);
    tell(&s, S, TS_RST, 5002, 0, 0, 0, 130);
    CHECK_INT(s.r.prev[S], TS_TIME_WAIT);
    CHECK_INT(s.r.state[S], TS_CLOSED);
    CHECK_INT(s.r.cause[S], TS_CAUSE_CORRECTED);
    SAYS(&s, EN, "the server, which no longer has the connection, answers the client's FIN with RST (no ACK)");
    NOT_SAYS(&s, EN, "resets the connection while it is closing");
    SAYS(&s, ZH, "已没有这个连接的服务器用 RST（不带 ACK）回应客户端的 FIN");
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        size_t n = ts_note_text(&s.r, TS_NOTE_LOST_SEGMENT, (ts_language)lang, 60, note, sizeof note);
        CHECK_MSG(n > 0 && n < 240, "lost_segment note of %zu bytes: %s", n, note);
        CHECK_MSG(strstr(note, lang == EN ? "TIME-WAIT would acknowledge the FIN" : "TIME-WAIT 会确认该 FIN"),
                  "note: %s", note);
        n = ts_note_text(&s.r, TS_NOTE_RST, (ts_language)lang, 60, note, sizeof note);
        CHECK_MSG(strstr(note, lang == EN ? "a closed port's answer to the client's FIN" : "已关闭端口对客户端的 FIN"),
                  "note: %s", note);
    }
}

/* sample-pcaps/simultaneous-close.pcap: the two ACKs of crossing FINs (role
 * final-ack both, docs/spec.md) each end the other side's CLOSING; neither is
 * "the final ACK" of a three- or four-way close, and they say different
 * things: the first leaves its sender's own FIN unacknowledged. */
static void test_simultaneous_close_acks(void)
{
    story s;
    char m[TS_TEXT_MAX];

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, FA, 1001, 5001, 0, 64240, 3);
    tell(&s, S, FA, 5001, 1001, 0, 64240, 4);
    tell(&s, C, A, 1002, 5002, 0, 64240, 5);
    CHECK_INT(s.r.role, TS_ROLE_FINAL_ACK);
    SAYS(&s, EN, "the client acknowledges the server's FIN, which crossed its own; its own FIN still awaits the "
                 "server's ACK (simultaneous close)");
    NOT_SAYS(&s, EN, "(the final ACK)");
    SAYS(&s, ZH, "它自己的 FIN 还在等服务器的 ACK（同时关闭）");
    NOT_SAYS(&s, ZH, "（最后一个 ACK）");
    ts_milestone_in(&s.r, TS_LANG_EN, m, sizeof m);
    CHECK_STR(m, "Teardown 3/4 (ACK of crossed FIN)");
    tell(&s, S, A, 5002, 1002, 0, 64240, 6);
    CHECK_INT(s.r.role, TS_ROLE_FINAL_ACK);
    SAYS(&s, EN, "the server acknowledges the client's FIN, which crossed its own: both FINs are acknowledged now");
    NOT_SAYS(&s, EN, "(the final ACK)");
    SAYS(&s, ZH, "至此双方的 FIN 都已被确认（同时关闭）");
    ts_milestone_in(&s.r, TS_LANG_ZH_CN, m, sizeof m);
    CHECK_STR(m, "第四次挥手（确认交错 FIN 的 ACK，四次挥手）");
    /* A four-way close keeps its "final ACK": test_milestone.c, four-way. */
}

/* Zeek's fin_retransmission.pcap, frame 4: a FIN+ACK on the number of its
 * sender's own SYN. The server, which got that SYN, expects ISN + 1: the
 * segment is not acceptable (RFC 9293 section 3.10.7.4, first check
 * sequence number) and is dropped, ACK and FIN alike: the server stays
 * SYN-RECEIVED (it was moved to CLOSE-WAIT), and the texts say why. */
static void test_fin_before_window(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 1000, 0, 0, 65535, 0);
    tell(&s, S, SA, 5000, 1001, 0, 8190, 14);
    tell(&s, C, FA, 1000, 5001, 0, 65535, 16);
    CHECK_INT(s.r.state[C], TS_FIN_WAIT_1);
    CHECK_INT(s.r.prev[S], TS_SYN_RECEIVED);
    CHECK_INT(s.r.state[S], TS_SYN_RECEIVED);
    SAYS(&s, EN, "the server, which got that SYN, expects ISN + 1: the FIN lies before its receive window, so it "
                 "answers with an ACK and drops the segment");
    SAYS(&s, EN, "the FIN would take sequence number 0, the SYN's: ack 1 acknowledges that SYN, not this FIN");
    NOT_SAYS(&s, EN, "CLOSE-WAIT");
    SAYS(&s, ZH, "这个 FIN 在它的接收窗口之前，所以它回应一个 ACK 并丢弃这个报文段");
    /* A FIN one number on (ISN + 1) is in the window: taken. */
    tell(&s, C, FA, 1001, 5001, 0, 65535, 18);
    CHECK_INT(s.r.state[S], TS_CLOSE_WAIT);
    NOT_SAYS(&s, EN, "drops the segment");
}

/* msl 0 is explained, not "until 0.000 s ... long enough". */
static void test_msl_zero(void)
{
    story s;

    story_init(&s, 0);
    handshake(&s, 1000, 5000);
    tell(&s, C, FA, 1001, 5001, 0, 64240, 3);
    tell(&s, S, FA, 5001, 1002, 0, 64240, 4);
    SAYS(&s, EN, "preference msl is 0: TIME-WAIT is not waited out here");
    NOT_SAYS(&s, EN, "long enough");
    SAYS(&s, ZH, "首选项 msl 为 0");
}

/* One explanation input made by hand: a line of it, in one language. */
static const char *line_of(const ts_result *r, const ts_explain_input *in, ts_language lang, ts_why w)
{
    static char buf[TS_TEXT_MAX];
    size_t n = ts_explain_line(r, in, lang, w, buf, sizeof buf);
    CHECK(n < sizeof buf && n == strlen(buf));
    return buf;
}

#define LINE_SAYS(r, in, lang, w, what) \
    CHECK_MSG(strstr(line_of((r), (in), (lang), (w)), (what)) != NULL, "no \"%s\" in: %s", (what), \
              line_of((r), (in), (lang), (w)))

/* Every input of the explanation code (explain.c) that a short story does
 * not reach: gaps and their filling, retransmissions whose ACK was not
 * captured or had not arrived, an ack below an earlier one, the tracker's
 * count without the wire bookkeeping, TIME-WAIT arrivals, port reuse. */
static void test_explain_inputs(void)
{
    story s;
    ts_result r;
    ts_explain_input in;

    /* A gap, then the numbers it skipped. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, PA, 1001, 5001, 10, 64240, 3);
    tell(&s, C, PA, 1021, 5001, 10, 64240, 4);
    CHECK_INT(s.w.seq_kind, TS_SEQ_GAP);
    SAYS(&s, EN, "beyond the client's highest number seen so far (10): numbers 11 to 20 were sent but not captured");
    SAYS(&s, ZH, "序号 11 到 20 已发送但没有被抓到");
    tell(&s, C, PA, 1011, 5001, 10, 64240, 5);
    CHECK_INT(s.w.seq_kind, TS_SEQ_FILLS_GAP);
    SAYS(&s, EN, "it fills numbers skipped before (11 to 20 were missing)");
    SAYS(&s, ZH, "它补上了之前缺失的序号（11 到 20）");
    /* A retransmission before any ACK of the server was captured for it,
     * then one although the server had acknowledged the bytes. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, PA, 1001, 5001, 10, 64240, 0);
    tell(&s, C, PA, 1001, 5001, 10, 64240, 200);
    CHECK_INT(s.w.seq_kind, TS_SEQ_RETRANSMITTED);
    SAYS(&s, EN, "(no ACK of them from the server was captured)");
    tell(&s, S, A, 5001, 1011, 0, 64240, 201);
    tell(&s, C, PA, 1001, 5001, 10, 64240, 202);
    SAYS(&s, EN, "although the server had acknowledged number 10 (ack 11): that ACK had not reached it");
    SAYS(&s, ZH, "尽管服务器已经确认了序号 10（ack 11）");
    /* The server's ACK answering that repeat: the same ack, nothing outstanding. */
    tell(&s, S, A, 5001, 1011, 0, 64240, 203);
    CHECK_INT(s.w.ack_kind, TS_ACKK_DUP);
    SAYS(&s, EN, "with nothing of the client outstanding: it answers a repeated segment");
    /* An ack below one the server sent before. */
    tell(&s, S, A, 5001, 1005, 0, 64240, 204);
    CHECK_INT(s.w.ack_kind, TS_ACKK_OLD);
    SAYS(&s, EN, "it is below an ack the sender sent before");
    SAYS(&s, ZH, "它比发送方之前发出的确认号还小");
    /* A repeated SYN; an ack covering SYN, bytes and FIN at once. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 1000, 0, 0, 64240, 0);
    tell(&s, C, SYN, 1000, 0, 0, 64240, 1000);
    SAYS(&s, EN, "its SYN was sent before: this is a retransmission of the SYN");
    tell(&s, S, SA, 5000, 1001, 0, 64240, 1001);
    tell(&s, S, TS_FIN | TS_PSH | TS_ACK, 5001, 1001, 5, 64240, 1002);
    tell(&s, C, A, 1001, 5007, 0, 64240, 1003);
    SAYS(&s, EN, "it acknowledges the server's SYN, 5 new bytes (numbers 1 to 5) and the server's FIN (frame 4)");
    SAYS(&s, ZH, "它确认了服务器的 SYN、5 个新字节（序号 1 到 5）和服务器的 FIN（第 4 帧）");
    /* A refusal whose RST has a nonzero seq; an RST that is not accepted. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, C, SYN, 1000, 0, 0, 64240, 0);
    tell(&s, S, RA, 77, 1001, 0, 0, 1);
    SAYS(&s, EN, "the server sent no SYN, it refuses the connection");
    SAYS(&s, ZH, "服务器没有发送 SYN，它拒绝连接");
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, S, TS_RST, 9999, 0, 0, 0, 3);
    CHECK(s.r.rst_ignored != 0);
    SAYS(&s, EN, "this one is not accepted, so it ends nothing");
    SAYS(&s, ZH, "这个 RST 没有被接受");
    /* TIME-WAIT: the repeated FIN, then a segment, then its end and a new SYN. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, FA, 1001, 5001, 0, 64240, 3);
    tell(&s, S, FA, 5001, 1002, 0, 64240, 4);
    tell(&s, S, FA, 5001, 1002, 0, 64240, 500);
    SAYS(&s, EN, "the client receives the repeated FIN in TIME-WAIT: it acknowledges it again and restarts its 2MSL timer");
    SAYS(&s, ZH, "客户端在 TIME-WAIT 中收到重发的 FIN");
    tell(&s, S, A, 5002, 1002, 0, 64240, 700);
    SAYS(&s, EN, "the client receives it in TIME-WAIT, 0.200 s after entering it");
    SAYS(&s, ZH, "此时距进入 TIME-WAIT 0.200 秒");
    tell(&s, C, SYN, 90000, 0, 0, 64240, 200000);
    SAYS(&s, EN, "a TIME-WAIT had run out before this segment (more than 2MSL = 60 s)");
    SAYS(&s, EN, "a new SYN reuses the addresses and ports of a finished connection");
    SAYS(&s, ZH, "超过 2MSL = 60 秒");
    /* An RST that ends a TIME-WAIT is still counted from its entry. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, FA, 1001, 5001, 0, 64240, 3);
    tell(&s, S, FA, 5001, 1002, 0, 64240, 4);
    tell(&s, S, RA, 5002, 1002, 0, 0, 254);
    CHECK(s.r.prev[C] == TS_TIME_WAIT && s.r.state[C] == TS_CLOSED);
    SAYS(&s, EN, "the client receives it in TIME-WAIT, 0.250 s after entering it");
    SAYS(&s, ZH, "此时距进入 TIME-WAIT 0.250 秒");

    /* Inputs without the wire's bookkeeping (wire_known 0): the tracker's
     * count says what an ack acknowledges. */
    memset(&r, 0, sizeof r);
    memset(&in, 0, sizeof in);
    r.sender = TS_SERVER;
    r.flags = TS_ACK;
    r.role = TS_ROLE_ACK;
    in.base_known[0] = in.base_known[1] = 1;
    in.base[TS_CLIENT] = 1000;
    in.base[TS_SERVER] = 5000;
    in.seq_raw = 5001;
    in.ack_raw = 1011;
    r.acked_new = 10;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_ACK, "it acknowledges 10 new bytes (numbers 1 to 10)");
    in.acked_frame = 7;
    r.acked_new = 11;
    in.ack_raw = 1012;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_ACK, "10 new bytes (numbers 1 to 10) and the client's FIN (frame 7)");
    in.acked_frame = 0;
    r.acked_new = 0;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_ACK, "it acknowledges nothing new");
    LINE_SAYS(&r, &in, TS_LANG_ZH_CN, TS_WHY_ACK, "它没有确认新的数据");
    /* A duplicate ACK from a side whose peer was never seen. */
    in.base_known[TS_CLIENT] = 0;
    in.wire_known = 1;
    in.wire.ack_kind = TS_ACKK_DUP;
    in.wire.dup_count = 2;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_ACK, "what it acknowledges is not known; a duplicate ACK (2 in a row)");
    LINE_SAYS(&r, &in, TS_LANG_ZH_CN, TS_WHY_ACK, "重复确认（连续第 2 个）");
    /* A window update after a SYN's unscaled window. */
    in.base_known[TS_CLIENT] = 1;
    in.wire.ack_kind = TS_ACKK_WINDOW_UPDATE;
    in.wire.prev_window_syn = 1;
    in.wire.prev_window = 64240;
    in.wire.window = 502;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_ACK, "from 64240 in its SYN (never scaled, RFC 7323) to 502");
    LINE_SAYS(&r, &in, TS_LANG_ZH_CN, TS_WHY_ACK, "窗口字段从 SYN 中的 64240");
    /* Port reuse: every combination of the earlier connection's ends. */
    memset(&in, 0, sizeof in);
    in.reuse = 1;
    in.reuse_stream = 3;
    r.flags = TS_SYN;
    r.role = TS_ROLE_SYN;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_REUSE, "these addresses and ports were used before, by stream 3; that "
                                                 "connection had closed, with no endpoint in TIME-WAIT");
    in.reuse_in_tw[TS_CLIENT] = 1;
    in.reuse_tw_left_ns[TS_CLIENT] = MS(1500);
    in.reuse_in_tw[TS_SERVER] = 1;
    in.reuse_tw_left_ns[TS_SERVER] = -MS(250);
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_REUSE, "there the client was still in TIME-WAIT, with 1.500 s of its 2MSL left");
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_REUSE, "there the server's TIME-WAIT had ended 0.250 s before");
    LINE_SAYS(&r, &in, TS_LANG_ZH_CN, TS_WHY_REUSE, "2MSL 还剩 1.500 秒");
    in.reuse_old_open = 1;
    LINE_SAYS(&r, &in, TS_LANG_EN, TS_WHY_REUSE, "that connection had not closed in the capture");
    LINE_SAYS(&r, &in, TS_LANG_ZH_CN, TS_WHY_REUSE, "那条连接在抓包中还没有关闭");
    in.reuse = 0;
    CHECK_INT(ts_explain_line(&r, &in, TS_LANG_EN, TS_WHY_REUSE, NULL, 0), 0);
    CHECK_INT(ts_explain_line(&r, &in, TS_LANG_EN, TS_WHY_COUNT, NULL, 0), 0);
}

/* Every note for every event, every RST kind and every ignored RST, each
 * correction's evidence, in both languages: non-empty, Chinese in Chinese,
 * and the same wording in the summary and the note where they share it. */
static void test_every_note(void)
{
    ts_result r;
    char buf[TS_TEXT_MAX], sum[TS_TEXT_MAX];

    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        for (unsigned bit = 0; bit < 33; bit++) {
            memset(&r, 0, sizeof r);
            r.events = (ts_events)1 << bit;
            r.sender = TS_SERVER;
            r.role = TS_ROLE_FIN;
            r.attempt = 2;
            r.flags = TS_FIN | TS_ACK;
            r.prev[TS_SERVER] = TS_FIN_WAIT_2;
            r.state[TS_SERVER] = TS_TIME_WAIT;
            r.corrected = 1u << TS_SERVER;
            for (int n = 0; n < TS_NOTE_COUNT; n++) {
                size_t len = ts_note_text(&r, (ts_note)n, (ts_language)lang, 30, buf, sizeof buf);
                CHECK(len < sizeof buf && len == strlen(buf));
                /* Wireshark cuts a tree label at 240 bytes, and an expert
                 * info's label begins "Expert Info (Warning/Sequence): ". */
                CHECK_MSG(len <= 240 - 1 - strlen("Expert Info (Warning/Sequence): "),
                          "event bit %u note %d is %zu bytes: %s", bit, n, len, buf);
                if (len && lang == TS_LANG_ZH_CN)
                    CHECK_MSG(has_han(buf) && !has_english_word(buf), "event bit %u note %d: %s", bit, n, buf);
            }
            ts_describe_in(&r, (ts_language)lang, sum, sizeof sum);
            CHECK_MSG(lang == TS_LANG_EN || !has_english_word(sum), "event bit %u: %s", bit, sum);
        }
        memset(&r, 0, sizeof r);
        r.events = TS_EV_DATA_AFTER_FIN | TS_EV_UNEXPECTED | TS_EV_REORDERED | TS_EV_KEEPALIVE |
                   TS_EV_TIME_WAIT_EXPIRED;
        CHECK(ts_note_text(&r, TS_NOTE_DATA_AFTER_FIN, (ts_language)lang, 30, buf, sizeof buf) > 0);
        CHECK(ts_note_text(&r, TS_NOTE_UNEXPECTED, (ts_language)lang, 30, buf, sizeof buf) > 0);
        CHECK(ts_note_text(&r, TS_NOTE_STALE, (ts_language)lang, 30, buf, sizeof buf) > 0);
        CHECK(ts_note_text(&r, TS_NOTE_KEEPALIVE, (ts_language)lang, 30, buf, sizeof buf) > 0);
        CHECK(ts_note_text(&r, TS_NOTE_TIME_WAIT, (ts_language)lang, 30, buf, sizeof buf) > 0);
        CHECK(strstr(buf, lang == TS_LANG_EN ? "2MSL = 60 s" : "2MSL = 60 秒") != NULL);
        for (unsigned kind = 0; kind < TS_RST_COUNT; kind++) {
            for (unsigned ign = 0; ign <= TS_RST_IGNORED_LISTEN; ign++) {
                memset(&r, 0, sizeof r);
                r.role = TS_ROLE_RST;
                r.flags = TS_RST;
                r.rst_kind = (uint8_t)kind;
                r.rst_ignored = (uint8_t)ign;
                ts_describe_in(&r, (ts_language)lang, sum, sizeof sum);
                CHECK(ts_note_text(&r, TS_NOTE_RST, (ts_language)lang, 30, buf, sizeof buf) > 0);
                CHECK_INT(ts_note_text(&r, TS_NOTE_RST_IGNORED, (ts_language)lang, 30, buf, sizeof buf) > 0,
                          ign != 0);
                if (lang == TS_LANG_ZH_CN)
                    CHECK_MSG(!has_english_word(sum) && !has_english_word(buf), "RST %u/%u: %s", kind, ign, sum);
            }
        }
        /* The retransmission wording is the same in the summary's head and the note. */
        memset(&r, 0, sizeof r);
        r.role = TS_ROLE_SYN_ACK;
        r.flags = TS_SYN | TS_ACK;
        r.events = TS_EV_RETRANSMISSION | TS_EV_LOST_HANDSHAKE_ACK;
        r.attempt = 3;
        ts_describe_in(&r, (ts_language)lang, sum, sizeof sum);
        ts_note_text(&r, TS_NOTE_RETRANSMISSION, (ts_language)lang, 30, buf, sizeof buf);
        CHECK_MSG(strncmp(sum, buf, strlen(buf)) == 0, "summary %s, note %s", sum, buf);
        CHECK(strstr(sum, lang == TS_LANG_EN ? "because no ACK of it reached the client"
                                             : "因为确认它的 ACK 没有到达客户端") != NULL);
        r.role = TS_ROLE_SYN;
        r.flags = TS_SYN;
        r.events = TS_EV_LOST_SYN_ACK;
        ts_describe_in(&r, (ts_language)lang, sum, sizeof sum);
        CHECK(strstr(sum, lang == TS_LANG_EN ? "because the server's SYN+ACK never reached it"
                                             : "因为服务器的 SYN+ACK 没有到达它") != NULL);
    }
}

/* The wire bookkeeping's plain info: what the plugin need not keep. */
/* Issue 10, a teacher's review of the seq and ack sentences on corpus
 * captures (session 8). */

/* Two gaps in a row, then the numbers the first skipped
 * (tcp-badsegments.pcap frames 13, 14, 16): never captured, so no
 * "retransmission" of numbers "sent before". */
/* A handshake, the client's numbers 1 to 10, then `gaps` segments of ten
 * numbers each ten beyond the last: 21 to 30, 41 to 50, ... (11 to 20, 31
 * to 40, ... skipped), in frames 4, 5, ... */
static void client_gaps(story *s, unsigned gaps)
{
    story_init(s, TS_DEFAULT_MSL_NS);
    handshake(s, 1000, 5000);
    tell(s, C, PA, 1001, 5001, 10, 64240, 3);
    for (unsigned i = 1; i <= gaps; i++)
        tell(s, C, PA, 1001 + 20 * i, 5001, 10, 64240, 3 + i);
}

static void test_two_holes(void)
{
    story s;

    client_gaps(&s, 2);
    CHECK_INT(s.w.seq_kind, TS_SEQ_GAP);
    tell(&s, C, PA, 1011, 5001, 10, 64240, 6);  /* the first hole */
    CHECK_INT(s.w.seq_kind, TS_SEQ_FILLS_GAP);
    SAYS(&s, EN, "it fills numbers skipped before (11 to 20 were missing)");
    SAYS(&s, ZH, "它补上了之前缺失的序号（11 到 20）");
    NOT_SAYS(&s, EN, "retransmission");
    NOT_SAYS(&s, EN, "sent before:");
    tell(&s, C, PA, 1031, 5001, 10, 64240, 7);  /* the second hole */
    CHECK_INT(s.w.seq_kind, TS_SEQ_FILLS_GAP);
    SAYS(&s, EN, "it fills numbers skipped before (31 to 40 were missing)");
    tell(&s, C, PA, 1011, 5001, 10, 64240, 8);  /* now captured before: sent again */
    CHECK_INT(s.w.seq_kind, TS_SEQ_RETRANSMITTED);
}

/* Issue 10, item 5: three gaps in a row. The middle hole used to be
 * forgotten, and the segment filling it was "a retransmission" of numbers
 * never captured. Two ranges a side are kept (bounded memory): the oldest
 * takes in the later one, with the numbers captured between them, and a
 * segment inside says it fills skipped numbers or repeats captured ones. */
static void test_three_holes(void)
{
    story s;

    client_gaps(&s, 3);                         /* 11-20, 31-40, 51-60 skipped */
    CHECK_INT(s.w.seq_kind, TS_SEQ_GAP);
    tell(&s, C, PA, 1031, 5001, 10, 64240, 7);  /* the middle hole */
    CHECK_INT(s.w.seq_kind, TS_SEQ_FILLS_GAP);
    NOT_SAYS(&s, EN, "retransmission");
    NOT_SAYS(&s, ZH, "重传");
    SAYS(&s, EN, "the client had already sent up to number 70; numbers 11 to 40 held more than one gap the "
                 "capture skipped, with numbers it did capture between them, kept as one range "
                 "(docs/performance.md): this segment fills numbers skipped there or carries again numbers "
                 "captured there, and the texts cannot tell which");
    SAYS(&s, ZH, "序号 11 到 40 之间有不止一处抓包缺失的序号");
    tell(&s, C, PA, 1051, 5001, 10, 64240, 8);  /* the latest hole: exact */
    SAYS(&s, EN, "it fills numbers skipped before (51 to 60 were missing)");
    tell(&s, C, PA, 1061, 5001, 10, 64240, 9);  /* captured before, outside both: sent again */
    CHECK_INT(s.w.seq_kind, TS_SEQ_RETRANSMITTED);
    /* The oldest range filled from below up to its end: a fresh pair. */
    client_gaps(&s, 2);                         /* 11-20, 31-40 skipped */
    tell(&s, C, PA, 1011, 5001, 10, 64240, 6);  /* the first hole, filled */
    tell(&s, C, PA, 1061, 5001, 10, 64240, 7);  /* 51 to 60 skipped */
    tell(&s, C, PA, 1031, 5001, 10, 64240, 8);
    SAYS(&s, EN, "it fills numbers skipped before (31 to 40 were missing)");
    NOT_SAYS(&s, EN, "held more than one gap");
}

/* A segment that goes back to seq 1 (http-ooo2.pcap frame 3): its seq
 * sentence must not read as if the bytes sent before it came before its
 * number ("the SYN used number 0, and the client had sent 42 bytes": 0 + 1
 * + 42 is not 1). One skipped number is "number 1", not "1 to 1". */
static void test_goes_back_to_one(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, C, PA, 1002, 5001, 41, 64240, 3); /* 2 to 42: number 1 skipped */
    SAYS(&s, EN, "beyond the client's highest number seen so far (0): number 1 was sent but not captured");
    SAYS(&s, ZH, "序号 1 已发送但没有被抓到");
    tell(&s, C, PA, 1001, 5001, 1, 64240, 4);
    CHECK_INT(s.w.seq_kind, TS_SEQ_FILLS_GAP);
    SAYS(&s, EN, "seq 1 (raw 1001 = ISN + 1): the SYN used number 0, so number 1 is the client's first data "
                 "byte; the client had already sent up to number 42; it fills numbers skipped before "
                 "(number 1 was missing)");
    SAYS(&s, ZH, "seq 1（原始值 1001 = 初始序号 + 1）：SYN 占用了序号 0，所以序号 1 是客户端的第一个数据字节；"
                 "客户端此前已经发送到序号 42；它补上了之前缺失的序号（1）");
    NOT_SAYS(&s, EN, "bytes of data before this segment");
    NOT_SAYS(&s, ZH, "此前已发送 42 字节数据");
}

/* A retransmission above the peer's ack (retransmit-fast009.pcap frame
 * 34, http2-data-reassembly.pcap frame 38): the ack does not explain where
 * it starts, and duplicate ACKs asking for the numbers from the ack on did
 * not ask for it. */
static void test_resend_above_ack(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    for (uint32_t i = 0; i < 4; i++)
        tell(&s, S, PA, 5001 + 10 * i, 1001, 10, 64240, 3 + i); /* 1 to 40 */
    for (uint32_t d = 0; d < 4; d++)
        tell(&s, C, A, 1001, 5011, 0, 64240, 10 + d); /* ack 11 and three duplicates */
    tell(&s, S, PA, 5021, 1001, 10, 64240, 20); /* 21 to 30: above the ack, amid */
    CHECK(s.w.fast);
    NOT_SAYS(&s, EN, "three duplicate ACKs asked for them");
    NOT_SAYS(&s, EN, "a fast retransmission");
    SAYS(&s, EN, "a retransmission: the server had already sent up to number 40, and goes back to 21 while "
                 "the client's ack stood at 11, below it: the ack alone does not say why (the client's "
                 "selective acknowledgments, SACK, RFC 2018, not read here");
    SAYS(&s, ZH, "而客户端的确认号停在 11，比它小：仅凭确认号看不出原因");
    tell(&s, S, PA, 5031, 1001, 10, 64240, 30); /* 31 to 40: its latest segment */
    SAYS(&s, EN, "goes back to 31 while the client's ack stood at 11: it re-sends its latest unacknowledged "
                 "segment, not the numbers from 11 the ack asks for");
    SAYS(&s, ZH, "它重发的是自己最近一个未被确认的报文段，而不是确认号所请求的从 11 起的序号");
    tell(&s, S, PA, 5011, 1001, 10, 64240, 40); /* 11 to 20: what the ack asks for */
    SAYS(&s, EN, "a fast retransmission: the server had already sent up to number 40, and goes back to 11 "
                 "because the client's ack stood at 11");
    SAYS(&s, EN, "three duplicate ACKs asked for them");
}

/* A FIN beyond numbers not captured (miss_end_data.pcap frame 6): its
 * receiver acts on it in sequence order (RFC 9293 section 3.10.7.4), so
 * the text says what it needs first and what would show it. */
static void test_fin_after_gap(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, S, FA, 7903, 1001, 0, 64240, 3); /* 1 to 2902 not captured */
    CHECK_INT(s.w.seq_kind, TS_SEQ_GAP);
    SAYS(&s, EN, "the FIN takes sequence number 2903, so the client acknowledges it with ack 2904; RFC 9293 "
                 "section 3.10.7.4 has the client act on a FIN in sequence order: it enters CLOSE-WAIT once "
                 "it also has numbers 1 to 2902, which the capture did not show; an ack 2904 from it shows "
                 "that it had them");
    SAYS(&s, ZH, "客户端按序号顺序处理 FIN：它进入 CLOSE-WAIT 的前提是也收到了序号 1 到 2902（没有被抓到）；"
                 "它发出的 ack 2904 能说明它已收到这些序号");
    /* In sequence: nothing of the kind. */
    story_init(&s, TS_DEFAULT_MSL_NS);
    handshake(&s, 1000, 5000);
    tell(&s, S, FA, 5001, 1001, 0, 64240, 3);
    NOT_SAYS(&s, EN, "3.10.7.4");
}

/* A SYN+ACK whose SYN was not captured (dns-ooo.pcap frames 1-2): its ack
 * is the client's ISN + 1 (RFC 9293 section 3.4), and the acks after it
 * count from it. */
static void test_synack_without_syn(void)
{
    story s;

    story_init(&s, TS_DEFAULT_MSL_NS);
    tell(&s, S, SA, 5000, 1001, 0, 64240, 0);
    /* Issue 10, finding 9: the client's numbers count from the ISN this
     * ack shows (core/refs.c), as Wireshark's relative numbers do. */
    SAYS(&s, EN, "ack 1 (raw 1001): the next number the server expects from the client; a SYN+ACK's ack is the "
                 "client's ISN + 1 (RFC 9293 section 3.4): it acknowledges the client's SYN, which was not "
                 "captured, and shows that its ISN was 1000");
    SAYS(&s, ZH, "ack 1（原始值 1001）");
    SAYS(&s, ZH, "它确认客户端的 SYN（没有被抓到），并说明其初始序号为 1000");
    NOT_SAYS(&s, EN, "what it acknowledges is not known");
    tell(&s, S, A, 5001, 1055, 0, 64240, 1);
    SAYS(&s, EN, "ack 55 (raw 1055)");
    SAYS(&s, EN, "it acknowledges 54 numbers of the client beyond its own ack before (raw 1001), none of them "
                 "captured; the last of them may be the client's FIN rather than data: the capture cannot "
                 "show it");
    NOT_SAYS(&s, EN, "new bytes");
    SAYS(&s, ZH, "它确认了 54 个序号：客户端在它自己之前的确认号（原始值 1001）之后的序号，这些都没有被抓到");
    SAYS(&s, ZH, "其中最后一个可能是客户端的 FIN 而不是数据");
    /* Issue 10, finding 7 (one-sided-2745.pcap frame 3): the server's FIN
     * acknowledges one more number of the client, not captured: a byte or
     * the client's FIN. No FIN is invented (the states stay the model's),
     * the texts say what the capture cannot show. */
    tell(&s, S, FA, 5001, 1056, 0, 64240, 2);
    CHECK_INT(s.r.role, TS_ROLE_FIN);
    CHECK_INT(s.r.state[TS_SERVER], TS_FIN_WAIT_1);
    SAYS(&s, EN, "ack 56 (raw 1056)");
    SAYS(&s, EN, "it acknowledges 1 number of the client beyond its own ack before (raw 1055), none of them "
                 "captured; that number may be a byte of data or the client's FIN (a FIN takes one number): "
                 "the capture cannot show which; if it is the FIN, the client closed first and this FIN answers it "
                 "(the server CLOSE-WAIT → LAST-ACK, not ESTABLISHED → FIN-WAIT-1)");
    SAYS(&s, ZH, "这个序号可能是一个数据字节，也可能是客户端的 FIN（FIN 占用一个序号）：抓包无法说明是哪一种");
    SAYS(&s, ZH, "如果是 FIN，那么先关闭的是客户端");
    /* The client's first segment seen counts from that ISN too. */
    tell(&s, C, A, 1056, 5002, 0, 64240, 3);
    SAYS(&s, EN, "seq 56 (raw 1056 = ISN + 56): the client's SYN was not captured; the server's SYN+ACK "
                 "acknowledged it with ack ISN + 1 (RFC 9293 section 3.4), so relative numbers count from "
                 "that ISN");
    SAYS(&s, ZH, "seq 56（原始值 1056 = 初始序号 + 56）：没有抓到客户端的 SYN");
}

static void test_wire_plain(void)
{
    ts_segment g;
    ts_wire w;
    ts_wire_info info, plain;

    memset(&g, 0, sizeof g);
    g.flags = TS_ACK;
    g.seq = 100;
    g.ack = 500;
    ts_wire_info_plain(&g, 10, &plain);
    CHECK_INT(plain.ack_kind, TS_ACKK_NEW);
    CHECK_INT(plain.acked_from, 490);
    CHECK(ts_wire_info_is_plain(&plain, &g, 10));
    ts_wire_info_plain(&g, 0, &plain);
    CHECK_INT(plain.ack_kind, TS_ACKK_SAME);
    g.flags = 0;
    ts_wire_info_plain(&g, 0, &plain);
    CHECK_INT(plain.ack_kind, TS_ACKK_NONE);
    /* A second SYN with another ISN: the sender starts over. */
    ts_wire_init(&w);
    g.flags = TS_SYN;
    g.seq = 1000;
    ts_wire_track(&w, &g, TS_CLIENT, 0, 1, &info);
    g.seq = 7000;
    ts_wire_track(&w, &g, TS_CLIENT, 0, 2, &info);
    CHECK_INT(info.seq_kind, TS_SEQ_NEW);
    CHECK(!info.sent_known); /* nothing of the old ISN counts as sent before */
}

int main(void)
{
    UNIT_RUN(test_every_kind_of_segment);
    UNIT_RUN(test_buffers);
    UNIT_RUN(test_retransmission_texts);
    UNIT_RUN(test_keepalive_texts);
    UNIT_RUN(test_refused_texts);
    UNIT_RUN(test_rst_dropped_in_syn_sent_texts);
    UNIT_RUN(test_refused_again_texts);
    UNIT_RUN(test_syn_again_after_refusal_texts);
    UNIT_RUN(test_rst_without_ack_after_syn_ack_texts);
    UNIT_RUN(test_midstream_texts);
    UNIT_RUN(test_slips);
    UNIT_RUN(test_msl_zero);
    UNIT_RUN(test_corpus_findings);
    UNIT_RUN(test_bare_rst_for_time_wait);
    UNIT_RUN(test_simultaneous_close_acks);
    UNIT_RUN(test_fin_before_window);
    UNIT_RUN(test_explain_inputs);
    UNIT_RUN(test_every_note);
    UNIT_RUN(test_wire_plain);
    UNIT_RUN(test_two_holes);
    UNIT_RUN(test_three_holes);
    UNIT_RUN(test_goes_back_to_one);
    UNIT_RUN(test_resend_above_ack);
    UNIT_RUN(test_fin_after_gap);
    UNIT_RUN(test_synack_without_syn);
    return unit_report();
}
