/*
 * File-scoped records that are never freed one by one (a stream's entry),
 * carved out of large slabs: each record costs its size rounded to 8 bytes,
 * without the allocator's header per allocation (docs/performance.md).
 */
#ifndef TCPSTATE_SLAB_H
#define TCPSTATE_SLAB_H

#include <wireshark.h>

typedef struct slab slab;

/* An empty slab set, freed with the file scope. Call from the file's init. */
slab *slab_new(void);

/* `size` zero-filled bytes, 8-byte aligned, that live as long as the file
 * scope. */
void *slab_alloc0(slab *s, size_t size);

#endif
