/*
 * Hash of a key compared as bytes, for the file-scoped maps whose keys are
 * plain structs (zeroed padding included): the streams' tuples (tracking.c),
 * hashed once per new stream. It reads four bytes at a time (a multiplicative
 * mix, then the tail byte by byte) rather than one.
 */
#ifndef TCPSTATE_BYTES_HASH_H
#define TCPSTATE_BYTES_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline unsigned bytes_hash(const void *key, size_t size)
{
    const uint8_t *p = (const uint8_t *)key;
    uint32_t h = 2166136261u, w;
    size_t i = 0;

    for (; i + 4 <= size; i += 4) {
        memcpy(&w, p + i, 4);
        h = (h ^ w) * 0x9E3779B1u;
        h ^= h >> 15;
    }
    for (; i < size; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ (h >> 13);
}

#endif
