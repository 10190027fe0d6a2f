/*
 * File-scoped records carved out of large slabs: each record costs its size
 * rounded to 8 bytes, without the allocator's header per allocation
 * (docs/performance.md), or exactly its size in a slab of bytes. A stream's
 * entry is never freed; a record given back (slab_give: a stream's live
 * machines once packed, their packed bytes once unpacked, plugin/
 * stream_machines.c) is taken again by the next request of the same rounded
 * size, so memory stays bounded by the most records of each size alive at
 * once.
 */
#ifndef TCPSTATE_SLAB_H
#define TCPSTATE_SLAB_H

#include <wireshark.h>

typedef struct slab slab;

/* An empty slab set, freed with the file scope. Call from the file's init. */
slab *slab_new(void);

/* The same for records of bytes, not aligned: each costs its size (at
 * least a pointer's). */
slab *slab_new_bytes(void);

/* `size` zero-filled bytes, 8-byte aligned (slab_new_bytes: not aligned),
 * that live as long as the file scope. */
void *slab_alloc0(slab *s, size_t size);

/* `size` bytes, aligned as slab_alloc0's, not zero-filled: one given back
 * with the same rounded size if there is one. */
void *slab_take(slab *s, size_t size);

/* Give back a record of `size` bytes (what slab_take or slab_alloc0 was
 * asked for); sizes over SLAB_GIVE_MAX are not reused. */
#define SLAB_GIVE_MAX ((size_t)2048)
void slab_give(slab *s, void *p, size_t size);

#endif
