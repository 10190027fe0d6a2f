/*
 * The "Why" lines under a segment's summary: the sequence number arithmetic
 * (RFC 9293 section 3.4: the SYN and the FIN each occupy one sequence number,
 * data advances it by its length; the ack number is the next number expected),
 * what the segment does on the wire (core/wire.c: a retransmission, a
 * keep-alive or zero-window probe and its answer, a duplicate ACK, a window
 * update), what the capture cannot show (docs/spec.md's model) and TIME-WAIT
 * (section 3.6: 2MSL, twice the Maximum Segment Lifetime). Each line exists in English and in Simplified
 * Chinese; both formats of a pair take the same arguments in the same order.
 */
#include "explain.h"

#include "describe_text.h"

static double seconds(int64_t ns)
{
    return (double)ns / 1e9;
}

/* Relative number of a raw one in `side`'s sequence space. */
static uint32_t rel(const ts_explain_input *in, unsigned side, uint32_t raw)
{
    return raw - in->base[side & 1u];
}

/* Sequence numbers of the sender used before this segment: one past its
 * highest (the wire's bookkeeping), else the segment's own seq. */
static uint32_t sent_max(const ts_explain_input *in)
{
    return in->wire_known && in->wire.sent_known ? in->wire.sent_max : in->seq_raw;
}

/* Bytes of data among the relative numbers 1 .. top-1 of the sender: the
 * SYN took 0, its FIN one more when it was sent before and lies below top.
 * The FIN is the last number its sender used (RFC 9293 section 3.4), so it
 * lies below top only when top reaches past everything sent: an RST that
 * reuses the FIN's number (seq = FIN's seq) comes after all the data but not
 * after the FIN. */
static int fin_below(const ts_explain_input *in, unsigned side, uint32_t top)
{
    return in->fin_sent_before && top >= 2 && !((int32_t)(top - rel(in, side, sent_max(in))) < 0);
}

static uint32_t data_below(const ts_explain_input *in, unsigned side, uint32_t top)
{
    return (top >= 1 ? top - 1 : 0) - (fin_below(in, side, top) ? 1u : 0u);
}

/* An RST to a client in SYN-SENT that does not acknowledge its SYN (docs/spec.md,
 * "RST acceptance"): dropped there (RFC 9293 section 3.10.7.3). */
static int is_rst_dropped_in_syn_sent(const ts_result *r)
{
    return r->role == TS_ROLE_RST && r->rst_ignored == TS_RST_IGNORED_NO_ACK;
}

static int is_refusal(const ts_result *r, const ts_explain_input *in)
{
    return r->role == TS_ROLE_RST && r->rst_kind == TS_RST_REFUSED && in->seq_raw == 0 &&
           (r->flags & TS_ACK) && !in->base_from_syn[r->sender & 1u];
}

/* The kind of the segment's numbers against what its sender sent before. */
static unsigned seq_kind(const ts_result *r, const ts_explain_input *in)
{
    if (!in->wire_known || (r->flags & (TS_SYN | TS_RST)))
        return TS_SEQ_NEW;
    return in->wire.seq_kind;
}

/* The segment starts below its sender's next number: it repeats numbers,
 * probes with an old one, or fills numbers a gap skipped. */
static int goes_back(const ts_result *r, const ts_explain_input *in)
{
    unsigned k = seq_kind(r, in);

    return k != TS_SEQ_NEW && k != TS_SEQ_GAP && (int32_t)(in->seq_raw - sent_max(in)) < 0;
}

/* One past the last number the segment occupies. */
static uint32_t seg_end(const ts_result *r, const ts_explain_input *in)
{
    return in->seq_raw + r->len + ((r->flags & TS_FIN) ? 1u : 0u);
}

/* A fast retransmission (RFC 5681 section 3.2) re-sends the numbers the
 * duplicate ACKs ask for, from their ack on: not a segment above it. */
static int fast_from_ack(const ts_explain_input *in)
{
    return !in->wire.peer_ack_known || !((int32_t)(in->wire.peer_ack - in->seq_raw) < 0);
}

static void why_seq_kind(ts_text *t, const ts_result *r, const ts_explain_input *in,
                         ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(p, lang);
    uint32_t top = rel(in, s, sent_max(in)), at = rel(in, s, in->seq_raw);

    switch (seq_kind(r, in)) {
    case TS_SEQ_RETRANSMITTED:
    case TS_SEQ_PARTLY_NEW:
        ts_text_put(t, TS_L(lang, "; %s: the %s had already sent up to number %u, and goes back to %u",
                             "；%s：%s此前已经发送到序号 %u，现在回到 %u 重新发送"),
                    seq_kind(r, in) == TS_SEQ_PARTLY_NEW
                        ? TS_L(lang, "partly a retransmission", "部分是重传")
                        : in->wire.fast && fast_from_ack(in) ? TS_L(lang, "a fast retransmission", "这是快速重传")
                                        : TS_L(lang, "a retransmission", "这是重传"),
                    who, top - 1, at);
        if (!in->wire.peer_ack_known) {
            ts_text_put(t, TS_L(lang, " (no ACK of them from the %s was captured)",
                                 "（没有抓到%s对它们的确认）"),
                        peer);
        } else if ((int32_t)(in->wire.peer_ack - in->seq_raw) > 0) {
            ts_text_put(t, TS_L(lang, " although the %s had acknowledged number %u (ack %u): that ACK "
                                      "had not reached it (still on its way, or lost after the capture point)",
                                 "，尽管%s已经确认了序号 %u（ack %u）：那个 ACK 没有到达它（还在路上，或在抓包点之后"
                                 "丢失）"),
                        peer, rel(in, s, in->wire.peer_ack) - 1, rel(in, s, in->wire.peer_ack));
        } else if (in->wire.peer_ack == in->seq_raw) {
            ts_text_put(t, TS_L(lang, " because the %s's ack stood at %u: numbers from %u on had "
                                      "not been acknowledged",
                                 "，因为%s的确认号停在 %u：从 %u 起的序号还没有被确认"),
                        peer, rel(in, s, in->wire.peer_ack), rel(in, s, in->wire.peer_ack));
            if (in->wire.fast)
                ts_text_put(t, "%s", TS_L(lang, ", and three duplicate ACKs asked for them",
                                           "，而且三个重复确认在请求它们"));
        } else if (!((int32_t)(seg_end(r, in) - sent_max(in)) < 0)) {
            /* Above the ack, its latest segment again: what the ack (and
             * duplicates of it) asks for starts lower (http2-data-reassembly.pcap
             * frame 38, 9.5 ms after the first: a probe for a lost tail). */
            ts_text_put(t, TS_L(lang, " while the %s's ack stood at %u: it re-sends its latest unacknowledged "
                                      "segment, not the numbers from %u the ack asks for",
                                 "，而%s的确认号停在 %u：它重发的是自己最近一个未被确认的报文段，而不是确认号"
                                 "所请求的从 %u 起的序号"),
                        peer, rel(in, s, in->wire.peer_ack), rel(in, s, in->wire.peer_ack));
        } else {
            /* Above the ack, amid what was sent: the ack does not say why it
             * starts here. The peer's SACK blocks (RFC 2018) may have shown
             * these numbers missing (RFC 6675 loss recovery,
             * retransmit-fast009.pcap frames 33-34); the core does not read
             * them (ts_segment has no SACK blocks). */
            ts_text_put(t, TS_L(lang, " while the %s's ack stood at %u, below it: the ack alone does not say "
                                      "why (the %s's selective acknowledgments, SACK, RFC 2018, not read "
                                      "here, may have shown those numbers missing: loss recovery, RFC 6675)",
                                 "，而%s的确认号停在 %u，比它小：仅凭确认号看不出原因（这里没有读取的%s"
                                 "的选择确认 SACK（RFC 2018）可能表明这些序号缺失：RFC 6675 的丢包恢复）"),
                        peer, rel(in, s, in->wire.peer_ack), peer);
        }
        break;
    case TS_SEQ_KEEPALIVE:
        ts_text_put(t, TS_L(lang, "; one below the %s's next number %u: a keep-alive probe, which "
                                  "repeats %s already acknowledged",
                             "；比%s的下一个序号 %u 小 1：这是保活探测，它重复一个已被确认的%s"),
                    who, top, r->len ? TS_L(lang, "a byte", "字节") : TS_L(lang, "a number", "序号"));
        break;
    case TS_SEQ_ZERO_WINDOW_PROBE:
        ts_text_put(t, TS_L(lang, "; a zero-window probe: the %s advertises window 0, so the %s "
                                  "tests it with one byte",
                             "；这是零窗口探测，%s通告的窗口为 0，%s用一个字节试探"),
                    peer, who);
        break;
    case TS_SEQ_FILLS_GAP: {
        uint32_t lo = rel(in, s, in->wire.hole_lo), hi = rel(in, s, in->wire.hole_hi) - 1;
        if (in->wire.hole_mixed) {
            /* core/wire.c: several gaps kept as one range, with numbers the
             * capture saw between them (bounded memory). */
            ts_text_put(t, TS_L(lang, "; the %s had already sent up to number %u; numbers %u to %u held more "
                                      "than one gap the capture skipped, with numbers it did capture between "
                                      "them, kept as one range (docs/performance.md): this segment fills "
                                      "numbers skipped there or carries again numbers captured there, and "
                                      "the texts cannot tell which",
                                 "；%s此前已经发送到序号 %u；序号 %u 到 %u 之间有不止一处抓包缺失的序号，其间也有"
                                 "抓到的序号，记录把它们合为一段（docs/performance.md）：这个报文段补上了那里缺失的"
                                 "序号，或是再次发送那里抓到过的序号，文字无法说明是哪一种"),
                        who, top - 1, lo, hi);
            break;
        }
        ts_text_put(t, TS_L(lang, "; the %s had already sent up to number %u; it fills numbers skipped before (",
                             "；%s此前已经发送到序号 %u；它补上了之前缺失的序号（"),
                    who, top - 1);
        if (lo == hi)
            ts_text_put(t, TS_L(lang, "number %u was missing", "%u"), lo);
        else
            ts_text_put(t, TS_L(lang, "%u to %u were missing", "%u 到 %u"), lo, hi);
        ts_text_put(t, "%s", TS_L(lang, "): sent out of order, or first sent out of the capture's sight",
                                   "）：乱序到达，或第一次发送没有被抓到"));
        break;
    }
    case TS_SEQ_GAP:
        ts_text_put(t, TS_L(lang, "; beyond the %s's highest number seen so far (%u): ",
                             "；超过了%s目前抓到的最大序号（%u）："),
                    who, top - 1);
        if (top == at - 1)
            ts_text_put(t, TS_L(lang, "number %u was sent but not captured", "序号 %u 已发送但没有被抓到"), top);
        else
            ts_text_put(t, TS_L(lang, "numbers %u to %u were sent but not captured", "序号 %u 到 %u 已发送但没有被抓到"),
                        top, at - 1);
        break;
    default:
        break;
    }
}

/* A FIN without data on the number of its sender's captured SYN, to a peer
 * that got the SYN: not acceptable there (tracker.c, track_other(); RFC 9293
 * section 3.10.7.4, first check sequence number). */
static int fin_on_syn_number(const ts_result *r, const ts_explain_input *in)
{
    unsigned s = r->sender & 1u;

    return (r->flags & TS_FIN) && !(r->flags & TS_SYN) && r->len == 0 && in->base_known[s] &&
           in->base_from_syn[s] && rel(in, s, in->seq_raw) == 0 && r->prev[1u - s] >= TS_SYN_RECEIVED;
}

static void why_seq(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u;
    const char *who = ts_side_in(s, lang);
    uint32_t at = rel(in, s, in->seq_raw);

    if (r->flags & TS_SYN) {
        ts_text_put(t, TS_L(lang, "seq 0 (raw %u): the %s's SYN carries its initial sequence number "
                                  "(ISN); relative numbers count from the ISN, so the SYN is number 0",
                             "seq 0（原始值 %u）：%s的 SYN 携带它的初始序号（ISN）；相对序号从初始序号"
                             "算起，所以 SYN 占用序号 0"),
                    in->seq_raw, who);
        /* A SYN+ACK that is no repeat and reuses its sender's ISN answers
         * a SYN that crossed its own (RFC 9293 section 3.5, figure 8). */
        if (in->wire_known && !(r->flags & TS_RST) && in->wire.seq_kind == TS_SEQ_RETRANSMITTED &&
            r->role == TS_ROLE_SYN_ACK && !(r->events & TS_EV_RETRANSMISSION))
            ts_text_put(t, "%s", TS_L(lang, "; its own SYN was sent before with this number: in a "
                                             "simultaneous open each side answers the other's SYN with a "
                                             "SYN+ACK that repeats its own ISN (RFC 9293 section 3.5)",
                                       "；它自己的 SYN 之前已用这个序号发出：同时打开时，双方都用 SYN+ACK "
                                       "回应对方的 SYN，并重复自己的初始序号（RFC 9293 第 3.5 节）"));
        else if (in->wire_known && !(r->flags & TS_RST) && in->wire.seq_kind == TS_SEQ_RETRANSMITTED)
            ts_text_put(t, "%s", TS_L(lang, "; its SYN was sent before: this is a retransmission of the SYN",
                                       "；它的 SYN 之前已经发送过，这是 SYN 的重传"));
        return;
    }
    if (is_refusal(r, in)) {
        /* RFC 9293 section 3.10.7.1: a segment to a CLOSED port (no socket
         * listens) with an ACK-less SYN is answered <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
         * <CTL=RST,ACK>. */
        ts_text_put(t, TS_L(lang, "seq raw 0: nobody listened on the %s's port (it was CLOSED), and "
                                  "RFC 9293 section 3.10.7.1 answers a SYN there with "
                                  "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>: seq 0 is no ISN",
                             "seq 原始值为 0：%s的这个端口上没有进程监听（端口处于 CLOSED），RFC 9293 "
                             "第 3.10.7.1 节规定用 <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> 回应"
                             "这样的 SYN，所以这里的 0 不是初始序号"),
                    who);
        return;
    }
    if (in->base_known[s] && in->base_from_syn[s] && at >= 1 && (r->flags & TS_RST) &&
        (int32_t)(rel(in, s, sent_max(in)) - (in->fin_sent_before ? 1u : 0u) - at) > 0) {
        /* An RST below its sender's next number (below its FIN's, when a FIN
         * went before: an RST on the FIN's number is the ordinary case below)
         * counts no bytes sent: a
         * port without connection numbers its RST with the ack of the
         * segment it answers (RFC 9293 section 3.10.7.1: <SEQ=SEG.ACK>
         * <CTL=RST>), whatever the old connection had sent. */
        ts_text_put(t, TS_L(lang, "seq %u (raw %u = ISN + %u): below the %s's next number %u (it had "
                                  "sent up to %u), so it says nothing of what was sent before it",
                             "seq %u（原始值 %u = 初始序号 + %u）：比%s的下一个序号 %u 小（它已发送到序号 "
                             "%u），所以它并不表示此前发送了多少数据"),
                    at, in->seq_raw, at, who, rel(in, s, sent_max(in)), rel(in, s, sent_max(in)) - 1);
        if (!(r->flags & TS_ACK))
            ts_text_put(t, TS_L(lang, "; an RST without ACK from a port with no connection takes the ack "
                                      "of the segment it answers as its number (RFC 9293 section "
                                      "3.10.7.1: <SEQ=SEG.ACK><CTL=RST>)",
                                 "；没有连接的端口发出的不带 ACK 的 RST，以它所回应的报文段的确认号作为"
                                 "自己的序号（RFC 9293 第 3.10.7.1 节：<SEQ=SEG.ACK><CTL=RST>）"));
        return;
    }
    if (in->base_known[s] && in->base_from_syn[s] && at >= 1 && goes_back(r, in)) {
        /* It goes back below numbers sent before (a repeat, a probe, numbers
         * a gap skipped): the bytes sent before would read as the derivation
         * of its seq, which they are not (0 + 1 + bytes != seq); the kind's
         * sentence says how far the sender had got (http-ooo2.pcap frame 3). */
        uint32_t top = rel(in, s, sent_max(in));
        int fin_here = in->fin_sent_before && at == top - 1;
        ts_text_put(t, TS_L(lang, "seq %u (raw %u = ISN + %u): the SYN used number 0",
                             "seq %u（原始值 %u = 初始序号 + %u）：SYN 占用了序号 0"),
                    at, in->seq_raw, at);
        if (at == 1 && !fin_here)
            ts_text_put(t, TS_L(lang, ", so number 1 is the %s's first data byte",
                                 "，所以序号 1 是%s的第一个数据字节"),
                        who);
        if (in->fin_sent_before)
            ts_text_put(t, TS_L(lang, "; its FIN, sent before, holds number %u", "；它之前发出的 FIN 占用序号 %u"),
                        top - 1);
    } else if (in->base_known[s] && in->base_from_syn[s] && at >= 1) {
        uint32_t top = rel(in, s, sent_max(in));
        /* Everything below seq was sent before it (below a gap, unseen). */
        uint32_t upto = at;
        uint32_t n = data_below(in, s, upto);
        ts_text_put(t, TS_L(lang, "seq %u (raw %u = ISN + %u): the SYN used number 0",
                             "seq %u（原始值 %u = 初始序号 + %u）：SYN 占用了序号 0"),
                    at, in->seq_raw, at);
        if (n)
            ts_text_put(t, TS_L(lang, ", and the %s had sent %u byte%s of data before this segment",
                                 "，%s此前已发送 %u 字节数据%s"),
                        who, n, ts_plural(n, lang));
        else
            ts_text_put(t, TS_L(lang, ", and the %s had sent no data before this segment",
                                 "，%s此前尚未发送数据"),
                        who);
        if (fin_below(in, s, upto))
            ts_text_put(t, TS_L(lang, ", then its FIN took one more number", "，之后它的 FIN 又占用了一个序号"));
        else if (in->fin_sent_before)
            ts_text_put(t, TS_L(lang, "; its FIN, sent before, holds number %u", "；它之前发出的 FIN 占用序号 %u"),
                        top - 1);
    } else if (in->base_known[s] && !in->base_from_syn[s] && !in->base_from_ack[s] &&
               is_rst_dropped_in_syn_sent(r)) {
        /* Section 3.10.7.3: SYN-SENT checks an RST's ACK, never its seq. */
        ts_text_put(t, TS_L(lang, "seq %u (raw %u): the %s had sent no SYN, so relative numbers count "
                                  "from this segment (seq 1); the %s in SYN-SENT checks an RST's ack, "
                                  "not its seq (RFC 9293 section 3.10.7.3)",
                             "seq %u（原始值 %u）：%s还没有发送 SYN，所以相对序号从这个报文段算起（seq 1）；"
                             "处于 SYN-SENT 的%s检查 RST 的确认号，而不检查它的序号（RFC 9293 第 3.10.7.3 节）"),
                    at, in->seq_raw, who, ts_side_in(1u - s, lang));
        return;
    } else if (in->base_known[s] && r->role == TS_ROLE_RST && r->rst_kind == TS_RST_REFUSED) {
        ts_text_put(t, TS_L(lang, "seq %u (raw %u): the %s sent no SYN, it refuses the connection; "
                                  "relative numbers count from this segment (seq 1)",
                             "seq %u（原始值 %u）：%s没有发送 SYN，它拒绝连接；相对序号从这个报文段算起（seq 1）"),
                    at, in->seq_raw, who);
    } else if (in->base_known[s] && in->base_from_syn[s] && at == 0) {
        /* Its SYN was captured, and this segment reuses its number. */
        ts_text_put(t, TS_L(lang, "seq 0 (raw %u): the number of the %s's own SYN, not ISN + 1: it "
                                  "reuses the number its SYN took",
                             "seq 0（原始值 %u）：与%s自己的 SYN 序号相同，而不是初始序号 + 1：它重用了 SYN "
                             "占用的序号"),
                    in->seq_raw, who);
        /* tracker.c, track_other(): RFC 9293 section 3.10.7.4, first check
         * sequence number; a receiver that got the SYN expects ISN + 1. */
        if (fin_on_syn_number(r, in))
            ts_text_put(t, TS_L(lang, "; the %s, which got that SYN, expects ISN + 1: the FIN lies before "
                                      "its receive window, so it answers with an ACK and drops the segment "
                                      "(RFC 9293 section 3.10.7.4)",
                                 "；收到过那个 SYN 的%s期待初始序号 + 1：这个 FIN 在它的接收窗口之前，"
                                 "所以它回应一个 ACK 并丢弃这个报文段（RFC 9293 第 3.10.7.4 节）"),
                        ts_side_in(1u - s, lang));
        return; /* no number it sent before is sent again: the SYN's was the SYN's */
    } else if (in->base_known[s] && in->base_from_ack[s]) {
        /* core/refs.c: the peer's SYN+ACK acknowledged the uncaptured SYN
         * with ISN + 1 (RFC 9293 section 3.4). */
        ts_text_put(t, TS_L(lang, "seq %u (raw %u = ISN + %u): the %s's SYN was not captured; the %s's "
                                  "SYN+ACK acknowledged it with ack ISN + 1 (RFC 9293 section 3.4), so "
                                  "relative numbers count from that ISN",
                             "seq %u（原始值 %u = 初始序号 + %u）：没有抓到%s的 SYN；%s的 SYN+ACK 用 ack = "
                             "初始序号 + 1 确认了它（RFC 9293 第 3.4 节），所以相对序号从这个初始序号算起"),
                    at, in->seq_raw, at, who, ts_side_in(1u - s, lang));
    } else if (in->base_known[s]) {
        ts_text_put(t, TS_L(lang, "seq %u (raw %u): the %s's SYN was not captured, so relative numbers "
                                  "count from the first segment seen from it (seq 1)",
                             "seq %u（原始值 %u）：没有抓到%s的 SYN，相对序号从抓到的它的第一个报文段"
                             "算起（seq 1）"),
                    at, in->seq_raw, who);
    } else {
        ts_text_put(t, TS_L(lang, "seq (raw %u)", "seq（原始值 %u）"), in->seq_raw);
        return;
    }
    why_seq_kind(t, r, in, lang);
}

/* A FIN beyond numbers the capture did not show (miss_end_data.pcap frame
 * 6): RFC 9293 section 3.10.7.4 processes a FIN in sequence order, so its
 * receiver acts on it only once it has the numbers before it. The state is
 * the model's from here; what shows that it had them is an ack of the FIN
 * (said without naming a later frame: one pass knows none). */
static void fin_after_gap(ts_text *t, const ts_result *r, uint32_t lo, uint32_t hi, uint32_t ack,
                          ts_language lang)
{
    unsigned p = 1u - (r->sender & 1u);
    const char *peer = ts_side_in(p, lang);

    ts_text_put(t, TS_L(lang, "; RFC 9293 section 3.10.7.4 has the %s act on a FIN in sequence order: it "
                              "enters %s once it also has ",
                         "；按 RFC 9293 第 3.10.7.4 节，%s按序号顺序处理 FIN：它进入 %s 的前提是也收到了"),
                peer, ts_state_name(r->state[p]));
    if (lo == hi)
        ts_text_put(t, TS_L(lang, "number %u", "序号 %u"), lo);
    else
        ts_text_put(t, TS_L(lang, "numbers %u to %u", "序号 %u 到 %u"), lo, hi);
    ts_text_put(t, TS_L(lang, ", which the capture did not show; an ack %u from it shows that it had them",
                         "（没有被抓到）；它发出的 ack %u 能说明它已收到这些序号"),
                ack);
}

static void why_next(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(1u - s, lang);
    uint32_t at = (r->flags & TS_SYN) ? 0 : rel(in, s, in->seq_raw);
    uint32_t first = at + ((r->flags & TS_SYN) ? 1u : 0u); /* its first data byte */
    uint32_t fin_at = first + r->len;
    uint32_t top = rel(in, s, sent_max(in));
    unsigned kind = seq_kind(r, in);
    size_t start = t->len;

    if (r->flags & TS_RST) {
        if (r->rst_ignored)
            ts_text_put(t, TS_L(lang, "an RST takes no sequence number; this one is not accepted, so "
                                      "it ends nothing",
                                 "RST 不占用序号；这个 RST 没有被接受，所以它什么也没有结束"));
        else
            ts_text_put(t, TS_L(lang, "an RST takes no sequence number: it ends the connection at once",
                                 "RST 不占用序号：它立即结束连接"));
        return;
    }
    if (r->flags & TS_SYN)
        ts_text_put(t, TS_L(lang, "the SYN takes one sequence number, so the %s's first data byte "
                                  "is number 1",
                             "SYN 占用一个序号，所以%s的第一个数据字节是 1 号"),
                    who);
    if (r->len) {
        if (t->len > start)
            ts_text_put(t, "%s", TS_L(lang, "; ", "；"));
        if (r->len == 1)
            ts_text_put(t, TS_L(lang, "it carries 1 byte, number %u", "它携带 1 字节，序号 %u"), first);
        else
            ts_text_put(t, TS_L(lang, "it carries %u bytes, numbers %u to %u", "它携带 %u 字节，序号 %u 到 %u"),
                        r->len, first, first + r->len - 1);
        if (kind == TS_SEQ_RETRANSMITTED || kind == TS_SEQ_KEEPALIVE)
            ts_text_put(t, "%s", TS_L(lang, ", sent before", r->len == 1 ? "，之前发送过" : "，都是之前发送过的"));
        else if (kind == TS_SEQ_PARTLY_NEW)
            ts_text_put(t, TS_L(lang, ", new from %u on", "，从 %u 起是新数据"), top);
    }
    if (r->flags & TS_FIN) {
        if (t->len > start)
            ts_text_put(t, "%s", TS_L(lang, "; ", "；"));
        if (fin_on_syn_number(r, in))
            ts_text_put(t, TS_L(lang, "the FIN would take sequence number 0, the SYN's: ack 1 acknowledges "
                                      "that SYN, not this FIN",
                                 "这个 FIN 会占用序号 0，即 SYN 的序号：ack 1 确认的是那个 SYN，而不是这个 FIN"));
        else
            ts_text_put(t, TS_L(lang, "the FIN takes sequence number %u, so the %s acknowledges it with "
                                      "ack %u",
                                 "FIN 占用序号 %u，所以%s用 ack %u 确认它"),
                        fin_at, peer, fin_at + 1);
        if (kind == TS_SEQ_GAP && r->state[1u - s] != r->prev[1u - s])
            fin_after_gap(t, r, top, at - 1, fin_at + 1, lang);
        return;
    }
    if (r->flags & TS_SYN)
        return;
    if (t->len == start)
        ts_text_put(t, "%s", TS_L(lang, "no data and no SYN or FIN, so it uses no sequence number",
                                   "没有数据，也没有 SYN 或 FIN，所以它不占用序号"));
    {
        /* The next new number: past this segment, or past what was sent
         * before when it repeats old numbers (a probe, a retransmission). */
        uint32_t end = first + r->len;
        uint32_t next = (int32_t)(top - end) > 0 ? top : end;
        ts_text_put(t, TS_L(lang, ": the %s's next new segment starts at seq %u",
                             "：%s的下一个新报文段从 seq %u 开始"),
                    who, next);
    }
    if (r->len && (r->events & TS_EV_HALF_CLOSE))
        /* RFC 9293 section 3.6: a FIN closes only its sender's direction. */
        ts_text_put(t, TS_L(lang, "\nthe %s's FIN closed only its own direction (half-close): the %s may "
                                  "still send until its own FIN",
                             "\n%s的 FIN 只关闭了它自己的发送方向（半关闭），%s在发出自己的 FIN 之前仍可以"
                             "发送数据"),
                    peer, who);
}

/* What a NEW ack acknowledges: the peer's SYN, bytes, its FIN. */
static void acked_range(ts_text *t, const ts_explain_input *in, unsigned p, uint32_t from,
                        int syn, int fin, ts_language lang)
{
    const char *peer = ts_side_in(p, lang);
    uint32_t count = in->ack_raw - from;
    uint32_t bytes = count - (syn ? 1u : 0u) - (fin ? 1u : 0u);
    uint32_t lo = rel(in, p, from) + (syn ? 1u : 0u);
    int any = 0;

    if (count > 0x7FFFFFFFu || count < (uint32_t)(syn + fin)) /* inconsistent: claim nothing */
        return;
    ts_text_put(t, "%s", TS_L(lang, "; it acknowledges ", "；它确认了"));
    if (syn) {
        ts_text_put(t, TS_L(lang, "the %s's SYN", "%s的 SYN"), peer);
        if (in->acked_frame && in->acked_syn)
            ts_text_put(t, TS_L(lang, " (frame %u)", "（第 %u 帧）"), in->acked_frame);
        any = 1;
    }
    if (bytes) {
        if (any)
            ts_text_put(t, "%s", fin ? TS_L(lang, ", ", "、") : TS_L(lang, " and ", "和"));
        ts_text_put(t, TS_L(lang, "%u new byte%s (numbers %u to %u)",
                             any ? "%u 个新字节%s（序号 %u 到 %u）" : " %u 个新字节%s（序号 %u 到 %u）"),
                    bytes, ts_plural(bytes, lang), lo, lo + bytes - 1);
        any = 1;
    }
    if (fin) {
        if (any)
            ts_text_put(t, "%s", TS_L(lang, " and ", "和"));
        ts_text_put(t, TS_L(lang, "the %s's FIN", "%s的 FIN"), peer);
        if (in->acked_frame && !in->acked_syn)
            ts_text_put(t, TS_L(lang, " (frame %u)", "（第 %u 帧）"), in->acked_frame);
    }
}

/*
 * An ack beyond the sender's own earlier one while the capture saw no
 * segment of the peer (core/wire.c, acked_unseen): that many more numbers of
 * the peer arrived, none of them captured (dns-ooo.pcap frame 2). The last
 * of them may be the peer's FIN as well as data (a FIN takes one number,
 * RFC 9293 section 3.4): the capture, which shows one side only, cannot
 * show which (issue 10, one-sided-2745.pcap frames 3 and 6). The model
 * delivers no FIN it did not see (docs/spec.md); the text names the other
 * story, and what it would make of this segment when it is a FIN.
 */
static void acked_unseen(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;
    const char *peer = ts_side_in(p, lang);
    uint32_t more = in->ack_raw - in->wire.acked_from;

    ts_text_put(t, TS_L(lang, "; it acknowledges %u number%s of the %s beyond its own ack before (raw %u), none "
                              "of them captured",
                         "；它确认了 %u 个序号%s：%s在它自己之前的确认号（原始值 %u）之后的序号，这些都没有被抓到"),
                more, ts_plural(more, lang), peer, in->wire.acked_from);
    if (more == 1)
        ts_text_put(t, TS_L(lang, "; that number may be a byte of data or the %s's FIN (a FIN takes one "
                                  "number): the capture cannot show which",
                             "；这个序号可能是一个数据字节，也可能是%s的 FIN（FIN 占用一个序号）：抓包无法说明是哪一种"),
                    peer);
    else
        ts_text_put(t, TS_L(lang, "; the last of them may be the %s's FIN rather than data: the capture "
                                  "cannot show it",
                             "；其中最后一个可能是%s的 FIN 而不是数据：抓包无法说明"),
                    peer);
    if (r->role == TS_ROLE_FIN && r->prev[s] == TS_ESTABLISHED && r->state[s] == TS_FIN_WAIT_1)
        ts_text_put(t, TS_L(lang, "; if it is the FIN, the %s closed first and this FIN answers it (the %s "
                                  "CLOSE-WAIT → LAST-ACK, not ESTABLISHED → FIN-WAIT-1)",
                             "；如果是 FIN，那么先关闭的是%s，这个 FIN 是对它的回应（%s是 CLOSE-WAIT → LAST-ACK，"
                             "而不是 ESTABLISHED → FIN-WAIT-1）"),
                    peer, ts_side_in(s, lang));
}

/* The ack against the sender's earlier acks (core/wire.c). */
static void why_ack_kind(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(p, lang);
    const ts_wire_info *w = &in->wire;

    switch (w->ack_kind) {
    case TS_ACKK_NEW:
        if (w->acked_unseen)
            acked_unseen(t, r, in, lang);
        else
            acked_range(t, in, p, w->acked_from, w->acked_from_syn, w->acked_fin, lang);
        break;
    case TS_ACKK_DUP:
        if (!((int32_t)(w->peer_sent_max - in->ack_raw) > 0)) {
            ts_text_put(t, TS_L(lang, "; a duplicate ACK (%u in a row): the same ack and window again, "
                                      "with nothing of the %s outstanding: it answers a repeated segment",
                                 "；重复确认（连续第 %u 个）：确认号和窗口都不变，%s也没有未确认的数据，"
                                 "它是对一个重发报文段的回应"),
                        w->dup_count, peer);
            break;
        }
        /* RFC 5681 section 3.2: the third duplicate ACK starts a fast retransmit. */
        ts_text_put(t, TS_L(lang, "; a duplicate ACK (%u in a row): no data, same ack and window, while "
                                  "the %s has sent up to %u: the %s asks again for the bytes from %u "
                                  "(three duplicates make the %s retransmit them at once)",
                             "；重复确认（连续第 %u 个）：没有数据，确认号和窗口都不变，而%s已经发送到 %u，"
                             "%s再次请求从 %u 开始的字节（连续三个重复确认会让%s立即重传）"),
                    w->dup_count, peer, rel(in, p, w->peer_sent_max) - 1, who, rel(in, p, in->ack_raw),
                    peer);
        break;
    case TS_ACKK_WINDOW_UPDATE:
        if (w->prev_window_syn)
            ts_text_put(t, TS_L(lang, "; it acknowledges nothing new: a window update, the window field goes "
                                      "from %u in its SYN (never scaled, RFC 7323) to %u, a scaled value",
                                 "；它没有确认新的数据，这是窗口更新：窗口字段从 SYN 中的 %u（SYN 的窗口不缩放，"
                                 "RFC 7323）变为 %u（已缩放的值）"),
                        w->prev_window, w->window);
        else
            ts_text_put(t, TS_L(lang, "; it acknowledges nothing new: a window update, the window goes from "
                                      "%u to %u",
                                 "；它没有确认新的数据，这是窗口更新，窗口从 %u 变为 %u"),
                        w->prev_window, w->window);
        if (w->prev_window == 0)
            ts_text_put(t, TS_L(lang, ", so the %s may send again and its zero-window probing ends",
                                 "，所以%s可以继续发送，它的零窗口探测结束"),
                        peer);
        break;
    case TS_ACKK_PROBE_ANSWER:
        if (w->answers_kind == TS_SEQ_ZERO_WINDOW_PROBE)
            ts_text_put(t, TS_L(lang, "; the same ack again: it answers the %s's zero-window probe "
                                      "(frame %u)",
                                 "；确认号没有变：它回应%s的零窗口探测（第 %u 帧）"),
                        peer, w->answers_frame);
        else
            ts_text_put(t, TS_L(lang, "; the same ack again: it answers the %s's keep-alive probe "
                                      "(frame %u), so the %s is still there",
                                 "；确认号没有变：它回应%s的保活探测（第 %u 帧），说明%s还在"),
                        peer, w->answers_frame, who);
        break;
    case TS_ACKK_OLD:
        ts_text_put(t, "%s", TS_L(lang, "; it is below an ack the sender sent before: an older segment, "
                                        "captured late",
                                   "；它比发送方之前发出的确认号还小：这是一个较早的报文段，被抓到得较晚"));
        break;
    default:
        ts_text_put(t, "%s", TS_L(lang, "; it acknowledges nothing new", "；它没有确认新的数据"));
        break;
    }
}

static void why_ack(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;
    const char *who = ts_side_in(s, lang), *peer = ts_side_in(p, lang);

    if (!(r->flags & TS_ACK)) {
        ts_text_put(t, "%s", TS_L(lang, "no ACK flag: the ack field means nothing here",
                                   "没有 ACK 标志：确认号字段在这里没有意义"));
        return;
    }
    if (is_refusal(r, in) && in->acked_frame) {
        ts_text_put(t, TS_L(lang, "ack %u (raw %u) = the SYN's seq + 1 (SEG.SEQ+SEG.LEN, the SYN "
                                  "counting as one): it acknowledges the %s's SYN (frame %u) only to "
                                  "refuse it",
                             "ack %u（原始值 %u）= SYN 的序号 + 1（SEG.SEQ+SEG.LEN，SYN 算一个序号），"
                             "它确认%s的 SYN（第 %u 帧），只是为了拒绝它"),
                    rel(in, p, in->ack_raw), in->ack_raw, peer, in->acked_frame);
        return;
    }
    if ((r->flags & (TS_SYN | TS_RST)) == TS_SYN && !in->base_from_syn[p] &&
        (!in->base_known[p] || in->base_from_ack[p])) {
        /* A SYN+ACK's ack is the peer's ISN + 1 (RFC 9293 section 3.4):
         * it acknowledges the SYN, captured or not, and shows its ISN
         * (dns-ooo.pcap frame 1), from which the peer's relative numbers
         * count (core/refs.c). */
        if (in->base_known[p])
            ts_text_put(t, TS_L(lang, "ack %u (raw %u)", "ack %u（原始值 %u）"), rel(in, p, in->ack_raw),
                        in->ack_raw);
        else
            ts_text_put(t, TS_L(lang, "ack (raw %u)", "ack（原始值 %u）"), in->ack_raw);
        ts_text_put(t, TS_L(lang, ": the next number the %s expects from the %s; a SYN+ACK's "
                                  "ack is the %s's ISN + 1 (RFC 9293 section 3.4): it acknowledges the "
                                  "%s's SYN, which was not captured, and shows that its ISN was %u",
                             "：%s期望从%s收到的下一个序号；SYN+ACK 的 ack 等于%s的初始序号 + 1"
                             "（RFC 9293 第 3.4 节）：它确认%s的 SYN（没有被抓到），并说明其初始序号为 %u"),
                    who, peer, peer, peer, in->ack_raw - 1);
        return;
    }
    if (in->base_known[p])
        ts_text_put(t, TS_L(lang, "ack %u (raw %u): the next number the %s expects from the %s; "
                                  "everything before it has arrived",
                             "ack %u（原始值 %u）：%s期望从%s收到的下一个序号，之前的都已收到"),
                    rel(in, p, in->ack_raw), in->ack_raw, who, peer);
    else if (in->wire_known && in->wire.ack_kind == TS_ACKK_NEW) {
        ts_text_put(t, TS_L(lang, "ack (raw %u): the next number the %s expects from the %s",
                             "ack（原始值 %u）：%s期望从%s收到的下一个序号"),
                    in->ack_raw, who, peer);
        acked_unseen(t, r, in, lang);
        return;
    } else {
        ts_text_put(t, TS_L(lang, "ack (raw %u): the next number the %s expects from the %s; no "
                                  "segment of the %s was captured before, so what it acknowledges "
                                  "is not known",
                             "ack（原始值 %u）：%s期望从%s收到的下一个序号；之前没有抓到%s的报文段，"
                             "所以不知道它确认了什么"),
                    in->ack_raw, who, peer, peer);
        if (in->wire_known && in->wire.ack_kind == TS_ACKK_DUP)
            ts_text_put(t, TS_L(lang, "; a duplicate ACK (%u in a row): the same ack and window again",
                                 "；重复确认（连续第 %u 个）：确认号和窗口都不变"),
                        in->wire.dup_count);
        return;
    }

    if (in->wire_known && in->wire.ack_kind != TS_ACKK_NONE && in->base_known[p]) {
        why_ack_kind(t, r, in, lang);
        if (in->wire.zero_window)
            ts_text_put(t, TS_L(lang, "; its window is 0 (a zero window): the %s must stop sending new data",
                                 "；它的窗口为 0（零窗口）：%s必须停止发送新数据"),
                        peer);
        return;
    }
    /* Without the wire's bookkeeping: the tracker's count. */
    if (in->acked_frame)
        acked_range(t, in, p, in->ack_raw - r->acked_new, in->acked_syn, !in->acked_syn, lang);
    else if (r->acked_new && in->base_known[p])
        acked_range(t, in, p, in->ack_raw - r->acked_new, 0, 0, lang);
    else if (!r->acked_new)
        ts_text_put(t, "%s", TS_L(lang, "; it acknowledges nothing new", "；它没有确认新的数据"));
}

static int why_flag_applies(const ts_result *r, const ts_explain_input *in)
{
    return ts_role_is_handshake(r->role) ||
           (in->base_from_syn[r->sender & 1u] && in->seq_raw - in->base[r->sender & 1u] == 1 &&
            r->role == TS_ROLE_DATA);
}

static void why_flag(ts_text *t, ts_language lang)
{
    ts_text_put(t, "%s", TS_L(lang, "ACK (upper case) is a flag: when set, the ack number is valid. ack "
                                    "(lower case) is that number: the next sequence number expected. "
                                    "\nApart from the SYN that opens a connection (both SYNs in a "
                                    "simultaneous open), only an RST can lack the ACK flag: the answer of "
                                    "a TCP that has no connection (RFC 9293 section 3.10.7.1)",
                               "大写的 ACK 是标志位：置 1 表示确认号有效；小写的 ack 是确认号本身，即期望"
                               "收到的下一个序号。\n除了发起连接的 SYN（同时打开时双方的 SYN）之外，只有 RST "
                               "可以不带 ACK 标志：那是没有连接的 TCP 的应答（RFC 9293 第 3.10.7.1 节）"));
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
    ts_text_put(t, "%s", TS_L(lang, "seq and ack are both 1: each side's SYN used sequence number 0, so "
                                    "the first data byte in either direction is number 1",
                               "seq 和 ack 都是 1：双方的 SYN 都占用了序号 0，所以每个方向的第一个数据字节都"
                               "是 1 号"));
}

/* An accepted RST without ACK from the side that got a SYN+ACK and sent
 * nothing after its SYN, numbered with that SYN+ACK's ack (its ISN + 1). */
static int is_connectionless_answer_to_syn_ack(const ts_result *r, const ts_explain_input *in)
{
    unsigned s = r->sender & 1u, p = 1u - s;

    return r->role == TS_ROLE_RST && !r->rst_ignored && !(r->flags & TS_ACK) &&
           r->prev[s] == TS_ESTABLISHED && r->prev[p] == TS_SYN_RECEIVED && in->base_from_syn[s] &&
           rel(in, s, in->seq_raw) == 1 && rel(in, s, sent_max(in)) == 1;
}

/* docs/spec.md's model: the receiver of a SYN is taken to listen and to get
 * it as it passes the capture point. A capture cannot show either until an
 * answer comes; a refusal shows nobody listened. */
static int why_model(ts_text *t, const ts_result *r, const ts_explain_input *in, ts_language lang)
{
    unsigned s = r->sender & 1u, p = 1u - s;

    if (r->events & (TS_EV_CANNOT_SHOW | TS_EV_SHOWN_BY_ECHO | TS_EV_NEW_BY_ECHO | TS_EV_ECHO_TEST)) { /* core/unshown.c */
        ts_text_put_unshown(t, r, lang);
        return 1;
    }
    if (is_rst_dropped_in_syn_sent(r)) {
        /* Section 3.10.7.1: a TCP that refuses a SYN acknowledges it
         * (ACK=SEG.SEQ+SEG.LEN); section 3.10.7.3: SYN-SENT drops an RST
         * whose SEG.ACK =< ISS or > SND.NXT. Whose it is, the wire cannot say. */
        if (r->flags & TS_ACK)
            ts_text_put(t, TS_L(lang, "its ack (raw %u) does not acknowledge the %s's SYN",
                                 "它的确认号（原始值 %u）没有确认%s的 SYN"),
                        in->ack_raw, ts_side_in(p, lang));
        else
            ts_text_put(t, TS_L(lang, "without ACK it acknowledges no SYN of the %s's",
                                 "它不带 ACK，没有确认%s的 SYN"),
                        ts_side_in(p, lang));
        ts_text_put(t, TS_L(lang, ", as a TCP that refuses a SYN would (RFC 9293 section 3.10.7.1: "
                                  "ACK=SEG.SEQ+SEG.LEN); so the %s in SYN-SENT drops it (section 3.10.7.3): "
                                  "it refuses nothing, and the capture cannot show who sent it",
                             "，而拒绝 SYN 的 TCP 会确认它（RFC 9293 第 3.10.7.1 节：ACK=SEG.SEQ+SEG.LEN）；"
                             "所以处于 SYN-SENT 的%s丢弃它（第 3.10.7.3 节）：它没有拒绝任何连接，"
                             "抓包也无法说明是谁发出了它"),
                    ts_side_in(p, lang));
        return 1;
    }
    if (is_refusal(r, in) && r->prev[s] == TS_CLOSED) {
        /* The model counted no LISTEN → SYN-RECEIVED for this SYN: an RST
         * before had closed the server, and the client sent the SYN again. */
        ts_text_put(t, TS_L(lang, "the %s was already CLOSED when the SYN passed: an earlier RST had "
                                  "refused the same SYN; this RST refuses the repeated SYN again",
                             "SYN 经过时%s已经是 CLOSED：之前的 RST 已经拒绝过同一个 SYN；这个 RST 再次"
                             "拒绝重发的 SYN"),
                    ts_side_in(s, lang));
        return 1;
    }
    if (is_refusal(r, in)) {
        ts_text_put(t, TS_L(lang, "the %s was counted LISTEN → SYN-RECEIVED when the SYN passed, as "
                                  "the model takes every server to listen; this RST shows that "
                                  "nothing listened on the port: the SYN reached a CLOSED port",
                             "SYN 经过时，模型把%s算作 LISTEN → SYN-RECEIVED（模型假定服务器都在监听）；"
                             "这个 RST 说明该端口上没有进程监听：SYN 到达的是一个 CLOSED 端口"),
                    ts_side_in(s, lang));
        return 1;
    }
    if (is_connectionless_answer_to_syn_ack(r, in)) {
        /* RFC 9293 section 3.10.7.1: a TCP without this connection answers
         * the SYN+ACK <SEQ=SEG.ACK><CTL=RST>; an ABORT (section 3.10.5)
         * numbers its RST alike, but Linux, the BSDs and Windows abort with
         * RST+ACK (core/tracker.c, abort_unseen()). */
        ts_text_put(t, TS_L(lang, "no ACK flag, and its seq is the ack of the %s's SYN+ACK: the answer of a "
                                  "TCP that has no connection (RFC 9293 section 3.10.7.1: "
                                  "<SEQ=SEG.ACK><CTL=RST>); the %s's TCP may never have held this "
                                  "connection (a SYN scanner sends its SYNs itself) or had dropped it, so "
                                  "its SYN-SENT and ESTABLISHED may be the model's only: the capture cannot "
                                  "show it",
                             "不带 ACK 标志，序号等于%s的 SYN+ACK 的确认号：这是没有连接的 TCP 的应答"
                             "（RFC 9293 第 3.10.7.1 节：<SEQ=SEG.ACK><CTL=RST>）；%s的 TCP 可能从未持有"
                             "这条连接（SYN 扫描器自己发出 SYN），或已把它丢弃，所以它的 SYN-SENT 和 "
                             "ESTABLISHED 可能只是模型的推断：抓包无法说明"),
                    ts_side_in(p, lang), ts_side_in(s, lang));
        return 1;
    }
    if (r->role == TS_ROLE_SYN && r->state[p] == TS_SYN_RECEIVED && r->state[s] == TS_SYN_SENT &&
        !(r->events & TS_EV_SIMULTANEOUS_OPEN)) {
        ts_text_put(t, TS_L(lang, "the %s's SYN-RECEIVED is the model's (docs/spec.md): it is taken to "
                                  "listen and to get the SYN as it passes the capture point; the "
                                  "capture cannot show that the SYN arrived until a SYN+ACK or an "
                                  "RST answers it",
                             "%s的 SYN-RECEIVED 是模型推断的（docs/spec.md）：假定它在监听，并在 SYN "
                             "经过抓包点时收到它；在 SYN+ACK 或 RST 回应之前，抓包无法证明 SYN 已经到达"),
                    ts_side_in(p, lang));
        return 1;
    }
    return 0;
}

/* netstat's spelling of a state (Linux net-tools; `ss` writes the same with
 * hyphens, SYN-RECV for SYN-RECEIVED), which students see on their own
 * machines. */
static const char *netstat_name(unsigned state)
{
    static const char *const names[TS_STATE_COUNT] = {
        "CLOSE", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
        "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"
    };
    return state < TS_STATE_COUNT ? names[state] : "?";
}

/* The states this segment enters, as netstat shows them; only for the
 * states whose spelling differs from RFC 9293's. */
static void why_names(ts_text *t, const ts_result *r, ts_language lang)
{
    unsigned order[2] = { r->sender & 1u, 1u - (r->sender & 1u) };
    int any = 0, rcvd = 0;

    for (int i = 0; i < 2; i++) {
        unsigned side = order[i], st = r->state[side];
        if (st == r->prev[side] || st >= TS_STATE_COUNT || st == TS_CLOSED || st == TS_LISTEN ||
            st == TS_ESTABLISHED || st == TS_CLOSING)
            continue;
        ts_text_put(t, TS_L(lang, "%s%s %s", "%s%s %s"),
                    any ? TS_L(lang, ", ", "，") : TS_L(lang, "netstat shows ", "netstat 显示为"),
                    ts_side_in(side, lang), netstat_name(st));
        rcvd |= st == TS_SYN_RECEIVED;
        any = 1;
    }
    if (any && rcvd)
        ts_text_put(t, "%s", TS_L(lang, " (ss shows RFC 9293's names, but SYN-RECV; textbooks write SYN-RCVD)",
                                   "（ss 显示 RFC 9293 的名称，但写作 SYN-RECV；教材写作 SYN-RCVD）"));
    else if (any)
        ts_text_put(t, "%s", TS_L(lang, " (ss shows RFC 9293's names)", "（ss 显示 RFC 9293 的名称）"));
}

/* Joins sentences of one line. */
static void sep(ts_text *t, size_t start, ts_language lang)
{
    if (t->len > start)
        ts_text_put(t, "%s", TS_L(lang, "; ", "；"));
}

static void time_wait_side(ts_text *t, const ts_explain_input *in, unsigned side, ts_language lang)
{
    int64_t left = in->time_wait_since_ns[side] + 2 * in->msl_ns - in->now_ns;

    ts_text_put(t, TS_L(lang, "the %s is in TIME-WAIT until %.3f s after this segment",
                         "%s处于 TIME-WAIT，直到本报文段之后 %.3f 秒"),
                ts_side_in(side, lang), seconds(left));
}

static void why_time_wait(ts_text *t, const ts_result *r, const ts_explain_input *in,
                          ts_language lang)
{
    unsigned p = 1u - (r->sender & 1u);
    size_t start = t->len;
    int any = 0;

    if (r->events & TS_EV_TIME_WAIT_EXPIRED)
        ts_text_put(t, TS_L(lang, "a TIME-WAIT had run out before this segment (more than 2MSL = "
                                  "%.0f s): that endpoint counts as CLOSED",
                             "在本报文段之前有一端的 TIME-WAIT 已经结束（超过 2MSL = %.0f 秒）：该端"
                             "视为 CLOSED"),
                    seconds(2 * in->msl_ns));
    if (r->events & TS_EV_NEW_CONNECTION) {
        sep(t, start, lang);
        ts_text_put(t, "%s", TS_L(lang, "a new SYN reuses the addresses and ports of a finished connection",
                                   "新的 SYN 重用了一个已结束连接的地址和端口"));
    }
    if ((r->events & TS_EV_IN_TIME_WAIT) && r->prev[p] == TS_TIME_WAIT && (r->flags & TS_FIN)) {
        sep(t, start, lang);
        if (r->events & TS_EV_CANNOT_SHOW)
            /* The model's story and the other one (core/unshown.c) end alike. */
            ts_text_put(t, TS_L(lang, "as the model has it, the %s receives the repeated FIN in TIME-WAIT: "
                                      "it acknowledges it again and restarts its 2MSL timer; had the earlier "
                                      "FIN been lost, it receives it in FIN-WAIT-2, acknowledges it and "
                                      "enters TIME-WAIT: either way it is in TIME-WAIT from here",
                                 "按模型的推断，%s在 TIME-WAIT 中收到重发的 FIN：它再次确认这个 FIN，并重新开始 "
                                 "2MSL 计时；若之前的 FIN 已丢失，它在 FIN-WAIT-2 中收到它，确认它并进入 "
                                 "TIME-WAIT：无论哪种情况，它从这里起都处于 TIME-WAIT"),
                        ts_side_in(p, lang));
        else
            ts_text_put(t, TS_L(lang, "the %s receives the repeated FIN in TIME-WAIT: it acknowledges it "
                                      "again and restarts its 2MSL timer",
                                 "%s在 TIME-WAIT 中收到重发的 FIN：它再次确认这个 FIN，并重新开始 2MSL 计时"),
                        ts_side_in(p, lang));
    } else if ((r->events & TS_EV_IN_TIME_WAIT) && r->prev[p] == TS_TIME_WAIT) {
        sep(t, start, lang);
        ts_text_put(t, TS_L(lang, "the %s receives it in TIME-WAIT, %.3f s after entering it",
                             "%s在 TIME-WAIT 中收到它，此时距进入 TIME-WAIT %.3f 秒"),
                    ts_side_in(p, lang), seconds(in->now_ns - in->time_wait_since_ns[p]));
    }
    for (unsigned side = 0; side < 2; side++) {
        if (r->state[side] != TS_TIME_WAIT)
            continue;
        sep(t, start, lang);
        time_wait_side(t, in, side, lang);
        any = 1;
    }
    /* docs/spec.md, preference msl: which system waits how long; a line of
     * its own ("\n": the plugin shows each line as an item). */
    if (any && in->msl_ns <= 0)
        ts_text_put(t, "%s", TS_L(lang, "\npreference msl is 0: TIME-WAIT is not waited out here, the "
                                        "endpoint counts as CLOSED from its next segment on; real "
                                        "systems wait (Linux 60 s, RFC 9293 and Windows 240 s)",
                                   "\n首选项 msl 为 0：这里不等待 TIME-WAIT，该端从下一个报文段起视为 "
                                   "CLOSED；真实系统都会等待（Linux 60 秒，RFC 9293 和 Windows 240 秒）"));
    else if (any)
        ts_text_put(t, TS_L(lang, "\n2MSL = %.0f s by preference msl: Linux waits 60 s, RFC 9293 (MSL = 2 "
                                  "minutes) and Windows 240 s; long enough to repeat a lost final ACK "
                                  "and for old duplicates to die out, then CLOSED",
                             "\n按首选项 msl，2MSL = %.0f 秒：Linux 等 60 秒，RFC 9293（最长报文段寿命 "
                             "MSL 为 2 分钟）和 Windows 等 240 秒；足够重发丢失的最后一个 ACK，并让旧的"
                             "重复报文段消失，之后进入 CLOSED"),
                    seconds(2 * in->msl_ns));
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
            ts_text_put(t, TS_L(lang, "; there the %s was still in TIME-WAIT, with %.3f s of its 2MSL "
                                      "left",
                                 "；那里的%s还处于 TIME-WAIT，2MSL 还剩 %.3f 秒"),
                        ts_side_in(side, lang), left);
        else
            ts_text_put(t, TS_L(lang, "; there the %s's TIME-WAIT had ended %.3f s before",
                                 "；那里的%s的 TIME-WAIT 已在 %.3f 秒前结束"),
                        ts_side_in(side, lang), -left);
        any = 1;
    }
    if (in->reuse_old_open)
        ts_text_put(t, "%s", TS_L(lang, "; that connection had not closed in the capture",
                                   "；那条连接在抓包中还没有关闭"));
    else if (!any)
        ts_text_put(t, "%s", TS_L(lang, "; that connection had closed, with no endpoint in TIME-WAIT",
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
    case TS_WHY_MODEL:
        why_model(&t, r, in, lang);
        break;
    case TS_WHY_NAMES:
        why_names(&t, r, lang);
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
    return t.len;
}
