/*
 * The tcpstate post-dissector: registration, preferences, and the per-frame
 * entry point. It runs after every other dissector; on a frame's first pass
 * it reads the frame's TCP headers (tcp_layers.c) and feeds them to the core
 * tracker, storing the verdict on the frame; on every pass (the first, the
 * second pass of tshark -2, a click in the GUI) it renders from what was
 * stored, so all of them show the same values.
 */
#include "tcpstate_plugin.h"

#include <epan/prefs.h>
#include <epan/tap.h>

#include "audience.h"
#include "conn_outcome.h"
#include "gui_refilter.h"
#include "experts.h"
#include "info_field.h"
#include "printed_fields.h"
#include "readfilter_replay.h"
#include "render.h"
#include "reports.h"
#include "tcp_layers.h"
#include "tracking.h"

tcpstate_ids tcpstate_id = {
    .proto = -1,
    .tap = -1,
    .hf_stream = -1, .hf_summary = -1, .hf_sender = -1, .hf_role = -1, .hf_phase = -1,
    .hf_step = -1, .hf_attempt = -1, .hf_client_prev = -1, .hf_client_state = -1,
    .hf_server_prev = -1, .hf_server_state = -1, .hf_assumed = -1, .hf_handshake_rtt = -1,
    .hf_conn_state = -1, .hf_history = -1, .hf_why = -1, .ett_why = -1, .ett_zeek = -1,
    .ett_tcpstate = -1,
    .ei_milestone = EI_INIT, .ei_simultaneous_open = EI_INIT, .ei_simultaneous_close = EI_INIT,
    .ei_merged_close = EI_INIT, .ei_half_close = EI_INIT, .ei_retransmission = EI_INIT,
    .ei_rst = EI_INIT, .ei_after_close = EI_INIT, .ei_midstream = EI_INIT,
    .ei_lost_segment = EI_INIT, .ei_time_wait = EI_INIT, .ei_odd_flags = EI_INIT,
    .ei_data_after_fin = EI_INIT, .ei_unexpected = EI_INIT, .ei_untracked = EI_INIT,
    .ei_port_reuse = EI_INIT,
};

tcpstate_prefs tcpstate_pref = {
    .msl_seconds = 30, /* docs/spec.md: 2×MSL = 60 s, Linux's fixed TIME-WAIT */
    .language = TS_LANG_EN,
    .milestone_chat = TRUE,
    .info_prefix = FALSE,
};

static dissector_handle_t tcpstate_handle;

/* Can anything see the items of this dissection? Without a protocol tree
 * only the expert infos would be: their texts through the expert tap (Expert
 * Information, -z expert), their severity in an Expert column. A plain run
 * (tshark -r) has none of them, and then rendering would cost every frame
 * for nothing (docs/performance.md). */
static gboolean items_seen(proto_tree *tree, const packet_info *pinfo)
{
    return tree || experts_seen_without_tree(pinfo);
}

/* The first pass of one frame's segments (or, after a read filter, of a
 * dropped record replayed: readfilter_replay.c), in capture order. */
static const tcpstate_frame *track_frame(packet_info *pinfo, const tcp_layers *layers, void *cfg)
{
    const tcpstate_frame *frame = tracking_track_frame(pinfo, layers, (const ts_config *)cfg);

    for (unsigned i = 0; frame && audience_dissects_again() && i < frame->count; i++)
        outcome_track(pinfo, &frame->item[i]);
    return frame;
}

static int dissect_tcpstate(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const tcpstate_frame *frame;
    gboolean seen;

    printed_fields_decide(); /* before anything asks field_seen() */
    seen = items_seen(tree, pinfo);

    if (!PINFO_FD_VISITED(pinfo)) {
        tcp_layers layers;
        ts_config cfg;

        if (audience_none_known(tree, pinfo))
            return 0;
        cfg.msl_ns = (int64_t)tcpstate_pref.msl_seconds * 1000000000;
        tcp_layers_read(pinfo, tree, tvb,
                        (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs, &layers);
        if (audience_none(tree, pinfo, &layers))
            return 0;
        frame = readfilter_replay_track(pinfo, &layers, track_frame, &cfg);
        gui_refilter_first_pass();
    } else {
        readfilter_replay_visited(pinfo);
        frame = tracking_frame(pinfo, tvb);
    }
    if (!frame)
        return 0;
    for (unsigned i = 0; i < frame->count; i++) {
        proto_tree *st = NULL;

        if (seen) {
            st = render_item(tree, pinfo, tvb, &frame->item[i]);
            outcome_render(st, pinfo, tvb, &frame->item[i]);
        }
        tap_queue_packet(tcpstate_id.tap, pinfo, &frame->item[i]);
    }
    if (tcpstate_pref.info_prefix)
        info_field_tag_frame(tree, pinfo, frame);
    if (frame->untracked && seen)
        render_untracked(tree, pinfo, tvb, frame->untracked);
    return tvb_captured_length(tvb);
}

/* A new file (or a redissection): empty tables, and the TCP fields to ask
 * for with the preferences of now (none unless TCP verifies checksums). */
static void init_file(void)
{
    tracking_init();
    audience_init_file();
    readfilter_replay_pass_start();
    experts_init_file();
    set_postdissector_wanted_hfids(tcpstate_handle, tcp_layers_wanted_fields());
    experts_select((ts_language)tcpstate_pref.language);
}

/* The preferences changed (or were read): the expert infos of the language. */
static void apply_prefs(void)
{
    experts_select((ts_language)tcpstate_pref.language);
}

#define STRING_FIELD(var, name, abbrev, blurb) \
    { &tcpstate_id.var, { name, abbrev, FT_STRING, BASE_NONE, NULL, 0x0, blurb, HFILL } }

void proto_register_tcpstate(void)
{
    static hf_register_info hf[] = {
        STRING_FIELD(hf_summary, "Summary", "tcpstate.summary",
                     "What this segment does in the connection and what it changes"),
        { &tcpstate_id.hf_stream,
          { "Stream index", "tcpstate.stream", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The same number as tcp.stream", HFILL } },
        STRING_FIELD(hf_sender, "Sender", "tcpstate.sender",
                     "Which endpoint sent this segment: client or server"),
        STRING_FIELD(hf_role, "Role", "tcpstate.role",
                     "What the segment does: syn, syn-ack, handshake-ack, data, ack, fin, "
                     "ack-of-fin, fin+ack-of-fin, final-ack, rst"),
        STRING_FIELD(hf_phase, "Phase", "tcpstate.phase",
                     "handshake, data, teardown, reset or closed"),
        { &tcpstate_id.hf_step,
          { "Step", "tcpstate.step", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Position of this segment in the handshake (1-3) or the teardown (1-4)", HFILL } },
        { &tcpstate_id.hf_attempt,
          { "Attempt", "tcpstate.attempt", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Transmission number of a retransmitted SYN, SYN+ACK or FIN (2 = first "
            "retransmission)", HFILL } },
        STRING_FIELD(hf_client_prev, "Client state before", "tcpstate.client.prev",
                     "The client's RFC 9293 state just before this segment"),
        STRING_FIELD(hf_client_state, "Client state after", "tcpstate.client.state",
                     "The client's RFC 9293 state just after this segment"),
        STRING_FIELD(hf_server_prev, "Server state before", "tcpstate.server.prev",
                     "The server's RFC 9293 state just before this segment"),
        STRING_FIELD(hf_server_state, "Server state after", "tcpstate.server.state",
                     "The server's RFC 9293 state just after this segment"),
        { &tcpstate_id.hf_assumed,
          { "States assumed", "tcpstate.assumed", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The opening of this connection was not captured: states are inferred", HFILL } },
        STRING_FIELD(hf_conn_state, "Zeek conn_state", "tcpstate.conn_state",
                     "The connection's Zeek conn_state code as of this segment (S0 S1 SF REJ "
                     "S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH)"),
        STRING_FIELD(hf_history, "Zeek history", "tcpstate.history",
                     "The connection's Zeek history string as of this segment"),
        STRING_FIELD(hf_why, "Why", "tcpstate.why",
                     "One line of the explanation: the seq/ack arithmetic of this segment, "
                     "TIME-WAIT"),
        { &tcpstate_id.hf_handshake_rtt,
          { "Handshake RTT", "tcpstate.handshake_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Time from the first SYN to the handshake ACK", HFILL } },
    };
    static gint *ett[] = { &tcpstate_id.ett_tcpstate, &tcpstate_id.ett_why, &tcpstate_id.ett_zeek };
    static const enum_val_t language_values[] = {
        { "en", "English", TS_LANG_EN },
        { "zh_CN", "简体中文 (Simplified Chinese)", TS_LANG_ZH_CN },
        { NULL, NULL, 0 },
    };
    module_t *prefs;

    tcpstate_id.proto = proto_register_protocol("TCP Connection State", "TCPSTATE", "tcpstate");
    proto_register_field_array(tcpstate_id.proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    experts_register(tcpstate_id.proto);
    render_register();

    prefs = prefs_register_protocol(tcpstate_id.proto, apply_prefs);
    prefs_register_uint_preference(prefs, "msl", "Maximum Segment Lifetime (seconds)",
                                   "TIME-WAIT lasts 2×MSL; after that an endpoint in TIME-WAIT "
                                   "counts as CLOSED (Linux waits 60 s in all)",
                                   10, &tcpstate_pref.msl_seconds);
    prefs_register_enum_preference(prefs, "language", "Language",
                                   "Language of the summary line and the explanations",
                                   &tcpstate_pref.language, language_values, FALSE);
    prefs_register_bool_preference(prefs, "milestone_chat", "Chat item for each milestone",
                                   "Add a chat-level expert info for each handshake and "
                                   "teardown step", &tcpstate_pref.milestone_chat);
    prefs_register_bool_preference(prefs, "info_prefix", "Tag the Info column",
                                   "Prefix the Info column with a short tag such as [HS 1/3], "
                                   "[FIN 2/3] or [RST]", &tcpstate_pref.info_prefix);

    tcpstate_handle = register_dissector("tcpstate", dissect_tcpstate, tcpstate_id.proto);
    register_init_routine(init_file);
    register_cleanup_routine(tracking_cleanup);
    tcpstate_id.tap = register_tap("tcpstate");
    outcome_register();
}

void proto_reg_handoff_tcpstate(void)
{
    register_postdissector(tcpstate_handle);
    tcp_layers_register(); /* any field is asked for when a file opens (init_file) */
    audience_register();
    printed_fields_register();
    reports_register();
    if (report_in_gui()) {
        gui_refilter_register();
        readfilter_replay_enable(); /* tshark never re-dissects */
    }
}
