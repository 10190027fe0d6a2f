/*
 * The Info column's tags (preference info_prefix): "[HS 1/3]", "[FIN 2/3]",
 * "[RST]", in the language of the `language` preference, in the column and
 * in its field (_ws.col.info, Wireshark 4.2 and later), kept equal to the
 * column.
 */
#ifndef TCPSTATE_INFO_FIELD_H
#define TCPSTATE_INFO_FIELD_H

#include "tcpstate_plugin.h"

/* Put prefix before the value of every _ws.col.info field of the tree. */
void info_field_prepend(proto_tree *tree, const char *prefix);

/* The tag of each tracked layer of the frame, before the Info column and
 * its field. */
void info_field_tag_frame(proto_tree *tree, packet_info *pinfo, const tcpstate_frame *frame);

#endif
