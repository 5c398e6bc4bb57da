/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_mtrr_resolve: the reliable flag and the pairs bitmask. */
#include "ctxbuild.h"
#include "unit.h"

/*
 * One guest as Xen's save shows it: pair 0 in every slot. Pair 0 is the
 * only known pair unless the case says otherwise.
 */
struct rel_case {
    const char *what;
    unsigned int vcnt; /* 0: 8 */
    uint32_t var_known;
    bool e, fe;
    uint8_t pair0_type;
    bool copies;    /* pair 0 in every slot (else slots 1.. zero) */
    int extra_slot; /* another matching pair, -1: none */
    uint8_t extra_type;
    uint64_t gpa;
    uint8_t want_type;
    uint8_t want_origin;
    uint8_t want_overlap;
    bool want_reliable;
    uint32_t want_pairs;
};

/* Pair 0 (and copies) covers [0x80000000, 0xc0000000); default WB. */
static const struct rel_case cases[] = {
    {"all known, default", 8, 0xff, true, true, XCX_MT_WC, false, -1, 0,
     0x40000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, true, 0},
    {"all known, variable", 8, 0xff, true, true, XCX_MT_WC, false, -1, 0,
     0x80000000, XCX_MT_WC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_NONE, true, 1},
    {"unknown pairs: default unreliable", 8, 0x1, true, true, XCX_MT_WC, false,
     -1, 0, 0x40000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, false,
     0},
    {"unknown pairs: WC match unreliable", 8, 0x1, true, true, XCX_MT_WC, false,
     -1, 0, 0x80000000, XCX_MT_WC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_NONE, false,
     1},
    {"unknown pairs: known UC match reliable", 8, 0x1, true, true, XCX_MT_UC,
     false, -1, 0, 0x80000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_NONE,
     true, 1},
    {"copies of a UC pair: same, reliable", 8, 0x1, true, true, XCX_MT_UC, true,
     -1, 0, 0x80000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_SAME, true,
     0xff},
    {"copies of a WB pair: same, unreliable", 8, 0x1, true, true, XCX_MT_WB,
     true, -1, 0, 0x80000000, XCX_MT_WB, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_SAME,
     false, 0xff},
    {"copies, default outside", 8, 0x1, true, true, XCX_MT_UC, true, -1, 0,
     0xc0000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, false, 0},
    {"UC only in an unknown pair: unreliable", 8, 0x1, true, true, XCX_MT_WB,
     false, 3, XCX_MT_UC, 0x80000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE,
     XCX_OVERLAP_PRECEDENCE, false, 0x9},
    {"UC in a known pair 3", 8, 0x9, true, true, XCX_MT_WB, false, 3, XCX_MT_UC,
     0x80000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_PRECEDENCE, true,
     0x9},
    {"WT+WB, one unknown: unreliable", 8, 0xf7, true, true, XCX_MT_WB, false, 3,
     XCX_MT_WT, 0x80000000, XCX_MT_WT, XCX_ORIGIN_VARIABLE,
     XCX_OVERLAP_PRECEDENCE, false, 0x9},
    {"undefined overlap, all known", 8, 0xff, true, true, XCX_MT_WB, false, 6,
     XCX_MT_WC, 0x80000000, XCX_MT_WC, XCX_ORIGIN_VARIABLE,
     XCX_OVERLAP_UNDEFINED, true, 0x41},
    {"fixed stays reliable", 8, 0x1, true, true, XCX_MT_WC, true, -1, 0,
     0x9ffff, XCX_MT_WB, XCX_ORIGIN_FIXED, XCX_OVERLAP_NONE, true, 0},
    {"disabled stays reliable", 8, 0x1, false, true, XCX_MT_WC, true, -1, 0,
     0x40000000, XCX_MT_UC, XCX_ORIGIN_DISABLED, XCX_OVERLAP_NONE, true, 0},
    {"FE clear below 1 MiB: default, unreliable", 8, 0x1, true, false,
     XCX_MT_WC, true, -1, 0, 0x9ffff, XCX_MT_WB, XCX_ORIGIN_DEFAULT,
     XCX_OVERLAP_NONE, false, 0},
    {"VCNT 1: pair 0 is all there is", 1, 0x1, true, true, XCX_MT_WC, true, -1,
     0, 0x40000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, true, 0},
    {"VCNT 1: copies above VCNT ignored", 1, 0x1, true, true, XCX_MT_WC, true,
     -1, 0, 0x80000000, XCX_MT_WC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_NONE, true,
     0x1},
    {"VCNT 3: pairs 0..2 known", 3, 0x7, true, true, XCX_MT_WB, true, -1, 0,
     0x40000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, true, 0},
    {"VCNT 3: copies match 3 slots", 3, 0x1, true, true, XCX_MT_WB, true, -1, 0,
     0x80000000, XCX_MT_WB, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_SAME, false, 0x7},
    {"known bits above VCNT do not help", 3, 0xf9, true, true, XCX_MT_WB, false,
     -1, 0, 0x40000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, false,
     0},
    {"nothing known, default", 8, 0x0, true, true, XCX_MT_UC, false, -1, 0,
     0x40000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, XCX_OVERLAP_NONE, false, 0},
    {"nothing known, UC match", 8, 0x0, true, true, XCX_MT_UC, false, -1, 0,
     0x80000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, XCX_OVERLAP_NONE, false, 0x1},
};

static void test_reliability_table(void **state)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct rel_case *c = &cases[i];
        struct ctxb_regs_desc d = {
            .def_type = XCX_MT_WB,
            .e = c->e,
            .fe = c->fe,
            .vcnt = c->vcnt,
            .fixed_type = XCX_MT_WB,
            .var = {{.base = 0x80000000,
                     .size = 0x40000000,
                     .type = c->pair0_type}},
        };
        struct xcx_mtrr_regs r;
        struct xcx_mtrr_state st;
        struct xcx_mtrr_result got, ref,
            want = {
                .type = c->want_type,
                .origin = c->want_origin,
                .overlap = c->want_overlap,
                .reliable = c->want_reliable,
                .pairs = c->want_pairs,
                .fixed_index = c->want_origin == XCX_ORIGIN_FIXED
                                   ? 8 + (0x9ffff - 0x80000) / 0x4000
                                   : 0,
            };
        char g[160], w[160];

        if (c->extra_slot >= 0)
            d.var[c->extra_slot] = (struct ctxb_var){
                .base = 0x80000000, .size = 0x1000000, .type = c->extra_type};
        ctxb_regs_fill(&r, &d);
        if (c->copies)
            ctxb_copy_pair0(&r);
        if (xcx_mtrr_state_init(&st, &r, 36, c->var_known, NULL))
            fail_msg("%s: state rejected", c->what);
        if (xcx_mtrr_resolve(&st, c->gpa, &got, NULL))
            fail_msg("%s: resolve failed, errno %d", c->what, errno);
        ref_result_format(g, sizeof(g), &got);
        ref_result_format(w, sizeof(w), &want);
        if (!ref_result_equal(&got, &want))
            fail_msg("%s: got %s, want %s", c->what, g, w);
        assert_true(ref_resolve(&st, c->gpa, &ref));
        if (!ref_result_equal(&ref, &want)) {
            ref_result_format(g, sizeof(g), &ref);
            fail_msg("%s: reference model %s, want %s", c->what, g, w);
        }
    }
}

/* The pairs bitmask names exactly the matching pairs, in any slots. */
static void test_pairs_bitmask(void **state)
{
    struct ctxb_regs_desc d = {.def_type = XCX_MT_WB, .e = true};
    struct xcx_mtrr_state st;
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_result res;

    for (uint32_t set = 0; set < 256; set++) {
        memset(d.var, 0, sizeof(d.var));
        for (unsigned int s = 0; s < XCX_MTRR_VAR_MAX; s++) {
            /* Matching pairs hold 0x20000000; the others lie elsewhere. */
            if (set & (1u << s))
                d.var[s] = (struct ctxb_var){.base = 0x20000000,
                                             .size = UINT64_C(0x1000) << s,
                                             .type = XCX_MT_WT};
            else
                d.var[s] = (struct ctxb_var){.base = 0x30000000 + 0x1000 * s,
                                             .size = 0x1000,
                                             .type = XCX_MT_UC};
        }
        ctxb_regs_fill(&r, &d);
        assert_int_equal(xcx_mtrr_state_init(&st, &r, 36, 0xff, NULL), 0);
        assert_int_equal(xcx_mtrr_resolve(&st, 0x20000000, &res, NULL), 0);
        if (res.pairs != set)
            fail_msg("pairs %#x, want %#x", res.pairs, set);
        assert_int_equal(res.type, set ? XCX_MT_WT : XCX_MT_WB);
        assert_int_equal(res.origin,
                         set ? XCX_ORIGIN_VARIABLE : XCX_ORIGIN_DEFAULT);
        assert_int_equal(res.overlap, (set & (set - 1)) ? XCX_OVERLAP_SAME
                                                        : XCX_OVERLAP_NONE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reliability_table),
        cmocka_unit_test(test_pairs_bitmask),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
