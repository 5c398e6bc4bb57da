/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mapping dump of a PV guest: depth-first over its tables in VA order,
 * consecutive leaves coalesced into runs, like Linux's ptdump.
 *
 * Range: [va_start, va_end) in whole 4 KiB pages (the start rounded down,
 * the end up). va_end 0 stands for 2^64, the top of the address space, and
 * a run that reaches the top has va_end 0 (va_end - va_start is still its
 * length in uint64_t arithmetic). The range is clipped to what the guest
 * owns: for a 64-bit guest, L4 slots 0..255 and 272..511, that is
 * [0, 2^47) and [0xffff880000000000, 2^64), Xen's slots 256..271 skipped
 * without looking at their entries; for a PAE guest [0, 0xf5800000).
 *
 * Runs: a leaf joins the run before it when it starts where the run ends
 * and has the same flags, page size and cache, and its frame continues the
 * run's: the next PFN when both are the guest's frames, the next MFN when
 * neither is. A run's flags are P, RW and US as effective along the path
 * (ANDed), NX as effective (ORed), the leaf's PWT, PCD and G, and PSE for
 * a large leaf. A and D are left out: the CPU sets them as the guest runs,
 * so they would split runs at random while saying little about the
 * mapping (a walk shows them per entry). A large leaf is one unit: its PFN
 * is that of its first frame in the range (the M2P need not number a large
 * frame's 4 KiB frames contiguously; a walk gives each one's).
 *
 * Shared tables: a table frame reached at a level it was already dumped at
 * (two entries naming one table, or an entry naming an upper table) gives
 * one alias run over the span of the entry that reached it (clipped at the
 * range's end), not a second walk: alias_va is the VA of the entry that
 * first reached it, so va_start + x stands for alias_va + x;
 * mfn_start/pfn_start name the table's frame, page_size is the entry's
 * span, flags are the path's down to that entry, and cache is the type the
 * entry's PWT/PCD give the table's own accesses. A table first reached
 * with part of it outside the range was dumped there only in part.
 *
 * Bounds: each frame is read once (the frame cache, pv_cache.c) whatever
 * levels it serves, and a (frame, level) pair is dumped at most once. With
 * F distinct table frames there are at most 4F pairs (3F for PAE), each
 * table with at most 512 entries, so at most 2048 F entries are decoded,
 * with F frame reads, and per entry at most one M2P lookup and one
 * callback. F is at most the number of frames the root reaches, and the
 * recursion is at most 4 deep.
 */
#include <errno.h>
#include <inttypes.h>

#include "pv_table.h"

#define OFFSET_MASK (PV_PAGE_SIZE - 1)

struct dump {
    const struct xcx_pv_guest *g;
    xentoollog_logger *lg;
    int (*cb)(void *arg, const struct xcx_pv_run *run);
    void *arg;
    uint64_t lo, last; /* the clipped range, last inclusive, whole pages */
    struct pv_cache cache;
    struct xcx_pv_run run; /* pending: not given to cb yet */
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

/* The VA of entry @index of a level-@level table whose entry 0 is at
 * @base; the upper half of a 64-bit space is sign-extended. */
static uint64_t entry_va(unsigned int width, unsigned int level, uint64_t base,
                         unsigned int index)
{
    uint64_t va = base + ((uint64_t)index << pv_shift(level));

    if (width == 8 && level == 4 && index >= 256)
        va |= UINT64_C(0xffff000000000000);
    return va;
}

static bool xen_slot(unsigned int width, unsigned int level, unsigned int index)
{
    return width == 8 && level == 4 && index >= PV_XEN_SLOT_FIRST &&
           index < PV_XEN_SLOT_END;
}

static uint32_t run_flags(struct pv_path p, uint32_t flags, bool large)
{
    uint32_t f = XCX_PTE_P | (flags & (XCX_PTE_PWT | XCX_PTE_PCD | XCX_PTE_G));

    if (p.rw)
        f |= XCX_PTE_RW;
    if (p.us)
        f |= XCX_PTE_US;
    if (p.nx)
        f |= XCX_PTE_NX;
    if (large)
        f |= XCX_PTE_PSE;
    return f;
}

static int flush(struct dump *d)
{
    if (!d->pending)
        return 0;
    d->pending = false;
    return d->cb(d->arg, &d->run);
}

/* @r followed by a piece at @n continues it. */
static bool extends(const struct xcx_pv_run *r, const struct xcx_pv_run *n)
{
    uint64_t pages = (r->va_end - r->va_start) >> PV_PAGE_SHIFT;

    if (r->va_end != n->va_start || r->flags != n->flags ||
        r->page_size != n->page_size || r->cache != n->cache ||
        r->pfn_valid != n->pfn_valid)
        return false;
    return r->pfn_valid ? n->pfn_start == r->pfn_start + pages
                        : n->mfn_start == r->mfn_start + pages;
}

/* A leaf at @va, clipped to the range: extends the pending run or starts
 * the next one. */
static int add_leaf(struct dump *d, uint64_t va, const struct pv_entry *e,
                    struct pv_path p)
{
    uint64_t lo = max_u64(va, d->lo);
    struct xcx_pv_run n = {
        .va_start = lo,
        .va_end = min_u64(va + (e->size - 1), d->last) + 1,
        .mfn_start = e->mfn + ((lo - va) >> PV_PAGE_SHIFT),
        .page_size = e->size,
        .flags = run_flags(p, e->flags, e->size > PV_PAGE_SIZE),
        .cache = pv_cache_of(e->pat_index),
    };
    int rc;

    if (pv_m2p(d->g, n.mfn_start, &n.pfn_start, &n.pfn_valid, d->lg))
        return -1;
    if (d->pending && extends(&d->run, &n)) {
        d->run.va_end = n.va_end;
        return 0;
    }
    rc = flush(d);
    d->run = n;
    d->pending = true;
    return rc;
}

/*
 * The level-@level entry at @va names a table dumped before at @first_va.
 * Its span starts inside the range: the table was first reached by an
 * entry of the same level, and so of the same span, at a lower VA, and
 * that span was in the range, so this one starts after it.
 */
static int add_alias(struct dump *d, uint64_t va, unsigned int level,
                     const struct pv_entry *e, struct pv_path p,
                     uint64_t first_va)
{
    uint64_t span = UINT64_C(1) << pv_shift(level);
    struct xcx_pv_run r = {
        .va_start = va,
        .va_end = min_u64(va + (span - 1), d->last) + 1,
        .mfn_start = e->mfn,
        .page_size = span,
        .flags = run_flags(p, e->flags, false),
        .cache = pv_cache_of((e->flags & (XCX_PTE_PWT | XCX_PTE_PCD)) >> 3),
        .alias = true,
        .alias_va = first_va,
    };
    int rc = flush(d);

    if (rc)
        return rc;
    if (pv_m2p(d->g, e->mfn, &r.pfn_start, &r.pfn_valid, d->lg))
        return -1;
    return d->cb(d->arg, &r);
}

/* The cache's slot of @mfn; NULL with ENOMEM and a message. */
static struct pv_frame *frame_slot(struct dump *d, uint64_t mfn)
{
    struct pv_frame *f = pv_cache_get(&d->cache, mfn);

    if (!f)
        xcx_fail(d->lg, ENOMEM,
                 "PV dump: no memory for the frame of MFN 0x%" PRIx64, mfn);
    return f;
}

static int dump_table(struct dump *d, uint64_t mfn, unsigned int level,
                      uint64_t base, struct pv_path p);

/* The level-@level entry at @va names a table: dump it, or alias it. */
static int descend(struct dump *d, uint64_t va, unsigned int level,
                   const struct pv_entry *e, struct pv_path p)
{
    unsigned int sub = level - 1;
    struct pv_frame *f = frame_slot(d, e->mfn);

    if (!f)
        return -1;
    if (f->levels & (1u << sub))
        return add_alias(d, va, level, e, p, f->first_va[sub]);
    f->levels |= 1u << sub;
    f->first_va[sub] = va;
    return dump_table(d, e->mfn, sub, va, p);
}

/* The frame of a table, read the first time the dump needs it. */
static const uint8_t *table_frame(struct dump *d, uint64_t mfn,
                                  unsigned int level)
{
    struct pv_frame *f = frame_slot(d, mfn);

    if (!f)
        return NULL;
    if (!f->data)
        f->data = pv_read_table(d->g, mfn, level, d->lg);
    return f->data;
}

/*
 * Tell the back end which tables this one points to, so it can map them in
 * one batch before the loop below reads them one by one. Only a hint:
 * entries are decoded and checked by the loop, not here; a large page
 * (PSE below L4) names no table.
 */
static void prefetch_children(struct dump *d, const uint8_t *frame,
                              unsigned int level, uint64_t base)
{
    unsigned int width = d->g->width;
    uint64_t span_last = (UINT64_C(1) << pv_shift(level)) - 1;
    uint64_t mfns[512];
    size_t n = 0;

    if (!d->g->prefetch || level == 1)
        return;
    for (unsigned int i = 0; i < pv_entries(width, level); i++) {
        uint64_t va = entry_va(width, level, base, i);
        uint64_t raw = pv_load_entry(frame, i);

        if (va > d->last)
            break;
        if (va + span_last < d->lo || xen_slot(width, level, i) ||
            !(raw & XCX_PTE_P) || (level < 4 && (raw & XCX_PTE_PSE)))
            continue;
        if (((raw & PV_ADDR_MASK) >> PV_PAGE_SHIFT) < d->g->max_mfn)
            mfns[n++] = (raw & PV_ADDR_MASK) >> PV_PAGE_SHIFT;
    }
    if (n)
        d->g->prefetch(d->g->arg, mfns, n);
}

/* Every entry of the level-@level table at @mfn inside the range, in VA
 * order; entry 0 is at @base. */
static int dump_table(struct dump *d, uint64_t mfn, unsigned int level,
                      uint64_t base, struct pv_path p)
{
    unsigned int width = d->g->width;
    uint64_t span_last = (UINT64_C(1) << pv_shift(level)) - 1;
    const uint8_t *frame = table_frame(d, mfn, level);
    struct pv_entry e;
    int rc;

    if (!frame)
        return -1;
    prefetch_children(d, frame, level, base);
    for (unsigned int i = 0; i < pv_entries(width, level); i++) {
        uint64_t va = entry_va(width, level, base, i);

        if (va > d->last)
            break;
        if (va + span_last < d->lo || xen_slot(width, level, i))
            continue;
        if (pv_decode(d->g, level, i, mfn, pv_load_entry(frame, i), &e, d->lg))
            return -1;
        if (e.kind == PV_NOT_PRESENT)
            continue;
        if (e.kind == PV_LEAF)
            rc = add_leaf(d, va, &e, pv_path_add(p, width, level, e.flags));
        else
            rc = descend(d, va, level, &e,
                         pv_path_add(p, width, level, e.flags));
        if (rc)
            return rc;
    }
    return 0;
}

/* Clip [va_start, va_end) to whole pages and the guest's part; false when
 * nothing is left. */
static bool clip(struct dump *d, uint64_t va_start, uint64_t va_end)
{
    d->lo = va_start & ~OFFSET_MASK;
    d->last = (va_end - 1) | OFFSET_MASK; /* va_end 0: UINT64_MAX */
    if (d->g->width == 4)
        d->last = min_u64(d->last, PV_PAE_RO_START - 1);
    return d->lo <= d->last;
}

XCX_EXPORT int xcx_pv_dump(const struct xcx_pv_guest *g, uint64_t root_mfn,
                           uint64_t va_start, uint64_t va_end,
                           int (*cb)(void *arg, const struct xcx_pv_run *run),
                           void *arg, xentoollog_logger *lg)
{
    struct dump d = {.g = g, .lg = lg, .cb = cb, .arg = arg};
    unsigned int top;
    struct pv_frame *root;
    int rc;

    if (pv_guest_check(g, lg))
        return -1;
    if (!cb)
        return xcx_fail(lg, EINVAL, "PV dump: no callback");
    if (va_end && va_start >= va_end)
        return xcx_fail(lg, EINVAL,
                        "PV dump: empty range [0x%" PRIx64 ", 0x%" PRIx64 ")",
                        va_start, va_end);
    if (pv_root_check(g, root_mfn, lg))
        return -1;
    if (!clip(&d, va_start, va_end))
        return 0;
    if (pv_cache_init(&d.cache))
        return xcx_fail(lg, ENOMEM, "PV dump: no memory for the frame cache");
    top = pv_top_level(g->width);
    root = pv_cache_get(&d.cache, root_mfn); /* an empty table has room */
    root->levels = 1u << top;
    rc = dump_table(&d, root_mfn, top, 0, pv_path_root());
    if (!rc)
        rc = flush(&d);
    pv_cache_free(&d.cache);
    return rc;
}
