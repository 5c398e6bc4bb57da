/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The monitor of lib/live/monitor.c over the fake back end and its simulated
 * Xen side: the order of the calls that attach and detach, undoing a
 * failed attach, consuming and answering requests (bursts past the ring's
 * 8 slots, refused writes, several vCPUs, requests that are no MTRR
 * write), detaching with requests pending, a signal during the wait and a
 * ring whose producer index runs ahead.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "ctxbuild.h"
#include "fake_backend.h"

#define DEFAULT_PAT 0x0007040600070406ull

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

struct seen {
    unsigned int n;
    struct {
        unsigned int vcpu;
        uint32_t msr;
        uint64_t value;
        struct xcx_write_outcome out;
    } w[128];
};

static void record_write(void *arg, unsigned int vcpu, uint32_t msr,
                         uint64_t value, const struct xcx_write_outcome *out)
{
    struct seen *s = arg;

    assert_true(s->n < ARRAY_SIZE(s->w));
    s->w[s->n].vcpu = vcpu;
    s->w[s->n].msr = msr;
    s->w[s->n].value = value;
    s->w[s->n].out = *out;
    s->n++;
}

/* Append to @buf the MSR calls for @vcnt pairs, in subscription order or
 * reversed; '+' subscribes, '-' unsubscribes. */
static void msr_calls(char *buf, size_t size, unsigned int vcnt, char sign,
                      bool reversed, unsigned int count)
{
    uint32_t msrs[32];
    unsigned int n = 0;

    msrs[n++] = 0x2ff;
    msrs[n++] = 0x250;
    msrs[n++] = 0x258;
    msrs[n++] = 0x259;
    for (uint32_t i = 0x268; i <= 0x26f; i++)
        msrs[n++] = i;
    for (uint32_t i = 0; i < 2 * vcnt; i++)
        msrs[n++] = 0x200 + i;
    msrs[n++] = 0x277;
    if (count > n)
        count = n;
    for (unsigned int i = 0; i < count; i++) {
        size_t used = strlen(buf);

        snprintf(buf + used, size - used, " msr%c%#x", sign,
                 msrs[reversed ? count - 1 - i : i]);
    }
}

#define ALL_MSRS 29u /* with VCNT 8 */

/* The calls of a successful attach to a domain of @nr vCPUs. */
static void open_calls(char *buf, size_t size, unsigned int nr)
{
    snprintf(buf, size, "pause info policy");
    for (unsigned int v = 0; v < nr; v++)
        snprintf(buf + strlen(buf), size - strlen(buf), " record%u", v);
    snprintf(buf + strlen(buf), size - strlen(buf), " enable");
    msr_calls(buf, size, 8, '+', false, ALL_MSRS);
    snprintf(buf + strlen(buf), size - strlen(buf), " bind unpause");
}

#define assert_trace(fx, want)                                                 \
    do {                                                                       \
        if (strcmp((fx)->fake.trace, (want)))                                  \
            fail_msg("calls\n  \"%s\"\nwanted\n  \"%s\"", (fx)->fake.trace,    \
                     (want));                                                  \
    } while (0)

/* Nothing of a monitor left: running, no ring, no MSR, no channel. */
static void assert_detached(struct fake_domain *d)
{
    assert_int_equal(d->xen.pause_count, 0);
    assert_false(d->xen.enabled);
    assert_null(d->xen.page);
    assert_int_equal(d->xen.nr_subscribed, 0);
    assert_false(d->xen.bound);
    assert_int_equal(d->xen.stuck, 0);
    assert_int_equal(fake_xen_stopped(d), 0);
}

/* The tracked states of vCPUs 0..@nr-1. */
static void tracked(xcx_monitor *mon, struct xcx_mtrr_state *st,
                    unsigned int nr)
{
    for (unsigned int v = 0; v < nr; v++)
        assert_int_equal(xcx_tracker_state(xcx_monitor_tracker(mon), v, &st[v]),
                         0);
}

/* vCPU @v's tracked registers are @want's. */
static void assert_tracked(xcx_monitor *mon, unsigned int v,
                           const struct xcx_mtrr_state *want)
{
    struct xcx_mtrr_state now;

    assert_int_equal(xcx_tracker_state(xcx_monitor_tracker(mon), v, &now), 0);
    assert_memory_equal(&now.regs, &want->regs, sizeof(now.regs));
}

/* Detach after every request consumed so far was answered. */
static void detach(xcx_monitor *mon, struct fake_domain *d)
{
    assert_int_equal(fake_xen_stopped(d), 0);
    assert_int_equal(xcx_monitor_close(mon), 0);
    assert_detached(d);
}

/* Attach with no error injected; the counters reset afterwards. */
static xcx_monitor *attach(struct fixture *fx, uint32_t domid)
{
    xcx_monitor *mon;

    fake_reset_counters(&fx->fake);
    mon = xcx_monitor_open(fx->h, domid, 0);
    if (!mon)
        fail_msg("attach to %u: %s; log: %s", domid, strerror(errno),
                 fx->log.all);
    fake_reset_counters(&fx->fake);
    caplog_reset(&fx->log);
    return mon;
}

/* ------------------------------------------------------------------------ */
/* Attaching                                                                 */
/* ------------------------------------------------------------------------ */

static void test_open_order(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    vm_event_sring_t *s;
    char want[FAKE_TRACE_MAX];
    xcx_monitor *mon;

    fake_reset_counters(&fx->fake);
    mon = xcx_monitor_open(fx->h, DOM_HVM4, 0);
    assert_non_null(mon);
    open_calls(want, sizeof(want), 4);
    assert_trace(fx, want);
    assert_int_equal(fx->log.count, 0);

    /* Attached and running: every MTRR MSR and PAT watched. */
    assert_int_equal(d->xen.pause_count, 0);
    assert_true(d->xen.enabled);
    assert_int_equal(d->xen.nr_subscribed, ALL_MSRS);
    assert_true(d->xen.subscribed[0x2ff] && d->xen.subscribed[0x277] &&
                d->xen.subscribed[0x20f] && d->xen.subscribed[0x26f]);
    assert_false(d->xen.subscribed[0xfe]);
    assert_true(d->xen.bound);
    assert_int_equal(xcx_monitor_fd(mon), d->xen.efd);
    assert_int_equal(xcx_tracker_nr_vcpus(xcx_monitor_tracker(mon)), 4);
    /* The stale shared indices were reset (SHARED_RING_INIT). */
    s = d->xen.page;
    assert_int_equal(s->req_prod, 0);
    assert_int_equal(s->rsp_prod, 0);
    assert_int_equal(s->req_event, 1);

    /* Detaching with nothing pending: no notification needed. */
    fake_reset_counters(&fx->fake);
    assert_int_equal(xcx_monitor_close(mon), 0);
    snprintf(want, sizeof(want), "pause");
    msr_calls(want, sizeof(want), 8, '-', true, ALL_MSRS);
    snprintf(want + strlen(want), sizeof(want) - strlen(want),
             " disable unmap evtchn-close unpause");
    assert_trace(fx, want);
    assert_detached(d);
    assert_int_equal(fx->log.count, 0);
}

/* A domain whose record shows pair 0 in every slot: pairs 1..7 unknown. */
static void test_open_from_start(void **state)
{
    struct fixture *fx = *state;
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    xcx_monitor *mon;

    regs_hvmloader(&r);
    ctxb_copy_pair0(&r);
    ctxb_record_encode(&r, dom(fx, DOM_HVM1)->rec[0]);

    mon = attach(fx, DOM_HVM1);
    assert_int_equal(xcx_tracker_state(xcx_monitor_tracker(mon), 0, &st), 0);
    assert_int_equal(st.var_known, 0x01);
    assert_int_equal(xcx_monitor_close(mon), 0);

    mon = xcx_monitor_open(fx->h, DOM_HVM1, XCX_MONITOR_FROM_START);
    assert_non_null(mon);
    assert_int_equal(xcx_tracker_state(xcx_monitor_tracker(mon), 0, &st), 0);
    assert_int_equal(st.var_known, 0xff);
    assert_int_equal(xcx_monitor_close(mon), 0);
    assert_detached(dom(fx, DOM_HVM1));
}

static void test_open_bad_arguments(void **state)
{
    struct fixture *fx = *state;

    fake_reset_counters(&fx->fake);
    caplog_reset(&fx->log);
    errno = 0;
    assert_null(xcx_monitor_open(fx->h, DOM_HVM1, 4));
    assert_int_equal(errno, EINVAL);
    assert_logged(&fx->log, "unknown flags 0x4");
    assert_trace(fx, "");
    errno = 0;
    assert_null(xcx_monitor_open(NULL, DOM_HVM1, 0));
    assert_int_equal(errno, EINVAL);

    /* No such domain: the pause says so, nothing else is tried. */
    caplog_reset(&fx->log);
    assert_null(xcx_monitor_open(fx->h, DOM_MISSING, 0));
    assert_int_equal(errno, ESRCH);
    assert_logged(&fx->log, "no domain 42");
    assert_trace(fx, "pause!");

    /* A PV domain: refused by the baseline read, unpaused again. */
    fake_reset_counters(&fx->fake);
    caplog_reset(&fx->log);
    assert_null(xcx_monitor_open(fx->h, DOM_PV, 0));
    assert_int_equal(errno, EOPNOTSUPP);
    assert_logged(&fx->log, "domain 7 is PV");
    assert_trace(fx, "pause info unpause");
    assert_detached(dom(fx, DOM_PV));

    /* Closing nothing. */
    assert_int_equal(xcx_monitor_close(NULL), 0);
}

/* Each step of the attach fails in turn: what was done is undone. */
static void test_open_failures(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    const char *pre = "pause info policy record0 record1 record2 record3";
    char want[FAKE_TRACE_MAX];

    /* The baseline read. */
    fake_reset_counters(&fx->fake);
    d->err_record = EIO;
    d->err_record_vcpu = 2;
    assert_fails(fx, xcx_monitor_open(fx->h, DOM_HVM4, 0) ? 0 : -1, EIO);
    assert_trace(fx, "pause info policy record0 record1 record2 unpause");
    assert_detached(d);
    d->err_record = 0;

    /* Enabling the ring. */
    fake_reset_counters(&fx->fake);
    fx->fake.fail_errno[FOP_ENABLE] = EACCES;
    assert_fails(fx, xcx_monitor_open(fx->h, DOM_HVM4, 0) ? 0 : -1, EACCES);
    snprintf(want, sizeof(want), "%s enable! unpause", pre);
    assert_trace(fx, want);
    assert_logged(&fx->log, "enabling domain 4's monitor ring");
    assert_detached(d);

    /* Later steps: the first, a middle and the last (PAT) subscription,
     * binding the event channel, the final unpause (once: undone, the
     * unpause tried again). @subscribed MSRs are subscribed, then
     * unsubscribed in reverse; @mid comes between. */
    static const struct {
        enum fake_op op;
        int err;
        unsigned int from, count, subscribed;
        const char *mid, *msg;
    } later[] = {
        {FOP_MSR_ON, EPERM, 0, 0, 0, " msr+0x2ff!", "MSR 0x2ff"},
        {FOP_MSR_ON, EPERM, 5, 0, 5, " msr+0x269!", "MSR 0x269"},
        {FOP_MSR_ON, EPERM, ALL_MSRS - 1, 0, ALL_MSRS - 1, " msr+0x277!",
         "MSR 0x277"},
        {FOP_BIND, EMFILE, 0, 0, ALL_MSRS, " bind!",
         "binding to domain 4's event channel port 7004"},
        {FOP_UNPAUSE, EIO, 0, 1, ALL_MSRS, " bind unpause! evtchn-close",
         "unpausing domain 4"},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(later); i++) {
        fake_reset_counters(&fx->fake);
        fx->fake.fail_errno[later[i].op] = later[i].err;
        fx->fake.fail_from[later[i].op] = later[i].from;
        fx->fake.fail_count[later[i].op] = later[i].count;
        assert_fails(fx, xcx_monitor_open(fx->h, DOM_HVM4, 0) ? 0 : -1,
                     later[i].err);
        snprintf(want, sizeof(want), "%s enable", pre);
        msr_calls(want, sizeof(want), 8, '+', false, later[i].subscribed);
        strcat(want, later[i].mid);
        msr_calls(want, sizeof(want), 8, '-', true, later[i].subscribed);
        strcat(want, " disable unmap unpause");
        assert_trace(fx, want);
        assert_logged(&fx->log, later[i].msg);
        assert_detached(d);
    }

    /* Undoing fails too: every step still tried, the first errno kept. */
    fake_reset_counters(&fx->fake);
    fx->fake.fail_errno[FOP_BIND] = EMFILE;
    fx->fake.fail_errno[FOP_MSR_OFF] = EIO;
    fx->fake.fail_errno[FOP_DISABLE] = EIO;
    assert_fails(fx, xcx_monitor_open(fx->h, DOM_HVM4, 0) ? 0 : -1, EMFILE);
    assert_non_null(
        strstr(fx->fake.trace, "msr-0x2ff! disable! unmap unpause"));
    assert_int_equal(fx->fake.calls_op[FOP_MSR_OFF], ALL_MSRS);
    assert_int_equal(d->xen.pause_count, 0);
}

static void test_open_busy(void **state)
{
    static const char msg[] =
        "domain 4's monitor ring is in use (another monitor or agent)";
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *first = attach(fx, DOM_HVM4);
    char want[FAKE_TRACE_MAX];

    assert_fails(fx, xcx_monitor_open(fx->h, DOM_HVM4, 0) ? 0 : -1, EBUSY);
    assert_string_equal(fx->log.last, msg);
    assert_int_equal(fx->log.errnoval, EBUSY);
    snprintf(want, sizeof(want),
             "pause info policy record0 record1 record2 record3 enable! "
             "unpause");
    assert_trace(fx, want);
    /* The owner's ring is untouched. */
    assert_true(d->xen.enabled);
    assert_true(d->xen.bound);
    assert_int_equal(d->xen.nr_subscribed, ALL_MSRS);
    assert_int_equal(d->xen.pause_count, 0);

    assert_int_equal(xcx_monitor_close(first), 0);
    assert_detached(d);
}

/* ------------------------------------------------------------------------ */
/* Consuming                                                                 */
/* ------------------------------------------------------------------------ */

static void test_single_write(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    xcx_monitor *mon = attach(fx, DOM_HVM1);
    struct xcx_mtrr_state st;
    struct xcx_mtrr_result res;
    struct seen seen = {0};

    /* Nothing pending: a zero timeout returns at once. */
    assert_int_equal(xcx_monitor_poll(mon, 0, record_write, &seen), 0);
    assert_trace(fx, "");

    /* MTRRdefType WB -> UC: the vCPU stops until it is answered. */
    fake_xen_write(d, 0, XCX_MSR_MTRR_DEF_TYPE, 0xc00, 0xc06);
    fake_xen_produce(d);
    assert_int_equal(fake_xen_stopped(d), 1);
    assert_int_equal(xcx_monitor_poll(mon, 1000, record_write, &seen), 1);
    assert_trace(fx, "pending unmask notify");

    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.w[0].vcpu, 0);
    assert_int_equal(seen.w[0].msr, XCX_MSR_MTRR_DEF_TYPE);
    assert_int_equal(seen.w[0].value, 0xc00);
    assert_true(seen.w[0].out.accepted);
    assert_true(seen.w[0].out.changed);
    assert_int_equal(seen.w[0].out.old_value, 0xc06);

    assert_int_equal(xcx_tracker_state(xcx_monitor_tracker(mon), 0, &st), 0);
    assert_int_equal(st.regs.def_type, 0xc00);
    assert_int_equal(
        xcx_tracker_lookup(xcx_monitor_tracker(mon), 0, 0x100000, &res), 0);
    assert_int_equal(res.type, XCX_MT_UC);

    /* Answered: resumed, the response Xen took is the request's. */
    assert_int_equal(d->xen.nr_rsp, 1);
    assert_int_equal(d->xen.rsp[0].version, VM_EVENT_INTERFACE_VERSION);
    assert_int_equal(d->xen.rsp[0].vcpu, 0);
    assert_int_equal(d->xen.rsp[0].reason, VM_EVENT_REASON_MOV_TO_MSR);
    assert_int_equal(d->xen.rsp[0].flags, VM_EVENT_FLAG_VCPU_PAUSED);
    assert_int_equal(d->xen.resumed[0], 1);
    assert_int_equal(fake_xen_stopped(d), 0);
    assert_int_equal(fx->log.count, 0);

    /* Nothing more: the next wait times out. */
    fake_reset_counters(&fx->fake);
    assert_int_equal(xcx_monitor_poll(mon, 1, record_write, &seen), 0);
    assert_trace(fx, "");
    detach(mon, d);
}

/* 100 writes from 4 vCPUs: Xen refills the 8 slots as they are answered. */
static void test_burst(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *mon = attach(fx, DOM_HVM4);
    static struct seen seen;
    const unsigned int n = 100;

    memset(&seen, 0, sizeof(seen));
    for (unsigned int i = 0; i < n; i++)
        fake_xen_write(d, i % 4, XCX_MSR_MTRR_PHYSBASE0 + 2,
                       ((uint64_t)(i + 1) << 12) | XCX_MT_WB, 0);
    fake_xen_produce(d);
    assert_int_equal(fake_xen_queued(d), n - 8);

    assert_int_equal(xcx_monitor_poll(mon, 1000, record_write, &seen), n);
    assert_int_equal(fake_xen_queued(d), 0);
    assert_int_equal(d->xen.produced, n);
    assert_int_equal(d->xen.notifies, (n + 7) / 8);
    assert_int_equal(seen.n, n);
    assert_int_equal(d->xen.nr_rsp, n);
    for (unsigned int i = 0; i < n; i++) {
        assert_int_equal(seen.w[i].vcpu, i % 4);
        assert_int_equal(seen.w[i].value,
                         ((uint64_t)(i + 1) << 12) | XCX_MT_WB);
        assert_true(seen.w[i].out.accepted);
        assert_int_equal(d->xen.rsp[i].vcpu, i % 4);
        assert_int_equal(d->xen.rsp[i].flags, VM_EVENT_FLAG_VCPU_PAUSED);
    }
    for (unsigned int v = 0; v < 4; v++) {
        struct xcx_mtrr_state st;

        assert_int_equal(d->xen.resumed[v], n / 4);
        assert_int_equal(xcx_tracker_state(xcx_monitor_tracker(mon), v, &st),
                         0);
        assert_int_equal(st.regs.var[1].base,
                         ((uint64_t)(n - 4 + v + 1) << 12) | XCX_MT_WB);
    }
    assert_int_equal(fx->log.count, 0);
    detach(mon, d);
}

/* Writes Xen refuses (the guest gets #GP) are reported and answered. */
static void test_invalid_writes(void **state)
{
    static const struct {
        uint32_t msr;
        uint64_t value;
        bool accepted;
    } w[] = {
        {XCX_MSR_MTRR_DEF_TYPE, 0xc07, false},            /* type 7 */
        {XCX_MSR_MTRR_DEF_TYPE, 0x1c06, false},           /* reserved bit 12 */
        {XCX_MSR_MTRR_PHYSMASK0, 0xff0000801, false},     /* mask bit 0 */
        {XCX_MSR_MTRR_PHYSBASE0, 1ull << 36, false},      /* past width 36 */
        {XCX_MSR_MTRR_FIX64K, 0x0606060606060602, false}, /* type 2 */
        {XCX_MSR_PAT, 0x0007040600070403, false},         /* type 3 */
        {XCX_MSR_MTRR_DEF_TYPE, 0x806, true},
    };
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    xcx_monitor *mon = attach(fx, DOM_HVM1);
    struct xcx_mtrr_state before;
    struct seen seen = {0};

    tracked(mon, &before, 1);
    for (unsigned int i = 0; i < ARRAY_SIZE(w); i++)
        fake_xen_write(d, 0, w[i].msr, w[i].value, 0);
    /* Xen's old values are the registers' own. */
    for (unsigned int i = 0; i < ARRAY_SIZE(w); i++) {
        struct fake_event *ev = &d->xen.queue[i];
        uint64_t old = ev->msr == XCX_MSR_MTRR_DEF_TYPE ? before.regs.def_type
                       : ev->msr == XCX_MSR_PAT         ? before.regs.pat
                       : ev->msr == XCX_MSR_MTRR_FIX64K ? before.regs.fixed[0]
                       : ev->msr & 1 ? before.regs.var[0].mask
                                     : before.regs.var[0].base;

        ev->old_value = old;
    }
    fake_xen_produce(d);
    assert_int_equal(xcx_monitor_poll(mon, 1000, record_write, &seen),
                     ARRAY_SIZE(w));
    assert_int_equal(seen.n, ARRAY_SIZE(w));
    for (unsigned int i = 0; i < ARRAY_SIZE(w); i++) {
        assert_int_equal(seen.w[i].msr, w[i].msr);
        assert_int_equal(seen.w[i].out.accepted, w[i].accepted);
        if (!w[i].accepted)
            assert_true(seen.w[i].out.reason[0] != '\0');
    }
    /* Only the last write changed anything. */
    before.regs.def_type = 0x806;
    assert_tracked(mon, 0, &before);

    assert_int_equal(d->xen.nr_rsp, ARRAY_SIZE(w));
    assert_int_equal(d->xen.resumed[0], ARRAY_SIZE(w));
    detach(mon, d);
}

/* Each vCPU's write lands in its own state, and resumes that vCPU. */
static void test_several_vcpus(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *mon = attach(fx, DOM_HVM4);
    struct xcx_mtrr_state st[4];
    struct seen seen = {0};

    tracked(mon, st, 4);
    fake_xen_write(d, 3, XCX_MSR_MTRR_DEF_TYPE, 0xc05, st[3].regs.def_type);
    fake_xen_write(d, 1, XCX_MSR_PAT, DEFAULT_PAT + 1, st[1].regs.pat);
    fake_xen_write(d, 2, XCX_MSR_MTRR_FIX4K_0 + 7, 0, st[2].regs.fixed[10]);
    fake_xen_produce(d);
    assert_int_equal(fake_xen_stopped(d), 3);
    assert_int_equal(xcx_monitor_poll(mon, 1000, record_write, &seen), 3);

    st[3].regs.def_type = 0xc05;
    st[1].regs.pat = DEFAULT_PAT + 1;
    st[2].regs.fixed[10] = 0;
    for (unsigned int v = 0; v < 4; v++) {
        assert_tracked(mon, v, &st[v]);
        assert_int_equal(d->xen.resumed[v], v == 0 ? 0 : 1);
    }
    assert_int_equal(seen.w[0].vcpu, 3);
    assert_int_equal(seen.w[1].vcpu, 1);
    assert_int_equal(seen.w[2].vcpu, 2);
    detach(mon, d);
}

/* Requests that are no MTRR write: answered as they are, nothing applied. */
static void test_other_requests(void **state)
{
    static const struct fake_event ev[] = {
        /* A write of EFER. */
        {VM_EVENT_INTERFACE_VERSION, VM_EVENT_FLAG_VCPU_PAUSED,
         VM_EVENT_REASON_MOV_TO_MSR, 1, 0xc0000080, 0xd01, 0x501},
        /* Another reason altogether, with flags beyond VCPU_PAUSED. */
        {VM_EVENT_INTERFACE_VERSION,
         VM_EVENT_FLAG_VCPU_PAUSED | VM_EVENT_FLAG_FOREIGN,
         VM_EVENT_REASON_CPUID, 2, 0, 0, 0},
        /* Asynchronous: no vCPU waits for it. */
        {VM_EVENT_INTERFACE_VERSION, 0, VM_EVENT_REASON_MOV_TO_MSR, 0, 0x2ff,
         0xc00, 0xc06},
        /* A vCPU the domain does not have: the tracker refuses it. */
        {VM_EVENT_INTERFACE_VERSION, VM_EVENT_FLAG_VCPU_PAUSED,
         VM_EVENT_REASON_MOV_TO_MSR, 6, 0x2ff, 0xc00, 0xc06},
    };
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *mon = attach(fx, DOM_HVM4);
    struct xcx_mtrr_state before[4];
    struct seen seen = {0};

    tracked(mon, before, 4);
    for (unsigned int i = 0; i < ARRAY_SIZE(ev); i++)
        fake_xen_queue(d, &ev[i]);
    fake_xen_produce(d);
    assert_int_equal(xcx_monitor_poll(mon, 1000, record_write, &seen),
                     ARRAY_SIZE(ev));

    /* The asynchronous MTRR write is tracked; the others are not. */
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.w[0].vcpu, 0);
    assert_logged(&fx->log, "vCPU 6's write of MSR 0x2ff not tracked");
    for (unsigned int v = 1; v < 4; v++)
        assert_tracked(mon, v, &before[v]);

    assert_int_equal(d->xen.nr_rsp, ARRAY_SIZE(ev));
    for (unsigned int i = 0; i < ARRAY_SIZE(ev); i++) {
        assert_int_equal(d->xen.rsp[i].version, ev[i].version);
        assert_int_equal(d->xen.rsp[i].vcpu, ev[i].vcpu);
        assert_int_equal(d->xen.rsp[i].reason, ev[i].reason);
        assert_int_equal(d->xen.rsp[i].flags,
                         ev[i].flags & VM_EVENT_FLAG_VCPU_PAUSED);
    }
    detach(mon, d);
}

/* ------------------------------------------------------------------------ */
/* Detaching                                                                 */
/* ------------------------------------------------------------------------ */

/* The calls of a detach that answers what is pending, and what came
 * during the unsubscription. */
static void close_calls(char *buf, size_t size, const char *first_drain)
{
    snprintf(buf, size, "pause%s", first_drain);
    msr_calls(buf, size, 8, '-', true, ALL_MSRS);
    snprintf(buf + strlen(buf), size - strlen(buf),
             " notify disable unmap evtchn-close unpause");
}

static void test_close_pending(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *mon = attach(fx, DOM_HVM4);
    char want[FAKE_TRACE_MAX];

    /* 11 writes: 8 on the ring, 3 waiting for room; 2 more come while
     * the MSRs are unsubscribed. */
    for (unsigned int i = 0; i < 11; i++)
        fake_xen_write(d, i % 4, XCX_MSR_MTRR_DEF_TYPE, 0xc06, 0xc06);
    fake_xen_produce(d);
    d->xen.late_writes = 2;
    assert_int_equal(fake_xen_stopped(d), 4);

    assert_int_equal(xcx_monitor_close(mon), 0);
    close_calls(want, sizeof(want), " notify notify");
    assert_trace(fx, want);
    assert_int_equal(d->xen.nr_rsp, 13);
    for (unsigned int i = 0; i < 13; i++) {
        assert_int_equal(d->xen.rsp[i].flags, VM_EVENT_FLAG_VCPU_PAUSED);
        assert_int_equal(d->xen.rsp[i].vcpu, i < 11 ? i % 4 : i - 11);
    }
    assert_detached(d);
    assert_int_equal(fx->log.count, 0);
}

/* Detaching with a callback reports every request it drains, those that
 * came in while unsubscribing too, and applies them to the tracker. */
static void test_detach_reports_drained(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);
    xcx_monitor *mon = attach(fx, DOM_HVM4);
    struct seen seen = {0};

    for (unsigned int i = 0; i < 11; i++)
        fake_xen_write(d, i % 4, XCX_MSR_MTRR_DEF_TYPE, 0xc00 | (i & 1) * 6,
                       0xc06);
    fake_xen_produce(d);
    d->xen.late_writes = 2;

    assert_int_equal(xcx_monitor_detach(mon, record_write, &seen), 0);
    assert_int_equal(d->xen.nr_rsp, 13);
    assert_int_equal(seen.n, 13);
    for (unsigned int i = 0; i < 11; i++) {
        assert_int_equal(seen.w[i].vcpu, i % 4);
        assert_int_equal(seen.w[i].msr, XCX_MSR_MTRR_DEF_TYPE);
        assert_int_equal(seen.w[i].value, 0xc00 | (i & 1) * 6);
        assert_true(seen.w[i].out.accepted);
    }
    assert_detached(d);
    assert_int_equal(fx->log.count, 0);
}

/* A step of the detach fails: the others are still done, the first errno
 * is returned, the domain runs. */
static void test_close_failures(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    char want[FAKE_TRACE_MAX];
    xcx_monitor *mon;

    /* Disabling the ring fails. */
    mon = attach(fx, DOM_HVM1);
    fake_xen_write(d, 0, XCX_MSR_PAT, DEFAULT_PAT, DEFAULT_PAT);
    fake_xen_produce(d);
    fx->fake.fail_errno[FOP_DISABLE] = EIO;
    assert_fails(fx, xcx_monitor_close(mon), EIO);
    snprintf(want, sizeof(want), "pause notify");
    msr_calls(want, sizeof(want), 8, '-', true, ALL_MSRS);
    strcat(want, " disable! unmap evtchn-close unpause");
    assert_trace(fx, want);
    assert_logged(&fx->log, "disabling domain 1's monitor ring");
    assert_int_equal(d->xen.pause_count, 0);
    assert_int_equal(d->xen.resumed[0], 1);
    assert_false(d->xen.bound);
    d->xen.enabled = false; /* what the failed disable left */

    /* Unsubscribing fails for every MSR, then the notification: each MSR
     * is still tried and the first errno kept. */
    mon = attach(fx, DOM_HVM1);
    fake_xen_write(d, 0, XCX_MSR_PAT, DEFAULT_PAT, DEFAULT_PAT);
    fake_xen_produce(d);
    fx->fake.fail_errno[FOP_MSR_OFF] = EPERM;
    fx->fake.fail_errno[FOP_NOTIFY] = EIO;
    fx->fake.fail_errno[FOP_EVTCHN_CLOSE] = EBADF;
    assert_fails(fx, xcx_monitor_close(mon), EIO);
    assert_int_equal(fx->fake.calls_op[FOP_MSR_OFF], ALL_MSRS);
    assert_non_null(strstr(fx->fake.trace, "disable unmap evtchn-close! "
                                           "unpause"));
    assert_int_equal(d->xen.pause_count, 0);
    assert_false(d->xen.enabled);
    assert_null(d->xen.page);
    assert_false(d->xen.bound);
    /* The answer never reached Xen: that vCPU stays stopped. */
    assert_int_equal(d->xen.stuck, 1);
    d->xen.stuck = 0;
    d->xen.outstanding[0] = 0;
    memset(d->xen.subscribed, 0, sizeof(d->xen.subscribed));
    d->xen.nr_subscribed = 0;

    /* The pause fails: the rest is done, and no unpause of a pause that
     * is not ours. */
    mon = attach(fx, DOM_HVM1);
    fx->fake.fail_errno[FOP_PAUSE] = EIO;
    assert_fails(fx, xcx_monitor_close(mon), EIO);
    snprintf(want, sizeof(want), "pause!");
    msr_calls(want, sizeof(want), 8, '-', true, ALL_MSRS);
    strcat(want, " disable unmap evtchn-close");
    assert_trace(fx, want);
    assert_detached(d);

    /* The unpause fails: reported. */
    mon = attach(fx, DOM_HVM1);
    fx->fake.fail_errno[FOP_UNPAUSE] = EIO;
    assert_fails(fx, xcx_monitor_close(mon), EIO);
    assert_logged(&fx->log, "unpausing domain 1");
    assert_int_equal(d->xen.pause_count, 1);
    d->xen.pause_count = 0;
    assert_detached(d);
}

/* ------------------------------------------------------------------------ */
/* Signals and a hostile ring                                                */
/* ------------------------------------------------------------------------ */

static volatile sig_atomic_t signals;

static void on_signal(int sig)
{
    signals++;
}

struct pester {
    pthread_t target;
    int sig;
    volatile bool stop;
};

/* Signal the target thread every 2 ms until told to stop: one of them
 * lands in its poll() whatever the scheduling. */
static void *pester(void *arg)
{
    struct pester *p = arg;

    while (!p->stop) {
        pthread_kill(p->target, p->sig);
        usleep(2000);
    }
    return NULL;
}

static void interrupted_wait(struct fixture *fx, xcx_monitor *mon, int sig)
{
    struct sigaction sa = {.sa_handler = on_signal}, old;
    struct pester p = {.target = pthread_self(), .sig = sig};
    struct seen seen = {0};
    pthread_t thread;
    int rc, err;

    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() returns EINTR */
    assert_int_equal(sigaction(sig, &sa, &old), 0);
    signals = 0;
    assert_int_equal(pthread_create(&thread, NULL, pester, &p), 0);
    errno = 0;
    rc = xcx_monitor_poll(mon, 10000, record_write, &seen);
    err = errno;
    p.stop = true;
    pthread_join(thread, NULL);
    /* Ignoring it discards any still pending, then the old action. */
    sa.sa_handler = SIG_IGN;
    assert_int_equal(sigaction(sig, &sa, NULL), 0);
    assert_int_equal(sigaction(sig, &old, NULL), 0);

    assert_int_equal(rc, -1);
    assert_int_equal(err, EINTR);
    assert_true(signals > 0);
    assert_int_equal(seen.n, 0);
}

static void test_signal(void **state)
{
    static const int sigs[] = {SIGINT, SIGALRM};
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM4);

    for (unsigned int i = 0; i < ARRAY_SIZE(sigs); i++) {
        xcx_monitor *mon = attach(fx, DOM_HVM4);

        interrupted_wait(fx, mon, sigs[i]);
        assert_trace(fx, "");
        /* The guest writes on meanwhile; the detach answers it all. */
        for (unsigned int v = 0; v < 4; v++)
            fake_xen_write(d, v, XCX_MSR_MTRR_DEF_TYPE, 0xc06, 0xc06);
        fake_xen_produce(d);
        assert_int_equal(fake_xen_stopped(d), 4);
        assert_int_equal(xcx_monitor_close(mon), 0);
        assert_detached(d);
        for (unsigned int v = 0; v < 4; v++)
            assert_int_equal(d->xen.resumed[v], i + 1);
    }
}

static void test_hostile_ring(void **state)
{
    struct fixture *fx = *state;
    struct fake_domain *d = dom(fx, DOM_HVM1);
    xcx_monitor *mon = attach(fx, DOM_HVM1);
    vm_event_sring_t *s = d->xen.page;
    struct seen seen = {0};

    s->req_prod = 1000; /* 1000 requests on an 8-slot ring */
    fake_xen_signal(d);
    assert_fails(fx, xcx_monitor_poll(mon, 1000, record_write, &seen), EIO);
    assert_logged(&fx->log, "req_prod 1000 runs 1000 ahead");
    assert_int_equal(seen.n, 0);
    assert_int_equal(s->rsp_prod, 0);
    /* Again without waiting: still refused, no hang. */
    assert_fails(fx, xcx_monitor_poll(mon, -1, record_write, &seen), EIO);

    /* The detach reports it and does everything else. */
    fake_reset_counters(&fx->fake);
    assert_fails(fx, xcx_monitor_close(mon), EIO);
    assert_int_equal(fx->fake.calls_op[FOP_MSR_OFF], ALL_MSRS);
    assert_detached(d);
}

/* A back end without a monitor. */
static void test_no_monitor_ops(void **state)
{
    static const struct xcx_backend_ops bare = {
        .domain_info = NULL,
    };
    struct fixture *fx = *state;
    xcx_handle *h = xcx_handle_new(&bare, NULL, caplog_logger(&fx->log));

    assert_non_null(h);
    assert_fails(fx, xcx_monitor_open(h, DOM_HVM1, 0) ? 0 : -1, EOPNOTSUPP);
    xcx_close(h);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_order),
        T(test_open_from_start),
        T(test_open_bad_arguments),
        T(test_open_failures),
        T(test_open_busy),
        T(test_single_write),
        T(test_burst),
        T(test_invalid_writes),
        T(test_several_vcpus),
        T(test_other_requests),
        T(test_close_pending),
        T(test_detach_reports_drained),
        T(test_close_failures),
        T(test_signal),
        T(test_hostile_ring),
        T(test_no_monitor_ops),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
