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
 * Memory (docs/performance.md): one 16-byte outcome_conn per stream in a
 * dense table by tcp.stream, plus, for the rare stream that holds several
 * connections, the later ones in a map. Nothing per frame. The final Zeek
 * history is not copied: it is the history the connection's last frame
 * shows, which the stream keeps anyway (tracking_history_at()).
 */
#include "conn_outcome.h"

#include <string.h>

#include "dense_table.h"
#include "report_words.h"
#include "reports.h"
#include "tracking.h"

/* A connection's outcome; the first connection of a stream starts at the
 * stream's first frame, so only the later ones keep where they start. */
typedef struct {
    uint32_t last_frame;        /* its last frame so far: its history is that frame's */
    ts_outcome facts;
    uint8_t conn_state;         /* ts_zeek_conn_state of its last frame so far */
    uint8_t history_len : 7;    /* of its last frame so far (at most TS_ZEEK_HISTORY_MAX) */
    uint8_t more : 1;           /* in the first slot: later connections are in `mores` */
} outcome_conn;

_Static_assert(TS_ZEEK_HISTORY_MAX < 128, "history_len must fit its 7 bits");
/* What every stream costs here (docs/performance.md). */
_Static_assert(sizeof(outcome_conn) == 16, "outcome_conn must stay 16 bytes");

typedef struct {
    uint32_t start_frame;
    outcome_conn c;
} outcome_later;

typedef struct {
    outcome_later *conn; /* later connections on the stream, by start frame */
    uint32_t count, cap;
} outcome_more;

/* Both exist while a file is open. */
static dense_table *streams; /* tcp.stream -> its first connection's outcome_conn */
static wmem_map_t *mores;    /* tcp.stream -> outcome_more, for the streams with several */

static int hf_conn_state = -1, hf_history = -1, hf_opened = -1, hf_closed = -1;
static int hf_client_state = -1, hf_server_state = -1;
static int ett_outcome = -1;

static void outcome_init(void)
{
    streams = dense_table_new(sizeof(outcome_conn));
    mores = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
}

static void outcome_cleanup(void)
{
    streams = NULL; /* freed with the file scope */
    mores = NULL;
}

static outcome_more *more_of(uint32_t stream)
{
    return (outcome_more *)wmem_map_lookup(mores, GUINT_TO_POINTER(stream));
}

static outcome_conn *last_conn(outcome_conn *first, uint32_t stream)
{
    outcome_more *m = first->more ? more_of(stream) : NULL;

    return m ? &m->conn[m->count - 1].c : first;
}

/* A new connection on the stream: a slot after the others. */
static outcome_conn *add_conn(outcome_conn *first, uint32_t stream, uint32_t start_frame)
{
    outcome_more *m = first->more ? more_of(stream) : NULL;

    if (!m) {
        m = wmem_new0(wmem_file_scope(), outcome_more);
        wmem_map_insert(mores, GUINT_TO_POINTER(stream), m);
        first->more = 1;
    }
    if (m->count == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 2;
        m->conn = (outcome_later *)wmem_realloc(wmem_file_scope(), m->conn, cap * sizeof *m->conn);
        m->cap = cap;
    }
    memset(&m->conn[m->count], 0, sizeof m->conn[0]);
    m->conn[m->count].start_frame = start_frame;
    return &m->conn[m->count++].c;
}

void outcome_track(const packet_info *pinfo, const tcpstate_item *item)
{
    outcome_conn *first, *c;

    if (!streams || item->stream == UINT32_MAX)
        return;
    first = (outcome_conn *)dense_table_at(streams, item->stream);
    c = last_conn(first, item->stream);
    if (!c->facts.seen) {
        ts_outcome_init(&c->facts);
    } else if (item->result.events & TS_EV_NEW_CONNECTION) {
        c = add_conn(first, item->stream, pinfo->num);
        ts_outcome_init(&c->facts);
    }
    ts_outcome_add(&c->facts, &item->result);
    c->conn_state = item->conn_state;
    /* The history this frame shows, read back from the stream when rendered
     * (the same prefix of the same buffer: tracking_history_at()). */
    c->last_frame = pinfo->num;
    c->history_len = item->info && item->info->history
                         ? (uint8_t)MIN(item->history_len, TS_ZEEK_HISTORY_MAX) : 0;
}

/* The connection `frame` belongs to: the last one started at or before it. */
static const outcome_conn *conn_of(const outcome_conn *first, uint32_t stream, uint32_t frame)
{
    const outcome_more *m = first->more ? more_of(stream) : NULL;
    uint32_t lo = 0, hi = m ? m->count : 0;

    if (!first->facts.seen)
        return NULL;
    /* Binary search for the number of extra connections started by `frame`. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->conn[mid].start_frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &m->conn[lo - 1].c : first;
}

/* A side's state after connection `c`'s last frame; CLOSED where a later
 * stream on the same addresses and ports ended its TIME-WAIT (core/refs.h,
 * ts_tw_end): that later stream follows the stream's last connection. */
static unsigned final_state(const outcome_conn *first, const outcome_conn *c, uint32_t stream,
                            unsigned side)
{
    const ts_tw_end *end =
        c == conn_of(first, stream, UINT32_MAX) ? tracking_time_wait_end(stream, side) : NULL;

    return ts_tw_end_final_state(c->facts.state[side], end);
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

/* Can an outcome item be seen? In a tree that is not visible Wireshark fakes
 * the items of the fields nobody refers to (field_seen(), tcpstate_plugin.h): when that is
 * all six, there is nothing to look up. */
static gboolean outcome_seen(proto_tree *tree)
{
    const int hfs[] = { hf_closed, hf_opened, hf_conn_state, hf_history, hf_client_state,
                        hf_server_state };

    for (size_t i = 0; i < G_N_ELEMENTS(hfs); i++)
        if (field_seen(tree, proto_registrar_get_nth(hfs[i])))
            return TRUE;
    return FALSE;
}

void outcome_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                    const tcpstate_item *item)
{
    const outcome_conn *first, *c;
    char final_history[TS_ZEEK_HISTORY_MAX + 1];
    proto_item *ti;
    proto_tree *ot;
    ts_language lang;
    unsigned closed, opened;

    /* On the first pass the connection's end is not known yet (SPEC.md). */
    if (!tree || !streams || !PINFO_FD_VISITED(pinfo) || !outcome_seen(tree))
        return;
    first = (const outcome_conn *)dense_table_find(streams, item->stream);
    if (!first || !(c = conn_of(first, item->stream, pinfo->num)))
        return;
    tracking_history_at(item->stream, c->last_frame, c->history_len, final_history);
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
                 TS_RW(lang, "Final Zeek history", "Zeek 最终历史（history）"), final_history, NULL);
    outcome_item(ot, hf_client_state, tvb, lang,
                 TS_RW(lang, "Client's final state", "客户端最终状态"),
                 ts_state_name(final_state(first, c, item->stream, TS_CLIENT)), NULL);
    outcome_item(ot, hf_server_state, tvb, lang,
                 TS_RW(lang, "Server's final state", "服务器最终状态"),
                 ts_state_name(final_state(first, c, item->stream, TS_SERVER)), NULL);
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
