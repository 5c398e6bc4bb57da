/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Whether a domain has run yet, and what names it in a write log's header.
 * No Xen calls here; xen_backend.c has them.
 *
 * "Has run" rests on each vCPU's running time (XEN_DOMCTL_getvcpuinfo's
 * cpu_time): Xen creates a vCPU in RUNSTATE_offline and adds to its
 * RUNSTATE_running time only while the vCPU is scheduled, which a domain
 * created paused (xl create -p) never is until it is unpaused. The
 * toolstack's paused flag cannot tell: a guest paused after it ran has it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "private.h"

static int unsupported(xcx_handle *h, const char *what)
{
    return xcx_fail(h->lg, EOPNOTSUPP, "this handle cannot tell %s", what);
}

int xcx_domain_first_ran(xcx_handle *h, uint32_t domid, unsigned int nr_vcpus,
                         unsigned int *vcpu, uint64_t *ns)
{
    if (!h->ops->vcpu_run_time)
        return unsupported(h, "whether a vCPU has run");
    for (unsigned int v = 0; v < nr_vcpus; v++) {
        if (h->ops->vcpu_run_time(h->priv, domid, v, ns)) {
            if (errno == ESRCH)
                return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
            xcx_log(h->lg, XTL_ERROR, errno,
                    "reading the running time of domain %u's vCPU %u", domid,
                    v);
            return -1;
        }
        if (*ns) {
            *vcpu = v;
            return 1;
        }
    }
    return 0;
}

XCX_EXPORT int xcx_domain_has_run(xcx_handle *h, uint32_t domid, bool *has_run)
{
    struct xcx_domain_info info;
    unsigned int vcpu;
    uint64_t ns;
    int rc;

    if (!h || !has_run) {
        errno = EINVAL;
        return -1;
    }
    if (xcx_domain_info(h, domid, &info))
        return -1;
    rc = xcx_domain_first_ran(h, domid, info.nr_vcpus, &vcpu, &ns);
    if (rc < 0)
        return -1;
    *has_run = rc;
    return 0;
}

/* The name, or "" when the toolstack gave none (a warning says so). */
static int log_name(xcx_handle *h, uint32_t domid, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!h->ops->domain_name)
        return 0;
    if (!h->ops->domain_name(h->priv, domid, buf, size))
        return 0;
    buf[0] = '\0';
    if (errno == ESRCH)
        return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
    xcx_log(h->lg, XTL_WARN, errno,
            "domain %u's name is not known; the log header says \"\"", domid);
    return 0;
}

int xcx_domain_log_identity(xcx_handle *h, uint32_t domid,
                            struct xcx_log_header *hdr)
{
    struct xcx_domain_entry e;
    struct xcx_xen_version v;

    if (!h->ops->domain_entry)
        return unsupported(h, "a domain's UUID");
    if (h->ops->domain_entry(h->priv, domid, &e)) {
        if (errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
        xcx_log(h->lg, XTL_ERROR, errno, "reading the UUID of domain %u",
                domid);
        return -1;
    }
    hdr->domid = domid;
    memcpy(hdr->uuid, e.handle, sizeof(hdr->uuid));
    if (xcx_xen_version(h, &v))
        return -1;
    if (strlen(v.text) >= sizeof(hdr->xen_version))
        return xcx_fail(h->lg, ERANGE,
                        "Xen's version '%s' is longer than a log header "
                        "holds (%zu bytes)",
                        v.text, sizeof(hdr->xen_version) - 1);
    memcpy(hdr->xen_version, v.text, strlen(v.text) + 1);
    return log_name(h, domid, hdr->name, sizeof(hdr->name));
}
