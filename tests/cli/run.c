/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a tool: its stdin is /dev/null, its stdout and stderr go to two
 * unlinked temporary files (in $TMPDIR) read back once it has exited.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "run.h"

extern char **environ;

struct run R;

/* An unlinked temporary file, open for reading and writing. */
static int capture_file(void)
{
    const char *base = getenv("TMPDIR");
    char path[4096];
    int fd;

    snprintf(path, sizeof(path), "%s/xcx-cli-out-XXXXXX",
             base && *base ? base : "/tmp");
    fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        fail_msg("mkostemp %s: %s", path, strerror(errno));
    unlink(path);
    return fd;
}

/* Everything written to @fd, NUL-terminated; closes @fd. */
static char *slurp(int fd)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ssize_t n;

    if (lseek(fd, 0, SEEK_SET) < 0)
        fail_msg("lseek: %s", strerror(errno));
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail_msg("read: %s", strerror(errno));
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return buf;
}

void run_free(void)
{
    free(R.out);
    free(R.err);
    R.out = R.err = NULL;
}

void run_argv(const char *const *argv)
{
    posix_spawn_file_actions_t fa;
    int out = capture_file(), err = capture_file();
    size_t used = 0;
    pid_t pid;
    int st, rc;

    run_free();
    R.cmd[0] = '\0';
    for (unsigned int i = 0; argv[i] && used < sizeof(R.cmd); i++)
        used += snprintf(R.cmd + used, sizeof(R.cmd) - used, "%s'%s'",
                         i ? " " : "", argv[i]);

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, err, 2);
    rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        close(out);
        close(err);
        fail_msg("posix_spawn %s: %s", argv[0], strerror(rc));
    }
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
    R.out = slurp(out);
    R.err = slurp(err);
    if (WIFSIGNALED(st))
        fail_msg("%s: killed by signal %d\nstderr:\n%s", R.cmd, WTERMSIG(st),
                 R.err);
    R.status = WEXITSTATUS(st);
}

unsigned int count(const char *hay, const char *needle)
{
    unsigned int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

unsigned int lines(const char *s)
{
    return count(s, "\n");
}

const char *out_line(unsigned int n, char *buf, size_t size)
{
    const char *p = R.out;

    for (unsigned int i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        fail_msg("%s: no line %u\nstdout:\n%s", R.cmd, n, R.out);
    snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
    return buf;
}

void expect_exit(int code)
{
    if (R.status != code)
        fail_msg("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", R.cmd,
                 R.status, code, R.out, R.err);
}

void expect_out(const char *needle)
{
    if (!strstr(R.out, needle))
        fail_msg("%s: stdout lacks \"%s\"\nstdout:\n%s", R.cmd, needle, R.out);
}

void expect_no_out(const char *needle)
{
    if (strstr(R.out, needle))
        fail_msg("%s: stdout has \"%s\"\nstdout:\n%s", R.cmd, needle, R.out);
}

void expect_err(const char *needle)
{
    if (!strstr(R.err, needle))
        fail_msg("%s: stderr lacks \"%s\"\nstderr:\n%s", R.cmd, needle, R.err);
}

void expect_err_empty(void)
{
    if (R.err[0])
        fail_msg("%s: unexpected stderr:\n%s", R.cmd, R.err);
}

void expect_out_equal(const char *want)
{
    if (strcmp(R.out, want))
        fail_msg("%s: stdout differs\n--- got:\n%s--- want:\n%s", R.cmd, R.out,
                 want);
}

void expect_line(unsigned int n, const char *want)
{
    char buf[4096];

    if (strcmp(out_line(n, buf, sizeof(buf)), want))
        fail_msg("%s: line %u\n got: %s\nwant: %s", R.cmd, n, buf, want);
}

void expect_version(const char *want, const char *built)
{
    char line[256];

    expect_exit(0);
    expect_err_empty();
    expect_line(0, want);
    snprintf(line, sizeof(line), "built against Xen %s (libxenctrl headers)",
             built);
    expect_line(1, line);
    if (access("/dev/xen/privcmd", F_OK))
        expect_line(2, "running on no Xen (no hypervisor interface here)");
    else if (strncmp(out_line(2, line, sizeof(line)), "running on ", 11))
        fail_msg("%s: line 2 says no Xen: %s", R.cmd, line);
}

void expect_ok(const char *want)
{
    expect_exit(0);
    expect_err_empty();
    expect_out_equal(want);
}

static void expect_no_stdout(const char *what)
{
    if (R.out[0])
        fail_msg("%s: %s, but stdout:\n%s", R.cmd, what, R.out);
}

void expect_usage(const char *what)
{
    expect_exit(2);
    if (what)
        expect_err(what);
    expect_err("--help");
    expect_no_stdout("usage error");
}

void expect_error(const char *what)
{
    expect_exit(1);
    expect_err(what);
    expect_no_stdout("error");
}

void expect_failure(const char *unused)
{
    expect_exit(1);
    if (!R.err[0])
        fail_msg("%s: exit 1 without a message", R.cmd);
    expect_no_stdout("error");
}

void run_cases(const struct run_case *cases, size_t n,
               void (*expect)(const char *want))
{
    for (size_t i = 0; i < n; i++) {
        if (cases[i].argv[RUN_MAX_ARGS - 1])
            fail_msg("case %zu: more than %d arguments", i, RUN_MAX_ARGS - 1);
        run_argv(cases[i].argv);
        expect(cases[i].want);
    }
}

void run_cases_without_xen(const struct run_case *cases, size_t n)
{
    if (access("/dev/xen/privcmd", F_OK) == 0) {
        skip(); /* a real dom0: the answer depends on its domains */
        return;
    }
    run_cases(cases, n, expect_failure);
}
