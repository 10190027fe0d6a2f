#include "byte_pack.h"

#include <string.h>

/*
 * Tokens (byte_pack.h): below 0x80, t + 1 bytes equal to the template's;
 * 0x80 to 0xBF, t - 0x7F bytes of the record follow; from 0xC0 on, a byte
 * w follows, and t - 0xBF four-byte words are those of the record from its
 * word w on (which came before: a stream's machines keep each end's initial
 * sequence number and the capture times in several places).
 */
#define EQUAL_MAX 128
#define LITERAL_MAX 64
#define WORDS_MAX 64
#define TOKEN_LITERAL 0x80
#define TOKEN_WORDS 0xC0
#define SEEN_BITS 8

_Static_assert(LITERAL_MAX == TOKEN_WORDS - TOKEN_LITERAL && WORDS_MAX == 0x100 - TOKEN_WORDS,
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
static int earlier_word(packer *p, size_t i)
{
    uint32_t v;
    int w;

    if (i % 4 || i + 4 > p->n || memcmp(p->rec + i, p->tmpl + i, 4) == 0)
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
    packer p = {rec, tmpl, n, {0}, 0};
    size_t i = 0, o = 0, j;
    int w;

    memset(p.seen, 0xFF, sizeof p.seen);
    while (i < n) {
        for (j = i; j < n && j - i < EQUAL_MAX && rec[j] == tmpl[j];)
            j++;
        if (j > i) {
            out[o++] = (uint8_t)(j - i - 1);
        } else if ((w = earlier_word(&p, i)) >= 0) {
            size_t k = 1, from = (size_t)w;
            while (k < WORDS_MAX && from + k < i / 4 && i + 4 * k + 4 <= n &&
                   word_at(rec, from + k) == word_at(rec, i / 4 + k) &&
                   memcmp(rec + i + 4 * k, tmpl + i + 4 * k, 4) != 0)
                k++;
            out[o++] = (uint8_t)(TOKEN_WORDS + k - 1);
            out[o++] = (uint8_t)from;
            j = i + 4 * k;
        } else {
            j = literal_end(&p, i);
            out[o++] = (uint8_t)(TOKEN_LITERAL + (j - i - 1));
            memcpy(out + o, rec + i, j - i);
            o += j - i;
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
        if (t < TOKEN_LITERAL) {
            run = (size_t)t + 1;
            memcpy(out + o, tmpl + o, run);
        } else if (t < TOKEN_WORDS) {
            run = (size_t)t - (TOKEN_LITERAL - 1);
            memcpy(out + o, packed + i, run);
            i += run;
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
