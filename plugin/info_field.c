/*
 * Since Wireshark 4.2 every column is also a string field, _ws.col.<format>
 * (tshark -e _ws.col.Info, display filters on _ws.col.info). Wireshark's frame
 * dissector adds those fields from the columns just BEFORE it calls the
 * post-dissectors, so a post-dissector's col_prepend_fstr() reaches the
 * column (the packet list, tshark's summary line) but not the field: with
 * only the column changed, `tshark -T fields -e _ws.col.Info` on 4.4 shows no
 * info_prefix tags (docs/install.md, "Wireshark 4.4"). This module gives the
 * field the same prefix. The field is in the tree only when something asked
 * for it (a -e option, a filter), and only then is there anything to change.
 *
 * Setting a field's value needs fvalue_get_string()/fvalue_set_string(),
 * which libwireshark exports from 4.4 on (4.0 has no such field);
 * plugin/CMakeLists.txt checks that they link and defines
 * TCPSTATE_HAVE_FVALUE_SET_STRING, else this does nothing.
 */
#include "info_field.h"

#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>

#include "report_words.h"

void info_field_prepend(proto_tree *tree, const char *prefix)
{
#ifdef TCPSTATE_HAVE_FVALUE_SET_STRING
    /* Looked up each time: Wireshark registers the column fields again
     * whenever the column preferences change. */
    int hf = proto_registrar_get_id_byname("_ws.col.info");
    GPtrArray *fields;

    if (hf <= 0 || !tree)
        return;
    fields = proto_get_finfo_ptr_array(tree, hf);
    if (!fields)
        return;
    for (unsigned i = 0; i < fields->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(fields, i);
        const char *old;
        char *value;

        if (!fi || !fi->value)
            continue;
        old = fvalue_get_string(fi->value);
        /* Made before the old value is replaced (and freed); the field keeps
         * its own copy. */
        value = g_strconcat(prefix, old ? old : "", NULL);
        fvalue_set_string(fi->value, value);
        g_free(value);
    }
#else
    (void)tree;
    (void)prefix;
#endif
}

void info_field_tag_frame(proto_tree *tree, packet_info *pinfo, const tcpstate_frame *frame)
{
    ts_language lang = tcpstate_pref.language == TS_LANG_ZH_CN ? TS_LANG_ZH_CN : TS_LANG_EN;
    char tags[64], tag[40];
    size_t used = 0;

    /* Whole tags only: a frame with many tunnelled layers gets the tags that
     * fit, and a cut never splits a tag (nor a Chinese character). */
    for (unsigned i = 0; i < frame->count; i++) {
        size_t n = ts_info_tag(&frame->item[i].result, lang, tag, sizeof tag);

        if (n >= sizeof tag || used + n + 2 > sizeof tags)
            break;
        memcpy(tags + used, tag, n);
        used += n;
    }
    if (!used)
        return;
    tags[used] = ' '; /* the tags, then a space, then the column as it was */
    tags[used + 1] = '\0';
    col_prepend_fstr(pinfo->cinfo, COL_INFO, "%s", tags);
    info_field_prepend(tree, tags);
}
