/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-effective: effective-type lookups per second (xcx_effective_type
 * one address at a time, and xcx_effective_batch over 1024 addresses of
 * one PAT index) on an hvmloader-like guest of 2 vCPUs, in the cases the
 * tools meet: Intel without cache-flush permission (WB + ignore-PAT, no
 * MTRR lookup needed by the rule), Intel honoured (both vCPUs' maps
 * consulted), AMD (the guest PAT over the NPT entry), each with every fact
 * certain and with the host MTRR type and frame kind assumed (the answer
 * then explores what they could be).
 *
 * Usage: bench-effective [--quick]
 *
 * Addresses come from a fixed-seed PRNG below 8 GiB and are drawn before
 * timing; each figure is timed with CLOCK_MONOTONIC over at least 0.3 s
 * (0.02 s with --quick); results go to a volatile sink.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xenctrl_ext.h"

#define NR_ADDRS 1024

static volatile uint64_t sink;

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
    fprintf(stderr, "bench-effective: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* hvmloader's MTRRs: WB default, UC VGA hole, UC PCI hole. */
static xcx_mtrr_map *hvmloader_map(void)
{
    struct xcx_mtrr_state st;
    struct xcx_mtrr_regs r;
    xcx_mtrr_map *map;

    memset(&r, 0, sizeof(r));
    r.pat = UINT64_C(0x0007040600070406);
    r.cap = 0x508;
    r.def_type = 0xc06;
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r.fixed[i] = UINT64_C(0x0606060606060606);
    r.fixed[2] = 0;
    r.var[0].base = UINT64_C(0xe0000000) | XCX_MT_UC;
    r.var[0].mask = UINT64_C(0xfe0000000) | XCX_MTRR_MASK_VALID;
    if (xcx_mtrr_state_init(&st, &r, 36, 0xff, NULL))
        die("state");
    map = xcx_mtrr_map_build(&st, NULL);
    if (!map)
        die("map");
    return map;
}

struct bench_case {
    const char *name;
    unsigned int vendor;
    bool honoured;
    bool assumed; /* host MTRR and frame kind uncertain */
};

static void inputs_for(const struct bench_case *bc,
                       const xcx_mtrr_map *const *maps,
                       struct xcx_eff_inputs *in)
{
    const struct xcx_eff_fact sure = {XCX_SRC_USER, true};

    xcx_eff_inputs_init(in);
    in->host.vendor = bc->vendor;
    in->host.vendor_fact = in->host.paging_fact = sure;
    in->host.paging =
        bc->vendor == XCX_VENDOR_INTEL ? XCX_PAGING_EPT : XCX_PAGING_NPT;
    in->host.xen_version = 0x041107;
    in->host.xen_version_fact = sure;
    in->domain.iommu = in->domain.cache_flush = bc->honoured;
    in->domain.iommu_fact = in->domain.cache_flush_fact = sure;
    in->guest.maps = maps;
    in->guest.nr_vcpus = 2;
    in->guest.mtrr_fact = in->guest.pat_fact = in->guest.cr0_fact = sure;
    if (!bc->assumed)
        in->frame.kind_fact = in->frame.mfn_valid_fact = in->frame.pinned_fact =
            in->frame.host_mtrr_fact = sure;
}

static void report(const char *name, const char *what, double n, double t)
{
    printf("%-34s %-8s %12.0f %8.3f %8.1f %14.0f\n", name, what, n, t,
           t / n * 1e9, n / t);
}

static void run_case(const struct bench_case *bc,
                     const xcx_mtrr_map *const *maps, const uint64_t *gpas,
                     double min_t)
{
    static struct xcx_effective out[NR_ADDRS];
    struct xcx_eff_inputs in;
    double t0, t;
    uint64_t n = 0;

    inputs_for(bc, maps, &in);
    t0 = now_s();
    do {
        for (unsigned int i = 0; i < NR_ADDRS; i++) {
            if (xcx_effective_type(&in, gpas[i], i & 7, &out[0], NULL))
                die("lookup");
            sink += out[0].effective;
        }
        n += NR_ADDRS;
    } while ((t = now_s() - t0) < min_t);
    report(bc->name, "single", (double)n, t);
    n = 0;
    t0 = now_s();
    do {
        if (xcx_effective_batch(&in, gpas, NR_ADDRS, 1, out, NULL, NULL))
            die("batch");
        sink += out[NR_ADDRS - 1].effective;
        n += NR_ADDRS;
    } while ((t = now_s() - t0) < min_t);
    report(bc->name, "batch", (double)n, t);
}

int main(int argc, char **argv)
{
    static const struct bench_case cases[] = {
        {"intel not honoured", XCX_VENDOR_INTEL, false, false},
        {"intel honoured", XCX_VENDOR_INTEL, true, false},
        {"amd", XCX_VENDOR_AMD, false, false},
        {"intel not honoured, facts assumed", XCX_VENDOR_INTEL, false, true},
        {"intel honoured, facts assumed", XCX_VENDOR_INTEL, true, true},
        {"amd, facts assumed", XCX_VENDOR_AMD, false, true},
    };
    double min_t = argc > 1 && !strcmp(argv[1], "--quick") ? 0.02 : 0.3;
    xcx_mtrr_map *maps[2] = {hvmloader_map(), hvmloader_map()};
    uint64_t gpas[NR_ADDRS], seed = 0x656666;

    for (unsigned int i = 0; i < NR_ADDRS; i++)
        gpas[i] = prng_next(&seed) & ((UINT64_C(8) << 30) - 1) & ~0xfffull;
    printf("%-34s %-8s %12s %8s %8s %14s\n", "case", "call", "lookups",
           "seconds", "ns/each", "per second");
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i], (const xcx_mtrr_map *const *)maps, gpas, min_t);
    xcx_mtrr_map_free(maps[0]);
    xcx_mtrr_map_free(maps[1]);
    return 0;
}
