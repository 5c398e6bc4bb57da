/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fields xc-pv-pagetable prints alike in walks and dumps. */
#include <inttypes.h>

#include "pv.h"

const char *pv_cache_name(unsigned int type)
{
    const char *name = xcx_mem_type_name(type);

    return name ? name : "?";
}

void pv_print_flags(FILE *out, uint32_t flags, const char *sep,
                    const char *quote)
{
    bool first = true;

    for (uint32_t bit = 1; bit <= XCX_PTE_NX; bit <<= 1) {
        if (!(flags & bit) || !xcx_pte_flag_name(bit))
            continue;
        fprintf(out, "%s%s%s%s", first ? "" : sep, quote,
                xcx_pte_flag_name(bit), quote);
        first = false;
    }
}

void pv_json_frame(const char *key, uint64_t v, bool valid)
{
    if (valid)
        printf(",\"%s\":\"0x%" PRIx64 "\"", key, v);
    else
        printf(",\"%s\":null", key);
}
