/*
 * The stream table: what -z tcpstate,conv prints, one row per stream, as a
 * table of Wireshark's stat-tap table API (epan/stat_tap_ui.h). The GUI
 * lists it in the Statistics menu ("TCP Connection State Streams") and shows
 * it in a sortable dialog with a display filter box; tshark prints it with
 * -z tcpstate,streams[,FILTER]. docs/reports.md describes both.
 *
 * Rows are filled by report_row_add (report_row.c), as -z tcpstate,conv's, so
 * the two agree cell for cell. The column titles, and the words for how a
 * stream opened and closed, follow the `language` preference as it is when
 * a file is opened (the dialog reads the titles when it opens); the menu
 * entry's title is registered at start-up, before any preference is read,
 * in the language the preferences file saved (report_menu_language()).
 *
 * Cells point into the rows (strings) or hold numbers: nothing is allocated
 * per segment. The rows live in a private allocator that a reset (a new
 * file, a retap, a new filter) empties.
 */
#include "report_row.h"

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "report_words.h"

#define TABLE_CLI REPORT_TABLE_CLI

enum {
    T_STREAM, T_CLIENT, T_SERVER, T_CONN_STATE, T_HISTORY, T_OPENED, T_CLOSED, T_CLIENT_STATE,
    T_SERVER_STATE, T_FIRST, T_LAST, T_RTT, T_SEGS_C, T_SEGS_S, T_BYTES_C, T_BYTES_S,
    T_CONNECTIONS, T_COUNT
};

/* Column titles by ts_language (TS_LANG_EN, TS_LANG_ZH_CN). */
static const char *const titles[2][T_COUNT] = {
    {
        [T_STREAM] = "Stream", [T_CLIENT] = "Client", [T_SERVER] = "Server",
        [T_CONN_STATE] = "conn_state", [T_HISTORY] = "History", [T_OPENED] = "Opened",
        [T_CLOSED] = "Closed", [T_CLIENT_STATE] = "Client state",
        [T_SERVER_STATE] = "Server state", [T_FIRST] = "First (s)", [T_LAST] = "Last (s)",
        [T_RTT] = "Handshake RTT (s)", [T_SEGS_C] = "C>S segments", [T_SEGS_S] = "S>C segments",
        [T_BYTES_C] = "C>S bytes", [T_BYTES_S] = "S>C bytes", [T_CONNECTIONS] = "Connections",
    },
    {
        [T_STREAM] = "流", [T_CLIENT] = "客户端", [T_SERVER] = "服务器",
        [T_CONN_STATE] = "conn_state", [T_HISTORY] = "history", [T_OPENED] = "建立方式",
        [T_CLOSED] = "关闭方式", [T_CLIENT_STATE] = "客户端最终状态",
        [T_SERVER_STATE] = "服务器最终状态", [T_FIRST] = "首段 (秒)", [T_LAST] = "末段 (秒)",
        [T_RTT] = "握手往返时间 (秒)", [T_SEGS_C] = "客户端→服务器 段数",
        [T_SEGS_S] = "服务器→客户端 段数", [T_BYTES_C] = "客户端→服务器 字节",
        [T_BYTES_S] = "服务器→客户端 字节", [T_CONNECTIONS] = "连接数",
    },
};
static const char *const table_titles[2] = { "TCP streams", "TCP 流" };

/* Types, alignment and printf formats (tshark's -z prints with them). */
static stat_tap_table_item fields[T_COUNT] = {
    [T_STREAM] = { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, NULL, "%u" },
    [T_CLIENT] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_SERVER] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_CONN_STATE] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_HISTORY] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_OPENED] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_CLOSED] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_CLIENT_STATE] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_SERVER_STATE] = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, NULL, "%s" },
    [T_FIRST] = { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, NULL, "%.6f" },
    [T_LAST] = { TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, NULL, "%.6f" },
    [T_RTT] = { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, NULL, "%s" },
    [T_SEGS_C] = { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, NULL, "%u" },
    [T_SEGS_S] = { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, NULL, "%u" },
    [T_BYTES_C] = { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, NULL, "%u" },
    [T_BYTES_S] = { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, NULL, "%u" },
    [T_CONNECTIONS] = { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, NULL, "%u" },
};

typedef struct {
    report_row row;
    guint index;          /* its row in the stat_tap_table */
    const char *ep[2];    /* "addr:port" once known, in `pool` */
    char rtt[32];         /* the handshake RTT as -z tcpstate,conv prints it */
} table_row;

static wmem_allocator_t *pool; /* rows and their strings; emptied by a reset */
static wmem_map_t *rows;       /* stream -> table_row */
static guint row_count;

static unsigned language(void)
{
    return tcpstate_pref.language == TS_LANG_ZH_CN ? 1u : 0u;
}

static void set_titles(void)
{
    for (unsigned c = 0; c < T_COUNT; c++)
        fields[c].column_name = titles[language()][c];
}

static void rows_reset(void)
{
    if (!pool)
        pool = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK);
    else
        wmem_free_all(pool);
    rows = wmem_map_new(pool, g_direct_hash, g_direct_equal);
    row_count = 0;
}

/* The cells point at the row's strings or at static names. */
static void fill_cells(stat_tap_table_item_type *cell, table_row *t)
{
    const report_row *r = &t->row;
    char buf[32];

    for (unsigned c = 0; c < T_COUNT; c++)
        cell[c].type = fields[c].type;
    cell[T_STREAM].value.uint_value = r->stream;
    for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++) {
        if (!t->ep[s] && r->ep.addr[s])
            t->ep[s] = report_endpoint_str(&r->ep, s, pool);
    }
    cell[T_CLIENT].value.string_value = t->ep[TS_CLIENT] ? t->ep[TS_CLIENT] : "?";
    cell[T_SERVER].value.string_value = t->ep[TS_SERVER] ? t->ep[TS_SERVER] : "?";
    cell[T_CONN_STATE].value.string_value = ts_zeek_conn_state_name(r->conn_state);
    cell[T_HISTORY].value.string_value = r->history_len ? r->history : "-";
    /* How it opened and closed in words of the `language` preference (the
     * contract's tokens in English, as -z tcpstate,conv prints them). */
    cell[T_OPENED].value.string_value = ts_open_words(ts_outcome_opened(&r->facts),
                                                      report_language());
    cell[T_CLOSED].value.string_value = ts_close_words(ts_outcome_closed(&r->facts),
                                                       report_language());
    cell[T_CLIENT_STATE].value.string_value =
        ts_state_name(report_row_final_state(r, TS_CLIENT, NULL));
    cell[T_SERVER_STATE].value.string_value =
        ts_state_name(report_row_final_state(r, TS_SERVER, NULL));
    cell[T_FIRST].value.float_value = (double)r->first_ns / 1e9;
    cell[T_LAST].value.float_value = (double)r->last_ns / 1e9;
    if (r->handshake_rtt_ns >= 0) {
        report_format_time(buf, sizeof buf, r->handshake_rtt_ns);
        g_strlcpy(t->rtt, buf, sizeof t->rtt);
    } else {
        g_strlcpy(t->rtt, "-", sizeof t->rtt);
    }
    cell[T_RTT].value.string_value = t->rtt;
    cell[T_SEGS_C].value.uint_value = r->segments[TS_CLIENT];
    cell[T_SEGS_S].value.uint_value = r->segments[TS_SERVER];
    /* The cell is 32 bits wide: a direction with 4 GiB or more shows the maximum. */
    cell[T_BYTES_C].value.uint_value = (guint)MIN(r->bytes[TS_CLIENT], G_MAXUINT);
    cell[T_BYTES_S].value.uint_value = (guint)MIN(r->bytes[TS_SERVER], G_MAXUINT);
    cell[T_CONNECTIONS].value.uint_value = r->facts.connections;
}

static tap_packet_status table_packet(void *tapdata, packet_info *pinfo,
                                      epan_dissect_t *edt _U_, const void *data,
                                      tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    const tcpstate_item *item = (const tcpstate_item *)data;
    stat_tap_table *table;
    table_row *t;

    if (!item || !rows || !sd->stat_tap_data->tables || sd->stat_tap_data->tables->len == 0)
        return TAP_PACKET_DONT_REDRAW;
    table = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    t = (table_row *)wmem_map_lookup(rows, GUINT_TO_POINTER(item->stream));
    if (!t) {
        stat_tap_table_item_type blank[T_COUNT];

        t = wmem_new0(pool, table_row);
        report_row_init(&t->row, item->stream);
        t->index = row_count++;
        wmem_map_insert(rows, GUINT_TO_POINTER(item->stream), t);
        memset(blank, 0, sizeof blank);
        stat_tap_init_table_row(table, t->index, T_COUNT, blank);
    }
    report_row_add(&t->row, pool, pinfo, item);
    fill_cells(stat_tap_get_field_data(table, t->index, 0), t);
    /* This segment ends an earlier stream's TIME-WAIT (core/refs.h): that
     * row's final state changes now, after its own last segment. */
    if (item->tw_end &&
        (t = (table_row *)wmem_map_lookup(rows, GUINT_TO_POINTER(item->tw_end->stream))))
        fill_cells(stat_tap_get_field_data(table, t->index, 0), t);
    return TAP_PACKET_REDRAW;
}

/* Empty the table: its rows and what their cells point at. */
static void table_reset(stat_tap_table *table)
{
    for (guint i = 0; i < table->num_elements; i++)
        g_free(table->elements[i]);
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
    rows_reset();
}

/* Cells own nothing (they point into the rows' allocator). */
static void table_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                            stat_tap_table_item_type *field_data _U_)
{
}

/* Called before every (re)tap: one table, empty, titled in the language of now. */
static void table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table;

    set_titles();
    if (ui->tables && ui->tables->len) {
        table = g_array_index(ui->tables, stat_tap_table *, 0);
        table->title = table_titles[language()];
        table_reset(table);
        return;
    }
    table = stat_tap_init_table(table_titles[language()], T_COUNT, 0, NULL);
    stat_tap_add_table(ui, table);
    rows_reset();
}

void report_table_register(void)
{
    static stat_tap_table_ui ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED,
        NULL, /* the title: report_menu_title(), set below */
        "tcpstate",
        TABLE_CLI,
        table_init,
        table_packet,
        table_reset,
        table_free_item,
        NULL,
        T_COUNT, fields,
        0, NULL,
        NULL, 0
    };

    ui.title = report_menu_title(REPORT_MENU_STREAMS);
    set_titles();
    register_stat_tap_table_ui(&ui);
    /* The dialog reads the column titles when it opens: follow the language
     * preference of each file. */
    register_init_routine(set_titles);
}
