/*
 * Every pass: the tcpstate tree, expert infos and columns of one tracked TCP
 * layer, built from the stored result only (later passes get no TCP fields).
 */
#ifndef TCPSTATE_RENDER_H
#define TCPSTATE_RENDER_H

#include "tcpstate_plugin.h"

/* Once the fields are registered (proto_register_tcpstate). */
void render_register(void);

/* Is tcpstate.conn_state or tcpstate.history seen in this tree (field_seen())? */
gboolean render_zeek_seen(proto_tree *tree);

/* Can a Why line be seen in this dissection (tcpstate.why, or the
 * port-reuse expert info, which is made of them)? */
gboolean render_why_seen(proto_tree *tree, packet_info *pinfo);

/* Returns the item's tcpstate subtree (for the outcome fields, conn_outcome.c). */
proto_tree *render_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                        const tcpstate_item *item);

/* The expert info for TCP layers that could not be tracked. */
void render_untracked(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, unsigned count);

#endif
