/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live PV domains (lib/live/pv_domain.c) over the fake back end: opening (HVM,
 * missing, dying), vCPU roots of 64- and 32-bit guests, the frame cache
 * and its batches, the M2P rule, page types in batches of at most 1024,
 * unmappable frames, and that closing unmaps everything.
 *
 * The synthetic 64-bit guest (DOM_PV, 2 vCPUs), built with pvbuild.h by
 * pv_setup():
 *  - kernel root K4 -> one L3 -> L2 "A" with NR_L1 L1 tables, each mapping
 *    LEAVES 4 KiB pages at KVA + i * 2 MiB + j * 4 KiB to PFN_DATA on;
 *    L3 entry 1 -> L2 "B" with a 2 MiB leaf at KVA_2M; L3 entry 4 a 1 GiB
 *    leaf at KVA_1G;
 *  - a 4 KiB leaf at KVA_FOREIGN naming MFN_FOREIGN, which the M2P says
 *    is no guest's;
 *  - user root U4 mapping UVA; vCPU 1 has no user root.
 * Page types: K4 and U4 L4 pinned, the L3s, L2s and L1s as such, but the
 * last L1 of L2 A, which Xen holds as no table.
 * DOM_PV32: a PAE root mapping KVA32 to a 4 KiB page at PFN_32.
 */
#include <inttypes.h>
#include <stdio.h>

#include "fake_backend.h"

#define NR_L1       40
#define LEAVES      4
#define KVA         UINT64_C(0xffff888000000000)
#define KVA_2M      UINT64_C(0xffff888040000000)
#define KVA_1G      UINT64_C(0xffff888100000000)
#define KVA_FOREIGN UINT64_C(0xffff888000010000)
#define UVA         UINT64_C(0x0000000000400000)
#define KVA32       UINT64_C(0xc0001000)
#define PFN_DATA    UINT64_C(0x800) /* + i * LEAVES + j */
#define PFN_2M      (PVB_LARGE_PFN + 0x200)
#define PFN_1G      (PVB_LARGE_PFN + 0x40000)
#define PFN_USER    UINT64_C(0x3000)
#define PFN_32      UINT64_C(0x42)
#define MFN_FOREIGN (PVB_SMALL_PFNS + 5) /* no M2P entry */

#define TYPE(level, pinned)                                                    \
    ((uint64_t)((level) | ((pinned) ? XCX_PFINFO_LPINTAB : 0))                 \
     << XCX_PFINFO_SHIFT)

struct pv_fixture {
    struct fixture *fx;
    uint64_t k4, u4, l3, l2a, l2b, root32;
    uint64_t l1[NR_L1];
    unsigned long nr_tables; /* of the kernel root's tree */
};

static struct pv_fixture P;

static uint64_t leaf_mfn(unsigned int i, unsigned int j)
{
    return pvb_mfn(PFN_DATA + i * LEAVES + j);
}

/* Xen's type of table @mfn. */
static void set_type(struct fake_domain *d, uint64_t mfn, uint64_t type)
{
    struct fake_frame *fr = fake_pv_find(d, mfn);

    assert_non_null(fr);
    fr->type = type;
}

static void build64(struct fake_domain *d)
{
    struct pvb b;

    pvb_init(&b, 8);
    P.k4 = pvb_new_table(&b);
    for (unsigned int i = 0; i < NR_L1; i++) {
        for (unsigned int j = 0; j < LEAVES; j++) {
            uint64_t va = KVA + i * SZ_2M + j * SZ_4K;

            pvb_map(&b, P.k4, va, PFN_DATA + i * LEAVES + j, SZ_4K,
                    PVB_RW | PVB_NX);
            pvb_frame(&b, leaf_mfn(i, j)); /* to see it is never mapped */
        }
        P.l1[i] = pvb_table(&b, P.k4, KVA + i * SZ_2M, 1);
    }
    P.l3 = pvb_table(&b, P.k4, KVA, 3);
    P.l2a = pvb_table(&b, P.k4, KVA, 2);
    pvb_map(&b, P.k4, KVA_2M, PFN_2M, SZ_2M, PVB_RW);
    P.l2b = pvb_table(&b, P.k4, KVA_2M, 2);
    pvb_map(&b, P.k4, KVA_1G, PFN_1G, SZ_1G, PVB_RW | PVB_NX);
    pvb_map_mfn(&b, P.k4, KVA_FOREIGN, MFN_FOREIGN, SZ_4K, PVB_RW);
    P.nr_tables = b.tables;

    P.u4 = pvb_new_table(&b);
    pvb_map(&b, P.u4, UVA, PFN_USER, SZ_4K, PVB_RW | PVB_US);
    fake_pv_import(d, &b);
    d->pv.kernel_root[0] = d->pv.kernel_root[1] = P.k4;
    d->pv.user_root[0] = P.u4;

    set_type(d, P.k4, TYPE(4, true));
    set_type(d, P.u4, TYPE(4, true));
    set_type(d, P.l3, TYPE(3, false));
    set_type(d, pvb_table(&b, P.u4, UVA, 3), TYPE(3, false));
    set_type(d, P.l2a, TYPE(2, false));
    set_type(d, P.l2b, TYPE(2, false));
    set_type(d, pvb_table(&b, P.u4, UVA, 2), TYPE(2, false));
    set_type(d, pvb_table(&b, P.u4, UVA, 1), TYPE(1, false));
    for (unsigned int i = 0; i + 1 < NR_L1; i++)
        set_type(d, P.l1[i], TYPE(1, false));
    pvb_free(&b);
}

static void build32(struct fake_domain *d)
{
    struct pvb b;

    pvb_init(&b, 4);
    P.root32 = pvb_new_table(&b);
    pvb_map(&b, P.root32, KVA32, PFN_32, SZ_4K, PVB_RW);
    fake_pv_import(d, &b);
    d->pv.kernel_root[0] = P.root32;
    pvb_free(&b);
}

static int pv_setup(void **state)
{
    if (fixture_setup(state))
        return -1;
    P.fx = *state;
    build64(dom(P.fx, DOM_PV));
    build32(dom(P.fx, DOM_PV32));
    return 0;
}

static int pv_teardown(void **state)
{
    return fixture_teardown(state);
}

/* Every mapping, handle and M2P the fake gave out is back. */
static void assert_all_released(const struct fake *f)
{
    assert_int_equal(fake_pv_mapped_now(f), 0);
    assert_int_equal(f->pv.unmap_calls, f->pv.maps_made);
    assert_int_equal(f->pv.frames_unmapped, f->pv.frames_mapped);
    assert_int_equal(f->pv.fmem_closes, f->pv.fmem_opens);
    assert_int_equal(f->pv.m2p_unmaps, f->pv.m2p_maps);
}

static xcx_pv_domain *open_pv(uint32_t domid)
{
    xcx_pv_domain *pv = xcx_pv_open(P.fx->h, domid);

    assert_non_null(pv);
    assert_int_equal(P.fx->log.count, 0);
    return pv;
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                   */
/* ------------------------------------------------------------------------ */

static void test_open_hvm(void **state)
{
    struct fixture *fx = P.fx;

    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_HVM1));
    assert_int_equal(errno, EOPNOTSUPP);
    assert_logged(&fx->log,
                  "domain 1 is HVM; page-table walks need a PV guest");
    assert_int_equal(fx->fake.pv.m2p_maps, 0);
    assert_int_equal(fx->fake.pv.fmem_opens, 0);
}

static void test_open_missing(void **state)
{
    struct fixture *fx = P.fx;

    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_MISSING));
    assert_int_equal(errno, ESRCH);
    assert_logged(&fx->log, "no domain 42");

    /* Gone between the domain facts and the width. */
    dom(fx, DOM_PV)->pv.err_info = ESRCH;
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_PV));
    assert_int_equal(errno, ESRCH);
    assert_logged(&fx->log, "domain 7");
    dom(fx, DOM_PV)->pv.err_info = 0;
    assert_all_released(&fx->fake);
}

static void test_open_dying(void **state)
{
    struct fixture *fx = P.fx;

    dom(fx, DOM_PV)->dying = true;
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_PV));
    assert_int_equal(errno, ESRCH);
    assert_logged(&fx->log, "domain 7 is dying");
    dom(fx, DOM_PV)->dying = false;
}

static void test_open_bad_width(void **state)
{
    struct fixture *fx = P.fx;

    dom(fx, DOM_PV)->pv.width = 2;
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_PV));
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "width of 2 bytes");
    dom(fx, DOM_PV)->pv.width = 8;
}

/* A failed step undoes the ones before it. */
static void test_open_undo(void **state)
{
    struct fixture *fx = P.fx;

    fx->fake.pv.m2p_fail = EPERM;
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_PV));
    assert_int_equal(errno, EPERM);
    assert_logged(&fx->log, "M2P");
    assert_int_equal(fx->fake.pv.fmem_opens, 0);
    fx->fake.pv.m2p_fail = 0;

    fx->fake.pv.fmem_fail = ENOENT;
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(fx->h, DOM_PV));
    assert_int_equal(errno, ENOENT);
    assert_logged(&fx->log, "foreign memory");
    assert_int_equal(fx->fake.pv.m2p_maps, 1);
    fx->fake.pv.fmem_fail = 0;
    assert_all_released(&fx->fake);
}

/* A back end without PV operations. */
static void test_open_no_pv_ops(void **state)
{
    struct fixture *fx = P.fx;
    struct xcx_backend_ops ops = fake_ops;
    xcx_handle *h;

    ops.pv_info = NULL;
    h = xcx_handle_new(&ops, &fx->fake, caplog_logger(&fx->log));
    assert_non_null(h);
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_pv_open(h, DOM_PV));
    assert_int_equal(errno, EOPNOTSUPP);
    assert_int_equal(fx->log.count, 1);
    free(h); /* not xcx_close(): the fixture's handle closes the fake */
}

/* ------------------------------------------------------------------------ */
/* Roots                                                                     */
/* ------------------------------------------------------------------------ */

static void test_roots_64(void **state)
{
    struct fixture *fx = P.fx;
    xcx_pv_domain *pv = open_pv(DOM_PV);
    uint64_t mfn = 0;

    assert_int_equal(xcx_pv_width(pv), 8);
    assert_int_equal(xcx_pv_nr_vcpus(pv), 2);
    assert_int_equal(xcx_pv_root(pv, 0, false, &mfn), 0);
    assert_int_equal(mfn, P.k4);
    assert_int_equal(xcx_pv_root(pv, 0, true, &mfn), 0);
    assert_int_equal(mfn, P.u4);
    assert_int_equal(xcx_pv_root(pv, 1, false, &mfn), 0);
    assert_int_equal(mfn, P.k4);
    assert_int_equal(fx->log.count, 0);

    mfn = 77;
    assert_fails(fx, xcx_pv_root(pv, 1, true, &mfn), ENOENT);
    assert_logged(&fx->log, "domain 7 vCPU 1 has no user root");
    assert_int_equal(mfn, 77);
    assert_fails(fx, xcx_pv_root(pv, 2, false, &mfn), EINVAL);
    assert_logged(&fx->log, "vCPU 2 out of range: domain 7 has 2");

    /* A vCPU never brought up: ctrlreg[3] is 0. */
    dom(fx, DOM_PV)->pv.kernel_root[1] = 0;
    assert_fails(fx, xcx_pv_root(pv, 1, false, &mfn), ENOENT);
    assert_logged(&fx->log, "domain 7 vCPU 1 has no page tables");
    dom(fx, DOM_PV)->pv.kernel_root[1] = P.k4;

    /* Xen's errors pass through, naming domain and vCPU. */
    dom(fx, DOM_PV)->pv.err_roots = ESRCH;
    assert_fails(fx, xcx_pv_root(pv, 0, false, &mfn), ESRCH);
    assert_logged(&fx->log, "no domain 7");
    dom(fx, DOM_PV)->pv.err_roots = EACCES;
    assert_fails(fx, xcx_pv_root(pv, 1, false, &mfn), EACCES);
    assert_logged(&fx->log, "domain 7 vCPU 1");
    dom(fx, DOM_PV)->pv.err_roots = 0;
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

static void test_roots_32(void **state)
{
    struct fixture *fx = P.fx;
    xcx_pv_domain *pv = open_pv(DOM_PV32);
    struct xcx_pv_guest g;
    struct xcx_pv_walk w;
    uint64_t mfn = 0;

    assert_int_equal(xcx_pv_width(pv), 4);
    assert_int_equal(xcx_pv_nr_vcpus(pv), 1);
    assert_int_equal(xcx_pv_root(pv, 0, false, &mfn), 0);
    assert_int_equal(mfn, P.root32);
    assert_fails(fx, xcx_pv_root(pv, 0, true, &mfn), ENOENT);
    assert_logged(&fx->log, "32-bit");

    xcx_pv_guest(pv, &g);
    assert_int_equal(g.width, 4);
    assert_int_equal(xcx_pv_walk(&g, P.root32, KVA32 + 0x123, &w, NULL), 0);
    assert_true(w.mapped);
    assert_int_equal(w.nr_levels, 3);
    assert_int_equal(w.mfn, pvb_mfn(PFN_32));
    assert_true(w.pfn_valid);
    assert_int_equal(w.pfn, PFN_32);
    assert_int_equal(w.paddr, PFN_32 << 12 | 0x123);
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

/* ------------------------------------------------------------------------ */
/* Walks, the M2P rule and the frame cache                                   */
/* ------------------------------------------------------------------------ */

static void test_walks(void **state)
{
    struct fixture *fx = P.fx;
    xcx_pv_domain *pv = open_pv(DOM_PV);
    struct xcx_pv_guest g;
    struct xcx_pv_walk w;
    unsigned int calls;

    xcx_pv_guest(pv, &g);
    assert_int_equal(g.width, 8);
    assert_non_null(g.prefetch);

    /* A 4 KiB page: 4 frames read, each mapped alone on a miss. */
    assert_int_equal(xcx_pv_walk(&g, P.k4, KVA + 3 * 4096 + 5, &w, NULL), 0);
    assert_true(w.mapped);
    assert_int_equal(w.page_size, 4096);
    assert_int_equal(w.mfn, leaf_mfn(0, 3));
    assert_int_equal(w.pfn, PFN_DATA + 3);
    assert_int_equal(w.levels[0].table_mfn, P.k4);
    assert_int_equal(w.levels[0].mfn, P.l3);
    assert_int_equal(w.levels[0].pfn, PVB_TABLE_PFN + 1);
    assert_int_equal(w.levels[1].table_mfn, P.l3);
    assert_int_equal(fx->fake.pv.map_calls, 4);
    assert_int_equal(fx->fake.pv.frames_mapped, 4);

    /* The same tables again: no mapping at all. */
    calls = fx->fake.pv.map_calls;
    assert_int_equal(xcx_pv_walk(&g, P.k4, KVA + 4096, &w, NULL), 0);
    assert_int_equal(w.mfn, leaf_mfn(0, 1));
    assert_int_equal(fx->fake.pv.map_calls, calls);

    /* 2 MiB and 1 GiB pages: the PFN of the 4 KiB frame holding the VA. */
    assert_int_equal(xcx_pv_walk(&g, P.k4, KVA_2M + 5 * 4096, &w, NULL), 0);
    assert_int_equal(w.page_size, UINT64_C(1) << 21);
    assert_int_equal(w.mfn, pvb_mfn(PFN_2M) + 5);
    assert_true(w.pfn_valid);
    assert_int_equal(w.pfn, PFN_2M + 5);
    assert_int_equal(xcx_pv_walk(&g, P.k4, KVA_1G + 7 * 4096, &w, NULL), 0);
    assert_int_equal(w.page_size, UINT64_C(1) << 30);
    assert_int_equal(w.pfn, PFN_1G + 7);
    assert_true(w.nx);

    /* A frame with no M2P entry is not the guest's. */
    assert_int_equal(xcx_pv_walk(&g, P.k4, KVA_FOREIGN, &w, NULL), 0);
    assert_true(w.mapped);
    assert_int_equal(w.mfn, MFN_FOREIGN);
    assert_false(w.pfn_valid);

    /* The user root. */
    assert_int_equal(xcx_pv_walk(&g, P.u4, UVA, &w, NULL), 0);
    assert_true(w.user);
    assert_int_equal(w.mfn, pvb_mfn(PFN_USER));

    /* forget_frames: everything unmapped, read again on the next walk. */
    xcx_pv_forget_frames(pv);
    assert_int_equal(fake_pv_mapped_now(&fx->fake), 0);
    calls = fx->fake.pv.map_calls;
    assert_int_equal(xcx_pv_walk(&g, P.k4, KVA, &w, NULL), 0);
    assert_int_equal(fx->fake.pv.map_calls, calls + 4);
    assert_int_equal(fx->log.count, 0);
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

/* M2P entries at or above max(max_pages, max_gpfn + 1) are not the
 * guest's. */
static void test_m2p_rule(void **state)
{
    struct fixture *fx = P.fx;
    struct fake_domain *d = dom(fx, DOM_PV);
    const uint64_t va = KVA + 4096, pfn = PFN_DATA + 1;
    const struct {
        uint64_t max_pages, max_gpfn;
        bool valid;
    } cases[] = {
        {pfn + 1, 0, true},    {pfn, 0, false},        {pfn, pfn, true},
        {pfn, pfn - 1, false}, {1, UINT64_MAX, false}, /* no wrap */
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        xcx_pv_domain *pv;
        struct xcx_pv_guest g;
        struct xcx_pv_walk w;
        uint64_t got = 0;

        d->pv.max_pages = cases[i].max_pages;
        d->pv.max_gpfn = cases[i].max_gpfn;
        pv = open_pv(DOM_PV);
        xcx_pv_guest(pv, &g);
        errno = 0;
        assert_int_equal(g.m2p(g.arg, leaf_mfn(0, 1), &got),
                         cases[i].valid ? 0 : -1);
        assert_int_equal(cases[i].valid ? got : (uint64_t)errno,
                         cases[i].valid ? pfn : ENOENT);
        /* The walker sees the same through the callback. */
        assert_int_equal(xcx_pv_walk(&g, P.k4, va, &w, NULL), 0);
        assert_int_equal(w.pfn_valid, cases[i].valid);
        xcx_pv_close(pv);
    }
    d->pv.max_pages = d->pv.max_gpfn = 0;

    /* Out of the M2P's range, and the host's invalid entry. */
    {
        xcx_pv_domain *pv = open_pv(DOM_PV);
        struct xcx_pv_guest g;
        uint64_t got;

        xcx_pv_guest(pv, &g);
        assert_int_equal(g.m2p(g.arg, FAKE_MAX_MFN, &got), -1);
        assert_int_equal(errno, ENOENT);
        assert_int_equal(g.m2p(g.arg, MFN_FOREIGN, &got), -1);
        assert_int_equal(errno, ENOENT);
        assert_int_equal(g.m2p(g.arg, P.k4, &got), 0);
        assert_int_equal(got, PVB_TABLE_PFN);
        xcx_pv_close(pv);
    }
    assert_all_released(&fx->fake);
}

/* A dump maps each table frame once, in at most one batch per parent
 * table (plus the root, read on a miss), and never a data frame. */
static int count_run(void *arg, const struct xcx_pv_run *run)
{
    (*(unsigned int *)arg)++;
    return 0;
}

static void test_dump_batches(void **state)
{
    struct fixture *fx = P.fx;
    struct fake_domain *d = dom(fx, DOM_PV);
    xcx_pv_domain *pv = open_pv(DOM_PV);
    struct xcx_pv_guest g;
    unsigned int runs = 0;
    const unsigned int parents = 4; /* K4, the L3, L2 A, L2 B */

    xcx_pv_guest(pv, &g);
    assert_int_equal(
        xcx_pv_dump(&g, P.k4, 0, 0, count_run, &runs, caplog_logger(&fx->log)),
        0);
    assert_int_equal(fx->log.count, 0);
    assert_true(runs > 0);
    for (size_t i = 0; i < d->pv.nr_frames; i++) {
        const struct fake_frame *fr = &d->pv.frames[i];
        uint64_t pfn = 0;
        /* The kernel tree's tables got the first table PFNs. */
        bool table = pvb_m2p(fr->mfn, &pfn) == 0 && pfn >= PVB_TABLE_PFN &&
                     pfn < PVB_TABLE_PFN + P.nr_tables;

        if (fr->maps != (table ? 1u : 0u))
            fail_msg("frame 0x%" PRIx64 " (%s) mapped %u times", fr->mfn,
                     table ? "a table" : "data", fr->maps);
    }
    assert_int_equal(fx->fake.pv.frames_mapped, P.nr_tables);
    if (fx->fake.pv.map_calls > 1 + parents)
        fail_msg("%u map calls for %u parent tables", fx->fake.pv.map_calls,
                 parents);
    /* NR_L1 children of L2 A in one call. */
    assert_true(fx->fake.pv.largest_map >= NR_L1);

    /* A second dump reads from the cache. */
    {
        unsigned int calls = fx->fake.pv.map_calls;

        assert_int_equal(xcx_pv_dump(&g, P.k4, 0, 0, count_run, &runs, NULL),
                         0);
        assert_int_equal(fx->fake.pv.map_calls, calls);
    }
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

/* prefetch: distinct uncached frames in range, in one call. */
static void test_prefetch(void **state)
{
    struct fixture *fx = P.fx;
    xcx_pv_domain *pv = open_pv(DOM_PV);
    struct xcx_pv_guest g;
    uint64_t mfns[3 * NR_L1 + 2];
    size_t n = 0;

    xcx_pv_guest(pv, &g);
    assert_non_null(g.read_frame(g.arg, P.l1[0])); /* cached already */
    for (unsigned int i = 0; i < NR_L1; i++) {
        mfns[n++] = P.l1[i];
        mfns[n++] = P.l1[NR_L1 - 1 - i]; /* duplicates */
    }
    mfns[n++] = FAKE_MAX_MFN + 5;  /* out of range: left out */
    mfns[n++] = UINT64_C(1) << 39; /* likewise */
    assert_int_equal(fx->fake.pv.map_calls, 1);
    g.prefetch(g.arg, mfns, n);
    assert_int_equal(fx->fake.pv.map_calls, 2);
    assert_int_equal(fx->fake.pv.frames_mapped, NR_L1);
    for (unsigned int i = 0; i < NR_L1; i++)
        assert_non_null(g.read_frame(g.arg, P.l1[i]));
    assert_int_equal(fx->fake.pv.map_calls, 2);

    /* More than one call's worth: split. */
    {
        static uint64_t many[2500];
        struct fake_domain *d = dom(fx, DOM_PV);

        for (unsigned int i = 0; i < ARRAY_SIZE(many); i++) {
            many[i] = 0x30000 + i;
            fake_pv_frame(d, many[i]);
        }
        g.prefetch(g.arg, many, ARRAY_SIZE(many));
        assert_int_equal(fx->fake.pv.map_calls, 5);
        assert_int_equal(fx->fake.pv.largest_map, 1024);
    }

    /* A failed batch caches nothing: the read maps again, and reports. */
    dom(fx, DOM_PV)->pv.err_map = ENOMEM;
    xcx_pv_forget_frames(pv);
    g.prefetch(g.arg, mfns, 4);
    dom(fx, DOM_PV)->pv.err_map = 0;
    assert_non_null(g.read_frame(g.arg, P.l1[0]));
    assert_int_equal(fx->log.count, 0);
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

/* ------------------------------------------------------------------------ */
/* Unmappable frames                                                         */
/* ------------------------------------------------------------------------ */

static void test_unmappable(void **state)
{
    struct fixture *fx = P.fx;
    struct fake_domain *d = dom(fx, DOM_PV);
    xcx_pv_domain *pv = open_pv(DOM_PV);
    xentoollog_logger *lg = caplog_logger(&fx->log);
    struct xcx_pv_guest g;
    struct xcx_pv_walk w;
    char want[64];

    xcx_pv_guest(pv, &g);
    /* One L1 table Xen will not map. */
    fake_pv_find(d, P.l1[2])->map_err = EFAULT;
    assert_fails(fx, xcx_pv_walk(&g, P.k4, KVA + 2 * (1u << 21), &w, lg),
                 EFAULT);
    snprintf(want, sizeof(want), "frame 0x%" PRIx64 " of domain 7", P.l1[2]);
    assert_logged(&fx->log, want);
    /* Cached as unmappable: the same answer, no new call. */
    {
        unsigned int calls = fx->fake.pv.map_calls;

        assert_fails(fx, xcx_pv_walk(&g, P.k4, KVA + 2 * (1u << 21), &w, lg),
                     EFAULT);
        assert_logged(&fx->log, want);
        assert_int_equal(fx->fake.pv.map_calls, calls);
    }
    /* A dump stops there with the same error. */
    assert_fails(fx,
                 xcx_pv_dump(&g, P.k4, KVA, KVA + (UINT64_C(1) << 30),
                             count_run, &(unsigned int){0}, lg),
                 EFAULT);
    assert_logged(&fx->log, want);
    fake_pv_find(d, P.l1[2])->map_err = 0;

    /* Every map call failing. */
    xcx_pv_forget_frames(pv);
    d->pv.err_map = EPERM;
    assert_fails(fx, xcx_pv_walk(&g, P.k4, KVA, &w, lg), EPERM);
    snprintf(want, sizeof(want), "frame 0x%" PRIx64 " of domain 7", P.k4);
    assert_logged(&fx->log, want);
    d->pv.err_map = 0;

    /* A table beyond the host's RAM: refused before any mapping. */
    assert_null(g.read_frame(g.arg, FAKE_MAX_MFN));
    assert_int_equal(errno, EINVAL);

    /* The domain dies while we walk: an error naming frame and domain. */
    xcx_pv_forget_frames(pv);
    d->dying = true;
    assert_fails(fx, xcx_pv_walk(&g, P.k4, KVA, &w, lg), ESRCH);
    assert_logged(&fx->log, "dying");
    assert_logged(&fx->log, want);
    d->dying = false;
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

/* ------------------------------------------------------------------------ */
/* Page types                                                                */
/* ------------------------------------------------------------------------ */

static void test_page_types(void **state)
{
    struct fixture *fx = P.fx;
    struct fake_domain *d = dom(fx, DOM_PV);
    xcx_pv_domain *pv = open_pv(DOM_PV);
    const uint64_t mfns[] = {
        P.k4,        P.l3,           P.l2a,  P.l1[0], P.l1[NR_L1 - 1],
        MFN_FOREIGN, leaf_mfn(0, 0), 0x7777, 0x7778,  0x7779};
    struct xcx_page_type t[ARRAY_SIZE(mfns)];

    fake_pv_frame(d, 0x7777)->type = (uint64_t)XCX_PFINFO_BROKEN
                                     << XCX_PFINFO_SHIFT;
    fake_pv_frame(d, 0x7778)->type = (uint64_t)XCX_PFINFO_XALLOC
                                     << XCX_PFINFO_SHIFT;
    fake_pv_frame(d, 0x7779)->type = (uint64_t)6 << XCX_PFINFO_SHIFT;
    memset(t, 0xa5, sizeof(t));
    assert_int_equal(xcx_pv_page_types(pv, mfns, ARRAY_SIZE(mfns), t), 0);
    assert_int_equal(fx->fake.pv.types_calls, 1);
    assert_int_equal(t[0].level, 4);
    assert_true(t[0].pinned);
    assert_false(t[0].invalid);
    assert_int_equal(t[1].level, 3);
    assert_false(t[1].pinned);
    assert_int_equal(t[2].level, 2);
    assert_int_equal(t[3].level, 1);
    assert_int_equal(t[4].level, 0); /* an L1 Xen holds as no table */
    assert_false(t[4].invalid);
    assert_true(t[5].invalid); /* not the domain's: XTAB */
    assert_int_equal(t[5].level, 0);
    assert_false(t[5].pinned);
    assert_int_equal(t[6].level, 0); /* a data page */
    assert_false(t[6].invalid);
    assert_true(t[7].invalid); /* BROKEN */
    assert_true(t[8].invalid); /* XALLOC */
    assert_true(t[9].invalid); /* a type Xen does not define */

    /* 2500 frames: 3 calls, none above 1024. */
    {
        static uint64_t many[2500];
        static struct xcx_page_type many_t[2500];

        for (unsigned int i = 0; i < ARRAY_SIZE(many); i++)
            many[i] = i % 2 ? P.k4 : MFN_FOREIGN;
        fx->fake.pv.types_calls = 0;
        fx->fake.pv.types_frames = 0;
        assert_int_equal(xcx_pv_page_types(pv, many, ARRAY_SIZE(many), many_t),
                         0);
        assert_int_equal(fx->fake.pv.types_calls, 3);
        assert_int_equal(fx->fake.pv.largest_types, 1024);
        assert_int_equal(fx->fake.pv.types_frames, 2500);
        for (unsigned int i = 0; i < ARRAY_SIZE(many); i++)
            assert_int_equal(many_t[i].level, i % 2 ? 4 : 0);
        /* The caller's array is left as it was. */
        assert_int_equal(many[2499], P.k4);
    }
    /* None: no call. */
    fx->fake.pv.types_calls = 0;
    assert_int_equal(xcx_pv_page_types(pv, mfns, 0, t), 0);
    assert_int_equal(fx->fake.pv.types_calls, 0);

    /* Errors: named, errno kept. */
    d->pv.err_types = EPERM;
    assert_fails(fx, xcx_pv_page_types(pv, mfns, 3, t), EPERM);
    assert_logged(&fx->log, "page types of 3 frames of domain 7");
    d->pv.err_types = ESRCH;
    assert_fails(fx, xcx_pv_page_types(pv, mfns, 3, t), ESRCH);
    assert_logged(&fx->log, "no domain 7");
    d->pv.err_types = 0;
    xcx_pv_close(pv);
    assert_all_released(&fx->fake);
}

/* ------------------------------------------------------------------------ */
/* Closing                                                                   */
/* ------------------------------------------------------------------------ */

static void test_close(void **state)
{
    struct fixture *fx = P.fx;
    xcx_pv_domain *pv = open_pv(DOM_PV);
    struct xcx_pv_guest g;
    struct xcx_pv_walk w;
    unsigned int runs = 0;

    xcx_pv_guest(pv, &g);
    assert_int_equal(xcx_pv_walk(&g, P.u4, UVA, &w, NULL), 0);
    assert_int_equal(xcx_pv_dump(&g, P.k4, 0, 0, count_run, &runs, NULL), 0);
    assert_true(fake_pv_mapped_now(&fx->fake) >= 5);
    errno = 1234;
    xcx_pv_close(pv);
    assert_int_equal(errno, 1234);
    assert_all_released(&fx->fake);
    assert_int_equal(fx->fake.pv.fmem_opens, 1);
    assert_int_equal(fx->fake.pv.m2p_maps, 1);

    xcx_pv_close(NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, pv_setup, pv_teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_hvm),       T(test_open_missing), T(test_open_dying),
        T(test_open_bad_width), T(test_open_undo),    T(test_open_no_pv_ops),
        T(test_roots_64),       T(test_roots_32),     T(test_walks),
        T(test_m2p_rule),       T(test_dump_batches), T(test_prefetch),
        T(test_unmappable),     T(test_page_types),   T(test_close),
    };
#undef T

    return cmocka_run_group_tests_name("backend-pv", tests, NULL, NULL);
}
