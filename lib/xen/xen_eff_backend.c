/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the effective-type code asks of Xen and dom0 (backend.h): the
 * host's vendor (CPUID leaf 0 of Xen's host policy), HAP (physinfo) and
 * version, a domain's HAP flag and a vCPU's CR0 (the HVM CPU save record),
 * and dom0's /proc/mtrr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenguest.h>
#include <xen/hvm/save.h>

#include "xen_backend.h"

/* CPUID leaf 0's vendor string, EBX EDX ECX. */
static unsigned int vendor_of(const xen_cpuid_leaf_t *l)
{
    char id[13];

    memcpy(id, &l->b, 4);
    memcpy(id + 4, &l->d, 4);
    memcpy(id + 8, &l->c, 4);
    id[12] = 0;
    if (!strcmp(id, "GenuineIntel"))
        return XCX_VENDOR_INTEL;
    if (!strcmp(id, "AuthenticAMD") || !strcmp(id, "HygonGenuine"))
        return XCX_VENDOR_AMD;
    return XCX_VENDOR_UNKNOWN;
}

static int host_vendor(struct xen_priv *x, unsigned int *vendor)
{
    xen_cpuid_leaf_t *leaves;
    uint32_t nr;

    if (xen_cpuid_leaves(x, -1, &leaves, &nr))
        return -1;
    *vendor = XCX_VENDOR_UNKNOWN;
    for (uint32_t i = 0; i < nr; i++)
        if (leaves[i].leaf == 0 && leaves[i].subleaf == XEN_CPUID_NO_SUBLEAF)
            *vendor = vendor_of(&leaves[i]);
    free(leaves);
    return 0;
}

/* major.minor from XENVER_version, micro from the extra version (".7-pre"
 * is 7; anything else 0). */
static uint32_t xen_version(struct xen_priv *x)
{
    xen_extraversion_t extra;
    int v = xc_version(x->xch, XENVER_version, NULL);
    unsigned int micro = 0;

    if (v < 0)
        return 0;
    memset(extra, 0, sizeof(extra));
    if (xc_version(x->xch, XENVER_extraversion, &extra) == 0 && extra[0] == '.')
        micro = strtoul(extra + 1, NULL, 10) & 0xff;
    return ((uint32_t)(v >> 16) << 16) | ((uint32_t)(v & 0xff) << 8) | micro;
}

int xen_host_facts(void *priv, struct xcx_host_facts *out)
{
    struct xen_priv *x = priv;
    xc_physinfo_t pi;

    memset(&pi, 0, sizeof(pi));
    if (xc_physinfo(x->xch, &pi) || host_vendor(x, &out->vendor))
        return -1;
    out->hap = pi.capabilities & XEN_SYSCTL_PHYSCAP_hap;
    out->xen_version = xen_version(x);
    return 0;
}

int xen_domain_hap(void *priv, uint32_t domid, bool *hap)
{
    xc_domaininfo_t di;

    if (xen_getinfo(priv, domid, &di))
        return -1;
    *hap = di.flags & XEN_DOMINF_hap;
    return 0;
}

int xen_vcpu_cr0(void *priv, uint32_t domid, unsigned int vcpu, uint64_t *cr0)
{
    struct xen_priv *x = priv;
    struct hvm_hw_cpu cpu;

    if (xc_domain_hvm_getcontext_partial(x->xch, domid, HVM_SAVE_CODE(CPU),
                                         vcpu, &cpu, sizeof(cpu)))
        return -1;
    *cr0 = cpu.cr0;
    return 0;
}

int xen_host_mtrr_text(void *priv, char *buf, size_t size, size_t *len)
{
    int fd = open("/proc/mtrr", O_RDONLY | O_CLOEXEC);
    ssize_t n;
    int saved;

    (void)priv;
    if (fd < 0)
        return -1;
    *len = 0;
    while (*len < size && (n = read(fd, buf + *len, size - *len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        *len += n;
    }
    close(fd);
    return 0;
}
