/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "replay.h"

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

static int put_line(FILE *f, const char *line, int len)
{
    if (len < 0 || fwrite(line, 1, (size_t)len, f) != (size_t)len || fflush(f))
        return -1;
    return 0;
}

int log_put_header(FILE *f, const struct xcx_log_header *h)
{
    char line[XCX_LOG_LINE_MAX];

    return put_line(f, line, xcx_log_format_header(h, line, sizeof(line)));
}

int log_put_write(FILE *f, unsigned int vcpu, uint32_t msr, uint64_t value,
                  const struct xcx_write_outcome *out)
{
    const struct xcx_logged_write w = {vcpu, msr, value, out->old_value, true};
    char line[XCX_LOG_LINE_MAX];

    return put_line(
        f, line, xcx_log_format_write(&w, out->accepted, line, sizeof(line)));
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

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

/* The next line that is not blank into *@e: 1, 0 at the end, -1 error. */
static int next_entry(struct replay_log *rl, struct xcx_log_entry *e)
{
    ssize_t len;
    int kind;

    while ((len = bounded_line(rl->f, rl->line)) != 0) {
        if (++rl->lineno == 0 || len < 0) {
            fprintf(stderr, "%s: %s:%u: line longer than %u bytes\n", prog,
                    rl->path, rl->lineno, REPLAY_LINE_MAX);
            return -1;
        }
        kind = xcx_log_parse_line(rl->line, (size_t)len, rl->lineno, e, rl->lg);
        if (kind < 0) {
            fprintf(stderr, "%s: %s:%u: not a write log line\n", prog, rl->path,
                    rl->lineno);
            return -1;
        }
        if (kind != XCX_LOG_BLANK)
            return 1;
    }
    if (ferror(rl->f)) {
        fprintf(stderr, "%s: %s: %s\n", prog, rl->path, strerror(errno));
        return -1;
    }
    return 0;
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

int replay_open(struct replay_log *rl, const char *path, xentoollog_logger *lg)
{
    int rc;

    memset(rl, 0, sizeof(*rl));
    rl->path = path;
    rl->lg = lg;
    rl->line = malloc(REPLAY_LINE_MAX + 1);
    if (!rl->line) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    rl->f = open_log(path);
    if (!rl->f)
        return -1;
    rc = next_entry(rl, &rl->first);
    if (rc <= 0)
        return rc;
    if (rl->first.kind == XCX_LOG_HEADER) {
        rl->has_header = true;
        rl->header = rl->first.header;
    } else {
        rl->pending = true;
    }
    return 0;
}

void replay_close(struct replay_log *rl)
{
    free(rl->line);
    if (rl->f)
        fclose(rl->f);
    rl->line = NULL;
    rl->f = NULL;
}

static const char *verdict(bool accepted)
{
    return accepted ? "accepted" : "refused";
}

static int apply_write(struct replay_log *rl, xcx_mtrr_tracker *tr,
                       const struct xcx_log_entry *e)
{
    const struct xcx_logged_write *w = &e->write;
    struct xcx_write_outcome out;
    const char *at = rl->path;
    unsigned int n = rl->lineno;

    if (w->vcpu >= xcx_tracker_nr_vcpus(tr)) {
        fprintf(stderr, "%s: %s:%u: vCPU %u, but the context holds %u vCPUs\n",
                prog, at, n, w->vcpu, xcx_tracker_nr_vcpus(tr));
        return -1;
    }
    if (!xcx_msr_name(w->msr)) {
        fprintf(stderr,
                "%s: %s:%u: MSR 0x%x is no MTRR or PAT MSR: skipped, as the "
                "live monitor ignores it\n",
                prog, at, n, w->msr);
        return 0;
    }
    if (xcx_tracker_apply(tr, w->vcpu, w->msr, w->value,
                          w->has_old_value ? &w->old_value : NULL, &out)) {
        /* The library said why just before (an impossible old value);
         * this line says where. */
        fprintf(stderr, "%s: %s:%u: the write to MSR 0x%x cannot be replayed\n",
                prog, at, n, w->msr);
        return -1;
    }
    if (e->accepted >= 0 && out.accepted != (e->accepted == 1)) {
        fprintf(stderr,
                "%s: %s:%u: vcpu %u's write of 0x%016" PRIx64 " to MSR 0x%x "
                "was %s by Xen when recorded but is %s on replay (%s): the "
                "width or the Xen version is not the recording's\n",
                prog, at, n, w->vcpu, w->value, w->msr, verdict(e->accepted),
                verdict(out.accepted),
                out.accepted ? "no reason to refuse it" : out.reason);
        return -1;
    }
    if (!out.accepted)
        fprintf(stderr, "%s: %s:%u: vcpu %u write refused, skipped: %s\n", prog,
                at, n, w->vcpu, out.reason);
    return 0;
}

int replay_apply(struct replay_log *rl, xcx_mtrr_tracker *tr)
{
    struct xcx_log_entry e;
    int rc;

    if (rl->pending) {
        rl->pending = false;
        if (apply_write(rl, tr, &rl->first))
            return -1;
    }
    while ((rc = next_entry(rl, &e)) > 0) {
        if (e.kind == XCX_LOG_HEADER) {
            fprintf(stderr,
                    "%s: %s:%u: a second header: a log holds one recording\n",
                    prog, rl->path, rl->lineno);
            return -1;
        }
        if (apply_write(rl, tr, &e))
            return -1;
    }
    return rc;
}
