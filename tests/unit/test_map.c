/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The map against the direct rule: for random valid states, entries are
 * sorted, contiguous, cover [0, 2^width) without equal neighbours, and
 * lookup == resolve == the reference model at every entry boundary, one
 * below it, and at random addresses.
 */
#include <stdio.h>

#include "prng.h"
#include "randstate.h"
#include "unit.h"

#define NR_STATES 400
#define NR_RANDOM 200
#define SEED      UINT64_C(0x6d74727220786378) /* "mtrr xcx" */

static void check_point(const struct xcx_mtrr_state *st,
                        const xcx_mtrr_map *map, uint64_t gpa, unsigned int n)
{
    struct xcx_mtrr_result byrule, bymap, ref;
    char what[64];

    snprintf(what, sizeof(what), "state %u: lookup vs resolve", n);
    if (xcx_mtrr_resolve(st, gpa, &byrule, NULL))
        fail_msg("state %u: resolve %#llx failed: errno %d", n,
                 (unsigned long long)gpa, errno);
    if (xcx_mtrr_map_lookup(map, gpa, &bymap))
        fail_msg("state %u: lookup %#llx failed: errno %d", n,
                 (unsigned long long)gpa, errno);
    assert_result_equal(&bymap, &byrule, what, gpa);
    assert_true(ref_resolve(st, gpa, &ref));
    snprintf(what, sizeof(what), "state %u: resolve vs model", n);
    assert_result_equal(&byrule, &ref, what, gpa);
}

/*
 * The map merges neighbouring fixed sub-ranges of one type: an entry's
 * fixed_index is that of its start, lookups give each address its own.
 */
static bool same_but_fixed_index(const struct xcx_mtrr_result *a,
                                 const struct xcx_mtrr_result *b)
{
    return a->type == b->type && a->origin == b->origin &&
           a->overlap == b->overlap && a->reliable == b->reliable &&
           a->pairs == b->pairs;
}

static void check_map(const struct xcx_mtrr_state *st, const xcx_mtrr_map *map,
                      struct prng *p, unsigned int n)
{
    uint64_t top = UINT64_C(1) << st->maxphysaddr;
    size_t size = xcx_mtrr_map_size(map);
    /* prev: GCC 14 cannot tell that the loop runs at least once. */
    struct xcx_mtrr_map_entry prev = {0}, e;
    struct xcx_mtrr_result res;
    char what[64];

    assert_true(size >= 1);
    assert_true(size <= XCX_MTRR_MAP_MAX_ENTRIES);
    snprintf(what, sizeof(what), "state %u: entry vs resolve", n);
    for (size_t i = 0; i < size; i++) {
        if (xcx_mtrr_map_entry(map, i, &e))
            fail_msg("state %u: entry %zu: errno %d", n, i, errno);
        if (i == 0 && e.start != 0)
            fail_msg("state %u: first entry starts at %#llx", n,
                     (unsigned long long)e.start);
        if (e.end <= e.start || e.end > top)
            fail_msg("state %u: entry %zu is [%#llx, %#llx)", n, i,
                     (unsigned long long)e.start, (unsigned long long)e.end);
        if (i > 0) {
            if (e.start != prev.end)
                fail_msg("state %u: gap or overlap before entry %zu", n, i);
            if (same_but_fixed_index(&e.result, &prev.result))
                fail_msg("state %u: entries %zu and %zu are equal", n, i - 1,
                         i);
        }
        assert_int_equal(xcx_mtrr_resolve(st, e.start, &res, NULL), 0);
        assert_result_equal(&e.result, &res, what, e.start);
        assert_int_equal(xcx_mtrr_resolve(st, e.end - 1, &res, NULL), 0);
        if (!same_but_fixed_index(&e.result, &res))
            assert_result_equal(&e.result, &res, what, e.end - 1);
        check_point(st, map, e.start, n);
        check_point(st, map, e.end - 1, n);
        if (e.start > 0)
            check_point(st, map, e.start - 1, n);
        prev = e;
    }
    if (prev.end != top)
        fail_msg("state %u: map ends at %#llx, not %#llx", n,
                 (unsigned long long)prev.end, (unsigned long long)top);

    errno = 0;
    assert_int_equal(xcx_mtrr_map_entry(map, size, &e), -1);
    assert_int_equal(errno, ERANGE);
    errno = 0;
    assert_int_equal(xcx_mtrr_map_lookup(map, top, &res), -1);
    assert_int_equal(errno, ERANGE);

    for (unsigned int k = 0; k < NR_RANDOM; k++) {
        uint64_t gpa = prng_next(p) & (top - 1);

        /* Half of them below 16 MiB, where the fixed ranges live. */
        if (k % 2)
            gpa &= 0xffffff;
        check_point(st, map, gpa, n);
    }
}

static bool mask_contiguous(uint64_t mask, unsigned int width)
{
    uint64_t m = (mask & ((UINT64_C(1) << width) - 1)) >> 12;

    return m == 0 || m + (m & -m) == UINT64_C(1) << (width - 12);
}

static void test_random_states(void **state)
{
    struct prng p;
    struct rand_regs rr;
    unsigned long entries = 0, noncontig = 0;

    prng_seed(&p, SEED);
    for (unsigned int n = 0; n < NR_STATES; n++) {
        struct xcx_mtrr_state st;
        xcx_mtrr_map *map;

        rand_regs(&p, &rr);
        if (xcx_mtrr_state_init(&st, &rr.regs, rr.width, rr.var_known, NULL))
            fail_msg("state %u rejected: errno %d", n, errno);
        map = xcx_mtrr_map_build(&st, NULL);
        if (!map)
            fail_msg("state %u: map_build failed: errno %d", n, errno);
        check_map(&st, map, &p, n);
        entries += xcx_mtrr_map_size(map);
        for (unsigned int i = 0; i < st.vcnt; i++)
            if ((st.regs.var[i].mask & XCX_MTRR_MASK_VALID) &&
                !mask_contiguous(st.regs.var[i].mask, st.maxphysaddr))
                noncontig++;
        xcx_mtrr_map_free(map);
    }
    print_message("map: %u states, %lu entries, %lu non-contiguous pairs\n",
                  NR_STATES, entries, noncontig);
}

/* The map of an E-clear state is one UC entry over everything. */
static void test_disabled_single_entry(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    struct xcx_mtrr_map_entry e;
    xcx_mtrr_map *map;

    memset(&r, 0, sizeof(r));
    r.cap = 0x508;
    r.pat = UINT64_C(0x0007040600070406);
    assert_int_equal(xcx_mtrr_state_init(&st, &r, 40, 0xff, NULL), 0);
    map = xcx_mtrr_map_build(&st, NULL);
    assert_non_null(map);
    assert_int_equal(xcx_mtrr_map_size(map), 1);
    assert_int_equal(xcx_mtrr_map_entry(map, 0, &e), 0);
    assert_int_equal(e.start, 0);
    assert_int_equal(e.end, UINT64_C(1) << 40);
    assert_int_equal(e.result.type, XCX_MT_UC);
    assert_int_equal(e.result.origin, XCX_ORIGIN_DISABLED);
    xcx_mtrr_map_free(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_states),
        cmocka_unit_test(test_disabled_single_entry),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
