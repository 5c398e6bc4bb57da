/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Steady-state lookups make no back-end call: a tracker fed by the
 * library-owned monitor (writes through the simulated ring) and one built
 * from xcx_mtrr_read_all() answer 10,000 lookups and range queries on
 * every vCPU while every call counter of the fake back end, its trace and
 * its simulated Xen side stay as they were. Reading the baseline costs one
 * record read per vCPU, and nothing after.
 */
#include <stdio.h>

#include "ctxbuild.h"
#include "fake_backend.h"
#include "prng.h"

#define NR_QUERIES 10000
#define WIDTH      40 /* DOM_HVM4's policy */

/* Pair 1 as the guest programs it on every vCPU: UC [3 GiB, +256 MiB). */
#define PAIR1_BASE (UINT64_C(0xc0000000) | XCX_MT_UC)
#define PAIR1_SIZE UINT64_C(0x10000000)

/*
 * NR_QUERIES lookups and range queries spread over the vCPUs of @tr, each
 * checked against the direct rule on the tracker's own state (pure code,
 * no back end either).
 */
static void query_all(const xcx_mtrr_tracker *tr, uint64_t seed)
{
    static const uint64_t lens[] = {UINT64_C(1) << 12, UINT64_C(1) << 21,
                                    UINT64_C(1) << 30};
    unsigned int nr = xcx_tracker_nr_vcpus(tr);
    struct xcx_mtrr_state st[FAKE_MAX_VCPUS];
    struct prng p;

    assert_true(nr <= FAKE_MAX_VCPUS);
    for (unsigned int v = 0; v < nr; v++)
        assert_int_equal(xcx_tracker_state(tr, v, &st[v]), 0);
    prng_seed(&p, seed);
    for (unsigned int i = 0; i < NR_QUERIES; i++) {
        unsigned int v = i % nr;
        uint64_t top = UINT64_C(1) << st[v].maxphysaddr;
        uint64_t len = lens[prng_below(&p, ARRAY_SIZE(lens))];
        /* Half below 8 GiB, where the ranges are; half anywhere. */
        uint64_t gpa = prng_below(&p, (i & 1) ? UINT64_C(8) << 30 : top);
        struct xcx_mtrr_result got, want;
        struct xcx_mtrr_range_result rr;

        assert_int_equal(xcx_tracker_lookup(tr, v, gpa, &got), 0);
        assert_int_equal(xcx_mtrr_resolve(&st[v], gpa, &want, NULL), 0);
        assert_int_equal(got.type, want.type);
        assert_int_equal(got.origin, want.origin);
        assert_int_equal(got.pairs, want.pairs);
        assert_int_equal(got.reliable, want.reliable);

        gpa &= ~(len - 1);
        assert_int_equal(xcx_tracker_range(tr, v, gpa, len, &rr), 0);
        assert_true(rr.types & (1u << rr.first.type));
    }
}

/* Pair 1 of every vCPU of @tr answers UC at its first address. */
static void assert_pair1_uc(const xcx_mtrr_tracker *tr)
{
    for (unsigned int v = 0; v < xcx_tracker_nr_vcpus(tr); v++) {
        struct xcx_mtrr_result r;

        assert_int_equal(xcx_tracker_lookup(tr, v, 0xc0000000, &r), 0);
        assert_int_equal(r.type, XCX_MT_UC);
        assert_int_equal(r.pairs, 0x2);
        assert_true(r.reliable);
    }
}

/* A monitor fed through the ring, then queried: no call at all. */
static void test_monitor_lookups(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    struct fake_counts before;
    xcx_mtrr_tracker *tr;
    xcx_monitor *mon;

    mon = xcx_monitor_open(fx->h, DOM_HVM4, 0);
    assert_non_null(mon);
    tr = xcx_monitor_tracker(mon);

    /* The guest programs pair 1 on each vCPU, vCPU 2 its default type. */
    for (unsigned int v = 0; v < 4; v++) {
        fake_xen_write(d, v, XCX_MSR_MTRR_PHYSBASE0 + 2, PAIR1_BASE, 0);
        fake_xen_write(d, v, XCX_MSR_MTRR_PHYSMASK0 + 2,
                       ctxb_mask(PAIR1_SIZE, WIDTH), 0);
    }
    fake_xen_write(d, 2, XCX_MSR_MTRR_DEF_TYPE, 0xc06,
                   XCX_MTRR_DEF_E | XCX_MTRR_DEF_FE | vcpu_def_type[2]);
    fake_xen_produce(d);
    while (fake_xen_queued(d) || fake_xen_stopped(d))
        assert_true(xcx_monitor_poll(mon, 1000, NULL, NULL) > 0);
    assert_int_equal(d->xen.nr_rsp, 9);
    assert_pair1_uc(tr);

    fake_counts_take(&fx->fake, &before);
    query_all(tr, 0x57eadc);
    assert_pair1_uc(tr);
    assert_no_calls_since(&fx->fake, &before);
    /* Nothing was signalled meanwhile either. */
    assert_int_equal(xcx_monitor_poll(mon, 0, NULL, NULL), 0);

    assert_int_equal(xcx_monitor_close(mon), 0);
    assert_int_equal(fx->log.count, 0);
}

/* A tracker over xcx_mtrr_read_all(): one record read per vCPU, then
 * lookups, range queries and applied writes make none. */
static void test_read_all_lookups(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state *all = NULL;
    struct fake_counts before;
    struct xcx_write_outcome out;
    xcx_mtrr_tracker *tr;
    unsigned int nr = 0;

    fake_reset_counters(&fx->fake);
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr), 0);
    assert_int_equal(nr, 4);
    assert_int_equal(fx->fake.calls_record, 4);
    for (unsigned int v = 0; v < FAKE_MAX_VCPUS; v++)
        assert_int_equal(fx->fake.calls_record_vcpu[v], v < 4 ? 1 : 0);

    fake_counts_take(&fx->fake, &before);
    tr = xcx_tracker_new(all, nr, 0, NULL);
    free(all);
    assert_non_null(tr);
    query_all(tr, 0x7eada11);
    for (unsigned int v = 0; v < nr; v++) {
        assert_int_equal(xcx_tracker_apply(tr, v, XCX_MSR_MTRR_PHYSBASE0 + 2,
                                           PAIR1_BASE, NULL, &out),
                         0);
        assert_int_equal(xcx_tracker_apply(tr, v, XCX_MSR_MTRR_PHYSMASK0 + 2,
                                           ctxb_mask(PAIR1_SIZE, WIDTH), NULL,
                                           &out),
                         0);
        assert_true(out.types_changed);
    }
    assert_pair1_uc(tr);
    query_all(tr, 0x7eada12);
    assert_no_calls_since(&fx->fake, &before);
    xcx_tracker_free(tr);
    assert_int_equal(fx->log.count, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_monitor_lookups),
        T(test_read_all_lookups),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
