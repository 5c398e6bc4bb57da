/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Xen back end, PV page-table part: vCPU roots, the M2P, foreign
 * mappings and page types, for lib/live/pv_domain.c. Split from xen_backend.c
 * (handles, domains, MTRR records, the monitor), which owns the handle and
 * lists these functions in its ops table; the two files are the only ones
 * that call libxenctrl, libxenguest, libxenevtchn and libxenforeignmemory.
 * Every function returns 0, or -1 with errno set and nothing logged.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xenguest.h>
#include <xen/domctl.h>
#include <xen/foreign/x86_32.h>
#include <xen/foreign/x86_64.h>

#include "xen_backend.h"

/*
 * libxenctrl 4.17 exports xc_get_pfn_type_batch() (XEN_DOMCTL_
 * getpageframeinfo3, which the save/restore code uses) but declares it only
 * in its private xc_private.h, which is not installed. This is that
 * declaration, unchanged since Xen 4.1.
 */
int xc_get_pfn_type_batch(xc_interface *xch, uint32_t dom, unsigned int num,
                          xen_pfn_t *arr);

_Static_assert(sizeof(xen_pfn_t) == sizeof(uint64_t),
               "MFN arrays are passed to libxenctrl as they are");
_Static_assert(
    XEN_DOMCTL_PFINFO_LTAB_SHIFT == XCX_PFINFO_SHIFT &&
        XEN_DOMCTL_PFINFO_L4TAB == (4u << XCX_PFINFO_SHIFT) &&
        XEN_DOMCTL_PFINFO_LTABTYPE_MASK ==
            (XCX_PFINFO_LTABTYPE << XCX_PFINFO_SHIFT) &&
        XEN_DOMCTL_PFINFO_LPINTAB == (XCX_PFINFO_LPINTAB << XCX_PFINFO_SHIFT) &&
        XEN_DOMCTL_PFINFO_BROKEN == (XCX_PFINFO_BROKEN << XCX_PFINFO_SHIFT) &&
        XEN_DOMCTL_PFINFO_XALLOC == (XCX_PFINFO_XALLOC << XCX_PFINFO_SHIFT) &&
        XEN_DOMCTL_PFINFO_XTAB == (XCX_PFINFO_XTAB << XCX_PFINFO_SHIFT),
    "XCX_PFINFO_* must match xen/domctl.h");

/* xc_map_m2p() maps whole 2 MiB chunks of the table (xg_private.h). */
#define M2P_CHUNK (UINT64_C(1) << 21)

struct xcx_fmem {
    xenforeignmemory_handle *fmem;
};

int xen_pv_info(void *priv, uint32_t domid, struct xcx_pv_info *info)
{
    struct xen_priv *x = priv;
    xc_domaininfo_t di;
    unsigned int width;
    xen_pfn_t gpfn = 0;

    if (xen_getinfo(x, domid, &di) ||
        xc_domain_get_guest_width(x->xch, domid, &width))
        return -1;
    /* The guest's own P2M size: a hint only, 0 when Xen will not say. */
    if (xc_domain_maximum_gpfn(x->xch, domid, &gpfn) < 0)
        gpfn = 0;
    info->width = width;
    info->max_pages = di.max_pages;
    info->max_gpfn = gpfn;
    return 0;
}

int xen_pv_roots(void *priv, uint32_t domid, unsigned int vcpu,
                 unsigned int width, uint64_t *kernel, uint64_t *user)
{
    struct xen_priv *x = priv;
    vcpu_guest_context_any_t ctx;

    if (xc_vcpu_getcontext(x->xch, domid, vcpu, &ctx))
        return -1;
    if (width == 8) {
        *kernel = xen_cr3_to_pfn_x86_64(ctx.x64.ctrlreg[3]);
        *user = xen_cr3_to_pfn_x86_64(ctx.x64.ctrlreg[1]);
    } else {
        *kernel = xen_cr3_to_pfn_x86_32(ctx.x32.ctrlreg[3]);
        *user = 0;
    }
    return 0;
}

int xen_m2p_map(void *priv, const uint64_t **m2p, uint64_t *max_mfn)
{
    struct xen_priv *x = priv;
    unsigned long max;
    xen_pfn_t *table;

    if (xc_maximum_ram_page(x->xch, &max))
        return -1;
    table = xc_map_m2p(x->xch, max, PROT_READ, NULL);
    if (!table)
        return -1;
    *m2p = (const uint64_t *)table;
    *max_mfn = max;
    return 0;
}

int xen_m2p_unmap(void *priv, const uint64_t *m2p, uint64_t max_mfn)
{
    uint64_t size =
        (max_mfn * sizeof(xen_pfn_t) + M2P_CHUNK - 1) & ~(M2P_CHUNK - 1);

    return munmap((void *)m2p, size);
}

int xen_fmem_open(void *priv, struct xcx_fmem **fm)
{
    struct xen_priv *x = priv;
    struct xcx_fmem *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    f->fmem = xenforeignmemory_open(x->xtl, 0);
    if (!f->fmem) {
        int saved = errno;

        free(f);
        errno = saved;
        return -1;
    }
    *fm = f;
    return 0;
}

int xen_fmem_close(void *priv, struct xcx_fmem *fm)
{
    int rc = xenforeignmemory_close(fm->fmem);
    int saved = errno;

    free(fm);
    errno = saved;
    return rc;
}

int xen_map_frames(void *priv, struct xcx_fmem *fm, uint32_t domid,
                   const uint64_t *mfns, size_t n, int *err, void **addr)
{
    void *p = xenforeignmemory_map(fm->fmem, domid, PROT_READ, n,
                                   (const xen_pfn_t *)mfns, err);

    if (!p)
        return -1;
    /* Linux's privcmd reports per-frame errors as negative errno values. */
    for (size_t i = 0; i < n; i++)
        if (err[i] < 0)
            err[i] = -err[i];
    *addr = p;
    return 0;
}

int xen_unmap_frames(void *priv, struct xcx_fmem *fm, void *addr, size_t n)
{
    return xenforeignmemory_unmap(fm->fmem, addr, n);
}

int xen_page_types(void *priv, uint32_t domid, uint64_t *arr, unsigned int n)
{
    struct xen_priv *x = priv;

    if (n > XCX_PFINFO_BATCH) {
        errno = E2BIG;
        return -1;
    }
    return xc_get_pfn_type_batch(x->xch, domid, n, (xen_pfn_t *)arr);
}
