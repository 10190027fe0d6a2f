/*
 * gen_capture: write a large, realistic, deterministic TCP capture (pcap) for
 * benchmarks and robustness runs. No network: every packet is made here.
 *
 *   cc -O2 -o gen_capture tests/bench/gen_capture.c
 *   gen_capture -n 1000000 -c 100000 -s 1 -o big.pcap
 *   gen_capture --syn-flood 1000000 -o flood.pcap
 *
 * Normal mode: `-c` streams with exactly `-n` segments in all, interleaved in
 * time (streams arrive as a Poisson process, about `--concurrency` of them are
 * open at any time; each packet goes to the heap of open streams). Every
 * stream is one of (default shares, in percent):
 *
 *   four-way close (either side first)  35   FIN / ACK / FIN / ACK
 *   merged three-way close              25   FIN / FIN+ACK / ACK
 *   simultaneous close                   3   crossing FINs, then both ACKs
 *   half-close                           7   client FIN, server goes on sending, then closes
 *   RST abort                           10   data, then RST(+ACK) from either side
 *   refused                              5   SYN, RST+ACK
 *   SYN timeout                          3   SYN and two retransmissions, no answer
 *   mid-stream                           5   no handshake captured, data, four-way close
 *   left open                            7   handshake and data, the capture ends first
 *
 * plus retransmitted data segments (`--rexmit` share of data slots, default
 * 2%), retransmitted SYNs (2% of streams) and FINs (1%), port reuse (`--reuse`
 * share of new streams take the 4-tuple of a stream that already closed,
 * default 5%), and a share of IPv6 streams (`--ipv6`, default 10%). SYN and
 * SYN+ACK carry MSS, window-scale and SACK-permitted options. Payload bytes
 * are zero; `--snaplen` cuts the recorded bytes (the lengths stay). Checksums
 * (IPv4 header and TCP) are correct.
 *
 * If the segment budget is too small for the chosen closes, streams are
 * turned into lone SYNs (a scan) until it fits; fewer segments than streams
 * is an error.
 *
 * Flood mode (`--syn-flood N`): N SYNs from N distinct source tuples to one
 * server port, 1 us apart, none answered.
 *
 * The same arguments give the same bytes (xorshift PRNG seeded by `-s`).
 * A summary goes to stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG ---------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64* */
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static double rnd01(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
static uint32_t rnd_below(uint32_t n) { return n ? (uint32_t)(rnd() % n) : 0; }
static int chance(double p) { return rnd01() < p; }
static double rnd_exp(double mean) { return -mean * log(1.0 - rnd01()); }

/* ---- pcap writing ------------------------------------------------------------ */

static FILE *out;
static unsigned snaplen = 65535;
static uint64_t written_packets, written_bytes;

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void write_header(void)
{
    struct {
        uint32_t magic;
        uint16_t major, minor;
        int32_t zone;
        uint32_t sigfigs, snaplen, linktype;
    } h = { 0xa1b2c3d4u, 2, 4, 0, 0, 65535, 1 /* Ethernet */ };
    h.snaplen = snaplen;
    fwrite(&h, sizeof h, 1, out);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

typedef struct {
    uint8_t v6;
    uint8_t caddr[16], saddr[16];
    uint16_t cport, sport;
} tuple;

/* One segment on the wire. dir 0 = client to server. */
static void emit(int64_t t_ns, const tuple *tp, int dir, uint16_t flags, uint32_t seq, uint32_t ack,
                 uint32_t len, uint16_t window)
{
    static uint8_t pkt[14 + 40 + 32];
    static const uint8_t syn_opts[12] = { 2, 4, 0x05, 0xb4, /* MSS 1460 */
                                          1, 3, 3, 7,       /* NOP, window scale 7 */
                                          4, 2, 1, 1 };     /* SACK permitted, NOP NOP */
    size_t l3 = tp->v6 ? 40 : 20, thl = (flags & 0x002) ? 32 : 20;
    size_t hdr = 14 + l3 + thl;
    uint32_t wire = (uint32_t)(hdr + len), cap = wire < snaplen ? wire : snaplen;
    const uint8_t *src = dir ? tp->saddr : tp->caddr, *dst = dir ? tp->caddr : tp->saddr;
    uint8_t *ip = pkt + 14, *tcp = pkt + 14 + l3;
    uint32_t sum;
    struct { uint32_t sec, usec, caplen, len; } rec;

    memset(pkt, 0, hdr);
    /* Ethernet: client MAC ..:01, server (router) MAC ..:02 */
    pkt[0] = 0x02; pkt[5] = dir ? 0x01 : 0x02;
    pkt[6] = 0x02; pkt[11] = dir ? 0x02 : 0x01;
    put16(pkt + 12, tp->v6 ? 0x86dd : 0x0800);
    if (tp->v6) {
        ip[0] = 0x60;
        put16(ip + 4, (uint16_t)(thl + len));
        ip[6] = 6;
        ip[7] = 64;
        memcpy(ip + 8, src, 16);
        memcpy(ip + 24, dst, 16);
    } else {
        ip[0] = 0x45;
        put16(ip + 2, (uint16_t)(20 + thl + len));
        put16(ip + 4, (uint16_t)(seq ^ ack));
        ip[6] = 0x40; /* DF */
        ip[8] = 64;
        ip[9] = 6;
        memcpy(ip + 12, src, 4);
        memcpy(ip + 16, dst, 4);
        put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
    }
    put16(tcp, dir ? tp->sport : tp->cport);
    put16(tcp + 2, dir ? tp->cport : tp->sport);
    put32(tcp + 4, seq);
    put32(tcp + 8, (flags & 0x010) ? ack : 0);
    put16(tcp + 12, (uint16_t)((thl / 4) << 12 | (flags & 0x1ff)));
    put16(tcp + 14, window);
    if (thl > 20)
        memcpy(tcp + 20, syn_opts, sizeof syn_opts);
    /* pseudo header + header; the payload is zeros and adds nothing */
    sum = csum_add(0, ip + (tp->v6 ? 8 : 12), tp->v6 ? 32 : 8);
    sum += 6 + (uint32_t)(thl + len);
    sum = csum_add(sum, tcp, thl);
    put16(tcp + 16, csum_fold(sum));

    rec.sec = (uint32_t)(t_ns / 1000000000);
    rec.usec = (uint32_t)(t_ns % 1000000000 / 1000);
    rec.caplen = cap;
    rec.len = wire;
    fwrite(&rec, sizeof rec, 1, out);
    if (cap <= hdr) {
        fwrite(pkt, 1, cap, out);
    } else {
        static const uint8_t zeros[65536];
        fwrite(pkt, 1, hdr, out);
        fwrite(zeros, 1, cap - hdr, out);
    }
    written_packets++;
    written_bytes += sizeof rec + cap;
}

/* ---- streams ----------------------------------------------------------------- */

enum kind {
    K_FOURWAY, K_MERGED, K_SIMUL, K_HALF, K_RST, K_REFUSED, K_SYN_TIMEOUT, K_MIDSTREAM, K_OPEN,
    K_LONE_SYN, K_COUNT
};
static const char *const kind_name[K_COUNT] = {
    "four-way", "merged-3way", "simultaneous", "half-close", "rst-abort", "refused",
    "syn-timeout", "midstream", "left-open", "lone-syn"
};
static double kind_share[K_COUNT] = { 35, 25, 3, 7, 10, 5, 3, 5, 7, 0 };

/* Steps of a stream's script. */
enum step {
    S_SYN, S_SYN_RX, S_SYNACK, S_HSACK, S_DATA, S_CLOSE1, S_CLOSE2, S_CLOSE3, S_CLOSE4,
    S_FIN_RX, S_HALF_DATA, S_DONE
};

typedef struct {
    tuple tp;
    int64_t next_ns;
    uint32_t isn[2], nxt[2]; /* per direction: 0 client, 1 server */
    uint32_t data;           /* data slots before the close */
    uint32_t half_data;      /* data slots after the client's FIN (half-close) */
    uint32_t last_seq[2], last_len[2]; /* last data segment per direction, for retransmission */
    uint32_t rtt_us;
    uint8_t kind, step, sub, last_dir, closer, syn_rx, fin_rx, reused;
} stream;

static stream *st;
static uint32_t nstreams;
static uint32_t *heap, heap_len;

static int earlier(uint32_t a, uint32_t b)
{
    return st[a].next_ns < st[b].next_ns || (st[a].next_ns == st[b].next_ns && a < b);
}

static void heap_push(uint32_t i)
{
    uint32_t k = heap_len++;
    while (k) {
        uint32_t p = (k - 1) / 2;
        if (!earlier(i, heap[p]))
            break;
        heap[k] = heap[p];
        k = p;
    }
    heap[k] = i;
}

static void heap_fix_top(void)
{
    uint32_t i = heap[0], k = 0;
    for (;;) {
        uint32_t c = 2 * k + 1;
        if (c >= heap_len)
            break;
        if (c + 1 < heap_len && earlier(heap[c + 1], heap[c]))
            c++;
        if (!earlier(heap[c], i))
            break;
        heap[k] = heap[c];
        k = c;
    }
    heap[k] = i;
}

static void heap_pop(void)
{
    heap[0] = heap[--heap_len];
    if (heap_len)
        heap_fix_top();
}

static uint32_t overhead(const stream *s)
{
    uint32_t hs = 3 + s->syn_rx, fin = s->fin_rx;
    switch (s->kind) {
    case K_FOURWAY: return hs + 4 + fin;
    case K_MERGED: return hs + 3 + fin;
    case K_SIMUL: return hs + 4;
    case K_HALF: return hs + 4 + fin;
    case K_RST: return hs + 1;
    case K_REFUSED: return 2 + s->syn_rx;
    case K_SYN_TIMEOUT: return 3;
    case K_MIDSTREAM: return 4 + fin;
    case K_OPEN: return hs;
    default: return 1; /* K_LONE_SYN */
    }
}

static int takes_data(const stream *s)
{
    return s->kind != K_REFUSED && s->kind != K_SYN_TIMEOUT && s->kind != K_LONE_SYN;
}

/* Distinct client tuples: client i gets address 10.a.b.c / fd00::i and a port
 * that no other stream with the same address has (for i < 16384 * 28000). */
static void make_tuple(tuple *tp, uint32_t i, uint32_t server_base, uint16_t server_port,
                       double ipv6_share)
{
    uint32_t ip_idx = i % 16384, round = i / 16384;
    uint32_t srv = server_base + rnd_below(32);

    memset(tp, 0, sizeof *tp);
    tp->v6 = (uint8_t)chance(ipv6_share);
    tp->cport = (uint16_t)(32768 + (round * 7919u + ip_idx * 13u) % 28000u);
    tp->sport = server_port;
    if (tp->v6) {
        tp->caddr[0] = 0xfd; tp->caddr[1] = 0x00;
        put32(tp->caddr + 12, 0x0a000000u + ip_idx + 1);
        tp->saddr[0] = 0xfd; tp->saddr[1] = 0x01;
        put32(tp->saddr + 12, srv);
    } else {
        put32(tp->caddr, 0x0a000000u + ((ip_idx + 1) << 2 | 1u)); /* 10.x.y.z, z odd-ish spread */
        put32(tp->saddr, 0xc0a80000u + (srv & 0xffff));
    }
}

static uint16_t win(void) { return (uint16_t)(502 + rnd_below(64000)); }

static int64_t gap_ns(const stream *s, int same_dir)
{
    /* Back-to-back segments of one side: a few microseconds; a turn: about
     * half an RTT. */
    if (same_dir)
        return 1000 + (int64_t)rnd_below(20000);
    return (int64_t)s->rtt_us * 500 + (int64_t)rnd_below(s->rtt_us * 200 + 1);
}

static uint32_t payload_len(int dir)
{
    if (dir == 0)
        return 40 + rnd_below(400); /* requests */
    return chance(0.6) ? 1448 : 1 + rnd_below(1448);
}

/* One data-phase slot: new data, a pure ACK or a retransmission. */
static void data_slot(stream *s, int64_t t, double rexmit, int only_server)
{
    int dir;
    uint32_t len;

    if (only_server) {
        /* half-close: the server sends, the client only acknowledges */
        dir = (s->last_dir == 1 && chance(0.4)) ? 0 : 1;
        if (dir == 0) {
            emit(t, &s->tp, 0, 0x010, s->nxt[0], s->nxt[1], 0, win());
            s->last_dir = 0;
            return;
        }
    } else if (s->last_dir == 0) {
        dir = chance(0.85) ? 1 : 0;
    } else {
        dir = chance(0.55) ? 1 : 0;
    }
    if (s->last_len[dir] && chance(rexmit)) {
        emit(t, &s->tp, dir, 0x018, s->last_seq[dir], s->nxt[!dir], s->last_len[dir], win());
    } else if (dir == 0 && s->last_dir == 1 && chance(0.3)) {
        emit(t, &s->tp, 0, 0x010, s->nxt[0], s->nxt[1], 0, win()); /* pure ACK */
    } else {
        len = payload_len(dir);
        emit(t, &s->tp, dir, len < 1448 ? 0x018 : 0x010, s->nxt[dir], s->nxt[!dir], len, win());
        s->last_seq[dir] = s->nxt[dir];
        s->last_len[dir] = len;
        s->nxt[dir] += len;
    }
    s->last_dir = (uint8_t)dir;
}

static uint32_t *reuse_ring, reuse_head, reuse_tail;
static uint64_t kind_count[K_COUNT], reused_count;

/* Emit the stream's next packet; return 0 when it has no more. */
static int stream_step(stream *s, double rexmit)
{
    int64_t t = s->next_ns;
    int c = s->closer, p = !s->closer;

    switch (s->step) {
    case S_SYN:
        emit(t, &s->tp, 0, 0x002, s->isn[0], 0, 0, 64240);
        s->nxt[0] = s->isn[0] + 1;
        if (s->kind == K_LONE_SYN)
            return 0;
        if (s->kind == K_SYN_TIMEOUT) {
            s->step = S_SYN_RX;
            s->sub = 2;
            s->next_ns = t + 1000000000;
            return 1;
        }
        s->step = s->syn_rx ? S_SYN_RX : S_SYNACK;
        s->sub = 1;
        s->next_ns = t + (s->syn_rx ? 1000000000 : gap_ns(s, 0));
        return 1;
    case S_SYN_RX:
        emit(t, &s->tp, 0, 0x002, s->isn[0], 0, 0, 64240);
        if (--s->sub) {
            s->next_ns = t + 2000000000;
            return 1;
        }
        if (s->kind == K_SYN_TIMEOUT)
            return 0;
        s->step = S_SYNACK;
        s->next_ns = t + gap_ns(s, 0);
        return 1;
    case S_SYNACK:
        if (s->kind == K_REFUSED) {
            emit(t, &s->tp, 1, 0x014, 0, s->nxt[0], 0, 0);
            return 0;
        }
        emit(t, &s->tp, 1, 0x012, s->isn[1], s->nxt[0], 0, 65160);
        s->nxt[1] = s->isn[1] + 1;
        s->step = S_HSACK;
        s->next_ns = t + gap_ns(s, 0);
        return 1;
    case S_HSACK:
        emit(t, &s->tp, 0, 0x010, s->nxt[0], s->nxt[1], 0, win());
        s->last_dir = 0;
        s->step = S_DATA;
        s->next_ns = t + gap_ns(s, 1);
        return 1;
    case S_DATA:
        if (s->data) {
            int prev = s->last_dir;
            data_slot(s, t, rexmit, 0);
            s->data--;
            s->next_ns = t + gap_ns(s, prev == s->last_dir);
            return 1;
        }
        if (s->kind == K_OPEN)
            return 0;
        s->step = S_CLOSE1;
        /* fall through */
    case S_CLOSE1:
        if (s->kind == K_RST) {
            emit(t, &s->tp, c, chance(0.5) ? 0x014 : 0x004, s->nxt[c], s->nxt[p], 0, 0);
            return 0;
        }
        /* the closer's FIN */
        emit(t, &s->tp, c, 0x011, s->nxt[c], s->nxt[p], 0, win());
        s->step = (s->fin_rx && s->kind != K_SIMUL) ? S_FIN_RX : S_CLOSE2;
        s->next_ns = t + (s->step == S_FIN_RX ? 200000000 : s->kind == K_SIMUL ? 3000 : gap_ns(s, 0));
        return 1;
    case S_FIN_RX:
        emit(t, &s->tp, c, 0x011, s->nxt[c], s->nxt[p], 0, win());
        s->step = S_CLOSE2;
        s->next_ns = t + gap_ns(s, 0);
        return 1;
    case S_CLOSE2:
        switch (s->kind) {
        case K_MERGED: /* the peer's FIN+ACK acknowledges the closer's FIN */
            emit(t, &s->tp, p, 0x011, s->nxt[p], s->nxt[c] + 1, 0, win());
            break;
        case K_SIMUL: /* the peer's FIN crosses the closer's: it does not ack it */
            emit(t, &s->tp, p, 0x011, s->nxt[p], s->nxt[c], 0, win());
            break;
        default: /* four-way, half-close, mid-stream: the peer acknowledges the FIN */
            emit(t, &s->tp, p, 0x010, s->nxt[p], s->nxt[c] + 1, 0, win());
            break;
        }
        s->step = (s->kind == K_HALF && s->half_data) ? S_HALF_DATA : S_CLOSE3;
        s->last_dir = 0;
        s->next_ns = t + (s->kind == K_MERGED || s->kind == K_SIMUL ? gap_ns(s, 0)
                                                                     : gap_ns(s, 1) + 1000000);
        return 1;
    case S_HALF_DATA: {
        int prev = s->last_dir;
        /* the client (closer 0) closed; the server still sends */
        s->nxt[0]++; /* the client's FIN counts in what the server acks */
        data_slot(s, t, rexmit, 1);
        s->nxt[0]--;
        if (--s->half_data == 0)
            s->step = S_CLOSE3;
        s->next_ns = t + gap_ns(s, prev == s->last_dir);
        return 1;
    }
    case S_CLOSE3:
        switch (s->kind) {
        case K_MERGED: /* the closer's final ACK */
            emit(t, &s->tp, c, 0x010, s->nxt[c] + 1, s->nxt[p] + 1, 0, win());
            return 0;
        case K_SIMUL: /* the closer acknowledges the peer's FIN */
            emit(t, &s->tp, c, 0x010, s->nxt[c] + 1, s->nxt[p] + 1, 0, win());
            break;
        default: /* the peer's own FIN */
            emit(t, &s->tp, p, 0x011, s->nxt[p], s->nxt[c] + 1, 0, win());
            break;
        }
        s->step = S_CLOSE4;
        s->next_ns = t + (s->kind == K_SIMUL ? 2000 : gap_ns(s, 0));
        return 1;
    case S_CLOSE4:
        if (s->kind == K_SIMUL) /* the peer acknowledges the closer's FIN */
            emit(t, &s->tp, p, 0x010, s->nxt[p] + 1, s->nxt[c] + 1, 0, win());
        else /* the closer's final ACK */
            emit(t, &s->tp, c, 0x010, s->nxt[c] + 1, s->nxt[p] + 1, 0, win());
        return 0;
    default:
        return 0;
    }
}

static int closes(const stream *s)
{
    return s->kind != K_OPEN && s->kind != K_SYN_TIMEOUT && s->kind != K_LONE_SYN;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gen_capture [-n SEGMENTS] [-c STREAMS] [-s SEED] [--concurrency K]\n"
            "                   [--rexmit P] [--reuse P] [--ipv6 P] [--snaplen BYTES]\n"
            "                   [--server-port PORT] [--mix a,b,c,d,e,f,g,h,i]\n"
            "                   [--syn-flood N] -o OUT.pcap\n"
            "  --mix: percent shares of four-way, merged-3way, simultaneous, half-close,\n"
            "         rst-abort, refused, syn-timeout, midstream, left-open\n");
    exit(2);
}

static double num_arg(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end) {
        fprintf(stderr, "gen_capture: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    uint64_t segments = 100000, seed = 1, flood = 0;
    uint32_t concurrency = 2000;
    double rexmit = 0.02, reuse = 0.05, ipv6 = 0.10;
    uint16_t server_port = 5201;
    const char *path = NULL;
    static char obuf[1 << 20];

    nstreams = 10000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v && strcmp(a, "-h") && strcmp(a, "--help"))
            usage();
        if (!strcmp(a, "-n")) segments = (uint64_t)num_arg(v);
        else if (!strcmp(a, "-c")) nstreams = (uint32_t)num_arg(v);
        else if (!strcmp(a, "-s")) seed = (uint64_t)num_arg(v);
        else if (!strcmp(a, "-o")) path = v;
        else if (!strcmp(a, "--concurrency")) concurrency = (uint32_t)num_arg(v);
        else if (!strcmp(a, "--rexmit")) rexmit = num_arg(v);
        else if (!strcmp(a, "--reuse")) reuse = num_arg(v);
        else if (!strcmp(a, "--ipv6")) ipv6 = num_arg(v);
        else if (!strcmp(a, "--snaplen")) snaplen = (unsigned)num_arg(v);
        else if (!strcmp(a, "--server-port")) server_port = (uint16_t)num_arg(v);
        else if (!strcmp(a, "--syn-flood")) flood = (uint64_t)num_arg(v);
        else if (!strcmp(a, "--mix")) {
            char *dup = strdup(v), *tok, *save = NULL;
            int k = 0;
            for (tok = strtok_r(dup, ",", &save); tok && k < K_LONE_SYN; tok = strtok_r(NULL, ",", &save))
                kind_share[k++] = num_arg(tok);
            if (k != K_LONE_SYN)
                usage();
            free(dup);
        } else
            usage();
        i++;
    }
    if (!path || snaplen < 64 || snaplen > 65535)
        usage();
    out = strcmp(path, "-") ? fopen(path, "wb") : stdout;
    if (!out) {
        fprintf(stderr, "gen_capture: %s: %s\n", path, strerror(errno));
        return 1;
    }
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
    if (!rng_state)
        rng_state = 1;
    for (int i = 0; i < 8; i++)
        rnd();
    write_header();

    if (flood) {
        /* N distinct tuples: 10.0.0.0/8 sources (all but .0/.255), ports 1024+ */
        tuple tp;
        int64_t t = 1700000000LL * 1000000000;
        memset(&tp, 0, sizeof tp);
        put32(tp.saddr, 0xc0a80001u);
        tp.sport = server_port;
        for (uint64_t i = 0; i < flood; i++) {
            uint32_t host = (uint32_t)(i % 16000000u), port = (uint32_t)(i / 16000000u);
            put32(tp.caddr, 0x0a000000u + host + 1);
            tp.cport = (uint16_t)(1024 + (port * 4099u + (uint32_t)rnd_below(16)) % 64000u);
            emit(t, &tp, 0, 0x002, (uint32_t)rnd(), 0, 0, 1024);
            t += 1000;
        }
        fflush(out);
        fprintf(stderr, "gen_capture: %s: %" PRIu64 " SYNs from distinct tuples, %" PRIu64
                " bytes\n", path, written_packets, written_bytes + 24);
        return ferror(out) || (out != stdout && fclose(out)) ? 1 : 0;
    }

    if (nstreams == 0 || segments < nstreams) {
        fprintf(stderr, "gen_capture: need at least one segment per stream\n");
        return 2;
    }
    st = calloc(nstreams, sizeof *st);
    heap = malloc(sizeof *heap * nstreams);
    reuse_ring = malloc(sizeof *reuse_ring * nstreams);
    if (!st || !heap || !reuse_ring) {
        fprintf(stderr, "gen_capture: out of memory\n");
        return 1;
    }

    /* Plan: kinds, overheads, then the data slots that make exactly `segments`. */
    double share_sum = 0;
    for (int k = 0; k < K_LONE_SYN; k++)
        share_sum += kind_share[k];
    uint64_t over = 0, capable = 0;
    double dur_sum = 0;
    for (uint32_t i = 0; i < nstreams; i++) {
        stream *s = &st[i];
        double x = rnd01() * share_sum;
        int k = 0;
        while (k < K_LONE_SYN - 1 && x >= kind_share[k])
            x -= kind_share[k++];
        s->kind = (uint8_t)k;
        s->syn_rx = (uint8_t)(k != K_MIDSTREAM && k != K_SYN_TIMEOUT && chance(0.02));
        s->fin_rx = (uint8_t)((k == K_FOURWAY || k == K_MERGED || k == K_HALF || k == K_MIDSTREAM) &&
                              chance(0.01));
        s->closer = (uint8_t)((k == K_FOURWAY || k == K_MERGED || k == K_RST || k == K_MIDSTREAM ||
                               k == K_SIMUL) && chance(0.3));
        /* RTT: log-uniform, 50 us .. 200 ms */
        s->rtt_us = (uint32_t)(50.0 * exp(rnd01() * log(4000.0)));
        s->isn[0] = (uint32_t)rnd();
        s->isn[1] = (uint32_t)rnd();
        over += overhead(s);
        capable += takes_data(s);
    }
    while (over > segments) {
        /* too few segments: cheapest stream kind for random streams */
        stream *s = &st[rnd_below(nstreams)];
        if (s->kind == K_LONE_SYN)
            continue;
        over -= overhead(s);
        capable -= takes_data(s);
        s->kind = K_LONE_SYN;
        s->syn_rx = s->fin_rx = 0;
        over += overhead(s);
    }
    uint64_t budget = segments - over;
    if (budget && !capable) {
        /* only lone SYNs left: make one stream left-open to take the data */
        stream *s = &st[0];
        over -= overhead(s);
        s->kind = K_OPEN;
        s->syn_rx = 0;
        over += overhead(s);
        capable = 1;
        if (over > segments) {
            fprintf(stderr, "gen_capture: too few segments for these streams\n");
            return 2;
        }
        budget = segments - over;
    }
    if (budget) {
        /* heavy-tailed share of the data per stream (exponential weights) */
        double *w = malloc(sizeof *w * nstreams), wsum = 0;
        uint64_t given = 0;
        if (!w)
            return 1;
        for (uint32_t i = 0; i < nstreams; i++) {
            w[i] = takes_data(&st[i]) ? rnd_exp(1.0) * (chance(0.05) ? 8.0 : 1.0) : 0;
            wsum += w[i];
        }
        for (uint32_t i = 0; i < nstreams; i++) {
            uint64_t d = (uint64_t)((double)budget * w[i] / wsum);
            if (d > 0xffffff00u)
                d = 0xffffff00u;
            st[i].data = (uint32_t)d;
            given += d;
        }
        while (given < budget) {
            uint32_t i = rnd_below(nstreams);
            if (takes_data(&st[i])) {
                st[i].data++;
                given++;
            }
        }
        free(w);
    }
    for (uint32_t i = 0; i < nstreams; i++) {
        stream *s = &st[i];
        if (s->kind == K_HALF) {
            s->half_data = s->data / 2;
            s->data -= s->half_data;
        }
        dur_sum += (double)(overhead(s) + s->data + s->half_data) * s->rtt_us * 0.5 +
                   (s->syn_rx ? 1e6 : 0) + (s->kind == K_SYN_TIMEOUT ? 3e6 : 0);
        kind_count[s->kind]++;
    }
    /* Poisson arrivals with `concurrency` streams open on average. */
    double mean_gap_ns = dur_sum / nstreams * 1000.0 / (concurrency ? concurrency : 1);
    double arrival = 1700000000.0 * 1e9;
    uint32_t next_new = 0;
    uint64_t total_planned = over + budget;

    while (next_new < nstreams || heap_len) {
        if (next_new < nstreams && (!heap_len || (int64_t)arrival <= st[heap[0]].next_ns)) {
            stream *s = &st[next_new];
            if (reuse > 0 && s->kind != K_MIDSTREAM && reuse_head != reuse_tail && chance(reuse)) {
                s->tp = st[reuse_ring[reuse_head]].tp;
                reuse_head = (reuse_head + 1) % nstreams;
                s->reused = 1;
                reused_count++;
            } else {
                make_tuple(&s->tp, next_new, 0x00000001u, server_port, ipv6);
            }
            s->next_ns = (int64_t)arrival;
            if (s->kind == K_MIDSTREAM) {
                s->nxt[0] = s->isn[0] + 1 + rnd_below(100000);
                s->nxt[1] = s->isn[1] + 1 + rnd_below(1000000);
                s->last_dir = 1;
                s->step = S_DATA;
            }
            heap_push(next_new++);
            arrival += rnd_exp(mean_gap_ns);
            continue;
        }
        uint32_t i = heap[0];
        if (stream_step(&st[i], rexmit)) {
            heap_fix_top();
        } else {
            heap_pop();
            if (closes(&st[i])) {
                reuse_ring[reuse_tail] = i;
                reuse_tail = (reuse_tail + 1) % nstreams;
            }
        }
    }
    fflush(out);
    fprintf(stderr, "gen_capture: %s: %" PRIu64 " segments (planned %" PRIu64 "), %u streams "
            "(%" PRIu64 " reuse a closed tuple), %" PRIu64 " bytes, %.3f s of traffic\n",
            path, written_packets, total_planned, nstreams, reused_count, written_bytes + 24,
            (arrival - 1700000000.0 * 1e9) / 1e9);
    fprintf(stderr, "gen_capture: kinds:");
    for (int k = 0; k < K_COUNT; k++)
        if (kind_count[k])
            fprintf(stderr, " %s=%" PRIu64, kind_name[k], kind_count[k]);
    fprintf(stderr, "\n");
    if (written_packets != total_planned) {
        fprintf(stderr, "gen_capture: internal error: wrote %" PRIu64 " of %" PRIu64 "\n",
                written_packets, total_planned);
        return 1;
    }
    return ferror(out) || (out != stdout && fclose(out)) ? 1 : 0;
}
