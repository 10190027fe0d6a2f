/*
 * libFuzzer harness for the tcpstate core (core/): the input bytes are a
 * sequence of segment records, in any order and with any values; every
 * record is fed to the RFC 9293 tracker (ts_conn_track) and to the Zeek view
 * (ts_zeek_track) of one connection, and every result is described
 * (ts_describe, in each language, into buffers of several sizes) and checked:
 * enum values in range, steps and totals that exist, the history string
 * consistent with its length and made of Zeek's letters, the summary
 * NUL-terminated, the same text whatever the buffer size, as long as
 * ts_describe says.
 *
 * Input layout: byte 0 picks the MSL (0 = 1 ns, 1..255 = that many seconds ×
 * 250 ms); then records of RECORD_SIZE bytes, a short tail is ignored.
 *
 *   tests/fuzz/run.sh [SECONDS]       builds it with clang and runs it
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcpstate_core.h"
#if TCPSTATE_FUZZ_HAVE_ZEEK
#include "zeek.h"
#endif

#define RECORD_SIZE 20

/* A broken invariant: print it and abort (libFuzzer saves the input). */
#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "fuzz_core: check failed at %s:%d: %s (segment %zu)\n", __FILE__, \
                    __LINE__, #cond, seg_index);                                            \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

static size_t seg_index;

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Segment record (RECORD_SIZE bytes):
 *   0..1  flags (12 bits used; the top bits pick from_first and bad_checksum)
 *   2..5  seq       6..9 ack
 *  10..11 len (bits 0..13; bit 14 set: len = seq-ack distance mod 2^16 for wrap cases)
 *  12..13 window   14..15 time step in microseconds (bit 15: times 2^15 -> big jumps)
 *  16..17 sport-ish: 0 = same ports as the first record, else swap/odd ports
 *  18     seq mode: 0 raw, 1 = seq relative to the previous segment of the same
 *         direction (so the fuzzer can build coherent connections), 2 = ack
 *         relative to the peer's last seq + len
 *  19     reserved (mixed into seq/ack low bits)
 */
static void decode(const uint8_t *r, ts_segment *seg, int64_t *now, uint32_t last_end[2],
                   uint16_t ports[2])
{
    uint16_t f = rd16(r);
    uint16_t step = rd16(r + 14);
    unsigned dir;

    memset(seg, 0, sizeof *seg);
    seg->flags = (uint16_t)(f & 0x1ff);
    seg->from_first = (uint8_t)((f >> 12) & 1);
    seg->bad_checksum = (uint8_t)((f >> 13) & 1);
    dir = seg->from_first ? 0 : 1;
    seg->seq = rd32(r + 2);
    seg->ack = rd32(r + 6);
    seg->len = rd16(r + 10) & 0x3fff;
    seg->window = rd16(r + 12);
    switch (r[18] % 4) {
    case 1:
        seg->seq = last_end[dir] + (r[19] & 3);
        seg->ack = last_end[!dir] + (r[19] >> 6);
        break;
    case 2:
        seg->ack = last_end[!dir] + (r[19] & 1);
        break;
    case 3:
        seg->seq ^= r[19];
        break;
    default:
        break;
    }
    /* Time: usually forward; bit 15 makes big jumps (TIME-WAIT expiry), 0xffff
     * goes back in time (clock steps in real captures). */
    if (step == 0xffff)
        *now -= 1000000000;
    else if (step & 0x8000)
        *now += (int64_t)(step & 0x7fff) << 32;
    else
        *now += (int64_t)step * 1000;
    seg->time_ns = *now;
    if (rd16(r + 16) == 0) {
        seg->sport = dir ? ports[1] : ports[0];
        seg->dport = dir ? ports[0] : ports[1];
    } else {
        seg->sport = rd16(r + 16);
        seg->dport = (uint16_t)(rd16(r + 16) ^ r[19]);
    }
    last_end[dir] = seg->seq + seg->len + ((seg->flags & TS_SYN) ? 1 : 0) +
                    ((seg->flags & TS_FIN) ? 1 : 0);
}

static int valid_state(unsigned s) { return s < TS_STATE_COUNT; }

static void check_result(const ts_segment *seg, const ts_result *r)
{
    CHECK(r->sender <= 1);
    CHECK(r->role < TS_ROLE_COUNT);
    CHECK(r->phase < TS_PHASE_COUNT);
    CHECK(valid_state(r->prev[0]) && valid_state(r->prev[1]));
    CHECK(valid_state(r->state[0]) && valid_state(r->state[1]));
    CHECK(r->step <= 4);
    CHECK(r->step_total == 0 || r->step_total == 3 || r->step_total == 4);
    CHECK(!r->step_total || r->step <= r->step_total);
    CHECK(r->rst_kind < TS_RST_COUNT);
    CHECK(r->corrected <= 3);
    CHECK(r->assumed <= 1);
    /* -1 = no RTT; never negative, even when the capture's clock steps back
     * (found by this harness; the tracker then reports none) */
    CHECK(r->handshake_rtt_ns >= -1);
    CHECK(r->len == seg->len);
    CHECK(r->flags == seg->flags);
    if (r->role != TS_ROLE_RST)
        CHECK(r->rst_kind == TS_RST_NONE);
    CHECK(strcmp(ts_role_name(r->role), "?") != 0);
    CHECK(strcmp(ts_phase_name(r->phase), "?") != 0);
    CHECK(strcmp(ts_state_name(r->state[0]), "?") != 0);
    CHECK(strcmp(ts_side_name(r->sender), "?") != 0);
    /* the steps belong to milestones */
    if (r->step)
        CHECK(ts_role_is_handshake(r->role) || ts_role_is_teardown(r->role));
}

/* A valid UTF-8 string (the summary goes into an FT_STRING field). */
static int valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i], k;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0)
            k = 1;
        else if ((c & 0xf0) == 0xe0)
            k = 2;
        else if ((c & 0xf8) == 0xf0)
            k = 3;
        else
            return 0;
        if (i + k >= n + 1)
            return 0;
        for (unsigned j = 1; j <= k; j++)
            if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

static void check_describe(const ts_result *r)
{
    static char full[4096], small[4096];
    static const size_t sizes[] = { 0, 1, 2, 7, 64, 200 };

    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        size_t need = ts_describe_in(r, (ts_language)lang, full, sizeof full);
        CHECK(need > 0 && need < sizeof full);
        /* it fits the plugin's buffer (plugin/render.c SUMMARY_MAX 512): no cut sentence */
        CHECK(need < 512);
        CHECK(strlen(full) == need);
        CHECK(valid_utf8(full, need));
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            size_t sz = sizes[i];
            memset(small, 0x55, sizeof small);
            CHECK(ts_describe_in(r, (ts_language)lang, sz ? small : NULL, sz) == need);
            if (sz) {
                size_t got = strlen(small);
                CHECK(got < sz);
                CHECK(memcmp(small, full, got) == 0);
            }
            /* nothing written past the given size */
            CHECK(sz == 0 || (unsigned char)small[sz] == 0x55);
        }
    }
    CHECK(ts_describe(r, full, sizeof full) == strlen(full));
}

#if TCPSTATE_FUZZ_HAVE_ZEEK
static void check_zeek(const ts_zeek *z, const ts_zeek_result *zr, uint16_t *last_index)
{
    static const char letters[] = "SHADFRCTWIQGshadfrctwiqg^";
    CHECK(zr->conn_state < TS_ZEEK_CONN_STATE_COUNT);
    CHECK(strcmp(ts_zeek_conn_state_name(zr->conn_state), "?") != 0);
    CHECK(zr->history_len <= TS_ZEEK_HISTORY_MAX);
    CHECK(z->history_len == zr->history_len);
    CHECK(z->history[TS_ZEEK_HISTORY_MAX] == 0);
    CHECK(strlen(z->history) == z->history_len);
    for (unsigned i = 0; i < z->history_len; i++)
        CHECK(strchr(letters, z->history[i]) != NULL);
    CHECK(zr->version == z->version);
    CHECK(zr->conn_index == z->conn_index);
    CHECK(zr->conn_index >= *last_index || zr->conn_index == 0);
    CHECK(!zr->new_conn || zr->conn_index != *last_index || zr->conn_index == 0);
    *last_index = zr->conn_index;
    CHECK(z->orig <= 1);
    CHECK(z->ep[0].state <= TS_ZEEK_RESET && z->ep[1].state <= TS_ZEEK_RESET);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_conn conn;
    ts_config cfg;
    ts_segment seg;
    ts_result r;
    int64_t now = 1700000000LL * 1000000000;
    uint32_t last_end[2] = { 0, 0 };
    uint16_t ports[2] = { 40000, 6302 };
#if TCPSTATE_FUZZ_HAVE_ZEEK
    ts_zeek z;
    ts_zeek_result zr;
    uint16_t last_index = 0;
#endif

    if (size < 1)
        return 0;
    cfg.msl_ns = data[0] ? (int64_t)data[0] * 250000000 : 1;
    ts_conn_init(&conn);
#if TCPSTATE_FUZZ_HAVE_ZEEK
    ts_zeek_init(&z);
#endif
    data++;
    size--;
    for (seg_index = 0; (seg_index + 1) * RECORD_SIZE <= size; seg_index++) {
        decode(data + seg_index * RECORD_SIZE, &seg, &now, last_end, ports);
        memset(&r, 0xa5, sizeof r); /* any field the tracker forgets shows up in the checks */
        ts_conn_track(&conn, &cfg, &seg, &r);
        check_result(&seg, &r);
        check_describe(&r);
#if TCPSTATE_FUZZ_HAVE_ZEEK
        memset(&zr, 0xa5, sizeof zr);
        ts_zeek_track(&z, &seg, &zr);
        check_zeek(&z, &zr, &last_index);
#endif
    }
    return 0;
}
