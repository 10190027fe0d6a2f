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

#endif
