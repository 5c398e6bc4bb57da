/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The 88 fixed sub-ranges below 1 MiB, for callers outside the library. */
#include <errno.h>

#include "private.h"

XCX_EXPORT int xcx_mtrr_fixed_range(const struct xcx_mtrr_regs *regs,
                                    unsigned int index,
                                    struct xcx_fixed_range *out)
{
    if (index >= XCX_MTRR_FIXED_SUBRANGES || !out) {
        errno = EINVAL;
        return -1;
    }
    out->start = xcx_fixed_start(index);
    out->size = xcx_fixed_size(index);
    out->type = regs ? xcx_fixed_type(regs, index) : 0;
    return 0;
}
