/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mtrr_map_range, the entry limit (E2BIG) and the map's errors. */
#include <stdio.h>

#include "ctxbuild.h"
#include "prng.h"
#include "randstate.h"
#include "unit.h"

#define T(t) (1u << (t))

/* ctxb_regs_default() (pair 0 UC at 3 GiB) with the VGA hole UC. */
static xcx_mtrr_map *sample_map(struct xcx_mtrr_state *st, uint32_t known)
{
    struct xcx_mtrr_regs r;
    xcx_mtrr_map *map;

    ctxb_regs_default(&r);
    r.fixed[2] = 0; /* 0xa0000-0xbffff UC */
    assert_int_equal(xcx_mtrr_state_init(st, &r, 36, known, NULL), 0);
    map = xcx_mtrr_map_build(st, NULL);
    assert_non_null(map);
    return map;
}

struct range_case {
    const char *what;
    uint64_t gpa, len;
    bool uniform;
    uint32_t types;
    uint8_t first_type;
    bool reliable_all_known;
    bool reliable_pair0_known;
};

static const struct range_case range_cases[] = {
    {"2 MiB inside the UC pair", 0xc0000000, 0x200000, true, T(XCX_MT_UC),
     XCX_MT_UC, true, true},
    {"1 GiB = the UC pair", 0xc0000000, 0x40000000, true, T(XCX_MT_UC),
     XCX_MT_UC, true, true},
    {"last 2 MiB below 4 GiB", 0xffe00000, 0x200000, true, T(XCX_MT_UC),
     XCX_MT_UC, true, true},
    {"2 MiB straddling 3 GiB", 0xbff00000, 0x200000, false,
     T(XCX_MT_UC) | T(XCX_MT_WB), XCX_MT_WB, true, false},
    {"2 MiB straddling 4 GiB", 0xfff00000, 0x200000, false,
     T(XCX_MT_UC) | T(XCX_MT_WB), XCX_MT_UC, true, false},
    {"2 MiB of RAM at 1 GiB", 0x40000000, 0x200000, true, T(XCX_MT_WB),
     XCX_MT_WB, true, false},
    {"one byte", 0x40000000, 1, true, T(XCX_MT_WB), XCX_MT_WB, true, false},
    {"first 2 MiB: VGA hole", 0, 0x200000, false, T(XCX_MT_UC) | T(XCX_MT_WB),
     XCX_MT_WB, true, false},
    {"fixed ranges below the hole", 0, 0xa0000, true, T(XCX_MT_WB), XCX_MT_WB,
     true, true},
    {"the VGA hole", 0xa0000, 0x20000, true, T(XCX_MT_UC), XCX_MT_UC, true,
     true},
    {"fixed WB then default WB: one type", 0xc0000, 0x80000, true, T(XCX_MT_WB),
     XCX_MT_WB, true, false},
    {"first GiB", 0, 0x40000000, false, T(XCX_MT_UC) | T(XCX_MT_WB), XCX_MT_WB,
     true, false},
    {"everything", 0, UINT64_C(1) << 36, false, T(XCX_MT_UC) | T(XCX_MT_WB),
     XCX_MT_WB, true, false},
    {"the very last byte", UINT64_C(0xfffffffff), 1, true, T(XCX_MT_WB),
     XCX_MT_WB, true, false},
    {"up to the end", UINT64_C(0xfffe00000), 0x200000, true, T(XCX_MT_WB),
     XCX_MT_WB, true, false},
};

static void test_range_cases(void **state)
{
    for (int pass = 0; pass < 2; pass++) {
        struct xcx_mtrr_state st;
        xcx_mtrr_map *map = sample_map(&st, pass ? 0x1 : 0xff);

        for (unsigned int i = 0; i < ARRAY_SIZE(range_cases); i++) {
            const struct range_case *c = &range_cases[i];
            struct xcx_mtrr_range_result rr;
            struct xcx_mtrr_result first;
            bool want_rel =
                pass ? c->reliable_pair0_known : c->reliable_all_known;

            if (xcx_mtrr_map_range(map, c->gpa, c->len, &rr))
                fail_msg("%s: failed, errno %d", c->what, errno);
            if (rr.uniform != c->uniform || rr.types != c->types ||
                rr.first.type != c->first_type || rr.reliable != want_rel)
                fail_msg("%s (known %s): uniform %d types %#x first %u "
                         "reliable %d; want %d %#x %u %d",
                         c->what, pass ? "0x1" : "0xff", rr.uniform, rr.types,
                         rr.first.type, rr.reliable, c->uniform, c->types,
                         c->first_type, want_rel);
            assert_int_equal(xcx_mtrr_map_lookup(map, c->gpa, &first), 0);
            assert_result_equal(&rr.first, &first, c->what, c->gpa);
        }
        xcx_mtrr_map_free(map);
    }
}

static void test_range_errors(void **state)
{
    static const struct {
        uint64_t gpa, len;
        int err;
    } bad[] = {
        {0, 0, EINVAL},
        {0x1000, 0, EINVAL},
        {UINT64_C(1) << 36, 1, ERANGE},
        {UINT64_C(0xfffffffff), 2, ERANGE},
        {0, (UINT64_C(1) << 36) + 1, ERANGE},
        {UINT64_C(0xfffe00000), 0x200001, ERANGE},
        {UINT64_MAX, 1, ERANGE},
        {UINT64_MAX - 10, 100, ERANGE},                 /* wraps */
        {0x1000, UINT64_MAX, ERANGE},                   /* wraps */
        {UINT64_C(1) << 63, UINT64_C(1) << 63, ERANGE}, /* wraps to 0 */
    };
    struct xcx_mtrr_state st;
    struct xcx_mtrr_range_result rr;
    xcx_mtrr_map *map = sample_map(&st, 0xff);

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        errno = 0;
        if (xcx_mtrr_map_range(map, bad[i].gpa, bad[i].len, &rr) != -1 ||
            errno != bad[i].err)
            fail_msg("range %#llx+%#llx: errno %d, want %d",
                     (unsigned long long)bad[i].gpa,
                     (unsigned long long)bad[i].len, errno, bad[i].err);
    }
    xcx_mtrr_map_free(map);
}

/* map_range against a walk over the entries, for random states. */
static void test_range_random(void **state)
{
    struct prng p;
    struct rand_regs rr;

    prng_seed(&p, UINT64_C(0x72616e6765));
    for (unsigned int n = 0; n < 150; n++) {
        struct xcx_mtrr_state st;
        xcx_mtrr_map *map;
        uint64_t top;
        size_t size;

        rand_regs(&p, &rr);
        assert_int_equal(
            xcx_mtrr_state_init(&st, &rr.regs, rr.width, rr.var_known, NULL),
            0);
        map = xcx_mtrr_map_build(&st, NULL);
        assert_non_null(map);
        top = UINT64_C(1) << st.maxphysaddr;
        size = xcx_mtrr_map_size(map);
        for (unsigned int k = 0; k < 60; k++) {
            uint64_t gpa, len, end;
            uint32_t types = 0;
            bool reliable = true;
            struct xcx_mtrr_range_result got;
            struct xcx_mtrr_result first;

            switch (k % 3) {
            case 0: /* anywhere */
                gpa = prng_below(&p, top);
                len = prng_range(&p, 1, top - gpa);
                break;
            case 1: /* a 4 KiB, 2 MiB or 1 GiB page */
                len = UINT64_C(1) << (k % 2 ? 21 : (k % 5 ? 12 : 30));
                gpa = prng_below(&p, top / len) * len;
                if (k % 4 == 1)
                    gpa &= 0x3fffffff;
                break;
            default: /* from an entry's start, into the next */
            {
                struct xcx_mtrr_map_entry e;

                assert_int_equal(
                    xcx_mtrr_map_entry(map, prng_below(&p, size), &e), 0);
                gpa = e.start;
                len = e.end - e.start + (e.end < top ? 1 : 0);
                break;
            }
            }
            end = gpa + len;
            for (size_t i = 0; i < size; i++) {
                struct xcx_mtrr_map_entry e;

                assert_int_equal(xcx_mtrr_map_entry(map, i, &e), 0);
                if (e.end <= gpa || e.start >= end)
                    continue;
                types |= 1u << e.result.type;
                reliable = reliable && e.result.reliable;
            }
            if (xcx_mtrr_map_range(map, gpa, len, &got))
                fail_msg("state %u: range %#llx+%#llx: errno %d", n,
                         (unsigned long long)gpa, (unsigned long long)len,
                         errno);
            assert_int_equal(xcx_mtrr_map_lookup(map, gpa, &first), 0);
            assert_result_equal(&got.first, &first, "range first", gpa);
            if (got.types != types || got.reliable != reliable ||
                got.uniform != !(types & (types - 1)))
                fail_msg("state %u: range %#llx+%#llx: types %#x reliable %d "
                         "uniform %d; want %#x %d %d",
                         n, (unsigned long long)gpa, (unsigned long long)len,
                         got.types, got.reliable, got.uniform, types, reliable,
                         !(types & (types - 1)));
        }
        xcx_mtrr_map_free(map);
    }
}

/*
 * Pair 0: mask bits 12 and 28..35 only, E set, FE clear, VCNT 1. With
 * base 0 it matches 2^15 4 KiB pages below 256 MiB: UC/WB alternate and
 * the last WB merges with the rest, exactly 65536 entries. With base
 * 0x1000 the WB comes first: 65537 entries, one too many.
 */
static void limit_state(struct xcx_mtrr_state *st, uint64_t base, uint64_t mask)
{
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .vcnt = 1,
        .var = {{.base = base, .mask = mask, .type = XCX_MT_UC}},
    };
    struct xcx_mtrr_regs r;

    ctxb_regs_fill(&r, &d);
    assert_int_equal(xcx_mtrr_state_init(st, &r, 36, 0x1, NULL), 0);
}

static void test_limit_exact(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_mtrr_map_entry e;
    xcx_mtrr_map *map;

    limit_state(&st, 0, UINT64_C(0xff0001800));
    map = xcx_mtrr_map_build(&st, NULL);
    if (!map)
        fail_msg("65536 entries refused: errno %d", errno);
    assert_int_equal(xcx_mtrr_map_size(map), XCX_MTRR_MAP_MAX_ENTRIES);
    assert_int_equal(xcx_mtrr_map_entry(map, 0, &e), 0);
    assert_int_equal(e.start, 0);
    assert_int_equal(e.end, 0x1000);
    assert_int_equal(e.result.type, XCX_MT_UC);
    assert_int_equal(xcx_mtrr_map_entry(map, 65535, &e), 0);
    assert_int_equal(e.start, 0xffff000);
    assert_int_equal(e.end, UINT64_C(1) << 36);
    assert_int_equal(e.result.type, XCX_MT_WB);
    xcx_mtrr_map_free(map);
}

static void test_limit_e2big(void **state)
{
    static const struct {
        uint64_t base, mask;
    } cases[] = {
        {0x1000, UINT64_C(0xff0001800)}, /* 65537 entries */
        {0, UINT64_C(0xf00001800)},      /* 2^19 pages */
        {0x1000, UINT64_C(0x800001800)}, /* 2^22 pages */
        {0, UINT64_C(0x000001800)},      /* every other page */
    };
    struct xcx_mtrr_state st;
    struct caplog log;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        limit_state(&st, cases[i].base, cases[i].mask);
        caplog_init(&log);
        errno = 0;
        if (xcx_mtrr_map_build(&st, caplog_logger(&log)) != NULL ||
            errno != E2BIG)
            fail_msg("mask %#llx base %#llx: errno %d, want E2BIG",
                     (unsigned long long)cases[i].mask,
                     (unsigned long long)cases[i].base, errno);
        assert_int_equal(log.count, 1);
        assert_log_mentions(&log, "pair", "mask", "physmask", "0x201");
    }
}

static void test_build_invalid(void **state)
{
    struct xcx_mtrr_state good, st;
    struct caplog log;
    xcx_mtrr_map *map = sample_map(&good, 0xff);
    const struct {
        const char *what;
        int field;
        uint64_t value;
    } cases[] = {
        {"def type 2", 0, 0xc02},
        {"fixed type 3", 1, 3},
        {"base type 8", 2, 0xc0000008},
        {"mask bit 36", 3, UINT64_C(0x1fc0000800)},
        {"VCNT 9", 4, 9},
        {"width 31", 5, 31},
        {"width 53", 5, 53},
        {"width 64", 5, 64},
    };

    xcx_mtrr_map_free(map);
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        st = good;
        switch (cases[i].field) {
        case 0:
            st.regs.def_type = cases[i].value;
            break;
        case 1:
            st.regs.fixed[5] = cases[i].value;
            break;
        case 2:
            st.regs.var[0].base = cases[i].value;
            break;
        case 3:
            st.regs.var[0].mask = cases[i].value;
            break;
        case 4:
            st.vcnt = (unsigned int)cases[i].value;
            st.regs.cap = 0x500 | cases[i].value;
            break;
        default:
            st.maxphysaddr = (unsigned int)cases[i].value;
            break;
        }
        caplog_init(&log);
        errno = 0;
        map = xcx_mtrr_map_build(&st, caplog_logger(&log));
        if (map || errno != EINVAL)
            fail_msg("%s: errno %d, want EINVAL", cases[i].what, errno);
        assert_int_equal(log.count, 1);
    }
}

static void test_free_keeps_errno(void **state)
{
    struct xcx_mtrr_state st;
    xcx_mtrr_map *map = sample_map(&st, 0xff);

    errno = ENOTTY;
    xcx_mtrr_map_free(NULL);
    assert_int_equal(errno, ENOTTY);
    xcx_mtrr_map_free(map);
    assert_int_equal(errno, ENOTTY);
}

/* ERANGE from lookups and entries past the end. */
static void test_lookup_errors(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_mtrr_result res;
    struct xcx_mtrr_map_entry e;
    xcx_mtrr_map *map = sample_map(&st, 0xff);
    size_t size = xcx_mtrr_map_size(map);

    errno = 0;
    assert_int_equal(xcx_mtrr_map_lookup(map, UINT64_C(1) << 36, &res), -1);
    assert_int_equal(errno, ERANGE);
    errno = 0;
    assert_int_equal(xcx_mtrr_map_lookup(map, UINT64_MAX, &res), -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(xcx_mtrr_map_lookup(map, UINT64_C(0xfffffffff), &res), 0);
    errno = 0;
    assert_int_equal(xcx_mtrr_map_entry(map, size, &e), -1);
    assert_int_equal(errno, ERANGE);
    errno = 0;
    assert_int_equal(xcx_mtrr_map_entry(map, (size_t)-1, &e), -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(xcx_mtrr_map_entry(map, size - 1, &e), 0);
    assert_int_equal(e.end, UINT64_C(1) << 36);
    xcx_mtrr_map_free(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_cases),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_range_random),
        cmocka_unit_test(test_limit_exact),
        cmocka_unit_test(test_limit_e2big),
        cmocka_unit_test(test_build_invalid),
        cmocka_unit_test(test_free_keeps_errno),
        cmocka_unit_test(test_lookup_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
