/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The frames one PV dump has seen, in the MFN table (mfn_table.h). */
#include "pv_table.h"

int pv_cache_init(struct pv_cache *c)
{
    xcx_mfn_table_init(&c->frames, sizeof(struct pv_frame));
    return xcx_mfn_table_reserve(&c->frames, 1);
}

void pv_cache_free(struct pv_cache *c)
{
    xcx_mfn_table_free(&c->frames);
}

struct pv_frame *pv_cache_get(struct pv_cache *c, uint64_t mfn)
{
    return xcx_mfn_table_add(&c->frames, mfn);
}
