#include "render.h"

#include "experts.h"
#include "explain.h"
#include "milestone.h"
#include "notes.h"
#include "tw_end_text.h"

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

/* The registrations of the fields field_seen() is asked about (set once,
 * render_register()). */
static struct {
    const header_field_info *summary, *stream, *sender, *role, *phase, *step, *attempt;
    const header_field_info *client_prev, *client_state, *server_prev, *server_state;
    const header_field_info *assumed, *handshake_rtt, *conn_state, *history, *why;
} reg;

void render_register(void)
{
    const tcpstate_ids *id = &tcpstate_id;

    reg.summary = proto_registrar_get_nth(id->hf_summary);
    reg.stream = proto_registrar_get_nth(id->hf_stream);
    reg.sender = proto_registrar_get_nth(id->hf_sender);
    reg.role = proto_registrar_get_nth(id->hf_role);
    reg.phase = proto_registrar_get_nth(id->hf_phase);
    reg.step = proto_registrar_get_nth(id->hf_step);
    reg.attempt = proto_registrar_get_nth(id->hf_attempt);
    reg.client_prev = proto_registrar_get_nth(id->hf_client_prev);
    reg.client_state = proto_registrar_get_nth(id->hf_client_state);
    reg.server_prev = proto_registrar_get_nth(id->hf_server_prev);
    reg.server_state = proto_registrar_get_nth(id->hf_server_state);
    reg.assumed = proto_registrar_get_nth(id->hf_assumed);
    reg.handshake_rtt = proto_registrar_get_nth(id->hf_handshake_rtt);
    reg.conn_state = proto_registrar_get_nth(id->hf_conn_state);
    reg.history = proto_registrar_get_nth(id->hf_history);
    reg.why = proto_registrar_get_nth(id->hf_why);
}

gboolean render_zeek_seen(proto_tree *tree)
{
    return field_seen(tree, reg.conn_state) || field_seen(tree, reg.history);
}

/* Can the port-reuse expert info be seen? It is made of two Why lines
 * (add_why()). */
static gboolean port_reuse_seen(proto_tree *tree, packet_info *pinfo)
{
    return experts_all_seen(tree, pinfo) || experts_field_seen(tree, &tcpstate_id.ei_port_reuse);
}

gboolean render_why_seen(proto_tree *tree, packet_info *pinfo)
{
    return field_seen(tree, reg.why) || port_reuse_seen(tree, pinfo);
}

/* A field whose value another line of the tree already shows: hidden, so
 * that it is there for filters and columns in a tree shown in full (where
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

/* "Client: ESTABLISHED → FIN-WAIT-1" (or "Client: ESTABLISHED" when the
 * segment changes nothing; core/milestone.c) in one line: the item of the
 * state after, the state before a hidden item beside it. */
static void add_side_line(proto_tree *tree, tvbuff_t *tvb, const ts_result *r, unsigned side,
                          int hf_prev, int hf_state, const header_field_info *prev,
                          const header_field_info *state)
{
    ts_language lang = (ts_language)tcpstate_pref.language;
    char line[SUMMARY_MAX];
    proto_item *pi;

    if (!tree_in_full(tree)) { /* no label to make: only the values that are seen */
        if (field_seen(tree, state))
            proto_tree_add_string(tree, hf_state, tvb, 0, 0, ts_state_name(r->state[side]));
        if (field_seen(tree, prev))
            proto_tree_add_string(tree, hf_prev, tvb, 0, 0, ts_state_name(r->prev[side]));
        return;
    }
    ts_side_line_in(r, side, lang, line, sizeof line);
    pi = proto_tree_add_string_format(tree, hf_state, tvb, 0, 0, ts_state_name(r->state[side]),
                                      "%s", line);
    proto_item_set_generated(pi);
    add_hidden_string(tree, hf_prev, tvb, ts_state_name(r->prev[side]));
}

/* Sender, role, phase, step (and attempt) in one line, on the role's item:
 * "Sender: client, role: fin, phase: teardown, step: 1" (core/milestone.c). */
static void add_segment_line(proto_tree *tree, tvbuff_t *tvb, const ts_result *r)
{
    const tcpstate_ids *id = &tcpstate_id;
    char line[SUMMARY_MAX];
    proto_item *pi;

    if (!tree_in_full(tree)) { /* no label to make: only the values that are seen */
        if (field_seen(tree, reg.role))
            proto_tree_add_string(tree, id->hf_role, tvb, 0, 0, ts_role_name(r->role));
        if (field_seen(tree, reg.sender))
            proto_tree_add_string(tree, id->hf_sender, tvb, 0, 0, ts_side_name(r->sender));
        if (field_seen(tree, reg.phase))
            proto_tree_add_string(tree, id->hf_phase, tvb, 0, 0, ts_phase_name(r->phase));
        if (r->step && field_seen(tree, reg.step))
            proto_tree_add_uint(tree, id->hf_step, tvb, 0, 0, r->step);
        if (r->attempt && field_seen(tree, reg.attempt))
            proto_tree_add_uint(tree, id->hf_attempt, tvb, 0, 0, r->attempt);
        return;
    }
    ts_segment_line_in(r, (ts_language)tcpstate_pref.language, line, sizeof line);
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
    proto_tree *zt = tree; /* where the history goes when the conn_state item is faked */

    if (field_seen(tree, reg.conn_state)) {
        pi = proto_tree_add_string_format(tree, id->hf_conn_state, tvb, 0, 0, conn_state, "%s%s",
                                          zh() ? "Zeek conn.log 的连接状态（conn_state）："
                                               : "Zeek conn.log: conn_state ", conn_state);
        proto_item_set_generated(pi);
        zt = proto_item_add_subtree(pi, id->ett_zeek);
    }
    if (field_seen(tree, reg.history)) {
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
static void add_experts(proto_tree *tree, packet_info *pinfo, proto_item *ti, const ts_result *r)
{
    tcpstate_ids *id = &tcpstate_id; /* expert_add_info wants non-const fields */
    /* static: built once, not on every frame */
    static expert_field *const fields[TS_NOTE_COUNT] = {
        [TS_NOTE_MIDSTREAM] = &tcpstate_id.ei_midstream,
        [TS_NOTE_SIMULTANEOUS_OPEN] = &tcpstate_id.ei_simultaneous_open,
        [TS_NOTE_SIMULTANEOUS_CLOSE] = &tcpstate_id.ei_simultaneous_close,
        [TS_NOTE_MERGED_CLOSE] = &tcpstate_id.ei_merged_close,
        [TS_NOTE_HALF_CLOSE] = &tcpstate_id.ei_half_close,
        [TS_NOTE_RETRANSMISSION] = &tcpstate_id.ei_retransmission,
        [TS_NOTE_RST] = &tcpstate_id.ei_rst,
        [TS_NOTE_AFTER_CLOSE] = &tcpstate_id.ei_after_close,
        [TS_NOTE_LOST_SEGMENT] = &tcpstate_id.ei_lost_segment,
        [TS_NOTE_TIME_WAIT] = &tcpstate_id.ei_time_wait,
        [TS_NOTE_ODD_FLAGS] = &tcpstate_id.ei_odd_flags,
        [TS_NOTE_DATA_AFTER_FIN] = &tcpstate_id.ei_data_after_fin,
        [TS_NOTE_UNEXPECTED] = &tcpstate_id.ei_unexpected,
        [TS_NOTE_RST_IGNORED] = &tcpstate_id.ei_rst_ignored,
        [TS_NOTE_STALE] = &tcpstate_id.ei_stale,
        [TS_NOTE_KEEPALIVE] = &tcpstate_id.ei_keepalive,
        [TS_NOTE_CANNOT_SHOW] = &tcpstate_id.ei_cannot_show,
    };
    char text[SUMMARY_MAX];
    /* Nothing formatted for an expert info nobody will see (experts.c). */
    gboolean all = experts_all_seen(tree, pinfo);

    if (!all && !experts_some_field_seen(tree))
        return; /* no filter or column names any of them: nothing to ask one by one */

    /* The milestone in a few words (core/milestone.c): the sentence is
     * the tree's top line already. */
    if (r->step && tcpstate_pref.milestone_chat &&
        (all || experts_field_seen(tree, &id->ei_milestone)) &&
        ts_milestone_in(r, (ts_language)tcpstate_pref.language, text, sizeof text))
        expert_add_info_format(pinfo, ti, &id->ei_milestone, "%s", text);
    for (int n = 0; n < TS_NOTE_COUNT; n++) {
        if ((all || experts_field_seen(tree, fields[n])) &&
            ts_note_text(r, (ts_note)n, (ts_language)tcpstate_pref.language,
                         tcpstate_pref.msl_seconds, text, sizeof text))
            expert_add_info_format(pinfo, ti, fields[n], "%s", text);
    }
}

/* What the Why lines of an item refer to: extracted here, derived in the
 * core (core/refs.c). */
static void explain_input(const tcpstate_item *item, uint32_t frame, ts_explain_input *in)
{
    ts_segment_records rec;

    memset(&rec, 0, sizeof rec);
    rec.result = &item->result;
    rec.seq = item->seq;
    rec.ack = item->ack;
    rec.frame = frame;
    rec.time_ns = item->time_ns;
    rec.msl_ns = (int64_t)tcpstate_pref.msl_seconds * 1000000000;
    rec.refs = item->info ? &item->info->refs : NULL;
    rec.reuse = item->reuse;
    rec.wire = &item->wire;
    ts_explain_input_of(&rec, in);
}

/* A Why line wider than WHY_WIDTH columns becomes several items, each
 * ending at a clause boundary (never inside a UTF-8 character), so that it
 * reads without scrolling in the GUI's default layout (docs/design.md, "The
 * tree") and is never cut at ITEM_LABEL_LENGTH (240 bytes in 4.0,
 * epan/proto.h). A Chinese character takes two columns and three bytes.
 * 64: in the default layout of a 1280-pixel-wide window (the byte pane
 * beside the details, docs/gui-zh-CN.png) a Why line, two levels deep,
 * shows about 72 columns of the tree's font; "[Why: " and "]" take 7 of
 * them ("[【为什么】" and "]" 11, a Chinese character drawn narrower than
 * two columns). */
#define WHY_WIDTH 64

/* What boundary ends at byte i (the last byte of its separator), looking
 * back: 0 a sentence (". ", 。), 1 "; " (；), 2 ": " (：), 3 ", " (，), 4 a
 * space; 5 none. */
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
    size_t limit = 0, end;
    unsigned width = 0;

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
    /* Wrapped as a text is: at the latest clause boundary (punctuation
     * and a space) in the last half of the piece, else at its latest space
     * in the last two thirds, else at the latest clause boundary there - a
     * narrow width wants full lines more than the strongest break. */
    size_t clause = 0, space = 0, early = 0;
    for (size_t i = limit; i-- > limit / 3;) {
        int kind = boundary_before(u, i);
        if (kind <= 3 && i >= limit / 2 && !clause)
            clause = i + 1;
        else if (kind <= 3 && !early)
            early = i + 1;
        else if (kind == 4 && !space && !(i >= 3 && memcmp(u + i - 3, "RFC", 3) == 0) &&
                 !(i > 0 && u[i - 1] >= '0' && u[i - 1] <= '9') &&
                 !(i + 1 < len && u[i + 1] >= '0' && u[i + 1] <= '9'))
            space = i + 1; /* not inside "RFC 9293", nor beside a number
                            * ("section 3.10.7.1", "第 3.10.7.1 节", "60 s") */
        else if (!space && i > 0 && i + 2 < len && u[i] == 0xEF && u[i + 1] == 0xBC &&
                 u[i + 2] == 0x88)
            space = i; /* before "（": Chinese has no spaces to wrap at */
    }
    end = clause ? clause : space ? space : early;
    if (end)
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
    /* A continuation is indented, not labelled again: a second "Why:" would
     * read as another reason, a fragment of a sentence (docs/design.md, "The
     * tree"). Chinese indents with two ideographic spaces, as a paragraph. */
    const char *indent = zh() ? "\u3000\u3000" : "      ";
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
            proto_tree_add_subtree_format(wt, tvb, 0, 0, tcpstate_id.ett_why, &more, "%s%s",
                                          indent, piece);
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

    if (!field_seen(tree, reg.why)) {
        if ((item->reuse || item->tw_end) && port_reuse_seen(tree, pinfo)) {
            explain_input(item, pinfo->num, &in);
            if (in.reuse &&
                ts_explain_line(&item->result, &in, lang, TS_WHY_REUSE, line, sizeof line))
                expert_add_info_format(pinfo, top, &tcpstate_id.ei_port_reuse, "%s", line);
            if (item->tw_end && ts_tw_end_why(item->tw_end, lang, line, sizeof line))
                expert_add_info_format(pinfo, top, &tcpstate_id.ei_port_reuse, "%s", line);
        }
        return;
    }
    explain_input(item, pinfo->num, &in);
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
    /* The new connection that ends an earlier one's TIME-WAIT on these
     * addresses and ports says so where it shows it (core/refs.h), after
     * the reuse line: also a port-reuse note. */
    if (item->tw_end) {
        size_t n = ts_tw_end_why(item->tw_end, lang, line, sizeof line);
        add_why_line(wt, id->hf_why, tvb, line, n < sizeof line ? n : strlen(line));
        expert_add_info_format(pinfo, top, &tcpstate_id.ei_port_reuse, "%s", line);
    }
}

proto_tree *render_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                        const tcpstate_item *item)
{
    const tcpstate_ids *id = &tcpstate_id;
    const ts_result *r = &item->result;
    ts_language lang = (ts_language)tcpstate_pref.language;
    char summary[SUMMARY_MAX];
    size_t len = 0;
    proto_item *ti, *pi;
    proto_tree *st;

    summary[0] = '\0'; /* not the whole buffer: every frame comes here */
    if (field_seen(tree, reg.summary)) {
        len = ts_describe_in(r, lang, summary, sizeof summary);
        len = len < sizeof summary ? len : strlen(summary);
    }
    /* Each fact once (docs/design.md, "The tree"): the top line is the
     * summary up to its state changes, which the Client: and Server: lines
     * below it show; the whole sentence is the hidden tcpstate.summary. */
    ti = proto_tree_add_item(tree, id->proto, tvb, 0, 0, ENC_NA);
    if (tree_in_full(tree))
        proto_item_set_text(ti, "%s%.*s", zh() ? "TCP 连接状态——" : "TCP Connection State: ",
                            (int)ts_summary_head_len(r, lang, summary, len), summary);
    proto_item_set_generated(ti);
    st = proto_item_add_subtree(ti, id->ett_tcpstate);

    /* In a tree not shown in full, an item is added only where Wireshark
     * would keep it in a tree that is not visible (field_seen(); tshark
     * 4.0's -T fields keeps as much, printed_fields.c); where it would fake
     * it, the item's calls -
     * proto_item_set_generated() and the like on what a faked add returns,
     * the parent item, which is hidden and generated already - change
     * nothing anyone can see. */
    if (field_seen(st, reg.summary))
        add_hidden_string(st, id->hf_summary, tvb, summary);
    add_side_line(st, tvb, r, TS_CLIENT, id->hf_client_prev, id->hf_client_state,
                  reg.client_prev, reg.client_state);
    add_side_line(st, tvb, r, TS_SERVER, id->hf_server_prev, id->hf_server_state,
                  reg.server_prev, reg.server_state);
    add_segment_line(st, tvb, r);
    if (r->assumed && field_seen(st, reg.assumed)) {
        pi = proto_tree_add_boolean(st, id->hf_assumed, tvb, 0, 0, TRUE);
        if (pi && zh())
            proto_item_set_text(pi, "状态为推断：是（没有抓到连接的建立过程）");
        proto_item_set_generated(pi);
    }
    if (field_seen(st, reg.stream)) {
        pi = proto_tree_add_uint(st, id->hf_stream, tvb, 0, 0, item->stream);
        if (pi && zh())
            proto_item_set_text(pi, "流序号：%u", item->stream);
        proto_item_set_generated(pi);
    }
    if (r->handshake_rtt_ns >= 0 && field_seen(st, reg.handshake_rtt)) {
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
    add_experts(st, pinfo, ti, r);
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
