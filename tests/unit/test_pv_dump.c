/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_pv_dump on synthetic guests: runs, ranges, shared and hostile
 * tables, reads. */
#include <stdlib.h>

#include "prng.h"
#include "pv_fixture.h"
#include "pvcheck.h"

#define RWUS  (PVB_RW | PVB_US)
#define P_RW  (XCX_PTE_P | XCX_PTE_RW)
#define P_RWU (XCX_PTE_P | XCX_PTE_RW | XCX_PTE_US)

static const uint64_t va_lo = UINT64_C(0x10000000);

/* A dump that must succeed, reading every frame once. */
static void dump_once(struct pvfix *f, uint64_t root, uint64_t lo, uint64_t hi,
                      struct pvc_runs *r)
{
    memset(r, 0, sizeof(*r));
    pvb_reset_reads(&f->b);
    if (xcx_pv_dump(&f->g, root, lo, hi, pvc_collect, r,
                    caplog_logger(&f->log)))
        fail_msg("dump failed: %s (%s)", strerror(errno), f->log.last);
    assert_int_equal(f->b.bad_reads, 0);
    assert_int_equal(f->b.reads, pvb_distinct_reads(&f->b));
}

/*
 * dump_once() with well-formed runs, and walks of each run's first and
 * last page agreeing with it. The read counts are the dump's: the dump is
 * made again after the walks.
 */
static void dump_ok(struct pvfix *f, uint64_t root, uint64_t lo, uint64_t hi,
                    struct pvc_runs *r)
{
    const char *bad;

    dump_once(f, root, lo, hi, r);
    bad = pvc_check_runs(r, f->b.width, lo, hi);
    if (bad)
        fail_msg("%s", bad);
    for (size_t i = 0; i < r->n; i++) {
        bad = pvc_check_walk(&f->g, root, &r->v[i], r->v[i].va_start);
        if (!bad)
            bad = pvc_check_walk(&f->g, root, &r->v[i], r->v[i].va_end - 1);
        if (bad)
            fail_msg("run %zu: %s", i, bad);
    }
    pvc_runs_free(r);
    dump_once(f, root, lo, hi, r);
}

static void assert_run(const struct xcx_pv_run *r, uint64_t start, uint64_t end,
                       uint64_t pfn, uint64_t size, uint32_t flags)
{
    if (r->va_start != start || r->va_end != end || r->page_size != size ||
        r->flags != flags || r->alias || (r->pfn_valid && r->pfn_start != pfn))
        fail_msg("run [%#llx, %#llx) pfn %#llx size %#llx flags %#x alias %d;"
                 " want [%#llx, %#llx) pfn %#llx size %#llx flags %#x",
                 (unsigned long long)r->va_start, (unsigned long long)r->va_end,
                 (unsigned long long)r->pfn_start,
                 (unsigned long long)r->page_size, r->flags, r->alias,
                 (unsigned long long)start, (unsigned long long)end,
                 (unsigned long long)pfn, (unsigned long long)size, flags);
}

/* Consecutive PFNs coalesce although their MFNs are scattered. */
static void test_coalesce(void **state)
{
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 8);
    pvb_map_range(&f.b, f.root, va_lo, 0x100, 16 * SZ_4K, SZ_4K, RWUS);
    assert_int_not_equal(pvb_mfn(0x101), pvb_mfn(0x100) + 1);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, 1);
    assert_run(&r.v[0], va_lo, va_lo + 16 * SZ_4K, 0x100, SZ_4K, P_RWU);
    assert_true(r.v[0].pfn_valid);
    assert_int_equal(r.v[0].mfn_start, pvb_mfn(0x100));
    assert_int_equal(r.v[0].cache, XCX_MT_WB);
    /* root, L3, L2, L1: the user root is not reached. */
    assert_int_equal(f.b.reads, 4);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* Two 4 KiB pages side by side (or @gap apart): one run or two. */
struct pair_case {
    const char *what;
    uint64_t a, a_bits, b, b_bits; /* PFNs, or MFNs when foreign */
    bool a_foreign, b_foreign;
    uint64_t gap;
    unsigned int runs;
};

#define FM PVB_FOREIGN_MFN

static const struct pair_case pair_cases[] = {
    {"next PFN", 0x10, RWUS, 0x11, RWUS, false, false, 0, 1},
    {"A and D differ", 0x10, RWUS | PVB_A, 0x11, RWUS | PVB_D, false, false, 0,
     1},
    {"RW differs", 0x10, RWUS, 0x11, PVB_US, false, false, 0, 2},
    {"US differs", 0x10, RWUS, 0x11, PVB_RW, false, false, 0, 2},
    {"NX differs", 0x10, RWUS, 0x11, RWUS | PVB_NX, false, false, 0, 2},
    {"G differs", 0x10, RWUS, 0x11, RWUS | PVB_G, false, false, 0, 2},
    {"PWT differs", 0x10, RWUS, 0x11, RWUS | PVB_PWT, false, false, 0, 2},
    {"PAT bit only", 0x10, RWUS, 0x11, RWUS | PVB_PAT4K, false, false, 0, 2},
    {"PFN gap", 0x10, RWUS, 0x12, RWUS, false, false, 0, 2},
    {"PFN backwards", 0x11, RWUS, 0x10, RWUS, false, false, 0, 2},
    {"VA gap", 0x10, RWUS, 0x11, RWUS, false, false, SZ_4K, 2},
    {"next MFN, not the guest's", FM, RWUS, FM + 1, RWUS, true, true, 0, 1},
    {"MFN gap, not the guest's", FM, RWUS, FM + 2, RWUS, true, true, 0, 2},
    {"guest's then not", 0x10, RWUS, FM, RWUS, false, true, 0, 2},
};

static void test_run_breaks(void **state)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(pair_cases); i++) {
        const struct pair_case *c = &pair_cases[i];
        struct pvfix f;
        struct pvc_runs r;

        pvfix_init(&f, 8);
        pvb_map_mfn(&f.b, f.root, va_lo, c->a_foreign ? c->a : pvb_mfn(c->a),
                    SZ_4K, c->a_bits);
        pvb_map_mfn(&f.b, f.root, va_lo + SZ_4K + c->gap,
                    c->b_foreign ? c->b : pvb_mfn(c->b), SZ_4K, c->b_bits);
        dump_ok(&f, f.root, 0, 0, &r);
        if (r.n != c->runs)
            fail_msg("%s: %zu runs, want %u", c->what, r.n, c->runs);
        assert_int_equal(r.v[0].pfn_valid, !c->a_foreign);
        if (c->a_foreign)
            assert_int_equal(r.v[0].mfn_start, c->a);
        pvc_runs_free(&r);
        pvfix_free(&f);
    }
}

/* Large pages coalesce by their first frames; size changes break runs. */
static void test_large_runs(void **state)
{
    const uint64_t pfn = PVB_LARGE_PFN + 0x40000; /* 1 GiB-aligned MFN */
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 8);
    pvb_map_range(&f.b, f.root, SZ_1G, pfn, 4 * SZ_2M, SZ_2M, PVB_RW);
    /* 4 KiB pages going on with the next PFNs: a new run. */
    pvb_map_range(&f.b, f.root, SZ_1G + 4 * SZ_2M, pfn + 4 * 512, 2 * SZ_4K,
                  SZ_4K, PVB_RW);
    pvb_map_range(&f.b, f.root, 4 * SZ_1G, pfn, 2 * SZ_1G, SZ_1G, PVB_RW);
    /* 2 MiB then 1 GiB with the PFNs going on: equal flags, two runs. */
    pvb_map(&f.b, f.root, 7 * SZ_1G - SZ_2M, pfn + 0x40000 - 512, SZ_2M,
            PVB_RW);
    pvb_map(&f.b, f.root, 7 * SZ_1G, pfn + 0x40000, SZ_1G, PVB_RW);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, 5);
    assert_run(&r.v[0], SZ_1G, SZ_1G + 4 * SZ_2M, pfn, SZ_2M,
               P_RW | XCX_PTE_PSE);
    assert_run(&r.v[1], SZ_1G + 4 * SZ_2M, SZ_1G + 4 * SZ_2M + 2 * SZ_4K,
               pfn + 4 * 512, SZ_4K, P_RW);
    assert_run(&r.v[2], 4 * SZ_1G, 6 * SZ_1G, pfn, SZ_1G, P_RW | XCX_PTE_PSE);
    assert_int_equal(r.v[2].mfn_start, pvb_mfn(pfn));
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* Both halves in VA order; Xen's L4 slots are neither listed nor read. */
static void test_halves_and_xen_slots(void **state)
{
    static const uint64_t guest_vas[] = {
        UINT64_C(0x400000),
        UINT64_C(0x00007ffffffff000),
        UINT64_C(0xffff880000000000),
        UINT64_C(0xffffffff81000000),
    };
    struct pvfix f;
    struct pvc_runs r;
    uint64_t xen_ro, xen;

    pvfix_init(&f, 8);
    for (unsigned int i = 0; i < ARRAY_SIZE(guest_vas); i++)
        pvb_map(&f.b, f.root, guest_vas[i], 0x20 + i, SZ_4K, PVB_RW);
    pvb_map(&f.b, f.root, UINT64_C(0xffff800000000000), 0x30, SZ_4K, 0);
    pvb_map(&f.b, f.root, UINT64_C(0xffff87fffffff000), 0x31, SZ_4K, 0);
    xen_ro = pvb_table(&f.b, f.root, UINT64_C(0xffff800000000000), 3);
    xen = pvb_table(&f.b, f.root, UINT64_C(0xffff87fffffff000), 3);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, ARRAY_SIZE(guest_vas));
    for (unsigned int i = 0; i < r.n; i++)
        assert_run(&r.v[i], guest_vas[i], guest_vas[i] + SZ_4K, 0x20 + i, SZ_4K,
                   P_RW);
    assert_int_equal(pvb_frame_reads(&f.b, xen_ro), 0);
    assert_int_equal(pvb_frame_reads(&f.b, xen), 0);
    /* root + 4 x (L3, L2, L1), all read once */
    assert_int_equal(f.b.reads, 13);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* Two L2 entries naming one L1: one alias run, the L1 read once. */
static void test_alias_l1(void **state)
{
    struct pvfix f;
    struct pvc_runs r;
    uint64_t l1, l2;

    pvfix_init(&f, 8);
    pvb_map_range(&f.b, f.root, va_lo, 0x40, 4 * SZ_4K, SZ_4K, RWUS);
    l1 = pvb_table(&f.b, f.root, va_lo, 1);
    l2 = pvb_table(&f.b, f.root, va_lo, 2);
    /* A read-only view of it 5 entries on. */
    pvb_set_entry(&f.b, l2, pvb_index(&f.b, 2, va_lo) + 5,
                  l1 << 12 | PVB_P | PVB_US);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, 2);
    assert_run(&r.v[0], va_lo, va_lo + 4 * SZ_4K, 0x40, SZ_4K, P_RWU);
    assert_true(r.v[1].alias);
    assert_int_equal(r.v[1].va_start, va_lo + 5 * SZ_2M);
    assert_int_equal(r.v[1].va_end, va_lo + 6 * SZ_2M);
    assert_int_equal(r.v[1].alias_va, va_lo);
    assert_int_equal(r.v[1].page_size, SZ_2M);
    assert_int_equal(r.v[1].mfn_start, l1);
    assert_true(r.v[1].pfn_valid);
    assert_int_equal(r.v[1].flags, XCX_PTE_P | XCX_PTE_US);
    assert_int_equal(pvb_frame_reads(&f.b, l1), 1);
    assert_int_equal(f.b.reads, 4);

    /* Ranges: the first place outside, the table is dumped at the second;
     * an alias run is clipped at the range's end. */
    pvc_runs_free(&r);
    dump_ok(&f, f.root, va_lo + 5 * SZ_2M + 0x3000, 0, &r);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].va_start, va_lo + 5 * SZ_2M + 0x3000);
    assert_false(r.v[0].alias);
    pvc_runs_free(&r);
    dump_ok(&f, f.root, va_lo + 0x2000, va_lo + 5 * SZ_2M + 0x3000, &r);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.v[1].va_start, va_lo + 5 * SZ_2M);
    assert_int_equal(r.v[1].va_end, va_lo + 5 * SZ_2M + 0x3000);
    assert_int_equal(r.v[1].alias_va, va_lo);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* Two L4 slots naming one L3: a 512 GiB alias run. */
static void test_alias_l3(void **state)
{
    const uint64_t span = UINT64_C(1) << 39;
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va_lo, 0x40, SZ_4K, PVB_RW);
    pvb_set_entry(&f.b, f.root, 3, pvb_entry(&f.b, f.root, 0));
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, 2);
    assert_true(r.v[1].alias);
    assert_int_equal(r.v[1].va_start, 3 * span);
    assert_int_equal(r.v[1].va_end, 4 * span);
    assert_int_equal(r.v[1].alias_va, 0);
    assert_int_equal(r.v[1].page_size, span);
    assert_int_equal(f.b.reads, 4);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* An L4 naming itself (once, then twice): bounded, each frame read once. */
static void test_l4_self(void **state)
{
    const uint64_t span = UINT64_C(1) << 39;
    const uint64_t high = UINT64_C(0xffff000000000000);

    for (unsigned int slots = 1; slots <= 2; slots++) {
        struct pvfix f;
        struct pvc_runs r;
        unsigned int aliases = 0;

        pvfix_init(&f, 8);
        pvb_map_range(&f.b, f.root, va_lo, 0x40, 8 * SZ_4K, SZ_4K, RWUS);
        pvb_map(&f.b, f.root, UINT64_C(0xffffffff81000000), 0x80, SZ_4K,
                PVB_RW);
        for (unsigned int s = 0; s < slots; s++)
            pvb_set_entry(&f.b, f.root, 0x1ed + s,
                          f.root << 12 | PVB_TABLE_BITS);
        dump_ok(&f, f.root, 0, 0, &r);
        /* root, 2 x (L3, L2, L1): frames, whatever the levels. */
        assert_int_equal(f.b.reads, 7);
        assert_true(r.n < 2048 * 7);
        for (size_t i = 0; i < r.n; i++)
            aliases += r.v[i].alias;
        if (slots == 1) {
            assert_int_equal(aliases, 0);
        } else {
            const struct xcx_pv_run *a = pvc_find(&r, high | 0x1ee * span);

            assert_non_null(a);
            assert_true(a->alias);
            assert_int_equal(a->alias_va, high | 0x1ed * span);
            assert_int_equal(a->page_size, span);
            assert_true(aliases >= 3);
        }
        /* The root seen as a page through the self slot(s). */
        assert_non_null(
            pvc_find(&r, high | 0x1ed * span | UINT64_C(0x1ed) << 30 |
                             UINT64_C(0x1ed) << 21 | UINT64_C(0x1ed) << 12));
        pvc_runs_free(&r);
        pvfix_free(&f);
    }
}

/* An L2 entry naming its own L2: its entries dumped once as an L1's. */
static void test_l2_self(void **state)
{
    struct pvfix f;
    struct pvc_runs r;
    const struct xcx_pv_run *run;
    uint64_t l2;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va_lo, 0x10, SZ_4K, PVB_RW);
    l2 = pvb_table(&f.b, f.root, va_lo, 2);
    pvb_set_entry(&f.b, l2, pvb_index(&f.b, 2, va_lo) + 3,
                  l2 << 12 | PVB_TABLE_BITS);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(f.b.reads, 4);
    run = pvc_find(&r, va_lo + 3 * SZ_2M + pvb_index(&f.b, 2, va_lo) * SZ_4K);
    assert_non_null(run);
    assert_int_equal(run->mfn_start, pvb_table(&f.b, f.root, va_lo, 1));
    run = pvc_find(&r,
                   va_lo + 3 * SZ_2M + (pvb_index(&f.b, 2, va_lo) + 3) * SZ_4K);
    assert_non_null(run);
    assert_int_equal(run->mfn_start, l2);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

static void test_range_clipping(void **state)
{
    const uint64_t big = UINT64_C(0x40000000);
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 8);
    pvb_map_range(&f.b, f.root, va_lo, 0x100, 16 * SZ_4K, SZ_4K, RWUS);
    pvb_map(&f.b, f.root, big, PVB_LARGE_PFN, SZ_2M, PVB_RW);
    pvb_map(&f.b, f.root, UINT64_C(0xffffffff81000000), 0x80, SZ_4K, PVB_RW);

    dump_ok(&f, f.root, va_lo + 0x3000, va_lo + 0x5000, &r);
    assert_int_equal(r.n, 1);
    assert_run(&r.v[0], va_lo + 0x3000, va_lo + 0x5000, 0x103, SZ_4K, P_RWU);
    assert_int_equal(r.v[0].mfn_start, pvb_mfn(0x103));
    assert_int_equal(f.b.reads, 4); /* the kernel half is not read */
    pvc_runs_free(&r);

    /* Not page-aligned: whole pages. */
    dump_ok(&f, f.root, va_lo + 0x3456, va_lo + 0x4001, &r);
    assert_int_equal(r.n, 1);
    assert_run(&r.v[0], va_lo + 0x3000, va_lo + 0x5000, 0x103, SZ_4K, P_RWU);
    pvc_runs_free(&r);

    /* Inside a 2 MiB page. */
    dump_ok(&f, f.root, big + 0x10000, big + 0x20000, &r);
    assert_int_equal(r.n, 1);
    assert_run(&r.v[0], big + 0x10000, big + 0x20000, PVB_LARGE_PFN + 0x10,
               SZ_2M, P_RW | XCX_PTE_PSE);
    assert_int_equal(r.v[0].mfn_start, pvb_mfn(PVB_LARGE_PFN) + 0x10);
    pvc_runs_free(&r);

    /* Nothing there; Xen's areas; not canonical. */
    dump_ok(&f, f.root, UINT64_C(0x2000000000), UINT64_C(0x3000000000), &r);
    assert_int_equal(r.n, 0);
    pvc_runs_free(&r);
    dump_ok(&f, f.root, UINT64_C(0xffff800000000000),
            UINT64_C(0xffff880000000000), &r);
    assert_int_equal(r.n, 0);
    assert_int_equal(f.b.reads, 1);
    pvc_runs_free(&r);
    dump_ok(&f, f.root, UINT64_C(0x0000800000000000),
            UINT64_C(0xffff800000000000), &r);
    assert_int_equal(r.n, 0);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* va_end 0 is the top of the address space; a run reaching it ends at 0. */
static void test_range_top(void **state)
{
    const uint64_t top_page = UINT64_C(0xfffffffffffff000);
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, top_page - SZ_4K, 0x500, SZ_4K, PVB_RW);
    pvb_map(&f.b, f.root, top_page, 0x501, SZ_4K, PVB_RW);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, 1);
    assert_run(&r.v[0], top_page - SZ_4K, 0, 0x500, SZ_4K, P_RW);
    pvc_runs_free(&r);
    dump_ok(&f, f.root, top_page, 0, &r);
    assert_int_equal(r.n, 1);
    assert_run(&r.v[0], top_page, 0, 0x501, SZ_4K, P_RW);
    pvc_runs_free(&r);
    dump_ok(&f, f.root, 0, UINT64_MAX, &r);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].va_end, 0); /* the last page, rounded up */
    pvc_runs_free(&r);
    pvfix_free(&f);
}

static void test_pae(void **state)
{
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 4);
    pvb_map_range(&f.b, f.root, UINT64_C(0x08048000), 0x10, 3 * SZ_4K, SZ_4K,
                  RWUS);
    pvb_map_range(&f.b, f.root, UINT64_C(0xc0000000), PVB_LARGE_PFN, 2 * SZ_2M,
                  SZ_2M, PVB_RW | PVB_G);
    pvb_map(&f.b, f.root, UINT64_C(0xf57ff000), 0x20, SZ_4K, PVB_RW);
    /* What Xen puts above 0xf5800000 is not the guest's. */
    pvb_map(&f.b, f.root, UINT64_C(0xf5800000), 0x21, SZ_4K, PVB_RW);
    pvb_map(&f.b, f.root, UINT64_C(0xffe00000), PVB_LARGE_PFN, SZ_2M, 0);
    /* Entries 4..511 of the PDPT frame are not looked at. */
    pvb_set_entry(&f.b, f.root, 4, UINT64_C(0xdead) << 12 | PVB_P | PVB_PSE);
    dump_ok(&f, f.root, 0, 0, &r);
    assert_int_equal(r.n, 3);
    assert_run(&r.v[0], 0x08048000, 0x0804b000, 0x10, SZ_4K, P_RWU);
    assert_run(&r.v[1], 0xc0000000, 0xc0400000, PVB_LARGE_PFN, SZ_2M,
               P_RW | XCX_PTE_PSE | XCX_PTE_G);
    assert_run(&r.v[2], 0xf57ff000, 0xf5800000, 0x20, SZ_4K, P_RW);
    pvc_runs_free(&r);

    /* PSE in a PDPTE is refused. */
    pvb_set_entry(&f.b, f.root, 1, UINT64_C(0x40000000) | PVB_P | PVB_PSE);
    errno = 0;
    memset(&r, 0, sizeof(r));
    assert_int_equal(xcx_pv_dump(&f.g, f.root, 0, 0, pvc_collect, &r, NULL),
                     -1);
    assert_int_equal(errno, EINVAL);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

static void test_cb_stop(void **state)
{
    struct pvfix f;
    struct pvc_runs r = {.stop_at = 2, .stop_rc = 7};

    pvfix_init(&f, 8);
    for (unsigned int i = 0; i < 4; i++)
        pvb_map(&f.b, f.root, va_lo + 2 * i * SZ_4K, 0x10 + i, SZ_4K, PVB_RW);
    assert_int_equal(xcx_pv_dump(&f.g, f.root, 0, 0, pvc_collect, &r, NULL), 7);
    assert_int_equal(r.calls, 2);
    pvc_runs_free(&r);
    r.stop_at = 4;
    r.stop_rc = -3;
    assert_int_equal(xcx_pv_dump(&f.g, f.root, 0, 0, pvc_collect, &r, NULL),
                     -3);
    assert_int_equal(r.calls, 4); /* the last run, given at the end */
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* A dump that must fail with @err, naming @hex. */
static void dump_fails(struct pvfix *f, uint64_t lo, uint64_t hi, int err,
                       uint64_t hex)
{
    struct pvc_runs r;

    memset(&r, 0, sizeof(r));
    caplog_reset(&f->log);
    pvb_reset_reads(&f->b);
    errno = 0;
    assert_int_equal(xcx_pv_dump(&f->g, f->root, lo, hi, pvc_collect, &r,
                                 caplog_logger(&f->log)),
                     -1);
    assert_int_equal(errno, err);
    assert_log_hex(&f->log, hex);
    /* Each frame read once; a read that failed is not counted. */
    assert_true(f->b.reads <= pvb_distinct_reads(&f->b) + 1);
    pvc_runs_free(&r);
}

static void test_errors(void **state)
{
    const uint64_t other = UINT64_C(0x7000000000);
    struct pvfix f;
    struct pvc_runs r;
    uint64_t l1, bad;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va_lo, 0x10, SZ_4K, PVB_RW);
    pvb_map(&f.b, f.root, other, 0x11, SZ_4K, PVB_RW);
    l1 = pvb_table(&f.b, f.root, other, 1);
    bad = (UINT64_C(0x40002000) | PVB_P | PVB_PSE);
    pvb_set_entry(&f.b, pvb_table(&f.b, f.root, other, 2), 7, bad);

    dump_fails(&f, 0, 0, EINVAL, bad);
    /* Outside the range, the bad entry is not looked at. */
    dump_ok(&f, f.root, 0, other, &r);
    assert_int_equal(r.n, 1);
    pvc_runs_free(&r);

    f.b.fail_mfn = l1;
    f.b.fail_errno = EPERM;
    dump_fails(&f, other, other + SZ_2M, EPERM, l1);
    f.b.fail_errno = 0;
    f.b.m2p_fail_mfn = pvb_mfn(0x11);
    f.b.m2p_fail_errno = EIO;
    dump_fails(&f, other, other + SZ_2M, EIO, pvb_mfn(0x11));
    f.b.m2p_fail_errno = 0;

    dump_fails(&f, 0x5000, 0x5000, EINVAL, 0x5000);
    dump_fails(&f, 0x6000, 0x5000, EINVAL, 0x6000);
    f.root = PVB_MAX_MFN;
    dump_fails(&f, 0, 0, EINVAL, PVB_MAX_MFN);
    errno = 0;
    assert_int_equal(xcx_pv_dump(&f.g, 0, 0, 0, NULL, NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
    f.g.width = 6;
    errno = 0;
    assert_int_equal(xcx_pv_dump(&f.g, 0, 0, 0, pvc_collect, &r, NULL), -1);
    assert_int_equal(errno, EINVAL);
    pvfix_free(&f);
}

/* Every table of a larger guest read exactly once. */
static void test_reads_once(void **state)
{
    struct pvfix f;
    struct pvc_runs r;

    pvfix_init(&f, 8);
    for (unsigned int i = 0; i < 40; i++)
        pvb_map_range(&f.b, f.root, va_lo + i * UINT64_C(0x5000000) / 4,
                      0x1000 + 64 * i, 64 * SZ_4K, SZ_4K, RWUS);
    pvb_map_range(&f.b, f.root, UINT64_C(0xffff888000000000), PVB_LARGE_PFN,
                  64 * SZ_2M, SZ_2M, PVB_RW | PVB_NX);
    pvb_map_range(&f.b, f.root, UINT64_C(0xffffffff81000000), 0x9000,
                  512 * SZ_4K, SZ_4K, PVB_RW);
    dump_ok(&f, f.root, 0, 0, &r);
    /* Every table the builder made but the unused user root. */
    assert_int_equal(f.b.reads, f.b.tables - 1);
    pvc_runs_free(&r);
    pvfix_free(&f);
}

/* The L2 entry of @va (the tables above made when missing). */
static uint64_t l2_entry(struct pvfix *f, uint64_t va)
{
    return pvb_entry(&f->b, pvb_table(&f->b, f->root, va, 2),
                     pvb_index(&f->b, 2, va));
}

/* A random guest: the dump lists exactly the pages walks find mapped. */
static void random_guest(struct pvfix *f, struct prng *p, uint64_t *vas,
                         unsigned int n)
{
    static const uint64_t bits[] = {RWUS, PVB_RW, PVB_US, RWUS | PVB_NX,
                                    PVB_RW | PVB_PCD | PVB_PWT};
    const uint64_t top = f->b.width == 8 ? UINT64_C(1) << 36 : 0xf5000000;
    uint64_t va = 0, pfn = 0x100;

    for (unsigned int i = 0; i < n; i++) {
        uint64_t b = bits[prng_below(p, ARRAY_SIZE(bits))];

        if (prng_chance(p, 20))
            va = prng_below(p, top) & ~(SZ_4K - 1);
        if (prng_chance(p, 10))
            pfn = prng_range(p, 0x100, 0xd0000);
        if (va >= top)
            va = 0;
        if (prng_chance(p, 5)) { /* a 2 MiB page where nothing is yet */
            uint64_t big = (va + SZ_2M - 1) & ~(SZ_2M - 1);

            if (big + SZ_2M <= top && !(l2_entry(f, big) & PVB_P)) {
                pvb_map(&f->b, f->root, big,
                        PVB_LARGE_PFN + 512 * prng_below(p, 64), SZ_2M, b);
                vas[i] = big + prng_below(p, SZ_2M);
                va = big + SZ_2M;
                continue;
            }
        }
        while (l2_entry(f, va) & PVB_PSE) /* keep clear of 2 MiB pages */
            va = va + SZ_2M >= top ? 0 : va + SZ_2M;
        if (prng_chance(p, 10))
            pvb_map_mfn(&f->b, f->root, va, FM + prng_below(p, 4), SZ_4K, b);
        else
            pvb_map(&f->b, f->root, va, pfn++, SZ_4K, b);
        vas[i] = va;
        va += SZ_4K;
    }
}

static void test_matches_walks(void **state)
{
    enum { N = 600 };

    for (unsigned int width = 4; width <= 8; width += 4) {
        struct prng p;
        struct pvfix f;
        struct pvc_runs r;
        uint64_t *vas = calloc(N, sizeof(*vas));
        struct xcx_pv_walk w;

        assert_non_null(vas);
        prng_seed(&p, 0x9e37 + width);
        pvfix_init(&f, width);
        random_guest(&f, &p, vas, N);
        dump_ok(&f, f.root, 0, 0, &r);
        for (unsigned int i = 0; i < N; i++) {
            const struct xcx_pv_run *run = pvc_find(&r, vas[i]);
            const char *bad;

            if (!run)
                fail_msg("mapped 0x%llx is in no run",
                         (unsigned long long)vas[i]);
            bad = pvc_check_walk(&f.g, f.root, run, vas[i]);
            if (bad)
                fail_msg("%s", bad);
        }
        /* Random VAs: mapped exactly when in a run. */
        for (unsigned int i = 0; i < 4000; i++) {
            uint64_t va = prng_below(&p, width == 8 ? UINT64_C(1) << 36
                                                    : UINT64_C(1) << 32);

            pvfix_walk(&f, f.root, va, &w);
            if (w.mapped != (pvc_find(&r, va) != NULL))
                fail_msg("0x%llx: mapped %d, in a run %d",
                         (unsigned long long)va, w.mapped, !w.mapped);
        }
        pvc_runs_free(&r);
        pvfix_free(&f);
        free(vas);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coalesce),
        cmocka_unit_test(test_run_breaks),
        cmocka_unit_test(test_large_runs),
        cmocka_unit_test(test_halves_and_xen_slots),
        cmocka_unit_test(test_alias_l1),
        cmocka_unit_test(test_alias_l3),
        cmocka_unit_test(test_l4_self),
        cmocka_unit_test(test_l2_self),
        cmocka_unit_test(test_range_clipping),
        cmocka_unit_test(test_range_top),
        cmocka_unit_test(test_pae),
        cmocka_unit_test(test_cb_stop),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_reads_once),
        cmocka_unit_test(test_matches_walks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
