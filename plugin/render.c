#include "render.h"

#include "explain.h"
#include "notes.h"

#include <epan/column-utils.h>

/* One buffer size for every text the core writes (core/explain.h). */
#define SUMMARY_MAX TS_TEXT_MAX

/* With language zh_CN every label a student reads is Chinese; the filter
 * names and the token values (client, syn, ...) stay as docs/spec.md has
 * them, the tokens shown beside their Chinese words so they can be typed
 * into a filter. */
static bool zh(void)
{
    return (ts_language)tcpstate_pref.language == TS_LANG_ZH_CN;
}

static void set_generated_label(proto_item *pi, const char *zh_label, const char *zh_value,
                                const char *token)
{
    if (pi && zh() && zh_label) {
        if (zh_value && token)
            proto_item_set_text(pi, "%s：%s（%s）", zh_label, zh_value, token);
        else if (token)
            proto_item_set_text(pi, "%s：%s", zh_label, token);
    }
    proto_item_set_generated(pi);
}

static void add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value,
                       const char *zh_label, const char *zh_value)
{
    set_generated_label(proto_tree_add_string(tree, hf, tvb, 0, 0, value), zh_label, zh_value, value);
}

static const char *role_zh(unsigned role)
{
    static const char *const names[TS_ROLE_COUNT] = {
        [TS_ROLE_RST] = "复位", [TS_ROLE_SYN] = "请求建立连接", [TS_ROLE_SYN_ACK] = "接受连接",
        [TS_ROLE_HANDSHAKE_ACK] = "握手确认", [TS_ROLE_FIN_ACK_OF_FIN] = "确认对方的 FIN 并关闭",
        [TS_ROLE_FIN] = "关闭", [TS_ROLE_ACK_OF_FIN] = "确认对方的 FIN",
        [TS_ROLE_FINAL_ACK] = "最后一个 ACK", [TS_ROLE_DATA] = "数据", [TS_ROLE_ACK] = "确认",
    };
    return role < TS_ROLE_COUNT ? names[role] : NULL;
}

static const char *phase_zh(unsigned phase)
{
    static const char *const names[TS_PHASE_COUNT] = {
        [TS_PHASE_HANDSHAKE] = "握手", [TS_PHASE_DATA] = "数据传输", [TS_PHASE_TEARDOWN] = "挥手",
        [TS_PHASE_RESET] = "复位", [TS_PHASE_CLOSED] = "已关闭",
    };
    return phase < TS_PHASE_COUNT ? names[phase] : NULL;
}

static void add_state_pair(proto_tree *tree, tvbuff_t *tvb, int hf_prev, int hf_state,
                           unsigned prev, unsigned state, const char *zh_before, const char *zh_after)
{
    add_string(tree, hf_prev, tvb, ts_state_name(prev), zh_before, NULL);
    add_string(tree, hf_state, tvb, ts_state_name(state), zh_after, NULL);
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
        if (zh())
            proto_item_set_generated(
                proto_tree_add_string_format(wt, hf, tvb, 0, 0, piece, "为什么：%s", piece));
        else
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

proto_tree *render_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                        const tcpstate_item *item)
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
        proto_item_set_text(ti, zh() ? "TCP 连接状态：%s" : "TCP Connection State: %s", summary);
    proto_item_set_generated(ti);
    st = proto_item_add_subtree(ti, id->ett_tcpstate);

    add_string(st, id->hf_summary, tvb, summary, "摘要", NULL);
    pi = proto_tree_add_uint(st, id->hf_stream, tvb, 0, 0, item->stream);
    if (pi && zh())
        proto_item_set_text(pi, "流序号：%u", item->stream);
    proto_item_set_generated(pi);
    add_string(st, id->hf_sender, tvb, ts_side_name(r->sender), "发送方",
               r->sender == TS_SERVER ? "服务器" : "客户端");
    add_string(st, id->hf_role, tvb, ts_role_name(r->role), "角色", role_zh(r->role));
    add_string(st, id->hf_phase, tvb, ts_phase_name(r->phase), "阶段", phase_zh(r->phase));
    if (r->step) {
        if (r->step_total)
            pi = proto_tree_add_uint_format_value(st, id->hf_step, tvb, 0, 0, r->step, "%u of %u",
                                                  r->step, r->step_total);
        else
            pi = proto_tree_add_uint(st, id->hf_step, tvb, 0, 0, r->step);
        if (pi && zh() && r->step_total)
            proto_item_set_text(pi, "步骤：第 %u 步，共 %u 步", r->step, r->step_total);
        else if (pi && zh())
            proto_item_set_text(pi, "步骤：第 %u 步", r->step);
        proto_item_set_generated(pi);
    }
    if (r->attempt) {
        pi = proto_tree_add_uint(st, id->hf_attempt, tvb, 0, 0, r->attempt);
        if (pi && zh())
            proto_item_set_text(pi, "第几次发送：%u", r->attempt);
        proto_item_set_generated(pi);
    }
    add_state_pair(st, tvb, id->hf_client_prev, id->hf_client_state, r->prev[TS_CLIENT],
                   r->state[TS_CLIENT], "客户端之前的状态", "客户端之后的状态");
    add_state_pair(st, tvb, id->hf_server_prev, id->hf_server_state, r->prev[TS_SERVER],
                   r->state[TS_SERVER], "服务器之前的状态", "服务器之后的状态");
    if (r->assumed) {
        pi = proto_tree_add_boolean(st, id->hf_assumed, tvb, 0, 0, TRUE);
        if (pi && zh())
            proto_item_set_text(pi, "状态为推断：是（没有抓到连接的建立过程）");
        proto_item_set_generated(pi);
    }
    add_string(st, id->hf_conn_state, tvb, ts_zeek_conn_state_name(item->conn_state),
               "Zeek 连接状态（conn_state）", NULL);
    if (tree_shows(tree, id->hf_history))
        add_string(st, id->hf_history, tvb,
                   wmem_strndup(pinfo->pool, item->info && item->info->history ? item->info->history : "",
                                item->history_len),
                   "Zeek 历史（history）", NULL);
    if (r->handshake_rtt_ns >= 0) {
        nstime_t rtt;
        rtt.secs = (time_t)(r->handshake_rtt_ns / 1000000000);
        rtt.nsecs = (int)(r->handshake_rtt_ns % 1000000000);
        pi = proto_tree_add_time(st, id->hf_handshake_rtt, tvb, 0, 0, &rtt);
        if (pi && zh())
            proto_item_set_text(pi, "握手往返时间：%.9f 秒", (double)r->handshake_rtt_ns / 1e9);
        proto_item_set_generated(pi);
    }
    add_why(st, pinfo, tvb, ti, item);
    add_experts(pinfo, ti, r, summary);
    return st;
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
