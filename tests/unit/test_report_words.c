/*
 * test_report_words.c: the report words in both languages and the display
 * width of UTF-8 text (core/report_words.c), which the Chinese reports pad
 * and cut by (docs/reports.md, "Language").
 */
#include "outcome.h"
#include "report_words.h"
#include "tcpstate_core.h"
#include "unit.h"

#include <string.h>

/* The Info column's tags (docs/spec.md), in both languages: every kind of
 * tag, nothing for data and plain ACKs, a short buffer cut and terminated. */
static void test_info_tags(void)
{
    static const struct {
        uint8_t role, step, step_total;
        const char *en, *zh;
    } cases[] = {
        { TS_ROLE_SYN, 1, 3, "[HS 1/3]", "[握手 1/3]" },
        { TS_ROLE_HANDSHAKE_ACK, 3, 3, "[HS 3/3]", "[握手 3/3]" },
        { TS_ROLE_SYN_ACK, 0, 0, "[HS rexmit]", "[握手 重传]" },
        { TS_ROLE_FIN, 1, 0, "[FIN 1]", "[挥手 1]" },
        { TS_ROLE_FIN_ACK_OF_FIN, 2, 3, "[FIN 2/3]", "[挥手 2/3]" },
        { TS_ROLE_FINAL_ACK, 4, 4, "[FIN 4/4]", "[挥手 4/4]" },
        { TS_ROLE_FIN, 0, 0, "[FIN rexmit]", "[挥手 重传]" },
        { TS_ROLE_RST, 0, 0, "[RST]", "[复位]" },
        { TS_ROLE_DATA, 0, 0, "", "" },
        { TS_ROLE_ACK, 0, 0, "", "" },
    };
    ts_result r;
    char buf[40];

    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&r, 0, sizeof r);
        r.role = cases[i].role;
        r.step = cases[i].step;
        r.step_total = cases[i].step_total;
        for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
            const char *want = lang == TS_LANG_ZH_CN ? cases[i].zh : cases[i].en;
            size_t n;
            unit_set_ctx("case %u lang %d", i, lang);
            buf[0] = '\0';
            n = ts_info_tag(&r, (ts_language)lang, buf, sizeof buf);
            CHECK_INT(n, strlen(want));
            CHECK_STR(n ? buf : "", want);
        }
    }
    unit_set_ctx("%s", "");
    memset(&r, 0, sizeof r);
    r.role = TS_ROLE_SYN;
    r.step = 1;
    r.step_total = 3;
    CHECK_INT(ts_info_tag(&r, TS_LANG_EN, buf, 4), 8);
    CHECK_STR(buf, "[HS");
}

static void test_width(void)
{
    CHECK_INT(ts_text_width(""), 0);
    CHECK_INT(ts_text_width("SYN-RECEIVED"), 12);
    CHECK_INT(ts_text_width("客户端"), 6);                 /* CJK ideographs: 2 each */
    CHECK_INT(ts_text_width("（抓包结束）"), 12);          /* fullwidth brackets: 2 */
    CHECK_INT(ts_text_width("流、。"), 6);                 /* CJK punctuation: 2 */
    CHECK_INT(ts_text_width("客→服"), 5);                  /* the arrow is narrow */
    CHECK_INT(ts_text_width("data/ack \xc3\x97" "38"), 12); /* × is narrow */
    CHECK_INT(ts_text_width("\xff\xfe" "a"), 3);           /* invalid bytes: 1 each */
    CHECK_INT(ts_text_width("\xe5\xae"), 2);               /* a cut sequence: 1 a byte */
}

static void test_fit(void)
{
    const char *s = "客户端 13 段";

    CHECK_INT(ts_text_fit(s, 100), strlen(s));
    CHECK_INT(ts_text_fit(s, 6), 9);  /* the three characters */
    CHECK_INT(ts_text_fit(s, 5), 6);  /* never half a character */
    CHECK_INT(ts_text_fit(s, 1), 0);
    CHECK_INT(ts_text_fit("abc", 2), 2);
    CHECK_INT(ts_text_fit("", 3), 0);
    /* Every cut of a Chinese line ends on a character boundary. */
    for (size_t max = 0; max < 40; max++) {
        const char *t = "状态只在变化处标出；ACK 报文段";
        size_t n = ts_text_fit(t, max);
        CHECK_MSG((t[n] & 0xC0) != 0x80, "cut at %zu columns splits a character", max);
        CHECK_MSG(n == strlen(t) || ts_text_width(t) > max, "cut at %zu columns too short", max);
    }
}

static void test_words(void)
{
    /* English: the contract's tokens, byte for byte. */
    for (unsigned o = 0; o < TS_OPEN_COUNT; o++)
        CHECK_STR(ts_open_words(o, TS_LANG_EN), ts_open_name(o));
    for (unsigned c = 0; c < TS_CLOSE_COUNT; c++)
        CHECK_STR(ts_close_words(c, TS_LANG_EN), ts_close_name(c));
    CHECK_STR(ts_side_words(TS_CLIENT, TS_LANG_EN), ts_side_name(TS_CLIENT));
    CHECK_STR(ts_side_words(TS_SERVER, TS_LANG_EN), ts_side_name(TS_SERVER));
    /* Chinese: the words of the lesson, every value has one, all distinct. */
    CHECK_STR(ts_open_words(TS_OPEN_THREE_WAY, TS_LANG_ZH_CN), "三次握手");
    CHECK_STR(ts_close_words(TS_CLOSE_FOUR_WAY, TS_LANG_ZH_CN), "四次挥手");
    CHECK_STR(ts_close_words(TS_CLOSE_THREE_WAY, TS_LANG_ZH_CN), "三次挥手");
    CHECK_STR(ts_close_words(TS_CLOSE_HALF_CLOSED, TS_LANG_ZH_CN), "半关闭");
    for (unsigned c = 0; c < TS_CLOSE_COUNT; c++) {
        CHECK_MSG(strcmp(ts_close_words(c, TS_LANG_ZH_CN), "?") != 0, "close %u has no word", c);
        for (unsigned d = c + 1; d < TS_CLOSE_COUNT; d++)
            CHECK_MSG(strcmp(ts_close_words(c, TS_LANG_ZH_CN), ts_close_words(d, TS_LANG_ZH_CN)),
                      "closes %u and %u share a word", c, d);
    }
    for (unsigned o = 0; o < TS_OPEN_COUNT; o++)
        CHECK_MSG(strcmp(ts_open_words(o, TS_LANG_ZH_CN), "?") != 0, "open %u has no word", o);
    CHECK_STR(ts_open_words(TS_OPEN_COUNT, TS_LANG_ZH_CN), "?");
    CHECK_STR(ts_close_words(TS_CLOSE_COUNT, TS_LANG_EN), "?");
    CHECK_STR(ts_rst_kind_words(TS_RST_REFUSED, TS_LANG_EN), "refused");
    CHECK_STR(ts_rst_kind_words(TS_RST_REFUSED, TS_LANG_ZH_CN), "拒绝连接");
}

/* sample-pcaps/syn-timeout.pcap: three SYNs, no answer. The conv report's
 * footnote on the server's SYN-RECEIVED says it is the model's, and never
 * that the SYN arrived. */
static void test_unanswered_syn(void)
{
    const char *en = ts_unanswered_syn_words(TS_LANG_EN), *zh = ts_unanswered_syn_words(TS_LANG_ZH_CN);

    CHECK(strstr(en, "the model's") != NULL);
    CHECK(strstr(en, "cannot show that it arrived") != NULL);
    CHECK(strstr(zh, "抓包无法表明它已到达") != NULL);
    CHECK(strstr(zh, "client") == NULL && strstr(zh, "server") == NULL);
}

int main(void)
{
    UNIT_RUN(test_info_tags);
    UNIT_RUN(test_width);
    UNIT_RUN(test_fit);
    UNIT_RUN(test_words);
    UNIT_RUN(test_unanswered_syn);
    return unit_report();
}
