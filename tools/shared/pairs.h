/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Variable MTRR pairs as the tools show them: ranges and index lists. */
#ifndef XCX_CLI_PAIRS_H
#define XCX_CLI_PAIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

/* A variable pair as a range: base, size, and whether the mask is one. */
struct pair_shape {
    bool valid, exact, contiguous;
    unsigned int type;
    uint64_t start, size; /* start: base & mask; size 0 when not contiguous */
    uint64_t low;         /* the lowest mask bit (2^width for mask 0) */
};

/* The shape of variable pair @i of @st. */
struct pair_shape pair_shape(const struct xcx_mtrr_state *st, unsigned int i);

/* "0-3,5" for a set of pair indices; @buf of at least 32 bytes. */
const char *pair_list(uint32_t pairs, char *buf, size_t len);

#endif
