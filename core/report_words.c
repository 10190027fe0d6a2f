/*
 * The report words in English and Simplified Chinese, and the display width
 * of UTF-8 text (core/report_words.h).
 */
#include "report_words.h"

#include <stdio.h>

#include "outcome.h"

const char *ts_open_words(unsigned open, ts_language lang)
{
    if (lang != TS_LANG_ZH_CN)
        return ts_open_name(open);
    switch (open) {
    case TS_OPEN_THREE_WAY:
        return "三次握手";
    case TS_OPEN_SIMULTANEOUS:
        return "同时打开";
    case TS_OPEN_PARTIAL:
        return "握手不完整";
    case TS_OPEN_NONE:
        return "未抓到握手";
    default:
        return "?";
    }
}

const char *ts_close_words(unsigned close, ts_language lang)
{
    if (lang != TS_LANG_ZH_CN)
        return ts_close_name(close);
    switch (close) {
    case TS_CLOSE_FOUR_WAY:
        return "四次挥手";
    case TS_CLOSE_THREE_WAY:
        return "三次挥手";
    case TS_CLOSE_SIMULTANEOUS:
        return "同时关闭";
    case TS_CLOSE_RESET_BY_CLIENT:
        return "客户端复位";
    case TS_CLOSE_RESET_BY_SERVER:
        return "服务器复位";
    case TS_CLOSE_HALF_CLOSED:
        return "半关闭";
    case TS_CLOSE_STILL_OPEN:
        return "尚未关闭";
    case TS_CLOSE_REFUSED:
        return "被拒绝";
    case TS_CLOSE_NO_ANSWER:
        return "无应答";
    default:
        return "?";
    }
}

const char *ts_side_words(unsigned side, ts_language lang)
{
    return side == TS_CLIENT ? TS_RW(lang, "client", "客户端") : TS_RW(lang, "server", "服务器");
}

/* No SYN+ACK and no accepted RST came back: a listener that got a SYN
 * answers it with SYN+ACK and repeats that answer (RFC 9293 sections 3.8.1 and
 * 3.10.7.2), a closed port with RST (3.10.7.1). The capture shows neither:
 * the SYN, or every answer, was lost where it cannot see. */
const char *ts_unanswered_syn_words(ts_language lang)
{
    return TS_RW(lang, "the model's: nothing answered the client's SYN, so the capture cannot show that it "
                       "arrived; a listener that got it answers with SYN+ACK",
                 "这是模型的假定：客户端的 SYN 没有得到任何应答，抓包无法表明它已到达；"
                 "收到它的监听方会用 SYN+ACK 应答");
}

/* A short tag per tracked layer, as docs/spec.md's examples: [HS 1/3] for a
 * handshake step, [FIN 2/3] for a teardown step ([FIN 1] while the kind of
 * close is not known yet), [RST]; "rexmit" for a repeated milestone; nothing
 * for data and plain ACKs. In Chinese the words of the lesson: [握手 1/3],
 * [挥手 2/3], [复位], "重传". */
size_t ts_info_tag(const ts_result *r, ts_language lang, char *buf, size_t size)
{
    const char *what;

    if (r->role == TS_ROLE_RST)
        return (size_t)snprintf(buf, size, "%s", TS_RW(lang, "[RST]", "[复位]"));
    if (ts_role_is_handshake(r->role))
        what = TS_RW(lang, "HS", "握手");
    else if (ts_role_is_teardown(r->role))
        what = TS_RW(lang, "FIN", "挥手");
    else
        return 0;
    if (!r->step)
        return (size_t)snprintf(buf, size, "[%s %s]", what, TS_RW(lang, "rexmit", "重传"));
    if (!r->step_total)
        return (size_t)snprintf(buf, size, "[%s %u]", what, r->step);
    return (size_t)snprintf(buf, size, "[%s %u/%u]", what, r->step, r->step_total);
}

const char *ts_rst_kind_words(unsigned rst_kind, ts_language lang)
{
    switch (rst_kind) {
    case TS_RST_REFUSED:
        return TS_RW(lang, "refused", "拒绝连接");
    case TS_RST_HANDSHAKE:
        return TS_RW(lang, "in handshake", "握手中复位");
    case TS_RST_ABORT:
        return TS_RW(lang, "abort", "中止连接");
    case TS_RST_TEARDOWN:
        return TS_RW(lang, "while closing", "关闭中复位");
    case TS_RST_AFTER_CLOSE:
        return TS_RW(lang, "after close", "关闭之后");
    case TS_RST_UNKNOWN_CONN:
        return TS_RW(lang, "unknown conn", "未知连接");
    default:
        return NULL;
    }
}

/* One character of `s`: its length in bytes (1 for an invalid byte) and
 * its code point (0xFFFD when invalid). */
static size_t utf8_next(const unsigned char *s, unsigned long *cp)
{
    size_t n, i;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0)
        n = 2;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4;
    else {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = s[0] & (0x7Fu >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the terminating NUL */
            *cp = 0xFFFD;
            return 1;
        }
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
    }
    return n;
}

/* Wide (2 columns) in a terminal: the East Asian Wide and Fullwidth blocks
 * that Chinese text uses (Unicode UAX #11). Ambiguous characters such as the
 * arrow → and × count as narrow, as terminals show them by default. */
static int wide(unsigned long cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t ts_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t cols = 0;
    unsigned long cp;

    while (*p) {
        p += utf8_next(p, &cp);
        cols += wide(cp) ? 2 : 1;
    }
    return cols;
}

size_t ts_text_fit(const char *s, size_t max_cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t cols = 0, bytes = 0;
    unsigned long cp;

    while (p[bytes]) {
        size_t n = utf8_next(p + bytes, &cp);
        size_t w = wide(cp) ? 2 : 1;

        if (cols + w > max_cols)
            break;
        cols += w;
        bytes += n;
    }
    return bytes;
}
