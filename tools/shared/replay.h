/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Applying a recorded write log (xc-mtrr-watch --record) to a tracker. */
#ifndef XCX_CLI_REPLAY_H
#define XCX_CLI_REPLAY_H

#include "xenctrl_ext.h"

/* Longest log line accepted; a recorded line is about 100 bytes. */
#define REPLAY_LINE_MAX 65536

/*
 * Apply every write of the log at @path to @tr in file order. Refused
 * writes are reported on stderr and skipped; a malformed line, an MSR that
 * is not tracked or a vCPU the tracker lacks is an error naming the line.
 */
int replay_log(xcx_mtrr_tracker *tr, const char *path, xentoollog_logger *lg);

#endif
