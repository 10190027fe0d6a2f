/*
 * The wire bookkeeping behind the texts (wire.h). Sequence numbers compare
 * modulo 2^32 (RFC 9293 section 3.4): a is before b when (int32_t)(a - b) < 0.
 */
#include "wire.h"

#include <string.h>

/* Kept once per TCP stream (docs/performance.md): 84 bytes since the flags
 * moved out of the sides (88 before, each side padded to a word), 100 with
 * each side's oldest unfilled hole (two holes are remembered, not one). */
_Static_assert(sizeof(ts_wire) == 100, "ts_wire grew: it is kept once per TCP stream");

static int before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

void ts_wire_init(ts_wire *w)
{
    memset(w, 0, sizeof *w);
}

/* [seq, end) lies inside the hole [lo, hi) (when there is one): numbers a
 * gap skipped, never captured, so not "sent before" as far as the capture
 * shows (out of order, or first sent out of its sight). */
static int fills_hole(uint32_t lo, uint32_t hi, int present, uint32_t seq, uint32_t end)
{
    return present && !before(seq, lo) && !before(hi, end);
}

/* Where the segment's numbers sit against what the sender sent before. A
 * keep-alive probe (RFC 9293 section 3.8.4: seq one below the next, with 0
 * or 1 old byte) and a zero-window probe (section 3.8.6.1: the peer's window
 * is 0) are told apart from plain retransmissions. A probe's byte is one the
 * peer has acknowledged (as the tracker's keepalive_probe() requires): a
 * byte it has not is data, e.g. the one byte a gap skipped
 * (docs/accuracy.md, kind 11). */
static ts_seq_kind seq_kind(const ts_wire_side *me, const ts_wire_flags *mf, const ts_wire_side *peer,
                            const ts_wire_flags *pf, const ts_segment *seg, uint32_t end)
{
    int control = (seg->flags & (TS_SYN | TS_FIN | TS_RST)) != 0;
    int zero_window = pf->window_known && peer->window == 0;

    if (!mf->seen || (seg->flags & TS_RST))
        return TS_SEQ_NEW;
    if (!control && seg->len <= 1 && seg->seq == me->snd_max - 1 &&
        (zero_window || seg->len == 0 || (pf->ack_known && !before(peer->ack, me->snd_max))))
        return zero_window ? TS_SEQ_ZERO_WINDOW_PROBE : TS_SEQ_KEEPALIVE;
    if (!control && seg->len == 1 && seg->seq == me->snd_max && zero_window)
        return TS_SEQ_ZERO_WINDOW_PROBE;
    if (before(me->snd_max, seg->seq))
        return TS_SEQ_GAP;
    if (end != seg->seq && (fills_hole(me->hole_lo, me->hole_hi, mf->has_hole, seg->seq, end) ||
                            fills_hole(me->old_lo, me->old_hi, me->old_lo != me->old_hi, seg->seq, end)))
        return TS_SEQ_FILLS_GAP;
    if (end == seg->seq || !before(seg->seq, me->snd_max))
        return TS_SEQ_NEW; /* occupies nothing, or starts at the next number */
    return before(me->snd_max, end) ? TS_SEQ_PARTLY_NEW : TS_SEQ_RETRANSMITTED;
}

/* The peer's FIN is in [from, ack). */
static int covers_fin(const ts_wire_side *peer, const ts_wire_flags *pf, uint32_t from, uint32_t ack)
{
    return pf->fin_seen && !before(peer->fin_seq, from) && before(peer->fin_seq, ack);
}

static void ack_kind(const ts_wire_side *me, const ts_wire_flags *mf, const ts_wire_side *peer,
                     const ts_wire_flags *pf, const ts_segment *seg, uint32_t frame, ts_wire_info *out)
{
    int pure = seg->len == 0 && !(seg->flags & (TS_SYN | TS_FIN | TS_RST));

    (void)frame;
    out->ack_kind = TS_ACKK_NONE;
    if (!(seg->flags & TS_ACK))
        return;
    if (!mf->ack_known) {
        /* Its first ack: it acknowledges what the capture saw of the peer
         * before it (from the peer's SYN, or its first segment seen). */
        uint32_t from = peer->isn_or_first;
        if (pf->seen && before(from, seg->ack)) {
            out->ack_kind = TS_ACKK_NEW;
            out->acked_from = from;
            out->acked_from_syn = pf->syn_seen;
            out->acked_fin = (uint8_t)covers_fin(peer, pf, from, seg->ack);
        } else {
            out->ack_kind = TS_ACKK_SAME;
        }
        return;
    }
    if (before(me->ack, seg->ack)) {
        out->ack_kind = TS_ACKK_NEW;
        out->acked_from = me->ack;
        out->acked_from_syn = pf->syn_seen && me->ack == peer->isn_or_first;
        out->acked_fin = (uint8_t)covers_fin(peer, pf, me->ack, seg->ack);
        out->acked_unseen = !pf->seen;
        return;
    }
    if (before(seg->ack, me->ack)) {
        out->ack_kind = TS_ACKK_OLD;
        return;
    }
    out->ack_kind = TS_ACKK_SAME;
    if (!pure)
        return;
    /* A keep-alive is answered with the next number; a zero-window probe with
     * it, or with the probe's own number while the window stays closed. */
    if (peer->probe_frame && (seg->ack == peer->snd_max || seg->ack == peer->probe_seq)) {
        out->ack_kind = TS_ACKK_PROBE_ANSWER;
        out->answers_frame = peer->probe_frame;
        out->answers_kind = pf->probe_zwp ? TS_SEQ_ZERO_WINDOW_PROBE : TS_SEQ_KEEPALIVE;
        out->window = seg->window;
        return;
    }
    if (mf->window_known && seg->window != me->window) {
        out->ack_kind = TS_ACKK_WINDOW_UPDATE;
        out->prev_window = me->window;
        out->prev_window_syn = mf->window_from_syn;
        out->window = seg->window;
        return;
    }
    /* A duplicate ACK: no data, the same ack and (open) window again, from
     * the sender's next number (not a probe). RFC 5681 section 2 counts it
     * only while the peer has data outstanding (then it asks for the bytes
     * from the ack on); else it answers a repeated segment. */
    if (seg->window != 0 && seg->seq == me->snd_max) {
        out->ack_kind = TS_ACKK_DUP;
        out->dup_count = me->dup_acks + 1;
        out->peer_sent_max = pf->seen ? peer->snd_max : seg->ack;
    }
}

void ts_wire_track(ts_wire *w, const ts_segment *seg, unsigned sender, int new_connection,
                   uint32_t frame, ts_wire_info *out)
{
    ts_wire_side *me = &w->side[sender & 1u], *peer = &w->side[1u - (sender & 1u)];
    ts_wire_flags *mf = &w->flag[sender & 1u], *pf = &w->flag[1u - (sender & 1u)];
    uint32_t end = seg->seq + seg->len + ((seg->flags & TS_SYN) ? 1u : 0u) +
                   ((seg->flags & TS_FIN) ? 1u : 0u);

    memset(out, 0, sizeof *out);
    if (new_connection)
        ts_wire_init(w);
    if ((seg->flags & TS_SYN) && !(seg->flags & TS_RST) && mf->syn_seen && seg->seq != me->isn_or_first) {
        memset(me, 0, sizeof *me); /* another ISN: the sender starts over */
        memset(mf, 0, sizeof *mf);
        pf->ack_known = 0;
    }
    if (seg->flags & TS_RST)
        end = seg->seq; /* an RST occupies no number */

    out->sent_known = mf->seen;
    out->sent_max = me->snd_max;
    out->peer_ack_known = pf->ack_known;
    out->peer_ack = peer->ack;
    out->seq_kind = (uint8_t)seq_kind(me, mf, peer, pf, seg, end);
    ack_kind(me, mf, peer, pf, seg, frame, out);
    out->fast = (out->seq_kind == TS_SEQ_RETRANSMITTED || out->seq_kind == TS_SEQ_PARTLY_NEW) &&
                peer->dup_acks >= 3;
    out->zero_window = (seg->flags & TS_ACK) && !(seg->flags & (TS_SYN | TS_RST)) && seg->window == 0;

    /* The numbers a gap skipped, until a segment fills them from below: the
     * latest hole, and the oldest one a later gap left unfilled (a capture
     * that misses several segments in a row, tcp-badsegments.pcap frames
     * 13 and 14). A third hole, both slots taken, is not forgotten (a
     * segment filling it would read as a retransmission of numbers never
     * captured): the oldest range takes in the latest, with the numbers
     * captured between them, and is marked mixed - inside it the texts say
     * a segment fills skipped numbers or repeats captured ones. Memory stays
     * bounded: two ranges and one bit a side (docs/performance.md). */
    if (out->seq_kind == TS_SEQ_GAP) {
        if (mf->has_hole && me->old_lo == me->old_hi) {
            me->old_lo = me->hole_lo;
            me->old_hi = me->hole_hi;
            mf->old_mixed = 0;
        } else if (mf->has_hole) {
            me->old_hi = me->hole_hi;
            mf->old_mixed = 1;
        }
        mf->has_hole = 1;
        me->hole_lo = me->snd_max;
        me->hole_hi = seg->seq;
        out->hole_lo = me->hole_lo;
        out->hole_hi = me->hole_hi;
    } else if (out->seq_kind == TS_SEQ_FILLS_GAP &&
               fills_hole(me->hole_lo, me->hole_hi, mf->has_hole, seg->seq, end)) {
        out->hole_lo = me->hole_lo;
        out->hole_hi = me->hole_hi;
        if (seg->seq == me->hole_lo) {
            me->hole_lo = end;
            mf->has_hole = before(me->hole_lo, me->hole_hi) ? 1u : 0u;
        }
    } else if (out->seq_kind == TS_SEQ_FILLS_GAP) {
        out->hole_lo = me->old_lo;
        out->hole_hi = me->old_hi;
        out->hole_mixed = mf->old_mixed;
        if (seg->seq == me->old_lo)
            me->old_lo = end; /* lo == hi: filled */
    }

    /* What the sender has now sent and acknowledged. */
    if (!mf->seen) {
        mf->seen = 1;
        me->isn_or_first = seg->seq;
        me->snd_max = end;
    } else if (before(me->snd_max, end) && !(seg->flags & TS_RST)) {
        me->snd_max = end;
    }
    if ((seg->flags & TS_SYN) && !(seg->flags & TS_RST)) {
        mf->syn_seen = 1;
        me->isn_or_first = seg->seq; /* from now on its ISN */
    }
    if ((seg->flags & TS_FIN) && !(seg->flags & TS_RST) && !mf->fin_seen) {
        mf->fin_seen = 1;
        me->fin_seq = end - 1;
    }
    if (out->seq_kind == TS_SEQ_KEEPALIVE || out->seq_kind == TS_SEQ_ZERO_WINDOW_PROBE) {
        me->probe_frame = frame;
        me->probe_seq = seg->seq;
        mf->probe_zwp = out->seq_kind == TS_SEQ_ZERO_WINDOW_PROBE;
    } else if (seg->len || (seg->flags & (TS_SYN | TS_FIN | TS_RST))) {
        me->probe_frame = 0;
    }
    if (out->ack_kind == TS_ACKK_PROBE_ANSWER)
        peer->probe_frame = 0;
    if ((seg->flags & TS_ACK) && !(seg->flags & TS_RST)) { /* an RST ends; its ack stays out */
        me->dup_acks = out->ack_kind == TS_ACKK_DUP ? out->dup_count : 0;
        if (!mf->ack_known || before(me->ack, seg->ack))
            me->ack = seg->ack;
        mf->ack_known = 1;
        me->window = seg->window;
        mf->window_known = 1;
        mf->window_from_syn = (seg->flags & TS_SYN) != 0;
    }
}

int ts_wire_info_is_plain(const ts_wire_info *info, const ts_segment *seg, uint32_t acked_new)
{
    ts_wire_info plain;

    ts_wire_info_plain(seg, acked_new, &plain);
    return info->seq_kind == TS_SEQ_NEW && !info->zero_window && (!info->sent_known || info->sent_max == seg->seq) &&
           info->ack_kind == plain.ack_kind && info->acked_from == plain.acked_from &&
           info->acked_from_syn == plain.acked_from_syn && info->acked_fin == plain.acked_fin &&
           info->acked_unseen == plain.acked_unseen;
}

void ts_wire_info_plain(const ts_segment *seg, uint32_t acked_new, ts_wire_info *out)
{
    memset(out, 0, sizeof *out);
    out->seq_kind = TS_SEQ_NEW;
    out->sent_known = 1;
    out->sent_max = seg->seq;
    if (!(seg->flags & TS_ACK))
        out->ack_kind = TS_ACKK_NONE;
    else if (acked_new) {
        out->ack_kind = TS_ACKK_NEW;
        out->acked_from = seg->ack - acked_new;
    } else {
        out->ack_kind = TS_ACKK_SAME;
    }
}
