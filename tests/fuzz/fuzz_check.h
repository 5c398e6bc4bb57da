/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks shared by the fuzz harnesses. Given a state the library accepted,
 * they build its type map and hold the library to its header:
 *  - the map covers [0, 2^width) with sorted, contiguous ranges, equal
 *    neighbours merged, each range's ends resolving to its result;
 *  - xcx_mtrr_map_lookup() agrees with xcx_mtrr_resolve() everywhere tried;
 *  - xcx_mtrr_resolve() agrees with the reference model of the header's
 *    rules (ref_resolve() of tests/support/refmodel.c);
 *  - xcx_mtrr_map_range() agrees with the map's own ranges.
 * Any disagreement prints what differs and abort()s, so libFuzzer and the
 * replay driver both stop on it.
 *
 * Speed: the structure of a map is checked over every entry, but the
 * comparisons with the reference model, the costly part, run on a sample
 * per input: the edges of every range the registers define (fixed ranges,
 * pairs, the top of the address space), the map's first and last entries,
 * and FUZZ_SAMPLES entries and addresses chosen by a hash of the input.
 * Each comparison made is exact; over millions of inputs the hash reaches
 * every entry. That keeps each harness above 2,000 inputs/s under ASan.
 */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctxbuild.h" /* ctxb_le_load() */
#include "fuzz_fail.h"
#include "refmodel.h"
#include "xenctrl_ext.h"

/*
 * The checks judge the library: their branches are no coverage worth
 * steering the fuzzer by, and the comparison hooks of libFuzzer's coverage
 * would cost more than the checks (the reference model is built without
 * them too, see meson.build).
 */
#ifdef __clang__
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))),         \
                             apply_to = function)
#endif

/* Entries and input-derived addresses compared per state. */
#define FUZZ_SAMPLES 4
/* A state whose map may run to the entry cap (50-100 ms to build under
 * the sanitizers) gets one built in 1 of this many inputs. */
#define FUZZ_COSTLY_EVERY 1024

/* FNV-1a over the input: the seed of every sample it picks. */
static uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* The @k-th number drawn from @seed (splitmix64): independent per k. */
static uint64_t fuzz_draw(uint64_t seed, unsigned int k)
{
    uint64_t z = seed + (k + 1) * UINT64_C(0x9e3779b97f4a7c15);

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A width from the input that the fuzzer can steer: 32..52. */
static unsigned int fuzz_width_from(const uint8_t *data, size_t size)
{
    uint8_t x = 0;
    size_t i;

    for (i = 0; i < size; i++)
        x ^= data[i];
    return XCX_MAXPHYSADDR_MIN +
           x % (XCX_MAXPHYSADDR_MAX - XCX_MAXPHYSADDR_MIN + 1);
}

/* ---------------------------------------------------------------------- */
/* Checks                                                                  */
/* ---------------------------------------------------------------------- */

static void fuzz_print(const char *what, const struct xcx_mtrr_result *r)
{
    char buf[160];

    ref_result_format(buf, sizeof(buf), r);
    fprintf(stderr, "  %-8s %s\n", what, buf);
}

static void fuzz_dump_state(const struct xcx_mtrr_state *st)
{
    const struct xcx_mtrr_regs *r = &st->regs;
    unsigned int i;

    fprintf(stderr,
            "  state: width %u vcnt %u var_known 0x%" PRIx32 " def 0x%" PRIx64
            " cap 0x%" PRIx64 "\n",
            st->maxphysaddr, st->vcnt, st->var_known, r->def_type, r->cap);
    for (i = 0; i < XCX_MTRR_VAR_MAX; i++)
        fprintf(stderr, "  var[%u] base 0x%" PRIx64 " mask 0x%" PRIx64 "\n", i,
                r->var[i].base, r->var[i].mask);
}

/* One address: rule, reference and map must agree (errors included). */
static void fuzz_check_addr(const struct xcx_mtrr_state *st,
                            const xcx_mtrr_map *map, uint64_t gpa)
{
    struct xcx_mtrr_result a, b, c;
    int ra, rb, rc, ea, eb, ec;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    errno = 0;
    ra = xcx_mtrr_resolve(st, gpa, &a, NULL);
    ea = errno;
    errno = 0;
    rb = map ? xcx_mtrr_map_lookup(map, gpa, &b) : ra;
    eb = map ? errno : ea;
    /* The model has no errno: out of range, the library says ERANGE. */
    rc = ref_resolve(st, gpa, &c) ? 0 : -1;
    ec = rc < 0 ? ERANGE : 0;

    if (ra != rc || (ra < 0 && ea != ec)) {
        fuzz_dump_state(st);
        fuzz_fail("xcx_mtrr_resolve(0x%" PRIx64 ") returned %d errno %d, "
                  "reference %d errno %d",
                  gpa, ra, ea, rc, ec);
    }
    if (ra != rb || (ra < 0 && ea != eb)) {
        fuzz_dump_state(st);
        fuzz_fail("0x%" PRIx64 ": resolve returned %d errno %d, "
                  "map lookup %d errno %d",
                  gpa, ra, ea, rb, eb);
    }
    if (ra < 0)
        return;
    if (!ref_result_equal(&a, &c)) {
        fuzz_dump_state(st);
        fuzz_print("resolve", &a);
        fuzz_print("ref", &c);
        fuzz_fail("xcx_mtrr_resolve(0x%" PRIx64 ") differs from the rule", gpa);
    }
    if (map && !ref_result_equal(&a, &b)) {
        fuzz_dump_state(st);
        fuzz_print("resolve", &a);
        fuzz_print("lookup", &b);
        fuzz_fail("map lookup and resolve disagree at 0x%" PRIx64, gpa);
    }
}

/* Whether entry @i is among the sampled ones. */
static bool fuzz_picked(const size_t pick[FUZZ_SAMPLES], size_t i)
{
    for (unsigned int k = 0; k < FUZZ_SAMPLES; k++)
        if (pick[k] == i)
            return true;
    return false;
}

/* Map structure over every entry, resolution over the sample of @seed;
 * returns the number of entries. */
static size_t fuzz_check_map(const struct xcx_mtrr_state *st,
                             const xcx_mtrr_map *map, uint64_t seed)
{
    uint64_t top = UINT64_C(1) << st->maxphysaddr;
    struct xcx_mtrr_map_entry e, prev;
    size_t n = xcx_mtrr_map_size(map), i, pick[FUZZ_SAMPLES];

    if (n == 0 || n > XCX_MTRR_MAP_MAX_ENTRIES)
        fuzz_fail("map has %zu entries", n);
    errno = 0;
    if (xcx_mtrr_map_entry(map, n, &e) != -1 || errno != ERANGE)
        fuzz_fail("xcx_mtrr_map_entry past the end did not fail ERANGE");

    /* Contiguity and merging over all entries; resolution over a sample. */
    for (i = 0; i < FUZZ_SAMPLES; i++)
        pick[i] = fuzz_draw(seed, i) % n;
    for (i = 0; i < n; i++) {
        if (xcx_mtrr_map_entry(map, i, &e) < 0)
            fuzz_fail("xcx_mtrr_map_entry(%zu) failed: %s", i, strerror(errno));
        if (e.start >= e.end)
            fuzz_fail("entry %zu is empty: [0x%" PRIx64 ", 0x%" PRIx64 ")", i,
                      e.start, e.end);
        if (i == 0 && e.start != 0)
            fuzz_fail("first entry starts at 0x%" PRIx64, e.start);
        if (i > 0 && e.start != prev.end)
            fuzz_fail("entry %zu starts at 0x%" PRIx64
                      ", previous ends at 0x%" PRIx64,
                      i, e.start, prev.end);
        if (i > 0 && ref_result_equal_merged(&e.result, &prev.result)) {
            fuzz_dump_state(st);
            fuzz_fail("entries %zu and %zu have equal results, not merged",
                      i - 1, i);
        }
        if (i == n - 1 && e.end != top)
            fuzz_fail("last entry ends at 0x%" PRIx64 ", not 0x%" PRIx64, e.end,
                      top);
        if (i == 0 || i == n - 1 || fuzz_picked(pick, i)) {
            struct xcx_mtrr_result r;
            uint64_t probe[3] = {e.start, e.end - 1,
                                 e.start + (e.end - e.start) / 2};
            unsigned int k;

            for (k = 0; k < 3; k++) {
                if (xcx_mtrr_resolve(st, probe[k], &r, NULL) < 0)
                    fuzz_fail("resolve(0x%" PRIx64 ") failed in the map",
                              probe[k]);
                if (!ref_result_equal_merged(&r, &e.result)) {
                    fuzz_dump_state(st);
                    fuzz_print("entry", &e.result);
                    fuzz_print("resolve", &r);
                    fuzz_fail("entry %zu [0x%" PRIx64 ", 0x%" PRIx64
                              ") does not hold at 0x%" PRIx64,
                              i, e.start, e.end, probe[k]);
                }
                fuzz_check_addr(st, map, probe[k]);
            }
        }
        prev = e;
    }
    return n;
}

/* A range query against the map's own entries. */
static void fuzz_check_range(const struct xcx_mtrr_state *st,
                             const xcx_mtrr_map *map, uint64_t gpa,
                             uint64_t len)
{
    uint64_t top = UINT64_C(1) << st->maxphysaddr;
    struct xcx_mtrr_range_result rr;
    struct xcx_mtrr_map_entry e;
    struct xcx_mtrr_result first;
    uint32_t types = 0;
    bool reliable = true;
    size_t n = xcx_mtrr_map_size(map), lo, hi, i;
    int rc;

    memset(&rr, 0, sizeof(rr));
    errno = 0;
    rc = xcx_mtrr_map_range(map, gpa, len, &rr);
    if (len == 0) {
        if (rc != -1 || errno != EINVAL)
            fuzz_fail("map_range(0x%" PRIx64 ", 0) gave %d errno %d", gpa, rc,
                      errno);
        return;
    }
    if (gpa >= top || len > top - gpa) {
        if (rc != -1 || errno != ERANGE)
            fuzz_fail("map_range(0x%" PRIx64 ", 0x%" PRIx64
                      ") past 2^%u gave %d errno %d",
                      gpa, len, st->maxphysaddr, rc, errno);
        return;
    }
    if (rc < 0)
        fuzz_fail("map_range(0x%" PRIx64 ", 0x%" PRIx64 ") failed: %s", gpa,
                  len, strerror(errno));

    /* Entries overlapping [gpa, gpa + len): binary search, then walk. */
    lo = 0;
    hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        xcx_mtrr_map_entry(map, mid, &e);
        if (e.start <= gpa)
            lo = mid;
        else
            hi = mid;
    }
    for (i = lo; i < n; i++) {
        xcx_mtrr_map_entry(map, i, &e);
        if (e.start >= gpa + len)
            break;
        types |= 1u << e.result.type;
        reliable = reliable && e.result.reliable;
        if (e.end >= gpa + len)
            break;
    }
    if (xcx_mtrr_map_lookup(map, gpa, &first) < 0)
        fuzz_fail("lookup of 0x%" PRIx64 " failed", gpa);
    if (!ref_result_equal(&rr.first, &first) || rr.types != types ||
        rr.reliable != reliable || rr.uniform != !(types & (types - 1))) {
        fuzz_dump_state(st);
        fuzz_print("first", &rr.first);
        fuzz_print("lookup", &first);
        fuzz_fail("map_range(0x%" PRIx64 ", 0x%" PRIx64 "): types 0x%" PRIx32
                  " uniform %d reliable %d, "
                  "expected types 0x%" PRIx32 " reliable %d",
                  gpa, len, rr.types, rr.uniform, rr.reliable, types, reliable);
    }
}

/*
 * Whether the map of @st may be large. A valid pair whose mask has h clear
 * bits between its lowest set bit and the width matches 2^h separate
 * blocks (a contiguous mask, h = 0, one block); the map has at most two
 * entries per block plus the fixed ones, and a build visits about 40
 * blocks per entry. Past FUZZ_CHEAP_BLOCKS (or at the entry cap, holes at
 * 4 KiB granularity) a build takes milliseconds under the sanitizers.
 */
#define FUZZ_CHEAP_BLOCKS 256

static bool fuzz_map_costly(const struct xcx_mtrr_state *st)
{
    uint64_t top = UINT64_C(1) << (st->maxphysaddr & 63), blocks = 0;

    for (unsigned int i = 0; i < st->vcnt && i < XCX_MTRR_VAR_MAX; i++) {
        uint64_t m = st->regs.var[i].mask & (top - 1) & ~UINT64_C(0xfff);
        uint64_t above = m ? ~((m & -m) - 1) & (top - 1) : 0;
        unsigned int holes = __builtin_popcountll(above & ~m);

        if (st->regs.var[i].mask & XCX_MTRR_MASK_VALID)
            blocks += UINT64_C(1) << (holes < 40 ? holes : 40);
    }
    return blocks > FUZZ_CHEAP_BLOCKS;
}

/*
 * Everything about one accepted state: build its map (or take @given, the
 * map a tracker holds for it), check it, and probe
 * addresses taken from the input, the pairs' edges and the fixed ranges.
 */
static void fuzz_check_state_map(const struct xcx_mtrr_state *st,
                                 const xcx_mtrr_map *given, const uint8_t *data,
                                 size_t size)
{
    static const uint64_t fixed_edges[] = {
        0,       0xffff,  0x7ffff, 0x80000,  0x9ffff,  0xa0000,
        0xbffff, 0xc0000, 0xfffff, 0x100000, 0x100fff,
    };
    uint64_t top = UINT64_C(1) << st->maxphysaddr;
    uint64_t bits = ref_addr_bits(st->maxphysaddr);
    uint64_t seed = fuzz_hash(data, size);
    struct xcx_mtrr_state again;
    xcx_mtrr_map *map;
    unsigned int i;

    if (st->vcnt != (st->regs.cap & XCX_MTRRCAP_VCNT_MASK) ||
        (st->var_known & ~((UINT32_C(1) << st->vcnt) - 1)))
        fuzz_fail("state: vcnt %u for cap 0x%" PRIx64 ", var_known 0x%" PRIx32,
                  st->vcnt, st->regs.cap, st->var_known);
    if (!ref_regs_valid(&st->regs, st->maxphysaddr)) {
        fuzz_dump_state(st);
        fuzz_fail("the library accepted registers the header calls invalid");
    }
    if (xcx_mtrr_regs_width_hint(&st->regs) != ref_width_hint(&st->regs))
        fuzz_fail("width hint %u, expected %u",
                  xcx_mtrr_regs_width_hint(&st->regs),
                  ref_width_hint(&st->regs));
    /* Re-validating an accepted state must give the same state. */
    if (xcx_mtrr_state_init(&again, &st->regs, st->maxphysaddr, st->var_known,
                            NULL) < 0 ||
        again.vcnt != st->vcnt || again.var_known != st->var_known ||
        again.maxphysaddr != st->maxphysaddr)
        fuzz_fail("xcx_mtrr_state_init() of an accepted state: %s",
                  strerror(errno));

    errno = 0;
    if (given) {
        map = (xcx_mtrr_map *)given; /* checked, not freed */
        fuzz_check_map(st, map, seed);
    } else if (fuzz_map_costly(st) && seed % FUZZ_COSTLY_EVERY) {
        map = NULL; /* resolve and the reference are still compared */
    } else if (!(map = xcx_mtrr_map_build(st, NULL))) {
        if (errno != E2BIG && errno != ENOMEM)
            fuzz_fail("xcx_mtrr_map_build() of an accepted state: %s",
                      strerror(errno));
        map = NULL; /* still compare resolve with the reference below */
    } else {
        fuzz_check_map(st, map, seed);
    }

    fuzz_check_addr(st, map, top - 1);
    fuzz_check_addr(st, map, top);
    fuzz_check_addr(st, map, UINT64_MAX);
    for (i = 0; i < sizeof(fixed_edges) / sizeof(fixed_edges[0]); i++)
        if (fixed_edges[i] < top)
            fuzz_check_addr(st, map, fixed_edges[i]);
    for (i = 0; i < st->vcnt; i++) {
        uint64_t m = st->regs.var[i].mask & bits;
        uint64_t lo = st->regs.var[i].base & m;
        uint64_t hi = lo | (~m & (top - 1));

        fuzz_check_addr(st, map, lo);
        fuzz_check_addr(st, map, hi);
        if (lo)
            fuzz_check_addr(st, map, lo - 1);
        if (hi + 1 < top)
            fuzz_check_addr(st, map, hi + 1);
    }
    /* Addresses from the input's own words, at offsets its hash picks. */
    for (i = 0; size >= 8 && i < FUZZ_SAMPLES; i++) {
        uint64_t v = ctxb_le_load(data + fuzz_draw(seed, i) % (size - 7), 8);

        fuzz_check_addr(st, map, v & (top - 1));
        fuzz_check_addr(st, map, v % (top + 1));
    }

    if (map) {
        uint64_t v = size >= 16 ? ctxb_le_load(data + size - 16, 8) : size;
        uint64_t w = size >= 8 ? ctxb_le_load(data + size - 8, 8) : 0x1000;
        uint64_t sizes[] = {0x1000, UINT64_C(2) << 20, UINT64_C(1) << 30,
                            w & (top - 1), w};

        fuzz_check_range(st, map, 0, top);
        fuzz_check_range(st, map, 0, 0);
        fuzz_check_range(st, map, top - 1, 1);
        fuzz_check_range(st, map, top - 1, 2);
        fuzz_check_range(st, map, 0xa0000, 0x20000);
        fuzz_check_range(st, map, 0x9f000, 0x2000);
        for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            uint64_t len = sizes[i] ? sizes[i] : 1;
            uint64_t gpa = v & (top - 1);

            fuzz_check_range(st, map, gpa, len);
            if (len < top)
                fuzz_check_range(st, map, gpa & ~(len - 1) & (top - 1), len);
        }
        if (map != given)
            xcx_mtrr_map_free(map);
    }
}

/* The same, on a map built here (or none when it would be costly). */
static inline void fuzz_check_state(const struct xcx_mtrr_state *st,
                                    const uint8_t *data, size_t size)
{
    fuzz_check_state_map(st, NULL, data, size);
}

#ifdef __clang__
#pragma clang attribute pop
#endif

#endif
