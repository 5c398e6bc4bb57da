/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mtrr_resolve: enable bits, fixed ranges, pairs, width, errors. */
#include "ctxbuild.h"
#include "unit.h"

static void make_state(struct xcx_mtrr_state *st,
                       const struct ctxb_regs_desc *d, uint32_t var_known)
{
    struct xcx_mtrr_regs r;
    unsigned int width = d->width ? d->width : 36;

    ctxb_regs_fill(&r, d);
    if (xcx_mtrr_state_init(st, &r, width, var_known, NULL))
        fail_msg("state rejected: errno %d", errno);
}

/* Resolve @gpa and compare with @want and with the reference model. */
static void expect(const struct xcx_mtrr_state *st, uint64_t gpa,
                   const struct xcx_mtrr_result *want)
{
    struct xcx_mtrr_result got, ref;

    memset(&got, 0xa5, sizeof(got));
    if (xcx_mtrr_resolve(st, gpa, &got, NULL))
        fail_msg("resolve %#llx failed: errno %d", (unsigned long long)gpa,
                 errno);
    assert_result_equal(&got, want, "resolve", gpa);
    assert_true(ref_resolve(st, gpa, &ref));
    assert_result_equal(&ref, want, "reference model", gpa);
}

#define RES(t, o, ov, rel, p)                                                  \
    (&(struct xcx_mtrr_result){.type = (t),                                    \
                               .origin = XCX_ORIGIN_##o,                       \
                               .overlap = XCX_OVERLAP_##ov,                    \
                               .reliable = (rel),                              \
                               .pairs = (p)})

static void test_disabled(void **state)
{
    struct xcx_mtrr_state st;
    static const uint64_t addrs[] = {0,
                                     0x9ffff,
                                     0xa0000,
                                     0xfffff,
                                     0x100000,
                                     0xc0000000,
                                     UINT64_C(0xfffffffff)};
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = false,
        .fe = true,
        .fixed_type = XCX_MT_WB,
        .var = {{.base = 0, .size = UINT64_C(1) << 36, .type = XCX_MT_WB},
                {.base = 0xc0000000, .size = 0x40000000, .type = XCX_MT_WT}},
    };

    /* E clear: everything UC, even with FE, fixed ranges and pairs. */
    for (uint32_t known = 0; known <= 0xff; known += 0xfe) {
        make_state(&st, &d, known);
        for (unsigned int i = 0; i < ARRAY_SIZE(addrs); i++)
            expect(&st, addrs[i], RES(XCX_MT_UC, DISABLED, NONE, true, 0));
    }
}

static void test_fe_clear(void **state)
{
    struct xcx_mtrr_state st;
    struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WT,
        .e = true,
        .fe = false,
        .fixed_type = XCX_MT_UC,
    };

    /* No pair: the default type, also below 1 MiB. */
    make_state(&st, &d, 0xff);
    expect(&st, 0, RES(XCX_MT_WT, DEFAULT, NONE, true, 0));
    expect(&st, 0xa0000, RES(XCX_MT_WT, DEFAULT, NONE, true, 0));
    expect(&st, 0xfffff, RES(XCX_MT_WT, DEFAULT, NONE, true, 0));

    /* A pair over the first MiB applies there, fixed ranges do not. */
    d.var[0] = (struct ctxb_var){.base = 0, .size = 0x80000, .type = XCX_MT_WC};
    make_state(&st, &d, 0xff);
    expect(&st, 0, RES(XCX_MT_WC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x7ffff, RES(XCX_MT_WC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x80000, RES(XCX_MT_WT, DEFAULT, NONE, true, 0));
}

/* First and last byte of each of the 88 sub-ranges, and 1 MiB. */
static void test_fixed_boundaries(void **state)
{
    static const struct {
        uint64_t start, size;
        unsigned int count;
    } blocks[] = {
        {0x00000, 0x10000, 8}, /* MSR 0x250 */
        {0x80000, 0x4000, 16}, /* MSRs 0x258, 0x259 */
        {0xc0000, 0x1000, 64}, /* MSRs 0x268..0x26f */
    };
    static const uint8_t types[] = {XCX_MT_WB, XCX_MT_UC, XCX_MT_WT, XCX_MT_WC,
                                    XCX_MT_WP};
    struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .fe = true,
        .var = {{.base = 0, .size = 0x200000, .type = XCX_MT_UC}},
    };
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    unsigned int index = 0;

    ctxb_regs_fill(&r, &d);
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES; i++)
        ctxb_set_fixed(&r, i, types[i % ARRAY_SIZE(types)]);
    /* Only pair 0 known: fixed results stay reliable regardless. */
    assert_int_equal(xcx_mtrr_state_init(&st, &r, 36, 0x1, NULL), 0);

    for (unsigned int b = 0; b < ARRAY_SIZE(blocks); b++) {
        for (unsigned int k = 0; k < blocks[b].count; k++, index++) {
            uint64_t first = blocks[b].start + k * blocks[b].size;
            uint64_t last = first + blocks[b].size - 1;
            struct xcx_mtrr_result want = {
                .type = types[index % ARRAY_SIZE(types)],
                .origin = XCX_ORIGIN_FIXED,
                .reliable = true,
                .fixed_index = (uint8_t)index,
            };

            expect(&st, first, &want);
            expect(&st, last, &want);
        }
    }
    assert_int_equal(index, XCX_MTRR_FIXED_SUBRANGES);
    /* 1 MiB is past the fixed ranges: pair 0 (UC, known) applies. */
    expect(&st, 0x100000, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x1fffff, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x200000, RES(XCX_MT_WB, DEFAULT, NONE, false, 0));
}

static void test_vcnt_limits_pairs(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_mtrr_regs r;
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .vcnt = 2,
        .var = {{.base = 0x80000000, .size = 0x10000000, .type = XCX_MT_UC},
                {.base = 0x90000000, .size = 0x10000000, .type = XCX_MT_WT},
                {.base = 0xa0000000, .size = 0x10000000, .type = XCX_MT_WC},
                {.base = 0x80000000, .size = 0x80000000, .type = XCX_MT_WP}},
    };

    make_state(&st, &d, 0xff);
    expect(&st, 0x80000000, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x90000000, RES(XCX_MT_WT, VARIABLE, NONE, true, 0x2));
    expect(&st, 0xa0000000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0xf0000000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));

    /* VCNT 0: no pair at all. */
    ctxb_regs_fill(&r, &d);
    r.cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX;
    assert_int_equal(xcx_mtrr_state_init(&st, &r, 36, 0xff, NULL), 0);
    expect(&st, 0x80000000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
}

static void test_invalid_pair_ignored(void **state)
{
    struct xcx_mtrr_state st;
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .var = {{.base = 0x80000000,
                 .mask = UINT64_C(0xff0000000),
                 .type = XCX_MT_UC},
                {.base = 0x90000000, .size = 0x10000000, .type = XCX_MT_WC}},
    };

    make_state(&st, &d, 0xff);
    expect(&st, 0x80000000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0x90000000, RES(XCX_MT_WC, VARIABLE, NONE, true, 0x2));
}

/* Overlaps: pairs in @slots with @types all containing 0x40000000. */
struct prec_case {
    const char *what;
    unsigned int n;
    uint8_t slots[3];
    uint8_t types[3];
    uint8_t want_type;
    uint8_t want_overlap;
};

/* Short names for the table below. */
#define UC    XCX_MT_UC
#define WC    XCX_MT_WC
#define WT    XCX_MT_WT
#define WP    XCX_MT_WP
#define WB    XCX_MT_WB
#define NONE  XCX_OVERLAP_NONE
#define SAME  XCX_OVERLAP_SAME
#define PREC  XCX_OVERLAP_PRECEDENCE
#define UNDEF XCX_OVERLAP_UNDEFINED

static const struct prec_case prec_cases[] = {
    {"one WC", 1, {0}, {WC}, WC, NONE},
    {"one WP in slot 7", 1, {7}, {WP}, WP, NONE},
    {"WB twice", 2, {0, 1}, {WB, WB}, WB, SAME},
    {"UC twice", 2, {2, 5}, {UC, UC}, UC, SAME},
    {"WC three times", 3, {0, 3, 7}, {WC, WC, WC}, WC, SAME},
    {"UC, WB", 2, {0, 1}, {UC, WB}, UC, PREC},
    {"WB, UC", 2, {0, 1}, {WB, UC}, UC, PREC},
    {"UC, WT", 2, {0, 1}, {UC, WT}, UC, PREC},
    {"WC, UC", 2, {0, 1}, {WC, UC}, UC, PREC},
    {"WP, UC", 2, {3, 4}, {WP, UC}, UC, PREC},
    {"WT, WB", 2, {0, 1}, {WT, WB}, WT, PREC},
    {"WB, WT", 2, {0, 1}, {WB, WT}, WT, PREC},
    {"WT, WB, WT", 3, {0, 1, 2}, {WT, WB, WT}, WT, PREC},
    {"UC, WT, WB", 3, {0, 1, 2}, {UC, WT, WB}, UC, PREC},
    {"WB, WT, UC", 3, {0, 1, 2}, {WB, WT, UC}, UC, PREC},
    {"UC, WC, WB", 3, {1, 4, 6}, {UC, WC, WB}, UC, PREC},
    {"WC, WB", 2, {0, 1}, {WC, WB}, WB, UNDEF},
    {"WB, WC", 2, {0, 1}, {WB, WC}, WC, UNDEF},
    {"WP, WT", 2, {0, 1}, {WP, WT}, WT, UNDEF},
    {"WT, WP", 2, {0, 1}, {WT, WP}, WP, UNDEF},
    {"WC, WT", 2, {2, 6}, {WC, WT}, WT, UNDEF},
    {"WP, WB", 2, {0, 7}, {WP, WB}, WB, UNDEF},
    {"WT, WB, WC: not only WT and WB", 3, {0, 1, 2}, {WT, WB, WC}, WC, UNDEF},
    {"WC, WT, WB: highest is WB", 3, {0, 1, 5}, {WC, WT, WB}, WB, UNDEF},
    {"WB, WC, WB", 3, {0, 1, 2}, {WB, WC, WB}, WB, UNDEF},
};

#undef UC
#undef WC
#undef WT
#undef WP
#undef WB
#undef NONE
#undef SAME
#undef PREC
#undef UNDEF

static void test_precedence(void **state)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(prec_cases); i++) {
        const struct prec_case *c = &prec_cases[i];
        struct ctxb_regs_desc d = {
            .def_type = XCX_MT_WB, .e = true, .fe = true};
        struct xcx_mtrr_state st;
        struct xcx_mtrr_result got, want = {
                                        .type = c->want_type,
                                        .origin = XCX_ORIGIN_VARIABLE,
                                        .overlap = c->want_overlap,
                                        .reliable = true,
                                    };

        for (unsigned int k = 0; k < c->n; k++) {
            /* Nested ranges of different sizes, all holding 1 GiB. */
            d.var[c->slots[k]] = (struct ctxb_var){
                .base = 0x40000000,
                .size = UINT64_C(0x40000000) >> (3 * k),
                .type = c->types[k],
            };
            want.pairs |= 1u << c->slots[k];
        }
        /* A WB pair elsewhere that does not match must not count. */
        for (unsigned int s = 0; s < XCX_MTRR_VAR_MAX; s++) {
            if (!(want.pairs & (1u << s))) {
                d.var[s] = (struct ctxb_var){
                    .base = 0x100000000, .size = 0x1000, .type = XCX_MT_UC};
                break;
            }
        }
        make_state(&st, &d, 0xff);
        assert_int_equal(xcx_mtrr_resolve(&st, 0x40000000, &got, NULL), 0);
        if (!ref_result_equal(&got, &want)) {
            char g[160], w[160];

            ref_result_format(g, sizeof(g), &got);
            ref_result_format(w, sizeof(w), &want);
            fail_msg("%s: got %s, want %s", c->what, g, w);
        }
        expect(&st, 0x40000000, &want);
    }
}

static void test_width_range(void **state)
{
    static const unsigned int widths[] = {32, 36, 39, 46, 52};
    struct xcx_mtrr_state st;
    struct xcx_mtrr_result res;
    struct caplog log;

    for (unsigned int i = 0; i < ARRAY_SIZE(widths); i++) {
        unsigned int w = widths[i];
        struct ctxb_regs_desc d = {
            .def_type = XCX_MT_WB,
            .e = true,
            .fe = true,
            .width = w,
            .var = {{.base = (UINT64_C(1) << w) - 0x1000,
                     .size = 0x1000,
                     .type = XCX_MT_UC}},
        };
        const uint64_t bad[] = {UINT64_C(1) << w, (UINT64_C(1) << w) + 1,
                                UINT64_C(1) << 63, UINT64_MAX};

        make_state(&st, &d, 0xff);
        expect(&st, (UINT64_C(1) << w) - 1,
               RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
        expect(&st, (UINT64_C(1) << w) - 0x1001,
               RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
        for (unsigned int k = 0; k < ARRAY_SIZE(bad); k++) {
            caplog_init(&log);
            errno = 0;
            assert_int_equal(
                xcx_mtrr_resolve(&st, bad[k], &res, caplog_logger(&log)), -1);
            assert_int_equal(errno, ERANGE);
            assert_int_equal(log.count, 1);
            assert_log_hex(&log, bad[k]);
            errno = 0;
            assert_int_equal(xcx_mtrr_resolve(&st, bad[k], &res, NULL), -1);
            assert_int_equal(errno, ERANGE);
        }
    }
}

/* Masks take part only from bit 12 up: a range is whole 4 KiB pages. */
static void test_low_bits_ignored(void **state)
{
    struct xcx_mtrr_state st;
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .var = {{.base = 0x12345000, .size = 0x1000, .type = XCX_MT_WC}},
    };

    make_state(&st, &d, 0xff);
    expect(&st, 0x12344fff, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0x12345000, RES(XCX_MT_WC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x12345abc, RES(XCX_MT_WC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x12345fff, RES(XCX_MT_WC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x12346000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
}

static void test_noncontiguous_masks(void **state)
{
    struct xcx_mtrr_state st;
    /* Bit 30 clear: 256 MiB at 0x80000000 and its alias at 0xc0000000. */
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .var =
            {
                {.base = 0x80000000,
                 .mask = UINT64_C(0xfb0000800),
                 .type = XCX_MT_UC},
                /* Bit 13 clear, bit 12 set: 0x100000 and 0x102000 only. */
                {.base = 0x100000,
                 .mask = UINT64_C(0xfffffd800),
                 .type = XCX_MT_WT},
            },
    };

    make_state(&st, &d, 0xff);
    expect(&st, 0x7fffffff, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0x80000000, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x8fffffff, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0x90000000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0xbfffffff, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0xc0000000, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0xcfffffff, RES(XCX_MT_UC, VARIABLE, NONE, true, 0x1));
    expect(&st, 0xd0000000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    /* Bits 32..35 still take part. */
    expect(&st, UINT64_C(0x880000000), RES(XCX_MT_WB, DEFAULT, NONE, true, 0));

    expect(&st, 0x0fffff, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0x100000, RES(XCX_MT_WT, VARIABLE, NONE, true, 0x2));
    expect(&st, 0x100fff, RES(XCX_MT_WT, VARIABLE, NONE, true, 0x2));
    expect(&st, 0x101000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
    expect(&st, 0x102000, RES(XCX_MT_WT, VARIABLE, NONE, true, 0x2));
    expect(&st, 0x102fff, RES(XCX_MT_WT, VARIABLE, NONE, true, 0x2));
    expect(&st, 0x103000, RES(XCX_MT_WB, DEFAULT, NONE, true, 0));
}

/* A range with the valid bit only: the mask is 0, every address matches. */
static void test_whole_space_pair(void **state)
{
    struct xcx_mtrr_state st;
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_UC,
        .e = true,
        .width = 40,
        .var = {{.base = 0, .mask = 0x800, .type = XCX_MT_WB}},
    };

    make_state(&st, &d, 0xff);
    expect(&st, 0, RES(XCX_MT_WB, VARIABLE, NONE, true, 0x1));
    expect(&st, UINT64_C(0xffffffffff),
           RES(XCX_MT_WB, VARIABLE, NONE, true, 0x1));
}

/*
 * A state edited after xcx_mtrr_state_init() (it is a plain struct) must
 * not make resolve misbehave: either EINVAL, or a real memory type.
 */
static void test_edited_state(void **state)
{
    static const uint64_t bad_base[] = {0xc0000002, 0xc0000020, 0xc00000ff};
    struct xcx_mtrr_state st;
    struct xcx_mtrr_result res;
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .var = {{.base = 0xc0000000, .size = 0x40000000, .type = XCX_MT_UC},
                {.base = 0xc0000000, .size = 0x1000, .type = XCX_MT_WB}},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_base); i++) {
        int rc;

        make_state(&st, &d, 0xff);
        st.regs.var[1].base = bad_base[i];
        errno = 0;
        rc = xcx_mtrr_resolve(&st, 0xc0000000, &res, NULL);
        if (rc == 0 && !xcx_mem_type_name(res.type))
            fail_msg("base %#llx: resolve gave type %#x",
                     (unsigned long long)bad_base[i], res.type);
        if (rc != 0 && errno != EINVAL)
            fail_msg("base %#llx: errno %d", (unsigned long long)bad_base[i],
                     errno);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_fe_clear),
        cmocka_unit_test(test_fixed_boundaries),
        cmocka_unit_test(test_vcnt_limits_pairs),
        cmocka_unit_test(test_invalid_pair_ignored),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_width_range),
        cmocka_unit_test(test_low_bits_ignored),
        cmocka_unit_test(test_noncontiguous_masks),
        cmocka_unit_test(test_whole_space_pair),
        cmocka_unit_test(test_edited_state),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
