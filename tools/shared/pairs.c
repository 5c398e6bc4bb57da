/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Variable pairs decoded once here, so every tool reads a mask the same. */
#include <stdio.h>

#include "pairs.h"

struct pair_shape pair_shape(const struct xcx_mtrr_state *st, unsigned int i)
{
    uint64_t bits = ((UINT64_C(1) << st->maxphysaddr) - 1) & ~UINT64_C(0xfff);
    uint64_t mask = st->regs.var[i].mask & bits;
    uint64_t low = mask ? mask & -mask : UINT64_C(1) << st->maxphysaddr;
    struct pair_shape s = {
        .valid = st->regs.var[i].mask & XCX_MTRR_MASK_VALID,
        .exact = st->var_known >> i & 1,
        .type = st->regs.var[i].base & 0xff,
        .start = st->regs.var[i].base & mask,
        .low = low,
    };

    /* Contiguous: every bit from the lowest set one up to the width. */
    s.contiguous = mask == (bits & ~(low - 1));
    s.size = s.contiguous ? low : 0;
    return s;
}

const char *pair_list(uint32_t pairs, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned int i = 0; i < 32 && used < len; i++) {
        unsigned int j = i;

        if (!(pairs >> i & 1))
            continue;
        while (j + 1 < 32 && (pairs >> (j + 1) & 1))
            j++;
        used += snprintf(buf + used, len - used, used ? ",%u" : "%u", i);
        if (j > i && used < len)
            used += snprintf(buf + used, len - used, "-%u", j);
        i = j;
    }
    return buf;
}
