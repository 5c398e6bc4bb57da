/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mtrr_regs_width_hint: the width the masks of a record show. */
#include "ctxbuild.h"
#include "unit.h"

struct hint_case {
    const char *what;
    unsigned int vcnt;
    unsigned int want;
    uint64_t mask[XCX_MTRR_VAR_MAX];
};

static const struct hint_case cases[] = {
    {"no pairs", 8, 36, {0}},
    {"36-bit mask", 8, 36, {UINT64_C(0xff0000800)}},
    {"39-bit mask", 8, 39, {UINT64_C(0x7ff0000800)}},
    {"46-bit mask", 8, 46, {UINT64_C(0x3ffff0000800)}},
    {"52-bit mask", 8, 52, {UINT64_C(0xffffff0000800)}},
    {"48-bit, 4 KiB range", 8, 48, {UINT64_C(0xfffffffff800)}},
    {"32-bit mask clamps to 36", 8, 36, {UINT64_C(0xf0000800)}},
    {"35-bit mask clamps to 36", 8, 36, {UINT64_C(0x7f0000800)}},
    {"64-bit mask clamps to 52", 8, 52, {UINT64_C(0xfffffffff0000800)}},
    {"bit 60 clamps to 52", 8, 52, {UINT64_C(0x1ffffffff0000800)}},
    {"valid bit only: whole space", 8, 36, {0x800}},
    {"mask bits without valid bit", 8, 36, {UINT64_C(0x3ffff0000000)}},
    {"largest over pairs",
     8,
     46,
     {UINT64_C(0xff0000800), 0, UINT64_C(0x3ffff0000800),
      UINT64_C(0x7ff0000800)}},
    {"an invalid wide pair does not count",
     8,
     36,
     {UINT64_C(0xff0000800), UINT64_C(0xffffff0000000)}},
    {"pairs at or above VCNT do not count",
     2,
     39,
     {UINT64_C(0xff0000800), UINT64_C(0x7ff0000800), UINT64_C(0xffffff0000800),
      0, 0, 0, 0, UINT64_C(0xffffff0000800)}},
    {"VCNT 0", 0, 36, {UINT64_C(0x3ffff0000800)}},
    {"non-contiguous: top bit counts", 8, 39, {UINT64_C(0x7f00001800)}},
    {"slot 7 counts with VCNT 8",
     8,
     44,
     {0, 0, 0, 0, 0, 0, 0, UINT64_C(0xffff0000800)}},
};

static void test_hint_table(void **state)
{
    struct xcx_mtrr_regs r;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        unsigned int got;

        ctxb_regs_default(&r);
        r.cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | cases[i].vcnt;
        for (unsigned int j = 0; j < XCX_MTRR_VAR_MAX; j++) {
            r.var[j].base = 0;
            r.var[j].mask = cases[i].mask[j];
        }
        got = xcx_mtrr_regs_width_hint(&r);
        if (got != cases[i].want)
            fail_msg("%s: hint %u, want %u", cases[i].what, got, cases[i].want);
    }
}

/* The hint never fails, even for VCNT or values state_init rejects. */
static void test_hint_garbage(void **state)
{
    struct xcx_mtrr_regs r;
    unsigned int got;

    memset(&r, 0xff, sizeof(r)); /* VCNT 255: at most 8 pairs are read */
    got = xcx_mtrr_regs_width_hint(&r);
    assert_in_range(got, 36, 52);
    memset(&r, 0, sizeof(r));
    assert_int_equal(xcx_mtrr_regs_width_hint(&r), 36);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hint_table),
        cmocka_unit_test(test_hint_garbage),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
