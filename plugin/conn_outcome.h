/*
 * The per-connection outcome fields (SPEC.md v2, "Per-stream outcome fields";
 * docs/fields.md): tcpstate.outcome.{conn_state,history,opened,closed,
 * client.state,server.state} on every frame dissected again after the first
 * pass, saying how the frame's connection ended, as of the last frame tracked
 * so far. A one-pass tshark shows none of them: when a frame is first
 * dissected its connection's end is not known yet.
 */
#ifndef TCPSTATE_CONN_OUTCOME_H
#define TCPSTATE_CONN_OUTCOME_H

#include "tcpstate_plugin.h"

/* From proto_register_tcpstate(), once the protocol is registered: the
 * fields, the subtree, and the file-scope tables' init/cleanup routines. */
void outcome_register(void);

/* First pass, frames in capture order: what this tracked layer adds to its
 * connection's outcome. */
void outcome_track(const packet_info *pinfo, const tcpstate_item *item);

/* Later passes: add the outcome subtree of the item's connection to `tree`
 * (the item's tcpstate subtree). Nothing on the first pass. */
void outcome_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                    const tcpstate_item *item);

#endif
