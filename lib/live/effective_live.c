/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The facts of a live host and domain that effective types rest on, over
 * the back end: vendor, HAP and version from Xen, the domain's HAP flag, a
 * vCPU's CR0 from its CPU save record, and whether dom0 can see the host's
 * MTRRs at all. No Xen calls here; xen_eff_backend.c has them.
 */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "private.h"

/* /proc/mtrr holds one line per range; this is ample. */
#define PROC_MTRR_MAX 8192

static int host_part(xcx_handle *h, uint32_t domid, struct xcx_eff_host *out)
{
    static const struct xcx_eff_fact xen = {XCX_SRC_XEN, true};
    struct xcx_host_facts hf;
    bool hap;

    if (!h->ops->host_facts || !h->ops->domain_hap)
        return xcx_fail(h->lg, EOPNOTSUPP, "this back end tells no host facts");
    if (h->ops->host_facts(h->priv, &hf)) {
        xcx_log(h->lg, XTL_ERROR, errno, "reading the host's facts from Xen");
        return -1;
    }
    if (h->ops->domain_hap(h->priv, domid, &hap)) {
        if (errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
        xcx_log(h->lg, XTL_ERROR, errno, "reading domain %u's flags", domid);
        return -1;
    }
    out->vendor = hf.vendor;
    out->vendor_fact = xen;
    out->paging = !hap || !hf.hap                 ? XCX_PAGING_SHADOW
                  : hf.vendor == XCX_VENDOR_INTEL ? XCX_PAGING_EPT
                  : hf.vendor == XCX_VENDOR_AMD   ? XCX_PAGING_NPT
                                                  : XCX_PAGING_UNKNOWN;
    out->paging_fact = xen;
    out->xen_version = hf.xen_version;
    out->xen_version_fact = (struct xcx_eff_fact){XCX_SRC_XEN, hf.xen_version};
    return 0;
}

/* Count the ranges of /proc/mtrr ("regNN: base=..." lines). */
static void host_mtrr_view(xcx_handle *h, struct xcx_eff_host_view *view)
{
    char buf[PROC_MTRR_MAX];
    size_t len = 0;

    view->proc_mtrr = false;
    view->proc_mtrr_ranges = 0;
    if (!h->ops->host_mtrr_text ||
        h->ops->host_mtrr_text(h->priv, buf, sizeof(buf), &len))
        return;
    view->proc_mtrr = true;
    for (size_t i = 0; i + 3 < len; i++)
        if ((i == 0 || buf[i - 1] == '\n') && !memcmp(buf + i, "reg", 3))
            view->proc_mtrr_ranges++;
}

XCX_EXPORT int xcx_eff_read_facts(xcx_handle *h, uint32_t domid,
                                  unsigned int vcpu, struct xcx_eff_inputs *in,
                                  struct xcx_eff_host_view *view)
{
    if (!h || !in || !view)
        return xcx_fail(h ? h->lg : NULL, EINVAL,
                        "effective facts: NULL argument");
    if (host_part(h, domid, &in->host))
        return -1;
    if (!h->ops->vcpu_cr0 ||
        h->ops->vcpu_cr0(h->priv, domid, vcpu, &in->guest.cr0)) {
        if (errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
        xcx_log(h->lg, XTL_ERROR, errno,
                "reading the CPU record of domain %u vCPU %u", domid, vcpu);
        return -1;
    }
    in->guest.cr0_fact = (struct xcx_eff_fact){XCX_SRC_RECORD, true};
    host_mtrr_view(h, view);
    if (view->proc_mtrr_ranges)
        in->frame.host_mtrr_fact = (struct xcx_eff_fact){XCX_SRC_HOST, false};
    return 0;
}
