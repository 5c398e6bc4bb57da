/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_pv_walk, xcx_pv_area_of and xcx_pte_flag_name on synthetic guests. */
#include <stdio.h>

#include "pv_fixture.h"

#define RWUS (PVB_RW | PVB_US)

static const unsigned long long va_4k = UINT64_C(0x00007f1234567000);
static const unsigned long long va_hi = UINT64_C(0xffffffff81234000);

static void test_flag_names(void **state)
{
    static const char *const names[] = {"P", "RW", "US",  "PWT", "PCD",
                                        "A", "D",  "PSE", "G",   "NX"};

    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
        assert_string_equal(xcx_pte_flag_name(UINT32_C(1) << i), names[i]);
    assert_int_equal(XCX_PTE_NX, 1u << 9);
    for (uint32_t bad = 0; bad < 4; bad++) {
        uint32_t flag = bad == 0   ? 0
                        : bad == 1 ? XCX_PTE_P | XCX_PTE_RW
                        : bad == 2 ? 1u << 10
                                   : 1u << 31;

        errno = 0;
        assert_null(xcx_pte_flag_name(flag));
        assert_int_equal(errno, EINVAL);
    }
}

struct area_case {
    unsigned int width;
    uint64_t va;
    enum xcx_pv_area area;
};

static void test_area_of(void **state)
{
    static const struct area_case cases[] = {
        {8, 0, XCX_PV_AREA_GUEST},
        {8, UINT64_C(0x00007fffffffffff), XCX_PV_AREA_GUEST},
        {8, UINT64_C(0x0000800000000000), XCX_PV_AREA_NONCANON},
        {8, UINT64_C(0x8000000000000000), XCX_PV_AREA_NONCANON},
        {8, UINT64_C(0xffff7fffffffffff), XCX_PV_AREA_NONCANON},
        {8, UINT64_C(0xffff800000000000), XCX_PV_AREA_XEN_RO},
        {8, UINT64_C(0xffff807fffffffff), XCX_PV_AREA_XEN_RO},
        {8, UINT64_C(0xffff808000000000), XCX_PV_AREA_XEN},
        {8, UINT64_C(0xffff87ffffffffff), XCX_PV_AREA_XEN},
        {8, UINT64_C(0xffff880000000000), XCX_PV_AREA_GUEST},
        {8, UINT64_MAX, XCX_PV_AREA_GUEST},
        {4, 0, XCX_PV_AREA_GUEST},
        {4, UINT64_C(0xf57fffff), XCX_PV_AREA_GUEST},
        {4, UINT64_C(0xf5800000), XCX_PV_AREA_XEN_RO},
        {4, UINT64_C(0xffffffff), XCX_PV_AREA_XEN_RO},
        {4, UINT64_C(0x100000000), XCX_PV_AREA_NONCANON},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
        if (xcx_pv_area_of(cases[i].width, cases[i].va) != cases[i].area)
            fail_msg("width %u va %#llx: area %d, want %d", cases[i].width,
                     (unsigned long long)cases[i].va,
                     xcx_pv_area_of(cases[i].width, cases[i].va),
                     cases[i].area);
    errno = 0;
    assert_int_equal(xcx_pv_area_of(2, 0), XCX_PV_AREA_NONCANON);
    assert_int_equal(errno, EINVAL);
}

/* The levels of a walk name the tables on the builder's path. */
static void check_path(struct pvfix *f, uint64_t root,
                       const struct xcx_pv_walk *w)
{
    unsigned int top = f->b.width == 8 ? 4 : 3;
    uint64_t table = root;

    for (unsigned int i = 0; i < w->nr_levels; i++) {
        const struct xcx_pv_level *lv = &w->levels[i];
        uint64_t pfn;

        assert_int_equal(lv->level, top - i);
        assert_int_equal(lv->index, pvb_index(&f->b, lv->level, w->va));
        assert_int_equal(lv->table_mfn, table);
        assert_int_equal(lv->entry, pvb_entry(&f->b, table, lv->index));
        assert_int_equal(lv->flags & XCX_PTE_P, lv->entry & PVB_P);
        if (!(lv->entry & PVB_P))
            break;
        assert_int_equal(lv->pfn_valid, pvb_m2p(lv->mfn, &pfn) == 0);
        if (lv->pfn_valid)
            assert_int_equal(lv->pfn, pfn);
        table = lv->mfn;
    }
}

/* A mapped walk's leaf: frame, addresses, size. */
static void check_leaf(const struct xcx_pv_walk *w, uint64_t size,
                       uint64_t base_mfn)
{
    uint64_t off = w->va & (size - 1);
    uint64_t pfn;
    bool valid;

    assert_true(w->mapped);
    assert_int_equal(w->area, XCX_PV_AREA_GUEST);
    assert_int_equal(w->stop_level, 0);
    assert_int_equal(w->page_size, size);
    assert_int_equal(w->mfn, base_mfn + off / SZ_4K);
    assert_int_equal(w->maddr, w->mfn * SZ_4K + (w->va & 0xfff));
    valid = pvb_m2p(w->mfn, &pfn) == 0;
    assert_int_equal(w->pfn_valid, valid);
    if (valid) {
        assert_int_equal(w->pfn, pfn);
        assert_int_equal(w->paddr, pfn * SZ_4K + (w->va & 0xfff));
    } else {
        assert_int_equal(w->paddr, 0);
    }
}

struct size_case {
    unsigned int width;
    uint64_t va;
    uint64_t size;
    uint64_t pfn;
    unsigned int nr_levels;
};

static void test_every_size(void **state)
{
    static const struct size_case cases[] = {
        {8, va_4k, SZ_4K, 0x1234, 4},
        {8, va_hi, SZ_4K, 0x4321, 4},
        {8, UINT64_C(0x40000000), SZ_2M, PVB_LARGE_PFN + 0x200, 3},
        {8, UINT64_C(0xffff888000000000), SZ_2M, PVB_LARGE_PFN + 0x5400, 3},
        {8, UINT64_C(0x80000000), SZ_1G, PVB_LARGE_PFN + 0x40000, 2},
        {8, UINT64_C(0xffffc90000000000), SZ_1G, PVB_LARGE_PFN, 2},
        {4, UINT64_C(0x08049000), SZ_4K, 0x77, 3},
        {4, UINT64_C(0xc0001000), SZ_4K, 0x78, 3},
        {4, UINT64_C(0xf57ff000), SZ_4K, 0x79, 3},
        {4, UINT64_C(0xc0200000), SZ_2M, PVB_LARGE_PFN + 0x1000, 2},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct size_case *c = &cases[i];
        struct pvfix f;
        struct xcx_pv_walk w;

        pvfix_init(&f, c->width);
        pvb_map(&f.b, f.root, c->va, c->pfn, c->size, RWUS | PVB_A);
        /* First, last and a middle byte of the page. */
        for (uint64_t off = 0; off < c->size; off += c->size / 2 - 0x123) {
            pvfix_walk(&f, f.root, c->va + off, &w);
            assert_int_equal(w.va, c->va + off);
            assert_int_equal(w.nr_levels, c->nr_levels);
            assert_int_equal(f.b.reads, c->nr_levels);
            check_path(&f, f.root, &w);
            check_leaf(&w, c->size, pvb_mfn(c->pfn));
            assert_int_equal(w.pfn, c->pfn + off / SZ_4K);
            assert_true(w.writable && w.user && !w.nx);
            assert_int_equal(w.pat_index, 0);
            assert_int_equal(w.cache, XCX_MT_WB);
            if (c->size > SZ_4K)
                assert_true(w.levels[w.nr_levels - 1].flags & XCX_PTE_PSE);
        }
        pvfix_free(&f);
    }
}

/* Kernel and user roots map the same VA differently. */
static void test_user_root(void **state)
{
    struct pvfix f;
    struct xcx_pv_walk w;

    pvfix_init(&f, 8);
    assert_int_not_equal(f.root, f.user);
    pvb_map(&f.b, f.root, va_4k, 0x100, SZ_4K, PVB_RW);
    pvb_map(&f.b, f.user, va_4k, 0x200, SZ_4K, RWUS);
    pvb_map(&f.b, f.root, va_hi, 0x300, SZ_4K, PVB_RW);

    pvfix_walk(&f, f.root, va_4k, &w);
    assert_true(w.mapped && !w.user);
    assert_int_equal(w.pfn, 0x100);
    assert_int_equal(w.levels[0].table_mfn, f.root);
    pvfix_walk(&f, f.user, va_4k, &w);
    assert_true(w.mapped && w.user);
    assert_int_equal(w.pfn, 0x200);
    assert_int_equal(w.levels[0].table_mfn, f.user);
    check_path(&f, f.user, &w);
    /* The kernel half is not in the user root. */
    pvfix_walk(&f, f.user, va_hi, &w);
    assert_false(w.mapped);
    assert_int_equal(w.stop_level, 4);
    pvfix_walk(&f, f.root, va_hi, &w);
    assert_int_equal(w.pfn, 0x300);
    pvfix_free(&f);
}

/* A non-present entry at each level ends the walk there. */
static void test_not_present(void **state)
{
    for (unsigned int width = 4; width <= 8; width += 4) {
        unsigned int top = width == 8 ? 4 : 3;
        uint64_t va = width == 8 ? va_4k : UINT64_C(0x08049000);

        for (unsigned int stop = top; stop >= 1; stop--) {
            struct pvfix f;
            struct xcx_pv_walk w;

            pvfix_init(&f, width);
            pvb_map(&f.b, f.root, va, 0x55, SZ_4K, RWUS);
            /* Keep the entry's other bits: only P goes. */
            pvb_change(&f.b, f.root, va, stop, 0, PVB_P);
            pvfix_walk(&f, f.root, va + 0x10, &w);
            assert_false(w.mapped);
            assert_int_equal(w.area, XCX_PV_AREA_GUEST);
            assert_int_equal(w.stop_level, stop);
            assert_int_equal(w.nr_levels, top - stop + 1);
            assert_int_equal(f.b.reads, top - stop + 1);
            assert_int_equal(w.levels[w.nr_levels - 1].flags & XCX_PTE_P, 0);
            assert_int_equal(w.levels[w.nr_levels - 1].mfn, 0);
            check_path(&f, f.root, &w);
            assert_int_equal(w.page_size, 0);
            pvfix_free(&f);
        }
    }
}

/*
 * Xen's areas are reported and not walked, even with entries there; a
 * non-canonical VA (or one above 4 GiB for PAE) is EINVAL. No frame read.
 */
static void test_unwalked_areas(void **state)
{
    static const struct area_case cases[] = {
        {8, UINT64_C(0xffff800000001000), XCX_PV_AREA_XEN_RO},
        {8, UINT64_C(0xffff807ffffff000), XCX_PV_AREA_XEN_RO},
        {8, UINT64_C(0xffff808000000000), XCX_PV_AREA_XEN},
        {8, UINT64_C(0xffff87fffffff000), XCX_PV_AREA_XEN},
        {4, UINT64_C(0xf5800000), XCX_PV_AREA_XEN_RO},
        {4, UINT64_C(0xfffff000), XCX_PV_AREA_XEN_RO},
        {8, UINT64_C(0x0000800000000000), XCX_PV_AREA_NONCANON},
        {8, UINT64_C(0x1234000000000000), XCX_PV_AREA_NONCANON},
        {8, UINT64_C(0xffff7ffffffff000), XCX_PV_AREA_NONCANON},
        {4, UINT64_C(0x100000000), XCX_PV_AREA_NONCANON},
        {4, UINT64_C(0xffffffff80000000), XCX_PV_AREA_NONCANON},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct area_case *c = &cases[i];
        struct pvfix f;
        struct xcx_pv_walk w;

        pvfix_init(&f, c->width);
        if (c->area == XCX_PV_AREA_NONCANON) {
            pvfix_walk_fails(&f, f.root, c->va, EINVAL, c->va);
            xcx_pv_walk(&f.g, f.root, c->va, &w, NULL);
        } else {
            pvb_map(&f.b, f.root, c->va, 0x99, SZ_4K, PVB_RW);
            pvfix_walk(&f, f.root, c->va, &w);
        }
        assert_int_equal(w.area, c->area);
        assert_false(w.mapped);
        assert_int_equal(w.nr_levels, 0);
        assert_int_equal(w.stop_level, 0);
        assert_int_equal(f.b.reads, 0);
        pvfix_free(&f);
    }
}

/* RW and US are ANDed along the path, NX ORed, whichever level has it. */
static void test_effective_rights(void **state)
{
    for (unsigned int width = 4; width <= 8; width += 4) {
        unsigned int top = width == 8 ? 4 : 3;
        uint64_t va = width == 8 ? va_4k : UINT64_C(0x40001000);

        for (unsigned int level = top; level >= 1; level--) {
            /* A PAE L3 entry has no RW, US or NX: it changes nothing. */
            bool counts = !(width == 4 && level == 3);
            struct pvfix f;
            struct xcx_pv_walk w;

            pvfix_init(&f, width);
            pvb_map(&f.b, f.root, va, 0x42, SZ_4K, RWUS);
            pvb_change(&f.b, f.root, va, level, 0, PVB_RW);
            pvfix_walk(&f, f.root, va, &w);
            assert_int_equal(w.writable, !counts);
            assert_true(w.user && !w.nx);

            pvb_change(&f.b, f.root, va, level, PVB_RW, PVB_US);
            pvfix_walk(&f, f.root, va, &w);
            assert_true(w.writable && !w.nx);
            assert_int_equal(w.user, !counts);

            pvb_change(&f.b, f.root, va, level, PVB_US | PVB_NX, 0);
            pvfix_walk(&f, f.root, va, &w);
            assert_true(w.writable && w.user);
            assert_int_equal(w.nx, counts);
            assert_int_equal(w.levels[top - level].flags & XCX_PTE_NX,
                             XCX_PTE_NX);
            pvfix_free(&f);
        }
    }
}

/* Xen's PAT for PV guests: 0 WB, 1 WT, 2 UC-, 3 UC, 4 WC, 5 WP, 6-7 UC. */
static void test_pat(void **state)
{
    static const char *const want[8] = {"WB", "WT", "UC-", "UC",
                                        "WC", "WP", "UC",  "UC"};
    static const uint64_t sizes[] = {SZ_4K, SZ_2M, SZ_1G};

    for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
        uint64_t pat_bit = sizes[s] == SZ_4K ? PVB_PAT4K : PVB_PATL;
        struct pvfix f;

        pvfix_init(&f, 8);
        for (unsigned int idx = 0; idx < 8; idx++) {
            uint64_t va = UINT64_C(0x1000000000) + idx * SZ_1G;
            uint64_t bits = (idx & 1 ? PVB_PWT : 0) | (idx & 2 ? PVB_PCD : 0) |
                            (idx & 4 ? pat_bit : 0);
            struct xcx_pv_walk w;

            uint64_t off = sizes[s] == SZ_4K ? 0x123 : 0x1123;

            pvb_map(&f.b, f.root, va, PVB_LARGE_PFN, sizes[s], bits);
            pvfix_walk(&f, f.root, va + off, &w);
            assert_true(w.mapped);
            assert_int_equal(w.pat_index, idx);
            assert_string_equal(xcx_mem_type_name(w.cache), want[idx]);
            /* The PAT bit of a large leaf is not part of its frame. */
            assert_int_equal(w.mfn, pvb_mfn(PVB_LARGE_PFN) + off / SZ_4K);
        }
        pvfix_free(&f);
    }
    assert_int_equal(XCX_XEN_PV_PAT, UINT64_C(0x050100070406));
}

/* Frames that are not the guest's: no PFN, not an error. */
static void test_not_guests(void **state)
{
    struct pvfix f;
    struct xcx_pv_walk w;

    pvfix_init(&f, 8);
    pvb_map_mfn(&f.b, f.root, va_4k, PVB_FOREIGN_MFN + 5, SZ_4K, PVB_RW);
    pvb_map_mfn(&f.b, f.root, UINT64_C(0x40000000), PVB_FOREIGN_MFN, SZ_2M,
                PVB_RW);
    pvfix_walk(&f, f.root, va_4k + 0x321, &w);
    check_leaf(&w, SZ_4K, PVB_FOREIGN_MFN + 5);
    assert_false(w.pfn_valid);
    assert_false(w.levels[3].pfn_valid);
    assert_int_equal(w.levels[3].mfn, PVB_FOREIGN_MFN + 5);
    assert_true(w.levels[2].pfn_valid);
    pvfix_walk(&f, f.root, UINT64_C(0x40123456), &w);
    check_leaf(&w, SZ_2M, PVB_FOREIGN_MFN);
    assert_false(w.pfn_valid);
    assert_int_equal(w.maddr, PVB_FOREIGN_MFN * SZ_4K + 0x123456);
    pvfix_free(&f);
}

/* An L4 entry naming the L4: four reads of one frame, still a leaf. */
static void test_l4_self(void **state)
{
    const unsigned int slot = 0x1ed;
    uint64_t va = (uint64_t)slot << 39 | (uint64_t)slot << 30 |
                  (uint64_t)slot << 21 | (uint64_t)slot << 12 |
                  UINT64_C(0xffff000000000000);
    struct pvfix f;
    struct xcx_pv_walk w;

    pvfix_init(&f, 8);
    pvb_set_entry(&f.b, f.root, slot, f.root << 12 | PVB_TABLE_BITS);
    pvfix_walk(&f, f.root, va, &w);
    assert_int_equal(f.b.reads, 4);
    assert_true(w.mapped);
    assert_int_equal(w.nr_levels, 4);
    for (unsigned int i = 0; i < 4; i++)
        assert_int_equal(w.levels[i].table_mfn, f.root);
    assert_int_equal(w.mfn, f.root); /* the L4 mapped as a page */
    assert_int_equal(w.page_size, SZ_4K);
    pvfix_free(&f);
}

/* An L2 entry naming its own L2: read again as the L1. */
static void test_l2_self(void **state)
{
    uint64_t va = UINT64_C(0x40000000);
    struct pvfix f;
    struct xcx_pv_walk w;
    uint64_t l2;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va, 0x10, SZ_4K, PVB_RW);
    l2 = pvb_table(&f.b, f.root, va, 2);
    pvb_set_entry(&f.b, l2, 3, l2 << 12 | PVB_TABLE_BITS);
    pvfix_walk(&f, f.root, va + 3 * SZ_2M + 3 * SZ_4K, &w);
    assert_int_equal(f.b.reads, 4);
    assert_int_equal(w.levels[3].table_mfn, l2);
    assert_int_equal(w.mfn, l2);
    /* Entry 0 of the L2 as an L1 entry: the L1 table as a page. */
    pvfix_walk(&f, f.root, va + 3 * SZ_2M, &w);
    assert_int_equal(w.mfn, pvb_table(&f.b, f.root, va, 1));
    pvfix_free(&f);
}

/* Frames at or above max_mfn: EINVAL naming level, index and entry. */
static void test_mfn_range(void **state)
{
    struct pvfix f;
    uint64_t l2, bad;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va_4k, 0x10, SZ_4K, PVB_RW);
    l2 = pvb_table(&f.b, f.root, va_4k, 2);
    bad = PVB_MAX_MFN << 12 | PVB_TABLE_BITS;
    pvb_set_entry(&f.b, l2, pvb_index(&f.b, 2, va_4k), bad);
    pvfix_walk_fails(&f, f.root, va_4k, EINVAL, bad);
    assert_log_mentions(&f.log, "L2");
    assert_log_number(&f.log, pvb_index(&f.b, 2, va_4k));
    assert_int_equal(f.b.reads, 3);

    /* A 2 MiB frame whose end is past max_mfn. */
    bad = (PVB_MAX_MFN - 512) << 12 | PVB_PSE | PVB_P;
    pvb_set_entry(&f.b, l2, 0, bad);
    f.g.max_mfn = PVB_MAX_MFN - 100;
    pvfix_walk_fails(&f, f.root, va_4k & ~(SZ_1G - 1), EINVAL, bad);
    f.g.max_mfn = PVB_MAX_MFN;

    /* The root itself. */
    pvfix_walk_fails(&f, PVB_MAX_MFN + 7, va_4k, EINVAL, PVB_MAX_MFN + 7);
    assert_int_equal(f.b.reads, 0);
    pvfix_free(&f);
}

struct hostile_case {
    const char *what;
    unsigned int width;
    unsigned int level; /* of the planted entry */
    uint64_t entry;
};

/* Reserved bits: PSE at L4 and in a PDPTE, misaligned large frames. */
static void test_reserved_bits(void **state)
{
    static const struct hostile_case cases[] = {
        {"PSE in L4", 8, 4, UINT64_C(0x1000000) | PVB_P | PVB_PSE},
        {"PSE in PDPTE", 4, 3, UINT64_C(0x40000000) | PVB_P | PVB_PSE},
        {"2M bit 13", 8, 2, UINT64_C(0x40002000) | PVB_P | PVB_PSE},
        {"2M bit 20", 8, 2, UINT64_C(0x40100000) | PVB_P | PVB_PSE},
        {"PAE 2M bit 13", 4, 2, UINT64_C(0x40002000) | PVB_P | PVB_PSE},
        {"1G bit 13", 8, 3, UINT64_C(0x40002000) | PVB_P | PVB_PSE},
        {"1G bit 21", 8, 3, UINT64_C(0x40200000) | PVB_P | PVB_PSE},
        {"1G bit 29", 8, 3, UINT64_C(0x60000000) | PVB_P | PVB_PSE},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct hostile_case *c = &cases[i];
        uint64_t va = c->width == 8 ? va_4k : UINT64_C(0x40001000);
        struct pvfix f;
        uint64_t table;

        pvfix_init(&f, c->width);
        pvb_map(&f.b, f.root, va, 0x10, SZ_4K, PVB_RW);
        table = pvb_table(&f.b, f.root, va, c->level);
        pvb_set_entry(&f.b, table, pvb_index(&f.b, c->level, va), c->entry);
        char name[8];

        pvfix_walk_fails(&f, f.root, va, EINVAL, c->entry);
        snprintf(name, sizeof(name), "L%u", c->level);
        assert_log_mentions(&f.log, name);
        pvfix_free(&f);
    }
}

/* Bit 12 alone (PAT) in a large leaf is fine; bit 7 of a 4K leaf too. */
static void test_pat_bits_not_reserved(void **state)
{
    struct pvfix f;
    struct xcx_pv_walk w;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, 0, 0x10, SZ_4K, PVB_PAT4K);
    pvb_map(&f.b, f.root, SZ_2M, PVB_LARGE_PFN, SZ_2M, PVB_PATL);
    pvb_map(&f.b, f.root, SZ_1G, PVB_LARGE_PFN, SZ_1G, PVB_PATL);
    for (unsigned int i = 0; i < 3; i++) {
        pvfix_walk(&f, f.root, i == 0 ? 0 : i == 1 ? SZ_2M : SZ_1G, &w);
        assert_int_equal(w.pat_index, 4);
        assert_int_equal(w.cache, XCX_MT_WC);
    }
    /* Bit 7 of an L1 entry is PAT, not PSE. */
    pvfix_walk(&f, f.root, 0, &w);
    assert_int_equal(w.levels[3].flags & XCX_PTE_PSE, 0);
    pvfix_free(&f);
}

/* read_frame and M2P failures keep their errno and name the frame. */
static void test_callback_failures(void **state)
{
    static const int errs[] = {EIO, EPERM, EFAULT};
    struct pvfix f;
    uint64_t l2, l1;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va_4k, 0x10, SZ_4K, PVB_RW);
    l2 = pvb_table(&f.b, f.root, va_4k, 2);
    l1 = pvb_table(&f.b, f.root, va_4k, 1);
    for (unsigned int i = 0; i < ARRAY_SIZE(errs); i++) {
        f.b.fail_mfn = i == 0 ? f.root : l2;
        f.b.fail_errno = errs[i];
        pvfix_walk_fails(&f, f.root, va_4k, errs[i], f.b.fail_mfn);
        assert_log_mentions(&f.log, i == 0 ? "L4" : "L2");
    }
    f.b.fail_errno = 0;
    f.b.m2p_fail_mfn = l1;
    f.b.m2p_fail_errno = EIO;
    pvfix_walk_fails(&f, f.root, va_4k, EIO, l1);
    f.b.m2p_fail_mfn = pvb_mfn(0x10);
    pvfix_walk_fails(&f, f.root, va_4k, EIO, pvb_mfn(0x10));
    pvfix_free(&f);
}

static void test_bad_arguments(void **state)
{
    struct pvfix f;
    struct xcx_pv_guest g;
    struct xcx_pv_walk w;

    pvfix_init(&f, 8);
    g = f.g;
    g.width = 2;
    errno = 0;
    assert_int_equal(xcx_pv_walk(&g, f.root, 0, &w, NULL), -1);
    assert_int_equal(errno, EINVAL);
    g = f.g;
    g.read_frame = NULL;
    errno = 0;
    assert_int_equal(xcx_pv_walk(&g, f.root, 0, &w, NULL), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_pv_walk(NULL, f.root, 0, &w, NULL), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_pv_walk(&f.g, f.root, 0, NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
    pvfix_free(&f);
}

/* The last entry of every table: index 511 at byte 4088. */
static void test_last_entries(void **state)
{
    uint64_t va = UINT64_C(0xfffffffffffff000);
    struct pvfix f;
    struct xcx_pv_walk w;

    pvfix_init(&f, 8);
    pvb_map(&f.b, f.root, va, 0x777, SZ_4K, PVB_RW | PVB_G);
    pvfix_walk(&f, f.root, va + 0xfff, &w);
    for (unsigned int i = 0; i < 4; i++)
        assert_int_equal(w.levels[i].index, 511);
    assert_int_equal(w.pfn, 0x777);
    assert_true(w.levels[3].flags & XCX_PTE_G);
    assert_int_equal(w.paddr, 0x777fff);
    pvfix_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flag_names),
        cmocka_unit_test(test_area_of),
        cmocka_unit_test(test_every_size),
        cmocka_unit_test(test_user_root),
        cmocka_unit_test(test_not_present),
        cmocka_unit_test(test_unwalked_areas),
        cmocka_unit_test(test_effective_rights),
        cmocka_unit_test(test_pat),
        cmocka_unit_test(test_not_guests),
        cmocka_unit_test(test_l4_self),
        cmocka_unit_test(test_l2_self),
        cmocka_unit_test(test_mfn_range),
        cmocka_unit_test(test_reserved_bits),
        cmocka_unit_test(test_pat_bits_not_reserved),
        cmocka_unit_test(test_callback_failures),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_last_entries),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
