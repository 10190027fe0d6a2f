/*
 * A segment's verdict - what it is and does: sender, role, phase, step,
 * the states of both endpoints before and after, attempt, kind of reset,
 * events, Zeek conn_state - is one of few combinations in a capture (a few
 * hundred in a million segments). Each distinct combination is stored once
 * per file and a frame keeps its 16-bit index.
 */
#ifndef TCPSTATE_VERDICTS_H
#define TCPSTATE_VERDICTS_H

#include <wireshark.h>

#include "tcpstate_core.h"

/* No index: the table is full (a hostile capture); the caller keeps the
 * whole result instead. */
#define VERDICT_NONE 0xFFFFu

/* Start an empty table (the file's init: the file scope must be open). */
void verdicts_init(void);

/* The index of the result's verdict (its numbers - len, acked_new, flags,
 * RTT - are not part of it). */
uint16_t verdicts_intern(const ts_result *r, uint8_t conn_state);

/* Set the verdict part of `r` and the conn_state from index `id`. */
void verdicts_apply(uint16_t id, ts_result *r, uint8_t *conn_state);

#endif
