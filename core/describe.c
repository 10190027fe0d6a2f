/*
 * The summary sentence of a segment (tcpstate.summary, the first line of the
 * plugin's tree), in the language of the plugin's preference. It is built
 * from the stored ts_result alone, so any later dissection of the frame
 * renders the same sentence as the first pass.
 */
#include "describe_text.h"

#include <stdarg.h>
#include <stdio.h>

void ts_text_put(ts_text *t, const char *fmt, ...)
{
    va_list ap;
    size_t room = t->len < t->size ? t->size - t->len : 0;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
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
