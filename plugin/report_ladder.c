/*
 * -z tcpstate,ladder[,STREAM]: a text ladder diagram of one stream, or of
 * each, one after the other in stream order. -z tcpstate,ladder,svg[,STREAM]
 * draws the same lines as an SVG picture on stdout (report_ladder_svg.c).
 *
 * The client is on the left, the server on the right; each segment is an
 * arrow carrying its flags, its sequence and acknowledgment numbers relative
 * to each side's ISN, and its payload length. Beside the arrow: the frame
 * number, each endpoint's state where it changes, and the segment's role and
 * step. A short note under the arrow names what the segment reveals
 * (simultaneous open, a lost segment, ...). Runs of more than FOLD_AFTER
 * consecutive plain data/ACK segments (no state change, nothing to note) are
 * folded into one line with counts, so a long transfer takes one line.
 *
 * Every line fits in LINE_WIDTH columns: the arrow gets what the other
 * columns leave, and a label too long for it is cut (ending in '~').
 *
 * Relative numbers: a side's ISN is the sequence number of its SYN. Without a
 * captured SYN it is taken to be one less than the first sequence number seen
 * from that side or acknowledged to it, as Wireshark's relative numbers do, so
 * the ladder's seq/ack equal Wireshark's tcp.seq/tcp.ack.
 *
 * Memory: the ladder is printed at the end, so it keeps one fixed-size record
 * per printed line (segment, fold or nothing for a segment inside a fold) in a
 * private wmem allocator; a fold keeps counters only.
 */
#include "report_ladder.h"

#include <stdio.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "tracking.h"
#include "tw_end_text.h"

#define LADDER_CLI "tcpstate,ladder"

#define LINE_WIDTH 100
#define STATE_W 12      /* the longest state name, SYN-RECEIVED */
#define ROLE_W 18       /* the longest role text, "fin+ack-of-fin 2/3" */
#define FRAME_MIN_W 5   /* "frame" */
#define ARROW_MIN_W 30
#define FOLD_AFTER LADDER_FOLD_AFTER
#define NO_STATE LADDER_NO_STATE

typedef struct {
    gboolean svg;            /* draw an SVG picture instead of text */
    gboolean one;            /* a single stream was asked for */
    uint32_t wanted;
    uint32_t streams_seen, min_stream, max_stream;
    wmem_allocator_t *pool;
    wmem_map_t *streams;     /* stream number -> ladder_stream */
} ladder_report;

/* ---- collecting ---- */

static void ladder_reset(void *tapdata)
{
    ladder_report *rep = (ladder_report *)tapdata;

    wmem_free_all(rep->pool);
    rep->streams = wmem_map_new(rep->pool, g_direct_hash, g_direct_equal);
    rep->streams_seen = rep->min_stream = rep->max_stream = 0;
}

/* Learn the ISNs this segment shows (see the top of the file). */
void ladder_learn_isns(ladder_isns *isn, const tcpstate_item *item)
{
    const ts_result *r = &item->result;
    unsigned side = r->sender ? TS_SERVER : TS_CLIENT, peer = 1u - side;

    if (r->events & TS_EV_NEW_CONNECTION) {
        isn->base_known[0] = isn->base_known[1] = 0;
        isn->base_from_syn[0] = isn->base_from_syn[1] = 0;
    }
    if ((r->flags & TS_SYN) && !isn->base_from_syn[side]) {
        isn->base[side] = item->seq;
        isn->base_known[side] = isn->base_from_syn[side] = 1;
    } else if (!isn->base_known[side]) {
        isn->base[side] = item->seq - 1;
        isn->base_known[side] = 1;
    }
    if ((r->flags & TS_ACK) && !isn->base_known[peer]) {
        isn->base[peer] = item->ack - 1;
        isn->base_known[peer] = 1;
    }
}

/* Events worth a note under the arrow, in the order they are printed.
 * Anything here also stops a fold. */
const ladder_note ladder_notes[] = {
    { TS_EV_NEW_CONNECTION, { "a new connection on the same ports", "同一对端口上的新连接" } },
    { TS_EV_SIMULTANEOUS_OPEN,
      { "simultaneous open: the SYNs crossed", "同时打开：双方的 SYN 在途中交错" } },
    { TS_EV_SIMULTANEOUS_CLOSE,
      { "simultaneous close: the FINs crossed", "同时关闭：双方的 FIN 在途中交错" } },
    { TS_EV_MERGED_CLOSE,
      { "three-way close: FIN and ACK of FIN merged", "三次挥手：FIN 与对 FIN 的确认合并" } },
    { TS_EV_HALF_CLOSE, { "half-close: data after the %P's FIN", "半关闭：%P发出 FIN 之后的数据" } },
    { TS_EV_RETRANSMISSION, { "retransmission, attempt %A", "重传，第 %A 次发送" } },
    /* A teacher wants each probe on the board: it is what TCP keep-alive
     * looks like (docs/tutorial.md, 3.7), so it stops a fold. */
    { TS_EV_KEEPALIVE,
      { "keep-alive probe (seq = next - 1)", "保活探测（seq = 下一个序号 - 1）" } },
    { TS_EV_LOST_SYN_ACK, { "the %P's SYN-ACK was lost", "%P的 SYN+ACK 丢失了" } },
    { TS_EV_LOST_HANDSHAKE_ACK,
      { "the %P's handshake ACK was lost", "%P的第三次握手 ACK 丢失了" } },
    { TS_EV_LOST_FINAL_ACK, { "the %P's final ACK was lost", "%P的最后一个 ACK 丢失了" } },
    { TS_EV_LOST_ACK_OF_FIN,
      { "the %P's ACK of this FIN was lost", "%P对这个 FIN 的确认丢失了" } },
    { TS_EV_TIME_WAIT_EXPIRED,
      { "a TIME-WAIT ran out (2*MSL) before this", "此前一个 TIME-WAIT 已到期（2MSL）" } },
    { TS_EV_IN_TIME_WAIT, { "the %P takes it in TIME-WAIT", "%P在 TIME-WAIT 中收到它" } },
    /* core/unshown.c: the state shown is the model's story. */
    { TS_EV_FIN_MAY_REPEAT,
      { "may repeat a FIN that crossed (not shown)", "可能是交错的 FIN 的重发（抓包无法区分）" } },
    { TS_EV_CANNOT_SHOW,
      { "not shown if the %P had the earlier FIN", "抓包无法说明%P是否收到之前的 FIN" } },
    /* The answer that shows it the other way (core/unshown.c). */
    { TS_EV_NEW_BY_ECHO,
      { "echo: the %P's prior FIN was lost", "回显表明%P重发之前的 FIN 已丢失" } },
    { TS_EV_FIN_UNSEEN,
      { "seq one past its data: unseen FIN (or byte)", "序号比数据多 1：未抓到的 FIN（或一个字节）" } },
    { TS_EV_FIN_WAS_DATA,
      { "data on that number: it was no FIN", "那个序号上是数据：并不是 FIN" } },
    { TS_EV_STALE,
      { "crossed the %P's last segment in flight", "与%P的上一个报文段在途中交错" } },
    /* docs/spec.md, "RST acceptance": its receiver drops it, no state moves. */
    { TS_EV_RST_IGNORED, { "not accepted: changes nothing", "未被接受：不改变任何状态" } },
    { TS_EV_AFTER_CLOSE,
      { "after close: both CLOSED or TIME-WAIT", "关闭之后：两端都是 CLOSED 或 TIME-WAIT" } },
    { TS_EV_DATA_AFTER_FIN, { "data beyond the %S's own FIN", "%S在自己的 FIN 之后还发数据" } },
    { TS_EV_ODD_FLAGS, { "unusual flag combination", "不寻常的标志位组合" } },
    { TS_EV_UNEXPECTED,
      { "fits no transition of the %S's state", "不符合%S当前状态的任何状态转换" } },
};
const size_t ladder_note_count = G_N_ELEMENTS(ladder_notes);

ts_events ladder_noted_events(void)
{
    ts_events mask = 0;

    for (size_t i = 0; i < ladder_note_count; i++)
        mask |= ladder_notes[i].event;
    return mask;
}

static void append_line(ladder_stream *ls, gboolean is_fold, const void *what)
{
    ladder_line line;

    memset(&line, 0, sizeof line);
    line.is_fold = is_fold;
    if (is_fold)
        line.u.fold = *(const ladder_fold *)what;
    else
        line.u.seg = *(const ladder_seg *)what;
    wmem_array_append_one(ls->lines, line);
}

/* End the current run: a short run is shown segment by segment, a long one
 * as one fold line. */
static void flush_run(ladder_stream *ls)
{
    if (ls->run.count == 0)
        return;
    if (ls->run.count <= FOLD_AFTER) {
        for (uint32_t i = 0; i < ls->run.count; i++)
            append_line(ls, FALSE, &ls->pending[i]);
    } else {
        append_line(ls, TRUE, &ls->run);
    }
    memset(&ls->run, 0, sizeof ls->run);
}

static tap_packet_status ladder_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                       const void *data, tap_flags_t flags _U_)
{
    ladder_report *rep = (ladder_report *)tapdata;
    const tcpstate_item *item = (const tcpstate_item *)data;
    const ts_result *r;
    ladder_stream *ls;
    ladder_seg seg;
    unsigned side, s;
    gboolean plain;

    if (!item)
        return TAP_PACKET_DONT_REDRAW;
    r = &item->result;
    ls = (ladder_stream *)wmem_map_lookup(rep->streams, GUINT_TO_POINTER(item->stream));
    if (!ls) {
        /* Count every stream, so that a missing one can be told apart. */
        if (rep->streams_seen == 0 || item->stream < rep->min_stream)
            rep->min_stream = item->stream;
        if (rep->streams_seen == 0 || item->stream > rep->max_stream)
            rep->max_stream = item->stream;
        rep->streams_seen++;
        ls = wmem_new0(rep->pool, ladder_stream);
        ls->stream = item->stream;
        if (!rep->one || item->stream == rep->wanted) {
            ls->initial[TS_CLIENT] = ls->shown[TS_CLIENT] = r->prev[TS_CLIENT];
            ls->initial[TS_SERVER] = ls->shown[TS_SERVER] = r->prev[TS_SERVER];
            ls->assumed = r->assumed;
            ls->lines = wmem_array_new(rep->pool, sizeof(ladder_line));
        }
        wmem_map_insert(rep->streams, GUINT_TO_POINTER(item->stream), ls);
    }
    if (!ls->lines) /* not the stream asked for */
        return TAP_PACKET_DONT_REDRAW;

    report_endpoints_learn(&ls->ep, rep->pool, pinfo, item);
    ladder_learn_isns(&ls->isn, item);
    side = r->sender ? TS_SERVER : TS_CLIENT;

    memset(&seg, 0, sizeof seg);
    seg.frame = pinfo->num;
    seg.seq = item->seq - ls->isn.base[side];
    seg.ack = (r->flags & TS_ACK) ? item->ack - ls->isn.base[1u - side] : 0;
    seg.len = r->len;
    seg.events = r->events;
    seg.flags = r->flags;
    seg.sender = (uint8_t)side;
    seg.role = r->role;
    seg.step = r->step;
    seg.step_total = r->step_total;
    seg.attempt = r->attempt;
    seg.rst_kind = r->rst_kind;
    plain = (r->role == TS_ROLE_DATA || r->role == TS_ROLE_ACK) && r->step == 0 &&
            !(r->events & ladder_noted_events()) && !r->corrected;
    for (s = TS_CLIENT; s <= TS_SERVER; s++) {
        /* Print a state where it changes, and again where a later segment
         * proved the one shown wrong (corrected). */
        if (r->state[s] != ls->shown[s] || (r->corrected & (1u << s))) {
            seg.show[s] = r->state[s];
            ls->shown[s] = r->state[s];
            plain = FALSE;
        } else {
            seg.show[s] = NO_STATE;
        }
    }

    if (!plain) {
        flush_run(ls);
        append_line(ls, FALSE, &seg);
        return TAP_PACKET_DONT_REDRAW;
    }
    if (ls->run.count < FOLD_AFTER)
        ls->pending[ls->run.count] = seg;
    if (ls->run.count == 0)
        ls->run.first_frame = seg.frame;
    ls->run.last_frame = seg.frame;
    ls->run.count++;
    if (r->role == TS_ROLE_DATA)
        ls->run.data[side]++;
    else
        ls->run.acks[side]++;
    ls->run.bytes[side] += r->len;
    return TAP_PACKET_DONT_REDRAW;
}

/* ---- drawing ---- */

typedef struct {
    int frame_w;  /* width of the frame column */
    int arrow_w;  /* inner width of the arrow, between the two '|' */
} ladder_layout;

/* Wireshark's order and names (the Info column's [SYN, ACK]), comma-joined. */
void ladder_flags_text(uint16_t flags, char *buf, size_t size, ts_language lang)
{
    static const struct {
        uint16_t bit;
        const char *name;
    } names[] = {
        { TS_FIN, "FIN" }, { TS_SYN, "SYN" }, { TS_RST, "RST" }, { TS_PSH, "PSH" },
        { TS_ACK, "ACK" }, { TS_URG, "URG" }, { TS_ECE, "ECE" }, { TS_CWR, "CWR" },
        { TS_AE, "AE" },
    };
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (flags & names[i].bit)
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
                                     used ? "," : "", names[i].name);
    }
    if (!used)
        snprintf(buf, size, "%s", TS_RW(lang, "no flags", "无标志位"));
}

void ladder_role_text(unsigned role_id, unsigned step, unsigned step_total, unsigned attempt,
                      unsigned rst_kind, char *buf, size_t size, ts_language lang)
{
    const char *role = ts_role_name(role_id);
    const char *kind = ts_rst_kind_words(rst_kind, lang);

    /* The role token stays (it is what tcpstate.role filters on); an RST's
     * kind is said in words. */
    if (role_id == TS_ROLE_RST)
        snprintf(buf, size, "%s%s%s", role, kind ? " " : "", kind ? kind : "");
    else if (step && step_total)
        snprintf(buf, size, "%s %u/%u", role, step, step_total);
    else if (step)
        snprintf(buf, size, "%s %u", role, step);
    else if (attempt > 99)
        snprintf(buf, size, "%s #>99", role);
    else if (attempt >= 2)
        snprintf(buf, size, "%s #%u", role, attempt);
    else
        snprintf(buf, size, "%s", role);
}

/* The arrow between the two timelines, `w` columns wide (the '|' excluded):
 * "-- label ------>" to the right, "<- label -------" to the left; folds
 * use '=' and point both ways when both sides sent. */
static void arrow(GString *out, int w, const char *label, gboolean right, gboolean left, char fill)
{
    GString *lab = g_string_new(label);
    size_t room = (size_t)w - 6, used;

    report_fit(lab, room);
    g_string_append_c(out, left ? '<' : fill);
    g_string_append_c(out, fill);
    g_string_append_c(out, ' ');
    g_string_append(out, lab->str);
    g_string_append_c(out, ' ');
    used = 3 + ts_text_width(lab->str) + 1;
    while (used < (size_t)w - 1) {
        g_string_append_c(out, fill);
        used++;
    }
    g_string_append_c(out, right ? '>' : fill);
    g_string_free(lab, TRUE);
}

static const char *state_cell(uint8_t state)
{
    return state == NO_STATE ? "" : ts_state_name(state);
}

/* frame | client state | arrow | server state | role, trailing blanks cut. */
static void print_row(const ladder_layout *lay, const char *frame, const char *client,
                      const GString *middle, const char *server, const char *role)
{
    GString *line = g_string_new(NULL);

    /* Padded by display width: a Chinese title takes two columns a character. */
    report_append_padded(line, frame, (size_t)lay->frame_w, TRUE);
    g_string_append_c(line, ' ');
    report_append_padded(line, client, STATE_W, FALSE);
    g_string_append_printf(line, " |%s| ", middle->str);
    report_append_padded(line, server, STATE_W, FALSE);
    g_string_append_printf(line, " %s", role);
    while (line->len && line->str[line->len - 1] == ' ')
        g_string_truncate(line, line->len - 1);
    report_fit(line, LINE_WIDTH);
    printf("%s\n", line->str);
    g_string_free(line, TRUE);
}

static void print_blank_row(const ladder_layout *lay, const char *frame, const char *client,
                            const char *server, const char *role)
{
    GString *mid = g_string_new(NULL);

    g_string_append_printf(mid, "%*s", lay->arrow_w, "");
    print_row(lay, frame, client, mid, server, role);
    g_string_free(mid, TRUE);
}

void ladder_note_expand(GString *out, const char *text, unsigned sender, unsigned attempt,
                        ts_language lang)
{
    for (const char *p = text; *p; p++) {
        if (p[0] == '%' && p[1] == 'S')
            g_string_append(out, ts_side_words(sender, lang));
        else if (p[0] == '%' && p[1] == 'P')
            g_string_append(out, ts_side_words(1u - sender, lang));
        else if (p[0] == '%' && p[1] == 'A')
            g_string_append_printf(out, "%u", attempt);
        else {
            g_string_append_c(out, *p);
            continue;
        }
        p++;
    }
}

static void print_note(const ladder_layout *lay, const ladder_seg *seg, const char *text,
                       ts_language lang)
{
    GString *mid = g_string_new("   ");
    size_t cols;

    ladder_note_expand(mid, text, seg->sender, seg->attempt, lang);
    report_fit(mid, (size_t)lay->arrow_w);
    for (cols = ts_text_width(mid->str); cols < (size_t)lay->arrow_w; cols++)
        g_string_append_c(mid, ' ');
    print_row(lay, "", "", mid, "", "");
    g_string_free(mid, TRUE);
}

void ladder_seg_label(const ladder_seg *seg, char *buf, size_t size, ts_language lang)
{
    char flags[48];

    ladder_flags_text(seg->flags, flags, sizeof flags, lang);
    if (seg->flags & TS_ACK)
        snprintf(buf, size, "%s seq=%u ack=%u len=%u", flags, seg->seq, seg->ack, seg->len);
    else
        snprintf(buf, size, "%s seq=%u len=%u", flags, seg->seq, seg->len);
}

static void print_seg(const ladder_layout *lay, const ladder_seg *seg, ts_language lang)
{
    char role[64], frame[16], label[128];
    GString *mid = g_string_new(NULL);

    ladder_seg_label(seg, label, sizeof label, lang);
    arrow(mid, lay->arrow_w, label, seg->sender == TS_CLIENT, seg->sender == TS_SERVER, '-');
    ladder_role_text(seg->role, seg->step, seg->step_total, seg->attempt, seg->rst_kind, role,
                     sizeof role, lang);
    snprintf(frame, sizeof frame, "%u", seg->frame);
    print_row(lay, frame, state_cell(seg->show[TS_CLIENT]), mid, state_cell(seg->show[TS_SERVER]),
              role);
    g_string_free(mid, TRUE);

    /* A FIN that may repeat one that crossed (core/unshown.c) is in doubt
     * about its own sender, not about its receiver's first FIN: one note. */
    ts_events noted = seg->events & TS_EV_FIN_MAY_REPEAT ? seg->events & ~(ts_events)TS_EV_CANNOT_SHOW
                                                         : seg->events;
    for (size_t i = 0; i < ladder_note_count; i++) {
        if (noted & ladder_notes[i].event)
            print_note(lay, seg, ladder_notes[i].text[lang], lang);
    }
}

/* One side of a fold: "client 13 segs (21 B)", shorter in the later styles
 * ("client 13 (21 B)", "c 13 (21 B)"); nothing if that side sent nothing.
 * In Chinese: "客户端 13 段（21 字节）", "客户端 13（21 字节）", "客 13（21 字节）". */
static void fold_side(GString *out, const ladder_fold *f, unsigned side, int style,
                      ts_language lang)
{
    uint32_t segs = f->data[side] + f->acks[side];

    if (!segs)
        return;
    if (out->len)
        g_string_append(out, TS_RW(lang, "; ", "；"));
    if (style < 2)
        g_string_append(out, ts_side_words(side, lang));
    else
        g_string_append(out, side == TS_CLIENT ? TS_RW(lang, "c", "客") : TS_RW(lang, "s", "服"));
    g_string_append_printf(out, " %u%s", segs,
                           style > 0 ? "" : TS_RW(lang, segs == 1 ? " seg" : " segs", " 段"));
    if (f->bytes[side])
        g_string_append_printf(out, TS_RW(lang, " (%" PRIu64 " B)", "（%" PRIu64 " 字节）"),
                               f->bytes[side]);
}

void ladder_fold_text(GString *out, const ladder_fold *f, int style, ts_language lang)
{
    g_string_truncate(out, 0);
    fold_side(out, f, TS_CLIENT, style, lang);
    fold_side(out, f, TS_SERVER, style, lang);
}

void ladder_fold_role(const ladder_fold *f, char *buf, size_t size, ts_language lang)
{
    uint32_t data = f->data[0] + f->data[1], acks = f->acks[0] + f->acks[1];

    /* The role tokens stay; the count is "x38", in Chinese "×38". */
    snprintf(buf, size, TS_RW(lang, "%s x%u", "%s \xc3\x97%u"),
             data && acks ? "data/ack" : data ? "data" : "ack", f->count);
}

static void print_fold(const ladder_layout *lay, const ladder_fold *f, ts_language lang)
{
    gboolean c = f->data[TS_CLIENT] || f->acks[TS_CLIENT];
    gboolean s = f->data[TS_SERVER] || f->acks[TS_SERVER];
    GString *label = g_string_new(NULL), *mid = g_string_new(NULL);
    char frame[32], role[40];

    /* The most explicit style that fits the arrow. */
    for (int style = 0; style < 3; style++) {
        ladder_fold_text(label, f, style, lang);
        if (ts_text_width(label->str) <= (size_t)lay->arrow_w - 6)
            break;
    }
    arrow(mid, lay->arrow_w, label->str, c, s, '=');
    snprintf(frame, sizeof frame, "%u-%u", f->first_frame, f->last_frame);
    ladder_fold_role(f, role, sizeof role, lang);
    print_row(lay, frame, "", mid, "", role);
    g_string_free(label, TRUE);
    g_string_free(mid, TRUE);
}

static int frame_label_width(const ladder_line *line)
{
    char buf[32];

    if (line->is_fold)
        return snprintf(buf, sizeof buf, "%u-%u", line->u.fold.first_frame,
                        line->u.fold.last_frame);
    return snprintf(buf, sizeof buf, "%u", line->u.seg.frame);
}

static void print_stream(wmem_allocator_t *scope, const ladder_stream *ls, ts_language lang)
{
    unsigned n = wmem_array_get_count(ls->lines);
    const ladder_line *lines = (const ladder_line *)wmem_array_get_raw(ls->lines);
    uint8_t last[2];
    const ts_tw_end *ends[2];
    ladder_layout lay;

    lay.frame_w = FRAME_MIN_W;
    for (unsigned i = 0; i < n; i++)
        lay.frame_w = MAX(lay.frame_w, frame_label_width(&lines[i]));
    /* frame, ' ', state, " |", arrow, "| ", state, ' ', role */
    lay.arrow_w = LINE_WIDTH - lay.frame_w - 1 - STATE_W - 2 - 2 - STATE_W - 1 - ROLE_W;
    lay.arrow_w = MAX(lay.arrow_w, ARROW_MIN_W);

    printf(TS_RW(lang, "\nStream %u\n", "\n流 %u\n"), ls->stream);
    printf(TS_RW(lang, "  client (left):  %s\n", "  客户端（左）：%s\n"),
           report_endpoint_str(&ls->ep, TS_CLIENT, scope));
    printf(TS_RW(lang, "  server (right): %s\n", "  服务器（右）：%s\n"),
           report_endpoint_str(&ls->ep, TS_SERVER, scope));
    if (ls->assumed)
        printf("%s\n", TS_RW(lang, "  the opening was not captured: the first states are assumed",
                             "  没有抓到连接的建立过程：开头的状态是推断的"));
    printf("\n");
    print_blank_row(&lay, TS_RW(lang, "frame", "帧"), TS_RW(lang, "client", "客户端"),
                    TS_RW(lang, "server", "服务器"), TS_RW(lang, "role", "角色"));
    print_blank_row(&lay, "", ts_state_name(ls->initial[TS_CLIENT]),
                    ts_state_name(ls->initial[TS_SERVER]), "");
    last[TS_CLIENT] = ls->initial[TS_CLIENT];
    last[TS_SERVER] = ls->initial[TS_SERVER];
    for (unsigned i = 0; i < n; i++) {
        if (lines[i].is_fold) {
            print_fold(&lay, &lines[i].u.fold, lang);
        } else {
            const ladder_seg *seg = &lines[i].u.seg;
            print_seg(&lay, seg, lang);
            for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++)
                if (seg->show[s] != NO_STATE)
                    last[s] = seg->show[s];
        }
    }
    ladder_final_states(ls, last, ends);
    print_blank_row(&lay, "", ts_state_name(last[TS_CLIENT]), ts_state_name(last[TS_SERVER]),
                    TS_RW(lang, "(end of capture)", "（抓包结束）"));
    for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++) {
        GString *line;
        if (!ends[s])
            continue;
        /* Under the end line, from the client's column on. */
        line = g_string_new(NULL);
        g_string_append_printf(line, "%*s", lay.frame_w + 1, "");
        ladder_end_reason(line, s, ends[s], lang);
        report_fit(line, LINE_WIDTH);
        printf("%s\n", line->str);
        g_string_free(line, TRUE);
    }
}

void ladder_final_states(const ladder_stream *ls, uint8_t last[2], const ts_tw_end *ends[2])
{
    for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++) {
        /* The first pass has tracked the whole file by the time a ladder is
         * drawn (tracking.h). */
        const ts_tw_end *end = tracking_time_wait_end(ls->stream, s);
        unsigned state = ts_tw_end_final_state(last[s], end);

        ends[s] = state != last[s] ? end : NULL;
        last[s] = (uint8_t)state;
    }
}

void ladder_end_reason(GString *out, unsigned side, const ts_tw_end *end, ts_language lang)
{
    char reason[TS_TEXT_MAX];

    ts_tw_end_reason(end, lang, reason, sizeof reason);
    g_string_append_printf(out, TS_RW(lang, "%s: %s (%s)", "%s：%s（%s）"),
                           ts_side_words(side, lang), ts_state_name(TS_CLOSED), reason);
}

static gint stream_cmp(gconstpointer a, gconstpointer b)
{
    const ladder_stream *x = *(const ladder_stream *const *)a;
    const ladder_stream *y = *(const ladder_stream *const *)b;
    return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static void collect_stream(gpointer key _U_, gpointer value, gpointer user_data)
{
    ladder_stream *ls = (ladder_stream *)value;

    /* Close the last run of each stream before printing. */
    if (ls->lines) {
        flush_run(ls);
        g_ptr_array_add((GPtrArray *)user_data, ls);
    }
}

/* Why a ladder has no stream to show, or NULL when it has one. */
static char *missing_text(const ladder_report *rep, unsigned shown, ts_language lang)
{
    if (shown)
        return NULL;
    if (rep->one && rep->streams_seen == 1)
        return g_strdup_printf(TS_RW(lang, LADDER_CLI ": no TCP stream %u in this capture (it has "
                                           "only stream %u)",
                                     LADDER_CLI "：这个抓包里没有 TCP 流 %u（只有流 %u）"),
                               rep->wanted, rep->min_stream);
    if (rep->one && rep->streams_seen)
        return g_strdup_printf(TS_RW(lang, LADDER_CLI ": no TCP stream %u in this capture (it has "
                                           "streams %u to %u)",
                                     LADDER_CLI "：这个抓包里没有 TCP 流 %u（只有流 %u 到 %u）"),
                               rep->wanted, rep->min_stream, rep->max_stream);
    if (rep->one)
        return g_strdup_printf(TS_RW(lang, LADDER_CLI ": no TCP stream %u in this capture (it has "
                                           "no TCP stream)",
                                     LADDER_CLI "：这个抓包里没有 TCP 流 %u（它根本没有 TCP 流）"),
                               rep->wanted);
    return g_strdup(TS_RW(lang, LADDER_CLI ": no TCP stream in this capture",
                          LADDER_CLI "：这个抓包里没有 TCP 流"));
}

/* The SVG document: each stream's picture below the previous one. Without a
 * stream, a document that says why (and the same line on stderr). */
static void ladder_draw_svg(const ladder_report *rep, GPtrArray *streams, ts_language lang)
{
    GString *body = g_string_new(NULL);
    char *missing = missing_text(rep, streams->len, lang);
    int top = 10, height;

    for (unsigned i = 0; i < streams->len; i++) {
        ladder_svg_stream(body, (const ladder_stream *)g_ptr_array_index(streams, i), top,
                          &height, lang);
        top += height;
    }
    if (missing) {
        char *esc = g_markup_escape_text(missing, -1);
        g_string_append_printf(body, "<text x=\"20\" y=\"40\">%s</text>\n", esc);
        fprintf(stderr, "%s\n", missing);
        g_free(esc);
        top = 60;
    }
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
           "viewBox=\"0 0 %d %d\" font-family=\"%s\" "
           "font-size=\"13\">\n"
           "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n%s</svg>\n",
           LADDER_SVG_WIDTH, top + 10, LADDER_SVG_WIDTH, top + 10,
           /* A Chinese picture names the CJK fonts scripts/setup.sh installs. */
           TS_RW(lang, "DejaVu Sans, Verdana, sans-serif",
                 "Noto Sans CJK SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif"),
           body->str);
    g_free(missing);
    g_string_free(body, TRUE);
}

static void ladder_draw(void *tapdata)
{
    ladder_report *rep = (ladder_report *)tapdata;
    wmem_allocator_t *scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    GPtrArray *streams = g_ptr_array_new();
    ts_language lang = report_language(); /* as it is when the file has been read */

    wmem_map_foreach(rep->streams, collect_stream, streams);
    g_ptr_array_sort(streams, stream_cmp);
    if (rep->svg) {
        ladder_draw_svg(rep, streams, lang);
        g_ptr_array_free(streams, TRUE);
        wmem_destroy_allocator(scope);
        return;
    }

    printf("================================================================================\n");
    if (lang == TS_LANG_ZH_CN) {
        printf("TCP 连接时序图（" LADDER_CLI "）\n");
        printf("每个报文段一个箭头：标志位、相对于各自初始序号的 seq/ack、载荷长度。\n");
        printf("状态只在变化处标出；连续超过 %d 个不改变任何状态的数据/ACK 报文段合并为一行。\n",
               FOLD_AFTER);
    } else {
        printf("TCP connection ladder (" LADDER_CLI ")\n");
        printf("One arrow per segment: flags, seq/ack relative to each side's ISN, payload "
               "length.\n");
        printf("A state is shown where it changes; runs of more than %d data/ACK segments that\n"
               "change nothing are folded into one line.\n", FOLD_AFTER);
    }
    printf("================================================================================\n");
    if (streams->len == 0) {
        char *missing = missing_text(rep, 0, lang);
        printf("%s\n", missing);
        g_free(missing);
    }
    for (unsigned i = 0; i < streams->len; i++)
        print_stream(scope, (const ladder_stream *)g_ptr_array_index(streams, i), lang);
    printf("================================================================================\n");
    g_ptr_array_free(streams, TRUE);
    wmem_destroy_allocator(scope);
}

static void ladder_finish(void *tapdata)
{
    ladder_report *rep = (ladder_report *)tapdata;

    wmem_destroy_allocator(rep->pool);
    g_free(rep);
}

/* opt_arg is the whole -z argument: "tcpstate,ladder[,svg][,N]". */
static void ladder_init(const char *opt_arg, void *userdata _U_)
{
    const char *rest = opt_arg + strlen(LADDER_CLI);
    ladder_report *rep;
    GString *err;

    /* The GUI runs -z reports after reading the file, so the listener
     * would see no packet, and it has no stdout to print to: say where the
     * ladder is in the GUI instead (docs/reports.md). */
    if (report_in_gui()) {
        /* The Flow Graph type's name is the registered one (report_menu_title). */
        if (report_language() == TS_LANG_ZH_CN)
            report_warning("-z %s 是 tshark 的报告，在 Wireshark 图形界面里不起作用。\n"
                           "在 Wireshark 里，时序图在 Statistics > Flow Graph，流类型选 "
                           "\"%s\"（可导出 PNG、PDF 和文本）。", opt_arg,
                           report_menu_title(REPORT_MENU_FLOW));
        else
            report_warning("-z %s is a tshark report and does nothing in Wireshark.\n"
                           "In Wireshark, the ladder is Statistics > Flow Graph, flow type "
                           "\"%s\" (it exports PNG, PDF and text).", opt_arg,
                           report_menu_title(REPORT_MENU_FLOW));
        return;
    }
    rep = g_new0(ladder_report, 1);
    if (strncmp(rest, ",svg", 4) == 0 && (rest[4] == '\0' || rest[4] == ',')) {
        rep->svg = TRUE;
        rest += 4;
    }
    if (*rest == ',') {
        rep->one = TRUE;
        if (!report_parse_uint(rest + 1, &rep->wanted)) {
            fprintf(stderr, "tshark: invalid -z %s: STREAM must be a tcp.stream number; use -z "
                    LADDER_CLI "[,svg][,STREAM]\n", opt_arg);
            g_free(rep);
            exit(1);
        }
    } else if (*rest != '\0') {
        fprintf(stderr, "tshark: invalid -z %s; use -z " LADDER_CLI "[,svg][,STREAM]\n", opt_arg);
        g_free(rep);
        exit(1);
    }
    rep->pool = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK);
    rep->streams = wmem_map_new(rep->pool, g_direct_hash, g_direct_equal);

    err = register_tap_listener("tcpstate", rep, NULL, TL_REQUIRES_NOTHING, ladder_reset,
                                ladder_packet, ladder_draw, ladder_finish);
    if (err) {
        fprintf(stderr, "tshark: " LADDER_CLI ": %s\n", err->str);
        g_string_free(err, TRUE);
        wmem_destroy_allocator(rep->pool);
        g_free(rep);
        exit(1);
    }
}

void report_ladder_register(void)
{
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC, NULL, LADDER_CLI, ladder_init, 0, NULL
    };

    register_stat_tap_ui(&ui, NULL);
}
