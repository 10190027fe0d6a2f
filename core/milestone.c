/*
 * The short texts of the plugin's tree (core/milestone.h): each phrase with
 * its Chinese beside it (TS_L), the words of the lesson students learn from
 * (第一次握手 .. 第三次握手, 第一次挥手 .. 第四次挥手, 三次挥手 / 四次挥手).
 */
#include "milestone.h"

#include <string.h>

#include "describe_text.h"
#include "explain.h" /* TS_TEXT_MAX */

/* What the segment is, in the words of a textbook's figure. */
static const char *milestone_what(const ts_result *r, ts_language lang)
{
    switch (r->role) {
    case TS_ROLE_SYN: return "SYN";
    case TS_ROLE_SYN_ACK: return "SYN+ACK";
    case TS_ROLE_HANDSHAKE_ACK: return "ACK";
    case TS_ROLE_FIN: return "FIN";
    case TS_ROLE_FIN_ACK_OF_FIN: return "FIN+ACK";
    case TS_ROLE_ACK_OF_FIN: return TS_L(lang, "ACK of FIN", "确认 FIN 的 ACK");
    case TS_ROLE_FINAL_ACK:
        return ts_acks_crossed_fin(r) ? TS_L(lang, "ACK of crossed FIN", "确认交错 FIN 的 ACK")
                                      : TS_L(lang, "final ACK", "最后的 ACK");
    default: return TS_L(lang, "segment", "报文段");
    }
}

size_t ts_milestone_in(const ts_result *r, ts_language lang, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };
    const char *what = milestone_what(r, lang);

    if (size)
        buf[0] = '\0';
    if (!r->step)
        return 0;
    /* 第一次握手 ..: a handshake has three steps, a close three or four
     * (not known at its first FIN: docs/spec.md never looks ahead). */
    ts_text_put_step(&t, r, lang);
    if (lang == TS_LANG_ZH_CN && !ts_role_is_handshake(r->role) &&
        (r->step_total == 3 || r->step_total == 4))
        ts_text_put(&t, "（%s，%s次挥手）", what, r->step_total == 3 ? "三" : "四");
    else
        ts_text_put(&t, TS_L(lang, " (%s)", "（%s）"), what);
    return t.len;
}

/* The changes of one side only, as the summary writes them ("client A → B
 * (corrected: ...)"): the result with the other side's change taken out. */
static void put_side_change(ts_text *t, const ts_result *r, unsigned side, ts_language lang)
{
    ts_result one = *r;
    unsigned other = 1u - (side & 1u);

    one.prev[other] = one.state[other];
    one.corrected = (uint8_t)(one.corrected & ~(1u << other));
    ts_text_put_changes(t, &one, lang, "", "", "");
}

size_t ts_side_states_in(const ts_result *r, unsigned side, ts_language lang, char *buf,
                         size_t size)
{
    char change[TS_TEXT_MAX];
    ts_text c = { change, sizeof change, 0 };
    ts_text t = { buf, size, 0 };
    size_t name = strlen(ts_side_in(side, lang)) + 1; /* "client " */

    side &= 1u;
    if (size)
        buf[0] = '\0';
    if (r->prev[side] == r->state[side]) {
        ts_text_put(&t, "%s", ts_state_name(r->state[side]));
        return t.len;
    }
    put_side_change(&c, r, side, lang);
    ts_text_put(&t, "%s", c.len > name && c.len < sizeof change ? change + name : change);
    return t.len;
}

size_t ts_side_line_in(const ts_result *r, unsigned side, ts_language lang, char *buf,
                       size_t size)
{
    char states[TS_TEXT_MAX];
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    ts_side_states_in(r, side, lang, states, sizeof states);
    ts_text_put(&t, "%s%s",
                (side & 1u) == TS_SERVER ? TS_L(lang, "Server: ", "服务器：")
                                         : TS_L(lang, "Client: ", "客户端："),
                states);
    return t.len;
}

/* The words of a role and a phase token, in Chinese (English shows the
 * token alone: it is the word). */
static const char *role_words_zh(unsigned role)
{
    static const char *const names[TS_ROLE_COUNT] = {
        [TS_ROLE_RST] = "复位", [TS_ROLE_SYN] = "请求建立连接", [TS_ROLE_SYN_ACK] = "接受连接",
        [TS_ROLE_HANDSHAKE_ACK] = "握手确认", [TS_ROLE_FIN_ACK_OF_FIN] = "确认对方的 FIN 并关闭",
        [TS_ROLE_FIN] = "关闭", [TS_ROLE_ACK_OF_FIN] = "确认对方的 FIN",
        [TS_ROLE_FINAL_ACK] = "最后一个 ACK", [TS_ROLE_DATA] = "数据", [TS_ROLE_ACK] = "确认",
    };
    return role < TS_ROLE_COUNT && names[role] ? names[role] : "?";
}

static const char *phase_words_zh(unsigned phase)
{
    static const char *const names[TS_PHASE_COUNT] = {
        [TS_PHASE_HANDSHAKE] = "握手", [TS_PHASE_DATA] = "数据传输", [TS_PHASE_TEARDOWN] = "挥手",
        [TS_PHASE_RESET] = "复位", [TS_PHASE_CLOSED] = "已关闭",
    };
    return phase < TS_PHASE_COUNT && names[phase] ? names[phase] : "?";
}

/* A token as a student reads it: the token in English, "词（token）" in
 * Chinese, so that it can be typed into a filter. */
static void put_token(ts_text *t, ts_language lang, const char *zh_words, const char *token)
{
    if (lang == TS_LANG_ZH_CN)
        ts_text_put(t, "%s（%s）", zh_words, token);
    else
        ts_text_put(t, "%s", token);
}

size_t ts_segment_line_in(const ts_result *r, ts_language lang, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    ts_text_put(&t, "%s", TS_L(lang, "Sender: ", "发送方："));
    put_token(&t, lang, ts_side_in(r->sender, lang), ts_side_name(r->sender));
    ts_text_put(&t, "%s", TS_L(lang, ", role: ", "，角色："));
    put_token(&t, lang, role_words_zh(r->role), ts_role_name(r->role));
    ts_text_put(&t, "%s", TS_L(lang, ", phase: ", "，阶段："));
    put_token(&t, lang, phase_words_zh(r->phase), ts_phase_name(r->phase));
    if (r->step && r->step_total)
        ts_text_put(&t, TS_L(lang, ", step: %u of %u", "，步骤：第 %u 步，共 %u 步"), r->step,
                    r->step_total);
    else if (r->step)
        ts_text_put(&t, TS_L(lang, ", step: %u", "，步骤：第 %u 步"), r->step);
    if (r->attempt)
        ts_text_put(&t, TS_L(lang, ", attempt: %u", "，第 %u 次发送"), r->attempt);
    return t.len;
}

/* The separators and the no-change words describe_en.c and describe_zh.c
 * give ts_text_put_changes (the unit test test_milestone checks that every
 * summary splits). */
#define CHANGES_LEAD(lang) TS_L(lang, "; ", "\xef\xbc\x9b" /* ； */)
#define CHANGES_SEP(lang) TS_L(lang, ", ", "\xef\xbc\x8c" /* ， */)
#define CHANGES_NONE(lang) TS_L(lang, "; no state changes", "\xef\xbc\x9b状态不变")

static int ends_with(const char *s, size_t len, const char *end, size_t n)
{
    return n <= len && memcmp(s + len - n, end, n) == 0;
}

size_t ts_summary_head_len(const ts_result *r, ts_language lang, const char *summary, size_t len)
{
    char changes[TS_TEXT_MAX];
    ts_text c = { changes, sizeof changes, 0 };
    const char *lead = CHANGES_LEAD(lang);

    if (!summary)
        return 0;
    ts_text_put_changes(&c, r, lang, lead, CHANGES_SEP(lang), CHANGES_NONE(lang));
    if (c.len >= sizeof changes || !ends_with(summary, len, changes, c.len))
        return len;
    return len - c.len;
}
