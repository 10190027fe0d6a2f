/*
 * The Flow Graph type "TCP Connection State" (Statistics > Flow Graph, flow
 * type box; docs/reports.md): each tracked TCP segment is an arrow between
 * its sender and its receiver, labelled with its role and step and its
 * flags; the comment beside it gives the relative seq/ack/len, each
 * endpoint's state where it changes, and the ladder's notes. It shows what
 * -z tcpstate,ladder prints (report_ladder.h shares the texts), without
 * folding: the dialog scrolls, and exports PNG, PDF and text.
 *
 * The API: libwireshark exports register_seq_analysis() and
 * sequence_analysis_create_sai_with_addresses(), but Debian's wireshark-dev
 * does not install their header, epan/sequence_analysis.h. Only what is used
 * is declared below, in the form of that header of the exact release, for
 * each release it was checked against:
 *   4.0: wireshark-4.0.17 epan/sequence_analysis.h, lines 26-62 and 83-128;
 *   4.4: the 4.4 header's form (bool members, an `occurrence` array in the
 *        info), its offsets and sizes read from Debian 13's
 *        libwireshark.so.18.0.19 (4.4.19) machine code:
 *        sequence_analysis_create_sai_with_addresses() allocates 0x88 bytes
 *        and writes src_addr at 0x8, dst_addr at 0x28, time_str at 0x50;
 *        sequence_analysis_get_nodes() reads display at 0x6d, port_src at
 *        0x20, port_dst at 0x40 and writes src_node/dst_node at 0x70/0x74;
 *        sequence_analysis_info_new() allocates 0x410 bytes, items at 0x10.
 * For any other release the Flow Graph type is not built; add that
 * release's declarations after checking its header.
 *
 * A wrong declaration would write into the wrong place of a structure the
 * GUI owns. Two checks guard it: at compile time, the offsets the code relies
 * on are asserted for the declared layout (so an edit of the declarations is
 * caught); at run time, every item the library hands back is checked against
 * what the library itself wrote into it (addresses and time string) and the
 * analysis's name that the dialog set; on a mismatch the type turns itself
 * off for the session, with one warning, and nothing is written.
 */
#include "report_ladder.h"

#include <stddef.h>

#include <epan/address.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR == 0
#define TCPSTATE_HAVE_FLOW_GRAPH 1

/* ---- Declarations of epan/sequence_analysis.h, Wireshark 4.0 ---- */
typedef struct {
    guint32 frame_number;
    address src_addr;
    guint16 port_src;
    address dst_addr;
    guint16 port_dst;
    gchar *frame_label;
    gchar *time_str;
    gchar *comment;
    guint16 conv_num;
    unsigned fg_color;
    unsigned bg_color;
    gboolean has_color_filter;
    gboolean display;
    guint src_node;
    guint dst_node;
    guint16 line_style;
    guint32 info_type;
    gpointer info_ptr;
} fg_item_40;

#define FG_MAX_NUM_NODES_40 40
typedef struct {
    const char *name;
    gboolean any_addr;
    int nconv;
    GQueue *items;
    GHashTable *ht;
    address nodes[FG_MAX_NUM_NODES_40];
    guint32 num_nodes;
} fg_info_40;

typedef fg_item_40 fg_item;
typedef fg_info_40 fg_info;

WS_DLL_PUBLIC void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                                         const char *tap_listener, guint tap_flags,
                                         tap_packet_cb tap_func);
WS_DLL_PUBLIC fg_item *sequence_analysis_create_sai_with_addresses(packet_info *pinfo,
                                                                   fg_info *sainfo);

/* The LP64 offsets of the 4.0.17 header's own structures, measured by
 * compiling offsetof() against that header (docs/reports.md, "Flow Graph"). */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(address) == 24, "address layout differs from Wireshark 4.0's");
_Static_assert(offsetof(fg_item, src_addr) == 8, "seq_analysis_item_t: src_addr");
_Static_assert(offsetof(fg_item, port_src) == 32, "seq_analysis_item_t: port_src");
_Static_assert(offsetof(fg_item, dst_addr) == 40, "seq_analysis_item_t: dst_addr");
_Static_assert(offsetof(fg_item, frame_label) == 72, "seq_analysis_item_t: frame_label");
_Static_assert(offsetof(fg_item, time_str) == 80, "seq_analysis_item_t: time_str");
_Static_assert(offsetof(fg_item, comment) == 88, "seq_analysis_item_t: comment");
_Static_assert(offsetof(fg_item, conv_num) == 96, "seq_analysis_item_t: conv_num");
_Static_assert(offsetof(fg_item, line_style) == 124, "seq_analysis_item_t: line_style");
_Static_assert(sizeof(fg_item) == 144, "seq_analysis_item_t: size");
_Static_assert(offsetof(fg_info, any_addr) == 8, "seq_analysis_info_t: any_addr");
_Static_assert(offsetof(fg_info, items) == 16, "seq_analysis_info_t: items");
#endif

#elif WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR == 4
#define TCPSTATE_HAVE_FLOW_GRAPH 1

/* ---- Declarations of epan/sequence_analysis.h, Wireshark 4.4 ---- */
typedef struct {
    uint32_t frame_number;
    address src_addr;
    uint16_t port_src;
    address dst_addr;
    uint16_t port_dst;
    char *frame_label;
    char *time_str;
    char *comment;
    uint16_t conv_num;
    unsigned fg_color;
    unsigned bg_color;
    bool has_color_filter;
    bool display;
    unsigned src_node;
    unsigned dst_node;
    uint16_t line_style;
    int info_type; /* ga_info_type, an enum */
    void *info_ptr;
} fg_item_44;

#define FG_MAX_NUM_NODES_44 40
typedef struct {
    const char *name;
    bool any_addr;
    int nconv;
    GQueue *items;
    GHashTable *ht;
    address nodes[FG_MAX_NUM_NODES_44];
    uint8_t occurrence[FG_MAX_NUM_NODES_44];
    uint32_t num_nodes;
} fg_info_44;

typedef fg_item_44 fg_item;
typedef fg_info_44 fg_info;

WS_DLL_PUBLIC void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                                         const char *tap_listener, unsigned tap_flags,
                                         tap_packet_cb tap_func);
WS_DLL_PUBLIC fg_item *sequence_analysis_create_sai_with_addresses(packet_info *pinfo,
                                                                   fg_info *sainfo);

/* The offsets and sizes read from the 4.4.19 library (above), LP64. */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(address) == 24, "address layout differs from Wireshark 4.4's");
_Static_assert(offsetof(fg_item, src_addr) == 0x8, "seq_analysis_item_t: src_addr");
_Static_assert(offsetof(fg_item, port_src) == 0x20, "seq_analysis_item_t: port_src");
_Static_assert(offsetof(fg_item, dst_addr) == 0x28, "seq_analysis_item_t: dst_addr");
_Static_assert(offsetof(fg_item, port_dst) == 0x40, "seq_analysis_item_t: port_dst");
_Static_assert(offsetof(fg_item, time_str) == 0x50, "seq_analysis_item_t: time_str");
_Static_assert(offsetof(fg_item, display) == 0x6d, "seq_analysis_item_t: display");
_Static_assert(offsetof(fg_item, src_node) == 0x70, "seq_analysis_item_t: src_node");
_Static_assert(offsetof(fg_item, dst_node) == 0x74, "seq_analysis_item_t: dst_node");
_Static_assert(sizeof(fg_item) == 0x88, "seq_analysis_item_t: size");
_Static_assert(offsetof(fg_info, items) == 0x10, "seq_analysis_info_t: items");
_Static_assert(sizeof(fg_info) == 0x410, "seq_analysis_info_t: size");
#endif
#endif /* 4.0, 4.4 */

#ifdef TCPSTATE_HAVE_FLOW_GRAPH

#define FLOW_NAME "tcpstate"

/* What the graph remembers of a stream while it is drawn. */
typedef struct {
    ladder_isns isn;
    uint8_t shown[2]; /* the state last written, by side */
} flow_stream;

static GHashTable *streams; /* stream -> flow_stream, for the current drawing */
static gboolean broken;     /* a layout check failed: the type is off */

/* Did the library fill the item as the 4.0 layout says it does? */
static gboolean item_fits(const fg_item *sai, const fg_info *sainfo, const packet_info *pinfo)
{
    const address *src = sainfo->any_addr ? &pinfo->net_src : &pinfo->src;
    const address *dst = sainfo->any_addr ? &pinfo->net_dst : &pinfo->dst;

    return sai->time_str != NULL && sai->frame_label == NULL && sai->comment == NULL &&
           addresses_equal(&sai->src_addr, src) && addresses_equal(&sai->dst_addr, dst);
}

static void turn_off(const char *why)
{
    broken = TRUE;
    report_warning("tcpstate: the \"%s\" Flow Graph is off: %s. This Wireshark's "
                   "sequence-analysis layout differs from the one the plugin was built for "
                   "(plugin/flow_graph.c).", report_menu_title(REPORT_MENU_FLOW), why);
}

/* The comment: the states that change, relative numbers, the notes. */
static char *comment_text(const tcpstate_item *item, const flow_stream *fs, unsigned side,
                          ts_language lang)
{
    const ts_result *r = &item->result;
    GString *c = g_string_new(NULL);

    /* States first: the dialog cuts long comments at its right edge. */
    for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++) {
        if (r->state[s] != fs->shown[s] || (r->corrected & (1u << s)))
            g_string_append_printf(c, TS_RW(lang, "%s %s; ", "%s %s；"), ts_side_words(s, lang),
                                   ts_state_name(r->state[s]));
    }
    g_string_append_printf(c, "seq=%u", item->seq - fs->isn.base[side]);
    if (r->flags & TS_ACK)
        g_string_append_printf(c, " ack=%u", item->ack - fs->isn.base[1u - side]);
    g_string_append_printf(c, " len=%u", r->len);
    for (size_t i = 0; i < ladder_note_count; i++) {
        if (r->events & ladder_notes[i].event) {
            g_string_append(c, TS_RW(lang, "; ", "；"));
            ladder_note_expand(c, ladder_notes[i].text[lang], side, r->attempt, lang);
        }
    }
    return g_string_free(c, FALSE);
}

static tap_packet_status flow_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                     const void *data, tap_flags_t flags _U_)
{
    fg_info *sainfo = (fg_info *)tapdata;
    const tcpstate_item *item = (const tcpstate_item *)data;
    const ts_result *r;
    flow_stream *fs;
    fg_item *sai;
    char role[64], flag_text[48];
    unsigned side;

    if (broken || !item || !sainfo)
        return TAP_PACKET_DONT_REDRAW;
    if (!sainfo->items || g_strcmp0(sainfo->name, FLOW_NAME) != 0) {
        turn_off("the analysis info does not carry this type's name");
        return TAP_PACKET_DONT_REDRAW;
    }
    /* pinfo's addresses are those of the frame's innermost TCP layer. */
    if (!report_item_innermost(pinfo, item))
        return TAP_PACKET_DONT_REDRAW;
    /* The dialog empties the list before each drawing: start over. */
    if (!streams)
        streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    if (g_queue_is_empty(sainfo->items))
        g_hash_table_remove_all(streams);

    r = &item->result;
    side = r->sender ? TS_SERVER : TS_CLIENT;
    fs = (flow_stream *)g_hash_table_lookup(streams, GUINT_TO_POINTER(item->stream));
    if (!fs) {
        fs = g_new0(flow_stream, 1);
        fs->shown[TS_CLIENT] = r->prev[TS_CLIENT];
        fs->shown[TS_SERVER] = r->prev[TS_SERVER];
        g_hash_table_insert(streams, GUINT_TO_POINTER(item->stream), fs);
    }
    ladder_learn_isns(&fs->isn, item);

    sai = sequence_analysis_create_sai_with_addresses(pinfo, sainfo);
    if (!sai)
        return TAP_PACKET_DONT_REDRAW;
    if (!item_fits(sai, sainfo, pinfo)) {
        turn_off("an item did not hold what the library wrote into it");
        return TAP_PACKET_DONT_REDRAW; /* leaked: freeing it needs the layout */
    }
    sai->frame_number = pinfo->num;
    sai->port_src = (uint16_t)pinfo->srcport;
    sai->port_dst = (uint16_t)pinfo->destport;
    /* The labels follow the `language` preference as it is when the dialog
     * draws (tokens and flag names stay, as in the ladder). */
    ladder_role_text(r->role, r->step, r->step_total, r->attempt, r->rst_kind, role, sizeof role,
                     report_language());
    ladder_flags_text(r->flags, flag_text, sizeof flag_text, report_language());
    sai->frame_label = g_strdup_printf("%s  %s", role, flag_text);
    sai->comment = comment_text(item, fs, side, report_language());
    for (unsigned s = TS_CLIENT; s <= TS_SERVER; s++)
        fs->shown[s] = r->state[s];
    /* Milestones (a step) stand out with a thicker line. */
    sai->line_style = r->step ? 2 : 1;
    sai->conv_num = (uint16_t)item->stream;
    sai->display = 1;
    g_queue_push_tail(sainfo->items, sai);
    return TAP_PACKET_REDRAW;
}

void report_flow_register(void)
{
    register_seq_analysis(FLOW_NAME, report_menu_title(REPORT_MENU_FLOW), tcpstate_id.proto, "tcpstate",
                          TL_REQUIRES_NOTHING, flow_packet);
}

#else

/* Not a release whose sequence-analysis layout was checked: no Flow Graph type. */
void report_flow_register(void)
{
}

#endif
