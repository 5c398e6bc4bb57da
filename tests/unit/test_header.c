/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The installed header beside <xenctrl.h> (the repeated xc_interface
 * typedef agrees), the same layout as in strict C11 (header_strict.c), and
 * struct xcx_mtrr_regs in the order of Xen's save record.
 */
#include <xenctrl_ext.h>
#include <xenctrl.h>

#include "header_strict.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void test_record_order(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct xcx_mtrr_regs, pat), 0);
    assert_int_equal(offsetof(struct xcx_mtrr_regs, var), 8);
    assert_int_equal(offsetof(struct xcx_mtrr_regs, fixed), 136);
    assert_int_equal(offsetof(struct xcx_mtrr_regs, cap), 224);
    assert_int_equal(offsetof(struct xcx_mtrr_regs, def_type), 232);
    assert_int_equal(sizeof(struct xcx_mtrr_regs), XCX_MTRR_RECORD_SIZE);
    assert_int_equal(header_strict_regs_size(), XCX_MTRR_RECORD_SIZE);
}

static void test_compat_prototype(void **state)
{
    int (*fn)(xc_interface *, uint32_t, unsigned long, uint8_t *) =
        xc_domain_hvm_get_mtrr_type;

    (void)state;
    assert_non_null(fn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_order),
        cmocka_unit_test(test_compat_prototype),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
