#include "refs.h"

#include <string.h>

void ts_refs_track(ts_refs *n, const ts_conn *conn, const ts_segment *seg, const ts_result *r,
                   uint32_t frame)
{
    unsigned s = r->sender & 1u;
    uint16_t flags = seg->flags;

    if (r->events & TS_EV_NEW_CONNECTION)
        memset(n, 0, sizeof *n);
    /* A SYN's seq is its ISN (RFC 9293 3.4): relative number 0. A repeated
     * SYN keeps the frame of the first; another ISN is a new base. */
    if ((flags & TS_SYN) && !(flags & TS_RST)) {
        if (!n->base_from_syn[s] || n->base[s] != seg->seq) {
            n->base[s] = seg->seq;
            n->syn_frame[s] = frame;
        }
        n->base_known[s] = n->base_from_syn[s] = 1;
        n->base_from_ack[s] = 0;
    } else if (!n->base_known[s]) {
        /* Its SYN was not captured: its first seq seen is number 1, as
         * Wireshark's relative numbers have it (docs/design.md). */
        n->base[s] = seg->seq - 1;
        n->base_known[s] = 1;
    }
    /* A SYN+ACK's ack is the peer's ISN + 1 (RFC 9293 section 3.4): its SYN
     * not captured, the peer's numbers count from that ISN, as Wireshark's
     * relative numbers do (dns-ooo.pcap, one-sided-2745.pcap). */
    if ((flags & (TS_SYN | TS_ACK | TS_RST)) == (TS_SYN | TS_ACK) && !n->base_known[1u - s]) {
        n->base[1u - s] = seg->ack - 1u;
        n->base_known[1u - s] = n->base_from_ack[1u - s] = 1;
    }
    if ((flags & TS_FIN) && !(flags & (TS_RST | TS_SYN)) && !n->fin_frame[s])
        n->fin_frame[s] = frame;
    /* Kept when the endpoint leaves TIME-WAIT: the segment that ends it (an
     * RST taken there) still says how long after entering it it came. */
    for (unsigned i = 0; i < 2; i++)
        if (ts_conn_state(conn, i) == TS_TIME_WAIT)
            n->time_wait_since_ns[i] = ts_conn_time_wait_since(conn, i);
}

uint32_t ts_refs_acked_frame(const ts_refs *refs, const ts_result *r, uint32_t ack,
                             uint8_t *is_syn)
{
    unsigned peer = 1u - (r->sender & 1u);

    *is_syn = 0;
    if (!refs)
        return 0;
    if (r->role == TS_ROLE_ACK_OF_FIN || r->role == TS_ROLE_FINAL_ACK ||
        r->role == TS_ROLE_FIN_ACK_OF_FIN)
        return refs->fin_frame[peer];
    if (r->acked_new && (r->flags & TS_ACK) && refs->base_from_syn[peer] &&
        ack == refs->base[peer] + 1 && refs->syn_frame[peer]) {
        *is_syn = 1;
        return refs->syn_frame[peer];
    }
    return 0;
}

void ts_reuse_note(const ts_conn *old, uint32_t old_stream, int64_t msl_ns, int64_t now_ns,
                   int same_first, ts_reuse *out)
{
    memset(out, 0, sizeof *out);
    out->stream = old_stream;
    /* The sides are the earlier stream's: its client sent its first segment
     * or not (docs/spec.md, tcpstate.sender). */
    out->first_side = (uint8_t)((same_first != 0) == (old->client_is_first != 0) ? TS_CLIENT
                                                                                  : TS_SERVER);
    for (unsigned i = 0; i < 2; i++) {
        unsigned st = ts_conn_state(old, i);
        out->in_tw[i] = st == TS_TIME_WAIT;
        out->tw_until_ns[i] = st == TS_TIME_WAIT ? ts_conn_time_wait_since(old, i) + 2 * msl_ns : 0;
        out->tw_left_ns[i] = st == TS_TIME_WAIT ? out->tw_until_ns[i] - now_ns : 0;
        if (st != TS_TIME_WAIT && st != TS_CLOSED && st != TS_LISTEN)
            out->old_open = 1;
    }
}

int ts_reuse_ends_time_wait(const ts_reuse *note, uint32_t new_stream, const ts_segment *seg,
                            unsigned sender, const ts_refs *refs, uint32_t frame, ts_tw_end *out)
{
    /* The sender's side in the earlier connection, by its address and port. */
    unsigned old_side = seg->from_first ? note->first_side : 1u - note->first_side;
    unsigned peer;

    memset(out, 0, sizeof *out);
    /* Only its own SYN or SYN+ACK opens the new connection on its side
     * (refs.h); an RST with SYN opens nothing. */
    if ((seg->flags & (TS_SYN | TS_RST)) != TS_SYN || !note->in_tw[old_side])
        return 0;
    /* Sent after 2MSL, it may have left TIME-WAIT by expiry first
     * (RFC 9293 section 3.10.8): nothing to say which. */
    if (seg->time_ns >= note->tw_until_ns[old_side])
        return 0;
    out->stream = note->stream;
    out->new_stream = new_stream;
    out->frame = frame;
    out->side = (uint8_t)old_side;
    if (!(seg->flags & TS_ACK)) {
        out->own_syn = 1;
        out->syn_frame = frame;
        return 1;
    }
    /* A SYN+ACK: the SYN it acknowledges (ISN + 1), if the capture has it. */
    peer = 1u - (sender & 1u);
    if (refs && refs->base_from_syn[peer] && refs->syn_frame[peer] &&
        seg->ack == refs->base[peer] + 1)
        out->syn_frame = refs->syn_frame[peer];
    return 1;
}

unsigned ts_tw_end_final_state(unsigned state, const ts_tw_end *end)
{
    return end && state == TS_TIME_WAIT ? TS_CLOSED : state;
}

void ts_explain_input_of(const ts_segment_records *rec, ts_explain_input *out)
{
    const ts_refs *refs = rec->refs;
    unsigned s = rec->result->sender & 1u;

    memset(out, 0, sizeof *out);
    out->now_ns = rec->time_ns;
    out->msl_ns = rec->msl_ns;
    out->seq_raw = rec->seq;
    out->ack_raw = rec->ack;
    out->acked_frame = ts_refs_acked_frame(refs, rec->result, rec->ack, &out->acked_syn);
    if (rec->wire) {
        out->wire = *rec->wire;
        out->wire_known = 1;
    }
    if (refs) {
        for (int i = 0; i < 2; i++) {
            out->time_wait_since_ns[i] = refs->time_wait_since_ns[i];
            out->base[i] = refs->base[i];
            out->base_known[i] = refs->base_known[i];
            out->base_from_syn[i] = refs->base_from_syn[i];
            out->base_from_ack[i] = refs->base_from_ack[i];
        }
        /* The sender's FIN was sent in an earlier frame (it took a number). */
        out->fin_sent_before = refs->fin_frame[s] != 0 && refs->fin_frame[s] != rec->frame;
    }
    if (rec->reuse) {
        out->reuse = 1;
        out->reuse_stream = rec->reuse->stream;
        out->reuse_old_open = rec->reuse->old_open;
        for (int i = 0; i < 2; i++) {
            out->reuse_in_tw[i] = rec->reuse->in_tw[i];
            out->reuse_tw_left_ns[i] = rec->reuse->tw_left_ns[i];
        }
    }
}
