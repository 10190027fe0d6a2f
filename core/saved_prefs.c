#include "saved_prefs.h"

#include <string.h>

#define KEY "tcpstate.language"

/* The names and descriptions of the preference's values, as
 * plugin/packet-tcpstate.c registers them. */
static const struct {
    const char *word;
    ts_language lang;
} values[] = {
    { "en", TS_LANG_EN },
    { "English", TS_LANG_EN },
    { "zh_CN", TS_LANG_ZH_CN },
    { "\xe7\xae\x80\xe4\xbd\x93\xe4\xb8\xad\xe6\x96\x87 (Simplified Chinese)", TS_LANG_ZH_CN },
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* ASCII case-insensitive equality of s[0..n) and the C string w. */
static int same_word(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n && w[i]; i++) {
        char a = s[i], b = w[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return i == n && !w[i];
}

/* The value of one line "KEY: value" (the line without its newline). */
static int line_language(const char *line, size_t n, ts_language *out)
{
    size_t k = sizeof KEY - 1, v, end;

    if (n <= k || memcmp(line, KEY, k) != 0)
        return 0;
    v = k;
    if (line[v] != ':') /* Wireshark's key runs up to the colon */
        return 0;
    v++;
    while (v < n && is_blank(line[v]))
        v++;
    end = n;
    while (end > v && is_blank(line[end - 1]))
        end--;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (same_word(line + v, end - v, values[i].word)) {
            *out = values[i].lang;
            return 1;
        }
    }
    return 0;
}

int ts_saved_language(const char *text, size_t len, ts_language *out)
{
    int found = 0;
    size_t at = 0;

    if (!text)
        return 0;
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        ts_language lang;

        if (line_language(text + at, n, &lang)) {
            *out = lang;
            found = 1;
        }
        at += n + 1;
    }
    return found;
}
