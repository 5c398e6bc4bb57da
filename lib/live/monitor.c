/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A library-owned vm_event monitor that feeds a tracker: attach, consume
 * and answer MOV_TO_MSR requests, detach. No Xen calls here: the ring page
 * is plain memory (vm_event_ring.c) and everything else goes through the
 * back end (xen_backend.c). A monitor uses its handle until it is closed.
 *
 * An unanswered request leaves its vCPU paused for good, so every exit
 * path answers what is on the ring, in the order NOTES §3 gives.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "private.h"
#include "vm_event_ring.h"

/* The ring is one page (XC_PAGE_SIZE on x86). */
#define RING_PAGE_SIZE 4096

/* DEF_TYPE, 3 fixed 64K/16K, 8 fixed 4K, the pairs, PAT. */
#define MAX_MSRS (1 + 3 + 8 + 2 * XCX_MTRR_VAR_MAX + 1)

/*
 * Passes of at most one ring's worth each per xcx_monitor_poll() call, so
 * a guest that never stops writing cannot keep a caller in it for good.
 * Requests left over are taken by the next call without waiting.
 */
#define MAX_PASSES 1024

struct xcx_monitor {
    xcx_handle *h;
    uint32_t domid;
    bool paused; /* holds a pause of ours */
    xcx_mtrr_tracker *tr;
    void *page; /* the ring page: set while enabled and mapped */
    uint32_t remote_port;
    struct xcx_vm_ring *ring;
    uint32_t msrs[MAX_MSRS];
    unsigned int nr_msrs; /* subscribed, in subscription order */
    struct xcx_evtchn *ch;
    int fd;
    uint32_t port; /* our end of the event channel */
    int err;       /* first errno of a failed step, for close */
    /* For the log header: what the baseline showed, and when. */
    unsigned int maxphysaddr, nr_vcpus;
    bool from_start; /* asked for, and no vCPU had run */
    time_t started;
};

/* Log a failed step with errno; keep the first errno. Returns -1. */
static int step_fail(struct xcx_monitor *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int step_fail(struct xcx_monitor *m, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    int saved = errno;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (!m->err)
        m->err = saved;
    xcx_log(m->h->lg, XTL_ERROR, saved, "%s", what);
    errno = saved;
    return -1;
}

static int pause_domain(struct xcx_monitor *m)
{
    if (m->h->ops->domain_pause(m->h->priv, m->domid)) {
        if (errno == ESRCH)
            return step_fail(m, "no domain %u", m->domid);
        return step_fail(m, "pausing domain %u", m->domid);
    }
    m->paused = true;
    return 0;
}

static int unpause_domain(struct xcx_monitor *m)
{
    if (m->h->ops->domain_unpause(m->h->priv, m->domid))
        return step_fail(m, "unpausing domain %u", m->domid);
    m->paused = false;
    return 0;
}

static int enable_ring(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;

    if (h->ops->monitor_enable(h->priv, m->domid, &m->page, &m->remote_port)) {
        m->page = NULL;
        if (errno == EBUSY)
            return step_fail(m,
                             "domain %u's monitor ring is in use (another "
                             "monitor or agent)",
                             m->domid);
        return step_fail(m, "enabling domain %u's monitor ring", m->domid);
    }
    /* We just enabled it: reset the shared indices, as xen-access does. */
    m->ring = xcx_vm_ring_new(m->page, RING_PAGE_SIZE, true, h->lg);
    return m->ring ? 0 : step_fail(m, "domain %u's ring", m->domid);
}

/* Disable the ring and unmap its page; both are tried. */
static void disable_ring(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;

    xcx_vm_ring_free(m->ring);
    m->ring = NULL;
    if (h->ops->monitor_disable(h->priv, m->domid))
        step_fail(m, "disabling domain %u's monitor ring", m->domid);
    if (h->ops->ring_unmap(h->priv, m->page))
        step_fail(m, "unmapping domain %u's ring page", m->domid);
    m->page = NULL;
}

/* The MSRs to watch with @vcnt variable pairs. */
static unsigned int tracked_msrs(uint32_t *msrs, unsigned int vcnt)
{
    unsigned int n = 0;

    msrs[n++] = XCX_MSR_MTRR_DEF_TYPE;
    msrs[n++] = XCX_MSR_MTRR_FIX64K;
    msrs[n++] = XCX_MSR_MTRR_FIX16K_0;
    msrs[n++] = XCX_MSR_MTRR_FIX16K_1;
    for (uint32_t i = 0; i < 8; i++)
        msrs[n++] = XCX_MSR_MTRR_FIX4K_0 + i;
    for (uint32_t i = 0; i < 2 * vcnt && i < 2 * XCX_MTRR_VAR_MAX; i++)
        msrs[n++] = XCX_MSR_MTRR_PHYSBASE0 + i;
    msrs[n++] = XCX_MSR_PAT;
    return n;
}

static int subscribe(struct xcx_monitor *m, unsigned int vcnt)
{
    xcx_handle *h = m->h;
    uint32_t msrs[MAX_MSRS];
    unsigned int n = tracked_msrs(msrs, vcnt);

    for (unsigned int i = 0; i < n; i++) {
        if (h->ops->monitor_msr(h->priv, m->domid, msrs[i], true))
            return step_fail(m, "subscribing to domain %u's writes of MSR 0x%x",
                             m->domid, msrs[i]);
        m->msrs[m->nr_msrs++] = msrs[i];
    }
    return 0;
}

/* Unsubscribe in reverse order; every MSR is tried. */
static void unsubscribe(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;

    while (m->nr_msrs) {
        uint32_t msr = m->msrs[--m->nr_msrs];

        if (h->ops->monitor_msr(h->priv, m->domid, msr, false))
            step_fail(m, "unsubscribing from domain %u's writes of MSR 0x%x",
                      m->domid, msr);
    }
}

static int bind_channel(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;

    if (h->ops->evtchn_bind(h->priv, m->domid, m->remote_port, &m->ch, &m->fd,
                            &m->port)) {
        m->ch = NULL;
        return step_fail(m, "binding to domain %u's event channel port %u",
                         m->domid, m->remote_port);
    }
    return 0;
}

static void close_channel(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;

    if (h->ops->evtchn_close(h->priv, m->ch))
        step_fail(m, "closing the event channel of domain %u", m->domid);
    m->ch = NULL;
    m->fd = -1;
}

static int notify(struct xcx_monitor *m)
{
    if (m->h->ops->evtchn_notify(m->h->priv, m->ch))
        return step_fail(m, "notifying domain %u's event channel", m->domid);
    return 0;
}

/* Everything open set up, undone in reverse order; keeps errno. */
static void undo_open(struct xcx_monitor *m)
{
    int saved = errno;

    if (m->ch)
        close_channel(m);
    unsubscribe(m);
    if (m->page)
        disable_ring(m);
    xcx_tracker_free(m->tr);
    if (m->paused)
        unpause_domain(m);
    free(m);
    errno = saved;
}

/* XCX_MONITOR_UNPAUSE releases the toolstack's pause: there must be one,
 * seen before ours is taken. */
static int check_toolstack_paused(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;
    struct xcx_domain_entry e;

    if (!h->ops->domain_entry)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "this handle cannot tell whether a domain is paused");
    if (h->ops->domain_entry(h->priv, m->domid, &e)) {
        if (errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", m->domid);
        return step_fail(m, "reading the state of domain %u", m->domid);
    }
    if (!e.paused)
        return xcx_fail(h->lg, EINVAL,
                        "domain %u is not paused: there is no toolstack pause "
                        "to release once attached (create it with xl create "
                        "-p)",
                        m->domid);
    return 0;
}

/* XCX_MONITOR_FROM_START: no vCPU may have run, checked under our pause. */
static int check_not_run(struct xcx_monitor *m)
{
    struct xcx_domain_info info;
    unsigned int vcpu;
    uint64_t ns;
    int rc;

    if (xcx_domain_info(m->h, m->domid, &info))
        return -1;
    rc = xcx_domain_first_ran(m->h, m->domid, info.nr_vcpus, &vcpu, &ns);
    if (rc <= 0)
        return rc;
    return xcx_fail(m->h->lg, EALREADY,
                    "domain %u has run already (vCPU %u ran for %" PRIu64
                    " ns), so its registers' power-on values cannot be "
                    "trusted: tracking from the start needs a domain created "
                    "paused (xl create -p) that no one has unpaused yet",
                    m->domid, vcpu, ns);
}

/* Read the baseline and create the tracker; *@vcnt: the largest VCNT. */
static int track(struct xcx_monitor *m, unsigned int flags, unsigned int *vcnt)
{
    struct xcx_mtrr_state *base;
    unsigned int nr;

    if (xcx_mtrr_read_all(m->h, m->domid, 0, &base, &nr))
        return -1;
    *vcnt = 0;
    for (unsigned int v = 0; v < nr; v++)
        if (base[v].vcnt > *vcnt)
            *vcnt = base[v].vcnt;
    m->maxphysaddr = base[0].maxphysaddr;
    m->nr_vcpus = nr;
    m->from_start = flags & XCX_MONITOR_FROM_START;
    m->tr = xcx_tracker_new(
        base, nr, flags & XCX_MONITOR_FROM_START ? XCX_TRACK_FROM_START : 0,
        m->h->lg);
    free(base);
    return m->tr ? 0 : -1;
}

XCX_EXPORT xcx_monitor *xcx_monitor_open(xcx_handle *h, uint32_t domid,
                                         unsigned int flags)
{
    struct xcx_monitor *m;
    unsigned int vcnt;

    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    if (flags & ~(XCX_MONITOR_FROM_START | XCX_MONITOR_UNPAUSE)) {
        xcx_fail(h->lg, EINVAL, "xcx_monitor_open: unknown flags 0x%x", flags);
        return NULL;
    }
    if (!h->ops->monitor_enable) {
        xcx_fail(h->lg, EOPNOTSUPP, "this handle has no vm_event monitor");
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->h = h;
    m->domid = domid;
    m->fd = -1;
    m->started = time(NULL);
    if (((flags & XCX_MONITOR_UNPAUSE) && check_toolstack_paused(m)) ||
        pause_domain(m) ||
        ((flags & XCX_MONITOR_FROM_START) && check_not_run(m)) ||
        track(m, flags, &vcnt) || enable_ring(m) || subscribe(m, vcnt) ||
        bind_channel(m) || unpause_domain(m) ||
        ((flags & XCX_MONITOR_UNPAUSE) && unpause_domain(m))) {
        undo_open(m);
        return NULL;
    }
    return m;
}

XCX_EXPORT int xcx_monitor_log_header(xcx_monitor *mon,
                                      struct xcx_log_header *hdr)
{
    struct tm tm;

    if (!mon || !hdr) {
        errno = EINVAL;
        return -1;
    }
    memset(hdr, 0, sizeof(*hdr));
    if (xcx_domain_log_identity(mon->h, mon->domid, hdr))
        return -1;
    hdr->version = XCX_LOG_VERSION;
    hdr->maxphysaddr = mon->maxphysaddr;
    hdr->nr_vcpus = mon->nr_vcpus;
    hdr->from_start = mon->from_start;
    if (!gmtime_r(&mon->started, &tm) ||
        !strftime(hdr->start, sizeof(hdr->start), "%Y-%m-%dT%H:%M:%SZ", &tm))
        hdr->start[0] = '\0';
    return 0;
}

XCX_EXPORT int xcx_monitor_fd(const xcx_monitor *mon)
{
    if (!mon) {
        errno = EINVAL;
        return -1;
    }
    return mon->fd;
}

XCX_EXPORT xcx_mtrr_tracker *xcx_monitor_tracker(xcx_monitor *mon)
{
    if (!mon) {
        errno = EINVAL;
        return NULL;
    }
    return mon->tr;
}

struct feed {
    struct xcx_monitor *m;
    xcx_monitor_cb *cb;
    void *arg;
};

/* One request off the ring, before the ring answers it. */
static void feed_one(void *arg, const struct xcx_vm_req *req)
{
    struct feed *f = arg;
    struct xcx_write_outcome out;
    int rc;

    if (!req->mov_to_msr)
        return;
    rc = xcx_tracker_feed_event(f->m->tr, req->raw, req->len, &out);
    if (rc < 0)
        xcx_log(f->m->h->lg, XTL_WARN, -1,
                "domain %u: vCPU %u's write of MSR 0x%x not tracked "
                "(answered all the same)",
                f->m->domid, req->vcpu, req->msr);
    else if (rc == 1 && f->cb)
        f->cb(f->arg, req->vcpu, req->msr, req->new_value, &out);
}

/*
 * Answer what is on the ring, one pass (at most a ring's worth) at a time,
 * notifying Xen after each so that it takes the answers, resumes those
 * vCPUs and refills the ring. Returns the number answered.
 */
static int consume(struct xcx_monitor *m, xcx_vm_ring_fn *fn, void *arg)
{
    int total = 0;

    for (unsigned int pass = 0; pass < MAX_PASSES; pass++) {
        int n = xcx_vm_ring_consume(m->ring, fn, arg);

        if (n < 0)
            return step_fail(m, "reading domain %u's ring", m->domid);
        if (n == 0)
            break;
        total += n;
        if (notify(m))
            return -1;
    }
    return total;
}

/* Take the pending event and unmask its port. */
static int take_event(struct xcx_monitor *m)
{
    xcx_handle *h = m->h;
    uint32_t port;

    if (h->ops->evtchn_pending(h->priv, m->ch, &port))
        return step_fail(m, "reading domain %u's pending event", m->domid);
    if (h->ops->evtchn_unmask(h->priv, m->ch, port))
        return step_fail(m, "unmasking event channel port %u", port);
    return 0;
}

XCX_EXPORT int xcx_monitor_poll(xcx_monitor *mon, int timeout_ms,
                                xcx_monitor_cb *cb, void *arg)
{
    struct pollfd pfd = {.fd = mon ? mon->fd : -1, .events = POLLIN};
    struct feed f = {mon, cb, arg};
    int waiting, rc;

    if (!mon) {
        errno = EINVAL;
        return -1;
    }
    waiting = xcx_vm_ring_pending(mon->ring);
    if (waiting < 0)
        return step_fail(mon, "reading domain %u's ring", mon->domid);
    /* Requests left by the last call are taken without waiting. */
    rc = poll(&pfd, 1, waiting ? 0 : timeout_ms);
    if (rc < 0) {
        if (errno == EINTR) {
            xcx_log(mon->h->lg, XTL_DEBUG, EINTR,
                    "waiting for domain %u's events: interrupted", mon->domid);
            return -1;
        }
        return step_fail(mon, "waiting for domain %u's events", mon->domid);
    }
    if (rc > 0 && !(pfd.revents & POLLIN)) {
        errno = EIO;
        return step_fail(mon, "domain %u's event channel: poll revents 0x%x",
                         mon->domid, (unsigned int)pfd.revents);
    }
    if (rc > 0 && take_event(mon))
        return -1;
    return consume(mon, feed_one, &f);
}

XCX_EXPORT int xcx_monitor_detach(xcx_monitor *mon, xcx_monitor_cb *cb,
                                  void *arg)
{
    struct feed f = {mon, cb, arg};
    int err;

    if (!mon)
        return 0;
    mon->err = 0;
    /* No new request while we answer the old ones and unsubscribe. The
     * requests drained here are applied and reported like any other, so a
     * log of them is complete up to the moment the guest runs on alone. */
    pause_domain(mon);
    consume(mon, feed_one, &f);
    unsubscribe(mon);
    consume(mon, feed_one, &f); /* what came meanwhile */
    disable_ring(mon);
    close_channel(mon);
    xcx_tracker_free(mon->tr);
    /* Only our own pause: a failed pause leaves nothing to undo. */
    if (mon->paused)
        unpause_domain(mon);
    err = mon->err;
    free(mon);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

XCX_EXPORT int xcx_monitor_close(xcx_monitor *mon)
{
    return xcx_monitor_detach(mon, NULL, NULL);
}
