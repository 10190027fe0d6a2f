#include "render.h"

#include "explain.h"
#include "notes.h"

#include <epan/column-utils.h>

/* One buffer size for every text the core writes (core/explain.h). */
#define SUMMARY_MAX TS_TEXT_MAX

static void add_state_pair(proto_tree *tree, tvbuff_t *tvb, int hf_prev, int hf_state,
                           unsigned prev, unsigned state)
{
    proto_item_set_generated(proto_tree_add_string(tree, hf_prev, tvb, 0, 0, ts_state_name(prev)));
    proto_item_set_generated(proto_tree_add_string(tree, hf_state, tvb, 0, 0, ts_state_name(state)));
}

/* Expert infos: a chat item per milestone, notes for how the connection opens
 * and closes, warnings for what went wrong (group Sequence, as TCP's own). The
 * words come from the core (notes.c), in the language of the preference. */
static void add_experts(packet_info *pinfo, proto_item *ti, const ts_result *r, const char *summary)
{
    tcpstate_ids *id = &tcpstate_id; /* expert_add_info wants non-const fields */
    expert_field *const fields[TS_NOTE_COUNT] = {
        [TS_NOTE_MIDSTREAM] = &id->ei_midstream,
        [TS_NOTE_SIMULTANEOUS_OPEN] = &id->ei_simultaneous_open,
        [TS_NOTE_SIMULTANEOUS_CLOSE] = &id->ei_simultaneous_close,
        [TS_NOTE_MERGED_CLOSE] = &id->ei_merged_close,
        [TS_NOTE_HALF_CLOSE] = &id->ei_half_close,
        [TS_NOTE_RETRANSMISSION] = &id->ei_retransmission,
        [TS_NOTE_RST] = &id->ei_rst,
        [TS_NOTE_AFTER_CLOSE] = &id->ei_after_close,
        [TS_NOTE_LOST_SEGMENT] = &id->ei_lost_segment,
        [TS_NOTE_TIME_WAIT] = &id->ei_time_wait,
        [TS_NOTE_ODD_FLAGS] = &id->ei_odd_flags,
        [TS_NOTE_DATA_AFTER_FIN] = &id->ei_data_after_fin,
        [TS_NOTE_UNEXPECTED] = &id->ei_unexpected,
        [TS_NOTE_RST_IGNORED] = &id->ei_rst_ignored,
        [TS_NOTE_STALE] = &id->ei_stale,
        [TS_NOTE_KEEPALIVE] = &id->ei_keepalive,
    };
    char text[SUMMARY_MAX];

    if (r->step && tcpstate_pref.milestone_chat)
        expert_add_info_format(pinfo, ti, &id->ei_milestone, "%s", summary);
    for (int n = 0; n < TS_NOTE_COUNT; n++) {
        if (ts_note_text(r, (ts_note)n, (ts_language)tcpstate_pref.language,
                         tcpstate_pref.msl_seconds, text, sizeof text))
            expert_add_info_format(pinfo, ti, fields[n], "%s", text);
    }
}

/* Will this field be shown or extracted? On a first pass that only filters or
 * counts, Wireshark builds an invisible tree and drops the items nobody asked
 * for: then the texts need not be formatted at all. */
static bool tree_shows(proto_tree *tree, int hf)
{
    return tree && (PTREE_DATA(tree)->visible || proto_field_is_referenced(tree, hf));
}

/* The frame of the peer's SYN or FIN this segment is the first to
 * acknowledge (0 when none), and which of the two it is. */
static uint32_t acked_frame(const tcpstate_item *item, uint8_t *is_syn)
{
    const ts_result *r = &item->result;
    const tcpstate_conn_info *info = item->info;
    unsigned peer = 1u - (r->sender & 1u);

    *is_syn = 0;
    if (!info)
        return 0;
    if (r->role == TS_ROLE_ACK_OF_FIN || r->role == TS_ROLE_FINAL_ACK ||
        r->role == TS_ROLE_FIN_ACK_OF_FIN)
        return info->fin_frame[peer];
    /* The first ack of the peer's SYN: exactly its ISN + 1, newly acked
     * (the SYN-ACK, the handshake ACK, or an RST refusing the SYN). */
    if (r->acked_new && (r->flags & TS_ACK) && info->base_from_syn[peer] &&
        item->ack == info->base[peer] + 1 && info->syn_frame[peer]) {
        *is_syn = 1;
        return info->syn_frame[peer];
    }
    return 0;
}

/* What the Why lines of an item refer to. */
static void explain_input(const tcpstate_item *item, uint32_t frame, ts_explain_input *in_out)
{
    ts_explain_input in;

    memset(&in, 0, sizeof in);
    in.now_ns = item->time_ns;
    in.msl_ns = (int64_t)tcpstate_pref.msl_seconds * 1000000000;
    in.seq_raw = item->seq;
    in.ack_raw = item->ack;
    in.acked_frame = acked_frame(item, &in.acked_syn);
    in.wire = item->wire;
    in.wire_known = 1;
    if (item->info) {
        for (int i = 0; i < 2; i++) {
            in.time_wait_since_ns[i] = item->info->time_wait_since_ns[i];
            in.base[i] = item->info->base[i];
            in.base_known[i] = item->info->base_known[i];
            in.base_from_syn[i] = item->info->base_from_syn[i];
        }
        /* The sender's FIN was sent in an earlier frame (it took a number). */
        in.fin_sent_before = item->info->fin_frame[item->result.sender & 1u] != 0 &&
                             item->info->fin_frame[item->result.sender & 1u] != frame;
    }
    if (item->reuse) {
        in.reuse = 1;
        in.reuse_stream = item->reuse->stream;
        in.reuse_old_open = item->reuse->old_open;
        for (int i = 0; i < 2; i++) {
            in.reuse_in_tw[i] = item->reuse->in_tw[i];
            in.reuse_tw_left_ns[i] = item->reuse->tw_left_ns[i];
        }
    }
    *in_out = in;
}

/* Wireshark cuts an item's label at ITEM_LABEL_LENGTH (240 bytes in 4.0,
 * epan/proto.h), the field's name included: a longer Why line becomes
 * several items, each ending at a sentence or clause boundary (never inside
 * a UTF-8 character), so that no line is cut off - a Chinese character takes
 * three bytes, so Chinese lines are the first to need it. */
#define WHY_PIECE_MAX 200

static size_t piece_end(const char *s, size_t len)
{
    static const char *const breaks[] = { "; ", "\xef\xbc\x9b" /* ； */, ": ",
                                          "\xef\xbc\x9a" /* ： */, ", ", "\xef\xbc\x8c" /* ， */,
                                          " " };
    if (len <= WHY_PIECE_MAX)
        return len;
    for (size_t b = 0; b < sizeof breaks / sizeof breaks[0]; b++) {
        size_t blen = strlen(breaks[b]);
        for (size_t i = WHY_PIECE_MAX - blen; i > WHY_PIECE_MAX / 2; i--)
            if (memcmp(s + i, breaks[b], blen) == 0)
                return i + blen;
    }
    {
        size_t i = WHY_PIECE_MAX;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        return i;
    }
}

static void add_why_line(proto_tree *wt, int hf, tvbuff_t *tvb, const char *line, size_t len)
{
    char piece[WHY_PIECE_MAX + 1];
    const char *nl = memchr(line, '\n', len);

    if (nl) { /* the core's own line break */
        add_why_line(wt, hf, tvb, line, (size_t)(nl - line));
        add_why_line(wt, hf, tvb, nl + 1, len - (size_t)(nl + 1 - line));
        return;
    }
    while (len) {
        size_t n = piece_end(line, len);
        memcpy(piece, line, n);
        while (n && piece[n - 1] == ' ')
            n--;
        piece[n] = '\0';
        proto_item_set_generated(proto_tree_add_string(wt, hf, tvb, 0, 0, piece));
        n = piece_end(line, len);
        line += n;
        len -= n;
    }
}

/* The "Why" subtree: seq/ack arithmetic and TIME-WAIT, one item per line; the
 * port-reuse line is also an expert note. */
static void add_why(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, proto_item *top,
                    const tcpstate_item *item)
{
    const tcpstate_ids *id = &tcpstate_id;
    ts_language lang = (ts_language)tcpstate_pref.language;
    ts_explain_input in;
    char line[SUMMARY_MAX];
    proto_item *ti;
    proto_tree *wt;

    explain_input(item, pinfo->num, &in);
    if (!tree_shows(tree, id->hf_why)) {
        if (in.reuse && ts_explain_line(&item->result, &in, lang, TS_WHY_REUSE, line, sizeof line))
            expert_add_info_format(pinfo, top, &tcpstate_id.ei_port_reuse, "%s", line);
        return;
    }
    wt = proto_tree_add_subtree(tree, tvb, 0, 0, id->ett_why, &ti,
                                (ts_language)tcpstate_pref.language == TS_LANG_ZH_CN
                                    ? "为什么（序号与确认号的计算）"
                                    : "Why (the sequence number arithmetic)");
    proto_item_set_generated(ti);
    for (int w = 0; w < TS_WHY_COUNT; w++) {
        size_t n = ts_explain_line(&item->result, &in, lang, (ts_why)w, line, sizeof line);
        if (!n)
            continue;
        add_why_line(wt, id->hf_why, tvb, line, n < sizeof line ? n : strlen(line));
        if (w == TS_WHY_REUSE)
            expert_add_info_format(pinfo, top, &tcpstate_id.ei_port_reuse, "%s", line);
    }
}

void render_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tcpstate_item *item)
{
    const tcpstate_ids *id = &tcpstate_id;
    const ts_result *r = &item->result;
    char summary[SUMMARY_MAX] = "";
    proto_item *ti, *pi;
    proto_tree *st;

    if (tree_shows(tree, id->hf_summary) || (r->step && tcpstate_pref.milestone_chat))
        ts_describe_in(r, (ts_language)tcpstate_pref.language, summary, sizeof summary);
    ti = proto_tree_add_item(tree, id->proto, tvb, 0, 0, ENC_NA);
    if (tree && PTREE_DATA(tree)->visible)
        proto_item_set_text(ti, "TCP Connection State: %s", summary);
    proto_item_set_generated(ti);
    st = proto_item_add_subtree(ti, id->ett_tcpstate);

    proto_item_set_generated(proto_tree_add_string(st, id->hf_summary, tvb, 0, 0, summary));
    proto_item_set_generated(proto_tree_add_uint(st, id->hf_stream, tvb, 0, 0, item->stream));
    proto_item_set_generated(
        proto_tree_add_string(st, id->hf_sender, tvb, 0, 0, ts_side_name(r->sender)));
    proto_item_set_generated(proto_tree_add_string(st, id->hf_role, tvb, 0, 0, ts_role_name(r->role)));
    proto_item_set_generated(
        proto_tree_add_string(st, id->hf_phase, tvb, 0, 0, ts_phase_name(r->phase)));
    if (r->step) {
        if (r->step_total)
            pi = proto_tree_add_uint_format_value(st, id->hf_step, tvb, 0, 0, r->step, "%u of %u",
                                                  r->step, r->step_total);
        else
            pi = proto_tree_add_uint(st, id->hf_step, tvb, 0, 0, r->step);
        proto_item_set_generated(pi);
    }
    if (r->attempt)
        proto_item_set_generated(proto_tree_add_uint(st, id->hf_attempt, tvb, 0, 0, r->attempt));
    add_state_pair(st, tvb, id->hf_client_prev, id->hf_client_state, r->prev[TS_CLIENT],
                   r->state[TS_CLIENT]);
    add_state_pair(st, tvb, id->hf_server_prev, id->hf_server_state, r->prev[TS_SERVER],
                   r->state[TS_SERVER]);
    if (r->assumed)
        proto_item_set_generated(proto_tree_add_boolean(st, id->hf_assumed, tvb, 0, 0, TRUE));
    proto_item_set_generated(proto_tree_add_string(
        st, id->hf_conn_state, tvb, 0, 0, ts_zeek_conn_state_name(item->conn_state)));
    if (tree_shows(tree, id->hf_history))
        proto_item_set_generated(proto_tree_add_string(
            st, id->hf_history, tvb, 0, 0,
            wmem_strndup(pinfo->pool, item->info && item->info->history ? item->info->history : "",
                         item->history_len)));
    if (r->handshake_rtt_ns >= 0) {
        nstime_t rtt;
        rtt.secs = (time_t)(r->handshake_rtt_ns / 1000000000);
        rtt.nsecs = (int)(r->handshake_rtt_ns % 1000000000);
        proto_item_set_generated(proto_tree_add_time(st, id->hf_handshake_rtt, tvb, 0, 0, &rtt));
    }
    add_why(st, pinfo, tvb, ti, item);
    add_experts(pinfo, ti, r, summary);
}

void render_untracked(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, unsigned count)
{
    proto_item *ti = proto_tree_add_protocol_format(tree, tcpstate_id.proto, tvb, 0, 0,
                                                    "TCP Connection State: not tracked");
    proto_item_set_generated(ti);
    expert_add_info_format(pinfo, ti, &tcpstate_id.ei_untracked,
                           "%u TCP header%s in this frame %s incomplete (truncated or malformed): "
                           "not tracked", count, count == 1 ? "" : "s", count == 1 ? "is" : "are");
}

/* A short tag per tracked layer, as docs/spec.md's examples: [HS 1/3] for a
 * handshake step, [FIN 2/3] for a teardown step ([FIN 1] while the kind of
 * close is not known yet), [RST]; "rexmit" for a repeated milestone; nothing
 * for data and plain ACKs. */
static size_t info_tag(const ts_result *r, char *buf, size_t size)
{
    const char *what;

    if (r->role == TS_ROLE_RST)
        return (size_t)snprintf(buf, size, "[RST]");
    if (ts_role_is_handshake(r->role))
        what = "HS";
    else if (ts_role_is_teardown(r->role))
        what = "FIN";
    else
        return 0;
    if (!r->step)
        return (size_t)snprintf(buf, size, "[%s rexmit]", what);
    if (!r->step_total)
        return (size_t)snprintf(buf, size, "[%s %u]", what, r->step);
    return (size_t)snprintf(buf, size, "[%s %u/%u]", what, r->step, r->step_total);
}

void render_info_prefix(packet_info *pinfo, const tcpstate_frame *frame)
{
    char tags[64] = "";
    size_t used = 0;

    for (unsigned i = 0; i < frame->count && used < sizeof tags - 1; i++) {
        size_t n = info_tag(&frame->item[i].result, tags + used, sizeof tags - used);
        used += n < sizeof tags - used ? n : sizeof tags - 1 - used;
    }
    if (used)
        col_prepend_fstr(pinfo->cinfo, COL_INFO, "%s ", tags);
}
