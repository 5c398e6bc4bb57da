/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live domains over a back end: which domain, which vCPU, which width, and
 * the messages that name them. No Xen calls here; xen_backend.c has them.
 */
#include <errno.h>
#include <stdlib.h>

#include "backend.h"
#include "private.h"

xcx_handle *xcx_handle_new(const struct xcx_backend_ops *ops, void *priv,
                           xentoollog_logger *lg)
{
    struct xcx_handle *h = calloc(1, sizeof(*h));

    if (!h)
        return NULL;
    h->ops = ops;
    h->priv = priv;
    h->lg = lg;
    return h;
}

XCX_EXPORT int xcx_close(xcx_handle *h)
{
    if (!h)
        return 0;
    if (h->ops->close)
        h->ops->close(h->priv);
    free(h);
    return 0;
}

XCX_EXPORT int xcx_domain_info(xcx_handle *h, uint32_t domid,
                               struct xcx_domain_info *info)
{
    if (!h->ops->domain_info(h->priv, domid, info))
        return 0;
    if (errno == ESRCH)
        return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
    xcx_log(h->lg, XTL_ERROR, errno, "reading the information of domain %u",
            domid);
    return -1;
}

XCX_EXPORT int xcx_domain_maxphysaddr(xcx_handle *h, uint32_t domid,
                                      unsigned int *bits)
{
    unsigned int width;

    if (h->ops->maxphysaddr(h->priv, domid, &width)) {
        if (errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
        xcx_log(h->lg, XTL_ERROR, errno, "reading the CPU policy of domain %u",
                domid);
        return -1;
    }
    if (!width)
        width = XCX_MAXPHYSADDR_DEFAULT; /* no leaf 0x80000008 */
    if (width < XCX_MAXPHYSADDR_MIN || width > XCX_MAXPHYSADDR_MAX)
        return xcx_fail(h->lg, EINVAL,
                        "domain %u's CPU policy reports maxphysaddr %u, "
                        "outside [%u, %u]",
                        domid, width, XCX_MAXPHYSADDR_MIN, XCX_MAXPHYSADDR_MAX);
    *bits = width;
    return 0;
}

/* The domain's facts, if it is one whose MTRRs can be read. */
static int hvm_domain(xcx_handle *h, uint32_t domid,
                      struct xcx_domain_info *info)
{
    if (xcx_domain_info(h, domid, info))
        return -1;
    if (!info->hvm)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "domain %u is PV; MTRR types need an HVM guest", domid);
    if (!info->nr_vcpus)
        return xcx_fail(h->lg, EINVAL, "domain %u has no vCPU", domid);
    return 0;
}

static int width_of(xcx_handle *h, uint32_t domid, unsigned int given,
                    unsigned int *width)
{
    if (!given)
        return xcx_domain_maxphysaddr(h, domid, width);
    *width = given;
    return 0;
}

static int read_one(xcx_handle *h, uint32_t domid, unsigned int vcpu,
                    unsigned int width, struct xcx_mtrr_state *st)
{
    unsigned char rec[XCX_MTRR_RECORD_SIZE];

    if (h->ops->mtrr_record(h->priv, domid, vcpu, rec, sizeof(rec))) {
        xcx_log(h->lg, XTL_ERROR, errno,
                "reading the MTRR record of domain %u vCPU %u", domid, vcpu);
        return -1;
    }
    if (xcx_mtrr_record_decode(st, rec, sizeof(rec), width, h->lg)) {
        xcx_log(h->lg, XTL_ERROR, -1, "(the MTRR record of domain %u vCPU %u)",
                domid, vcpu);
        return -1;
    }
    return 0;
}

XCX_EXPORT int xcx_mtrr_read(xcx_handle *h, uint32_t domid, unsigned int vcpu,
                             unsigned int maxphysaddr,
                             struct xcx_mtrr_state *st)
{
    struct xcx_domain_info info;
    unsigned int width;

    if (hvm_domain(h, domid, &info))
        return -1;
    if (vcpu >= info.nr_vcpus)
        return xcx_fail(h->lg, EINVAL, "vCPU %u out of range: domain %u has %u",
                        vcpu, domid, info.nr_vcpus);
    if (width_of(h, domid, maxphysaddr, &width))
        return -1;
    return read_one(h, domid, vcpu, width, st);
}

XCX_EXPORT int xcx_mtrr_read_all(xcx_handle *h, uint32_t domid,
                                 unsigned int maxphysaddr,
                                 struct xcx_mtrr_state **states,
                                 unsigned int *nr)
{
    struct xcx_domain_info info;
    struct xcx_mtrr_state *all;
    unsigned int width;

    if (hvm_domain(h, domid, &info) || width_of(h, domid, maxphysaddr, &width))
        return -1;
    all = calloc(info.nr_vcpus, sizeof(*all));
    if (!all)
        return -1;
    for (unsigned int v = 0; v < info.nr_vcpus; v++) {
        if (read_one(h, domid, v, width, &all[v])) {
            int saved = errno;

            free(all);
            errno = saved;
            return -1;
        }
    }
    *states = all;
    *nr = info.nr_vcpus;
    return 0;
}

int xcx_handle_mtrr_type(xcx_handle *h, uint32_t domid, uint64_t gpa,
                         uint8_t *type)
{
    struct xcx_mtrr_state st;
    struct xcx_mtrr_result res;

    if (xcx_mtrr_read(h, domid, 0, 0, &st) ||
        xcx_mtrr_resolve(&st, gpa, &res, h->lg))
        return -1;
    *type = res.type;
    return 0;
}

/* Domains asked of the back end at a time, and the first domid that is no
 * domain's (DOMID_FIRST_RESERVED). */
#define LIST_CHUNK     64
#define DOMID_RESERVED 0x7ff0u

/* Check one chunk: ascending, from @first on, none reserved. */
static int check_chunk(xcx_handle *h, const struct xcx_domain_entry *e,
                       unsigned int got, uint32_t first)
{
    for (unsigned int i = 0; i < got; i++) {
        uint32_t d = e[i].info.domid;

        if (d < first || d >= DOMID_RESERVED || (i && d <= e[i - 1].info.domid))
            return xcx_fail(h->lg, EIO,
                            "listing domains from %u: Xen listed domain %u "
                            "out of order",
                            first, d);
    }
    return 0;
}

XCX_EXPORT int xcx_domain_list(xcx_handle *h, struct xcx_domain_entry **list,
                               unsigned int *nr)
{
    struct xcx_domain_entry *all = NULL, *grown;
    unsigned int count = 0, got = LIST_CHUNK;
    uint32_t first = 0;

    if (!h || !list || !nr)
        return xcx_fail(h ? h->lg : NULL, EINVAL,
                        "xcx_domain_list: NULL argument");
    if (!h->ops->domain_list)
        return xcx_fail(h->lg, EOPNOTSUPP, "this back end cannot list domains");
    /* Strictly ascending domids below DOMID_RESERVED: this ends. */
    while (got == LIST_CHUNK && first < DOMID_RESERVED) {
        grown = realloc(all, (count + LIST_CHUNK) * sizeof(*all));
        if (!grown)
            goto fail;
        all = grown;
        if (h->ops->domain_list(h->priv, first, all + count, LIST_CHUNK,
                                &got)) {
            xcx_log(h->lg, XTL_ERROR, errno, "listing domains from %u", first);
            goto fail;
        }
        if (got > LIST_CHUNK) {
            xcx_fail(h->lg, EIO, "listing domains from %u: %u answers to %u",
                     first, got, LIST_CHUNK);
            goto fail;
        }
        if (check_chunk(h, all + count, got, first))
            goto fail;
        count += got;
        if (got)
            first = all[count - 1].info.domid + 1;
    }
    if (!count) {
        free(all);
        all = NULL;
    }
    *list = all;
    *nr = count;
    return 0;
fail:
    free(all);
    return -1;
}
