/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "randwrite.h"
#include "randstate.h"

static const uint32_t fixed_msrs[XCX_MTRR_FIXED_MSRS] = {
    0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f,
};

uint64_t rand_write_reg(const struct xcx_mtrr_regs *r, uint32_t msr)
{
    if (msr == XCX_MSR_MTRRCAP)
        return r->cap;
    if (msr == XCX_MSR_MTRR_DEF_TYPE)
        return r->def_type;
    if (msr == XCX_MSR_PAT)
        return r->pat;
    if (msr >= XCX_MSR_MTRR_PHYSBASE0 && msr < XCX_MSR_MTRR_PHYSBASE0 + 16)
        return msr & 1 ? r->var[(msr - 0x200) / 2].mask
                       : r->var[(msr - 0x200) / 2].base;
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        if (fixed_msrs[i] == msr)
            return r->fixed[i];
    return 0;
}

static uint64_t addr_bits(unsigned int width)
{
    return ((UINT64_C(1) << width) - 1) & ~UINT64_C(0xfff);
}

/* A byte that is no MTRR type (PAT: @pat, where 7 is one). */
static unsigned int bad_type(struct prng *p, bool pat)
{
    static const unsigned int bad[] = {2, 3, 7, 8, 0x10, 0x86, 0xff};
    unsigned int t;

    do
        t = bad[prng_below(p, sizeof(bad) / sizeof(bad[0]))];
    while (pat && t == 7);
    return t;
}

static uint64_t rand_def(struct prng *p)
{
    uint64_t v = rand_type(p);

    if (prng_chance(p, 80))
        v |= XCX_MTRR_DEF_E;
    if (prng_chance(p, 60))
        v |= XCX_MTRR_DEF_FE;
    if (prng_chance(p, 10))
        v = (v & ~UINT64_C(0xff)) | bad_type(p, false);
    else if (prng_chance(p, 8))
        v |= UINT64_C(1) << prng_range(p, 12, 63);
    else if (prng_chance(p, 4))
        v |= UINT64_C(1) << prng_range(p, 8, 9);
    return v;
}

static uint64_t rand_fixed(struct prng *p)
{
    uint64_t v = 0;
    unsigned int type = rand_type(p);
    bool mixed = prng_chance(p, 40);

    for (unsigned int b = 0; b < 8; b++)
        v |= (uint64_t)(mixed ? rand_type(p) : type) << (8 * b);
    if (prng_chance(p, 10)) {
        unsigned int b = (unsigned int)prng_below(p, 8);

        v &= ~(UINT64_C(0xff) << (8 * b));
        v |= (uint64_t)bad_type(p, false) << (8 * b);
    }
    return v;
}

static uint64_t rand_base(struct prng *p, unsigned int width)
{
    uint64_t v = (prng_next(p) & addr_bits(width)) | rand_type(p);

    if (prng_chance(p, 30)) /* low, near the fixed ranges */
        v = (prng_below(p, 0x1000000) & ~UINT64_C(0xfff)) | rand_type(p);
    if (prng_chance(p, 5))
        v = (v & ~UINT64_C(0xff)) | bad_type(p, false);
    else if (prng_chance(p, 4))
        v |= UINT64_C(1) << prng_range(p, 8, 11);
    else if (prng_chance(p, 4) && width < 64)
        v |= UINT64_C(1) << prng_range(p, width, 63);
    return v;
}

static uint64_t rand_mask(struct prng *p, unsigned int width)
{
    unsigned int k = (unsigned int)prng_range(p, 12, width - 1);
    uint64_t v =
        (addr_bits(width) & ~((UINT64_C(1) << k) - 1)) | XCX_MTRR_MASK_VALID;

    if (prng_chance(p, 40)) /* small ranges are the common case */
        v = (addr_bits(width) & ~((UINT64_C(1) << prng_range(p, 12, 24)) - 1)) |
            XCX_MTRR_MASK_VALID;
    if (prng_chance(p, 12))
        v &= ~(uint64_t)XCX_MTRR_MASK_VALID;
    if (prng_chance(p, 6)) /* a hole or two: non-contiguous */
        for (unsigned int h = (unsigned int)prng_range(p, 1, 2); h; h--)
            v &= ~(UINT64_C(1) << prng_range(p, 13, width - 1));
    if (prng_chance(p, 4))
        v |= UINT64_C(1) << prng_range(p, 0, 10);
    else if (prng_chance(p, 4) && width < 64)
        v |= UINT64_C(1) << prng_range(p, width, 63);
    return v;
}

static uint64_t rand_pat(struct prng *p)
{
    static const unsigned int pat[] = {0, 1, 4, 5, 6, 7};
    uint64_t v = 0;

    for (unsigned int e = 0; e < 8; e++)
        v |= (uint64_t)pat[prng_below(p, 6)] << (8 * e);
    if (prng_chance(p, 10)) {
        unsigned int e = (unsigned int)prng_below(p, 8);

        v &= ~(UINT64_C(0xff) << (8 * e));
        v |= (uint64_t)bad_type(p, true) << (8 * e);
    }
    return v;
}

void rand_write(struct prng *p, const struct xcx_mtrr_state *st,
                struct rand_write *w)
{
    unsigned int kind = (unsigned int)prng_below(p, 100);
    unsigned int width = st->maxphysaddr;

    if (kind < 2) {
        w->msr = XCX_MSR_MTRRCAP;
        w->value = prng_chance(p, 50) ? st->regs.cap : prng_next(p);
    } else if (kind < 14) {
        w->msr = XCX_MSR_MTRR_DEF_TYPE;
        w->value = rand_def(p);
    } else if (kind < 30) {
        w->msr = fixed_msrs[prng_below(p, XCX_MTRR_FIXED_MSRS)];
        w->value = rand_fixed(p);
    } else if (kind < 82) {
        /* Mostly below VCNT, sometimes above it. */
        unsigned int pair = st->vcnt && prng_chance(p, 90)
                                ? (unsigned int)prng_below(p, st->vcnt)
                                : (unsigned int)prng_below(p, 8);
        bool mask = prng_chance(p, 50);

        w->msr = XCX_MSR_MTRR_PHYSBASE0 + 2 * pair + mask;
        w->value = mask ? rand_mask(p, width) : rand_base(p, width);
    } else if (kind < 90) {
        w->msr = XCX_MSR_PAT;
        w->value = rand_pat(p);
    } else {
        static const uint32_t any[] = {0x2ff, 0x277, 0x250, 0x26f, 0x200,
                                       0x201, 0x202, 0x203, 0x20e, 0x20f};

        w->msr = any[prng_below(p, sizeof(any) / sizeof(any[0]))];
        w->value = rand_write_reg(&st->regs, w->msr); /* the same value */
    }
    w->has_old = prng_chance(p, 30);
    w->old = rand_write_reg(&st->regs, w->msr);
}
