/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The committed sample contexts (tests/data/), as the tools will see them:
 * the Xen 4.17 save with pair 0 in every slot, and the same guest saved
 * by a Xen without that bug; and two real contexts, saved by the e2e suite
 * from its hvmloader guest (mmio_hole = 384, 2 vCPUs) on Debian 12's Xen
 * 4.17 and Debian 13's Xen 4.20, whose LAPIC records are 24 and 32 bytes.
 * Usage: test_sample DATADIR.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "xenctrl_ext.h"

static const char *data_dir;

/* The bytes of DATADIR/@name; *@len is their number. */
static uint8_t *read_sample(const char *name, long *len)
{
    char path[4096];
    uint8_t *buf;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", data_dir, name);
    f = fopen(path, "rb");
    if (!f)
        fail_msg("%s: cannot open", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    *len = ftell(f);
    assert_true(*len > 0);
    rewind(f);
    buf = malloc(*len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, *len, f), (size_t)*len);
    fclose(f);
    return buf;
}

static xcx_hvm_context *load(const char *name)
{
    long len;
    uint8_t *buf = read_sample(name, &len);
    xcx_hvm_context *ctx = xcx_hvm_context_parse(buf, len, NULL);

    if (!ctx)
        fail_msg("%s: parse failed, errno %d", name, errno);
    free(buf);
    return ctx;
}

struct point {
    uint64_t gpa;
    uint8_t type, origin;
    bool reliable;
    uint32_t pairs;
};

/* Each of @pts resolves on vCPU @v's @st as it says. */
static void check_points(const struct xcx_mtrr_state *st, unsigned int v,
                         const struct point *pts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct xcx_mtrr_result r;

        assert_int_equal(xcx_mtrr_resolve(st, pts[i].gpa, &r, NULL), 0);
        if (r.type != pts[i].type || r.origin != pts[i].origin ||
            r.reliable != pts[i].reliable || r.pairs != pts[i].pairs)
            fail_msg("vCPU %u at %#llx: type %u origin %u reliable %d "
                     "pairs %#x; want %u %u %d %#x",
                     v, (unsigned long long)pts[i].gpa, r.type, r.origin,
                     r.reliable, r.pairs, pts[i].type, pts[i].origin,
                     pts[i].reliable, pts[i].pairs);
    }
}

static void check(const xcx_hvm_context *ctx, uint32_t want_known,
                  const struct point *pts, size_t n)
{
    assert_int_equal(xcx_hvm_context_nr_vcpus(ctx), 2);
    assert_int_equal(xcx_hvm_context_width_hint(ctx), 36);
    for (unsigned int v = 0; v < 2; v++) {
        struct xcx_mtrr_state st;

        assert_int_equal(xcx_hvm_context_mtrr(ctx, v, 36, &st), 0);
        assert_int_equal(st.regs.def_type, 0xc06);
        assert_int_equal(st.regs.cap, 0x508);
        assert_int_equal(st.regs.pat, UINT64_C(0x0007040600070406));
        assert_int_equal(st.regs.fixed[1], UINT64_C(0x0606060606060606));
        assert_int_equal(st.regs.fixed[2], UINT64_C(0x0101010101010101));
        assert_int_equal(st.regs.var[0].base, 0xe8000000);
        assert_int_equal(st.regs.var[0].mask, UINT64_C(0xff8000800));
        assert_int_equal(st.var_known, want_known);
        check_points(&st, v, pts, n);
    }
}

static void test_xen417_sample(void **state)
{
    static const struct point pts[] = {
        {0x9ffff, XCX_MT_WB, XCX_ORIGIN_FIXED, true, 0},
        {0xa0000, XCX_MT_WC, XCX_ORIGIN_FIXED, true, 0},
        {0xbffff, XCX_MT_WC, XCX_ORIGIN_FIXED, true, 0},
        {0xc0000, XCX_MT_WB, XCX_ORIGIN_FIXED, true, 0},
        {0x100000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
        {0xe7ffffff, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
        /* Pair 0 and its seven copies: UC, known, so reliable. */
        {0xe8000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0xff},
        {0xefffffff, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0xff},
        /* Pair 1's range: the record cannot show it. */
        {0xf0000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
        {0xfee00000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
        {0x100000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
    };
    xcx_hvm_context *ctx = load("hvmloader-guest.hvmctx");

    check(ctx, 0x1, pts, ARRAY_SIZE(pts));
    xcx_hvm_context_free(ctx);
}

static void test_fixed_xen_sample(void **state)
{
    static const struct point pts[] = {
        {0xa0000, XCX_MT_WC, XCX_ORIGIN_FIXED, true, 0},
        {0x100000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, true, 0},
        {0xe7ffffff, XCX_MT_WB, XCX_ORIGIN_DEFAULT, true, 0},
        {0xe8000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0x1},
        {0xefffffff, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0x1},
        {0xf0000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0x2},
        {0xfee00000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0x2},
        {0x100000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, true, 0},
    };
    xcx_hvm_context *ctx = load("hvmloader-guest-fixed-xen.hvmctx");

    check(ctx, 0xff, pts, ARRAY_SIZE(pts));
    xcx_hvm_context_free(ctx);
}

/* Every LAPIC record (type 5) of a context has @want bytes; the walk
 * covers the file exactly, HEADER first, END last. */
static void check_lapic_records(const uint8_t *b, long len, uint32_t want)
{
    unsigned int lapics = 0;
    long off = 0;
    uint16_t code = 1;

    for (bool first = true; code && off + 8 <= len; first = false) {
        uint32_t length = b[off + 4] | b[off + 5] << 8 | b[off + 6] << 16 |
                          (uint32_t)b[off + 7] << 24;

        code = b[off] | b[off + 1] << 8;
        assert_true(!first || code == 1);
        if (code == 5) {
            assert_int_equal(length, want);
            lapics++;
        }
        off += 8 + length;
    }
    assert_int_equal(code, 0);
    assert_int_equal(off, len);
    assert_int_equal(lapics, 2);
}

/* A real hvmloader guest's context: what hvmloader programs (NOTES.md §1),
 * pair 0 in every slot, the guest's width 40 (QEMU's qemu64). */
static void check_real(const char *name, uint32_t lapic_len)
{
    static const struct point pts[] = {
        {0xa0000, XCX_MT_WC, XCX_ORIGIN_FIXED, true, 0},
        {0xc0000, XCX_MT_WB, XCX_ORIGIN_FIXED, true, 0},
        {0x100000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
        {0xe8000000, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0xff},
        {0xefffffff, XCX_MT_UC, XCX_ORIGIN_VARIABLE, true, 0xff},
        /* Pairs 1 and 2 of hvmloader: the record cannot show them. */
        {0xf0000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
        {0x100000000, XCX_MT_WB, XCX_ORIGIN_DEFAULT, false, 0},
    };
    long len;
    uint8_t *b = read_sample(name, &len);
    xcx_hvm_context *ctx = load(name);

    check_lapic_records(b, len, lapic_len);
    assert_int_equal(xcx_hvm_context_nr_vcpus(ctx), 2);
    assert_int_equal(xcx_hvm_context_width_hint(ctx), 40);
    for (unsigned int v = 0; v < 2; v++) {
        struct xcx_mtrr_state st;

        assert_int_equal(xcx_hvm_context_mtrr(ctx, v, 40, &st), 0);
        assert_int_equal(st.regs.def_type, 0xc06);
        assert_int_equal(st.regs.cap, 0x508);
        assert_int_equal(st.regs.pat, UINT64_C(0x0007040600070406));
        assert_int_equal(st.regs.var[0].base, 0xe8000000);
        assert_int_equal(st.regs.var[0].mask, UINT64_C(0xfff8000800));
        assert_int_equal(st.var_known, 0x1);
        check_points(&st, v, pts, ARRAY_SIZE(pts));
    }
    xcx_hvm_context_free(ctx);
    free(b);
}

static void test_real_xen417(void **state)
{
    check_real("hvmloader-guest-real-xen-4.17.hvmctx", 24);
}

static void test_real_xen420(void **state)
{
    check_real("hvmloader-guest-real-xen-4.20.hvmctx", 32);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xen417_sample),
        cmocka_unit_test(test_fixed_xen_sample),
        cmocka_unit_test(test_real_xen417),
        cmocka_unit_test(test_real_xen420),
    };

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATADIR\n", argv[0]);
        return 2;
    }
    data_dir = argv[1];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
