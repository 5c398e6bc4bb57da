/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live PV domains over a back end: the vCPU roots, a cache of the guest's
 * frames mapped in batches, the M2P translation and Xen's page types, for
 * the pure walker and dump (pv_walk.c, pv_dump.c). No Xen calls here:
 * xen_pv_backend.c has them. Messages name the domain, vCPU and frame.
 *
 * Which PFN a frame has: the host's M2P says it (MFN -> PFN, written by
 * Xen for the frame's owner). Xen 4.17 gives no cheap per-frame owner
 * check besides the guest's own P2M, so an M2P answer is accepted unless
 * it is out of range for this guest: the MFN at or above the host's
 * highest RAM frame, or the entry (INVALID_M2P_ENTRY ~0, SHARED_M2P_ENTRY
 * ~0 - 1, debug patterns of Xen's pages) at or above the larger of the
 * domain's max_pages and its maximum GPFN + 1. A frame of another domain
 * with a small PFN (a grant mapping) passes this test; Xen's page types
 * (xcx_pv_page_types()) tell such frames apart: they come back invalid.
 *
 * Frame bounds: tables are read only from RAM (below the host's maximum
 * RAM page), but the walker's max_mfn is the architectural limit of 52-bit
 * machine addresses, so a leaf naming I/O memory above RAM (dom0, a guest
 * with passthrough) is shown, as a frame that is not the guest's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "frame_cache.h"
#include "private.h"

/* Machine frames of 52-bit machine addresses: the walker's bound. */
#define MFN_LIMIT (UINT64_C(1) << (52 - 12))

struct xcx_pv_domain {
    xcx_handle *h;
    uint32_t domid;
    unsigned int width;
    unsigned int nr_vcpus;
    uint64_t pfn_limit; /* M2P entries at or above: not the guest's */
    const uint64_t *m2p;
    uint64_t max_mfn;
    struct xcx_fmem *fm;
    struct frame_cache frames;
};

static const void *live_read_frame(void *arg, uint64_t mfn)
{
    struct xcx_pv_domain *pv = arg;

    return frame_cache_read(&pv->frames, mfn);
}

static void live_prefetch(void *arg, const uint64_t *mfns, size_t n)
{
    struct xcx_pv_domain *pv = arg;

    frame_cache_prefetch(&pv->frames, mfns, n);
}

static int live_m2p(void *arg, uint64_t mfn, uint64_t *pfn)
{
    const struct xcx_pv_domain *pv = arg;
    uint64_t v;

    if (mfn >= pv->max_mfn)
        goto not_ours;
    v = pv->m2p[mfn];
    if (v >= pv->pfn_limit)
        goto not_ours;
    *pfn = v;
    return 0;
not_ours:
    errno = ENOENT;
    return -1;
}

/* ------------------------------------------------------------------------ */
/* The API                                                                   */
/* ------------------------------------------------------------------------ */

static xcx_pv_domain *open_fail(xcx_pv_domain *pv)
{
    xcx_pv_close(pv);
    return NULL;
}

XCX_EXPORT xcx_pv_domain *xcx_pv_open(xcx_handle *h, uint32_t domid)
{
    const struct xcx_backend_ops *ops = h->ops;
    struct xcx_domain_info info;
    struct xcx_pv_info pvi;
    xcx_pv_domain *pv;

    if (!ops->pv_info) {
        xcx_fail(h->lg, EOPNOTSUPP,
                 "no PV page-table support in this back end");
        return NULL;
    }
    if (xcx_domain_info(h, domid, &info))
        return NULL;
    if (info.hvm) {
        xcx_fail(h->lg, EOPNOTSUPP,
                 "domain %u is HVM; page-table walks need a PV guest", domid);
        return NULL;
    }
    if (info.dying) {
        xcx_fail(h->lg, ESRCH, "domain %u is dying", domid);
        return NULL;
    }
    if (ops->pv_info(h->priv, domid, &pvi)) {
        xcx_log(h->lg, XTL_ERROR, errno, "reading the guest width of domain %u",
                domid);
        return NULL;
    }
    if (pvi.width != 4 && pvi.width != 8) {
        xcx_fail(h->lg, EINVAL,
                 "domain %u reports a guest width of %u bytes (4 or 8 "
                 "expected)",
                 domid, pvi.width);
        return NULL;
    }
    pv = calloc(1, sizeof(*pv));
    if (!pv)
        return NULL;
    pv->h = h;
    pv->domid = domid;
    pv->width = pvi.width;
    pv->nr_vcpus = info.nr_vcpus;
    pv->pfn_limit = pvi.max_pages;
    if (pvi.max_gpfn < UINT64_MAX && pvi.max_gpfn + 1 > pv->pfn_limit)
        pv->pfn_limit = pvi.max_gpfn + 1;
    if (ops->m2p_map(h->priv, &pv->m2p, &pv->max_mfn)) {
        pv->m2p = NULL;
        xcx_log(h->lg, XTL_ERROR, errno,
                "mapping the M2P table (for domain %u)", domid);
        return open_fail(pv);
    }
    if (ops->fmem_open(h->priv, &pv->fm)) {
        pv->fm = NULL;
        xcx_log(h->lg, XTL_ERROR, errno,
                "opening foreign memory (for domain %u)", domid);
        return open_fail(pv);
    }
    frame_cache_init(&pv->frames, h, domid, pv->fm, pv->max_mfn,
                     "of the host's RAM");
    return pv;
}

XCX_EXPORT void xcx_pv_close(xcx_pv_domain *pv)
{
    int saved = errno;

    if (!pv)
        return;
    frame_cache_free(&pv->frames);
    if (pv->fm && pv->h->ops->fmem_close(pv->h->priv, pv->fm))
        xcx_log(pv->h->lg, XTL_ERROR, errno,
                "closing foreign memory (of domain %u)", pv->domid);
    if (pv->m2p && pv->h->ops->m2p_unmap(pv->h->priv, pv->m2p, pv->max_mfn))
        xcx_log(pv->h->lg, XTL_ERROR, errno, "unmapping the M2P table");
    free(pv);
    errno = saved;
}

XCX_EXPORT unsigned int xcx_pv_width(const xcx_pv_domain *pv)
{
    return pv->width;
}

XCX_EXPORT unsigned int xcx_pv_nr_vcpus(const xcx_pv_domain *pv)
{
    return pv->nr_vcpus;
}

XCX_EXPORT int xcx_pv_root(xcx_pv_domain *pv, unsigned int vcpu, bool user,
                           uint64_t *mfn)
{
    xcx_handle *h = pv->h;
    uint64_t kernel, user_root;

    if (vcpu >= pv->nr_vcpus)
        return xcx_fail(h->lg, EINVAL, "vCPU %u out of range: domain %u has %u",
                        vcpu, pv->domid, pv->nr_vcpus);
    if (user && pv->width != 8)
        return xcx_fail(h->lg, ENOENT,
                        "domain %u is a 32-bit guest: it has no user root",
                        pv->domid);
    if (h->ops->pv_roots(h->priv, pv->domid, vcpu, pv->width, &kernel,
                         &user_root)) {
        if (errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", pv->domid);
        xcx_log(h->lg, XTL_ERROR, errno,
                "reading the context of domain %u vCPU %u", pv->domid, vcpu);
        return -1;
    }
    if (user && !user_root)
        return xcx_fail(h->lg, ENOENT,
                        "domain %u vCPU %u has no user root (ctrlreg[1] is 0)",
                        pv->domid, vcpu);
    if (!user && !kernel)
        return xcx_fail(h->lg, ENOENT,
                        "domain %u vCPU %u has no page tables (ctrlreg[3] is "
                        "0: the vCPU was never brought up)",
                        pv->domid, vcpu);
    *mfn = user ? user_root : kernel;
    return 0;
}

XCX_EXPORT void xcx_pv_guest(xcx_pv_domain *pv, struct xcx_pv_guest *g)
{
    memset(g, 0, sizeof(*g));
    g->width = pv->width;
    g->max_mfn = MFN_LIMIT;
    g->read_frame = live_read_frame;
    g->m2p = live_m2p;
    g->prefetch = live_prefetch;
    g->arg = pv;
}

XCX_EXPORT void xcx_pv_forget_frames(xcx_pv_domain *pv)
{
    frame_cache_forget(&pv->frames);
}

/* One XCX_PFINFO_* value as a struct xcx_page_type. */
static void decode_type(uint64_t v, struct xcx_page_type *t)
{
    unsigned int type = (v >> XCX_PFINFO_SHIFT) & 0xf;
    unsigned int level = type & XCX_PFINFO_LTABTYPE;

    memset(t, 0, sizeof(*t));
    if (type == XCX_PFINFO_XTAB || type == XCX_PFINFO_BROKEN ||
        type == XCX_PFINFO_XALLOC || level > 4) {
        t->invalid = true;
        return;
    }
    t->level = level;
    t->pinned = type & XCX_PFINFO_LPINTAB;
}

XCX_EXPORT int xcx_pv_page_types(xcx_pv_domain *pv, const uint64_t *mfns,
                                 size_t n, struct xcx_page_type *types)
{
    xcx_handle *h = pv->h;
    uint64_t buf[XCX_PFINFO_BATCH];

    for (size_t done = 0; done < n;) {
        unsigned int k =
            n - done < XCX_PFINFO_BATCH ? n - done : XCX_PFINFO_BATCH;

        memcpy(buf, mfns + done, k * sizeof(*buf));
        if (h->ops->page_types(h->priv, pv->domid, buf, k)) {
            if (errno == ESRCH)
                return xcx_fail(h->lg, ESRCH, "no domain %u", pv->domid);
            xcx_log(h->lg, XTL_ERROR, errno,
                    "reading the page types of %u frames of domain %u "
                    "(from frame 0x%" PRIx64 ")",
                    k, pv->domid, mfns[done]);
            return -1;
        }
        for (unsigned int i = 0; i < k; i++)
            decode_type(buf[i], &types[done + i]);
        done += k;
    }
    return 0;
}
