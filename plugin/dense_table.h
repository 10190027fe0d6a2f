/*
 * A file-scoped array indexed by a dense number (Wireshark's frame numbers,
 * tcp.stream indexes), grown in fixed chunks: an element costs its own size
 * and nothing else (no hash node, no per-element allocation), chunks are only
 * allocated where indexes are used, and growing never copies the elements
 * (only the chunk directory is reallocated). Every tracked frame looks itself
 * and its stream up, so the lookups are inline (docs/performance.md).
 */
#ifndef TCPSTATE_DENSE_TABLE_H
#define TCPSTATE_DENSE_TABLE_H

#include <wireshark.h>

/* 4096 elements per chunk: 64 KiB for 16-byte frame records, so the unused
 * tail of the last chunk is at most that. */
#define DENSE_CHUNK_BITS 12
#define DENSE_CHUNK_SIZE (1u << DENSE_CHUNK_BITS)

typedef struct dense_table {
    size_t elem_size;
    uint32_t chunk_count; /* entries of `chunks` */
    uint8_t **chunks;     /* NULL where no index was used yet */
} dense_table;

/* A table of zero-filled elements of `elem_size` bytes, freed with the file
 * scope. Call from the file's init (the file scope must be open). */
dense_table *dense_table_new(size_t elem_size);

/* dense_table_at() for an index whose chunk does not exist yet. */
void *dense_table_grow_at(dense_table *t, uint32_t index);

/* The element at `index`, allocating (zero-filled) its chunk if needed. */
static inline void *dense_table_at(dense_table *t, uint32_t index)
{
    uint32_t c = index >> DENSE_CHUNK_BITS;

    if (c >= t->chunk_count || !t->chunks[c])
        return dense_table_grow_at(t, index);
    return t->chunks[c] + (index & (DENSE_CHUNK_SIZE - 1)) * t->elem_size;
}

/* The element at `index`, or NULL when its chunk was never allocated. */
static inline const void *dense_table_find(const dense_table *t, uint32_t index)
{
    uint32_t c = index >> DENSE_CHUNK_BITS;

    if (c >= t->chunk_count || !t->chunks[c])
        return NULL;
    return t->chunks[c] + (index & (DENSE_CHUNK_SIZE - 1)) * t->elem_size;
}

#endif
