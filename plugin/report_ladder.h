/*
 * What the text ladder (report_ladder.c), its SVG form (report_ladder_svg.c)
 * and the Flow Graph (flow_graph.c) share, so that the three say the same
 * thing about a segment: relative sequence numbers, the flags and role texts,
 * and the notes on what a segment reveals.
 */
#ifndef TCPSTATE_REPORT_LADDER_H
#define TCPSTATE_REPORT_LADDER_H

#include "reports.h"
#include "report_words.h"

/* Each side's ISN as the ladder takes it (report_ladder.c explains). */
typedef struct {
    uint32_t base[2];           /* by ts_side */
    uint8_t base_known[2], base_from_syn[2];
} ladder_isns;

void ladder_learn_isns(ladder_isns *isn, const tcpstate_item *item);

/* "SYN,ACK", in Wireshark's order; "no flags". */
void ladder_flags_text(uint16_t flags, char *buf, size_t size, ts_language lang);

/* "syn 1/3", "data", "fin #2", "rst refused": the ladder's role column. */
void ladder_role_text(unsigned role, unsigned step, unsigned step_total, unsigned attempt,
                      unsigned rst_kind, char *buf, size_t size, ts_language lang);

/* Events worth a note, in the order they are shown; in `text`, "%S" is the
 * segment's sender, "%P" its peer, "%A" its attempt number. */
typedef struct {
    ts_events event;
    const char *text[TS_LANG_COUNT]; /* by ts_language */
} ladder_note;

extern const ladder_note ladder_notes[];
extern const size_t ladder_note_count;
ts_events ladder_noted_events(void);
void ladder_note_expand(GString *out, const char *text, unsigned sender, unsigned attempt,
                        ts_language lang);

/* ---- The collected ladder of a stream (report_ladder.c fills it) ---- */

#define LADDER_FOLD_AFTER 6  /* runs of up to this many plain segments are shown one by one */
#define LADDER_NO_STATE 0xff

typedef struct {
    uint32_t frame;
    uint32_t seq, ack, len;  /* seq and ack relative to the ISNs */
    ts_events events;
    uint16_t flags;
    uint8_t sender, role, step, step_total, attempt, rst_kind;
    uint8_t show[2];         /* state to print beside the arrow, by side, or NO_STATE */
} ladder_seg;

typedef struct {
    uint32_t first_frame, last_frame;
    uint32_t count;
    uint32_t data[2], acks[2];  /* by sender */
    uint64_t bytes[2];
} ladder_fold;

typedef struct {
    gboolean is_fold;
    union {
        ladder_seg seg;
        ladder_fold fold;
    } u;
} ladder_line;

typedef struct {
    uint32_t stream;
    report_endpoints ep;
    uint8_t initial[2];      /* the states before the first segment */
    uint8_t shown[2];        /* the state last printed, by side */
    uint8_t assumed;
    ladder_isns isn;         /* each side's ISN */
    wmem_array_t *lines;     /* ladder_line */
    ladder_seg pending[LADDER_FOLD_AFTER]; /* the current run while it is short */
    ladder_fold run;         /* the current run's counters */
} ladder_stream;

/* The arrow's label: "SYN,ACK seq=0 ack=1 len=0". */
void ladder_seg_label(const ladder_seg *seg, char *buf, size_t size, ts_language lang);

/* A fold's text: "client 13 segs (21 B); server 2 segs", shorter in the
 * later styles (0-2); and its role column: "data/ack x15". */
void ladder_fold_text(GString *out, const ladder_fold *f, int style, ts_language lang);
void ladder_fold_role(const ladder_fold *f, char *buf, size_t size, ts_language lang);

/* The end of a ladder: each side's last state `last` (by ts_side) becomes
 * CLOSED where a later stream on the same addresses and ports ended its
 * TIME-WAIT (core/refs.h, ts_tw_end); ends[side] is that end, or NULL. */
void ladder_final_states(const ladder_stream *ls, uint8_t last[2], const ts_tw_end *ends[2]);

/* Why that side is CLOSED: "server: CLOSED (TIME-WAIT ended by stream 1's
 * SYN, frame 10)", into `out`. */
void ladder_end_reason(GString *out, unsigned side, const ts_tw_end *end, ts_language lang);

/* The SVG picture of one stream's ladder (report_ladder_svg.c), as a group
 * of `*height` pixels starting at `top`, written to `out`. */
void ladder_svg_stream(GString *out, const ladder_stream *ls, int top, int *height,
                       ts_language lang);
#define LADDER_SVG_WIDTH 980

#endif
