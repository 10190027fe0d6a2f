/*
 * Unit tests of reading the saved `tcpstate.language` from a Wireshark
 * preferences file's text (core/saved_prefs.c): what Wireshark writes (a
 * default commented out, a value set), the enum's names and descriptions in
 * any ASCII case, blanks and CRLF, the last valid line winning, and what is
 * not the preference (another key, a prefix of it, a continuation line, an
 * unknown value, no text).
 */
#include <string.h>

#include "saved_prefs.h"
#include "unit.h"

/* 1 and the language, or 0 and `lang` left as it was (-1 here). */
static int lang_of(const char *text, int *lang)
{
    ts_language l = (ts_language)-1;
    int found = ts_saved_language(text, text ? strlen(text) : 0, &l);

    *lang = (int)l;
    return found;
}

static void test_values(void)
{
    static const struct {
        const char *text;
        int found, lang;
    } cases[] = {
        /* As the Preferences dialog saves them. */
        { "# Language of the summary line and the explanations\n"
          "# One of: English, 简体中文 (Simplified Chinese)\n"
          "# (case-insensitive).\n"
          "tcpstate.language: 简体中文 (Simplified Chinese)\n", 1, TS_LANG_ZH_CN },
        { "#tcpstate.language: English\n", 0, -1 }, /* a default, commented out */
        { "tcpstate.language: zh_CN\n", 1, TS_LANG_ZH_CN },
        { "tcpstate.language: ZH_cn", 1, TS_LANG_ZH_CN }, /* no newline at the end */
        { "tcpstate.language:en\n", 1, TS_LANG_EN },
        { "tcpstate.language: english\r\n", 1, TS_LANG_EN },
        { "tcpstate.language:\t zh_CN  \r\n", 1, TS_LANG_ZH_CN },
        { "tcpstate.language: zh_CN\ntcpstate.language: English\n", 1, TS_LANG_EN },
        { "tcpstate.language: en\ntcpstate.language: klingon\n", 1, TS_LANG_EN },
        { "gui.layout_type: 2\ntcpstate.msl: 60\ntcpstate.language: zh_CN\ntcp.analyze_sequence_numbers: TRUE\n",
          1, TS_LANG_ZH_CN },
        /* Not the preference. */
        { "tcpstate.languages: zh_CN\n", 0, -1 },
        { "xtcpstate.language: zh_CN\n", 0, -1 },
        { "  tcpstate.language: zh_CN\n", 0, -1 }, /* a continuation of the line before */
        { "tcpstate.language zh_CN\n", 0, -1 },
        { "tcpstate.language : zh_CN\n", 0, -1 }, /* Wireshark's key would be "tcpstate.language " */
        { "tcpstate.language: zh\n", 0, -1 },
        { "tcpstate.language: zh_CN_TW\n", 0, -1 },
        { "tcpstate.language:\n", 0, -1 },
        { "", 0, -1 },
    };

    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int lang, found;
        unit_set_ctx("case %u", i);
        found = lang_of(cases[i].text, &lang);
        CHECK_INT(found, cases[i].found);
        CHECK_INT(lang, cases[i].lang);
    }
    unit_set_ctx("%s", "");
}

static void test_edges(void)
{
    ts_language l = TS_LANG_EN;
    const char text[] = "tcpstate.language: zh_CN\n";

    CHECK_INT(ts_saved_language(NULL, 10, &l), 0);
    CHECK_INT(l, TS_LANG_EN);
    /* Only `len` bytes count: the value cut short is no value. */
    CHECK_INT(ts_saved_language(text, 22, &l), 0);
    CHECK_INT(ts_saved_language(text, 24, &l), 1);
    CHECK_INT(l, TS_LANG_ZH_CN);
    /* A NUL inside the text is a byte like any other. */
    {
        const char nul[] = "x\0y\ntcpstate.language: en";
        l = TS_LANG_ZH_CN;
        CHECK_INT(ts_saved_language(nul, sizeof nul - 1, &l), 1);
        CHECK_INT(l, TS_LANG_EN);
    }
}

int main(void)
{
    UNIT_RUN(test_values);
    UNIT_RUN(test_edges);
    return unit_report();
}
