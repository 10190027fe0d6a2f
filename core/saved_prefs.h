/*
 * The `tcpstate.language` a Wireshark preferences file holds, read from its
 * text. Wireshark registers the Statistics menu entries and the Flow Graph
 * type before it reads any preference (docs/reports.md, "In Chinese"); the
 * plugin reads the saved language itself at registration so that those
 * titles follow what the Preferences dialog saved (plugin/report_common.c).
 */
#ifndef TCPSTATE_SAVED_PREFS_H
#define TCPSTATE_SAVED_PREFS_H

#include <stddef.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The language of the last valid `tcpstate.language: VALUE` line of the
 * preferences file text `text` (len bytes, NUL not needed): 1 and *out set,
 * or 0 when there is none. As Wireshark reads the file: a line starting
 * with '#' is a comment (a default Wireshark writes out commented), the key
 * starts the line, blanks around the value do not count, and the value is
 * the enum's name or its description, without regard to ASCII case ("en",
 * "English", "zh_CN", "简体中文 (Simplified Chinese)"); an unknown value
 * changes nothing. */
int ts_saved_language(const char *text, size_t len, ts_language *out);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_SAVED_PREFS_H */
