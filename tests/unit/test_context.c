/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xcx_hvm_context_parse and friends, on good and broken blobs. */
#include <stdio.h>
#include <stdlib.h>

#include "ctxbuild.h"
#include "unit.h"

/* Distinct, valid registers for vCPU @v: pair 1 differs per vCPU. */
static void vcpu_regs(struct xcx_mtrr_regs *r, unsigned int v)
{
    ctxb_regs_default(r);
    ctxb_set_var(r, 1, 0x100000000 + 0x1000 * (uint64_t)v, 0x1000, XCX_MT_WT,
                 36);
    r->def_type = 0xc00 | (v % 2 ? XCX_MT_WB : XCX_MT_WT);
}

struct fixture {
    struct xcx_mtrr_regs regs[8];
    struct ctxb_blob blob;
    struct caplog log;
};

static void build(struct fixture *f, unsigned int nr,
                  const struct ctxb_ctx_desc *tmpl)
{
    struct ctxb_ctx_desc d = *tmpl;

    for (unsigned int v = 0; v < 8; v++)
        vcpu_regs(&f->regs[v], v);
    d.nr_vcpus = nr;
    d.regs = f->regs;
    d.nr_regs = 8;
    ctxb_blob_free(&f->blob);
    ctxb_build(&f->blob, &d);
    caplog_init(&f->log);
}

static void check_good(struct fixture *f, unsigned int nr, const char *what)
{
    xcx_hvm_context *ctx;
    struct xcx_mtrr_state st;
    uint8_t *copy = malloc(f->blob.len);

    /* The context keeps its own copy: the blob may go away. */
    assert_non_null(copy);
    memcpy(copy, f->blob.data, f->blob.len);
    ctx = xcx_hvm_context_parse(copy, f->blob.len, caplog_logger(&f->log));
    if (!ctx)
        fail_msg("%s: parse failed, errno %d: %s", what, errno, f->log.last);
    memset(copy, 0xee, f->blob.len);
    free(copy);

    assert_int_equal(xcx_hvm_context_nr_vcpus(ctx), nr);
    for (unsigned int v = 0; v < nr; v++) {
        if (xcx_hvm_context_mtrr(ctx, v, 36, &st))
            fail_msg("%s: vCPU %u: errno %d", what, v, errno);
        assert_memory_equal(&st.regs, &f->regs[v % 8], sizeof(st.regs));
        assert_int_equal(st.maxphysaddr, 36);
        assert_int_equal(st.var_known, 0xff); /* slots differ */
    }
    errno = 0;
    assert_int_equal(xcx_hvm_context_mtrr(ctx, nr, 36, &st), -1);
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 65535, 36, &st), -1);
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(xcx_hvm_context_mtrr(ctx, UINT32_MAX, 36, &st), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(xcx_hvm_context_width_hint(ctx), 36);
    xcx_hvm_context_free(ctx);
}

static void expect_bad(struct fixture *f, size_t len, const char *what)
{
    xcx_hvm_context *ctx;

    caplog_init(&f->log);
    errno = 0;
    ctx = xcx_hvm_context_parse(f->blob.data, len, caplog_logger(&f->log));
    if (ctx || errno != EINVAL)
        fail_msg("%s: %s, errno %d", what, ctx ? "accepted" : "failed", errno);
    if (f->log.count != 1)
        fail_msg("%s: %u messages", what, f->log.count);
}

static void test_good_variants(void **state)
{
    static const unsigned int counts[] = {1, 2, 3, 4, 8, 64, 128};
    struct fixture f = {0};
    char what[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++) {
        for (unsigned int shape = 0; shape < 8; shape++) {
            const struct ctxb_ctx_desc d = {
                .cpu_records = shape & 1,
                .extra_records = shape & 2,
                .reverse_mtrr = shape & 4,
            };

            build(&f, counts[i], &d);
            snprintf(what, sizeof(what), "%u vCPUs, shape %u", counts[i],
                     shape);
            check_good(&f, counts[i], what);
        }
    }
    ctxb_blob_free(&f.blob);
}

static void test_broken(void **state)
{
    /* A blob of @nr vCPUs broken by @fault; @named: 0 or a number the
     * message must hold. CPU records only where they matter. */
    static const struct {
        const char *what;
        unsigned int nr;
        uint64_t named;
        enum ctxb_fault fault;
        unsigned int vcpu;
        uint32_t arg;
    } cases[] = {
        {"bad magic", 2, 0x12345678, CTXB_BAD_MAGIC, 0, 0x12345678},
        {"magic off by one", 2, 0x54381287, CTXB_BAD_MAGIC, 0, 0},
        {"byte-swapped magic", 2, 0x86123854, CTXB_BAD_MAGIC, 0, 0x86123854},
        {"HEADER of 20 bytes", 2, 20, CTXB_HEADER_LEN, 0, 20},
        {"HEADER of 28 bytes", 2, 28, CTXB_HEADER_LEN, 0, 28},
        {"HEADER of 0 bytes", 2, 0, CTXB_HEADER_LEN, 0, 0},
        {"HEADER not first", 2, 0, CTXB_HEADER_NOT_FIRST, 0, 0},
        {"no HEADER", 2, 0, CTXB_NO_HEADER, 0, 0},
        {"MTRR of 239 bytes", 2, 239, CTXB_MTRR_LEN, 1, 239},
        {"MTRR of 241 bytes", 2, 241, CTXB_MTRR_LEN, 0, 241},
        {"MTRR of 0 bytes", 1, 0, CTXB_MTRR_LEN, 0, 0},
        {"MTRR of 248 bytes", 3, 248, CTXB_MTRR_LEN, 2, 248},
        {"duplicated vCPU 3", 5, 3, CTXB_DUP_MTRR, 3, 0},
        {"duplicated vCPU 0", 1, 0, CTXB_DUP_MTRR, 0, 0},
        {"missing vCPU 1 of 0..2", 3, 0, CTXB_DROP_MTRR, 1, 0},
        {"missing vCPU 0 of 0..1", 2, 0, CTXB_DROP_MTRR, 0, 0},
        {"no MTRR record", 2, 0, CTXB_NO_MTRR, 0, 0},
        {"no END", 2, 0, CTXB_NO_END, 0, 0},
        {"one byte after END", 2, 0, CTXB_TRAILING, 0, 1},
        {"8 bytes after END", 2, 0, CTXB_TRAILING, 0, 8},
        {"garbage after END", 2, 0, CTXB_TRAILING, 0, 300},
        {"payload past the end", 2, 17, CTXB_LEN_PAST_END, 0, 17},
        {"length 0xffffffff", 2, 0xffffffff, CTXB_LEN_PAST_END, 0, 0xffffffff},
        {"length 0xfffffff8", 2, 0xfffffff8, CTXB_LEN_PAST_END, 0, 0xfffffff8},
        {"record to the end, no END", 2, 0, CTXB_LEN_PAST_END, 0, 16},
    };
    struct fixture f = {0};

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct ctxb_ctx_desc d = {
            .cpu_records = i % 2,
            .fault = cases[i].fault,
            .fault_vcpu = cases[i].vcpu,
            .fault_arg = cases[i].arg,
        };

        build(&f, cases[i].nr, &d);
        expect_bad(&f, f.blob.len, cases[i].what);
        if (cases[i].named && !caplog_has_number(&f.log, cases[i].named))
            fail_msg("%s: message \"%s\" does not name %#llx", cases[i].what,
                     f.log.last, (unsigned long long)cases[i].named);
    }
    /* A small bad magic is named too, as a 0x-number. */
    build(&f, 2,
          &(struct ctxb_ctx_desc){.fault = CTXB_BAD_MAGIC, .fault_arg = 0x1});
    expect_bad(&f, f.blob.len, "magic 1");
    assert_log_hex(&f.log, 0x1);
    assert_log_mentions(&f.log, "magic", "header");
    ctxb_blob_free(&f.blob);
}

static void test_truncated(void **state)
{
    struct fixture f = {0};

    build(&f, 2, &(struct ctxb_ctx_desc){.cpu_records = true});
    expect_bad(&f, f.blob.len - 4, "truncated END descriptor");
    expect_bad(&f, f.blob.len - 8, "END missing");
    expect_bad(&f, f.blob.len - 9, "truncated MTRR payload");
    expect_bad(&f, 4, "truncated HEADER descriptor");
    expect_bad(&f, 8, "HEADER payload missing");
    expect_bad(&f, 0, "zero-length blob");

    /* A NULL blob of length 0 is just as empty. */
    errno = 0;
    assert_null(xcx_hvm_context_parse(NULL, 0, NULL));
    assert_int_equal(errno, EINVAL);
    ctxb_blob_free(&f.blob);
}

/* Every proper prefix of a good blob fails cleanly (ASan watches reads). */
static void test_every_prefix(void **state)
{
    struct fixture f = {0};

    build(&f, 3,
          &(struct ctxb_ctx_desc){.cpu_records = true, .extra_records = true});
    for (size_t len = 0; len < f.blob.len; len++) {
        uint8_t *exact = malloc(len ? len : 1);
        xcx_hvm_context *ctx;
        char what[48];

        /* An exactly-sized heap copy, so a read past @len is caught. */
        assert_non_null(exact);
        memcpy(exact, f.blob.data, len);
        caplog_init(&f.log);
        errno = 0;
        ctx = xcx_hvm_context_parse(exact, len, caplog_logger(&f.log));
        snprintf(what, sizeof(what), "prefix of %zu bytes", len);
        if (ctx || errno != EINVAL)
            fail_msg("%s: %s, errno %d", what, ctx ? "accepted" : "failed",
                     errno);
        if (f.log.count != 1)
            fail_msg("%s: %u messages", what, f.log.count);
        free(exact);
    }
    check_good(&f, 3, "the whole blob");
    ctxb_blob_free(&f.blob);
}

/* Register contents are checked when a vCPU is decoded. */
static void test_invalid_record_content(void **state)
{
    struct fixture f = {0};
    xcx_hvm_context *ctx;
    struct xcx_mtrr_state st;
    unsigned int before;

    for (unsigned int v = 0; v < 8; v++)
        vcpu_regs(&f.regs[v], v);
    f.regs[1].def_type = 0xc03;
    /* vCPU 2 has 46-bit masks: fine at 46 bits, not at 36. */
    ctxb_set_var(&f.regs[2], 2, UINT64_C(0x200000000000), 0x40000000, XCX_MT_WB,
                 46);
    ctxb_build(&f.blob, &(struct ctxb_ctx_desc){.nr_vcpus = 3,
                                                .regs = f.regs,
                                                .nr_regs = 8,
                                                .cpu_records = true});
    caplog_init(&f.log);
    ctx = xcx_hvm_context_parse(f.blob.data, f.blob.len, caplog_logger(&f.log));
    if (!ctx)
        fail_msg("parse failed: %s", f.log.last);
    assert_int_equal(xcx_hvm_context_nr_vcpus(ctx), 3);
    assert_int_equal(xcx_hvm_context_width_hint(ctx), 46);
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 0, 36, &st), 0);

    before = f.log.count;
    errno = 0;
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 1, 36, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(f.log.count, before + 1); /* the parse's logger */
    assert_log_hex(&f.log, 0xc03);

    errno = 0;
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 2, 36, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 2, 46, &st), 0);
    assert_int_equal(st.regs.var[2].mask, ctxb_mask(0x40000000, 46));
    errno = 0;
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 0, 31, &st), -1);
    assert_int_equal(errno, EINVAL);
    xcx_hvm_context_free(ctx);
    ctxb_blob_free(&f.blob);
}

/* The Xen 4.17 shape: pair 0 copied into every slot. */
static void test_copied_pairs(void **state)
{
    struct fixture f = {0};
    xcx_hvm_context *ctx;
    struct xcx_mtrr_state st;

    for (unsigned int v = 0; v < 2; v++) {
        ctxb_regs_default(&f.regs[v]);
        ctxb_copy_pair0(&f.regs[v]);
    }
    ctxb_build(&f.blob, &(struct ctxb_ctx_desc){.nr_vcpus = 2,
                                                .regs = f.regs,
                                                .nr_regs = 2,
                                                .cpu_records = true});
    ctx = xcx_hvm_context_parse(f.blob.data, f.blob.len, NULL);
    assert_non_null(ctx);
    for (unsigned int v = 0; v < 2; v++) {
        assert_int_equal(xcx_hvm_context_mtrr(ctx, v, 36, &st), 0);
        assert_int_equal(st.var_known, 0x1);
    }
    xcx_hvm_context_free(ctx);
    ctxb_blob_free(&f.blob);
}

static void test_width_hint_over_vcpus(void **state)
{
    struct fixture f = {0};
    xcx_hvm_context *ctx;

    for (unsigned int v = 0; v < 4; v++)
        vcpu_regs(&f.regs[v], v);
    f.regs[2].var[3].mask = UINT64_C(0x7fc0000800); /* 39 bits */
    f.regs[3].var[4].mask = UINT64_C(0xffc0000000); /* 40, not valid */
    ctxb_build(&f.blob, &(struct ctxb_ctx_desc){
                            .nr_vcpus = 4, .regs = f.regs, .nr_regs = 4});
    ctx = xcx_hvm_context_parse(f.blob.data, f.blob.len, NULL);
    assert_non_null(ctx);
    assert_int_equal(xcx_hvm_context_width_hint(ctx), 39);
    xcx_hvm_context_free(ctx);
    ctxb_blob_free(&f.blob);
}

/* Xen gives an HVM guest at most 128 vCPUs: a record for vCPU 128 or a
 * 129th record is refused, naming the vCPU and the limit. */
static void test_vcpu_limit(void **state)
{
    struct fixture f = {0};

    build(&f, XCX_HVM_MAX_VCPUS, &(struct ctxb_ctx_desc){0});
    check_good(&f, XCX_HVM_MAX_VCPUS, "128 vCPUs");
    build(&f, XCX_HVM_MAX_VCPUS + 1, &(struct ctxb_ctx_desc){0});
    expect_bad(&f, f.blob.len, "129 vCPUs");
    assert_non_null(strstr(f.log.last, "vCPU 128"));
    assert_non_null(strstr(f.log.last, "at most 128 vCPUs (HVM_MAX_VCPUS)"));
    build(&f, 65535, &(struct ctxb_ctx_desc){.reverse_mtrr = true});
    expect_bad(&f, f.blob.len, "65535 vCPUs, highest first");
    assert_non_null(strstr(f.log.last, "vCPU 65534"));
    ctxb_blob_free(&f.blob);
}

static void test_free_keeps_errno(void **state)
{
    struct fixture f = {0};
    xcx_hvm_context *ctx;

    build(&f, 1, &(struct ctxb_ctx_desc){0});
    ctx = xcx_hvm_context_parse(f.blob.data, f.blob.len, NULL);
    assert_non_null(ctx);
    errno = EXDEV;
    xcx_hvm_context_free(ctx);
    assert_int_equal(errno, EXDEV);
    xcx_hvm_context_free(NULL);
    assert_int_equal(errno, EXDEV);
    ctxb_blob_free(&f.blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_variants),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_invalid_record_content),
        cmocka_unit_test(test_copied_pairs),
        cmocka_unit_test(test_width_hint_over_vcpus),
        cmocka_unit_test(test_vcpu_limit),
        cmocka_unit_test(test_free_keeps_errno),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
