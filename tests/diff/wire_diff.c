/*
 * Differential check of the texts' wire bookkeeping (core/wire.c) against an
 * older revision of it (tests/diff/run.sh builds that one with its functions
 * renamed old_*): random segments on a small sequence space (so that
 * retransmissions, gaps, probes, duplicate ACKs and new ISNs are frequent)
 * go through both; every ts_wire_info and "is it plain" must be the same.
 * Exit 1 at the first difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "random.h"
#include "wire.h"

void old_ts_wire_init(void *w);
void old_ts_wire_track(void *w, const ts_segment *seg, unsigned sender, int new_connection,
                       uint32_t frame, ts_wire_info *out);
int old_ts_wire_info_is_plain(const ts_wire_info *info, const ts_segment *seg,
                              uint32_t acked_new);

int main(int argc, char **argv)
{
    long conns = argc > 1 ? atol(argv[1]) : 100000, segs = 0;
    /* The old ts_wire, whatever its layout: big enough for any of them. */
    static uint64_t old[64];

    if (conns <= 0)
        return 2;
    for (long c = 0; c < conns; c++) {
        ts_wire w;
        uint32_t base[2] = { rnd(), rnd() };
        int n = 1 + (int)(rnd() % 40);

        if (rnd() % 4 == 0)
            base[1] = base[0];
        ts_wire_init(&w);
        old_ts_wire_init(old);
        for (int i = 0; i < n; i++) {
            ts_segment s;
            ts_wire_info a, b;
            unsigned sender = rnd() & 1u;
            uint32_t f = rnd(), acked = rnd() % 3;
            int new_connection = rnd() % 30 == 0;

            memset(&s, 0, sizeof s);
            s.seq = base[sender] + (rnd() % 12) - 2;
            s.ack = base[!sender] + (rnd() % 12) - 2;
            if (rnd() % 50 == 0)
                s.seq = rnd();
            s.len = rnd() % 4 == 0 ? rnd() % 5 : 0;
            s.flags = (uint16_t)(((f & 1) && rnd() % 3 == 0 ? TS_SYN : 0) | ((f & 2) ? TS_ACK : 0) |
                                 ((f & 4) && rnd() % 3 == 0 ? TS_FIN : 0) |
                                 ((f & 8) && rnd() % 6 == 0 ? TS_RST : 0));
            s.window = rnd() % 3 == 0 ? 0 : rnd() % 3;
            s.time_ns = i;
            ts_wire_track(&w, &s, sender, new_connection, (uint32_t)i + 1, &a);
            old_ts_wire_track(old, &s, sender, new_connection, (uint32_t)i + 1, &b);
            segs++;
            /* ts_wire_track zero-fills its output first: memcmp is exact. */
            if (memcmp(&a, &b, sizeof a) != 0 ||
                ts_wire_info_is_plain(&a, &s, acked) != old_ts_wire_info_is_plain(&b, &s, acked)) {
                printf("wire: DIFFERENT at connection %ld, segment %d\n", c, i);
                return 1;
            }
        }
    }
    printf("wire: identical on %ld connections, %ld segments\n", conns, segs);
    return 0;
}
