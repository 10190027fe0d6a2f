#include "tcp_layers.h"

#include <epan/ftypes/ftypes.h>

/* Values of tcp.checksum.status (epan/proto.h's PROTO_CHECKSUM_E_BAD). */
#define CHECKSUM_STATUS_BAD 0

/* field_info.value became a pointer after 4.0. */
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 2
#define FI_FVALUE(fi) (&(fi)->value)
#else
#define FI_FVALUE(fi) ((fi)->value)
#endif

enum {
    F_STREAM, F_FLAGS, F_SEQ, F_ACK, F_LEN, F_WIN, F_SPORT, F_DPORT, F_CHECKSUM_STATUS, F_IP_SRC,
    F_IP_DST, F_IP6_SRC, F_IP6_DST, F_COUNT
};

static const char *const field_names[F_COUNT] = {
    [F_STREAM] = "tcp.stream",
    [F_FLAGS] = "tcp.flags",
    [F_SEQ] = "tcp.seq_raw",
    [F_ACK] = "tcp.ack_raw",
    [F_LEN] = "tcp.len",
    [F_WIN] = "tcp.window_size_value",
    [F_SPORT] = "tcp.srcport",
    [F_DPORT] = "tcp.dstport",
    [F_CHECKSUM_STATUS] = "tcp.checksum.status",
    [F_IP_SRC] = "ip.src",
    [F_IP_DST] = "ip.dst",
    [F_IP6_SRC] = "ipv6.src",
    [F_IP6_DST] = "ipv6.dst",
};

static int field_id[F_COUNT];

GArray *tcp_layers_wanted_fields(void)
{
    GArray *ids = g_array_new(FALSE, FALSE, (guint)sizeof(int));

    for (int f = 0; f < F_COUNT; f++) {
        field_id[f] = proto_registrar_get_id_byname(field_names[f]);
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

static uint32_t uint_at(GPtrArray *fields, int layer, int *found)
{
    field_info *fi = at_layer(fields, layer);

    if (!fi) {
        *found = 0;
        return 0;
    }
    return fvalue_get_uinteger(FI_FVALUE(fi));
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

static int copy_ip_bytes(const field_info *fi, uint8_t *out)
{
    if (!fi || (fi->length != 4 && fi->length != 16) || !fi->ds_tvb ||
        !tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length))
        return 0;
    tvb_memcpy(fi->ds_tvb, out, fi->start, (size_t)fi->length);
    return fi->length;
}

/* The addresses of the IP header that carries the TCP header at `layer`. */
static void read_addresses(GPtrArray *const f[F_COUNT], int layer, tcp_layer *out)
{
    field_info *src = closest_below(f[F_IP_SRC], f[F_IP6_SRC], layer);
    field_info *dst = closest_below(f[F_IP_DST], f[F_IP6_DST], layer);
    int n = copy_ip_bytes(src, out->src_addr);

    out->addr_len = 0;
    if (n && dst && dst->total_layer_num == src->total_layer_num && copy_ip_bytes(dst, out->dst_addr) == n)
        out->addr_len = (uint8_t)n;
}

void tcp_layers_read(proto_tree *tree, int64_t time_ns, tcp_layers *out)
{
    GPtrArray *f[F_COUNT];

    out->count = 0;
    out->incomplete = 0;
    if (!tree || field_id[F_STREAM] <= 0)
        return;
    for (int i = 0; i < F_COUNT; i++)
        f[i] = field_id[i] > 0 ? proto_get_finfo_ptr_array(tree, field_id[i]) : NULL;
    if (!f[F_STREAM])
        return;

    for (guint i = 0; i < f[F_STREAM]->len; i++) {
        field_info *sfi = (field_info *)g_ptr_array_index(f[F_STREAM], i);
        int layer = sfi->total_layer_num, found = 1;
        tcp_layer *t;

        /* A TCP header quoted in an ICMP error has no tcp.len. */
        if (!at_layer(f[F_LEN], layer))
            continue;
        if (out->count == TCP_LAYERS_MAX) {
            out->incomplete++;
            continue;
        }
        t = &out->layer[out->count];
        memset(t, 0, sizeof *t);
        t->stream = fvalue_get_uinteger(FI_FVALUE(sfi));
        t->seg.time_ns = time_ns;
        t->seg.flags = (uint16_t)uint_at(f[F_FLAGS], layer, &found);
        t->seg.seq = uint_at(f[F_SEQ], layer, &found);
        t->seg.len = uint_at(f[F_LEN], layer, &found);
        t->seg.sport = (uint16_t)uint_at(f[F_SPORT], layer, &found);
        t->seg.dport = (uint16_t)uint_at(f[F_DPORT], layer, &found);
        if (!found) {
            /* The header was cut short (a truncated or malformed capture):
             * tracking a guess would mislead, so the layer is left out. */
            out->incomplete++;
            continue;
        }
        /* tcp.ack_raw and the window may be absent on odd segments; 0 then. */
        t->seg.ack = uint_at(f[F_ACK], layer, &found);
        t->seg.window = uint_at(f[F_WIN], layer, &found);
        /* Only a verified checksum can be bad (tcp.check_checksum is off by
         * default, and then the status is "unverified"). */
        found = 1;
        t->seg.bad_checksum =
            uint_at(f[F_CHECKSUM_STATUS], layer, &found) == CHECKSUM_STATUS_BAD && found;
        read_addresses(f, layer, t);
        out->count++;
    }
}
