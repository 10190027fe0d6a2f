#include "dense_table.h"

#include <epan/wmem_scopes.h>

/* 4096 elements per chunk: 64 KiB for 16-byte frame records, so the unused
 * tail of the last chunk is at most that. */
#define CHUNK_BITS 12
#define CHUNK_SIZE (1u << CHUNK_BITS)

struct dense_table {
    size_t elem_size;
    uint32_t chunk_count; /* entries of `chunks` */
    uint8_t **chunks;     /* NULL where no index was used yet */
};

dense_table *dense_table_new(size_t elem_size)
{
    dense_table *t = wmem_new0(wmem_file_scope(), dense_table);

    t->elem_size = elem_size;
    return t;
}

void *dense_table_at(dense_table *t, uint32_t index)
{
    uint32_t c = index >> CHUNK_BITS;

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
        t->chunks[c] = (uint8_t *)wmem_alloc0(wmem_file_scope(), CHUNK_SIZE * t->elem_size);
    return t->chunks[c] + (index & (CHUNK_SIZE - 1)) * t->elem_size;
}

const void *dense_table_find(const dense_table *t, uint32_t index)
{
    uint32_t c = index >> CHUNK_BITS;

    if (c >= t->chunk_count || !t->chunks[c])
        return NULL;
    return t->chunks[c] + (index & (CHUNK_SIZE - 1)) * t->elem_size;
}
