/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "ctxbuild.h"
#include "randstate.h"

unsigned int rand_type(struct prng *p)
{
    static const unsigned int types[] = {XCX_MT_UC, XCX_MT_WC, XCX_MT_WT,
                                         XCX_MT_WP, XCX_MT_WB};

    return types[prng_below(p, 5)];
}

static uint64_t addr_bits(unsigned int width)
{
    return ((UINT64_C(1) << width) - 1) & ~UINT64_C(0xfff);
}

static void rand_fixed(struct prng *p, struct xcx_mtrr_regs *r)
{
    unsigned int type = rand_type(p);
    unsigned int change = prng_chance(p, 30) ? 0 : (unsigned)prng_below(p, 40);

    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES; i++) {
        if (prng_chance(p, change))
            type = rand_type(p);
        ctxb_set_fixed(r, i, type);
    }
}

static uint64_t rand_pat(struct prng *p)
{
    static const unsigned int pat_types[] = {0, 1, 4, 5, 6, 7};
    uint64_t pat = 0;

    if (prng_chance(p, 50))
        return CTXB_DEFAULT_PAT;
    for (unsigned int i = 0; i < 8; i++)
        pat |= (uint64_t)pat_types[prng_below(p, 6)] << (8 * i);
    return pat;
}

/* A mask of bits [low, width) with up to 4 random holes above @low. */
static uint64_t holey_mask(struct prng *p, unsigned int low, unsigned int width)
{
    uint64_t mask = addr_bits(width) & ~((UINT64_C(1) << low) - 1);
    unsigned int holes = (unsigned int)prng_range(p, 1, 4);

    for (unsigned int h = 0; h < holes && low + 1 < width; h++)
        mask &= ~(UINT64_C(1) << prng_range(p, low + 1, width - 1));
    return mask | XCX_MTRR_MASK_VALID;
}

static void rand_pair(struct prng *p, struct xcx_mtrr_regs *r, unsigned int i,
                      unsigned int width)
{
    uint64_t bits = addr_bits(width);
    unsigned int kind = (unsigned int)prng_below(p, 100);
    unsigned int type = rand_type(p);

    if (kind < 12) {
        r->var[i].base = 0;
        r->var[i].mask = 0;
    } else if (kind < 20) { /* well-formed but not valid */
        r->var[i].base = (prng_next(p) & bits) | type;
        r->var[i].mask = prng_next(p) & bits;
    } else if (kind < 60) { /* contiguous */
        unsigned int k = (unsigned int)prng_range(p, 12, width);
        uint64_t size = UINT64_C(1) << k;

        if (prng_chance(p, 50) && k > 24) /* favour smaller ranges */
            size = UINT64_C(1) << prng_range(p, 12, 24);
        ctxb_set_var(r, i, prng_next(p) & bits & ~(size - 1), size, type,
                     width);
    } else if (kind < 75) { /* non-contiguous: aliases */
        unsigned int low = (unsigned int)prng_range(p, 12, width - 1);

        r->var[i].mask = holey_mask(p, low, width);
        r->var[i].base = (prng_next(p) & bits) | type;
    } else if (kind < 87 && i > 0) { /* overlap an earlier pair exactly */
        unsigned int j = (unsigned int)prng_below(p, i);

        r->var[i] = r->var[j];
        r->var[i].base = (r->var[i].base & ~UINT64_C(0xff)) | type;
    } else { /* small range below 4 MiB: meets the fixed ranges */
        uint64_t size = UINT64_C(1) << prng_range(p, 12, 20);

        ctxb_set_var(r, i, prng_below(p, 0x400000) & ~(size - 1), size, type,
                     width);
    }
}

void rand_regs(struct prng *p, struct rand_regs *out)
{
    struct xcx_mtrr_regs *r = &out->regs;
    unsigned int vcnt;

    memset(out, 0, sizeof(*out));
    out->width = prng_chance(p, 30) ? 36 : (unsigned int)prng_range(p, 36, 52);
    vcnt = prng_chance(p, 50) ? 8 : (unsigned int)prng_below(p, 9);
    r->cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | vcnt;
    r->def_type = rand_type(p);
    if (prng_chance(p, 85))
        r->def_type |= XCX_MTRR_DEF_E;
    if (prng_chance(p, 70))
        r->def_type |= XCX_MTRR_DEF_FE;
    r->pat = rand_pat(p);
    rand_fixed(p, r);
    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++)
        rand_pair(p, r, i, out->width);
    if (prng_chance(p, 15)) /* the shape of Xen's buggy save */
        ctxb_copy_pair0(r);
    for (unsigned int i = vcnt; i < XCX_MTRR_VAR_MAX; i++) {
        if (prng_chance(p, 30)) { /* ignored garbage above VCNT */
            r->var[i].base = prng_next(p) | 0x302;
            r->var[i].mask = prng_next(p);
        }
    }
    switch (prng_below(p, 4)) {
    case 0:
        out->var_known = 1;
        break;
    case 1:
        out->var_known = (uint32_t)prng_next(p) & 0xff;
        break;
    default:
        out->var_known = 0xff;
        break;
    }
}
