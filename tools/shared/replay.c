/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "replay.h"

static int apply_line(xcx_mtrr_tracker *tr, const char *path,
                      unsigned int lineno, const struct xcx_logged_write *w)
{
    struct xcx_write_outcome out;

    if (w->vcpu >= xcx_tracker_nr_vcpus(tr)) {
        fprintf(stderr, "%s: %s:%u: vCPU %u, but the context holds %u vCPUs\n",
                prog, path, lineno, w->vcpu, xcx_tracker_nr_vcpus(tr));
        return -1;
    }
    if (xcx_tracker_apply(tr, w->vcpu, w->msr, w->value,
                          w->has_old_value ? &w->old_value : NULL, &out)) {
        /* The library said why just before (an untracked MSR, an
         * impossible old value); this line says where. */
        fprintf(stderr, "%s: %s:%u: the write to MSR 0x%x cannot be replayed\n",
                prog, path, lineno, w->msr);
        return -1;
    }
    if (!out.accepted)
        fprintf(stderr, "%s: %s:%u: vcpu %u write refused, skipped: %s\n", prog,
                path, lineno, w->vcpu, out.reason);
    return 0;
}

/* The next line of @f into @buf (REPLAY_LINE_MAX + 1 bytes), newline
 * kept: its length, 0 at the end, -1 past REPLAY_LINE_MAX bytes. NUL bytes
 * are kept too (the parser refuses them). */
static ssize_t bounded_line(FILE *f, char *buf)
{
    size_t n = 0;
    int c;

    while ((c = getc_unlocked(f)) != EOF) {
        if (n == REPLAY_LINE_MAX)
            return -1;
        buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    buf[n] = '\0';
    return n;
}

/* The log as a stream, opened without blocking on a FIFO or device. */
static FILE *open_log(const char *path)
{
    char why[128];
    uint64_t size;
    int fd = open_regular(path, UINT64_MAX, &size, why, sizeof(why));
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;

    if (fd >= 0 && !f) {
        snprintf(why, sizeof(why), "%s", strerror(errno));
        close(fd);
    }
    if (!f)
        fprintf(stderr, "%s: %s: %s\n", prog, path, why);
    return f;
}

int replay_log(xcx_mtrr_tracker *tr, const char *path, xentoollog_logger *lg)
{
    FILE *f = open_log(path);
    char *line = malloc(REPLAY_LINE_MAX + 1);
    ssize_t len;
    unsigned int lineno = 0;
    int rc = -1;

    if (!f || !line) {
        if (f)
            fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        goto out;
    }
    while ((len = bounded_line(f, line)) != 0) {
        struct xcx_logged_write w;
        int parsed;

        if (++lineno == 0 || len < 0) {
            fprintf(stderr, "%s: %s:%u: line longer than %u bytes\n", prog,
                    path, lineno, REPLAY_LINE_MAX);
            goto out;
        }
        parsed = xcx_replay_parse_line(line, len, lineno, &w, lg);
        if (parsed < 0) {
            fprintf(stderr, "%s: %s:%u: not a write log line\n", prog, path,
                    lineno);
            goto out;
        }
        if (parsed && apply_line(tr, path, lineno, &w))
            goto out;
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(line);
    if (f)
        fclose(f);
    return rc;
}
