/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of memory types, origins and overlap kinds. */
#include <errno.h>

#include "private.h"

static const char *const mem_type_names[8] = {
    [XCX_MT_UC] = "UC", [XCX_MT_WC] = "WC", [XCX_MT_WT] = "WT",
    [XCX_MT_WP] = "WP", [XCX_MT_WB] = "WB", [XCX_MT_UC_MINUS] = "UC-",
};

static const char *const origin_names[] = {
    [XCX_ORIGIN_DISABLED] = "disabled",
    [XCX_ORIGIN_FIXED] = "fixed",
    [XCX_ORIGIN_VARIABLE] = "variable",
    [XCX_ORIGIN_DEFAULT] = "default",
};

static const char *const overlap_names[] = {
    [XCX_OVERLAP_NONE] = "none",
    [XCX_OVERLAP_SAME] = "same",
    [XCX_OVERLAP_PRECEDENCE] = "precedence",
    [XCX_OVERLAP_UNDEFINED] = "undefined",
};

static const char *lookup(const char *const *names, unsigned int count,
                          unsigned int index)
{
    if (index >= count || !names[index]) {
        errno = EINVAL;
        return NULL;
    }
    return names[index];
}

XCX_EXPORT const char *xcx_mem_type_name(unsigned int code)
{
    return lookup(mem_type_names, 8, code);
}

XCX_EXPORT const char *xcx_mtrr_origin_name(unsigned int origin)
{
    return lookup(origin_names, 4, origin);
}

XCX_EXPORT const char *xcx_mtrr_overlap_name(unsigned int overlap)
{
    return lookup(overlap_names, 4, overlap);
}

bool xcx_mtrr_type_valid(unsigned int code)
{
    return code == XCX_MT_UC || code == XCX_MT_WC || code == XCX_MT_WT ||
           code == XCX_MT_WP || code == XCX_MT_WB;
}
