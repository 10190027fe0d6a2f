#include "slab.h"

#include <epan/wmem_scopes.h>

/* 256 KiB a slab: a record that does not fit the rest of one starts the next,
 * so at most one record's size is left unused per slab (0.3 % for a stream's
 * entry), and a file with one stream touches only its own bytes (the slab
 * is not zero-filled). */
#define SLAB_BYTES ((size_t)256 * 1024)

struct slab {
    uint8_t *next; /* the free rest of the current slab */
    size_t left;
    size_t grain; /* 8, or 1 for records of bytes (slab_new_bytes) */
    void *given[SLAB_GIVE_MAX + 1]; /* by rounded size: records given back, each
                                       holding the next one's address */
};

slab *slab_new(void)
{
    slab *s = wmem_new0(wmem_file_scope(), slab);

    s->grain = 8;
    return s;
}

slab *slab_new_bytes(void)
{
    slab *s = slab_new();

    s->grain = 1;
    return s;
}

/* A record's size in its slab: a multiple of the grain, and room for the
 * address a record given back holds. */
static size_t rounded(const slab *s, size_t size)
{
    size = MAX(size, sizeof(void *));
    return (size + s->grain - 1) & ~(s->grain - 1);
}

void *slab_take(slab *s, size_t size)
{
    void **head;
    void *p;

    size = rounded(s, size);
    head = size <= SLAB_GIVE_MAX ? &s->given[size] : NULL;
    if (head && *head) {
        p = *head;
        memcpy(head, p, sizeof *head);
        return p;
    }
    return slab_alloc0(s, size);
}

void slab_give(slab *s, void *p, size_t size)
{
    size = rounded(s, size);
    if (!p || size > SLAB_GIVE_MAX)
        return;
    memcpy(p, &s->given[size], sizeof(void *));
    s->given[size] = p;
}

void *slab_alloc0(slab *s, size_t size)
{
    uint8_t *p;

    size = (size + 7) & ~(size_t)7;
    if (size > SLAB_BYTES)
        return wmem_alloc0(wmem_file_scope(), size);
    if (size > s->left) {
        s->next = (uint8_t *)wmem_alloc(wmem_file_scope(), SLAB_BYTES);
        s->left = SLAB_BYTES;
    }
    p = s->next;
    s->next += size;
    s->left -= size;
    memset(p, 0, size);
    return p;
}
