/*
 * The Info column as a field (_ws.col.info, Wireshark 4.2 and later): kept
 * equal to the Info column when the post-dissector prefixes the column.
 */
#ifndef TCPSTATE_INFO_FIELD_H
#define TCPSTATE_INFO_FIELD_H

#include "tcpstate_plugin.h"

/* Put prefix before the value of every _ws.col.info field of the tree. */
void info_field_prepend(proto_tree *tree, const char *prefix);

#endif
