/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One evaluation of the effective type from concrete inputs: Xen's EPT
 * decision tree (epte_get_entry_emt(), xen/arch/x86/mm/p2m-ept.c, same
 * order 4.17 to 4.22), Xen's NPT entry flags (p2m_type_to_flags(),
 * xen/arch/x86/mm/p2m-pt.c) and the processors' combination rules. Each
 * path records in basis the inputs it consulted, so the caller can tell
 * which uncertain inputs matter.
 */
#include "effective_private.h"

static void ept_set(struct xcx_effective *o, unsigned int branch,
                    unsigned int type, bool ipat)
{
    o->ept_branch = branch;
    o->ept_type = type;
    o->ipat = ipat;
}

/* The branches before the P2M type switch. */
static bool ept_early(const struct xcx_eff_world *w, struct xcx_effective *o)
{
    o->basis |= XCX_EFF_IN_FRAME_KIND;
    if (w->kind == XCX_FRAME_MMIO_RO) {
        ept_set(o, XCX_EPT_MMIO_RO, XCX_MT_UC, true);
        return true;
    }
    /* Only a direct MMIO frame can lack a valid MFN. */
    if (w->kind == XCX_FRAME_MMIO_DIRECT) {
        o->basis |= XCX_EFF_IN_XEN_VERSION;
        if (w->old_mfn_check) {
            o->basis |= XCX_EFF_IN_MFN_VALID;
            if (!w->mfn_valid) {
                ept_set(o, XCX_EPT_INVALID_MFN, XCX_MT_UC, true);
                return true;
            }
        }
        return false;
    }
    o->basis |= XCX_EFF_IN_IOMMU;
    if (!w->iommu) {
        o->basis |= XCX_EFF_IN_CACHE_FLUSH;
        if (!w->cache_flush) {
            ept_set(o, XCX_EPT_NO_FLUSH, XCX_MT_WB, true);
            return true;
        }
    }
    return false;
}

/* Special pages, then the P2M type, then pinned attributes. */
static bool ept_by_type(const struct xcx_eff_world *w, struct xcx_effective *o)
{
    switch (w->kind) {
    case XCX_FRAME_SPECIAL:
        ept_set(o, XCX_EPT_SPECIAL, XCX_MT_WB, true);
        return true;
    case XCX_FRAME_MMIO_DIRECT:
        ept_set(o, XCX_EPT_MMIO_DIRECT, XCX_MT_UC, false);
        return true;
    case XCX_FRAME_GRANT:
    case XCX_FRAME_FOREIGN:
        ept_set(o, XCX_EPT_GRANT, XCX_MT_WB, true);
        return true;
    default:
        break;
    }
    o->basis |= XCX_EFF_IN_PINNED;
    if (w->pinned == XCX_EFF_NONE)
        return false;
    ept_set(o, XCX_EPT_PINNED,
            w->pinned == XCX_MT_UC_MINUS ? XCX_MT_UC : w->pinned, true);
    return true;
}

void xcx_eff_ept(const struct xcx_eff_world *w, struct xcx_effective *o)
{
    if (ept_early(w, o) || ept_by_type(w, o))
        return;
    o->basis |= XCX_EFF_IN_GUEST_MTRR | XCX_EFF_IN_HOST_MTRR;
    o->mtrr_type = w->guest_mtrr;
    o->mtrr_used = true;
    o->host_type = w->host_mtrr;
    ept_set(o, XCX_EPT_MTRR, xcx_combine_xen_ept(w->guest_mtrr, w->host_mtrr),
            false);
}

/* The guest PAT type: the selected entry, or WB with paging off (SDM
 * "EPT and memory typing"; the APM likewise takes no PAT type then). */
static uint8_t guest_pat_type(const struct xcx_eff_world *w,
                              struct xcx_effective *o)
{
    o->basis |= XCX_EFF_IN_CR0_PG;
    if (!w->cr0_pg)
        return XCX_MT_WB;
    o->basis |= XCX_EFF_IN_GUEST_PAT | XCX_EFF_IN_PAT_INDEX;
    return w->pat_type;
}

static void eval_intel(const struct xcx_eff_world *w, struct xcx_effective *o)
{
    struct xcx_effective ept = *o;

    xcx_eff_ept(w, &ept);
    o->mtrr_type = ept.mtrr_type;
    o->mtrr_used = ept.mtrr_used;
    o->host_type = ept.host_type;
    o->ept_branch = ept.ept_branch;
    o->ept_type = ept.ept_type;
    o->ipat = ept.ipat;
    o->pat_type = guest_pat_type(w, &ept);
    o->basis |= XCX_EFF_IN_CR0_CD;
    /* SDM: with CR0.CD set the effective type is UC, whatever EPT says. */
    if (w->cr0_cd) {
        o->effective = XCX_MT_UC;
        return;
    }
    o->basis |= ept.basis & ~(XCX_EFF_IN_GUEST_PAT | XCX_EFF_IN_PAT_INDEX |
                              XCX_EFF_IN_CR0_PG);
    if (o->ipat) {
        o->effective = o->ept_type;
        return;
    }
    o->basis |= ept.basis;
    o->effective = xcx_combine_intel(o->ept_type, o->pat_type);
}

/* Host PAT index of Xen's NPT entry: PCD for direct MMIO, PCD|PWT for
 * read-only MMIO, none for the rest. */
static unsigned int npt_index(unsigned int kind)
{
    return kind == XCX_FRAME_MMIO_DIRECT ? 2
           : kind == XCX_FRAME_MMIO_RO   ? 3
                                         : 0;
}

static void eval_amd(const struct xcx_eff_world *w, struct xcx_effective *o)
{
    struct xcx_effective pat = *o;
    uint8_t t;

    o->pat_type = guest_pat_type(w, &pat);
    o->npt_index = npt_index(w->kind);
    o->host_type = (XCX_XEN_MSR_PAT >> (8 * o->npt_index)) & 0xff;
    o->basis |= XCX_EFF_IN_CR0_CD;
    if (w->cr0_cd) {
        o->effective = XCX_MT_UC;
        o->amd_detail = XCX_AMD_CD;
        return;
    }
    o->basis |= pat.basis | XCX_EFF_IN_FRAME_KIND | XCX_EFF_IN_HOST_PAT |
                XCX_EFF_IN_HOST_MTRR;
    t = xcx_combine_amd(o->pat_type, o->host_type, w->host_mtrr);
    o->effective = xcx_ext_plain(t);
    o->amd_detail = t == XCX_EXT_CD        ? XCX_AMD_CD
                    : t == XCX_EXT_WC_PLUS ? XCX_AMD_WC_PLUS
                                           : XCX_AMD_PLAIN;
}

void xcx_eff_eval(const struct xcx_eff_world *w, struct xcx_effective *o)
{
    o->vendor = w->vendor;
    o->mtrr_type = XCX_EFF_NONE;
    o->mtrr_used = false;
    o->ept_type = XCX_EFF_NONE;
    o->ipat = false;
    o->ept_branch = XCX_EPT_NONE;
    o->host_type = XCX_EFF_NONE;
    o->npt_index = XCX_EFF_NONE;
    o->amd_detail = XCX_AMD_PLAIN;
    o->basis = XCX_EFF_IN_VENDOR | XCX_EFF_IN_PAGING;
    if (w->vendor == XCX_VENDOR_INTEL)
        eval_intel(w, o);
    else
        eval_amd(w, o);
}
