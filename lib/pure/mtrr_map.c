/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MTRR type map: sorted half-open ranges covering [0, 2^maxphysaddr),
 * each holding the result xcx_mtrr_resolve() gives throughout it, equal
 * neighbours merged.
 *
 * Building: the address space is split into naturally aligned power-of-two
 * blocks. Within a block [lo, lo + 2^k) a variable pair either matches every
 * address (its mask has no bit below k and lo agrees with its base above
 * k), none, or some; a block that some pair matches only in part is halved.
 * Masks have no bits below 12, so no block of 4 KiB is ever split, and the
 * depth is at most maxphysaddr - 12 <= 40. With fixed ranges enabled, the
 * block containing [0, 1 MiB) is split down to it and its 88 sub-ranges are
 * taken from the fixed-range MSRs.
 *
 * Bounds: merged ranges are capped at XCX_MTRR_MAP_MAX_ENTRIES. Each merged
 * range is the union of at most 2 blocks per level, so the blocks visited
 * are at most 2 * 40 * XCX_MTRR_MAP_MAX_ENTRIES (plus the 88 fixed ones)
 * before the cap stops a hostile non-contiguous mask.
 *
 * Windows: a map may cover only [lo, hi) (xcx_map_build_window()): blocks
 * outside it are skipped and ranges clipped to it, so the range query of a
 * tracker whose whole map is past the cap builds only what it asks about.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct xcx_mtrr_map {
    xentoollog_logger *lg;
    unsigned int maxphysaddr;
    uint64_t lo, hi; /* the window built: [0, 2^maxphysaddr) but inside */
    size_t count;
    size_t capacity;
    uint64_t *starts; /* entry i covers [starts[i], starts[i + 1]) */
    struct xcx_mtrr_result *results;
};

/* The fixed sub-range index is per address; merging ignores it. */
static bool same_result(const struct xcx_mtrr_result *a,
                        const struct xcx_mtrr_result *b)
{
    return a->type == b->type && a->origin == b->origin &&
           a->overlap == b->overlap && a->reliable == b->reliable &&
           a->pairs == b->pairs;
}

static int grow(struct xcx_mtrr_map *map)
{
    size_t cap = map->capacity ? map->capacity * 2 : 64;
    uint64_t *starts;
    struct xcx_mtrr_result *results;

    if (cap > XCX_MTRR_MAP_MAX_ENTRIES)
        cap = XCX_MTRR_MAP_MAX_ENTRIES;
    starts = realloc(map->starts, (cap + 1) * sizeof(*starts));
    if (!starts)
        return -1;
    map->starts = starts;
    results = realloc(map->results, cap * sizeof(*results));
    if (!results)
        return -1;
    map->results = results;
    map->capacity = cap;
    return 0;
}

/*
 * Append [start, end) with @res, clipped to the window; ranges arrive in
 * address order.
 */
static int append(struct xcx_mtrr_map *map, uint64_t start, uint64_t end,
                  const struct xcx_mtrr_result *res)
{
    if (end <= map->lo || start >= map->hi)
        return 0;
    if (start < map->lo)
        start = map->lo;
    if (map->count && same_result(&map->results[map->count - 1], res))
        return 0;
    if (map->count == XCX_MTRR_MAP_MAX_ENTRIES) {
        errno = E2BIG;
        return -1;
    }
    if (map->count == map->capacity && grow(map))
        return -1;
    map->starts[map->count] = start;
    map->results[map->count] = *res;
    map->count++;
    return 0;
}

enum cover { COVER_NONE, COVER_ALL, COVER_PART };

/* How pair @i covers the aligned block [lo, lo + 2^k). */
static enum cover pair_cover(const struct xcx_mtrr_state *st, unsigned int i,
                             uint64_t lo, unsigned int k)
{
    uint64_t mask = st->regs.var[i].mask;
    uint64_t inside = (UINT64_C(1) << k) - 1;

    if (!(mask & XCX_MTRR_MASK_VALID))
        return COVER_NONE;
    mask &= xcx_addr_bits(st->maxphysaddr);
    if ((lo ^ st->regs.var[i].base) & mask & ~inside)
        return COVER_NONE;
    return (mask & inside) ? COVER_PART : COVER_ALL;
}

static int add_fixed(struct xcx_mtrr_map *map, const struct xcx_mtrr_state *st)
{
    struct xcx_mtrr_result res;

    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES; i++) {
        xcx_resolve_unchecked(st, xcx_fixed_start(i), &res);
        if (append(map, xcx_fixed_start(i),
                   xcx_fixed_start(i) + xcx_fixed_size(i), &res))
            return -1;
    }
    return 0;
}

static int add_block(struct xcx_mtrr_map *map, const struct xcx_mtrr_state *st,
                     uint64_t lo, unsigned int k)
{
    bool fixed = st->regs.def_type & XCX_MTRR_DEF_FE;
    uint64_t end = lo + (UINT64_C(1) << k);
    uint32_t all = 0;
    struct xcx_mtrr_result res;

    if (end <= map->lo || lo >= map->hi)
        return 0; /* outside the window */
    if (fixed && lo < XCX_FIXED_RANGE_END) {
        if (k == 20) /* exactly [0, 1 MiB) */
            return add_fixed(map, st);
        goto split; /* the block holds [0, 1 MiB) and more */
    }
    for (unsigned int i = 0; i < st->vcnt; i++) {
        enum cover c = pair_cover(st, i, lo, k);

        if (c == COVER_PART)
            goto split;
        if (c == COVER_ALL)
            all |= UINT32_C(1) << i;
    }
    xcx_combine_pairs(st, all, &res);
    return append(map, lo, end, &res);

split:
    return add_block(map, st, lo, k - 1) ||
           add_block(map, st, lo + (UINT64_C(1) << (k - 1)), k - 1);
}

static int fill(struct xcx_mtrr_map *map, const struct xcx_mtrr_state *st)
{
    struct xcx_mtrr_result res;

    if (!(st->regs.def_type & XCX_MTRR_DEF_E)) {
        xcx_resolve_unchecked(st, 0, &res);
        return append(map, 0, UINT64_C(1) << st->maxphysaddr, &res);
    }
    return add_block(map, st, 0, st->maxphysaddr);
}

XCX_EXPORT void xcx_mtrr_map_free(xcx_mtrr_map *map)
{
    int saved = errno;

    if (map) {
        free(map->starts);
        free(map->results);
        free(map);
    }
    errno = saved;
}

xcx_mtrr_map *xcx_map_build_window(const struct xcx_mtrr_state *st, uint64_t lo,
                                   uint64_t hi, xentoollog_logger *lg)
{
    struct xcx_mtrr_state checked;
    struct xcx_mtrr_map *map;

    /* The state is a plain struct: trust nothing a caller may have set. */
    if (xcx_state_check_bounds(st, lg) ||
        xcx_mtrr_state_init(&checked, &st->regs, st->maxphysaddr, st->var_known,
                            lg))
        return NULL;

    map = calloc(1, sizeof(*map));
    if (!map)
        return NULL;
    map->lg = lg;
    map->maxphysaddr = checked.maxphysaddr;
    map->lo = lo;
    map->hi = hi;
    if (fill(map, &checked)) {
        if (errno == E2BIG)
            xcx_fail(lg, E2BIG,
                     "MTRR map needs more than %u ranges (variable masks "
                     "0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                     " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                     " are not contiguous enough)",
                     XCX_MTRR_MAP_MAX_ENTRIES, checked.regs.var[0].mask,
                     checked.regs.var[1].mask, checked.regs.var[2].mask,
                     checked.regs.var[3].mask, checked.regs.var[4].mask,
                     checked.regs.var[5].mask, checked.regs.var[6].mask,
                     checked.regs.var[7].mask);
        else
            xcx_log(lg, XTL_ERROR, errno, "building the MTRR map");
        xcx_mtrr_map_free(map);
        return NULL;
    }
    map->starts[map->count] = hi;
    return map;
}

XCX_EXPORT xcx_mtrr_map *xcx_mtrr_map_build(const struct xcx_mtrr_state *st,
                                            xentoollog_logger *lg)
{
    if (xcx_state_check_bounds(st, lg))
        return NULL;
    return xcx_map_build_window(st, 0, UINT64_C(1) << st->maxphysaddr, lg);
}

void xcx_map_set_logger(xcx_mtrr_map *map, xentoollog_logger *lg)
{
    map->lg = lg;
}

/* Index of the range holding @gpa, which must be below the map's end. */
static size_t find(const xcx_mtrr_map *map, uint64_t gpa)
{
    size_t lo = 0, hi = map->count; /* starts[lo] <= gpa < starts[hi] */

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (map->starts[mid] <= gpa)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void result_at(const xcx_mtrr_map *map, size_t index, uint64_t gpa,
                      struct xcx_mtrr_result *res)
{
    *res = map->results[index];
    if (res->origin == XCX_ORIGIN_FIXED)
        res->fixed_index = xcx_fixed_index(gpa);
}

XCX_EXPORT int xcx_mtrr_map_lookup(const xcx_mtrr_map *map, uint64_t gpa,
                                   struct xcx_mtrr_result *result)
{
    if (gpa >> map->maxphysaddr)
        return xcx_fail(map->lg, ERANGE,
                        "gpa 0x%" PRIx64 " is at or above 2^%u "
                        "(the guest's physical-address width)",
                        gpa, map->maxphysaddr);
    result_at(map, find(map, gpa), gpa, result);
    return 0;
}

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

XCX_EXPORT int xcx_mtrr_map_range(const xcx_mtrr_map *map, uint64_t gpa,
                                  uint64_t len,
                                  struct xcx_mtrr_range_result *result)
{
    size_t i;

    if (xcx_map_range_check(map->lg, map->maxphysaddr, gpa, len))
        return -1;
    i = find(map, gpa);
    result_at(map, i, gpa, &result->first);
    result->types = 0;
    result->reliable = true;
    for (; i < map->count && map->starts[i] < gpa + len; i++) {
        result->types |= UINT32_C(1) << map->results[i].type;
        result->reliable &= map->results[i].reliable;
    }
    result->uniform = !(result->types & (result->types - 1));
    return 0;
}

XCX_EXPORT size_t xcx_mtrr_map_size(const xcx_mtrr_map *map)
{
    return map->count;
}

XCX_EXPORT int xcx_mtrr_map_entry(const xcx_mtrr_map *map, size_t index,
                                  struct xcx_mtrr_map_entry *entry)
{
    if (index >= map->count)
        return xcx_fail(map->lg, ERANGE,
                        "map entry %zu requested, the map has %zu", index,
                        map->count);
    entry->start = map->starts[index];
    entry->end = map->starts[index + 1];
    result_at(map, index, entry->start, &entry->result);
    return 0;
}
