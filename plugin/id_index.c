#include "id_index.h"

#include <epan/wmem_scopes.h>

/* Open addressing with linear probing over a power-of-two array of slots,
 * each 0 (empty) or id + 1; at most 3/4 full, so a lookup probes few slots.
 * Nothing is ever removed (the latest id of a key replaces the earlier). */
struct id_index {
    GHashFunc hash;
    GEqualFunc equal;
    id_index_key_fn key_of;
    uint32_t *slot;
    uint32_t mask; /* slots - 1; the array is allocated on the first set */
    uint32_t count;
};

id_index *id_index_new(GHashFunc hash, GEqualFunc equal, id_index_key_fn key_of)
{
    id_index *x = wmem_new0(wmem_file_scope(), id_index);

    x->hash = hash;
    x->equal = equal;
    x->key_of = key_of;
    return x;
}

/* The slot that holds `key`, or the empty slot where it would go. */
static uint32_t *slot_of(const id_index *x, const void *key)
{
    uint32_t i = (uint32_t)x->hash(key) & x->mask;

    /* Bounded: at least a quarter of the slots are empty. */
    while (x->slot[i] && !x->equal(x->key_of(x->slot[i] - 1), key))
        i = (i + 1) & x->mask;
    return &x->slot[i];
}

uint32_t id_index_lookup(const id_index *x, const void *key)
{
    return x->slot ? *slot_of(x, key) - 1 : ID_INDEX_NONE; /* an empty slot: 0 - 1 */
}

static void grow(id_index *x)
{
    uint32_t *old = x->slot, old_size = old ? x->mask + 1 : 0;
    uint32_t size = old ? 2 * old_size : 64;

    x->slot = (uint32_t *)wmem_alloc0(wmem_file_scope(), size * sizeof *x->slot);
    x->mask = size - 1;
    for (uint32_t i = 0; i < old_size; i++)
        if (old[i])
            *slot_of(x, x->key_of(old[i] - 1)) = old[i]; /* keys are distinct */
    if (old)
        wmem_free(wmem_file_scope(), old);
}

void id_index_set(id_index *x, const void *key, uint32_t id)
{
    uint32_t *s;

    if (id == ID_INDEX_NONE)
        return;
    if (!x->slot || (uint64_t)(x->count + 1) * 4 > (uint64_t)(x->mask + 1) * 3)
        grow(x);
    s = slot_of(x, key);
    if (!*s)
        x->count++;
    *s = id + 1;
}
