/*
 * The summary sentence, "<milestone>: <what the segment does>; <what it
 * changes>", in both languages from one control flow: each rule is written
 * once, with the English and the Simplified Chinese phrase beside each other
 * (TS_L; both formats of a pair take the same arguments in the same order).
 * Also the wording the expert notes (notes.c) share with it: the RST kinds,
 * an ignored RST and a retransmission, each written here only.
 *
 * Example: "Teardown 2/3: the server's FIN+ACK acknowledges the client's FIN
 * and closes its side too; server CLOSE-WAIT → LAST-ACK, client FIN-WAIT-1 →
 * TIME-WAIT" / "第二次挥手（三次挥手 2/3）：服务器的 FIN+ACK 确认了客户端的
 * FIN，并关闭自己这一侧；服务器 CLOSE-WAIT → LAST-ACK，客户端 FIN-WAIT-1 →
 * TIME-WAIT". The Chinese uses the terms of Chinese networking courses:
 * 第一次握手 .. 第三次握手, 第一次挥手 .. 第四次挥手, 三次挥手 / 四次挥手,
 * 半关闭 (half-close), 重传 (retransmission), 同时打开 / 同时关闭, 复位
 * (reset); state names stay RFC 9293's, as in those courses.
 */
#include "describe_text.h"

void ts_text_put_retransmitted(ts_text *t, const ts_result *r, ts_language lang)
{
    ts_text_put(t, TS_L(lang, "%s retransmission, attempt %u", "%s 重传（第 %u 次发送）"),
                r->role == TS_ROLE_SYN ? "SYN" : r->role == TS_ROLE_SYN_ACK ? "SYN+ACK" : "FIN", r->attempt);
}

/* docs/spec.md, "RST acceptance": an RST its receiver does not accept changes
 * nothing. The summary says who ignores it (a clause); the note adds the
 * rule's source. Returns 0 when the RST was accepted. */
int ts_text_put_rst_ignored(ts_text *t, const ts_result *r, ts_language lang, int note)
{
    const char *who = ts_side_in(r->sender, lang), *peer = ts_side_in(1u - r->sender, lang);

    switch (r->rst_ignored) {
    case TS_RST_IGNORED_NO_ACK:
        if (note)
            ts_text_put(t, TS_L(lang, "RST ignored: the %s is in SYN-SENT and the RST does not acknowledge "
                                      "its SYN (RFC 9293 section 3.10.7.3)",
                                 "RST 被忽略：%s处于 SYN-SENT，而这个 RST 没有确认它的 SYN（RFC 9293 第 3.10.7.3 节）"),
                        peer);
        else
            ts_text_put(t, TS_L(lang, "the %s sends an RST that does not acknowledge the %s's SYN, so the %s, "
                                      "in SYN-SENT, ignores it",
                                 "%s发出的 RST 没有确认%s的 SYN，处于 SYN-SENT 的%s忽略它"),
                        who, peer, peer);
        return 1;
    case TS_RST_IGNORED_SEQ:
        if (note)
            ts_text_put(t, TS_L(lang, "RST not accepted: its sequence number is not the next one the %s "
                                      "expects (RFC 5961: a challenge ACK if it is inside the window, "
                                      "else ignored)",
                                 "RST 未被接受：它的序号不是%s期待的下一个序号（RFC 5961：在窗口内则回应"
                                 "挑战 ACK，否则忽略）"),
                        peer);
        else
            ts_text_put(t, TS_L(lang, "the %s sends an RST whose sequence number is not the next one the %s "
                                      "expects, so the %s does not accept it",
                                 "%s发出的 RST 的序号不是%s期待的下一个序号，%s不接受它"),
                        who, peer, peer);
        return 1;
    case TS_RST_IGNORED_LISTEN:
        if (note)
            ts_text_put(t, TS_L(lang, "RST ignored: the %s is listening (RFC 9293 section 3.10.7.2)",
                                 "RST 被忽略：%s正在监听（RFC 9293 第 3.10.7.2 节）"),
                        peer);
        else
            ts_text_put(t, TS_L(lang, "the %s sends an RST, which the listening %s ignores",
                                 "%s发出 RST，正在监听的%s忽略它"),
                        who, peer);
        return 1;
    default:
        return 0;
    }
}

/* What an accepted RST does, by the tracker's kind: as the summary's clause
 * ("the client aborts the open connection with RST") or as the note's phrase
 * after "RST from the client: ". */
void ts_text_put_rst_kind(ts_text *t, const ts_result *r, ts_language lang, int note)
{
    const char *who = ts_side_in(r->sender, lang), *peer = ts_side_in(1u - r->sender, lang);

    if (r->events & TS_EV_ABORT_UNSEEN) {
        /* tracker.c, abort_unseen(): RFC 9293 section 3.10.7.1's answer of a
         * TCP without the connection, not an abort of a connection it has. */
        if (note)
            ts_text_put(t, TS_L(lang, "a closed port's answer to the %s's FIN", "已关闭端口对%s的 FIN 的应答"),
                        peer);
        else
            ts_text_put(t, TS_L(lang, "the %s, which no longer has the connection, answers the %s's FIN with "
                                      "RST (no ACK)",
                                 "已没有这个连接的%s用 RST（不带 ACK）回应%s的 FIN"),
                        who, peer);
        return;
    }
    switch (r->rst_kind) {
    case TS_RST_REFUSED:
        /* RFC 9293 section 3.10.7.1: no socket listens, so the TCP answers. */
        ts_text_put(t, "%s", note ? TS_L(lang, "connection refused (RST answers the SYN)", "拒绝连接（用 RST 回应 SYN）")
                                  : TS_L(lang, "nothing listens on the server's port: its TCP refuses the "
                                               "connection, RST answers the client's SYN",
                                          "服务器的这个端口上没有进程监听，它的 TCP 用 RST 回应客户端的 SYN，拒绝连接"));
        break;
    case TS_RST_HANDSHAKE:
        if (!(r->flags & TS_ACK) && r->prev[r->sender & 1u] == TS_ESTABLISHED &&
            r->prev[1u - (r->sender & 1u)] == TS_SYN_RECEIVED) {
            /* An accepted RST without ACK from the side that has the
             * SYN+ACK, to the side held in SYN-RECEIVED: numbered with that
             * SYN+ACK's ack (nothing else is accepted there), it is what a
             * TCP without the connection answers (RFC 9293 section
             * 3.10.7.1); Linux, the BSDs and Windows abort a connection
             * they have with RST+ACK. The sender may never have held it
             * (explain.c's Why line says so): it ends the handshake, it
             * need not reset a connection of its own. */
            if (note)
                ts_text_put(t, "%s", TS_L(lang, "handshake ended by an RST without ACK, the answer of a TCP "
                                                "that has no connection",
                                           "不带 ACK 的 RST 结束了握手，这是没有连接的 TCP 的应答"));
            else
                ts_text_put(t, TS_L(lang, "the %s answers the %s's SYN+ACK with an RST without ACK, as a TCP "
                                          "that has no connection does (it may never have held it): the "
                                          "handshake ends",
                                     "%s用不带 ACK 的 RST 回应%s的 SYN+ACK，没有连接的 TCP 就是这样应答的"
                                     "（它可能从未持有这条连接）：握手结束"),
                            who, peer);
            break;
        }
        if (note)
            ts_text_put(t, "%s", TS_L(lang, "connection reset during the handshake", "握手过程中复位连接"));
        else
            ts_text_put(t, TS_L(lang, "the %s resets the connection during the handshake", "%s在握手过程中复位连接"),
                        who);
        break;
    case TS_RST_ABORT:
        if (note)
            ts_text_put(t, "%s", TS_L(lang, "open connection aborted", "中止已建立的连接"));
        else
            ts_text_put(t, TS_L(lang, "the %s aborts the open connection with RST", "%s用 RST 中止已建立的连接"),
                        who);
        break;
    case TS_RST_TEARDOWN:
        if (note)
            ts_text_put(t, "%s", TS_L(lang, "connection reset while closing", "关闭过程中复位连接"));
        else
            ts_text_put(t, TS_L(lang, "the %s resets the connection while it is closing", "%s在关闭过程中复位连接"),
                        who);
        break;
    case TS_RST_AFTER_CLOSE:
        if (note)
            ts_text_put(t, "%s", TS_L(lang, "RST after the connection closed", "连接关闭之后的 RST"));
        else
            ts_text_put(t, TS_L(lang, "the %s sends RST after the connection closed", "%s在连接关闭之后发送 RST"),
                        who);
        break;
    default:
        if (note)
            ts_text_put(t, "%s", TS_L(lang, "RST of a connection whose opening was not captured",
                                       "复位一个未抓到建立过程的连接"));
        else
            ts_text_put(t, TS_L(lang, "the %s resets a connection whose opening was not captured",
                                 "%s复位一个未抓到建立过程的连接"),
                        who);
        break;
    }
}

static void put_head(ts_text *t, const ts_result *r, ts_language lang)
{
    /* The words of the lesson students learn from: 第一次握手 .. 第三次握手,
     * 第一次挥手 .. 第四次挥手 (a handshake has three steps: no total). */
    unsigned step = lang == TS_LANG_ZH_CN && r->step > 4 ? 0 : r->step;

    if (step && ts_role_is_handshake(r->role)) {
        ts_text_put_step(t, r, lang);
    } else if (step && r->step_total) {
        ts_text_put_step(t, r, lang);
        if (lang == TS_LANG_ZH_CN)
            ts_text_put(t, "（%s %u/%u）", r->step_total == 3 ? "三次挥手" : "四次挥手", step,
                        r->step_total);
    } else if (step) {
        ts_text_put_step(t, r, lang);
        if (lang == TS_LANG_ZH_CN)
            ts_text_put(t, "%s", "（此时还不知道是三次还是四次）");
    } else if (r->role == TS_ROLE_RST)
        ts_text_put(t, "%s", r->rst_ignored ? TS_L(lang, "Reset ignored", "被忽略的复位") : TS_L(lang, "Reset", "复位"));
    else if (r->events & TS_EV_RETRANSMISSION)
        ts_text_put_retransmitted(t, r, lang);
    else if (ts_role_is_handshake(r->role))
        ts_text_put(t, "%s", TS_L(lang, "Handshake", "握手"));
    else if (ts_role_is_teardown(r->role) || r->phase == TS_PHASE_TEARDOWN)
        ts_text_put(t, "%s", TS_L(lang, "Teardown", "挥手"));
    else if (r->phase == TS_PHASE_CLOSED)
        ts_text_put(t, "%s", TS_L(lang, "After close", "关闭之后"));
    else if (r->events & TS_EV_KEEPALIVE)
        ts_text_put(t, "%s", TS_L(lang, "Keep-alive", "保活探测"));
    else if (r->role == TS_ROLE_DATA)
        ts_text_put(t, "%s", TS_L(lang, "Data", "数据"));
    else
        ts_text_put(t, "%s", (r->flags & TS_ACK) ? TS_L(lang, "ACK", "确认") : TS_L(lang, "Segment", "报文段"));
}

/* Data carried besides the segment's main act. */
static void put_also_sends(ts_text *t, uint32_t len, ts_language lang)
{
    if (len)
        ts_text_put(t, TS_L(lang, " and sends %u byte%s", "，并发送 %u 字节数据%s"), len, ts_plural(len, lang));
}

static void put_action(ts_text *t, const ts_result *r, ts_language lang)
{
    const char *who = ts_side_in(r->sender, lang), *peer = ts_side_in(1u - r->sender, lang);
    int again = (r->events & TS_EV_RETRANSMISSION) != 0;
    int sender_corrected = (r->corrected & (1u << (r->sender & 1u))) != 0;

    switch (r->role) {
    case TS_ROLE_RST:
        if (!ts_text_put_rst_ignored(t, r, lang, 0))
            ts_text_put_rst_kind(t, r, lang, 0);
        break;
    case TS_ROLE_SYN:
        if (again)
            ts_text_put(t, TS_L(lang, "the %s repeats its SYN", "%s重发它的 SYN"), who);
        else if (r->events & TS_EV_SIMULTANEOUS_OPEN)
            ts_text_put(t, TS_L(lang, "the %s sends its own SYN while the %s's is on its way (simultaneous open)",
                                 "%s在%s的 SYN 到达之前也发出了自己的 SYN（同时打开）"),
                        who, peer);
        else if (r->events & TS_EV_NEW_CONNECTION)
            ts_text_put(t, TS_L(lang, "the %s opens a new connection on the same addresses and ports (SYN)",
                                 "%s在相同的地址和端口上发起新的连接（SYN）"),
                        who);
        else if (r->events & TS_EV_REORDERED)
            ts_text_put(t, TS_L(lang, "the %s's SYN that opened the connection, captured after the SYN+ACK that "
                                      "answers it",
                                 "%s建立连接的 SYN，在回应它的 SYN+ACK 之后才被抓到"),
                        who);
        else
            ts_text_put(t, TS_L(lang, "the %s asks to open a connection (SYN)", "%s请求建立连接（SYN）"), who);
        put_also_sends(t, r->len, lang); /* data on a SYN (TCP Fast Open, RFC 7413) */
        if ((r->events & TS_EV_LOST_SYN_ACK) && !sender_corrected)
            ts_text_put(t, TS_L(lang, " because the %s's SYN+ACK never reached it", "，因为%s的 SYN+ACK 没有到达它"),
                        peer);
        break;
    case TS_ROLE_SYN_ACK:
        if (again)
            ts_text_put(t, TS_L(lang, "the %s repeats its SYN+ACK", "%s重发它的 SYN+ACK"), who);
        else
            ts_text_put(t, TS_L(lang, "the %s accepts and acknowledges the %s's SYN (SYN+ACK)",
                                 "%s接受连接并确认%s的 SYN（SYN+ACK）"),
                        who, peer);
        put_also_sends(t, r->len, lang);
        if ((r->events & TS_EV_LOST_HANDSHAKE_ACK) && !sender_corrected)
            ts_text_put(t, TS_L(lang, " because no ACK of it reached the %s", "，因为确认它的 ACK 没有到达%s"), who);
        break;
    case TS_ROLE_HANDSHAKE_ACK:
        ts_text_put(t, TS_L(lang, "the %s acknowledges the %s's SYN", "%s确认%s的 SYN"), who, peer);
        put_also_sends(t, r->len, lang);
        ts_text_put(t, "%s", TS_L(lang, "; the connection is open", "，连接建立"));
        break;
    case TS_ROLE_FIN_ACK_OF_FIN:
        if (again)
            ts_text_put(t, TS_L(lang, "the %s repeats its FIN+ACK", "%s重发它的 FIN+ACK"), who);
        else
            ts_text_put(t, TS_L(lang, "the %s's FIN+ACK acknowledges the %s's FIN and closes its side too",
                                 "%s的 FIN+ACK 确认了%s的 FIN，并关闭自己这一侧"),
                        who, peer);
        break;
    case TS_ROLE_FIN:
        if (again)
            ts_text_put(t, TS_L(lang, "the %s repeats its FIN", "%s重发它的 FIN"), who);
        else if (r->events & TS_EV_SIMULTANEOUS_CLOSE)
            ts_text_put(t, TS_L(lang, "the %s closes its side before the %s's FIN reached it (simultaneous close)",
                                 "%s在%s的 FIN 到达前关闭了自己这一侧（同时关闭）"),
                        who, peer);
        else {
            /* Data and FIN in one segment: both are said. */
            ts_text_put(t, TS_L(lang, "the %s", "%s"), who);
            if (r->len)
                ts_text_put(t, TS_L(lang, " sends %u byte%s and", "发送最后的 %u 字节数据%s，并"), r->len,
                            ts_plural(r->len, lang));
            if (r->step >= 3)
                ts_text_put(t, "%s", TS_L(lang, " closes its side too (FIN)", "也关闭自己这一侧（FIN）"));
            else
                ts_text_put(t, "%s", TS_L(lang, " closes its side of the connection (FIN)",
                                           r->len ? "关闭自己这一侧（FIN）" : "关闭自己这一侧的连接（FIN）"));
        }
        break;
    case TS_ROLE_ACK_OF_FIN:
        ts_text_put(t, TS_L(lang, "the %s acknowledges the %s's FIN", "%s确认%s的 FIN"), who, peer);
        put_also_sends(t, r->len, lang);
        break;
    case TS_ROLE_FINAL_ACK:
        if (ts_acks_crossed_fin(r) && r->state[r->sender & 1u] == TS_CLOSING)
            ts_text_put(t, TS_L(lang, "the %s acknowledges the %s's FIN, which crossed its own; its own FIN "
                                      "still awaits the %s's ACK (simultaneous close)",
                                 "%s确认%s的 FIN（与自己的 FIN 在途中交错）；它自己的 FIN 还在等%s的 ACK（同时关闭）"),
                        who, peer, peer);
        else if (ts_acks_crossed_fin(r))
            ts_text_put(t, TS_L(lang, "the %s acknowledges the %s's FIN, which crossed its own: both FINs are "
                                      "acknowledged now (simultaneous close)",
                                 "%s确认%s的 FIN（与自己的 FIN 在途中交错）：至此双方的 FIN 都已被确认（同时关闭）"),
                        who, peer);
        else
            ts_text_put(t, TS_L(lang, "the %s acknowledges the %s's FIN (the final ACK)",
                                 "%s确认%s的 FIN（最后一个 ACK）"),
                        who, peer);
        break;
    case TS_ROLE_DATA:
        ts_text_put(t, TS_L(lang, "the %s sends %u byte%s", "%s发送 %u 字节数据%s"), who, r->len,
                    ts_plural(r->len, lang));
        break;
    default:
        if (r->prev[1u - r->sender] == TS_LAST_ACK && r->state[1u - r->sender] == TS_CLOSED)
            ts_text_put(t, TS_L(lang, "the %s acknowledges the %s's repeated FIN", "%s确认%s重发的 FIN"), who, peer);
        else if (r->phase == TS_PHASE_CLOSED && (r->events & TS_EV_STALE))
            /* Captured after the close, sent before it (tracker.c, stale
             * segments): "sends after the close" would be false. */
            ts_text_put(t, TS_L(lang, "the %s's segment, sent before the %s's last segment reached it (they "
                                      "crossed in flight), arrives after the close",
                                 "%s的这个报文段是在%s的上一个报文段到达它之前发出的（二者在途中交错），"
                                 "到达时连接已关闭"),
                        who, peer);
        else if (r->phase == TS_PHASE_CLOSED)
            ts_text_put(t, TS_L(lang, "the %s sends a segment after the connection closed", "%s在连接关闭之后发送报文段"),
                        who);
        else if (r->events & TS_EV_KEEPALIVE)
            ts_text_put(t, TS_L(lang, "the %s checks that the %s is still there (a keep-alive probe: one below "
                                      "its next sequence number%s)",
                                 "%s检查%s是否还在（保活探测：序号比下一个序号小 1%s）"),
                        who, peer, r->len ? TS_L(lang, ", with 1 old byte", "，带 1 个旧字节") : "");
        else if (!(r->flags & TS_ACK))
            ts_text_put(t, TS_L(lang, "the %s sends a segment without the ACK flag", "%s发送一个不带 ACK 标志的报文段"),
                        who);
        else
            ts_text_put(t, TS_L(lang, "the %s sends an ACK without data", "%s发送不带数据的 ACK"), who);
        break;
    }

    /* Clauses for what the segment also reveals. */
    if (r->role == TS_ROLE_DATA && (r->events & TS_EV_HALF_CLOSE))
        ts_text_put(t, TS_L(lang, " after the %s's FIN (half-close)", "，此时%s已发出 FIN（半关闭）"), peer);
    /* A correction of the sender says its evidence after its change. */
    if (sender_corrected)
        return;
    if (r->events & TS_EV_LOST_FINAL_ACK)
        ts_text_put(t, TS_L(lang, " because the %s's final ACK never reached it", "，因为%s的最后一个 ACK 没有到达它"),
                    peer);
    else if ((r->events & TS_EV_LOST_ACK_OF_FIN) && ts_role_is_teardown(r->role))
        ts_text_put(t, TS_L(lang, " because the %s's ACK of it never reached it", "，因为%s对它的 ACK 没有到达"), peer);
}

void ts_describe_sentence(ts_text *t, const ts_result *r, ts_language lang)
{
    put_head(t, r, lang);
    ts_text_put(t, "%s", TS_L(lang, ": ", "："));
    put_action(t, r, lang);
    ts_text_put_changes(t, r, lang, TS_L(lang, "; ", "；"), TS_L(lang, ", ", "，"),
                        TS_L(lang, "; no state changes", "；状态不变"));
}
