/*
 * How each connection ended, for the outcome fields (conn_outcome.h). The first
 * pass feeds every tracked layer, in capture order, to its connection's
 * ts_outcome (core/outcome.c: the same "opened"/"closed" verdicts as
 * -z tcpstate,conv, never a second classification) and keeps Zeek's
 * conn_state and history of the connection's last frame so far. Later passes
 * only read that.
 *
 * "The connection" of a frame (SPEC.md): a stream whose tuple was reused
 * without a new tcp.stream holds several connections, each starting at a
 * segment with TS_EV_NEW_CONNECTION; a frame belongs to the last one started
 * at or before it.
 *
 * Memory (docs/performance.md): one fixed-size outcome_stream per stream in a
 * dense table by tcp.stream (96 bytes), plus one outcome_conn per extra
 * connection on a reused stream. Nothing per frame.
 */
#include "conn_outcome.h"

#include <string.h>

#include "dense_table.h"
#include "report_words.h"
#include "reports.h"

typedef struct {
    ts_outcome facts;
    uint32_t start_frame;
    uint8_t conn_state;     /* ts_zeek_conn_state of its last frame so far */
    uint8_t history_len;
    char history[TS_ZEEK_HISTORY_MAX + 1];
} outcome_conn;

typedef struct {
    outcome_conn first;
    outcome_conn *more; /* later connections on the stream, by start frame */
    uint32_t nmore, cap;
} outcome_stream;

static dense_table *streams; /* tcp.stream -> outcome_stream; exists while a file is open */

static int hf_conn_state = -1, hf_history = -1, hf_opened = -1, hf_closed = -1;
static int hf_client_state = -1, hf_server_state = -1;
static int ett_outcome = -1;

static void outcome_init(void)
{
    streams = dense_table_new(sizeof(outcome_stream));
}

static void outcome_cleanup(void)
{
    streams = NULL; /* freed with the file scope */
}

static outcome_conn *last_conn(outcome_stream *s)
{
    return s->nmore ? &s->more[s->nmore - 1] : &s->first;
}

/* A new connection on the stream: a slot after the others. */
static outcome_conn *add_conn(outcome_stream *s)
{
    if (s->nmore == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 2;
        s->more = (outcome_conn *)wmem_realloc(wmem_file_scope(), s->more, cap * sizeof *s->more);
        s->cap = cap;
    }
    return &s->more[s->nmore++];
}

void outcome_track(const packet_info *pinfo, const tcpstate_item *item)
{
    outcome_stream *s;
    outcome_conn *c;
    const char *history;

    if (!streams || item->stream == UINT32_MAX)
        return;
    s = (outcome_stream *)dense_table_at(streams, item->stream);
    c = last_conn(s);
    if (!c->facts.seen) {
        ts_outcome_init(&c->facts);
        c->start_frame = pinfo->num;
    } else if (item->result.events & TS_EV_NEW_CONNECTION) {
        c = add_conn(s);
        ts_outcome_init(&c->facts);
        c->start_frame = pinfo->num;
    }
    ts_outcome_add(&c->facts, &item->result);
    c->conn_state = item->conn_state;
    /* The history is a prefix of a buffer later segments rewrite: copy it. */
    history = item->info ? item->info->history : NULL;
    c->history_len = history ? (uint8_t)MIN(item->history_len, TS_ZEEK_HISTORY_MAX) : 0;
    if (c->history_len)
        memcpy(c->history, history, c->history_len);
    c->history[c->history_len] = '\0';
}

/* The connection `frame` belongs to: the last one started at or before it. */
static const outcome_conn *conn_of(const outcome_stream *s, uint32_t frame)
{
    uint32_t lo = 0, hi = s->nmore;

    if (!s->first.facts.seen)
        return NULL;
    /* Binary search for the number of extra connections started by `frame`. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->more[mid].start_frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &s->more[lo - 1] : &s->first;
}

/* The label in the language of the preference: with zh_CN a student reads
 * Chinese; the values are the contract's tokens, which filters use
 * (docs/spec.md), so they stay as they are. */
static proto_item *outcome_item(proto_tree *tree, int hf, tvbuff_t *tvb, ts_language lang,
                                const char *label, const char *value, const char *words)
{
    /* A token with Chinese words shows them, the token beside them so that
     * it can be typed into a filter (as the role line does). */
    proto_item *ti =
        words && strcmp(words, value) != 0
            ? proto_tree_add_string_format(tree, hf, tvb, 0, 0, value, "%s：%s（%s）", label,
                                           words, value)
            : proto_tree_add_string_format(tree, hf, tvb, 0, 0, value, "%s%s%s", label,
                                           TS_RW(lang, ": ", "："), value);

    proto_item_set_generated(ti);
    return ti;
}

void outcome_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                    const tcpstate_item *item)
{
    const outcome_stream *s;
    const outcome_conn *c;
    proto_item *ti;
    proto_tree *ot;
    ts_language lang;
    unsigned closed, opened;

    /* On the first pass the connection's end is not known yet (SPEC.md). */
    if (!tree || !streams || !PINFO_FD_VISITED(pinfo))
        return;
    s = (const outcome_stream *)dense_table_find(streams, item->stream);
    if (!s || !(c = conn_of(s, pinfo->num)))
        return;
    lang = (ts_language)tcpstate_pref.language;
    closed = ts_outcome_closed(&c->facts);
    opened = ts_outcome_opened(&c->facts);
    ti = outcome_item(tree, hf_closed, tvb, lang,
                      TS_RW(lang, "Connection closed", "连接如何关闭"), ts_close_name(closed),
                      ts_close_words(closed, lang));
    ot = proto_item_add_subtree(ti, ett_outcome);
    outcome_item(ot, hf_opened, tvb, lang, TS_RW(lang, "Connection opened", "连接如何建立"),
                 ts_open_name(opened), ts_open_words(opened, lang));
    outcome_item(ot, hf_conn_state, tvb, lang,
                 TS_RW(lang, "Final Zeek conn_state", "Zeek 最终连接状态（conn_state）"),
                 ts_zeek_conn_state_name(c->conn_state), NULL);
    outcome_item(ot, hf_history, tvb, lang,
                 TS_RW(lang, "Final Zeek history", "Zeek 最终历史（history）"), c->history, NULL);
    outcome_item(ot, hf_client_state, tvb, lang,
                 TS_RW(lang, "Client's final state", "客户端最终状态"),
                 ts_state_name(c->facts.state[TS_CLIENT]), NULL);
    outcome_item(ot, hf_server_state, tvb, lang,
                 TS_RW(lang, "Server's final state", "服务器最终状态"),
                 ts_state_name(c->facts.state[TS_SERVER]), NULL);
}

#define OUTCOME_FIELD(var, name, abbrev, blurb) \
    { &var, { name, abbrev, FT_STRING, BASE_NONE, NULL, 0x0, blurb, HFILL } }

void outcome_register(void)
{
    static hf_register_info hf[] = {
        OUTCOME_FIELD(hf_closed, "Connection closed", "tcpstate.outcome.closed",
                      "How this frame's connection closed, as of the last frame tracked so "
                      "far (the closed column of -z tcpstate,conv); re-dissection only"),
        OUTCOME_FIELD(hf_opened, "Connection opened", "tcpstate.outcome.opened",
                      "How this frame's connection opened (the opened column of "
                      "-z tcpstate,conv); re-dissection only"),
        OUTCOME_FIELD(hf_conn_state, "Final Zeek conn_state", "tcpstate.outcome.conn_state",
                      "The connection's Zeek conn_state after its last frame tracked so far; "
                      "re-dissection only"),
        OUTCOME_FIELD(hf_history, "Final Zeek history", "tcpstate.outcome.history",
                      "The connection's Zeek history after its last frame tracked so far; "
                      "re-dissection only"),
        OUTCOME_FIELD(hf_client_state, "Client's final state", "tcpstate.outcome.client.state",
                      "The client's RFC 9293 state after the connection's last frame tracked "
                      "so far; re-dissection only"),
        OUTCOME_FIELD(hf_server_state, "Server's final state", "tcpstate.outcome.server.state",
                      "The server's RFC 9293 state after the connection's last frame tracked "
                      "so far; re-dissection only"),
    };
    static gint *ett[] = { &ett_outcome };

    proto_register_field_array(tcpstate_id.proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    register_init_routine(outcome_init);
    register_cleanup_routine(outcome_cleanup);
}
