/*
 * The plugin's expert infos, registered in both languages of the `language`
 * preference (experts.c says why and how).
 */
#ifndef TCPSTATE_EXPERTS_H
#define TCPSTATE_EXPERTS_H

#include "tcpstate_plugin.h"

/* Register every expert info of protocol `proto` in English and Chinese. */
void experts_register(int proto);

/* Point tcpstate_id's expert fields at the registrations of `lang`. Called
 * whenever the preferences are applied and when a file is opened. */
void experts_select(ts_language lang);

/* When a file opens: find the expert tap and the fields of Wireshark's own
 * expert items (they exist once every protocol is registered). */
void experts_init_file(void);

/* Can anything see an expert info added to this dissection without a
 * protocol tree? The Expert Information dialog or -z expert (the expert
 * tap), or an Expert column. */
gboolean experts_seen_without_tree(const packet_info *pinfo);

/* Will every expert info added to `tree` (NULL or not visible included) be
 * seen (always, with a tree, in the GUI: experts.c)? Otherwise only those experts_field_seen() says: then, and only then,
 * is an expert info's text worth formatting. Ask once per dissection. */
gboolean experts_all_seen(proto_tree *tree, const packet_info *pinfo);
gboolean experts_field_seen(proto_tree *tree, const expert_field *ei);

/* Can experts_field_seen() be true of any of the plugin's expert infos (of the
 * language selected)? When it cannot and experts_all_seen() is false, no
 * expert info of this dissection is seen: no need to ask one by one. */
gboolean experts_some_field_seen(proto_tree *tree);

#endif
