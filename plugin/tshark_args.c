#include "tshark_args.h"

#include <string.h>

/* tshark 4.0's options as Debian builds it (tshark.c: OPTSTRING, with
 * capture_opts.h's OPTSTRING_CAPTURE_COMMON and ui/dissect_opts.h's
 * OPTSTRING_DISSECT_COMMON): a letter followed by ':' takes an argument.
 * -A is left out on purpose: it exists only in builds with remote capture,
 * so whether it takes an argument is not known here. The leading '+' of
 * tshark's string (options end at the first non-option) is what
 * tshark_args_read does. */
static const char short_options[] = "2"
                                    "a:b:B:c:Df:i:ILps:y:"
                                    "d:K:nN:t:u:"
                                    "M:C:e:E:F:gG:hH:j:J:lo:O:PqQr:R:S:T:U:vVw:W:xX:Y:z:";

/* tshark 4.0's long options: 1 when it takes an argument. */
static const struct {
    const char *name;
    int has_arg;
} long_options[] = {
    { "help", 0 },
    { "version", 0 },
    { "autostop", 1 },
    { "ring-buffer", 1 },
    { "buffer-size", 1 },
    { "list-interfaces", 0 },
    { "interface", 1 },
    { "monitor-mode", 0 },
    { "list-data-link-types", 0 },
    { "no-promiscuous-mode", 0 },
    { "snapshot-length", 1 },
    { "linktype", 1 },
    { "list-time-stamp-types", 0 },
    { "time-stamp-type", 1 },
    { "compress-type", 1 },
    { "temp-dir", 1 },
    { "disable-protocol", 1 },
    { "enable-heuristic", 1 },
    { "disable-heuristic", 1 },
    { "enable-protocol", 1 },
    { "print", 0 },
    { "export-objects", 1 },
    { "export-tls-session-keys", 1 },
    { "color", 0 },
    { "no-duplicate-keys", 0 },
    { "elastic-mapping-filter", 1 },
    { "capture-comment", 1 },
    { "hexdump", 1 },
    { "selected-frame", 1 },
};

/* The logging options, which tshark takes out of its arguments before it
 * parses the rest (wsutil/wslog.c: ws_log_parse_args): "--log-level X" or
 * "--log-level=X", wherever they are. */
static const char *const log_options[] = {
    "--log-level", "--log-domains", "--log-domain", "--log-file",
    "--log-fatal", "--log-debug", "--log-noisy",
};

/* How many elements from argv[i] on a logging option takes (1 or 2), 0 when
 * argv[i] is none, -1 when it is one tshark would not accept. */
static int log_option_length(int argc, const char *const *argv, int i)
{
    for (size_t k = 0; k < sizeof log_options / sizeof log_options[0]; k++) {
        size_t n = strlen(log_options[k]);

        if (strncmp(argv[i], log_options[k], n) != 0)
            continue;
        if (argv[i][n] == '=')
            return 1;
        if (argv[i][n] == '\0')
            return i + 1 < argc && argv[i + 1][0] && argv[i + 1][0] != '-' ? 2 : -1;
        /* "--log-domains" is listed before "--log-domain", its alias and
         * prefix; anything else after a name is no option tshark takes. */
        return -1;
    }
    return 0;
}

/* The index of the argument after argv[i] that is not a logging option
 * (those are taken out before options get their values), -1 when none. */
static int value_index(int argc, const char *const *argv, int i)
{
    int v = i + 1;

    while (v < argc && log_option_length(argc, argv, v) > 0)
        v += log_option_length(argc, argv, v);
    return v < argc ? v : -1;
}

static int long_option_arg(const char *arg, int *has_arg)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

    for (size_t k = 0; k < sizeof long_options / sizeof long_options[0]; k++) {
        /* Only the whole name: tshark also takes an unambiguous prefix,
         * which this reader leaves unknown. */
        if (strlen(long_options[k].name) == len && strncmp(long_options[k].name, arg, len) == 0) {
            if (eq && !long_options[k].has_arg)
                return 0;
            *has_arg = long_options[k].has_arg && !eq;
            return 1;
        }
    }
    return 0;
}

/* What a -T output prints: -T fields the -e fields; pdml, json and ek print
 * them instead of the tree when there are any (epan/print.c,
 * write_specified_fields()); any other the tree or the columns. */
enum prints { PRINTS_TREE, PRINTS_E_OR_TREE, PRINTS_E };

static enum prints output_format(const char *value)
{
    if (strcmp(value, "fields") == 0)
        return PRINTS_E;
    if (strcmp(value, "pdml") == 0 || strcmp(value, "json") == 0 || strcmp(value, "ek") == 0)
        return PRINTS_E_OR_TREE;
    return PRINTS_TREE;
}

tshark_args_output tshark_args_read(int argc, const char *const *argv, const char **fields,
                                    size_t max_fields, size_t *n_fields)
{
    enum prints format = PRINTS_TREE;
    size_t n = 0;
    int i = 1;

    *n_fields = 0;
    if (argc < 1 || !argv)
        return TSHARK_ARGS_UNKNOWN;
    while (i < argc) {
        const char *arg = argv[i];
        int log_len = log_option_length(argc, argv, i);

        if (log_len < 0)
            return TSHARK_ARGS_UNKNOWN;
        if (log_len > 0) {
            i += log_len;
            continue;
        }
        if (strcmp(arg, "--") == 0)
            break; /* the capture filter follows */
        if (arg[0] != '-' || arg[1] == '\0')
            break; /* the first non-option: tshark's '+' ends the options there */
        if (arg[1] == '-') {
            int has_arg;

            if (!long_option_arg(arg + 2, &has_arg))
                return TSHARK_ARGS_UNKNOWN;
            if (has_arg && (i = value_index(argc, argv, i)) < 0)
                return TSHARK_ARGS_UNKNOWN;
            i++;
            continue;
        }
        for (size_t j = 1; arg[j]; j++) {
            const char *spec = strchr(short_options, arg[j]);
            const char *value;

            if (arg[j] == ':' || !spec)
                return TSHARK_ARGS_UNKNOWN;
            if (spec[1] != ':')
                continue;
            if (arg[j + 1]) {
                value = arg + j + 1;
            } else {
                if ((i = value_index(argc, argv, i)) < 0)
                    return TSHARK_ARGS_UNKNOWN;
                value = argv[i];
            }
            if (arg[j] == 'T') {
                format = output_format(value); /* the last -T counts */
            } else if (arg[j] == 'e') {
                if (n == max_fields)
                    return TSHARK_ARGS_UNKNOWN;
                fields[n++] = value;
            }
            break;
        }
        i++;
    }
    if (format == PRINTS_TREE || (format == PRINTS_E_OR_TREE && n == 0))
        return TSHARK_ARGS_OTHER;
    *n_fields = n;
    return TSHARK_ARGS_FIELDS;
}
