/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one hash table keyed by machine frame number, for the frames a PV
 * dump has read (pv_cache.c) and the frames a live PV domain has mapped
 * (../live/pv_domain.c). Internal; never installed.
 *
 * Open addressing with linear probing on a power-of-two number of slots,
 * Fibonacci hashing of the MFN, doubled at half load, so a probe ends at
 * an empty slot after a few steps on average. A slot is the caller's
 * struct, whose first member is a struct xcx_mfn_slot; nothing is removed
 * but by clearing the whole table. Memory: at most 4 slots per entry.
 */
#ifndef XCX_MFN_TABLE_H
#define XCX_MFN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xcx_mfn_slot {
    uint64_t mfn;
    bool used;
};

struct xcx_mfn_table {
    unsigned char *slots;
    size_t slot_size; /* the caller's struct, starting with xcx_mfn_slot */
    size_t capacity;  /* a power of two, or 0 before the first entry */
    size_t count;
};

/* An empty table of @slot_size-byte slots; nothing is allocated yet. */
void xcx_mfn_table_init(struct xcx_mfn_table *t, size_t slot_size);
void xcx_mfn_table_free(struct xcx_mfn_table *t);
/* Forget every entry, keeping the slots. */
void xcx_mfn_table_clear(struct xcx_mfn_table *t);
/* The slot of @mfn, or NULL when absent. */
void *xcx_mfn_table_find(const struct xcx_mfn_table *t, uint64_t mfn);
/* Room for @more new entries without growing; -1 with ENOMEM. */
int xcx_mfn_table_reserve(struct xcx_mfn_table *t, size_t more);
/* The slot of @mfn, added zeroed (but for its header) when new; NULL with
 * ENOMEM. Valid until the next call that may grow the table. */
void *xcx_mfn_table_add(struct xcx_mfn_table *t, uint64_t mfn);

#endif
