/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mapping dump of an HVM/PVH guest: depth-first over its tables in VA
 * order, consecutive leaves coalesced into runs, as pv_dump.c does for PV
 * guests (whose comment explains the range, the runs and the aliases).
 * Here frames are the guest's own (GFNs), so a run continues when its
 * GPAs do, and a run also keeps its leaves' PAT index: PAT, PCD and PWT
 * select the guest PAT entry that decides the type.
 *
 * Range: [va_start, va_end) in whole 4 KiB pages, clipped to the mode's
 * space (below 4 GiB for 32-bit and PAE; the canonical halves are where
 * the top table's entries lie for 4- and 5-level, so nothing else is
 * reached). With paging off the clipped range is one identity run.
 *
 * Bounds: each frame is read once (pv_cache.c, keyed by GFN) and a (frame,
 * level) pair is dumped at most once: with F distinct table frames, at
 * most 5F pairs, each of at most 1024 entries, with F frame reads and per
 * entry at most one callback. The recursion is at most 5 deep.
 */
#include <errno.h>
#include <inttypes.h>

#include "hvm_table.h"

struct dump {
    const struct xcx_hvm_guest *g;
    struct hvm_paging p;
    xentoollog_logger *lg;
    int (*cb)(void *arg, const struct xcx_hvm_run *run);
    void *arg;
    uint64_t lo, last; /* the clipped range, last inclusive, whole pages */
    struct pv_cache cache;
    struct xcx_hvm_run run; /* pending: not given to cb yet */
    bool pending;
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static uint32_t run_flags(struct pv_path path, uint32_t flags, bool large)
{
    uint32_t f = XCX_PTE_P | (flags & (XCX_PTE_PWT | XCX_PTE_PCD | XCX_PTE_G));

    f |= (path.rw ? XCX_PTE_RW : 0) | (path.us ? XCX_PTE_US : 0);
    f |= (path.nx ? XCX_PTE_NX : 0) | (large ? XCX_PTE_PSE : 0);
    return f;
}

static int flush(struct dump *d)
{
    if (!d->pending)
        return 0;
    d->pending = false;
    return d->cb(d->arg, &d->run);
}

static bool extends(const struct xcx_hvm_run *r, const struct xcx_hvm_run *n)
{
    return r->va_end == n->va_start && r->flags == n->flags &&
           r->page_size == n->page_size && r->pat_index == n->pat_index &&
           r->pat_used == n->pat_used && !r->alias &&
           n->gpa_start == r->gpa_start + (r->va_end - r->va_start);
}

/* A piece at its place in VA order: extends the pending run or starts the
 * next one. */
static int add_piece(struct dump *d, const struct xcx_hvm_run *n)
{
    int rc;

    if (d->pending && extends(&d->run, n)) {
        d->run.va_end = n->va_end;
        return 0;
    }
    rc = flush(d);
    d->run = *n;
    d->pending = true;
    return rc;
}

static int add_leaf(struct dump *d, uint64_t va, const struct hvm_entry *e,
                    struct pv_path path)
{
    uint64_t lo = max_u64(va, d->lo);
    struct xcx_hvm_run n = {
        .va_start = lo,
        .va_end = min_u64(va + (e->size - 1), d->last) + 1,
        .gpa_start = e->gpa + (lo - va),
        .page_size = e->size,
        .flags = run_flags(path, e->flags, e->size > PV_PAGE_SIZE),
        .pat_index = e->pat_index,
        .pat_used = true,
    };

    return add_piece(d, &n);
}

/* The entry at @va names a table dumped before at @first_va (see
 * pv_dump.c: its span starts inside the range). */
static int add_alias(struct dump *d, uint64_t va, unsigned int level,
                     const struct hvm_entry *e, struct pv_path path,
                     uint64_t first_va)
{
    uint64_t span = UINT64_C(1) << hvm_shift(&d->p, level);
    struct xcx_hvm_run r = {
        .va_start = va,
        .va_end = min_u64(va + (span - 1), d->last) + 1,
        .gpa_start = e->gpa,
        .page_size = span,
        .flags = run_flags(path, e->flags, false),
        .alias = true,
        .alias_va = first_va,
    };
    int rc = flush(d);

    return rc ? rc : d->cb(d->arg, &r);
}

static struct pv_frame *frame_slot(struct dump *d, uint64_t gfn)
{
    struct pv_frame *f = pv_cache_get(&d->cache, gfn);

    if (!f)
        xcx_fail(d->lg, ENOMEM,
                 "HVM dump: no memory for the frame of GFN 0x%" PRIx64, gfn);
    return f;
}

static const uint8_t *table_frame(struct dump *d, uint64_t gpa,
                                  unsigned int level)
{
    struct pv_frame *f = frame_slot(d, gpa >> PV_PAGE_SHIFT);

    if (!f)
        return NULL;
    if (!f->data)
        f->data = hvm_read_table(d->g, gpa, level, d->lg);
    return f->data;
}

static int dump_table(struct dump *d, uint64_t gpa, unsigned int level,
                      uint64_t base, struct pv_path path);

static int descend(struct dump *d, uint64_t va, unsigned int level,
                   const struct hvm_entry *e, struct pv_path path)
{
    unsigned int sub = level - 1;
    struct pv_frame *f = frame_slot(d, e->gpa >> PV_PAGE_SHIFT);

    if (!f)
        return -1;
    if (f->levels & (1u << sub))
        return add_alias(d, va, level, e, path, f->first_va[sub]);
    f->levels |= 1u << sub;
    f->first_va[sub] = va;
    return dump_table(d, e->gpa, sub, va, path);
}

/* Hand the back end the tables this one names inside the range, so it can
 * map them in one batch; entries are checked by the loop, not here. */
static void prefetch_children(struct dump *d, const uint8_t *frame,
                              unsigned int level, uint64_t gpa, uint64_t base)
{
    uint64_t span_last = (UINT64_C(1) << hvm_shift(&d->p, level)) - 1;
    uint64_t gfns[1024];
    struct hvm_entry e;
    size_t n = 0;

    if (!d->g->prefetch || level == 1)
        return;
    for (unsigned int i = 0; i < hvm_entries(&d->p, level); i++) {
        uint64_t va = hvm_entry_va(&d->p, level, base, i);

        if (va > d->last)
            break;
        if (va + span_last >= d->lo &&
            !hvm_decode(&d->p, level, i, gpa,
                        hvm_load_entry(&d->p, frame, gpa & 0xfff, i), &e,
                        NULL) &&
            e.kind == PV_TABLE)
            gfns[n++] = e.gpa >> PV_PAGE_SHIFT;
    }
    if (n)
        d->g->prefetch(d->g->arg, gfns, n);
}

static int dump_table(struct dump *d, uint64_t gpa, unsigned int level,
                      uint64_t base, struct pv_path path)
{
    uint64_t span_last = (UINT64_C(1) << hvm_shift(&d->p, level)) - 1;
    const uint8_t *frame = table_frame(d, gpa, level);
    struct hvm_entry e;
    int rc;

    if (!frame)
        return -1;
    prefetch_children(d, frame, level, gpa, base);
    for (unsigned int i = 0; i < hvm_entries(&d->p, level); i++) {
        uint64_t va = hvm_entry_va(&d->p, level, base, i);
        struct pv_path sub;

        if (va > d->last)
            break;
        if (va + span_last < d->lo)
            continue;
        if (hvm_decode(&d->p, level, i, gpa,
                       hvm_load_entry(&d->p, frame, gpa & 0xfff, i), &e, d->lg))
            return -1;
        if (e.kind == PV_NOT_PRESENT)
            continue;
        sub = hvm_path_add(&d->p, path, level, e.flags);
        rc = e.kind == PV_LEAF ? add_leaf(d, va, &e, sub)
                               : descend(d, va, level, &e, sub);
        if (rc)
            return rc;
    }
    return 0;
}

static int dump_unpaged(struct dump *d)
{
    struct xcx_hvm_run r = {
        .va_start = d->lo,
        .va_end = d->last + 1,
        .gpa_start = d->lo,
        .page_size = PV_PAGE_SIZE,
        .flags = XCX_PTE_P | XCX_PTE_RW | XCX_PTE_US,
    };

    return d->cb(d->arg, &r);
}

static int dump_paged(struct dump *d)
{
    struct pv_frame *root;
    int rc;

    if (pv_cache_init(&d->cache))
        return xcx_fail(d->lg, ENOMEM, "HVM dump: no memory for frames");
    root = pv_cache_get(&d->cache, d->p.root_gpa >> PV_PAGE_SHIFT);
    root->levels = 1u << d->p.top;
    rc = dump_table(d, d->p.root_gpa, d->p.top, 0, pv_path_root());
    if (!rc)
        rc = flush(d);
    pv_cache_free(&d->cache);
    return rc;
}

XCX_EXPORT int xcx_hvm_dump(const struct xcx_hvm_guest *g,
                            const struct xcx_hvm_cpu *cpu, uint64_t va_start,
                            uint64_t va_end,
                            int (*cb)(void *arg, const struct xcx_hvm_run *run),
                            void *arg, xentoollog_logger *lg)
{
    struct dump d = {.g = g, .lg = lg, .cb = cb, .arg = arg};

    if (!cb)
        return xcx_fail(lg, EINVAL, "HVM dump: no callback");
    if (va_end && va_start >= va_end)
        return xcx_fail(lg, EINVAL,
                        "HVM dump: empty range [0x%" PRIx64 ", 0x%" PRIx64 ")",
                        va_start, va_end);
    if (hvm_paging_init(&d.p, g, cpu, lg))
        return -1;
    d.lo = va_start & ~(PV_PAGE_SIZE - 1);
    d.last = min_u64((va_end - 1) | (PV_PAGE_SIZE - 1), hvm_va_last(&d.p));
    if (d.lo > d.last)
        return 0;
    return d.p.mode == XCX_PGMODE_OFF ? dump_unpaged(&d) : dump_paged(&d);
}
