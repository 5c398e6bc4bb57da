/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One proposed guest write to an MTRR or PAT MSR, applied as Xen 4.17's
 * intercept applies it (xen/arch/x86/hvm/hvm.c hvm_msr_write_intercept(),
 * xen/arch/x86/hvm/mtrr.c):
 *  - MTRRcap is read-only: #GP.
 *  - MTRRdefType (mtrr_def_type_msr_set): type UC/WC/WT/WP/WB, nothing
 *    outside 0xcff; checked even when the value is unchanged.
 *  - Fixed ranges (mtrr_fix_range_msr_set) and PHYSBASE/PHYSMASK
 *    (mtrr_var_range_msr_set): an unchanged value is accepted as it is,
 *    otherwise every byte / the base's type and the reserved bits (base
 *    8..11, mask 0..10, both at or above the guest's width) are checked.
 *    A pair at or above MTRRcap.VCNT: #GP.
 *  - PAT (hvm_set_guest_pat): every byte 0, 1, 4, 5, 6 or 7.
 * The value checks are those of xcx_mtrr_state_init() (mtrr_state.c).
 *
 * types_changed: whether the call changed the result (type, origin,
 * overlap or pairs) xcx_mtrr_resolve() gives some address. It compares the
 * registers resolution consults before and after the call, which is exact
 * for what changes nothing and conservative otherwise, at no map build:
 *  - nothing changes while MTRRdefType.E stays clear (everything UC);
 *  - PAT never takes part; fixed ranges only with FE set;
 *  - a pair counts by its type, mask and the base bits its mask selects,
 *    and an invalid pair (mask bit 11 clear) not at all;
 *  - a change of the default type, E or FE, or of a counted pair, is
 *    reported even when other registers hide it everywhere.
 * "Before" is the state as it was passed in, so a correction made by
 * @old_value counts too. Knowledge (var_known) is not a type: callers
 * that keep maps watch var_known as well (reliable depends on it).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

enum reg_kind { REG_CAP, REG_DEF, REG_FIXED, REG_BASE, REG_MASK, REG_PAT };

struct msr_desc {
    uint32_t msr;
    const char *name;
    enum reg_kind kind;
    unsigned int index; /* fixed-range row or variable pair */
};

#define PAIR(i)                                                                \
    {XCX_MSR_MTRR_PHYSBASE0 + 2 * (i), "MTRRphysBase" #i, REG_BASE, (i)},      \
    {                                                                          \
        XCX_MSR_MTRR_PHYSMASK0 + 2 * (i), "MTRRphysMask" #i, REG_MASK, (i)     \
    }

static const struct msr_desc msrs[] = {
    {XCX_MSR_MTRRCAP, "MTRRcap", REG_CAP, 0},
    PAIR(0),
    PAIR(1),
    PAIR(2),
    PAIR(3),
    PAIR(4),
    PAIR(5),
    PAIR(6),
    PAIR(7),
    {0x250, "MTRRfix64K_00000", REG_FIXED, 0},
    {0x258, "MTRRfix16K_80000", REG_FIXED, 1},
    {0x259, "MTRRfix16K_A0000", REG_FIXED, 2},
    {0x268, "MTRRfix4K_C0000", REG_FIXED, 3},
    {0x269, "MTRRfix4K_C8000", REG_FIXED, 4},
    {0x26a, "MTRRfix4K_D0000", REG_FIXED, 5},
    {0x26b, "MTRRfix4K_D8000", REG_FIXED, 6},
    {0x26c, "MTRRfix4K_E0000", REG_FIXED, 7},
    {0x26d, "MTRRfix4K_E8000", REG_FIXED, 8},
    {0x26e, "MTRRfix4K_F0000", REG_FIXED, 9},
    {0x26f, "MTRRfix4K_F8000", REG_FIXED, 10},
    {XCX_MSR_PAT, "PAT", REG_PAT, 0},
    {XCX_MSR_MTRR_DEF_TYPE, "MTRRdefType", REG_DEF, 0},
};

static const struct msr_desc *find_msr(uint32_t msr)
{
    for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
        if (msrs[i].msr == msr)
            return &msrs[i];
    return NULL;
}

XCX_EXPORT const char *xcx_msr_name(uint32_t msr)
{
    const struct msr_desc *d = find_msr(msr);

    if (!d) {
        errno = EINVAL;
        return NULL;
    }
    return d->name;
}

static uint64_t *reg_of(struct xcx_mtrr_regs *r, const struct msr_desc *d)
{
    switch (d->kind) {
    case REG_CAP:
        return &r->cap;
    case REG_DEF:
        return &r->def_type;
    case REG_FIXED:
        return &r->fixed[d->index];
    case REG_BASE:
        return &r->var[d->index].base;
    case REG_MASK:
        return &r->var[d->index].mask;
    case REG_PAT:
        break;
    }
    return &r->pat;
}

static bool is_var(const struct msr_desc *d)
{
    return d->kind == REG_BASE || d->kind == REG_MASK;
}

/* A pair at or above VCNT: no register for the guest (#GP). */
static bool above_vcnt(const struct xcx_mtrr_state *st,
                       const struct msr_desc *d)
{
    return is_var(d) && d->index >= st->vcnt;
}

/* The register's bit in var_regs_known; 0 for the always known ones. */
static uint32_t known_bit(const struct msr_desc *d)
{
    if (!is_var(d))
        return 0;
    return UINT32_C(1) << (2 * d->index + (d->kind == REG_MASK));
}

/* Could the register hold @v? MTRRcap holds nothing written. */
static bool value_ok(const struct xcx_mtrr_state *st, const struct msr_desc *d,
                     uint64_t v, char *why, size_t n)
{
    switch (d->kind) {
    case REG_CAP:
        snprintf(why, n, "read-only register");
        return false;
    case REG_DEF:
        return xcx_def_type_ok(v, why, n);
    case REG_FIXED:
        return xcx_fixed_ok(d->index, v, why, n);
    case REG_BASE:
        return xcx_physbase_ok(v, st->maxphysaddr, why, n);
    case REG_MASK:
        return xcx_physmask_ok(v, st->maxphysaddr, why, n);
    case REG_PAT:
        break;
    }
    return xcx_pat_ok(v, why, n);
}

/* What a pair contributes to resolution (see the comment at the top). */
static bool pair_same(const struct xcx_mtrr_state *a,
                      const struct xcx_mtrr_state *b, unsigned int i)
{
    uint64_t bits = xcx_addr_bits(a->maxphysaddr);
    uint64_t ma = a->regs.var[i].mask, mb = b->regs.var[i].mask;
    uint64_t ba = a->regs.var[i].base, bb = b->regs.var[i].base;

    if (!(ma & XCX_MTRR_MASK_VALID) || !(mb & XCX_MTRR_MASK_VALID))
        return !((ma ^ mb) & XCX_MTRR_MASK_VALID);
    return !((ma ^ mb) & bits) && !((ba ^ bb) & ma & bits) &&
           (ba & 0xff) == (bb & 0xff);
}

static bool types_differ(const struct xcx_mtrr_state *a,
                         const struct xcx_mtrr_state *b)
{
    uint64_t da = a->regs.def_type, db = b->regs.def_type;
    uint64_t def_bits = 0xff | XCX_MTRR_DEF_E | XCX_MTRR_DEF_FE;

    if (!(da & XCX_MTRR_DEF_E) && !(db & XCX_MTRR_DEF_E))
        return false;
    if ((da ^ db) & def_bits)
        return true;
    if ((da & XCX_MTRR_DEF_FE) &&
        memcmp(a->regs.fixed, b->regs.fixed, sizeof(a->regs.fixed)))
        return true;
    for (unsigned int i = 0; i < a->vcnt; i++)
        if (!pair_same(a, b, i))
            return true;
    return false;
}

/*
 * Take Xen's @old as the register's value: checked first, so a value no
 * register could hold (or a different MTRRcap) leaves the state alone.
 */
static int take_old(struct xcx_mtrr_state *st, const struct msr_desc *d,
                    uint64_t old, xentoollog_logger *lg)
{
    uint64_t *reg = reg_of(&st->regs, d);
    char why[XCX_WHY_SIZE];

    if (d->kind == REG_CAP) {
        if (old != *reg)
            return xcx_fail(lg, EINVAL,
                            "MTRRcap: Xen reports 0x%" PRIx64
                            ", the state holds 0x%" PRIx64,
                            old, *reg);
        return 0;
    }
    if (!value_ok(st, d, old, why, sizeof(why)))
        return xcx_fail(lg, EINVAL,
                        "%s: Xen's old value 0x%" PRIx64
                        " is not one the register can hold: %s",
                        d->name, old, why);
    *reg = old;
    st->var_regs_known |= known_bit(d);
    return 0;
}

/* Xen's verdict on writing @value over @cur; @why says why not. */
static bool accepts(const struct xcx_mtrr_state *st, const struct msr_desc *d,
                    uint64_t cur, uint64_t value, char *why, size_t n)
{
    if (above_vcnt(st, d)) {
        snprintf(why, n, "pair %u is at or above MTRRcap.VCNT %u", d->index,
                 st->vcnt);
        return false;
    }
    /* mtrr_fix_range_msr_set(), mtrr_var_range_msr_set(): no check. */
    if ((d->kind == REG_FIXED || is_var(d)) && value == cur)
        return true;
    return value_ok(st, d, value, why, n);
}

XCX_EXPORT int xcx_mtrr_apply_write(struct xcx_mtrr_state *st, uint32_t msr,
                                    uint64_t value, const uint64_t *old_value,
                                    struct xcx_write_outcome *out,
                                    xentoollog_logger *lg)
{
    const struct msr_desc *d = find_msr(msr);
    struct xcx_write_outcome local;
    struct xcx_mtrr_state before;
    char why[XCX_WHY_SIZE];
    uint64_t *reg;

    if (!d)
        return xcx_fail(lg, EINVAL,
                        "MSR 0x%x is neither an MTRR nor the PAT MSR", msr);
    if (xcx_state_check_bounds(st, lg))
        return -1;
    if (!out)
        out = &local;
    before = *st;
    /* Xen reads a pair above VCNT as #GP: it reports no old value. */
    if (old_value && !above_vcnt(st, d) && take_old(st, d, *old_value, lg))
        return -1;
    xcx_state_sync_known(st);

    reg = reg_of(&st->regs, d);
    memset(out, 0, sizeof(*out));
    out->old_value = *reg;
    out->accepted = accepts(st, d, *reg, value, why, sizeof(why));
    if (out->accepted) {
        out->changed = value != *reg;
        *reg = value;
        st->var_regs_known |= known_bit(d);
        xcx_state_sync_known(st);
    } else {
        snprintf(out->reason, sizeof(out->reason), "%s 0x%" PRIx64 ": %s",
                 d->name, value, why);
    }
    out->types_changed = types_differ(&before, st);
    return 0;
}
