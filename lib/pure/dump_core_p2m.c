/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The .xen_p2m section of an xl dump-core file: one {pfn, gmfn} pair per
 * page of .xen_pages, in the same order. Xen writes the pairs in ascending
 * PFN order and pads a live dump whose guest shrank with {~0, ~0} pairs
 * and zero pages (tools/libs/ctrl/xc_core.c). Page tables name machine
 * frames, so the walker needs the reverse: a table sorted by gmfn.
 */
#include <errno.h>
#include <stdlib.h>

#include "dump_core.h"

#define INVALID_FRAME UINT64_MAX /* XC_CORE_INVALID_{PFN,GMFN} */
#define NO_PAD        UINT64_MAX
#define HEX(v)        ((unsigned long long)(v))
#define DEC(v)        ((unsigned long long)(v))

static uint64_t pair_field(const struct xcx_core_p2m *ix, uint64_t i,
                           unsigned int field)
{
    return xcx_le(ix->img + ix->offset + i * XCX_CORE_P2M_ENTRY + field, 8);
}

static int cmp_slot(const void *a, const void *b)
{
    const struct xcx_core_slot *x = a, *y = b;

    return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

/* Pair @i: 0 to index it, 1 for padding, -1 (EINVAL) when wrong. */
static int check_pair(const struct xcx_core_p2m *ix, uint64_t i,
                      uint64_t *last_pfn, uint64_t *first_pad,
                      xentoollog_logger *lg)
{
    uint64_t pfn = pair_field(ix, i, 0), gmfn = pair_field(ix, i, 8);
    uint64_t off = ix->offset + i * XCX_CORE_P2M_ENTRY;

    if (pfn == INVALID_FRAME && gmfn == INVALID_FRAME) {
        if (*first_pad == NO_PAD)
            *first_pad = i;
        return 1;
    }
    if (*first_pad != NO_PAD)
        return xcx_fail(lg, EINVAL,
                        ".xen_p2m pair %llu (offset %#llx) follows the "
                        "invalid (padding) pair %llu",
                        DEC(i), HEX(off), DEC(*first_pad));
    if (pfn >> XCX_CORE_FRAME_BITS || gmfn >> XCX_CORE_FRAME_BITS)
        return xcx_fail(lg, EINVAL,
                        ".xen_p2m pair %llu (offset %#llx): pfn %#llx gmfn "
                        "%#llx is beyond 52-bit addresses",
                        DEC(i), HEX(off), HEX(pfn), HEX(gmfn));
    if (i && pfn <= *last_pfn)
        return xcx_fail(lg, EINVAL,
                        ".xen_p2m pair %llu (offset %#llx): pfn %#llx does not "
                        "ascend from pfn %#llx of pair %llu",
                        DEC(i), HEX(off), HEX(pfn), HEX(*last_pfn), DEC(i - 1));
    *last_pfn = pfn;
    return 0;
}

int xcx_core_p2m_index(struct xcx_core_p2m *ix, const unsigned char *img,
                       uint64_t offset, uint64_t nr_pages,
                       xentoollog_logger *lg)
{
    uint64_t last_pfn = 0, first_pad = NO_PAD;

    *ix = (struct xcx_core_p2m){img, offset, NULL, 0};
    ix->by_mfn = malloc((nr_pages ? nr_pages : 1) * sizeof(*ix->by_mfn));
    if (!ix->by_mfn)
        return -1;
    for (uint64_t i = 0; i < nr_pages; i++) {
        int rc = check_pair(ix, i, &last_pfn, &first_pad, lg);

        if (rc < 0)
            return -1;
        if (rc == 0)
            ix->by_mfn[ix->nr++] =
                (struct xcx_core_slot){pair_field(ix, i, 8), i};
    }
    qsort(ix->by_mfn, ix->nr, sizeof(*ix->by_mfn), cmp_slot);
    for (size_t k = 1; k < ix->nr; k++) {
        const struct xcx_core_slot *a = &ix->by_mfn[k - 1], *b = a + 1;

        if (a->mfn == b->mfn)
            return xcx_fail(lg, EINVAL,
                            ".xen_p2m: gmfn %#llx appears twice, for pfn "
                            "%#llx (pair %llu) and pfn %#llx (pair %llu)",
                            HEX(a->mfn), HEX(pair_field(ix, a->index, 0)),
                            DEC(a->index), HEX(pair_field(ix, b->index, 0)),
                            DEC(b->index));
    }
    return 0;
}

void xcx_core_p2m_free(struct xcx_core_p2m *ix)
{
    free(ix->by_mfn);
    ix->by_mfn = NULL;
    ix->nr = 0;
}

bool xcx_core_p2m_find(const struct xcx_core_p2m *ix, uint64_t mfn,
                       uint64_t *index, uint64_t *pfn)
{
    const struct xcx_core_slot key = {mfn, 0};
    const struct xcx_core_slot *s =
        bsearch(&key, ix->by_mfn, ix->nr, sizeof(key), cmp_slot);

    if (!s)
        return false;
    *index = s->index;
    *pfn = pair_field(ix, s->index, 0);
    return true;
}
