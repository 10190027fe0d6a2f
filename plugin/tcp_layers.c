#include "tcp_layers.h"

#include <epan/ftypes/ftypes.h>
#include <epan/prefs.h>
#include <epan/prefs-int.h>

/* Values of tcp.checksum.status (epan/proto.h's PROTO_CHECKSUM_E_BAD). */
#define CHECKSUM_STATUS_BAD 0

/* The 12 bits of tcp.flags (packet-tcp.c's TH_MASK). */
#define TCP_FLAGS_MASK 0x0FFF

/* field_info.value became a pointer after 4.0. */
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 2
#define FI_FVALUE(fi) (&(fi)->value)
#else
#define FI_FVALUE(fi) ((fi)->value)
#endif

enum { F_STREAM, F_LEN, F_SPORT, F_IP_SRC, F_IP6_SRC, F_CHECKSUM_STATUS, F_CHECKSUM_PARTIAL, F_COUNT };

static const char *const field_names[F_COUNT] = {
    [F_STREAM] = "tcp.stream",
    [F_LEN] = "tcp.len",
    [F_SPORT] = "tcp.srcport",
    [F_IP_SRC] = "ip.src",
    [F_IP6_SRC] = "ipv6.src",
    [F_CHECKSUM_STATUS] = "tcp.checksum.status",
    /* An expert info of Wireshark 4.4 (not in 4.0): see tcp_layers_read(). */
    [F_CHECKSUM_PARTIAL] = "tcp.checksum.partial",
};

/* The fields that only matter while TCP checks checksums. */
static gboolean checksum_field(int f)
{
    return f == F_CHECKSUM_STATUS || f == F_CHECKSUM_PARTIAL;
}

static int field_id[F_COUNT];
static gboolean want_checksum; /* tcp.check_checksum when the fields were last asked for */

void tcp_layers_register(void)
{
    for (int f = 0; f < F_COUNT; f++)
        field_id[f] = proto_registrar_get_id_byname(field_names[f]);
}

/* A checksum is only ever "bad" when TCP verifies it (tcp.check_checksum,
 * off by default); otherwise tcp.checksum.status is "unverified" on every
 * segment, and asking for it would cost every frame for nothing. */
static gboolean tcp_checks_checksums(void)
{
    module_t *tcp = prefs_find_module("tcp");
    pref_t *pref = tcp ? prefs_find_preference(tcp, "check_checksum") : NULL;

    return pref && prefs_get_bool_value(pref, pref_current);
}

GArray *tcp_layers_wanted_fields(void)
{
    GArray *ids = g_array_new(FALSE, FALSE, (guint)sizeof(int));

    want_checksum = tcp_checks_checksums();
    for (int f = 0; f < F_COUNT; f++) {
        if (checksum_field(f) && !want_checksum)
            continue;
        if (field_id[f] > 0)
            g_array_append_val(ids, field_id[f]);
    }
    return ids;
}

/* The instance of field f that belongs to the protocol layer `layer`. */
static field_info *at_layer(GPtrArray *fields, int layer)
{
    if (!fields)
        return NULL;
    for (guint i = 0; i < fields->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(fields, i);
        if (fi->total_layer_num == layer)
            return fi;
    }
    return NULL;
}

/* The closest instance of a field below protocol layer `layer` (the IP header
 * that carries the TCP header there), from either of two lists. */
static field_info *closest_below(GPtrArray *a, GPtrArray *b, int layer)
{
    field_info *best = NULL;
    GPtrArray *lists[2] = { a, b };

    for (int l = 0; l < 2; l++) {
        for (guint i = 0; lists[l] && i < lists[l]->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(lists[l], i);
            if (fi->total_layer_num < layer && (!best || fi->total_layer_num > best->total_layer_num))
                best = fi;
        }
    }
    return best;
}

/* The addresses of the IP header that carries the TCP header at `layer`: the
 * destination follows the source in both IPv4 and IPv6 headers. */
static void read_addresses(GPtrArray *const f[F_COUNT], int layer, tcp_layer *out)
{
    field_info *src = closest_below(f[F_IP_SRC], f[F_IP6_SRC], layer);

    out->addr_len = 0;
    if (!src || (src->length != 4 && src->length != 16) || !src->ds_tvb ||
        !tvb_bytes_exist(src->ds_tvb, src->start, 2 * src->length))
        return;
    tvb_memcpy(src->ds_tvb, out->src_addr, src->start, (size_t)src->length);
    tvb_memcpy(src->ds_tvb, out->dst_addr, src->start + src->length, (size_t)src->length);
    out->addr_len = (uint8_t)src->length;
}

gboolean tcp_layers_read_header(tvbuff_t *tvb, int offset, ts_segment *seg)
{
    if (!tvb || offset < 0 || !tvb_bytes_exist(tvb, offset, TCP_HEADER_READ))
        return FALSE;
    seg->sport = tvb_get_ntohs(tvb, offset);
    seg->dport = tvb_get_ntohs(tvb, offset + 2);
    seg->seq = tvb_get_ntohl(tvb, offset + 4);
    seg->flags = (uint16_t)(tvb_get_ntohs(tvb, offset + 12) & TCP_FLAGS_MASK);
    /* Without the ACK flag the field means nothing (Wireshark shows no
     * tcp.ack then): the core gets 0. */
    seg->ack = (seg->flags & TS_ACK) ? tvb_get_ntohl(tvb, offset + 8) : 0;
    seg->window = tvb_get_ntohs(tvb, offset + 14);
    return TRUE;
}

void tcp_layers_read(proto_tree *tree, tvbuff_t *frame_tvb, int64_t time_ns, tcp_layers *out)
{
    GPtrArray *f[F_COUNT];
    tvbuff_t *frame_ds = frame_tvb ? tvb_get_ds_tvb(frame_tvb) : NULL;

    out->count = 0;
    out->incomplete = 0;
    if (!tree || field_id[F_STREAM] <= 0)
        return;
    for (int i = 0; i < F_COUNT; i++)
        f[i] = field_id[i] > 0 && (!checksum_field(i) || want_checksum)
                   ? proto_get_finfo_ptr_array(tree, field_id[i])
                   : NULL;
    if (!f[F_STREAM])
        return;

    for (guint i = 0; i < f[F_STREAM]->len; i++) {
        field_info *sfi = (field_info *)g_ptr_array_index(f[F_STREAM], i);
        int layer = sfi->total_layer_num;
        field_info *len = at_layer(f[F_LEN], layer), *sport, *csum;
        tcp_layer *t;

        /* A TCP header quoted in an ICMP error has no tcp.len. */
        if (!len)
            continue;
        if (out->count == TCP_LAYERS_MAX) {
            out->incomplete++;
            continue;
        }
        t = &out->layer[out->count];
        memset(t, 0, sizeof *t);
        t->stream = fvalue_get_uinteger(FI_FVALUE(sfi));
        t->seg.time_ns = time_ns;
        t->seg.len = fvalue_get_uinteger(FI_FVALUE(len));
        sport = at_layer(f[F_SPORT], layer);
        if (!sport || !tcp_layers_read_header(sport->ds_tvb, sport->start, &t->seg)) {
            /* The header was cut short (a truncated or malformed capture):
             * tracking a guess would mislead, so the layer is left out. */
            out->incomplete++;
            continue;
        }
        t->header_offset = sport->ds_tvb == frame_ds ? sport->start : -1;
        csum = at_layer(f[F_CHECKSUM_STATUS], layer);
        /* A checksum field that holds only the pseudo-header sum (left by
         * checksum offload on the capturing host) is wrong for the segment:
         * Wireshark 4.0 and Zeek call it bad. Wireshark 4.4 calls it good and
         * adds the expert info tcp.checksum.partial; it counts as bad here
         * too, so that every Wireshark version gives the same values and the
         * Zeek history its 'c' (docs/zeek.md). */
        t->seg.bad_checksum =
            (csum && fvalue_get_uinteger(FI_FVALUE(csum)) == CHECKSUM_STATUS_BAD) ||
            at_layer(f[F_CHECKSUM_PARTIAL], layer) != NULL;
        read_addresses(f, layer, t);
        out->count++;
    }
}
