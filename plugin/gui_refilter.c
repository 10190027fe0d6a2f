/*
 * The outcome fields (tcpstate.outcome.*, conn_outcome.c) exist only when a
 * frame is dissected again, once its connection's end is known (docs/spec.md,
 * docs/fields.md). The Wireshark GUI applies a display filter given with -Y,
 * or one in force when a file is read or re-dissected, on the frames' first
 * pass: such a filter on outcome fields selected nothing. So, in the GUI
 * only, after frames were tracked on their first pass, the display filter is
 * applied again when it names an outcome field: that pass re-dissects the
 * frames with their connection's outcome as of the last frame read, as
 * `tshark -2 -Y` does (docs/reports.md, "Outcome filters in the GUI").
 *
 * The trigger is the draw callback of a tap listener: the GUI draws the taps
 * that saw new frames at every tap update (every 3 s by default). The
 * filter is applied through the funnel API (epan/funnel.h), which the GUI
 * provides to plugins and Lua scripts; tshark has none, and there nothing is
 * done. A filter applied while a file is still being read is queued by the
 * GUI until the read ends, so the last application sees every frame.
 */
#include "gui_refilter.h"

#include <epan/funnel.h>
#include <epan/tap.h>

#define OUTCOME_PREFIX "tcpstate.outcome."

static gboolean pending; /* frames were tracked since the filter was last applied */
static int listener_data; /* the listener's identity; holds nothing */

void gui_refilter_first_pass(void)
{
    pending = TRUE;
}

static tap_packet_status refilter_packet(void *tapdata _U_, packet_info *pinfo _U_,
                                         epan_dissect_t *edt _U_, const void *data _U_,
                                         tap_flags_t flags _U_)
{
    return pending ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static void refilter_draw(void *tapdata _U_)
{
    const funnel_ops_t *ops = funnel_get_funnel_ops();
    const char *shown;
    char *filter;

    if (!pending)
        return;
    pending = FALSE; /* before applying: that pass tracks nothing anew */
    if (!ops || !ops->get_filter || !ops->set_filter || !ops->apply_filter)
        return;
    shown = ops->get_filter(ops->ops_id);
    if (!shown || !strstr(shown, OUTCOME_PREFIX))
        return;
    /* set_filter may replace the text get_filter returned: apply a copy. */
    filter = g_strdup(shown);
    ops->set_filter(ops->ops_id, filter);
    ops->apply_filter(ops->ops_id);
    g_free(filter);
}

void gui_refilter_register(void)
{
    GString *err = register_tap_listener("tcpstate", &listener_data, NULL, TL_REQUIRES_NOTHING,
                                         NULL, refilter_packet, refilter_draw, NULL);

    if (err) /* the tap is registered before hand-off: cannot happen */
        g_string_free(err, TRUE);
}
