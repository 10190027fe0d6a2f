/*
 * A tshark run that prints only its -e fields (-T fields; -T pdml, json or
 * ek with -e fields) in a visible tree (tshark 4.0 builds one, the same as
 * for -V) gets only the items it prints or refers to (docs/performance.md,
 * "Session 11: tshark 4.0's -T fields gets only the items it prints").
 */
#ifndef TCPSTATE_PRINTED_FIELDS_H
#define TCPSTATE_PRINTED_FIELDS_H

#include <epan/proto.h>

/* Set once per run, at its first dissected frame (printed_fields_decide()):
 * TRUE when this is tshark printing only its -e fields, its command line
 * read in full (plugin/tshark_args.c), no tap listener asks for the whole
 * tree, and no -e names the tcpstate protocol itself (whose value is its
 * top line). */
extern gboolean printed_fields_only;

/* Reads the command line (at registration, before tshark parses it). */
void printed_fields_register(void);

void printed_fields_decide(void);

/* One bit per field id, set for the -e fields of such a run (their
 * registrations: an expert info has one per language). field_seen() asks
 * about every item the plugin could add, some 40 times a frame, so the
 * answer is a bit, not a search of the -e list (docs/performance.md,
 * "Session 13"). */
extern const guint8 *printed_field_bits;
extern unsigned printed_field_ids; /* the bits' count: the highest id printed + 1 */

/* Is `field` one of the -e fields of such a run? */
static inline gboolean printed_field(const header_field_info *field)
{
    unsigned id = (unsigned)field->id;

    return id < printed_field_ids && ((printed_field_bits[id >> 3] >> (id & 7)) & 1);
}

/* Is any -e field one of protocol `proto`'s (an expert info's included)? */
gboolean printed_fields_of(int proto);

#endif /* TCPSTATE_PRINTED_FIELDS_H */
