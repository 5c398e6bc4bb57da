/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-index: the type map's lookups side by side with the direct rule
 * (xcx_mtrr_resolve), in one process, on the states and address sets of
 * tests/support/lookup_sets.c (hvmloader, busy 8-pair, 5-pair desktop;
 * uniform, below 8 GiB, sorted chunks, a scan of 0-4 GiB by page):
 *
 *  - single lookups: xcx_mtrr_resolve, xcx_mtrr_map_lookup,
 *    xcx_tracker_lookup (a 1-vCPU tracker of the same state);
 *  - batches of LSET_CHUNK (4096) addresses: xcx_mtrr_map_lookup_batch,
 *    xcx_tracker_lookup_batch;
 *  - range queries of 2 MiB and 1 GiB (addresses aligned to the size; the
 *    scan goes by the size): xcx_mtrr_map_range, xcx_tracker_range;
 *  - map builds: time and bytes (mallinfo2) on the three states and on
 *    hostile ones of 4096, 16384 and 65536 ranges (a non-contiguous mask).
 *
 * Usage: bench-index [--quick] [--rounds N]
 *
 * Rounds are interleaved: each round times every state, set and
 * operation once, so load from other processes spreads over all of them.
 * A chunk is copied into a hot buffer, then timed alone (CLOCK_MONOTONIC
 * around 4096 addresses). A figure is ns per address over all chunks of
 * its set, from each chunk's median over the rounds (a chunk the
 * scheduler interrupted in a few rounds does not count) and, beside it,
 * from each chunk's minimum. Ratios are those of the medians, to the
 * direct rule on the same addresses (ranges: to one single lookup by
 * rule) and, for trackers and batches, to the map's single lookup. The
 * tests check that every address of these sets gets the rule's answer
 * (tests/unit/test_map_index.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lookup_sets.h"
#include "xenctrl_ext.h"

#define MAX_ROUNDS 41
#define MAX_CHUNKS 256

enum op {
    OP_RULE,
    OP_MAP,
    OP_TRACKER,
    OP_MAP_BATCH,
    OP_TRACKER_BATCH,
    OP_MAP_2M,
    OP_TRACKER_2M,
    OP_MAP_1G,
    OP_TRACKER_1G,
    NR_OPS,
};

static const char *const op_names[] = {
    "rule (resolve)",   "map lookup",    "tracker lookup",
    "map batch",        "tracker batch", "map range 2M",
    "tracker range 2M", "map range 1G",  "tracker range 1G",
};

/* The range size of an operation, 1 for single addresses. */
static uint64_t op_step(enum op op)
{
    return op >= OP_MAP_1G   ? UINT64_C(1) << 30
           : op >= OP_MAP_2M ? UINT64_C(2) << 20
                             : 1;
}

struct subject {
    struct xcx_mtrr_state st;
    xcx_mtrr_map *map;
    xcx_mtrr_tracker *tr;
    uint64_t *pool[3][LSET_NR_DISTS]; /* by step: 1, 2 MiB, 1 GiB */
    size_t chunks[3][LSET_NR_DISTS];
};

static volatile uint64_t sink;
static uint64_t hot[LSET_CHUNK];
static struct xcx_mtrr_result results[LSET_CHUNK];
/* ns of each chunk in each round, by state, set and operation. */
static double samples[LSET_NR_STATES][LSET_NR_DISTS][NR_OPS][MAX_CHUNKS]
                     [MAX_ROUNDS];
/* ns per address from the chunks' medians and minima over the rounds. */
static double med[LSET_NR_STATES][LSET_NR_DISTS][NR_OPS];
static double low[LSET_NR_STATES][LSET_NR_DISTS][NR_OPS];

static void die(const char *what)
{
    fprintf(stderr, "bench-index: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned int step_slot(uint64_t step)
{
    return step == 1 ? 0 : step == (UINT64_C(2) << 20) ? 1 : 2;
}

static void make_subject(enum lset_state s, struct subject *sub)
{
    static const uint64_t steps[] = {1, UINT64_C(2) << 20, UINT64_C(1) << 30};

    if (lset_state(s, &sub->st) < 0)
        die("state");
    sub->map = xcx_mtrr_map_build(&sub->st, NULL);
    sub->tr = xcx_tracker_new(&sub->st, 1, 0, NULL);
    if (!sub->map || !sub->tr)
        die("map or tracker");
    for (unsigned int k = 0; k < 3; k++) {
        for (int d = 0; d < LSET_NR_DISTS; d++) {
            size_t n = lset_chunks(d, steps[k]);

            sub->chunks[k][d] = n;
            sub->pool[k][d] = malloc(n * LSET_CHUNK * sizeof(uint64_t));
            if (!sub->pool[k][d])
                die("address pool");
            for (size_t c = 0; c < n; c++)
                lset_fill(d, sub->st.maxphysaddr, steps[k], c,
                          sub->pool[k][d] + c * LSET_CHUNK);
        }
    }
}

/*
 * One loop per operation, so no dispatch runs per address: what is timed
 * is the call and the use of its answer (the type, or the range's types).
 */
#define SINGLES(name, call)                                                    \
    static uint64_t name(const struct subject *sub)                            \
    {                                                                          \
        struct xcx_mtrr_result r;                                              \
        uint64_t acc = 0;                                                      \
        int rc = 0;                                                            \
                                                                               \
        for (size_t i = 0; i < LSET_CHUNK; i++) {                              \
            rc |= call;                                                        \
            acc += r.type;                                                     \
        }                                                                      \
        return rc ? UINT64_MAX : acc;                                          \
    }

#define RANGES(name, call)                                                     \
    static uint64_t name(const struct subject *sub, uint64_t len)              \
    {                                                                          \
        struct xcx_mtrr_range_result rr;                                       \
        uint64_t acc = 0;                                                      \
        int rc = 0;                                                            \
                                                                               \
        for (size_t i = 0; i < LSET_CHUNK; i++) {                              \
            rc |= call;                                                        \
            acc += rr.types;                                                   \
        }                                                                      \
        return rc ? UINT64_MAX : acc;                                          \
    }

SINGLES(loop_rule, xcx_mtrr_resolve(&sub->st, hot[i], &r, NULL))
SINGLES(loop_map, xcx_mtrr_map_lookup(sub->map, hot[i], &r))
SINGLES(loop_tracker, xcx_tracker_lookup(sub->tr, 0, hot[i], &r))
RANGES(loop_map_range, xcx_mtrr_map_range(sub->map, hot[i], len, &rr))
RANGES(loop_tracker_range, xcx_tracker_range(sub->tr, 0, hot[i], len, &rr))

/* One operation over the hot chunk; returns a checksum. */
static uint64_t run_chunk(enum op op, const struct subject *sub)
{
    uint64_t acc;

    switch (op) {
    case OP_RULE:
        acc = loop_rule(sub);
        break;
    case OP_MAP:
        acc = loop_map(sub);
        break;
    case OP_TRACKER:
        acc = loop_tracker(sub);
        break;
    case OP_MAP_BATCH:
        acc = xcx_mtrr_map_lookup_batch(sub->map, hot, LSET_CHUNK, results)
                  ? UINT64_MAX
                  : results[LSET_CHUNK - 1].type;
        break;
    case OP_TRACKER_BATCH:
        acc = xcx_tracker_lookup_batch(sub->tr, 0, hot, LSET_CHUNK, results)
                  ? UINT64_MAX
                  : results[LSET_CHUNK - 1].type;
        break;
    case OP_MAP_2M:
    case OP_MAP_1G:
        acc = loop_map_range(sub, op_step(op));
        break;
    default:
        acc = loop_tracker_range(sub, op_step(op));
        break;
    }
    if (acc == UINT64_MAX)
        die(op_names[op]);
    return acc;
}

/* Time @op on every chunk of set @d, into round @r's samples. */
static void time_set(enum op op, const struct subject *sub, enum lset_dist d,
                     double *chunk_ns, unsigned int r)
{
    unsigned int k = step_slot(op_step(op));

    for (size_t c = 0; c < sub->chunks[k][d]; c++) {
        int64_t t0;

        memcpy(hot, sub->pool[k][d] + c * LSET_CHUNK, sizeof(hot));
        t0 = now_ns();
        sink += run_chunk(op, sub);
        chunk_ns[c * MAX_ROUNDS + r] = (double)(now_ns() - t0);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(const double *v, unsigned int n)
{
    double s[MAX_ROUNDS];

    memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double minimum(const double *v, unsigned int n)
{
    double m = v[0];

    for (unsigned int i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

/* med[] and low[] from the chunks' samples. */
static void summarise(const struct subject *subs, unsigned int rounds)
{
    for (int s = 0; s < LSET_NR_STATES; s++)
        for (int d = 0; d < LSET_NR_DISTS; d++)
            for (int op = 0; op < NR_OPS; op++) {
                size_t n = subs[s].chunks[step_slot(op_step(op))][d];
                double m = 0, l = 0;

                for (size_t c = 0; c < n; c++) {
                    m += median(samples[s][d][op][c], rounds);
                    l += minimum(samples[s][d][op][c], rounds);
                }
                med[s][d][op] = m / (double)(n * LSET_CHUNK);
                low[s][d][op] = l / (double)(n * LSET_CHUNK);
            }
}

static void report(void)
{
    printf("\n%-9s %-8s %-17s %8s %8s %8s %8s\n", "state", "set", "operation",
           "median", "min", "/rule", "/map");
    printf("%-9s %-8s %-17s %8s %8s\n", "", "", "", "ns/addr", "ns/addr");
    for (int s = 0; s < LSET_NR_STATES; s++) {
        for (int d = 0; d < LSET_NR_DISTS; d++) {
            const double *m = med[s][d];

            for (int op = 0; op < NR_OPS; op++) {
                printf("%-9s %-8s %-17s %8.2f %8.2f %8.3f", lset_state_name(s),
                       lset_dist_name(d), op_names[op], m[op], low[s][d][op],
                       m[op] / m[OP_RULE]);
                if (op == OP_TRACKER || op == OP_MAP_BATCH ||
                    op == OP_TRACKER_BATCH)
                    printf(" %8.3f", m[op] / m[OP_MAP]);
                else if (op == OP_TRACKER_2M || op == OP_TRACKER_1G)
                    printf(" %8.3f", m[op] / m[op - 1]);
                printf("\n");
            }
        }
    }
}

/* A hostile state: pair 0 UC on every other page below @span. */
static void hostile_state(uint64_t span, struct xcx_mtrr_state *st)
{
    struct xcx_mtrr_regs r;

    memset(&r, 0, sizeof(r));
    r.cap = 0x508;
    r.def_type = 0x806;
    r.var[0].base = XCX_MT_UC;
    r.var[0].mask = (((UINT64_C(1) << 36) - 1) & ~(span - 1)) | 0x1800;
    if (xcx_mtrr_state_init(st, &r, 36, 0xff, NULL) < 0)
        die("hostile state");
}

/* Build time (median and minimum over rounds, ns) and bytes of a map. */
static void bench_build(const char *name, const struct xcx_mtrr_state *st,
                        unsigned int rounds)
{
    double per[MAX_ROUNDS];
    struct mallinfo2 before, after;
    xcx_mtrr_map *map;
    size_t entries, bytes, reps = 1;

    before = mallinfo2();
    map = xcx_mtrr_map_build(st, NULL);
    after = mallinfo2();
    if (!map)
        die("xcx_mtrr_map_build");
    entries = xcx_mtrr_map_size(map);
    bytes = (after.uordblks + after.hblkhd) - (before.uordblks + before.hblkhd);
    xcx_mtrr_map_free(map);
    /* Enough builds per round for about 5 ms. */
    for (;;) {
        int64_t t0 = now_ns(), dt;

        for (size_t i = 0; i < reps; i++)
            xcx_mtrr_map_free(xcx_mtrr_map_build(st, NULL));
        dt = now_ns() - t0;
        if (dt > 5000000)
            break;
        reps *= 4;
    }
    for (unsigned int r = 0; r < rounds; r++) {
        int64_t t0 = now_ns();

        for (size_t i = 0; i < reps; i++)
            xcx_mtrr_map_free(xcx_mtrr_map_build(st, NULL));
        per[r] = (double)(now_ns() - t0) / (double)reps;
    }
    printf("%-14s %8zu %12.0f %12.0f %10.1f %10zu %8.1f\n", name, entries,
           median(per, rounds), minimum(per, rounds),
           median(per, rounds) / (double)entries, bytes,
           (double)bytes / (double)entries);
}

static void bench_builds(unsigned int rounds)
{
    static const uint64_t spans[] = {UINT64_C(16) << 20, UINT64_C(64) << 20,
                                     UINT64_C(256) << 20};
    char name[32];

    printf("\n%-14s %8s %12s %12s %10s %10s %8s\n", "map build", "ranges",
           "median ns", "min ns", "ns/range", "bytes", "B/range");
    for (int s = 0; s < LSET_NR_STATES; s++) {
        struct xcx_mtrr_state st;

        if (lset_state(s, &st) < 0)
            die("state");
        bench_build(lset_state_name(s), &st, rounds);
    }
    for (unsigned int i = 0; i < 3; i++) {
        struct xcx_mtrr_state st;

        hostile_state(spans[i], &st);
        snprintf(name, sizeof(name), "hostile %uM",
                 (unsigned int)(spans[i] >> 20));
        bench_build(name, &st, rounds);
    }
}

int main(int argc, char **argv)
{
    static struct subject subs[LSET_NR_STATES];
    unsigned int rounds = 15;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            rounds = 2;
        } else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
            rounds = (unsigned int)strtoul(argv[++i], NULL, 10);
            if (rounds < 1 || rounds > MAX_ROUNDS)
                rounds = 15;
        } else {
            fprintf(stderr, "usage: %s [--quick] [--rounds N]\n", argv[0]);
            return 2;
        }
    }
    for (int s = 0; s < LSET_NR_STATES; s++) {
        make_subject(s, &subs[s]);
        printf("# state %s: width %u, %zu map ranges\n", lset_state_name(s),
               subs[s].st.maxphysaddr, xcx_mtrr_map_size(subs[s].map));
    }
    printf("# %u interleaved rounds; chunks of %u addresses\n", rounds,
           LSET_CHUNK);
    for (unsigned int r = 0; r < rounds; r++)
        for (int s = 0; s < LSET_NR_STATES; s++)
            for (int d = 0; d < LSET_NR_DISTS; d++)
                for (int op = 0; op < NR_OPS; op++)
                    time_set(op, &subs[s], d, &samples[s][d][op][0][0], r);
    summarise(subs, rounds);
    report();
    bench_builds(rounds);
    return 0;
}
