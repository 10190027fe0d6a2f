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

/* Called once at registration. */
void tracking_register(void);

/* Track the frame's TCP layers and store the result on the frame. */
const tcpstate_frame *tracking_track_frame(packet_info *pinfo, const tcp_layers *layers,
                                           const ts_config *cfg);

/* The stored result of a frame, or NULL when it had no tracked TCP layer. */
const tcpstate_frame *tracking_frame(packet_info *pinfo);

#endif
