#include "byte_pack.h"

#include <string.h>

/*
 * Tokens (byte_pack.h), one byte t:
 * - below 0x80: t >> 3 bytes equal to the template's, then t & 7 bytes of
 *   the record follow (a few bytes changed after a few unchanged is the
 *   common case);
 * - 0x80 to 0xBF: t - 0x70 bytes equal to the template's (16 to 79);
 * - from 0xC0 on, a byte w follows, and t - 0xBF four-byte words are those
 *   of the record from its word w on (which came before: a stream's
 *   machines keep each end's initial sequence number and the capture times
 *   in several places).
 */
#define PAIR_EQUAL_MAX 15
#define LITERAL_MAX 7
#define TOKEN_EQUAL 0x80
#define EQUAL_MIN (PAIR_EQUAL_MAX + 1)
#define EQUAL_MAX (EQUAL_MIN + 0x3F)
#define TOKEN_WORDS 0xC0
#define WORDS_MAX 64
#define SEEN_BITS 8

_Static_assert(((PAIR_EQUAL_MAX << 3) | LITERAL_MAX) < TOKEN_EQUAL &&
                   TOKEN_EQUAL + (EQUAL_MAX - EQUAL_MIN) < TOKEN_WORDS &&
                   WORDS_MAX == 0x100 - TOKEN_WORDS,
               "the token ranges");

typedef struct {
    const uint8_t *rec, *tmpl;
    size_t n;
    int16_t seen[1 << SEEN_BITS]; /* a word's value, hashed -> its latest index, or -1 */
    size_t words_seen;            /* the words below this index are in `seen` */
} packer;

static uint32_t word_at(const uint8_t *p, size_t w)
{
    uint32_t v;

    memcpy(&v, p + 4 * w, sizeof v);
    return v;
}

static uint64_t long_at(const uint8_t *p, size_t i)
{
    uint64_t v;

    memcpy(&v, p + i, sizeof v);
    return v;
}

static unsigned word_hash(uint32_t v)
{
    return (unsigned)((v * 2654435761u) >> (32 - SEEN_BITS));
}

/* Note every whole word that ends at or before byte `i`: the unpacker has
 * them when it reaches `i`. */
static void see_words_before(packer *p, size_t i)
{
    for (; 4 * p->words_seen + 4 <= i; p->words_seen++)
        p->seen[word_hash(word_at(p->rec, p->words_seen))] = (int16_t)p->words_seen;
}

/* An earlier word equal to the one at byte `i` (aligned, different from the
 * template's), or -1. */
static inline int earlier_word(packer *p, size_t i)
{
    uint32_t v;
    int w;

    if (i % 4 || i + 4 > p->n || word_at(p->rec, i / 4) == word_at(p->tmpl, i / 4))
        return -1;
    see_words_before(p, i);
    v = word_at(p->rec, i / 4);
    w = p->seen[word_hash(v)];
    return w >= 0 && word_at(p->rec, (size_t)w) == v ? w : -1;
}

/* Where the literal run from `i` ends: at two bytes in a row equal to the
 * template's (one alone costs a token either way), at a word seen before,
 * or after LITERAL_MAX. */
static size_t literal_end(packer *p, size_t i)
{
    size_t j = i + 1;

    while (j < p->n && j - i < LITERAL_MAX &&
           !(p->rec[j] == p->tmpl[j] && (j + 1 == p->n || p->rec[j + 1] == p->tmpl[j + 1])) &&
           earlier_word(p, j) < 0)
        j++;
    return j;
}

size_t byte_pack(const uint8_t *rec, const uint8_t *tmpl, size_t n, uint8_t *out)
{
    packer p;
    size_t i = 0, o = 0, j, e;
    int w;

    p.rec = rec;
    p.tmpl = tmpl;
    p.n = n;
    p.words_seen = 0;
    memset(p.seen, 0xFF, sizeof p.seen);
    while (i < n) {
        /* most bytes are the template's: eight at a time where they can be */
        for (j = i; j + 8 <= n && j - i + 8 <= EQUAL_MAX && long_at(rec, j) == long_at(tmpl, j);)
            j += 8;
        while (j < n && j - i < EQUAL_MAX && rec[j] == tmpl[j])
            j++;
        e = j - i;
        if (e >= EQUAL_MIN) {
            out[o++] = (uint8_t)(TOKEN_EQUAL + (e - EQUAL_MIN));
        } else if (e == 0 && (w = earlier_word(&p, i)) >= 0) {
            size_t k = 1, from = (size_t)w;
            while (k < WORDS_MAX && from + k < i / 4 && i + 4 * k + 4 <= n &&
                   word_at(rec, from + k) == word_at(rec, i / 4 + k) &&
                   word_at(rec, i / 4 + k) != word_at(tmpl, i / 4 + k))
                k++;
            out[o++] = (uint8_t)(TOKEN_WORDS + k - 1);
            out[o++] = (uint8_t)from;
            j = i + 4 * k;
        } else {
            /* e equal bytes, then a literal run unless a word seen before
             * (or the end) comes first */
            size_t l = j < n && earlier_word(&p, j) < 0 ? literal_end(&p, j) - j : 0;
            out[o++] = (uint8_t)((e << 3) | l);
            memcpy(out + o, rec + j, l);
            o += l;
            j += l;
        }
        i = j;
    }
    return o;
}

size_t byte_unpack(const uint8_t *packed, const uint8_t *tmpl, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0, run;

    while (o < n) {
        uint8_t t = packed[i++];
        if (t < TOKEN_EQUAL) {
            run = (size_t)(t >> 3);
            memcpy(out + o, tmpl + o, run);
            o += run;
            run = (size_t)(t & 7);
            memcpy(out + o, packed + i, run);
            i += run;
        } else if (t < TOKEN_WORDS) {
            run = (size_t)t - TOKEN_EQUAL + EQUAL_MIN;
            memcpy(out + o, tmpl + o, run);
        } else {
            run = 4 * ((size_t)t - (TOKEN_WORDS - 1));
            memcpy(out + o, out + 4 * (size_t)packed[i++], run); /* it ends before `o` */
            o += run;
            continue;
        }
        o += run;
    }
    return i;
}
