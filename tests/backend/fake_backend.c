/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ctxbuild.h"
#include "fake_backend.h"

/* ------------------------------------------------------------------------ */
/* The fake back end                                                         */
/* ------------------------------------------------------------------------ */

static struct fake_domain *fake_find(struct fake *f, uint32_t domid)
{
    for (unsigned int i = 0; i < f->nr; i++)
        if (f->dom[i].domid == domid)
            return &f->dom[i];
    return NULL;
}

static int fake_fail(int err)
{
    errno = err;
    return -1;
}

static void trace(struct fake *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void trace(struct fake *f, const char *fmt, ...)
{
    size_t used = strlen(f->trace);
    va_list ap;

    if (used + 64 > sizeof(f->trace))
        fail_msg("fake back end: trace full");
    if (used)
        f->trace[used++] = ' ';
    va_start(ap, fmt);
    vsnprintf(f->trace + used, sizeof(f->trace) - used, fmt, ap);
    va_end(ap);
}

/* A monitor call refused: its trace token gets a '!'. */
static int refuse(struct fake *f, int err)
{
    size_t used = strlen(f->trace);

    if (used && f->trace[used - 1] != '!' && used + 1 < sizeof(f->trace)) {
        f->trace[used] = '!';
        f->trace[used + 1] = '\0';
    }
    return fake_fail(err);
}

/* Count and trace a call of @op; fail it as injected. */
static int fake_call(struct fake *f, enum fake_op op, const char *name)
{
    unsigned int call = f->calls_op[op]++;
    bool fails =
        f->fail_errno[op] && call >= f->fail_from[op] &&
        (!f->fail_count[op] || call < f->fail_from[op] + f->fail_count[op]);

    trace(f, "%s%s", name, fails ? "!" : "");
    return fails ? fake_fail(f->fail_errno[op]) : 0;
}

static int fake_domain_info(void *priv, uint32_t domid,
                            struct xcx_domain_info *info)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_info++;
    trace(f, "info");
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_info)
        return fake_fail(d->err_info);
    info->domid = d->domid;
    info->nr_vcpus = d->nr_vcpus;
    info->hvm = d->hvm;
    info->dying = d->dying;
    return 0;
}

static int fake_mtrr_record(void *priv, uint32_t domid, unsigned int vcpu,
                            void *buf, size_t len)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_record++;
    trace(f, "record%u", vcpu);
    if (vcpu < FAKE_MAX_VCPUS)
        f->calls_record_vcpu[vcpu]++;
    f->last_record_len = len;
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_record &&
        (d->err_record_vcpu < 0 || (unsigned int)d->err_record_vcpu == vcpu))
        return fake_fail(d->err_record);
    /* What Xen says for a bad instance or size. */
    if (vcpu >= d->nr_vcpus || vcpu >= FAKE_MAX_VCPUS ||
        len != XCX_MTRR_RECORD_SIZE)
        return fake_fail(EINVAL);
    memcpy(buf, d->rec[vcpu], len);
    return 0;
}

static int fake_maxphysaddr(void *priv, uint32_t domid, unsigned int *bits)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    f->calls_policy++;
    trace(f, "policy");
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_policy)
        return fake_fail(d->err_policy);
    *bits = d->maxphysaddr;
    return 0;
}

static void fake_close(void *priv)
{
    ((struct fake *)priv)->calls_close++;
}

/* ------------------------------------------------------------------------ */
/* The simulated Xen side of the monitor                                     */
/* ------------------------------------------------------------------------ */

struct xcx_evtchn {
    struct fake_domain *d;
};

void fake_xen_signal(struct fake_domain *d)
{
    uint64_t one = 1;

    if (d->xen.bound && write(d->xen.efd, &one, sizeof(one)) != sizeof(one))
        fail_msg("fake Xen: eventfd write: %s", strerror(errno));
}

void fake_xen_queue(struct fake_domain *d, const struct fake_event *ev)
{
    struct fake_xen *x = &d->xen;

    if (x->q_tail - x->q_head >= FAKE_QUEUE_MAX)
        fail_msg("fake Xen: request queue full");
    x->queue[x->q_tail++ % FAKE_QUEUE_MAX] = *ev;
}

void fake_xen_write(struct fake_domain *d, unsigned int vcpu, uint32_t msr,
                    uint64_t new_value, uint64_t old_value)
{
    struct fake_event ev = {
        .version = VM_EVENT_INTERFACE_VERSION,
        .flags = VM_EVENT_FLAG_VCPU_PAUSED,
        .reason = VM_EVENT_REASON_MOV_TO_MSR,
        .vcpu = vcpu,
        .msr = msr,
        .new_value = new_value,
        .old_value = old_value,
    };

    fake_xen_queue(d, &ev);
}

unsigned int fake_xen_queued(const struct fake_domain *d)
{
    return d->xen.q_tail - d->xen.q_head;
}

void fake_xen_produce(struct fake_domain *d)
{
    struct fake_xen *x = &d->xen;
    bool any = false;

    if (!x->enabled)
        return;
    while (x->q_head != x->q_tail && !RING_FULL(&x->front)) {
        const struct fake_event *ev = &x->queue[x->q_head++ % FAKE_QUEUE_MAX];
        vm_event_request_t *req =
            RING_GET_REQUEST(&x->front, x->front.req_prod_pvt++);

        memset(req, 0, sizeof(*req));
        req->version = ev->version;
        req->flags = ev->flags;
        req->reason = ev->reason;
        req->vcpu_id = ev->vcpu;
        req->u.mov_to_msr.msr = ev->msr;
        req->u.mov_to_msr.new_value = ev->new_value;
        req->u.mov_to_msr.old_value = ev->old_value;
        if ((ev->flags & VM_EVENT_FLAG_VCPU_PAUSED) &&
            ev->vcpu < FAKE_MAX_VCPUS)
            x->outstanding[ev->vcpu]++;
        x->produced++;
        any = true;
    }
    if (any) {
        RING_PUSH_REQUESTS(&x->front);
        fake_xen_signal(d);
    }
}

/* vm_event_resume(): take the responses, resume vCPUs, refill. */
static void fake_xen_resume(struct fake_domain *d)
{
    struct fake_xen *x = &d->xen;
    RING_IDX prod = x->front.sring->rsp_prod;

    xen_rmb();
    if (RING_RESPONSE_PROD_OVERFLOW(&x->front, prod))
        fail_msg("fake Xen: rsp_prod %u past rsp_cons %u", prod,
                 x->front.rsp_cons);
    while (x->front.rsp_cons != prod) {
        const vm_event_response_t *rsp =
            RING_GET_RESPONSE(&x->front, x->front.rsp_cons++);
        struct fake_event *ev = &x->rsp[x->nr_rsp % FAKE_RSP_MAX];

        x->nr_rsp++;
        ev->version = rsp->version;
        ev->flags = rsp->flags;
        ev->reason = rsp->reason;
        ev->vcpu = rsp->vcpu_id;
        if (rsp->version != VM_EVENT_INTERFACE_VERSION ||
            rsp->vcpu_id >= FAKE_MAX_VCPUS)
            continue; /* Xen ignores it */
        if ((rsp->flags & VM_EVENT_FLAG_VCPU_PAUSED) &&
            x->outstanding[rsp->vcpu_id]) {
            x->outstanding[rsp->vcpu_id]--;
            x->resumed[rsp->vcpu_id]++;
        }
    }
    fake_xen_produce(d);
}

unsigned int fake_xen_stopped(const struct fake_domain *d)
{
    unsigned int n = 0;

    for (unsigned int v = 0; v < FAKE_MAX_VCPUS; v++)
        n += d->xen.outstanding[v] != 0;
    return n;
}

void fake_xen_release(struct fake_domain *d)
{
    free(d->xen.page);
    d->xen.page = NULL;
    if (d->xen.bound)
        close(d->xen.efd);
    d->xen.bound = false;
}

/* The domain of a monitor call: traced, injected errors, ESRCH. */
static struct fake_domain *monitor_call(struct fake *f, enum fake_op op,
                                        uint32_t domid, const char *name)
{
    struct fake_domain *d = fake_find(f, domid);

    if (fake_call(f, op, name))
        return NULL;
    if (!d)
        refuse(f, ESRCH);
    return d;
}

static int fake_domain_pause(void *priv, uint32_t domid)
{
    struct fake_domain *d = monitor_call(priv, FOP_PAUSE, domid, "pause");

    if (!d)
        return -1;
    d->xen.pause_count++;
    return 0;
}

static int fake_domain_unpause(void *priv, uint32_t domid)
{
    struct fake_domain *d = monitor_call(priv, FOP_UNPAUSE, domid, "unpause");

    if (!d)
        return -1;
    if (!d->xen.pause_count)
        return refuse(priv, EINVAL); /* as Xen: not paused */
    d->xen.pause_count--;
    return 0;
}

static int fake_monitor_enable(void *priv, uint32_t domid, void **ring,
                               uint32_t *port)
{
    struct fake_domain *d = monitor_call(priv, FOP_ENABLE, domid, "enable");
    struct fake_xen *x;

    if (!d)
        return -1;
    x = &d->xen;
    if (!d->hvm)
        return refuse(priv, EOPNOTSUPP);
    if (x->enabled || x->page)
        return refuse(priv, EBUSY);
    x->page = aligned_alloc(FAKE_PAGE_SIZE, FAKE_PAGE_SIZE);
    if (!x->page)
        return -1;
    /* Stale shared indices: the helper resets them. */
    memset(x->page, 0x5a, FAKE_PAGE_SIZE);
    FRONT_RING_INIT(&x->front, (vm_event_sring_t *)x->page, FAKE_PAGE_SIZE);
    x->enabled = true;
    x->remote_port = 7000 + domid;
    *ring = x->page;
    *port = x->remote_port;
    return 0;
}

static int fake_monitor_disable(void *priv, uint32_t domid)
{
    struct fake_domain *d = monitor_call(priv, FOP_DISABLE, domid, "disable");

    if (!d)
        return -1;
    if (!d->xen.enabled)
        return refuse(priv, EINVAL);
    /* Whatever was not answered now stays paused for good. */
    for (unsigned int v = 0; v < FAKE_MAX_VCPUS; v++)
        d->xen.stuck += d->xen.outstanding[v];
    d->xen.enabled = false;
    return 0;
}

static int fake_ring_unmap(void *priv, void *ring)
{
    struct fake *f = priv;

    if (fake_call(f, FOP_UNMAP, "unmap"))
        return -1;
    for (unsigned int i = 0; i < f->nr; i++) {
        if (f->dom[i].xen.page == ring) {
            free(ring);
            f->dom[i].xen.page = NULL;
            return 0;
        }
    }
    return refuse(priv, EINVAL);
}

static int fake_monitor_msr(void *priv, uint32_t domid, uint32_t msr,
                            bool enable)
{
    char name[32];
    struct fake_domain *d;

    snprintf(name, sizeof(name), "msr%c%#x", enable ? '+' : '-', msr);
    d = monitor_call(priv, enable ? FOP_MSR_ON : FOP_MSR_OFF, domid, name);
    if (!d)
        return -1;
    if (msr >= FAKE_MSR_MAX)
        return refuse(priv, EINVAL);
    for (unsigned int i = 0; !enable && i < d->xen.late_writes; i++)
        fake_xen_write(d, i % d->nr_vcpus, XCX_MSR_PAT, 0x0007040600070406,
                       0x0007040600070406);
    if (!enable && d->xen.late_writes) {
        d->xen.late_writes = 0;
        fake_xen_produce(d);
    }
    if (d->xen.subscribed[msr] != enable)
        d->xen.nr_subscribed += enable ? 1 : -1;
    d->xen.subscribed[msr] = enable;
    return 0;
}

static int fake_evtchn_bind(void *priv, uint32_t domid, uint32_t remote_port,
                            struct xcx_evtchn **ch, int *fd,
                            uint32_t *local_port)
{
    struct fake_domain *d = monitor_call(priv, FOP_BIND, domid, "bind");
    struct fake_xen *x;

    if (!d)
        return -1;
    x = &d->xen;
    if (!x->enabled || remote_port != x->remote_port || x->bound)
        return refuse(priv, EINVAL);
    *ch = malloc(sizeof(**ch));
    if (!*ch)
        return -1;
    x->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (x->efd < 0) {
        free(*ch);
        return -1;
    }
    (*ch)->d = d;
    x->bound = true;
    x->local_port = 100 + domid;
    *fd = x->efd;
    *local_port = x->local_port;
    return 0;
}

static int fake_evtchn_pending(void *priv, struct xcx_evtchn *ch,
                               uint32_t *port)
{
    uint64_t count;

    if (fake_call(priv, FOP_PENDING, "pending"))
        return -1;
    if (read(ch->d->xen.efd, &count, sizeof(count)) != sizeof(count))
        return -1;
    *port = ch->d->xen.local_port;
    return 0;
}

static int fake_evtchn_unmask(void *priv, struct xcx_evtchn *ch, uint32_t port)
{
    if (fake_call(priv, FOP_UNMASK, "unmask"))
        return -1;
    return port == ch->d->xen.local_port ? 0 : refuse(priv, EINVAL);
}

static int fake_evtchn_notify(void *priv, struct xcx_evtchn *ch)
{
    if (fake_call(priv, FOP_NOTIFY, "notify"))
        return -1;
    ch->d->xen.notifies++;
    if (ch->d->xen.enabled)
        fake_xen_resume(ch->d);
    return 0;
}

static int fake_evtchn_close(void *priv, struct xcx_evtchn *ch)
{
    int rc = fake_call(priv, FOP_EVTCHN_CLOSE, "evtchn-close");

    /* Gone even when it fails, as the seam says. */
    close(ch->d->xen.efd);
    ch->d->xen.bound = false;
    free(ch);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Synthetic PV guests                                                       */
/* ------------------------------------------------------------------------ */

struct fake_mapping {
    void *addr;
    size_t n;
    struct fake_mapping *next;
};

struct xcx_fmem {
    struct fake *f;
};

static uint64_t *host_m2p(struct fake *f)
{
    if (!f->m2p) {
        f->m2p = malloc(FAKE_MAX_MFN * sizeof(*f->m2p));
        if (!f->m2p)
            fail_msg("fake Xen: no memory for the M2P");
        for (uint64_t mfn = 0; mfn < FAKE_MAX_MFN; mfn++)
            if (pvb_m2p(mfn, &f->m2p[mfn]))
                f->m2p[mfn] = FAKE_INVALID_M2P;
    }
    return f->m2p;
}

struct fake_frame *fake_pv_find(struct fake_domain *d, uint64_t mfn)
{
    for (size_t i = 0; i < d->pv.nr_frames; i++)
        if (d->pv.frames[i].mfn == mfn)
            return &d->pv.frames[i];
    return NULL;
}

struct fake_frame *fake_pv_frame(struct fake_domain *d, uint64_t mfn)
{
    struct fake_pv *pv = &d->pv;
    struct fake_frame *fr;

    if (fake_pv_find(d, mfn))
        fail_msg("fake PV guest: frame 0x%llx exists", (unsigned long long)mfn);
    if (pv->nr_frames == pv->cap_frames) {
        pv->cap_frames = pv->cap_frames ? 2 * pv->cap_frames : 64;
        pv->frames = realloc(pv->frames, pv->cap_frames * sizeof(*fr));
        if (!pv->frames)
            fail_msg("fake PV guest: no memory");
    }
    fr = &pv->frames[pv->nr_frames++];
    memset(fr, 0, sizeof(*fr));
    fr->mfn = mfn;
    fr->page = calloc(1, FAKE_PAGE_SIZE);
    if (!fr->page)
        fail_msg("fake PV guest: no memory");
    return fr;
}

void fake_pv_import(struct fake_domain *d, const struct pvb *b)
{
    for (size_t i = 0; i < b->capacity; i++)
        if (b->slots[i].data)
            memcpy(fake_pv_frame(d, b->slots[i].mfn)->page, b->slots[i].data,
                   FAKE_PAGE_SIZE);
}

void fake_pv_release(struct fake_domain *d)
{
    for (size_t i = 0; i < d->pv.nr_frames; i++)
        free(d->pv.frames[i].page);
    free(d->pv.frames);
    d->pv.frames = NULL;
    d->pv.nr_frames = d->pv.cap_frames = 0;
}

size_t fake_pv_mapped_now(const struct fake *f)
{
    size_t n = 0;

    for (const struct fake_mapping *m = f->mappings; m; m = m->next)
        n++;
    return n;
}

/* A PV domain's operation: ESRCH for none, EINVAL (as Xen) for HVM. */
static struct fake_domain *pv_domain(struct fake *f, uint32_t domid)
{
    struct fake_domain *d = fake_find(f, domid);

    if (!d) {
        errno = ESRCH;
        return NULL;
    }
    if (d->hvm) {
        errno = EINVAL;
        return NULL;
    }
    return d;
}

static int fake_pv_info(void *priv, uint32_t domid, struct xcx_pv_info *info)
{
    struct fake *f = priv;
    struct fake_domain *d;

    f->pv.info++;
    d = fake_find(f, domid);
    if (!d)
        return fake_fail(ESRCH);
    if (d->pv.err_info)
        return fake_fail(d->pv.err_info);
    /* xc_domain_get_guest_width() answers 8 for an HVM domain too. */
    info->width = d->hvm ? 8 : d->pv.width;
    info->max_pages = d->pv.max_pages ? d->pv.max_pages : FAKE_PV_MAX_PAGES;
    info->max_gpfn = d->pv.max_gpfn;
    return 0;
}

static int fake_pv_roots(void *priv, uint32_t domid, unsigned int vcpu,
                         unsigned int width, uint64_t *kernel, uint64_t *user)
{
    struct fake *f = priv;
    struct fake_domain *d;

    f->pv.roots++;
    d = pv_domain(f, domid);
    if (!d)
        return -1;
    if (d->pv.err_roots)
        return fake_fail(d->pv.err_roots);
    if (vcpu >= d->nr_vcpus || vcpu >= FAKE_MAX_VCPUS)
        return fake_fail(ESRCH); /* as Xen for a vCPU it does not have */
    if (width != d->pv.width)
        fail_msg("fake PV: roots asked with width %u, the guest's is %u", width,
                 d->pv.width);
    *kernel = d->pv.kernel_root[vcpu];
    *user = width == 8 ? d->pv.user_root[vcpu] : 0;
    return 0;
}

static int fake_m2p_map(void *priv, const uint64_t **m2p, uint64_t *max_mfn)
{
    struct fake *f = priv;

    if (f->pv.m2p_fail)
        return fake_fail(f->pv.m2p_fail);
    f->pv.m2p_maps++;
    *m2p = host_m2p(f);
    *max_mfn = FAKE_MAX_MFN;
    return 0;
}

static int fake_m2p_unmap(void *priv, const uint64_t *m2p, uint64_t max_mfn)
{
    struct fake *f = priv;

    if (m2p != f->m2p || max_mfn != FAKE_MAX_MFN)
        fail_msg("fake PV: unmapping an M2P it did not map");
    f->pv.m2p_unmaps++;
    return 0;
}

static int fake_fmem_open(void *priv, struct xcx_fmem **fm)
{
    struct fake *f = priv;

    if (f->pv.fmem_fail)
        return fake_fail(f->pv.fmem_fail);
    *fm = malloc(sizeof(**fm));
    if (!*fm)
        return -1;
    (*fm)->f = f;
    f->pv.fmem_opens++;
    return 0;
}

static int fake_fmem_close(void *priv, struct xcx_fmem *fm)
{
    struct fake *f = priv;

    if (fm->f != f)
        fail_msg("fake PV: closing a foreign handle it did not open");
    free(fm);
    f->pv.fmem_closes++;
    return 0;
}

static int fake_map_frames(void *priv, struct xcx_fmem *fm, uint32_t domid,
                           const uint64_t *mfns, size_t n, int *err,
                           void **addr)
{
    struct fake *f = priv;
    struct fake_domain *d = pv_domain(f, domid);
    struct fake_mapping *m;
    uint8_t *p;

    f->pv.map_calls++;
    if (!d)
        return -1;
    if (d->pv.err_map)
        return fake_fail(d->pv.err_map);
    if (!n || fm->f != f)
        return fake_fail(EINVAL);
    m = malloc(sizeof(*m));
    p = aligned_alloc(FAKE_PAGE_SIZE, n * FAKE_PAGE_SIZE);
    if (!m || !p)
        fail_msg("fake PV: no memory");
    /* Pages that fail to map read as a pattern that is no valid table. */
    memset(p, 0xa5, n * FAKE_PAGE_SIZE);
    for (size_t i = 0; i < n; i++) {
        struct fake_frame *fr = fake_pv_find(d, mfns[i]);

        err[i] = !fr ? EFAULT : d->dying ? ESRCH : fr->map_err;
        if (!err[i]) {
            memcpy(p + i * FAKE_PAGE_SIZE, fr->page, FAKE_PAGE_SIZE);
            fr->maps++;
        }
    }
    f->pv.maps_made++;
    f->pv.frames_mapped += n;
    if (n > f->pv.largest_map)
        f->pv.largest_map = n;
    *m = (struct fake_mapping){p, n, f->mappings};
    f->mappings = m;
    *addr = p;
    return 0;
}

static int fake_unmap_frames(void *priv, struct xcx_fmem *fm, void *addr,
                             size_t n)
{
    struct fake *f = priv;

    for (struct fake_mapping **m = &f->mappings; *m; m = &(*m)->next) {
        if ((*m)->addr == addr) {
            struct fake_mapping *gone = *m;

            if (gone->n != n)
                fail_msg("fake PV: unmapping %zu frames of a %zu-frame "
                         "mapping",
                         n, gone->n);
            *m = gone->next;
            free(gone->addr);
            free(gone);
            f->pv.unmap_calls++;
            f->pv.frames_unmapped += n;
            return 0;
        }
    }
    fail_msg("fake PV: unmapping %p, which it did not map", addr);
    return -1;
}

static int fake_page_types(void *priv, uint32_t domid, uint64_t *arr,
                           unsigned int n)
{
    struct fake *f = priv;
    struct fake_domain *d = pv_domain(f, domid);

    f->pv.types_calls++;
    if (!d)
        return -1;
    if (d->pv.err_types)
        return fake_fail(d->pv.err_types);
    if (n > XCX_PFINFO_BATCH)
        return fake_fail(E2BIG); /* as Xen */
    for (unsigned int i = 0; i < n; i++) {
        const struct fake_frame *fr = fake_pv_find(d, arr[i]);

        arr[i] = fr ? fr->type : (uint64_t)XCX_PFINFO_XTAB << XCX_PFINFO_SHIFT;
    }
    f->pv.types_frames += n;
    if (n > f->pv.largest_types)
        f->pv.largest_types = n;
    return 0;
}

static int fake_vcpu_run_time(void *priv, uint32_t domid, unsigned int vcpu,
                              uint64_t *ns)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    trace(f, "runtime%u", vcpu);
    if (!d)
        return fake_fail(ESRCH);
    if (d->err_run_time)
        return fake_fail(d->err_run_time);
    if (vcpu >= d->nr_vcpus || vcpu >= FAKE_MAX_VCPUS)
        return fake_fail(EINVAL);
    *ns = d->run_ns[vcpu];
    return 0;
}

/* Paused as the toolstack sees it: any pause held (xl create -p's too). */
static int fake_domain_entry(void *priv, uint32_t domid,
                             struct xcx_domain_entry *e)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    trace(f, "entry");
    if (!d)
        return fake_fail(ESRCH);
    memset(e, 0, sizeof(*e));
    e->info.domid = d->domid;
    e->info.nr_vcpus = d->nr_vcpus;
    e->info.hvm = d->hvm;
    e->info.dying = d->dying;
    memcpy(e->handle, d->uuid, sizeof(e->handle));
    e->paused = d->xen.pause_count > 0;
    return 0;
}

static int fake_domain_name(void *priv, uint32_t domid, char *buf, size_t size)
{
    struct fake *f = priv;
    struct fake_domain *d = fake_find(f, domid);

    trace(f, "name");
    if (!d)
        return fake_fail(ESRCH);
    if (!d->name[0])
        return fake_fail(ENOENT);
    if (strlen(d->name) >= size)
        return fake_fail(ENAMETOOLONG);
    strcpy(buf, d->name);
    return 0;
}

/* FAKE_XEN_VERSION as Xen gives it: XENVER_version's major << 16 | minor
 * and XENVER_extraversion's text (".5" of "4.17.5"). */
static int fake_xen_version(void *priv, uint32_t *ver, char *extra, size_t len)
{
    unsigned int major, minor;
    int n = 0;

    trace(priv, "version");
    if (sscanf(FAKE_XEN_VERSION, "%u.%u%n", &major, &minor, &n) != 2 ||
        strlen(FAKE_XEN_VERSION + n) >= len)
        return fake_fail(EINVAL);
    *ver = major << 16 | minor;
    strcpy(extra, FAKE_XEN_VERSION + n);
    return 0;
}

const struct xcx_backend_ops fake_ops = {
    .domain_info = fake_domain_info,
    .mtrr_record = fake_mtrr_record,
    .maxphysaddr = fake_maxphysaddr,
    .close = fake_close,
    .domain_pause = fake_domain_pause,
    .domain_unpause = fake_domain_unpause,
    .monitor_enable = fake_monitor_enable,
    .monitor_disable = fake_monitor_disable,
    .ring_unmap = fake_ring_unmap,
    .monitor_msr = fake_monitor_msr,
    .evtchn_bind = fake_evtchn_bind,
    .evtchn_pending = fake_evtchn_pending,
    .evtchn_unmask = fake_evtchn_unmask,
    .evtchn_notify = fake_evtchn_notify,
    .evtchn_close = fake_evtchn_close,
    .pv_info = fake_pv_info,
    .pv_roots = fake_pv_roots,
    .m2p_map = fake_m2p_map,
    .m2p_unmap = fake_m2p_unmap,
    .fmem_open = fake_fmem_open,
    .fmem_close = fake_fmem_close,
    .map_frames = fake_map_frames,
    .unmap_frames = fake_unmap_frames,
    .page_types = fake_page_types,
    .vcpu_run_time = fake_vcpu_run_time,
    .domain_entry = fake_domain_entry,
    .domain_name = fake_domain_name,
    .xen_version = fake_xen_version,
};

void fake_reset_counters(struct fake *f)
{
    f->calls_info = f->calls_record = f->calls_policy = f->calls_close = 0;
    memset(f->calls_record_vcpu, 0, sizeof(f->calls_record_vcpu));
    memset(f->fail_errno, 0, sizeof(f->fail_errno));
    memset(f->fail_from, 0, sizeof(f->fail_from));
    memset(f->fail_count, 0, sizeof(f->fail_count));
    memset(f->calls_op, 0, sizeof(f->calls_op));
    f->trace[0] = '\0';
}

void fake_counts_take(const struct fake *f, struct fake_counts *c)
{
    memset(c, 0, sizeof(*c));
    c->info = f->calls_info;
    c->record = f->calls_record;
    c->policy = f->calls_policy;
    c->close = f->calls_close;
    memcpy(c->record_vcpu, f->calls_record_vcpu, sizeof(c->record_vcpu));
    memcpy(c->op, f->calls_op, sizeof(c->op));
    c->trace_len = strlen(f->trace);
    memcpy(&c->pv, &f->pv, sizeof(c->pv)); /* padding too: memcmp below */
    for (unsigned int i = 0; i < f->nr; i++) {
        c->notifies[i] = f->dom[i].xen.notifies;
        c->nr_rsp[i] = f->dom[i].xen.nr_rsp;
    }
}

/* Compare one counter; name it into @buf when it differs. */
static bool count_moved(const char *name, int index, size_t a, size_t b,
                        char *buf, size_t size)
{
    if (a == b)
        return false;
    if (index < 0)
        snprintf(buf, size, "%s %zu -> %zu", name, a, b);
    else
        snprintf(buf, size, "%s[%d] %zu -> %zu", name, index, a, b);
    return true;
}

const char *fake_counts_diff(const struct fake_counts *a,
                             const struct fake_counts *b, char *buf,
                             size_t size)
{
    bool moved =
        count_moved("calls_info", -1, a->info, b->info, buf, size) ||
        count_moved("calls_record", -1, a->record, b->record, buf, size) ||
        count_moved("calls_policy", -1, a->policy, b->policy, buf, size) ||
        count_moved("calls_close", -1, a->close, b->close, buf, size) ||
        count_moved("trace length", -1, a->trace_len, b->trace_len, buf, size);

    for (int i = 0; !moved && i < FAKE_MAX_VCPUS; i++)
        moved = count_moved("calls_record_vcpu", i, a->record_vcpu[i],
                            b->record_vcpu[i], buf, size);
    for (int i = 0; !moved && i < FOP_COUNT; i++)
        moved = count_moved("calls_op", i, a->op[i], b->op[i], buf, size);
    for (int i = 0; !moved && i < FAKE_MAX_DOMAINS; i++)
        moved = count_moved("notifies of domain slot", i, a->notifies[i],
                            b->notifies[i], buf, size) ||
                count_moved("responses of domain slot", i, a->nr_rsp[i],
                            b->nr_rsp[i], buf, size);
    if (!moved && memcmp(&a->pv, &b->pv, sizeof(a->pv))) {
        snprintf(buf, size, "a PV operation's counter");
        moved = true;
    }
    return moved ? buf : NULL;
}

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */
/* ------------------------------------------------------------------------ */

/* The sample guest of tests/data/, but its VGA hole UC, pair 1 in slot 0. */
void regs_hvmloader(struct xcx_mtrr_regs *r)
{
    ctxb_hvmloader_regs(r, true);
    r->fixed[2] = 0; /* MSR 0x259: 0xa0000-0xbffff UC */
    r->var[0] = r->var[1];
    memset(&r->var[1], 0, sizeof(r->var[1]));
}

const unsigned int vcpu_def_type[4] = {XCX_MT_WB, XCX_MT_UC, XCX_MT_WT,
                                       XCX_MT_WP};

void regs_vcpu(struct xcx_mtrr_regs *r, unsigned int v)
{
    regs_hvmloader(r);
    r->def_type = XCX_MTRR_DEF_E | XCX_MTRR_DEF_FE | vcpu_def_type[v];
    ctxb_set_var(r, 0, 0x80000000 + (uint64_t)v * 0x10000000, 0x10000000,
                 XCX_MT_WC, 40);
}

/*
 * DOM_MIX: pair 0 UC [0xf0000000, 4G); pair 1 WB and pair 2 WC over
 * [0xc8000000, 0xd0000000) (undefined, Xen takes pair 2: WC); pair 3 WC
 * and pair 4 WB over [0xd8000000, 0xe0000000) (undefined, pair 4: WB).
 */
static void regs_mix(struct xcx_mtrr_regs *r)
{
    regs_hvmloader(r);
    ctxb_set_var(r, 1, 0xc0000000, 0x10000000, XCX_MT_WB, 36);
    ctxb_set_var(r, 2, 0xc8000000, 0x08000000, XCX_MT_WC, 36);
    ctxb_set_var(r, 3, 0xd0000000, 0x10000000, XCX_MT_WC, 36);
    ctxb_set_var(r, 4, 0xd8000000, 0x08000000, XCX_MT_WB, 36);
}

static struct fake_domain *add_domain(struct fake *f, uint32_t domid,
                                      unsigned int nr_vcpus, bool hvm,
                                      unsigned int maxphysaddr)
{
    struct fake_domain *d = &f->dom[f->nr++];

    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->nr_vcpus = nr_vcpus;
    d->hvm = hvm;
    d->maxphysaddr = maxphysaddr;
    d->err_record_vcpu = -1;
    return d;
}

int fixture_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct xcx_mtrr_regs r;
    struct fake_domain *d;

    if (!fx)
        return -1;
    caplog_init(&fx->log);

    d = add_domain(&fx->fake, DOM_HVM1, 1, true, 0);
    regs_hvmloader(&r);
    ctxb_record_encode(&r, d->rec[0]);

    d = add_domain(&fx->fake, DOM_HVM4, 4, true, 40);
    for (unsigned int v = 0; v < 4; v++) {
        regs_vcpu(&r, v);
        ctxb_record_encode(&r, d->rec[v]);
    }

    d = add_domain(&fx->fake, DOM_PV, 2, false, 40);
    d->pv.width = 8;
    d = add_domain(&fx->fake, DOM_PV32, 1, false, 40);
    d->pv.width = 4;
    add_domain(&fx->fake, DOM_NOVCPU, 0, true, 0);

    d = add_domain(&fx->fake, DOM_MIX, 1, true, 0);
    regs_mix(&r);
    ctxb_record_encode(&r, d->rec[0]);

    fx->h = xcx_handle_new(&fake_ops, &fx->fake, caplog_logger(&fx->log));
    if (!fx->h) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

int fixture_teardown(void **state)
{
    struct fixture *fx = *state;

    xcx_close(fx->h);
    for (unsigned int i = 0; i < fx->fake.nr; i++) {
        fake_xen_release(&fx->fake.dom[i]);
        fake_pv_release(&fx->fake.dom[i]);
    }
    while (fx->fake.mappings) {
        struct fake_mapping *m = fx->fake.mappings;

        fx->fake.mappings = m->next;
        free(m->addr);
        free(m);
    }
    free(fx->fake.m2p);
    free(fx);
    return 0;
}

struct fake_domain *dom(struct fixture *fx, uint32_t domid)
{
    struct fake_domain *d = fake_find(&fx->fake, domid);

    assert_non_null(d);
    return d;
}
