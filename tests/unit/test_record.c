/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mtrr_record_decode: layout, length, validation, var_known. */
#include <stdio.h>

#include "ctxbuild.h"
#include "unit.h"

/* ctxb_regs_default() with pair 0 UC over [0xf0000000, 4 GiB) instead. */
static void base_regs(struct xcx_mtrr_regs *r)
{
    ctxb_regs_default(r);
    ctxb_set_var(r, 0, 0xf0000000, 0x10000000, XCX_MT_UC,
                 XCX_MAXPHYSADDR_DEFAULT);
}

static int decode(struct xcx_mtrr_state *st, const struct xcx_mtrr_regs *r,
                  unsigned int width, struct caplog *log)
{
    uint8_t rec[XCX_MTRR_RECORD_SIZE];

    ctxb_record_encode(r, rec);
    errno = 0;
    return xcx_mtrr_record_decode(st, rec, sizeof(rec), width,
                                  log ? caplog_logger(log) : NULL);
}

/* Eleven distinct valid fixed-range values: one WT or WP byte each. */
static uint64_t fixed_value(unsigned int i)
{
    unsigned int type = i < 8 ? XCX_MT_WT : XCX_MT_WP;

    return (UINT64_C(0x0606060606060606) & ~(UINT64_C(0xff) << (8 * (i % 8)))) |
           ((uint64_t)type << (8 * (i % 8)));
}

/* A record written byte by byte, independent of ctxb_record_encode(). */
static void test_layout(void **state)
{
    uint8_t rec[XCX_MTRR_RECORD_SIZE];
    struct xcx_mtrr_state st;
    static const uint8_t pat[8] = {6, 4, 7, 0, 6, 4, 7, 1};

    memset(rec, 0, sizeof(rec));
    memcpy(rec, pat, sizeof(pat));
    ctxb_le_store(rec + 8, 0xf0000000, 8);              /* var[0].base */
    ctxb_le_store(rec + 16, UINT64_C(0xff0000800), 8);  /* var[0].mask */
    ctxb_le_store(rec + 24, 0xe8000006, 8);             /* var[1].base */
    ctxb_le_store(rec + 32, UINT64_C(0xff8000800), 8);  /* var[1].mask */
    ctxb_le_store(rec + 120, 0x1004, 8);                /* var[7].base */
    ctxb_le_store(rec + 128, UINT64_C(0xffffff800), 8); /* var[7].mask */
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        ctxb_le_store(rec + 136 + 8 * i, fixed_value(i), 8);
    ctxb_le_store(rec + 224, 0x508, 8);
    ctxb_le_store(rec + 232, 0xc00, 8);

    assert_int_equal(xcx_mtrr_record_decode(&st, rec, sizeof(rec), 36, NULL),
                     0);
    assert_int_equal(st.regs.pat, UINT64_C(0x0107040600070406));
    assert_int_equal(st.regs.var[0].base, 0xf0000000);
    assert_int_equal(st.regs.var[0].mask, UINT64_C(0xff0000800));
    assert_int_equal(st.regs.var[1].base, 0xe8000006);
    assert_int_equal(st.regs.var[1].mask, UINT64_C(0xff8000800));
    assert_int_equal(st.regs.var[7].base, 0x1004);
    assert_int_equal(st.regs.var[7].mask, UINT64_C(0xffffff800));
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        assert_int_equal(st.regs.fixed[i], fixed_value(i));
    assert_int_equal(st.regs.cap, 0x508);
    assert_int_equal(st.regs.def_type, 0xc00);
    assert_int_equal(st.vcnt, 8);
    assert_int_equal(st.maxphysaddr, 36);
    assert_int_equal(st.var_known, 0xff);
}

/* The record need not be aligned. */
static void test_unaligned(void **state)
{
    uint8_t buf[XCX_MTRR_RECORD_SIZE + 1];
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;

    base_regs(&r);
    ctxb_record_encode(&r, buf + 1);
    assert_int_equal(
        xcx_mtrr_record_decode(&st, buf + 1, XCX_MTRR_RECORD_SIZE, 36, NULL),
        0);
    assert_int_equal(st.regs.var[0].mask, r.var[0].mask);
    assert_int_equal(st.regs.def_type, 0xc06);
}

static void test_lengths(void **state)
{
    static const size_t bad[] = {0, 1, 8, 232, 239, 241, 248, 480};
    uint8_t rec[2 * XCX_MTRR_RECORD_SIZE];
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    struct caplog log;

    base_regs(&r);
    memset(rec, 0, sizeof(rec));
    ctxb_record_encode(&r, rec);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        caplog_init(&log);
        errno = 0;
        assert_int_equal(
            xcx_mtrr_record_decode(&st, rec, bad[i], 36, caplog_logger(&log)),
            -1);
        assert_int_equal(errno, EINVAL);
        assert_int_equal(log.count, 1);
        assert_log_number(&log, bad[i]);
    }
}

/* Validation is that of xcx_mtrr_state_init(): a few of each kind. */
static void test_invalid_fields(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    struct caplog log;

    struct {
        const char *what;
        unsigned int field; /* 0 def, 1 fixed[3], 2 base 0, 3 mask 0, ... */
        uint64_t value;
        const char *name;
    } cases[] = {
        {"def type 2", 0, 0xc02, "def"},
        {"def reserved bit 12", 0, 0x1c06, "def"},
        {"fixed type 3", 1, UINT64_C(0x0606060606030606), "fix"},
        {"base type 7", 2, 0xf0000007, "base"},
        {"base bit 8", 2, 0xf0000100, "base"},
        {"mask bit 0", 3, UINT64_C(0xff0000801), "mask"},
        {"mask bit 36", 3, UINT64_C(0x1ff0000800), "mask"},
        {"VCNT 9", 4, 0x509, "cap"},
        {"PAT entry 8", 5, UINT64_C(0x0807040600070406), "pat"},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        base_regs(&r);
        switch (cases[i].field) {
        case 0:
            r.def_type = cases[i].value;
            break;
        case 1:
            r.fixed[3] = cases[i].value;
            break;
        case 2:
            r.var[0].base = cases[i].value;
            break;
        case 3:
            r.var[0].mask = cases[i].value;
            break;
        case 4:
            r.cap = cases[i].value;
            break;
        default:
            r.pat = cases[i].value;
            break;
        }
        caplog_init(&log);
        if (decode(&st, &r, 36, &log) != -1 || errno != EINVAL)
            fail_msg("%s: accepted or wrong errno %d", cases[i].what, errno);
        assert_int_equal(log.count, 1);
        if (!caplog_has_hex(&log, cases[i].value) &&
            !(cases[i].field == 4 && caplog_has_number(&log, 9)))
            fail_msg("%s: \"%s\" lacks %#llx", cases[i].what, log.last,
                     (unsigned long long)cases[i].value);
        assert_log_mentions(&log, cases[i].name);
    }
}

static void test_width_param(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    struct caplog log;

    base_regs(&r);
    ctxb_set_var(&r, 1, UINT64_C(0x2000000000), 0x40000000, XCX_MT_WB, 46);
    caplog_init(&log);
    assert_int_equal(decode(&st, &r, 36, &log), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(decode(&st, &r, 45, NULL), -1);
    assert_int_equal(decode(&st, &r, 46, NULL), 0);
    assert_int_equal(st.maxphysaddr, 46);
    assert_int_equal(decode(&st, &r, 52, NULL), 0);
    caplog_init(&log);
    assert_int_equal(decode(&st, &r, 53, &log), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&log, 53);
    assert_int_equal(decode(&st, &r, 31, NULL), -1);
    assert_int_equal(errno, EINVAL);
}

/* var_known inference: a table of records and the expected bitmask. */
struct known_case {
    const char *what;
    unsigned int vcnt;
    int differ;         /* slot that differs from slot 0, -1: none */
    unsigned int how;   /* 0 base address, 1 base type, 2 mask, 3 zero */
    bool garbage_above; /* invalid values in slots >= VCNT */
    uint32_t want;
};

static const struct known_case known_cases[] = {
    {"all slots equal", 8, -1, 0, false, 0x01},
    {"slot 1 differs", 8, 1, 0, false, 0xff},
    {"slot 2 differs", 8, 2, 0, false, 0xff},
    {"slot 3 differs", 8, 3, 2, false, 0xff},
    {"slot 4 differs", 8, 4, 0, false, 0xff},
    {"slot 5 differs in type", 8, 5, 1, false, 0xff},
    {"slot 6 differs in mask", 8, 6, 2, false, 0xff},
    {"slot 7 is zero", 8, 7, 3, false, 0xff},
    {"VCNT 4, all equal", 4, -1, 0, false, 0x01},
    {"VCNT 4, slot 3 differs", 4, 3, 0, false, 0x0f},
    {"VCNT 4, slot 4 differs", 4, 4, 0, false, 0x01},
    {"VCNT 4, slot 7 differs", 4, 7, 2, false, 0x01},
    {"VCNT 4, garbage above", 4, -1, 0, true, 0x01},
    {"VCNT 4, slot 1 differs, garbage", 4, 1, 0, true, 0x0f},
    {"VCNT 2, slot 1 differs", 2, 1, 1, false, 0x03},
    {"VCNT 1", 1, -1, 0, false, 0x01},
    {"VCNT 1, slot 1 differs", 1, 1, 0, false, 0x01},
    {"VCNT 1, garbage above", 1, -1, 0, true, 0x01},
    {"VCNT 0", 0, -1, 0, false, 0x00},
    {"VCNT 0, garbage", 0, -1, 0, true, 0x00},
};

static void test_var_known(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;

    for (unsigned int i = 0; i < ARRAY_SIZE(known_cases); i++) {
        const struct known_case *c = &known_cases[i];

        base_regs(&r);
        r.cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | c->vcnt;
        ctxb_copy_pair0(&r);
        if (c->differ >= 0) {
            switch (c->how) {
            case 0:
                r.var[c->differ].base = 0xe0000000;
                break;
            case 1:
                r.var[c->differ].base = 0xf0000006;
                break;
            case 2:
                r.var[c->differ].mask = UINT64_C(0xff8000800);
                break;
            default:
                r.var[c->differ].base = 0;
                r.var[c->differ].mask = 0;
                break;
            }
        }
        if (c->garbage_above)
            for (unsigned int j = c->vcnt; j < XCX_MTRR_VAR_MAX; j++)
                r.var[j].base = r.var[j].mask = UINT64_MAX;
        if (decode(&st, &r, 36, NULL) != 0)
            fail_msg("%s: rejected, errno %d", c->what, errno);
        if (st.var_known != c->want)
            fail_msg("%s: var_known %#x, want %#x", c->what, st.var_known,
                     c->want);
        assert_int_equal(st.vcnt, c->vcnt);
    }
}

/* Zero pairs everywhere (a guest without variable ranges) look copied. */
static void test_var_known_zero_pairs(void **state)
{
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;

    base_regs(&r);
    memset(r.var, 0, sizeof(r.var));
    assert_int_equal(decode(&st, &r, 36, NULL), 0);
    assert_int_equal(st.var_known, 0x01);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_unaligned),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_invalid_fields),
        cmocka_unit_test(test_width_param),
        cmocka_unit_test(test_var_known),
        cmocka_unit_test(test_var_known_zero_pairs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
