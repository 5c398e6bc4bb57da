/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Variable pairs decoded once here, so every caller reads a mask the same. */
#include <errno.h>

#include "private.h"

XCX_EXPORT int xcx_mtrr_pair_decode(const struct xcx_mtrr_state *st,
                                    unsigned int index,
                                    struct xcx_mtrr_pair *out)
{
    if (!st || !out || index >= XCX_MTRR_VAR_MAX ||
        st->maxphysaddr < XCX_MAXPHYSADDR_MIN ||
        st->maxphysaddr > XCX_MAXPHYSADDR_MAX) {
        errno = EINVAL;
        return -1;
    }

    uint64_t bits = xcx_addr_bits(st->maxphysaddr);
    uint64_t mask = st->regs.var[index].mask & bits;
    uint64_t low = mask ? mask & -mask : UINT64_C(1) << st->maxphysaddr;

    *out = (struct xcx_mtrr_pair){
        .valid = st->regs.var[index].mask & XCX_MTRR_MASK_VALID,
        .exact = st->var_known >> index & 1,
        .type = st->regs.var[index].base & 0xff,
        .start = st->regs.var[index].base & mask,
        .low = low,
    };
    /* Contiguous: every bit from the lowest set one up to the width. */
    out->contiguous = mask == (bits & ~(low - 1));
    out->size = out->contiguous ? low : 0;
    return 0;
}
