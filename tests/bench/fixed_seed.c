/*
 * Preloaded into the benchmark's callgrind runs (tests/bench/bench.sh): a
 * g_random_int() that returns the same sequence in every run. Wireshark seeds
 * its wmem hash maps from g_random_int() when it starts, so with GLib's own
 * (random) seeds the instruction count of the very same run on the very same
 * capture varies by about 0.25 % (a few million instructions), which is up to
 * ±0.8k instructions per frame over the few thousand frames between two
 * capture sizes. With this the count repeats to within a few thousand
 * instructions per run (docs/performance.md, "Method"). Used with and without
 * the plugin alike; never in the CPU-time or memory runs.
 */
#include <stdint.h>

uint32_t g_random_int(void);

uint32_t g_random_int(void)
{
    static uint32_t state = 12345u;

    state = state * 1103515245u + 12345u; /* any fixed sequence will do */
    return state | 1u;                    /* wmem wants a non-zero multiplier */
}
