/*
 * The summary sentence in Simplified Chinese, with the terms of Chinese
 * networking courses: 三次握手 (the three-way handshake), 四次挥手 (the
 * four-way close, "waving"), 半关闭 (half-close), 重传 (retransmission),
 * 同时打开 / 同时关闭 (simultaneous open / close), 复位 (reset). State names
 * stay RFC 9293's (ESTABLISHED, TIME-WAIT, ...), as in those courses.
 * Example: "挥手 2/3：服务器的 FIN+ACK 确认了客户端的 FIN，并关闭自己这一侧；
 * 服务器 CLOSE-WAIT → LAST-ACK，客户端 FIN-WAIT-1 → TIME-WAIT".
 */
#include "describe_text.h"

static const char *side_zh(unsigned side)
{
    return ts_side_in(side, TS_LANG_ZH_CN);
}

static void put_head(ts_text *t, const ts_result *r)
{
    /* The words of the lesson students learn from: 第一次握手 .. 第三次握手,
     * 第一次挥手 .. 第四次挥手. */
    static const char *const nth[] = { "", "一", "二", "三", "四" };
    unsigned step = r->step <= 4 ? r->step : 0;

    if (step && ts_role_is_handshake(r->role))
        ts_text_put(t, "第%s次握手", nth[step]); /* a handshake has three: no total needed */
    else if (step && r->step_total)
        ts_text_put(t, "第%s次挥手（%s %u/%u）", nth[step], r->step_total == 3 ? "三次挥手" : "四次挥手",
                    step, r->step_total);
    else if (step)
        ts_text_put(t, "第%s次挥手（尚不知是三次还是四次挥手）", nth[step]);
    else if (r->role == TS_ROLE_RST)
        ts_text_put(t, r->rst_ignored ? "被忽略的复位" : "复位");
    else if (r->events & TS_EV_RETRANSMISSION)
        ts_text_put(t, "%s 重传（第 %u 次发送）",
                    r->role == TS_ROLE_SYN       ? "SYN"
                    : r->role == TS_ROLE_SYN_ACK ? "SYN+ACK"
                                                 : "FIN",
                    r->attempt);
    else if (ts_role_is_handshake(r->role))
        ts_text_put(t, "握手");
    else if (ts_role_is_teardown(r->role) || r->phase == TS_PHASE_TEARDOWN)
        ts_text_put(t, "挥手");
    else if (r->phase == TS_PHASE_CLOSED)
        ts_text_put(t, "关闭之后");
    else if (r->events & TS_EV_KEEPALIVE)
        ts_text_put(t, "保活探测");
    else
        ts_text_put(t, r->role == TS_ROLE_DATA ? "数据" : (r->flags & TS_ACK) ? "确认" : "报文段");
}

static void put_rst(ts_text *t, const ts_result *r, const char *who)
{
    const char *peer = side_zh(1u - r->sender);

    /* docs/spec.md, "RST acceptance": an RST its receiver does not accept
     * changes nothing. */
    switch (r->rst_ignored) {
    case TS_RST_IGNORED_NO_ACK:
        ts_text_put(t, "%s发出的 RST 没有确认%s的 SYN，处于 SYN-SENT 的%s忽略它", who, peer, peer);
        return;
    case TS_RST_IGNORED_SEQ:
        ts_text_put(t, "%s发出的 RST 的序号不是%s期待的下一个序号，%s不接受它", who, peer, peer);
        return;
    case TS_RST_IGNORED_LISTEN:
        ts_text_put(t, "%s发出 RST，正在监听的%s忽略它", who, peer);
        return;
    default:
        break;
    }
    switch (r->rst_kind) {
    case TS_RST_REFUSED:
        ts_text_put(t, "服务器的这个端口上没有进程监听，它的 TCP 用 RST 回应客户端的 SYN，拒绝连接");
        break;
    case TS_RST_HANDSHAKE:
        ts_text_put(t, "%s在握手过程中复位连接", who);
        break;
    case TS_RST_ABORT:
        ts_text_put(t, "%s用 RST 中止已建立的连接", who);
        break;
    case TS_RST_TEARDOWN:
        ts_text_put(t, "%s在关闭过程中复位连接", who);
        break;
    case TS_RST_AFTER_CLOSE:
        ts_text_put(t, "%s在连接关闭之后发送 RST", who);
        break;
    default:
        ts_text_put(t, "%s复位一个未抓到建立过程的连接", who);
        break;
    }
}

static void put_action(ts_text *t, const ts_result *r)
{
    const char *who = side_zh(r->sender), *peer = side_zh(1u - r->sender);
    int again = (r->events & TS_EV_RETRANSMISSION) != 0;

    switch (r->role) {
    case TS_ROLE_RST:
        put_rst(t, r, who);
        break;
    case TS_ROLE_SYN:
        if (again)
            ts_text_put(t, "%s重发它的 SYN", who);
        else if (r->events & TS_EV_SIMULTANEOUS_OPEN)
            ts_text_put(t, "%s在%s的 SYN 到达之前也发出了自己的 SYN（同时打开）", who, peer);
        else if (r->events & TS_EV_NEW_CONNECTION)
            ts_text_put(t, "%s在相同的地址和端口上发起新的连接（SYN）", who);
        else if (r->events & TS_EV_REORDERED)
            ts_text_put(t, "%s建立连接的 SYN，在回应它的 SYN+ACK 之后才被抓到", who);
        else
            ts_text_put(t, "%s请求建立连接（SYN）", who);
        if ((r->events & TS_EV_LOST_SYN_ACK) && !(r->corrected & (1u << (r->sender & 1u))))
            ts_text_put(t, "，因为%s的 SYN+ACK 没有到达它", peer);
        break;
    case TS_ROLE_SYN_ACK:
        if (again)
            ts_text_put(t, "%s重发它的 SYN+ACK", who);
        else
            ts_text_put(t, "%s接受连接并确认%s的 SYN（SYN+ACK）", who, peer);
        if ((r->events & TS_EV_LOST_HANDSHAKE_ACK) && !(r->corrected & (1u << (r->sender & 1u))))
            ts_text_put(t, "，因为确认它的 ACK 没有到达%s", who);
        break;
    case TS_ROLE_HANDSHAKE_ACK:
        ts_text_put(t, "%s确认%s的 SYN", who, peer);
        if (r->len)
            ts_text_put(t, "，并发送 %u 字节数据", r->len);
        ts_text_put(t, "，连接建立");
        break;
    case TS_ROLE_FIN_ACK_OF_FIN:
        if (again)
            ts_text_put(t, "%s重发它的 FIN+ACK", who);
        else
            ts_text_put(t, "%s的 FIN+ACK 确认了%s的 FIN，并关闭自己这一侧", who, peer);
        break;
    case TS_ROLE_FIN:
        if (again)
            ts_text_put(t, "%s重发它的 FIN", who);
        else if (r->events & TS_EV_SIMULTANEOUS_CLOSE)
            ts_text_put(t, "%s在%s的 FIN 到达前关闭了这一侧（同时关闭）", who, peer);
        else if (r->len)
            ts_text_put(t, "%s发送最后的 %u 字节数据，并%s关闭自己这一侧（FIN）", who, r->len,
                        r->step >= 3 ? "也" : "");
        else if (r->step >= 3)
            ts_text_put(t, "%s也关闭自己这一侧（FIN）", who);
        else
            ts_text_put(t, "%s关闭自己这一侧的连接（FIN）", who);
        break;
    case TS_ROLE_ACK_OF_FIN:
        ts_text_put(t, "%s确认%s的 FIN", who, peer);
        if (r->len)
            ts_text_put(t, "并发送 %u 字节数据", r->len);
        break;
    case TS_ROLE_FINAL_ACK:
        ts_text_put(t, "%s确认%s的 FIN（最后一个 ACK）", who, peer);
        break;
    case TS_ROLE_DATA:
        ts_text_put(t, "%s发送 %u 字节数据", who, r->len);
        break;
    default:
        if (r->prev[1u - r->sender] == TS_LAST_ACK && r->state[1u - r->sender] == TS_CLOSED)
            ts_text_put(t, "%s确认%s重发的 FIN", who, peer);
        else if (r->phase == TS_PHASE_CLOSED)
            ts_text_put(t, "%s在连接关闭之后发送报文段", who);
        else if (r->events & TS_EV_KEEPALIVE)
            ts_text_put(t, "%s检查%s是否还在（保活探测：序号比下一个序号小 1%s）", who, peer,
                        r->len ? "，带 1 个旧字节" : "");
        else if (!(r->flags & TS_ACK))
            ts_text_put(t, "%s发送一个不带 ACK 标志的报文段", who);
        else
            ts_text_put(t, "%s发送不带数据的 ACK", who);
        break;
    }

    if (r->role == TS_ROLE_DATA && (r->events & TS_EV_HALF_CLOSE))
        ts_text_put(t, "，此时%s已发出 FIN（半关闭）", peer);
    if (r->corrected & (1u << (r->sender & 1u)))
        return; /* a correction of the sender says its evidence after its change */
    if (r->events & TS_EV_LOST_FINAL_ACK)
        ts_text_put(t, "，因为%s的最后一个 ACK 没有到达它", peer);
    else if ((r->events & TS_EV_LOST_ACK_OF_FIN) && ts_role_is_teardown(r->role))
        ts_text_put(t, "，因为%s对它的 ACK 没有到达", peer);
}

void ts_describe_zh_cn(ts_text *t, const ts_result *r)
{
    put_head(t, r);
    ts_text_put(t, "：");
    put_action(t, r);
    ts_text_put_changes(t, r, TS_LANG_ZH_CN, "；", "，", "；状态不变");
}
