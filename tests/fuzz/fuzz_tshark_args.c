/*
 * libFuzzer harness of the tshark command-line reader (plugin/tshark_args.c):
 * the input, cut at NUL bytes, is the argument vector (argv[0] included).
 * Whatever it holds, the reader must return one of its three answers, never
 * more fields than it was given room for, and only pointers into the
 * arguments (ASan and UBSan watch the reads).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tshark_args.h"

#define MAX_ARGS 64
#define MAX_FIELDS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    const char *argv[MAX_ARGS + 1];
    const char *fields[MAX_FIELDS];
    size_t n = 0;
    int argc = 0;
    tshark_args_output out;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (size_t at = 0; at <= size && argc < MAX_ARGS; at += strlen(buf + at) + 1)
        argv[argc++] = buf + at;
    argv[argc] = NULL;
    out = tshark_args_read(argc, argv, fields, size ? (size_t)(data[0] & 7) : 0, &n);
    if (out != TSHARK_ARGS_UNKNOWN && out != TSHARK_ARGS_OTHER && out != TSHARK_ARGS_FIELDS)
        abort();
    if (n > MAX_FIELDS || (out != TSHARK_ARGS_FIELDS && n != 0))
        abort();
    for (size_t i = 0; i < n; i++)
        if (fields[i] < buf || fields[i] > buf + size)
            abort();
    free(buf);
    return 0;
}
