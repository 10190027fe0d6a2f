/*
 * What the stream-level reports share: the registration entry point, the
 * "opened"/"closed" verdicts of a stream (docs/reports.md defines them), the
 * client's and server's address:port, and formatting helpers.
 */
#include "reports.h"

#include <epan/address.h>
#include <epan/to_str.h>

#include "tracking.h"

void reports_register(void)
{
    report_conv_register();
    report_ladder_register();
    report_stats_tree_register();
    report_table_register();
    report_flow_register();
}

gboolean report_in_gui(void)
{
    /* No API of 4.0 tells the GUI from tshark; the executable's name does
     * (wireshark, and its 4.x sibling logray for logs). */
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *base = exe ? g_path_get_basename(exe) : g_strdup(g_get_prgname());
    gboolean gui = base && (g_str_has_prefix(base, "wireshark") || g_str_has_prefix(base, "logray"));

    g_free(base);
    g_free(exe);
    return gui;
}

/* ---- opened / closed ---- */

static const char *const open_names[REPORT_OPEN_COUNT] = {
    [REPORT_OPEN_THREE_WAY] = "three-way",
    [REPORT_OPEN_SIMULTANEOUS] = "simultaneous",
    [REPORT_OPEN_PARTIAL] = "partial",
    [REPORT_OPEN_NONE] = "none",
};

static const char *const close_names[REPORT_CLOSE_COUNT] = {
    [REPORT_CLOSE_FOUR_WAY] = "four-way",
    [REPORT_CLOSE_THREE_WAY] = "three-way",
    [REPORT_CLOSE_SIMULTANEOUS] = "simultaneous",
    [REPORT_CLOSE_RESET_BY_CLIENT] = "reset by client",
    [REPORT_CLOSE_RESET_BY_SERVER] = "reset by server",
    [REPORT_CLOSE_HALF_CLOSED] = "half-closed",
    [REPORT_CLOSE_STILL_OPEN] = "still open",
};

const char *report_open_name(unsigned o)
{
    return o < REPORT_OPEN_COUNT ? open_names[o] : "?";
}

const char *report_close_name(unsigned c)
{
    return c < REPORT_CLOSE_COUNT ? close_names[c] : "?";
}

void report_facts_init(report_facts *f)
{
    memset(f, 0, sizeof *f);
    f->reset_by = -1;
}

void report_facts_add(report_facts *f, const ts_result *r)
{
    unsigned side = r->sender ? TS_SERVER : TS_CLIENT;

    /* A SYN that reuses the ports of a finished connection starts a new one:
     * forget how the old one opened and closed. */
    if ((r->events & TS_EV_NEW_CONNECTION) && f->seen) {
        uint16_t connections = f->connections;
        report_facts_init(f);
        f->connections = connections;
    }
    if (!f->seen || (r->events & TS_EV_NEW_CONNECTION))
        f->connections++;
    f->seen = 1;

    switch (r->role) {
    case TS_ROLE_SYN:
        if (side == TS_CLIENT)
            f->client_syn_seen = 1;
        f->syn_seen = 1;
        break;
    case TS_ROLE_SYN_ACK:
        f->syn_seen = 1;
        break;
    case TS_ROLE_HANDSHAKE_ACK:
        if (r->step == 3)
            f->handshake_acked = 1;
        break;
    case TS_ROLE_FIN_ACK_OF_FIN:
        f->merged_close = 1;
        f->fin_sent[side] = 1;
        break;
    case TS_ROLE_FIN:
        f->fin_sent[side] = 1;
        break;
    case TS_ROLE_RST:
        /* An RST after both endpoints had closed ends nothing: the close
         * before it is how the connection ended. */
        if (r->rst_kind != TS_RST_AFTER_CLOSE)
            f->reset_by = (int8_t)side;
        break;
    default:
        break;
    }
    if (r->events & TS_EV_SIMULTANEOUS_OPEN)
        f->simultaneous_open = 1;
    if (r->events & TS_EV_SIMULTANEOUS_CLOSE)
        f->simultaneous_close = 1;
    f->state[TS_CLIENT] = r->state[TS_CLIENT];
    f->state[TS_SERVER] = r->state[TS_SERVER];
}

report_open report_opened(const report_facts *f)
{
    if (f->simultaneous_open)
        return REPORT_OPEN_SIMULTANEOUS;
    /* The whole handshake: the client's SYN, and the handshake-ack (step 3)
     * that completes it. Without the SYN (the capture began at the SYN-ACK)
     * only part of it was seen. */
    if (f->handshake_acked && f->client_syn_seen)
        return REPORT_OPEN_THREE_WAY;
    if (f->syn_seen)
        return REPORT_OPEN_PARTIAL;
    return REPORT_OPEN_NONE;
}

report_close report_closed(const report_facts *f)
{
    if (f->reset_by >= 0)
        return f->reset_by == TS_SERVER ? REPORT_CLOSE_RESET_BY_SERVER
                                        : REPORT_CLOSE_RESET_BY_CLIENT;
    if (f->fin_sent[TS_CLIENT] && f->fin_sent[TS_SERVER]) {
        if (f->simultaneous_close)
            return REPORT_CLOSE_SIMULTANEOUS;
        if (f->merged_close)
            return REPORT_CLOSE_THREE_WAY;
        return REPORT_CLOSE_FOUR_WAY;
    }
    if (f->fin_sent[TS_CLIENT] || f->fin_sent[TS_SERVER])
        return REPORT_CLOSE_HALF_CLOSED;
    return REPORT_CLOSE_STILL_OPEN;
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
