/*
 * What a tshark command line prints: read from its argument vector as
 * tshark 4.0 parses it (its getopt option string and long options), with no
 * Wireshark or glib dependency, so that it is unit-tested on its own
 * (tests/unit/test_tshark_args.c).
 *
 * Why: tshark 4.0 builds a visible protocol tree for `-T fields` ("Need full
 * tree info"), the same tree as for -V, although it prints only the -e
 * fields (and so for -T pdml, json and ek with -e fields); nothing in
 * libwireshark 4.0 tells the plugin which fields those are (tshark keeps
 * them to itself). plugin/printed_fields.c asks this reader, so that such a
 * run gets only the items it prints (docs/performance.md, "Session 11:
 * tshark 4.0's -T fields gets only the items it prints"). Anything this
 * reader does not know for certain makes it answer "not known", and the
 * tree is then built in full, as before.
 */
#ifndef TCPSTATE_TSHARK_ARGS_H
#define TCPSTATE_TSHARK_ARGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TSHARK_ARGS_UNKNOWN,  /* an option this reader does not know, or a malformed one */
    TSHARK_ARGS_OTHER,    /* a known command line that may print any field */
    TSHARK_ARGS_FIELDS,   /* only the -e fields are printed: -T fields, or -T pdml, json
                             or ek with -e fields */
} tshark_args_output;

/* Reads argv[0..argc) (argv[0] the program). With TSHARK_ARGS_FIELDS,
 * fields[0..*n_fields) point at the -e values in argv (at most max_fields;
 * more make the answer TSHARK_ARGS_UNKNOWN). */
tshark_args_output tshark_args_read(int argc, const char *const *argv, const char **fields,
                                    size_t max_fields, size_t *n_fields);

#ifdef __cplusplus
}
#endif

#endif /* TCPSTATE_TSHARK_ARGS_H */
