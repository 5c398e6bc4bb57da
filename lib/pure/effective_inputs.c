/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inputs of the effective type: defaults, validation, and the concrete
 * values ("world") and uncertain inputs of one address.
 */
#include <errno.h>
#include <string.h>

#include "effective_private.h"

XCX_EXPORT void xcx_eff_inputs_init(struct xcx_eff_inputs *in)
{
    static const struct xcx_eff_fact assumed = {XCX_SRC_ASSUMED, false};

    memset(in, 0, sizeof(*in));
    in->frame.kind = XCX_FRAME_RAM;
    in->frame.kind_fact = assumed;
    in->frame.mfn_valid = true;
    in->frame.mfn_valid_fact = assumed;
    in->frame.pinned = XCX_EFF_NONE;
    in->frame.pinned_fact = assumed;
    in->frame.host_mtrr = XCX_MT_WB;
    in->frame.host_mtrr_fact = assumed;
    in->guest.pat = 0x0007040600070406ull;
    in->guest.cr0 = 1ull << 31;
    in->guest.mtrr_vcpu = -1;
}

/* ---- validation of the parts that are the same for every address ---- */

static int check_host(const struct xcx_eff_host *h, xentoollog_logger *lg)
{
    if (h->vendor != XCX_VENDOR_INTEL && h->vendor != XCX_VENDOR_AMD)
        return xcx_fail(lg, EINVAL,
                        "effective type: host vendor %u is not Intel or AMD "
                        "(unknown vendors are refused, never guessed)",
                        h->vendor);
    if (h->paging == XCX_PAGING_SHADOW)
        return xcx_fail(lg, EOPNOTSUPP,
                        "effective type: shadow paging is not modelled");
    if (h->paging != XCX_PAGING_UNKNOWN &&
        h->paging !=
            (h->vendor == XCX_VENDOR_INTEL ? XCX_PAGING_EPT : XCX_PAGING_NPT))
        return xcx_fail(lg, EINVAL,
                        "effective type: paging %u does not go with vendor %u",
                        h->paging, h->vendor);
    return 0;
}

static int check_guest(const struct xcx_eff_guest *g, xentoollog_logger *lg)
{
    unsigned int nr =
        g->tracker ? xcx_tracker_nr_vcpus(g->tracker) : g->nr_vcpus;

    if (g->maps && g->tracker)
        return xcx_fail(lg, EINVAL,
                        "effective type: give guest MTRR maps or a tracker, "
                        "not both");
    if (g->maps && nr == 0)
        return xcx_fail(lg, EINVAL, "effective type: no vCPU maps");
    for (unsigned int v = 0; g->maps && v < nr; v++)
        if (!g->maps[v])
            return xcx_fail(lg, EINVAL,
                            "effective type: no MTRR map for vCPU %u", v);
    if (g->mtrr_vcpu >= 0 && (g->maps || g->tracker) &&
        (unsigned int)g->mtrr_vcpu >= nr)
        return xcx_fail(lg, EINVAL,
                        "effective type: vCPU %d out of range (%u vCPUs)",
                        g->mtrr_vcpu, nr);
    return 0;
}

int xcx_eff_check_inputs(const struct xcx_eff_inputs *in,
                         unsigned int pat_index, xentoollog_logger *lg)
{
    uint8_t t;

    if (!in)
        return xcx_fail(lg, EINVAL, "effective type: no inputs");
    if (pat_index > 7)
        return xcx_fail(lg, EINVAL, "effective type: PAT index %u is not 0..7",
                        pat_index);
    if (xcx_pat_entry(in->guest.pat, pat_index, &t) < 0)
        return xcx_fail(lg, EINVAL,
                        "effective type: guest PAT 0x%016llx entry %u is no "
                        "memory type",
                        (unsigned long long)in->guest.pat, pat_index);
    if (check_host(&in->host, lg) < 0)
        return -1;
    return check_guest(&in->guest, lg);
}

/* ---- the world of one address ---- */

int xcx_eff_check_frame(const struct xcx_eff_frame *f, uint64_t gpa,
                        xentoollog_logger *lg)
{
    if (f->kind > XCX_FRAME_SPECIAL)
        return xcx_fail(lg, EINVAL, "effective type: GPA 0x%llx: frame kind %u",
                        (unsigned long long)gpa, f->kind);
    if (f->pinned != XCX_EFF_NONE && f->pinned != XCX_MT_UC_MINUS &&
        !xcx_mtrr_type_valid(f->pinned))
        return xcx_fail(lg, EINVAL,
                        "effective type: GPA 0x%llx: pinned type %u is no "
                        "memory type",
                        (unsigned long long)gpa, f->pinned);
    if (!xcx_mtrr_type_valid(f->host_mtrr))
        return xcx_fail(lg, EINVAL,
                        "effective type: GPA 0x%llx: host MTRR type %u is no "
                        "MTRR type",
                        (unsigned long long)gpa, f->host_mtrr);
    return 0;
}

static uint32_t fact_bit(const struct xcx_eff_fact *f, uint32_t bit)
{
    return f->certain && f->source != XCX_SRC_NONE ? 0 : bit;
}

uint32_t xcx_eff_frame_uncertain(const struct xcx_eff_frame *f)
{
    return fact_bit(&f->kind_fact, XCX_EFF_IN_FRAME_KIND) |
           fact_bit(&f->mfn_valid_fact, XCX_EFF_IN_MFN_VALID) |
           fact_bit(&f->pinned_fact, XCX_EFF_IN_PINNED) |
           fact_bit(&f->host_mtrr_fact, XCX_EFF_IN_HOST_MTRR);
}

uint32_t xcx_eff_fixed_uncertain(const struct xcx_eff_inputs *in)
{
    uint32_t u =
        fact_bit(&in->host.vendor_fact, XCX_EFF_IN_VENDOR) |
        fact_bit(&in->host.paging_fact, XCX_EFF_IN_PAGING) |
        fact_bit(&in->host.xen_version_fact, XCX_EFF_IN_XEN_VERSION) |
        fact_bit(&in->domain.iommu_fact, XCX_EFF_IN_IOMMU) |
        fact_bit(&in->domain.cache_flush_fact, XCX_EFF_IN_CACHE_FLUSH) |
        fact_bit(&in->guest.pat_fact, XCX_EFF_IN_GUEST_PAT) |
        fact_bit(&in->guest.cr0_fact, XCX_EFF_IN_CR0_CD | XCX_EFF_IN_CR0_PG);

    if (in->host.paging == XCX_PAGING_UNKNOWN)
        u |= XCX_EFF_IN_PAGING;
    if (in->host.xen_version == 0)
        u |= XCX_EFF_IN_XEN_VERSION;
    return u;
}

/* Xen releases whose epte_get_entry_emt() still tests mfn_valid(): before
 * 4.17.5, 4.18.0 to 4.18.2 (the check was dropped in June 2024). */
static bool has_old_mfn_check(uint32_t v)
{
    unsigned int major = v >> 16, minor = (v >> 8) & 0xff, micro = v & 0xff;

    if (major != 4)
        return major < 4;
    if (minor == 17)
        return micro < 5;
    if (minor == 18)
        return micro < 3;
    return minor < 17;
}

void xcx_eff_world_fixed(const struct xcx_eff_inputs *in,
                         unsigned int pat_index, struct xcx_eff_world *w)
{
    w->vendor = in->host.vendor;
    w->old_mfn_check =
        in->host.xen_version != 0 && has_old_mfn_check(in->host.xen_version);
    w->iommu = in->domain.iommu;
    w->cache_flush = in->domain.cache_flush;
    w->pat_type = (in->guest.pat >> (8 * pat_index)) & 0xff;
    w->cr0_cd = (in->guest.cr0 >> 30) & 1;
    w->cr0_pg = (in->guest.cr0 >> 31) & 1;
    w->guest_mtrr = XCX_MT_WB;
}

void xcx_eff_world_frame(const struct xcx_eff_frame *f, struct xcx_eff_world *w)
{
    w->kind = f->kind;
    w->mfn_valid = f->mfn_valid;
    w->pinned = f->pinned;
    w->host_mtrr = f->host_mtrr;
}
