/*
 * Zeek's view of a TCP connection: its conn_state code and history string
 * (Zeek's conn.log), computed from the same plain segment records as the
 * RFC 9293 tracker, with no Zeek, Wireshark or glib dependency.
 *
 * The definitions follow Zeek (scripts/base/protocols/conn/main.zeek, the TCP
 * session adapter and endpoint code); docs/zeek.md says what each code and
 * letter means here and where this differs from Zeek.
 *
 * One ts_zeek follows one Wireshark tcp.stream. Zeek can split a stream into
 * several connections (a SYN reusing the tuple after a close, the attempt,
 * inactivity and close-delay timers); each split starts a fresh conn_state
 * and history, and bumps `conn_index`.
 */
#ifndef TCPSTATE_ZEEK_H
#define TCPSTATE_ZEEK_H

#include <stddef.h>
#include <stdint.h>

#include "tcpstate_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Zeek's conn_state codes. */
typedef enum {
    TS_ZEEK_S0 = 0,
    TS_ZEEK_S1,
    TS_ZEEK_SF,
    TS_ZEEK_REJ,
    TS_ZEEK_S2,
    TS_ZEEK_S3,
    TS_ZEEK_RSTO,
    TS_ZEEK_RSTR,
    TS_ZEEK_RSTOS0,
    TS_ZEEK_RSTRH,
    TS_ZEEK_SH,
    TS_ZEEK_SHR,
    TS_ZEEK_OTH,
    TS_ZEEK_CONN_STATE_COUNT
} ts_zeek_conn_state;

/* Longest history kept; letters past it are dropped (docs/zeek.md). */
#define TS_ZEEK_HISTORY_MAX 47

/* Zeek's per-endpoint TCP states (TCP_Endpoint.h). */
typedef enum {
    TS_ZEEK_INACTIVE = 0,
    TS_ZEEK_SYN_SENT,
    TS_ZEEK_SYN_ACK_SENT,
    TS_ZEEK_PARTIAL,
    TS_ZEEK_ESTABLISHED,
    TS_ZEEK_CLOSED,
    TS_ZEEK_RESET
} ts_zeek_endpoint_state;

/* Per-endpoint knowledge; indexed by "sent the stream's first segment" (0/1).
 * Field names follow Zeek's TCP_Endpoint; the counters follow the physical
 * endpoint through role flips, as Zeek's do. The plugin keeps one ts_zeek
 * per stream, so this is packed: what zeek.c only compares is stored with
 * just the range its comparisons can tell apart (see there). */
typedef struct {
    uint32_t start_seq;      /* ISN (or first seq - 1 without a SYN) */
    uint32_t last_seq;       /* highest sequence end seen from it */
    uint32_t ack_seq;        /* highest ack of its data sent by the peer */
    uint32_t hist_last_syn, hist_last_fin, hist_last_rst;
    /* Session::ScaledHistoryEntry counts of its 'T', 'W', 'C' and 'G'
     * events: the count, plus the top bit once Zeek's uint32 threshold has
     * stopped growing; the threshold follows from them (zeek.c scaled_letter). */
    uint32_t rxmit, zero_window, checksum, gap;
    /* Zeek's reassembler of the data this endpoint sends, in sequence numbers
     * relative to start_seq (zeek.c "Content gaps"): everything before
     * `reassem` was delivered or declared a gap; [ooo_lo, ooo_hi) is the
     * captured data buffered beyond a hole (empty when equal). */
    uint32_t reassem, ooo_lo, ooo_hi;
    uint8_t  state, prev_state;  /* ts_zeek_endpoint_state */
    uint8_t  did_close : 1;  /* Zeek's did_close: its FIN or RST was processed as a close */
    uint8_t  fin_seen : 1;   /* Zeek's FIN_cnt > 0 */
    /* 32-bit wraps of last_seq and ack_seq, saturating at 3: only 0, 1 and
     * "2 or more" change an outcome (zeek.c full_seq). */
    uint8_t  seq_wraps : 2, ack_wraps : 2;
    uint8_t  skip : 1;       /* the reassembler's skip_deliveries: it gave up */
    uint8_t  trim2 : 1;      /* its trim point is 2 while `reassem` is 1 (zeek.c ack_received) */
} ts_zeek_endpoint;

/* Zeek's pending connection timers (TCPSessionAdapter and Session). */
typedef enum {
    TS_ZEEK_TIMER_NONE = 0,
    TS_ZEEK_TIMER_ATTEMPT,      /* AttemptTimer: tcp_attempt_delay after the originator's SYN */
    TS_ZEEK_TIMER_EXPIRE,       /* ExpireTimer: tcp_SYN_timeout, then every tcp_session_timer */
    TS_ZEEK_TIMER_CONN_DELETE,  /* ConnDeleteTimer: tcp_close_delay after a complete close */
    TS_ZEEK_TIMER_INACTIVITY    /* Session::InactivityTimer */
} ts_zeek_timer_kind;

/* Timer slots: TS_ZEEK_TIMERS for the adapter's timers (at most 2 attempt
 * and 2 expire timers, or one conn-delete timer, are pending at once; zeek.c
 * add_timer), and one more for the inactivity timer. */
#define TS_ZEEK_TIMERS 4

typedef struct {
    ts_zeek_endpoint ep[2];
    /* Zeek's network_time, the latest capture time seen, in two halves (low,
     * high) so that ts_zeek needs only 4-byte alignment: 204 bytes, not 208
     * (docs/performance.md). */
    uint32_t network_ns[2];
    /* Each pending timer as the nanoseconds from network_ns to its due time
     * (0: due), low 32 bits here, the rest in timer_bits (zeek.c). */
    uint32_t timer_lo[TS_ZEEK_TIMERS + 1];
    /* The time of the current Zeek connection's last packet, as the
     * nanoseconds from it to network_ns ("lag"), capped where no timeout can
     * tell the difference: low 32 bits here, the rest in timer_bits (zeek.c). */
    uint32_t lag_lo;
    uint32_t timer_bits;         /* kinds and high offset bits of the timers, high bits of the lag */
    uint16_t hist_seen;          /* Zeek's per-connection "letter seen" bits */
    uint16_t version;            /* bumped whenever history changes other than by appending */
    uint16_t conn_index;         /* Zeek connections started on this stream so far - 1 */
    uint8_t  orig : 1;           /* which endpoint (0 = first sender) is Zeek's originator */
    uint8_t  started : 1;        /* a Zeek connection is open */
    uint8_t  ever_started : 1;   /* a Zeek connection was started on this stream */
    uint8_t  rstos0 : 3;         /* state of the RSTOS0 history pattern over all letters */
    uint8_t  inactivity : 2;     /* the connection's inactivity timeout (zeek.c) */
    uint8_t  first_seen : 2;     /* the adapter's first_packet_seen, by role (1 = originator) */
    uint8_t  partial : 1;        /* the adapter's is_partial */
    uint8_t  inact_armed : 1;    /* the inactivity timer is pending (zeek.c) */
    /* NUL-terminated; its length is not kept beside it (strlen: that byte
     * less took ts_zeek from 216 to 208 bytes while it was 8-byte aligned,
     * docs/performance.md). */
    char     history[TS_ZEEK_HISTORY_MAX + 1];
} ts_zeek;

/* The Zeek view as of one segment. The history itself is read from the
 * ts_zeek after the call (`history`, and `version`). */
typedef struct {
    uint8_t  conn_state;         /* ts_zeek_conn_state */
    uint8_t  new_conn;           /* this segment started a new Zeek connection on the stream */
    uint8_t  history_len;
    uint16_t version;
    uint16_t conn_index;
} ts_zeek_result;

void ts_zeek_init(ts_zeek *z);

/* Apply one segment (capture order; seg->from_first says its direction),
 * its payload wholly captured. */
void ts_zeek_track(ts_zeek *z, const ts_segment *seg, ts_zeek_result *out);

/* The same for a segment of which the capture holds only `captured_len`
 * payload bytes (a snap length cut it). Zeek's reassembler never sees a
 * payload cut short, so the receiver's ACK of it is a content gap
 * (docs/zeek.md, letter g). */
void ts_zeek_track_captured(ts_zeek *z, const ts_segment *seg, uint32_t captured_len,
                            ts_zeek_result *out);

const char *ts_zeek_conn_state_name(unsigned code);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_ZEEK_H */
