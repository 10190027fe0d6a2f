/*
 * -z tcpstate,conv[,tsv][,FILTER]: one row per TCP stream.
 *
 * A row says who the client and server are, Zeek's conn_state and history,
 * how the connection opened and closed (report_common.c; docs/reports.md has
 * the definitions), each endpoint's final state, the first and last segment's
 * time (relative to the capture's first frame, as frame.time_relative), the
 * handshake RTT, and segments and payload bytes per direction.
 *
 * "tsv" gives the same rows tab-separated with a header line and no banner,
 * for scripts; the plain form aligns its columns for people. In the GUI,
 * -z tcpstate,conv opens the stream table (report_table.c) instead.
 *
 * Memory: one fixed-size row per stream (plus its two address strings), in a
 * private wmem allocator that reset() empties and finish() destroys. Nothing
 * grows per segment.
 */
#include "report_row.h"

#include <stdio.h>

#include "report_words.h"
#include "tw_end_text.h"

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#define CONV_CLI "tcpstate,conv"

typedef report_row conv_row;

typedef struct {
    gboolean tsv;
    char *filter;                /* g_malloc'd, NULL for none */
    wmem_allocator_t *pool;      /* rows, their strings and the map */
    wmem_map_t *rows;            /* stream number -> conv_row */
} conv_report;

static void conv_reset(void *tapdata)
{
    conv_report *rep = (conv_report *)tapdata;

    wmem_free_all(rep->pool);
    rep->rows = wmem_map_new(rep->pool, g_direct_hash, g_direct_equal);
}

static tap_packet_status conv_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                     const void *data, tap_flags_t flags _U_)
{
    conv_report *rep = (conv_report *)tapdata;
    const tcpstate_item *item = (const tcpstate_item *)data;
    conv_row *row;

    if (!item)
        return TAP_PACKET_DONT_REDRAW;
    row = (conv_row *)wmem_map_lookup(rep->rows, GUINT_TO_POINTER(item->stream));
    if (!row) {
        row = wmem_new(rep->pool, conv_row);
        report_row_init(row, item->stream);
        wmem_map_insert(rep->rows, GUINT_TO_POINTER(item->stream), row);
    }
    report_row_add(row, rep->pool, pinfo, item);
    return TAP_PACKET_DONT_REDRAW;
}

static gint row_cmp(gconstpointer a, gconstpointer b)
{
    const conv_row *x = *(const conv_row *const *)a, *y = *(const conv_row *const *)b;
    return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static void collect_row(gpointer key _U_, gpointer value, gpointer user_data)
{
    g_ptr_array_add((GPtrArray *)user_data, value);
}

/* The columns, in order: a title for the aligned form, a name for the TSV
 * header, and whether the aligned form right-aligns it (numbers). */
enum {
    C_STREAM, C_CLIENT, C_SERVER, C_CONN_STATE, C_HISTORY, C_OPENED, C_CLOSED, C_CLIENT_STATE,
    C_SERVER_STATE, C_FIRST, C_LAST, C_RTT, C_SEGS_C, C_SEGS_S, C_BYTES_C, C_BYTES_S, C_COUNT
};

static const struct {
    const char *title[TS_LANG_COUNT]; /* by ts_language */
    gboolean right;
} columns[C_COUNT] = {
    [C_STREAM] = { { "stream", "流" }, TRUE },
    [C_CLIENT] = { { "client", "客户端" }, FALSE },
    [C_SERVER] = { { "server", "服务器" }, FALSE },
    [C_CONN_STATE] = { { "conn_state", "conn_state" }, FALSE },
    [C_HISTORY] = { { "history", "history" }, FALSE },
    [C_OPENED] = { { "opened", "建立方式" }, FALSE },
    [C_CLOSED] = { { "closed", "关闭方式" }, FALSE },
    [C_CLIENT_STATE] = { { "client state", "客户端状态" }, FALSE },
    [C_SERVER_STATE] = { { "server state", "服务器状态" }, FALSE },
    [C_FIRST] = { { "first", "首段" }, TRUE },
    [C_LAST] = { { "last", "末段" }, TRUE },
    [C_RTT] = { { "hs rtt", "握手往返时间" }, TRUE },
    [C_SEGS_C] = { { "c>s segs", "客→服段数" }, TRUE },
    [C_SEGS_S] = { { "s>c segs", "服→客段数" }, TRUE },
    [C_BYTES_C] = { { "c>s bytes", "客→服字节" }, TRUE },
    [C_BYTES_S] = { { "s>c bytes", "服→客字节" }, TRUE },
};

/* The cells of one row as strings, in `scope`. */
static void row_cells(const conv_row *row, char **cell, wmem_allocator_t *scope,
                      ts_language lang)
{
    char buf[40];

    cell[C_STREAM] = wmem_strdup_printf(scope, "%u%s", row->stream,
                                        row->facts.connections > 1 ? "*" : "");
    cell[C_CLIENT] = report_endpoint_str(&row->ep, TS_CLIENT, scope);
    cell[C_SERVER] = report_endpoint_str(&row->ep, TS_SERVER, scope);
    cell[C_CONN_STATE] = wmem_strdup(scope, ts_zeek_conn_state_name(row->conn_state));
    cell[C_HISTORY] = wmem_strdup(scope, row->history_len ? row->history : "-");
    cell[C_OPENED] = wmem_strdup(scope, ts_open_words(ts_outcome_opened(&row->facts), lang));
    cell[C_CLOSED] = wmem_strdup(scope, ts_close_words(ts_outcome_closed(&row->facts), lang));
    cell[C_CLIENT_STATE] = wmem_strdup(scope,
                                       ts_state_name(report_row_final_state(row, TS_CLIENT, NULL)));
    cell[C_SERVER_STATE] = wmem_strdup(scope,
                                       ts_state_name(report_row_final_state(row, TS_SERVER, NULL)));
    report_format_time(buf, sizeof buf, row->first_ns);
    cell[C_FIRST] = wmem_strdup(scope, buf);
    report_format_time(buf, sizeof buf, row->last_ns);
    cell[C_LAST] = wmem_strdup(scope, buf);
    if (row->handshake_rtt_ns >= 0) {
        report_format_time(buf, sizeof buf, row->handshake_rtt_ns);
        cell[C_RTT] = wmem_strdup(scope, buf);
    } else {
        cell[C_RTT] = wmem_strdup(scope, "-");
    }
    cell[C_SEGS_C] = wmem_strdup_printf(scope, "%u", row->segments[TS_CLIENT]);
    cell[C_SEGS_S] = wmem_strdup_printf(scope, "%u", row->segments[TS_SERVER]);
    cell[C_BYTES_C] = wmem_strdup_printf(scope, "%" PRIu64, row->bytes[TS_CLIENT]);
    cell[C_BYTES_S] = wmem_strdup_printf(scope, "%" PRIu64, row->bytes[TS_SERVER]);
}

static const char *const tsv_header =
    "stream\tclient_addr\tclient_port\tserver_addr\tserver_port\tconn_state\thistory\topened\t"
    "closed\tclient_state\tserver_state\tfirst\tlast\thandshake_rtt\tclient_segments\t"
    "server_segments\tclient_bytes\tserver_bytes\tconnections\n";

static void print_tsv_row(const conv_row *row)
{
    char first[40], last[40], rtt[40] = "";
    unsigned s;

    report_format_time(first, sizeof first, row->first_ns);
    report_format_time(last, sizeof last, row->last_ns);
    if (row->handshake_rtt_ns >= 0)
        report_format_time(rtt, sizeof rtt, row->handshake_rtt_ns);
    printf("%u", row->stream);
    for (s = TS_CLIENT; s <= TS_SERVER; s++) {
        if (row->ep.addr[s])
            printf("\t%s\t%u", row->ep.addr[s], row->ep.port[s]);
        else
            printf("\t\t");
    }
    printf("\t%s\t%.*s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%u\t%u\t%" PRIu64 "\t%" PRIu64 "\t%u\n",
           ts_zeek_conn_state_name(row->conn_state), (int)row->history_len, row->history,
           ts_open_name(ts_outcome_opened(&row->facts)),
           ts_close_name(ts_outcome_closed(&row->facts)),
           ts_state_name(report_row_final_state(row, TS_CLIENT, NULL)),
           ts_state_name(report_row_final_state(row, TS_SERVER, NULL)),
           first, last, rtt, row->segments[TS_CLIENT], row->segments[TS_SERVER],
           row->bytes[TS_CLIENT], row->bytes[TS_SERVER], row->facts.connections);
}

/* Why a final state is CLOSED where the stream's last segment left
 * TIME-WAIT: one footnote per such side, under the table (core/tw_end_text.c). */
static void print_time_wait_ends(GPtrArray *rows, ts_language lang)
{
    char reason[TS_TEXT_MAX];

    for (unsigned i = 0; i < rows->len; i++) {
        const conv_row *row = (const conv_row *)g_ptr_array_index(rows, i);
        for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++) {
            const ts_tw_end *end;
            report_row_final_state(row, s, &end);
            if (!end)
                continue;
            ts_tw_end_reason(end, lang, reason, sizeof reason);
            printf(TS_RW(lang, "* stream %u: %s %s (%s)\n", "* 流 %u：%s %s（%s）\n"), row->stream,
                   ts_side_words(s, lang), ts_state_name(TS_CLOSED), reason);
        }
    }
}

/* A SYN nothing answered: the server's final state is the model's, not
 * shown by the capture (core/report_words.c). */
static void print_unanswered(GPtrArray *rows, ts_language lang)
{
    for (unsigned i = 0; i < rows->len; i++) {
        const conv_row *row = (const conv_row *)g_ptr_array_index(rows, i);
        if (ts_outcome_closed(&row->facts) != TS_CLOSE_NO_ANSWER)
            continue;
        printf(TS_RW(lang, "* stream %u: %s %s (%s)\n", "* 流 %u：%s %s（%s）\n"), row->stream,
               ts_side_words(TS_SERVER, lang), ts_state_name(report_row_final_state(row, TS_SERVER, NULL)),
               ts_unanswered_syn_words(lang));
    }
}

static void print_aligned(GPtrArray *rows, ts_language lang)
{
    wmem_allocator_t *scope = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    char ***cells = wmem_alloc_array(scope, char **, rows->len);
    size_t width[C_COUNT];
    gboolean reused = FALSE;
    unsigned i, c;

    for (c = 0; c < C_COUNT; c++)
        width[c] = ts_text_width(columns[c].title[lang]);
    for (i = 0; i < rows->len; i++) {
        const conv_row *row = (const conv_row *)g_ptr_array_index(rows, i);
        cells[i] = wmem_alloc_array(scope, char *, C_COUNT);
        row_cells(row, cells[i], scope, lang);
        for (c = 0; c < C_COUNT; c++)
            width[c] = MAX(width[c], ts_text_width(cells[i][c]));
        if (row->facts.connections > 1)
            reused = TRUE;
    }
    for (i = 0; i <= rows->len; i++) {
        GString *line = g_string_new(NULL);
        for (c = 0; c < C_COUNT; c++) {
            const char *text = i == 0 ? columns[c].title[lang] : cells[i - 1][c];
            if (c)
                g_string_append(line, "  ");
            report_append_padded(line, text, width[c], columns[c].right);
        }
        while (line->len && line->str[line->len - 1] == ' ')
            g_string_truncate(line, line->len - 1);
        printf("%s\n", line->str);
        g_string_free(line, TRUE);
    }
    if (reused)
        printf("%s\n", TS_RW(lang, "* the ports were reused: the row describes the stream's last "
                                   "connection",
                             "* 端口被重用：这一行描述该流的最后一个连接"));
    print_time_wait_ends(rows, lang);
    print_unanswered(rows, lang);
    wmem_destroy_allocator(scope);
}

/* "no TCP stream in this capture" / "... matched the filter", in `lang`. */
static const char *no_stream_text(const conv_report *rep, ts_language lang)
{
    if (rep->filter)
        return TS_RW(lang, CONV_CLI ": no TCP stream matched the filter",
                     CONV_CLI "：没有与过滤条件匹配的 TCP 流");
    return TS_RW(lang, CONV_CLI ": no TCP stream in this capture",
                 CONV_CLI "：这个抓包里没有 TCP 流");
}

static void conv_draw(void *tapdata)
{
    conv_report *rep = (conv_report *)tapdata;
    GPtrArray *rows = g_ptr_array_new();
    /* The aligned form is for people: in the `language` preference. The TSV
     * form is for scripts: the contract's tokens, whatever the language. */
    ts_language lang = report_language();
    unsigned i;

    wmem_map_foreach(rep->rows, collect_row, rows);
    g_ptr_array_sort(rows, row_cmp);

    if (rep->tsv) {
        printf("%s", tsv_header);
        for (i = 0; i < rows->len; i++)
            print_tsv_row((const conv_row *)g_ptr_array_index(rows, i));
        if (rows->len == 0)
            fprintf(stderr, CONV_CLI ": no TCP stream %s\n",
                    rep->filter ? "matched the filter" : "in this capture");
        g_ptr_array_free(rows, TRUE);
        return;
    }

    printf("================================================================================\n");
    printf("%s\n", TS_RW(lang, "TCP connection states (" CONV_CLI ")",
                         "TCP 连接状态（" CONV_CLI "）"));
    printf(TS_RW(lang, "Filter: %s\n", "过滤条件：%s\n"),
           rep->filter ? rep->filter : TS_RW(lang, "<none>", "（无）"));
    printf("%s\n", TS_RW(lang, "Times in seconds since the first frame; c>s = client to server, "
                              "s>c = server to client",
                         "时间：自第一帧起的秒数；客→服 = 客户端发往服务器，服→客 = 服务器发往客户端"));
    printf("--------------------------------------------------------------------------------\n");
    if (rows->len == 0)
        printf("%s\n", no_stream_text(rep, lang));
    else
        print_aligned(rows, lang);
    printf("================================================================================\n");
    g_ptr_array_free(rows, TRUE);
}

static void conv_finish(void *tapdata)
{
    conv_report *rep = (conv_report *)tapdata;

    wmem_destroy_allocator(rep->pool);
    g_free(rep->filter);
    g_free(rep);
}

/* opt_arg is the whole -z argument: "tcpstate,conv", "tcpstate,conv,tsv",
 * "tcpstate,conv,FILTER" or "tcpstate,conv,tsv,FILTER". */
static void conv_init(const char *opt_arg, void *userdata _U_)
{
    const char *rest = opt_arg + strlen(CONV_CLI);
    conv_report *rep;
    GString *err;

    /* The GUI runs -z reports after it has read the file (so a listener
     * would see no packet) and has no stdout to print to: open the stream
     * table (report_table.c) instead, with the same filter. A request added
     * now runs in the same start_requested_stats() loop. */
    if (report_in_gui()) {
        char *table;

        if (strncmp(rest, ",tsv", 4) == 0 && (rest[4] == '\0' || rest[4] == ','))
            rest += 4;
        table = g_strconcat(REPORT_TABLE_CLI, rest, NULL);
        if (*rest != '\0' && *rest != ',')
            report_warning("-z %s: use -z " CONV_CLI "[,tsv][,FILTER]", opt_arg);
        else if (!process_stat_cmd_arg(table))
            report_warning("-z %s: the stream table (-z %s) is not available", opt_arg, table);
        g_free(table);
        return;
    }
    /* The -z prefix match would also take "tcpstate,convx". */
    if (*rest != '\0' && *rest != ',') {
        fprintf(stderr, "tshark: invalid -z %s; use -z " CONV_CLI "[,tsv][,FILTER]\n", opt_arg);
        exit(1);
    }
    rep = g_new0(conv_report, 1);
    if (*rest == ',')
        rest++;
    if (strncmp(rest, "tsv", 3) == 0 && (rest[3] == '\0' || rest[3] == ',')) {
        rep->tsv = TRUE;
        rest += rest[3] ? 4 : 3;
    }
    rep->filter = *rest ? g_strdup(rest) : NULL;
    rep->pool = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK);
    rep->rows = wmem_map_new(rep->pool, g_direct_hash, g_direct_equal);

    err = register_tap_listener("tcpstate", rep, rep->filter, TL_REQUIRES_NOTHING, conv_reset,
                                conv_packet, conv_draw, conv_finish);
    if (err) {
        fprintf(stderr, "tshark: " CONV_CLI ": %s\n", err->str);
        g_string_free(err, TRUE);
        wmem_destroy_allocator(rep->pool);
        g_free(rep->filter);
        g_free(rep);
        exit(1);
    }
}

void report_conv_register(void)
{
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC, NULL, CONV_CLI, conv_init, 0, NULL
    };

    register_stat_tap_ui(&ui, NULL);
}
