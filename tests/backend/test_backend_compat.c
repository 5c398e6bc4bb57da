/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The logic of the compatibility call xc_domain_hvm_get_mtrr_type() over
 * the fake back end: vCPU 0's record, the policy's width, Xen's rules.
 */
#include "fake_backend.h"

static void test_handle_mtrr_type(void **state)
{
    static const struct {
        uint64_t gpa;
        uint8_t type;
    } cases[] = {
        {0x0, XCX_MT_WB},     /* fixed 64K */
        {0x9ffff, XCX_MT_WB}, /* fixed 16K just below the hole */
        {0xa0000, XCX_MT_UC}, /* fixed: the VGA hole */
        {0xbffff, XCX_MT_UC},
        {0xc0000, XCX_MT_WB}, /* fixed 4K */
        {0xfffff, XCX_MT_WB},
        {0x100000, XCX_MT_WB},   /* default */
        {0xbfffffff, XCX_MT_WB}, /* default */
        {0xc0000000, XCX_MT_WB}, /* pair 1 alone */
        {0xc8000000, XCX_MT_WC}, /* pairs 1 WB + 2 WC: undefined, pair 2 */
        {0xcfffffff, XCX_MT_WC},
        {0xd0000000, XCX_MT_WC}, /* pair 3 alone */
        {0xd8000000, XCX_MT_WB}, /* pairs 3 WC + 4 WB: undefined, pair 4 */
        {0xe0000000, XCX_MT_WB}, /* default again */
        {0xf0000000, XCX_MT_UC}, /* pair 0 */
        {0xffffffff, XCX_MT_UC},
        {0x100000000, XCX_MT_WB}, /* default above 4 GiB */
        {0xfffffffff, XCX_MT_WB}, /* last address at width 36 */
    };
    struct fixture *fx = *state;
    struct xcx_mtrr_state st;
    uint8_t type;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct xcx_mtrr_result res;

        type = 0xee;
        assert_int_equal(
            xcx_handle_mtrr_type(fx->h, DOM_MIX, cases[i].gpa, &type), 0);
        if (type != cases[i].type)
            fail_msg("gpa %#llx: type %u, want %u",
                     (unsigned long long)cases[i].gpa, type, cases[i].type);
        /* The same as xcx_mtrr_read() + xcx_mtrr_resolve(). */
        assert_int_equal(xcx_mtrr_read(fx->h, DOM_MIX, 0, 0, &st), 0);
        assert_int_equal(xcx_mtrr_resolve(&st, cases[i].gpa, &res, NULL), 0);
        assert_int_equal(res.type, type);
    }
    assert_int_equal(fx->log.count, 0);

    assert_int_equal(xcx_mtrr_read(fx->h, DOM_MIX, 0, 0, &st), 0);
    {
        struct xcx_mtrr_result res;

        assert_int_equal(xcx_mtrr_resolve(&st, 0xc8000000, &res, NULL), 0);
        assert_int_equal(res.overlap, XCX_OVERLAP_UNDEFINED);
        assert_int_equal(res.pairs, 0x6);
        assert_int_equal(xcx_mtrr_resolve(&st, 0xd8000000, &res, NULL), 0);
        assert_int_equal(res.overlap, XCX_OVERLAP_UNDEFINED);
        assert_int_equal(res.pairs, 0x18);
        assert_int_equal(xcx_mtrr_resolve(&st, 0xa0000, &res, NULL), 0);
        assert_int_equal(res.origin, XCX_ORIGIN_FIXED);
        assert_int_equal(res.fixed_index, 16);
    }

    /* Past the width (36, from a policy without the leaf): ERANGE. */
    type = 0xee;
    assert_fails(fx,
                 xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_C(1) << 36, &type),
                 ERANGE);
    assert_int_equal(type, 0xee);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "0x1000000000");

    assert_fails(fx, xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_MAX, &type),
                 ERANGE);

    /* With a 40-bit policy, 2^36 is fine. */
    dom(fx, DOM_MIX)->maxphysaddr = 40;
    assert_int_equal(
        xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_C(1) << 36, &type), 0);
    dom(fx, DOM_MIX)->maxphysaddr = 0;

    /* vCPU 0 only. */
    fake_reset_counters(&fx->fake);
    assert_int_equal(xcx_handle_mtrr_type(fx->h, DOM_HVM4, 0x100000, &type), 0);
    assert_int_equal(type, vcpu_def_type[0]);
    assert_int_equal(fx->fake.calls_record_vcpu[0], 1);
    assert_int_equal(fx->fake.calls_record, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_handle_mtrr_type),
    };
#undef T

    return cmocka_run_group_tests_name("backend-compat", tests, NULL, NULL);
}
