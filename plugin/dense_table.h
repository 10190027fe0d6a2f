/*
 * A file-scoped array indexed by a dense number (Wireshark's frame numbers,
 * tcp.stream indexes), grown in fixed chunks: an element costs its own size
 * and nothing else (no hash node, no per-element allocation), chunks are only
 * allocated where indexes are used, and growing never copies the elements
 * (only the chunk directory is reallocated).
 */
#ifndef TCPSTATE_DENSE_TABLE_H
#define TCPSTATE_DENSE_TABLE_H

#include <wireshark.h>

typedef struct dense_table dense_table;

/* A table of zero-filled elements of `elem_size` bytes, freed with the file
 * scope. Call from the file's init (the file scope must be open). */
dense_table *dense_table_new(size_t elem_size);

/* The element at `index`, allocating (zero-filled) its chunk if needed. */
void *dense_table_at(dense_table *t, uint32_t index);

/* The element at `index`, or NULL when its chunk was never allocated. */
const void *dense_table_find(const dense_table *t, uint32_t index);

#endif
