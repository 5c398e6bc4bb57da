/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of vendors, paging modes, input sources, EPT branches, frame kinds
 * and inputs of the effective-type code. */
#include <errno.h>

#include "effective_private.h"

static const char *const vendor_names[] = {
    [XCX_VENDOR_UNKNOWN] = "unknown",
    [XCX_VENDOR_INTEL] = "intel",
    [XCX_VENDOR_AMD] = "amd",
};

static const char *const paging_names[] = {
    [XCX_PAGING_UNKNOWN] = "unknown",
    [XCX_PAGING_EPT] = "ept",
    [XCX_PAGING_NPT] = "npt",
    [XCX_PAGING_SHADOW] = "shadow",
};

static const char *const source_names[] = {
    [XCX_SRC_NONE] = "none",     [XCX_SRC_XEN] = "xen",
    [XCX_SRC_RECORD] = "record", [XCX_SRC_TRACKER] = "tracker",
    [XCX_SRC_CONFIG] = "config", [XCX_SRC_HOST] = "host",
    [XCX_SRC_USER] = "user",     [XCX_SRC_ASSUMED] = "assumed",
    [XCX_SRC_WALK] = "walk",     [XCX_SRC_XEN_RULE] = "xen-rule",
};

static const char *const branch_names[] = {
    [XCX_EPT_NONE] = "none",
    [XCX_EPT_MMIO_RO] = "mmio-ro",
    [XCX_EPT_INVALID_MFN] = "invalid-mfn",
    [XCX_EPT_NO_FLUSH] = "no-cache-flush",
    [XCX_EPT_SPECIAL] = "special-page",
    [XCX_EPT_MMIO_DIRECT] = "mmio-direct",
    [XCX_EPT_GRANT] = "grant-or-foreign",
    [XCX_EPT_PINNED] = "pinned",
    [XCX_EPT_MTRR] = "mtrr",
};

static const char *const kind_names[] = {
    [XCX_FRAME_RAM] = "ram",         [XCX_FRAME_MMIO_DIRECT] = "mmio-direct",
    [XCX_FRAME_MMIO_RO] = "mmio-ro", [XCX_FRAME_GRANT] = "grant",
    [XCX_FRAME_FOREIGN] = "foreign", [XCX_FRAME_SPECIAL] = "special",
};

/* By bit number of XCX_EFF_IN_*. */
static const char *const input_names[XCX_EFF_IN_COUNT] = {
    "vendor",      "paging",     "xen-version", "iommu",
    "cache-flush", "frame-kind", "mfn-valid",   "pinned",
    "guest-mtrr",  "mtrr-vcpu",  "host-mtrr",   "host-pat",
    "guest-pat",   "pat-index",  "cr0.cd",      "cr0.pg",
};

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick(const char *const *names, size_t count,
                        unsigned int index)
{
    if (index >= count || !names[index]) {
        errno = EINVAL;
        return NULL;
    }
    return names[index];
}

XCX_EXPORT const char *xcx_vendor_name(unsigned int vendor)
{
    return pick(vendor_names, NAMES(vendor_names), vendor);
}

XCX_EXPORT const char *xcx_paging_name(unsigned int paging)
{
    return pick(paging_names, NAMES(paging_names), paging);
}

XCX_EXPORT const char *xcx_eff_source_name(unsigned int source)
{
    return pick(source_names, NAMES(source_names), source);
}

XCX_EXPORT const char *xcx_ept_branch_name(unsigned int branch)
{
    return pick(branch_names, NAMES(branch_names), branch);
}

XCX_EXPORT const char *xcx_frame_kind_name(unsigned int kind)
{
    return pick(kind_names, NAMES(kind_names), kind);
}

XCX_EXPORT const char *xcx_eff_input_name(uint32_t bit)
{
    unsigned int n = 0;

    if (bit == 0 || (bit & (bit - 1))) {
        errno = EINVAL;
        return NULL;
    }
    while (!(bit & 1)) {
        bit >>= 1;
        n++;
    }
    return pick(input_names, NAMES(input_names), n);
}
