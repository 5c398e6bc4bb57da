/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-pv-pagetable's dumps: runs printed as they come, plain (as ptdump) or
 * as JSON lines, with a progress line on a terminal meanwhile.
 */
#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "pv.h"

/* An exclusive end: 0 stands for 2^64. */
static void print_end(FILE *out, uint64_t end, const char *quote)
{
    if (end)
        fprintf(out, "%s0x%" PRIx64 "%s", quote, end, quote);
    else
        fprintf(out, "%s0x10000000000000000%s", quote, quote);
}

/* A dump's state: the guest read through a counting wrapper, for the
 * progress line. */
struct dumper {
    const struct pv_request *rq;
    unsigned int width;
    const struct xcx_pv_guest *inner;
    unsigned long frames, runs;
    uint64_t va; /* where the dump is */
    bool progress;
    struct timespec start, shown;
    bool showing;
};

static const void *counting_read(void *arg, uint64_t mfn)
{
    struct dumper *d = arg;

    d->frames++;
    return d->inner->read_frame(d->inner->arg, mfn);
}

static int passing_m2p(void *arg, uint64_t mfn, uint64_t *pfn)
{
    const struct dumper *d = arg;

    return d->inner->m2p(d->inner->arg, mfn, pfn);
}

static void passing_prefetch(void *arg, const uint64_t *mfns, size_t n)
{
    const struct dumper *d = arg;

    d->inner->prefetch(d->inner->arg, mfns, n);
}

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* After a second, at most four times a second: where the dump is. */
static void progress(struct dumper *d)
{
    struct timespec now;

    if (!d->progress)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (since(&d->start, &now) < 1.0 ||
        (d->showing && since(&d->shown, &now) < 0.25))
        return;
    fprintf(stderr,
            "\r\033[K%s: dumping: at 0x%" PRIx64 ", %lu tables read, %lu "
            "runs\r",
            prog, d->va, d->frames, d->runs);
    d->shown = now;
    d->showing = true;
}

/* 16K, 2M, 12G...: the largest unit that divides @bytes, as ptdump; 0
 * is the whole 2^64. */
static const char *size_text(uint64_t bytes, char *buf, size_t len)
{
    static const char units[] = "KMGTPE";
    unsigned int u = 0;

    if (!bytes)
        return "16E";
    bytes >>= 10;
    while (!(bytes & 1023) && bytes && units[u + 1]) {
        bytes >>= 10;
        u++;
    }
    snprintf(buf, len, "%" PRIu64 "%c", bytes, units[u]);
    return buf;
}

static void plain_run(const struct dumper *d, const struct xcx_pv_run *r)
{
    int digits = d->width == 8 ? 16 : 8;
    char size[32], page[32];

    printf("0x%0*" PRIx64 "-", digits, r->va_start);
    if (r->va_end)
        printf("0x%0*" PRIx64, digits, r->va_end);
    else
        print_end(stdout, 0, "");
    printf("%9s %-4s %s %s %s %s %s %s %s %-3s",
           size_text(r->va_end - r->va_start, size, sizeof(size)),
           size_text(r->page_size, page, sizeof(page)),
           r->flags & XCX_PTE_RW ? "RW" : "ro",
           r->flags & XCX_PTE_US ? "USR" : "   ",
           r->flags & XCX_PTE_PWT ? "PWT" : "   ",
           r->flags & XCX_PTE_PCD ? "PCD" : "   ",
           r->flags & XCX_PTE_PSE ? "PSE" : "   ",
           r->flags & XCX_PTE_G ? "GLB" : "   ",
           r->flags & XCX_PTE_NX ? "NX" : "x ", pv_cache_name(r->cache));
    if (r->pfn_valid)
        printf(" pfn 0x%" PRIx64, r->pfn_start);
    else
        printf(" mfn 0x%" PRIx64 " (not the guest's)", r->mfn_start);
    if (r->alias)
        printf(" alias of 0x%0*" PRIx64 " (table mfn 0x%" PRIx64 ")", digits,
               r->alias_va, r->mfn_start);
    printf("\n");
}

static void json_run(const struct xcx_pv_run *r)
{
    printf("{\"va_start\":\"0x%" PRIx64 "\",\"va_end\":", r->va_start);
    print_end(stdout, r->va_end, "\"");
    pv_json_frame("pfn_start", r->pfn_start, r->pfn_valid);
    pv_json_frame("mfn_start", r->mfn_start, true);
    printf(",\"page_size\":\"0x%" PRIx64 "\",\"flags\":[", r->page_size);
    pv_print_flags(stdout, r->flags, ",", "\"");
    printf("],\"cache\":\"%s\"", pv_cache_name(r->cache));
    domain_json(stdout);
    if (r->alias)
        printf(",\"alias_va\":\"0x%" PRIx64 "\"", r->alias_va);
    printf("}\n");
}

static int on_run(void *arg, const struct xcx_pv_run *r)
{
    struct dumper *d = arg;

    d->runs++;
    d->va = r->va_start;
    if (d->rq->json)
        json_run(r);
    else
        plain_run(d, r);
    progress(d);
    return ferror(stdout) ? -1 : 0;
}

int pv_dump(struct pv_target *t, const struct pv_request *rq,
            xentoollog_logger *lg)
{
    struct dumper d = {
        .rq = rq,
        .width = t->width,
        .inner = &t->g,
        .progress = isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO),
    };
    struct xcx_pv_guest g = {
        .width = t->g.width,
        .max_mfn = t->g.max_mfn,
        .read_frame = counting_read,
        .m2p = passing_m2p,
        .prefetch = t->g.prefetch ? passing_prefetch : NULL,
        .arg = &d,
    };
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &d.start);
    rc = xcx_pv_dump(&g, t->root, rq->dump_start, rq->dump_end, on_run, &d, lg);
    if (d.showing)
        fprintf(stderr, "\033[K");
    return rc;
}
