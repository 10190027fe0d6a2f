/*
 * libFuzzer harness for the tcpstate core (core/): the input bytes are a
 * sequence of segment records, in any order and with any values; every
 * record is fed to the RFC 9293 tracker (ts_conn_track), to the wire
 * bookkeeping (ts_wire_track) and to the Zeek view (ts_zeek_track) of one
 * connection, and every text of every result - the summary, each Why line
 * (ts_explain_line) and each expert note (ts_note_text), in each language,
 * into buffers of several sizes - is checked against TS_TEXT_MAX, the one
 * buffer size the plugin uses, and for UTF-8 cut at a character boundary;
 * the results are checked:
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

#include "explain.h"
#include "notes.h"
#include "refs.h"
#include "tcpstate_core.h"
#include "wire.h"
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
 *   0..1  flags (12 bits used; the top bits pick from_first, bad_checksum and a
 *         Timestamps option: TSval the time in ms, TSecr that minus byte 19,
 *         so that echoes older and newer than a repeat's both occur)
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
    if (f & 0x4000) {
        seg->has_ts = 1;
        seg->tsval = (uint32_t)(*now / 1000000);
        seg->tsecr = seg->tsval - (uint32_t)(int8_t)r[19] * 7u;
    }
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

/* One text at every buffer size: it fits TS_TEXT_MAX (the plugin's buffers:
 * no cut sentence), is valid UTF-8, and a smaller buffer gets a prefix cut at
 * a character boundary, never written past its size. `write` renders the
 * text into (buf, size) and returns the length it needs. */
typedef size_t (*text_fn)(const void *ctx, char *buf, size_t size);

static void check_text(text_fn write, const void *ctx, int may_be_empty)
{
    static char full[4096], small[4096];
    static const size_t sizes[] = { 0, 1, 3, 4, 64, 240 };
    size_t need = write(ctx, full, sizeof full);

    CHECK(may_be_empty || need > 0);
    CHECK(need < TS_TEXT_MAX);
    CHECK(strlen(full) == need);
    CHECK(valid_utf8(full, need));
    if (!need)
        return;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t sz = sizes[i];
        memset(small, 0x55, sizeof small);
        CHECK(write(ctx, sz ? small : NULL, sz) == need);
        if (sz) {
            size_t got = strlen(small);
            CHECK(got < sz);
            CHECK(memcmp(small, full, got) == 0);
            CHECK(valid_utf8(small, got));
            /* cut only where the next character would not fit */
            CHECK(got == need || got + 4 > sz - 1);
        }
        CHECK(sz == 0 || (unsigned char)small[sz] == 0x55);
    }
}

typedef struct {
    const ts_result *r;
    const ts_explain_input *in;
    ts_language lang;
    int which;
    unsigned msl_s;
} text_ctx;

static size_t write_summary(const void *ctx, char *buf, size_t size)
{
    const text_ctx *c = ctx;
    return ts_describe_in(c->r, c->lang, buf, size);
}

static size_t write_why(const void *ctx, char *buf, size_t size)
{
    const text_ctx *c = ctx;
    return ts_explain_line(c->r, c->in, c->lang, (ts_why)c->which, buf, size);
}

static size_t write_note(const void *ctx, char *buf, size_t size)
{
    const text_ctx *c = ctx;
    return ts_note_text(c->r, (ts_note)c->which, c->lang, c->msl_s, buf, size);
}

static void check_texts(const ts_result *r, const ts_explain_input *in, unsigned msl_s)
{
    static char buf[TS_TEXT_MAX];

    for (int lang = 0; lang < TS_LANG_COUNT; lang++) {
        text_ctx c = { r, in, (ts_language)lang, 0, msl_s };
        check_text(write_summary, &c, 0);
        for (c.which = 0; c.which < TS_WHY_COUNT; c.which++)
            check_text(write_why, &c, 1);
        for (c.which = 0; c.which < TS_NOTE_COUNT; c.which++)
            check_text(write_note, &c, 1);
    }
    CHECK(ts_describe(r, buf, sizeof buf) == strlen(buf));
}

/* The values the Why lines explain, kept and built with the plugin's calls
 * (core/refs.c): each side's base, its SYN and FIN frames, TIME-WAIT entry
 * times, the wire bookkeeping; the port-reuse values and whether the wire
 * bookkeeping is known are drawn from the record's spare byte so every
 * branch is reached. */
typedef struct {
    ts_explain_input in;
    ts_wire wire;
    ts_wire_info wire_info;
    ts_refs refs;
    uint32_t frame;
} text_state;

static void explain_state(text_state *ts, const ts_conn *conn, const ts_config *cfg,
                          const ts_segment *seg, const ts_result *r, uint8_t spare)
{
    ts_explain_input *in = &ts->in;
    ts_segment_records rec;
    unsigned s = r->sender & 1u;

    ts->frame++;
    ts_wire_track(&ts->wire, seg, s, (r->events & TS_EV_NEW_CONNECTION) != 0, ts->frame,
                  &ts->wire_info);
    ts_refs_track(&ts->refs, conn, seg, r, ts->frame);
    memset(&rec, 0, sizeof rec);
    rec.result = r;
    rec.seq = seg->seq;
    rec.ack = seg->ack;
    rec.frame = ts->frame;
    rec.time_ns = seg->time_ns;
    rec.msl_ns = cfg->msl_ns;
    rec.refs = &ts->refs;
    rec.wire = (spare & 0x80) == 0 ? &ts->wire_info : NULL;
    ts_explain_input_of(&rec, in);
    in->reuse = (spare & 0x40) != 0 && (r->flags & TS_SYN);
    in->reuse_stream = spare;
    in->reuse_old_open = spare & 1;
    in->reuse_in_tw[0] = (spare >> 1) & 1;
    in->reuse_in_tw[1] = (spare >> 2) & 1;
    in->reuse_tw_left_ns[0] = (spare & 8) ? cfg->msl_ns : -cfg->msl_ns;
    in->reuse_tw_left_ns[1] = (int64_t)spare * 1000000000LL - 100000000000LL;
}

#if TCPSTATE_FUZZ_HAVE_ZEEK
static void check_zeek(const ts_zeek *z, const ts_zeek_result *zr, uint16_t *last_index)
{
    static const char letters[] = "SHADFRCTWIQGshadfrctwiqg^";
    CHECK(zr->conn_state < TS_ZEEK_CONN_STATE_COUNT);
    CHECK(strcmp(ts_zeek_conn_state_name(zr->conn_state), "?") != 0);
    CHECK(zr->history_len <= TS_ZEEK_HISTORY_MAX);
    CHECK(z->history[TS_ZEEK_HISTORY_MAX] == 0);
    CHECK(strlen(z->history) == zr->history_len);
    for (unsigned i = 0; i < zr->history_len; i++)
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
    static text_state ts;
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
    memset(&ts, 0, sizeof ts);
    ts_wire_init(&ts.wire);
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
        explain_state(&ts, &conn, &cfg, &seg, &r, data[seg_index * RECORD_SIZE + 19]);
        check_texts(&r, &ts.in, (unsigned)(cfg.msl_ns / 1000000000));
#if TCPSTATE_FUZZ_HAVE_ZEEK
        memset(&zr, 0xa5, sizeof zr);
        ts_zeek_track(&z, &seg, &zr);
        check_zeek(&z, &zr, &last_index);
#endif
    }
    return 0;
}
