/*
 * The expert notes in words. Each pair of formats (English, Simplified
 * Chinese) takes the same arguments in the same order.
 */
#include "notes.h"

#include "describe_text.h"

/* A correction (docs/spec.md's proofs): what was lost or crossed, and where
 * the corrected side is now. */
static void lost_segment(ts_text *t, const ts_result *r, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;

    if (r->events & TS_EV_NEW_BY_ECHO) {
        /* The peer's FIN before its repeat, shown lost by this answer's echo (core/unshown.c):
         * the states before the repeat were another, the state now is right. */
        ts_text_put(t, TS_L(lang, "Shown by the timestamp echo: the %s's earlier FIN was lost after the capture "
                                  "point; the %s was %s, not %s, until the repeat",
                             "由时间戳回显可知：%s在重发之前发出的 FIN 在抓包点之后丢失；%s在那次重发之前是 %s，而非 %s"),
                    ts_side_in(p, lang), ts_side_in(s, lang), ts_state_name(ts_unshown_alternative(TS_TIME_WAIT)),
                    ts_state_name(TS_TIME_WAIT));
        return;
    }
    if (!(r->corrected & (1u << s)) || (r->events & (TS_EV_SIMULTANEOUS_OPEN | TS_EV_SIMULTANEOUS_CLOSE)))
        return;
    ts_text_put(t, TS_L(lang, "State corrected: %s %s \xe2\x86\x92 %s: ", "状态更正：%s %s \xe2\x86\x92 %s（"),
                ts_side_in(s, lang), ts_state_name(r->prev[s]), ts_state_name(r->state[s]));
    ts_text_put_evidence(t, r, s, lang);
    if (lang == TS_LANG_ZH_CN)
        ts_text_put(t, "%s", "）"); /* no second colon in Chinese */
    /* The receiver is corrected only with its sender (TS_EV_FIN_WAS_DATA):
     * by its move alone, so that the note stays within an expert info's
     * label (the tree's state line has its evidence). */
    if (r->corrected & (1u << p))
        ts_text_put(t, TS_L(lang, "; the %s %s \xe2\x86\x92 %s too", "；%s也 %s \xe2\x86\x92 %s"),
                    ts_side_in(p, lang), ts_state_name(r->prev[p]), ts_state_name(r->state[p]));
}

static void note(ts_text *t, const ts_result *r, ts_note which, ts_language lang, unsigned msl_s)
{
    const char *who = ts_side_in(r->sender, lang), *peer = ts_side_in(1u - r->sender, lang);
    ts_events ev = r->events;

    switch (which) {
    case TS_NOTE_MIDSTREAM:
        if (ev & TS_EV_MIDSTREAM)
            ts_text_put(t, TS_L(lang, "The capture began mid-connection: the opening was not captured, "
                                   "states are assumed",
                             "抓包从连接中途开始：没有抓到连接的建立过程，状态是推断的"));
        break;
    case TS_NOTE_SIMULTANEOUS_OPEN:
        if (ev & TS_EV_SIMULTANEOUS_OPEN)
            ts_text_put(t, TS_L(lang, "Simultaneous open: the %s's SYN crossed the %s's",
                             "同时打开：%s的 SYN 与%s的 SYN 在途中交错"),
                        who, peer);
        break;
    case TS_NOTE_SIMULTANEOUS_CLOSE:
        if (ev & TS_EV_SIMULTANEOUS_CLOSE)
            ts_text_put(t, TS_L(lang, "Simultaneous close: the %s's FIN crossed the %s's",
                             "同时关闭：%s的 FIN 与%s的 FIN 在途中交错"),
                        who, peer);
        break;
    case TS_NOTE_MERGED_CLOSE:
        if (ev & TS_EV_MERGED_CLOSE)
            ts_text_put(t, TS_L(lang, "Three-way close: the %s's FIN and its ACK of the %s's FIN share "
                                   "one segment",
                             "三次挥手：%s的 FIN 和它对%s的 FIN 的确认合并在同一个报文段里"),
                        who, peer);
        break;
    case TS_NOTE_HALF_CLOSE:
        if (ev & TS_EV_HALF_CLOSE)
            ts_text_put(t, TS_L(lang, "Half-close: the %s still sends data after the %s's FIN",
                             "半关闭：%s在%s发出 FIN 之后仍在发送数据"),
                        who, peer);
        break;
    case TS_NOTE_RETRANSMISSION:
        if (ev & TS_EV_RETRANSMISSION)
            ts_text_put_retransmitted(t, r, lang);
        break;
    case TS_NOTE_RST:
        if (r->role == TS_ROLE_RST) {
            ts_text_put(t, TS_L(lang, "RST from the %s: ", "%s发出 RST："), who);
            if (r->rst_ignored) /* docs/spec.md: it changes no state (its reason: TS_NOTE_RST_IGNORED) */
                ts_text_put(t, "%s", TS_L(lang, "not accepted, it resets nothing", "未被接受，它没有复位任何连接"));
            else
                ts_text_put_rst_kind(t, r, lang, 1);
        }
        break;
    case TS_NOTE_AFTER_CLOSE:
        if (ev & TS_EV_AFTER_CLOSE)
            ts_text_put(t, TS_L(lang, "Segment after the connection closed (both endpoints CLOSED or "
                                   "TIME-WAIT)",
                             "连接关闭之后的报文段（两端都已是 CLOSED 或 TIME-WAIT）"));
        break;
    case TS_NOTE_LOST_SEGMENT:
        lost_segment(t, r, lang);
        break;
    case TS_NOTE_TIME_WAIT:
        if (ev & TS_EV_TIME_WAIT_EXPIRED)
            ts_text_put(t, TS_L(lang, "TIME-WAIT had expired (2MSL = %u s) before this segment: that "
                                   "endpoint counts as CLOSED",
                             "TIME-WAIT 在本报文段之前已经结束（2MSL = %u 秒）：该端视为 CLOSED"),
                        2 * msl_s);
        else if ((ev & TS_EV_IN_TIME_WAIT) && (ev & TS_EV_CANNOT_SHOW))
            /* A repeated FIN in doubt (core/unshown.c): TIME-WAIT is the
             * model's story. */
            ts_text_put(t, TS_L(lang, "The %s receives this segment in TIME-WAIT (within 2MSL) as the model "
                                   "has it; in FIN-WAIT-2 if the earlier FIN was lost (not shown)",
                             "按模型的推断，%s在 TIME-WAIT 中（2MSL 之内）收到这个报文段；若之前的 FIN "
                             "已丢失，则是在 FIN-WAIT-2 中（抓包无法说明）"),
                        peer);
        else if (ev & TS_EV_IN_TIME_WAIT)
            ts_text_put(t, TS_L(lang, "The %s receives this segment in TIME-WAIT (within 2MSL)",
                             "%s在 TIME-WAIT 中（2MSL 之内）收到这个报文段"),
                        peer);
        break;
    case TS_NOTE_ODD_FLAGS:
        if (ev & TS_EV_ODD_FLAGS)
            ts_text_put(t, TS_L(lang, "Unusual flag combination (0x%03x): no TCP sends it in a normal "
                                   "connection",
                             "不寻常的标志位组合（0x%03x）：正常连接中的 TCP 不会发送它"),
                        (unsigned)r->flags);
        break;
    case TS_NOTE_DATA_AFTER_FIN:
        if (ev & TS_EV_DATA_AFTER_FIN)
            ts_text_put(t, TS_L(lang, "The %s sends data beyond its own FIN",
                             "%s在自己的 FIN 之后还发送数据"),
                        who);
        break;
    case TS_NOTE_UNEXPECTED:
        if (ev & TS_EV_UNEXPECTED)
            ts_text_put(t, TS_L(lang, "This segment fits no transition of the %s's state %s",
                             "这个报文段不符合%s当前状态 %s 的任何转换"),
                        who, ts_state_name(r->prev[r->sender & 1u]));
        break;
    case TS_NOTE_RST_IGNORED:
        ts_text_put_rst_ignored(t, r, lang, 1);
        break;
    case TS_NOTE_STALE:
        if (ev & TS_EV_REORDERED)
            ts_text_put(t, TS_L(lang, "Reordered: this SYN was captured after the SYN+ACK that answers "
                                   "it; it changes nothing now",
                             "乱序：这个 SYN 在回应它的 SYN+ACK 之后才被抓到；它现在不改变任何状态"));
        else if (ev & TS_EV_STALE)
            /* tracker.c, crossed(): within three of the sender's round
             * trips and at least 40 ms (200 ms before one is measured), so
             * "may": the model keeps the state it had (docs/spec.md). */
            ts_text_put(t, TS_L(lang, "Stale: captured soon enough after the %s's last segment (within a few "
                                   "round trips) that the %s may have sent it before that segment reached it; "
                                   "it changes nothing",
                             "过时：在%s的上一个报文段之后不久（几个往返时间之内）抓到，%s可能在那个报文段"
                             "到达之前就已发出它；它不改变任何状态"),
                        peer, who);
        break;
    case TS_NOTE_KEEPALIVE:
        if (ev & TS_EV_KEEPALIVE)
            ts_text_put(t, TS_L(lang, "TCP keep-alive probe: sequence number one below the next one, "
                                   "so the %s must answer with an ACK",
                             "TCP 保活探测：序号比下一个序号小 1，%s必须回应一个 ACK"),
                        peer);
        break;
    case TS_NOTE_CANNOT_SHOW:
        ts_text_put_unshown_note(t, r, lang);
        break;
    default:
        break;
    }
}

size_t ts_note_text(const ts_result *r, ts_note which, ts_language lang, unsigned msl_s, char *buf,
                    size_t size)
{
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    note(&t, r, which, lang, msl_s);
    return t.len;
}
