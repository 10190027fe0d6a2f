#include "verdicts.h"

#include <epan/wmem_scopes.h>

#include "dense_table.h"

/* The core's verdict (every field of it: tcpstate_core.h lists them once)
 * and the Zeek conn_state of the frame. */
typedef struct {
    ts_verdict core;
    uint8_t conn_state;
} verdict;

/* Every tracked frame looks its verdict up (docs/performance.md, issue 14),
 * so the index is an open-addressing table of its own rather than a
 * wmem_map: slots hold index + 1 (0: empty), probed linearly from the key's
 * hash, at most half full. It is rebuilt from `by_index` when it grows. */
static uint16_t *slots;       /* `mask` + 1 entries */
static uint32_t mask;
static dense_table *by_index; /* index -> verdict */
static uint32_t count;

#define SLOTS_START 256u

/* The verdict is four 64-bit words (padding zeroed): one multiply each. */
_Static_assert(sizeof(verdict) == 32, "verdict_hash() reads four words");

static uint32_t verdict_hash(const verdict *v)
{
    uint64_t w[4], h;

    memcpy(w, v, sizeof w);
    h = (w[0] * 0x9E3779B97F4A7C15u) ^ (w[1] * 0xC2B2AE3D27D4EB4Fu) ^ (w[2] * 0x165667B19E3779F9u) ^
        (w[3] * 0x27D4EB2F165667C5u);
    return (uint32_t)(h ^ (h >> 29) ^ (h >> 47));
}

static gboolean same(const verdict *a, const verdict *b)
{
    uint64_t x[4], y[4];

    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

static uint16_t *slots_new(uint32_t n)
{
    return (uint16_t *)wmem_alloc0(wmem_file_scope(), n * sizeof *slots);
}

/* The slot of `v`: where it is, or the empty one where it would go. */
static uint16_t *slot_of(const verdict *v)
{
    for (uint32_t i = verdict_hash(v) & mask;; i = (i + 1) & mask) {
        uint16_t s = slots[i];

        if (s == 0 || same(dense_table_find(by_index, s - 1u), v))
            return &slots[i];
    }
}

/* Twice the slots, every verdict inserted again (when half full: the probe
 * above always ends at an empty slot). */
static void grow(void)
{
    wmem_free(wmem_file_scope(), slots);
    mask = 2 * mask + 1;
    slots = slots_new(mask + 1);
    for (uint32_t i = 0; i < count; i++)
        *slot_of((const verdict *)dense_table_find(by_index, i)) = (uint16_t)(i + 1);
}

void verdicts_init(void)
{
    mask = SLOTS_START - 1;
    slots = slots_new(SLOTS_START);
    by_index = dense_table_new(sizeof(verdict));
    count = 0;
}

uint16_t verdicts_intern(const ts_result *r, uint8_t conn_state)
{
    verdict v, *stored;
    uint16_t *slot;

    memset(&v, 0, sizeof v); /* padding too: the key is hashed as bytes */
    ts_verdict_of(r, &v.core);
    v.conn_state = conn_state;

    slot = slot_of(&v);
    if (*slot)
        return (uint16_t)(*slot - 1u);
    if (count >= VERDICT_NONE)
        return VERDICT_NONE;
    stored = (verdict *)dense_table_at(by_index, count);
    memcpy(stored, &v, sizeof v); /* padding too */
    *slot = (uint16_t)(count + 1);
    count++;
    if (2 * count > mask + 1)
        grow();
    return (uint16_t)(count - 1);
}

void verdicts_apply(uint16_t id, ts_result *r, uint8_t *conn_state)
{
    const verdict *v = (const verdict *)dense_table_find(by_index, id);

    if (!v)
        return;
    ts_verdict_apply(&v->core, r);
    *conn_state = v->conn_state;
}
