/*
 * A file-scoped hash index from a key to a 32-bit id, for keys that the ids'
 * own records hold (a stream's tuple, in its stream_entry): each slot is the
 * id alone, 4 bytes, and a key is found again through the caller's key_of().
 * Where a wmem_map costs a node of three pointers and a bucket per entry
 * (≈ 40 bytes), this costs 5 to 11 bytes (docs/performance.md).
 */
#ifndef TCPSTATE_ID_INDEX_H
#define TCPSTATE_ID_INDEX_H

#include <wireshark.h>

#define ID_INDEX_NONE UINT32_MAX

typedef struct id_index id_index;

/* The key of an id set before (what id_index_set() was given with it). */
typedef const void *(*id_index_key_fn)(uint32_t id);

/* An empty index, freed with the file scope. Call from the file's init. */
id_index *id_index_new(GHashFunc hash, GEqualFunc equal, id_index_key_fn key_of);

/* The id last set for `key`, or ID_INDEX_NONE. */
uint32_t id_index_lookup(const id_index *x, const void *key);

/* `key` now leads to `id` (replacing the id it led to). ID_INDEX_NONE
 * itself cannot be stored: it is ignored. */
void id_index_set(id_index *x, const void *key, uint32_t id);

#endif
