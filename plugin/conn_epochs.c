#include "conn_epochs.h"

#include <epan/wmem_scopes.h>

/* What every stream keeps of them (docs/performance.md). */
_Static_assert(sizeof(conn_epoch) == 88, "conn_epoch must stay 88 bytes");
_Static_assert(sizeof(conn_epochs) == 88, "conn_epochs must stay 88 bytes");

static void unknown(tcpstate_conn_info *out)
{
    memset(out, 0, sizeof *out);
    out->handshake_rtt_ns = -1;
}

static void values_at(const conn_epoch *ep, uint32_t frame, tcpstate_conn_info *out)
{
    unknown(out);
    for (int s = 0; s < 2; s++) {
        if (ep->base_frame[s] && frame >= ep->base_frame[s]) {
            out->refs.base[s] = ep->base[s];
            out->refs.base_known[s] = 1;
            out->refs.base_from_syn[s] = ep->base_from_syn[s];
            out->refs.base_from_ack[s] = ep->base_from_ack[s];
        }
        if (ep->syn_frame[s] && frame >= ep->syn_frame[s])
            out->refs.syn_frame[s] = ep->syn_frame[s];
        if (ep->fin_frame[s] && frame >= ep->fin_frame[s])
            out->refs.fin_frame[s] = ep->fin_frame[s];
        if (ep->tw_frame[s] && frame >= ep->tw_frame[s])
            out->refs.time_wait_since_ns[s] = ep->time_wait_since_ns[s];
    }
    if (ep->rtt_frame && frame >= ep->rtt_frame)
        out->handshake_rtt_ns = ep->handshake_rtt_ns;
    out->history = ep->history;
}

/* The epochs, by start frame: the first alone, or the array of them all. */
static conn_epoch *epochs_of(const conn_epochs *e)
{
    return e->first.count > 1 ? e->first.all : (conn_epoch *)&e->first;
}

uint32_t conn_epochs_first_frame(const conn_epochs *e)
{
    /* The array's first is a copy of `first`: the same start. */
    return e->first.count ? e->first.start : 0;
}

void conn_epochs_at(const conn_epochs *e, uint32_t frame, tcpstate_conn_info *out)
{
    const conn_epoch *epoch = epochs_of(e);
    uint32_t lo = 0, hi = e->first.count;

    if (!hi || frame < epoch[0].start) {
        unknown(out);
        return;
    }
    while (hi - lo > 1) { /* the last epoch that starts at or before `frame` */
        uint32_t mid = lo + (hi - lo) / 2;
        if (epoch[mid].start <= frame)
            lo = mid;
        else
            hi = mid;
    }
    values_at(&epoch[lo], frame, out);
}

/* Set in `ep` from `frame` on whatever `now` knows that `was` did not; FALSE
 * when a value known before changed (which needs a new epoch). */
static gboolean set_once(conn_epoch *ep, uint32_t frame, const tcpstate_conn_info *was,
                         const tcpstate_conn_info *now)
{
    if (now->history != was->history)
        return FALSE;
    for (int s = 0; s < 2; s++) {
        if (was->refs.base_known[s] && (!now->refs.base_known[s] || now->refs.base[s] != was->refs.base[s] ||
                                   now->refs.base_from_syn[s] != was->refs.base_from_syn[s] ||
                                   now->refs.base_from_ack[s] != was->refs.base_from_ack[s]))
            return FALSE;
        if (was->refs.syn_frame[s] && now->refs.syn_frame[s] != was->refs.syn_frame[s])
            return FALSE;
        if (was->refs.fin_frame[s] && now->refs.fin_frame[s] != was->refs.fin_frame[s])
            return FALSE;
        if (was->refs.time_wait_since_ns[s] && now->refs.time_wait_since_ns[s] != was->refs.time_wait_since_ns[s])
            return FALSE;
    }
    if (was->handshake_rtt_ns >= 0 && now->handshake_rtt_ns != was->handshake_rtt_ns)
        return FALSE;
    /* Only additions are left: they hold from this frame on. */
    for (int s = 0; s < 2; s++) {
        if (!was->refs.base_known[s] && now->refs.base_known[s]) {
            ep->base[s] = now->refs.base[s];
            ep->base_from_syn[s] = now->refs.base_from_syn[s];
            ep->base_from_ack[s] = now->refs.base_from_ack[s];
            ep->base_frame[s] = frame;
        }
        if (!was->refs.syn_frame[s] && now->refs.syn_frame[s])
            ep->syn_frame[s] = now->refs.syn_frame[s] <= frame ? now->refs.syn_frame[s] : frame;
        if (!was->refs.fin_frame[s] && now->refs.fin_frame[s])
            ep->fin_frame[s] = now->refs.fin_frame[s] <= frame ? now->refs.fin_frame[s] : frame;
        if (!was->refs.time_wait_since_ns[s] && now->refs.time_wait_since_ns[s]) {
            ep->time_wait_since_ns[s] = now->refs.time_wait_since_ns[s];
            ep->tw_frame[s] = frame;
        }
    }
    if (was->handshake_rtt_ns < 0 && now->handshake_rtt_ns >= 0) {
        ep->handshake_rtt_ns = now->handshake_rtt_ns;
        ep->rtt_frame = frame;
    }
    return TRUE;
}

void conn_epochs_update(conn_epochs *e, uint32_t frame, const tcpstate_conn_info *latest,
                        const tcpstate_conn_info *now)
{
    tcpstate_conn_info was;
    uint32_t count = e->first.count;
    conn_epoch *ep;

    if (count) {
        /* Most segments change none of the values (docs/performance.md):
         * then set_once() below would find nothing to do. */
        if (memcmp(latest, now, sizeof *now) == 0)
            return;
        ep = &epochs_of(e)[count - 1];
        if (set_once(ep, frame, latest, now))
            return;
    }
    if (count == 1) { /* a second: both move to an array */
        conn_epoch *all = (conn_epoch *)wmem_alloc(wmem_file_scope(), 2 * sizeof *all);
        all[0] = e->first;
        e->first.all = all;
    } else if (count > 1 && (count & (count - 1)) == 0) { /* full: its capacity is `count` */
        e->first.all = (conn_epoch *)wmem_realloc(wmem_file_scope(), e->first.all,
                                                  (size_t)2 * count * sizeof *e->first.all);
    }
    /* A new epoch: what is known now holds from its first frame (the
     * stream's first is `first` itself; `count` is not updated yet). */
    ep = count ? &e->first.all[count] : &e->first;
    memset(ep, 0, sizeof *ep);
    e->first.count = count + 1;
    ep->start = frame;
    unknown(&was);
    was.history = now->history;
    set_once(ep, frame, &was, now);
    ep->history = now->history;
}

void conn_epochs_keep_history(conn_epochs *e, const char *live, const char *copy)
{
    conn_epoch *epoch = epochs_of(e);

    for (uint32_t i = e->first.count; i-- > 0 && epoch[i].history == live;)
        epoch[i].history = copy;
}

gboolean conn_epochs_show_history(const conn_epochs *e, const char *history)
{
    const conn_epoch *epoch = epochs_of(e);

    for (uint32_t i = 0; i < e->first.count; i++)
        if (epoch[i].history == history)
            return TRUE;
    return FALSE;
}
