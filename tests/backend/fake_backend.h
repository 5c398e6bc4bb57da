/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fake back end for the handle logic of lib/live/domain.c and the monitor of
 * lib/live/monitor.c: an in-memory table of domains with per-vCPU MTRR save
 * records, a simulated Xen side of the vm_event monitor (a ring page, a
 * producer of requests, an eventfd for the event channel), injectable
 * errors per operation, call counters and a trace of the calls. No Xen and
 * no libxenctrl. With it, the cmocka fixture the backend tests share.
 */
#ifndef TEST_FAKE_BACKEND_H
#define TEST_FAKE_BACKEND_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend.h"
#include "caplog.h"
#include "pvbuild.h"
#include "vm_event_abi.h"
#include "xenctrl_ext.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* The fake back end                                                         */
/* ------------------------------------------------------------------------ */

#define FAKE_MAX_DOMAINS 8
#define FAKE_MAX_VCPUS   8

/* One request of the simulated Xen side, or one response it took. */
struct fake_event {
    uint32_t version;
    uint32_t flags;
    uint32_t reason;
    uint32_t vcpu;
    uint64_t msr; /* MOV_TO_MSR only */
    uint64_t new_value;
    uint64_t old_value;
};

#define FAKE_QUEUE_MAX 256
#define FAKE_RSP_MAX   256
#define FAKE_MSR_MAX   0x300 /* MSRs a fake domain can watch: 0..0x2ff */

/*
 * Xen's side of one domain's monitor. Requests wait in a queue until the
 * ring has room; Xen puts them on the ring and signals the event channel,
 * and takes the responses only when notified (as vm_event_resume() does),
 * resuming the vCPUs whose responses carry VCPU_PAUSED and refilling the
 * ring from the queue.
 */
struct fake_xen {
    unsigned int pause_count; /* domain pauses held */
    bool enabled;             /* the monitor ring */
    void *page;               /* the ring page while mapped (page-aligned) */
    vm_event_front_ring_t front;
    uint32_t remote_port;
    bool subscribed[FAKE_MSR_MAX];
    unsigned int nr_subscribed;
    bool bound; /* the event channel */
    int efd;    /* its eventfd: readable while an event is pending */
    uint32_t local_port;
    struct fake_event queue[FAKE_QUEUE_MAX];
    unsigned int q_head, q_tail;         /* queued: [q_head, q_tail) */
    struct fake_event rsp[FAKE_RSP_MAX]; /* responses taken, in order */
    unsigned int nr_rsp;
    unsigned int produced;
    /* Requests with VCPU_PAUSED not answered yet: the vCPU is stopped. */
    unsigned int outstanding[FAKE_MAX_VCPUS];
    unsigned int resumed[FAKE_MAX_VCPUS];
    unsigned int stuck; /* requests unanswered when the ring was disabled */
    unsigned int notifies;
    /* PAT writes that come "meanwhile": queued and put on the ring at the
     * first unsubscription, one per vCPU in turn. */
    unsigned int late_writes;
};

struct fake_mapping;

/* One frame of a synthetic PV guest. */
struct fake_frame {
    uint64_t mfn;
    uint8_t *page;     /* FAKE_PAGE_SIZE bytes */
    uint64_t type;     /* what page types reports: XCX_PFINFO_* << 28 */
    int map_err;       /* 0, or the per-frame errno mapping it gives */
    unsigned int maps; /* times mapped */
};

/* A synthetic PV guest: its frames (copies of a pvbuild.h guest's and
 * any added), as the fake's Xen sees them. */
struct fake_pv {
    unsigned int width; /* 8 or 4 bytes; what pv_info reports */
    uint64_t max_pages; /* 0: FAKE_PV_MAX_PAGES */
    uint64_t max_gpfn;
    uint64_t kernel_root[FAKE_MAX_VCPUS];
    uint64_t user_root[FAKE_MAX_VCPUS];
    struct fake_frame *frames;
    size_t nr_frames, cap_frames;
    int err_info, err_roots, err_types; /* injected: errno, 0 none */
    int err_map; /* every map_frames call fails with it */
};

struct fake_domain {
    uint32_t domid;
    unsigned int nr_vcpus;
    bool hvm;
    bool dying;
    uint8_t rec[FAKE_MAX_VCPUS][XCX_MTRR_RECORD_SIZE];
    unsigned int maxphysaddr; /* what the policy says; 0: no leaf */
    /* Injected errors: 0 none, else the errno the op fails with. */
    int err_info;
    int err_record;
    int err_record_vcpu; /* -1: every vCPU; else only this one */
    int err_policy;
    struct fake_xen xen;
    struct fake_pv pv;
    /* What Xen says of whether it ran and what names it. */
    uint64_t run_ns[FAKE_MAX_VCPUS]; /* each vCPU's running time */
    int err_run_time;                /* injected errno, 0 none */
    char name[64];                   /* "": xenstore has none (ENOENT) */
    uint8_t uuid[16];
};

/* What the fake's Xen reports as its version. */
#define FAKE_XEN_VERSION "4.17.5"

/* Operations of the monitor that can be made to fail. */
enum fake_op {
    FOP_PAUSE,
    FOP_UNPAUSE,
    FOP_ENABLE,
    FOP_DISABLE,
    FOP_UNMAP,
    FOP_MSR_ON,
    FOP_MSR_OFF,
    FOP_BIND,
    FOP_PENDING,
    FOP_UNMASK,
    FOP_NOTIFY,
    FOP_EVTCHN_CLOSE,
    FOP_COUNT,
};

#define FAKE_TRACE_MAX 8192

struct fake {
    struct fake_domain dom[FAKE_MAX_DOMAINS];
    unsigned int nr;
    unsigned int calls_info;
    unsigned int calls_record;
    unsigned int calls_policy;
    unsigned int calls_close;
    unsigned int calls_record_vcpu[FAKE_MAX_VCPUS];
    size_t last_record_len;
    /* Op o fails with fail_errno[o] from its fail_from[o]-th call on
     * (0: the first), fail_count[o] times (0: every time), counting calls
     * since the last reset. */
    int fail_errno[FOP_COUNT];
    unsigned int fail_from[FOP_COUNT];
    unsigned int fail_count[FOP_COUNT];
    unsigned int calls_op[FOP_COUNT];
    /* Every call, space-separated: "pause info policy record0 enable
     * msr+0x2ff ... bind unpause"; a failed call ends in '!'. */
    char trace[FAKE_TRACE_MAX];
    /* The PV operations: not traced (a dump makes many calls), counted.
     * The host's M2P has FAKE_MAX_MFN entries: pvbuild.h's M2P, ~0 for
     * the frames it says are not the guest's. */
    uint64_t *m2p;
    struct fake_mapping *mappings; /* made by map_frames, not unmapped */
    struct fake_pv_counts {
        unsigned int info, roots;
        unsigned int m2p_maps, m2p_unmaps;
        unsigned int fmem_opens, fmem_closes;
        unsigned int map_calls, maps_made, unmap_calls; /* made: OK */
        size_t frames_mapped, frames_unmapped;
        size_t largest_map;
        unsigned int types_calls;
        size_t types_frames, largest_types;
        int m2p_fail, fmem_fail; /* injected errno, 0 none */
    } pv;
};

#define FAKE_PAGE_SIZE    4096
#define FAKE_MAX_MFN      (UINT64_C(1) << 22) /* the host's RAM frames */
#define FAKE_PV_MAX_PAGES (PVB_LARGE_PFN + PVB_LARGE_PFNS)
#define FAKE_INVALID_M2P  UINT64_MAX

/* The operations over a struct fake (their priv). */
extern const struct xcx_backend_ops fake_ops;

/* Zero the call counters, the trace and the injected monitor errors. */
void fake_reset_counters(struct fake *f);

/*
 * Every call counter of a struct fake at one moment, with how much of the
 * trace and of each domain's simulated Xen side (notifications, responses
 * taken) had been used: equal snapshots mean no back-end call in between.
 */
struct fake_counts {
    unsigned int info, record, policy, close;
    unsigned int record_vcpu[FAKE_MAX_VCPUS];
    unsigned int op[FOP_COUNT];
    size_t trace_len;
    unsigned int notifies[FAKE_MAX_DOMAINS];
    unsigned int nr_rsp[FAKE_MAX_DOMAINS];
    struct fake_pv_counts pv; /* the PV operations' counters (untraced) */
};

void fake_counts_take(const struct fake *f, struct fake_counts *c);

/* The first counter that differs between @a and @b, into @buf; NULL when
 * none does. */
const char *fake_counts_diff(const struct fake_counts *a,
                             const struct fake_counts *b, char *buf,
                             size_t size);

/* No back-end call since the snapshot @before of @f. */
#define assert_no_calls_since(f, before)                                       \
    do {                                                                       \
        struct fake_counts now_;                                               \
        char why_[128];                                                        \
        fake_counts_take((f), &now_);                                          \
        if (fake_counts_diff((before), &now_, why_, sizeof(why_)))             \
            fail_msg("back-end calls made: %s; trace now \"%s\"", why_,        \
                     (f)->trace);                                              \
    } while (0)

/* Queue a MOV_TO_MSR request of vCPU @vcpu (VCPU_PAUSED, version 7). */
void fake_xen_write(struct fake_domain *d, unsigned int vcpu, uint32_t msr,
                    uint64_t new_value, uint64_t old_value);
/* Queue any request. */
void fake_xen_queue(struct fake_domain *d, const struct fake_event *ev);
/* Put what fits of the queue on the ring; signal if anything was put. */
void fake_xen_produce(struct fake_domain *d);
/* Requests still queued (not on the ring yet). */
unsigned int fake_xen_queued(const struct fake_domain *d);
/* Signal the event channel as Xen does after a request. */
void fake_xen_signal(struct fake_domain *d);
/* The vCPUs stopped by an unanswered request. */
unsigned int fake_xen_stopped(const struct fake_domain *d);
/* Release what a domain's monitor left (page, eventfd). */
void fake_xen_release(struct fake_domain *d);

/*
 * Synthetic PV guests: build one with pvbuild.h, then fake_pv_import()
 * copies its frames into @d. The host M2P is pvbuild.h's for every guest.
 * fake_pv_frame() adds one zeroed frame, which must not exist yet;
 * fake_pv_find() looks one up (NULL: none).
 */
void fake_pv_import(struct fake_domain *d, const struct pvb *b);
struct fake_frame *fake_pv_frame(struct fake_domain *d, uint64_t mfn);
struct fake_frame *fake_pv_find(struct fake_domain *d, uint64_t mfn);
/* Mappings the fake made that are not unmapped. */
size_t fake_pv_mapped_now(const struct fake *f);
/* Free a domain's frames. */
void fake_pv_release(struct fake_domain *d);

/* Some message since the last reset of caplog @c contains @needle. */
#define assert_logged(c, needle)                                               \
    do {                                                                       \
        if (!strstr((c)->all, (needle)))                                       \
            fail_msg("log \"%s\" lacks \"%s\"", (c)->all, (needle));           \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */
/* ------------------------------------------------------------------------ */

struct fixture {
    struct fake fake;
    struct caplog log;
    xcx_handle *h;
};

/* Domain ids of the fixture. */
enum {
    DOM_HVM1 = 1,   /* 1 vCPU, hvmloader-like record, policy 0 (no leaf) */
    DOM_HVM4 = 4,   /* 4 vCPUs, a different record each, policy 40 */
    DOM_PV = 7,     /* PV */
    DOM_NOVCPU = 9, /* HVM with no vCPU */
    DOM_PV32 = 10,  /* PV, 32-bit (PAE), 1 vCPU, no frames */
    DOM_MIX = 12,   /* 1 vCPU, overlaps of every kind, policy 0 */
    DOM_MISSING = 42,
};

/*
 * DOM_HVM1's registers, hvmloader-like: def WB E FE, fixed WB but the VGA
 * hole UC, pair 0 UC over [0xf0000000, 4 GiB), the other pairs zero.
 */
void regs_hvmloader(struct xcx_mtrr_regs *r);

/* The default type of DOM_HVM4's vCPU @v. */
extern const unsigned int vcpu_def_type[4];

/* vCPU @v of DOM_HVM4: default type and pair 0 (WC, 40 bits) differ. */
void regs_vcpu(struct xcx_mtrr_regs *r, unsigned int v);

/* cmocka setup and teardown: the domains above, a handle over them. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* The fake domain @domid of the fixture, which must exist. */
struct fake_domain *dom(struct fixture *fx, uint32_t domid);

/* With the log reset and errno 0, @call fails with errno @err. */
#define assert_fails(fx, call, err)                                            \
    do {                                                                       \
        caplog_reset(&(fx)->log);                                              \
        errno = 0;                                                             \
        assert_int_equal((call), -1);                                          \
        assert_int_equal(errno, (err));                                        \
    } while (0)

#endif
