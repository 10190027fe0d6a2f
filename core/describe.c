/*
 * The summary sentence of a segment (tcpstate.summary, the first line of the
 * plugin's tree), in the language of the plugin's preference. It is built
 * from the stored ts_result alone, so any later dissection of the frame
 * renders the same sentence as the first pass.
 */
#include "describe_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append n bytes as snprintf would: what fits, always NUL-terminated, and
 * the length it needed counted in full. */
static void put_bytes(ts_text *t, const char *s, size_t n)
{
    if (t->len < t->size) {
        size_t room = t->size - t->len - 1;
        size_t c = n < room ? n : room;
        memcpy(t->buf + t->len, s, c);
        t->buf[t->len + c] = '\0';
    }
    t->len += n;
}

/* Only %s and %u (nearly every text) are formatted here; anything else goes
 * to vsnprintf. The texts are built for every segment a tree shows, and
 * glibc's printf machinery cost more than the rest of the sentence. */
static int simple_format(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%'))
        if (p[1] != 's' && p[1] != 'u' && p[1] != '%')
            return 0;
    return 1;
}

static void put_simple(ts_text *t, const char *fmt, va_list ap)
{
    const char *p = fmt, *pct;

    while ((pct = strchr(p, '%')) != NULL) {
        put_bytes(t, p, (size_t)(pct - p));
        if (pct[1] == 's') {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)"; /* as glibc prints it */
            put_bytes(t, str, strlen(str));
        } else if (pct[1] == 'u') {
            char digits[10];
            unsigned v = va_arg(ap, unsigned);
            size_t n = 0;
            do {
                digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            put_bytes(t, digits + sizeof digits - n, n);
        } else {
            put_bytes(t, "%", 1);
        }
        p = pct + 2;
    }
    put_bytes(t, p, strlen(p));
}

void ts_text_put(ts_text *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (simple_format(fmt)) {
        put_simple(t, fmt, ap);
    } else {
        size_t room = t->len < t->size ? t->size - t->len : 0;
        int n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
        if (n > 0)
            t->len += (size_t)n;
    }
    va_end(ap);
}

const char *ts_side_in(unsigned side, ts_language lang)
{
    if (lang == TS_LANG_ZH_CN)
        return side == TS_SERVER ? "服务器" : "客户端";
    return ts_side_name(side);
}

void ts_text_put_changes(ts_text *t, const ts_result *r, const char *first, const char *sep,
                         const char *(*side_name)(unsigned side), const char *none)
{
    unsigned order[2] = { r->sender & 1u, 1u - (r->sender & 1u) };
    int any = 0;

    for (int i = 0; i < 2; i++) {
        unsigned side = order[i];
        if (r->prev[side] == r->state[side])
            continue;
        ts_text_put(t, "%s%s %s \xe2\x86\x92 %s", any ? sep : first, side_name(side),
                    ts_state_name(r->prev[side]), ts_state_name(r->state[side]));
        any = 1;
    }
    if (!any)
        ts_text_put(t, "%s", none);
}

size_t ts_describe_in(const ts_result *r, ts_language lang, char *buf, size_t size)
{
    ts_text t = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    if (lang == TS_LANG_ZH_CN)
        ts_describe_zh_cn(&t, r);
    else
        ts_describe_en(&t, r);
    return t.len;
}

size_t ts_describe(const ts_result *r, char *buf, size_t size)
{
    return ts_describe_in(r, TS_LANG_EN, buf, size);
}
