/*
 * The short texts of the plugin's tree (docs/design.md, "The tree"): the
 * milestone in a few words (the chat expert item), each side's state line,
 * the segment's line (sender, role, phase, step), and where the summary's own words end and its state changes begin (the
 * tree's top line shows the words, the Client:/Server: lines the changes),
 * in English or Simplified Chinese. Built from the stored ts_result alone.
 */
#ifndef TCPSTATE_MILESTONE_H
#define TCPSTATE_MILESTONE_H

#include <stddef.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "Handshake 1/3 (SYN)", "Teardown 1 (FIN)", "Teardown 2/3 (FIN+ACK)",
 * "第二次挥手（FIN+ACK，共三次）": writes it and returns its length, or 0
 * (and "") when the segment is no milestone (step 0). */
size_t ts_milestone_in(const ts_result *r, ts_language lang, char *buf, size_t size);

/* One side's states: "ESTABLISHED → FIN-WAIT-1", "ESTABLISHED" when the
 * segment left it unchanged; a correction says so in the summary's words
 * ("CLOSE-WAIT → CLOSING (corrected: the FINs crossed)"). Returns the
 * length it needed. */
size_t ts_side_states_in(const ts_result *r, unsigned side, ts_language lang, char *buf,
                         size_t size);

/* The side's line of the tree: "Client: ESTABLISHED → FIN-WAIT-1",
 * "服务器：LISTEN → SYN-RECEIVED" (ts_side_states_in after the side's
 * name). Returns the length it needed. */
size_t ts_side_line_in(const ts_result *r, unsigned side, ts_language lang, char *buf,
                       size_t size);

/* The segment's line of the tree: sender, role, phase, step (and attempt),
 * "Sender: client, role: fin, phase: teardown, step: 1"; the tokens are the
 * filter values (docs/spec.md), in Chinese beside their words:
 * "发送方：客户端（client），角色：关闭（fin），阶段：挥手（teardown），步骤：第 1 步".
 * Returns the length it needed. */
size_t ts_segment_line_in(const ts_result *r, ts_language lang, char *buf, size_t size);

/* The length of the summary `summary` (len bytes, from ts_describe_in with
 * the same result and language) without the state changes that end it, and
 * without the separator before them: "Teardown 1: the client closes its side
 * of the connection (FIN)". When the end is not the changes this result
 * makes, len: the whole sentence. */
size_t ts_summary_head_len(const ts_result *r, ts_language lang, const char *summary, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_MILESTONE_H */
