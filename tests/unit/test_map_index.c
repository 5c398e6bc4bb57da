/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The map's radix index and the calls built on it: single lookups (map and
 * tracker), batch lookups and range queries agree with the direct rule on
 * every address of bench/bench_index.c's sets and on random states; batch
 * errors write nothing; the index stays within its node budget on hostile
 * maps.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lookup_sets.h"
#include "mtrr_map.h"
#include "randstate.h"
#include "unit.h"

static void assert_same(const struct xcx_mtrr_result *want,
                        const struct xcx_mtrr_result *got, const char *what,
                        uint64_t gpa)
{
    char a[160], b[160];

    if (ref_result_equal(want, got))
        return;
    ref_result_format(a, sizeof(a), want);
    ref_result_format(b, sizeof(b), got);
    fail_msg("%s at 0x%llx: rule says %s, got %s", what,
             (unsigned long long)gpa, a, b);
}

/* Singles on map and tracker, and both batches, for @n addresses. */
static void check_lookups(const struct xcx_mtrr_state *st,
                          const xcx_mtrr_map *map, const xcx_mtrr_tracker *tr,
                          const uint64_t *gpas, size_t n)
{
    struct xcx_mtrr_result *batch = calloc(n, sizeof(*batch));
    struct xcx_mtrr_result *tbatch = calloc(n, sizeof(*tbatch));

    assert_non_null(batch);
    assert_non_null(tbatch);
    assert_int_equal(xcx_mtrr_map_lookup_batch(map, gpas, n, batch), 0);
    assert_int_equal(xcx_tracker_lookup_batch(tr, 0, gpas, n, tbatch), 0);
    for (size_t i = 0; i < n; i++) {
        struct xcx_mtrr_result want, got;

        assert_int_equal(xcx_mtrr_resolve(st, gpas[i], &want, NULL), 0);
        assert_int_equal(xcx_mtrr_map_lookup(map, gpas[i], &got), 0);
        assert_same(&want, &got, "map lookup", gpas[i]);
        assert_int_equal(xcx_tracker_lookup(tr, 0, gpas[i], &got), 0);
        assert_same(&want, &got, "tracker lookup", gpas[i]);
        assert_same(&want, &batch[i], "map batch", gpas[i]);
        assert_same(&want, &tbatch[i], "tracker batch", gpas[i]);
    }
    free(batch);
    free(tbatch);
}

/*
 * Where a contiguous-mask state's result can change: the ends of each
 * valid pair and, with fixed ranges on, every fixed sub-range and 1 MiB.
 */
static size_t boundaries(const struct xcx_mtrr_state *st, uint64_t *b)
{
    uint64_t bits = ref_addr_bits(st->maxphysaddr);
    size_t n = 0;

    for (unsigned int i = 0; i < st->vcnt; i++) {
        uint64_t mask = st->regs.var[i].mask;
        uint64_t lo = st->regs.var[i].base & mask & bits;

        if (!(mask & XCX_MTRR_MASK_VALID))
            continue;
        b[n++] = lo;
        b[n++] = lo + ((~mask & bits) + 0x1000);
    }
    if ((st->regs.def_type & XCX_MTRR_DEF_E) &&
        (st->regs.def_type & XCX_MTRR_DEF_FE))
        for (unsigned int i = 0; i <= XCX_MTRR_FIXED_SUBRANGES; i++)
            b[n++] = i < XCX_MTRR_FIXED_SUBRANGES ? ref_fixed_start(i)
                                                  : XCX_FIXED_RANGE_END;
    return n;
}

/* The range's answer from the rule at its start and every boundary in it. */
static void rule_range(const struct xcx_mtrr_state *st, const uint64_t *b,
                       size_t nb, uint64_t gpa, uint64_t len,
                       struct xcx_mtrr_range_result *rr)
{
    struct xcx_mtrr_result r;

    assert_int_equal(xcx_mtrr_resolve(st, gpa, &rr->first, NULL), 0);
    rr->types = 1u << rr->first.type;
    rr->reliable = rr->first.reliable;
    for (size_t i = 0; i < nb; i++) {
        if (b[i] <= gpa || b[i] - gpa >= len)
            continue;
        assert_int_equal(xcx_mtrr_resolve(st, b[i], &r, NULL), 0);
        rr->types |= 1u << r.type;
        rr->reliable &= r.reliable;
    }
    rr->uniform = !(rr->types & (rr->types - 1));
}

static void assert_range(const struct xcx_mtrr_range_result *want,
                         const struct xcx_mtrr_range_result *got,
                         const char *what, uint64_t gpa, uint64_t len)
{
    assert_same(&want->first, &got->first, what, gpa);
    if (want->types != got->types || want->uniform != got->uniform ||
        want->reliable != got->reliable)
        fail_msg("%s [0x%llx, +0x%llx): types 0x%x uniform %d reliable %d, "
                 "rule 0x%x %d %d",
                 what, (unsigned long long)gpa, (unsigned long long)len,
                 got->types, got->uniform, got->reliable, want->types,
                 want->uniform, want->reliable);
}

static void check_ranges(const struct xcx_mtrr_state *st,
                         const xcx_mtrr_map *map, const xcx_mtrr_tracker *tr,
                         const uint64_t *gpas, size_t n, uint64_t len)
{
    uint64_t b[2 * XCX_MTRR_VAR_MAX + XCX_MTRR_FIXED_SUBRANGES + 1];
    size_t nb = boundaries(st, b);

    for (size_t i = 0; i < n; i++) {
        struct xcx_mtrr_range_result want, got;

        rule_range(st, b, nb, gpas[i], len, &want);
        assert_int_equal(xcx_mtrr_map_range(map, gpas[i], len, &got), 0);
        assert_range(&want, &got, "map range", gpas[i], len);
        assert_int_equal(xcx_tracker_range(tr, 0, gpas[i], len, &got), 0);
        assert_range(&want, &got, "tracker range", gpas[i], len);
    }
}

/* Every address of every chunk the benchmark times, on its three states. */
static void test_benchmark_sets(void **state)
{
    static const uint64_t range_lens[] = {UINT64_C(2) << 20, UINT64_C(1) << 30};
    uint64_t *gpas = malloc(LSET_CHUNK * sizeof(*gpas));

    assert_non_null(gpas);
    for (int s = 0; s < LSET_NR_STATES; s++) {
        struct xcx_mtrr_state st;
        xcx_mtrr_map *map;
        xcx_mtrr_tracker *tr;

        assert_int_equal(lset_state(s, &st), 0);
        map = xcx_mtrr_map_build(&st, NULL);
        tr = xcx_tracker_new(&st, 1, 0, NULL);
        assert_non_null(map);
        assert_non_null(tr);
        for (int d = 0; d < LSET_NR_DISTS; d++) {
            for (size_t c = 0; c < lset_chunks(d, 1); c++) {
                lset_fill(d, st.maxphysaddr, 1, c, gpas);
                check_lookups(&st, map, tr, gpas, LSET_CHUNK);
            }
            for (unsigned int k = 0; k < ARRAY_SIZE(range_lens); k++) {
                for (size_t c = 0; c < lset_chunks(d, range_lens[k]); c++) {
                    lset_fill(d, st.maxphysaddr, range_lens[k], c, gpas);
                    check_ranges(&st, map, tr, gpas, LSET_CHUNK, range_lens[k]);
                }
            }
        }
        xcx_tracker_free(tr);
        xcx_mtrr_map_free(map);
    }
    free(gpas);
}

/* Addresses a random state's index must get right: around every entry
 * boundary, around every power of two and 1/16 of one, and at random. */
static size_t probe_addrs(const xcx_mtrr_map *map, unsigned int width,
                          struct prng *p, uint64_t *out, size_t max)
{
    size_t n = 0, entries = xcx_mtrr_map_size(map);
    uint64_t top = UINT64_C(1) << width;

    for (size_t i = 0; i < entries && n + 3 <= max; i++) {
        struct xcx_mtrr_map_entry e;

        assert_int_equal(xcx_mtrr_map_entry(map, i, &e), 0);
        out[n++] = e.start;
        out[n++] = e.end - 1;
        out[n++] = e.start + prng_below(p, e.end - e.start);
    }
    for (unsigned int k = 12; k < width && n + 4 <= max; k++) {
        uint64_t a = UINT64_C(1) << k;

        out[n++] = a - 1;
        out[n++] = a;
        out[n++] = a + (a >> 4);
        out[n++] = a + (a >> 4) - 1;
    }
    while (n < max)
        out[n++] = prng_below(p, top);
    (void)top;
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Random states (non-contiguous masks too): lookups, sorted and unsorted
 * batches, and 2 MiB ranges checked page by page against the rule. */
static void test_random_states(void **state)
{
    enum { PROBES = 3000, RANGES = 8 };
    uint64_t *gpas = malloc(PROBES * sizeof(*gpas));
    struct prng p;

    assert_non_null(gpas);
    prng_seed(&p, 0x1dec5);
    for (unsigned int iter = 0; iter < 300; iter++) {
        struct rand_regs rr;
        struct xcx_mtrr_state st;
        xcx_mtrr_map *map;
        xcx_mtrr_tracker *tr;
        size_t n;

        rand_regs(&p, &rr);
        assert_int_equal(
            xcx_mtrr_state_init(&st, &rr.regs, rr.width, rr.var_known, NULL),
            0);
        map = xcx_mtrr_map_build(&st, NULL);
        tr = xcx_tracker_new(&st, 1, 0, NULL);
        assert_non_null(map);
        assert_non_null(tr);
        n = probe_addrs(map, st.maxphysaddr, &p, gpas, PROBES);
        check_lookups(&st, map, tr, gpas, n);
        qsort(gpas, n, sizeof(*gpas), cmp_u64);
        check_lookups(&st, map, tr, gpas, n);
        for (unsigned int r = 0; r < RANGES; r++) {
            uint64_t len = UINT64_C(2) << 20;
            uint64_t gpa =
                prng_below(&p, (UINT64_C(1) << st.maxphysaddr) - len + 1) &
                ~(len - 1);
            struct xcx_mtrr_range_result got;
            struct xcx_mtrr_result res;
            uint32_t types = 0;
            bool reliable = true;

            if (r < 2)
                gpa = r ? UINT64_C(0xe0000000) & ((1ull << st.maxphysaddr) - 1)
                        : 0;
            assert_int_equal(xcx_mtrr_map_range(map, gpa, len, &got), 0);
            for (uint64_t a = gpa; a < gpa + len; a += 4096) {
                assert_int_equal(xcx_mtrr_resolve(&st, a, &res, NULL), 0);
                types |= 1u << res.type;
                reliable &= res.reliable;
            }
            if (got.types != types || got.reliable != reliable ||
                got.uniform != !(types & (types - 1)))
                fail_msg("state %u: range at 0x%llx types 0x%x, pages 0x%x",
                         iter, (unsigned long long)gpa, got.types, types);
        }
        xcx_tracker_free(tr);
        xcx_mtrr_map_free(map);
    }
    free(gpas);
}

static void sentinel(struct xcx_mtrr_result *r, size_t n)
{
    memset(r, 0xab, n * sizeof(*r));
}

static bool untouched(const struct xcx_mtrr_result *r, size_t n)
{
    const unsigned char *b = (const unsigned char *)r;

    for (size_t i = 0; i < n * sizeof(*r); i++)
        if (b[i] != 0xab)
            return false;
    return true;
}

/* ERANGE names the first bad address and writes no result at all. */
static void test_batch_errors(void **state)
{
    uint64_t gpas[] = {0x1000, UINT64_C(0xfffffffff), UINT64_C(1) << 36, 0x2000,
                       UINT64_C(1) << 40};
    struct xcx_mtrr_result res[ARRAY_SIZE(gpas)];
    struct xcx_mtrr_state st[2];
    struct caplog log;
    xcx_mtrr_map *map;
    xcx_mtrr_tracker *tr;

    caplog_init(&log);
    assert_int_equal(lset_state(LSET_HVMLOADER, &st[0]), 0);
    st[1] = st[0];
    map = xcx_mtrr_map_build(&st[0], caplog_logger(&log));
    tr = xcx_tracker_new(st, 2, 0, caplog_logger(&log));
    assert_non_null(map);
    assert_non_null(tr);

    sentinel(res, ARRAY_SIZE(res));
    errno = 0;
    assert_int_equal(
        xcx_mtrr_map_lookup_batch(map, gpas, ARRAY_SIZE(gpas), res), -1);
    assert_int_equal(errno, ERANGE);
    assert_true(untouched(res, ARRAY_SIZE(res)));
    assert_log_hex(&log, UINT64_C(1) << 36);
    assert_true(caplog_has(&log, "gpa[2]"));

    caplog_reset(&log);
    errno = 0;
    assert_int_equal(
        xcx_tracker_lookup_batch(tr, 1, gpas, ARRAY_SIZE(gpas), res), -1);
    assert_int_equal(errno, ERANGE);
    assert_true(untouched(res, ARRAY_SIZE(res)));
    assert_log_hex(&log, UINT64_C(1) << 36);

    /* Only the good ones: every result written. */
    assert_int_equal(xcx_mtrr_map_lookup_batch(map, gpas, 2, res), 0);
    assert_false(untouched(res, 2));
    assert_true(untouched(res + 2, ARRAY_SIZE(res) - 2));

    errno = 0;
    assert_int_equal(xcx_mtrr_map_lookup_batch(map, NULL, 1, res), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_tracker_lookup_batch(tr, 0, gpas, 1, NULL), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_tracker_lookup_batch(tr, 2, gpas, 1, res), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_mtrr_map_lookup_batch(map, NULL, 0, NULL), 0);
    assert_int_equal(xcx_tracker_lookup_batch(tr, 0, NULL, 0, NULL), 0);
    xcx_tracker_free(tr);
    xcx_mtrr_map_free(map);
}

/* One pair 0x1000 bytes long every 0x2000 from @base under @mask. */
static void hostile_state(struct xcx_mtrr_state *st, uint64_t base,
                          uint64_t mask)
{
    struct xcx_mtrr_regs r;

    memset(&r, 0, sizeof(r));
    r.cap = 0x508;
    r.def_type = 0x806; /* WB, E, no FE */
    r.var[0].base = base | XCX_MT_UC;
    r.var[0].mask = mask;
    assert_int_equal(xcx_mtrr_state_init(st, &r, 36, 0xff, NULL), 0);
}

/*
 * The largest map allowed (65536 entries, one page each below 256 MiB):
 * the index keeps to its node budget, binary search answers the rest, and
 * every boundary still resolves right, through singles and a batch.
 */
static void test_hostile_index(void **state)
{
    struct xcx_mtrr_state st;
    xcx_mtrr_map *map;
    size_t n;
    uint64_t *gpas;
    struct xcx_mtrr_result *res;

    hostile_state(&st, 0, UINT64_C(0xff0001800));
    map = xcx_mtrr_map_build(&st, NULL);
    assert_non_null(map);
    n = xcx_mtrr_map_size(map);
    assert_int_equal(n, XCX_MTRR_MAP_MAX_ENTRIES);
    assert_true(xcx_map_index_nodes(map) <= 2 * n + 16);
    assert_true(xcx_map_index_nodes(map) < XCX_INDEX_NODE);
    /* Entries (20 bytes each) plus at most 32 bytes of nodes per entry. */
    assert_true(xcx_map_bytes(map) <= n * (20 + 64) + 4096);

    gpas = malloc(2 * n * sizeof(*gpas));
    res = malloc(2 * n * sizeof(*res));
    assert_non_null(gpas);
    assert_non_null(res);
    for (size_t i = 0; i < n; i++) {
        struct xcx_mtrr_map_entry e;

        assert_int_equal(xcx_mtrr_map_entry(map, i, &e), 0);
        gpas[2 * i] = e.start;
        gpas[2 * i + 1] = e.end - 1;
    }
    assert_int_equal(xcx_mtrr_map_lookup_batch(map, gpas, 2 * n, res), 0);
    for (size_t i = 0; i < 2 * n; i += 7) {
        struct xcx_mtrr_result want, got;

        assert_int_equal(xcx_mtrr_resolve(&st, gpas[i], &want, NULL), 0);
        assert_int_equal(xcx_mtrr_map_lookup(map, gpas[i], &got), 0);
        assert_same(&want, &got, "hostile lookup", gpas[i]);
        assert_same(&want, &res[i], "hostile batch", gpas[i]);
    }
    free(gpas);
    free(res);
    xcx_mtrr_map_free(map);
}

/* A tracker whose state is past the cap has no map: batches use the rule. */
static void test_tracker_batch_without_map(void **state)
{
    uint64_t gpas[64];
    struct xcx_mtrr_result res[64], want;
    struct xcx_mtrr_state st;
    xcx_mtrr_tracker *tr;
    struct prng p;

    hostile_state(&st, 0x1000, UINT64_C(0x800001800));
    tr = xcx_tracker_new(&st, 1, 0, NULL);
    assert_non_null(tr);
    assert_null(xcx_tracker_map(tr, 0));
    prng_seed(&p, 7);
    for (unsigned int i = 0; i < ARRAY_SIZE(gpas); i++)
        gpas[i] = prng_below(&p, UINT64_C(1) << 36);
    assert_int_equal(
        xcx_tracker_lookup_batch(tr, 0, gpas, ARRAY_SIZE(gpas), res), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(gpas); i++) {
        assert_int_equal(xcx_mtrr_resolve(&st, gpas[i], &want, NULL), 0);
        assert_same(&want, &res[i], "tracker batch without map", gpas[i]);
    }
    xcx_tracker_free(tr);
}

/* Small maps stay small: the index of the benchmark's states is a table. */
static void test_index_size(void **state)
{
    for (int s = 0; s < LSET_NR_STATES; s++) {
        struct xcx_mtrr_state st;
        xcx_mtrr_map *map;

        assert_int_equal(lset_state(s, &st), 0);
        map = xcx_mtrr_map_build(&st, NULL);
        assert_non_null(map);
        /* Within twice the 1.4 KiB the arrays alone took before. */
        if (xcx_map_bytes(map) > 2800)
            fail_msg("%s: map of %zu bytes", lset_state_name(s),
                     xcx_map_bytes(map));
        xcx_mtrr_map_free(map);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_benchmark_sets),
        cmocka_unit_test(test_random_states),
        cmocka_unit_test(test_batch_errors),
        cmocka_unit_test(test_hostile_index),
        cmocka_unit_test(test_tracker_batch_without_map),
        cmocka_unit_test(test_index_size),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
