/*
 * What the stream-level reports share: the registration entry point, the
 * client's and server's address:port, and formatting helpers. (How a stream
 * opened and closed is the core's: core/outcome.c.)
 */
#include "reports.h"

#include <epan/address.h>
#include <epan/to_str.h>
#include <wsutil/filesystem.h>

#include "report_words.h"
#include "saved_prefs.h"
#include "tracking.h"

void reports_register(void)
{
    report_conv_register();
    report_ladder_register();
    report_stats_tree_register();
    report_table_register();
    report_flow_register();
}

ts_language report_menu_language(void)
{
    static gboolean read;
    static ts_language lang = TS_LANG_EN;

    if (!read) {
        /* The profile in use is set before the plugins register: the GUI
         * reads the last used profile (and -C) first, tshark its -C. */
        char *path = get_persconffile_path("preferences", TRUE);
        char *text = NULL;
        gsize len = 0;

        read = TRUE;
        if (path && g_file_get_contents(path, &text, &len, NULL))
            ts_saved_language(text, len, &lang);
        g_free(text);
        g_free(path);
    }
    return lang;
}

const char *report_menu_title(report_menu which)
{
    ts_language lang = report_menu_language();

    switch (which) {
    case REPORT_MENU_STREAMS:
        return TS_RW(lang, "TCP Connection State Streams", "TCP 连接状态（流列表）");
    case REPORT_MENU_TREE:
    case REPORT_MENU_FLOW:
    default:
        return TS_RW(lang, "TCP Connection State", "TCP 连接状态");
    }
}

gboolean report_program_is(const char *name)
{
    /* No API of 4.0 tells the GUI from tshark; the executable's name does. */
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *base = exe ? g_path_get_basename(exe) : g_strdup(g_get_prgname());
    gboolean is = base && g_str_has_prefix(base, name);

    g_free(base);
    g_free(exe);
    return is;
}

gboolean report_in_gui(void)
{
    /* wireshark, and its 4.x sibling logray for logs */
    return report_program_is("wireshark") || report_program_is("logray");
}

/* ---- endpoints ---- */

/* Is this item the innermost tracked TCP layer of its frame? Only then are
 * pinfo's addresses and ports its own (a frame with TCP in a tunnel over TCP
 * has several items; pinfo describes the last layer dissected). */
gboolean report_item_innermost(packet_info *pinfo, const tcpstate_item *item)
{
    const tcpstate_frame *frame = tracking_frame(pinfo, NULL); /* built by the dissector already */

    if (!frame || frame->count == 0)
        return FALSE;
    return item == &frame->item[frame->count - 1];
}

void report_endpoints_learn(report_endpoints *ep, wmem_allocator_t *scope, packet_info *pinfo,
                            const tcpstate_item *item)
{
    unsigned from, to;

    if (ep->addr[TS_CLIENT] && ep->addr[TS_SERVER])
        return;
    if (pinfo->ptype != PT_TCP || !report_item_innermost(pinfo, item))
        return;
    if (pinfo->src.type != AT_IPv4 && pinfo->src.type != AT_IPv6)
        return;
    from = item->result.sender ? TS_SERVER : TS_CLIENT;
    to = 1u - from;
    ep->addr[from] = address_to_str(scope, &pinfo->src);
    ep->port[from] = (uint16_t)pinfo->srcport;
    ep->addr[to] = address_to_str(scope, &pinfo->dst);
    ep->port[to] = (uint16_t)pinfo->destport;
    ep->ipv6 = pinfo->src.type == AT_IPv6;
}

char *report_endpoint_str(const report_endpoints *ep, unsigned side, wmem_allocator_t *scope)
{
    if (side > TS_SERVER || !ep->addr[side])
        return wmem_strdup(scope, "?");
    return wmem_strdup_printf(scope, ep->ipv6 ? "[%s]:%u" : "%s:%u", ep->addr[side],
                              ep->port[side]);
}

/* ---- formatting ---- */

int64_t report_nstime_ns(const nstime_t *t)
{
    return (int64_t)t->secs * 1000000000 + t->nsecs;
}

void report_format_time(char *buf, size_t size, int64_t ns)
{
    /* Integer arithmetic: a double would round large capture times. */
    const char *sign = ns < 0 ? "-" : "";
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

    snprintf(buf, size, "%s%" PRIu64 ".%06" PRIu64, sign, a / 1000000000,
             (a % 1000000000) / 1000);
}

void report_append_padded(GString *out, const char *text, size_t width, gboolean right)
{
    size_t cols = ts_text_width(text);

    if (!right)
        g_string_append(out, text);
    for (; cols < width; cols++)
        g_string_append_c(out, ' ');
    if (right)
        g_string_append(out, text);
}

void report_fit(GString *s, size_t max)
{
    if (max == 0 || ts_text_width(s->str) <= max)
        return;
    g_string_truncate(s, ts_text_fit(s->str, max - 1));
    g_string_append_c(s, '~');
}

ts_language report_language(void)
{
    return tcpstate_pref.language == TS_LANG_ZH_CN ? TS_LANG_ZH_CN : TS_LANG_EN;
}

gboolean report_parse_uint(const char *s, uint32_t *out)
{
    uint64_t v = 0;

    if (!s || !*s)
        return FALSE;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return FALSE;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > G_MAXUINT32)
            return FALSE;
    }
    *out = (uint32_t)v;
    return TRUE;
}
