/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_msr_name and xcx_mtrr_apply_write: every MSR kind accepted and
 * refused as Xen 4.17's intercept does, reasons, knowledge bits, and
 * whether types_changed is ever false when a type did change.
 */
#include <stdio.h>

#include "ctxbuild.h"
#include "prng.h"
#include "randstate.h"
#include "randwrite.h"
#include "unit.h"

static const struct {
    uint32_t msr;
    const char *name;
} names[] = {
    {0x0fe, "MTRRcap"},
    {0x200, "MTRRphysBase0"},
    {0x201, "MTRRphysMask0"},
    {0x202, "MTRRphysBase1"},
    {0x203, "MTRRphysMask1"},
    {0x204, "MTRRphysBase2"},
    {0x205, "MTRRphysMask2"},
    {0x206, "MTRRphysBase3"},
    {0x207, "MTRRphysMask3"},
    {0x208, "MTRRphysBase4"},
    {0x209, "MTRRphysMask4"},
    {0x20a, "MTRRphysBase5"},
    {0x20b, "MTRRphysMask5"},
    {0x20c, "MTRRphysBase6"},
    {0x20d, "MTRRphysMask6"},
    {0x20e, "MTRRphysBase7"},
    {0x20f, "MTRRphysMask7"},
    {0x250, "MTRRfix64K_00000"},
    {0x258, "MTRRfix16K_80000"},
    {0x259, "MTRRfix16K_A0000"},
    {0x268, "MTRRfix4K_C0000"},
    {0x269, "MTRRfix4K_C8000"},
    {0x26a, "MTRRfix4K_D0000"},
    {0x26b, "MTRRfix4K_D8000"},
    {0x26c, "MTRRfix4K_E0000"},
    {0x26d, "MTRRfix4K_E8000"},
    {0x26e, "MTRRfix4K_F0000"},
    {0x26f, "MTRRfix4K_F8000"},
    {0x277, "PAT"},
    {0x2ff, "MTRRdefType"},
};

static const uint32_t fixed_msrs[XCX_MTRR_FIXED_MSRS] = {
    0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f,
};

static const unsigned int widths[] = {36, 46, 52};

/* hvmloader's registers at @width with @vcnt pairs, every pair known. */
static void make_state(struct xcx_mtrr_state *st, unsigned int width,
                       unsigned int vcnt, uint32_t known)
{
    struct xcx_mtrr_regs r;

    ctxb_hvmloader_regs(&r, true);
    r.var[0].mask = ctxb_mask(0x08000000, width);
    r.var[1].mask = ctxb_mask(0x10000000, width);
    r.cap = (r.cap & ~UINT64_C(0xff)) | vcnt;
    if (xcx_mtrr_state_init(st, &r, width, known, NULL))
        fail_msg("state rejected: errno %d", errno);
}

/* The string holds @name and @value as a 0x-number. */
static void assert_names(const char *s, const char *name, uint64_t value)
{
    struct caplog c;

    caplog_init(&c);
    snprintf(c.last, sizeof(c.last), "%s", s);
    if (!strstr(s, name) || !caplog_has_hex(&c, value))
        fail_msg("\"%s\" does not name %s 0x%llx", s, name,
                 (unsigned long long)value);
}

static void write_ok(struct xcx_mtrr_state *st, uint32_t msr, uint64_t value,
                     struct xcx_write_outcome *out)
{
    struct caplog log;

    caplog_init(&log);
    memset(out, 0xa5, sizeof(*out));
    if (xcx_mtrr_apply_write(st, msr, value, NULL, out, caplog_logger(&log)))
        fail_msg("MSR 0x%x value 0x%llx: errno %d", msr,
                 (unsigned long long)value, errno);
    assert_int_equal(log.count, 0);
}

/* Accepted: the register holds @value afterwards. */
static void expect_accept(struct xcx_mtrr_state *st, uint32_t msr,
                          uint64_t value)
{
    uint64_t before = rand_write_reg(&st->regs, msr);
    struct xcx_write_outcome out;

    write_ok(st, msr, value, &out);
    if (!out.accepted)
        fail_msg("MSR 0x%x value 0x%llx refused: %s", msr,
                 (unsigned long long)value, out.reason);
    assert_string_equal(out.reason, "");
    assert_true(out.old_value == before);
    assert_int_equal(out.changed, before != value);
    assert_true(rand_write_reg(&st->regs, msr) == value);
}

/* Refused: nothing changes, the reason names the MSR, value and @why. */
static void expect_refuse(struct xcx_mtrr_state *st, uint32_t msr,
                          uint64_t value, const char *why)
{
    struct xcx_mtrr_state before = *st;
    struct xcx_write_outcome out;

    write_ok(st, msr, value, &out);
    if (out.accepted)
        fail_msg("MSR 0x%x value 0x%llx accepted", msr,
                 (unsigned long long)value);
    assert_false(out.changed);
    assert_false(out.types_changed);
    assert_true(out.old_value == rand_write_reg(&st->regs, msr));
    assert_memory_equal(st, &before, sizeof(before));
    assert_names(out.reason, xcx_msr_name(msr), value);
    if (!strstr(out.reason, why))
        fail_msg("reason \"%s\" does not say \"%s\"", out.reason, why);
}

static void test_names(void **state)
{
    static const uint32_t others[] = {
        0,     0x1ff, 0x210, 0x211, 0x24f, 0x251, 0x257, 0x25a,  0x267,
        0x270, 0x276, 0x278, 0x2fe, 0x300, 0xfd,  0xff,  0x10fe, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
        const char *n = xcx_msr_name(names[i].msr);

        assert_non_null(n);
        assert_string_equal(n, names[i].name);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(others); i++) {
        errno = 0;
        assert_null(xcx_msr_name(others[i]));
        assert_int_equal(errno, EINVAL);
    }
}

static void test_unknown_msr(void **state)
{
    static const uint32_t others[] = {0x10,  0x1ff, 0x210, 0x24f,
                                      0x251, 0x278, 0x300, 0xc0000080};
    struct xcx_mtrr_state st, before;
    struct xcx_write_outcome out;
    struct caplog log;

    make_state(&st, 36, 8, 0xff);
    before = st;
    for (unsigned int i = 0; i < ARRAY_SIZE(others); i++) {
        caplog_init(&log);
        errno = 0;
        assert_int_equal(xcx_mtrr_apply_write(&st, others[i], 0, NULL, &out,
                                              caplog_logger(&log)),
                         -1);
        assert_int_equal(errno, EINVAL);
        assert_int_equal(log.count, 1);
        assert_log_hex(&log, others[i]);
        assert_memory_equal(&st, &before, sizeof(st));
    }
}

/* A state edited out of bounds (VCNT 9, width 53, width 31): EINVAL. */
static void test_bad_state(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;

    for (unsigned int i = 0; i < 3; i++) {
        make_state(&st, 36, 8, 0xff);
        if (i == 0)
            st.vcnt = 9;
        else
            st.maxphysaddr = i == 1 ? 53 : 31;
        errno = 0;
        assert_int_equal(
            xcx_mtrr_apply_write(&st, 0x2ff, 0xc06, NULL, &out, NULL), -1);
        assert_int_equal(errno, EINVAL);
    }
}

static void test_mtrrcap(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;
    uint64_t other = 0x50a, old;

    make_state(&st, 36, 8, 0xff);
    expect_refuse(&st, XCX_MSR_MTRRCAP, 0x508, "read-only"); /* same value */
    expect_refuse(&st, XCX_MSR_MTRRCAP, 0, "read-only");
    expect_refuse(&st, XCX_MSR_MTRRCAP, UINT64_MAX, "read-only");

    /* Xen's old value of MTRRcap must be the state's. */
    old = 0x508;
    assert_int_equal(
        xcx_mtrr_apply_write(&st, XCX_MSR_MTRRCAP, 1, &old, &out, NULL), 0);
    assert_false(out.accepted);
    errno = 0;
    assert_int_equal(
        xcx_mtrr_apply_write(&st, XCX_MSR_MTRRCAP, 1, &other, &out, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(st.vcnt, 8);
}

static void test_def_type(void **state)
{
    static const uint64_t good[] = {0xc06, 0x006, 0x000, 0x806, 0x401,
                                    0xc05, 0xc04, 0x800, 0xc00};
    static const unsigned int bad_types[] = {2, 3, 7, 8, 0x80, 0xff};
    struct xcx_mtrr_state st;

    make_state(&st, 36, 8, 0xff);
    for (unsigned int i = 0; i < ARRAY_SIZE(good); i++)
        expect_accept(&st, XCX_MSR_MTRR_DEF_TYPE, good[i]);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_types); i++)
        expect_refuse(&st, XCX_MSR_MTRR_DEF_TYPE, 0xc00 | bad_types[i],
                      "not a memory type");
    for (unsigned int bit = 8; bit < 64; bit++)
        if (bit != 10 && bit != 11)
            expect_refuse(&st, XCX_MSR_MTRR_DEF_TYPE,
                          0xc06 | (UINT64_C(1) << bit), "reserved bits");
}

static void test_fixed(void **state)
{
    static const unsigned int bad_types[] = {2, 3, 7, 0x16};
    struct xcx_mtrr_state st;
    char why[32];

    make_state(&st, 36, 8, 0xff);
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++) {
        expect_accept(&st, fixed_msrs[i], UINT64_C(0x0001040506000104));
        expect_accept(&st, fixed_msrs[i], 0);
        for (unsigned int b = 0; b < 8; b++)
            for (unsigned int t = 0; t < ARRAY_SIZE(bad_types); t++) {
                uint64_t v = UINT64_C(0x0606060606060606);

                v &= ~(UINT64_C(0xff) << (8 * b));
                v |= (uint64_t)bad_types[t] << (8 * b);
                snprintf(why, sizeof(why), "byte %u", b);
                expect_refuse(&st, fixed_msrs[i], v, why);
            }
    }
}

/* PHYSBASE @msr at width @w. */
static void physbase_cases(struct xcx_mtrr_state *st, uint32_t msr,
                           unsigned int w)
{
    static const unsigned int types[] = {0, 1, 4, 5, 6};
    static const unsigned int bad_types[] = {2, 3, 7, 8, 0xff};

    for (unsigned int t = 0; t < ARRAY_SIZE(types); t++)
        expect_accept(st, msr, 0xd0000000 | types[t]);
    /* The width's top bit is an address bit; the next is not. */
    expect_accept(st, msr, (UINT64_C(1) << (w - 1)) | XCX_MT_WB);
    expect_refuse(st, msr, (UINT64_C(1) << w) | XCX_MT_WB, "reserved bits");
    expect_refuse(st, msr, (UINT64_C(1) << 63) | XCX_MT_WB, "reserved bits");
    for (unsigned int t = 0; t < ARRAY_SIZE(bad_types); t++)
        expect_refuse(st, msr, 0xd0000000 | bad_types[t], "not a memory type");
    for (unsigned int bit = 8; bit < 12; bit++)
        expect_refuse(st, msr, 0xd0000000 | (1u << bit), "reserved bits");
}

/* PHYSMASK @msr at width @w. */
static void physmask_cases(struct xcx_mtrr_state *st, uint32_t msr,
                           unsigned int w)
{
    uint64_t full = ctxb_mask(0x1000, w);

    expect_accept(st, msr, full);
    expect_accept(st, msr, 0); /* invalid pair */
    expect_accept(st, msr, full & ~UINT64_C(0x800));
    expect_accept(st, msr, XCX_MTRR_MASK_VALID); /* all memory */
    expect_accept(st, msr, UINT64_C(1) << (w - 1));
    expect_refuse(st, msr, full | (UINT64_C(1) << w), "reserved");
    expect_refuse(st, msr, UINT64_C(1) << 63, "reserved");
    for (unsigned int bit = 0; bit < 11; bit++)
        expect_refuse(st, msr, full | (UINT64_C(1) << bit), "reserved bits");
}

static void test_var_pairs(void **state)
{
    struct xcx_mtrr_state st;

    for (unsigned int wi = 0; wi < ARRAY_SIZE(widths); wi++) {
        make_state(&st, widths[wi], 8, 0xff);
        for (unsigned int i = 0; i < 8; i++) {
            physbase_cases(&st, XCX_MSR_MTRR_PHYSBASE0 + 2 * i, widths[wi]);
            physmask_cases(&st, XCX_MSR_MTRR_PHYSMASK0 + 2 * i, widths[wi]);
        }
    }
}

/* Pairs at or above VCNT: #GP, as hvm_msr_write_intercept() gives. */
static void test_above_vcnt(void **state)
{
    struct xcx_mtrr_state st;
    uint64_t old = 0;
    struct xcx_write_outcome out;

    for (unsigned int vcnt = 0; vcnt <= 8; vcnt++) {
        make_state(&st, 36, vcnt, 0xff);
        for (uint32_t msr = 0x200; msr < 0x210; msr++) {
            uint64_t v = msr & 1 ? ctxb_mask(0x100000, 36) : 0x100006;

            if ((msr - 0x200) / 2 < vcnt) {
                expect_accept(&st, msr, v);
                continue;
            }
            expect_refuse(&st, msr, v, "VCNT");
            /* Xen's old value of such a register is ignored. */
            assert_int_equal(
                xcx_mtrr_apply_write(&st, msr, v, &old, &out, NULL), 0);
            assert_false(out.accepted);
            assert_int_equal(st.var_regs_known >> (msr - 0x200), 0);
        }
    }
}

static void test_pat(void **state)
{
    static const unsigned int ok[] = {0, 1, 4, 5, 6, 7};
    static const unsigned int bad[] = {2, 3, 8, 0x17, 0xff};
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;
    char why[16];

    make_state(&st, 36, 8, 0xff);
    expect_accept(&st, XCX_MSR_PAT, CTXB_DEFAULT_PAT);
    expect_accept(&st, XCX_MSR_PAT, UINT64_C(0x0707070707070707)); /* UC- */
    for (unsigned int e = 0; e < 8; e++)
        for (unsigned int t = 0; t < ARRAY_SIZE(ok); t++) {
            uint64_t v = CTXB_DEFAULT_PAT & ~(UINT64_C(0xff) << (8 * e));

            v |= (uint64_t)ok[t] << (8 * e);
            write_ok(&st, XCX_MSR_PAT, v, &out);
            assert_true(out.accepted);
            assert_false(out.types_changed); /* PAT is no MTRR type */
        }
    for (unsigned int e = 0; e < 8; e++)
        for (unsigned int t = 0; t < ARRAY_SIZE(bad); t++) {
            uint64_t v = CTXB_DEFAULT_PAT & ~(UINT64_C(0xff) << (8 * e));

            v |= (uint64_t)bad[t] << (8 * e);
            snprintf(why, sizeof(why), "entry %u", e);
            expect_refuse(&st, XCX_MSR_PAT, v, why);
        }
}

/* Same values: accepted, nothing changes (Xen does not even check the
 * fixed and variable ones; it does check MTRRdefType and PAT). */
static void test_same_value(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;

    make_state(&st, 36, 8, 0xff);
    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
        uint32_t msr = names[i].msr;

        if (msr == XCX_MSR_MTRRCAP)
            continue;
        write_ok(&st, msr, rand_write_reg(&st.regs, msr), &out);
        assert_true(out.accepted);
        assert_false(out.changed);
        assert_false(out.types_changed);
    }

    /* A state edited behind the library's back: Xen's shortcut. */
    st.regs.fixed[3] = UINT64_C(0x0303030303030303);
    write_ok(&st, 0x268, UINT64_C(0x0303030303030303), &out);
    assert_true(out.accepted);
    st.regs.var[2].base = 0x10000002;
    write_ok(&st, 0x204, 0x10000002, &out);
    assert_true(out.accepted);
    st.regs.def_type = 0xc02;
    write_ok(&st, 0x2ff, 0xc02, &out);
    assert_false(out.accepted);
}

/* Knowledge: writes and Xen's old values make registers exact. */
static void test_knowledge(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;
    struct caplog log;
    uint64_t old;

    make_state(&st, 36, 8, 0x1);
    assert_int_equal(st.var_known, 0x1);
    assert_int_equal(st.var_regs_known, 0x3);

    /* PHYSBASE1 alone: the register, not yet the pair. */
    expect_accept(&st, 0x202, 0x20000006);
    assert_int_equal(st.var_regs_known, 0x7);
    assert_int_equal(st.var_known, 0x1);
    expect_accept(&st, 0x203, ctxb_mask(0x1000000, 36));
    assert_int_equal(st.var_regs_known, 0xf);
    assert_int_equal(st.var_known, 0x3);

    /* A refused write teaches nothing... */
    expect_refuse(&st, 0x204, 0x30000003, "type 3");
    assert_int_equal(st.var_regs_known, 0xf);

    /* ...unless Xen says what the register held. */
    old = 0x30000000;
    assert_int_equal(
        xcx_mtrr_apply_write(&st, 0x204, 0x30000003, &old, &out, NULL), 0);
    assert_false(out.accepted);
    assert_true(out.old_value == old);
    assert_true(st.regs.var[2].base == old);
    assert_int_equal(st.var_regs_known, 0x1f);
    old = 0;
    assert_int_equal(xcx_mtrr_apply_write(&st, 0x205, 0x1, &old, &out, NULL),
                     0);
    assert_false(out.accepted);
    assert_int_equal(st.var_known, 0x7);
    assert_true(st.regs.var[2].mask == 0);

    /* An old value no register could hold: EINVAL, nothing changes. */
    {
        struct xcx_mtrr_state before = st;

        caplog_init(&log);
        old = 0x40000002;
        errno = 0;
        assert_int_equal(xcx_mtrr_apply_write(&st, 0x206, 0x40000006, &old,
                                              &out, caplog_logger(&log)),
                         -1);
        assert_int_equal(errno, EINVAL);
        assert_log_hex(&log, 0x40000002);
        assert_log_mentions(&log, "MTRRphysBase3");
        assert_memory_equal(&st, &before, sizeof(st));
    }

    /* Old values of the other registers replace them too. */
    old = 0x806;
    assert_int_equal(xcx_mtrr_apply_write(&st, 0x2ff, 0xc06, &old, &out, NULL),
                     0);
    assert_true(out.accepted && out.changed && out.old_value == 0x806);
    old = 0;
    assert_int_equal(xcx_mtrr_apply_write(&st, 0x277, 0, &old, &out, NULL), 0);
    assert_true(out.accepted);
    assert_false(out.changed);

    /* A caller's var_known without var_regs_known still counts. */
    make_state(&st, 36, 8, 0x1);
    st.var_known = 0xff;
    st.var_regs_known = 0;
    expect_accept(&st, 0x2ff, 0xc06);
    assert_int_equal(st.var_known, 0xff);
    assert_int_equal(st.var_regs_known, 0xffff);
}

static void result_at(const struct xcx_mtrr_state *st, uint64_t gpa,
                      struct xcx_mtrr_result *r)
{
    if (xcx_mtrr_resolve(st, gpa, r, NULL))
        fail_msg("resolve 0x%llx: errno %d", (unsigned long long)gpa, errno);
}

/* Specific writes that change no type, and some that do, in order. */
static void test_types_changed(void **state)
{
    static const struct {
        uint32_t msr;
        uint64_t value;
        int changed; /* -1: either */
        bool types_changed;
    } steps[] = {
        /* E clear: nothing but MTRRdefType.E matters. */
        {0x2ff, 0x406, 1, true},
        {0x200, 0x7000006, 1, false},
        {0x250, 0, 1, false},
        {0x2ff, 0x000, 1, false},
        {0x2ff, 0x800, 1, true},
        /* FE clear: fixed ranges do not matter. */
        {0x250, UINT64_C(0x0606060606060606), 1, false},
        {0x2ff, 0xc00, 1, true},
        {0x258, 0, 1, true},
        /* An invalid pair's base does not; its mask's valid bit does. */
        {0x20f, 0, 0, false},
        {0x20e, 0x1000006, 1, false},
        {0x20f, UINT64_C(0xffffff000), 1, false},
        {0x20f, UINT64_C(0xffffff800), -1, true},
        /* Base bits the mask ignores do not matter; the type does. */
        {0x20f, UINT64_C(0xf00000800), 1, true},
        {0x20e, 0x2000006, 1, false},
        {0x20e, 0x2000005, 1, true},
        /* PAT never. */
        {0x277, 0, 1, false},
    };
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;

    make_state(&st, 36, 8, 0xff);
    for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
        write_ok(&st, steps[i].msr, steps[i].value, &out);
        if (!out.accepted || out.types_changed != steps[i].types_changed ||
            (steps[i].changed >= 0 && out.changed != steps[i].changed))
            fail_msg("step %u: MSR 0x%x 0x%llx: accepted %d changed %d "
                     "types_changed %d",
                     i, steps[i].msr, (unsigned long long)steps[i].value,
                     out.accepted, out.changed, out.types_changed);
    }
}

/* Addresses where the registers' edges lie, and some random ones. */
static unsigned int sample(const struct xcx_mtrr_state *st, struct prng *p,
                           uint64_t *out, unsigned int max)
{
    static const uint64_t fixed[] = {0,       0x7ffff, 0x80000, 0x9ffff,
                                     0xa0000, 0xbffff, 0xc0000, 0xc8000,
                                     0xfffff, 0x100000};
    uint64_t top = UINT64_C(1) << st->maxphysaddr;
    uint64_t bits = ref_addr_bits(st->maxphysaddr);
    unsigned int n = 0;

    for (unsigned int i = 0; i < ARRAY_SIZE(fixed); i++)
        out[n++] = fixed[i];
    for (unsigned int i = 0; i < st->vcnt; i++) {
        uint64_t m = st->regs.var[i].mask & bits;
        uint64_t lo = st->regs.var[i].base & m;
        uint64_t hi = lo | (~m & (top - 1));

        out[n++] = lo;
        out[n++] = hi;
        if (lo)
            out[n++] = lo - 1;
        if (hi + 1 < top)
            out[n++] = hi + 1;
    }
    while (n < max)
        out[n++] = prng_chance(p, 30) ? prng_below(p, 0x2000000)
                                      : prng_next(p) & (top - 1);
    return n;
}

static bool same_type(const struct xcx_mtrr_result *a,
                      const struct xcx_mtrr_result *b)
{
    return a->type == b->type && a->origin == b->origin &&
           a->overlap == b->overlap && a->pairs == b->pairs &&
           (a->origin != XCX_ORIGIN_FIXED || a->fixed_index == b->fixed_index);
}

/*
 * Random states and writes: whenever some address resolves differently
 * afterwards, types_changed said so; a write that changes no register
 * changes no type; the state stays one xcx_mtrr_state_init() accepts.
 */
static void test_types_changed_random(void **state)
{
    struct prng p;
    unsigned int writes = 0, changed = 0;

    prng_seed(&p, UINT64_C(0x77726974652d7478));
    for (unsigned int n = 0; n < 300; n++) {
        struct rand_regs rr;
        struct xcx_mtrr_state st, before, check;

        rand_regs(&p, &rr);
        if (xcx_mtrr_state_init(&st, &rr.regs, rr.width, rr.var_known, NULL))
            fail_msg("random state refused: errno %d", errno);
        for (unsigned int k = 0; k < 40; k++) {
            struct rand_write w;
            struct xcx_write_outcome out;
            uint64_t addrs[64];
            unsigned int na;

            rand_write(&p, &st, &w);
            before = st;
            if (xcx_mtrr_apply_write(&st, w.msr, w.value,
                                     w.has_old ? &w.old : NULL, &out, NULL))
                fail_msg("MSR 0x%x: errno %d", w.msr, errno);
            writes++;
            changed += out.types_changed;
            assert_true(out.accepted || !out.changed);
            if (!out.changed)
                assert_false(out.types_changed);
            assert_true(ref_regs_valid(&st.regs, st.maxphysaddr));
            assert_int_equal(xcx_mtrr_state_init(&check, &st.regs,
                                                 st.maxphysaddr, st.var_known,
                                                 NULL),
                             0);
            if (out.types_changed)
                continue;
            na = sample(&before, &p, addrs, ARRAY_SIZE(addrs));
            for (unsigned int a = 0; a < na; a++) {
                struct xcx_mtrr_result r0, r1;

                result_at(&before, addrs[a], &r0);
                result_at(&st, addrs[a], &r1);
                if (!same_type(&r0, &r1))
                    fail_msg("MSR 0x%x value 0x%llx changed the type at "
                             "0x%llx, types_changed false",
                             w.msr, (unsigned long long)w.value,
                             (unsigned long long)addrs[a]);
            }
        }
    }
    /* The generator does exercise both answers. */
    assert_true(changed > writes / 10 && changed < writes * 9 / 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_unknown_msr),
        cmocka_unit_test(test_bad_state),
        cmocka_unit_test(test_mtrrcap),
        cmocka_unit_test(test_def_type),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_var_pairs),
        cmocka_unit_test(test_above_vcnt),
        cmocka_unit_test(test_pat),
        cmocka_unit_test(test_same_value),
        cmocka_unit_test(test_knowledge),
        cmocka_unit_test(test_types_changed),
        cmocka_unit_test(test_types_changed_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
