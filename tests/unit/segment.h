/*
 * segment.h: one segment record for the unit tests that feed the core a
 * connection (test_refs.c, test_texts.c): a client on port 40000, a server
 * on port 80, the time in milliseconds. `first` is the side that sent the
 * stream's first segment (the plugin's from_first).
 */
#ifndef TCPSTATE_UNIT_SEGMENT_H
#define TCPSTATE_UNIT_SEGMENT_H

#include <string.h>

#include "tcpstate_core.h"

static inline ts_segment unit_segment(int side, int first, uint16_t flags, uint32_t seq,
                                      uint32_t ack, uint32_t len, uint32_t window, int64_t ms)
{
    ts_segment g;

    memset(&g, 0, sizeof g);
    g.time_ns = (int64_t)ms * 1000000;
    g.flags = flags;
    g.seq = seq;
    g.ack = ack;
    g.len = len;
    g.window = window;
    g.sport = side == TS_CLIENT ? 40000 : 80;
    g.dport = side == TS_CLIENT ? 80 : 40000;
    g.from_first = (uint8_t)(side == first);
    return g;
}

#endif
