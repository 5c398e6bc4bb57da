/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-pv-pagetable's walks: every VA walked before anything is printed, the
 * table frames' page types read in one batched call, then each walk shown
 * plain or as a JSON line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "pv.h"

#define MIB UINT64_C(0x100000)
#define GIB UINT64_C(0x40000000)

static const char *page_size_name(uint64_t size)
{
    return size == GIB ? "1 GiB" : size == 2 * MIB ? "2 MiB" : "4 KiB";
}

/* Xen's name for a frame's type; "?" for a level no Xen reports. */
static const char *table_type_name(const struct xcx_page_type *t)
{
    const char *name = xcx_page_type_name(t);

    return name ? name : "?";
}

/* Page types of the table frames of every walk: one batched call, the
 * frames sorted and each once. */
struct types {
    uint64_t *mfns;
    struct xcx_page_type *types;
    size_t n;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static const struct xcx_page_type *type_of(const struct types *ty, uint64_t mfn)
{
    const uint64_t *hit;

    if (!ty)
        return NULL;
    hit = bsearch(&mfn, ty->mfns, ty->n, sizeof(mfn), cmp_u64);
    return hit ? &ty->types[hit - ty->mfns] : NULL;
}

static int read_types(struct pv_target *t, const struct xcx_pv_walk *walks,
                      unsigned int nr, struct types *ty)
{
    size_t max = 4 * (size_t)nr, n = 0;

    ty->mfns = calloc(max ? max : 1, sizeof(*ty->mfns));
    ty->types = calloc(max ? max : 1, sizeof(*ty->types));
    if (!ty->mfns || !ty->types) {
        fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
        return -1;
    }
    for (unsigned int i = 0; i < nr; i++)
        for (unsigned int l = 0; l < walks[i].nr_levels; l++)
            ty->mfns[n++] = walks[i].levels[l].table_mfn;
    qsort(ty->mfns, n, sizeof(*ty->mfns), cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (!ty->n || ty->mfns[i] != ty->mfns[ty->n - 1])
            ty->mfns[ty->n++] = ty->mfns[i];
    return xcx_pv_page_types(t->pv, ty->mfns, ty->n, ty->types);
}

static void json_level(const struct xcx_pv_level *lv, bool present,
                       const struct types *ty)
{
    const struct xcx_page_type *pt = type_of(ty, lv->table_mfn);

    printf("{\"level\":%u,\"index\":%u,\"entry\":\"" REG
           "\",\"table_mfn\":\"0x%" PRIx64 "\"",
           lv->level, lv->index, lv->entry, lv->table_mfn);
    pv_json_frame("mfn", lv->mfn, present);
    pv_json_frame("pfn", lv->pfn, present && lv->pfn_valid);
    printf(",\"flags\":[");
    pv_print_flags(stdout, lv->flags, ",", "\"");
    printf("]");
    if (pt)
        printf(",\"table_type\":\"%s\",\"pinned\":%s", table_type_name(pt),
               pt->pinned ? "true" : "false");
    printf("}");
}

/* A level's entry is present unless it is where a walk stopped. */
static bool level_present(const struct xcx_pv_walk *w, unsigned int l)
{
    return w->mapped || l + 1 < w->nr_levels;
}

static void json_walk_line(const struct pv_request *rq,
                           const struct xcx_pv_walk *w, uint64_t root,
                           const struct types *ty)
{
    printf("{\"va\":\"0x%" PRIx64 "\",\"vcpu\":%u", w->va, rq->vcpu);
    domain_json(stdout);
    printf(",\"root\":\"%s\",\"root_mfn\":\"0x%" PRIx64 "\",\"mapped\":%s,"
           "\"levels\":[",
           rq->user ? "user" : "kernel", root, w->mapped ? "true" : "false");
    for (unsigned int l = 0; l < w->nr_levels; l++) {
        if (l)
            printf(",");
        json_level(&w->levels[l], level_present(w, l), ty);
    }
    printf("]");
    if (w->mapped) {
        pv_json_frame("mfn", w->mfn, true);
        pv_json_frame("pfn", w->pfn, w->pfn_valid);
        pv_json_frame("maddr", w->maddr, true);
        pv_json_frame("paddr", w->paddr, w->pfn_valid);
        printf(",\"page_size\":\"0x%" PRIx64 "\",\"writable\":%s,"
               "\"user\":%s,\"nx\":%s,\"pat_index\":%u,\"cache\":\"%s\"",
               w->page_size, w->writable ? "true" : "false",
               w->user ? "true" : "false", w->nx ? "true" : "false",
               w->pat_index, pv_cache_name(w->cache));
    } else {
        printf(",\"stop_level\":%u", w->stop_level);
        if (w->area != XCX_PV_AREA_GUEST)
            printf(",\"area\":\"%s\"", xcx_pv_area_name(w->area));
    }
    printf("}\n");
}

static void plain_level(const struct xcx_pv_level *lv, bool present,
                        const struct types *ty)
{
    const struct xcx_page_type *pt = type_of(ty, lv->table_mfn);

    printf("  L%u[%3u] " REG " ", lv->level, lv->index, lv->entry);
    if (!present) {
        printf("not present");
    } else {
        pv_print_flags(stdout, lv->flags, " ", "");
        printf(" -> mfn 0x%" PRIx64, lv->mfn);
        if (lv->pfn_valid)
            printf(" pfn 0x%" PRIx64, lv->pfn);
        else
            printf(" (not the guest's)");
    }
    if (pt) {
        printf("  [table 0x%" PRIx64 ": %s%s", lv->table_mfn,
               table_type_name(pt), pt->pinned ? " pinned" : "");
        if (pt->level != lv->level)
            printf(", not held as an L%u table", lv->level);
        printf("]");
    }
    printf("\n");
}

static void plain_walk(const struct pv_request *rq, const struct xcx_pv_walk *w,
                       uint64_t root, const struct types *ty)
{
    printf("vcpu %u va 0x%" PRIx64 " (%s root 0x%" PRIx64 ")\n", rq->vcpu,
           w->va, rq->user ? "user" : "kernel", root);
    for (unsigned int l = 0; l < w->nr_levels; l++)
        plain_level(&w->levels[l], level_present(w, l), ty);
    if (w->area == XCX_PV_AREA_XEN_RO) {
        printf("  not mapped: Xen's area, read-only to the guest (M2P)\n");
    } else if (w->area == XCX_PV_AREA_XEN) {
        printf("  not mapped: Xen's reserved area\n");
    } else if (!w->mapped) {
        printf("  not mapped: L%u entry %u not present\n", w->stop_level,
               w->levels[w->nr_levels - 1].index);
    } else {
        printf("  %s page: mfn 0x%" PRIx64, page_size_name(w->page_size),
               w->mfn);
        if (w->pfn_valid)
            printf(" pfn 0x%" PRIx64 ", maddr 0x%" PRIx64 " paddr 0x%" PRIx64,
                   w->pfn, w->maddr, w->paddr);
        else
            printf(" (not the guest's), maddr 0x%" PRIx64, w->maddr);
        printf(", %s %s %s, cache %s\n", w->writable ? "RW" : "RO",
               w->user ? "user" : "kernel", w->nx ? "NX" : "executable",
               pv_cache_name(w->cache));
    }
}

/* A VA the walker would refuse as EINVAL, before anything is printed. */
static int check_vas(const struct pv_target *t, const struct pv_request *rq)
{
    for (unsigned int i = 0; i < rq->nr_vas; i++) {
        if (xcx_pv_area_of(t->width, rq->vas[i]) == XCX_PV_AREA_NONCANON) {
            fprintf(stderr, "%s: VA 0x%" PRIx64 " %s: %s\n", prog, rq->vas[i],
                    t->width == 8 ? "is not canonical"
                                  : "is above 4 GiB for a 32-bit guest",
                    strerror(EINVAL));
            return -1;
        }
    }
    return 0;
}

int pv_walks(struct pv_target *t, const struct pv_request *rq,
             xentoollog_logger *lg)
{
    struct xcx_pv_walk *walks = calloc(rq->nr_vas, sizeof(*walks));
    struct types ty = {0};
    int rc = -1;

    if (!walks || check_vas(t, rq))
        goto out;
    for (unsigned int i = 0; i < rq->nr_vas; i++)
        if (xcx_pv_walk(&t->g, t->root, rq->vas[i], &walks[i], lg))
            goto out;
    if (t->pv && read_types(t, walks, rq->nr_vas, &ty))
        goto out;
    for (unsigned int i = 0; i < rq->nr_vas; i++) {
        if (rq->json)
            json_walk_line(rq, &walks[i], t->root, t->pv ? &ty : NULL);
        else
            plain_walk(rq, &walks[i], t->root, t->pv ? &ty : NULL);
    }
    rc = 0;
out:
    free(ty.mfns);
    free(ty.types);
    free(walks);
    return rc;
}
