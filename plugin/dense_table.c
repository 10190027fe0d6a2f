#include "dense_table.h"

#include <epan/wmem_scopes.h>

dense_table *dense_table_new(size_t elem_size)
{
    dense_table *t = wmem_new0(wmem_file_scope(), dense_table);

    t->elem_size = elem_size;
    return t;
}

void *dense_table_grow_at(dense_table *t, uint32_t index)
{
    uint32_t c = index >> DENSE_CHUNK_BITS;

    if (c >= t->chunk_count) {
        /* Double the directory (at most 2^20 entries for 32-bit indexes). */
        uint32_t n = t->chunk_count ? t->chunk_count : 16;
        while (n <= c)
            n *= 2;
        t->chunks = (uint8_t **)wmem_realloc(wmem_file_scope(), t->chunks, n * sizeof *t->chunks);
        memset(t->chunks + t->chunk_count, 0, (n - t->chunk_count) * sizeof *t->chunks);
        t->chunk_count = n;
    }
    if (!t->chunks[c])
        t->chunks[c] = (uint8_t *)wmem_alloc0(wmem_file_scope(), DENSE_CHUNK_SIZE * t->elem_size);
    return t->chunks[c] + (index & (DENSE_CHUNK_SIZE - 1)) * t->elem_size;
}
