/*
 * The words for an earlier connection's TIME-WAIT that a new connection on
 * its addresses and ports ended early (core/refs.h, ts_tw_end), in English
 * or Simplified Chinese (the Chinese names only state names and protocol
 * tokens in Latin letters):
 *
 * - the reason beside the earlier stream's final state in the reports
 *   ("TIME-WAIT ended by stream 1's SYN, frame 10");
 * - the Why line of the new connection's segment that shows it.
 */
#ifndef TCPSTATE_TW_END_TEXT_H
#define TCPSTATE_TW_END_TEXT_H

#include <stddef.h>

#include "refs.h"
#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Both write a NUL-terminated text (cut at a UTF-8 character boundary when
 * `size` is short) and return the length it needed, as snprintf does. */
size_t ts_tw_end_reason(const ts_tw_end *end, ts_language lang, char *buf, size_t size);
size_t ts_tw_end_why(const ts_tw_end *end, ts_language lang, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_TW_END_TEXT_H */
