/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The handle logic of lib/domain.c over a fake back end: an in-memory table
 * of domains with per-vCPU MTRR save records, injectable errors per
 * operation and call counters. No Xen and no libxenctrl.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend.h"
#include "ctxbuild.h"
#include "xenctrl_ext.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* The fake back end                                                         */
/* ------------------------------------------------------------------------ */

#define FAKE_MAX_DOMAINS 8
#define FAKE_MAX_VCPUS   8

struct fake_domain {
    uint32_t domid;
    unsigned int nr_vcpus;
    bool hvm;
    bool dying;
    uint8_t rec[FAKE_MAX_VCPUS][XCX_MTRR_RECORD_SIZE];
    unsigned int maxphysaddr; /* what the policy says; 0: no leaf */
    /* Injected errors: 0 none, else the errno the op fails with. */
    int err_info;
    int err_record;
    int err_record_vcpu; /* -1: every vCPU; else only this one */
    int err_policy;
};

struct fake {
    struct fake_domain dom[FAKE_MAX_DOMAINS];
    unsigned int nr;
    unsigned int calls_info;
    unsigned int calls_record;
    unsigned int calls_policy;
    unsigned int calls_close;
    unsigned int calls_record_vcpu[FAKE_MAX_VCPUS];
    size_t last_record_len;
};

static struct fake_domain *fake_find(struct fake *f, uint32_t domid)
{
    for (unsigned int i = 0; i < f->nr; i++)
        if (f->dom[i].domid == domid)
            return &f->dom[i];
    return NULL;
}

static int fake_domain_info(void *priv, uint32_t domid,
                            struct xcx_domain_info *info)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_info++;
    if (!d) {
        errno = ESRCH;
        return -1;
    }
    if (d->err_info) {
        errno = d->err_info;
        return -1;
    }
    info->domid = d->domid;
    info->nr_vcpus = d->nr_vcpus;
    info->hvm = d->hvm;
    info->dying = d->dying;
    return 0;
}

static int fake_mtrr_record(void *priv, uint32_t domid, unsigned int vcpu,
                            void *buf, size_t len)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_record++;
    if (vcpu < FAKE_MAX_VCPUS)
        f->calls_record_vcpu[vcpu]++;
    f->last_record_len = len;
    if (!d) {
        errno = ESRCH;
        return -1;
    }
    if (d->err_record &&
        (d->err_record_vcpu < 0 || (unsigned int)d->err_record_vcpu == vcpu)) {
        errno = d->err_record;
        return -1;
    }
    if (vcpu >= d->nr_vcpus || vcpu >= FAKE_MAX_VCPUS ||
        len != XCX_MTRR_RECORD_SIZE) {
        errno = EINVAL; /* what Xen says for a bad instance or size */
        return -1;
    }
    memcpy(buf, d->rec[vcpu], len);
    return 0;
}

static int fake_maxphysaddr(void *priv, uint32_t domid, unsigned int *bits)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_policy++;
    if (!d) {
        errno = ESRCH;
        return -1;
    }
    if (d->err_policy) {
        errno = d->err_policy;
        return -1;
    }
    *bits = d->maxphysaddr;
    return 0;
}

static void fake_close(void *priv)
{
    ((struct fake *)priv)->calls_close++;
}

static const struct xcx_backend_ops fake_ops = {
    .domain_info = fake_domain_info,
    .mtrr_record = fake_mtrr_record,
    .maxphysaddr = fake_maxphysaddr,
    .close = fake_close,
};

static void fake_reset_counters(struct fake *f)
{
    f->calls_info = f->calls_record = f->calls_policy = f->calls_close = 0;
    memset(f->calls_record_vcpu, 0, sizeof(f->calls_record_vcpu));
}

/* ------------------------------------------------------------------------ */
/* A logger that keeps every message                                         */
/* ------------------------------------------------------------------------ */

struct tlog {
    xentoollog_logger vtable; /* first */
    unsigned int count;
    int last_errnoval;
    char text[4096]; /* every message, each ending in '\n' */
    bool clobber;    /* set errno = 12345 in vmessage */
};

static void tlog_vmessage(xentoollog_logger *lg, xentoollog_level level,
                          int errnoval, const char *context, const char *format,
                          va_list al)
{
    struct tlog *t = (struct tlog *)lg;
    size_t used = strlen(t->text);

    t->count++;
    t->last_errnoval = errnoval;
    if (used < sizeof(t->text) - 1) {
        vsnprintf(t->text + used, sizeof(t->text) - used, format, al);
        used = strlen(t->text);
        if (used < sizeof(t->text) - 1) {
            t->text[used] = '\n';
            t->text[used + 1] = '\0';
        }
    }
    if (t->clobber)
        errno = 12345;
}

static void tlog_progress(xentoollog_logger *lg, const char *context,
                          const char *doing_what, int percent,
                          unsigned long done, unsigned long total)
{
}

static void tlog_destroy(xentoollog_logger *lg)
{
}

static void tlog_init(struct tlog *t)
{
    memset(t, 0, sizeof(*t));
    t->vtable.vmessage = tlog_vmessage;
    t->vtable.progress = tlog_progress;
    t->vtable.destroy = tlog_destroy;
}

static void tlog_reset(struct tlog *t)
{
    t->count = 0;
    t->last_errnoval = 0;
    t->text[0] = '\0';
}

#define assert_logged(t, needle)                                               \
    do {                                                                       \
        if (!strstr((t)->text, (needle)))                                      \
            fail_msg("log \"%s\" lacks \"%s\"", (t)->text, (needle));          \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */
/* ------------------------------------------------------------------------ */

struct fixture {
    struct fake fake;
    struct tlog log;
    xcx_handle *h;
};

/* Domain ids of the fixture. */
enum {
    DOM_HVM1 = 1,   /* 1 vCPU, hvmloader-like record, policy 0 (no leaf) */
    DOM_HVM4 = 4,   /* 4 vCPUs, a different record each, policy 40 */
    DOM_PV = 7,     /* PV */
    DOM_NOVCPU = 9, /* HVM with no vCPU */
    DOM_MIX = 12,   /* 1 vCPU, overlaps of every kind, policy 0 */
    DOM_MISSING = 42,
};

/* hvmloader-like: def WB E FE, fixed WB but the VGA hole UC, pair 0 UC. */
static void regs_hvmloader(struct xcx_mtrr_regs *r)
{
    memset(r, 0, sizeof(*r));
    r->pat = CTXB_DEFAULT_PAT;
    r->cap = CTXB_DOMU_CAP;
    r->def_type = 0xc06;
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r->fixed[i] = UINT64_C(0x0606060606060606);
    r->fixed[2] = 0; /* MSR 0x259: 0xa0000-0xbffff UC */
    ctxb_set_var(r, 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
}

static const unsigned int vcpu_def_type[4] = {XCX_MT_WB, XCX_MT_UC, XCX_MT_WT,
                                              XCX_MT_WP};

/* vCPU @v of DOM_HVM4: default type and pair 0 differ per vCPU. */
static void regs_vcpu(struct xcx_mtrr_regs *r, unsigned int v)
{
    regs_hvmloader(r);
    r->def_type = XCX_MTRR_DEF_E | XCX_MTRR_DEF_FE | vcpu_def_type[v];
    ctxb_set_var(r, 0, 0x80000000 + (uint64_t)v * 0x10000000, 0x10000000,
                 XCX_MT_WC, 40);
}

/*
 * DOM_MIX: pair 0 UC [0xf0000000, 4G); pair 1 WB and pair 2 WC over
 * [0xc8000000, 0xd0000000) (undefined, Xen takes pair 2: WC); pair 3 WC
 * and pair 4 WB over [0xd8000000, 0xe0000000) (undefined, pair 4: WB).
 */
static void regs_mix(struct xcx_mtrr_regs *r)
{
    regs_hvmloader(r);
    ctxb_set_var(r, 1, 0xc0000000, 0x10000000, XCX_MT_WB, 36);
    ctxb_set_var(r, 2, 0xc8000000, 0x08000000, XCX_MT_WC, 36);
    ctxb_set_var(r, 3, 0xd0000000, 0x10000000, XCX_MT_WC, 36);
    ctxb_set_var(r, 4, 0xd8000000, 0x08000000, XCX_MT_WB, 36);
}

static struct fake_domain *add_domain(struct fake *f, uint32_t domid,
                                      unsigned int nr_vcpus, bool hvm,
                                      unsigned int maxphysaddr)
{
    struct fake_domain *d = &f->dom[f->nr++];

    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->nr_vcpus = nr_vcpus;
    d->hvm = hvm;
    d->maxphysaddr = maxphysaddr;
    d->err_record_vcpu = -1;
    return d;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct xcx_mtrr_regs r;
    struct fake_domain *d;

    if (!fx)
        return -1;
    tlog_init(&fx->log);

    d = add_domain(&fx->fake, DOM_HVM1, 1, true, 0);
    regs_hvmloader(&r);
    ctxb_record_encode(&r, d->rec[0]);

    d = add_domain(&fx->fake, DOM_HVM4, 4, true, 40);
    for (unsigned int v = 0; v < 4; v++) {
        regs_vcpu(&r, v);
        ctxb_record_encode(&r, d->rec[v]);
    }

    add_domain(&fx->fake, DOM_PV, 2, false, 40);
    add_domain(&fx->fake, DOM_NOVCPU, 0, true, 0);

    d = add_domain(&fx->fake, DOM_MIX, 1, true, 0);
    regs_mix(&r);
    ctxb_record_encode(&r, d->rec[0]);

    fx->h = xcx_handle_new(&fake_ops, &fx->fake, &fx->log.vtable);
    if (!fx->h) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    xcx_close(fx->h);
    free(fx);
    return 0;
}

static struct fake_domain *dom(struct fixture *fx, uint32_t domid)
{
    struct fake_domain *d = fake_find(&fx->fake, domid);

    assert_non_null(d);
    return d;
}

/* ------------------------------------------------------------------------ */
/* Success                                                                   */
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
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

static void test_missing_domain(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state st, *all = NULL;
    struct xcx_domain_info info;
    unsigned int nr = 0, bits = 0;
    uint8_t type = 0xee;

    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_MISSING, 0, 0, &st), -1);
    assert_int_equal(errno, ESRCH);
    assert_int_equal(fx->log.count, 1);
    assert_string_equal(fx->log.text, "no domain 42\n");
    assert_int_equal(fx->log.last_errnoval, ESRCH);
    assert_int_equal(fx->fake.calls_record, 0);

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_MISSING, 0, &all, &nr), -1);
    assert_int_equal(errno, ESRCH);
    assert_null(all);
    assert_int_equal(nr, 0);
    assert_string_equal(fx->log.text, "no domain 42\n");

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_domain_info(fx->h, DOM_MISSING, &info), -1);
    assert_int_equal(errno, ESRCH);
    assert_string_equal(fx->log.text, "no domain 42\n");

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_domain_maxphysaddr(fx->h, DOM_MISSING, &bits), -1);
    assert_int_equal(errno, ESRCH);
    assert_string_equal(fx->log.text, "no domain 42\n");

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_handle_mtrr_type(fx->h, DOM_MISSING, 0x1000, &type),
                     -1);
    assert_int_equal(errno, ESRCH);
    assert_int_equal(type, 0xee);
    assert_string_equal(fx->log.text, "no domain 42\n");
}

static void test_pv_domain(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state st, *all = NULL;
    unsigned int nr = 0;
    uint8_t type;

    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_PV, 0, 0, &st), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_int_equal(fx->log.count, 1);
    assert_string_equal(fx->log.text,
                        "domain 7 is PV; MTRR types need an HVM guest\n");
    assert_int_equal(fx->fake.calls_record, 0);
    assert_int_equal(fx->fake.calls_policy, 0);

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_PV, 0, &all, &nr), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_null(all);
    assert_string_equal(fx->log.text,
                        "domain 7 is PV; MTRR types need an HVM guest\n");

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_handle_mtrr_type(fx->h, DOM_PV, 0, &type), -1);
    assert_int_equal(errno, EOPNOTSUPP);
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
        tlog_reset(&fx->log);
        errno = 0;
        assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM4, 2, 0, &st), -1);
        assert_int_equal(errno, errs[i]);
        assert_int_equal(fx->log.count, 1);
        assert_int_equal(fx->log.last_errnoval, errs[i]);
        assert_logged(&fx->log, "domain 4");
        assert_logged(&fx->log, "vCPU 2");

        /* read_all fails at vCPU 2 after reading 0 and 1: no leak. */
        d->err_record_vcpu = 2;
        fake_reset_counters(&fx->fake);
        tlog_reset(&fx->log);
        errno = 0;
        all = NULL;
        assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 0, &all, &nr), -1);
        assert_int_equal(errno, errs[i]);
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
    errno = 0;
    assert_int_equal(xcx_domain_info(fx->h, DOM_HVM1, &info), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "domain 1");

    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(fx->fake.calls_record, 0);
    d->err_info = 0;

    /* The policy op failing passes Xen's errno through too. */
    d->err_policy = EPERM;
    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
    assert_int_equal(errno, EPERM);
    assert_logged(&fx->log, "domain 1");
    assert_int_equal(fx->fake.calls_record, 0);
    d->err_policy = 0;
}

static void test_vcpu_out_of_range(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_state st;

    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM4, 4, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "vCPU 4");
    assert_logged(&fx->log, "domain 4");
    assert_int_equal(fx->fake.calls_record, 0);

    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, UINT32_MAX, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(fx->fake.calls_record, 0);
}

static void test_invalid_record(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    uint8_t saved[XCX_MTRR_RECORD_SIZE];

    memcpy(saved, d->rec[0], sizeof(saved));

    /* PHYSBASE0 with type 2. */
    regs_hvmloader(&r);
    r.var[0].base = 0xf0000002;
    ctxb_record_encode(&r, d->rec[0]);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "PHYSBASE0");
    assert_logged(&fx->log, "0xf0000002");
    assert_logged(&fx->log, "domain 1 vCPU 0");

    /* MTRRdefType with type 3. */
    regs_hvmloader(&r);
    r.def_type = 0xc03;
    ctxb_record_encode(&r, d->rec[0]);
    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "MTRRdefType");
    assert_logged(&fx->log, "0xc03");

    /* A fixed sub-range with type 7 (UC- is PAT only). */
    regs_hvmloader(&r);
    ctxb_set_fixed(&r, 30, 7);
    ctxb_record_encode(&r, d->rec[0]);
    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "0x268"); /* sub-range 30 is in MSR 0x268 */

    /* VCNT 9. */
    regs_hvmloader(&r);
    r.cap = 0x509;
    ctxb_record_encode(&r, d->rec[0]);
    tlog_reset(&fx->log);
    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "MTRRcap");

    memcpy(d->rec[0], saved, sizeof(saved));
}

/* ------------------------------------------------------------------------ */
/* Physical-address width                                                    */
/* ------------------------------------------------------------------------ */

static void test_maxphysaddr_policy(void **state)
{
    static const struct {
        unsigned int policy, want;
    } cases[] = {{0, 36}, {40, 40}, {39, 39}, {32, 32}, {52, 52}, {36, 36}};
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_state st;
    unsigned int bits;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        d->maxphysaddr = cases[i].policy;
        fake_reset_counters(&fx->fake);
        bits = 0;
        assert_int_equal(xcx_domain_maxphysaddr(fx->h, DOM_HVM1, &bits), 0);
        assert_int_equal(bits, cases[i].want);
        if (cases[i].want < 36) {
            /* Pair 0's 36-bit mask has bits reserved at this width. */
            assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
            assert_int_equal(errno, EINVAL);
            assert_logged(&fx->log, "PHYSMASK0");
            tlog_reset(&fx->log);
            continue;
        }
        assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), 0);
        assert_int_equal(st.maxphysaddr, cases[i].want);
        assert_int_equal(fx->fake.calls_policy, 2);
    }
    assert_int_equal(fx->log.count, 0);
    d->maxphysaddr = 0;
}

static void test_maxphysaddr_explicit(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    struct xcx_mtrr_state st, *all = NULL;
    unsigned int nr;

    /* Policy says 40; the caller says 44; even a broken policy is unread. */
    d->err_policy = EACCES;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM4, 1, 44, &st), 0);
    assert_int_equal(st.maxphysaddr, 44);
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_HVM4, 46, &all, &nr), 0);
    assert_int_equal(nr, 4);
    for (unsigned int v = 0; v < nr; v++)
        assert_int_equal(all[v].maxphysaddr, 46);
    free(all);
    assert_int_equal(fx->fake.calls_policy, 0);
    assert_int_equal(fx->log.count, 0);
    d->err_policy = 0;

    /* An explicit width the record does not fit: the record is EINVAL. */
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM4, 0, 36, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "PHYSMASK0");
    assert_int_equal(fx->fake.calls_policy, 0);
}

static void test_maxphysaddr_bad_policy(void **state)
{
    static const unsigned int bad[] = {60, 20, 31, 53, 255};
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    struct xcx_mtrr_state st;
    unsigned int bits;
    uint8_t type;
    char num[16];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        d->maxphysaddr = bad[i];
        snprintf(num, sizeof(num), "%u", bad[i]);
        tlog_reset(&fx->log);
        fake_reset_counters(&fx->fake);
        errno = 0;
        bits = 77;
        assert_int_equal(xcx_domain_maxphysaddr(fx->h, DOM_HVM1, &bits), -1);
        assert_int_equal(errno, EINVAL);
        assert_int_equal(bits, 77);
        assert_int_equal(fx->log.count, 1);
        assert_logged(&fx->log, num);
        assert_logged(&fx->log, "domain 1");

        errno = 0;
        assert_int_equal(xcx_mtrr_read(fx->h, DOM_HVM1, 0, 0, &st), -1);
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_int_equal(xcx_handle_mtrr_type(fx->h, DOM_HVM1, 0, &type), -1);
        assert_int_equal(errno, EINVAL);
        assert_int_equal(fx->fake.calls_record, 0);
    }
    d->maxphysaddr = 0;
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
/* xc_domain_hvm_get_mtrr_type()'s logic                                     */
/* ------------------------------------------------------------------------ */

static void test_handle_mtrr_type(void **state)
{
    static const struct {
        uint64_t gpa;
        uint8_t type;
    } cases[] = {
        {0x0, XCX_MT_WB},     /* fixed 64K */
        {0x9ffff, XCX_MT_WB}, /* fixed 16K just below the hole */
        {0xa0000, XCX_MT_UC}, /* fixed: the VGA hole */
        {0xbffff, XCX_MT_UC},
        {0xc0000, XCX_MT_WB}, /* fixed 4K */
        {0xfffff, XCX_MT_WB},
        {0x100000, XCX_MT_WB},   /* default */
        {0xbfffffff, XCX_MT_WB}, /* default */
        {0xc0000000, XCX_MT_WB}, /* pair 1 alone */
        {0xc8000000, XCX_MT_WC}, /* pairs 1 WB + 2 WC: undefined, pair 2 */
        {0xcfffffff, XCX_MT_WC},
        {0xd0000000, XCX_MT_WC}, /* pair 3 alone */
        {0xd8000000, XCX_MT_WB}, /* pairs 3 WC + 4 WB: undefined, pair 4 */
        {0xe0000000, XCX_MT_WB}, /* default again */
        {0xf0000000, XCX_MT_UC}, /* pair 0 */
        {0xffffffff, XCX_MT_UC},
        {0x100000000, XCX_MT_WB}, /* default above 4 GiB */
        {0xfffffffff, XCX_MT_WB}, /* last address at width 36 */
    };
    struct fixture *fx = *state;
    struct xcx_mtrr_state st;
    uint8_t type;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct xcx_mtrr_result res;

        type = 0xee;
        assert_int_equal(
            xcx_handle_mtrr_type(fx->h, DOM_MIX, cases[i].gpa, &type), 0);
        if (type != cases[i].type)
            fail_msg("gpa %#llx: type %u, want %u",
                     (unsigned long long)cases[i].gpa, type, cases[i].type);
        /* The same as xcx_mtrr_read() + xcx_mtrr_resolve(). */
        assert_int_equal(xcx_mtrr_read(fx->h, DOM_MIX, 0, 0, &st), 0);
        assert_int_equal(xcx_mtrr_resolve(&st, cases[i].gpa, &res, NULL), 0);
        assert_int_equal(res.type, type);
    }
    assert_int_equal(fx->log.count, 0);

    assert_int_equal(xcx_mtrr_read(fx->h, DOM_MIX, 0, 0, &st), 0);
    {
        struct xcx_mtrr_result res;

        assert_int_equal(xcx_mtrr_resolve(&st, 0xc8000000, &res, NULL), 0);
        assert_int_equal(res.overlap, XCX_OVERLAP_UNDEFINED);
        assert_int_equal(res.pairs, 0x6);
        assert_int_equal(xcx_mtrr_resolve(&st, 0xd8000000, &res, NULL), 0);
        assert_int_equal(res.overlap, XCX_OVERLAP_UNDEFINED);
        assert_int_equal(res.pairs, 0x18);
        assert_int_equal(xcx_mtrr_resolve(&st, 0xa0000, &res, NULL), 0);
        assert_int_equal(res.origin, XCX_ORIGIN_FIXED);
        assert_int_equal(res.fixed_index, 16);
    }

    /* Past the width (36, from a policy without the leaf): ERANGE. */
    type = 0xee;
    errno = 0;
    assert_int_equal(
        xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_C(1) << 36, &type), -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(type, 0xee);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "0x1000000000");

    errno = 0;
    assert_int_equal(xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_MAX, &type),
                     -1);
    assert_int_equal(errno, ERANGE);

    /* With a 40-bit policy, 2^36 is fine. */
    dom(fx, DOM_MIX)->maxphysaddr = 40;
    assert_int_equal(
        xcx_handle_mtrr_type(fx->h, DOM_MIX, UINT64_C(1) << 36, &type), 0);
    dom(fx, DOM_MIX)->maxphysaddr = 0;

    /* vCPU 0 only. */
    fake_reset_counters(&fx->fake);
    assert_int_equal(xcx_handle_mtrr_type(fx->h, DOM_HVM4, 0x100000, &type), 0);
    assert_int_equal(type, vcpu_def_type[0]);
    assert_int_equal(fx->fake.calls_record_vcpu[0], 1);
    assert_int_equal(fx->fake.calls_record, 1);
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

    errno = 0;
    assert_int_equal(xcx_mtrr_read(fx->h, DOM_NOVCPU, 0, 0, &st), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(fx->log.count, 1);
    assert_logged(&fx->log, "domain 9");

    errno = 0;
    assert_int_equal(xcx_mtrr_read_all(fx->h, DOM_NOVCPU, 0, &all, &nr), -1);
    assert_int_equal(errno, EINVAL);
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

    fx->log.clobber = true;

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
    fx->log.clobber = false;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
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
        T(test_maxphysaddr_policy),
        T(test_maxphysaddr_explicit),
        T(test_maxphysaddr_bad_policy),
        T(test_vcpus_differ),
        T(test_one_read_per_vcpu),
        T(test_handle_mtrr_type),
        cmocka_unit_test(test_close),
        cmocka_unit_test(test_close_null),
        cmocka_unit_test(test_close_without_close_op),
        T(test_null_logger),
        T(test_no_vcpu),
        T(test_logging_keeps_errno),
    };
#undef T

    return cmocka_run_group_tests_name("backend", tests, NULL, NULL);
}
