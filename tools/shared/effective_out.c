/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Printing effective-type answers: text and JSON Lines. */
#include <inttypes.h>
#include <stdio.h>

#include "effective_out.h"
#include "json_out.h"

static const char *tname(unsigned int t)
{
    const char *n = xcx_mem_type_name(t);

    return n ? n : "none";
}

/* The fact behind input @bit of @in. */
static const struct xcx_eff_fact *fact_of(const struct xcx_eff_inputs *in,
                                          uint32_t bit)
{
    static const struct xcx_eff_fact user = {XCX_SRC_USER, true};
    static const struct xcx_eff_fact xen_rule = {XCX_SRC_XEN_RULE, true};

    switch (bit) {
    case XCX_EFF_IN_VENDOR:
        return &in->host.vendor_fact;
    case XCX_EFF_IN_PAGING:
        return &in->host.paging_fact;
    case XCX_EFF_IN_XEN_VERSION:
        return &in->host.xen_version_fact;
    case XCX_EFF_IN_IOMMU:
        return &in->domain.iommu_fact;
    case XCX_EFF_IN_CACHE_FLUSH:
        return &in->domain.cache_flush_fact;
    case XCX_EFF_IN_FRAME_KIND:
        return &in->frame.kind_fact;
    case XCX_EFF_IN_MFN_VALID:
        return &in->frame.mfn_valid_fact;
    case XCX_EFF_IN_PINNED:
        return &in->frame.pinned_fact;
    case XCX_EFF_IN_GUEST_MTRR:
    case XCX_EFF_IN_MTRR_VCPU:
        return &in->guest.mtrr_fact;
    case XCX_EFF_IN_HOST_MTRR:
        return &in->frame.host_mtrr_fact;
    case XCX_EFF_IN_HOST_PAT:
        return &xen_rule;
    case XCX_EFF_IN_GUEST_PAT:
        return &in->guest.pat_fact;
    case XCX_EFF_IN_PAT_INDEX:
        return &user;
    default:
        return &in->guest.cr0_fact; /* CR0.CD, CR0.PG */
    }
}

static void text_basis(const struct xcx_eff_inputs *in,
                       const struct xcx_effective *e, const char *pat_src)
{
    printf("  basis:");
    for (uint32_t b = 1; b && b < (1u << XCX_EFF_IN_COUNT); b <<= 1) {
        const char *src;

        if (!(e->basis & b))
            continue;
        src = b == XCX_EFF_IN_PAT_INDEX
                  ? pat_src
                  : xcx_eff_source_name(fact_of(in, b)->source);
        printf(" %s=%s%s", xcx_eff_input_name(b), src,
               (e->unknown & b) ? "?" : "");
    }
    printf("\n");
}

static void text_vendor(const struct xcx_effective *e)
{
    if (e->vendor == XCX_VENDOR_INTEL) {
        printf(" ept_type %s ipat %s (%s)", tname(e->ept_type),
               e->ipat ? "yes" : "no", xcx_ept_branch_name(e->ept_branch));
        if (e->mtrr_used)
            printf(" mtrr_type %s host_mtrr %s", tname(e->mtrr_type),
                   tname(e->host_type));
        return;
    }
    printf(" npt_pat_index %u host_type %s", e->npt_index, tname(e->host_type));
    if (e->amd_detail == XCX_AMD_CD)
        printf(" (APM: CD)");
    else if (e->amd_detail == XCX_AMD_WC_PLUS)
        printf(" (APM: WC+)");
}

void eff_print_text(unsigned int vcpu, uint64_t gpa,
                    const struct xcx_eff_inputs *in,
                    const struct xcx_effective *e, const char *pat_src)
{
    printf("vcpu %u gpa 0x%" PRIx64 ": effective %s%s pat_index %u pat_type "
           "%s vendor %s",
           vcpu, gpa, tname(e->effective), e->reliable ? "" : " (unreliable)",
           e->pat_index, tname(e->pat_type), xcx_vendor_name(e->vendor));
    text_vendor(e);
    printf("\n");
    if (e->vcpu_dependent)
        printf("  depends on the vCPU that faulted: its vCPUs' MTRR types "
               "differ here\n");
    if (!e->reliable) {
        printf("  possible:");
        for (unsigned int t = 0; t < 8; t++)
            if (e->possible >> t & 1)
                printf(" %s", tname(t));
        printf("\n");
    }
    text_basis(in, e, pat_src);
}

static void json_type_member(const char *key, unsigned int t)
{
    if (t == XCX_EFF_NONE)
        printf(",\"%s\":null", key);
    else
        json_string_member(stdout, key, tname(t));
}

static void json_basis(const struct xcx_eff_inputs *in,
                       const struct xcx_effective *e, const char *pat_src)
{
    unsigned int n = 0;

    printf(",\"basis\":{");
    for (uint32_t b = 1; b < (1u << XCX_EFF_IN_COUNT); b <<= 1)
        if (e->basis & b)
            printf("%s\"%s\":\"%s\"", n++ ? "," : "", xcx_eff_input_name(b),
                   b == XCX_EFF_IN_PAT_INDEX
                       ? pat_src
                       : xcx_eff_source_name(fact_of(in, b)->source));
    printf("},\"unknown\":[");
    n = 0;
    for (uint32_t b = 1; b < (1u << XCX_EFF_IN_COUNT); b <<= 1)
        if (e->unknown & b)
            printf("%s\"%s\"", n++ ? "," : "", xcx_eff_input_name(b));
    printf("]");
}

void eff_print_json(unsigned int vcpu, uint64_t gpa,
                    const struct xcx_eff_inputs *in,
                    const struct xcx_effective *e, const char *pat_src)
{
    static const char *const detail[] = {"none", "CD", "WC+"};
    bool intel = e->vendor == XCX_VENDOR_INTEL;

    printf("{\"gpa\":\"0x%" PRIx64 "\",\"vcpu\":%u", gpa, vcpu);
    json_type_member("effective", e->effective);
    printf(",\"reliable\":%s,\"pat_index\":%u", e->reliable ? "true" : "false",
           e->pat_index);
    json_type_member("pat_type", e->pat_type);
    json_string_member(stdout, "vendor", xcx_vendor_name(e->vendor));
    json_type_member("ept_type", e->ept_type);
    if (intel)
        printf(",\"ipat\":%s", e->ipat ? "true" : "false");
    else
        printf(",\"ipat\":null");
    json_string_member(stdout, "ept_branch",
                       xcx_ept_branch_name(e->ept_branch));
    json_type_member("mtrr_type", e->mtrr_type);
    printf(",\"mtrr_used\":%s", e->mtrr_used ? "true" : "false");
    json_type_member("host_type", e->host_type);
    if (intel)
        printf(",\"npt_pat_index\":null");
    else
        printf(",\"npt_pat_index\":%u", e->npt_index);
    json_string_member(stdout, "amd_detail", detail[e->amd_detail % 3]);
    printf(",\"vcpu_dependent\":%s,\"possible\":",
           e->vcpu_dependent ? "true" : "false");
    json_types(stdout, e->possible);
    json_basis(in, e, pat_src);
    printf("}\n");
}
