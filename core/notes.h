/*
 * The expert notes of a segment (the plugin shows each as an expert info): the
 * events of a ts_result put into words, in English or Simplified Chinese.
 */
#ifndef TCPSTATE_NOTES_H
#define TCPSTATE_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TS_NOTE_MIDSTREAM = 0,
    TS_NOTE_SIMULTANEOUS_OPEN,
    TS_NOTE_SIMULTANEOUS_CLOSE,
    TS_NOTE_MERGED_CLOSE,
    TS_NOTE_HALF_CLOSE,
    TS_NOTE_RETRANSMISSION,
    TS_NOTE_RST,
    TS_NOTE_AFTER_CLOSE,
    TS_NOTE_LOST_SEGMENT,
    TS_NOTE_TIME_WAIT,
    TS_NOTE_ODD_FLAGS,
    TS_NOTE_DATA_AFTER_FIN,
    TS_NOTE_UNEXPECTED,
    TS_NOTE_RST_IGNORED,
    TS_NOTE_STALE,
    TS_NOTE_KEEPALIVE,
    TS_NOTE_CANNOT_SHOW,
    TS_NOTE_COUNT
} ts_note;

/* Writes the text of note `which` for this segment and returns its length, or
 * 0 when the segment has no such note; it fits TS_TEXT_MAX (tcpstate_core.h). `msl_s` is the MSL preference. */
size_t ts_note_text(const ts_result *r, ts_note which, ts_language lang, unsigned msl_s, char *buf,
                    size_t size);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_NOTES_H */
