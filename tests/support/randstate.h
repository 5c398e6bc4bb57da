/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Random but valid MTRR registers: contiguous and non-contiguous masks,
 * overlaps, small ranges below 1 MiB, random E/FE, VCNT, var_known and
 * widths 36..52. Non-contiguous masks have at most 4 holes, so a map stays
 * far below XCX_MTRR_MAP_MAX_ENTRIES.
 */
#ifndef TEST_RANDSTATE_H
#define TEST_RANDSTATE_H

#include <stdint.h>

#include "prng.h"
#include "xenctrl_ext.h"

struct rand_regs {
    struct xcx_mtrr_regs regs;
    unsigned int width;
    uint32_t var_known;
};

void rand_regs(struct prng *p, struct rand_regs *out);

/* A random valid memory type (UC, WC, WT, WP, WB). */
unsigned int rand_type(struct prng *p);

#endif
