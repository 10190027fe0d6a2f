#include "audience.h"

#include <epan/tap.h>

#include "experts.h"
#include "render.h"
#include "reports.h"
#include "tcpstate_plugin.h"

static enum { AUDIENCE_UNDECIDED, AUDIENCE_SOME, AUDIENCE_NONE } file_audience;
/* tshark reads a file once, or twice with -2, whose first pass runs no
 * taps; the GUI and sharkd dissect any frame again whenever asked. */
static gboolean reads_once;
static gboolean warned; /* the warning of audience_none_known() is given */
/* Decided with file_audience; until then, as for the GUI. */
static gboolean dissects_once; /* a tshark pass with taps: no frame is dissected again */
static gboolean zeek_unseen;   /* ... and nothing in it shows the Zeek view */
static gboolean why_unseen;    /* ... nor a Why line */

void audience_register(void)
{
    reads_once = report_program_is("tshark");
}

void audience_init_file(void)
{
    file_audience = AUDIENCE_UNDECIDED;
    warned = FALSE;
    dissects_once = zeek_unseen = why_unseen = FALSE;
}

/* Can this dissection show anything of tcpstate? A tree shown in full, or a
 * tree in which a tcpstate field, the protocol or one of its expert infos is
 * asked for (a filter, a custom column, tshark 4.4's -T fields: the
 * protocol is then referenced through its field; tshark 4.0's -T fields
 * naming a tcpstate field, printed_fields.c); an expert info through
 * the expert tap, an Expert column or a _ws.expert field; a report or any
 * other listener of the "tcpstate" tap; the Info column's tag. */
static gboolean output_seen(proto_tree *tree, packet_info *pinfo)
{
    return (tree && (field_seen(tree, proto_registrar_get_nth(tcpstate_id.proto)) ||
                     (printed_fields_only && printed_fields_of(tcpstate_id.proto)))) ||
           experts_all_seen(tree, pinfo) || have_tap_listener(tcpstate_id.tap) ||
           (tcpstate_pref.info_prefix && pinfo->cinfo);
}

/* Can this run show the Zeek view (docs/zeek.md)? A tree shown in full, a
 * report (any listener of the tcpstate tap), or a conn_state or history
 * item asked for; the outcome fields, which show it too, come only on a
 * later pass. */
static gboolean zeek_seen(proto_tree *tree)
{
    return tree_in_full(tree) || have_tap_listener(tcpstate_id.tap) || render_zeek_seen(tree);
}

/* Can this run show a Why line (the wire bookkeeping they read, core/wire.h)?
 * A report, or a Why line or the port-reuse expert info asked for (a tree in
 * full shows both). */
static gboolean why_seen(proto_tree *tree, packet_info *pinfo)
{
    return have_tap_listener(tcpstate_id.tap) || render_why_seen(tree, pinfo);
}

gboolean audience_none_known(proto_tree *tree, packet_info *pinfo)
{
    if (file_audience != AUDIENCE_NONE)
        return FALSE;
    /* tshark fixes its outputs before the first frame, so this cannot
     * happen; if some later tshark changes that, say so rather than show
     * a frame with no tcpstate tree and no word why. */
    if (!warned && output_seen(tree, pinfo)) {
        ws_warning("tcpstate: frame %u asks for tcpstate's output, but nothing did at this "
                   "run's first TCP frame, so no stream was tracked; read the file with -2",
                   pinfo->num);
        warned = TRUE;
    }
    return TRUE;
}

gboolean audience_none(proto_tree *tree, packet_info *pinfo, const tcp_layers *layers)
{
    if (file_audience == AUDIENCE_UNDECIDED && (layers->count || layers->incomplete)) {
        file_audience = reads_once && layers->taps && !output_seen(tree, pinfo) ? AUDIENCE_NONE
                                                                                : AUDIENCE_SOME;
        /* A tshark pass with taps is its only one. */
        dissects_once = reads_once && layers->taps;
        zeek_unseen = dissects_once && !zeek_seen(tree);
        why_unseen = dissects_once && !why_seen(tree, pinfo);
        /* What the tests (tests/plugin/run-audience-tests.sh) and a curious
         * user see with tshark --log-level info. */
        if (file_audience == AUDIENCE_NONE)
            ws_log("tcpstate", LOG_LEVEL_INFO,
                   "nothing in this run can see tcpstate's output: no stream is tracked");
        else
            ws_log("tcpstate", LOG_LEVEL_INFO, "tracking every stream from frame %u%s%s%s",
                   pinfo->num, dissects_once ? ", storing no frame's result" : "",
                   zeek_unseen ? ", without the Zeek view" : "",
                   why_unseen ? ", without the Why lines' bookkeeping" : "");
    }
    return file_audience == AUDIENCE_NONE;
}

gboolean audience_dissects_again(void)
{
    return !dissects_once;
}

gboolean audience_zeek_seen(void)
{
    return !zeek_unseen;
}

gboolean audience_why_seen(void)
{
    return !why_unseen;
}
