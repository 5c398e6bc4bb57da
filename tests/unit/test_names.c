/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mem_type_name, xcx_mtrr_origin_name, xcx_mtrr_overlap_name, and the
 * bounds of the fixed sub-ranges (xcx_mtrr_fixed_range), the PV area and
 * page-type names. */
#include <limits.h>

#include "unit.h"
#include "xenctrl_ext.h"

static void check_invalid(const char *(*fn)(unsigned int), unsigned int v)
{
    errno = 0;
    if (fn(v) != NULL)
        fail_msg("value %u has a name", v);
    assert_int_equal(errno, EINVAL);
}

static void test_mem_type_names(void **state)
{
    static const struct {
        unsigned int code;
        const char *name;
    } known[] = {
        {XCX_MT_UC, "UC"}, {XCX_MT_WC, "WC"}, {XCX_MT_WT, "WT"},
        {XCX_MT_WP, "WP"}, {XCX_MT_WB, "WB"}, {XCX_MT_UC_MINUS, "UC-"},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(known); i++)
        assert_string_equal(xcx_mem_type_name(known[i].code), known[i].name);
    for (unsigned int code = 0; code < 256; code++) {
        bool valid = code == 0 || code == 1 || (code >= 4 && code <= 7);

        if (!valid)
            check_invalid(xcx_mem_type_name, code);
    }
    check_invalid(xcx_mem_type_name, 256);
    check_invalid(xcx_mem_type_name, 0x106); /* WB plus a stray bit */
    check_invalid(xcx_mem_type_name, UINT_MAX);
}

static void test_origin_names(void **state)
{
    assert_string_equal(xcx_mtrr_origin_name(XCX_ORIGIN_DISABLED), "disabled");
    assert_string_equal(xcx_mtrr_origin_name(XCX_ORIGIN_FIXED), "fixed");
    assert_string_equal(xcx_mtrr_origin_name(XCX_ORIGIN_VARIABLE), "variable");
    assert_string_equal(xcx_mtrr_origin_name(XCX_ORIGIN_DEFAULT), "default");
    check_invalid(xcx_mtrr_origin_name, 4);
    check_invalid(xcx_mtrr_origin_name, 255);
    check_invalid(xcx_mtrr_origin_name, UINT_MAX);
}

static void test_overlap_names(void **state)
{
    assert_string_equal(xcx_mtrr_overlap_name(XCX_OVERLAP_NONE), "none");
    assert_string_equal(xcx_mtrr_overlap_name(XCX_OVERLAP_SAME), "same");
    assert_string_equal(xcx_mtrr_overlap_name(XCX_OVERLAP_PRECEDENCE),
                        "precedence");
    assert_string_equal(xcx_mtrr_overlap_name(XCX_OVERLAP_UNDEFINED),
                        "undefined");
    check_invalid(xcx_mtrr_overlap_name, 4);
    check_invalid(xcx_mtrr_overlap_name, UINT_MAX);
}

/* The 88 sub-ranges tile [0, 1 MiB) in order: 8 x 64 KiB, 16 x 16 KiB,
 * 64 x 4 KiB (SDM 11.11.2.2); byte i of an MSR is its sub-range i. */
static void test_fixed_ranges(void **state)
{
    struct xcx_mtrr_regs regs = {0};
    struct xcx_fixed_range fr;
    uint32_t next = 0;

    regs.fixed[1] = UINT64_C(0x0605040100060504); /* sub-ranges 8..15 */
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES; i++) {
        assert_int_equal(xcx_mtrr_fixed_range(&regs, i, &fr), 0);
        assert_int_equal(fr.start, next);
        assert_int_equal(fr.size, i < 8 ? 0x10000 : i < 24 ? 0x4000 : 0x1000);
        assert_int_equal(fr.type, (regs.fixed[i / 8] >> (8 * (i % 8))) & 0xff);
        next += fr.size;
    }
    assert_int_equal(next, XCX_FIXED_RANGE_END);
    assert_int_equal(xcx_mtrr_fixed_range(NULL, 9, &fr), 0);
    assert_int_equal(fr.start, 0x84000);
    assert_int_equal(fr.type, 0);
    errno = 0;
    assert_int_equal(xcx_mtrr_fixed_range(&regs, 88, &fr), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_mtrr_fixed_range(&regs, 0, NULL), -1);
    assert_int_equal(errno, EINVAL);
}

static void test_pv_names(void **state)
{
    struct xcx_page_type t = {.level = 4, .pinned = true};

    assert_string_equal(xcx_pv_area_name(XCX_PV_AREA_GUEST), "guest");
    assert_string_equal(xcx_pv_area_name(XCX_PV_AREA_XEN_RO), "xen-readonly");
    assert_string_equal(xcx_pv_area_name(XCX_PV_AREA_XEN), "xen-reserved");
    assert_string_equal(xcx_pv_area_name(XCX_PV_AREA_NONCANON), "noncanonical");
    errno = 0;
    assert_null(xcx_pv_area_name(4));
    assert_int_equal(errno, EINVAL);
    assert_string_equal(xcx_page_type_name(&t), "L4");
    t.level = 0;
    assert_string_equal(xcx_page_type_name(&t), "none");
    t.invalid = true;
    assert_string_equal(xcx_page_type_name(&t), "invalid");
    t = (struct xcx_page_type){.level = 5};
    errno = 0;
    assert_null(xcx_page_type_name(&t));
    assert_int_equal(errno, EINVAL);
    assert_null(xcx_page_type_name(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_type_names),
        cmocka_unit_test(test_origin_names),
        cmocka_unit_test(test_overlap_names),
        cmocka_unit_test(test_fixed_ranges),
        cmocka_unit_test(test_pv_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
