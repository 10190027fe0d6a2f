/*
 * Internal to the texts (describe*.c, explain.c, notes.c): a bounded text
 * buffer and the wording they share. Not part of the core's public API.
 */
#ifndef TCPSTATE_DESCRIBE_TEXT_H
#define TCPSTATE_DESCRIBE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tcpstate_core.h"

typedef struct {
    char *buf;
    size_t size;
    size_t len; /* length needed so far (may exceed size) */
} ts_text;

/* Pick the format of the preferred language; both formats of a pair take the
 * same arguments in the same order. */
#define TS_L(lang, en, zh) ((lang) == TS_LANG_ZH_CN ? (zh) : (en))

/* "client"/"server", or 客户端/服务器 in Chinese. */
const char *ts_side_in(unsigned side, ts_language lang);

/* "s" for an English count other than 1, "" else (Chinese has no plural). */
const char *ts_plural(uint32_t n, ts_language lang);

/* printf into the buffer; what does not fit is counted but not written. */
void ts_text_put(ts_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The state changes of the segment, sender first: "<first> client A → B<sep>
 * server C → D", or `none` when nothing changed. A change that corrects the
 * model says so, with its evidence: "client TIME-WAIT → FIN-WAIT-1
 * (corrected: ...)". */
void ts_text_put_changes(ts_text *t, const ts_result *r, ts_language lang, const char *first,
                         const char *sep, const char *none);

/* Why a side's state was corrected (docs/spec.md's proofs), in words; nothing
 * when it was not. */
void ts_text_put_evidence(ts_text *t, const ts_result *r, unsigned side, ts_language lang);

/* A milestone's step in the words of the lesson, written once for the
 * summary and the chat item: "Handshake 2/3", "Teardown 2/3", "Teardown 1"
 * (the kind of close not known yet); "第二次握手", "第二次挥手" (r->step > 0). */
void ts_text_put_step(ts_text *t, const ts_result *r, ts_language lang);

/* A final ACK that ends its receiver's CLOSING (RFC 9293 section 3.10.7.4):
 * in a simultaneous close each side sends one, for the other's FIN, and
 * neither is "the final ACK" of a three- or four-way close. */
static inline int ts_acks_crossed_fin(const ts_result *r)
{
    return r->role == TS_ROLE_FINAL_ACK && r->prev[1u - (r->sender & 1u)] == TS_CLOSING;
}

/* "<milestone>: <what the segment does>; <what it changes>" (describe_sentence.c). */
void ts_describe_sentence(ts_text *t, const ts_result *r, ts_language lang);

/* Wording the summary and the expert notes share, written once
 * (describe_sentence.c): "SYN retransmission, attempt 2"; why an RST was not
 * accepted (returns 0 when it was); what an accepted RST does. `note`
 * selects the expert note's form, else the summary's clause. */
void ts_text_put_retransmitted(ts_text *t, const ts_result *r, ts_language lang);
/* core/unshown.c: what the capture cannot show (TS_EV_CANNOT_SHOW), and the
 * receiver's state in the other story. */
void ts_text_put_unshown(ts_text *t, const ts_result *r, ts_language lang);
void ts_text_put_unshown_note(ts_text *t, const ts_result *r, ts_language lang);
ts_state ts_unshown_alternative(unsigned shown);
int ts_text_put_rst_ignored(ts_text *t, const ts_result *r, ts_language lang, int note);
void ts_text_put_rst_kind(ts_text *t, const ts_result *r, ts_language lang, int note);

#endif
