/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The physical-address width over the fake back end: from the domain's
 * CPUID policy (36 without the leaf), from the caller, and bad policies.
 */
#include <stdio.h>

#include "fake_backend.h"

static void test_maxphysaddr_policy(void **state)
{
    static const struct {
        unsigned int policy, want;
    } cases[] = {{0, 36}, {40, 40}, {39, 39}, {32, 32}, {52, 52}, {36, 36}};
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_state st;
    unsigned int bits;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        d->maxphysaddr = cases[i].policy;
        fake_reset_counters(&fx->fake);
        bits = 0;
        assert_int_equal(xcx_domain_maxphysaddr(fx->h, DOM_HVM1, &bits), 0);
        assert_int_equal(bits, cases[i].want);
        if (cases[i].want < 36) {
            /* Pair 0's 36-bit mask has bits reserved at this width. */
            assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
            assert_int_equal(errno, EINVAL);
            assert_logged(&fx->log, "PHYSMASK0");
            caplog_reset(&fx->log);
            continue;
        }
        assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), 0);
        assert_int_equal(st.maxphysaddr, cases[i].want);
        assert_int_equal(fx->fake.calls_policy, 2);
    }
    assert_int_equal(fx->log.count, 0);
    d->maxphysaddr = 0;
}

static void test_maxphysaddr_explicit(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    struct xcx_mtrr_state st, *all = NULL;
    unsigned int nr;

    /* Policy says 40; the caller says 44; even a broken policy is unread. */
    d->err_policy = EACCES;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM4, 1, 44, &st), 0);
    assert_int_equal(st.maxphysaddr, 44);
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 46, &all, &nr), 0);
    assert_int_equal(nr, 4);
    for (unsigned int v = 0; v < nr; v++)
        assert_int_equal(all[v].maxphysaddr, 46);
    free(all);
    assert_int_equal(fx->fake.calls_policy, 0);
    assert_int_equal(fx->log.count, 0);
    d->err_policy = 0;

    /* An explicit width the record does not fit: the record is EINVAL. */
    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM4, 0, 36, &st), EINVAL);
    assert_logged(&fx->log, "PHYSMASK0");
    assert_int_equal(fx->fake.calls_policy, 0);
}

static void test_maxphysaddr_bad_policy(void **state)
{
    static const unsigned int bad[] = {60, 20, 31, 53, 255};
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_state st;
    unsigned int bits;
    uint8_t type;
    char num[16];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        d->maxphysaddr = bad[i];
        snprintf(num, sizeof(num), "%u", bad[i]);
        fake_reset_counters(&fx->fake);
        bits = 77;
        assert_fails(fx, xcx_domain_maxphysaddr(fx->h, DOM_HVM1, &bits),
                     EINVAL);
        assert_int_equal(bits, 77);
        assert_int_equal(fx->log.count, 1);
        assert_logged(&fx->log, num);
        assert_logged(&fx->log, "domain 1");

        assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), EINVAL);
        assert_fails(fx, xcx_handle_mtrr_type(fx->h, DOM_HVM1, 0, &type),
                     EINVAL);
        assert_int_equal(fx->fake.calls_record, 0);
    }
    d->maxphysaddr = 0;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_maxphysaddr_policy),
        T(test_maxphysaddr_explicit),
        T(test_maxphysaddr_bad_policy),
    };
#undef T

    return cmocka_run_group_tests_name("backend-width", tests, NULL, NULL);
}
