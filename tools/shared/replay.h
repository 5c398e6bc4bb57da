/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Write logs (xc-mtrr-watch --record; the format is the library's,
 * xcx_log_parse_line(), documented in xc-mtrr-watch(1)): writing one, and
 * applying one to a tracker.
 */
#ifndef XCX_CLI_REPLAY_H
#define XCX_CLI_REPLAY_H

#include <stdio.h>

#include "xenctrl_ext.h"

/* Longest log line accepted; a recorded line is about 100 bytes. */
#define REPLAY_LINE_MAX 65536

/* A log being read: its header (if it has one) is read at open. */
struct replay_log {
    const char *path;
    FILE *f;
    char *line;
    unsigned int lineno;
    bool has_header;
    struct xcx_log_header header;
    bool pending; /* the first write, read while looking for the header */
    struct xcx_log_entry first;
    xentoollog_logger *lg;
};

/* Open @path and read up to its first line that is not blank. Errors
 * (said on stderr, naming the file and line): -1. */
int replay_open(struct replay_log *rl, const char *path, xentoollog_logger *lg);

/*
 * Apply every write of the log to @tr in file order. Refused writes are
 * reported on stderr and skipped, and so (with a note) are writes of MSRs
 * that are no MTRR or PAT MSR, as the live monitor ignores them. A
 * malformed line, a second header, a vCPU the tracker lacks, or a verdict
 * that differs from the one recorded is an error naming the line.
 */
int replay_apply(struct replay_log *rl, xcx_mtrr_tracker *tr);

void replay_close(struct replay_log *rl);

/* Write the header, or one write with its outcome, to a log and flush it;
 * -1 with errno on failure. */
int log_put_header(FILE *f, const struct xcx_log_header *h);
int log_put_write(FILE *f, unsigned int vcpu, uint32_t msr, uint64_t value,
                  const struct xcx_write_outcome *out);

#endif
