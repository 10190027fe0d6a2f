/*
 * What the capture cannot show, in words (issue 10: every state is true on
 * any capture, or says what the capture cannot show).
 *
 * docs/spec.md keeps a captured segment delivered until a segment proves
 * otherwise. A FIN repeated while the model had delivered its first
 * transmission, and no segment of its receiver acknowledging it was captured,
 * proves that the FIN or that acknowledgment was lost - not which: the FIN
 * after the capture point (its receiver never had it until the repeat), or
 * the acknowledgment before the capture point (the model's story). The
 * tracker keeps the model's story and marks the segment (TS_EV_CANNOT_SHOW);
 * docs/accuracy.md, kind 3, measures how often the other story was true.
 *
 * A passive closer's first FIN can leave a doubt of the same kind
 * (TS_EV_FIN_MAY_REPEAT with CANNOT_SHOW; core/tracker.c, fin_may_repeat;
 * docs/accuracy.md, kind 10): the model's story needs its ACK of the peer's
 * FIN lost before the capture point; another, two losses, makes this FIN the
 * repeat of one that crossed the peer's. Here the doubt is about the
 * sender's own states.
 *
 * With timestamps on, the receiver's answer can settle it (core/tracker.c,
 * echo_doubt_open): the repeat says so (TS_EV_ECHO_TEST with CANNOT_SHOW),
 * an answer whose echo is older than the repeat's TSval shows the model's
 * story (TS_EV_SHOWN_BY_ECHO), one from TIME-WAIT that echoes the repeat
 * shows the other (TS_EV_NEW_BY_ECHO), and any other says that it could not
 * (TS_EV_ECHO_TEST alone).
 */
#include "describe_text.h"

/* The receiver's state before the repeat, had the first FIN been lost: the
 * same close without the peer's FIN (RFC 9293 section 3.3.2). */
ts_state ts_unshown_alternative(unsigned shown)
{
    switch (shown) {
    case TS_CLOSING:
        return TS_FIN_WAIT_1;
    case TS_TIME_WAIT:
        return TS_FIN_WAIT_2;
    case TS_CLOSE_WAIT:
        return TS_ESTABLISHED;
    default:
        return (ts_state)shown;
    }
}

/* The expert note: the other story alone, short enough for an expert info's
 * label with its "Expert Info (Note/Sequence): " (Wireshark cuts a label at
 * 240 bytes; tests/unit/test_tracker.c checks 205); the Why line has the
 * reasoning. */
void ts_text_put_unshown_note(ts_text *t, const ts_result *r, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;

    if (!(r->events & TS_EV_CANNOT_SHOW))
        return;
    if (r->events & TS_EV_FIN_MAY_REPEAT) {
        ts_text_put(t, TS_L(lang, "Not shown by the capture: if this FIN repeats one lost before the capture "
                                  "point that crossed the %s's FIN, the %s was CLOSING, not CLOSE-WAIT, and "
                                  "ends in TIME-WAIT",
                             "抓包无法区分：若这个 FIN 是重发（第一次在抓包点之前丢失，并与%s的 FIN 交错），"
                             "%s此前是 CLOSING 而非 CLOSE-WAIT，最终进入 TIME-WAIT"),
                    ts_side_in(p, lang), ts_side_in(s, lang));
        return;
    }
    ts_text_put(t, "%s", (r->events & TS_EV_ECHO_TEST)
                             ? TS_L(lang, "Not shown so far", "抓包目前无法区分")
                             : TS_L(lang, "Not shown by the capture", "抓包无法区分"));
    ts_text_put(t, TS_L(lang, ": if the %s's earlier FIN was lost after the capture "
                              "point (not the %s's ACK of it, before that point), the %s was "
                              "%s, not %s, until this repeat",
                         "：若%s之前的 FIN 在抓包点之后丢失（而非%s对它的确认在抓包点之前丢失），"
                         "%s在这次重发之前是 %s，而非 %s"),
                ts_side_in(s, lang), ts_side_in(p, lang), ts_side_in(p, lang),
                ts_state_name(ts_unshown_alternative(r->prev[p])), ts_state_name(r->prev[p]));
}

/* The passive closer's FIN in doubt (TS_EV_FIN_MAY_REPEAT): the model's
 * story and the other one, each with what it needs. */
static void put_fin_may_repeat(ts_text *t, const ts_result *r, ts_language lang)
{
    const char *who = ts_side_in(r->sender & 1u, lang), *peer = ts_side_in(1u - (r->sender & 1u), lang);

    ts_text_put(t, TS_L(lang, "the capture cannot show whether the %s sent its FIN before or after the %s's "
                              "FIN reached it: no ACK of the %s's FIN from the %s was captured, though this "
                              "FIN came after the %s repeated its FIN or later than an ACK is delayed "
                              "(200 ms on Linux and Windows). The model: the %s acknowledged that FIN in "
                              "CLOSE-WAIT, the ACK was lost before the capture point, and this is its first "
                              "FIN. The other story: its first FIN, sent before the %s's arrived, was lost "
                              "before the capture point with its ACK of the %s's FIN, and this repeats it "
                              "(a simultaneous close); the %s was then CLOSING, not CLOSE-WAIT, and ends in "
                              "TIME-WAIT, not CLOSED",
                         "抓包无法说明%s是在%s的 FIN 到达之前还是之后发出自己的 FIN：抓包中没有看到%s的 FIN "
                         "得到%s的 ACK，而这个 FIN 出现在%s重发其 FIN 之后，或晚于 ACK 被延迟的时间（Linux 和 "
                         "Windows 为 200 毫秒）。按模型：%s在 CLOSE-WAIT 中确认了那个 FIN，该 ACK 在抓包点之前"
                         "丢失，这是它的第一个 FIN。另一种可能：它的第一个 FIN 在%s的 FIN 到达之前发出，并与它对"
                         "%s的 FIN 的 ACK 一起在抓包点之前丢失，这个 FIN 是它的重发（同时关闭）；那样%s此前是 "
                         "CLOSING 而非 CLOSE-WAIT，最终进入 TIME-WAIT 而非 CLOSED"),
                who, peer, peer, who, peer, who, peer, peer, who);
}

void ts_text_put_unshown(ts_text *t, const ts_result *r, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(p, lang);

    if (r->events & TS_EV_FIN_MAY_REPEAT) {
        /* It may also answer a repeat the peer's FIN left in doubt: that
         * test's words first. */
        if (r->events & (TS_EV_SHOWN_BY_ECHO | TS_EV_NEW_BY_ECHO | TS_EV_ECHO_TEST)) {
            ts_result echo = *r;
            echo.events &= ~(TS_EV_CANNOT_SHOW | TS_EV_FIN_MAY_REPEAT);
            ts_text_put_unshown(t, &echo, lang);
            ts_text_put(t, "%s", TS_L(lang, "; ", "；"));
        }
        put_fin_may_repeat(t, r, lang);
        return;
    }
    if (r->events & TS_EV_SHOWN_BY_ECHO) {
        /* Sent after the repeat reached it (a duplicate to it) or before
         * (this ack covering the FIN then shows the first copy): either
         * way, the first FIN had reached it. */
        ts_text_put(t, TS_L(lang, "it acknowledges the %s's FIN with a timestamp echo (TSecr) older than the "
                                  "timestamp (TSval) of the %s's repeated FIN: had only the repeat brought "
                                  "the FIN, it would echo the repeat's timestamp or a later one (RFC 7323 "
                                  "section 4.3), so the %s's earlier FIN had reached it, as the states shown say",
                             "它确认了%s的 FIN，而它回显的时间戳（TSecr）早于%s重发的 FIN 的时间戳（TSval）："
                             "若 FIN 只由那次重发带到，它会回显那次重发的或更晚的时间戳（RFC 7323 第 4.3 节），"
                             "所以%s之前的 FIN 已经到达它，与所示状态一致"),
                    peer, peer, peer);
        return;
    }
    if (r->events & TS_EV_NEW_BY_ECHO) {
        /* From TIME-WAIT (the model's story), which keeps an older echo
         * on a duplicate: core/tracker.c, echo_doubt_open. */
        ts_text_put(t, TS_L(lang, "its timestamp echo (TSecr) is the timestamp (TSval) of the %s's repeated "
                                  "FIN. Had the %s's earlier FIN reached it, it would have been in TIME-WAIT, "
                                  "where the repeat is a duplicate outside its window (RFC 9293 section "
                                  "3.10.7.4), whose timestamp it does not take (RFC 7323 section 5.3): it "
                                  "would echo an older one. So the repeat was new to it: the %s's earlier FIN "
                                  "was lost after the capture point, the %s was %s, not %s, until the repeat "
                                  "reached it, and entered TIME-WAIT then",
                             "它回显的时间戳（TSecr）正是%s重发的 FIN 的时间戳（TSval）。若%s在重发之前发出的 FIN 已经到达它，"
                             "它那时处于 TIME-WAIT，那次重发对它来说是窗口之外的重复报文段（RFC 9293 第 3.10.7.4 节），"
                             "它不会采用其时间戳（RFC 7323 第 5.3 节），而会回显更早的时间戳。所以那次重发对它来说是"
                             "新的：%s在重发之前发出的 FIN 在抓包点之后丢失，%s在重发到达之前是 %s 而非 %s，在那时才进入 "
                             "TIME-WAIT"),
                    peer, peer, peer, who, ts_state_name(ts_unshown_alternative(TS_TIME_WAIT)),
                    ts_state_name(TS_TIME_WAIT));
        return;
    }
    if ((r->events & (TS_EV_CANNOT_SHOW | TS_EV_ECHO_TEST)) == TS_EV_ECHO_TEST) {
        /* The receiver was not in TIME-WAIT at the repeat (core/tracker.c,
         * echo_doubt_open). */
        ts_text_put(t, TS_L(lang, "its timestamp echo (TSecr) is not older than the timestamp (TSval) of the "
                                  "%s's repeated FIN. That settles nothing here: had the earlier FIN reached it, "
                                  "the repeat was a duplicate, whose timestamp RFC 7323 (section 5.3) does not "
                                  "take, but Linux does in CLOSE-WAIT or CLOSING (it counts a segment ending at "
                                  "the number it expects as inside its window); so the capture cannot show "
                                  "whether the %s's earlier FIN had reached it; the model keeps it delivered",
                             "它回显的时间戳（TSecr）不早于%s重发的 FIN 的时间戳（TSval）。这在这里说明不了什么："
                             "若之前的 FIN 已经到达它，那次重发就是重复报文段，RFC 7323（第 5.3 节）不会采用它的"
                             "时间戳，但 Linux 在 CLOSE-WAIT 或 CLOSING 中会采用（它把结束于期望序号的报文段算作窗口"
                             "之内）；所以抓包无法说明%s之前的 FIN 是否已到达它；模型认为已送达"),
                    peer, peer);
        return;
    }
    if (!(r->events & TS_EV_CANNOT_SHOW))
        return;
    if (r->events & TS_EV_ECHO_TEST)
        ts_text_put(t, "%s", TS_L(lang, "so far, ", "到这次重发为止，"));
    ts_text_put(t, TS_L(lang, "the capture cannot show whether the %s's earlier FIN reached the %s: no "
                              "acknowledgment of it by the %s was captured, and this repeat shows only "
                              "that the FIN or that acknowledgment was lost; the model keeps the FIN "
                              "delivered (the %s %s); if it was lost after the capture point, the %s was "
                              "%s until this repeat reached it",
                         "抓包无法说明%s之前的 FIN 是否到达了%s：抓包中没有%s对它的确认，这次重发只说明"
                         "那个 FIN 或那个确认丢失了；模型认为 FIN 已送达（%s为 %s）；若它在抓包点之后丢失，"
                         "%s在这次重发到达之前一直是 %s"),
                who, peer, peer, peer, ts_state_name(r->prev[p]), peer,
                ts_state_name(ts_unshown_alternative(r->prev[p])));
    if (r->events & TS_EV_ECHO_TEST)
        ts_text_put(t, TS_L(lang, "; the %s's next segment acknowledging this FIN can show it: if its "
                                  "timestamp echo is older than this repeat's, the earlier FIN had reached it",
                             "；%s下一个确认这个 FIN 的报文段可以说明：若它回显的时间戳早于这次重发的时间戳，"
                             "之前的 FIN 已经到达它"),
                    peer);
}
