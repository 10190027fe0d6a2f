/*
 * Stream-level reports built on the "tcpstate" tap (docs/spec.md, "Stream-level
 * reports"; docs/reports.md):
 *
 *   -z tcpstate,conv[,tsv][,FILTER]   one row per stream     (report_conv.c)
 *   -z tcpstate,ladder[,STREAM]       a text ladder diagram  (report_ladder.c)
 *   -z tcpstate,tree[,FILTER]         a stats tree, also in the GUI's
 *                                     Statistics menu         (report_stats_tree.c)
 *   -z tcpstate,streams[,FILTER]      the per-stream table, also in the GUI's
 *                                     Statistics menu         (report_table.c)
 *   Statistics > Flow Graph, "TCP Connection State"          (flow_graph.c)
 *
 * The tap delivers one tcpstate_item per tracked TCP layer, on every pass, in
 * capture order. The reports only read those items: every verdict comes from
 * the core, on the first pass, so a report shows what the packet trees show.
 *
 * How a stream "opened" and "closed" is the core's (core/outcome.c); what
 * the reports share lives in report_common.c: who the client and server are
 * (address and port), and a few formatting helpers.
 */
#ifndef TCPSTATE_REPORTS_H
#define TCPSTATE_REPORTS_H

#include "tcpstate_plugin.h"
#include "outcome.h"

/* Called once, at the end of proto_reg_handoff_tcpstate(). */
void reports_register(void);

void report_conv_register(void);
void report_ladder_register(void);
void report_stats_tree_register(void);
void report_table_register(void);
#define REPORT_TABLE_CLI "tcpstate,streams"
void report_flow_register(void);

/* The language of the names registered at start-up - the Statistics menu
 * entries, the Flow Graph type, the title line of tshark's print of a
 * stats tree or table: Wireshark registers them before it reads any
 * preference, so this reads the `tcpstate.language` the personal
 * preferences file of the profile in use holds (what the Preferences dialog
 * saved; core/saved_prefs.c), once. A `-o tcpstate.language:...` on the
 * command line comes too late for them (docs/reports.md, "In Chinese"). */
ts_language report_menu_language(void);

/* The registered names, in report_menu_language(): the stats tree's menu
 * entry ("TCP Connection State"), the stream table's ("TCP Connection State
 * Streams") and the Flow Graph type ("TCP Connection State"). */
typedef enum { REPORT_MENU_TREE, REPORT_MENU_STREAMS, REPORT_MENU_FLOW } report_menu;
const char *report_menu_title(report_menu which);

/* Is this process Wireshark's GUI (not tshark)? The GUI runs -z reports
 * after it has read the file and never prints them (report_common.c). */
gboolean report_in_gui(void);

/* Is this process's executable named `name` (or `name` followed by more,
 * as tshark-4.0)? */
gboolean report_program_is(const char *name);

/* How a stream opened and closed: the core's ts_outcome (core/outcome.h). */

/* ---- Who the client and server are ---- */

/* The address and port of each endpoint, learnt from the first frame of the
 * stream whose addresses belong to it (see report_endpoints_learn). */
typedef struct {
    const char *addr[2]; /* by ts_side; NULL until known */
    uint16_t port[2];
    uint8_t ipv6;        /* format as [addr]:port */
} report_endpoints;

/* Is this item the innermost tracked TCP layer of its frame, the one
 * pinfo's addresses and ports belong to? */
gboolean report_item_innermost(packet_info *pinfo, const tcpstate_item *item);

/* Learn the endpoints from this frame if they are not known yet. pinfo's
 * addresses and ports are those of the frame's innermost IP and TCP headers,
 * so they are used only when the item is the frame's last tracked TCP layer.
 * Strings are allocated in `scope`. */
void report_endpoints_learn(report_endpoints *ep, wmem_allocator_t *scope, packet_info *pinfo,
                            const tcpstate_item *item);

/* "10.0.0.1:80", "[fd00::1]:80", or "?" when unknown; in `scope`. */
char *report_endpoint_str(const report_endpoints *ep, unsigned side, wmem_allocator_t *scope);

/* ---- Formatting ---- */

/* A time in seconds with six decimals ("12.000089", "-0.500000"). */
void report_format_time(char *buf, size_t size, int64_t ns);

/* nstime_t to nanoseconds. */
int64_t report_nstime_ns(const nstime_t *t);

/* Append `text` padded with blanks to `width` display columns (a CJK
 * character takes two: core/report_words.h), left- or right-aligned. */
void report_append_padded(GString *out, const char *text, size_t width, gboolean right);

/* Cut `s` to at most `max` display columns, marking a cut with '~'; a cut
 * never splits a UTF-8 character. */
void report_fit(GString *s, size_t max);

/* The `language` preference, for the reports' words (report_words.h). */
ts_language report_language(void);

/* Parse a non-negative decimal number that fills the whole string. */
gboolean report_parse_uint(const char *s, uint32_t *out);

#endif
