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

/* An event channel bound by evtchn_bind: each back end's own type. */
struct xcx_evtchn;

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

    /*
     * The vm_event monitor (lib/monitor.c). A back end without one leaves
     * these NULL and the monitor fails with EOPNOTSUPP.
     */
    /* Pause or unpause the whole domain (a counted pause, as xl pause). */
    int (*domain_pause)(void *priv, uint32_t domid);
    int (*domain_unpause)(void *priv, uint32_t domid);
    /* Enable @domid's monitor ring: *@ring is its one page, mapped
     * read-write here, *@port Xen's end of its event channel. EBUSY when
     * the ring is enabled already. */
    int (*monitor_enable)(void *priv, uint32_t domid, void **ring,
                          uint32_t *port);
    int (*monitor_disable)(void *priv, uint32_t domid);
    /* Unmap the page monitor_enable mapped. */
    int (*ring_unmap)(void *priv, void *ring);
    /* Report every guest write of @msr (not only changes), or stop. */
    int (*monitor_msr)(void *priv, uint32_t domid, uint32_t msr, bool enable);
    /* Open an event channel handle and bind it to @domid's @remote_port:
     * *@fd becomes readable when an event is pending, *@local_port is our
     * end. */
    int (*evtchn_bind)(void *priv, uint32_t domid, uint32_t remote_port,
                       struct xcx_evtchn **ch, int *fd, uint32_t *local_port);
    /* The port of a pending event; call it when the fd is readable. */
    int (*evtchn_pending)(void *priv, struct xcx_evtchn *ch, uint32_t *port);
    int (*evtchn_unmask)(void *priv, struct xcx_evtchn *ch, uint32_t port);
    /* Signal the remote end (Xen reads the responses). */
    int (*evtchn_notify)(void *priv, struct xcx_evtchn *ch);
    /* Unbind and close; @ch is gone even when this fails. */
    int (*evtchn_close)(void *priv, struct xcx_evtchn *ch);
};

/* A handle: its back end and the caller's logger. */
struct xcx_handle {
    const struct xcx_backend_ops *ops;
    void *priv;
    xentoollog_logger *lg;
};

/* A handle over any back end; @lg may be NULL. */
xcx_handle *xcx_handle_new(const struct xcx_backend_ops *ops, void *priv,
                           xentoollog_logger *lg);

/* xc_domain_hvm_get_mtrr_type()'s logic: vCPU 0, the policy's width. */
int xcx_handle_mtrr_type(xcx_handle *h, uint32_t domid, uint64_t gpa,
                         uint8_t *type);

#endif
