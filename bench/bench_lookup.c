/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-lookup: lookups per second of the MTRR type map (binary search) and
 * of the direct rule (xcx_mtrr_resolve), on an hvmloader-like state and on
 * a busy one, plus 2 MiB range queries on the map; then lookups through a
 * tracker (xcx_tracker_lookup) of 4 vCPUs after the writes hvmloader and
 * Linux make at boot, and lookups right after a write that changes a type
 * (the vCPU's map rebuilt).
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

enum op {
    OP_MAP_LOOKUP,
    OP_RESOLVE,
    OP_MAP_RANGE,
    OP_TRACKER_LOOKUP,
    OP_TRACKER_RANGE,
    OP_TYPE_WRITE,
    OP_TYPE_WRITE_LOOKUP,
};

static const char *const op_names[] = {
    [OP_MAP_LOOKUP] = "xcx_mtrr_map_lookup",
    [OP_RESOLVE] = "xcx_mtrr_resolve",
    [OP_MAP_RANGE] = "xcx_mtrr_map_range 2M",
    [OP_TRACKER_LOOKUP] = "xcx_tracker_lookup",
    [OP_TRACKER_RANGE] = "xcx_tracker_range 2M",
    [OP_TYPE_WRITE] = "type write",
    [OP_TYPE_WRITE_LOOKUP] = "type write + 1 lookup",
};

/* What the operations work on: a state and its map, or a tracker. */
struct target {
    const struct xcx_mtrr_state *st;
    const xcx_mtrr_map *map;
    xcx_mtrr_tracker *tr;
    unsigned int nr_vcpus; /* of the tracker */
    uint64_t writes;       /* type-changing writes applied so far */
};

#define TRACKER_VCPUS 4

/* The type-changing write: pair 1 ([0xf0000000, 4 GiB)) flips between UC
 * and WC, each vCPU in turn; returns that vCPU. */
static unsigned int type_write(struct target *t)
{
    unsigned int vcpu = (unsigned int)(t->writes % t->nr_vcpus);
    uint64_t type = (t->writes / t->nr_vcpus) & 1 ? XCX_MT_UC : XCX_MT_WC;
    struct xcx_write_outcome out;

    t->writes++;
    if (xcx_tracker_apply(t->tr, vcpu, XCX_MSR_MTRR_PHYSBASE0 + 2,
                          UINT64_C(0xf0000000) | type, NULL, &out) < 0)
        die("xcx_tracker_apply");
    if (!out.types_changed) {
        fprintf(stderr, "bench-lookup: write %" PRIu64 " changed no type\n",
                t->writes);
        exit(1);
    }
    return vcpu;
}

/* Run @iters operations over the address table; returns a checksum. */
static uint64_t run(enum op op, struct target *t, const uint64_t *addrs,
                    uint64_t iters)
{
    struct xcx_mtrr_result res;
    struct xcx_mtrr_range_result rr;
    uint64_t acc = 0, n;
    int rc = 0;

    for (n = 0; n < iters; n++) {
        uint64_t gpa = addrs[n & (NR_ADDRS - 1)];
        unsigned int vcpu = t->nr_vcpus ? (unsigned int)(n % t->nr_vcpus) : 0;
        bool lookup = false;

        switch (op) {
        case OP_MAP_LOOKUP:
            rc |= xcx_mtrr_map_lookup(t->map, gpa, &res);
            acc += res.type + res.pairs + res.reliable;
            break;
        case OP_RESOLVE:
            rc |= xcx_mtrr_resolve(t->st, gpa, &res, NULL);
            acc += res.type + res.pairs + res.reliable;
            break;
        case OP_MAP_RANGE:
            rc |= xcx_mtrr_map_range(t->map, gpa, SZ_2M, &rr);
            acc += rr.types + rr.uniform + rr.reliable;
            break;
        case OP_TRACKER_LOOKUP:
            rc |= xcx_tracker_lookup(t->tr, vcpu, gpa, &res);
            acc += res.type + res.pairs + res.reliable;
            break;
        case OP_TRACKER_RANGE:
            rc |= xcx_tracker_range(t->tr, vcpu, gpa, SZ_2M, &rr);
            acc += rr.types + rr.uniform + rr.reliable;
            break;
        case OP_TYPE_WRITE_LOOKUP:
            lookup = true;
            /* fall through */
        case OP_TYPE_WRITE:
            vcpu = type_write(t);
            if (lookup) {
                rc |= xcx_tracker_lookup(t->tr, vcpu, gpa, &res);
                acc += res.type + res.pairs + res.reliable;
            }
            break;
        }
    }
    if (rc < 0)
        die(op_names[op]);
    return acc;
}

/* Time @op. */
static void bench(const char *state_name, enum op op, struct target *t,
                  const uint64_t *addrs, double min_s)
{
    uint64_t iters = NR_ADDRS;
    double t0, dt;

    sink += run(op, t, addrs, iters); /* warm up */
    for (;;) {
        t0 = now_s();
        sink += run(op, t, addrs, iters);
        dt = now_s() - t0;
        if (dt >= min_s)
            break;
        /* Aim at 1.2 x the minimum from what this round took. */
        if (dt < min_s / 16)
            iters *= 16;
        else
            iters = (uint64_t)((double)iters * 1.2 * min_s / dt) + 1;
    }
    printf("%-10s %-24s %12" PRIu64 " %9.3f %8.1f %14.0f\n", state_name,
           op_names[op], iters, dt, dt * 1e9 / (double)iters,
           (double)iters / dt);
}

static void bench_state(const char *name, const struct xcx_mtrr_state *st,
                        uint64_t seed, double min_s)
{
    uint64_t addrs[NR_ADDRS], ranges[NR_ADDRS];
    struct target t = {.st = st};
    xcx_mtrr_map *map;

    map = xcx_mtrr_map_build(st, NULL);
    if (!map)
        die("xcx_mtrr_map_build");
    t.map = map;
    make_addrs(addrs, st->maxphysaddr, 1, 1, seed);
    make_addrs(ranges, st->maxphysaddr, SZ_2M, SZ_2M, seed + 1);
    check_agree(st, map, addrs);

    printf("# state %s: width %u, %zu map ranges\n", name, st->maxphysaddr,
           xcx_mtrr_map_size(map));
    bench(name, OP_MAP_LOOKUP, &t, addrs, min_s);
    bench(name, OP_RESOLVE, &t, addrs, min_s);
    bench(name, OP_MAP_RANGE, &t, ranges, min_s);
    xcx_mtrr_map_free(map);
}

/* One write of the boot sequence below. */
struct boot_write {
    uint32_t msr;
    uint64_t value;
};

/*
 * What every vCPU writes at boot, in order: hvmloader's cacheattr_init()
 * (PAT, fixed ranges WB with the VGA hole WC, pair 0 UC over the PCI hole
 * from 0xe8000000, pair 1 UC over [0xf0000000, 4 GiB), MTRRdefType WB
 * with FE and E last), then Linux's PAT (WC in entry 1) and its rewrite of
 * MTRRdefType around the PAT change (disable, enable).
 */
static const struct boot_write boot_writes[] = {
    {XCX_MSR_PAT, UINT64_C(0x0007040600070406)},
    {XCX_MSR_MTRR_FIX64K, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX16K_0, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX16K_1, UINT64_C(0x0101010101010101)},
    {XCX_MSR_MTRR_FIX4K_0 + 0, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 1, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 2, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 3, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 4, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 5, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 6, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_FIX4K_0 + 7, UINT64_C(0x0606060606060606)},
    {XCX_MSR_MTRR_PHYSBASE0, UINT64_C(0xe8000000) | XCX_MT_UC},
    {XCX_MSR_MTRR_PHYSMASK0, UINT64_C(0xff8000000) | XCX_MTRR_MASK_VALID},
    {XCX_MSR_MTRR_PHYSBASE0 + 2, UINT64_C(0xf0000000) | XCX_MT_UC},
    {XCX_MSR_MTRR_PHYSMASK0 + 2, UINT64_C(0xff0000000) | XCX_MTRR_MASK_VALID},
    {XCX_MSR_MTRR_DEF_TYPE, 0xc06},
    {XCX_MSR_MTRR_DEF_TYPE, 0x006},
    {XCX_MSR_PAT, UINT64_C(0x0007010600070106)},
    {XCX_MSR_MTRR_DEF_TYPE, 0xc06},
};

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * The lookup right after a type-changing write, timed alone: @cycles times
 * a write, then a clock reading, the lookup on the written vCPU (none
 * without @lookup), a clock reading. Returns the mean of the windows in
 * ns; their difference with and without the lookup is its cost, free of
 * the write's much larger and noisier one.
 */
static double window_ns(struct target *t, const uint64_t *addrs,
                        uint64_t cycles, bool lookup)
{
    struct xcx_mtrr_result res = {0};
    int64_t total = 0;
    int rc = 0;

    for (uint64_t n = 0; n < cycles; n++) {
        unsigned int vcpu = type_write(t);
        int64_t t0 = now_ns();

        if (lookup)
            rc |= xcx_tracker_lookup(t->tr, vcpu, addrs[n & (NR_ADDRS - 1)],
                                     &res);
        total += now_ns() - t0;
        sink += res.type;
    }
    if (rc < 0)
        die("xcx_tracker_lookup");
    return (double)total / (double)cycles;
}

static void bench_first_lookup(struct target *t, const uint64_t *addrs,
                               double min_s)
{
    uint64_t cycles = (uint64_t)(min_s * 1e6); /* a write takes ~1 us */
    double with, without;

    window_ns(t, addrs, NR_ADDRS, true); /* warm up */
    without = window_ns(t, addrs, cycles, false);
    with = window_ns(t, addrs, cycles, true);
    printf("tracker    %-24s %12" PRIu64 " %9s %8.1f %14.0f\n",
           "lookup right after write", cycles, "-", with - without,
           1e9 / (with - without));
    printf("# (timed alone: clock window %.1f ns with the lookup, %.1f ns "
           "without)\n",
           with, without);
}

/* A tracker of TRACKER_VCPUS from power-on, after the boot writes. */
static xcx_mtrr_tracker *boot_tracker(void)
{
    struct xcx_mtrr_state st[TRACKER_VCPUS];
    struct xcx_mtrr_regs r;
    xcx_mtrr_tracker *tr;
    unsigned int v, i;

    memset(&r, 0, sizeof(r)); /* power-on: MTRRs off, every pair zero */
    r.pat = UINT64_C(0x0007040600070406);
    r.cap = 0x508;
    for (v = 0; v < TRACKER_VCPUS; v++)
        if (xcx_mtrr_state_init(&st[v], &r, 36, 0xff, NULL) < 0)
            die("power-on state");
    tr = xcx_tracker_new(st, TRACKER_VCPUS, XCX_TRACK_FROM_START, NULL);
    if (!tr)
        die("xcx_tracker_new");
    for (i = 0; i < sizeof(boot_writes) / sizeof(boot_writes[0]); i++) {
        for (v = 0; v < TRACKER_VCPUS; v++) {
            struct xcx_write_outcome out;

            if (xcx_tracker_apply(tr, v, boot_writes[i].msr,
                                  boot_writes[i].value, NULL, &out) < 0 ||
                !out.accepted)
                die("boot write");
        }
    }
    return tr;
}

/* Tracker lookups agree with the rule on every vCPU's tracked state. */
static void check_tracker(xcx_mtrr_tracker *tr, const uint64_t *addrs)
{
    for (unsigned int v = 0; v < TRACKER_VCPUS; v++) {
        struct xcx_mtrr_state st;

        if (xcx_tracker_state(tr, v, &st) < 0)
            die("xcx_tracker_state");
        check_agree(&st, xcx_tracker_map(tr, v), addrs);
    }
}

static void bench_tracker(uint64_t seed, double min_s)
{
    uint64_t addrs[NR_ADDRS], ranges[NR_ADDRS];
    struct xcx_mtrr_state st0;
    struct target t = {.nr_vcpus = TRACKER_VCPUS};

    t.tr = boot_tracker();
    if (xcx_tracker_state(t.tr, 0, &st0) < 0 ||
        !(t.map = xcx_tracker_map(t.tr, 0)))
        die("tracker map");
    t.st = &st0;
    make_addrs(addrs, 36, 1, 1, seed);
    make_addrs(ranges, 36, SZ_2M, SZ_2M, seed + 1);
    check_tracker(t.tr, addrs);

    printf("# tracker: %u vCPUs after %zu boot writes each; width 36, "
           "%zu map ranges\n",
           TRACKER_VCPUS, sizeof(boot_writes) / sizeof(boot_writes[0]),
           xcx_mtrr_map_size(t.map));
    bench("tracker", OP_MAP_LOOKUP, &t, addrs, min_s);
    bench("tracker", OP_TRACKER_LOOKUP, &t, addrs, min_s);
    bench("tracker", OP_TRACKER_RANGE, &t, ranges, min_s);
    t.map = NULL; /* the writes below replace vCPU 0's map */
    bench("tracker", OP_TYPE_WRITE, &t, addrs, min_s);
    bench("tracker", OP_TYPE_WRITE_LOOKUP, &t, addrs, min_s);
    bench_first_lookup(&t, addrs, min_s);
    check_tracker(t.tr, addrs); /* the maps after all those writes */
    xcx_tracker_free(t.tr);
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

    printf("%-10s %-24s %12s %9s %8s %14s\n", "state", "operation",
           "iterations", "seconds", "ns/op", "ops/s");
    bench_state("hvmloader", &hvmloader, 0x5eed, min_s);
    bench_state("busy", &busy, 0xb5b5, min_s);
    bench_tracker(0x7eac, min_s);
    return 0;
}
