/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "refmodel.h"

bool ref_type_ok(unsigned int type)
{
    return type == XCX_MT_UC || type == XCX_MT_WC || type == XCX_MT_WT ||
           type == XCX_MT_WP || type == XCX_MT_WB;
}

uint64_t ref_addr_bits(unsigned int width)
{
    return ((UINT64_C(1) << width) - 1) & ~UINT64_C(0xfff);
}

bool ref_regs_valid(const struct xcx_mtrr_regs *r, unsigned int width)
{
    uint64_t above = ~((UINT64_C(1) << width) - 1);
    unsigned int vcnt = r->cap & XCX_MTRRCAP_VCNT_MASK;

    if (width < XCX_MAXPHYSADDR_MIN || width > XCX_MAXPHYSADDR_MAX)
        return false;
    if (vcnt > XCX_MTRR_VAR_MAX)
        return false;
    if ((r->def_type & ~UINT64_C(0xcff)) || !ref_type_ok(r->def_type & 0xff))
        return false;
    for (unsigned int i = 0; i < 8; i++) {
        unsigned int t = (r->pat >> (8 * i)) & 0xff;

        if (!ref_type_ok(t) && t != XCX_MT_UC_MINUS)
            return false;
    }
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES; i++)
        if (!ref_type_ok((r->fixed[i / 8] >> (8 * (i % 8))) & 0xff))
            return false;
    for (unsigned int i = 0; i < vcnt; i++) {
        if (!ref_type_ok(r->var[i].base & 0xff) || (r->var[i].base & 0xf00) ||
            (r->var[i].base & above))
            return false;
        if ((r->var[i].mask & 0x7ff) || (r->var[i].mask & above))
            return false;
    }
    return true;
}

unsigned int ref_width_hint(const struct xcx_mtrr_regs *r)
{
    unsigned int vcnt = r->cap & XCX_MTRRCAP_VCNT_MASK;
    unsigned int w = XCX_MAXPHYSADDR_DEFAULT;

    if (vcnt > XCX_MTRR_VAR_MAX)
        vcnt = XCX_MTRR_VAR_MAX;
    for (unsigned int i = 0; i < vcnt; i++) {
        uint64_t m = r->var[i].mask;
        unsigned int top;

        if (!(m & XCX_MTRR_MASK_VALID))
            continue;
        top = 64 - (unsigned int)__builtin_clzll(m);
        if (top > w)
            w = top;
    }
    return w > XCX_MAXPHYSADDR_MAX ? XCX_MAXPHYSADDR_MAX : w;
}

uint32_t ref_var_known(const struct xcx_mtrr_regs *r)
{
    unsigned int vcnt = r->cap & XCX_MTRRCAP_VCNT_MASK;
    uint32_t below = (UINT32_C(1) << vcnt) - 1;

    for (unsigned int i = 1; i < vcnt; i++)
        if (r->var[i].base != r->var[0].base ||
            r->var[i].mask != r->var[0].mask)
            return below;
    return below & 1;
}

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
    bits = ref_addr_bits(st->maxphysaddr);
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

bool ref_result_equal_merged(const struct xcx_mtrr_result *a,
                             const struct xcx_mtrr_result *b)
{
    return a->type == b->type && a->origin == b->origin &&
           a->overlap == b->overlap && a->reliable == b->reliable &&
           a->pairs == b->pairs;
}

bool ref_result_equal(const struct xcx_mtrr_result *a,
                      const struct xcx_mtrr_result *b)
{
    if (!ref_result_equal_merged(a, b))
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
