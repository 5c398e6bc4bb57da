/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a built tool with posix_spawn and checking what it did: stdout,
 * stderr and the exit status of the last run are kept in R, and the expect_*
 * helpers fail the current cmocka test with the command line and the output
 * when it is not what they want.
 */
#ifndef TEST_CLI_RUN_H
#define TEST_CLI_RUN_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Room for a table case's command line, tool and NULL included. */
#define RUN_MAX_ARGS 24

struct run {
    int status; /* exit status */
    char *out;  /* stdout, NUL-terminated */
    char *err;  /* stderr, NUL-terminated */
    char cmd[2048];
};

/* The last run. */
extern struct run R;

/* Run @argv (NULL-terminated, argv[0] the tool's path) and wait for it. */
void run_argv(const char *const *argv);

#define RUN(...)                                                               \
    do {                                                                       \
        const char *const argv_[] = {__VA_ARGS__, NULL};                       \
        run_argv(argv_);                                                       \
    } while (0)

/* Free what the last run kept. */
void run_free(void);

/* Occurrences of @needle in @hay; lines of @s. */
unsigned int count(const char *hay, const char *needle);
unsigned int lines(const char *s);

/* Line @n (0-based) of stdout, without its newline, into @buf. */
const char *out_line(unsigned int n, char *buf, size_t size);

void expect_exit(int code);
void expect_out(const char *needle);
void expect_no_out(const char *needle);
void expect_err(const char *needle);
void expect_err_empty(void);
void expect_out_equal(const char *want);
void expect_line(unsigned int n, const char *want);

/* Success: exit 0, nothing on stderr and stdout exactly @want. */
void expect_ok(const char *want);

/* --version: exit 0, nothing on stderr, line 0 exactly @want ("xc-... 1.3.0"),
 * then the Xen of the build's headers (@built) and the Xen it runs on: none
 * without /dev/xen/privcmd, else some version. */
void expect_version(const char *want, const char *built);

/* A usage error: exit 2, @what (unless NULL) and the --help hint on
 * stderr, nothing on stdout. */
void expect_usage(const char *what);

/* An error: exit 1, @what on stderr, nothing on stdout. */
void expect_error(const char *what);

/* An error whose message depends on the machine: exit 1, some message on
 * stderr, nothing on stdout. The argument is unused (for run_cases). */
void expect_failure(const char *unused);

/* A command line and what the run must give (its meaning is the caller's:
 * the exact stdout, a usage message, an error message). */
struct run_case {
    const char *argv[RUN_MAX_ARGS];
    const char *want;
};

/* Run each case and check it with @expect(case->want). */
void run_cases(const struct run_case *cases, size_t n,
               void (*expect)(const char *want));

/* Live domains on a machine without Xen: run each case and check it with
 * expect_failure(); on a dom0 (/dev/xen/privcmd exists), where the answer
 * depends on its domains, skip the current test instead. */
void run_cases_without_xen(const struct run_case *cases, size_t n);

#endif
