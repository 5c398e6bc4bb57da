/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ctxbuild.h"
#include "fake_backend.h"

/* ------------------------------------------------------------------------ */
/* The fake back end                                                         */
/* ------------------------------------------------------------------------ */

static struct fake_domain *fake_find(struct fake *f, uint32_t domid)
{
    for (unsigned int i = 0; i < f->nr; i++)
        if (f->dom[i].domid == domid)
            return &f->dom[i];
    return NULL;
}

static int fake_fail(int err)
{
    errno = err;
    return -1;
}

static int fake_domain_info(void *priv, uint32_t domid,
                            struct xcx_domain_info *info)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_info++;
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_info)
        return fake_fail(d->err_info);
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
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_record &&
        (d->err_record_vcpu < 0 || (unsigned int)d->err_record_vcpu == vcpu))
        return fake_fail(d->err_record);
    /* What Xen says for a bad instance or size. */
    if (vcpu >= d->nr_vcpus || vcpu >= FAKE_MAX_VCPUS ||
        len != XCX_MTRR_RECORD_SIZE)
        return fake_fail(EINVAL);
    memcpy(buf, d->rec[vcpu], len);
    return 0;
}

static int fake_maxphysaddr(void *priv, uint32_t domid, unsigned int *bits)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_policy++;
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_policy)
        return fake_fail(d->err_policy);
    *bits = d->maxphysaddr;
    return 0;
}

static void fake_close(void *priv)
{
    ((struct fake *)priv)->calls_close++;
}

const struct xcx_backend_ops fake_ops = {
    .domain_info = fake_domain_info,
    .mtrr_record = fake_mtrr_record,
    .maxphysaddr = fake_maxphysaddr,
    .close = fake_close,
};

void fake_reset_counters(struct fake *f)
{
    f->calls_info = f->calls_record = f->calls_policy = f->calls_close = 0;
    memset(f->calls_record_vcpu, 0, sizeof(f->calls_record_vcpu));
}

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */
/* ------------------------------------------------------------------------ */

/* The sample guest of tests/data/, but its VGA hole UC, pair 1 in slot 0. */
void regs_hvmloader(struct xcx_mtrr_regs *r)
{
    ctxb_hvmloader_regs(r, true);
    r->fixed[2] = 0; /* MSR 0x259: 0xa0000-0xbffff UC */
    r->var[0] = r->var[1];
    memset(&r->var[1], 0, sizeof(r->var[1]));
}

const unsigned int vcpu_def_type[4] = {XCX_MT_WB, XCX_MT_UC, XCX_MT_WT,
                                       XCX_MT_WP};

void regs_vcpu(struct xcx_mtrr_regs *r, unsigned int v)
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

int fixture_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct xcx_mtrr_regs r;
    struct fake_domain *d;

    if (!fx)
        return -1;
    caplog_init(&fx->log);

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

    fx->h = xcx_handle_new(&fake_ops, &fx->fake, caplog_logger(&fx->log));
    if (!fx->h) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

int fixture_teardown(void **state)
{
    struct fixture *fx = *state;

    xcx_close(fx->h);
    free(fx);
    return 0;
}

struct fake_domain *dom(struct fixture *fx, uint32_t domid)
{
    struct fake_domain *d = fake_find(&fx->fake, domid);

    assert_non_null(d);
    return d;
}
