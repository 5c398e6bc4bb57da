/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The back end of a vm_event ring, as xen-access drives it: BACK_RING over
 * the page, copy each request out before looking at it, answer in order,
 * RING_PUSH_RESPONSES. No Xen calls: the page is plain memory here.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"
#include "vm_event_abi.h"
#include "vm_event_ring.h"

struct xcx_vm_ring {
    vm_event_back_ring_t back;
    xentoollog_logger *lg;
};

struct xcx_vm_ring *xcx_vm_ring_new(void *page, size_t size, bool fresh,
                                    xentoollog_logger *lg)
{
    vm_event_sring_t *sring = page;
    struct xcx_vm_ring *r;

    if (!page ||
        size < offsetof(vm_event_sring_t, ring) + sizeof(sring->ring[0])) {
        xcx_fail(lg, EINVAL, "vm_event ring: a page of %zu bytes holds no slot",
                 size);
        return NULL;
    }
    r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->lg = lg;
    if (fresh) {
        SHARED_RING_INIT(sring);
        BACK_RING_INIT(&r->back, sring, size);
    } else {
        /* Every request up to rsp_prod has been answered. */
        RING_IDX rsp_prod = *(volatile RING_IDX *)&sring->rsp_prod;

        BACK_RING_ATTACH(&r->back, sring, rsp_prod, size);
    }
    return r;
}

void xcx_vm_ring_free(struct xcx_vm_ring *r)
{
    int saved = errno;

    free(r);
    errno = saved;
}

unsigned int xcx_vm_ring_size(const struct xcx_vm_ring *r)
{
    return RING_SIZE(&r->back);
}

int xcx_vm_ring_pending(const struct xcx_vm_ring *r)
{
    const vm_event_back_ring_t *b = &r->back;
    RING_IDX prod = *(volatile RING_IDX *)&b->sring->req_prod;

    /* Every request taken is answered at once: rsp_prod_pvt == req_cons. */
    if (RING_REQUEST_PROD_OVERFLOW(b, prod))
        return xcx_fail(r->lg, EIO,
                        "vm_event ring: req_prod %u runs %u ahead of "
                        "req_cons %u, past the ring's %u slots",
                        prod, prod - b->req_cons, b->req_cons, RING_SIZE(b));
    return prod - b->req_cons;
}

static void decode(const vm_event_request_t *req, struct xcx_vm_req *d)
{
    memset(d, 0, sizeof(*d));
    d->raw = req;
    d->len = sizeof(*req);
    d->version = req->version;
    d->flags = req->flags;
    d->reason = req->reason;
    d->vcpu = req->vcpu_id;
    if (req->reason == VM_EVENT_REASON_MOV_TO_MSR) {
        d->mov_to_msr = true;
        d->msr = (uint32_t)req->u.mov_to_msr.msr;
        d->new_value = req->u.mov_to_msr.new_value;
        d->old_value = req->u.mov_to_msr.old_value;
    }
}

int xcx_vm_ring_consume(struct xcx_vm_ring *r, xcx_vm_ring_fn *fn, void *arg)
{
    vm_event_back_ring_t *b = &r->back;
    int avail = xcx_vm_ring_pending(r), n;

    if (avail <= 0)
        return avail;
    xen_rmb(); /* the requests are read after the index that shows them */
    /* avail is at most the ring's size: the second test is a backstop. */
    for (n = 0; n < avail && !RING_REQUEST_CONS_OVERFLOW(b, b->req_cons); n++) {
        vm_event_request_t req;
        vm_event_response_t rsp;
        struct xcx_vm_req d;

        RING_COPY_REQUEST(b, b->req_cons, &req);
        b->req_cons++;
        decode(&req, &d);
        if (fn)
            fn(arg, &d);

        memset(&rsp, 0, sizeof(rsp));
        rsp.version = req.version;
        rsp.vcpu_id = req.vcpu_id;
        rsp.reason = req.reason;
        rsp.flags = req.flags & VM_EVENT_FLAG_VCPU_PAUSED;
        *RING_GET_RESPONSE(b, b->rsp_prod_pvt) = rsp;
        b->rsp_prod_pvt++;
    }
    RING_PUSH_RESPONSES(b);
    return n;
}
