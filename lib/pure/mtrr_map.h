/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The type map's layout and its radix index, shared by the map's lookups,
 * its batch and range calls and the tracker's, which all inline the index
 * walk instead of calling one another.
 *
 * The index: slots of 16 bits, each the number of the map entry that holds
 * its whole span (a leaf), a node of 16 finer slots (XCX_INDEX_NODE | n),
 * or a tag sending the lookup out of line: XCX_INDEX_SEARCH (binary
 * search: node budget spent, or an entry number past 15 bits; only hostile
 * maps get there), XCX_INDEX_FIXED (an entry of fixed ranges, whose
 * sub-range index is per address) and XCX_INDEX_OUT (at or above the
 * width: ERANGE). The top table is indexed by the position of an
 * address's highest set bit and the 4 bits below it, so one load answers
 * at every magnitude: row 0 holds [0, 64 KiB) in 4 KiB slots, row r >= 1
 * holds [2^(r+15), 2^(r+16)) in 16 slots of 2^(r+11), up to 2^64, so the
 * width check is a slot too. Slot spans are naturally aligned, so a
 * node's slots are its span's next 4 address bits. Entries start on 4 KiB
 * boundaries, so a slot of 4 KiB or less is always a leaf: a walk ends
 * within (52 - 12) / 4 + 1 levels.
 */
#ifndef XCX_MTRR_MAP_H
#define XCX_MTRR_MAP_H

#include "private.h"

#define XCX_INDEX_BITS   4
#define XCX_INDEX_SLOTS  16
#define XCX_INDEX_NODE   0x8000u /* tag of a slot that names a node */
#define XCX_INDEX_SEARCH 0xffffu /* slot answered by binary search */
#define XCX_INDEX_OUT    0xfffeu /* slot at or above the width */
#define XCX_INDEX_FIXED  0xfffdu /* a top-table slot of fixed ranges */
#define XCX_INDEX_DEPTH  11      /* (52 - 12) / 4 + 1 levels at most */
#define XCX_INDEX_LOW    16      /* row 0 covers [0, 2^16) */
#define XCX_INDEX_ROWS   49      /* rows 0..48: up to 2^64 */

/*
 * One allocation: the header with the top table, then the results, the
 * starts and the nodes. Table and results sit at fixed offsets, so a
 * lookup loads neither a pointer to them nor the width.
 */
struct xcx_mtrr_map {
    xentoollog_logger *lg;
    unsigned int maxphysaddr;
    uint64_t lo, hi; /* the window built: [0, 2^maxphysaddr) but inside */
    size_t count;
    uint64_t *starts;      /* entry i covers [starts[i], starts[i + 1]) */
    const uint16_t *nodes; /* XCX_INDEX_SLOTS slots per node */
    size_t nr_nodes;
    size_t bytes; /* the whole allocation, for tests and benchmarks */
    uint16_t table[XCX_INDEX_ROWS * XCX_INDEX_SLOTS];
    struct xcx_mtrr_result results[]; /* count of them */
};

/* The top-table slot of @gpa, and the log2 of its span's size. */
static inline size_t xcx_index_slot(uint64_t gpa, unsigned int *shift)
{
    /* 63 ^ clz is the top bit's position, which x86 gets in one bsr. */
    unsigned int top = 63 ^ __builtin_clzll(gpa | UINT64_C(1) << XCX_INDEX_LOW);

    *shift = top - XCX_INDEX_BITS;
    return ((size_t)(top - XCX_INDEX_LOW) << XCX_INDEX_BITS) + (gpa >> *shift);
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
int xcx_map_out_of_range(const xcx_mtrr_map *map, uint64_t gpa)
    __attribute__((cold));

/* The lookup of an address whose top-table slot is a node or a tag:
 * ERANGE for XCX_INDEX_OUT (mtrr_index.c). */
int xcx_map_lookup_deep(const xcx_mtrr_map *map, unsigned int slot,
                        uint64_t gpa, unsigned int shift,
                        struct xcx_mtrr_result *result);

/*
 * xcx_mtrr_map_lookup() itself, for the tracker to inline. The usual path
 * makes no call (the rare ones are tail calls), so it needs no stack frame:
 * one table load (which also tells an address past the width) and one
 * copy; entries of fixed ranges are tagged, so no test of the origin.
 */
static inline int xcx_map_lookup_inline(const xcx_mtrr_map *map, uint64_t gpa,
                                        struct xcx_mtrr_result *result)
{
    unsigned int shift, slot = map->table[xcx_index_slot(gpa, &shift)];

    if (__builtin_expect(slot >= XCX_INDEX_NODE, 0))
        return xcx_map_lookup_deep(map, slot, gpa, shift, result);
    *result = map->results[slot];
    return 0;
}

/*
 * Build the index of a map whose entries are complete: the top table into
 * @table (XCX_INDEX_ROWS rows), nodes into *@nodes (malloc()ed, *@nr of
 * them; NULL when none). At most 2 * count + 16 nodes (and fewer than
 * 2^15 - 3) are made, so the index is linear in the entries; slots past
 * that budget search. Time: one pass over the entries per row and node.
 */
int xcx_index_build(const uint64_t *starts,
                    const struct xcx_mtrr_result *results, size_t count,
                    unsigned int maxphysaddr, uint16_t *table, uint16_t **nodes,
                    size_t *nr);

/* xcx_mtrr_map_range() without the exported symbol, for the tracker. */
int xcx_map_range(const xcx_mtrr_map *map, uint64_t gpa, uint64_t len,
                  struct xcx_mtrr_range_result *result);

/*
 * Check @gpas below 2^maxphysaddr, else ERANGE naming the first; *@sorted
 * tells whether they are in non-decreasing order.
 */
int xcx_map_check_gpas(xentoollog_logger *lg, unsigned int maxphysaddr,
                       const uint64_t *gpas, size_t n, bool *sorted);

/* The batch lookup on a map, arguments checked by the caller. */
void xcx_map_lookup_many(const xcx_mtrr_map *map, const uint64_t *gpas,
                         size_t n, bool sorted,
                         struct xcx_mtrr_result *results);

/* EINVAL when @n > 0 and an array is NULL. */
int xcx_batch_args(xentoollog_logger *lg, const void *gpas, size_t n,
                   const void *results);

/* The footprint of a map in bytes (one allocation). */
size_t xcx_map_bytes(const xcx_mtrr_map *map);
/* Nodes of a map's index, for tests. */
size_t xcx_map_index_nodes(const xcx_mtrr_map *map);

#endif
