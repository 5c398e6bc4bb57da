/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The horizontal scale of svg.c: every boundary of every vCPU's map is a
 * breakpoint, and each span between two breakpoints gets a width growing
 * with the logarithm of its size (a 4 KiB span 1 unit, 4 GiB 21 units), so
 * small ranges stay visible beside huge ones and the vCPUs' bands align.
 */
#ifndef XCX_CLI_SVG_SCALE_H
#define XCX_CLI_SVG_SCALE_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

struct svg_scale {
    uint64_t *at; /* sorted breakpoints, the first 0, the last the top */
    double *x;    /* their x positions */
    size_t n;
};

/* Breakpoints of @nr maps over [0, @top), spread over [x0, x1]. */
int svg_scale_build(struct svg_scale *s, xcx_mtrr_map *const *maps,
                    unsigned int nr, uint64_t top, double x0, double x1);
/* The x of @addr (between breakpoints: linear). */
double svg_scale_x(const struct svg_scale *s, uint64_t addr);
void svg_scale_free(struct svg_scale *s);

/* A short address: 0, 640K, 1M, 3584M, 4G, or hex when not a KiB multiple. */
const char *svg_addr_label(uint64_t v, char *buf, size_t size);

#endif
