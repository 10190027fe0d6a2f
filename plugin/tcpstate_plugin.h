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

#include "tcpstate_core.h"

void proto_register_tcpstate(void);
void proto_reg_handoff_tcpstate(void);

/* One tracked TCP layer of a frame: its stream and the core's verdict. */
typedef struct {
    uint32_t stream;
    ts_result result;
} tcpstate_item;

/* What the first pass stores for a frame (one item per tracked TCP layer). */
typedef struct {
    unsigned count;
    unsigned untracked; /* TCP layers with an incomplete header, not tracked */
    tcpstate_item item[];
} tcpstate_frame;

typedef struct {
    int proto;
    int hf_stream, hf_summary, hf_sender, hf_role, hf_phase, hf_step, hf_attempt;
    int hf_client_prev, hf_client_state, hf_server_prev, hf_server_state;
    int hf_assumed, hf_handshake_rtt;
    int ett_tcpstate;
    expert_field ei_milestone, ei_simultaneous_open, ei_simultaneous_close, ei_merged_close,
        ei_half_close, ei_retransmission, ei_rst, ei_after_close, ei_midstream, ei_lost_segment,
        ei_time_wait, ei_odd_flags, ei_data_after_fin, ei_unexpected, ei_untracked;
} tcpstate_ids;

/* Boolean preferences are gboolean up to 4.2 and bool from 4.4 on. */
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 4
typedef gboolean tcpstate_pref_bool;
#else
typedef bool tcpstate_pref_bool;
#endif

typedef struct {
    unsigned msl_seconds;
    tcpstate_pref_bool milestone_chat;
} tcpstate_prefs;

extern tcpstate_ids tcpstate_id;
extern tcpstate_prefs tcpstate_pref;

#endif
