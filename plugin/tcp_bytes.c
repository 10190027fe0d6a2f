#include "tcp_bytes.h"

#include <string.h>

#define IP_PROTO_TCP 6
#define IPV4_MIN 20
#define IPV6_FIXED 40
#define IPV6_EXT_MAX 8 /* extension headers followed before giving up */

/* The 12 bits of the TCP flags field (RFC 9293 section 3.1 with the AE bit). */
#define TCP_FLAGS_MASK 0x0FFF

static uint16_t get16(const guint8 *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const guint8 *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static gboolean same_address(const address *a, const guint8 *bytes, int len)
{
    if (!a || (a->type != AT_IPv4 && a->type != AT_IPv6))
        return TRUE; /* nothing to compare with */
    return a->len == len && memcmp(a->data, bytes, (size_t)len) == 0;
}

/* The IP datagram's length as the IP dissectors hand it on: the header's total
 * length when it fits in what the frame reports, else what the frame reports
 * (a zero length from segmentation offload, a length running past the frame). */
static int datagram_length(int stated, int fixed, int reported_left)
{
    return stated >= fixed && stated <= reported_left ? stated : reported_left;
}

/* An IPv4 header at p (`left` captured bytes): the TCP header's offset from p,
 * or 0 when this is no IPv4 header carrying the start of a TCP segment. */
static int ipv4_tcp(const guint8 *p, int left, int reported_left, tcp_bytes_ip *out)
{
    int ihl = (p[0] & 0x0F) * 4;
    uint16_t frag = get16(p + 6);

    if (ihl < IPV4_MIN || left < IPV4_MIN || p[9] != IP_PROTO_TCP || (frag & 0x1FFF) != 0)
        return 0;
    out->fragment = (frag & 0x2000) != 0;
    out->addr_len = 4;
    memcpy(out->src_addr, p + 12, 4);
    memcpy(out->dst_addr, p + 16, 4);
    out->tcp_reported = datagram_length(get16(p + 2), ihl, reported_left) - ihl;
    return ihl;
}

/* The same for an IPv6 header and its extension headers (RFC 8200 section 4). */
static int ipv6_tcp(const guint8 *p, int left, int reported_left, tcp_bytes_ip *out)
{
    int off = IPV6_FIXED;
    guint8 next;

    if (left < IPV6_FIXED)
        return 0;
    next = p[6];
    out->fragment = FALSE;
    for (int n = 0; next != IP_PROTO_TCP; n++) {
        int len;

        if (n == IPV6_EXT_MAX || off + 8 > left)
            return 0;
        switch (next) {
        case 0: case 43: case 60: /* hop-by-hop, routing, destination options */
            len = (p[off + 1] + 1) * 8;
            break;
        case 44: /* fragment: only the first one carries the TCP header */
            if ((get16(p + off + 2) & 0xFFF8) != 0)
                return 0;
            out->fragment = (p[off + 3] & 1) != 0;
            len = 8;
            break;
        case 51: /* authentication header */
            len = (p[off + 1] + 2) * 4;
            break;
        default:
            return 0;
        }
        next = p[off];
        off += len;
    }
    out->addr_len = 16;
    memcpy(out->src_addr, p + 8, 16);
    memcpy(out->dst_addr, p + 24, 16);
    out->tcp_reported =
        datagram_length(IPV6_FIXED + get16(p + 4), IPV6_FIXED, reported_left) - off;
    return off;
}

gboolean tcp_bytes_find_ip(tvbuff_t *frame, int from, gboolean match_ports, uint16_t sport,
                           uint16_t dport, const address *src, const address *dst,
                           tcp_bytes_ip *out)
{
    int captured = (int)tvb_captured_length(frame);
    int reported = (int)tvb_reported_length(frame);
    const guint8 *bytes;

    if (from < 0 || captured - from < IPV4_MIN + 4)
        return FALSE;
    bytes = tvb_get_ptr(frame, 0, captured);
    for (int off = from; off + IPV4_MIN + 4 <= captured; off++) {
        const guint8 *p = bytes + off;
        int tcp = 0;

        if ((p[0] >> 4) == 4)
            tcp = ipv4_tcp(p, captured - off, reported - off, out);
        else if ((p[0] >> 4) == 6)
            tcp = ipv6_tcp(p, captured - off, reported - off, out);
        if (!tcp || off + tcp + 4 > captured)
            continue;
        if (match_ports && (get16(p + tcp) != sport || get16(p + tcp + 2) != dport))
            continue;
        if (!same_address(src, out->src_addr, out->addr_len) ||
            !same_address(dst, out->dst_addr, out->addr_len))
            continue;
        out->tcp_offset = off + tcp;
        return TRUE;
    }
    return FALSE;
}

int tcp_bytes_find_header(tvbuff_t *tvb, int from, uint16_t sport, uint16_t dport, uint32_t seq,
                          uint32_t ack, uint16_t flags)
{
    int captured = tvb ? (int)tvb_captured_length(tvb) : 0;
    const guint8 *bytes;

    if (from < 0 || captured - from < 16)
        return -1;
    bytes = tvb_get_ptr(tvb, 0, captured);
    /* Every frame comes here: memchr() finds the candidates (the source
     * port's first byte) far faster than a test at every offset, in the same
     * order, so the first match is the same. */
    for (int off = from; off + 16 <= captured; off++) {
        const guint8 *p = (const guint8 *)memchr(bytes + off, sport >> 8, (size_t)(captured - 15 - off));

        if (!p)
            break;
        off = (int)(p - bytes);
        if (get16(p) == sport && get16(p + 2) == dport && get32(p + 4) == seq &&
            (get16(p + 12) & TCP_FLAGS_MASK) == flags &&
            (!(flags & 0x010) || get32(p + 8) == ack))
            return off;
    }
    return -1;
}

/* The Timestamps option (RFC 7323 section 3.2: kind 8, length 10) among the
 * options of a whole header `h` of `hlen` bytes; FALSE when there is none or
 * the options are malformed (then nothing is said from timestamps:
 * core/tracker.c, echo_doubt_open). */
gboolean tcp_bytes_read_timestamps(const guint8 *h, int hlen, uint32_t *tsval, uint32_t *tsecr)
{
    const guint8 *o, *end;

    for (o = h + 20, end = h + hlen; o < end;) {
        if (o[0] == 0) /* end of options */
            return FALSE;
        if (o[0] == 1) { /* no-operation */
            o++;
            continue;
        }
        if (end - o < 2 || o[1] < 2 || o[1] > end - o)
            return FALSE;
        if (o[0] == 8 && o[1] == 10) {
            *tsval = get32(o + 2);
            *tsecr = get32(o + 6);
            return TRUE;
        }
        o += o[1];
    }
    return FALSE;
}
