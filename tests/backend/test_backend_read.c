/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The handle logic of lib/live/domain.c over the fake back end: reading one or
 * every vCPU, domain facts, handles, and the errors of each operation.
 */
#include <stdio.h>

#include "ctxbuild.h"
#include "fake_backend.h"

/* ------------------------------------------------------------------------ */
/* Reads                                                                     */
/* ------------------------------------------------------------------------ */

static void test_read_one_vcpu(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state st;
    struct xcx_mtrr_regs want;
    struct xcx_mtrr_result res;

    regs_hvmloader(&want);
    memset(&st, 0xa5, sizeof(st));
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), 0);
    assert_int_equal(fx->log.count, 0);
    assert_memory_equal(&st.regs, &want, sizeof(want));
    assert_int_equal(st.maxphysaddr, 36);
    assert_int_equal(st.vcnt, 8);
    /* Pair 0 in slot 0 only, the others zero: every pair is exact. */
    assert_int_equal(st.var_known, 0xff);
    assert_int_equal(fx->fake.calls_info, 1);
    assert_int_equal(fx->fake.calls_record, 1);
    assert_int_equal(fx->fake.calls_record_vcpu[0], 1);
    assert_int_equal(fx->fake.calls_policy, 1);
    assert_int_equal(fx->fake.last_record_len, XCX_MTRR_RECORD_SIZE);

    assert_int_equal(xcx_mtrr_resolve(&st, 0xf0000000, &res, NULL), 0);
    assert_int_equal(res.type, XCX_MT_UC);
    assert_int_equal(res.origin, XCX_ORIGIN_VARIABLE);

    /* vCPU 3 of a 4-vCPU domain. */
    fake_reset_counters(&fx->fake);
    regs_vcpu(&want, 3);
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM4, 3, 0, &st), 0);
    assert_memory_equal(&st.regs, &want, sizeof(want));
    assert_int_equal(st.maxphysaddr, 40);
    assert_int_equal(fx->fake.calls_record, 1);
    assert_int_equal(fx->fake.calls_record_vcpu[3], 1);
}

static void test_read_all(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state *all = NULL;
    unsigned int nr = 0;

    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr), 0);
    assert_non_null(all);
    assert_int_equal(nr, 4);
    assert_int_equal(fx->log.count, 0);
    for (unsigned int v = 0; v < nr; v++) {
        struct xcx_mtrr_regs want;

        regs_vcpu(&want, v);
        assert_memory_equal(&all[v].regs, &want, sizeof(want));
        assert_int_equal(all[v].maxphysaddr, 40);
        assert_int_equal(fx->fake.calls_record_vcpu[v], 1);
    }
    free(all);

    /* A single-vCPU domain. */
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM1, 0, &all, &nr), 0);
    assert_int_equal(nr, 1);
    assert_int_equal(all[0].maxphysaddr, 36);
    free(all);
}

static void test_domain_info(void **state)
{
    struct fixture *fx = *state;
    struct xcx_domain_info info;

    assert_int_equal(xcx_domain_info(fx->h, DOM_HVM4, &info), 0);
    assert_int_equal(info.domid, DOM_HVM4);
    assert_int_equal(info.nr_vcpus, 4);
    assert_true(info.hvm);
    assert_int_equal(xcx_domain_info(fx->h, DOM_PV, &info), 0);
    assert_false(info.hvm);
    assert_int_equal(fx->log.count, 0);
}

/* ------------------------------------------------------------------------ */
/* Several vCPUs, call counts                                                */
/* ------------------------------------------------------------------------ */

static void test_vcpus_differ(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state *all = NULL;
    unsigned int nr;

    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr), 0);
    assert_int_equal(nr, 4);
    for (unsigned int v = 0; v < nr; v++) {
        struct xcx_mtrr_result res;
        uint64_t mine = 0x80000000 + (uint64_t)v * 0x10000000;

        /* Default types differ. */
        assert_int_equal(all[v].regs.def_type & 0xff, vcpu_def_type[v]);
        assert_int_equal(xcx_mtrr_resolve(&all[v], 0x100000, &res, NULL), 0);
        assert_int_equal(res.type, vcpu_def_type[v]);
        assert_int_equal(res.origin, XCX_ORIGIN_DEFAULT);
        /* Pair 0 covers a different range on each vCPU. */
        assert_int_equal(xcx_mtrr_resolve(&all[v], mine, &res, NULL), 0);
        assert_int_equal(res.type, XCX_MT_WC);
        assert_int_equal(res.origin, XCX_ORIGIN_VARIABLE);
        for (unsigned int w = 0; w < nr; w++)
            if (w != v)
                assert_memory_not_equal(&all[v].regs, &all[w].regs,
                                        sizeof(all[v].regs));
    }
    free(all);
}

static void test_one_read_per_vcpu(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state *all = NULL;
    unsigned int nr;
    uint64_t gpa = 0;
    unsigned int uc = 0;

    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr), 0);
    assert_int_equal(nr, 4);
    assert_int_equal(fx->fake.calls_record, 4);
    assert_int_equal(fx->fake.calls_info, 1);
    assert_int_equal(fx->fake.calls_policy, 1);
    for (unsigned int v = 0; v < 4; v++)
        assert_int_equal(fx->fake.calls_record_vcpu[v], 1);

    /* 1000 GPAs on every returned state: no further back-end call. */
    for (unsigned int i = 0; i < 1000; i++) {
        struct xcx_mtrr_result res;

        gpa = (gpa * 6364136223846793005u + 1442695040888963407u);
        for (unsigned int v = 0; v < nr; v++) {
            assert_int_equal(xcx_mtrr_resolve(&all[v], gpa >> 24, &res, NULL),
                             0);
            uc += res.type == XCX_MT_UC;
        }
    }
    assert_int_equal(fx->fake.calls_record, 4);
    assert_int_equal(fx->fake.calls_info, 1);
    assert_int_equal(fx->fake.calls_policy, 1);
    assert_int_equal(fx->fake.calls_close, 0);
    (void)uc;
    free(all);
}
/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

static void test_missing_domain(void **state)
{
    static const char msg[] = "no domain 42\n";
    struct fixture *fx = *state;
    struct xcx_mtrr_state st, *all = NULL;
    struct xcx_domain_info info;
    unsigned int nr = 0, bits = 0;
    uint8_t type = 0xee;

    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_MISSING, 0, 0, &st), ESRCH);
    assert_int_equal(fx->log.count, 1);
    assert_string_equal(fx->log.all, msg);
    assert_int_equal(fx->log.errnoval, ESRCH);
    assert_int_equal(fx->fake.calls_record, 0);

    assert_fails(fx, xcx_mtrr_read_all(fx->h, DOM_MISSING, 0, &all, &nr),
                 ESRCH);
    assert_null(all);
    assert_int_equal(nr, 0);
    assert_string_equal(fx->log.all, msg);

    assert_fails(fx, xcx_domain_info(fx->h, DOM_MISSING, &info), ESRCH);
    assert_string_equal(fx->log.all, msg);

    assert_fails(fx, xcx_domain_maxphysaddr(fx->h, DOM_MISSING, &bits), ESRCH);
    assert_string_equal(fx->log.all, msg);

    assert_fails(fx, xcx_handle_mtrr_type(fx->h, DOM_MISSING, 0x1000, &type),
                 ESRCH);
    assert_int_equal(type, 0xee);
    assert_string_equal(fx->log.all, msg);
}

static void test_pv_domain(void **state)
{
    static const char msg[] = "domain 7 is PV; MTRR types need an HVM guest\n";
    struct fixture *fx = *state;
    struct xcx_mtrr_state st, *all = NULL;
    unsigned int nr = 0;
    uint8_t type;

    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_PV, 0, 0, &st), EOPNOTSUPP);
    assert_int_equal(fx->log.count, 1);
    assert_string_equal(fx->log.all, msg);
    assert_int_equal(fx->fake.calls_record, 0);
    assert_int_equal(fx->fake.calls_policy, 0);

    assert_fails(fx, xcx_mtrr_read_all(fx->h, DOM_PV, 0, &all, &nr),
                 EOPNOTSUPP);
    assert_null(all);
    assert_string_equal(fx->log.all, msg);

    assert_fails(fx, xcx_handle_mtrr_type(fx->h, DOM_PV, 0, &type), EOPNOTSUPP);
    assert_int_equal(fx->fake.calls_record, 0);
}

static void test_getcontext_errno(void **state)
{
    static const int errs[] = {EPERM, EACCES, EBUSY, ENOMEM, EFAULT};
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    struct xcx_mtrr_state st, *all = NULL;
    unsigned int nr = 0;
    char want[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(errs); i++) {
        d->err_record = errs[i];
        d->err_record_vcpu = -1;
        assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM4, 2, 0, &st), errs[i]);
        assert_int_equal(fx->log.count, 1);
        assert_int_equal(fx->log.errnoval, errs[i]);
        assert_logged(&fx->log, "domain 4");
        assert_logged(&fx->log, "vCPU 2");

        /* read_all fails at vCPU 2 after reading 0 and 1: no leak. */
        d->err_record_vcpu = 2;
        fake_reset_counters(&fx->fake);
        all = NULL;
        assert_fails(fx, xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr),
                     errs[i]);
        assert_null(all);
        assert_int_equal(fx->fake.calls_record, 3);
        snprintf(want, sizeof(want), "domain %u vCPU %u", DOM_HVM4, 2);
        assert_logged(&fx->log, want);
    }
    d->err_record = 0;
    d->err_record_vcpu = -1;
}

static void test_domain_info_errno(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_state st;
    struct xcx_domain_info info;

    d->err_info = EACCES;
    assert_fails(fx, xcx_domain_info(fx->h, DOM_HVM1, &info), EACCES);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "domain 1");

    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), EACCES);
    assert_int_equal(fx->fake.calls_record, 0);
    d->err_info = 0;

    /* The policy op failing passes Xen's errno through too. */
    d->err_policy = EPERM;
    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), EPERM);
    assert_logged(&fx->log, "domain 1");
    assert_int_equal(fx->fake.calls_record, 0);
    d->err_policy = 0;
}

static void test_vcpu_out_of_range(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state st;

    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM4, 4, 0, &st), EINVAL);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "vCPU 4");
    assert_logged(&fx->log, "domain 4");
    assert_int_equal(fx->fake.calls_record, 0);

    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM1, UINT32_MAX, 0, &st),
                 EINVAL);
    assert_int_equal(fx->fake.calls_record, 0);
}

/* DOM_HVM1's record broken four ways: EINVAL, and the log says where. */
static void test_invalid_record(void **state)
{
    static const char *const logged[][3] = {
        {"PHYSBASE0", "0xf0000002", "domain 1 vCPU 0"},
        {"MTRRdefType", "0xc03"},
        {"0x268"}, /* sub-range 30 is in MSR 0x268 */
        {"MTRRcap"},
    };
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_regs bad[ARRAY_SIZE(logged)];
    struct xcx_mtrr_state st;
    uint8_t saved[XCX_MTRR_RECORD_SIZE];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        regs_hvmloader(&bad[i]);
    bad[0].var[0].base = 0xf0000002; /* PHYSBASE0 with type 2 */
    bad[1].def_type = 0xc03;         /* MTRRdefType with type 3 */
    ctxb_set_fixed(&bad[2], 30, 7);  /* type 7 (UC- is PAT only) */
    bad[3].cap = 0x509;              /* VCNT 9 */

    memcpy(saved, d->rec[0], sizeof(saved));
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        ctxb_record_encode(&bad[i], d->rec[0]);
        assert_fails(fx, xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), EINVAL);
        for (unsigned int k = 0; k < 3 && logged[i][k]; k++)
            assert_logged(&fx->log, logged[i][k]);
    }
    memcpy(d->rec[0], saved, sizeof(saved));
}

/* ------------------------------------------------------------------------ */
/* Handles                                                                   */
/* ------------------------------------------------------------------------ */

static void test_close(void **state)
{
    struct fake f = {0};
    xcx_handle *h = xcx_handle_new(&fake_ops, &f, NULL);

    assert_non_null(h);
    assert_int_equal(xcx_close(h), 0);
    assert_int_equal(f.calls_close, 1);
    assert_int_equal(f.calls_info + f.calls_record + f.calls_policy, 0);
}

static void test_close_null(void **state)
{
    errno = 0;
    assert_int_equal(xcx_close(NULL), 0);
    assert_int_equal(errno, 0);
}

static void test_close_without_close_op(void **state)
{
    struct xcx_backend_ops ops = fake_ops;
    struct fake f = {0};
    xcx_handle *h;

    ops.close = NULL;
    h = xcx_handle_new(&ops, &f, NULL);
    assert_non_null(h);
    assert_int_equal(xcx_close(h), 0);
    assert_int_equal(f.calls_close, 0);
}

static void test_null_logger(void **state)
{
    struct fixture *fx = *state;
    xcx_handle *h = xcx_handle_new(&fake_ops, &fx->fake, NULL);
    struct xcx_mtrr_state st;

    assert_non_null(h);
    assert_int_equal(xcx_mtrr_read(h, DOM_HVM1, 0, 0, &st), 0);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(h, DOM_MISSING, 0, 0, &st), -1);
    assert_int_equal(errno, ESRCH);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(h, DOM_PV, 0, 0, &st), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_int_equal(fx->log.count, 0);
    xcx_close(h);
    assert_int_equal(fx->fake.calls_close, 1);
}

static void test_no_vcpu(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state st, *all = NULL;
    unsigned int nr = 0;

    assert_fails(fx, xcx_mtrr_read(fx->h, DOM_NOVCPU, 0, 0, &st), EINVAL);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "domain 9");

    assert_fails(fx, xcx_mtrr_read_all(fx->h, DOM_NOVCPU, 0, &all, &nr),
                 EINVAL);
    assert_null(all);
    assert_int_equal(fx->fake.calls_record, 0);
}

/* ------------------------------------------------------------------------ */
/* Logging keeps errno                                                       */
/* ------------------------------------------------------------------------ */

static void test_logging_keeps_errno(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d4 = dom(fx, DOM_HVM4);
    struct fake_domain *d1 = dom(fx, DOM_HVM1);
    struct xcx_mtrr_state st, *all = NULL;
    struct xcx_domain_info info;
    struct xcx_mtrr_regs r;
    uint8_t saved[XCX_MTRR_RECORD_SIZE];
    unsigned int nr, bits;
    uint8_t type;

    fx->log.clobber_errno = true;

#define EXPECT_ERRNO(call, err)                                                \
    do {                                                                       \
        unsigned int before_ = fx->log.count;                                  \
        errno = 0;                                                             \
        assert_int_equal((call), -1);                                          \
        assert_int_equal(errno, (err));                                        \
        assert_true(fx->log.count > before_);                                  \
    } while (0)

    EXPECT_ERRNO(xcx_mtrr_read(fx->h, DOM_MISSING, 0, 0, &st), ESRCH);
    EXPECT_ERRNO(xcx_mtrr_read_all(fx->h, DOM_MISSING, 0, &all, &nr), ESRCH);
    EXPECT_ERRNO(xcx_domain_info(fx->h, DOM_MISSING, &info), ESRCH);
    EXPECT_ERRNO(xcx_domain_maxphysaddr(fx->h, DOM_MISSING, &bits), ESRCH);
    EXPECT_ERRNO(xcx_mtrr_read(fx->h, DOM_PV, 0, 0, &st), EOPNOTSUPP);
    EXPECT_ERRNO(xcx_mtrr_read(fx->h, DOM_HVM4, 9, 0, &st), EINVAL);
    EXPECT_ERRNO(xcx_mtrr_read(fx->h, DOM_NOVCPU, 0, 0, &st), EINVAL);
    EXPECT_ERRNO(xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_C(1) << 40, &type),
                 ERANGE);

    d4->err_record = EBUSY;
    EXPECT_ERRNO(xcx_mtrr_read(fx->h, DOM_HVM4, 1, 0, &st), EBUSY);
    EXPECT_ERRNO(xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr), EBUSY);
    d4->err_record = 0;

    d4->err_info = EPERM;
    EXPECT_ERRNO(xcx_domain_info(fx->h, DOM_HVM4, &info), EPERM);
    d4->err_info = 0;

    d4->err_policy = EACCES;
    EXPECT_ERRNO(xcx_domain_maxphysaddr(fx->h, DOM_HVM4, &bits), EACCES);
    d4->err_policy = 0;

    d4->maxphysaddr = 60;
    EXPECT_ERRNO(xcx_domain_maxphysaddr(fx->h, DOM_HVM4, &bits), EINVAL);
    d4->maxphysaddr = 40;

    /* An invalid record: two messages, errno still EINVAL. */
    memcpy(saved, d1->rec[0], sizeof(saved));
    regs_hvmloader(&r);
    r.var[0].base = 0xf0000003;
    ctxb_record_encode(&r, d1->rec[0]);
    EXPECT_ERRNO(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), EINVAL);
    memcpy(d1->rec[0], saved, sizeof(saved));

#undef EXPECT_ERRNO
    assert_null(all);
    fx->log.clobber_errno = false;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_read_one_vcpu),
        T(test_read_all),
        T(test_domain_info),
        T(test_missing_domain),
        T(test_pv_domain),
        T(test_getcontext_errno),
        T(test_domain_info_errno),
        T(test_vcpu_out_of_range),
        T(test_invalid_record),
        T(test_vcpus_differ),
        T(test_one_read_per_vcpu),
        cmocka_unit_test(test_close),
        cmocka_unit_test(test_close_null),
        cmocka_unit_test(test_close_without_close_op),
        T(test_null_logger),
        T(test_no_vcpu),
        T(test_logging_keeps_errno),
    };
#undef T

    return cmocka_run_group_tests_name("backend-read", tests, NULL, NULL);
}
