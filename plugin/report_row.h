/*
 * One stream's row of the per-stream reports: what -z tcpstate,conv prints
 * (report_conv.c) and what the GUI's stream table shows (report_table.c),
 * accumulated from the "tcpstate" tap's items in capture order. Both reports
 * fill their rows with report_row_add, so they cannot disagree.
 *
 * Memory: one fixed-size row per stream, plus its two address strings in
 * the caller's allocator. Nothing grows per segment.
 */
#ifndef TCPSTATE_REPORT_ROW_H
#define TCPSTATE_REPORT_ROW_H

#include "reports.h"

typedef struct {
    uint32_t stream;
    report_endpoints ep;
    ts_outcome facts;
    uint8_t conn_state;
    uint8_t history_len;
    char history[TS_ZEEK_HISTORY_MAX + 1];
    int64_t first_ns, last_ns;   /* relative to the capture's first frame */
    int64_t handshake_rtt_ns;    /* -1 when none */
    uint32_t segments[2];        /* by sender (ts_side) */
    uint64_t bytes[2];           /* payload bytes by sender */
} report_row;

/* A new row for `stream`: nothing seen yet. */
void report_row_init(report_row *row, uint32_t stream);

/* What one tapped item adds to its stream's row; address strings are
 * allocated in `scope`. */
void report_row_add(report_row *row, wmem_allocator_t *scope, packet_info *pinfo,
                    const tcpstate_item *item);

/* A side's final state in the row: its state after the stream's last
 * counted segment, but CLOSED where a later stream on the same addresses
 * and ports ended its TIME-WAIT (core/refs.h, ts_tw_end; *end, when not
 * NULL, gets that end or NULL). */
unsigned report_row_final_state(const report_row *row, unsigned side, const ts_tw_end **end);

#endif
