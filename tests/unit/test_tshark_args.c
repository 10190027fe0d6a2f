/*
 * Unit tests of reading a tshark command line (plugin/tshark_args.c): which
 * runs print only their -e fields (-T fields; pdml, json, ek with -e) and
 * which fields, as tshark 4.0 parses its options (values attached or
 * apart, clustered flags, the last -T, the logging options taken out
 * wherever they are, the end of the options), and every
 * command line it cannot read for certain left unknown (an unknown option,
 * a long option's prefix, a value missing, too many fields).
 */
#include <string.h>

#include "tshark_args.h"
#include "unit.h"

#define MAX_ARGS 16

/* Splits `line` at spaces ("|" stands for a space inside an argument) and
 * reads it; the -e fields joined by ','. */
static int read_line(const char *line, size_t max_fields, char *joined, size_t size)
{
    char buf[512], *argv[MAX_ARGS];
    const char *fields[8];
    int argc = 0;
    size_t n = 0;
    tshark_args_output out;

    snprintf(buf, sizeof buf, "tshark %s", line);
    for (char *tok = strtok(buf, " "); tok && argc < MAX_ARGS; tok = strtok(NULL, " ")) {
        for (char *c = tok; *c; c++)
            if (*c == '|')
                *c = ' ';
        argv[argc++] = tok;
    }
    out = tshark_args_read(argc, (const char *const *)argv, fields, max_fields, &n);
    joined[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(joined, ",", size - strlen(joined) - 1);
        strncat(joined, fields[i], size - strlen(joined) - 1);
    }
    return (int)out;
}

static void test_lines(void)
{
    static const struct {
        const char *line;
        int output;
        const char *fields;
    } cases[] = {
        /* -T fields and its -e fields, however written. */
        { "-r a.pcap -T fields -e frame.number -e tcpstate.role", TSHARK_ARGS_FIELDS,
          "frame.number,tcpstate.role" },
        { "-r a.pcap -Tfields -etcpstate.role", TSHARK_ARGS_FIELDS, "tcpstate.role" },
        { "-2qr a.pcap -T fields -E occurrence=a -e tcpstate.why", TSHARK_ARGS_FIELDS,
          "tcpstate.why" },
        { "-nVT fields -e tcpstate.role", TSHARK_ARGS_FIELDS, "tcpstate.role" },
        { "-T fields", TSHARK_ARGS_FIELDS, "" },
        { "-e tcpstate.role -T text -T fields", TSHARK_ARGS_FIELDS, "tcpstate.role" },
        { "-e -V -T fields", TSHARK_ARGS_FIELDS, "-V" }, /* -e's value, whatever it looks like */
        /* The logging options, taken out before the rest is parsed. */
        { "--log-level info -r a.pcap -T fields -e tcp.stream", TSHARK_ARGS_FIELDS, "tcp.stream" },
        { "--log-level=info -T fields -e tcp.stream", TSHARK_ARGS_FIELDS, "tcp.stream" },
        { "-e --log-domains tcpstate tcp.stream -T fields", TSHARK_ARGS_FIELDS, "tcp.stream" },
        { "-T --log-debug x fields -e --log-noisy=y a", TSHARK_ARGS_FIELDS, "a" },
        /* Long options and their values. */
        { "--print --export-objects http,/tmp/x -T fields -e a", TSHARK_ARGS_FIELDS, "a" },
        { "--disable-protocol=foo -T fields -e a", TSHARK_ARGS_FIELDS, "a" },
        { "--color -T fields -e a", TSHARK_ARGS_FIELDS, "a" },
        /* The options end at the first non-option or at "--". */
        { "-T fields -e a not.an.option -e b", TSHARK_ARGS_FIELDS, "a" },
        { "-T fields -e a -- -e b", TSHARK_ARGS_FIELDS, "a" },
        { "-e a - -T fields", TSHARK_ARGS_OTHER, "" },
        /* Other outputs. */
        { "-r a.pcap", TSHARK_ARGS_OTHER, "" },
        { "-V -O tcpstate", TSHARK_ARGS_OTHER, "" },
        { "-T fields -T pdml", TSHARK_ARGS_OTHER, "" },
        { "-T fields -T text -e a", TSHARK_ARGS_OTHER, "" },
        { "-T json -e a", TSHARK_ARGS_FIELDS, "a" }, /* pdml, json, ek: -e replaces the tree */
        { "-T pdml -e a -e b", TSHARK_ARGS_FIELDS, "a,b" },
        { "-Tek -ea", TSHARK_ARGS_FIELDS, "a" },
        { "-T json", TSHARK_ARGS_OTHER, "" },
        { "-T pdml", TSHARK_ARGS_OTHER, "" },
        { "-T jsonraw -e a", TSHARK_ARGS_OTHER, "" },
        { "-T psml -e a", TSHARK_ARGS_OTHER, "" },
        { "-T text -e a", TSHARK_ARGS_OTHER, "" },
        { "-o gui.x:-T|fields -e a", TSHARK_ARGS_OTHER, "" }, /* -T inside -o's value */
        { "-Y -T -e fields", TSHARK_ARGS_OTHER, "" },         /* -T is -Y's value */
        { "-TFIELDS -e a", TSHARK_ARGS_OTHER, "" },
        { "", TSHARK_ARGS_OTHER, "" },
        /* Not known for certain. */
        { "-A x -T fields -e a", TSHARK_ARGS_UNKNOWN, "" }, /* remote capture builds only */
        { "-k -T fields -e a", TSHARK_ARGS_UNKNOWN, "" },   /* no such option in 4.0 */
        { "--pri -T fields -e a", TSHARK_ARGS_UNKNOWN, "" }, /* a prefix tshark would take */
        { "--color=yes -T fields -e a", TSHARK_ARGS_UNKNOWN, "" },
        { "--no-such-option -T fields -e a", TSHARK_ARGS_UNKNOWN, "" },
        { "-T fields -e", TSHARK_ARGS_UNKNOWN, "" },
        { "-T fields --export-objects", TSHARK_ARGS_UNKNOWN, "" },
        { "--log-level -T fields -e a", TSHARK_ARGS_UNKNOWN, "" }, /* tshark stops there */
        { "--log-levels x -T fields -e a", TSHARK_ARGS_UNKNOWN, "" },
        { "-T fields -e a -e b -e c -e d -e e", TSHARK_ARGS_UNKNOWN, "" }, /* over max 4 */
        { "-:", TSHARK_ARGS_UNKNOWN, "" },
    };

    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char joined[256];
        int out;

        unit_set_ctx("case %u: %s", i, cases[i].line);
        out = read_line(cases[i].line, 4, joined, sizeof joined);
        CHECK_INT(out, cases[i].output);
        CHECK_STR(joined, cases[i].fields);
    }
    unit_set_ctx("");
}

static void test_edges(void)
{
    const char *fields[2];
    const char *argv[] = { "tshark", "-T", "fields", "-e", "a", NULL };
    size_t n = 99;

    CHECK_INT(tshark_args_read(0, argv, fields, 2, &n), TSHARK_ARGS_UNKNOWN);
    CHECK_INT((int)n, 0);
    CHECK_INT(tshark_args_read(1, argv, fields, 2, &n), TSHARK_ARGS_OTHER);
    CHECK_INT(tshark_args_read(5, argv, fields, 2, &n), TSHARK_ARGS_FIELDS);
    CHECK_INT((int)n, 1);
    CHECK(fields[0] == argv[4]); /* pointers into argv, not copies */
    CHECK_INT(tshark_args_read(5, argv, fields, 0, &n), TSHARK_ARGS_UNKNOWN);
}

int main(void)
{
    UNIT_RUN(test_lines);
    UNIT_RUN(test_edges);
    return unit_report();
}
