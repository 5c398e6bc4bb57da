/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mtrr_state_init: every validation rule, accepted and rejected. */
#include <limits.h>
#include <stdio.h>

#include "ctxbuild.h"
#include "unit.h"

static const unsigned int bad_types[] = {2, 3, 7, 8, 0xff};
static const unsigned int good_types[] = {0, 1, 4, 5, 6};
static const unsigned int widths[] = {36, 39, 46, 52};

/* hvmloader-like registers at @width: pair 0 UC, pair 1 WC, others zero. */
static void good_regs(struct xcx_mtrr_regs *r, unsigned int width)
{
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .fe = true,
        .fixed_type = XCX_MT_WB,
        .width = width,
        .var =
            {
                {.base = 0xc0000000, .size = 0x40000000, .type = XCX_MT_UC},
                {.base = 0x80000000, .size = 0x10000000, .type = XCX_MT_WC},
            },
    };

    ctxb_regs_fill(r, &d);
}

static uint64_t with_byte(uint64_t v, unsigned int pos, unsigned int byte)
{
    return (v & ~(UINT64_C(0xff) << (8 * pos))) | ((uint64_t)byte << (8 * pos));
}

static unsigned int nr_cases;

static void expect_ok(const char *what, const struct xcx_mtrr_regs *r,
                      unsigned int width, uint32_t var_known)
{
    struct xcx_mtrr_state st;
    struct caplog log;

    caplog_init(&log);
    memset(&st, 0xa5, sizeof(st));
    nr_cases++;
    if (xcx_mtrr_state_init(&st, r, width, var_known, caplog_logger(&log)))
        fail_msg("%s: rejected (errno %d): %s", what, errno, log.last);
    assert_int_equal(st.maxphysaddr, width);
    assert_int_equal(st.vcnt, r->cap & XCX_MTRRCAP_VCNT_MASK);
    assert_int_equal(st.var_known, var_known & ((1u << st.vcnt) - 1));
    assert_int_equal(st.regs.pat, r->pat);
    assert_int_equal(st.regs.def_type, r->def_type);
    assert_int_equal(st.regs.cap, r->cap);
    assert_memory_equal(st.regs.fixed, r->fixed, sizeof(r->fixed));
    assert_memory_equal(st.regs.var, r->var, st.vcnt * sizeof(r->var[0]));
}

/*
 * Rejected with EINVAL and one message that names the register (one of
 * @n1, @n2, @n3) and its value (@value or, for a byte-wise field, @alt).
 */
static void expect_bad(const char *what, const struct xcx_mtrr_regs *r,
                       unsigned int width, uint64_t value, uint64_t alt,
                       const char *n1, const char *n2, const char *n3)
{
    struct xcx_mtrr_state st;
    struct caplog log;
    int rc;

    caplog_init(&log);
    nr_cases++;
    errno = 0;
    rc = xcx_mtrr_state_init(&st, r, width, 0xff, caplog_logger(&log));
    if (rc != -1 || errno != EINVAL)
        fail_msg("%s: rc %d errno %d, want -1 EINVAL", what, rc, errno);
    if (log.count != 1)
        fail_msg("%s: %u messages, want 1", what, log.count);
    if (log.level < XTL_ERROR)
        fail_msg("%s: message logged at level %d", what, log.level);
    if (!caplog_has_hex(&log, value) && !caplog_has_hex(&log, alt))
        fail_msg("%s: message \"%s\" lacks the value %#llx", what, log.last,
                 (unsigned long long)value);
    if (!caplog_has(&log, n1) && !(n2 && caplog_has(&log, n2)) &&
        !(n3 && caplog_has(&log, n3)))
        fail_msg("%s: message \"%s\" does not name %s", what, log.last, n1);

    /* The same without a logger: same errno, no crash. */
    errno = 0;
    assert_int_equal(xcx_mtrr_state_init(&st, r, width, 0xff, NULL), -1);
    assert_int_equal(errno, EINVAL);
}

static void test_good_widths(void **state)
{
    struct xcx_mtrr_regs r;
    char what[64];

    for (unsigned int w = XCX_MAXPHYSADDR_MIN; w <= XCX_MAXPHYSADDR_MAX; w++) {
        good_regs(&r, w);
        snprintf(what, sizeof(what), "width %u", w);
        expect_ok(what, &r, w, 0xff);
    }
    /* Bit width-1 is the top address bit and is allowed. */
    for (unsigned int i = 0; i < ARRAY_SIZE(widths); i++) {
        unsigned int w = widths[i];

        good_regs(&r, w);
        r.var[0].base = (UINT64_C(1) << (w - 1)) | XCX_MT_UC;
        r.var[0].mask = ctxb_mask(UINT64_C(1) << 30, w);
        snprintf(what, sizeof(what), "base bit %u at width %u", w - 1, w);
        expect_ok(what, &r, w, 0xff);
    }
}

static void test_bad_widths(void **state)
{
    static const unsigned int bad[] = {0, 1, 31, 53, 63, 64, 65, UINT_MAX};
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    struct caplog log;

    good_regs(&r, 32);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        caplog_init(&log);
        errno = 0;
        assert_int_equal(
            xcx_mtrr_state_init(&st, &r, bad[i], 0xff, caplog_logger(&log)),
            -1);
        assert_int_equal(errno, EINVAL);
        assert_int_equal(log.count, 1);
        assert_log_number(&log, bad[i]);
        assert_log_mentions(&log, "width", "maxphysaddr", "phys");
        nr_cases++;
    }
}

static void test_def_type(void **state)
{
    static const unsigned int flags[] = {0, 0x400, 0x800, 0xc00};
    static const unsigned int reserved[] = {8, 9, 12, 13, 16, 31, 32, 63};
    struct xcx_mtrr_regs r;
    char what[64];

    for (unsigned int f = 0; f < ARRAY_SIZE(flags); f++) {
        for (unsigned int t = 0; t < ARRAY_SIZE(good_types); t++) {
            good_regs(&r, 36);
            r.def_type = flags[f] | good_types[t];
            snprintf(what, sizeof(what), "def type %#llx",
                     (unsigned long long)r.def_type);
            expect_ok(what, &r, 36, 0xff);
        }
        for (unsigned int t = 0; t < ARRAY_SIZE(bad_types); t++) {
            good_regs(&r, 36);
            r.def_type = flags[f] | bad_types[t];
            snprintf(what, sizeof(what), "def type %#llx",
                     (unsigned long long)r.def_type);
            expect_bad(what, &r, 36, r.def_type, r.def_type, "def", "0x2ff",
                       NULL);
        }
    }
    for (unsigned int b = 0; b < ARRAY_SIZE(reserved); b++) {
        good_regs(&r, 36);
        r.def_type |= UINT64_C(1) << reserved[b];
        snprintf(what, sizeof(what), "def type reserved bit %u", reserved[b]);
        expect_bad(what, &r, 36, r.def_type, r.def_type, "def", "0x2ff", NULL);
    }
}

static void test_fixed(void **state)
{
    struct xcx_mtrr_regs r;
    char what[64], msr[16];

    for (unsigned int m = 0; m < XCX_MTRR_FIXED_MSRS; m++) {
        unsigned int index = m == 0  ? XCX_MSR_MTRR_FIX64K
                             : m < 3 ? XCX_MSR_MTRR_FIX16K_0 + m - 1
                                     : XCX_MSR_MTRR_FIX4K_0 + m - 3;

        snprintf(msr, sizeof(msr), "%#x", index);
        for (unsigned int pos = 0; pos < 8; pos++) {
            for (unsigned int t = 0; t < ARRAY_SIZE(good_types); t++) {
                good_regs(&r, 36);
                r.fixed[m] = with_byte(r.fixed[m], pos, good_types[t]);
                snprintf(what, sizeof(what), "fixed MSR %s byte %u type %u",
                         msr, pos, good_types[t]);
                expect_ok(what, &r, 36, 0xff);
            }
            for (unsigned int t = 0; t < ARRAY_SIZE(bad_types); t++) {
                good_regs(&r, 36);
                r.fixed[m] = with_byte(r.fixed[m], pos, bad_types[t]);
                snprintf(what, sizeof(what), "fixed MSR %s byte %u type %u",
                         msr, pos, bad_types[t]);
                expect_bad(what, &r, 36, r.fixed[m], r.fixed[m], "fix", msr,
                           NULL);
            }
        }
    }
}

static void test_var_base(void **state)
{
    struct xcx_mtrr_regs r;
    char what[64], msr[16];

    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        snprintf(msr, sizeof(msr), "%#x", XCX_MSR_MTRR_PHYSBASE0 + 2 * i);
        for (unsigned int t = 0; t < ARRAY_SIZE(good_types); t++) {
            good_regs(&r, 36);
            r.var[i].base = (r.var[i].base & ~UINT64_C(0xff)) | good_types[t];
            snprintf(what, sizeof(what), "pair %u type %u", i, good_types[t]);
            expect_ok(what, &r, 36, 0xff);
        }
        /* Also for pairs whose mask is not valid: each PHYSBASE counts. */
        for (unsigned int t = 0; t < ARRAY_SIZE(bad_types); t++) {
            good_regs(&r, 36);
            r.var[i].base = (r.var[i].base & ~UINT64_C(0xff)) | bad_types[t];
            snprintf(what, sizeof(what), "pair %u type %u", i, bad_types[t]);
            expect_bad(what, &r, 36, r.var[i].base, r.var[i].base, "base", msr,
                       NULL);
        }
        for (unsigned int b = 8; b < 12; b++) {
            good_regs(&r, 36);
            r.var[i].base |= UINT64_C(1) << b;
            snprintf(what, sizeof(what), "pair %u base bit %u", i, b);
            expect_bad(what, &r, 36, r.var[i].base, r.var[i].base, "base", msr,
                       NULL);
        }
    }
}

static void test_var_mask(void **state)
{
    struct xcx_mtrr_regs r;
    char what[64], msr[16];

    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        snprintf(msr, sizeof(msr), "%#x", XCX_MSR_MTRR_PHYSMASK0 + 2 * i);
        for (unsigned int b = 0; b < 11; b++) {
            good_regs(&r, 36);
            r.var[i].mask |= UINT64_C(1) << b;
            snprintf(what, sizeof(what), "pair %u mask bit %u", i, b);
            expect_bad(what, &r, 36, r.var[i].mask, r.var[i].mask, "mask", msr,
                       NULL);
        }
        /* An address mask without the valid bit is well-formed. */
        good_regs(&r, 36);
        r.var[i].mask = UINT64_C(0xffffff000);
        snprintf(what, sizeof(what), "pair %u mask not valid", i);
        expect_ok(what, &r, 36, 0xff);
    }
}

static void test_width_bits(void **state)
{
    struct xcx_mtrr_regs r;
    char what[80];

    for (unsigned int k = 0; k < ARRAY_SIZE(widths); k++) {
        unsigned int w = widths[k];
        const unsigned int bits[] = {w, w + 1, 63};

        for (unsigned int j = 0; j < ARRAY_SIZE(bits); j++) {
            uint64_t bit = UINT64_C(1) << bits[j];

            for (unsigned int i = 0; i < 2; i++) {
                good_regs(&r, w);
                r.var[i].base |= bit;
                snprintf(what, sizeof(what), "width %u pair %u base bit %u", w,
                         i, bits[j]);
                expect_bad(what, &r, w, r.var[i].base, r.var[i].base, "base",
                           i ? "0x202" : "0x200", NULL);

                good_regs(&r, w);
                r.var[i].mask |= bit;
                snprintf(what, sizeof(what), "width %u pair %u mask bit %u", w,
                         i, bits[j]);
                expect_bad(what, &r, w, r.var[i].mask, r.var[i].mask, "mask",
                           i ? "0x203" : "0x201", NULL);
            }
        }
        /* A mask made for a wider guest is refused at this width. */
        if (w < 52) {
            good_regs(&r, w);
            r.var[0].mask = ctxb_mask(0x40000000, w + 1);
            snprintf(what, sizeof(what), "width %u mask of width %u", w, w + 1);
            expect_bad(what, &r, w, r.var[0].mask, r.var[0].mask, "mask",
                       "0x201", NULL);
        }
    }
}

static void test_vcnt(void **state)
{
    static const unsigned int bad[] = {9, 10, 16, 40, 0xff};
    struct xcx_mtrr_regs r;
    char what[64];

    for (unsigned int v = 0; v <= XCX_MTRR_VAR_MAX; v++) {
        good_regs(&r, 36);
        r.cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | v;
        snprintf(what, sizeof(what), "VCNT %u", v);
        expect_ok(what, &r, 36, 0xff);
        expect_ok(what, &r, 36, 0xffffffff);
        expect_ok(what, &r, 36, 1);
        expect_ok(what, &r, 36, 0);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        good_regs(&r, 36);
        r.cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | bad[i];
        snprintf(what, sizeof(what), "VCNT %u", bad[i]);
        /* Either MTRRcap's value or the count itself names it. */
        expect_bad(what, &r, 36, r.cap, bad[i], "cap", "vcnt", "0xfe");
    }
}

static void test_pairs_above_vcnt_ignored(void **state)
{
    struct xcx_mtrr_regs r;
    char what[64];

    for (unsigned int v = 0; v < XCX_MTRR_VAR_MAX; v++) {
        good_regs(&r, 36);
        r.cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | v;
        for (unsigned int i = v; i < XCX_MTRR_VAR_MAX; i++) {
            r.var[i].base = UINT64_MAX; /* type 0xff, reserved bits */
            r.var[i].mask = UINT64_MAX;
        }
        snprintf(what, sizeof(what), "garbage in pairs %u..7", v);
        expect_ok(what, &r, 36, 0xff);
    }
}

static void test_pat(void **state)
{
    static const unsigned int good[] = {0, 1, 4, 5, 6, 7};
    static const unsigned int bad[] = {2, 3, 8, 0x0f, 0x17, 0xff};
    struct xcx_mtrr_regs r;
    char what[64];

    for (unsigned int pos = 0; pos < 8; pos++) {
        for (unsigned int t = 0; t < ARRAY_SIZE(good); t++) {
            good_regs(&r, 36);
            r.pat = with_byte(r.pat, pos, good[t]);
            snprintf(what, sizeof(what), "PAT entry %u = %u", pos, good[t]);
            expect_ok(what, &r, 36, 0xff);
        }
        for (unsigned int t = 0; t < ARRAY_SIZE(bad); t++) {
            good_regs(&r, 36);
            r.pat = with_byte(r.pat, pos, bad[t]);
            snprintf(what, sizeof(what), "PAT entry %u = %u", pos, bad[t]);
            expect_bad(what, &r, 36, r.pat, r.pat, "pat", "0x277", NULL);
        }
    }
    good_regs(&r, 36);
    r.pat = UINT64_C(0x0707070707070707);
    expect_ok("PAT all UC-", &r, 36, 0xff);
}

static void test_errno_overwritten(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;

    /* A failure sets EINVAL whatever errno held before. */
    good_regs(&r, 36);
    r.def_type = 0xc02;
    errno = ENOMEM;
    assert_int_equal(xcx_mtrr_state_init(&st, &r, 36, 0xff, NULL), -1);
    assert_int_equal(errno, EINVAL);
}

/*
 * Re-validating a state's own registers in place (regs == &st->regs, an
 * ordinary call: nothing in the prototype forbids the aliasing) must keep
 * them.
 */
static void test_init_in_place(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;

    good_regs(&r, 36);
    assert_int_equal(xcx_mtrr_state_init(&st, &r, 36, 0xff, NULL), 0);
    st.regs.var[1].base = 0x80000006; /* edit: pair 1 becomes WB */
    assert_int_equal(xcx_mtrr_state_init(&st, &st.regs, 36, 0x3, NULL), 0);
    assert_int_equal(st.regs.def_type, r.def_type);
    assert_int_equal(st.regs.pat, r.pat);
    assert_int_equal(st.regs.var[0].mask, r.var[0].mask);
    assert_int_equal(st.regs.var[1].base, 0x80000006);
    assert_int_equal(st.var_known, 0x3);
}

static int report(void **state)
{
    print_message("state: %u register cases checked\n", nr_cases);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_widths),
        cmocka_unit_test(test_bad_widths),
        cmocka_unit_test(test_def_type),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_var_base),
        cmocka_unit_test(test_var_mask),
        cmocka_unit_test(test_width_bits),
        cmocka_unit_test(test_vcnt),
        cmocka_unit_test(test_pairs_above_vcnt_ignored),
        cmocka_unit_test(test_pat),
        cmocka_unit_test(test_errno_overwritten),
        cmocka_unit_test(test_init_in_place),
    };

    return cmocka_run_group_tests(tests, NULL, report);
}
