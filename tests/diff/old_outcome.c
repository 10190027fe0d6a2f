/* Compiled against the OLD revision's outcome.h (tests/diff/run.sh): what the
 * differential harness reads from a ts_outcome whose layout differs from the
 * current one - the fields the reports print. */
#include <string.h>

#include "outcome.h"

/* One result built with the old revision's ts_result (its layout may differ)
 * and added with the old code (renamed old_*, tests/diff/run.sh). */
void old_outcome_add(void *o, unsigned sender, uint64_t events, unsigned role, unsigned step,
                     unsigned rst_ignored, unsigned rst_kind, unsigned flags, unsigned client,
                     unsigned server)
{
    ts_result r;

    memset(&r, 0, sizeof r);
    r.sender = (uint8_t)sender;
    r.events = events;
    r.role = (uint8_t)role;
    r.step = (uint8_t)step;
    r.rst_ignored = (uint8_t)rst_ignored;
    r.rst_kind = (uint8_t)rst_kind;
    r.flags = (uint16_t)flags;
    r.state[TS_CLIENT] = (uint8_t)client;
    r.state[TS_SERVER] = (uint8_t)server;
    ts_outcome_add((ts_outcome *)o, &r);
}

unsigned old_outcome_size(void)
{
    return (unsigned)sizeof(ts_outcome);
}

unsigned old_outcome_connections(const void *o)
{
    return ((const ts_outcome *)o)->connections;
}

unsigned old_outcome_seen(const void *o)
{
    return ((const ts_outcome *)o)->seen;
}

unsigned old_outcome_state(const void *o, unsigned side)
{
    return ((const ts_outcome *)o)->state[side];
}
