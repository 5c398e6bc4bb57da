/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The radix index in front of a type map's sorted entries (layout in
 * mtrr_map.h).
 *
 * Building visits the slots in address order (the top table's rows, and
 * each node right where its parent slot is), so one cursor walks the
 * entries once: the slot [a, a + 2^k) is a leaf when the entry holding a
 * also holds a + 2^k - 1, else it gets a node of 16 slots of 2^(k-4). A
 * run of slots inside one entry is filled at once. Every node holds an
 * entry boundary strictly inside its span, and a boundary lies in at most
 * one node per level, so a map needs at most (count - 1) * 10 nodes; the
 * budget of 2 * count + 16 (below 2^15) bounds the memory of hostile maps
 * at 64 bytes per entry, their remaining slots answered by binary search.
 */
#include <errno.h>
#include <stdlib.h>

#include "mtrr_map.h"

/* Node numbers stay below the tags' payloads (0x7ffd..0x7fff). */
#define NODE_BUDGET_MAX (XCX_INDEX_FIXED - XCX_INDEX_NODE)

struct index_builder {
    const uint64_t *starts;
    const struct xcx_mtrr_result *results;
    size_t count;
    size_t cur;      /* the entry holding the last slot's first address */
    uint16_t *table; /* the top table, written in place */
    uint16_t *nodes;
    size_t nr, cap, budget;
};

static int new_node(struct index_builder *b, size_t *node)
{
    if (b->nr == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        uint16_t *nodes = realloc(b->nodes, cap * XCX_INDEX_SLOTS * 2);

        if (!nodes)
            return -1;
        b->nodes = nodes;
        b->cap = cap;
    }
    *node = b->nr++;
    return 0;
}

static int fill_slots(struct index_builder *b, uint64_t base,
                      unsigned int shift, unsigned int n, size_t node,
                      size_t first);

/*
 * A leaf: the entry's number, SEARCH when 15 bits cannot hold it, FIXED in
 * the top table for fixed ranges (their lookups set a per-address index,
 * which the fast path does not; nodes are walked out of line anyway).
 */
static uint16_t leaf(const struct index_builder *b, size_t node)
{
    if (node == SIZE_MAX && b->results[b->cur].origin == XCX_ORIGIN_FIXED)
        return XCX_INDEX_FIXED;
    return b->cur < XCX_INDEX_NODE ? (uint16_t)b->cur : XCX_INDEX_SEARCH;
}

/*
 * Slot [a, a + 2^shift) as a node (built now, its slots in address order)
 * or SEARCH when the budget is spent. Writes through offsets: building
 * the node may move b->nodes.
 */
static int branch(struct index_builder *b, uint64_t a, unsigned int shift,
                  uint16_t *out)
{
    size_t node;

    if (b->nr == b->budget) {
        *out = XCX_INDEX_SEARCH;
        return 0;
    }
    if (new_node(b, &node) ||
        fill_slots(b, a, shift - XCX_INDEX_BITS, XCX_INDEX_SLOTS, node, 0))
        return -1;
    *out = (uint16_t)(XCX_INDEX_NODE | node);
    return 0;
}

/* Where the slots of @node live now (the top table is node SIZE_MAX). */
static uint16_t *slots_of(struct index_builder *b, size_t node)
{
    return node == SIZE_MAX ? b->table : b->nodes + node * XCX_INDEX_SLOTS;
}

/*
 * @n slots of 2^@shift from @base, into @node's slots from @first. A
 * leaf's run of slots inside the same entry is written in one go.
 */
static int fill_slots(struct index_builder *b, uint64_t base,
                      unsigned int shift, unsigned int n, size_t node,
                      size_t first)
{
    unsigned int s = 0;

    while (s < n) {
        uint64_t a = base + ((uint64_t)s << shift);
        uint64_t end;
        unsigned int run;
        uint16_t v;

        while (b->cur + 1 < b->count && b->starts[b->cur + 1] <= a)
            b->cur++;
        end = b->cur + 1 < b->count ? b->starts[b->cur + 1] : UINT64_MAX;
        if (end - a >= (UINT64_C(1) << shift)) {
            /* Slots s .. s + run - 1 lie inside the entry. */
            uint64_t inside = (end - a) >> shift;

            run = inside < n - s ? (unsigned int)inside : n - s;
            v = leaf(b, node);
        } else {
            run = 1;
            if (branch(b, a, shift, &v))
                return -1;
        }
        for (uint16_t *p = slots_of(b, node) + first + s; run--; s++)
            *p++ = v;
    }
    return 0;
}

int xcx_index_build(const uint64_t *starts,
                    const struct xcx_mtrr_result *results, size_t count,
                    unsigned int maxphysaddr, uint16_t *table, uint16_t **nodes,
                    size_t *nr)
{
    struct index_builder b = {
        .starts = starts, .results = results, .count = count, .table = table};
    unsigned int rows = maxphysaddr - (XCX_INDEX_LOW - 1); /* below 2^w */
    int rc = 0;

    b.budget = 2 * count + 16;
    if (b.budget > NODE_BUDGET_MAX)
        b.budget = NODE_BUDGET_MAX;
    /* Row 0 and row 1 are both slots of 4 KiB: fill them as one. */
    rc = fill_slots(&b, 0, 12, 2 * XCX_INDEX_SLOTS, SIZE_MAX, 0);
    for (unsigned int r = 2; !rc && r < rows; r++)
        rc = fill_slots(&b, UINT64_C(1) << (r + 15), r + 11, XCX_INDEX_SLOTS,
                        SIZE_MAX, (size_t)r * XCX_INDEX_SLOTS);
    if (rc) {
        free(b.nodes);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = (size_t)rows * XCX_INDEX_SLOTS;
         i < XCX_INDEX_ROWS * XCX_INDEX_SLOTS; i++)
        table[i] = XCX_INDEX_OUT;
    *nodes = b.nodes;
    *nr = b.nr;
    return 0;
}

/* Entry holding @gpa by binary search (starts[0] <= gpa, gpa in the map). */
static size_t search(const xcx_mtrr_map *map, uint64_t gpa)
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

size_t xcx_index_descend(const xcx_mtrr_map *map, unsigned int slot,
                         uint64_t gpa, unsigned int shift)
{
    /* The bound is the index's depth; it never stops a walk early. */
    for (unsigned int level = 0; level < XCX_INDEX_DEPTH; level++) {
        if (slot < XCX_INDEX_NODE)
            return slot;
        if (slot >= XCX_INDEX_FIXED || shift < XCX_INDEX_BITS)
            break; /* SEARCH, FIXED; OUT never comes here */
        shift -= XCX_INDEX_BITS;
        slot = map->nodes[(size_t)(slot & ~XCX_INDEX_NODE) * XCX_INDEX_SLOTS +
                          ((gpa >> shift) & (XCX_INDEX_SLOTS - 1))];
    }
    return search(map, gpa);
}

int xcx_map_lookup_deep(const xcx_mtrr_map *map, unsigned int slot,
                        uint64_t gpa, unsigned int shift,
                        struct xcx_mtrr_result *result)
{
    if (slot == XCX_INDEX_OUT)
        return xcx_map_out_of_range(map, gpa);
    xcx_map_result(map, xcx_index_descend(map, slot, gpa, shift), gpa, result);
    return 0;
}
