/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seam between the library's logic and Xen. xen_backend.c is the one
 * implementation that calls libxenctrl; tests supply their own. Every
 * operation returns 0, or -1 with errno set and nothing logged: the caller
 * logs, naming the domain and vCPU.
 */
#ifndef XCX_BACKEND_H
#define XCX_BACKEND_H

#include "xenctrl_ext.h"

struct xcx_backend_ops {
    /* Facts of @domid; ESRCH when it does not exist. */
    int (*domain_info)(void *priv, uint32_t domid,
                       struct xcx_domain_info *info);
    /* The HVM_SAVE_CODE(MTRR) record of one vCPU, exactly @len bytes. */
    int (*mtrr_record)(void *priv, uint32_t domid, unsigned int vcpu, void *buf,
                       size_t len);
    /* CPUID 0x80000008 EAX[7:0] of the domain's policy, 0 if absent. */
    int (*maxphysaddr)(void *priv, uint32_t domid, unsigned int *bits);
    /* Release @priv; may be NULL. */
    void (*close)(void *priv);
};

/* A handle over any back end; @lg may be NULL. */
xcx_handle *xcx_handle_new(const struct xcx_backend_ops *ops, void *priv,
                           xentoollog_logger *lg);

/* xc_domain_hvm_get_mtrr_type()'s logic: vCPU 0, the policy's width. */
int xcx_handle_mtrr_type(xcx_handle *h, uint32_t domid, uint64_t gpa,
                         uint8_t *type);

#endif
