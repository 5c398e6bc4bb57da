/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for the map's radix index: the input is made into a
 * valid state whose pair boundaries fall anywhere (unaligned to the
 * index's slots, non-contiguous masks, fixed ranges changing every
 * sub-range), so the index gets nodes at every depth, budget cut-offs
 * and searches. Then every entry's edges, addresses from the input and
 * the boundaries of the index's own slots are looked up singly, in
 * batches (sorted and in input order) on the map and on a tracker, and
 * as ranges, all against xcx_mtrr_resolve() and the map's entries.
 *
 * Layout: byte 0 width (32 + b when b < 21, else from all bytes), byte 1 flags
 * (E, FE, VCNT), byte 2 the default type, then 8 pairs of 8-byte base and
 * 8-byte mask (types and reserved bits forced valid), then 11 fixed-range bytes
 * (a type per MSR, its low bits varying it per sub-range), then addresses.
 */
#include "fuzz_check.h"
#include "mtrr_map.h"

#define HEADER (3 + 16 * XCX_MTRR_VAR_MAX + XCX_MTRR_FIXED_MSRS)

static const unsigned int types[] = {XCX_MT_UC, XCX_MT_WC, XCX_MT_WT, XCX_MT_WP,
                                     XCX_MT_WB};

static uint64_t fixed_msr(uint8_t b)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < 8; i++)
        v |= (uint64_t)types[(b >> (i % 3)) % 5] << (8 * i);
    return v;
}

static void make_regs(const uint8_t *p, struct xcx_mtrr_regs *r,
                      unsigned int width)
{
    uint64_t bits = ref_addr_bits(width);

    memset(r, 0, sizeof(*r));
    r->pat = UINT64_C(0x0007040600070406);
    r->cap = 0x500 | (p[1] % (XCX_MTRR_VAR_MAX + 1));
    r->def_type = (p[1] & 0x80 ? XCX_MTRR_DEF_E : 0) |
                  (p[1] & 0x40 ? XCX_MTRR_DEF_FE : 0) | types[p[2] % 5];
    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        uint64_t base = ctxb_le_load(p + 3 + 16 * i, 8);
        uint64_t mask = ctxb_le_load(p + 11 + 16 * i, 8);

        r->var[i].base = (base & bits) | types[base % 5];
        r->var[i].mask = (mask & bits) | (mask & XCX_MTRR_MASK_VALID);
    }
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r->fixed[i] = fixed_msr(p[3 + 16 * XCX_MTRR_VAR_MAX + i]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* A batch on the map and on the tracker against single lookups. */
static void check_batch(const struct xcx_mtrr_state *st,
                        const xcx_mtrr_map *map, const xcx_mtrr_tracker *tr,
                        const uint64_t *gpas, size_t n)
{
    struct xcx_mtrr_result *a = calloc(n + 1, sizeof(*a));
    struct xcx_mtrr_result *b = calloc(n + 1, sizeof(*b));

    if (!a || !b)
        abort();
    if (xcx_mtrr_map_lookup_batch(map, gpas, n, a) < 0 ||
        xcx_tracker_lookup_batch(tr, 0, gpas, n, b) < 0)
        fuzz_fail("batch of %zu in-range addresses failed: %s", n,
                  strerror(errno));
    for (size_t i = 0; i < n; i++) {
        struct xcx_mtrr_result want;

        if (xcx_mtrr_resolve(st, gpas[i], &want, NULL) < 0)
            fuzz_fail("resolve(0x%" PRIx64 ") failed", gpas[i]);
        if (!ref_result_equal(&want, &a[i]) ||
            !ref_result_equal(&want, &b[i])) {
            fuzz_dump_state(st);
            fuzz_print("resolve", &want);
            fuzz_print("batch", &a[i]);
            fuzz_print("tracker", &b[i]);
            fuzz_fail("batch [%zu] 0x%" PRIx64 " differs from the rule", i,
                      gpas[i]);
        }
    }
    free(a);
    free(b);
}

/* Addresses: entry edges, slot edges of the top table, the input's. */
static size_t gather(const xcx_mtrr_map *map, unsigned int width,
                     const uint8_t *data, size_t size, uint64_t *out,
                     size_t max)
{
    uint64_t top = UINT64_C(1) << width;
    size_t n = 0, entries = xcx_mtrr_map_size(map);
    size_t step = entries > 512 ? entries / 512 : 1;

    for (size_t i = 0; i < entries && n + 2 <= max; i += step) {
        struct xcx_mtrr_map_entry e;

        xcx_mtrr_map_entry(map, i, &e);
        out[n++] = e.start;
        out[n++] = e.end - 1;
    }
    for (unsigned int k = 16; k < width && n + 2 <= max; k++)
        for (unsigned int s = 0; s < 16 && n + 2 <= max; s++) {
            uint64_t a = (UINT64_C(1) << k) + ((uint64_t)s << (k - 4));

            out[n++] = a;
            out[n++] = a - 1;
        }
    for (size_t off = HEADER; off + 8 <= size && n < max; off += 8)
        out[n++] = ctxb_le_load(data + off, 8) & (top - 1);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { MAX_ADDRS = 2048 };
    static uint64_t gpas[MAX_ADDRS + 1];
    struct xcx_mtrr_regs r;
    struct xcx_mtrr_state st;
    xcx_mtrr_map *map;
    xcx_mtrr_tracker *tr;
    unsigned int width;
    size_t n;

    if (size < HEADER)
        return 0;
    width = data[0] < 21 ? XCX_MAXPHYSADDR_MIN + (unsigned int)data[0]
                         : fuzz_width_from(data, size);
    make_regs(data, &r, width);
    if (xcx_mtrr_state_init(&st, &r, width, 0xff & data[1] >> 2, NULL) < 0)
        fuzz_fail("a state made valid was refused: %s", strerror(errno));
    map = xcx_mtrr_map_build(&st, NULL);
    if (!map) {
        if (errno != E2BIG)
            fuzz_fail("map build: %s", strerror(errno));
        return 0;
    }
    if (xcx_map_index_nodes(map) > 2 * xcx_mtrr_map_size(map) + 16)
        fuzz_fail("index of %zu nodes for %zu entries",
                  xcx_map_index_nodes(map), xcx_mtrr_map_size(map));
    tr = xcx_tracker_new(&st, 1, 0, NULL);
    if (!tr)
        fuzz_fail("tracker: %s", strerror(errno));

    fuzz_check_state(&st, data, size); /* the map's own checks too */
    n = gather(map, width, data, size, gpas, MAX_ADDRS);
    for (size_t i = 0; i < n; i++)
        fuzz_check_addr(&st, map, gpas[i]);
    check_batch(&st, map, tr, gpas, n);
    qsort(gpas, n, sizeof(*gpas), cmp_u64);
    check_batch(&st, map, tr, gpas, n);
    for (size_t i = 0; i < n; i += 4) {
        fuzz_check_range(&st, map, gpas[i] & ~((UINT64_C(2) << 20) - 1),
                         UINT64_C(2) << 20);
        fuzz_check_range(&st, map, gpas[i] & ~((UINT64_C(1) << 30) - 1),
                         UINT64_C(1) << 30);
        fuzz_check_range(&st, map, gpas[i], (gpas[(i + 1) % n] & 0xffffff) + 1);
    }

    /* One address out of range: ERANGE, nothing written. */
    gpas[n] = UINT64_C(1) << width;
    {
        struct xcx_mtrr_result *res = malloc((n + 1) * sizeof(*res));

        if (!res)
            abort();
        memset(res, 0x5a, (n + 1) * sizeof(*res));
        errno = 0;
        if (xcx_mtrr_map_lookup_batch(map, gpas, n + 1, res) != -1 ||
            errno != ERANGE)
            fuzz_fail("batch with 2^%u in it did not fail ERANGE", width);
        for (size_t i = 0; i < (n + 1) * sizeof(*res); i++)
            if (((unsigned char *)res)[i] != 0x5a)
                fuzz_fail("a failed batch wrote results");
        free(res);
    }
    xcx_tracker_free(tr);
    xcx_mtrr_map_free(map);
    return 0;
}
