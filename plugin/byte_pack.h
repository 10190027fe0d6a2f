/*
 * A record packed against a template of the same size: the bytes equal to
 * the template's in runs, four-byte words equal to earlier ones as their
 * index, the others literally (docs/performance.md, "per stream").
 * Lossless: unpacking gives back every byte, padding included, so a state
 * machine packed and unpacked goes on exactly as if it had stayed.
 */
#ifndef TCPSTATE_BYTE_PACK_H
#define TCPSTATE_BYTE_PACK_H

#include <stddef.h>
#include <stdint.h>

/* The most bytes byte_pack() writes for `n` bytes (at worst a token before
 * each byte: a literal run is cut at every word seen before). */
#define BYTE_PACK_BOUND(n) (2 * (n))

/* The largest record: a word's index is one byte. */
#define BYTE_PACK_MAX ((size_t)1024)

/* Pack the `n` bytes (at most BYTE_PACK_MAX) of `rec` against `tmpl` into
 * `out` (BYTE_PACK_BOUND(n) bytes); returns how many it wrote. */
size_t byte_pack(const uint8_t *rec, const uint8_t *tmpl, size_t n, uint8_t *out);

/* The `n` bytes that byte_pack() packed into `packed` against the same
 * `tmpl`, into `out`; returns how many bytes of `packed` they took. */
size_t byte_unpack(const uint8_t *packed, const uint8_t *tmpl, size_t n, uint8_t *out);

#endif
