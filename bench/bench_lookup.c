/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-lookup: lookups per second of the MTRR type map (binary search) and
 * of the direct rule (xcx_mtrr_resolve), on an hvmloader-like state and on
 * a busy one, plus 2 MiB range queries on the map.
 *
 * Usage: bench-lookup [--quick]
 *
 * Addresses come from a fixed-seed PRNG and are drawn before timing: half
 * uniform over the whole guest-physical space, half uniform below 8 GiB
 * where the interesting ranges are. Every figure is timed with
 * CLOCK_MONOTONIC over enough iterations for at least 0.3 s (0.02 s with
 * --quick); results go into a volatile sink so no loop can be dropped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xenctrl_ext.h"

#define NR_ADDRS 1024 /* power of two; 8 KiB of addresses stay in L1 */
#define SZ_2M    (UINT64_C(2) << 20)

static volatile uint64_t sink;

/* splitmix64: small, fast, good enough for picking addresses. */
static uint64_t prng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench-lookup: %s: %s\n", what, strerror(errno));
    exit(1);
}

static uint64_t mask_for(uint64_t size, unsigned int width)
{
    return (((UINT64_C(1) << width) - 1) & ~(size - 1)) | XCX_MTRR_MASK_VALID;
}

static uint64_t fixed_all(unsigned int type)
{
    return UINT64_C(0x0101010101010101) * type;
}

/* What hvmloader programs: WB default, UC VGA hole, UC PCI hole. */
static void state_hvmloader(struct xcx_mtrr_state *st)
{
    struct xcx_mtrr_regs r;
    unsigned int i;

    memset(&r, 0, sizeof(r));
    r.pat = UINT64_C(0x0007040600070406);
    r.cap = 0x508;
    r.def_type = 0xc06;
    for (i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r.fixed[i] = fixed_all(XCX_MT_WB);
    r.fixed[2] = fixed_all(XCX_MT_UC); /* 0x259: 0xa0000-0xbffff */
    r.var[0].base = UINT64_C(0xf0000000) | XCX_MT_UC;
    r.var[0].mask = mask_for(UINT64_C(256) << 20, 36);
    r.var[1].base = UINT64_C(0xe8000000) | XCX_MT_UC;
    r.var[1].mask = mask_for(UINT64_C(128) << 20, 36);
    if (xcx_mtrr_state_init(st, &r, 36, 0xff, NULL) < 0)
        die("hvmloader state");
}

/* Eight valid, overlapping pairs of every kind of overlap; width 46. */
static void state_busy(struct xcx_mtrr_state *st)
{
    static const struct {
        uint64_t base;
        uint64_t size;
        unsigned int type;
    } pairs[XCX_MTRR_VAR_MAX] = {
        {0, UINT64_C(8) << 30, XCX_MT_WB},                    /* RAM */
        {UINT64_C(0xc0000000), UINT64_C(1) << 30, XCX_MT_UC}, /* hole */
        {UINT64_C(0xe0000000), UINT64_C(256) << 20, XCX_MT_WC},
        {UINT64_C(1) << 32, UINT64_C(1) << 30, XCX_MT_WT}, /* WT+WB */
        {UINT64_C(0x140000000), UINT64_C(512) << 20, XCX_MT_WP},
        {UINT64_C(0x150000000), UINT64_C(64) << 20, XCX_MT_WC},
        {UINT64_C(1) << 44, UINT64_C(1) << 44, XCX_MT_WB}, /* high */
        {UINT64_C(0x100080000000), UINT64_C(2) << 30, XCX_MT_UC},
    };
    struct xcx_mtrr_regs r;
    unsigned int i;

    memset(&r, 0, sizeof(r));
    r.pat = UINT64_C(0x0007040600070406);
    r.cap = 0x508;
    r.def_type = 0xc00; /* UC default, E and FE */
    for (i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r.fixed[i] = fixed_all(XCX_MT_WB);
    r.fixed[2] = fixed_all(XCX_MT_UC);
    for (i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        r.var[i].base = pairs[i].base | pairs[i].type;
        r.var[i].mask = mask_for(pairs[i].size, 46);
    }
    if (xcx_mtrr_state_init(st, &r, 46, 0xff, NULL) < 0)
        die("busy state");
}

static void make_addrs(uint64_t *addrs, unsigned int width, uint64_t align,
                       uint64_t span, uint64_t seed)
{
    uint64_t top = UINT64_C(1) << width;
    uint64_t low = UINT64_C(8) << 30;
    unsigned int i;

    if (low > top)
        low = top;
    for (i = 0; i < NR_ADDRS; i++) {
        uint64_t limit = (i & 1) ? low : top;
        uint64_t a = prng_next(&seed) % (limit - span + 1);

        addrs[i] = a & ~(align - 1);
    }
}

/* Map lookups must give what the rule gives, or the figures mean nothing. */
static void check_agree(const struct xcx_mtrr_state *st,
                        const xcx_mtrr_map *map, const uint64_t *addrs)
{
    struct xcx_mtrr_result a, b;
    unsigned int i;

    for (i = 0; i < NR_ADDRS; i++) {
        if (xcx_mtrr_resolve(st, addrs[i], &a, NULL) < 0 ||
            xcx_mtrr_map_lookup(map, addrs[i], &b) < 0)
            die("lookup");
        if (a.type != b.type || a.origin != b.origin ||
            a.overlap != b.overlap || a.reliable != b.reliable ||
            a.pairs != b.pairs) {
            fprintf(stderr,
                    "bench-lookup: map and rule disagree at 0x%" PRIx64 "\n",
                    addrs[i]);
            exit(1);
        }
    }
}

enum op { OP_MAP_LOOKUP, OP_RESOLVE, OP_MAP_RANGE };

static const char *const op_names[] = {
    [OP_MAP_LOOKUP] = "xcx_mtrr_map_lookup",
    [OP_RESOLVE] = "xcx_mtrr_resolve",
    [OP_MAP_RANGE] = "xcx_mtrr_map_range 2M",
};

/* Run @iters operations over the address table; returns a checksum. */
static uint64_t run(enum op op, const struct xcx_mtrr_state *st,
                    const xcx_mtrr_map *map, const uint64_t *addrs,
                    uint64_t iters)
{
    struct xcx_mtrr_result res;
    struct xcx_mtrr_range_result rr;
    uint64_t acc = 0, n;
    int rc = 0;

    for (n = 0; n < iters; n++) {
        uint64_t gpa = addrs[n & (NR_ADDRS - 1)];

        switch (op) {
        case OP_MAP_LOOKUP:
            rc |= xcx_mtrr_map_lookup(map, gpa, &res);
            acc += res.type + res.pairs + res.reliable;
            break;
        case OP_RESOLVE:
            rc |= xcx_mtrr_resolve(st, gpa, &res, NULL);
            acc += res.type + res.pairs + res.reliable;
            break;
        case OP_MAP_RANGE:
            rc |= xcx_mtrr_map_range(map, gpa, SZ_2M, &rr);
            acc += rr.types + rr.uniform + rr.reliable;
            break;
        }
    }
    if (rc < 0)
        die(op_names[op]);
    return acc;
}

static void bench(const char *state_name, enum op op,
                  const struct xcx_mtrr_state *st, const xcx_mtrr_map *map,
                  const uint64_t *addrs, double min_s)
{
    uint64_t iters = NR_ADDRS;
    double t0, dt;

    sink += run(op, st, map, addrs, iters); /* warm up */
    for (;;) {
        t0 = now_s();
        sink += run(op, st, map, addrs, iters);
        dt = now_s() - t0;
        if (dt >= min_s)
            break;
        /* Aim at 1.2 x the minimum from what this round took. */
        if (dt < min_s / 16)
            iters *= 16;
        else
            iters = (uint64_t)((double)iters * 1.2 * min_s / dt) + 1;
    }
    printf("%-10s %-22s %12" PRIu64 " %9.3f %8.1f %14.0f\n", state_name,
           op_names[op], iters, dt, dt * 1e9 / (double)iters,
           (double)iters / dt);
}

static void bench_state(const char *name, const struct xcx_mtrr_state *st,
                        uint64_t seed, double min_s)
{
    uint64_t addrs[NR_ADDRS], ranges[NR_ADDRS];
    xcx_mtrr_map *map;

    map = xcx_mtrr_map_build(st, NULL);
    if (!map)
        die("xcx_mtrr_map_build");
    make_addrs(addrs, st->maxphysaddr, 1, 1, seed);
    make_addrs(ranges, st->maxphysaddr, SZ_2M, SZ_2M, seed + 1);
    check_agree(st, map, addrs);

    printf("# state %s: width %u, %zu map ranges\n", name, st->maxphysaddr,
           xcx_mtrr_map_size(map));
    bench(name, OP_MAP_LOOKUP, st, map, addrs, min_s);
    bench(name, OP_RESOLVE, st, map, addrs, min_s);
    bench(name, OP_MAP_RANGE, st, map, ranges, min_s);
    xcx_mtrr_map_free(map);
}

int main(int argc, char **argv)
{
    struct xcx_mtrr_state hvmloader, busy;
    double min_s = 0.3;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            min_s = 0.02;
        } else {
            fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
            return 2;
        }
    }

    state_hvmloader(&hvmloader);
    state_busy(&busy);

    printf("%-10s %-22s %12s %9s %8s %14s\n", "state", "operation",
           "iterations", "seconds", "ns/op", "ops/s");
    bench_state("hvmloader", &hvmloader, 0x5eed, min_s);
    bench_state("busy", &busy, 0xb5b5, min_s);
    return 0;
}
