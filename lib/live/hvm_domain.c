/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live HVM/PVH domains over a back end, for the pure walker and dump
 * (hvm_walk.c, hvm_dump.c): each vCPU's control registers from its CPU
 * save record, the guest's physical-address width from its CPU policy,
 * and its frames (GFNs) mapped in batches through the frame cache. No Xen
 * calls here: the back end has them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "frame_cache.h"
#include "private.h"

/* Guest frames of 52-bit guest-physical addresses. */
#define GFN_LIMIT (UINT64_C(1) << (52 - 12))

struct xcx_hvm_domain {
    xcx_handle *h;
    uint32_t domid;
    unsigned int nr_vcpus;
    unsigned int maxphysaddr; /* 0: the policy does not say */
    struct xcx_fmem *fm;
    struct frame_cache frames;
};

static const void *live_read_frame(void *arg, uint64_t gfn)
{
    struct xcx_hvm_domain *d = arg;

    return frame_cache_read(&d->frames, gfn);
}

static void live_prefetch(void *arg, const uint64_t *gfns, size_t n)
{
    struct xcx_hvm_domain *d = arg;

    frame_cache_prefetch(&d->frames, gfns, n);
}

/* The domain exists, is HVM or PVH and not dying. */
static int check_domain(xcx_handle *h, uint32_t domid,
                        struct xcx_domain_info *info)
{
    if (!h->ops->cpu_record || !h->ops->fmem_open)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "no HVM page-table support in this back end");
    if (xcx_domain_info(h, domid, info))
        return -1;
    if (!info->hvm)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "domain %u is PV; use xcx_pv_open() for its tables",
                        domid);
    if (info->dying)
        return xcx_fail(h->lg, ESRCH, "domain %u is dying", domid);
    return 0;
}

XCX_EXPORT xcx_hvm_domain *xcx_hvm_open(xcx_handle *h, uint32_t domid)
{
    struct xcx_domain_info info;
    xcx_hvm_domain *d;

    if (check_domain(h, domid, &info))
        return NULL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->h = h;
    d->domid = domid;
    d->nr_vcpus = info.nr_vcpus;
    if (h->ops->maxphysaddr &&
        h->ops->maxphysaddr(h->priv, domid, &d->maxphysaddr))
        d->maxphysaddr = 0; /* the walker then takes 52: said in the doc */
    if (h->ops->fmem_open(h->priv, &d->fm)) {
        xcx_log(h->lg, XTL_ERROR, errno,
                "opening foreign memory (for domain %u)", domid);
        free(d);
        return NULL;
    }
    frame_cache_init(&d->frames, h, domid, d->fm, GFN_LIMIT,
                     "of 52-bit guest-physical addresses");
    return d;
}

XCX_EXPORT void xcx_hvm_close(xcx_hvm_domain *d)
{
    int saved = errno;

    if (!d)
        return;
    frame_cache_free(&d->frames);
    if (d->h->ops->fmem_close(d->h->priv, d->fm))
        xcx_log(d->h->lg, XTL_ERROR, errno,
                "closing foreign memory (of domain %u)", d->domid);
    free(d);
    errno = saved;
}

XCX_EXPORT unsigned int xcx_hvm_nr_vcpus(const xcx_hvm_domain *d)
{
    return d->nr_vcpus;
}

XCX_EXPORT int xcx_hvm_read_cpu(xcx_hvm_domain *d, unsigned int vcpu,
                                struct xcx_hvm_cpu *cpu)
{
    xcx_handle *h = d->h;
    unsigned char *rec;
    int rc;

    if (vcpu >= d->nr_vcpus)
        return xcx_fail(h->lg, EINVAL, "vCPU %u out of range: domain %u has %u",
                        vcpu, d->domid, d->nr_vcpus);
    rec = calloc(1, XCX_HVM_CPU_RECORD_MAX);
    if (!rec)
        return -1;
    rc = h->ops->cpu_record(h->priv, d->domid, vcpu, rec,
                            XCX_HVM_CPU_RECORD_MAX);
    if (rc && errno == ESRCH)
        xcx_fail(h->lg, ESRCH, "no domain %u", d->domid);
    else if (rc)
        xcx_log(h->lg, XTL_ERROR, errno,
                "reading the CPU record of domain %u vCPU %u", d->domid, vcpu);
    else
        rc = xcx_hvm_cpu_from_record(rec, XCX_HVM_CPU_RECORD_MAX, cpu, h->lg);
    free(rec);
    return rc;
}

XCX_EXPORT void xcx_hvm_guest(xcx_hvm_domain *d, struct xcx_hvm_guest *g)
{
    memset(g, 0, sizeof(*g));
    g->maxphysaddr = d->maxphysaddr;
    g->read_frame = live_read_frame;
    g->prefetch = live_prefetch;
    g->arg = d;
}

XCX_EXPORT void xcx_hvm_forget_frames(xcx_hvm_domain *d)
{
    frame_cache_forget(&d->frames);
}
