/*
 * The stats tree "TCP Connection State": -z tcpstate,tree[,FILTER] in tshark
 * and Statistics > TCP Connection State in the GUI.
 *
 *   Streams by conn_state   streams by their Zeek conn_state, as of their last segment
 *   Streams by opening      three-way, simultaneous, partial, none
 *   Streams by closing      four-way, three-way, simultaneous, reset by ..., half-closed, still open,
 *                           refused, no answer
 *   Segments by role        every tracked segment by its role
 *
 * A stream's conn_state, opening and closing can change with each of its
 * segments, and a stats tree has no end-of-capture hook, so each stream keeps
 * the classes it is currently counted in; when one changes, the stream moves
 * from one node to the other (the nodes' counters are set, not ticked, so the
 * moves do not disturb the rate columns). Every node is created up front, in
 * a fixed order, so the tree reads the same for every capture.
 *
 * Per-tree state (one record per stream) hangs off a table keyed by the
 * stats_tree: the GUI can have several trees open at once. init() (called
 * once per tree, and again by the GUI before each retap) starts it afresh;
 * cleanup() frees it.
 */
#include "reports.h"

#include <epan/stats_tree.h>

#include "report_words.h"

#define TREE_ABBR "tcpstate"

/* Node labels by language (the `language` preference when the tree is
 * created: tshark's -z run, or the GUI window's opening). The open/close
 * classes and the roles are the contract's tokens and stay as they are. */
enum { L_EN, L_ZH, L_COUNT };

static const char *const conn_state_node[L_COUNT][TS_ZEEK_CONN_STATE_COUNT] = {
    [L_EN] = {
        [TS_ZEEK_S0] = "S0: attempt, no reply",
        [TS_ZEEK_S1] = "S1: established, not closed",
        [TS_ZEEK_SF] = "SF: established and closed",
        [TS_ZEEK_REJ] = "REJ: attempt rejected",
        [TS_ZEEK_S2] = "S2: established, originator's close only",
        [TS_ZEEK_S3] = "S3: established, responder's close only",
        [TS_ZEEK_RSTO] = "RSTO: originator aborted",
        [TS_ZEEK_RSTR] = "RSTR: responder aborted",
        [TS_ZEEK_RSTOS0] = "RSTOS0: originator SYN then RST",
        [TS_ZEEK_RSTRH] = "RSTRH: responder SYN-ACK then RST",
        [TS_ZEEK_SH] = "SH: originator SYN then FIN",
        [TS_ZEEK_SHR] = "SHR: responder SYN-ACK then FIN",
        [TS_ZEEK_OTH] = "OTH: no SYN, midstream",
    },
    [L_ZH] = {
        [TS_ZEEK_S0] = "S0: 发起连接，无应答",
        [TS_ZEEK_S1] = "S1: 已建立，未关闭",
        [TS_ZEEK_SF] = "SF: 已建立并已关闭",
        [TS_ZEEK_REJ] = "REJ: 连接请求被拒绝",
        [TS_ZEEK_S2] = "S2: 已建立，仅发起方关闭",
        [TS_ZEEK_S3] = "S3: 已建立，仅响应方关闭",
        [TS_ZEEK_RSTO] = "RSTO: 发起方中止",
        [TS_ZEEK_RSTR] = "RSTR: 响应方中止",
        [TS_ZEEK_RSTOS0] = "RSTOS0: 发起方发 SYN 后又发 RST",
        [TS_ZEEK_RSTRH] = "RSTRH: 响应方发 SYN+ACK 后又发 RST",
        [TS_ZEEK_SH] = "SH: 发起方发 SYN 后又发 FIN",
        [TS_ZEEK_SHR] = "SHR: 响应方发 SYN+ACK 后又发 FIN",
        [TS_ZEEK_OTH] = "OTH: 无 SYN，从连接中途开始",
    },
};

enum { G_CONN_STATE, G_OPEN, G_CLOSE, G_COUNT };

static const char *const group_node[L_COUNT][G_COUNT] = {
    [L_EN] = {
        [G_CONN_STATE] = "Streams by conn_state",
        [G_OPEN] = "Streams by opening",
        [G_CLOSE] = "Streams by closing",
    },
    [L_ZH] = {
        [G_CONN_STATE] = "按 conn_state 分的流",
        [G_OPEN] = "按建立方式分的流",
        [G_CLOSE] = "按关闭方式分的流",
    },
};
static const char *const role_node[L_COUNT] = { "Segments by role", "按角色分的报文段" };

static const unsigned group_size[G_COUNT] = {
    [G_CONN_STATE] = TS_ZEEK_CONN_STATE_COUNT,
    [G_OPEN] = TS_OPEN_COUNT,
    [G_CLOSE] = TS_CLOSE_COUNT,
};

typedef struct {
    ts_outcome facts;
    uint8_t cls[G_COUNT];   /* the class the stream is counted in, per group */
} tree_stream;

G_STATIC_ASSERT(TS_ZEEK_CONN_STATE_COUNT <= 16 && TS_OPEN_COUNT <= 16 &&
                TS_CLOSE_COUNT <= 16);

typedef struct {
    GHashTable *streams;    /* stream number -> tree_stream (g_free'd) */
    int group_id[G_COUNT];
    int role_id;
    int count[G_COUNT][16]; /* streams per class */
    int streams_total;
    unsigned lang;          /* L_EN, L_ZH: the labels' language */
} tree_data;

/* stats_tree -> tree_data */
static GHashTable *trees;

static const char *class_name(const tree_data *td, unsigned group, unsigned cls)
{
    switch (group) {
    case G_CONN_STATE:
        return cls < TS_ZEEK_CONN_STATE_COUNT ? conn_state_node[td->lang][cls] : "?";
    case G_OPEN:
        return ts_open_words(cls, td->lang == L_ZH ? TS_LANG_ZH_CN : TS_LANG_EN);
    default:
        return ts_close_words(cls, td->lang == L_ZH ? TS_LANG_ZH_CN : TS_LANG_EN);
    }
}

static void set_class_node(stats_tree *st, tree_data *td, unsigned group, unsigned cls)
{
    set_stat_node(st, class_name(td, group, cls), td->group_id[group], FALSE,
                  td->count[group][cls]);
}

static void tree_init(stats_tree *st)
{
    tree_data *td;

    if (!trees)
        trees = g_hash_table_new(g_direct_hash, g_direct_equal);
    td = (tree_data *)g_hash_table_lookup(trees, st);
    if (td) {
        /* The GUI calls init again before a retap: the nodes exist, only
         * the streams and counters start over (the counters were reset). */
        g_hash_table_remove_all(td->streams);
        memset(td->count, 0, sizeof td->count);
        td->streams_total = 0;
        return;
    }
    td = g_new0(tree_data, 1);
    td->streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    td->lang = tcpstate_pref.language == TS_LANG_ZH_CN ? L_ZH : L_EN;
    g_hash_table_insert(trees, st, td);

    for (unsigned g = 0; g < G_COUNT; g++) {
        td->group_id[g] =
            stats_tree_create_node(st, group_node[td->lang][g], 0, STAT_DT_INT, TRUE);
        for (unsigned c = 0; c < group_size[g]; c++)
            stats_tree_create_node(st, class_name(td, g, c), td->group_id[g], STAT_DT_INT,
                                   FALSE);
    }
    td->role_id = stats_tree_create_node(st, role_node[td->lang], 0, STAT_DT_INT, TRUE);
    for (unsigned r = 0; r < TS_ROLE_COUNT; r++)
        stats_tree_create_node(st, ts_role_name(r), td->role_id, STAT_DT_INT, FALSE);
}

static void tree_cleanup(stats_tree *st)
{
    tree_data *td = trees ? (tree_data *)g_hash_table_lookup(trees, st) : NULL;

    if (!td)
        return;
    g_hash_table_remove(trees, st);
    g_hash_table_destroy(td->streams);
    g_free(td);
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo _U_,
                                     epan_dissect_t *edt _U_, const void *data,
                                     tap_flags_t flags _U_)
{
    tree_data *td = trees ? (tree_data *)g_hash_table_lookup(trees, st) : NULL;
    const tcpstate_item *item = (const tcpstate_item *)data;
    tree_stream *ts;
    uint8_t cls[G_COUNT];
    gboolean is_new = FALSE;

    if (!td || !item)
        return TAP_PACKET_DONT_REDRAW;

    tick_stat_node(st, role_node[td->lang], 0, TRUE);
    tick_stat_node(st, ts_role_name(item->result.role), td->role_id, FALSE);

    ts = (tree_stream *)g_hash_table_lookup(td->streams, GUINT_TO_POINTER(item->stream));
    if (!ts) {
        ts = g_new0(tree_stream, 1);
        ts_outcome_init(&ts->facts);
        g_hash_table_insert(td->streams, GUINT_TO_POINTER(item->stream), ts);
        is_new = TRUE;
        td->streams_total++;
    }
    ts_outcome_add(&ts->facts, &item->result);
    cls[G_CONN_STATE] = item->conn_state < TS_ZEEK_CONN_STATE_COUNT ? item->conn_state
                                                                     : TS_ZEEK_OTH;
    cls[G_OPEN] = (uint8_t)ts_outcome_opened(&ts->facts);
    cls[G_CLOSE] = (uint8_t)ts_outcome_closed(&ts->facts);

    for (unsigned g = 0; g < G_COUNT; g++) {
        if (is_new) {
            set_stat_node(st, group_node[td->lang][g], 0, TRUE, td->streams_total);
        } else if (cls[g] == ts->cls[g]) {
            continue;
        } else {
            td->count[g][ts->cls[g]]--;
            set_class_node(st, td, g, ts->cls[g]);
        }
        ts->cls[g] = cls[g];
        td->count[g][cls[g]]++;
        set_class_node(st, td, g, cls[g]);
    }
    return TAP_PACKET_REDRAW;
}

void report_stats_tree_register(void)
{
    stats_tree_register_plugin("tcpstate", TREE_ABBR, report_menu_title(REPORT_MENU_TREE), 0, tree_packet, tree_init,
                               tree_cleanup);
}
