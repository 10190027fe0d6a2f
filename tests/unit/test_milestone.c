/*
 * Unit tests of the tree's short texts (core/milestone.c): the milestone
 * words of the chat expert item, each side's state line, and the split of
 * the summary into the tree's top line and its state changes - in English
 * and Simplified Chinese, on every segment of a set of scenarios (the lesson,
 * a four-way close with half-close, a simultaneous open and close whose
 * second side is a correction, trouble with retransmissions and RSTs, a
 * mid-stream capture). The split must hold on every summary: if the
 * sentences change their separators, this test fails (docs/design.md, "The
 * tree").
 */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "milestone.h"
#include "tcpstate_core.h"
#include "unit.h"

#define MS(x) ((int64_t)(x) * 1000000)
#define ARROW "\xe2\x86\x92"

typedef struct {
    int side;
    uint16_t flags;
    uint32_t seq, ack, len;
    const char *milestone_en, *milestone_zh; /* expected words; NULL = no milestone */
} seg;

static int has_arrow(const char *s, size_t len)
{
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, ARROW, 3) == 0)
            return 1;
    return 0;
}

static void check_split(const ts_result *r, int k)
{
    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        char summary[TS_TEXT_MAX], side[2][TS_TEXT_MAX];
        size_t len = ts_describe_in(r, (ts_language)lang, summary, sizeof summary);
        size_t head = ts_summary_head_len(r, (ts_language)lang, summary, len);
        int changed = 0;

        unit_set_ctx("segment %d lang %d", k, lang);
        CHECK_MSG(head > 0 && head < len, "no state changes split off: %s", summary);
        CHECK_MSG(!has_arrow(summary, head), "the top line keeps a state change: %.*s", (int)head,
                  summary);
        for (unsigned s = 0; s < 2; s++) {
            size_t n = ts_side_states_in(r, s, (ts_language)lang, side[s], sizeof side[s]);
            CHECK_MSG(n == strlen(side[s]) && n > 0, "side %u line length %zu", s, n);
            CHECK_MSG(strncmp(side[s], ts_state_name(r->prev[s]), strlen(ts_state_name(r->prev[s]))) == 0,
                      "side %u line does not start with its state before: %s", s, side[s]);
            if (r->prev[s] != r->state[s]) {
                changed = 1;
                CHECK_MSG(strstr(side[s], ARROW) != NULL && strstr(side[s], ts_state_name(r->state[s])),
                          "side %u line: %s", s, side[s]);
                /* The side's line is the summary's own words for that side. */
                CHECK_MSG(strstr(summary + head, side[s]) != NULL,
                          "side %u line \"%s\" is not in the summary's changes \"%s\"", s, side[s],
                          summary + head);
                if (r->corrected & (1u << s))
                    CHECK_MSG(strstr(side[s], lang ? "（更正：" : " (corrected: ") != NULL,
                              "side %u corrected, its line does not say so: %s", s, side[s]);
            } else {
                CHECK_STR(side[s], ts_state_name(r->state[s]));
            }
        }
        if (!changed)
            CHECK_MSG(strstr(summary + head, ARROW) == NULL, "no change but: %s", summary + head);
    }
    unit_set_ctx("");
}

static void check_milestone(const ts_result *r, const seg *g, int k)
{
    char buf[TS_TEXT_MAX];
    size_t n = ts_milestone_in(r, TS_LANG_EN, buf, sizeof buf);

    unit_set_ctx("segment %d", k);
    if (!g->milestone_en) {
        CHECK_INT(n, 0);
        CHECK_STR(buf, "");
    } else {
        CHECK_STR(buf, g->milestone_en);
        CHECK_INT(n, strlen(g->milestone_en));
        ts_milestone_in(r, TS_LANG_ZH_CN, buf, sizeof buf);
        CHECK_STR(buf, g->milestone_zh);
    }
    /* Any buffer: NUL-terminated, never split inside a UTF-8 character. */
    for (size_t size = 1; size < 12; size++) {
        char small[12];
        memset(small, 'x', sizeof small);
        ts_milestone_in(r, TS_LANG_ZH_CN, small, size);
        CHECK(memchr(small, '\0', size) != NULL);
        CHECK(small[size] == 'x' || size == sizeof small);
    }
    unit_set_ctx("");
}

static unsigned run(const seg *segs, int count, const char *name)
{
    ts_conn conn;
    ts_config cfg = { TS_DEFAULT_MSL_NS };
    ts_result r;
    int first = -1;
    unsigned corrected = 0;

    printf("scenario %s\n", name);
    ts_conn_init(&conn);
    for (int i = 0; i < count; i++) {
        int client = segs[i].side == TS_CLIENT;
        ts_segment g = { .time_ns = MS(10 * i), .seq = segs[i].seq, .ack = segs[i].ack,
                         .len = segs[i].len, .flags = segs[i].flags,
                         .sport = (uint16_t)(client ? 40000 : 80),
                         .dport = (uint16_t)(client ? 80 : 40000) };

        if (first < 0)
            first = segs[i].side;
        g.from_first = (uint8_t)(segs[i].side == first);
        ts_conn_track(&conn, &cfg, &g, &r);
        check_split(&r, i + 1);
        check_milestone(&r, &segs[i], i + 1);
        corrected |= r.corrected;
    }
    return corrected;
}

/* Sides and flag combinations of the scenarios. */
enum { C = TS_CLIENT, S = TS_SERVER, SYN = TS_SYN, SA = TS_SYN | TS_ACK, A = TS_ACK,
       PA = TS_PSH | TS_ACK, FA = TS_FIN | TS_ACK, RA = TS_RST | TS_ACK };

static void test_scenarios(void)
{
    static const seg lesson[] = {
        { C, SYN, 1000, 0, 0, "Handshake 1/3 (SYN)", "第一次握手（SYN）" },
        { S, SA, 5000, 1001, 0, "Handshake 2/3 (SYN+ACK)", "第二次握手（SYN+ACK）" },
        { C, A, 1001, 5001, 0, "Handshake 3/3 (ACK)", "第三次握手（ACK）" },
        { C, PA, 1001, 5001, 78, NULL, NULL },
        { S, A, 5001, 1079, 0, NULL, NULL },
        { C, FA, 1079, 5001, 0, "Teardown 1 (FIN)", "第一次挥手（FIN）" },
        { S, FA, 5001, 1080, 0, "Teardown 2/3 (FIN+ACK)", "第二次挥手（FIN+ACK，三次挥手）" },
        { C, A, 1080, 5002, 0, "Teardown 3/3 (final ACK)", "第三次挥手（最后的 ACK，三次挥手）" },
    };
    static const seg four_way[] = {
        { C, SYN, 1000, 0, 0, "Handshake 1/3 (SYN)", "第一次握手（SYN）" },
        { S, SA, 5000, 1001, 0, "Handshake 2/3 (SYN+ACK)", "第二次握手（SYN+ACK）" },
        { C, A, 1001, 5001, 0, "Handshake 3/3 (ACK)", "第三次握手（ACK）" },
        { C, FA, 1001, 5001, 0, "Teardown 1 (FIN)", "第一次挥手（FIN）" },
        { S, A, 5001, 1002, 0, "Teardown 2/4 (ACK of FIN)", "第二次挥手（确认 FIN 的 ACK，四次挥手）" },
        { S, PA, 5001, 1002, 10, NULL, NULL },
        { C, A, 1002, 5011, 0, NULL, NULL },
        { S, FA, 5011, 1002, 0, "Teardown 3/4 (FIN)", "第三次挥手（FIN，四次挥手）" },
        { C, A, 1002, 5012, 0, "Teardown 4/4 (final ACK)", "第四次挥手（最后的 ACK，四次挥手）" },
    };
    static const seg trouble[] = {
        { C, SYN, 1000, 0, 0, "Handshake 1/3 (SYN)", "第一次握手（SYN）" },
        { C, SYN, 1000, 0, 0, NULL, NULL },
        { S, SA, 5000, 1001, 0, "Handshake 2/3 (SYN+ACK)", "第二次握手（SYN+ACK）" },
        { C, A, 1001, 5001, 0, "Handshake 3/3 (ACK)", "第三次握手（ACK）" },
        { S, RA, 5001, 1001, 0, NULL, NULL },
        { C, SYN, 7000, 0, 0, "Handshake 1/3 (SYN)", "第一次握手（SYN）" },
        { S, RA, 0, 7001, 0, NULL, NULL },
    };
    static const seg midstream[] = {
        { S, PA, 100, 200, 10, NULL, NULL },
        { C, A, 200, 110, 0, NULL, NULL },
        { C, TS_RST, 200, 0, 0, NULL, NULL },
    };

    run(lesson, (int)(sizeof lesson / sizeof lesson[0]), "lesson");
    run(four_way, (int)(sizeof four_way / sizeof four_way[0]), "four-way");
    run(trouble, (int)(sizeof trouble / sizeof trouble[0]), "trouble");
    run(midstream, (int)(sizeof midstream / sizeof midstream[0]), "midstream");
}

/* Crossing FINs: the server's FIN does not acknowledge the client's, so the
 * model's CLOSE-WAIT was wrong - a correction, whose side line says so in
 * the summary's words; the split still finds the changes. */
static void test_correction(void)
{
    static const seg crossing[] = {
        { C, SYN, 1000, 0, 0, "Handshake 1/3 (SYN)", "第一次握手（SYN）" },
        { S, SA, 5000, 1001, 0, "Handshake 2/3 (SYN+ACK)", "第二次握手（SYN+ACK）" },
        { C, A, 1001, 5001, 0, "Handshake 3/3 (ACK)", "第三次握手（ACK）" },
        { C, FA, 1001, 5001, 0, "Teardown 1 (FIN)", "第一次挥手（FIN）" },
        { S, FA, 5001, 1001, 0, "Teardown 2/4 (FIN)", "第二次挥手（FIN，四次挥手）" },
        { C, A, 1002, 5002, 0, "Teardown 3/4 (ACK of crossed FIN)", "第三次挥手（确认交错 FIN 的 ACK，四次挥手）" },
    };

    CHECK_MSG(run(crossing, (int)(sizeof crossing / sizeof crossing[0]), "crossing FINs") != 0,
              "crossing FINs: no correction seen");
}

/* The side and segment lines of the tree, exactly, in both languages: the
 * tokens stay (filter values), the Chinese words stand beside them; the
 * step with and without its total, the attempt, and a segment that is no
 * milestone. */
static void test_lines(void)
{
    ts_result r;
    char buf[TS_TEXT_MAX], small[12];
    size_t n;

    memset(&r, 0, sizeof r);
    r.sender = TS_CLIENT;
    r.role = TS_ROLE_FIN;
    r.phase = TS_PHASE_TEARDOWN;
    r.step = 1;
    r.prev[TS_CLIENT] = TS_ESTABLISHED;
    r.state[TS_CLIENT] = TS_FIN_WAIT_1;
    r.prev[TS_SERVER] = r.state[TS_SERVER] = TS_ESTABLISHED;
    n = ts_segment_line_in(&r, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "Sender: client, role: fin, phase: teardown, step: 1");
    CHECK_INT(n, strlen(buf));
    ts_segment_line_in(&r, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "发送方：客户端（client），角色：关闭（fin），阶段：挥手（teardown），步骤：第 1 步");
    ts_side_line_in(&r, TS_CLIENT, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "Client: ESTABLISHED " ARROW " FIN-WAIT-1");
    ts_side_line_in(&r, TS_SERVER, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "Server: ESTABLISHED");
    ts_side_line_in(&r, TS_CLIENT, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "客户端：ESTABLISHED " ARROW " FIN-WAIT-1");
    ts_side_line_in(&r, TS_SERVER, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "服务器：ESTABLISHED");

    r.sender = TS_SERVER;
    r.role = TS_ROLE_SYN_ACK;
    r.phase = TS_PHASE_HANDSHAKE;
    r.step = 2;
    r.step_total = 3;
    r.attempt = 2;
    ts_segment_line_in(&r, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "Sender: server, role: syn-ack, phase: handshake, step: 2 of 3, attempt: 2");
    ts_segment_line_in(&r, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "发送方：服务器（server），角色：接受连接（syn-ack），阶段：握手（handshake），"
                   "步骤：第 2 步，共 3 步，第 2 次发送");

    r.role = TS_ROLE_DATA;
    r.phase = TS_PHASE_DATA;
    r.step = r.step_total = 0;
    r.attempt = 0;
    ts_segment_line_in(&r, TS_LANG_EN, buf, sizeof buf);
    CHECK_STR(buf, "Sender: server, role: data, phase: data");
    ts_segment_line_in(&r, TS_LANG_ZH_CN, buf, sizeof buf);
    CHECK_STR(buf, "发送方：服务器（server），角色：数据（data），阶段：数据传输（data）");
    /* Every role and phase has its Chinese words. */
    for (unsigned role = 0; role < TS_ROLE_COUNT; role++) {
        r.role = (uint8_t)role;
        ts_segment_line_in(&r, TS_LANG_ZH_CN, buf, sizeof buf);
        CHECK_MSG(strstr(buf, "?") == NULL, "role %u has no Chinese words: %s", role, buf);
    }
    for (unsigned phase = 0; phase < TS_PHASE_COUNT; phase++) {
        r.phase = (uint8_t)phase;
        ts_segment_line_in(&r, TS_LANG_ZH_CN, buf, sizeof buf);
        CHECK_MSG(strstr(buf, "?") == NULL, "phase %u has no Chinese words: %s", phase, buf);
    }
    /* A short buffer: cut, terminated, the length it needed returned. */
    n = ts_segment_line_in(&r, TS_LANG_EN, small, sizeof small);
    CHECK(n > sizeof small && strlen(small) < sizeof small);
    n = ts_side_line_in(&r, TS_CLIENT, TS_LANG_ZH_CN, small, sizeof small);
    CHECK(n > sizeof small && strlen(small) < sizeof small);
}

int main(void)
{
    UNIT_RUN(test_scenarios);
    UNIT_RUN(test_correction);
    UNIT_RUN(test_lines);
    return unit_report();
}
