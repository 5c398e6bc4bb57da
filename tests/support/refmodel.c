/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "refmodel.h"

unsigned int ref_fixed_index(uint64_t addr)
{
    /* Walk the sub-ranges rather than compute: slow and obviously right. */
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES; i++)
        if (addr >= ref_fixed_start(i) &&
            addr < ref_fixed_start(i) + ref_fixed_size(i))
            return i;
    return XCX_MTRR_FIXED_SUBRANGES;
}

uint64_t ref_fixed_start(unsigned int index)
{
    static const uint64_t msr_start[XCX_MTRR_FIXED_MSRS] = {
        0x00000, 0x80000, 0xa0000, 0xc0000, 0xc8000, 0xd0000,
        0xd8000, 0xe0000, 0xe8000, 0xf0000, 0xf8000,
    };

    return msr_start[index / 8] + (index % 8) * ref_fixed_size(index);
}

uint64_t ref_fixed_size(unsigned int index)
{
    if (index < 8)
        return 0x10000;
    if (index < 24)
        return 0x4000;
    return 0x1000;
}

static unsigned int var_type(const struct xcx_mtrr_state *st, unsigned int i)
{
    return st->regs.var[i].base & 0xff;
}

bool ref_resolve(const struct xcx_mtrr_state *st, uint64_t gpa,
                 struct xcx_mtrr_result *res)
{
    uint64_t def = st->regs.def_type;
    uint64_t bits;
    uint32_t all = (UINT32_C(1) << st->vcnt) - 1;
    uint32_t unknown = all & ~st->var_known;
    uint32_t types = 0;
    unsigned int n = 0, last = 0;

    memset(res, 0, sizeof(*res));
    if (st->maxphysaddr < 64 && (gpa >> st->maxphysaddr) != 0)
        return false;
    res->reliable = true;
    if (!(def & XCX_MTRR_DEF_E)) {
        res->type = XCX_MT_UC;
        res->origin = XCX_ORIGIN_DISABLED;
        return true;
    }
    if ((def & XCX_MTRR_DEF_FE) && gpa < XCX_FIXED_RANGE_END) {
        unsigned int idx = ref_fixed_index(gpa);

        res->origin = XCX_ORIGIN_FIXED;
        res->fixed_index = idx;
        res->type = (st->regs.fixed[idx / 8] >> (8 * (idx % 8))) & 0xff;
        return true;
    }
    bits = ((UINT64_C(1) << st->maxphysaddr) - 1) & ~UINT64_C(0xfff);
    for (unsigned int i = 0; i < st->vcnt; i++) {
        uint64_t mask = st->regs.var[i].mask;

        if (!(mask & XCX_MTRR_MASK_VALID))
            continue;
        mask &= bits;
        if ((gpa & mask) != (st->regs.var[i].base & mask))
            continue;
        res->pairs |= UINT32_C(1) << i;
        types |= UINT32_C(1) << var_type(st, i);
        last = i;
        n++;
    }
    if (n == 0) {
        res->origin = XCX_ORIGIN_DEFAULT;
        res->type = def & 0xff;
        res->reliable = unknown == 0;
        return true;
    }
    res->origin = XCX_ORIGIN_VARIABLE;
    if (n == 1) {
        res->overlap = XCX_OVERLAP_NONE;
        res->type = var_type(st, last);
    } else if ((types & (types - 1)) == 0) {
        res->overlap = XCX_OVERLAP_SAME;
        res->type = var_type(st, last);
    } else if (types & (1u << XCX_MT_UC)) {
        res->overlap = XCX_OVERLAP_PRECEDENCE;
        res->type = XCX_MT_UC;
    } else if (types == ((1u << XCX_MT_WT) | (1u << XCX_MT_WB))) {
        res->overlap = XCX_OVERLAP_PRECEDENCE;
        res->type = XCX_MT_WT;
    } else {
        res->overlap = XCX_OVERLAP_UNDEFINED;
        res->type = var_type(st, last);
    }
    res->reliable = unknown == 0;
    for (unsigned int i = 0; i < st->vcnt; i++)
        if ((res->pairs & st->var_known & (UINT32_C(1) << i)) &&
            var_type(st, i) == XCX_MT_UC)
            res->reliable = true;
    return true;
}

bool ref_result_equal(const struct xcx_mtrr_result *a,
                      const struct xcx_mtrr_result *b)
{
    if (a->type != b->type || a->origin != b->origin ||
        a->overlap != b->overlap || a->reliable != b->reliable ||
        a->pairs != b->pairs)
        return false;
    return a->origin != XCX_ORIGIN_FIXED || a->fixed_index == b->fixed_index;
}

void ref_result_format(char *buf, size_t size, const struct xcx_mtrr_result *r)
{
    snprintf(buf, size,
             "type=%u origin=%u overlap=%u reliable=%d pairs=%#x fixed=%u",
             r->type, r->origin, r->overlap, r->reliable, r->pairs,
             r->fixed_index);
}
