/*
 * The words of the stream-level reports (-z tcpstate,conv / ladder / tree /
 * streams, the Flow Graph, the Info column's tags) in each language of the
 * `language` preference, and the display width of what they print.
 *
 * Tokens of docs/spec.md (state names, role tokens, conn_state codes, field
 * names) are never translated: they are what a student types into a filter.
 * Everything else a student reads has an English and a Simplified Chinese
 * form side by side (TS_RW, the style of core/notes.c): the English forms are
 * those docs/reports.md shows and stay byte-identical.
 */
#ifndef TCPSTATE_REPORT_WORDS_H
#define TCPSTATE_REPORT_WORDS_H

#include <stddef.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The phrase of `lang`: its English or its Chinese form. */
#define TS_RW(lang, en, zh) ((lang) == TS_LANG_ZH_CN ? (zh) : (en))

/* How a stream opened / closed (core/outcome.h's TS_OPEN_*, TS_CLOSE_*):
 * in English the contract's tokens (ts_open_name, ts_close_name, the values
 * of tcpstate.outcome.*), in Chinese the words of the lesson (三次握手,
 * 四次挥手, ...). "?" out of range. */
const char *ts_open_words(unsigned open, ts_language lang);
const char *ts_close_words(unsigned close, ts_language lang);

/* "client"/"server", "客户端"/"服务器" (ts_side_name in English). */
const char *ts_side_words(unsigned side, ts_language lang);

/* Why a connection whose SYN got no answer (closed `no answer`) has its
 * server in the state the report shows: the model delivers the SYN
 * (docs/spec.md), the capture cannot show that it arrived. The parenthesis
 * of the conv report's footnote "* stream 0: server SYN-RECEIVED (...)". */
const char *ts_unanswered_syn_words(ts_language lang);

/* What an RST did, as the ladder's role column says it after "rst "
 * ("refused", "拒绝连接"); NULL for a kind without a name. */
const char *ts_rst_kind_words(unsigned rst_kind, ts_language lang);

/* The Info column's tag of a segment (docs/spec.md): "[HS 1/3]", "[FIN 2/3]",
 * "[FIN 1]" while the kind of close is not known, "[RST]", "[HS rexmit]"
 * for a repeated milestone; in Chinese "[握手 1/3]", "[挥手 2/3]", "[复位]",
 * "[握手 重传]". Returns the length it needed (snprintf's), 0 and nothing
 * written for data and plain ACKs. */
size_t ts_info_tag(const ts_result *r, ts_language lang, char *buf, size_t size);

/* Columns a terminal gives UTF-8 text: 2 for an East Asian wide or
 * fullwidth character (CJK ideographs, Chinese punctuation), 1 for any other
 * character, 1 for each byte of an invalid sequence. */
size_t ts_text_width(const char *s);

/* Bytes of the longest prefix of `s` that is at most `max_cols` columns
 * wide and ends on a character boundary (so a cut never splits a character). */
size_t ts_text_fit(const char *s, size_t max_cols);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_REPORT_WORDS_H */
