/* Compiled against the OLD revision's zeek.h (tests/diff/run.sh): what the
 * differential harness needs to read from a ts_zeek whose layout differs
 * from the current one. */
#include "zeek.h"

const char *old_history(const void *z)
{
    return ((const ts_zeek *)z)->history;
}

unsigned old_zeek_size(void)
{
    return (unsigned)sizeof(ts_zeek);
}
