/*
 * What the plugin's files share: the registered ids (fields, subtrees, expert
 * infos), the preferences, and the per-frame record that the first pass stores
 * and every pass renders.
 */
#ifndef TCPSTATE_PLUGIN_H
#define TCPSTATE_PLUGIN_H

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>

#include "printed_fields.h"
#include "refs.h"
#include "tcpstate_core.h"
#include "wire.h"
#include "zeek.h"

/* Is every item of this tree shown (-V, pdml, json, the GUI's packet
 * details)? Not in a tree that is not visible, nor in tshark 4.0's visible
 * tree for -T fields, which prints only its -e fields (printed_fields.c). */
static inline gboolean tree_in_full(proto_tree *tree)
{
    return tree && PTREE_DATA(tree)->visible && !printed_fields_only;
}

/* Will this field be shown or extracted in this dissection? What
 * proto_field_is_referenced() answers, read from the field's registration
 * (kept from its registration to the end of the run) without a lookup per
 * item: a tree shown in full shows everything; a tree that is not visible (a
 * first pass that only filters or counts, tshark 4.4's -T fields, which
 * primes its -e fields) keeps only the items of fields that a filter, a
 * column or an -e field refers to (their ref_type), and protocols' items
 * when it does not fake protocols (the GUI's protocol hierarchy). Wireshark
 * fakes the others (epan/proto.c, TRY_TO_FAKE_THIS_ITEM: nothing is added,
 * the parent is returned), so neither their texts nor the calls that add
 * them are needed (docs/performance.md, "Fields on 4.4 (session 10)").
 * tshark 4.0's -T fields tree is visible but prints only its -e fields: it
 * gets the same items, and those of its -e fields (printed_fields.h). */
static inline gboolean field_seen(proto_tree *tree, const header_field_info *field)
{
    return tree && ((PTREE_DATA(tree)->visible && (!printed_fields_only || printed_field(field))) ||
                    field->ref_type != HF_REF_TYPE_NONE ||
                    (field->type == FT_PROTOCOL && !PTREE_DATA(tree)->fake_protocols));
}

void proto_register_tcpstate(void);
void proto_reg_handoff_tcpstate(void);

/* The values a frame shares with its stream's other frames, as of that
 * frame: what its explanations refer to (core/refs.h: each side's base, the
 * frames of its SYN and FIN, when it entered TIME-WAIT), the handshake RTT
 * and the Zeek history buffer. Streams keep them compactly (conn_epochs.c);
 * an item gets its own copy. */
typedef struct {
    ts_refs refs;
    int64_t handshake_rtt_ns;      /* -1 when none (yet) */
    const char *history;           /* Zeek history: in an item, the item's own copy (its
                                      `history`); in the stream's epochs, the buffer these
                                      frames show a prefix of */
} tcpstate_conn_info;

/* One tracked TCP layer of a frame: its stream and the core's verdicts, as
 * rendered and tapped on every pass. The first pass builds it from the
 * tracker; later passes rebuild it from the frame's compact record, the
 * header bytes and the stream's records (tracking.c). The Zeek history as of
 * the segment is the item's own copy, `history` (history_len bytes and a NUL),
 * and `info->history` points to it: never to the stream's live buffer, which
 * later segments change, so a tap listener may keep reading it for as long as
 * the item lives. */
typedef struct {
    uint32_t stream;
    uint32_t seq, ack; /* the segment's raw sequence and acknowledgment numbers */
    ts_result result;
    const tcpstate_conn_info *info;
    const ts_reuse *reuse; /* NULL but on a reusing stream's first segment */
    const ts_tw_end *tw_end; /* NULL but on the segment of a reusing stream that ends the
                                earlier stream's TIME-WAIT (core/refs.h) */
    ts_wire_info wire; /* what the segment does on the wire (core/wire.h), for the texts */
    int64_t time_ns;
    uint8_t history_len;
    uint8_t conn_state; /* ts_zeek_conn_state */
    char history[TS_ZEEK_HISTORY_MAX + 1];
} tcpstate_item;

/* A frame's tracked layers (one item per tracked TCP layer). */
typedef struct {
    unsigned count;
    unsigned untracked; /* TCP layers with an incomplete header, not tracked */
    tcpstate_item item[];
} tcpstate_frame;

typedef struct {
    int proto;
    int tap; /* "tcpstate": one tcpstate_item per tracked TCP layer, on every pass */
    int hf_stream, hf_summary, hf_sender, hf_role, hf_phase, hf_step, hf_attempt;
    int hf_client_prev, hf_client_state, hf_server_prev, hf_server_state;
    int hf_assumed, hf_handshake_rtt, hf_conn_state, hf_history, hf_why;
    int ett_tcpstate, ett_why, ett_zeek;
    expert_field ei_milestone, ei_simultaneous_open, ei_simultaneous_close, ei_merged_close,
        ei_half_close, ei_retransmission, ei_rst, ei_after_close, ei_midstream, ei_lost_segment,
        ei_time_wait, ei_odd_flags, ei_data_after_fin, ei_unexpected, ei_untracked,
        ei_port_reuse, ei_rst_ignored, ei_stale, ei_keepalive, ei_cannot_show;
} tcpstate_ids;

/* tvb_get_guint8() is deprecated from 4.4 on for tvb_get_uint8(). */
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 4
#define tcpstate_tvb_u8 tvb_get_guint8
#else
#define tcpstate_tvb_u8 tvb_get_uint8
#endif

/* Boolean preferences are gboolean up to 4.2 and bool from 4.4 on. */
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 4
typedef gboolean tcpstate_pref_bool;
#else
typedef bool tcpstate_pref_bool;
#endif

typedef struct {
    unsigned msl_seconds;
    int language; /* ts_language */
    tcpstate_pref_bool milestone_chat;
    tcpstate_pref_bool info_prefix;
} tcpstate_prefs;

extern tcpstate_ids tcpstate_id;
extern tcpstate_prefs tcpstate_pref;

#endif
