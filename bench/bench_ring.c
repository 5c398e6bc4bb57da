/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-ring: events per second through the monitor's ring path: take a
 * MOV_TO_MSR request off a vm_event ring page, feed it to the tracker,
 * answer it (lib/live/vm_event_ring.c, xcx_tracker_feed_event()), with a
 * simulated Xen on the other side of the page that fills the 8 slots,
 * takes the responses and checks each one resumes the right vCPU.
 *
 * Usage: bench-ring [--quick]
 *
 * No Xen, no event channel and no system call: what is timed is the
 * library's share of an event. Each figure runs for at least 0.3 s
 * (0.02 s with --quick) on CLOCK_MONOTONIC after a warm-up pass.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vm_event_abi.h"
#include "vm_event_ring.h"
#include "xenctrl_ext.h"

#define PAGE     4096
#define NR_VCPUS 4

/* What the guest writes, event after event. */
struct workload {
    const char *name;
    bool feed;    /* through the tracker, or answered only */
    uint32_t msr; /* written by every event */
    uint64_t value[2];
};

static const struct workload workloads[] = {
    {"answer only",
     false,
     XCX_MSR_PAT,
     {0x0007040600070406, 0x0007040600070406}},
    {"EFER (not tracked)", true, 0xc0000080, {0xd01, 0xd01}},
    {"PAT, same value",
     true,
     XCX_MSR_PAT,
     {0x0007040600070406, 0x0007040600070406}},
    {"MTRRdefType refused", true, XCX_MSR_MTRR_DEF_TYPE, {0xc07, 0xc07}},
    {"PHYSBASE1 WB<->WC",
     true,
     XCX_MSR_MTRR_PHYSBASE0 + 2,
     {0xc0000000 | XCX_MT_WB, 0xc0000000 | XCX_MT_WC}},
};

struct sim {
    void *page;
    vm_event_front_ring_t front; /* Xen's end */
    struct xcx_vm_ring *ring;    /* ours */
    xcx_mtrr_tracker *tr;
    const struct workload *w;
    uint64_t produced, answered;
    unsigned int tracked; /* writes the tracker applied in the last pass */
};

static volatile uint64_t sink;

static void die(const char *what)
{
    fprintf(stderr, "bench-ring: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* hvmloader's registers, plus pair 1 WB over [3 GiB, 3.25 GiB). */
static xcx_mtrr_tracker *new_tracker(void)
{
    struct xcx_mtrr_state st[NR_VCPUS];
    struct xcx_mtrr_regs r = {
        .pat = 0x0007040600070406,
        .cap = 0x508,
        .def_type = 0xc06,
    };
    xcx_mtrr_tracker *tr;

    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r.fixed[i] = 0x0606060606060606 * (i != 2); /* VGA hole UC */
    r.var[0].base = 0xf0000000 | XCX_MT_UC;
    r.var[0].mask = 0xff0000000 | XCX_MTRR_MASK_VALID;
    r.var[1].base = 0xc0000000 | XCX_MT_WB;
    r.var[1].mask = 0xff0000000 | XCX_MTRR_MASK_VALID;
    for (unsigned int v = 0; v < NR_VCPUS; v++)
        if (xcx_mtrr_state_init(&st[v], &r, 36, 0xff, NULL))
            die("state");
    tr = xcx_tracker_new(st, NR_VCPUS, XCX_TRACK_FROM_START, NULL);
    if (!tr)
        die("xcx_tracker_new");
    return tr;
}

/* Xen: fill every free slot. */
static void produce(struct sim *s)
{
    while (!RING_FULL(&s->front)) {
        vm_event_request_t *req =
            RING_GET_REQUEST(&s->front, s->front.req_prod_pvt++);

        memset(req, 0, sizeof(*req));
        req->version = VM_EVENT_INTERFACE_VERSION;
        req->flags = VM_EVENT_FLAG_VCPU_PAUSED;
        req->reason = VM_EVENT_REASON_MOV_TO_MSR;
        req->vcpu_id = s->produced % NR_VCPUS;
        req->u.mov_to_msr.msr = s->w->msr;
        req->u.mov_to_msr.new_value = s->w->value[s->produced / NR_VCPUS % 2];
        s->produced++;
    }
    RING_PUSH_REQUESTS(&s->front);
}

/* Xen, notified: take the responses; each must resume its vCPU. */
static void take_responses(struct sim *s)
{
    RING_IDX prod = s->front.sring->rsp_prod;

    xen_rmb();
    while (s->front.rsp_cons != prod) {
        const vm_event_response_t *rsp =
            RING_GET_RESPONSE(&s->front, s->front.rsp_cons++);

        if (rsp->vcpu_id != s->answered % NR_VCPUS ||
            rsp->flags != VM_EVENT_FLAG_VCPU_PAUSED ||
            rsp->version != VM_EVENT_INTERFACE_VERSION) {
            fprintf(stderr, "bench-ring: response %" PRIu64 " is wrong\n",
                    s->answered);
            exit(1);
        }
        s->answered++;
    }
}

/* What the monitor does with each request before the ring answers it. */
static void feed(void *arg, const struct xcx_vm_req *req)
{
    struct sim *s = arg;
    struct xcx_write_outcome out;
    int rc;

    if (!s->w->feed || !req->mov_to_msr)
        return;
    rc = xcx_tracker_feed_event(s->tr, req->raw, req->len, &out);
    if (rc < 0)
        die("xcx_tracker_feed_event");
    s->tracked += rc;
    if (rc)
        sink += out.accepted + out.types_changed;
}

/* @passes passes of 8 events; returns the events answered. */
static uint64_t run(struct sim *s, uint64_t passes)
{
    uint64_t before = s->answered;

    for (uint64_t p = 0; p < passes; p++) {
        produce(s);
        s->tracked = 0;
        if (xcx_vm_ring_consume(s->ring, feed, s) != 8)
            die("xcx_vm_ring_consume");
        take_responses(s);
    }
    return s->answered - before;
}

static void bench(const struct workload *w, double min_s)
{
    struct sim s = {.w = w};
    uint64_t passes = 64, events;
    double t0, dt;

    s.page = aligned_alloc(PAGE, PAGE);
    if (!s.page)
        die("aligned_alloc");
    s.ring = xcx_vm_ring_new(s.page, PAGE, true, NULL);
    if (!s.ring)
        die("xcx_vm_ring_new");
    FRONT_RING_INIT(&s.front, (vm_event_sring_t *)s.page, PAGE);
    s.tr = new_tracker();

    run(&s, passes); /* warm up, and check what the tracker makes of it */
    if (s.tracked != (w->feed && w->msr != 0xc0000080 ? 8u : 0u)) {
        fprintf(stderr, "bench-ring: %s: %u of 8 tracked\n", w->name,
                s.tracked);
        exit(1);
    }
    for (;;) {
        t0 = now_s();
        events = run(&s, passes);
        dt = now_s() - t0;
        if (dt >= min_s)
            break;
        passes = dt < min_s / 16
                     ? passes * 16
                     : (uint64_t)((double)passes * 1.2 * min_s / dt) + 1;
    }
    printf("%-22s %12" PRIu64 " %9.3f %9.1f %14.0f\n", w->name, events, dt,
           dt * 1e9 / (double)events, (double)events / dt);
    xcx_tracker_free(s.tr);
    xcx_vm_ring_free(s.ring);
    free(s.page);
}

int main(int argc, char **argv)
{
    double min_s = 0.3;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            min_s = 0.02;
        } else {
            fprintf(stderr, "usage: bench-ring [--quick]\n");
            return 2;
        }
    }
    printf("%-22s %12s %9s %9s %14s\n", "workload", "events", "seconds",
           "ns/event", "events/s");
    for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
        bench(&workloads[i], min_s);
    return (int)(sink & 0);
}
