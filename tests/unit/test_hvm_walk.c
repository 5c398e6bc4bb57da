/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HVM/PVH walker on synthetic guests in every paging mode: the CPU
 * record, the mode, leaves of every size, the PAT bit's place per level,
 * effective rights, reserved bits and hostile tables.
 */
#include <stdint.h>
#include <stdio.h>

#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/hvm/save.h>

#include "ctxbuild.h"
#include "hvmbuild.h"
#include "unit.h"

#define RWUS (UINT64_C(0x6))
#define PWT  UINT64_C(0x8)
#define PCD  UINT64_C(0x10)
#define PAT4 UINT64_C(0x80)
#define PATL UINT64_C(0x1000)
#define NX   (UINT64_C(1) << 63)
#define SZ2M (UINT64_C(1) << 21)
#define SZ1G (UINT64_C(1) << 30)

static const unsigned int levels_of[] = {0, 2, 3, 4, 5};

struct fix {
    struct hvb b;
    struct xcx_hvm_guest g;
    struct caplog log;
};

static void fix_init(struct fix *f, enum xcx_paging_mode mode)
{
    hvb_init(&f->b, mode);
    hvb_guest(&f->b, &f->g);
    caplog_init(&f->log);
}

static int walk(struct fix *f, uint64_t va, struct xcx_hvm_walk *w)
{
    hvb_reset_reads(&f->b);
    return xcx_hvm_walk(&f->g, &f->b.cpu, va, w, caplog_logger(&f->log));
}

static void walk_ok(struct fix *f, uint64_t va, struct xcx_hvm_walk *w)
{
    if (walk(f, va, w))
        fail_msg("walk of %#llx failed: %s (%s)", (unsigned long long)va,
                 strerror(errno), f->log.last);
    assert_true(f->b.reads <= levels_of[f->b.mode]);
}

static void walk_einval(struct fix *f, uint64_t va, uint64_t named)
{
    struct xcx_hvm_walk w;

    errno = 0;
    assert_int_equal(walk(f, va, &w), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_hex(&f->log, named);
}

/* A VA in the lower and one in the upper part of each mode's space. */
static uint64_t va_of(enum xcx_paging_mode mode, bool high)
{
    if (mode == XCX_PGMODE_5LEVEL)
        return high ? UINT64_C(0xff12345678123000)
                    : UINT64_C(0x00f1234567812000);
    if (mode == XCX_PGMODE_4LEVEL)
        return high ? UINT64_C(0xffffffff81234000)
                    : UINT64_C(0x00007f1234567000);
    return high ? UINT64_C(0xc1234000) : UINT64_C(0x08049000);
}

static void test_cpu_record(void **state)
{
    struct hvm_hw_cpu rec;
    struct xcx_hvm_cpu cpu;
    struct caplog log;

    (void)state;
    caplog_init(&log);
    memset(&rec, 0xa5, sizeof(rec));
    rec.cr0 = 0x80050033;
    rec.cr3 = 0x1234000;
    rec.cr4 = 0x3406f0;
    rec.msr_efer = 0xd01;
    assert_int_equal(
        xcx_hvm_cpu_from_record(&rec, sizeof(rec), &cpu, caplog_logger(&log)),
        0);
    assert_int_equal(cpu.cr0, 0x80050033);
    assert_int_equal(cpu.cr3, 0x1234000);
    assert_int_equal(cpu.cr4, 0x3406f0);
    assert_int_equal(cpu.efer, 0xd01);
    assert_true(cpu.efer_known);
    /* The pre-4.7 length is enough; shorter is refused, naming it. */
    assert_int_equal(xcx_hvm_cpu_from_record(&rec, 1024, &cpu, NULL), 0);
    errno = 0;
    assert_int_equal(
        xcx_hvm_cpu_from_record(&rec, 1023, &cpu, caplog_logger(&log)), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&log, 1023);
    assert_int_equal(xcx_hvm_cpu_from_record(NULL, 2000, &cpu, NULL), -1);
}

/* A whole context: CPU records by instance, odd records skipped. */
static void test_context_cpu(void **state)
{
    struct ctxb_blob blob = {0};
    struct xcx_mtrr_regs regs;
    struct hvm_hw_cpu rec;
    struct xcx_hvm_cpu cpu;
    xcx_hvm_context *ctx;
    uint8_t odd[13] = {0};

    (void)state;
    ctxb_regs_default(&regs);
    ctxb_put_header(&blob, 0x54381286);
    for (uint16_t v = 0; v < 2; v++) {
        memset(&rec, 0, sizeof(rec));
        rec.cr0 = 0x80000011;
        rec.cr3 = 0x1000 * (v + 1);
        rec.cr4 = 0x20;
        rec.msr_efer = 0x500;
        ctxb_put_record(&blob, 2, v, sizeof(rec), &rec, sizeof(rec));
        ctxb_put_record(&blob, 5, v, sizeof(odd), odd, sizeof(odd));
        ctxb_put_mtrr(&blob, v, &regs);
    }
    ctxb_put_end(&blob);
    ctx = xcx_hvm_context_parse(blob.data, blob.len, NULL);
    assert_non_null(ctx);
    assert_int_equal(xcx_hvm_context_cpu(ctx, 1, &cpu), 0);
    assert_int_equal(cpu.cr3, 0x2000);
    assert_int_equal(cpu.efer, 0x500);
    errno = 0;
    assert_int_equal(xcx_hvm_context_cpu(ctx, 2, &cpu), -1);
    assert_int_equal(errno, ENOENT);
    xcx_hvm_context_free(ctx);
    ctxb_blob_free(&blob);

    /* A short CPU record, and one for a vCPU without MTRRs. */
    for (int bad = 0; bad < 2; bad++) {
        struct ctxb_blob b2 = {0};

        ctxb_put_header(&b2, 0x54381286);
        ctxb_put_record(&b2, 2, bad ? 1 : 0, bad ? sizeof(rec) : 1000, &rec,
                        bad ? sizeof(rec) : 1000);
        ctxb_put_mtrr(&b2, 0, &regs);
        ctxb_put_end(&b2);
        errno = 0;
        assert_null(xcx_hvm_context_parse(b2.data, b2.len, NULL));
        assert_int_equal(errno, EINVAL);
        ctxb_blob_free(&b2);
    }
}

static void test_modes(void **state)
{
    struct {
        uint64_t cr0, cr4, efer;
        bool known;
        int rc, err;
        enum xcx_paging_mode mode;
    } cases[] = {
        {0x11, 0, 0, true, 0, 0, XCX_PGMODE_OFF},
        {0x11, 0x20, 0, false, 0, 0, XCX_PGMODE_OFF},
        {0x80000011, 0, 0, false, 0, 0, XCX_PGMODE_32BIT},
        {0x80000011, 0x10, 0x800, true, 0, 0, XCX_PGMODE_32BIT},
        {0x80000011, 0x20, 0, true, 0, 0, XCX_PGMODE_PAE},
        {0x80000011, 0x20, 0x100, true, 0, 0, XCX_PGMODE_PAE}, /* LME only */
        {0x80000011, 0x20, 0x500, true, 0, 0, XCX_PGMODE_4LEVEL},
        {0x80000011, 0x1020, 0x500, true, 0, 0, XCX_PGMODE_5LEVEL},
        {0x80000011, 0x20, 0, false, -1, ENODATA, 0},
        {0x80000010, 0, 0, true, -1, EINVAL, 0},     /* PG without PE */
        {0x80000011, 0, 0x500, true, -1, EINVAL, 0}, /* LMA without PAE */
        {0x11, 0x20, 0x500, true, -1, EINVAL, 0},    /* LMA without PG */
    };

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct xcx_hvm_cpu cpu = {cases[i].cr0, 0, cases[i].cr4, cases[i].efer,
                                  cases[i].known};
        enum xcx_paging_mode mode = 99;

        errno = 0;
        if (xcx_hvm_paging_mode(&cpu, &mode, NULL) != cases[i].rc)
            fail_msg("case %u: rc", i);
        if (cases[i].rc)
            assert_int_equal(errno, cases[i].err);
        else
            assert_int_equal(mode, cases[i].mode);
    }
    assert_string_equal(xcx_paging_mode_name(XCX_PGMODE_5LEVEL), "5-level");
    assert_string_equal(xcx_paging_mode_name(XCX_PGMODE_OFF), "off");
    assert_null(xcx_paging_mode_name(5));
}

/* Every PAT index at 4 KiB in every mode, low and high VAs. */
static void test_4k_pat(void **state)
{
    (void)state;
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        for (unsigned int idx = 0; idx < 8; idx++) {
            struct fix f;
            struct xcx_hvm_walk w;
            uint64_t va = va_of(mode, idx & 1) + 0x123;
            uint64_t bits = RWUS | (idx & 4 ? PAT4 : 0) | (idx & 2 ? PCD : 0) |
                            (idx & 1 ? PWT : 0);

            fix_init(&f, mode);
            hvb_map(&f.b, va & ~UINT64_C(0xfff), 0x345000, 4096, bits);
            walk_ok(&f, va, &w);
            assert_true(w.mapped);
            assert_int_equal(w.mode, mode);
            assert_int_equal(w.nr_levels, levels_of[mode]);
            assert_int_equal(w.gpa, 0x345123);
            assert_int_equal(w.page_size, 4096);
            assert_true(w.pat_used);
            assert_int_equal(w.pat_index, idx);
            assert_true(w.writable && w.user && !w.nx);
            assert_int_equal(w.levels[w.nr_levels - 1].level, 1);
            assert_false(w.levels[w.nr_levels - 1].flags & XCX_PTE_PSE);
            assert_int_equal(w.levels[0].table_gpa, hvb_root(&f.b));
            hvb_free(&f.b);
        }
    }
}

struct large_case {
    enum xcx_paging_mode mode;
    uint64_t size;
    uint64_t gpa;
};

/* Large leaves: the PAT bit is bit 12, and 4 MiB pages carry PSE-36. */
static void test_large(void **state)
{
    static const struct large_case cases[] = {
        {XCX_PGMODE_32BIT, HVB_SZ_4M, UINT64_C(0x12c00000)},
        {XCX_PGMODE_32BIT, HVB_SZ_4M, UINT64_C(0xab12c00000)}, /* > 4 GiB */
        {XCX_PGMODE_PAE, SZ2M, UINT64_C(0x1234600000)},
        {XCX_PGMODE_4LEVEL, SZ2M, UINT64_C(0x40000000)},
        {XCX_PGMODE_4LEVEL, SZ1G, UINT64_C(0x3c0000000)},
        {XCX_PGMODE_5LEVEL, SZ2M, UINT64_C(0x600000)},
        {XCX_PGMODE_5LEVEL, SZ1G, UINT64_C(0xfc0000000)},
    };

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        for (unsigned int idx = 0; idx < 8; idx += 3) {
            const struct large_case *c = &cases[i];
            struct fix f;
            struct xcx_hvm_walk w;
            uint64_t va = va_of(c->mode, true) & ~(c->size - 1);
            uint64_t off = c->size / 2 + 0x567;
            uint64_t bits = RWUS | (idx & 4 ? PATL : 0) | (idx & 2 ? PCD : 0) |
                            (idx & 1 ? PWT : 0);

            fix_init(&f, c->mode);
            hvb_map(&f.b, va, c->gpa, c->size, bits);
            walk_ok(&f, va + off, &w);
            assert_true(w.mapped);
            assert_int_equal(w.page_size, c->size);
            assert_int_equal(w.gpa, c->gpa + off);
            assert_int_equal(w.pat_index, idx);
            assert_true(w.levels[w.nr_levels - 1].flags & XCX_PTE_PSE);
            hvb_free(&f.b);
        }
    }
}

/* 32-bit without CR4.PSE: PS is ignored and the PDE names a table. */
static void test_32bit_no_pse(void **state)
{
    struct fix f;
    struct xcx_hvm_walk w;
    uint64_t va = 0x00401000;

    (void)state;
    fix_init(&f, XCX_PGMODE_32BIT);
    hvb_map(&f.b, va, 0x7000, 4096, RWUS);
    hvb_change(&f.b, va, 2, 0x80, 0);
    f.b.cpu.cr4 &= ~HVB_CR4_PSE;
    walk_ok(&f, va, &w);
    assert_int_equal(w.gpa, 0x7000);
    assert_int_equal(w.page_size, 4096);
    assert_false(w.levels[0].flags & XCX_PTE_PSE);
    /* With PSE it is a 4 MiB page at the table's address. */
    f.b.cpu.cr4 |= HVB_CR4_PSE;
    walk_ok(&f, va, &w);
    assert_int_equal(w.page_size, HVB_SZ_4M);
    hvb_free(&f.b);
}

/* RW and US ANDed, NX ORed along the path; PAE PDPTEs add none. */
static void test_rights(void **state)
{
    (void)state;
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        for (unsigned int lv = 1; lv <= levels_of[mode]; lv++) {
            struct fix f;
            struct xcx_hvm_walk w;
            uint64_t va = va_of(mode, false);
            bool pdpte = mode == XCX_PGMODE_PAE && lv == 3;

            fix_init(&f, mode);
            hvb_map(&f.b, va, 0x5000, 4096, RWUS);
            hvb_change(&f.b, va, lv, mode >= XCX_PGMODE_PAE && !pdpte ? NX : 0,
                       pdpte ? 0 : (lv & 1 ? 0x2 : 0x4));
            walk_ok(&f, va, &w);
            assert_true(w.mapped);
            assert_int_equal(w.writable, pdpte || !(lv & 1));
            assert_int_equal(w.user, pdpte || (lv & 1));
            assert_int_equal(w.nx, mode >= XCX_PGMODE_PAE && !pdpte);
            hvb_free(&f.b);
        }
    }
}

static void test_not_present(void **state)
{
    (void)state;
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        for (unsigned int lv = 1; lv <= levels_of[mode]; lv++) {
            struct fix f;
            struct xcx_hvm_walk w;
            uint64_t va = va_of(mode, true);

            fix_init(&f, mode);
            hvb_map(&f.b, va, 0x5000, 4096, RWUS);
            hvb_change(&f.b, va, lv, 0, 1);
            walk_ok(&f, va, &w);
            assert_false(w.mapped);
            assert_int_equal(w.stop_level, lv);
            assert_int_equal(w.nr_levels, levels_of[mode] - lv + 1);
            hvb_free(&f.b);
        }
    }
}

struct resvd_case {
    enum xcx_paging_mode mode;
    unsigned int level;
    uint64_t set;
    uint64_t size; /* of the leaf mapped */
};

static void test_reserved(void **state)
{
    static const struct resvd_case cases[] = {
        {XCX_PGMODE_32BIT, 2, UINT64_C(1) << 21, HVB_SZ_4M},
        {XCX_PGMODE_PAE, 3, 0x2, 4096},               /* PDPTE bit 1 */
        {XCX_PGMODE_PAE, 3, 0x80, 4096},              /* PDPTE PS */
        {XCX_PGMODE_PAE, 3, NX, 4096},                /* PDPTE bit 63 */
        {XCX_PGMODE_PAE, 1, UINT64_C(1) << 55, 4096}, /* 62:52 in PAE */
        {XCX_PGMODE_PAE, 2, UINT64_C(1) << 13, SZ2M}, /* 2 MiB low bits */
        {XCX_PGMODE_4LEVEL, 4, 0x80, 4096},           /* PML4E PS */
        {XCX_PGMODE_4LEVEL, 3, UINT64_C(1) << 29, SZ1G},
        {XCX_PGMODE_4LEVEL, 1, UINT64_C(1) << 48, 4096}, /* >= M */
        {XCX_PGMODE_5LEVEL, 5, 0x80, 4096},              /* PML5E PS */
        {XCX_PGMODE_5LEVEL, 2, UINT64_C(1) << 20, SZ2M},
    };

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct resvd_case *c = &cases[i];
        struct fix f;
        uint64_t va = va_of(c->mode, false) & ~(c->size - 1);
        uint64_t table;

        fix_init(&f, c->mode);
        f.g.maxphysaddr = 48;
        hvb_map(&f.b, va, 0, c->size, RWUS);
        table = hvb_table(&f.b, va, c->level);
        hvb_change(&f.b, va, c->level, c->set, 0);
        walk_einval(&f, va, table);
        hvb_free(&f.b);
    }
}

/* Bit 63 without EFER.NXE, and address bits at or above maxphysaddr. */
static void test_reserved_by_cpu(void **state)
{
    struct fix f;
    struct xcx_hvm_walk w;
    uint64_t va = va_of(XCX_PGMODE_4LEVEL, false);

    (void)state;
    fix_init(&f, XCX_PGMODE_4LEVEL);
    hvb_map(&f.b, va, UINT64_C(0x1000000000), 4096, RWUS | NX); /* 64 GiB */
    walk_ok(&f, va, &w);
    assert_true(w.nx);
    f.b.cpu.efer &= ~HVB_EFER_NXE;
    walk_einval(&f, va, hvb_table(&f.b, va, 1));
    f.b.cpu.efer |= HVB_EFER_NXE;
    f.g.maxphysaddr = 36;
    walk_einval(&f, va, hvb_table(&f.b, va, 1));
    f.g.maxphysaddr = 37;
    walk_ok(&f, va, &w);
    f.g.maxphysaddr = 31;
    errno = 0;
    assert_int_equal(walk(&f, va, &w), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&f.log, 31);
    hvb_free(&f.b);

    /* A 4 MiB PDE naming bits 39:32 beyond a 36-bit guest. */
    fix_init(&f, XCX_PGMODE_32BIT);
    hvb_map(&f.b, 0x400000, UINT64_C(0x1000000000), HVB_SZ_4M, RWUS);
    walk_ok(&f, 0x400000, &w);
    assert_int_equal(w.gpa, UINT64_C(0x1000000000));
    f.g.maxphysaddr = 36;
    walk_einval(&f, 0x400000, hvb_root(&f.b));
    hvb_free(&f.b);
}

static void test_va_space(void **state)
{
    struct fix f;
    struct xcx_hvm_walk w;

    (void)state;
    fix_init(&f, XCX_PGMODE_PAE);
    walk_einval(&f, UINT64_C(0x100000000), UINT64_C(0x100000000));
    hvb_free(&f.b);
    fix_init(&f, XCX_PGMODE_4LEVEL);
    walk_einval(&f, UINT64_C(0x0000800000000000), UINT64_C(0x0000800000000000));
    walk_ok(&f, UINT64_C(0xffff800000000000), &w);
    assert_false(w.mapped);
    hvb_free(&f.b);
    fix_init(&f, XCX_PGMODE_5LEVEL);
    walk_ok(&f, UINT64_C(0x0000800000000000), &w);
    walk_einval(&f, UINT64_C(0x0100000000000000), UINT64_C(0x0100000000000000));
    hvb_free(&f.b);
    /* Paging off: identity, no PAT entry selected, 4 GiB at most. */
    fix_init(&f, XCX_PGMODE_OFF);
    walk_ok(&f, 0xfee00123, &w);
    assert_true(w.mapped);
    assert_int_equal(w.gpa, 0xfee00123);
    assert_false(w.pat_used);
    assert_int_equal(w.nr_levels, 0);
    walk_einval(&f, UINT64_C(0x100000000), UINT64_C(0x100000000));
    hvb_free(&f.b);
}

/* Tables naming themselves: the walk still reads one frame per level and
 * ends; a failing read names the frame with its errno. */
static void test_hostile(void **state)
{
    (void)state;
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        struct fix f;
        struct xcx_hvm_walk w;
        uint64_t root;

        fix_init(&f, mode);
        root = hvb_root(&f.b) & ~UINT64_C(0xfff);
        for (unsigned int i = 0; i < (mode == XCX_PGMODE_32BIT ? 1024 : 512);
             i++)
            hvb_set_entry(&f.b, root, i, root | 0x27);
        if (mode == XCX_PGMODE_PAE)
            for (unsigned int i = 0; i < 4; i++)
                hvb_set_entry(&f.b, hvb_root(&f.b), i, root | 1);
        walk_ok(&f, va_of(mode, true), &w);
        assert_true(w.mapped);
        assert_int_equal(w.gpa & ~UINT64_C(0xfff), root);
        assert_int_equal(w.nr_levels, levels_of[mode]);

        f.b.fail_gfn = root >> 12;
        f.b.fail_errno = EIO;
        errno = 0;
        assert_int_equal(walk(&f, va_of(mode, true), &w), -1);
        assert_int_equal(errno, EIO);
        assert_log_hex(&f.log, hvb_root(&f.b));
        hvb_free(&f.b);
    }
}

static void test_args(void **state)
{
    struct fix f;
    struct xcx_hvm_walk w;

    (void)state;
    fix_init(&f, XCX_PGMODE_4LEVEL);
    assert_int_equal(xcx_hvm_walk(&f.g, &f.b.cpu, 0, NULL, NULL), -1);
    assert_int_equal(xcx_hvm_walk(NULL, &f.b.cpu, 0, &w, NULL), -1);
    assert_int_equal(xcx_hvm_walk(&f.g, NULL, 0, &w, NULL), -1);
    f.g.read_frame = NULL;
    assert_int_equal(xcx_hvm_walk(&f.g, &f.b.cpu, 0, &w, NULL), -1);
    assert_int_equal(errno, EINVAL);
    hvb_free(&f.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_record),
        cmocka_unit_test(test_context_cpu),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_4k_pat),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_32bit_no_pse),
        cmocka_unit_test(test_rights),
        cmocka_unit_test(test_not_present),
        cmocka_unit_test(test_reserved),
        cmocka_unit_test(test_reserved_by_cpu),
        cmocka_unit_test(test_va_space),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_args),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
