/*
 * Differential check of core/outcome.c against an older revision's
 * (tests/diff/run.sh): random results go through both, and after every one
 * how the connection opened and closed, its connection count, whether it
 * was seen and both final states (what the reports and the outcome fields
 * show, docs/reports.md) must be the same. Exit 1 at the first difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcome.h"
#include "random.h"

void old_ts_outcome_init(void *o);
void old_outcome_add(void *o, unsigned sender, uint64_t events, unsigned role, unsigned step,
                     unsigned rst_ignored, unsigned rst_kind, unsigned flags, unsigned client,
                     unsigned server);
ts_open old_ts_outcome_opened(const void *o);
ts_close old_ts_outcome_closed(const void *o);
unsigned old_outcome_size(void);
unsigned old_outcome_connections(const void *o);
unsigned old_outcome_seen(const void *o);
unsigned old_outcome_state(const void *o, unsigned side);

static int same(const ts_outcome *a, const void *b)
{
    return ts_outcome_opened(a) == old_ts_outcome_opened(b) &&
           ts_outcome_closed(a) == old_ts_outcome_closed(b) &&
           a->connections == old_outcome_connections(b) && a->seen == old_outcome_seen(b) &&
           a->state[TS_CLIENT] == old_outcome_state(b, TS_CLIENT) &&
           a->state[TS_SERVER] == old_outcome_state(b, TS_SERVER);
}

int main(int argc, char **argv)
{
    long conns = argc > 1 ? atol(argv[1]) : 100000, results = 0;
    void *old = calloc(1, old_outcome_size());

    if (!old || conns <= 0)
        return 2;
    for (long c = 0; c < conns; c++) {
        ts_outcome o;
        int n = 1 + (int)(rnd() % 30);

        ts_outcome_init(&o);
        old_ts_outcome_init(old);
        for (int i = 0; i < n; i++) {
            ts_result r;

            /* What ts_outcome_add reads, over and beyond the values the
             * tracker gives (unknown roles, states and kinds included). */
            memset(&r, 0, sizeof r);
            r.sender = (uint8_t)(rnd() & 1u);
            r.events = rnd() & rnd();
            r.role = (uint8_t)(rnd() % 16);
            r.step = (uint8_t)(rnd() % 5);
            r.rst_ignored = (uint8_t)(rnd() % 4 ? 0 : rnd() % 6);
            r.rst_kind = (uint8_t)(rnd() % 8);
            r.flags = (uint16_t)(rnd() & 0x3F);
            r.state[TS_CLIENT] = (uint8_t)(rnd() % 12);
            r.state[TS_SERVER] = (uint8_t)(rnd() % 12);
            ts_outcome_add(&o, &r);
            old_outcome_add(old, r.sender, r.events, r.role, r.step, r.rst_ignored, r.rst_kind,
                            r.flags, r.state[TS_CLIENT], r.state[TS_SERVER]);
            results++;
            if (!same(&o, old)) {
                printf("outcome: DIFFERENT at connection %ld, result %d\n", c, i);
                return 1;
            }
        }
    }
    printf("outcome: identical on %ld connections, %ld results\n", conns, results);
    free(old);
    return 0;
}
