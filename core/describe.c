/*
 * The summary sentence of a segment (tcpstate.summary, the first line of the
 * plugin's tree), in the language of the plugin's preference. It is built
 * from the stored ts_result alone, so any later dissection of the frame
 * renders the same sentence as the first pass.
 */
#include "describe_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append n bytes as snprintf would: what fits (cut before a UTF-8
 * character, not inside it), always NUL-terminated, and the length it needed
 * counted in full. */
static void put_bytes(ts_text *t, const char *s, size_t n)
{
    if (t->len < t->size) {
        size_t room = t->size - t->len - 1;
        size_t c = n < room ? n : room;
        while (c < n && c > 0 && ((unsigned char)s[c] & 0xC0) == 0x80)
            c--; /* never split a UTF-8 character */
        memcpy(t->buf + t->len, s, c);
        t->buf[t->len + c] = '\0';
    }
    t->len += n;
}

/* Only %s and %u (nearly every text) are formatted here; anything else goes
 * to vsnprintf. The texts are built for every segment a tree shows, and
 * glibc's printf machinery cost more than the rest of the sentence. */
static int simple_format(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%'))
        if (p[1] != 's' && p[1] != 'u' && p[1] != '%')
            return 0;
    return 1;
}

static void put_simple(ts_text *t, const char *fmt, va_list ap)
{
    const char *p = fmt, *pct;

    while ((pct = strchr(p, '%')) != NULL) {
        put_bytes(t, p, (size_t)(pct - p));
        if (pct[1] == 's') {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)"; /* as glibc prints it */
            put_bytes(t, str, strlen(str));
        } else if (pct[1] == 'u') {
            char digits[10];
            unsigned v = va_arg(ap, unsigned);
            size_t n = 0;
            do {
                digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            put_bytes(t, digits + sizeof digits - n, n);
        } else {
            put_bytes(t, "%", 1);
        }
        p = pct + 2;
    }
    put_bytes(t, p, strlen(p));
}

void ts_text_put(ts_text *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (simple_format(fmt)) {
        put_simple(t, fmt, ap);
    } else {
        /* A number format (%.3f, %03x): formatted whole, then appended like
         * any text, so that a cut never splits a UTF-8 character. */
        char tmp[TS_TEXT_MAX];
        int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
        if (n > 0) {
            size_t have = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
            put_bytes(t, tmp, have);
            t->len += (size_t)n - have;
        }
    }
    va_end(ap);
}

const char *ts_side_in(unsigned side, ts_language lang)
{
    if (lang == TS_LANG_ZH_CN)
        return side == TS_SERVER ? "服务器" : "客户端";
    return ts_side_name(side);
}

const char *ts_plural(uint32_t n, ts_language lang)
{
    return lang == TS_LANG_ZH_CN || n == 1 ? "" : "s";
}

void ts_text_put_step(ts_text *t, const ts_result *r, ts_language lang)
{
    static const char *const nth[] = { "", "一", "二", "三", "四" };
    int handshake = ts_role_is_handshake(r->role);

    if (lang == TS_LANG_ZH_CN) {
        if (r->step < sizeof nth / sizeof nth[0])
            ts_text_put(t, "第%s次%s", nth[r->step], handshake ? "握手" : "挥手");
        else
            ts_text_put(t, "第 %u 次%s", r->step, handshake ? "握手" : "挥手");
    } else if (handshake) {
        ts_text_put(t, "Handshake %u/3", r->step);
    } else if (r->step_total) {
        ts_text_put(t, "Teardown %u/%u", r->step, r->step_total);
    } else {
        ts_text_put(t, "Teardown %u", r->step);
    }
}

/*
 * The proof behind a correction (docs/spec.md, "When a later segment proves
 * the wire model wrong"), as the corrected side's own evidence. Every
 * correction the tracker makes sets one of these events, and is of the
 * segment's sender - but for TS_EV_FIN_WAS_DATA, which corrects the receiver
 * too.
 */
void ts_text_put_evidence(ts_text *t, const ts_result *r, unsigned side, ts_language lang)
{
    const char *peer = ts_side_in(1u - side, lang);
    ts_events ev = r->events;

    if (!(r->corrected & (1u << side)))
        return;
    if ((ev & TS_EV_FIN_WAS_DATA) && side != (r->sender & 1u))
        /* tracker.c, unseen_fin_was_data(): the receiver's ack had covered
         * that number. */
        ts_text_put(t, TS_L(lang, "what it acknowledged on the %s's unseen number was a byte of data, not a FIN",
                             "它对%s那个未见序号的确认，确认的是一个数据字节，而不是 FIN"),
                    peer);
    else if (ev & TS_EV_FIN_WAS_DATA)
        ts_text_put(t, TS_L(lang, "it sends data on the number taken for its unseen FIN: a byte of data the "
                                  "capture missed, not a FIN",
                             "它在被当作未见 FIN 的序号上发送数据：那是抓包漏掉的一个数据字节，不是 FIN"));
    else if (ev & TS_EV_SIMULTANEOUS_OPEN)
        ts_text_put(t, TS_L(lang, "it sends a SYN of its own, so it never just listened: the SYNs crossed",
                             "它自己也发出了 SYN，说明它并非只在监听：双方的 SYN 在途中交错"));
    else if ((ev & TS_EV_FIN_UNSEEN) && (ev & TS_EV_SIMULTANEOUS_CLOSE))
        /* tracker.c, unseen_fin(): the answer to the peer's FIN already
         * counts its own FIN. */
        ts_text_put(t, TS_L(lang, "its answer to the %s's FIN is numbered one beyond the data it sent, so it "
                                  "had sent a FIN that the capture did not see before that FIN reached it: the "
                                  "two FINs crossed (or that number was a byte of data: its repeat would "
                                  "show it)",
                             "它对%s的 FIN 的应答序号比它发送过的数据多 1，说明在那个 FIN 到达之前它已发出一个"
                             "抓包没有看到的 FIN：双方的 FIN 在途中交错（或那个序号是一个数据字节，重传会表明）"),
                    peer);
    else if (ev & TS_EV_SIMULTANEOUS_CLOSE)
        ts_text_put(t, TS_L(lang, "its FIN does not acknowledge the %s's FIN: the two FINs crossed",
                             "它的 FIN 没有确认%s的 FIN：双方的 FIN 在途中交错"),
                    peer);
    else if (ev & TS_EV_LOST_SYN_ACK)
        ts_text_put(t, TS_L(lang, "it repeats its SYN, so the %s's SYN+ACK never reached it",
                             "它重发了 SYN，说明%s的 SYN+ACK 没有到达它"),
                    peer);
    else if ((ev & TS_EV_LOST_HANDSHAKE_ACK) && r->role != TS_ROLE_SYN_ACK)
        /* tracker.c, handshake_ack_lost(): its ack, not a repeat, tells. */
        ts_text_put(t, TS_L(lang, "its ack covers only the %s's SYN, not the data on the %s's handshake ACK, "
                                  "so that ACK never reached it",
                             "它的确认号只覆盖了%s的 SYN，没有覆盖%s第三次握手 ACK 所带的数据，说明那个 ACK 没有到达它"),
                    peer, peer);
    else if (ev & TS_EV_LOST_HANDSHAKE_ACK)
        ts_text_put(t, TS_L(lang, "it repeats its SYN+ACK, so the %s's ACK of it never reached it",
                             "它重发了 SYN+ACK，说明%s对它的 ACK 没有到达"),
                    peer);
    else if ((ev & TS_EV_LOST_RST) && r->role == TS_ROLE_SYN)
        /* The RST acknowledged the SYN, so SYN-SENT accepted it if it came
         * (RFC 9293 section 3.10.7.3); a TCP may also open again after a
         * refusal, with the same ISN: Windows' connect() does, twice, about
         * 0.5 s apart. Both send this SYN; the wire cannot tell them apart. */
        ts_text_put(t, TS_L(lang, "it sends its SYN again: either the %s's RST was lost, or its TCP tries "
                                  "again after a refusal (Windows: twice, 0.5 s apart); the capture cannot "
                                  "show which",
                             "它再次发送 SYN：或是%s的 RST 丢失，或是它的 TCP 被拒后重试（Windows 隔 0.5 秒"
                             "重试两次）；抓包无法区分"),
                    peer);
    else if (ev & TS_EV_LOST_RST)
        ts_text_put(t, TS_L(lang, "it sends again, so the %s's RST never reached it or was not accepted",
                             "它还在发送，说明%s的 RST 没有到达它或没有被它接受"),
                    peer);
    else if ((ev & TS_EV_ABORT_UNSEEN) && r->prev[side] == TS_TIME_WAIT)
        /* tracker.c, abort_unseen(): TIME-WAIT acknowledges a repeated FIN
         * (RFC 9293 section 3.10.7.4); nothing says how the connection
         * ended before (an abort or a dropped FIN-WAIT-2). */
        ts_text_put(t, TS_L(lang, "its RST without ACK, numbered with the ack of the %s's FIN, is a closed "
                                  "port's answer; TIME-WAIT would acknowledge the FIN: it had no connection then",
                             "它不带 ACK 的 RST 以%s的 FIN 的确认号为序号，是已关闭端口的应答，TIME-WAIT 会确认该 "
                             "FIN：那时它已没有连接"),
                    peer);
    else if (ev & TS_EV_ABORT_UNSEEN)
        ts_text_put(t, TS_L(lang, "its RST without ACK, numbered with the ack of the %s's FIN, is a closed "
                                  "port's answer: it had aborted before that FIN came (its own RST unseen)",
                             "它不带 ACK 的 RST 以%s的 FIN 的确认号为序号，是已关闭端口的应答：它在该 FIN "
                             "到达前已中止（其 RST 未抓到）"),
                    peer);
    else if (ev & TS_EV_SYN_UNSEEN)
        ts_text_put(t, TS_L(lang, "a SYN+ACK answers a SYN, so the %s's SYN had reached it",
                             "SYN+ACK 是对 SYN 的回应，说明%s的 SYN 已经到达它"),
                    peer);
    else if (ev & TS_EV_SYNCHRONIZED)
        ts_text_put(t, TS_L(lang, "only an open connection sends this: its handshake had completed "
                                  "out of the capture's sight",
                             "只有已建立的连接才会发送这样的报文段：它的握手已在抓包看不到的地方完成"));
    else if (ev & TS_EV_FIN_UNSEEN)
        ts_text_put(t, TS_L(lang, "its sequence number is one beyond the data it sent, so it had sent a FIN "
                                  "that the capture did not see (or a byte of data: its repeat would show it)",
                             "它的序号比它发送过的数据多 1，说明它发过一个抓包没有看到的 FIN（或一个数据字节，"
                             "重传会表明）"));
    else if (ev & TS_EV_LOST_FIN)
        ts_text_put(t, TS_L(lang, "its ack does not cover the %s's FIN, so that FIN was lost after the "
                                  "capture point",
                             "它的确认号没有覆盖%s的 FIN，说明那个 FIN 在抓包点之后丢失了"),
                    peer);
    else if (ev & TS_EV_GOT_UNSEEN_FIN)
        /* A FIN the model had taken as lost (a repeat reached it), or one
         * it inferred and delivered to nobody (tracker.c, unseen_fin()). */
        ts_text_put(t, TS_L(lang, "its ack covers the %s's FIN, so that FIN or a repeat of it reached it",
                             "它的确认号覆盖了%s的 FIN，说明那个 FIN 或它的重发到达了它"),
                    peer);
    else if (ev & TS_EV_LOST_FINAL_ACK)
        ts_text_put(t, TS_L(lang, "it repeats its FIN, so the %s's final ACK never reached it",
                             "它重发了 FIN，说明%s的最后一个 ACK 没有到达它"),
                    peer);
    else if (ev & TS_EV_LOST_ACK_OF_FIN)
        ts_text_put(t, TS_L(lang, "it repeats its FIN, so the %s's ACK of that FIN never reached it",
                             "它重发了 FIN，说明%s对这个 FIN 的 ACK 没有到达它"),
                    peer);
    if ((ev & TS_EV_LOST_FIN) && (ev & (TS_EV_LOST_ACK_OF_FIN | TS_EV_LOST_RST)))
        ts_text_put(t, TS_L(lang, ", and its ack does not cover the %s's FIN, which was lost too",
                             "；它的确认号也没有覆盖%s的 FIN，那个 FIN 也丢失了"),
                    peer);
}

void ts_text_put_changes(ts_text *t, const ts_result *r, ts_language lang, const char *first,
                         const char *sep, const char *none)
{
    unsigned order[2] = { r->sender & 1u, 1u - (r->sender & 1u) };
    int any = 0;

    for (int i = 0; i < 2; i++) {
        unsigned side = order[i];
        if (r->prev[side] == r->state[side])
            continue;
        ts_text_put(t, "%s%s %s \xe2\x86\x92 %s", any ? sep : first, ts_side_in(side, lang),
                    ts_state_name(r->prev[side]), ts_state_name(r->state[side]));
        if (r->corrected & (1u << side)) {
            ts_text_put(t, "%s", TS_L(lang, " (corrected: ", "（更正："));
            /* Crossing SYNs or FINs are already named by the action: the
             * evidence in a few words keeps the line within a tree label
             * (the expert note has it in full). */
            if (r->events & TS_EV_SIMULTANEOUS_OPEN)
                ts_text_put(t, "%s", TS_L(lang, "the SYNs crossed", "双方的 SYN 交错"));
            else if (r->events & TS_EV_SIMULTANEOUS_CLOSE)
                ts_text_put(t, "%s", TS_L(lang, "the FINs crossed", "双方的 FIN 交错"));
            else if ((r->events & TS_EV_SYNCHRONIZED) &&
                     !(r->events & (TS_EV_LOST_SYN_ACK | TS_EV_LOST_HANDSHAKE_ACK | TS_EV_LOST_RST |
                                    TS_EV_SYN_UNSEEN)))
                ts_text_put(t, "%s", TS_L(lang, "its handshake completed unseen", "握手已在抓包之外完成"));
            else
                ts_text_put_evidence(t, r, side, lang);
            ts_text_put(t, "%s", TS_L(lang, ")", "）"));
        }
        any = 1;
    }
    if (!any)
        ts_text_put(t, "%s", none);
}

size_t ts_describe_in(const ts_result *r, ts_language lang, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    ts_describe_sentence(&t, r, lang);
    return t.len;
}

size_t ts_describe(const ts_result *r, char *buf, size_t size)
{
    return ts_describe_in(r, TS_LANG_EN, buf, size);
}
