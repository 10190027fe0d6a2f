/*
 * Read filters in the GUI (docs/design.md, "Read filters"): the segments a
 * read filter dropped, kept across a re-dissection so that the kept frames
 * still show the whole capture's states.
 *
 * When the GUI reads a file with a read filter, every record is dissected
 * once on its first pass, numbered as the next kept frame; a dropped record is
 * followed by another first-pass dissection with the same number. From the
 * first such repeat on, the segment records of that pass are kept here, in
 * memory of their own that outlives the file scope. A later first pass over
 * the same file (a re-dissection after a preference change, which dissects
 * only the kept frames) is then given, before each kept frame, the records of
 * the dropped ones in their capture order, and the whole capture's stream
 * numbers: the tracker sees what it saw when the file was read. A pass over
 * other frames (another file, the file without a read filter) finds no match
 * and frees what was kept; it behaves as without this module.
 *
 * Only in the GUI (tshark never re-dissects), only once a read filter has
 * dropped a record, and at most READFILTER_MAX_BYTES (docs/performance.md).
 */
#ifndef TCPSTATE_READFILTER_REPLAY_H
#define TCPSTATE_READFILTER_REPLAY_H

#include "tcp_layers.h"
#include "tcpstate_plugin.h"

/* Track one frame's segment records as the first pass does; `pinfo` gives
 * the frame's number and time (a stand-in for a replayed record). */
typedef const tcpstate_frame *(*readfilter_feed)(packet_info *pinfo, const tcp_layers *layers,
                                                 void *ctx);

/* Switch the module on (the GUI only): call once, in the hand-off. */
void readfilter_replay_enable(void);

/* A file's first pass begins (the init routine of a file or a re-dissection). */
void readfilter_replay_pass_start(void);

/* The first pass of a frame: feeds the dropped records that came before it
 * (when this pass re-dissects a filtered read) and then the frame itself,
 * its layers with the whole capture's stream numbers, and keeps what a later
 * re-dissection will need. Returns what `feed` returned for the frame. */
const tcpstate_frame *readfilter_replay_track(packet_info *pinfo, tcp_layers *layers,
                                              readfilter_feed feed, void *ctx);

/* A later dissection of a frame (the GUI lists a kept frame right after its
 * first pass): tells which record the read filter kept. */
void readfilter_replay_visited(const packet_info *pinfo);

#endif
