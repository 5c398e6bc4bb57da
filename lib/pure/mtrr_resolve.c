/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MTRR type of one address by rule: Intel SDM vol. 3A 11.11.4.1
 * (MTRR precedences) and Xen's get_mtrr_type(), which for combinations
 * the SDM leaves undefined applies the type of the last matching pair.
 */
#include <errno.h>
#include <inttypes.h>

#include "private.h"

#define TYPE_BIT(t) (UINT32_C(1) << (t))

int xcx_state_check_bounds(const struct xcx_mtrr_state *st,
                           xentoollog_logger *lg)
{
    if (st->vcnt > XCX_MTRR_VAR_MAX)
        return xcx_fail(lg, EINVAL, "state has VCNT %u, at most %u allowed",
                        st->vcnt, XCX_MTRR_VAR_MAX);
    if (st->maxphysaddr < XCX_MAXPHYSADDR_MIN ||
        st->maxphysaddr > XCX_MAXPHYSADDR_MAX)
        return xcx_fail(lg, EINVAL, "state has maxphysaddr %u outside [%u, %u]",
                        st->maxphysaddr, XCX_MAXPHYSADDR_MIN,
                        XCX_MAXPHYSADDR_MAX);
    return 0;
}

/* True when the type is certain whatever the unknown pairs hold. */
static bool pairs_reliable(const struct xcx_mtrr_state *st, uint32_t pairs)
{
    uint32_t unknown = ((UINT32_C(1) << st->vcnt) - 1) & ~st->var_known;
    uint32_t known_matches = pairs & st->var_known;

    if (!unknown)
        return true;
    /* A matching UC pair makes the result UC whatever else matches. */
    for (unsigned int i = 0; i < st->vcnt; i++)
        if ((known_matches >> i & 1) &&
            (st->regs.var[i].base & 0xff) == XCX_MT_UC)
            return true;
    return false;
}

void xcx_combine_pairs(const struct xcx_mtrr_state *st, uint32_t pairs,
                       struct xcx_mtrr_result *res)
{
    uint32_t seen = 0;
    unsigned int last = 0, count = 0;

    res->pairs = pairs;
    res->fixed_index = 0;
    res->reliable = pairs_reliable(st, pairs);
    if (!pairs) {
        res->origin = XCX_ORIGIN_DEFAULT;
        res->overlap = XCX_OVERLAP_NONE;
        res->type = st->regs.def_type & 0xff;
        return;
    }

    for (unsigned int i = 0; i < st->vcnt; i++) {
        if (!(pairs >> i & 1))
            continue;
        last = st->regs.var[i].base & 0xff;
        seen |= TYPE_BIT(last);
        count++;
    }
    res->origin = XCX_ORIGIN_VARIABLE;
    if (seen == TYPE_BIT(last)) {
        res->type = last;
        res->overlap = count > 1 ? XCX_OVERLAP_SAME : XCX_OVERLAP_NONE;
    } else if (seen & TYPE_BIT(XCX_MT_UC)) {
        res->type = XCX_MT_UC;
        res->overlap = XCX_OVERLAP_PRECEDENCE;
    } else if (seen == (TYPE_BIT(XCX_MT_WT) | TYPE_BIT(XCX_MT_WB))) {
        res->type = XCX_MT_WT;
        res->overlap = XCX_OVERLAP_PRECEDENCE;
    } else {
        res->type = last; /* Xen: the highest-numbered matching pair */
        res->overlap = XCX_OVERLAP_UNDEFINED;
    }
}

static uint32_t var_matches(const struct xcx_mtrr_state *st, uint64_t gpa)
{
    uint64_t bits = xcx_addr_bits(st->maxphysaddr);
    uint32_t pairs = 0;

    for (unsigned int i = 0; i < st->vcnt; i++) {
        uint64_t mask = st->regs.var[i].mask;

        if ((mask & XCX_MTRR_MASK_VALID) &&
            !((gpa ^ st->regs.var[i].base) & mask & bits))
            pairs |= UINT32_C(1) << i;
    }
    return pairs;
}

void xcx_resolve_unchecked(const struct xcx_mtrr_state *st, uint64_t gpa,
                           struct xcx_mtrr_result *res)
{
    uint64_t def = st->regs.def_type;

    if (!(def & XCX_MTRR_DEF_E)) {
        *res = (struct xcx_mtrr_result){
            .type = XCX_MT_UC,
            .origin = XCX_ORIGIN_DISABLED,
            .overlap = XCX_OVERLAP_NONE,
            .reliable = true,
        };
        return;
    }
    if ((def & XCX_MTRR_DEF_FE) && gpa < XCX_FIXED_RANGE_END) {
        unsigned int index = xcx_fixed_index(gpa);

        *res = (struct xcx_mtrr_result){
            .type = xcx_fixed_type(&st->regs, index),
            .origin = XCX_ORIGIN_FIXED,
            .overlap = XCX_OVERLAP_NONE,
            .reliable = true,
            .fixed_index = index,
        };
        return;
    }
    xcx_combine_pairs(st, var_matches(st, gpa), res);
}

/*
 * A state is a plain struct a caller may have edited since it was
 * validated: check the registers this lookup consults, so the answer is
 * always a memory type.
 */
static int check_consulted(const struct xcx_mtrr_state *st, uint64_t gpa,
                           xentoollog_logger *lg)
{
    const struct xcx_mtrr_regs *r = &st->regs;

    if (!xcx_mtrr_type_valid(r->def_type & 0xff))
        return xcx_fail(lg, EINVAL,
                        "MTRRdefType 0x%" PRIx64
                        ": type %u is not a memory type",
                        r->def_type, (unsigned int)(r->def_type & 0xff));
    if (gpa < XCX_FIXED_RANGE_END &&
        !xcx_mtrr_type_valid(xcx_fixed_type(r, xcx_fixed_index(gpa))))
        return xcx_fail(lg, EINVAL,
                        "fixed range at 0x%" PRIx64 " has type %u, not a "
                        "memory type",
                        gpa, xcx_fixed_type(r, xcx_fixed_index(gpa)));
    for (unsigned int i = 0; i < st->vcnt; i++)
        if ((r->var[i].mask & XCX_MTRR_MASK_VALID) &&
            !xcx_mtrr_type_valid(r->var[i].base & 0xff))
            return xcx_fail(
                lg, EINVAL,
                "PHYSBASE%u 0x%" PRIx64 ": type %u is not a memory type", i,
                r->var[i].base, (unsigned int)(r->var[i].base & 0xff));
    return 0;
}

XCX_EXPORT int xcx_mtrr_resolve(const struct xcx_mtrr_state *st, uint64_t gpa,
                                struct xcx_mtrr_result *result,
                                xentoollog_logger *lg)
{
    if (xcx_state_check_bounds(st, lg))
        return -1;
    if (gpa >> st->maxphysaddr)
        return xcx_fail(lg, ERANGE,
                        "gpa 0x%" PRIx64 " is at or above 2^%u "
                        "(the guest's physical-address width)",
                        gpa, st->maxphysaddr);
    if (check_consulted(st, gpa, lg))
        return -1;
    xcx_resolve_unchecked(st, gpa, result);
    return 0;
}
