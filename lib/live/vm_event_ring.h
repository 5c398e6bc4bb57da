/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The back end of a vm_event ring page (pure: the page is plain memory
 * here; mapping it and the event channel are the back end's business).
 * Xen produces requests and consumes responses; we consume each request
 * and answer it in the same slot order. The page is shared with Xen, so
 * every index read from it is checked before use.
 */
#ifndef XCX_VM_EVENT_RING_H
#define XCX_VM_EVENT_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xentoollog.h>

struct xcx_vm_ring;

/* One request as read from the ring, decoded; @raw is a private copy. */
struct xcx_vm_req {
    const void *raw;
    size_t len;
    uint32_t version;
    uint32_t flags;
    uint32_t reason;
    uint32_t vcpu;
    bool mov_to_msr; /* reason MOV_TO_MSR: the three fields below are set */
    uint32_t msr;
    uint64_t new_value;
    uint64_t old_value;
};

/*
 * A back ring over @page (@size bytes, at least the header and one slot).
 * @fresh: the ring was just enabled by us and its shared indices are reset
 * (SHARED_RING_INIT, as xen-access does); otherwise we attach where the
 * responses stand. Errors: EINVAL for a page too small; ENOMEM.
 */
struct xcx_vm_ring *xcx_vm_ring_new(void *page, size_t size, bool fresh,
                                    xentoollog_logger *lg);
void xcx_vm_ring_free(struct xcx_vm_ring *r);

/* The number of slots (8 for a 4 KiB page). */
unsigned int xcx_vm_ring_size(const struct xcx_vm_ring *r);

/*
 * How many requests wait, 0 when none. -1 with EIO (and a message) when
 * the producer index runs further ahead than the ring has slots.
 */
int xcx_vm_ring_pending(const struct xcx_vm_ring *r);

/* Called with each request before it is answered; may be NULL. */
typedef void xcx_vm_ring_fn(void *arg, const struct xcx_vm_req *req);

/*
 * One pass: take the requests waiting now (never more than the ring's
 * size), hand each to @fn and answer it (version, vCPU, reason and the
 * VCPU_PAUSED flag copied), then publish the responses. The caller
 * notifies Xen. Returns the number answered; -1 with EIO as
 * xcx_vm_ring_pending() says, with nothing consumed.
 */
int xcx_vm_ring_consume(struct xcx_vm_ring *r, xcx_vm_ring_fn *fn, void *arg);

#endif
