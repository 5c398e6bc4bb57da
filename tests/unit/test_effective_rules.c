/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The combination rules, cell by cell: the Intel SDM's Table 11-7
 * "Effective Page-Level Memory Types" (PAT over MTRR, and over the EPT
 * type), the AMD APM's PAT over MTRR, Xen's guest-with-host MTRR
 * combination of epte_get_entry_emt(), and PAT entries.
 */
#include "unit.h"
#include "xenctrl_ext.h"

enum {
    UC = XCX_MT_UC,
    WC = XCX_MT_WC,
    WT = XCX_MT_WT,
    WP = XCX_MT_WP,
    WB = XCX_MT_WB,
    UCM = XCX_MT_UC_MINUS
};

struct cell {
    uint8_t mtrr, pat, want;
};

/* Intel SDM vol. 3A, Table 11-7, in the SDM's row order (MTRR, then PAT). */
static const struct cell sdm_table[] = {
    {UC, UC, UC},  {UC, UCM, UC}, {UC, WC, WC},  {UC, WT, UC},  {UC, WB, UC},
    {UC, WP, UC},  {WC, UC, UC},  {WC, UCM, WC}, {WC, WC, WC},  {WC, WT, UC},
    {WC, WB, WC},  {WC, WP, UC},  {WT, UC, UC},  {WT, UCM, UC}, {WT, WC, WC},
    {WT, WT, WT},  {WT, WB, WT},  {WT, WP, WP},  {WB, UC, UC},  {WB, UCM, UC},
    {WB, WC, WC},  {WB, WT, WT},  {WB, WB, WB},  {WB, WP, WP},  {WP, UC, UC},
    {WP, UCM, WC}, {WP, WC, WC},  {WP, WT, WT},  {WP, WB, WP},  {WP, WP, WP},
};

/* AMD APM vol. 2, "Combining PAT and MTRR Types"; CD reads as UC. */
static const struct cell apm_table[] = {
    {UC, UC, UC},  {WC, UC, UC},  {WT, UC, UC},  {WP, UC, UC},  {WB, UC, UC},
    {UC, UCM, UC}, {WC, UCM, WC}, {WT, UCM, UC}, {WP, UCM, UC}, {WB, UCM, UC},
    {UC, WC, WC},  {WC, WC, WC},  {WT, WC, WC},  {WP, WC, WC},  {WB, WC, WC},
    {UC, WT, UC},  {WC, WT, UC},  {WT, WT, WT},  {WP, WT, UC},  {WB, WT, WT},
    {UC, WP, UC},  {WC, WP, UC},  {WT, WP, UC},  {WP, WP, WP},  {WB, WP, WP},
    {UC, WB, UC},  {WC, WB, WC},  {WT, WB, WT},  {WP, WB, WP},  {WB, WB, WB},
};

static void check_table(unsigned int vendor, const struct cell *t, size_t n)
{
    uint8_t got;

    /* Every MTRR x PAT pair is listed exactly once. */
    assert_int_equal(n, 30);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(
            xcx_combine_pat_mtrr(vendor, t[i].mtrr, t[i].pat, &got), 0);
        if (got != t[i].want)
            fail_msg("%s: MTRR %s with PAT %s gives %s, want %s",
                     xcx_vendor_name(vendor), xcx_mem_type_name(t[i].mtrr),
                     xcx_mem_type_name(t[i].pat), xcx_mem_type_name(got),
                     xcx_mem_type_name(t[i].want));
        for (size_t j = 0; j < i; j++)
            assert_false(t[j].mtrr == t[i].mtrr && t[j].pat == t[i].pat);
    }
}

static void test_sdm_table_11_7(void **state)
{
    check_table(XCX_VENDOR_INTEL, sdm_table, ARRAY_SIZE(sdm_table));
}

static void test_apm_pat_mtrr(void **state)
{
    check_table(XCX_VENDOR_AMD, apm_table, ARRAY_SIZE(apm_table));
}

/* epte_get_entry_emt(): same -> it; either UC -> UC; either WB -> the
 * other; WT with WP -> WP; any other pair (WC with WT or WP) -> UC. */
static void test_xen_ept_combination(void **state)
{
    static const struct {
        uint8_t guest, host, want;
    } cells[] = {
        {UC, UC, UC}, {UC, WC, UC}, {UC, WT, UC}, {UC, WP, UC}, {UC, WB, UC},
        {WC, UC, UC}, {WC, WC, WC}, {WC, WT, UC}, {WC, WP, UC}, {WC, WB, WC},
        {WT, UC, UC}, {WT, WC, UC}, {WT, WT, WT}, {WT, WP, WP}, {WT, WB, WT},
        {WP, UC, UC}, {WP, WC, UC}, {WP, WT, WP}, {WP, WP, WP}, {WP, WB, WP},
        {WB, UC, UC}, {WB, WC, WC}, {WB, WT, WT}, {WB, WP, WP}, {WB, WB, WB},
    };
    uint8_t got;

    for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
        assert_int_equal(
            xcx_combine_ept_mtrr(cells[i].guest, cells[i].host, &got), 0);
        if (got != cells[i].want)
            fail_msg("guest %s host %s: got %s",
                     xcx_mem_type_name(cells[i].guest),
                     xcx_mem_type_name(cells[i].host), xcx_mem_type_name(got));
    }
}

static void test_combination_errors(void **state)
{
    uint8_t got;

    for (unsigned int bad = 0; bad < 16; bad++) {
        bool mtrr_ok = bad == UC || bad == WC || (bad >= WT && bad <= WB);

        if (!mtrr_ok) {
            errno = 0;
            assert_int_equal(
                xcx_combine_pat_mtrr(XCX_VENDOR_INTEL, bad, WB, &got), -1);
            assert_int_equal(errno, EINVAL);
            assert_int_equal(xcx_combine_ept_mtrr(bad, WB, &got), -1);
            assert_int_equal(xcx_combine_ept_mtrr(WB, bad, &got), -1);
        }
        if (!mtrr_ok && bad != UCM)
            assert_int_equal(
                xcx_combine_pat_mtrr(XCX_VENDOR_AMD, WB, bad, &got), -1);
    }
    errno = 0;
    assert_int_equal(xcx_combine_pat_mtrr(XCX_VENDOR_UNKNOWN, WB, WB, &got),
                     -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_combine_pat_mtrr(XCX_VENDOR_INTEL, WB, WB, NULL), -1);
}

static void test_pat_entry(void **state)
{
    const uint64_t pat = 0x0007040600070406ull; /* power-on value */
    static const uint8_t want[8] = {WB, WT, UCM, UC, WB, WT, UCM, UC};
    uint8_t t;

    for (unsigned int i = 0; i < 8; i++) {
        assert_int_equal(xcx_pat_entry(pat, i, &t), 0);
        assert_int_equal(t, want[i]);
    }
    assert_int_equal(xcx_pat_entry(0x0105, 1, &t), 0);
    assert_int_equal(t, WC);
    errno = 0;
    assert_int_equal(xcx_pat_entry(pat, 8, &t), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_pat_entry(0x02, 0, &t), -1);   /* reserved */
    assert_int_equal(xcx_pat_entry(0x0300, 1, &t), -1); /* reserved */
    assert_int_equal(xcx_pat_entry(0x1600, 1, &t), -1); /* stray bit */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdm_table_11_7),
        cmocka_unit_test(test_apm_pat_mtrr),
        cmocka_unit_test(test_xen_ept_combination),
        cmocka_unit_test(test_combination_errors),
        cmocka_unit_test(test_pat_entry),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
