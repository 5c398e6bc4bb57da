/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_hvm_dump on synthetic guests: coalescing by GPA, flags and PAT
 * index, every mode, shared tables as aliases, each frame read once, and
 * the same answer as a walk of every page.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hvmbuild.h"
#include "unit.h"

#define RWUS UINT64_C(0x6)
#define PCD  UINT64_C(0x10)
#define PAT4 UINT64_C(0x80)
#define SZ2M (UINT64_C(1) << 21)

struct runs {
    struct xcx_hvm_run r[64];
    unsigned int n;
};

static int collect(void *arg, const struct xcx_hvm_run *run)
{
    struct runs *rs = arg;

    if (rs->n == ARRAY_SIZE(rs->r))
        return 7;
    rs->r[rs->n++] = *run;
    return 0;
}

static void dump_ok(struct hvb *b, uint64_t lo, uint64_t hi, struct runs *rs)
{
    struct xcx_hvm_guest g;
    struct caplog log;

    caplog_init(&log);
    hvb_guest(b, &g);
    rs->n = 0;
    hvb_reset_reads(b);
    if (xcx_hvm_dump(&g, &b->cpu, lo, hi, collect, rs, caplog_logger(&log)))
        fail_msg("dump failed: %s (%s)", strerror(errno), log.last);
    /* Each frame read once. */
    assert_int_equal(b->reads, hvb_distinct_reads(b));
}

/* 16 pages at consecutive GPAs, PAT index 2 from page 8: two runs. */
static void test_coalesce(void **state)
{
    (void)state;
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        struct hvb b;
        struct runs rs;
        uint64_t va = 0x00800000;

        hvb_init(&b, mode);
        for (unsigned int i = 0; i < 16; i++)
            hvb_map(&b, va + i * 4096, 0x100000 + i * 4096, 4096,
                    RWUS | (i >= 8 ? PCD : 0));
        dump_ok(&b, 0, 0, &rs);
        assert_int_equal(rs.n, 2);
        assert_int_equal(rs.r[0].va_start, va);
        assert_int_equal(rs.r[0].va_end, va + 8 * 4096);
        assert_int_equal(rs.r[0].gpa_start, 0x100000);
        assert_int_equal(rs.r[0].pat_index, 0);
        assert_int_equal(rs.r[1].gpa_start, 0x108000);
        assert_int_equal(rs.r[1].pat_index, 2);
        assert_true(rs.r[1].flags & XCX_PTE_PCD);
        /* A range inside clips the runs. */
        dump_ok(&b, va + 0x3000, va + 0x9000, &rs);
        assert_int_equal(rs.n, 2);
        assert_int_equal(rs.r[0].va_start, va + 0x3000);
        assert_int_equal(rs.r[0].gpa_start, 0x103000);
        assert_int_equal(rs.r[1].va_end, va + 0x9000);
        hvb_free(&b);
    }
}

/* A GPA gap and a PAT bit split runs; a large page is its own run. */
static void test_splits(void **state)
{
    struct hvb b;
    struct runs rs;

    (void)state;
    hvb_init(&b, XCX_PGMODE_4LEVEL);
    hvb_map(&b, 0x1000, 0x5000, 4096, RWUS);
    hvb_map(&b, 0x2000, 0x7000, 4096, RWUS);
    hvb_map(&b, 0x3000, 0x8000, 4096, RWUS | PAT4);
    hvb_map(&b, 0x400000, 0x200000, SZ2M, RWUS | UINT64_C(0x1000));
    dump_ok(&b, 0, 0, &rs);
    assert_int_equal(rs.n, 4);
    assert_int_equal(rs.r[2].pat_index, 4);
    assert_int_equal(rs.r[3].page_size, SZ2M);
    assert_int_equal(rs.r[3].pat_index, 4);
    assert_true(rs.r[3].flags & XCX_PTE_PSE);
    hvb_free(&b);
}

/* Two PDEs naming one page table: one alias run, tables read once. */
static void test_alias(void **state)
{
    struct hvb b;
    struct runs rs;
    uint64_t pd, pt;

    (void)state;
    hvb_init(&b, XCX_PGMODE_PAE);
    hvb_map(&b, 0x1000, 0x9000, 4096, RWUS);
    pd = hvb_table(&b, 0, 2);
    pt = hvb_table(&b, 0, 1);
    hvb_set_entry(&b, pd, 5, pt | 0x27);
    dump_ok(&b, 0, 0, &rs);
    assert_int_equal(rs.n, 2);
    assert_false(rs.r[0].alias);
    assert_true(rs.r[1].alias);
    assert_int_equal(rs.r[1].va_start, 5 * SZ2M);
    assert_int_equal(rs.r[1].alias_va, 0);
    assert_int_equal(rs.r[1].gpa_start, pt);
    hvb_free(&b);
}

/* Upper-half runs are sign-extended; paging off is one identity run. */
static void test_spaces(void **state)
{
    struct hvb b;
    struct runs rs;

    (void)state;
    hvb_init(&b, XCX_PGMODE_4LEVEL);
    hvb_map(&b, UINT64_C(0xfffffffffffff000), 0x3000, 4096, RWUS);
    dump_ok(&b, 0, 0, &rs);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.r[0].va_start, UINT64_C(0xfffffffffffff000));
    assert_int_equal(rs.r[0].va_end, 0);
    hvb_free(&b);

    hvb_init(&b, XCX_PGMODE_OFF);
    dump_ok(&b, 0x1000, 0, &rs);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.r[0].va_start, 0x1000);
    assert_int_equal(rs.r[0].va_end, UINT64_C(0x100000000));
    assert_false(rs.r[0].pat_used);
    hvb_free(&b);
}

/* Every page of a dump agrees with a walk of it. */
static void test_against_walks(void **state)
{
    (void)state;
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        struct hvb b;
        struct runs rs;
        struct xcx_hvm_guest g;

        hvb_init(&b, mode);
        srand(mode);
        for (unsigned int i = 0; i < 40; i++)
            hvb_map(&b, 0x10000000 + (rand() % 512) * 4096,
                    (uint64_t)(rand() % 64) * 4096, 4096,
                    (rand() & 0x9e) | 0x1);
        dump_ok(&b, 0, 0, &rs);
        hvb_guest(&b, &g);
        for (unsigned int k = 0; k < rs.n; k++) {
            for (uint64_t va = rs.r[k].va_start; va != rs.r[k].va_end;
                 va += 4096) {
                struct xcx_hvm_walk w;

                assert_int_equal(xcx_hvm_walk(&g, &b.cpu, va, &w, NULL), 0);
                assert_true(w.mapped);
                assert_int_equal(w.gpa,
                                 rs.r[k].gpa_start + (va - rs.r[k].va_start));
                assert_int_equal(w.pat_index, rs.r[k].pat_index);
                assert_int_equal(w.writable, !!(rs.r[k].flags & XCX_PTE_RW));
            }
        }
        hvb_free(&b);
    }
}

static void test_errors(void **state)
{
    struct hvb b;
    struct xcx_hvm_guest g;
    struct runs rs = {.n = 0};
    struct caplog log;
    uint64_t pt;

    (void)state;
    caplog_init(&log);
    hvb_init(&b, XCX_PGMODE_4LEVEL);
    b.maxphys = 48;
    hvb_guest(&b, &g);
    assert_int_equal(xcx_hvm_dump(&g, &b.cpu, 0, 0, NULL, NULL, NULL), -1);
    assert_int_equal(
        xcx_hvm_dump(&g, &b.cpu, 0x2000, 0x1000, collect, &rs, NULL), -1);
    assert_int_equal(errno, EINVAL);
    hvb_map(&b, 0x1000, 0x9000, 4096, RWUS);
    pt = hvb_table(&b, 0x1000, 1);
    hvb_set_entry(&b, pt, 2, UINT64_C(1) << 51 | 0x1);
    errno = 0;
    assert_int_equal(
        xcx_hvm_dump(&g, &b.cpu, 0, 0, collect, &rs, caplog_logger(&log)), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_hex(&log, pt);
    /* Outside the range the bad entry is not looked at. */
    assert_int_equal(xcx_hvm_dump(&g, &b.cpu, 0, 0x2000, collect, &rs, NULL),
                     0);
    hvb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coalesce),      cmocka_unit_test(test_splits),
        cmocka_unit_test(test_alias),         cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_against_walks), cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
