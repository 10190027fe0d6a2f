#include "tw_end_text.h"

#include "describe_text.h"

size_t ts_tw_end_reason(const ts_tw_end *end, ts_language lang, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    /* It ended when the SYN reached it (or left it): that frame is named;
     * without a captured SYN, the segment that shows it. */
    if (end->syn_frame)
        ts_text_put(&t, TS_L(lang, "TIME-WAIT ended by stream %u's SYN, frame %u",
                             "TIME-WAIT 被第 %u 条流的 SYN 提前结束，第 %u 帧"),
                    end->new_stream, end->syn_frame);
    else
        ts_text_put(&t, TS_L(lang, "TIME-WAIT ended by stream %u's connection, SYN+ACK frame %u",
                             "TIME-WAIT 被第 %u 条流的连接提前结束，SYN+ACK 在第 %u 帧"),
                    end->new_stream, end->frame);
    return t.len;
}

size_t ts_tw_end_why(const ts_tw_end *end, ts_language lang, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };
    const char *side = ts_side_in(end->side, lang);

    /* Short enough for an expert info's label (240 bytes in Wireshark 4.0)
     * in both languages: the plugin shows it as a note too. */
    if (size)
        buf[0] = '\0';
    if (end->own_syn)
        /* One connection per address and port pair: its own new SYN shows
         * the old TIME-WAIT gone (core/refs.h). */
        ts_text_put(&t, TS_L(lang, "stream %u's %s, still in TIME-WAIT on these addresses and ports, "
                                   "sends this SYN itself: one connection per pair of addresses and "
                                   "ports, so its TIME-WAIT ends early; it is CLOSED in stream %u",
                             "第 %u 条流的%s在这对地址和端口上仍处于 TIME-WAIT，却自己发出 SYN："
                             "一对地址和端口只能有一条连接，其 TIME-WAIT 提前结束，第 %u 条流中为 CLOSED"),
                    end->stream, side, end->stream);
    else if (end->syn_frame)
        ts_text_put(&t, TS_L(lang, "stream %u's %s, still in TIME-WAIT on these addresses and ports, "
                                   "accepts the new SYN (frame %u): its TIME-WAIT ends early; it is "
                                   "CLOSED in stream %u (RFC 1122 section 4.2.2.13)",
                             "第 %u 条流的%s在这对地址和端口上仍处于 TIME-WAIT，却接受了新 SYN"
                             "（第 %u 帧）：其 TIME-WAIT 提前结束，第 %u 条流中为 CLOSED（RFC 1122 4.2.2.13）"),
                    end->stream, side, end->syn_frame, end->stream);
    else
        ts_text_put(&t, TS_L(lang, "stream %u's %s, still in TIME-WAIT on these addresses and ports, "
                                   "accepts a new SYN (not captured): its TIME-WAIT ends early; it is "
                                   "CLOSED in stream %u (RFC 1122 section 4.2.2.13)",
                             "第 %u 条流的%s在这对地址和端口上仍处于 TIME-WAIT，却接受了新 SYN"
                             "（未抓到）：其 TIME-WAIT 提前结束，第 %u 条流中为 CLOSED（RFC 1122 4.2.2.13）"),
                    end->stream, side, end->stream);
    return t.len;
}
