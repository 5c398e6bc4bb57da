/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the two files of the Xen back end share: xen_backend.c (handles,
 * domains, MTRR records, the vm_event monitor) and xen_pv_backend.c (PV
 * page tables: vCPU roots, the M2P, foreign mappings, page types). Only
 * these two files call libxenctrl & co.
 */
#ifndef XCX_XEN_BACKEND_H
#define XCX_XEN_BACKEND_H

#include <xenctrl.h>

#include "backend.h"

struct xs_handle;

struct xen_priv {
    xc_interface *xch;
    struct xs_handle *xs; /* xenstore, for names: opened when first needed */
    bool owned;           /* opened by xcx_open(), closed with the handle */
    xentoollog_logger quiet;
    xentoollog_logger *xtl; /* what libxenctrl logs to: the caller's or quiet */
};

/* xc_domain_getinfolist() of exactly @domid: ESRCH when it does not
 * exist (xen_backend.c). */
int xen_getinfo(struct xen_priv *x, uint32_t domid, xc_domaininfo_t *di);

/* The serialised CPUID leaves of domain @domid's policy, or of the host's
 * when @domid < 0: a malloc()ed array of *@nr (xen_backend.c). */
int xen_cpuid_leaves(struct xen_priv *x, int64_t domid,
                     xen_cpuid_leaf_t **leaves, uint32_t *nr);

/* The PV operations of struct xcx_backend_ops (xen_pv_backend.c). */
int xen_pv_info(void *priv, uint32_t domid, struct xcx_pv_info *info);
int xen_pv_roots(void *priv, uint32_t domid, unsigned int vcpu,
                 unsigned int width, uint64_t *kernel, uint64_t *user);
int xen_m2p_map(void *priv, const uint64_t **m2p, uint64_t *max_mfn);
int xen_m2p_unmap(void *priv, const uint64_t *m2p, uint64_t max_mfn);
int xen_fmem_open(void *priv, struct xcx_fmem **fm);
int xen_fmem_close(void *priv, struct xcx_fmem *fm);
int xen_map_frames(void *priv, struct xcx_fmem *fm, uint32_t domid,
                   const uint64_t *mfns, size_t n, int *err, void **addr);
int xen_unmap_frames(void *priv, struct xcx_fmem *fm, void *addr, size_t n);
int xen_page_types(void *priv, uint32_t domid, uint64_t *arr, unsigned int n);

/* What the effective-type code needs (xen_eff_backend.c). */
int xen_host_facts(void *priv, struct xcx_host_facts *out);
int xen_domain_hap(void *priv, uint32_t domid, bool *hap);
int xen_vcpu_cr0(void *priv, uint32_t domid, unsigned int vcpu, uint64_t *cr0);
int xen_host_mtrr_text(void *priv, char *buf, size_t size, size_t *len);
/* Domain names from xenstore (xen_names.c), and closing its connection. */
int xen_domain_name(void *priv, uint32_t domid, char *buf, size_t size);
void xen_names_close(struct xen_priv *x);

#endif
