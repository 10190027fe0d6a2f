/*
 * The ladder of one stream as an SVG picture (-z tcpstate,ladder,svg; docs/
 * reports.md): the same lines as the text ladder (report_ladder.c collects
 * them), drawn as a teacher draws them on the board. The client's timeline
 * is on the left, the server's on the right, time runs down; each segment is
 * a sloped arrow from its sender to its receiver labelled with its flags and
 * relative seq/ack/len; each endpoint's state is written beside its timeline
 * where it changes; the frame number is on the far left and the role and
 * step on the far right; notes are in italics under their arrow; a fold of
 * plain data/ACK segments is a double line.
 *
 * Plain SVG 1.1 with no script or external reference, so that browsers,
 * Inkscape, rsvg-convert and office suites show it alike.
 */
#include "report_ladder.h"

/* Geometry, in pixels. */
#define X_FRAME 48      /* right edge of the frame number */
#define X_CLIENT 230    /* the client's timeline */
#define X_SERVER 660    /* the server's timeline */
#define X_ROLE 790      /* left edge of the role text */
#define ROW_H 34        /* one arrow */
#define NOTE_H 18       /* one note under an arrow */
#define SLOPE 12        /* how far an arrow drops while it crosses */
#define HEAD_H 74       /* the stream's title and the endpoints */

static void text(GString *out, int x, int y, const char *anchor, const char *style,
                 const char *s)
{
    char *esc = g_markup_escape_text(s, -1);

    g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s%s>%s</text>\n",
                           x, y, anchor, style ? " " : "", style ? style : "", esc);
    g_free(esc);
}

/* The states beside the timelines where they change. */
static void states(GString *out, int y, uint8_t client, uint8_t server)
{
    const char *bold = "font-weight=\"bold\" fill=\"#1f4e99\"";

    if (client != LADDER_NO_STATE)
        text(out, X_CLIENT - 8, y, "end", bold, ts_state_name(client));
    if (server != LADDER_NO_STATE)
        text(out, X_SERVER + 8, y, "start", bold, ts_state_name(server));
}

/* An arrow from one timeline to the other, its label above its middle. */
static void arrow(GString *out, int y, gboolean to_server, gboolean both, const char *label,
                  gboolean fold)
{
    int x1 = to_server ? X_CLIENT : X_SERVER, x2 = to_server ? X_SERVER : X_CLIENT;
    int dir = to_server ? 1 : -1;
    int y2 = y + (fold ? 0 : SLOPE);

    if (fold) {
        g_string_append_printf(out,
                               "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#777\" "
                               "stroke-width=\"1\"/>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                               "y2=\"%d\" stroke=\"#777\" stroke-width=\"1\"/>\n",
                               X_CLIENT, y - 2, X_SERVER, y - 2, X_CLIENT, y + 2, X_SERVER, y + 2);
    } else {
        g_string_append_printf(out,
                               "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" "
                               "stroke-width=\"1.4\"/>\n",
                               x1, y, x2 - dir * 2, y2);
    }
    /* Heads: at the receiver, and at the sender too for a fold both sent. */
    g_string_append_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>\n", x2, y2,
                           x2 - dir * 11, y2 - 5, x2 - dir * 11, y2 + 5,
                           fold ? "#777" : "black");
    if (both)
        g_string_append_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"#777\"/>\n",
                               x1, y, x1 + dir * 11, y - 5, x1 + dir * 11, y + 5);
    text(out, (X_CLIENT + X_SERVER) / 2, y + (y2 - y) / 2 - 6, "middle",
         fold ? "fill=\"#555\"" : NULL, label);
}

void ladder_svg_stream(GString *out, const ladder_stream *ls, int top, int *height,
                       ts_language lang)
{
    unsigned n = wmem_array_get_count(ls->lines);
    const ladder_line *lines = (const ladder_line *)wmem_array_get_raw(ls->lines);
    wmem_allocator_t *scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    uint8_t last[2] = { ls->initial[TS_CLIENT], ls->initial[TS_SERVER] };
    const ts_tw_end *ends[2];
    char title[64], buf[160], role[64];
    int y = top + HEAD_H, body_top, end_y;

    g_string_append_printf(out, "<g id=\"stream-%u\">\n", ls->stream);
    snprintf(title, sizeof title, TS_RW(lang, "TCP stream %u", "TCP 流 %u"), ls->stream);
    text(out, 20, top + 20, "start", "font-size=\"16\" font-weight=\"bold\"", title);
    text(out, X_CLIENT, top + 44, "middle", "font-weight=\"bold\"", ts_side_words(TS_CLIENT, lang));
    text(out, X_CLIENT, top + 60, "middle", NULL, report_endpoint_str(&ls->ep, TS_CLIENT, scope));
    text(out, X_SERVER, top + 44, "middle", "font-weight=\"bold\"", ts_side_words(TS_SERVER, lang));
    text(out, X_SERVER, top + 60, "middle", NULL, report_endpoint_str(&ls->ep, TS_SERVER, scope));
    if (ls->assumed)
        text(out, X_ROLE, top + 20, "start", "font-style=\"italic\"",
             TS_RW(lang, "opening not captured: first states assumed",
                   "没有抓到建立过程：开头的状态是推断的"));
    text(out, X_FRAME, y + 4, "end", "fill=\"#555\"", TS_RW(lang, "frame", "帧"));
    text(out, X_ROLE, y + 4, "start", "fill=\"#555\"", TS_RW(lang, "role", "角色"));
    y += 20;
    body_top = y - 12;
    states(out, y, last[TS_CLIENT], last[TS_SERVER]);
    y += 22;

    for (unsigned i = 0; i < n; i++) {
        if (lines[i].is_fold) {
            const ladder_fold *f = &lines[i].u.fold;
            GString *label = g_string_new(NULL);
            gboolean c = f->data[TS_CLIENT] || f->acks[TS_CLIENT];
            gboolean s = f->data[TS_SERVER] || f->acks[TS_SERVER];

            ladder_fold_text(label, f, 0, lang);
            arrow(out, y, c, c && s, label->str, TRUE);
            snprintf(buf, sizeof buf, "%u-%u", f->first_frame, f->last_frame);
            text(out, X_FRAME, y + 4, "end", "fill=\"#555\"", buf);
            ladder_fold_role(f, role, sizeof role, lang);
            text(out, X_ROLE, y + 4, "start", "fill=\"#555\"", role);
            g_string_free(label, TRUE);
            y += ROW_H;
            continue;
        }
        const ladder_seg *seg = &lines[i].u.seg;

        ladder_seg_label(seg, buf, sizeof buf, lang);
        arrow(out, y, seg->sender == TS_CLIENT, FALSE, buf, FALSE);
        snprintf(buf, sizeof buf, "%u", seg->frame);
        text(out, X_FRAME, y + SLOPE / 2 + 4, "end", NULL, buf);
        /* Sender's state where it sends, receiver's where the arrow lands. */
        states(out, y + (seg->sender == TS_CLIENT ? 4 : SLOPE + 4),
               seg->show[TS_CLIENT], LADDER_NO_STATE);
        states(out, y + (seg->sender == TS_SERVER ? 4 : SLOPE + 4), LADDER_NO_STATE,
               seg->show[TS_SERVER]);
        ladder_role_text(seg->role, seg->step, seg->step_total, seg->attempt, seg->rst_kind,
                         role, sizeof role, lang);
        text(out, X_ROLE, y + SLOPE / 2 + 4, "start", seg->step ? "font-weight=\"bold\"" : NULL,
             role);
        for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++)
            if (seg->show[s] != LADDER_NO_STATE)
                last[s] = seg->show[s];
        y += ROW_H;
        for (size_t k = 0; k < ladder_note_count; k++) {
            if (seg->events & ladder_notes[k].event) {
                GString *note = g_string_new(NULL);
                ladder_note_expand(note, ladder_notes[k].text[lang], seg->sender, seg->attempt,
                                   lang);
                text(out, (X_CLIENT + X_SERVER) / 2, y - 8, "middle",
                     "font-style=\"italic\" fill=\"#a33\"", note->str);
                g_string_free(note, TRUE);
                y += NOTE_H;
            }
        }
    }
    ladder_final_states(ls, last, ends);
    end_y = y;
    states(out, y, last[TS_CLIENT], last[TS_SERVER]);
    text(out, X_ROLE, y, "start", "fill=\"#555\"", TS_RW(lang, "(end of capture)", "（抓包结束）"));
    for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++) {
        GString *reason;
        if (!ends[s])
            continue;
        /* Why that side ends CLOSED, under the end line. */
        reason = g_string_new(NULL);
        ladder_end_reason(reason, s, ends[s], lang);
        y += NOTE_H + 4; /* clear of the timelines' ends */
        text(out, X_CLIENT, y, "start", "font-style=\"italic\" fill=\"#555\"", reason->str);
        g_string_free(reason, TRUE);
    }
    /* The timelines, under everything else. */
    g_string_append_printf(out,
                           "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" "
                           "stroke-width=\"2\"/>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                           "stroke=\"#999\" stroke-width=\"2\"/>\n</g>\n",
                           X_CLIENT, body_top, X_CLIENT, end_y + 8, X_SERVER, body_top,
                           X_SERVER, end_y + 8);
    *height = y + 30 - top;
    wmem_destroy_allocator(scope);
}
