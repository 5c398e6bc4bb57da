/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Validating MTRR registers as Xen validates the guest's MSR writes
 * (xen/arch/x86/hvm/mtrr.c: mtrr_def_type_msr_set, mtrr_fix_range_msr_set,
 * mtrr_var_range_msr_set, and the VCNT check of hvm_load_mtrr_msr), and
 * decoding the MTRR save record.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

/* MTRRdefType: bits 0..7 type, 10 FE, 11 E; everything else reserved. */
#define DEF_TYPE_VALID_BITS UINT64_C(0xcff)

static int check_width(unsigned int maxphysaddr, xentoollog_logger *lg)
{
    if (maxphysaddr < XCX_MAXPHYSADDR_MIN || maxphysaddr > XCX_MAXPHYSADDR_MAX)
        return xcx_fail(lg, EINVAL, "maxphysaddr %u outside [%u, %u]",
                        maxphysaddr, XCX_MAXPHYSADDR_MIN, XCX_MAXPHYSADDR_MAX);
    return 0;
}

static bool type_ok(uint64_t v, char *why, size_t n)
{
    if (xcx_mtrr_type_valid(v & 0xff))
        return true;
    snprintf(why, n, "type %u is not a memory type", (unsigned int)(v & 0xff));
    return false;
}

/* Bits of @v in @reserved must be clear. */
static bool reserved_ok(uint64_t v, uint64_t reserved, unsigned int width,
                        char *why, size_t n)
{
    if (!(v & reserved))
        return true;
    if (width)
        snprintf(why, n, "reserved bits 0x%" PRIx64 " set (maxphysaddr %u)",
                 v & reserved, width);
    else
        snprintf(why, n, "reserved bits 0x%" PRIx64 " set", v & reserved);
    return false;
}

static uint64_t above_width(unsigned int maxphysaddr)
{
    return ~((UINT64_C(1) << maxphysaddr) - 1);
}

bool xcx_def_type_ok(uint64_t v, char *why, size_t n)
{
    return type_ok(v, why, n) &&
           reserved_ok(v, ~DEF_TYPE_VALID_BITS, 0, why, n);
}

bool xcx_fixed_ok(unsigned int row, uint64_t v, char *why, size_t n)
{
    for (unsigned int b = 0; b < 8; b++) {
        unsigned int type = (v >> (8 * b)) & 0xff;
        unsigned int sub = row * 8 + b;

        if (!xcx_mtrr_type_valid(type)) {
            snprintf(why, n,
                     "byte %u (0x%x-0x%x) has type %u, not a memory "
                     "type",
                     b, xcx_fixed_start(sub),
                     xcx_fixed_start(sub) + xcx_fixed_size(sub) - 1, type);
            return false;
        }
    }
    return true;
}

bool xcx_physbase_ok(uint64_t v, unsigned int maxphysaddr, char *why, size_t n)
{
    return type_ok(v, why, n) &&
           reserved_ok(v, above_width(maxphysaddr) | UINT64_C(0xf00),
                       maxphysaddr, why, n);
}

bool xcx_physmask_ok(uint64_t v, unsigned int maxphysaddr, char *why, size_t n)
{
    return reserved_ok(v, above_width(maxphysaddr) | UINT64_C(0x7ff),
                       maxphysaddr, why, n);
}

bool xcx_pat_ok(uint64_t pat, char *why, size_t n)
{
    for (unsigned int e = 0; e < 8; e++) {
        unsigned int type = (pat >> (8 * e)) & 0xff;

        if (!xcx_mtrr_type_valid(type) && type != XCX_MT_UC_MINUS) {
            snprintf(why, n, "entry %u has type %u, not a memory type", e,
                     type);
            return false;
        }
    }
    return true;
}

/* Every register of @regs, each failure named as the save record names it. */
static int check_regs(const struct xcx_mtrr_regs *regs, unsigned int vcnt,
                      unsigned int maxphysaddr, xentoollog_logger *lg)
{
    char why[XCX_WHY_SIZE];

    if (!xcx_def_type_ok(regs->def_type, why, sizeof(why)))
        return xcx_fail(lg, EINVAL, "MTRRdefType 0x%" PRIx64 ": %s",
                        regs->def_type, why);
    if (!xcx_pat_ok(regs->pat, why, sizeof(why)))
        return xcx_fail(lg, EINVAL, "PAT 0x%" PRIx64 ": %s", regs->pat, why);
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        if (!xcx_fixed_ok(i, regs->fixed[i], why, sizeof(why)))
            return xcx_fail(lg, EINVAL,
                            "fixed-range MSR 0x%x value 0x%" PRIx64 ": %s",
                            xcx_fixed_msr(i), regs->fixed[i], why);
    for (unsigned int i = 0; i < vcnt; i++) {
        if (!xcx_physbase_ok(regs->var[i].base, maxphysaddr, why, sizeof(why)))
            return xcx_fail(
                lg, EINVAL, "PHYSBASE%u (MSR 0x%x) 0x%" PRIx64 ": %s", i,
                XCX_MSR_MTRR_PHYSBASE0 + 2 * i, regs->var[i].base, why);
        if (!xcx_physmask_ok(regs->var[i].mask, maxphysaddr, why, sizeof(why)))
            return xcx_fail(
                lg, EINVAL, "PHYSMASK%u (MSR 0x%x) 0x%" PRIx64 ": %s", i,
                XCX_MSR_MTRR_PHYSMASK0 + 2 * i, regs->var[i].mask, why);
    }
    return 0;
}

void xcx_state_sync_known(struct xcx_mtrr_state *st)
{
    uint32_t regs_known = 0, known = 0;

    for (unsigned int i = 0; i < st->vcnt && i < XCX_MTRR_VAR_MAX; i++) {
        uint32_t both = UINT32_C(3) << (2 * i);

        if (st->var_known >> i & 1)
            st->var_regs_known |= both;
        regs_known |= st->var_regs_known & both;
        if ((st->var_regs_known & both) == both)
            known |= UINT32_C(1) << i;
    }
    st->var_regs_known = regs_known;
    st->var_known = known;
}

XCX_EXPORT int xcx_mtrr_state_init(struct xcx_mtrr_state *st,
                                   const struct xcx_mtrr_regs *regs,
                                   unsigned int maxphysaddr, uint32_t var_known,
                                   xentoollog_logger *lg)
{
    unsigned int vcnt = regs->cap & XCX_MTRRCAP_VCNT_MASK;
    struct xcx_mtrr_regs copy;

    if (check_width(maxphysaddr, lg))
        return -1;
    if (vcnt > XCX_MTRR_VAR_MAX)
        return xcx_fail(lg, EINVAL, "MTRRcap 0x%" PRIx64 ": VCNT %u exceeds %u",
                        regs->cap, vcnt, XCX_MTRR_VAR_MAX);
    if (check_regs(regs, vcnt, maxphysaddr, lg))
        return -1;

    /* @regs may point into @st: copy before clearing. */
    copy = *regs;
    memset(st, 0, sizeof(*st));
    st->regs = copy;
    st->maxphysaddr = maxphysaddr;
    st->vcnt = vcnt;
    st->var_known = var_known;
    xcx_state_sync_known(st);
    return 0;
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Offsets in struct hvm_hw_mtrr (public/arch-x86/hvm/save.h). */
enum {
    REC_PAT = 0,
    REC_VAR = 8,
    REC_FIXED = 136,
    REC_CAP = 224,
    REC_DEF_TYPE = 232,
};

void xcx_mtrr_regs_from_record(struct xcx_mtrr_regs *r, const void *rec)
{
    const unsigned char *p = rec;

    r->pat = le64(p + REC_PAT);
    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        r->var[i].base = le64(p + REC_VAR + 16 * i);
        r->var[i].mask = le64(p + REC_VAR + 16 * i + 8);
    }
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r->fixed[i] = le64(p + REC_FIXED + 8 * i);
    r->cap = le64(p + REC_CAP);
    r->def_type = le64(p + REC_DEF_TYPE);
}

/*
 * Xen >= 4.12's hvm_save_mtrr_msr() writes pair 0 into every slot. A slot
 * below VCNT that differs from slot 0 proves the record did not come from
 * there, so all its pairs are the guest's; otherwise only pair 0 is.
 */
static uint32_t known_pairs(const struct xcx_mtrr_regs *r, unsigned int vcnt)
{
    for (unsigned int i = 1; i < vcnt; i++)
        if (r->var[i].base != r->var[0].base ||
            r->var[i].mask != r->var[0].mask)
            return (UINT32_C(1) << vcnt) - 1;
    return vcnt ? 1 : 0;
}

XCX_EXPORT int xcx_mtrr_record_decode(struct xcx_mtrr_state *st,
                                      const void *rec, size_t len,
                                      unsigned int maxphysaddr,
                                      xentoollog_logger *lg)
{
    struct xcx_mtrr_regs regs;
    unsigned int vcnt;

    if (len != XCX_MTRR_RECORD_SIZE)
        return xcx_fail(lg, EINVAL, "MTRR record of %zu bytes, expected %u",
                        len, XCX_MTRR_RECORD_SIZE);
    xcx_mtrr_regs_from_record(&regs, rec);
    vcnt = regs.cap & XCX_MTRRCAP_VCNT_MASK;
    return xcx_mtrr_state_init(
        st, &regs, maxphysaddr,
        vcnt <= XCX_MTRR_VAR_MAX ? known_pairs(&regs, vcnt) : 0, lg);
}

XCX_EXPORT unsigned int
xcx_mtrr_regs_width_hint(const struct xcx_mtrr_regs *regs)
{
    unsigned int vcnt = regs->cap & XCX_MTRRCAP_VCNT_MASK;
    unsigned int width = XCX_MAXPHYSADDR_DEFAULT;

    if (vcnt > XCX_MTRR_VAR_MAX)
        vcnt = XCX_MTRR_VAR_MAX;
    for (unsigned int i = 0; i < vcnt; i++) {
        uint64_t bits = regs->var[i].mask & ~UINT64_C(0xfff);
        unsigned int shown;

        if (!(regs->var[i].mask & XCX_MTRR_MASK_VALID) || !bits)
            continue;
        shown = 64 - __builtin_clzll(bits);
        if (shown > XCX_MAXPHYSADDR_MAX)
            shown = XCX_MAXPHYSADDR_MAX;
        if (shown > width)
            width = shown;
    }
    return width;
}
