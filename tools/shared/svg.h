/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A picture of a guest's physical address space (--svg FILE): one band per
 * vCPU, colored by MTRR type, unreliable ranges hatched, the fixed-range
 * region [0, 1 MiB) magnified beside it, findings marked and numbered, a
 * legend; addresses on a piecewise-logarithmic scale so that a 4 KiB range
 * and a 64 GiB one are both visible.
 */
#ifndef XCX_CLI_SVG_H
#define XCX_CLI_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

/* A finding to mark: its ranges on the bands of its vCPUs. */
struct svg_mark {
    const char *id;       /* e.g. "MTRR010-ram-uncached" */
    const char *severity; /* "error", "warning", "info" */
    const unsigned int *vcpus;
    unsigned int nr_vcpus;
    const uint64_t (*ranges)[2]; /* [start, end) each */
    unsigned int nr_ranges;
};

/* What to draw: @count states of vCPUs @first_vcpu.. */
struct svg_picture {
    const char *title;
    const struct xcx_mtrr_state *states;
    unsigned int first_vcpu, count;
    const struct svg_mark *marks;
    size_t nr_marks;
};

/* Write the picture to @path: 0, or -1 after a message naming @path. */
int svg_write(const char *path, const struct svg_picture *pic,
              xentoollog_logger *lg);

#endif
