/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Feeding a tracker from a vm_event request that an agent read from the
 * domain's monitor ring itself. The request layout is Xen's unstable tools
 * interface (public/vm_event.h, VM_EVENT_INTERFACE_VERSION 7 in 4.17): it
 * stays inside this file and never reaches the public header.
 */
#include <errno.h>
#include <string.h>

#include "vm_event_abi.h" /* first: it sets __XEN_TOOLS__ */
#include "private.h"

/* An MTRR or PAT MSR; errno is kept. */
static bool msr_tracked(uint32_t msr)
{
    int saved = errno;
    bool tracked = xcx_msr_name(msr) != NULL;

    errno = saved;
    return tracked;
}

XCX_EXPORT int xcx_tracker_feed_event(xcx_mtrr_tracker *tr, const void *req,
                                      size_t len, struct xcx_write_outcome *out)
{
    xentoollog_logger *lg = xcx_tracker_logger(tr);
    vm_event_request_t r;
    uint64_t msr, old;

    if (!req)
        len = 0;
    if (len < sizeof(r))
        return xcx_fail(lg, EINVAL,
                        "vm_event request of %zu bytes, at least %zu expected",
                        len, sizeof(r));
    memcpy(&r, req, sizeof(r)); /* the ring's copy may be unaligned */
    if (r.version != VM_EVENT_INTERFACE_VERSION)
        return xcx_fail(lg, EINVAL,
                        "vm_event request of interface version %u, "
                        "expected %u",
                        r.version, VM_EVENT_INTERFACE_VERSION);
    if (r.reason != VM_EVENT_REASON_MOV_TO_MSR)
        return 0;
    if (r.vcpu_id >= xcx_tracker_nr_vcpus(tr))
        return xcx_fail(lg, EINVAL,
                        "vm_event request for vCPU %u, the tracker has %u",
                        r.vcpu_id, xcx_tracker_nr_vcpus(tr));
    msr = r.u.mov_to_msr.msr;
    if (msr > UINT32_MAX || !msr_tracked((uint32_t)msr))
        return 0;
    old = r.u.mov_to_msr.old_value;
    if (xcx_tracker_apply(tr, r.vcpu_id, (uint32_t)msr,
                          r.u.mov_to_msr.new_value, &old, out))
        return -1;
    return 1;
}
