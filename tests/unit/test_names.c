/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mem_type_name, xcx_mtrr_origin_name, xcx_mtrr_overlap_name. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_type_names),
        cmocka_unit_test(test_origin_names),
        cmocka_unit_test(test_overlap_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
