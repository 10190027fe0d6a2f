#include "tcp_layers.h"

#include <epan/conversation.h>
#include <epan/ftypes/ftypes.h>
#include <epan/prefs.h>
#include <epan/prefs-int.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-tcp.h>

#include "tcp_bytes.h"
#include "tcpstate_plugin.h"

/* Values of tcp.checksum.status (epan/proto.h's PROTO_CHECKSUM_E_BAD). */
#define CHECKSUM_STATUS_BAD 0

/* The 12 bits of tcp.flags (packet-tcp.c's TH_MASK). */
#define TCP_FLAGS_MASK 0x0FFF

/* Offsets in a TCP header (RFC 9293 section 3.1). */
#define TCP_OFF_FLAGS 12
#define TCP_OFF_CHECKSUM 16
#define TCP_HEADER_MIN 20

/* More TCP layers than this in one frame are counted, not tracked. */
#define TCP_LAYERS_SEEN_MAX 32

/* field_info.value became a pointer after 4.0. */
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 2
#define FI_FVALUE(fi) (&(fi)->value)
#else
#define FI_FVALUE(fi) ((fi)->value)
#endif

static struct {
    int proto_tcp, proto_icmp, proto_icmpv6;
    int hf_srcport, hf_dstport, hf_checksum_status, hf_checksum_partial;
    int tap_tcp, tap_ip, tap_ipv6;
} ids = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };

static gboolean want_checksum; /* tcp.check_checksum when the fields were last asked for */
static int tap_listener_data;  /* the helper listener's (unused) data */

void tcp_layers_register(void)
{
    GString *error;

    ids.proto_tcp = proto_get_id_by_filter_name("tcp");
    ids.proto_icmp = proto_get_id_by_filter_name("icmp");
    ids.proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    ids.hf_srcport = proto_registrar_get_id_byname("tcp.srcport");
    ids.hf_dstport = proto_registrar_get_id_byname("tcp.dstport");
    ids.hf_checksum_status = proto_registrar_get_id_byname("tcp.checksum.status");
    /* An expert info of Wireshark 4.2+ (none in 4.0): see bad_checksum(). */
    ids.hf_checksum_partial = proto_registrar_get_id_byname("tcp.checksum.partial");
    ids.tap_tcp = find_tap_id("tcp");
    ids.tap_ip = find_tap_id("ip");
    ids.tap_ipv6 = find_tap_id("ipv6");
    /* A listener makes TCP's tap entries available to fetch_tapped_data()
     * during the frame's own dissection; as a dissector helper it asks for
     * no tree and makes no dissection happen that would not happen anyway. */
    error = register_tap_listener("tcp", &tap_listener_data, NULL, TL_IS_DISSECTOR_HELPER, NULL,
                                  NULL, NULL, NULL);
    if (error) {
        ws_warning("tcpstate: cannot listen to the tcp tap: %s", error->str);
        g_string_free(error, TRUE);
        ids.tap_tcp = -1;
    }
}

/* A checksum is only ever "bad" when TCP verifies it (tcp.check_checksum,
 * off by default); otherwise tcp.checksum.status is "unverified" on every
 * segment, and asking for it would cost every frame a tree for nothing. */
static gboolean tcp_checks_checksums(void)
{
    module_t *tcp = prefs_find_module("tcp");
    pref_t *pref = tcp ? prefs_find_preference(tcp, "check_checksum") : NULL;

    return pref && prefs_get_bool_value(pref, pref_current);
}

GArray *tcp_layers_wanted_fields(void)
{
    GArray *ids_wanted;

    want_checksum = tcp_checks_checksums() && ids.hf_checksum_status > 0;
    if (!want_checksum)
        return NULL;
    ids_wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    g_array_append_val(ids_wanted, ids.hf_checksum_status);
    if (ids.hf_checksum_partial > 0)
        g_array_append_val(ids_wanted, ids.hf_checksum_partial);
    return ids_wanted;
}

gboolean tcp_layers_read_header(tvbuff_t *tvb, int offset, ts_segment *seg)
{
    if (!tvb || offset < 0 || !tvb_bytes_exist(tvb, offset, TCP_HEADER_READ))
        return FALSE;
    seg->sport = tvb_get_ntohs(tvb, offset);
    seg->dport = tvb_get_ntohs(tvb, offset + 2);
    seg->seq = tvb_get_ntohl(tvb, offset + 4);
    seg->flags = (uint16_t)(tvb_get_ntohs(tvb, offset + TCP_OFF_FLAGS) & TCP_FLAGS_MASK);
    /* Without the ACK flag the field means nothing (Wireshark shows no
     * tcp.ack then): the core gets 0. */
    seg->ack = (seg->flags & TS_ACK) ? tvb_get_ntohl(tvb, offset + 8) : 0;
    seg->window = tvb_get_ntohs(tvb, offset + 14);
    return TRUE;
}

/* The TCP layers of the frame, in the order they were dissected, and which
 * of them are quoted inside an ICMP error (a copy of an earlier segment). */
typedef struct {
    unsigned count;
    unsigned layer_num[TCP_LAYERS_SEEN_MAX]; /* position in pinfo->layers, from 1 */
    gboolean quoted[TCP_LAYERS_SEEN_MAX];
} tcp_positions;

static void find_tcp_layers(packet_info *pinfo, tcp_positions *pos)
{
    /* Local copies: the calls below would make the compiler read them again
     * on every layer of every frame. */
    const int tcp = ids.proto_tcp, icmp = ids.proto_icmp, icmpv6 = ids.proto_icmpv6;
    gboolean in_icmp = FALSE;
    unsigned num = 0;

    pos->count = 0;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(f));

        num++;
        if (proto == icmp || proto == icmpv6)
            in_icmp = TRUE;
        else if (proto == tcp && pos->count < TCP_LAYERS_SEEN_MAX) {
            pos->layer_num[pos->count] = num;
            pos->quoted[pos->count] = in_icmp;
            pos->count++;
        }
    }
}

/* Was the bad-checksum verdict given to the header at `offset` of `tvb`? Only
 * asked for while TCP verifies checksums (tcp_layers_wanted_fields). */
static gboolean bad_checksum(proto_tree *tree, tvbuff_t *tvb, int offset)
{
    GPtrArray *f;

    if (!want_checksum || !tree || offset < 0)
        return FALSE;
    /* Wireshark 4.4 calls a checksum field that holds only the pseudo-header
     * sum (offloaded: the NIC would fill it in) "good" and adds the expert
     * info tcp.checksum.partial; 4.0 and Zeek call it bad, and so does
     * tcpstate, on both versions. */
    if (ids.hf_checksum_partial > 0) {
        f = proto_get_finfo_ptr_array(tree, ids.hf_checksum_partial);
        for (guint i = 0; f && i < f->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(f, i);
            if (fi->ds_tvb == tvb && fi->start >= offset && fi->start < offset + TCP_OFF_CHECKSUM + 2)
                return TRUE;
        }
    }
    f = proto_get_finfo_ptr_array(tree, ids.hf_checksum_status);
    for (guint i = 0; f && i < f->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(f, i);
        if (fi->ds_tvb == tvb && fi->start == offset + TCP_OFF_CHECKSUM)
            return fvalue_get_uinteger(FI_FVALUE(fi)) == CHECKSUM_STATUS_BAD;
    }
    return FALSE;
}

/* A header in other bytes than the frame's (the reassembled datagram of IP
 * fragments): the data source it is in and where, or NULL. */
static tvbuff_t *find_in_other_sources(packet_info *pinfo, tvbuff_t *frame_ds, uint16_t sport,
                                       uint16_t dport, uint32_t seq, uint32_t ack,
                                       uint16_t flags, int *offset)
{
    for (GSList *s = pinfo->data_src; s; s = s->next) {
        tvbuff_t *tvb = get_data_source_tvb((struct data_source *)s->data);

        if (!tvb || tvb == frame_ds)
            continue;
        *offset = tcp_bytes_find_header(tvb, 0, sport, dport, seq, ack, flags);
        if (*offset >= 0)
            return tvb;
    }
    return NULL;
}

static void copy_ip_address(const address *a, uint8_t *out, uint8_t *len)
{
    /* Constant sizes: copied inline, not by a call (every tracked frame
     * copies two addresses: docs/performance.md). */
    if (a->type == AT_IPv4 && a->len == 4) {
        memcpy(out, a->data, 4);
        *len = 4;
    } else if (a->type == AT_IPv6 && a->len == 16) {
        memcpy(out, a->data, 16);
        *len = 16;
    }
}

/* A layer the tap delivered: everything but where the header is, which the
 * frame's bytes tell (the window the core gets is the one sent, unscaled). */
static void from_tap(packet_info *pinfo, proto_tree *tree, tvbuff_t *frame_ds,
                     const struct tcpheader *th, int *from, tcp_layer *t)
{
    uint16_t flags = (uint16_t)(th->th_flags & TCP_FLAGS_MASK);
    uint32_t ack = (flags & TS_ACK) ? th->th_rawack : 0;
    tvbuff_t *tvb = frame_ds;
    int off = tcp_bytes_find_header(frame_ds, *from, th->th_sport, th->th_dport, th->th_rawseq,
                                    ack, flags);

    t->stream = th->th_stream;
    t->seg.len = th->th_seglen;
    t->seg.sport = th->th_sport;
    t->seg.dport = th->th_dport;
    t->seg.seq = th->th_rawseq;
    t->seg.ack = ack;
    t->seg.flags = flags;
    t->seg.window = th->th_win; /* zero exactly when the window sent was zero */
    if (off >= 0) {
        *from = off + TCP_OFF_FLAGS;
        t->header_offset = off;
    } else {
        t->header_offset = -1;
        tvb = find_in_other_sources(pinfo, frame_ds, th->th_sport, th->th_dport, th->th_rawseq,
                                    ack, flags, &off);
    }
    if (tvb && off >= 0)
        t->seg.window = tvb_get_ntohs(tvb, off + 14);
    t->seg.bad_checksum = bad_checksum(tree, tvb, off);
    copy_ip_address(&th->ip_src, t->src_addr, &t->addr_len);
    if (t->addr_len)
        copy_ip_address(&th->ip_dst, t->dst_addr, &t->addr_len);
}

/* The stream TCP gave these endpoints at this frame: TCP numbers the stream
 * before it parses the options, so it is there for a header cut in them.
 * conversation_get_proto_data() only reads (unlike get_tcp_conversation_data). */
static const struct tcp_analysis *stream_of(packet_info *pinfo, tcp_layer *t)
{
    address src, dst;
    conversation_t *conv;
    const struct tcp_analysis *tcpd;
    address_type type = t->addr_len == 4 ? AT_IPv4 : AT_IPv6;

    set_address(&src, type, t->addr_len, t->src_addr);
    set_address(&dst, type, t->addr_len, t->dst_addr);
    conv = find_conversation(pinfo->num, &src, &dst, CONVERSATION_TCP, t->seg.sport,
                             t->seg.dport, 0);
    tcpd = conv ? (const struct tcp_analysis *)conversation_get_proto_data(conv, ids.proto_tcp)
                : NULL;
    if (tcpd)
        t->stream = tcpd->stream;
    return tcpd;
}

typedef enum { LAYER_TRACK, LAYER_SKIP, LAYER_INCOMPLETE } layer_verdict;

/* Did TCP give up on a header (tcp_layers_read)? */
typedef enum { TCP_COMPLETED, TCP_FAILED, TCP_UNKNOWN } tcp_outcome;

/* A whole header TCP gave up on (TCP_FAILED: with taps, no entry queued) or
 * may have (TCP_UNKNOWN: a pass without taps): TCP analyses a segment's
 * numbers before it reads the options, so a segment whose options are
 * malformed was analysed, and is tracked on every pass alike; one it did
 * not analyse (a lower layer made it shorter than its header: Wireshark
 * shows no TCP segment) is not. Without the sequence analysis a pass
 * without taps cannot tell, and tracks; a pass with taps saw TCP fail, and
 * does not. */
static gboolean tcp_analysed(const packet_info *pinfo, const struct tcp_analysis *tcpd,
                             tcp_outcome outcome)
{
    const tcp_analyze_seq_flow_info_t *seq = tcpd->fwd ? tcpd->fwd->tcp_analyze_seq_info : NULL;

    /* TCP's sequence analysis (on by default) notes the time of every
     * segment it analyses. */
    if (!seq)
        return outcome == TCP_UNKNOWN;
    return nstime_cmp(&seq->lastacktime, &pinfo->abs_ts) == 0;
}

/* The IP header carrying the TCP layer `layer_num` in `tvb`: by pinfo's
 * addresses and ports for the frame's last TCP layer, else (or when a later
 * dissector changed pinfo) by the ports TCP noted for that layer. */
static gboolean find_ip(packet_info *pinfo, tvbuff_t *tvb, int from, unsigned layer_num,
                        gboolean last, tcp_bytes_ip *ip)
{
    void *sport, *dport;

    if (last && tcp_bytes_find_ip(tvb, from, TRUE, (uint16_t)pinfo->srcport,
                                  (uint16_t)pinfo->destport, &pinfo->src, &pinfo->dst, ip))
        return TRUE;
    sport = p_get_proto_data(pinfo->pool, pinfo, ids.hf_srcport, layer_num);
    dport = p_get_proto_data(pinfo->pool, pinfo, ids.hf_dstport, layer_num);
    return tcp_bytes_find_ip(tvb, from, sport && dport, (uint16_t)GPOINTER_TO_UINT(sport),
                             (uint16_t)GPOINTER_TO_UINT(dport), NULL, NULL, ip);
}

/* A layer the tap did not deliver, from the frame's bytes. The last TCP layer
 * of a frame is the one whose addresses and ports pinfo still holds; an
 * earlier one (a tunnel, on a pass without taps) is found by the ports TCP
 * noted for its layer. The same rules as TCP's own decide what is tracked:
 * no length for a fragment (skipped, as TCP gives it none), none for a
 * segment shorter than its header (incomplete). When TCP gave up on the
 * header (`outcome`): if the capture cut it, the first 16 bytes suffice
 * (those TCP reads before the options); if the frame holds all of it, a lower
 * layer made the segment shorter than its header (a trailer taken for a frame
 * check sequence), and Wireshark shows no TCP segment: incomplete. */
static layer_verdict from_bytes(packet_info *pinfo, proto_tree *tree, tvbuff_t *frame_ds,
                                unsigned layer_num, gboolean last, tcp_outcome outcome,
                                int *from, tcp_layer *t)
{
    tcp_bytes_ip ip;
    gboolean found, whole = FALSE;
    int hlen;
    const struct tcp_analysis *tcpd;
    tvbuff_t *in = frame_ds;

    /* In the frame's own bytes, or in bytes a dissector made (a decrypted
     * tunnel's packet). */
    found = find_ip(pinfo, frame_ds, *from, layer_num, last, &ip);
    for (GSList *s = pinfo->data_src; s && !found; s = s->next) {
        tvbuff_t *tvb = get_data_source_tvb((struct data_source *)s->data);

        if (tvb && tvb != frame_ds && (found = find_ip(pinfo, tvb, 0, layer_num, last, &ip)))
            in = tvb;
    }
    if (!found) {
        /* In reassembled bytes (IP fragments) or nowhere to be found. */
        tvbuff_t *tvb = NULL;
        int off = -1;

        for (GSList *s = pinfo->data_src; last && s && off < 0; s = s->next) {
            tvb = get_data_source_tvb((struct data_source *)s->data);
            if (tvb && tvb != frame_ds && tvb_bytes_exist(tvb, 0, 4) &&
                tvb_get_ntohs(tvb, 0) == pinfo->srcport && tvb_get_ntohs(tvb, 2) == pinfo->destport)
                off = 0;
        }
        if (off < 0 || outcome == TCP_FAILED || !tcp_layers_read_header(tvb, 0, &t->seg))
            return LAYER_INCOMPLETE;
        memset(&ip, 0, sizeof ip);
        copy_ip_address(&pinfo->src, ip.src_addr, &ip.addr_len);
        copy_ip_address(&pinfo->dst, ip.dst_addr, &ip.addr_len);
        ip.tcp_reported = (int)tvb_reported_length(tvb);
        ip.tcp_offset = -1;
        hlen = (tcpstate_tvb_u8(tvb, TCP_OFF_FLAGS) >> 4) * 4;
        t->seg.bad_checksum = bad_checksum(tree, tvb, 0);
    } else {
        if (ip.fragment)
            return LAYER_SKIP;
        if (!tcp_layers_read_header(in, ip.tcp_offset, &t->seg))
            return LAYER_INCOMPLETE;
        hlen = (tcpstate_tvb_u8(in, ip.tcp_offset + TCP_OFF_FLAGS) >> 4) * 4;
        whole = hlen >= TCP_HEADER_MIN && tvb_bytes_exist(in, ip.tcp_offset, hlen);
        t->seg.bad_checksum = bad_checksum(tree, in, ip.tcp_offset);
        if (in == frame_ds)
            *from = ip.tcp_offset + TCP_OFF_FLAGS;
        else
            ip.tcp_offset = -1; /* not in the frame's own bytes */
    }
    if (ip.tcp_reported < hlen || !ip.addr_len)
        return LAYER_INCOMPLETE;
    t->seg.len = (uint32_t)(ip.tcp_reported - hlen);
    t->header_offset = ip.tcp_offset;
    memcpy(t->src_addr, ip.src_addr, sizeof t->src_addr);
    memcpy(t->dst_addr, ip.dst_addr, sizeof t->dst_addr);
    t->addr_len = ip.addr_len;
    tcpd = stream_of(pinfo, t);
    if (!tcpd || (whole && outcome != TCP_COMPLETED && !tcp_analysed(pinfo, tcpd, outcome)))
        return LAYER_INCOMPLETE;
    return LAYER_TRACK;
}

/* Is this dissection running taps? IP queues its tap entry before it hands
 * the payload to TCP, so a frame with a TCP layer has an IP entry then.
 * `first_tcp` is TCP's first entry (fetched once by the caller). */
static gboolean taps_run(const void *first_tcp)
{
    return first_tcp || (ids.tap_ip >= 0 && fetch_tapped_data(ids.tap_ip, 0)) ||
           (ids.tap_ipv6 >= 0 && fetch_tapped_data(ids.tap_ipv6, 0));
}

/* What the frame holds beyond the header's fixed part, from one look at its
 * data offset: how much of the segment's payload (a snap length can cut it:
 * Zeek's content gaps, core/zeek.h; a header in other bytes, a reassembled
 * datagram, has its payload whole) and, when all its options are there, its
 * Timestamps option (the echo rule, core/tracker.c). */
static void read_beyond_header(tvbuff_t *frame_tvb, tcp_layer *t)
{
    int off = t->header_offset, hlen;
    gint have;

    t->captured_len = t->seg.len;
    if (off < 0 || !frame_tvb || tvb_captured_length(frame_tvb) <= (guint)off + 12)
        return;
    hlen = (tcpstate_tvb_u8(frame_tvb, off + 12) >> 4) * 4;
    have = (gint)tvb_captured_length(frame_tvb) - off - hlen;
    t->captured_len = have <= 0 ? 0 : MIN((uint32_t)have, t->seg.len);
    if (hlen > TCP_HEADER_MIN && have >= 0)
        t->seg.has_ts = (uint8_t)tcp_bytes_read_timestamps(tvb_get_ptr(frame_tvb, off, hlen), hlen,
                                                           &t->seg.tsval, &t->seg.tsecr);
}

void tcp_layers_read(packet_info *pinfo, proto_tree *tree, tvbuff_t *frame_tvb, int64_t time_ns,
                     tcp_layers *out)
{
    tcp_positions pos;
    const struct tcpheader *tapped[TCP_LAYERS_SEEN_MAX];
    unsigned ntapped = 0;
    tvbuff_t *frame_ds = frame_tvb ? tvb_get_ds_tvb(frame_tvb) : NULL;
    int from = 0;
    gboolean taps;
    tcp_outcome last;

    out->count = 0;
    out->incomplete = 0;
    out->taps = FALSE;
    if (!frame_ds || ids.proto_tcp < 0)
        return;
    find_tcp_layers(pinfo, &pos);
    if (pos.count == 0)
        return;
    /* TCP queues its tap entry after its header, before its payload; a TCP
     * layer whose header throws (cut in the options) queues none, and it can
     * only be the frame's last. Any other count: no entry is trusted. */
    tapped[0] = ids.tap_tcp >= 0 ? (const struct tcpheader *)fetch_tapped_data(ids.tap_tcp, 0) : NULL;
    taps = taps_run(tapped[0]);
    out->taps = taps;
    if (tapped[0]) {
        ntapped = 1;
        while (ntapped <= pos.count && ntapped < TCP_LAYERS_SEEN_MAX &&
               (tapped[ntapped] = (const struct tcpheader *)fetch_tapped_data(ids.tap_tcp,
                                                                              (int)ntapped)))
            ntapped++;
    }
    /* Did TCP give up on the last header? With taps, it queued no entry for
     * it; without, only its sequence analysis can tell (from_bytes). */
    last = !taps ? TCP_UNKNOWN : ntapped < pos.count ? TCP_FAILED : TCP_COMPLETED;
    if (ntapped != pos.count && ntapped + 1 != pos.count)
        ntapped = 0;

    for (unsigned i = 0; i < pos.count; i++) {
        /* Read in place, into the next free entry (one copy less a frame:
         * docs/performance.md); a layer past the last entry only counts. */
        tcp_layer spare, *t = out->count < TCP_LAYERS_MAX ? &out->layer[out->count] : &spare;
        layer_verdict v = LAYER_TRACK;

        if (pos.quoted[i])
            continue; /* a copy of an earlier segment inside an ICMP error */
        memset(t, 0, sizeof *t);
        t->seg.time_ns = time_ns;
        if (i < ntapped && tapped[i]->th_have_seglen)
            from_tap(pinfo, tree, frame_ds, tapped[i], &from, t);
        else
            v = from_bytes(pinfo, tree, frame_ds, pos.layer_num[i], i + 1 == pos.count,
                           i + 1 == pos.count ? last : taps ? TCP_COMPLETED : TCP_UNKNOWN,
                           &from, t);
        if (v == LAYER_SKIP)
            continue;
        if (v == LAYER_INCOMPLETE || t == &spare) {
            out->incomplete++;
            continue;
        }
        read_beyond_header(frame_tvb, t);
        out->count++;
    }
}
