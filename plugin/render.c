#include "render.h"

#include "explain.h"
#include "milestone.h"
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

/* Is the tree shown (-V, -T fields, pdml, the GUI's packet details)? A tree
 * nobody sees needs the values, not the labels. */
static bool visible(proto_tree *tree)
{
    return tree && PTREE_DATA(tree)->visible;
}

/* Will this field be shown or extracted? On a first pass that only filters or
 * counts, Wireshark builds an invisible tree and drops the items nobody asked
 * for: then the texts need not be formatted at all. */
static bool tree_shows(proto_tree *tree, int hf)
{
    return tree && (PTREE_DATA(tree)->visible || proto_field_is_referenced(tree, hf));
}

/* A field whose value another line of the tree already shows: hidden, so
 * that it is there for filters, columns and -T fields (a visible tree, so
 * its items cannot be left to the referenced ones) but not shown twice. */
static void set_hidden(proto_item *pi)
{
    proto_item_set_hidden(pi);
    proto_item_set_generated(pi);
}

static void add_hidden_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    set_hidden(proto_tree_add_string(tree, hf, tvb, 0, 0, value));
}

static void add_hidden_uint(proto_tree *tree, int hf, tvbuff_t *tvb, uint32_t value)
{
    set_hidden(proto_tree_add_uint(tree, hf, tvb, 0, 0, value));
}

static const char *role_zh(unsigned role)
{
    static const char *const names[TS_ROLE_COUNT] = {
        [TS_ROLE_RST] = "复位", [TS_ROLE_SYN] = "请求建立连接", [TS_ROLE_SYN_ACK] = "接受连接",
        [TS_ROLE_HANDSHAKE_ACK] = "握手确认", [TS_ROLE_FIN_ACK_OF_FIN] = "确认对方的 FIN 并关闭",
        [TS_ROLE_FIN] = "关闭", [TS_ROLE_ACK_OF_FIN] = "确认对方的 FIN",
        [TS_ROLE_FINAL_ACK] = "最后一个 ACK", [TS_ROLE_DATA] = "数据", [TS_ROLE_ACK] = "确认",
    };
    return role < TS_ROLE_COUNT && names[role] ? names[role] : "?";
}

static const char *phase_zh(unsigned phase)
{
    static const char *const names[TS_PHASE_COUNT] = {
        [TS_PHASE_HANDSHAKE] = "握手", [TS_PHASE_DATA] = "数据传输", [TS_PHASE_TEARDOWN] = "挥手",
        [TS_PHASE_RESET] = "复位", [TS_PHASE_CLOSED] = "已关闭",
    };
    return phase < TS_PHASE_COUNT && names[phase] ? names[phase] : "?";
}

/* "Client: ESTABLISHED → FIN-WAIT-1" (or "Client: ESTABLISHED" when the
 * segment changes nothing) in one line: the item of the state after, the
 * state before a hidden item beside it. */
static void add_side_line(proto_tree *tree, tvbuff_t *tvb, const ts_result *r, unsigned side,
                          int hf_prev, int hf_state)
{
    ts_language lang = (ts_language)tcpstate_pref.language;
    char line[SUMMARY_MAX];
    proto_item *pi;

    if (!visible(tree)) { /* no label to make: only the values count */
        proto_tree_add_string(tree, hf_state, tvb, 0, 0, ts_state_name(r->state[side]));
        proto_tree_add_string(tree, hf_prev, tvb, 0, 0, ts_state_name(r->prev[side]));
        return;
    }
    ts_side_states_in(r, side, lang, line, sizeof line);
    pi = proto_tree_add_string_format(tree, hf_state, tvb, 0, 0, ts_state_name(r->state[side]),
                                      "%s%s%s", zh() ? (side == TS_SERVER ? "服务器" : "客户端")
                                                     : (side == TS_SERVER ? "Server" : "Client"),
                                      zh() ? "：" : ": ", line);
    proto_item_set_generated(pi);
    add_hidden_string(tree, hf_prev, tvb, ts_state_name(r->prev[side]));
}

/* Sender, role, phase, step (and attempt) in one line, on the role's item:
 * "Sender: client, role: fin, phase: teardown, step: 1". The tokens are the
 * filter values (docs/spec.md); in Chinese they stand beside their words. */
static void add_segment_line(proto_tree *tree, tvbuff_t *tvb, const ts_result *r)
{
    const tcpstate_ids *id = &tcpstate_id;
    char line[SUMMARY_MAX];
    int n;
    proto_item *pi;

    if (!visible(tree)) { /* no label to make: only the values count */
        proto_tree_add_string(tree, id->hf_role, tvb, 0, 0, ts_role_name(r->role));
        proto_tree_add_string(tree, id->hf_sender, tvb, 0, 0, ts_side_name(r->sender));
        proto_tree_add_string(tree, id->hf_phase, tvb, 0, 0, ts_phase_name(r->phase));
        if (r->step)
            proto_tree_add_uint(tree, id->hf_step, tvb, 0, 0, r->step);
        if (r->attempt)
            proto_tree_add_uint(tree, id->hf_attempt, tvb, 0, 0, r->attempt);
        return;
    }
    if (zh())
        n = snprintf(line, sizeof line, "发送方：%s（%s），角色：%s（%s），阶段：%s（%s）",
                     r->sender == TS_SERVER ? "服务器" : "客户端", ts_side_name(r->sender),
                     role_zh(r->role), ts_role_name(r->role), phase_zh(r->phase),
                     ts_phase_name(r->phase));
    else
        n = snprintf(line, sizeof line, "Sender: %s, role: %s, phase: %s", ts_side_name(r->sender),
                     ts_role_name(r->role), ts_phase_name(r->phase));
    if (n > 0 && (size_t)n < sizeof line && r->step) {
        if (r->step_total)
            n += snprintf(line + n, sizeof line - (size_t)n,
                          zh() ? "，步骤：第 %u 步，共 %u 步" : ", step: %u of %u",
                          r->step, r->step_total);
        else
            n += snprintf(line + n, sizeof line - (size_t)n, zh() ? "，步骤：第 %u 步" : ", step: %u",
                          r->step);
    }
    if (n > 0 && (size_t)n < sizeof line && r->attempt)
        snprintf(line + n, sizeof line - (size_t)n, zh() ? "，第 %u 次发送" : ", attempt: %u",
                 r->attempt);
    pi = proto_tree_add_string_format(tree, id->hf_role, tvb, 0, 0, ts_role_name(r->role), "%s",
                                      line);
    proto_item_set_generated(pi);
    add_hidden_string(tree, id->hf_sender, tvb, ts_side_name(r->sender));
    add_hidden_string(tree, id->hf_phase, tvb, ts_phase_name(r->phase));
    if (r->step)
        add_hidden_uint(tree, id->hf_step, tvb, r->step);
    if (r->attempt)
        add_hidden_uint(tree, id->hf_attempt, tvb, r->attempt);
}

/* Zeek's view of the connection as of this segment (docs/zeek.md), in a
 * subtree of its own - it is conn.log's, not RFC 9293's: the conn_state
 * line heads it, the history is inside. */
static void add_zeek(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tcpstate_item *item)
{
    const tcpstate_ids *id = &tcpstate_id;
    const char *conn_state = ts_zeek_conn_state_name(item->conn_state);
    proto_item *pi;
    proto_tree *zt;

    pi = proto_tree_add_string_format(tree, id->hf_conn_state, tvb, 0, 0, conn_state, "%s%s",
                                      zh() ? "Zeek conn.log 的连接状态（conn_state）："
                                           : "Zeek conn.log: conn_state ", conn_state);
    proto_item_set_generated(pi);
    zt = proto_item_add_subtree(pi, id->ett_zeek);
    if (tree_shows(tree, id->hf_history)) {
        const char *history = wmem_strndup(
            pinfo->pool, item->info && item->info->history ? item->info->history : "",
            item->history_len);
        pi = proto_tree_add_string_format(zt, id->hf_history, tvb, 0, 0, history, "%s%s",
                                          zh() ? "历史（history）：" : "history ", history);
        proto_item_set_generated(pi);
    }
}

/* Expert infos: a chat item per milestone, notes for how the connection opens
 * and closes, warnings for what went wrong (group Sequence, as TCP's own). The
 * words come from the core (notes.c), in the language of the preference. */
static void add_experts(packet_info *pinfo, proto_item *ti, const ts_result *r)
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
        [TS_NOTE_CANNOT_SHOW] = &id->ei_cannot_show,
    };
    char text[SUMMARY_MAX];

    /* The milestone in a few words (core/milestone.c): the sentence is
     * the tree's top line already. */
    if (r->step && tcpstate_pref.milestone_chat &&
        ts_milestone_in(r, (ts_language)tcpstate_pref.language, text, sizeof text))
        expert_add_info_format(pinfo, ti, &id->ei_milestone, "%s", text);
    for (int n = 0; n < TS_NOTE_COUNT; n++) {
        if (ts_note_text(r, (ts_note)n, (ts_language)tcpstate_pref.language,
                         tcpstate_pref.msl_seconds, text, sizeof text))
            expert_add_info_format(pinfo, ti, fields[n], "%s", text);
    }
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

/* A Why line wider than WHY_WIDTH columns becomes several items, each
 * ending at a clause boundary (never inside a UTF-8 character), so that it
 * reads without scrolling in the GUI's default layout (docs/design.md, "The
 * tree") and is never cut at ITEM_LABEL_LENGTH (240 bytes in 4.0,
 * epan/proto.h). A Chinese character takes two columns and three bytes. */
#define WHY_WIDTH 120

/* How strong a boundary ends at byte i (the last byte of its separator),
 * looking back: 0 a sentence (". ", 。), 1 "; " (；), 2 ": " (：), 3 ", "
 * (，), 4 a space; 5 none. */
static int boundary_before(const unsigned char *u, size_t i)
{
    if (u[i] == ' ') {
        switch (i ? u[i - 1] : 0) {
        case '.': return 0;
        case ';': return 1;
        case ':': return 2;
        case ',': return 3;
        default: return 4;
        }
    }
    if (i < 2)
        return 5;
    if (u[i - 2] == 0xE3 && u[i - 1] == 0x80 && u[i] == 0x82)
        return 0;
    if (u[i - 2] == 0xEF && u[i - 1] == 0xBC) {
        switch (u[i]) {
        case 0x9B: return 1;
        case 0x9A: return 2;
        case 0x8C: return 3;
        default: break;
        }
    }
    return 5;
}

static size_t piece_end(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t limit = 0, end = 0;
    unsigned width = 0;
    int best = 5;

    if (len <= WHY_WIDTH) /* a character takes at least as many bytes as columns */
        return len;
    /* The bytes that fit: a character from U+3000 on (CJK, full-width
     * punctuation: lead byte 0xE3 and above) takes two columns, any other
     * one (ASCII, →, ×); continuation bytes take none. */
    while (limit < len) {
        unsigned c = u[limit], w = (c & 0xC0) == 0x80 ? 0 : c >= 0xE3 ? 2 : 1;
        if (width + w > WHY_WIDTH)
            break;
        width += w;
        limit++;
    }
    while (limit < len && limit > 0 && (u[limit] & 0xC0) == 0x80)
        limit--; /* end on a character boundary */
    if (limit >= len)
        return len;
    /* The strongest boundary, the latest of its kind, in the last two
     * thirds of the piece. */
    for (size_t i = limit; i-- > limit / 3 && best > 0;) {
        int kind = boundary_before(u, i);
        if (kind < best) {
            best = kind;
            end = i + 1;
        }
    }
    if (best < 5)
        return end;
    return limit ? limit : len;
}

static void add_why_line(proto_tree *wt, int hf, tvbuff_t *tvb, const char *line, size_t len)
{
    char piece[SUMMARY_MAX], value[SUMMARY_MAX];
    const char *nl = memchr(line, '\n', len);
    /* Chinese: 【为什么】, not "为什么：", since the sentence itself goes on
     * with a colon (issue 11: no double colons). */
    const char *label = zh() ? "【为什么】" : "Why: ";
    int first = 1;

    if (nl) { /* the core's own line break */
        add_why_line(wt, hf, tvb, line, (size_t)(nl - line));
        add_why_line(wt, hf, tvb, nl + 1, len - (size_t)(nl + 1 - line));
        return;
    }
    /* The field's value is the core's whole line (a script reading
     * tcpstate.why gets a sentence, never a fragment); only what is shown is
     * cut to the width, the pieces after the first as text-only lines. */
    memcpy(value, line, len < sizeof value ? len : sizeof value - 1);
    value[len < sizeof value ? len : sizeof value - 1] = '\0';
    while (len) {
        size_t end = piece_end(line, len), n = end;
        memcpy(piece, line, n);
        while (n && piece[n - 1] == ' ')
            n--;
        piece[n] = '\0';
        if (first)
            proto_item_set_generated(
                proto_tree_add_string_format(wt, hf, tvb, 0, 0, value, "%s%s", label, piece));
        else {
            /* ett_why only because the call wants a subtree index: the line
             * has no children. */
            proto_item *more;
            proto_tree_add_subtree_format(wt, tvb, 0, 0, tcpstate_id.ett_why, &more, "%s%s", label,
                                          piece);
            proto_item_set_generated(more);
        }
        first = 0;
        line += end;
        len -= end;
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
    ts_language lang = (ts_language)tcpstate_pref.language;
    char summary[SUMMARY_MAX] = "";
    size_t len = 0;
    proto_item *ti, *pi;
    proto_tree *st;

    if (tree_shows(tree, id->hf_summary)) {
        len = ts_describe_in(r, lang, summary, sizeof summary);
        len = len < sizeof summary ? len : strlen(summary);
    }
    /* Each fact once (docs/design.md, "The tree"): the top line is the
     * summary up to its state changes, which the Client: and Server: lines
     * below it show; the whole sentence is the hidden tcpstate.summary. */
    ti = proto_tree_add_item(tree, id->proto, tvb, 0, 0, ENC_NA);
    if (visible(tree))
        proto_item_set_text(ti, "%s%.*s", zh() ? "TCP 连接状态——" : "TCP Connection State: ",
                            (int)ts_summary_head_len(r, lang, summary, len), summary);
    proto_item_set_generated(ti);
    st = proto_item_add_subtree(ti, id->ett_tcpstate);

    add_hidden_string(st, id->hf_summary, tvb, summary);
    add_side_line(st, tvb, r, TS_CLIENT, id->hf_client_prev, id->hf_client_state);
    add_side_line(st, tvb, r, TS_SERVER, id->hf_server_prev, id->hf_server_state);
    add_segment_line(st, tvb, r);
    if (r->assumed) {
        pi = proto_tree_add_boolean(st, id->hf_assumed, tvb, 0, 0, TRUE);
        if (pi && zh())
            proto_item_set_text(pi, "状态为推断：是（没有抓到连接的建立过程）");
        proto_item_set_generated(pi);
    }
    pi = proto_tree_add_uint(st, id->hf_stream, tvb, 0, 0, item->stream);
    if (pi && zh())
        proto_item_set_text(pi, "流序号：%u", item->stream);
    proto_item_set_generated(pi);
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
    add_zeek(st, pinfo, tvb, item);
    add_experts(pinfo, ti, r);
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
