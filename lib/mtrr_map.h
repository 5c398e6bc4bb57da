/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The type map's layout and its radix index, shared by the map's lookups,
 * its batch and range calls and the tracker's, which all inline the index
 * walk instead of calling one another.
 *
 * The index: slots of 16 bits, each the number of the map entry that holds
 * its whole span (a leaf), a node of 16 finer slots (XCX_INDEX_NODE | n),
 * or XCX_INDEX_SEARCH (binary search: node budget spent, or an entry number
 * past 15 bits; only hostile maps get there). The top table is indexed by
 * the position of an address's highest set bit and the 4 bits below it, so
 * one load answers at every magnitude: row 0 holds [0, 64 KiB) in 4 KiB
 * slots, row r >= 1 holds [2^(r+15), 2^(r+16)) in 16 slots of 2^(r+11).
 * Slot spans are naturally aligned, so a node's slots are its span's next
 * 4 address bits. Entries start on 4 KiB boundaries, so a slot of 4 KiB or
 * less is always a leaf: a walk ends within (52 - 12) / 4 + 1 levels.
 */
#ifndef XCX_MTRR_MAP_H
#define XCX_MTRR_MAP_H

#include "private.h"

#define XCX_INDEX_BITS   4
#define XCX_INDEX_SLOTS  16
#define XCX_INDEX_NODE   0x8000u /* tag of a slot that names a node */
#define XCX_INDEX_SEARCH 0xffffu /* slot answered by binary search */
#define XCX_INDEX_DEPTH  11      /* (52 - 12) / 4 + 1 levels at most */
#define XCX_INDEX_LOW    16      /* row 0 covers [0, 2^16) */

struct xcx_mtrr_map {
    xentoollog_logger *lg;
    unsigned int maxphysaddr;
    uint64_t lo, hi; /* the window built: [0, 2^maxphysaddr) but inside */
    size_t count;
    uint64_t *starts; /* entry i covers [starts[i], starts[i + 1]) */
    struct xcx_mtrr_result *results;
    const uint16_t *nodes; /* XCX_INDEX_SLOTS slots per node */
    size_t nr_nodes;
    size_t bytes;     /* the whole allocation, for tests and benchmarks */
    uint16_t table[]; /* xcx_index_rows() rows of XCX_INDEX_SLOTS */
};

/* Rows of the top table for a width: row r's last slot ends at 2^(r+16). */
static inline unsigned int xcx_index_rows(unsigned int maxphysaddr)
{
    return maxphysaddr - (XCX_INDEX_LOW - 1);
}

/* Span of a top-table slot: its first address and its size's log2. */
static inline size_t xcx_index_slot(uint64_t gpa, unsigned int *shift)
{
    unsigned int top = 63 - __builtin_clzll(gpa | UINT64_C(1) << XCX_INDEX_LOW);

    *shift = top - XCX_INDEX_BITS;
    return ((size_t)(*shift - 12) << XCX_INDEX_BITS) + (gpa >> *shift);
}

/* The index walk below the top table, and binary search (mtrr_index.c). */
size_t xcx_index_descend(const xcx_mtrr_map *map, unsigned int slot,
                         uint64_t gpa, unsigned int shift);

/* Number of the entry holding @gpa, which must be inside the map. */
static inline size_t xcx_map_find(const xcx_mtrr_map *map, uint64_t gpa)
{
    unsigned int shift;
    unsigned int slot = map->table[xcx_index_slot(gpa, &shift)];

    if (__builtin_expect(slot < XCX_INDEX_NODE, 1))
        return slot;
    return xcx_index_descend(map, slot, gpa, shift);
}

static inline void xcx_map_result(const xcx_mtrr_map *map, size_t index,
                                  uint64_t gpa, struct xcx_mtrr_result *res)
{
    *res = map->results[index];
    if (res->origin == XCX_ORIGIN_FIXED)
        res->fixed_index = xcx_fixed_index(gpa);
}

/* ERANGE for a gpa at or above the map's width, logged (mtrr_map.c). */
int xcx_map_out_of_range(const xcx_mtrr_map *map, uint64_t gpa);

/* xcx_mtrr_map_lookup() itself, for the tracker to inline. */
static inline int xcx_map_lookup_inline(const xcx_mtrr_map *map, uint64_t gpa,
                                        struct xcx_mtrr_result *result)
{
    if (__builtin_expect(gpa >> map->maxphysaddr != 0, 0))
        return xcx_map_out_of_range(map, gpa);
    xcx_map_result(map, xcx_map_find(map, gpa), gpa, result);
    return 0;
}

/*
 * Build the index of a map whose entries are complete: the top table into
 * @table (xcx_index_rows() rows), nodes into *@nodes (malloc()ed, *@nr of
 * them; NULL when none). At most 2 * count + 16 nodes (and fewer than
 * 2^15) are made, so the index is linear in the entries; slots past that
 * budget search. Time: one pass over the entries per row and node.
 */
int xcx_index_build(const uint64_t *starts, size_t count,
                    unsigned int maxphysaddr, uint16_t *table, uint16_t **nodes,
                    size_t *nr);

/* xcx_mtrr_map_range() without the exported symbol, for the tracker. */
int xcx_map_range(const xcx_mtrr_map *map, uint64_t gpa, uint64_t len,
                  struct xcx_mtrr_range_result *result);

/* Check @gpas below 2^maxphysaddr, else ERANGE naming the first. */
int xcx_map_check_gpas(xentoollog_logger *lg, unsigned int maxphysaddr,
                       const uint64_t *gpas, size_t n);

/* The batch lookup on a map, arguments checked by the caller. */
void xcx_map_lookup_many(const xcx_mtrr_map *map, const uint64_t *gpas,
                         size_t n, struct xcx_mtrr_result *results);

/* EINVAL when @n > 0 and an array is NULL. */
int xcx_batch_args(xentoollog_logger *lg, const void *gpas, size_t n,
                   const void *results);

/* The footprint of a map in bytes (one allocation). */
size_t xcx_map_bytes(const xcx_mtrr_map *map);
/* Nodes of a map's index, for tests. */
size_t xcx_map_index_nodes(const xcx_mtrr_map *map);

#endif
