/*
 * unit.h: a tiny header-only check helper for the tcpstate unit tests.
 *
 * No external framework: every check counts one pass or one failure; a
 * failure prints "file:line: [context] what: expected X, got Y". The program
 * ends with unit_report(), which prints exactly "N passed, N failed" and
 * returns the exit status (non-zero when anything failed or no check ran).
 *
 *   UNIT_RUN(test_fn);                 run one test, naming it in messages
 *   CHECK(cond);                       a boolean condition
 *   CHECK_INT(got, expected);          integers (printed as long long)
 *   CHECK_STR(got, expected);          C strings (NULL-safe)
 *   CHECK_MSG(cond, fmt, ...);         a condition with a custom message
 */
#ifndef TCPSTATE_UNIT_H
#define TCPSTATE_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int unit_passed_count;
static int unit_failed_count;
static const char *unit_test_name = "";
static char unit_ctx_buf[200];          /* extra context, e.g. a variant label */

static inline void unit_set_ctx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(unit_ctx_buf, sizeof unit_ctx_buf, fmt, ap);
    va_end(ap);
}

static inline void unit_vfail(const char *file, int line, const char *fmt, va_list ap)
{
    fprintf(stdout, "%s:%d: [%s%s%s] ", file, line, unit_test_name,
            unit_ctx_buf[0] ? " " : "", unit_ctx_buf);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
}

/* Count one check; on failure print the formatted message. Returns ok. */
static inline int unit_check(int ok, const char *file, int line, const char *fmt, ...)
{
    if (ok) {
        unit_passed_count++;
    } else {
        va_list ap;
        unit_failed_count++;
        va_start(ap, fmt);
        unit_vfail(file, line, fmt, ap);
        va_end(ap);
    }
    return ok;
}

/* Print a note attached to a failure without counting a check. */
static inline void unit_note(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    unit_vfail(file, line, fmt, ap);
    va_end(ap);
}

static inline int unit_check_int(long long got, long long exp, const char *file, int line,
                                 const char *what)
{
    return unit_check(got == exp, file, line, "%s: expected %lld, got %lld", what, exp, got);
}

static inline int unit_check_str(const char *got, const char *exp, const char *file, int line,
                                 const char *what)
{
    int ok = got && exp ? strcmp(got, exp) == 0 : got == exp;
    return unit_check(ok, file, line, "%s: expected \"%s\", got \"%s\"", what,
                      exp ? exp : "(null)", got ? got : "(null)");
}

#define CHECK(cond) unit_check(!!(cond), __FILE__, __LINE__, "check failed: %s", #cond)
#define CHECK_MSG(cond, ...) unit_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT(got, exp) \
    unit_check_int((long long)(got), (long long)(exp), __FILE__, __LINE__, #got)
#define CHECK_STR(got, exp) unit_check_str((got), (exp), __FILE__, __LINE__, #got)

#define UNIT_RUN(fn)                   \
    do {                               \
        unit_test_name = #fn;          \
        unit_ctx_buf[0] = '\0';        \
        fn();                          \
        unit_test_name = "";           \
        unit_ctx_buf[0] = '\0';        \
    } while (0)

/* Print the summary line and return the process exit status. A program in
 * which no check ran has tested nothing: that counts as a failure. */
static inline int unit_report(void)
{
    if (unit_passed_count + unit_failed_count == 0) {
        printf("no check ran\n");
        unit_failed_count = 1;
    }
    printf("%d passed, %d failed\n", unit_passed_count, unit_failed_count);
    fflush(stdout);
    return unit_failed_count ? 1 : 0;
}

#endif /* TCPSTATE_UNIT_H */
