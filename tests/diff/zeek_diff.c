/*
 * Differential check of Zeek's view (core/zeek.c) against an older revision
 * of it (tests/diff/run.sh builds that one with its functions renamed
 * old_*): random connections - flags, gaps, retransmissions, captured
 * lengths shorter than the payload, clock steps back and big jumps - go
 * through both, and every result and the history after every segment must
 * be the same. A layout change of ts_zeek (docs/performance.md) must not
 * change a single outcome. Exit 1 at the first difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "random.h"
#include "zeek.h"

void old_ts_zeek_init(void *z);
void old_ts_zeek_track(void *z, const ts_segment *seg, ts_zeek_result *out);
void old_ts_zeek_track_captured(void *z, const ts_segment *seg, uint32_t captured_len,
                                ts_zeek_result *out);
const char *old_history(const void *z);
unsigned old_zeek_size(void);

static const uint16_t flag_sets[] = { TS_SYN, TS_SYN | TS_ACK, TS_ACK, TS_ACK | TS_PSH,
                                      TS_FIN | TS_ACK, TS_RST, TS_RST | TS_ACK, TS_FIN, 0,
                                      TS_SYN | TS_FIN, TS_ACK | TS_URG };

static int same(const ts_zeek_result *a, const ts_zeek_result *b)
{
    return a->conn_state == b->conn_state && a->new_conn == b->new_conn &&
           a->history_len == b->history_len && a->version == b->version &&
           a->conn_index == b->conn_index;
}

int main(int argc, char **argv)
{
    long conns = argc > 1 ? atol(argv[1]) : 100000, segs = 0;
    void *old = calloc(1, old_zeek_size());

    if (!old || conns <= 0)
        return 2;
    for (long c = 0; c < conns; c++) {
        ts_zeek z;
        uint32_t next[2] = { rnd(), rnd() };
        int64_t t = (int64_t)rnd() * 1000;
        int n = 1 + (int)(rnd() % 60);

        ts_zeek_init(&z);
        old_ts_zeek_init(old);
        for (int i = 0; i < n; i++) {
            ts_segment s;
            ts_zeek_result a, b;
            unsigned from = rnd() & 1u;
            uint32_t step = rnd() % 8;

            memset(&s, 0, sizeof s);
            s.flags = flag_sets[rnd() % (sizeof flag_sets / sizeof flag_sets[0])];
            if (rnd() % 3 == 0)
                s.flags |= (uint16_t)(rnd() & 0xFFF);
            s.len = rnd() % 3 == 0 ? rnd() % 1500 : 0;
            s.seq = rnd() % 4 ? next[from] + (rnd() % 3 == 0 ? rnd() % 3000 : 0) : rnd();
            s.ack = rnd() % 4 ? next[!from] : rnd();
            next[from] = s.seq + s.len + ((s.flags & TS_SYN) ? 1u : 0u);
            s.window = rnd() % 5 == 0 ? 0 : 1000;
            t += step == 0  ? -(int64_t)(rnd() % 1000000000)
                 : step < 6 ? (int64_t)(rnd() % 100000000)
                            : (int64_t)rnd() * (int64_t)(rnd() % 4000);
            s.time_ns = t;
            s.from_first = (uint8_t)(from == 0);
            s.sport = from ? 80 : 1234;
            s.dport = from ? 1234 : 80;
            s.bad_checksum = rnd() % 50 == 0;
            if (rnd() % 6 == 0) {
                uint32_t cap = rnd() % (s.len + 1);
                ts_zeek_track_captured(&z, &s, cap, &a);
                old_ts_zeek_track_captured(old, &s, cap, &b);
            } else {
                ts_zeek_track(&z, &s, &a);
                old_ts_zeek_track(old, &s, &b);
            }
            segs++;
            if (!same(&a, &b) || strcmp(z.history, old_history(old)) != 0) {
                printf("zeek: DIFFERENT at connection %ld, segment %d: history %s / old %s\n", c,
                       i, z.history, old_history(old));
                return 1;
            }
        }
    }
    printf("zeek: identical on %ld connections, %ld segments\n", conns, segs);
    free(old);
    return 0;
}
