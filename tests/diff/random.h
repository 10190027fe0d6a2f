/* The differential harnesses' random numbers: xorshift64, the same sequence
 * on every run, so a difference found is found again. */
#ifndef TCPSTATE_DIFF_RANDOM_H
#define TCPSTATE_DIFF_RANDOM_H

#include <stdint.h>

static uint64_t rs = 88172645463325252ull;

static inline uint32_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)rs;
}

#endif
