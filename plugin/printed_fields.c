/*
 * tshark 4.0 builds the same visible tree for -T fields as for -V (tshark.c,
 * its -T option: "Need full tree info") and prints only the -e fields of
 * it (so do -T pdml, json and ek given -e fields: epan/print.c); it keeps
 * the list to itself. Built in full, the plugin's items cost ≈ 80k
 * instructions per frame there, none of them printed but the -e ones
 * (docs/performance.md, "Session 11: tshark 4.0's -T fields gets only the
 * items it prints"). So a tshark run reads its own command line
 * (tshark_args.c) and, when it prints only its -e fields, the tree gets the
 * items a tree that is not visible would get (render.c: the fields
 * referenced, by filters, custom columns, Lua) plus the -e ones.
 *
 * What keeps the full tree: any other program (the GUI, sharkd); a command
 * line the reader does not know for certain; a tap listener that reads the
 * whole tree (TL_REQUIRES_PROTO_TREE: a Lua listener with all_fields, -z
 * io,phs); -e tcpstate, whose value is the protocol item's top line. tshark
 * 4.4 primes the -e fields into a tree that is not visible, so there this
 * changes nothing.
 */
#include "printed_fields.h"

#include <epan/tap.h>

#include "reports.h"
#include "tcpstate_plugin.h"
#include "tshark_args.h"

gboolean printed_fields_only;
const guint8 *printed_field_bits;
unsigned printed_field_ids;

static gboolean decided;
static const header_field_info **printed; /* the -e fields registered, for the whole run */
static size_t printed_count;

/* At most this many -e fields are read; more keep the full tree. */
#define MAX_PRINTED 256

/* The command line, read at registration: tshark parses its options after
 * it has registered the dissectors, and some of them (-E) cut their value in
 * place, which the kernel's copy shows. */
static tshark_args_output output = TSHARK_ARGS_UNKNOWN;
static gchar *command_line; /* the kernel's copy, NUL-separated; kept: names point into it */
static const char *names[MAX_PRINTED];
static size_t n_names;

void printed_fields_register(void)
{
    gsize len = 0;
    GPtrArray *argv;

    if (!report_program_is("tshark") ||
        !g_file_get_contents("/proc/self/cmdline", &command_line, &len, NULL))
        return;
    argv = g_ptr_array_new();
    for (gsize at = 0; at < len; at += strlen(command_line + at) + 1)
        g_ptr_array_add(argv, command_line + at);
    output = tshark_args_read((int)argv->len, (const char *const *)argv->pdata, names,
                              MAX_PRINTED, &n_names);
    g_ptr_array_free(argv, TRUE);
}

static gboolean read_printed_fields(void)
{
    GPtrArray *fields;

    if (output != TSHARK_ARGS_FIELDS || (union_of_tap_listener_flags() & TL_REQUIRES_PROTO_TREE))
        return FALSE;
    fields = g_ptr_array_new();
    for (size_t i = 0; i < n_names; i++) {
        /* A name tshark knows only as a column (_ws.col.Info) is no field. */
        header_field_info *field = proto_registrar_get_byname(names[i]);

        if (field && field->id == tcpstate_id.proto) {
            g_ptr_array_free(fields, TRUE);
            return FALSE; /* its value is the top line, which a full tree makes */
        }
        /* Every registration of the name is printed (tshark matches
         * names): an expert info has one per language (experts.c). */
        while (field && field->same_name_prev_id >= 0)
            field = proto_registrar_get_nth(field->same_name_prev_id);
        for (; field; field = field->same_name_next)
            g_ptr_array_add(fields, field);
    }
    printed_count = fields->len;
    printed = (const header_field_info **)g_ptr_array_free(fields, FALSE);
    for (size_t i = 0; i < printed_count; i++)
        if ((unsigned)printed[i]->id + 1 > printed_field_ids)
            printed_field_ids = (unsigned)printed[i]->id + 1;
    if (printed_field_ids) {
        guint8 *bits = g_new0(guint8, printed_field_ids / 8 + 1);

        for (size_t i = 0; i < printed_count; i++)
            bits[(unsigned)printed[i]->id >> 3] |= (guint8)(1u << ((unsigned)printed[i]->id & 7));
        printed_field_bits = bits;
    }
    return TRUE;
}

void printed_fields_decide(void)
{
    if (decided)
        return;
    decided = TRUE;
    printed_fields_only = read_printed_fields();
    if (printed_fields_only)
        ws_log("tcpstate", LOG_LEVEL_INFO,
               "this tshark prints only its %zu -e fields: only their items and those of "
               "the fields referenced are added",
               n_names);
}

gboolean printed_fields_of(int proto)
{
    for (size_t i = 0; i < printed_count; i++)
        if (printed[i]->id == proto || printed[i]->parent == proto)
            return TRUE;
    return FALSE;
}
