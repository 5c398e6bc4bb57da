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
 *
 * Sealing: the entries go into one allocation with the radix index built
 * over them (mtrr_index.c), so lookups cost one table load for almost
 * every address instead of a binary search whose length varies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mtrr_map.h"

/*
 * Entries as they are found; most maps fit the builder's own arrays, so a
 * build makes one allocation, the map itself (see seal()).
 */
#define LOCAL_ENTRIES 128

struct map_builder {
    uint64_t lo, hi; /* the window */
    size_t count, capacity;
    uint64_t *starts;
    struct xcx_mtrr_result *results;
    uint64_t local_starts[LOCAL_ENTRIES];
    struct xcx_mtrr_result local_results[LOCAL_ENTRIES];
};

/* The fixed sub-range index is per address; merging ignores it. */
static bool same_result(const struct xcx_mtrr_result *a,
                        const struct xcx_mtrr_result *b)
{
    return a->type == b->type && a->origin == b->origin &&
           a->overlap == b->overlap && a->reliable == b->reliable &&
           a->pairs == b->pairs;
}

static void *grow_array(void *old, const void *local, size_t used, size_t bytes)
{
    void *p;

    if (old != local)
        return realloc(old, bytes);
    p = malloc(bytes);
    if (p)
        memcpy(p, old, used);
    return p;
}

static int grow(struct map_builder *map)
{
    size_t cap = map->capacity * 2;
    uint64_t *starts;
    struct xcx_mtrr_result *results;

    if (cap > XCX_MTRR_MAP_MAX_ENTRIES)
        cap = XCX_MTRR_MAP_MAX_ENTRIES;
    starts = grow_array(map->starts, map->local_starts,
                        map->count * sizeof(*starts), cap * sizeof(*starts));
    if (!starts)
        return -1;
    map->starts = starts;
    results = grow_array(map->results, map->local_results,
                         map->count * sizeof(*results), cap * sizeof(*results));
    if (!results)
        return -1;
    map->results = results;
    map->capacity = cap;
    return 0;
}

static void builder_free(struct map_builder *map)
{
    if (map->starts != map->local_starts)
        free(map->starts);
    if (map->results != map->local_results)
        free(map->results);
}

/*
 * Append [start, end) with @res, clipped to the window; ranges arrive in
 * address order.
 */
static int append(struct map_builder *map, uint64_t start, uint64_t end,
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

static int add_fixed(struct map_builder *map, const struct xcx_mtrr_state *st)
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

static int add_block(struct map_builder *map, const struct xcx_mtrr_state *st,
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

static int fill(struct map_builder *map, const struct xcx_mtrr_state *st)
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

    free(map);
    errno = saved;
}

/* Bytes of @n items of @size, rounded up to 8 so what follows is aligned. */
static size_t span(size_t n, size_t size)
{
    return (n * size + 7) & ~(size_t)7;
}

/*
 * The map as one allocation (layout in mtrr_map.h): header and top table,
 * results, starts (with the window's end after the last), nodes.
 */
static xcx_mtrr_map *seal(const struct map_builder *b, unsigned int width,
                          xentoollog_logger *lg)
{
    uint16_t table[XCX_INDEX_ROWS * XCX_INDEX_SLOTS];
    uint16_t *nodes;
    size_t nr, results_bytes, starts_bytes, bytes;
    struct xcx_mtrr_map *map;

    if (xcx_index_build(b->starts, b->results, b->count, width, table, &nodes,
                        &nr))
        return NULL;
    results_bytes = span(b->count, sizeof(struct xcx_mtrr_result));
    starts_bytes = span(b->count + 1, sizeof(uint64_t));
    bytes = sizeof(*map) + results_bytes + starts_bytes +
            span(nr * XCX_INDEX_SLOTS, sizeof(uint16_t));
    map = malloc(bytes);
    if (map) {
        *map = (struct xcx_mtrr_map){
            .lg = lg,
            .maxphysaddr = width,
            .lo = b->lo,
            .hi = b->hi,
            .count = b->count,
            .nr_nodes = nr,
            .bytes = bytes,
        };
        memcpy(map->table, table, sizeof(table));
        memcpy(map->results, b->results,
               b->count * sizeof(struct xcx_mtrr_result));
        map->starts = (uint64_t *)((char *)map->results + results_bytes);
        memcpy(map->starts, b->starts, b->count * sizeof(uint64_t));
        map->starts[b->count] = b->hi;
        map->nodes = (uint16_t *)((char *)map->starts + starts_bytes);
        if (nr)
            memcpy((uint16_t *)map->nodes, nodes,
                   nr * XCX_INDEX_SLOTS * sizeof(uint16_t));
    }
    free(nodes);
    return map;
}

static void log_build_error(const struct xcx_mtrr_state *st,
                            xentoollog_logger *lg)
{
    if (errno == E2BIG)
        xcx_fail(lg, E2BIG,
                 "MTRR map needs more than %u ranges (variable masks "
                 "0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                 " are not contiguous enough)",
                 XCX_MTRR_MAP_MAX_ENTRIES, st->regs.var[0].mask,
                 st->regs.var[1].mask, st->regs.var[2].mask,
                 st->regs.var[3].mask, st->regs.var[4].mask,
                 st->regs.var[5].mask, st->regs.var[6].mask,
                 st->regs.var[7].mask);
    else
        xcx_log(lg, XTL_ERROR, errno, "building the MTRR map");
}

xcx_mtrr_map *xcx_map_build_window(const struct xcx_mtrr_state *st, uint64_t lo,
                                   uint64_t hi, xentoollog_logger *lg)
{
    struct xcx_mtrr_state checked;
    struct map_builder b;
    xcx_mtrr_map *map = NULL;

    /* The state is a plain struct: trust nothing a caller may have set. */
    if (xcx_state_check_bounds(st, lg) ||
        xcx_mtrr_state_init(&checked, &st->regs, st->maxphysaddr, st->var_known,
                            lg))
        return NULL;

    b.lo = lo;
    b.hi = hi;
    b.count = 0;
    b.capacity = LOCAL_ENTRIES;
    b.starts = b.local_starts;
    b.results = b.local_results;
    if (!fill(&b, &checked))
        map = seal(&b, checked.maxphysaddr, lg);
    if (!map)
        log_build_error(&checked, lg);
    builder_free(&b);
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

size_t xcx_map_bytes(const xcx_mtrr_map *map)
{
    return map->bytes;
}

size_t xcx_map_index_nodes(const xcx_mtrr_map *map)
{
    return map->nr_nodes;
}

int xcx_map_out_of_range(const xcx_mtrr_map *map, uint64_t gpa)
{
    return xcx_fail(map->lg, ERANGE,
                    "gpa 0x%" PRIx64 " is at or above 2^%u "
                    "(the guest's physical-address width)",
                    gpa, map->maxphysaddr);
}

XCX_EXPORT int xcx_mtrr_map_lookup(const xcx_mtrr_map *map, uint64_t gpa,
                                   struct xcx_mtrr_result *result)
{
    return xcx_map_lookup_inline(map, gpa, result);
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
    xcx_map_result(map, index, entry->start, &entry->result);
    return 0;
}
