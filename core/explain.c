/*
 * The "Why" lines under a segment's summary: the sequence number arithmetic
 * (RFC 9293 section 3.4: the SYN and the FIN each occupy one sequence number,
 * data advances it by its length; the ack number is the next number expected)
 * and TIME-WAIT (section 3.6: 2×MSL). Each line exists in English and in
 * Simplified Chinese; both formats of a pair take the same arguments in the
 * same order.
 */
#include "explain.h"

#include "describe_text.h"

static const char *plural(uint32_t n, ts_language lang)
{
    return lang == TS_LANG_ZH_CN || n == 1 ? "" : "s";
}

static double seconds(int64_t ns)
{
    return (double)ns / 1e9;
}

static void why_seq(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u;
    const char *who = ts_side_in(s, lang);
    uint32_t rel = in->seq_raw - in->base[s];

    if (r->flags & TS_SYN) {
        ts_text_put(t, TS_L(lang, "seq 0 (raw %u): the %s's SYN carries its initial sequence number "
                               "(ISN); relative numbers count from the ISN, so the SYN is number 0",
                         "seq 0（原始值 %u）：%s的 SYN 携带它的初始序列号（ISN），相对序号从 ISN "
                         "开始计，所以 SYN 是 0 号"),
                    in->seq_raw, who);
    } else if (in->base_known[s] && in->base_from_syn[s] && rel >= 1) {
        uint32_t before = rel - 1 - (in->fin_sent_before && rel >= 2 ? 1u : 0u);
        ts_text_put(t, TS_L(lang, "seq %u (raw %u = ISN + %u): the SYN used number 0, so the %s had "
                               "sent %u byte%s of data before this segment",
                         "seq %u（原始值 %u = ISN + %u）：SYN 占用了 0 号，所以%s在这之前已发送 "
                         "%u 字节数据%s"),
                    rel, in->seq_raw, rel, who, before, plural(before, lang));
        if (in->fin_sent_before)
            ts_text_put(t, TS_L(lang, ", and its FIN took one more number", "，它的 FIN 又占用了一个序号"));
    } else if (in->base_known[s]) {
        ts_text_put(t, TS_L(lang, "seq %u (raw %u): the %s's SYN was not captured, so relative numbers "
                               "count from the first segment seen from it",
                         "seq %u（原始值 %u）：没有抓到%s的 SYN，相对序号从抓到的它的第一个报文段算起"),
                    rel, in->seq_raw, who);
    } else {
        ts_text_put(t, TS_L(lang, "seq (raw %u)", "seq（原始值 %u）"), in->seq_raw);
    }
}

static void why_next(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(1u - s, lang);
    uint32_t rel = (r->flags & TS_SYN) ? 0 : in->seq_raw - in->base[s];
    uint32_t next = rel + r->len + ((r->flags & TS_SYN) ? 1u : 0u);

    if (r->flags & TS_RST) {
        ts_text_put(t, TS_L(lang, "an RST takes no sequence number: it ends the connection at once",
                         "RST 不占用序号：它立即结束连接"));
        return;
    }
    if (r->flags & TS_SYN) {
        ts_text_put(t, TS_L(lang, "the SYN takes one sequence number, so the %s's first data byte "
                               "will be number 1",
                         "SYN 占用一个序号，所以%s的第一个数据字节是 1 号"),
                    who);
    } else if (r->len) {
        ts_text_put(t, TS_L(lang, "it carries %u byte%s, numbers %u to %u: the %s's next new segment "
                               "starts at seq %u",
                         "它携带 %u 字节%s，序号 %u 到 %u：%s的下一个新报文段从 seq %u 开始"),
                    r->len, plural(r->len, lang), rel, rel + r->len - 1, who, next);
    } else if (!(r->flags & TS_FIN)) {
        ts_text_put(t, TS_L(lang, "no data and no SYN or FIN: it uses no sequence number, so the %s's "
                               "next segment has the same seq",
                         "没有数据，也没有 SYN 或 FIN：它不占用序号，所以%s的下一个报文段 seq 不变"),
                    who);
    }
    if (r->flags & TS_FIN) {
        if (r->len)
            ts_text_put(t, TS_L(lang, "; ", "；"));
        ts_text_put(t, TS_L(lang, "the FIN takes sequence number %u, so the %s acknowledges it with "
                               "ack %u",
                         "FIN 占用序号 %u，所以%s用 ack %u 确认它"),
                    next, peer, next + 1);
    }
}

static void why_ack(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(p, lang);

    if (!(r->flags & TS_ACK)) {
        ts_text_put(t, TS_L(lang, "no ACK flag: the ack field (raw %u) means nothing here",
                         "没有 ACK 标志：确认号字段（原始值 %u）在这里没有意义"),
                    in->ack_raw);
        return;
    }
    if (in->base_known[p])
        ts_text_put(t, TS_L(lang, "ack %u (raw %u): the next number the %s expects from the %s; "
                               "everything before it has arrived",
                         "ack %u（原始值 %u）：%s期望从%s收到的下一个序号，之前的都已收到"),
                    in->ack_raw - in->base[p], in->ack_raw, who, peer);
    else
        ts_text_put(t, TS_L(lang, "ack (raw %u): the next number the %s expects from the %s",
                         "ack（原始值 %u）：%s期望从%s收到的下一个序号"),
                    in->ack_raw, who, peer);

    if (in->acked_frame && in->acked_syn)
        ts_text_put(t, TS_L(lang, "; it acknowledges the %s's SYN (frame %u)",
                         "；它确认了%s的 SYN（第 %u 帧）"),
                    peer, in->acked_frame);
    else if (in->acked_frame)
        ts_text_put(t, TS_L(lang, "; it acknowledges the %s's FIN (frame %u)",
                         "；它确认了%s的 FIN（第 %u 帧）"),
                    peer, in->acked_frame);
    else if (r->acked_new)
        ts_text_put(t, TS_L(lang, "; it acknowledges %u new byte%s", "；它新确认了 %u 字节%s"),
                    r->acked_new, plural(r->acked_new, lang));
    else
        ts_text_put(t, TS_L(lang, "; it acknowledges nothing new", "；它没有确认新的数据"));
}

static int why_flag_applies(const ts_result *r, const ts_explain_input *in)
{
    return ts_role_is_handshake(r->role) ||
           (in->base_from_syn[r->sender & 1u] && in->seq_raw - in->base[r->sender & 1u] == 1 &&
            r->role == TS_ROLE_DATA);
}

static void why_flag(ts_text *t, ts_language lang)
{
    ts_text_put(t, TS_L(lang, "ACK (upper case) is a flag: when set, the ack number is valid. ack "
                           "(lower case) is that number: the next sequence number expected. Only "
                           "the first SYN of a connection has no ACK flag",
                     "大写的 ACK 是标志位：置 1 表示确认号有效；小写的 ack 是确认号本身，即期望收到"
                     "的下一个序号。只有发起连接的第一个 SYN 不带 ACK 标志"));
}

static int why_one_one_applies(const ts_result *r, const ts_explain_input *in)
{
    unsigned s = r->sender & 1u, p = 1u - s;

    return !(r->flags & (TS_SYN | TS_RST)) && (r->flags & TS_ACK) && in->base_from_syn[s] &&
           in->base_from_syn[p] && in->seq_raw - in->base[s] == 1 &&
           in->ack_raw - in->base[p] == 1;
}

static void why_one_one(ts_text *t, ts_language lang)
{
    ts_text_put(t, TS_L(lang, "seq and ack are both 1: each side's SYN used sequence number 0, so the "
                           "first data byte in either direction is number 1",
                     "seq 和 ack 都是 1：双方的 SYN 都占用了 0 号，所以每个方向的第一个数据字节都是 "
                     "1 号"));
}

static void time_wait_side(ts_text *t, const ts_explain_input *in, unsigned side, ts_language lang)
{
    int64_t left = in->time_wait_since_ns[side] + 2 * in->msl_ns - in->now_ns;

    ts_text_put(t, TS_L(lang, "the %s is in TIME-WAIT until %.3f s after this segment",
                     "%s处于 TIME-WAIT，直到本报文段之后 %.3f 秒"),
                ts_side_in(side, lang), seconds(left));
}

static int why_time_wait(ts_text *t, const ts_result *r, const ts_explain_input *in,
                         ts_language lang)
{
    unsigned p = 1u - (r->sender & 1u);
    size_t start = t->len;
    int any = 0;

    if (r->events & TS_EV_TIME_WAIT_EXPIRED)
        ts_text_put(t, TS_L(lang, "a TIME-WAIT had run out before this segment (more than 2×MSL = "
                               "%.0f s): that endpoint counts as CLOSED. ",
                         "在本报文段之前有一端的 TIME-WAIT 已经结束（超过 2×MSL = %.0f 秒）：该端"
                         "视为 CLOSED。"),
                    seconds(2 * in->msl_ns));
    if (r->events & TS_EV_NEW_CONNECTION)
        ts_text_put(t, TS_L(lang, "a new SYN reuses the addresses and ports of a finished connection. ",
                         "新的 SYN 重用了一个已结束连接的地址和端口。"));
    if ((r->events & TS_EV_IN_TIME_WAIT) && r->prev[p] == TS_TIME_WAIT && (r->flags & TS_FIN))
        ts_text_put(t, TS_L(lang, "the %s receives the repeated FIN in TIME-WAIT: it acknowledges it "
                               "again and restarts its 2×MSL timer. ",
                         "%s在 TIME-WAIT 中收到重发的 FIN：它再次确认这个 FIN，并重启 2×MSL 计时器。"),
                    ts_side_in(p, lang));
    else if ((r->events & TS_EV_IN_TIME_WAIT) && r->prev[p] == TS_TIME_WAIT)
        ts_text_put(t, TS_L(lang, "the %s receives it in TIME-WAIT, %.3f s after entering it. ",
                         "%s在 TIME-WAIT 中收到它，此时距进入 TIME-WAIT %.3f 秒。"),
                    ts_side_in(p, lang), seconds(in->now_ns - in->time_wait_since_ns[p]));
    for (unsigned side = 0; side < 2; side++) {
        if (r->state[side] != TS_TIME_WAIT)
            continue;
        if (any)
            ts_text_put(t, TS_L(lang, "; ", "；"));
        time_wait_side(t, in, side, lang);
        any = 1;
    }
    /* docs/spec.md, preference msl: which system waits how long. */
    if (any && in->msl_ns <= 0)
        ts_text_put(t, TS_L(lang, " (preference msl is 0: TIME-WAIT is not waited out here, the "
                               "endpoint counts as CLOSED from its next segment on)",
                         "（首选项 msl 为 0：这里不等待 TIME-WAIT，该端从下一个报文段起视为 CLOSED）"));
    else if (any)
        ts_text_put(t, TS_L(lang, " (2×MSL = %.0f s by preference msl; Linux waits 60 s, RFC 9293 and "
                               "Windows 240 s: long enough to repeat a lost final ACK and for old "
                               "duplicates to die out; then CLOSED)",
                         "（按首选项 msl，2MSL = %.0f 秒；Linux 等 60 秒，RFC 9293 和 Windows 等 240 秒："
                         "足够重发丢失的最后一个 ACK，并让旧的重复报文段消失；之后进入 CLOSED）"),
                    seconds(2 * in->msl_ns));
    return t->len > start;
}

static void why_reuse(ts_text *t, const ts_explain_input *in, ts_language lang)
{
    int any = 0;

    ts_text_put(t, TS_L(lang, "these addresses and ports were used before, by stream %u",
                     "这对地址和端口之前被第 %u 条流使用过"),
                in->reuse_stream);
    for (unsigned side = 0; side < 2; side++) {
        double left = seconds(in->reuse_tw_left_ns[side]);
        if (!in->reuse_in_tw[side])
            continue;
        if (in->reuse_tw_left_ns[side] > 0)
            ts_text_put(t, TS_L(lang, "; there the %s was still in TIME-WAIT, with %.3f s of its 2×MSL "
                                   "left",
                             "；那里的%s还处于 TIME-WAIT，2×MSL 还剩 %.3f 秒"),
                        ts_side_in(side, lang), left);
        else
            ts_text_put(t, TS_L(lang, "; there the %s's TIME-WAIT had ended %.3f s before",
                             "；那里的%s的 TIME-WAIT 已在 %.3f 秒前结束"),
                        ts_side_in(side, lang), -left);
        any = 1;
    }
    if (in->reuse_old_open)
        ts_text_put(t, TS_L(lang, "; that connection had not closed in the capture",
                         "；那条连接在抓包中还没有关闭"));
    else if (!any)
        ts_text_put(t, TS_L(lang, "; that connection had closed, with no endpoint in TIME-WAIT",
                         "；那条连接已经关闭，没有一端处于 TIME-WAIT"));
}

size_t ts_explain_line(const ts_result *r, const ts_explain_input *in, ts_language lang,
                       ts_why which, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    switch (which) {
    case TS_WHY_SEQ:
        why_seq(&t, r, in, lang);
        break;
    case TS_WHY_NEXT:
        why_next(&t, r, in, lang);
        break;
    case TS_WHY_ACK:
        why_ack(&t, r, in, lang);
        break;
    case TS_WHY_FLAG:
        if (why_flag_applies(r, in))
            why_flag(&t, lang);
        break;
    case TS_WHY_ONE_ONE:
        if (why_one_one_applies(r, in))
            why_one_one(&t, lang);
        break;
    case TS_WHY_TIME_WAIT:
        why_time_wait(&t, r, in, lang);
        break;
    case TS_WHY_REUSE:
        if (in->reuse)
            why_reuse(&t, in, lang);
        break;
    default:
        break;
    }
    if (t.len && t.len < size && t.buf[t.len - 1] == ' ')
        t.buf[--t.len] = '\0'; /* the trailing space of a last sentence */
    return t.len;
}
