/*
 * Whether anything in a run can ever see tcpstate's output. tshark reads a
 * file once (without -2), and everything that will show any frame's
 * dissection is fixed before the first frame: a protocol tree or none, the
 * fields a filter, a column or -T fields asks for, the tap listeners, the
 * columns. When none of them can show tcpstate - a plain `tshark -r`, a run
 * that writes a file, a run whose filters and fields are all other
 * protocols' - tracking every stream would cost each frame for nothing, so
 * the run tracks nothing (issue 14; docs/performance.md). Every other
 * program (the GUI, sharkd), and a pass without taps (the first of
 * tshark -2, which a second pass follows), tracks as always.
 */
#ifndef TCPSTATE_AUDIENCE_H
#define TCPSTATE_AUDIENCE_H

#include "tcp_layers.h"

/* Once, in the handoff: which program this is. */
void audience_register(void);

/* A new file: nothing decided yet. */
void audience_init_file(void);

/* A first-pass frame, before its TCP headers are read: TRUE when this run
 * was found to have no audience, so there is nothing to read or track. */
gboolean audience_none_known(proto_tree *tree, packet_info *pinfo);

/* A first-pass frame whose TCP headers were read into `layers`: decided at
 * the run's first frame with a TCP layer; TRUE when nothing can see
 * tcpstate's output in this run. */
gboolean audience_none(proto_tree *tree, packet_info *pinfo, const tcp_layers *layers);

/* After audience_none(): can a frame be dissected again (a later pass, the
 * GUI)? Only then is a frame's result stored (tracking.c) and a
 * connection's outcome kept (conn_outcome.h: only later passes show it).
 * In tshark without -2 every frame is dissected once. */
gboolean audience_dissects_again(void);

/* After audience_none(): is the Zeek view tracked? Not in a run that
 * dissects every frame once and shows neither a tree in full, nor a
 * report, nor a Zeek field (tcpstate.conn_state, tcpstate.history). */
gboolean audience_zeek_seen(void);

/* After audience_none(): is the wire bookkeeping the Why lines read
 * (core/wire.h) tracked? Not in a run that dissects every frame once and
 * shows no Why line: no tree in full, no report, neither tcpstate.why nor
 * the port-reuse expert info (render_why_seen()). */
gboolean audience_why_seen(void);

#endif
