/*
 * The first pass: one core tracker per tcp.stream, fed in capture order, and
 * the per-frame records that every later dissection renders from. Everything
 * lives in Wireshark's file scope, so it is dropped when a file is closed and
 * rebuilt when a new one is opened (or a preference change redissects).
 */
#ifndef TCPSTATE_TRACKING_H
#define TCPSTATE_TRACKING_H

#include "tcpstate_plugin.h"
#include "tcp_layers.h"

/* A file's start and end (init and cleanup routines): the tables live in
 * its scope. */
void tracking_init(void);
void tracking_cleanup(void);

/* Track the frame's TCP layers and store the result on the frame. A run
 * that dissects each frame once (audience_dissects_again()) never asks for
 * a stored result: there nothing is stored, so that the pass neither spends
 * time on it nor grows with the capture; nor are the Zeek view and the Why
 * lines' wire bookkeeping tracked when nothing shows them
 * (audience_zeek_seen(), audience_why_seen(); docs/performance.md,
 * "Session 13"). */
const tcpstate_frame *tracking_track_frame(packet_info *pinfo, const tcp_layers *layers,
                                           const ts_config *cfg);

/* The stored result of a frame, or NULL when it had no tracked TCP layer.
 * Later passes rebuild it from the frame's bytes (`tvb`, the frame's own
 * data); within one dissection it is built once and then returned again
 * (tvb may then be NULL). */
const tcpstate_frame *tracking_frame(packet_info *pinfo, tvbuff_t *tvb);

/* The first `len` letters of the Zeek history that `frame` of `stream`
 * showed (len is that frame's history_len), NUL-terminated, into `out`;
 * empty when the stream or its history is unknown. */
void tracking_history_at(uint32_t stream, uint32_t frame, unsigned len,
                         char out[TS_ZEEK_HISTORY_MAX + 1]);

/* The end of `stream`'s TIME-WAIT on `side` (ts_side) by a later stream on
 * its addresses and ports (core/refs.h, ts_tw_end), as of the last frame
 * tracked so far; NULL when none. The outcome fields and the reports show
 * that side CLOSED (docs/design.md). */
const ts_tw_end *tracking_time_wait_end(uint32_t stream, unsigned side);

#endif
