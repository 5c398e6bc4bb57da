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
/* A foreign-memory handle of fmem_open: each back end's own type. */
struct xcx_fmem;

/* What the PV page-table code needs of a domain beyond its info. */
struct xcx_pv_info {
    unsigned int width; /* guest width in bytes: 4 or 8 */
    uint64_t max_pages; /* the toolstack's limit of the domain's pages */
    uint64_t max_gpfn;  /* the highest PFN the guest reports; 0 unknown */
};

/* Page types as XEN_DOMCTL_getpageframeinfo3 gives them (xen/domctl.h;
 * xen_backend.c checks they match): a 4-bit type in bits 28..31. */
#define XCX_PFINFO_SHIFT    28
#define XCX_PFINFO_NOTAB    0x0u
#define XCX_PFINFO_LTABTYPE 0x7u /* L1TAB..L4TAB: 1..4 */
#define XCX_PFINFO_LPINTAB  0x8u
#define XCX_PFINFO_BROKEN   0xdu
#define XCX_PFINFO_XALLOC   0xeu
#define XCX_PFINFO_XTAB     0xfu
/* At most this many MFNs per page_types call (the domctl's limit). */
#define XCX_PFINFO_BATCH 1024

/* What Xen tells of the host, for effective types. */
struct xcx_host_facts {
    unsigned int vendor;  /* XCX_VENDOR_*: CPUID leaf 0 of the host policy */
    bool hap;             /* XEN_SYSCTL_PHYSCAP_hap */
    uint32_t xen_version; /* major << 16 | minor << 8 | micro; 0 unknown */
};

struct xcx_backend_ops {
    /* Facts of @domid; ESRCH when it does not exist. */
    int (*domain_info)(void *priv, uint32_t domid,
                       struct xcx_domain_info *info);
    /* The HVM_SAVE_CODE(MTRR) record of one vCPU, exactly @len bytes. */
    int (*mtrr_record)(void *priv, uint32_t domid, unsigned int vcpu, void *buf,
                       size_t len);
    /* The HVM_SAVE_CODE(CPU) record of one vCPU into @buf of @len bytes
     * (XCX_HVM_CPU_RECORD_MAX: room for any record length; libxc does not
     * say the length, which is at least XCX_HVM_CPU_RECORD_MIN). NULL in a
     * back end without HVM walks: xcx_hvm_read_cpu() fails EOPNOTSUPP. */
    int (*cpu_record)(void *priv, uint32_t domid, unsigned int vcpu, void *buf,
                      size_t len);
    /* CPUID 0x80000008 EAX[7:0] of the domain's policy, 0 if absent. */
    int (*maxphysaddr)(void *priv, uint32_t domid, unsigned int *bits);
    /* Release @priv; may be NULL. */
    void (*close)(void *priv);

    /*
     * The vm_event monitor (lib/live/monitor.c). A back end without one leaves
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

    /*
     * PV page tables (lib/live/pv_domain.c). A back end without them leaves
     * these NULL and xcx_pv_open() fails with EOPNOTSUPP.
     */
    /* Width and memory bounds of PV domain @domid. */
    int (*pv_info)(void *priv, uint32_t domid, struct xcx_pv_info *info);
    /* The root table MFNs of one vCPU of a guest of @width bytes:
     * ctrlreg[3] into *@kernel, ctrlreg[1] of a 64-bit guest into *@user
     * (0: none; always 0 for a 32-bit guest). */
    int (*pv_roots)(void *priv, uint32_t domid, unsigned int vcpu,
                    unsigned int width, uint64_t *kernel, uint64_t *user);
    /* Map the host's M2P read-only: *@m2p has *@max_mfn entries (MFN ->
     * PFN), valid until m2p_unmap. */
    int (*m2p_map)(void *priv, const uint64_t **m2p, uint64_t *max_mfn);
    int (*m2p_unmap)(void *priv, const uint64_t *m2p, uint64_t max_mfn);
    /* A foreign-memory handle, and its release (gone even on failure). */
    int (*fmem_open)(void *priv, struct xcx_fmem **fm);
    int (*fmem_close)(void *priv, struct xcx_fmem *fm);
    /* Map @n frames of @domid read-only, in order, into *@addr (@n pages);
     * err[i] is 0 or the errno of frame i, whose page must not be read.
     * -1 when nothing is mapped. */
    int (*map_frames)(void *priv, struct xcx_fmem *fm, uint32_t domid,
                      const uint64_t *mfns, size_t n, int *err, void **addr);
    /* Unmap what one map_frames call mapped. */
    int (*unmap_frames)(void *priv, struct xcx_fmem *fm, void *addr, size_t n);
    /* Xen's page types of @n MFNs (n <= XCX_PFINFO_BATCH): each entry of
     * @arr, an MFN, is overwritten with its XCX_PFINFO_* value. */
    int (*page_types)(void *priv, uint32_t domid, uint64_t *arr,
                      unsigned int n);

    /*
     * Domain lists (xcx_domain_list() in lib/live/domain.c): up to @max domains
     * with a domid at or above @first, ascending, into @out; *@got says how
     * many (fewer than @max: no more). A back end without it leaves it NULL
     * and the list fails with EOPNOTSUPP.
     */
    int (*domain_list)(void *priv, uint32_t first, struct xcx_domain_entry *out,
                       unsigned int max, unsigned int *got);

    /* The running Xen's XENVER_version (major << 16 | minor) into *@ver and
     * XENVER_extraversion (".5-pre") into @extra, NUL-terminated within
     * @len. NULL: xcx_xen_version() fails with EOPNOTSUPP. */
    int (*xen_version)(void *priv, uint32_t *ver, char *extra, size_t len);
    /*
     * Effective types (lib/live/effective_live.c). A back end without them
     * leaves them NULL: the facts they give stay unknown.
     */
    int (*host_facts)(void *priv, struct xcx_host_facts *out);
    /* XEN_DOMINF_hap of @domid. */
    int (*domain_hap)(void *priv, uint32_t domid, bool *hap);
    /* CR0 of one vCPU, from its HVM CPU save record. */
    int (*vcpu_cr0)(void *priv, uint32_t domid, unsigned int vcpu,
                    uint64_t *cr0);
    /* dom0's /proc/mtrr, up to @size bytes, into @buf (*@len bytes);
     * ENOENT when dom0 has none. */
    int (*host_mtrr_text)(void *priv, char *buf, size_t size, size_t *len);
    /*
     * The toolstack's name of @domid (lib/live/domain_name.c), NUL-terminated
     * into @buf of @size bytes: ENOENT when it has none, ERANGE when it does
     * not fit, EILSEQ when it holds a NUL. NULL: names fail with EOPNOTSUPP.
     */
    int (*domain_name)(void *priv, uint32_t domid, char *buf, size_t size);
    /*
     * Whether a guest has run (lib/live/domain_run.c). A back end without
     * them leaves them NULL: those calls fail with EOPNOTSUPP.
     */
    /* The nanoseconds vCPU @vcpu has spent running: XEN_DOMCTL_getvcpuinfo's
     * cpu_time, the runstate's RUNSTATE_running time. Xen starts a vCPU
     * offline and adds to it only while the vCPU is scheduled. */
    int (*vcpu_run_time)(void *priv, uint32_t domid, unsigned int vcpu,
                         uint64_t *ns);
    /* One domain as domain_list lists it (UUID, toolstack pause). */
    int (*domain_entry)(void *priv, uint32_t domid,
                        struct xcx_domain_entry *entry);
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

/*
 * Fill what the back end knows of @domid into a log header: domid, name
 * ("" when the toolstack gave none), UUID, the Xen version. The rest
 * (width, vCPUs, from_start, start) is the caller's.
 */
int xcx_domain_log_identity(xcx_handle *h, uint32_t domid,
                            struct xcx_log_header *hdr);

/* Which vCPU of @domid's @nr_vcpus has run first found: 1 with *@vcpu and
 * its *@ns, 0 when none has; -1 (logged) on error. */
int xcx_domain_first_ran(xcx_handle *h, uint32_t domid, unsigned int nr_vcpus,
                         unsigned int *vcpu, uint64_t *ns);

/* xc_domain_hvm_get_mtrr_type()'s logic: vCPU 0, the policy's width. */
int xcx_handle_mtrr_type(xcx_handle *h, uint32_t domid, uint64_t gpa,
                         uint8_t *type);

#endif
