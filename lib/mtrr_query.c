/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Queries on a built map beyond one address: a range's types, and many
 * addresses in one call. Both lean on the index (mtrr_map.h) and on the
 * entries being sorted: a range walks forward from the entry of its first
 * address, a batch keeps the entry of the last address while the next
 * stays inside it (sorted input then costs a compare and a copy).
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
    size_t i;

    /* One test for len 0, wrapping and the width; the slow path says which. */
    if (__builtin_expect(last < gpa || last >> map->maxphysaddr, 0))
        return xcx_map_range_check(map->lg, map->maxphysaddr, gpa, len);
    i = xcx_map_find(map, gpa);
    xcx_map_result(map, i, gpa, &result->first);
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
                       const uint64_t *gpas, size_t n)
{
    uint64_t all = 0;

    /* OR of every address: one pass the compiler vectorises. */
    for (size_t i = 0; i < n; i++)
        all |= gpas[i];
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

void xcx_map_lookup_many(const xcx_mtrr_map *map, const uint64_t *gpas,
                         size_t n, struct xcx_mtrr_result *results)
{
    struct xcx_mtrr_result cur = {0};
    uint64_t lo = 0, size = 0; /* [lo, lo + size): the entry of cur */

    for (size_t i = 0; i < n; i++) {
        uint64_t gpa = gpas[i];

        if (gpa - lo >= size) {
            size_t k = xcx_map_find(map, gpa);

            lo = map->starts[k];
            size = map->starts[k + 1] - lo;
            cur = map->results[k];
        }
        results[i] = cur;
        if (cur.origin == XCX_ORIGIN_FIXED)
            results[i].fixed_index = xcx_fixed_index(gpa);
    }
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
    if (xcx_batch_args(map->lg, gpas, n, results) ||
        xcx_map_check_gpas(map->lg, map->maxphysaddr, gpas, n))
        return -1;
    xcx_map_lookup_many(map, gpas, n, results);
    return 0;
}
