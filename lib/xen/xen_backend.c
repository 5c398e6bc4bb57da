/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Xen back end: with xen_pv_backend.c (its PV page-table operations,
 * split off to keep each file readable), the only code that calls
 * libxenctrl, libxenguest, libxenevtchn and libxenforeignmemory.
 * Everything else reaches Xen through struct xcx_backend_ops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenguest.h>
#include <xen/hvm/save.h>

#include "private.h"
#include "xen_backend.h"

_Static_assert(sizeof(struct hvm_hw_mtrr) == XCX_MTRR_RECORD_SIZE,
               "XCX_MTRR_RECORD_SIZE must match Xen's struct hvm_hw_mtrr");

#define LEAF_EXT_MAX  0x80000000u
#define LEAF_ADDR_WID 0x80000008u

int xen_getinfo(struct xen_priv *x, uint32_t domid, xc_domaininfo_t *di)
{
    int rc = xc_domain_getinfolist(x->xch, domid, 1, di);

    if (rc < 0)
        return -1;
    /* getinfolist returns the next domain at or above domid. */
    if (rc == 0 || di->domain != domid) {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

static void fill_info(const xc_domaininfo_t *di, struct xcx_domain_info *info)
{
    info->domid = di->domain;
    info->nr_vcpus = di->max_vcpu_id + 1;
    info->hvm = di->flags & XEN_DOMINF_hvm_guest;
    info->dying = di->flags & XEN_DOMINF_dying;
}

static int xen_domain_info(void *priv, uint32_t domid,
                           struct xcx_domain_info *info)
{
    xc_domaininfo_t di;

    if (xen_getinfo(priv, domid, &di))
        return -1;
    fill_info(&di, info);
    return 0;
}

static void fill_entry(const xc_domaininfo_t *di, struct xcx_domain_entry *e)
{
    fill_info(di, &e->info);
    _Static_assert(sizeof(e->handle) == sizeof(di->handle),
                   "a domain handle is a UUID");
    memcpy(e->handle, di->handle, sizeof(e->handle));
    e->paused = di->flags & XEN_DOMINF_paused;
    e->shutdown = di->flags & XEN_DOMINF_shutdown;
}

static int xen_domain_entry(void *priv, uint32_t domid,
                            struct xcx_domain_entry *entry)
{
    xc_domaininfo_t di;

    if (xen_getinfo(priv, domid, &di))
        return -1;
    fill_entry(&di, entry);
    return 0;
}

static int xen_vcpu_run_time(void *priv, uint32_t domid, unsigned int vcpu,
                             uint64_t *ns)
{
    struct xen_priv *x = priv;
    xc_vcpuinfo_t info;

    if (xc_vcpu_getinfo(x->xch, domid, vcpu, &info))
        return -1;
    *ns = info.cpu_time;
    return 0;
}

static int xen_domain_list(void *priv, uint32_t first,
                           struct xcx_domain_entry *out, unsigned int max,
                           unsigned int *got)
{
    struct xen_priv *x = priv;
    xc_domaininfo_t *di = calloc(max ? max : 1, sizeof(*di));
    int rc, saved;

    if (!di)
        return -1;
    rc = xc_domain_getinfolist(x->xch, first, max, di);
    for (int i = 0; i < rc; i++)
        fill_entry(&di[i], &out[i]);
    saved = errno;
    free(di);
    errno = saved;
    if (rc < 0)
        return -1;
    *got = rc;
    return 0;
}

static int xen_mtrr_record(void *priv, uint32_t domid, unsigned int vcpu,
                           void *buf, size_t len)
{
    struct xen_priv *x = priv;

    return xc_domain_hvm_getcontext_partial(x->xch, domid, HVM_SAVE_CODE(MTRR),
                                            vcpu, buf, len);
}

static int xen_cpu_record(void *priv, uint32_t domid, unsigned int vcpu,
                          void *buf, size_t len)
{
    struct xen_priv *x = priv;

    _Static_assert(sizeof(struct hvm_hw_cpu) <= XCX_HVM_CPU_RECORD_MAX &&
                       sizeof(struct hvm_hw_cpu) >= XCX_HVM_CPU_RECORD_MIN,
                   "struct hvm_hw_cpu fits the CPU record bounds");
    memset(buf, 0, len);
    return xc_domain_hvm_getcontext_partial(x->xch, domid, HVM_SAVE_CODE(CPU),
                                            vcpu, buf, len);
}

/* Leaf 0x80000008 EAX[7:0] in a serialised policy; 0 when absent. */
static unsigned int width_from_leaves(const xen_cpuid_leaf_t *leaves,
                                      uint32_t nr)
{
    uint32_t ext_max = 0, eax = 0;

    for (uint32_t i = 0; i < nr; i++) {
        if (leaves[i].leaf == LEAF_EXT_MAX)
            ext_max = leaves[i].a;
        else if (leaves[i].leaf == LEAF_ADDR_WID)
            eax = leaves[i].a;
    }
    return ext_max >= LEAF_ADDR_WID ? (eax & 0xff) : 0;
}

int xen_cpuid_leaves(struct xen_priv *x, int64_t domid, xen_cpuid_leaf_t **out,
                     uint32_t *nr)
{
    xc_cpu_policy_t *policy = xc_cpu_policy_init();
    xen_cpuid_leaf_t *leaves = NULL;
    xen_msr_entry_t *msrs = NULL;
    uint32_t nr_leaves, nr_msrs;
    int rc = -1, saved;

    if (!policy)
        return -1;
    if (xc_cpu_policy_get_size(x->xch, &nr_leaves, &nr_msrs))
        goto out;
    leaves = calloc(nr_leaves, sizeof(*leaves));
    msrs = calloc(nr_msrs ? nr_msrs : 1, sizeof(*msrs));
    if (!leaves || !msrs)
        goto out;
    if ((domid < 0 ? xc_cpu_policy_get_system(
                         x->xch, XEN_SYSCTL_cpu_policy_host, policy)
                   : xc_cpu_policy_get_domain(x->xch, domid, policy)) ||
        xc_cpu_policy_serialise(x->xch, policy, leaves, &nr_leaves, msrs,
                                &nr_msrs))
        goto out;
    *out = leaves;
    *nr = nr_leaves;
    leaves = NULL;
    rc = 0;
out:
    saved = errno;
    free(leaves);
    free(msrs);
    xc_cpu_policy_destroy(policy);
    errno = saved;
    return rc;
}

static int xen_maxphysaddr(void *priv, uint32_t domid, unsigned int *bits)
{
    xen_cpuid_leaf_t *leaves;
    uint32_t nr;

    if (xen_cpuid_leaves(priv, domid, &leaves, &nr))
        return -1;
    *bits = width_from_leaves(leaves, nr);
    free(leaves);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The vm_event monitor                                                      */
/* ------------------------------------------------------------------------ */

struct xcx_evtchn {
    xenevtchn_handle *xce;
    evtchn_port_t port; /* our end */
};

static int xen_domain_pause(void *priv, uint32_t domid)
{
    return xc_domain_pause(((struct xen_priv *)priv)->xch, domid);
}

static int xen_domain_unpause(void *priv, uint32_t domid)
{
    return xc_domain_unpause(((struct xen_priv *)priv)->xch, domid);
}

static int xen_monitor_enable(void *priv, uint32_t domid, void **ring,
                              uint32_t *port)
{
    struct xen_priv *x = priv;
    void *page = xc_monitor_enable(x->xch, domid, port);

    if (!page)
        return -1;
    *ring = page;
    return 0;
}

static int xen_monitor_disable(void *priv, uint32_t domid)
{
    return xc_monitor_disable(((struct xen_priv *)priv)->xch, domid);
}

static int xen_ring_unmap(void *priv, void *ring)
{
    return munmap(ring, XC_PAGE_SIZE);
}

static int xen_monitor_msr(void *priv, uint32_t domid, uint32_t msr,
                           bool enable)
{
    struct xen_priv *x = priv;

    return xc_monitor_mov_to_msr(x->xch, domid, msr, enable, false);
}

static int xen_evtchn_bind(void *priv, uint32_t domid, uint32_t remote_port,
                           struct xcx_evtchn **ch, int *fd,
                           uint32_t *local_port)
{
    struct xen_priv *x = priv;
    struct xcx_evtchn *e = calloc(1, sizeof(*e));
    xenevtchn_port_or_error_t port;
    int saved;

    if (!e)
        return -1;
    e->xce = xenevtchn_open(x->xtl, 0);
    if (!e->xce)
        goto fail;
    port = xenevtchn_bind_interdomain(e->xce, domid, remote_port);
    if (port < 0)
        goto fail;
    e->port = port;
    *ch = e;
    *fd = xenevtchn_fd(e->xce);
    *local_port = port;
    return 0;
fail:
    saved = errno;
    if (e->xce)
        xenevtchn_close(e->xce);
    free(e);
    errno = saved;
    return -1;
}

static int xen_evtchn_pending(void *priv, struct xcx_evtchn *ch, uint32_t *port)
{
    xenevtchn_port_or_error_t p = xenevtchn_pending(ch->xce);

    if (p < 0)
        return -1;
    *port = p;
    return 0;
}

static int xen_evtchn_unmask(void *priv, struct xcx_evtchn *ch, uint32_t port)
{
    return xenevtchn_unmask(ch->xce, port);
}

static int xen_evtchn_notify(void *priv, struct xcx_evtchn *ch)
{
    return xenevtchn_notify(ch->xce, ch->port);
}

static int xen_evtchn_close(void *priv, struct xcx_evtchn *ch)
{
    int rc = xenevtchn_unbind(ch->xce, ch->port);
    int saved = errno;

    if (xenevtchn_close(ch->xce) && !rc) {
        rc = -1;
        saved = errno;
    }
    free(ch);
    errno = saved;
    return rc;
}

/* XENVER_version and XENVER_extraversion, as xl info reads them. */
static int xen_xen_version(void *priv, uint32_t *ver, char *extra, size_t len)
{
    struct xen_priv *x = priv;
    xen_extraversion_t ev;
    int v = xc_version(x->xch, XENVER_version, NULL);

    if (v < 0 || xc_version(x->xch, XENVER_extraversion, &ev) < 0)
        return -1;
    snprintf(extra, len, "%.*s", (int)sizeof(ev), ev);
    *ver = (uint32_t)v;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Handles                                                                   */
/* ------------------------------------------------------------------------ */

static void xen_close(void *priv)
{
    struct xen_priv *x = priv;

    if (x->owned)
        xc_interface_close(x->xch);
    xen_names_close(x);
    free(x);
}

static const struct xcx_backend_ops xen_ops = {
    .domain_info = xen_domain_info,
    .mtrr_record = xen_mtrr_record,
    .cpu_record = xen_cpu_record,
    .maxphysaddr = xen_maxphysaddr,
    .close = xen_close,
    .domain_pause = xen_domain_pause,
    .domain_unpause = xen_domain_unpause,
    .monitor_enable = xen_monitor_enable,
    .monitor_disable = xen_monitor_disable,
    .ring_unmap = xen_ring_unmap,
    .monitor_msr = xen_monitor_msr,
    .evtchn_bind = xen_evtchn_bind,
    .evtchn_pending = xen_evtchn_pending,
    .evtchn_unmask = xen_evtchn_unmask,
    .evtchn_notify = xen_evtchn_notify,
    .evtchn_close = xen_evtchn_close,
    .pv_info = xen_pv_info,
    .pv_roots = xen_pv_roots,
    .m2p_map = xen_m2p_map,
    .m2p_unmap = xen_m2p_unmap,
    .fmem_open = xen_fmem_open,
    .fmem_close = xen_fmem_close,
    .map_frames = xen_map_frames,
    .unmap_frames = xen_unmap_frames,
    .page_types = xen_page_types,
    .domain_list = xen_domain_list,
    .xen_version = xen_xen_version,
    .host_facts = xen_host_facts,
    .domain_hap = xen_domain_hap,
    .vcpu_cr0 = xen_vcpu_cr0,
    .host_mtrr_text = xen_host_mtrr_text,
    .domain_name = xen_domain_name,
    .vcpu_run_time = xen_vcpu_run_time,
    .domain_entry = xen_domain_entry,
};

/* libxc logs to stderr when given no logger; the caller asked for none. */
static void quiet_vmessage(struct xentoollog_logger *lg, xentoollog_level level,
                           int errnoval, const char *context,
                           const char *format, va_list al)
{
}

static void quiet_progress(struct xentoollog_logger *lg, const char *context,
                           const char *doing_what, int percent,
                           unsigned long done, unsigned long total)
{
}

static void quiet_destroy(struct xentoollog_logger *lg)
{
}

static struct xen_priv *xen_priv_new(xc_interface *xch)
{
    struct xen_priv *x = calloc(1, sizeof(*x));

    if (!x)
        return NULL;
    x->xch = xch;
    x->quiet.vmessage = quiet_vmessage;
    x->quiet.progress = quiet_progress;
    x->quiet.destroy = quiet_destroy;
    x->xtl = &x->quiet;
    return x;
}

XCX_EXPORT xcx_handle *xcx_open(xentoollog_logger *lg, unsigned int flags)
{
    struct xen_priv *x;
    xcx_handle *h;

    if (flags) {
        xcx_fail(lg, EINVAL, "xcx_open: unknown flags 0x%x", flags);
        return NULL;
    }
    x = xen_priv_new(NULL);
    if (!x)
        return NULL;
    if (lg)
        x->xtl = lg;
    x->xch = xc_interface_open(x->xtl, x->xtl, 0);
    if (!x->xch) {
        xcx_log(lg, XTL_ERROR, errno, "opening libxenctrl");
        free(x);
        return NULL;
    }
    x->owned = true;
    h = xcx_handle_new(&xen_ops, x, lg);
    if (!h)
        xen_close(x);
    return h;
}

XCX_EXPORT int xc_domain_hvm_get_mtrr_type(xc_interface *xch, uint32_t domid,
                                           unsigned long paddress,
                                           uint8_t *type)
{
    struct xen_priv *x;
    xcx_handle *h;
    int rc, saved;

    if (!xch || !type) {
        errno = EINVAL;
        return -1;
    }
    x = xen_priv_new(xch); /* borrowed: the caller closes it */
    if (!x)
        return -1;
    h = xcx_handle_new(&xen_ops, x, NULL);
    if (!h) {
        xen_close(x);
        return -1;
    }
    rc = xcx_handle_mtrr_type(h, domid, paddress, type);
    saved = errno;
    xcx_close(h);
    errno = saved;
    return rc;
}
