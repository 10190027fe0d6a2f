/*
 * Accumulating one stream's report row (report_row.h). Every verdict comes
 * from the core through the tapped items; opened/closed from ts_outcome
 * (core/outcome.c).
 */
#include "report_row.h"

#include "tracking.h"

void report_row_init(report_row *row, uint32_t stream)
{
    memset(row, 0, sizeof *row);
    row->stream = stream;
    ts_outcome_init(&row->facts);
    row->first_ns = -1;
    row->handshake_rtt_ns = -1;
}

void report_row_add(report_row *row, wmem_allocator_t *scope, packet_info *pinfo,
                    const tcpstate_item *item)
{
    const ts_result *r = &item->result;
    int64_t t = report_nstime_ns(&pinfo->rel_ts);
    const char *history;
    unsigned side;

    if (!row->facts.seen)
        row->first_ns = t;
    report_endpoints_learn(&row->ep, scope, pinfo, item);
    ts_outcome_add(&row->facts, r);
    row->last_ns = t;
    if (r->handshake_rtt_ns >= 0)
        row->handshake_rtt_ns = r->handshake_rtt_ns;
    side = r->sender ? TS_SERVER : TS_CLIENT;
    row->segments[side]++;
    row->bytes[side] += r->len;
    row->conn_state = item->conn_state;
    /* The history points into a buffer that later segments overwrite:
     * copy this segment's prefix now. */
    history = item->info ? item->info->history : NULL;
    row->history_len = history ? MIN(item->history_len, TS_ZEEK_HISTORY_MAX) : 0;
    if (row->history_len)
        memcpy(row->history, history, row->history_len);
    row->history[row->history_len] = '\0';
}

unsigned report_row_final_state(const report_row *row, unsigned side, const ts_tw_end **end)
{
    const ts_tw_end *e = tracking_time_wait_end(row->stream, side);
    unsigned state = ts_tw_end_final_state(row->facts.state[side], e);

    if (end)
        *end = state != row->facts.state[side] ? e : NULL;
    return state;
}
