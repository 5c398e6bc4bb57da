/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvcheck.h"

static char why[256];

static const char *wrong(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *wrong(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return why;
}

int pvc_collect(void *arg, const struct xcx_pv_run *run)
{
    struct pvc_runs *r = arg;

    if (r->n == r->capacity) {
        size_t capacity = r->capacity ? 2 * r->capacity : 64;
        struct xcx_pv_run *v = realloc(r->v, capacity * sizeof(*v));

        if (!v)
            abort();
        r->v = v;
        r->capacity = capacity;
    }
    r->v[r->n++] = *run;
    r->calls++;
    return r->stop_at && r->calls == r->stop_at ? r->stop_rc : 0;
}

void pvc_runs_free(struct pvc_runs *r)
{
    free(r->v);
    memset(r, 0, sizeof(*r));
}

/* The last VA of a run (va_end 0 is 2^64). */
static uint64_t run_last(const struct xcx_pv_run *run)
{
    return run->va_end - 1;
}

const struct xcx_pv_run *pvc_find(const struct pvc_runs *r, uint64_t va)
{
    size_t lo = 0, hi = r->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (run_last(&r->v[mid]) < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && r->v[lo].va_start <= va ? &r->v[lo] : NULL;
}

/* Two neighbours the dump should have made one run. */
static bool mergeable(const struct xcx_pv_run *a, const struct xcx_pv_run *b)
{
    uint64_t pages = (a->va_end - a->va_start) >> 12;

    if (a->alias || b->alias || a->va_end != b->va_start ||
        a->flags != b->flags || a->page_size != b->page_size ||
        a->cache != b->cache || a->pfn_valid != b->pfn_valid)
        return false;
    return a->pfn_valid ? b->pfn_start == a->pfn_start + pages
                        : b->mfn_start == a->mfn_start + pages;
}

static const char *check_one(const struct xcx_pv_run *run, unsigned int width,
                             uint64_t lo, uint64_t last)
{
    if ((run->va_start | run->va_end) & 0xfff)
        return "not whole pages";
    if (run_last(run) < run->va_start)
        return "empty or reversed";
    if (run->va_start < (lo & ~UINT64_C(0xfff)) || run_last(run) > last)
        return "outside the range";
    if (xcx_pv_area_of(width, run->va_start) != XCX_PV_AREA_GUEST ||
        xcx_pv_area_of(width, run_last(run)) != XCX_PV_AREA_GUEST ||
        (run->va_start >> 63) != (run_last(run) >> 63))
        return "outside the guest's areas";
    if (run->flags & (XCX_PTE_A | XCX_PTE_D))
        return "A or D in a run's flags";
    if (!(run->flags & XCX_PTE_P))
        return "not present";
    if (run->alias && run->alias_va >= run->va_start)
        return "an alias of a VA not before it";
    return NULL;
}

const char *pvc_check_runs(const struct pvc_runs *r, unsigned int width,
                           uint64_t lo, uint64_t hi)
{
    uint64_t last = (hi - 1) | 0xfff;

    for (size_t i = 0; i < r->n; i++) {
        const struct xcx_pv_run *run = &r->v[i];
        const char *bad = check_one(run, width, lo, last);

        if (bad)
            return wrong("run %zu [0x%" PRIx64 ", 0x%" PRIx64 "): %s", i,
                         run->va_start, run->va_end, bad);
        if (i == 0)
            continue;
        if (r->v[i - 1].va_end == 0 || run->va_start < r->v[i - 1].va_end)
            return wrong("run %zu at 0x%" PRIx64 " overlaps or precedes "
                         "the run before, ending at 0x%" PRIx64,
                         i, run->va_start, r->v[i - 1].va_end);
        if (mergeable(&r->v[i - 1], run))
            return wrong("runs %zu and %zu at 0x%" PRIx64 " are one", i - 1, i,
                         run->va_start);
    }
    return NULL;
}

uint32_t pvc_walk_flags(const struct xcx_pv_walk *w)
{
    const struct xcx_pv_level *leaf = &w->levels[w->nr_levels - 1];
    uint32_t f =
        XCX_PTE_P | (leaf->flags & (XCX_PTE_PWT | XCX_PTE_PCD | XCX_PTE_G));

    if (w->writable)
        f |= XCX_PTE_RW;
    if (w->user)
        f |= XCX_PTE_US;
    if (w->nx)
        f |= XCX_PTE_NX;
    if (w->page_size > 4096)
        f |= XCX_PTE_PSE;
    return f;
}

static const char *check_alias(const struct xcx_pv_guest *g, uint64_t root,
                               const struct xcx_pv_run *run, uint64_t va,
                               const struct xcx_pv_walk *w)
{
    uint64_t twin_va = run->alias_va + (va - run->va_start);
    struct xcx_pv_walk twin;

    if (xcx_pv_walk(g, root, twin_va, &twin, NULL) ||
        twin.area != XCX_PV_AREA_GUEST)
        return NULL; /* the alias's first place is not walkable here */
    if (twin.mapped != w->mapped || (w->mapped && twin.mfn != w->mfn))
        return wrong("alias 0x%" PRIx64 " of 0x%" PRIx64 ": mapped %d MFN "
                     "0x%" PRIx64 ", there %d 0x%" PRIx64,
                     va, twin_va, w->mapped, w->mfn, twin.mapped, twin.mfn);
    return NULL;
}

/* Inside a large page the MFNs go on from the page's first frame in the
 * run; the PFNs need not, and the dump does not say them. */
static const char *check_inside_large(const struct xcx_pv_guest *g,
                                      uint64_t root,
                                      const struct xcx_pv_run *run, uint64_t va,
                                      uint64_t page_lo,
                                      const struct xcx_pv_walk *w)
{
    const char *bad = pvc_check_walk(g, root, run, page_lo);
    struct xcx_pv_walk w0;

    if (bad)
        return bad;
    xcx_pv_walk(g, root, page_lo, &w0, NULL);
    if (!w->mapped || w->mfn != w0.mfn + ((va - page_lo) >> 12))
        return wrong("0x%" PRIx64 ": MFN 0x%" PRIx64 " not on from 0x%" PRIx64
                     " at 0x%" PRIx64,
                     va, w->mfn, w0.mfn, page_lo);
    return NULL;
}

const char *pvc_check_walk(const struct xcx_pv_guest *g, uint64_t root,
                           const struct xcx_pv_run *run, uint64_t va)
{
    uint64_t pages = (va - run->va_start) >> 12;
    uint64_t page_lo = va & ~(run->page_size - 1);
    struct xcx_pv_walk w;

    /* An alias's table may hold entries its first, clipped dump did not
     * look at: a walk through it may fail. */
    if (xcx_pv_walk(g, root, va, &w, NULL))
        return run->alias ? NULL
                          : wrong("walk of 0x%" PRIx64 " in a run failed: %s",
                                  va, strerror(errno));
    if (run->alias)
        return check_alias(g, root, run, va, &w);
    if (page_lo < run->va_start)
        page_lo = run->va_start;
    if ((va & ~UINT64_C(0xfff)) != page_lo)
        return check_inside_large(g, root, run, va, page_lo, &w);
    if (!w.mapped)
        return wrong("0x%" PRIx64 " in a run is not mapped", va);
    if (pvc_walk_flags(&w) != run->flags || w.page_size != run->page_size ||
        w.cache != run->cache || w.pfn_valid != run->pfn_valid)
        return wrong("0x%" PRIx64 ": walk flags 0x%x size 0x%" PRIx64
                     " cache %u, run 0x%x 0x%" PRIx64 " %u",
                     va, pvc_walk_flags(&w), w.page_size, w.cache, run->flags,
                     run->page_size, run->cache);
    if (w.pfn_valid ? w.pfn != run->pfn_start + pages
                    : w.mfn != run->mfn_start + pages)
        return wrong("0x%" PRIx64 ": frame PFN 0x%" PRIx64 " MFN 0x%" PRIx64
                     " off the run's from 0x%" PRIx64 "/0x%" PRIx64,
                     va, w.pfn, w.mfn, run->pfn_start, run->mfn_start);
    return NULL;
}
