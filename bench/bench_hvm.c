/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-hvm: HVM/PVH page-table walks per second and mapping-dump
 * throughput, in each paging mode, on synthetic guests
 * (tests/support/hvmbuild.c): 256 MiB of 4 KiB pages in runs of 64 pages
 * whose PAT/PCD/PWT bits change from run to run, and 512 MiB of large
 * pages (4 MiB in 32-bit mode, 2 MiB otherwise).
 *
 * Usage: bench-hvm [--quick]
 *
 * Frames come through the builder's read_frame (a hash lookup), so the
 * figures are the library's walk and dump plus a cheap frame source; a
 * live domain adds mapping the frames. VAs are drawn before timing (fixed
 * seed), all inside the mappings. Each figure is timed with
 * CLOCK_MONOTONIC over at least 0.3 s (0.02 s with --quick).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hvmbuild.h"
#include "prng.h"

#define NR_VAS    4096 /* a power of two */
#define SMALL_VA  UINT64_C(0x10000000)
#define SMALL_LEN (UINT64_C(256) << 20)
#define LARGE_VA  UINT64_C(0x40000000)
#define LARGE_LEN (UINT64_C(512) << 20)
#define LARGE_GPA UINT64_C(0x80000000)
#define RUN_PAGES 64

static volatile uint64_t sink;
static double min_time = 0.3;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench-hvm: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void build(struct hvb *b, enum xcx_paging_mode mode)
{
    uint64_t large = mode == XCX_PGMODE_32BIT ? HVB_SZ_4M : UINT64_C(1) << 21;
    uint64_t large_pat = UINT64_C(0x1000);

    hvb_init(b, mode);
    for (uint64_t i = 0; i < SMALL_LEN / 4096; i++) {
        unsigned int idx = (i / RUN_PAGES) % 8;
        uint64_t bits = 0x6 | (idx & 4 ? 0x80 : 0) | (idx & 2 ? 0x10 : 0) |
                        (idx & 1 ? 0x8 : 0);

        hvb_map(b, SMALL_VA + i * 4096, 0x100000 + i * 4096, 4096, bits);
    }
    for (uint64_t off = 0; off < LARGE_LEN; off += large)
        hvb_map(b, LARGE_VA + off, LARGE_GPA + off, large,
                0x2 | (off / large % 2 ? large_pat : 0));
}

static void make_vas(uint64_t *vas)
{
    struct prng p;

    prng_seed(&p, 0xb5b5);
    for (unsigned int i = 0; i < NR_VAS; i++) {
        uint64_t r = prng_next(&p);

        vas[i] = r % 3 ? SMALL_VA + prng_next(&p) % SMALL_LEN
                       : LARGE_VA + prng_next(&p) % LARGE_LEN;
    }
}

static void run_walks(const struct hvb *b, const struct xcx_hvm_guest *g,
                      const uint64_t *vas, uint64_t iters)
{
    struct xcx_hvm_walk w;
    uint64_t acc = 0;

    for (uint64_t n = 0; n < iters; n++) {
        if (xcx_hvm_walk(g, &b->cpu, vas[n & (NR_VAS - 1)], &w, NULL))
            die("xcx_hvm_walk");
        acc += w.gpa + w.pat_index;
    }
    sink = acc;
}

static int count_run(void *arg, const struct xcx_hvm_run *run)
{
    uint64_t *runs = arg;

    (*runs)++;
    return run->alias;
}

static uint64_t run_dumps(const struct hvb *b, const struct xcx_hvm_guest *g,
                          uint64_t iters)
{
    uint64_t runs = 0;

    for (uint64_t n = 0; n < iters; n++)
        if (xcx_hvm_dump(g, &b->cpu, 0, 0, count_run, &runs, NULL))
            die("xcx_hvm_dump");
    return runs;
}

/* Grow the count until one timed run lasts min_time; ns per op. */
static double time_walks(const struct hvb *b, const struct xcx_hvm_guest *g,
                         const uint64_t *vas, uint64_t *iters)
{
    for (uint64_t n = 1024;; n *= 2) {
        double t0 = now_s(), dt;

        run_walks(b, g, vas, n);
        dt = now_s() - t0;
        if (dt >= min_time) {
            *iters = n;
            return dt * 1e9 / (double)n;
        }
    }
}

static double time_dumps(const struct hvb *b, const struct xcx_hvm_guest *g,
                         uint64_t *iters, uint64_t *runs)
{
    for (uint64_t n = 1;; n *= 2) {
        double t0 = now_s(), dt;
        uint64_t r = run_dumps(b, g, n);

        dt = now_s() - t0;
        if (dt >= min_time) {
            *iters = n;
            *runs = r / n;
            return dt * 1e9 / (double)n;
        }
    }
}

int main(int argc, char **argv)
{
    static uint64_t vas[NR_VAS];

    if (argc > 1 && !strcmp(argv[1], "--quick"))
        min_time = 0.02;
    make_vas(vas);
    printf("%-10s %12s %10s %12s %10s %10s\n", "mode", "walks", "ns/walk",
           "walks/s", "dump ms", "runs");
    for (int mode = XCX_PGMODE_32BIT; mode <= XCX_PGMODE_5LEVEL; mode++) {
        struct xcx_hvm_guest g;
        struct hvb b;
        uint64_t wi, di, runs;
        double wns, dns;

        build(&b, mode);
        hvb_guest(&b, &g);
        wns = time_walks(&b, &g, vas, &wi);
        dns = time_dumps(&b, &g, &di, &runs);
        printf("%-10s %12" PRIu64 " %10.1f %12.0f %10.2f %10" PRIu64 "\n",
               xcx_paging_mode_name(mode), wi, wns, 1e9 / wns, dns / 1e6, runs);
        hvb_free(&b);
    }
    return 0;
}
