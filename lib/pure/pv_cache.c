/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The frames one PV dump has seen: open addressing with linear probing on
 * a power-of-two table keyed by MFN (Fibonacci hashing), doubled when half
 * full, so a probe ends at an empty slot after a few steps on average.
 * Nothing is ever removed. Memory: one slot per distinct table frame of
 * the dump, at most 4 times that in slots (64 bytes each).
 */
#include <errno.h>
#include <stdlib.h>

#include "pv_table.h"

#define INITIAL_CAPACITY 64

static size_t slot_of(const struct pv_cache *c, uint64_t mfn)
{
    return (size_t)((mfn * UINT64_C(0x9e3779b97f4a7c15)) >> 32) &
           (c->capacity - 1);
}

/* The slot holding @mfn, or the empty one where it would go. */
static struct pv_frame *probe(const struct pv_cache *c, uint64_t mfn)
{
    size_t i = slot_of(c, mfn);

    while (c->slots[i].used && c->slots[i].mfn != mfn)
        i = (i + 1) & (c->capacity - 1);
    return &c->slots[i];
}

int pv_cache_init(struct pv_cache *c)
{
    c->slots = calloc(INITIAL_CAPACITY, sizeof(*c->slots));
    c->capacity = c->slots ? INITIAL_CAPACITY : 0;
    c->count = 0;
    return c->slots ? 0 : -1;
}

void pv_cache_free(struct pv_cache *c)
{
    free(c->slots);
    c->slots = NULL;
    c->capacity = c->count = 0;
}

static int grow(struct pv_cache *c)
{
    struct pv_cache bigger = {NULL, c->capacity * 2, c->count};

    if (bigger.capacity < c->capacity) {
        errno = ENOMEM;
        return -1;
    }
    bigger.slots = calloc(bigger.capacity, sizeof(*bigger.slots));
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < c->capacity; i++)
        if (c->slots[i].used)
            *probe(&bigger, c->slots[i].mfn) = c->slots[i];
    free(c->slots);
    *c = bigger;
    return 0;
}

struct pv_frame *pv_cache_get(struct pv_cache *c, uint64_t mfn)
{
    struct pv_frame *f = probe(c, mfn);

    if (f->used)
        return f;
    if (2 * (c->count + 1) > c->capacity) {
        if (grow(c))
            return NULL;
        f = probe(c, mfn);
    }
    f->used = true;
    f->mfn = mfn;
    c->count++;
    return f;
}
