/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-pv: PV page-table walks per second and mapping-dump throughput on
 * a synthetic 64-bit PV guest (tests/support/pvbuild.c) with 4 GiB
 * mapped: 2 GiB of 4 KiB pages in the user half in runs of 1 to 256 pages
 * (random PFNs and flags, so the dump has many runs), 1 GiB of 4 KiB pages
 * and 1 GiB of 2 MiB pages in a kernel direct map (contiguous PFNs).
 *
 * Usage: bench-pv [--quick]
 *
 * Frames come through the builder's read_frame (a hash lookup) and M2P (a
 * formula), so the figures are the library's walk and dump plus a cheap
 * frame source; a live domain adds the cost of mapping frames. VAs come
 * from a fixed-seed PRNG and are drawn before timing: 90% inside the
 * mappings, 10% anywhere in the canonical space. Every figure is timed
 * with CLOCK_MONOTONIC over at least 0.3 s (0.02 s with --quick).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prng.h"
#include "pvbuild.h"

#define NR_VAS    4096 /* a power of two */
#define USER_VA   UINT64_C(0x0000000000400000)
#define USER_LEN  (UINT64_C(2) << 30)
#define KERN_VA   UINT64_C(0xffff888000000000)
#define KERN_LEN  (UINT64_C(1) << 30)
#define LARGE_VA  (KERN_VA + KERN_LEN)
#define LARGE_LEN (UINT64_C(1) << 30)

static volatile uint64_t sink;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench-pv: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* The user half: runs of 1..256 pages, each with its own PFNs and flags. */
static void map_user(struct pvb *b, uint64_t root, struct prng *p)
{
    static const uint64_t bits[] = {
        PVB_RW | PVB_US | PVB_NX,
        PVB_US,
        PVB_RW | PVB_US | PVB_NX | PVB_A | PVB_D,
        PVB_RW | PVB_US | PVB_PCD,
    };
    uint64_t pages = USER_LEN / SZ_4K, done = 0;

    while (done < pages) {
        uint64_t n = 1 + prng_next(p) % 256;
        uint64_t pfn = prng_next(p) % (PVB_TABLE_PFN - 256);
        uint64_t flags = bits[prng_next(p) % 4];

        if (n > pages - done)
            n = pages - done;
        pvb_map_range(b, root, USER_VA + done * SZ_4K, pfn, n * SZ_4K, SZ_4K,
                      flags);
        done += n;
    }
}

static void build(struct pvb *b, struct xcx_pv_guest *g, uint64_t *root)
{
    struct prng p;

    prng_seed(&p, 0x5eed);
    pvb_init(b, 8);
    pvb_guest(b, g);
    *root = pvb_new_table(b);
    map_user(b, *root, &p);
    pvb_map_range(b, *root, KERN_VA, 0, KERN_LEN, SZ_4K,
                  PVB_RW | PVB_G | PVB_NX);
    pvb_map_range(b, *root, LARGE_VA, PVB_LARGE_PFN, LARGE_LEN, SZ_2M,
                  PVB_RW | PVB_G | PVB_NX);
}

static void make_vas(uint64_t *vas)
{
    struct prng p;

    prng_seed(&p, 0xb5b5);
    for (unsigned int i = 0; i < NR_VAS; i++) {
        uint64_t r = prng_next(&p);

        switch (r % 10) {
        case 0: /* anywhere canonical: mostly unmapped */
            vas[i] = (uint64_t)((int64_t)(prng_next(&p) << 16) >> 16);
            break;
        case 1:
        case 2:
            vas[i] = KERN_VA + prng_next(&p) % KERN_LEN;
            break;
        case 3:
            vas[i] = LARGE_VA + prng_next(&p) % LARGE_LEN;
            break;
        default:
            vas[i] = USER_VA + prng_next(&p) % USER_LEN;
        }
    }
}

static uint64_t run_walks(const struct xcx_pv_guest *g, uint64_t root,
                          const uint64_t *vas, uint64_t iters)
{
    struct xcx_pv_walk w;
    uint64_t acc = 0;

    for (uint64_t n = 0; n < iters; n++) {
        if (xcx_pv_walk(g, root, vas[n & (NR_VAS - 1)], &w, NULL) < 0)
            die("xcx_pv_walk");
        acc += w.mapped + w.pfn + w.nr_levels;
    }
    return acc;
}

struct dump_count {
    uint64_t runs, pages;
};

static int count_run(void *arg, const struct xcx_pv_run *run)
{
    struct dump_count *c = arg;

    c->runs++;
    c->pages += (run->va_end - run->va_start) / run->page_size;
    return 0;
}

static struct dump_count run_dumps(const struct xcx_pv_guest *g, uint64_t root,
                                   uint64_t iters)
{
    struct dump_count c = {0, 0};

    for (uint64_t n = 0; n < iters; n++)
        if (xcx_pv_dump(g, root, 0, 0, count_run, &c, NULL))
            die("xcx_pv_dump");
    return c;
}

/* Iterations of @what for at least @min_s; returns seconds, sets *iters. */
static double timed(const struct xcx_pv_guest *g, uint64_t root,
                    const uint64_t *vas, bool dump, double min_s,
                    uint64_t *iters)
{
    uint64_t n = dump ? 1 : NR_VAS;
    double t0, dt;

    for (;;) {
        t0 = now_s();
        if (dump)
            sink += run_dumps(g, root, n).runs;
        else
            sink += run_walks(g, root, vas, n);
        dt = now_s() - t0;
        if (dt >= min_s)
            break;
        if (dt < min_s / 16)
            n *= 16;
        else
            n = (uint64_t)((double)n * 1.2 * min_s / dt) + 1;
    }
    *iters = n;
    return dt;
}

int main(int argc, char **argv)
{
    uint64_t vas[NR_VAS], root, iters, leaves;
    unsigned long frames;
    struct xcx_pv_guest g;
    struct dump_count one;
    double min_s = 0.3, dt;
    struct pvb b;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            min_s = 0.02;
        } else {
            fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
            return 2;
        }
    }
    build(&b, &g, &root);
    make_vas(vas);

    /* One dump first: it must list every leaf and read each frame once. */
    pvb_reset_reads(&b);
    one = run_dumps(&g, root, 1);
    frames = b.reads;
    leaves = (USER_LEN + KERN_LEN) / SZ_4K + LARGE_LEN / SZ_2M;
    if (one.pages != leaves || frames != pvb_distinct_reads(&b)) {
        fprintf(stderr,
                "bench-pv: the dump gave %" PRIu64 " leaves, not %" PRIu64
                ", or read a frame twice\n",
                one.pages, leaves);
        return 1;
    }
    printf("# guest: 64-bit PV, %.2f GiB mapped in %" PRIu64
           " leaves, %lu table frames; one dump: %" PRIu64
           " runs, %lu frames read\n",
           (double)(USER_LEN + KERN_LEN + LARGE_LEN) / (1 << 30), leaves,
           b.tables, one.runs, frames);
    printf("%-22s %12s %9s %12s %14s\n", "operation", "iterations", "seconds",
           "ns/op", "ops/s");

    run_walks(&g, root, vas, NR_VAS); /* warm up */
    dt = timed(&g, root, vas, false, min_s, &iters);
    printf("%-22s %12" PRIu64 " %9.3f %12.1f %14.0f\n", "xcx_pv_walk", iters,
           dt, dt * 1e9 / (double)iters, (double)iters / dt);

    dt = timed(&g, root, vas, true, min_s, &iters);
    printf("%-22s %12" PRIu64 " %9.3f %12.1f %14.2f\n", "xcx_pv_dump (all)",
           iters, dt, dt * 1e9 / (double)iters, (double)iters / dt);
    printf("# dump: %.0f leaves/s, %.0f runs/s, %.0f frames read/s\n",
           (double)(one.pages * iters) / dt, (double)(one.runs * iters) / dt,
           (double)(frames * iters) / dt);
    pvb_free(&b);
    return 0;
}
