/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The effective type of guest accesses from inputs that carry how certain
 * they are. One evaluation (effective_eval.c) takes concrete values; an
 * answer is reliable when every value an uncertain input it consults could
 * take gives the same type. That is found by evaluating again down each
 * such input's values, branching only on inputs the path consults: at
 * most 12 inputs of at most 7 values, bounded by XCX_EFF_MAX_EVALS.
 */
#include <errno.h>

#include "effective_private.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Past this many evaluations an answer is called unreliable outright. */
#define XCX_EFF_MAX_EVALS 4096

/* Inputs whose values can be enumerated (paging cannot: shadow is not
 * modelled; the PAT index and Xen's PAT are always known). */
#define ENUMERABLE                                                             \
    (XCX_EFF_IN_VENDOR | XCX_EFF_IN_XEN_VERSION | XCX_EFF_IN_IOMMU |           \
     XCX_EFF_IN_CACHE_FLUSH | XCX_EFF_IN_FRAME_KIND | XCX_EFF_IN_MFN_VALID |   \
     XCX_EFF_IN_PINNED | XCX_EFF_IN_GUEST_MTRR | XCX_EFF_IN_HOST_MTRR |        \
     XCX_EFF_IN_GUEST_PAT | XCX_EFF_IN_CR0_CD | XCX_EFF_IN_CR0_PG)

static const uint8_t mtrr_values[] = {XCX_MT_UC, XCX_MT_WC, XCX_MT_WT,
                                      XCX_MT_WP, XCX_MT_WB};
static const uint8_t pat_values[] = {XCX_MT_UC, XCX_MT_WC, XCX_MT_WT,
                                     XCX_MT_WP, XCX_MT_WB, XCX_MT_UC_MINUS};
static const uint8_t pinned_values[] = {XCX_EFF_NONE,   XCX_MT_UC, XCX_MT_WC,
                                        XCX_MT_WT,      XCX_MT_WP, XCX_MT_WB,
                                        XCX_MT_UC_MINUS};

#define ALL_MTRR_TYPES                                                         \
    ((1u << XCX_MT_UC) | (1u << XCX_MT_WC) | (1u << XCX_MT_WT) |               \
     (1u << XCX_MT_WP) | (1u << XCX_MT_WB))

/* One lookup's exploration of the uncertain inputs. */
struct eff_run {
    uint32_t uncertain;
    uint32_t mtrr_types; /* bit t: a value the guest MTRR type may take */
    unsigned int evals;
    bool capped;
    uint32_t possible;
};

/* Value @i of input @bit into @w; false past the last value. */
static bool set_value(struct xcx_eff_world *w, uint32_t bit, unsigned int i)
{
    switch (bit) {
    case XCX_EFF_IN_VENDOR:
        w->vendor = i ? XCX_VENDOR_AMD : XCX_VENDOR_INTEL;
        return i < 2;
    case XCX_EFF_IN_XEN_VERSION:
        w->old_mfn_check = i;
        return i < 2;
    case XCX_EFF_IN_IOMMU:
        w->iommu = i;
        return i < 2;
    case XCX_EFF_IN_CACHE_FLUSH:
        w->cache_flush = i;
        return i < 2;
    case XCX_EFF_IN_MFN_VALID:
        w->mfn_valid = i;
        return i < 2;
    case XCX_EFF_IN_CR0_CD:
        w->cr0_cd = i;
        return i < 2;
    case XCX_EFF_IN_CR0_PG:
        w->cr0_pg = i;
        return i < 2;
    case XCX_EFF_IN_FRAME_KIND:
        w->kind = i;
        return i <= XCX_FRAME_SPECIAL;
    case XCX_EFF_IN_PINNED:
        if (i >= ARRAY_SIZE(pinned_values))
            return false;
        w->pinned = pinned_values[i];
        return true;
    case XCX_EFF_IN_GUEST_PAT:
        if (i >= ARRAY_SIZE(pat_values))
            return false;
        w->pat_type = pat_values[i];
        return true;
    case XCX_EFF_IN_HOST_MTRR:
        if (i >= ARRAY_SIZE(mtrr_values))
            return false;
        w->host_mtrr = mtrr_values[i];
        return true;
    default: /* XCX_EFF_IN_GUEST_MTRR: the types it may take */
        if (i >= ARRAY_SIZE(mtrr_values))
            return false;
        w->guest_mtrr = mtrr_values[i];
        return true;
    }
}

/*
 * Whether a value is one the input can take: the guest MTRR type only
 * those the vCPUs may have; direct or read-only MMIO only in a domain that
 * may have I/O memory (Xen maps I/O memory only with iomem permission,
 * XEN_DOMCTL_memory_mapping; the APIC access page is a special page).
 */
static bool value_allowed(uint32_t bit, const struct xcx_eff_world *w,
                          const struct eff_run *run)
{
    if (bit == XCX_EFF_IN_GUEST_MTRR)
        return (run->mtrr_types >> w->guest_mtrr) & 1;
    if (bit == XCX_EFF_IN_FRAME_KIND &&
        (w->kind == XCX_FRAME_MMIO_DIRECT || w->kind == XCX_FRAME_MMIO_RO))
        return w->cache_flush || (run->uncertain & XCX_EFF_IN_CACHE_FLUSH);
    return true;
}

static void explore(struct eff_run *run, const struct xcx_eff_world *w,
                    uint32_t fixed)
{
    struct xcx_effective r;
    uint32_t open, bit;
    struct xcx_eff_world next;

    xcx_eff_eval(w, &r);
    open = r.basis & run->uncertain & ~fixed & ENUMERABLE;
    if (open && run->evals >= XCX_EFF_MAX_EVALS)
        run->capped = true;
    if (!open || run->capped) {
        run->possible |= 1u << r.effective;
        return;
    }
    bit = open & -open;
    for (unsigned int i = 0;; i++) {
        next = *w;
        if (!set_value(&next, bit, i))
            break;
        if (!value_allowed(bit, &next, run))
            continue;
        run->evals++;
        explore(run, &next, fixed | bit);
    }
}

/* ---- the guest MTRR type ---- */

static int mtrr_lookup(const struct xcx_eff_guest *g, unsigned int vcpu,
                       uint64_t gpa, struct xcx_mtrr_result *r)
{
    return g->tracker ? xcx_tracker_lookup(g->tracker, vcpu, gpa, r)
                      : xcx_mtrr_map_lookup(g->maps[vcpu], gpa, r);
}

/* The type of the vCPU Xen uses into @w, the types of all vCPUs it may use
 * into out->vcpus_seen and, when any is uncertain, every type into
 * run->mtrr_types. */
static int guest_mtrr(const struct xcx_eff_guest *g, uint64_t gpa,
                      struct xcx_eff_world *w, struct eff_run *run,
                      struct xcx_effective *out, xentoollog_logger *lg)
{
    unsigned int nr =
        g->tracker ? xcx_tracker_nr_vcpus(g->tracker) : g->nr_vcpus;
    unsigned int first = g->mtrr_vcpu >= 0 ? (unsigned int)g->mtrr_vcpu : 0;
    unsigned int last = g->mtrr_vcpu >= 0 ? first + 1 : nr;
    bool sure = g->mtrr_fact.certain && g->mtrr_fact.source != XCX_SRC_NONE;
    struct xcx_mtrr_result r;

    out->vcpus_seen = 0;
    run->mtrr_types = ALL_MTRR_TYPES;
    if (!g->maps && !g->tracker)
        return 0;
    for (unsigned int v = first; v < last; v++) {
        if (mtrr_lookup(g, v, gpa, &r) < 0)
            return xcx_fail(lg, errno,
                            "effective type: guest MTRR of vCPU %u at GPA "
                            "0x%llx",
                            v, (unsigned long long)gpa);
        out->vcpus_seen |= 1u << r.type;
        sure = sure && r.reliable;
        if (v == first)
            w->guest_mtrr = r.type;
    }
    if (sure)
        run->mtrr_types = out->vcpus_seen;
    return 0;
}

/* Whether the vCPUs' differing MTRR types change the answer. */
static bool vcpu_dependent(const struct xcx_eff_world *w, uint32_t seen,
                           uint8_t effective)
{
    struct xcx_eff_world alt = *w;
    struct xcx_effective r;

    for (unsigned int t = 0; t < 8; t++) {
        if (!((seen >> t) & 1))
            continue;
        alt.guest_mtrr = t;
        xcx_eff_eval(&alt, &r);
        if (r.effective != effective)
            return true;
    }
    return false;
}

/* ---- one address ---- */

static int frame_facts(const struct xcx_eff_inputs *in, uint64_t gpa,
                       struct xcx_eff_frame *f, xentoollog_logger *lg)
{
    if (!in->frame_fn) {
        *f = in->frame;
    } else if (in->frame_fn(in->frame_arg, gpa >> 12, f) < 0) {
        return xcx_fail(lg, errno, "effective type: frame facts of GPA 0x%llx",
                        (unsigned long long)gpa);
    }
    return xcx_eff_check_frame(f, gpa, lg);
}

static void finish(struct xcx_effective *out, const struct eff_run *run,
                   const struct xcx_eff_world *w)
{
    uint32_t seen = out->vcpus_seen;

    out->vcpu_dependent = (out->basis & XCX_EFF_IN_GUEST_MTRR) &&
                          (seen & (seen - 1)) &&
                          vcpu_dependent(w, seen, out->effective);
    if (out->vcpu_dependent)
        out->basis |= XCX_EFF_IN_MTRR_VCPU;
    out->unknown = out->basis & run->uncertain;
    if (out->vcpu_dependent)
        out->unknown |= XCX_EFF_IN_MTRR_VCPU;
    out->possible = run->possible | (1u << out->effective);
    out->reliable = !run->capped && !out->vcpu_dependent &&
                    !(out->unknown & XCX_EFF_IN_PAGING) &&
                    !(out->possible & (out->possible - 1));
}

static int lookup_one(const struct xcx_eff_inputs *in,
                      const struct xcx_eff_world *fixed, uint32_t uncertain,
                      uint64_t gpa, unsigned int pat_index,
                      struct xcx_effective *out, xentoollog_logger *lg)
{
    struct xcx_eff_world w = *fixed;
    struct xcx_eff_frame f;
    struct eff_run run = {.uncertain = uncertain};

    if (frame_facts(in, gpa, &f, lg) < 0)
        return -1;
    xcx_eff_world_frame(&f, &w);
    run.uncertain |= xcx_eff_frame_uncertain(&f);
    if (guest_mtrr(&in->guest, gpa, &w, &run, out, lg) < 0)
        return -1;
    if (run.mtrr_types & (run.mtrr_types - 1))
        run.uncertain |= XCX_EFF_IN_GUEST_MTRR;
    xcx_eff_eval(&w, out);
    out->pat_index = pat_index;
    explore(&run, &w, 0);
    finish(out, &run, &w);
    return 0;
}

XCX_EXPORT int xcx_effective_type(const struct xcx_eff_inputs *in, uint64_t gpa,
                                  unsigned int pat_index,
                                  struct xcx_effective *out,
                                  xentoollog_logger *lg)
{
    return xcx_effective_batch(in, &gpa, 1, pat_index, out, NULL, lg);
}

XCX_EXPORT int xcx_effective_batch(const struct xcx_eff_inputs *in,
                                   const uint64_t *gpas, size_t n,
                                   unsigned int pat_index,
                                   struct xcx_effective *out, size_t *done,
                                   xentoollog_logger *lg)
{
    struct xcx_eff_world fixed;
    uint32_t uncertain;
    size_t i = 0;
    int rc = 0;

    if (n && (!gpas || !out))
        rc = xcx_fail(lg, EINVAL, "effective type: no address or answer array");
    else
        rc = xcx_eff_check_inputs(in, pat_index, lg);
    if (rc == 0) {
        xcx_eff_world_fixed(in, pat_index, &fixed);
        uncertain = xcx_eff_fixed_uncertain(in);
        for (; i < n && rc == 0; i++)
            rc = lookup_one(in, &fixed, uncertain, gpas[i], pat_index, &out[i],
                            lg);
        if (rc < 0)
            i--;
    }
    if (done)
        *done = i;
    return rc;
}
