/*
 * Zeek's conn_state and history for one TCP stream.
 *
 * This follows Zeek (zeek/zeek a13de64f, 9.1.0-dev) packet by packet:
 *
 *   - IPBasedAnalyzer::AnalyzePacket / NewConn and TCPAnalyzer::WantConnection
 *     (src/packet_analysis/protocol/{ip/IPBasedAnalyzer.cc,tcp/TCP.cc}): which
 *     packet starts a Zeek connection and who its originator is;
 *   - TCPSessionAdapter::IsReuse: a SYN that starts a new connection on the tuple;
 *   - TCPAnalyzer::DeliverPacket / ValidateChecksum: bad checksums ('c');
 *   - TCPSessionAdapter::Process and the static helpers around it
 *     (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc): sequence
 *     bookkeeping, update_history, update_window ('w'), update_last_seq ('t'),
 *     the endpoint state machine, ConnectionClosed and the timers;
 *   - TCP_Endpoint (src/analyzer/protocol/tcp/TCP_Endpoint.cc): CheckHistory
 *     with the late flip, SetState, Size, Gap;
 *   - TCP_Reassembler and Reassembler (src/analyzer/protocol/tcp/
 *     TCP_Reassembler.cc, src/Reassem.cc): DataSent, AckReceived, Undelivered
 *     and Trim, as far as they decide content gaps ('g');
 *   - Session/Connection (src/session/Session.{h,cc}, src/Conn.cc):
 *     CheckHistory, ScaledHistoryEntry, FlipRoles, the inactivity timer;
 *   - scripts/base/protocols/conn/main.zeek (conn_state) and inactivity.zeek.
 *
 * Zeek's run loop is modelled as: network time = the latest capture time seen;
 * before each packet, every timer due by then fires (RunState dispatch_packet
 * -> expire_timers); then the packet is looked up (reuse), checksummed and
 * processed. The code is written from reading Zeek, not copied from it.
 *
 * Not modelled (docs/zeek.md): the reassembler's byte contents beyond one
 * buffered range per direction, its 10 MiB limit and the close deferral
 * while data is pending; analyzer-dependent behaviour ('X',
 * service-based inactivity timeouts other than the port rule), broadcast
 * responders, and Zeek's handlers that base scripts do not define
 * (connection_reset, connection_partial_close timers).
 */
#include "zeek.h"

#include <string.h>

/* The plugin keeps one ts_zeek per stream (a capture may have a million):
 * it is packed (zeek.h; the timers, the clock and counters below), 204 bytes
 * on x86_64 (176 before the content-gap model's 4 words per endpoint; 216
 * while it kept the history's length beside the NUL-terminated history, 208
 * while it kept the last packet's time in 8 bytes and needed 8-byte
 * alignment). */
_Static_assert(sizeof(ts_zeek) <= 204, "ts_zeek grew: it is kept once per TCP stream");

#define NS_PER_S ((int64_t)1000000000)

/* scripts/base/init-bare.zeek defaults. */
#define TCP_SYN_TIMEOUT_NS (5 * NS_PER_S)        /* tcp_SYN_timeout */
#define TCP_SESSION_TIMER_NS (6 * NS_PER_S)      /* tcp_session_timer */
#define TCP_CONNECTION_LINGER_NS (5 * NS_PER_S)  /* tcp_connection_linger */
#define TCP_ATTEMPT_DELAY_NS (5 * NS_PER_S)      /* tcp_attempt_delay */
#define TCP_CLOSE_DELAY_NS (5 * NS_PER_S)        /* tcp_close_delay */
#define TCP_INACTIVITY_NS (300 * NS_PER_S)       /* tcp_inactivity_timeout */
#define UDP_INACTIVITY_NS (60 * NS_PER_S)        /* udp_inactivity_timeout (TCP's first timeout) */
/* scripts/base/protocols/conn/inactivity.zeek: port_inactivity_timeouts. */
#define SERVICE_INACTIVITY_NS (3600 * NS_PER_S)

/* TCPSessionAdapter.cc TOO_LARGE_SEQ_DELTA. */
#define TOO_LARGE_SEQ_DELTA 1048576

/* init-bare.zeek tcp_max_above_hole_without_any_acks. */
#define MAX_ABOVE_HOLE_WITHOUT_ACKS 16384u

/* The adapter's first_packet_seen bits, by role (ts_zeek.first_seen). */
enum { SEEN_ORIG = 1, SEEN_RESP = 2 };

/* TCP_Endpoint::HistoryMasks. Zeek shifts the responder's bits by 16; here
 * by 8, so both roles fit ts_zeek.hist_seen (16 bits). */
enum {
    HIST_SYN_PKT = 0x1,
    HIST_FIN_PKT = 0x2,
    HIST_RST_PKT = 0x4,
    HIST_FIN_RST_PKT = 0x8,
    HIST_DATA_PKT = 0x10,
    HIST_ACK_PKT = 0x20,
    HIST_MULTI_FLAG_PKT = 0x40
};

/* States of the RSTOS0 pattern of conn/main.zeek conn_state, the Zeek regex
 * ^?S[^HAFGIQ]*R.* (an optional flip mark, an originator SYN, no H A F G I Q,
 * then an originator RST), matched against the whole history, letters past
 * the cap included. */
enum { PAT_START = 0, PAT_FLIPPED, PAT_AFTER_S, PAT_MATCHED, PAT_DEAD };

/*
 * Zeek's default (full mode) TCP likely_server_ports: the server ports that
 * the base/protocols scripts loaded by base/init-default.zeek pass to
 * Analyzer::register_for_ports (the only way base scripts fill the set).
 * Sorted, for a binary search.
 */
static const uint16_t likely_server_ports[] = {
    21,    /* ftp */
    22,    /* ssh */
    25,    /* smtp */
    53,    /* dns */
    79,    /* finger */
    80,    /* http */
    81,    /* http */
    88,    /* krb */
    135,   /* dce-rpc */
    139,   /* smb */
    143,   /* imap */
    389,   /* ldap */
    443,   /* ssl */
    445,   /* smb */
    465,   /* ssl */
    502,   /* modbus */
    514,   /* syslog */
    563,   /* ssl */
    585,   /* ssl */
    587,   /* smtp */
    614,   /* ssl */
    631,   /* http */
    636,   /* ssl */
    989,   /* ssl */
    990,   /* ssl */
    992,   /* ssl */
    993,   /* ssl */
    995,   /* ssl */
    1080,  /* http, socks */
    1434,  /* mysql */
    1883,  /* mqtt */
    2811,  /* ftp */
    3128,  /* http */
    3268,  /* ldap */
    3306,  /* mysql */
    3389,  /* rdp */
    5222,  /* xmpp */
    5223,  /* ssl */
    5269,  /* xmpp */
    5432,  /* postgresql */
    6379,  /* redis */
    6666,  /* irc */
    6667,  /* irc */
    6668,  /* irc */
    6669,  /* irc */
    8000,  /* http */
    8080,  /* http */
    8888,  /* http */
    20000, /* dnp3 */
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* What one packet's processing needs besides the ts_zeek. */
typedef struct {
    const ts_segment *seg;
    unsigned s;            /* sender's endpoint index */
    int is_orig;           /* sender was the originator when the packet arrived */
    int do_close;          /* Zeek's do_close: call ConnectionClosed */
    int established;       /* connection_established was raised */
} packet;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static int has(const ts_segment *seg, unsigned flag)
{
    return (seg->flags & flag) != 0;
}

/* Zeek's seq_delta: signed difference modulo 2^32. */
static int32_t seq_delta(uint32_t a, uint32_t b)
{
    uint32_t d = a - b;
    return d <= INT32_MAX ? (int32_t)d : -(int32_t)(UINT32_MAX - d) - 1;
}

/* t + d for a delay d >= 0, saturating: capture times are untrusted input. */
static int64_t after(int64_t t, int64_t d)
{
    return t > INT64_MAX - d ? INT64_MAX : t + d;
}

static int is_likely_server_port(uint16_t port)
{
    size_t lo = 0, hi = COUNT_OF(likely_server_ports);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (likely_server_ports[mid] == port)
            return 1;
        if (likely_server_ports[mid] < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static ts_zeek_endpoint *orig_ep(ts_zeek *z)
{
    return &z->ep[z->orig];
}

static ts_zeek_endpoint *resp_ep(ts_zeek *z)
{
    return &z->ep[1 - z->orig];
}

static int is_orig(const ts_zeek *z, unsigned s)
{
    return z->orig == s;
}

/* ------------------------------------------------------------------ */
/* History (Session.h AddHistory/CheckHistory, Session.cc ScaledHistoryEntry) */

static uint8_t pattern_step(uint8_t state, char c)
{
    switch (state) {
    case PAT_START:
        return c == '^' ? PAT_FLIPPED : c == 'S' ? PAT_AFTER_S : PAT_DEAD;
    case PAT_FLIPPED:
        return c == 'S' ? PAT_AFTER_S : PAT_DEAD;
    case PAT_AFTER_S:
        if (c == 'R')
            return PAT_MATCHED;
        return c != '\0' && strchr("HAFGIQ", c) ? PAT_DEAD : PAT_AFTER_S;
    default:
        return state;
    }
}

/* Append one letter; past TS_ZEEK_HISTORY_MAX it is dropped from the string
 * but still counts for the RSTOS0 pattern. */
static void history_add(ts_zeek *z, char c)
{
    size_t n = strlen(z->history);

    z->rstos0 = pattern_step(z->rstos0, c) & 7u;
    if (n < TS_ZEEK_HISTORY_MAX) {
        z->history[n] = c;
        z->history[n + 1] = '\0';
    }
}

static void history_replace(ts_zeek *z, const char *h)
{
    z->history[0] = '\0';
    z->rstos0 = PAT_START;
    while (*h)
        history_add(z, *h++);
    z->version++;
}

static char role_case(const ts_zeek *z, unsigned s, char upper)
{
    return is_orig(z, s) ? upper : (char)(upper - 'A' + 'a');
}

/* TCP_Endpoint::AddHistory: the letter in the sender's current case. */
static void add_letter(ts_zeek *z, unsigned s, char upper)
{
    history_add(z, role_case(z, s, upper));
}

/* Connection::FlipRoles: swap the roles and append '^'. Endpoint data (the
 * counters, last seqs, reassembly) stays with the physical endpoint; the
 * history seen-bits and the letters already written keep their roles. The
 * adapter's FlipRoles swaps its first-packet bits and clears is_partial. */
static void flip_roles(ts_zeek *z)
{
    z->orig = !z->orig;
    z->first_seen = (uint8_t)(((z->first_seen & SEEN_ORIG) ? SEEN_RESP : 0) |
                              ((z->first_seen & SEEN_RESP) ? SEEN_ORIG : 0)) & 3u;
    z->partial = 0;
    history_add(z, '^');
}

/* TCPSessionAdapter::SetFirstPacketSeen. */
static void mark_seen(ts_zeek *z, int orig)
{
    z->first_seen = (z->first_seen | (orig ? SEEN_ORIG : SEEN_RESP)) & 3u;
}

/* TCP_Endpoint::CheckHistory: the late flip, then Connection::CheckHistory.
 * Returns 1 when the letter had already been seen (nothing added). */
static int check_history(ts_zeek *z, unsigned s, unsigned mask, char upper)
{
    if ((upper == 'A' || upper == 'D') && z->history[0] == 'H' && z->history[1] == '\0') {
        /* A connection that began with the originator's SYN-ACK now shows
         * productive traffic: the SYN-ACK sender was the responder. */
        flip_roles(z);
        history_replace(z, "^h");
        mark_seen(z, 1);   /* the SYN-ACK is taken as the originator's first */
    }
    if (!is_orig(z, s))
        mask <<= 8;
    if (z->hist_seen & mask)
        return 1;
    z->hist_seen = (uint16_t)(z->hist_seen | mask);
    add_letter(z, s, upper);
    return 0;
}

/* Session::ScaledHistoryEntry: the letter at the 1st, 10th, 100th... event.
 * Zeek keeps a count and a uint32 threshold that is multiplied by 10 after
 * each letter; when the product wraps it keeps the threshold and restarts the
 * count instead. The thresholds are thus 1, 10, ..., 10^9 and SCALED_LAST
 * (10^10 mod 2^32), and the count is always below the current one, so the
 * count alone gives the threshold (the smallest one above it) until the count
 * is first restarted; SCALED_WRAPPED marks that, the threshold then stays
 * SCALED_LAST. One uint32 per counter in ts_zeek_endpoint. */
#define SCALED_LAST 1410065408u
#define SCALED_WRAPPED 0x80000000u
_Static_assert(SCALED_LAST == (uint32_t)10000000000ull, "10^10 mod 2^32");
_Static_assert((uint32_t)(SCALED_LAST * 10ull) <= SCALED_LAST, "Zeek's threshold stops there");
_Static_assert(SCALED_LAST < SCALED_WRAPPED, "the count fits beside the flag");

/* Is this count (not yet restarted) one of Zeek's thresholds? */
static int scaled_threshold(uint32_t count)
{
    uint32_t t = 1;

    while (t < count && t != SCALED_LAST)
        t *= 10u;   /* wraps from 10^9 to SCALED_LAST, as Zeek's does */
    return t == count;
}

static void scaled_letter(ts_zeek *z, unsigned s, char upper, uint32_t *counter)
{
    uint32_t wrapped = *counter & SCALED_WRAPPED;
    uint32_t count = (*counter & ~SCALED_WRAPPED) + 1;

    *counter = wrapped | count;
    if (wrapped ? count != SCALED_LAST : !scaled_threshold(count))
        return;
    add_letter(z, s, upper);
    if (count == SCALED_LAST)
        *counter = SCALED_WRAPPED;   /* wrapped: Zeek keeps the threshold and restarts the count */
}

/* update_history in TCPSessionAdapter.cc: SYN/FIN/RST letters repeat only
 * with a new relative sequence number; I/Q for odd flag mixes; D and A once. */
static void update_history(ts_zeek *z, const packet *p, uint32_t rel_seq)
{
    const ts_segment *seg = p->seg;
    ts_zeek_endpoint *e = &z->ep[p->s];
    int bits = has(seg, TS_SYN) + has(seg, TS_FIN) + has(seg, TS_RST);

    if (bits > 1) {
        if (has(seg, TS_FIN) && has(seg, TS_RST))
            check_history(z, p->s, HIST_FIN_RST_PKT, 'I');
        else
            check_history(z, p->s, HIST_MULTI_FLAG_PKT, 'Q');
    } else if (has(seg, TS_SYN)) {
        char code = has(seg, TS_ACK) ? 'H' : 'S';
        if (check_history(z, p->s, HIST_SYN_PKT, code) && rel_seq != e->hist_last_syn)
            add_letter(z, p->s, code);
        e->hist_last_syn = rel_seq;
    } else if (has(seg, TS_FIN)) {
        /* A FIN's place is at the end of its data. */
        uint32_t fin_at = rel_seq + seg->len;
        if (check_history(z, p->s, HIST_FIN_PKT, 'F') && fin_at != e->hist_last_fin)
            add_letter(z, p->s, 'F');
        e->hist_last_fin = fin_at;
    } else if (has(seg, TS_RST)) {
        if (check_history(z, p->s, HIST_RST_PKT, 'R') && rel_seq != e->hist_last_rst)
            add_letter(z, p->s, 'R');
        e->hist_last_rst = rel_seq;
    } else if (seg->len > 0) {
        check_history(z, p->s, HIST_DATA_PKT, 'D');
    } else if (has(seg, TS_ACK)) {
        check_history(z, p->s, HIST_ACK_PKT, 'A');
    }
}

/* update_window: a zero window is noted unless on a RST, from a RESET
 * endpoint, or after the peer's FIN (peer CLOSED). Zero is zero at any scale. */
static void check_zero_window(ts_zeek *z, const packet *p)
{
    ts_zeek_endpoint *e = &z->ep[p->s];
    const ts_zeek_endpoint *peer = &z->ep[1 - p->s];

    if (p->seg->window == 0 && !has(p->seg, TS_RST) && peer->state != TS_ZEEK_CLOSED &&
        e->state != TS_ZEEK_RESET)
        scaled_letter(z, p->s, 'W', &e->zero_window);
}

/* ------------------------------------------------------------------ */
/* Timers (Analyzer/Session AddTimer, CancelTimers; TimerMgr::DoAdvance)
 *
 * A pending timer is kept as the time from network_ns to its due time, not
 * as that time: one ts_zeek per stream must stay small. This is exact. Every
 * due time is a capture time already seen plus at most the longest delay
 * (SERVICE_INACTIVITY_NS), and network_ns is the latest capture time seen,
 * so a due time is never more than that delay after network_ns. network_ns
 * never goes back and timers only run at network_ns, so a due time at or
 * before it is due at the next packet whatever its exact value: it is kept
 * as 0. When network_ns advances, every offset shrinks by as much
 * (advance_clock). The exact due times are compared only with network_ns.
 *
 * Slots 0 .. TS_ZEEK_TIMERS-1 hold the adapter's timers, slot TIMER_INACT the
 * session's inactivity timer (there is one at most: it is always cancelled
 * before it is set). ts_zeek.timer_lo has the offsets' low 32 bits; in
 * timer_bits, adapter slot i has its kind in bits 3i..3i+1 and its offset's
 * bit 32 in bit 3i+2 (their delays are below 2^33 ns), and the inactivity
 * slot its offset's bits 32..41 in bits 12..21 ("armed" is
 * ts_zeek.inact_armed). Bits 22..31 are the lag's (below). */
#define TIMER_INACT TS_ZEEK_TIMERS
#define SHORT_OFFSET_MAX (((uint64_t)1 << 33) - 1)
#define LONG_HI_SHIFT (3 * TS_ZEEK_TIMERS)
#define LONG_HI_MASK 0x3FFu
#define LONG_OFFSET_MAX (((uint64_t)LONG_HI_MASK << 32) | UINT32_MAX)
_Static_assert(TCP_SYN_TIMEOUT_NS <= (int64_t)SHORT_OFFSET_MAX &&
                   TCP_SESSION_TIMER_NS <= (int64_t)SHORT_OFFSET_MAX &&
                   TCP_ATTEMPT_DELAY_NS <= (int64_t)SHORT_OFFSET_MAX &&
                   TCP_CLOSE_DELAY_NS <= (int64_t)SHORT_OFFSET_MAX,
               "the adapter's delays fit 33 bits");
_Static_assert(UDP_INACTIVITY_NS <= (int64_t)LONG_OFFSET_MAX &&
                   TCP_INACTIVITY_NS <= (int64_t)LONG_OFFSET_MAX &&
                   SERVICE_INACTIVITY_NS <= (int64_t)LONG_OFFSET_MAX,
               "the inactivity timeouts fit 42 bits");
_Static_assert(TS_ZEEK_TIMER_CONN_DELETE <= 3, "an adapter timer's kind fits 2 bits");

/* The clock. network_ns is kept in two 32-bit halves (zeek.h). The last
 * packet's time (Zeek's last_time, "last" below) is never after network_ns
 * (network time is the latest capture time, and a packet moves it first),
 * and it is only ever used as last + d for one of the delays above, which
 * is then compared with network_ns or made a timer's offset from it
 * (set_inactivity_timeout, expire_removes, fire_timer, connection_closed).
 * So it is kept as the lag network_ns - last, capped at LAG_MAX: with a lag
 * of at least LAG_MAX, last + d is before network_ns for every delay d, and
 * network_ns - LAG_MAX gives the same answers as the exact time (a timer
 * due at once: offset 0; expired: yes). Exact below the cap, which leaves
 * 42 bits: the low 32 in ts_zeek.lag_lo, the high 10 in bits 22..31 of
 * timer_bits. */
#define LAG_SHIFT (LONG_HI_SHIFT + 10)
#define LAG_HI_MASK 0x3FFu
#define LAG_MAX (((uint64_t)LAG_HI_MASK << 32) | UINT32_MAX)
_Static_assert(LAG_SHIFT + 10 == 32, "timer_bits holds the timers and the lag's high bits");
_Static_assert(TCP_SYN_TIMEOUT_NS < (int64_t)LAG_MAX && TCP_SESSION_TIMER_NS < (int64_t)LAG_MAX &&
                   TCP_CONNECTION_LINGER_NS < (int64_t)LAG_MAX &&
                   TCP_ATTEMPT_DELAY_NS < (int64_t)LAG_MAX && TCP_CLOSE_DELAY_NS < (int64_t)LAG_MAX &&
                   UDP_INACTIVITY_NS < (int64_t)LAG_MAX && TCP_INACTIVITY_NS < (int64_t)LAG_MAX &&
                   SERVICE_INACTIVITY_NS < (int64_t)LAG_MAX,
               "every delay added to the last packet's time is below the lag's cap");

static int64_t network_time(const ts_zeek *z)
{
    return (int64_t)((uint64_t)z->network_ns[1] << 32 | z->network_ns[0]);
}

static void set_network_time(ts_zeek *z, int64_t t)
{
    z->network_ns[0] = (uint32_t)(uint64_t)t;
    z->network_ns[1] = (uint32_t)((uint64_t)t >> 32);
}

static uint64_t lag(const ts_zeek *z)
{
    return (uint64_t)(z->timer_bits >> LAG_SHIFT) << 32 | z->lag_lo;
}

static void set_lag(ts_zeek *z, uint64_t l)
{
    if (l > LAG_MAX)
        l = LAG_MAX;
    z->lag_lo = (uint32_t)l;
    z->timer_bits = (z->timer_bits & ~(LAG_HI_MASK << LAG_SHIFT)) | (uint32_t)(l >> 32) << LAG_SHIFT;
}

/* Zeek's last_time (see above: exact, or as good as exact). */
static int64_t last_time(const ts_zeek *z)
{
    return (int64_t)((uint64_t)network_time(z) - lag(z));
}

/* The last packet's time becomes t, which is never after network_ns. */
static void set_last_time(ts_zeek *z, int64_t t)
{
    set_lag(z, (uint64_t)network_time(z) - (uint64_t)t);
}

/* ts_zeek.inactivity: the connection's inactivity timeout, by code. */
enum { INACT_NONE = 0, INACT_UDP, INACT_TCP, INACT_SERVICE };
static const int64_t inactivity_timeout_ns[] = {
    [INACT_NONE] = 0,
    [INACT_UDP] = UDP_INACTIVITY_NS,         /* TCPAnalyzer::MakeSessionAdapter */
    [INACT_TCP] = TCP_INACTIVITY_NS,         /* TCP_Endpoint::SetState */
    [INACT_SERVICE] = SERVICE_INACTIVITY_NS, /* conn/inactivity.zeek */
};

static uint8_t timer_kind(const ts_zeek *z, unsigned i)
{
    if (i == TIMER_INACT)
        return z->inact_armed ? TS_ZEEK_TIMER_INACTIVITY : TS_ZEEK_TIMER_NONE;
    return (uint8_t)((z->timer_bits >> (3 * i)) & 3u);
}

static uint64_t timer_offset(const ts_zeek *z, unsigned i)
{
    uint64_t hi = i == TIMER_INACT ? (z->timer_bits >> LONG_HI_SHIFT) & LONG_HI_MASK
                                   : (z->timer_bits >> (3 * i + 2)) & 1u;
    return hi << 32 | z->timer_lo[i];
}

/* Set slot i (TS_ZEEK_TIMER_NONE frees it); the offset fits the slot. */
static void timer_set(ts_zeek *z, unsigned i, uint8_t kind, uint64_t offset)
{
    uint32_t hi = (uint32_t)(offset >> 32);

    z->timer_lo[i] = (uint32_t)offset;
    if (i == TIMER_INACT) {
        z->timer_bits &= ~(LONG_HI_MASK << LONG_HI_SHIFT);
        z->inact_armed = kind != TS_ZEEK_TIMER_NONE;
        if (kind != TS_ZEEK_TIMER_NONE)
            z->timer_bits |= (hi & LONG_HI_MASK) << LONG_HI_SHIFT;
    } else {
        z->timer_bits &= ~(7u << (3 * i));
        z->timer_bits |= ((kind & 3u) | (hi & 1u) << 2) << (3 * i);
    }
}

/* Network time moves forward to t: every due time comes closer. */
static void advance_clock(ts_zeek *z, int64_t t)
{
    uint64_t step = (uint64_t)t - (uint64_t)network_time(z);
    uint64_t l = lag(z);
    unsigned i;

    for (i = 0; i <= TIMER_INACT; i++) {
        uint8_t kind = timer_kind(z, i);
        uint64_t offset = timer_offset(z, i);
        if (kind != TS_ZEEK_TIMER_NONE)
            timer_set(z, i, kind, offset > step ? offset - step : 0);
    }
    set_lag(z, step < LAG_MAX - l ? l + step : LAG_MAX);   /* the last packet's time stays */
    set_network_time(z, t);
}

static void add_timer(ts_zeek *z, uint8_t kind, int64_t at_ns)
{
    int64_t now = network_time(z);
    uint64_t offset = at_ns > now ? (uint64_t)at_ns - (uint64_t)now : 0;
    size_t i;

    if (kind == TS_ZEEK_TIMER_INACTIVITY) {
        timer_set(z, TIMER_INACT, kind, offset < LONG_OFFSET_MAX ? offset : LONG_OFFSET_MAX);
        return;
    }
    for (i = 0; i < TS_ZEEK_TIMERS; i++) {
        if (timer_kind(z, (unsigned)i) == TS_ZEEK_TIMER_NONE) {
            timer_set(z, (unsigned)i, kind, offset < SHORT_OFFSET_MAX ? offset : SHORT_OFFSET_MAX);
            return;
        }
    }
    /* (The caps above never apply, see the top of this section.) Zeek never
     * has more than 4 of these at once for one connection: an attempt timer
     * for each endpoint that leaves INACTIVE with a SYN as the originator,
     * the first expire timer's chain and one more from the first half close
     * (the second close is a complete one), and after a complete close has
     * cancelled them only its conn-delete timer (a SYN after a close starts
     * a new connection, see is_reuse). A full table cannot happen, and
     * dropping is the safe answer if it did. */
}

static void cancel_timers(ts_zeek *z, uint8_t kind)
{
    unsigned i;

    for (i = 0; i <= TIMER_INACT; i++)
        if (timer_kind(z, i) == kind)
            timer_set(z, i, TS_ZEEK_TIMER_NONE, 0);
}

/* Analyzer::CancelTimers on the TCP adapter: its own timers only; the
 * session's inactivity timer stays. */
static void cancel_adapter_timers(ts_zeek *z)
{
    cancel_timers(z, TS_ZEEK_TIMER_ATTEMPT);
    cancel_timers(z, TS_ZEEK_TIMER_EXPIRE);
    cancel_timers(z, TS_ZEEK_TIMER_CONN_DELETE);
}

/* Session::SetInactivityTimeout: re-arm from the last packet's time. */
static void set_inactivity_timeout(ts_zeek *z, unsigned code)
{
    if (code == z->inactivity)
        return;
    cancel_timers(z, TS_ZEEK_TIMER_INACTIVITY);
    add_timer(z, TS_ZEEK_TIMER_INACTIVITY, after(last_time(z), inactivity_timeout_ns[code]));
    z->inactivity = code & 3u;
}

static int in_handshake(uint8_t state)
{
    return state == TS_ZEEK_INACTIVE || state == TS_ZEEK_SYN_SENT ||
           state == TS_ZEEK_SYN_ACK_SENT;
}

/* AttemptTimer: an unanswered attempt is over. (The adapter's is_active is
 * only cleared together with CancelTimers, so it needs no check here.) */
static int attempt_expired(ts_zeek *z)
{
    const ts_zeek_endpoint *o = orig_ep(z), *r = resp_ep(z);
    return (o->state == TS_ZEEK_SYN_SENT || o->state == TS_ZEEK_SYN_ACK_SENT) &&
           r->state == TS_ZEEK_INACTIVE;
}

/* ExpireTimer: after tcp_connection_linger of silence, a closed (both FIN,
 * one RST, or one side silent) or empty connection is removed. */
static int expire_removes(ts_zeek *z, int64_t now)
{
    const ts_zeek_endpoint *o = orig_ep(z), *r = resp_ep(z);

    if (!(after(last_time(z), TCP_CONNECTION_LINGER_NS) < now))
        return 0;
    if ((o->did_close || r->did_close) &&
        ((o->did_close && r->did_close) || o->state == TS_ZEEK_RESET ||
         r->state == TS_ZEEK_RESET || o->state == TS_ZEEK_INACTIVE ||
         r->state == TS_ZEEK_INACTIVE))
        return 1;
    return o->state == TS_ZEEK_INACTIVE && r->state == TS_ZEEK_INACTIVE;
}

/* Fire one due timer (Dispatch gets the current network time). Returns 1
 * when it removes the connection; re-arms the periodic ones otherwise. */
static int fire_timer(ts_zeek *z, uint8_t kind, int64_t now)
{
    int64_t timeout = inactivity_timeout_ns[z->inactivity];

    switch (kind) {
    case TS_ZEEK_TIMER_ATTEMPT:
        return attempt_expired(z);
    case TS_ZEEK_TIMER_CONN_DELETE:
        return 1;
    case TS_ZEEK_TIMER_EXPIRE:
        if (expire_removes(z, now))
            return 1;
        add_timer(z, TS_ZEEK_TIMER_EXPIRE, after(now, TCP_SESSION_TIMER_NS));
        return 0;
    case TS_ZEEK_TIMER_INACTIVITY:
        if (after(last_time(z), timeout) <= now)
            return 1;
        add_timer(z, TS_ZEEK_TIMER_INACTIVITY, after(last_time(z), timeout));
        return 0;
    default:
        return 0;
    }
}

/* Everything due by network time fires before the packet. No packet comes
 * between them and firing changes nothing they test, so their order does not
 * change the outcome. A timer re-armed here waits for the next packet even
 * if it is due at once (an expire timer when network time is INT64_MAX). */
static int run_timers(ts_zeek *z)
{
    int64_t now = network_time(z);
    unsigned due = 0, i;

    for (i = 0; i <= TIMER_INACT; i++)
        if (timer_kind(z, i) != TS_ZEEK_TIMER_NONE && timer_offset(z, i) == 0)
            due |= 1u << i;
    /* Every segment comes here, and mostly nothing is due: the kinds are
     * read only for the due slots (docs/performance.md). */
    for (i = 0; due >> i; i++) {
        uint8_t kind;
        if (!(due & (1u << i)))
            continue;
        kind = timer_kind(z, i);
        timer_set(z, i, TS_ZEEK_TIMER_NONE, 0);
        if (fire_timer(z, kind, now))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Connections on the tuple                                            */

/* TCPSessionAdapter::IsReuse: does this SYN start a new connection? */
static int is_reuse(ts_zeek *z, const ts_segment *seg)
{
    const ts_zeek_endpoint *conn_orig = orig_ep(z);

    if (!has(seg, TS_SYN))
        return 0;
    if (has(seg, TS_ACK)) {
        /* A SYN-ACK only reuses a half connection. */
        if (orig_ep(z)->state != TS_ZEEK_INACTIVE)
            return 0;
        conn_orig = resp_ep(z);
    }
    if (z->ep[0].did_close || z->ep[1].did_close)
        return 1;   /* once closed, any SYN opens anew */
    if (seg->seq == conn_orig->start_seq)
        return 0;   /* a retransmission */
    /* The SYN answering an earlier SYN-ACK: the reversal handled later. */
    if (!has(seg, TS_ACK) && conn_orig->state == TS_ZEEK_SYN_ACK_SENT &&
        resp_ep(z)->state == TS_ZEEK_INACTIVE && seg->seq == resp_ep(z)->start_seq)
        return 0;
    return 1;
}

/* TCPAnalyzer::WantConnection: guess the responder by likely server ports
 * when the first packet is not a pure SYN. */
static int flip_at_creation(const ts_segment *seg)
{
    if (has(seg, TS_SYN) && !has(seg, TS_ACK))
        return 0;
    if (!is_likely_server_port(seg->sport))
        return 0;
    if (is_likely_server_port(seg->dport))
        return !has(seg, TS_SYN) && seg->sport < seg->dport;
    return 1;
}

static void endpoint_init(ts_zeek_endpoint *e)
{
    memset(e, 0, sizeof *e);   /* the scaled counters start at count 0, threshold 1 */
    e->reassem = 1;            /* the Reassembler's init_seq: relative 1, after the SYN */
}

/* IPBasedAnalyzer::NewConn and the TCP adapter's constructor. */
static void start_connection(ts_zeek *z, const ts_segment *seg, unsigned s)
{
    if (z->ever_started) {
        if (z->conn_index < UINT16_MAX)
            z->conn_index++;
        z->version++;
    }
    z->ever_started = 1;
    z->started = 1;
    endpoint_init(&z->ep[0]);
    endpoint_init(&z->ep[1]);
    memset(z->timer_lo, 0, sizeof z->timer_lo);
    z->timer_bits = 0;
    z->inact_armed = 0;
    z->hist_seen = 0;
    z->history[0] = '\0';
    z->rstos0 = PAT_START;
    z->orig = s & 1u;
    set_last_time(z, seg->time_ns);
    z->inactivity = INACT_NONE;
    z->first_seen = 0;
    z->partial = 0;
    if (flip_at_creation(seg))
        flip_roles(z);   /* no broadcast check: addresses are not known here */
    add_timer(z, TS_ZEEK_TIMER_EXPIRE, after(network_time(z), TCP_SYN_TIMEOUT_NS));
    set_inactivity_timeout(z, INACT_UDP);   /* TCPAnalyzer::MakeSessionAdapter */
}

/* ------------------------------------------------------------------ */
/* Sequence bookkeeping (TCPSessionAdapter.cc)                          */

/* get_segment_len: SYN and FIN take one octet each; a RST's data does not count. */
static uint32_t segment_len(const ts_segment *seg)
{
    uint32_t n = seg->len;

    if (has(seg, TS_SYN))
        n++;
    if (has(seg, TS_FIN))
        n++;
    if (has(seg, TS_RST))
        n -= seg->len;
    return n;
}

static void init_seqs(ts_zeek_endpoint *e, uint32_t start, uint32_t last)
{
    e->start_seq = start;
    e->ack_seq = start;
    e->last_seq = last;
}

/* init_endpoint: (re)start an endpoint's numbering from its packet. */
static void init_endpoint(ts_zeek_endpoint *e, const ts_segment *seg, uint32_t end)
{
    int syn = has(seg, TS_SYN);

    switch (e->state) {
    case TS_ZEEK_INACTIVE:
        if (syn)
            init_seqs(e, seg->seq, end);
        else   /* as though a SYN had been seen; first packet not a duplicate */
            init_seqs(e, seg->seq - 1, seg->seq);
        break;
    case TS_ZEEK_SYN_SENT:
    case TS_ZEEK_SYN_ACK_SENT:
        if (syn && seg->seq != e->start_seq)
            init_seqs(e, seg->seq, end);
        break;
    case TS_ZEEK_ESTABLISHED:
    case TS_ZEEK_PARTIAL:
        if (syn)   /* guess that this SYN is the one that really opens it */
            init_seqs(e, seg->seq, end);
        break;
    case TS_ZEEK_RESET:
        if (syn && e->prev_state == TS_ZEEK_INACTIVE)   /* the RST was likely spoofed */
            init_seqs(e, seg->seq, end);
        break;
    default:
        break;
    }
}

/* get_relative_seq's underflow test: below the start before any wrap. */
static int seq_underflows(const ts_zeek_endpoint *e, uint32_t cur, uint32_t last, uint32_t wraps)
{
    int32_t d = seq_delta(cur, last);

    if (d < 0) {
        if (wraps && cur > last)
            wraps--;
    } else if (d > 0) {
        if (cur < last)
            wraps++;
    }
    return wraps == 0 && seq_delta(cur, e->start_seq) < 0;
}

/* update_ack_seq: ack numbers only move forward (and a 0 far ahead is junk). */
static void update_ack_seq(ts_zeek_endpoint *e, uint32_t ack)
{
    int32_t d = seq_delta(ack, e->ack_seq);

    if (ack == 0 && d > TOO_LARGE_SEQ_DELTA)
        return;
    if (d > 0) {
        if (ack < e->ack_seq && e->ack_wraps < 3)
            e->ack_wraps++;   /* saturating: see full_seq */
        e->ack_seq = ack;
    }
}

/* Process's ACK handling: an inactive peer's numbering starts from this ack
 * (init_peer); otherwise the ack advances the peer's ack_seq. Returns 1 and
 * the ack relative to the peer's start in *rel when the peer's reassembler
 * is to hear of it (0: Zeek's rel_ack of 1 or 0, which cannot move it). */
static int note_ack(ts_zeek_endpoint *peer, const ts_segment *seg, uint32_t *rel)
{
    if (peer->state == TS_ZEEK_INACTIVE) {
        init_seqs(peer, seg->ack - 1, seg->ack - 1);
        return 0;
    }
    if (seq_underflows(peer, seg->ack, peer->ack_seq, peer->ack_wraps))
        return 0;
    *rel = seg->ack - peer->start_seq;   /* read before the update, as Zeek does */
    if (!has(seg, TS_RST))   /* acks in RSTs are not trusted */
        update_ack_seq(peer, seg->ack);
    return 1;
}

static void advance_last_seq(ts_zeek_endpoint *e, uint32_t seq)
{
    if (seq < e->last_seq && e->seq_wraps < 3)
        e->seq_wraps++;   /* saturating: see full_seq */
    e->last_seq = seq;
}

/* update_last_seq: the highest sequence end, and 't' for a data packet that
 * does not go past it (retransmission or late out-of-order segment). */
static void update_last_seq(ts_zeek *z, const packet *p, uint32_t end)
{
    const ts_segment *seg = p->seg;
    ts_zeek_endpoint *e = &z->ep[p->s];
    int32_t d = seq_delta(end, e->last_seq);

    if ((has(seg, TS_SYN) || has(seg, TS_RST)) &&
        (d > TOO_LARGE_SEQ_DELTA || d < -TOO_LARGE_SEQ_DELTA))
        return;   /* wild SYN/RST numbers are ignored */
    if (has(seg, TS_FIN) && e->last_seq == e->start_seq + 1)
        advance_last_seq(e, end);   /* only the SYN seen: trust the FIN (> 2 GB transfers) */
    else if (e->state == TS_ZEEK_RESET)
        return;   /* nothing after a RST is trusted */
    else if (d > 0)
        advance_last_seq(e, end);
    else if (seg->len > 0)
        scaled_letter(z, p->s, 'T', &e->rxmit);
}

/* The 64-bit sequence number from its low 32 bits and the wraps. The wraps
 * are counted saturating at 3 (ts_zeek_endpoint): what uses them tells only
 * 0, 1 and "2 or more" apart. From 2 wraps on, the number is at least 2^33,
 * beyond any start_seq + 2: NoDataAcked is false and Size is not 0 (Size is
 * only compared with 0, in responder_reset_state), whatever the exact count;
 * and seq_underflows' "no wrap" test after one step up or down is false too. */
static uint64_t full_seq(uint32_t seq, uint32_t wraps)
{
    return ((uint64_t)wraps << 32) + seq;
}

/* TCP_Endpoint::NoDataAcked: at most the SYN octet acknowledged. */
static int no_data_acked(const ts_zeek_endpoint *e)
{
    uint64_t ack = full_seq(e->ack_seq, e->ack_wraps);
    return ack == e->start_seq || ack == (uint64_t)e->start_seq + 1;
}

/* ------------------------------------------------------------------ */
/* Endpoint state machine (TCPSessionAdapter::Update*State)             */

/* TCP_Endpoint::SetState: leaving the handshake states switches the
 * connection to the TCP inactivity timeout. */
static void set_state(ts_zeek *z, unsigned i, uint8_t state)
{
    ts_zeek_endpoint *e = &z->ep[i];

    if (state == e->state)
        return;
    if (!in_handshake(state) && in_handshake(e->state) && in_handshake(z->ep[1 - i].state))
        set_inactivity_timeout(z, INACT_TCP);
    e->prev_state = e->state;
    e->state = state;
}

/* UpdateInactiveState, SYN part: the originator's SYN starts the attempt
 * timer; the responder's SYN(-ACK) establishes, or reverses the roles when
 * it answers an originator SYN-ACK. */
static void inactive_syn(ts_zeek *z, packet *p)
{
    const ts_segment *seg = p->seg;
    unsigned s = p->s, peer = 1 - s;

    if (p->is_orig) {
        set_state(z, s, has(seg, TS_ACK) ? TS_ZEEK_SYN_ACK_SENT : TS_ZEEK_SYN_SENT);
        add_timer(z, TS_ZEEK_TIMER_ATTEMPT, after(seg->time_ns, TCP_ATTEMPT_DELAY_NS));
        return;
    }
    if (!has(seg, TS_ACK) && z->ep[peer].state == TS_ZEEK_SYN_ACK_SENT &&
        seg->seq == z->ep[s].start_seq) {
        flip_roles(z);   /* SYN/SYN-ACK captured in reverse order: "Hs^" */
        set_state(z, peer, TS_ZEEK_ESTABLISHED);
        mark_seen(z, 1);
    }
    if (z->ep[peer].state == TS_ZEEK_SYN_SENT)
        set_state(z, peer, TS_ZEEK_ESTABLISHED);
    set_state(z, s, TS_ZEEK_ESTABLISHED);
    if (z->ep[peer].state != TS_ZEEK_PARTIAL)
        p->established = 1;
}

/* UpdateInactiveState, no SYN/FIN/RST: the responder's bare ACK of a SYN is
 * ignored; an ACK after the peer's SYN-ACK establishes; else PARTIAL. The
 * is_orig here is the one from before any late flip, as in Zeek. */
static void inactive_other(ts_zeek *z, packet *p)
{
    unsigned s = p->s;

    if (!p->is_orig && p->seg->len == 0 && orig_ep(z)->state == TS_ZEEK_SYN_SENT)
        return;
    if (has(p->seg, TS_ACK) && z->ep[1 - s].state == TS_ZEEK_ESTABLISHED) {
        /* The SYN was missed, not the handshake: not a partial connection. */
        set_state(z, s, TS_ZEEK_ESTABLISHED);
        z->partial = 0;
        mark_seen(z, p->is_orig);
    } else
        set_state(z, s, TS_ZEEK_PARTIAL);
}

/* UpdateSYN_SentState: only FIN and RST move a side that sent a SYN. An
 * INACTIVE side takes them the same way, after its SYN (checked in this
 * order, so a packet with several flags ends in the state of its last). */
static void update_syn_sent(ts_zeek *z, packet *p)
{
    if (has(p->seg, TS_FIN)) {
        set_state(z, p->s, TS_ZEEK_CLOSED);
        p->do_close = 1;
    }
    if (has(p->seg, TS_RST)) {
        set_state(z, p->s, TS_ZEEK_RESET);
        p->do_close = 1;
    }
}

static void update_inactive(ts_zeek *z, packet *p)
{
    if (has(p->seg, TS_SYN))
        inactive_syn(z, p);
    update_syn_sent(z, p);
    if (z->ep[p->s].state == TS_ZEEK_INACTIVE)
        inactive_other(z, p);
}

/* UpdateEstablishedState: a SYN after a partial start, FIN, RST. */
static void update_established(ts_zeek *z, packet *p)
{
    const ts_segment *seg = p->seg;
    unsigned s = p->s, peer = 1 - s;

    if (has(seg, TS_SYN) && !has(seg, TS_ACK) && z->ep[s].state == TS_ZEEK_PARTIAL &&
        z->ep[peer].state == TS_ZEEK_INACTIVE)
        set_state(z, s, TS_ZEEK_SYN_SENT);
    if (has(seg, TS_FIN) && !has(seg, TS_RST)) {
        set_state(z, s, TS_ZEEK_CLOSED);
        /* The peer's FIN then RST was a normal close after all. */
        if (z->ep[peer].state == TS_ZEEK_RESET && z->ep[peer].prev_state == TS_ZEEK_CLOSED)
            set_state(z, peer, TS_ZEEK_CLOSED);
        p->do_close = 1;
    }
    if (has(seg, TS_RST)) {
        set_state(z, s, TS_ZEEK_RESET);
        p->do_close = 1;
    }
}

/* UpdateClosedState: a RST counts only while the peer has not closed. */
static void update_closed(ts_zeek *z, packet *p)
{
    if (has(p->seg, TS_RST) && z->ep[1 - p->s].state != TS_ZEEK_CLOSED) {
        set_state(z, p->s, TS_ZEEK_RESET);
        if (!z->ep[p->s].did_close)
            p->do_close = 1;
    }
}

static void update_state_machine(ts_zeek *z, packet *p)
{
    switch (z->ep[p->s].state) {
    case TS_ZEEK_INACTIVE:
        update_inactive(z, p);
        break;
    case TS_ZEEK_SYN_SENT:
    case TS_ZEEK_SYN_ACK_SENT:
        update_syn_sent(z, p);
        break;
    case TS_ZEEK_ESTABLISHED:
    case TS_ZEEK_PARTIAL:
        update_established(z, p);
        break;
    case TS_ZEEK_CLOSED:
        update_closed(z, p);
        break;
    default:   /* RESET is final */
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Content gaps (TCP_Reassembler::DataSent/AckReceived/Undelivered/Gap,
 * Reassembler::NewBlock, DataBlockList::Trim)
 *
 * Zeek reassembles both directions from the first packet on (init-bare.zeek
 * dpd_reassemble_first_packets). A content gap is data that the receiver
 * acknowledges but the reassembler never got: lost before the capture point,
 * or captured without its payload (snap length). Zeek finds it only when an
 * ACK passes it, never when the hole opens, so the letter comes at the ACK,
 * in the case of the side whose data is missing: ACKs from the originator
 * reveal 'g', ACKs from the responder 'G'. Each hole the ACK passes is one
 * event of the scaled count (1st, 10th, 100th ...), and it becomes a letter
 * only while both sides are ESTABLISHED or CLOSED coming from ESTABLISHED:
 * handshake-less and reset connections never get one.
 *
 * The model keeps, per data sender, Zeek's last_reassem_seq (`reassem`:
 * everything before it delivered or declared missing) and one range of data
 * buffered beyond a hole. Zeek keeps every block; two separate buffered
 * ranges are merged here, so an ACK passing both holes counts one gap where
 * Zeek counts two, and the hole between them counts as filled (docs/zeek.md).
 * Positions are the low 32 bits of Zeek's 64-bit relative numbers, compared
 * modulo 2^32 (exact while they lie within 2 GiB of each other). Data below
 * last_reassem_seq that Zeek still holds until it is acknowledged cannot
 * make a gap, so it is not kept. */

static int before(uint32_t a, uint32_t b)
{
    return seq_delta(a, b) < 0;
}

/* TCP_Reassembler.cc is_clean. */
static int cleanly_open(const ts_zeek_endpoint *e)
{
    return e->state == TS_ZEEK_ESTABLISHED ||
           (e->state == TS_ZEEK_CLOSED && e->prev_state == TS_ZEEK_ESTABLISHED);
}

/* TCP_Reassembler::Gap -> TCP_Endpoint::Gap: one missing range of endpoint i. */
static void content_gap(ts_zeek *z, unsigned i)
{
    if (cleanly_open(&z->ep[i]) && cleanly_open(&z->ep[1 - i]))
        scaled_letter(z, i, 'G', &z->ep[i].gap);
}

static int has_buffered(const ts_zeek_endpoint *e)
{
    return e->ooo_lo != e->ooo_hi;
}

static void drop_buffered(ts_zeek_endpoint *e)
{
    e->ooo_lo = e->ooo_hi = 0;
}

/* BlockInserted (and Trim's last step): delivery runs on through buffered
 * data that now starts at or before the delivery point. */
static void deliver_buffered(ts_zeek_endpoint *e)
{
    if (!has_buffered(e) || before(e->reassem, e->ooo_lo))
        return;
    if (before(e->reassem, e->ooo_hi))
        e->reassem = e->ooo_hi;
    drop_buffered(e);
}

/* TCP_Reassembler::DataSent of [seq, seq + len) (relative, payload captured
 * whole): data already acknowledged is cut off, data at the delivery point
 * is delivered, data beyond it is buffered. */
static void data_sent(ts_zeek_endpoint *e, uint32_t seq, uint32_t len)
{
    uint32_t end = seq + len;
    uint32_t acked = e->ack_seq - e->start_seq;
    /* NewBlock keeps nothing below trim_seq: 2 after the partial-start case
     * of ack_received, else at most `reassem`, below which nothing counts. */
    uint32_t floor = e->trim2 ? 2u : e->reassem;

    if (e->skip)
        return;
    if (before(seq, acked)) {
        if (!before(acked, end))
            return;   /* delivered and acknowledged already */
        seq = acked;
    }
    if (before(seq, floor))
        seq = floor;
    if (before(seq, end)) {
        if (seq == e->reassem) {
            e->reassem = end;
            deliver_buffered(e);
        } else if (!has_buffered(e)) {
            e->ooo_lo = seq;
            e->ooo_hi = end;
        } else {   /* one range: a second one is merged with it */
            if (before(seq, e->ooo_lo))
                e->ooo_lo = seq;
            if (before(e->ooo_hi, end))
                e->ooo_hi = end;
        }
    }
    /* Zeek gives up on a direction with more than 16 KiB buffered above a
     * hole while none of its data has been acknowledged: no gaps after. */
    if (no_data_acked(e) && has_buffered(e) &&
        e->ooo_hi - e->reassem > MAX_ABOVE_HOLE_WITHOUT_ACKS) {
        drop_buffered(e);
        e->skip = 1;
    }
}

/* TCP_Reassembler::AckReceived: the peer acknowledges endpoint i's data up
 * to `seq` (relative); every hole below it is a gap. */
static void ack_received(ts_zeek *z, unsigned i, uint32_t seq)
{
    ts_zeek_endpoint *e = &z->ep[i];

    /* The FIN's own octet is never data (hist_last_fin is where it sits; a
     * FIN on a SYN or RST packet is not tracked there, docs/zeek.md). */
    if (e->fin_seen && !before(seq, e->hist_last_fin + 1))
        seq = e->hist_last_fin;
    if (!before(e->trim2 ? 2u : e->reassem, seq))
        return;   /* at or below the trim point: nothing to do */
    if (seq <= 2 && z->partial) {
        /* Undelivered ignores the first octet or two of a partial
         * connection (its start was faked from an ack, maybe a keep-alive),
         * but Trim still moves trim_seq there: that octet stays a hole. */
        e->trim2 = 1;
        return;
    }
    if (!e->skip) {
        if (has_buffered(e) && before(e->ooo_lo, seq)) {
            content_gap(z, i);   /* the hole before the buffered range */
            e->reassem = e->ooo_hi;
            drop_buffered(e);
        }
        if (before(e->reassem, seq))
            content_gap(z, i);   /* the rest, up to the ack */
    }
    if (before(e->reassem, seq))
        e->reassem = seq;
    e->trim2 = 0;
    deliver_buffered(e);
}

/* TCPSessionAdapter::SetPartialStatus, at the start of Process. */
static void set_partial_status(ts_zeek *z, const ts_segment *seg, int orig)
{
    if (orig) {
        if (!(z->first_seen & SEEN_ORIG))
            z->partial = !has(seg, TS_SYN) || has(seg, TS_ACK);
    } else if (!(z->first_seen & SEEN_RESP) && !z->partial) {
        z->partial = !has(seg, TS_SYN);
    }
}

/* ConnectionClosed: a complete close (this side reset, both closed, or the
 * peer silent) cancels the adapter's timers and removes the connection
 * tcp_close_delay after the last packet; a half close re-arms ExpireTimer.
 * (Zeek defers this while the reassembler holds undelivered data; not here.) */
static void connection_closed(ts_zeek *z, unsigned s)
{
    ts_zeek_endpoint *e = &z->ep[s];
    const ts_zeek_endpoint *peer = &z->ep[1 - s];

    if (e->did_close)
        return;
    e->did_close = 1;
    if (e->state == TS_ZEEK_RESET || peer->did_close || peer->state == TS_ZEEK_INACTIVE) {
        cancel_adapter_timers(z);
        add_timer(z, TS_ZEEK_TIMER_CONN_DELETE, after(last_time(z), TCP_CLOSE_DELAY_NS));
    } else if (e->prev_state != TS_ZEEK_INACTIVE) {
        add_timer(z, TS_ZEEK_TIMER_EXPIRE, after(last_time(z), TCP_SESSION_TIMER_NS));
    }
    /* prev_state INACTIVE: Zeek's PartialCloseTimer, armed only when a
     * connection_partial_close handler exists (none in the base scripts). */
}

/* conn/inactivity.zeek, connection_established: interactive service ports
 * (by the responder's port, or the originator's when only it is a likely
 * server port and the originator is INACTIVE) get a 1 h inactivity timeout. */
static void established_event(ts_zeek *z, const ts_segment *seg, unsigned s)
{
    /* The endpoints' ports are this packet's: the sender's is sport. */
    uint16_t orig_port = is_orig(z, s) ? seg->sport : seg->dport;
    uint16_t service = is_orig(z, s) ? seg->dport : seg->sport;

    if (orig_ep(z)->state == TS_ZEEK_INACTIVE && !is_likely_server_port(service) &&
        is_likely_server_port(orig_port))
        service = orig_port;
    if (service == 21 || service == 22 || service == 23 || service == 513)
        set_inactivity_timeout(z, INACT_SERVICE);
}

/* TCPSessionAdapter::Process for a packet with a good checksum, of which
 * `captured` payload bytes are in the capture. */
static void process_segment(ts_zeek *z, const ts_segment *seg, unsigned s, uint32_t captured)
{
    packet p = { seg, s, is_orig(z, s), 0, 0 };
    ts_zeek_endpoint *e = &z->ep[s], *peer = &z->ep[1 - s];
    uint32_t end = seg->seq + segment_len(seg);
    uint32_t rel_seq, rel_ack = 0;
    int underflow, acked = 0;

    set_partial_status(z, seg, p.is_orig);
    init_endpoint(e, seg, end);
    /* Only the low 32 bits of Zeek's 64-bit relative seq are kept: they
     * differ only for SYN/FIN/RST repeats 4 GiB apart. */
    rel_seq = seg->seq - e->start_seq;
    underflow = seq_underflows(e, seg->seq, e->last_seq, e->seq_wraps);
    update_history(z, &p, rel_seq);
    check_zero_window(z, &p);
    if (!e->did_close || !peer->did_close)
        set_last_time(z, seg->time_ns);
    if (has(seg, TS_FIN))
        e->fin_seen = 1;
    if (has(seg, TS_ACK))
        acked = note_ack(peer, seg, &rel_ack);
    update_last_seq(z, &p, end);
    update_state_machine(z, &p);
    /* After the state machine, so that a gap revealed by the ACK of a RST
     * (its sender now RESET) is not written (Process's comment). */
    if (acked)
        ack_received(z, 1 - s, rel_ack);
    mark_seen(z, p.is_orig);   /* CheckPIA_FirstPacket */
    /* DataSent: payload captured whole, not on a RST, not before the start. */
    if (seg->len > 0 && captured >= seg->len && !has(seg, TS_RST) && !underflow)
        data_sent(e, rel_seq + (has(seg, TS_SYN) ? 1u : 0u), seg->len);
    if (p.do_close)
        connection_closed(z, s);
    if (p.established)
        established_event(z, seg, s);
}

/* TCPAnalyzer::ValidateChecksum failed: 'c', and the packet goes no further. */
static void checksum_error(ts_zeek *z, unsigned s)
{
    ts_zeek_endpoint *e = &z->ep[s];
    scaled_letter(z, s, 'C', &e->checksum);
}

/* ------------------------------------------------------------------ */
/* conn_state (scripts/base/protocols/conn/main.zeek)                   */

/* TCP_Endpoint::Size: bytes by sequence numbers, without SYN and FIN octets. */
static uint64_t endpoint_size(const ts_zeek_endpoint *e, const ts_zeek_endpoint *peer)
{
    uint64_t last = full_seq(e->last_seq, e->seq_wraps);
    uint64_t ack = full_seq(e->ack_seq, e->ack_wraps);
    uint64_t size;

    if (e->prev_state == TS_ZEEK_SYN_SENT && e->state == TS_ZEEK_RESET &&
        peer->state == TS_ZEEK_INACTIVE && !no_data_acked(e))
        return 0;   /* a half-open connection found and aborted */
    size = (last > ack ? last : ack) - e->start_seq;
    if (size != 0)
        size--;
    if (e->fin_seen && size != 0)
        size--;
    return size;
}

static int inactive_or_partial(uint8_t state)
{
    return state == TS_ZEEK_INACTIVE || state == TS_ZEEK_PARTIAL;
}

static ts_zeek_conn_state responder_reset_state(ts_zeek *z)
{
    const ts_zeek_endpoint *o = orig_ep(z), *r = resp_ep(z);

    if (o->state == TS_ZEEK_SYN_SENT || o->state == TS_ZEEK_SYN_ACK_SENT ||
        (o->state == TS_ZEEK_RESET && endpoint_size(o, r) == 0 && endpoint_size(r, o) == 0))
        return TS_ZEEK_REJ;
    return inactive_or_partial(o->state) ? TS_ZEEK_RSTRH : TS_ZEEK_RSTR;
}

static ts_zeek_conn_state conn_state(ts_zeek *z)
{
    uint8_t os = orig_ep(z)->state, rs = resp_ep(z)->state;

    if (rs == TS_ZEEK_RESET)
        return responder_reset_state(z);
    if (os == TS_ZEEK_RESET) {
        if (!inactive_or_partial(rs))
            return TS_ZEEK_RSTO;
        return z->rstos0 == PAT_MATCHED ? TS_ZEEK_RSTOS0 : TS_ZEEK_OTH;
    }
    if (os == TS_ZEEK_CLOSED && rs == TS_ZEEK_CLOSED)
        return TS_ZEEK_SF;
    if (os == TS_ZEEK_CLOSED)
        return inactive_or_partial(rs) ? TS_ZEEK_SH : TS_ZEEK_S2;
    if (rs == TS_ZEEK_CLOSED)
        return inactive_or_partial(os) ? TS_ZEEK_SHR : TS_ZEEK_S3;
    if (os == TS_ZEEK_SYN_SENT && rs == TS_ZEEK_INACTIVE)
        return TS_ZEEK_S0;
    if (os == TS_ZEEK_ESTABLISHED && rs == TS_ZEEK_ESTABLISHED)
        return TS_ZEEK_S1;
    return TS_ZEEK_OTH;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

void ts_zeek_init(ts_zeek *z)
{
    memset(z, 0, sizeof *z);
    endpoint_init(&z->ep[0]);
    endpoint_init(&z->ep[1]);
}

void ts_zeek_track(ts_zeek *z, const ts_segment *seg, ts_zeek_result *out)
{
    ts_zeek_track_captured(z, seg, seg->len, out);
}

void ts_zeek_track_captured(ts_zeek *z, const ts_segment *seg, uint32_t captured_len,
                            ts_zeek_result *out)
{
    unsigned s = seg->from_first ? 0u : 1u;
    int fresh = 0;

    /* RunState dispatch_packet: network time never goes back. */
    if (!z->ever_started)
        set_network_time(z, seg->time_ns);   /* no timer yet */
    else if (seg->time_ns > network_time(z))
        advance_clock(z, seg->time_ns);
    if (z->started && (run_timers(z) || is_reuse(z, seg)))
        z->started = 0;   /* removed: this packet starts the next one */
    if (!z->started) {
        fresh = z->ever_started;
        start_connection(z, seg, s);
    }
    if (seg->bad_checksum)
        checksum_error(z, s);
    else
        process_segment(z, seg, s, captured_len);

    out->conn_state = (uint8_t)conn_state(z);
    out->new_conn = (uint8_t)fresh;
    out->history_len = (uint8_t)strlen(z->history);
    out->version = z->version;
    out->conn_index = z->conn_index;
}

const char *ts_zeek_conn_state_name(unsigned code)
{
    static const char *const names[TS_ZEEK_CONN_STATE_COUNT] = {
        [TS_ZEEK_S0] = "S0",         [TS_ZEEK_S1] = "S1",     [TS_ZEEK_SF] = "SF",
        [TS_ZEEK_REJ] = "REJ",       [TS_ZEEK_S2] = "S2",     [TS_ZEEK_S3] = "S3",
        [TS_ZEEK_RSTO] = "RSTO",     [TS_ZEEK_RSTR] = "RSTR", [TS_ZEEK_RSTOS0] = "RSTOS0",
        [TS_ZEEK_RSTRH] = "RSTRH",   [TS_ZEEK_SH] = "SH",     [TS_ZEEK_SHR] = "SHR",
        [TS_ZEEK_OTH] = "OTH",
    };
    return code < TS_ZEEK_CONN_STATE_COUNT ? names[code] : "?";
}
