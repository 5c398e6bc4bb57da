/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The MFN hash table (mfn_table.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mfn_table.h"

#define INITIAL_CAPACITY 64

static struct xcx_mfn_slot *slot_at(const struct xcx_mfn_table *t, size_t i)
{
    return (struct xcx_mfn_slot *)(t->slots + i * t->slot_size);
}

/* The slot holding @mfn, or the empty one where it would go. */
static struct xcx_mfn_slot *probe(const struct xcx_mfn_table *t, uint64_t mfn)
{
    size_t mask = t->capacity - 1;
    size_t i = (size_t)((mfn * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & mask;

    while (slot_at(t, i)->used && slot_at(t, i)->mfn != mfn)
        i = (i + 1) & mask;
    return slot_at(t, i);
}

void xcx_mfn_table_init(struct xcx_mfn_table *t, size_t slot_size)
{
    *t = (struct xcx_mfn_table){.slot_size = slot_size};
}

void xcx_mfn_table_free(struct xcx_mfn_table *t)
{
    free(t->slots);
    xcx_mfn_table_init(t, t->slot_size);
}

void xcx_mfn_table_clear(struct xcx_mfn_table *t)
{
    if (t->capacity)
        memset(t->slots, 0, t->capacity * t->slot_size);
    t->count = 0;
}

void *xcx_mfn_table_find(const struct xcx_mfn_table *t, uint64_t mfn)
{
    struct xcx_mfn_slot *s = t->capacity ? probe(t, mfn) : NULL;

    return s && s->used ? s : NULL;
}

/* Move every entry into @capacity slots. */
static int rehash(struct xcx_mfn_table *t, size_t capacity)
{
    struct xcx_mfn_table bigger = *t;

    bigger.capacity = capacity;
    bigger.slots = calloc(capacity, t->slot_size);
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < t->capacity; i++)
        if (slot_at(t, i)->used)
            memcpy(probe(&bigger, slot_at(t, i)->mfn), slot_at(t, i),
                   t->slot_size);
    free(t->slots);
    *t = bigger;
    return 0;
}

int xcx_mfn_table_reserve(struct xcx_mfn_table *t, size_t more)
{
    size_t cap = t->capacity ? t->capacity : INITIAL_CAPACITY;

    /* Half load at most; a count this large cannot be allocated anyway. */
    if (more > SIZE_MAX / 4 - t->count) {
        errno = ENOMEM;
        return -1;
    }
    while (cap / 2 < t->count + more)
        cap *= 2;
    return cap == t->capacity ? 0 : rehash(t, cap);
}

void *xcx_mfn_table_add(struct xcx_mfn_table *t, uint64_t mfn)
{
    struct xcx_mfn_slot *s = xcx_mfn_table_find(t, mfn);

    if (s)
        return s;
    if (xcx_mfn_table_reserve(t, 1))
        return NULL;
    s = probe(t, mfn);
    memset(s, 0, t->slot_size);
    s->mfn = mfn;
    s->used = true;
    t->count++;
    return s;
}
