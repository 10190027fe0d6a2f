/*
 * The GUI's display filter on outcome fields, applied again once they are
 * known (gui_refilter.c).
 */
#ifndef TCPSTATE_GUI_REFILTER_H
#define TCPSTATE_GUI_REFILTER_H

#include "tcpstate_plugin.h"

/* A frame was tracked on its first pass (its outcome fields were not shown). */
void gui_refilter_first_pass(void);

/* At hand-off, in the GUI only: listen on the tcpstate tap. */
void gui_refilter_register(void);

#endif
