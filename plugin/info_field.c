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
