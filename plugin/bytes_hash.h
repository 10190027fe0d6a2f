/*
 * Hash of a fixed-size key compared as bytes (FNV-1a), for the file-scoped
 * maps whose keys are plain structs (zeroed padding included).
 */
#ifndef TCPSTATE_BYTES_HASH_H
#define TCPSTATE_BYTES_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline unsigned bytes_hash(const void *key, size_t size)
{
    const uint8_t *p = (const uint8_t *)key;
    unsigned h = 2166136261u;

    for (size_t i = 0; i < size; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

#endif
