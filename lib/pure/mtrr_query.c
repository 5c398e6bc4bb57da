/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Queries on a built map beyond one address: a range's types, and many
 * addresses in one call. Both lean on the index (mtrr_map.h) and on the
 * entries being sorted: a range walks forward from the entry of its first
 * address; a batch whose addresses are sorted (checked in the same pass
 * that checks their width) keeps each range found for as long as the
 * addresses stay inside it, so it costs about a copy per address.
 */
#include <errno.h>
#include <inttypes.h>

#include "mtrr_map.h"

int xcx_map_range_check(xentoollog_logger *lg, unsigned int maxphysaddr,
                        uint64_t gpa, uint64_t len)
{
    uint64_t end = UINT64_C(1) << maxphysaddr;

    if (!len)
        return xcx_fail(lg, EINVAL, "range at 0x%" PRIx64 " has length 0", gpa);
    if (gpa >= end || len > end - gpa)
        return xcx_fail(lg, ERANGE,
                        "range [0x%" PRIx64 ", +0x%" PRIx64
                        ") reaches past 2^%u",
                        gpa, len, maxphysaddr);
    return 0;
}

/* Types and reliability of entries @i.. up to @last (inclusive). */
static void range_walk(const xcx_mtrr_map *map, size_t i, uint64_t last,
                       struct xcx_mtrr_range_result *result)
{
    uint32_t types = 0;
    bool reliable = true;

    for (; i < map->count && map->starts[i] <= last; i++) {
        types |= UINT32_C(1) << map->results[i].type;
        reliable &= map->results[i].reliable;
    }
    result->types = types;
    result->reliable = reliable;
    result->uniform = !(types & (types - 1));
}

int xcx_map_range(const xcx_mtrr_map *map, uint64_t gpa, uint64_t len,
                  struct xcx_mtrr_range_result *result)
{
    uint64_t last = gpa + len - 1;
    unsigned int shift, slot;
    size_t i;

    /* One test for len 0, wrapping and the width; the slow path says which. */
    if (__builtin_expect(last < gpa || last >> map->maxphysaddr, 0))
        return xcx_map_range_check(map->lg, map->maxphysaddr, gpa, len);
    slot = map->table[xcx_index_slot(gpa, &shift)];
    if (__builtin_expect(slot < XCX_INDEX_NODE, 1)) {
        i = slot; /* a leaf of the top table is never of fixed ranges */
        result->first = map->results[i];
    } else {
        i = xcx_index_descend(map, slot, gpa, shift);
        xcx_map_result(map, i, gpa, &result->first);
    }
    if (__builtin_expect(map->starts[i + 1] > last, 1)) {
        /* The whole range inside one entry, the usual case. */
        result->types = UINT32_C(1) << result->first.type;
        result->reliable = result->first.reliable;
        result->uniform = true;
        return 0;
    }
    range_walk(map, i, last, result);
    return 0;
}

XCX_EXPORT int xcx_mtrr_map_range(const xcx_mtrr_map *map, uint64_t gpa,
                                  uint64_t len,
                                  struct xcx_mtrr_range_result *result)
{
    return xcx_map_range(map, gpa, len, result);
}

int xcx_map_check_gpas(xentoollog_logger *lg, unsigned int maxphysaddr,
                       const uint64_t *gpas, size_t n, bool *sorted)
{
    uint64_t all = 0, descents = 0;

    /* OR of every address and count of descents: one vectorised pass. */
    for (size_t i = 0; i < n; i++) {
        all |= gpas[i];
        descents += i && gpas[i] < gpas[i - 1];
    }
    *sorted = !descents;
    if (!(all >> maxphysaddr))
        return 0;
    for (size_t i = 0;; i++)
        if (gpas[i] >> maxphysaddr)
            return xcx_fail(lg, ERANGE,
                            "gpa[%zu] 0x%" PRIx64 " is at or above 2^%u "
                            "(the guest's physical-address width); no "
                            "result written",
                            i, gpas[i], maxphysaddr);
}

/* results[from..to) = the result of entry @k, each with its own index. */
static void fill(const xcx_mtrr_map *map, size_t k, const uint64_t *gpas,
                 size_t from, size_t to, struct xcx_mtrr_result *results)
{
    const struct xcx_mtrr_result cur = map->results[k];

    if (cur.origin == XCX_ORIGIN_FIXED) {
        for (size_t i = from; i < to; i++) {
            results[i] = cur;
            results[i].fixed_index = xcx_fixed_index(gpas[i]);
        }
    } else {
        for (size_t i = from; i < to; i++)
            results[i] = cur;
    }
}

/*
 * Sorted input: every address below the end of the range found for
 * gpas[i] lies in that range, so the run is found 8 addresses at a time
 * and filled without a lookup; a batch looks up at most one address per
 * range it meets.
 */
static void lookup_sorted(const xcx_mtrr_map *map, const uint64_t *gpas,
                          size_t n, struct xcx_mtrr_result *results)
{
    size_t i = 0;

    while (i < n) {
        size_t k = xcx_map_find(map, gpas[i]), j = i + 1;
        uint64_t end = map->starts[k + 1];

        while (j + 8 <= n && gpas[j + 7] < end)
            j += 8;
        while (j < n && gpas[j] < end)
            j++;
        fill(map, k, gpas, i, j, results);
        i = j;
    }
}

/*
 * Any order: one index walk per address, as a single lookup but with no
 * call, and no test whether the previous range still holds (a branch that
 * unordered input would mispredict).
 */
void xcx_map_lookup_many(const xcx_mtrr_map *map, const uint64_t *gpas,
                         size_t n, bool sorted, struct xcx_mtrr_result *results)
{
    if (sorted) {
        lookup_sorted(map, gpas, n, results);
        return;
    }
    for (size_t i = 0; i < n; i++)
        xcx_map_result(map, xcx_map_find(map, gpas[i]), gpas[i], &results[i]);
}

/* EINVAL for NULL arrays with addresses to look up. */
int xcx_batch_args(xentoollog_logger *lg, const void *gpas, size_t n,
                   const void *results)
{
    if (n && (!gpas || !results))
        return xcx_fail(lg, EINVAL, "batch of %zu addresses with a NULL %s", n,
                        gpas ? "result array" : "address array");
    return 0;
}

XCX_EXPORT int xcx_mtrr_map_lookup_batch(const xcx_mtrr_map *map,
                                         const uint64_t *gpas, size_t n,
                                         struct xcx_mtrr_result *results)
{
    bool sorted;

    if (xcx_batch_args(map->lg, gpas, n, results) ||
        xcx_map_check_gpas(map->lg, map->maxphysaddr, gpas, n, &sorted))
        return -1;
    xcx_map_lookup_many(map, gpas, n, sorted, results);
    return 0;
}
