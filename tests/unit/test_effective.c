/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_effective_type(): Xen's EPT decision tree (epte_get_entry_emt() in
 * xen/arch/x86/mm/p2m-ept.c, 4.17.0 and 4.20.0) branch by branch, the NPT
 * side (p2m-pt.c's entry flags over XEN_MSR_PAT), CR0.CD and CR0.PG, the
 * vCPU Xen takes the MTRRs of, reliability over uncertain inputs, the
 * batch form and the errors.
 */
#include "ctxbuild.h"
#include "unit.h"

enum {
    UC = XCX_MT_UC,
    WC = XCX_MT_WC,
    WT = XCX_MT_WT,
    WP = XCX_MT_WP,
    WB = XCX_MT_WB,
    UCM = XCX_MT_UC_MINUS
};

#define SURE(src) ((struct xcx_eff_fact){(src), true})

/* PAT with entry i of type t[i]. */
static uint64_t pat_of(const uint8_t t[8])
{
    uint64_t pat = 0;

    for (unsigned int i = 0; i < 8; i++)
        pat |= (uint64_t)t[i] << (8 * i);
    return pat;
}

/* A PAT holding every type: 0 WB, 1 WT, 2 UC-, 3 UC, 4 WC, 5 WP, 6 WB, 7 UC */
static const uint8_t pat_types[8] = {WB, WT, UCM, UC, WC, WP, WB, UC};

/* vCPU maps: default type @def, and [0xe0000000, 4 GiB) of type @hole. */
struct guest {
    struct xcx_mtrr_state st[2];
    xcx_mtrr_map *map[2];
};

static void guest_build(struct guest *g, unsigned int n, const uint8_t *def,
                        const uint8_t *hole)
{
    for (unsigned int v = 0; v < n; v++) {
        struct ctxb_regs_desc d = {.def_type = def[v],
                                   .e = true,
                                   .fe = true,
                                   .vcnt = 8,
                                   .fixed_type = WB,
                                   .width = 36};
        struct xcx_mtrr_regs r;

        ctxb_regs_fill(&r, &d);
        ctxb_set_var(&r, 0, 0xe0000000, 0x20000000, hole[v], 36);
        assert_int_equal(xcx_mtrr_state_init(&g->st[v], &r, 36, 0xff, NULL), 0);
        g->map[v] = xcx_mtrr_map_build(&g->st[v], NULL);
        assert_non_null(g->map[v]);
    }
}

static void guest_free(struct guest *g, unsigned int n)
{
    for (unsigned int v = 0; v < n; v++)
        xcx_mtrr_map_free(g->map[v]);
}

/* Every fact certain: an Intel host of Xen 4.20, a domain with an IOMMU
 * and cache-flush permission, a RAM frame over host WB. */
static void inputs_intel(struct xcx_eff_inputs *in, const struct guest *g,
                         unsigned int nr)
{
    xcx_eff_inputs_init(in);
    in->host.vendor = XCX_VENDOR_INTEL;
    in->host.vendor_fact = SURE(XCX_SRC_USER);
    in->host.paging = XCX_PAGING_EPT;
    in->host.paging_fact = SURE(XCX_SRC_USER);
    in->host.xen_version = 0x041400;
    in->host.xen_version_fact = SURE(XCX_SRC_USER);
    in->domain.iommu = true;
    in->domain.iommu_fact = SURE(XCX_SRC_USER);
    in->domain.cache_flush = true;
    in->domain.cache_flush_fact = SURE(XCX_SRC_USER);
    in->frame.kind_fact = SURE(XCX_SRC_USER);
    in->frame.mfn_valid_fact = SURE(XCX_SRC_USER);
    in->frame.pinned_fact = SURE(XCX_SRC_USER);
    in->frame.host_mtrr_fact = SURE(XCX_SRC_USER);
    in->guest.maps = (const xcx_mtrr_map *const *)g->map;
    in->guest.nr_vcpus = nr;
    in->guest.mtrr_fact = SURE(XCX_SRC_RECORD);
    in->guest.pat = pat_of(pat_types);
    in->guest.pat_fact = SURE(XCX_SRC_RECORD);
    in->guest.cr0_fact = SURE(XCX_SRC_RECORD);
}

static struct xcx_effective look(const struct xcx_eff_inputs *in, uint64_t gpa,
                                 unsigned int idx)
{
    struct xcx_effective e;

    if (xcx_effective_type(in, gpa, idx, &e, NULL) < 0)
        fail_msg("lookup of %#llx index %u failed: errno %d",
                 (unsigned long long)gpa, idx, errno);
    return e;
}

#define RAM  0x100000ull   /* guest MTRR WB (default) */
#define HOLE 0xe0000000ull /* guest MTRR of the hole */

/* The domain without IOMMU and cache-flush permission: WB, ignore PAT,
 * whatever its MTRRs and PAT say (every index, RAM and hole alike). */
static void test_no_flush_wb_ipat(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;

    guest_build(&g, 1, (uint8_t[]){UC}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    in.domain.iommu = false;
    in.domain.cache_flush = false;
    for (unsigned int idx = 0; idx < 8; idx++) {
        struct xcx_effective e = look(&in, HOLE, idx);

        assert_int_equal(e.effective, WB);
        assert_int_equal(e.ept_type, WB);
        assert_true(e.ipat);
        assert_int_equal(e.ept_branch, XCX_EPT_NO_FLUSH);
        assert_false(e.mtrr_used);
        assert_true(e.reliable);
        assert_int_equal(e.pat_type, pat_types[idx]);
        assert_false(e.basis & XCX_EFF_IN_GUEST_MTRR);
        assert_false(e.basis & XCX_EFF_IN_GUEST_PAT);
        assert_true(e.basis & XCX_EFF_IN_IOMMU);
        assert_true(e.basis & XCX_EFF_IN_CACHE_FLUSH);
    }
    /* Either permission alone makes Xen honour the MTRRs. */
    in.domain.iommu = true;
    assert_int_equal(look(&in, HOLE, 0).ept_branch, XCX_EPT_MTRR);
    in.domain.iommu = false;
    in.domain.cache_flush = true;
    assert_int_equal(look(&in, HOLE, 0).ept_branch, XCX_EPT_MTRR);
    guest_free(&g, 1);
}

/* Honoured: guest MTRR x host MTRR (Xen's rule), then Table 11-7 with the
 * guest PAT. */
static void test_honoured_mtrr_branch(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    e = look(&in, HOLE, 0); /* MTRR UC, PAT WB */
    assert_int_equal(e.ept_branch, XCX_EPT_MTRR);
    assert_int_equal(e.mtrr_type, UC);
    assert_int_equal(e.ept_type, UC);
    assert_false(e.ipat);
    assert_int_equal(e.effective, UC);
    e = look(&in, HOLE, 4); /* PAT WC over UC: WC */
    assert_int_equal(e.effective, WC);
    e = look(&in, RAM, 1); /* MTRR WB, PAT WT */
    assert_int_equal(e.effective, WT);
    e = look(&in, RAM, 2); /* PAT UC- over WB: UC */
    assert_int_equal(e.effective, UC);
    assert_true(e.reliable);
    assert_true(e.basis & XCX_EFF_IN_GUEST_MTRR);
    assert_true(e.basis & XCX_EFF_IN_HOST_MTRR);
    assert_true(e.basis & XCX_EFF_IN_GUEST_PAT);
    /* Host MTRR WT with guest WB: EPT WT; host WC with guest WT: UC. */
    in.frame.host_mtrr = WT;
    e = look(&in, RAM, 0);
    assert_int_equal(e.ept_type, WT);
    assert_int_equal(e.effective, WT);
    in.frame.host_mtrr = WP;
    e = look(&in, RAM, 1); /* EPT WP, PAT WT: WT (SDM footnote) */
    assert_int_equal(e.ept_type, WP);
    assert_int_equal(e.effective, WT);
    guest_free(&g, 1);
}

/* The branches before the MTRRs, in Xen's order. */
static void test_frame_branches(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);

    in.frame.kind = XCX_FRAME_MMIO_RO; /* UC + ipat, even with PAT WC */
    e = look(&in, HOLE, 4);
    assert_int_equal(e.ept_branch, XCX_EPT_MMIO_RO);
    assert_int_equal(e.effective, UC);
    assert_true(e.ipat);

    in.frame.kind = XCX_FRAME_MMIO_DIRECT; /* UC, PAT live: WC stays WC */
    e = look(&in, HOLE, 4);
    assert_int_equal(e.ept_branch, XCX_EPT_MMIO_DIRECT);
    assert_false(e.ipat);
    assert_int_equal(e.effective, WC);
    e = look(&in, HOLE, 2); /* UC- over UC */
    assert_int_equal(e.effective, UC);

    /* Direct MMIO is UC even for a domain without permissions (it cannot
     * have any, but Xen's test excludes it). */
    in.domain.iommu = in.domain.cache_flush = false;
    assert_int_equal(look(&in, HOLE, 4).ept_branch, XCX_EPT_MMIO_DIRECT);
    in.domain.iommu = in.domain.cache_flush = true;

    in.frame.kind = XCX_FRAME_SPECIAL;
    e = look(&in, HOLE, 3);
    assert_int_equal(e.ept_branch, XCX_EPT_SPECIAL);
    assert_int_equal(e.effective, WB);

    for (unsigned int k = XCX_FRAME_GRANT; k <= XCX_FRAME_FOREIGN; k++) {
        in.frame.kind = k;
        e = look(&in, HOLE, 3);
        assert_int_equal(e.ept_branch, XCX_EPT_GRANT);
        assert_int_equal(e.effective, WB);
        assert_true(e.ipat);
    }

    in.frame.kind = XCX_FRAME_RAM;
    in.frame.pinned = WC;
    e = look(&in, HOLE, 3);
    assert_int_equal(e.ept_branch, XCX_EPT_PINNED);
    assert_int_equal(e.effective, WC);
    assert_true(e.ipat);
    in.frame.pinned = UCM; /* pinned UC- is UC in EPT */
    e = look(&in, RAM, 0);
    assert_int_equal(e.ept_type, UC);
    guest_free(&g, 1);
}

/* Direct MMIO without a valid MFN: UC + ipat up to 4.17.4 and 4.18.2,
 * UC with the PAT live from 4.17.5, 4.18.3 and 4.19 on. */
static void test_invalid_mfn_by_version(void **state)
{
    static const struct {
        uint32_t version;
        bool old;
    } versions[] = {
        {0x041100, true},  {0x041104, true},  {0x041105, false},
        {0x041107, false}, {0x041200, true},  {0x041202, true},
        {0x041203, false}, {0x041300, false}, {0x041400, false},
        {0x041604, false},
    };
    struct guest g;
    struct xcx_eff_inputs in;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    in.frame.kind = XCX_FRAME_MMIO_DIRECT;
    in.frame.mfn_valid = false;
    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        struct xcx_effective e;

        in.host.xen_version = versions[i].version;
        e = look(&in, HOLE, 4);
        assert_int_equal(e.ept_branch, versions[i].old ? XCX_EPT_INVALID_MFN
                                                       : XCX_EPT_MMIO_DIRECT);
        assert_int_equal(e.effective, versions[i].old ? UC : WC);
        assert_true(e.reliable);
    }
    /* Unknown version: either, so unreliable. */
    in.host.xen_version = 0;
    assert_false(look(&in, HOLE, 4).reliable);
    guest_free(&g, 1);
}

/* CR0.CD set: UC on both vendors; CR0.PG clear: the PAT type is WB. */
static void test_cr0(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    in.guest.cr0 = (1ull << 31) | (1ull << 30);
    e = look(&in, RAM, 0);
    assert_int_equal(e.effective, UC);
    assert_true(e.basis & XCX_EFF_IN_CR0_CD);
    in.host.vendor = XCX_VENDOR_AMD;
    in.host.paging = XCX_PAGING_NPT;
    e = look(&in, RAM, 0);
    assert_int_equal(e.effective, UC);
    assert_int_equal(e.amd_detail, XCX_AMD_CD);

    in.guest.cr0 = 0; /* paging off: index ignored, PAT type WB */
    e = look(&in, RAM, 3);
    assert_int_equal(e.pat_type, WB);
    assert_int_equal(e.effective, WB);
    assert_false(e.basis & XCX_EFF_IN_GUEST_PAT);
    guest_free(&g, 1);
}

/* AMD: guest MTRRs never consulted; the guest PAT is live over the NPT
 * entry's host type (XEN_MSR_PAT index 0 WB, 2 UC-, 3 UC) and host MTRR. */
static void test_amd_npt(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 1, (uint8_t[]){UC}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    in.host.vendor = XCX_VENDOR_AMD;
    in.host.paging = XCX_PAGING_NPT;
    in.domain.iommu = in.domain.cache_flush = false;
    for (unsigned int idx = 0; idx < 8; idx++) {
        static const uint8_t want[8] = {WB, WT, UC, UC, WC, WP, WB, UC};

        e = look(&in, HOLE, idx);
        assert_int_equal(e.effective, want[idx]);
        assert_int_equal(e.vendor, XCX_VENDOR_AMD);
        assert_int_equal(e.npt_index, 0);
        assert_int_equal(e.host_type, WB);
        assert_int_equal(e.ept_type, XCX_EFF_NONE);
        assert_int_equal(e.mtrr_type, XCX_EFF_NONE);
        assert_false(e.basis & XCX_EFF_IN_GUEST_MTRR);
        assert_true(e.basis & XCX_EFF_IN_GUEST_PAT);
        assert_true(e.reliable);
    }
    assert_int_equal(look(&in, HOLE, 2).amd_detail, XCX_AMD_CD);
    assert_int_equal(look(&in, HOLE, 4).amd_detail, XCX_AMD_WC_PLUS);
    /* Direct MMIO: host UC- (index 2); over a UC host MTRR: WC stays WC,
     * WB becomes UC. */
    in.frame.kind = XCX_FRAME_MMIO_DIRECT;
    in.frame.host_mtrr = UC;
    e = look(&in, HOLE, 4);
    assert_int_equal(e.npt_index, 2);
    assert_int_equal(e.host_type, UCM);
    assert_int_equal(e.effective, WC);
    assert_int_equal(look(&in, HOLE, 0).effective, UC);
    in.frame.kind = XCX_FRAME_MMIO_RO; /* host UC: all UC */
    assert_int_equal(look(&in, HOLE, 4).effective, UC);
    assert_int_equal(look(&in, HOLE, 4).npt_index, 3);
    guest_free(&g, 1);
}

/* Host MTRR WB assumed: AMD answers that it could change are unreliable,
 * those it cannot (guest PAT UC) stay reliable. */
static void test_uncertain_host_mtrr(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    in.host.vendor = XCX_VENDOR_AMD;
    in.host.paging = XCX_PAGING_NPT;
    in.frame.host_mtrr_fact = (struct xcx_eff_fact){XCX_SRC_ASSUMED, false};
    e = look(&in, RAM, 0);
    assert_int_equal(e.effective, WB);
    assert_false(e.reliable);
    assert_true(e.unknown & XCX_EFF_IN_HOST_MTRR);
    assert_true(e.possible & (1u << UC));
    e = look(&in, RAM, 3); /* PAT UC */
    assert_int_equal(e.effective, UC);
    assert_true(e.reliable);
    assert_int_equal(e.possible, 1u << UC);
    /* Intel non-honoured never consults it. */
    in.host.vendor = XCX_VENDOR_INTEL;
    in.host.paging = XCX_PAGING_EPT;
    in.domain.iommu = in.domain.cache_flush = false;
    e = look(&in, RAM, 0);
    assert_true(e.reliable);
    assert_int_equal(e.unknown, 0);
    guest_free(&g, 1);
}

/* vCPUs whose MTRRs differ: the EPT type depends on which one faulted. */
static void test_vcpu_dependence(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 2, (uint8_t[]){WB, WB}, (uint8_t[]){UC, WB});
    inputs_intel(&in, &g, 2);
    e = look(&in, HOLE, 0);
    assert_true(e.vcpu_dependent);
    assert_false(e.reliable);
    assert_int_equal(e.effective, UC); /* vCPU 0's */
    assert_int_equal(e.vcpus_seen, (1u << UC) | (1u << WB));
    assert_true(e.unknown & XCX_EFF_IN_MTRR_VCPU);
    /* PAT WC: WC over either, so nothing depends on the vCPU. */
    e = look(&in, HOLE, 4);
    assert_false(e.vcpu_dependent);
    assert_true(e.reliable);
    /* The faulting vCPU named. */
    in.guest.mtrr_vcpu = 1;
    e = look(&in, HOLE, 0);
    assert_false(e.vcpu_dependent);
    assert_int_equal(e.effective, WB);
    assert_true(e.reliable);
    /* Not honoured: nothing depends on the MTRRs. */
    in.guest.mtrr_vcpu = -1;
    in.domain.iommu = in.domain.cache_flush = false;
    assert_false(look(&in, HOLE, 0).vcpu_dependent);
    guest_free(&g, 2);
}

/* Uncertain domain facts: both branches possible. */
static void test_uncertain_domain(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    in.domain.iommu = in.domain.cache_flush = false;
    in.domain.iommu_fact = (struct xcx_eff_fact){XCX_SRC_NONE, false};
    e = look(&in, HOLE, 0);
    assert_int_equal(e.effective, WB);
    assert_false(e.reliable);
    assert_true(e.unknown & XCX_EFF_IN_IOMMU);
    assert_int_equal(e.possible, (1u << UC) | (1u << WB));
    /* On RAM with PAT WB both branches give WB. */
    assert_true(look(&in, RAM, 0).reliable);
    /* A frame of unknown kind in a domain without I/O memory cannot be
     * MMIO: the answer stays reliable; with I/O memory it may be. */
    in.domain.iommu_fact = SURE(XCX_SRC_USER);
    in.frame.kind_fact = (struct xcx_eff_fact){XCX_SRC_ASSUMED, false};
    e = look(&in, HOLE, 0);
    assert_true(e.reliable);
    assert_true(e.unknown & XCX_EFF_IN_FRAME_KIND);
    in.domain.cache_flush = true;
    e = look(&in, HOLE, 4); /* MTRR UC with PAT WC: WC; a grant: WB */
    assert_false(e.reliable);
    guest_free(&g, 1);
}

/* The batch gives what single lookups give. */
static void test_batch(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    uint64_t gpas[] = {0, RAM, 0xdffff000, HOLE, 0xfffff000};
    struct xcx_effective out[ARRAY_SIZE(gpas)];
    size_t done = 99;

    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    assert_int_equal(
        xcx_effective_batch(&in, gpas, ARRAY_SIZE(gpas), 1, out, &done, NULL),
        0);
    assert_int_equal(done, ARRAY_SIZE(gpas));
    for (size_t i = 0; i < ARRAY_SIZE(gpas); i++) {
        struct xcx_effective one = look(&in, gpas[i], 1);

        assert_memory_equal(&one, &out[i], sizeof(one));
    }
    /* A failing address stops the batch and says where. */
    gpas[2] = 1ull << 36;
    errno = 0;
    assert_int_equal(
        xcx_effective_batch(&in, gpas, ARRAY_SIZE(gpas), 1, out, &done, NULL),
        -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(done, 2);
    guest_free(&g, 1);
}

static void test_errors(void **state)
{
    struct guest g;
    struct xcx_eff_inputs in;
    struct xcx_effective e;
    struct caplog log;

    caplog_init(&log);
    guest_build(&g, 1, (uint8_t[]){WB}, (uint8_t[]){UC});
    inputs_intel(&in, &g, 1);
    errno = 0;
    assert_int_equal(xcx_effective_type(&in, 0, 8, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&log, 8);
    in.guest.pat = 0x02; /* entry 0 reserved */
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.guest.pat = pat_of(pat_types);
    in.host.vendor = XCX_VENDOR_UNKNOWN;
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.host.vendor = XCX_VENDOR_INTEL;
    in.host.paging = XCX_PAGING_SHADOW;
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    in.host.paging = XCX_PAGING_NPT; /* Intel with NPT */
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.host.paging = XCX_PAGING_EPT;
    in.guest.mtrr_vcpu = 1;
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.guest.mtrr_vcpu = -1;
    in.frame.kind = 6;
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.frame.kind = XCX_FRAME_RAM;
    in.frame.host_mtrr = UCM; /* no MTRR type */
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.frame.host_mtrr = WB;
    in.frame.pinned = 2;
    assert_int_equal(xcx_effective_type(&in, 0, 0, &e, &log.vtable), -1);
    assert_int_equal(errno, EINVAL);
    in.frame.pinned = XCX_EFF_NONE;
    assert_int_equal(xcx_effective_type(&in, 1ull << 36, 0, &e, NULL), -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(xcx_effective_batch(&in, NULL, 1, 0, &e, NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_effective_batch(&in, NULL, 0, 0, NULL, NULL, NULL), 0);
    guest_free(&g, 1);
}

/* A context of 2 vCPUs whose CPU records hold CR0 @cr0 + vcpu, the second
 * @cpu1_len bytes long (0: no CPU record for vCPU 1). */
static void cr0_context(struct ctxb_blob *b, uint64_t cr0, size_t cpu1_len)
{
    uint8_t cpu[1032];
    struct xcx_mtrr_regs r;
    struct ctxb_regs_desc d = {.def_type = WB, .e = true, .vcnt = 8};

    ctxb_regs_fill(&r, &d);
    memset(b, 0, sizeof(*b));
    ctxb_put_header(b, 0x54381286);
    for (unsigned int v = 0; v < 2; v++) {
        size_t len = v ? cpu1_len : sizeof(cpu);

        memset(cpu, 0, sizeof(cpu));
        ctxb_le_store(cpu + 656, cr0 + v, 8);
        if (len)
            ctxb_put_record(b, 2, v, len, cpu, len);
        ctxb_put_mtrr(b, v, &r);
    }
    ctxb_put_end(b);
}

static void test_context_cr0(void **state)
{
    struct ctxb_blob b;
    uint64_t cr0 = 0;

    cr0_context(&b, 0x80000011, 1032);
    assert_int_equal(xcx_hvm_context_cr0(b.data, b.len, 0, &cr0, NULL), 0);
    assert_int_equal(cr0, 0x80000011);
    assert_int_equal(xcx_hvm_context_cr0(b.data, b.len, 1, &cr0, NULL), 0);
    assert_int_equal(cr0, 0x80000012);
    errno = 0;
    assert_int_equal(xcx_hvm_context_cr0(b.data, b.len, 2, &cr0, NULL), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(xcx_hvm_context_cr0(b.data, b.len - 1, 0, &cr0, NULL), -1);
    assert_int_equal(errno, EINVAL); /* the context itself is cut */
    assert_int_equal(xcx_hvm_context_cr0(NULL, 0, 0, &cr0, NULL), -1);
    assert_int_equal(errno, EINVAL);
    ctxb_blob_free(&b);

    cr0_context(&b, 0, 600); /* too short to hold CR0 */
    assert_int_equal(xcx_hvm_context_cr0(b.data, b.len, 1, &cr0, NULL), -1);
    assert_int_equal(errno, EINVAL);
    ctxb_blob_free(&b);
    cr0_context(&b, 0, 0); /* none for vCPU 1 */
    assert_int_equal(xcx_hvm_context_cr0(b.data, b.len, 1, &cr0, NULL), -1);
    assert_int_equal(errno, ENOENT);
    ctxb_blob_free(&b);
}

static void test_names(void **state)
{
    assert_string_equal(xcx_vendor_name(XCX_VENDOR_AMD), "amd");
    assert_string_equal(xcx_paging_name(XCX_PAGING_EPT), "ept");
    assert_string_equal(xcx_eff_source_name(XCX_SRC_ASSUMED), "assumed");
    assert_string_equal(xcx_ept_branch_name(XCX_EPT_NO_FLUSH),
                        "no-cache-flush");
    assert_string_equal(xcx_frame_kind_name(XCX_FRAME_MMIO_DIRECT),
                        "mmio-direct");
    assert_string_equal(xcx_eff_input_name(XCX_EFF_IN_GUEST_PAT), "guest-pat");
    for (unsigned int b = 0; b < XCX_EFF_IN_COUNT; b++)
        assert_non_null(xcx_eff_input_name(1u << b));
    errno = 0;
    assert_null(xcx_eff_input_name(3));
    assert_int_equal(errno, EINVAL);
    assert_null(xcx_eff_input_name(1u << XCX_EFF_IN_COUNT));
    assert_null(xcx_vendor_name(3));
    assert_null(xcx_ept_branch_name(9));
    assert_null(xcx_frame_kind_name(6));
    assert_null(xcx_eff_source_name(10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_flush_wb_ipat),
        cmocka_unit_test(test_honoured_mtrr_branch),
        cmocka_unit_test(test_frame_branches),
        cmocka_unit_test(test_invalid_mfn_by_version),
        cmocka_unit_test(test_cr0),
        cmocka_unit_test(test_amd_npt),
        cmocka_unit_test(test_uncertain_host_mtrr),
        cmocka_unit_test(test_vcpu_dependence),
        cmocka_unit_test(test_uncertain_domain),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_context_cr0),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
