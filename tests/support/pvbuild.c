/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Synthetic PV guests: see pvbuild.h for the frame numbering. */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvbuild.h"

#define SMALL_MASK   (PVB_SMALL_PFNS - 1)
#define INV7         UINT64_C(0xb6db7) /* 7 * INV7 = 1 mod 2^20 */
#define LARGE_OFFSET (UINT64_C(1) << 20)

/* Misuse of a helper (or no memory): say what, with the value, and stop. */
static void die(const char *what, uint64_t value) __attribute__((noreturn));

static void die(const char *what, uint64_t value)
{
    fprintf(stderr, "pvbuild: %s: 0x%" PRIx64 "\n", what, value);
    abort();
}

uint64_t pvb_mfn(uint64_t pfn)
{
    if (pfn < PVB_SMALL_PFNS)
        return (pfn * 7 + 3) & SMALL_MASK;
    if (pfn - PVB_LARGE_PFN < PVB_LARGE_PFNS)
        return pfn + LARGE_OFFSET;
    die("no such PFN in the guest", pfn);
}

int pvb_m2p(uint64_t mfn, uint64_t *pfn)
{
    if (mfn < PVB_SMALL_PFNS) {
        *pfn = ((mfn - 3) * INV7) & SMALL_MASK;
        return 0;
    }
    if (mfn - (PVB_LARGE_PFN + LARGE_OFFSET) < PVB_LARGE_PFNS) {
        *pfn = mfn - LARGE_OFFSET;
        return 0;
    }
    errno = ENOENT;
    return -1;
}

void pvb_init(struct pvb *b, unsigned int width)
{
    memset(b, 0, sizeof(*b));
    b->width = width;
    b->next_table_pfn = PVB_TABLE_PFN;
    b->capacity = 64;
    b->slots = calloc(b->capacity, sizeof(*b->slots));
    if (!b->slots)
        die("out of memory, frames", b->count);
}

void pvb_free(struct pvb *b)
{
    for (size_t i = 0; i < b->capacity; i++)
        free(b->slots[i].data);
    free(b->slots);
    b->slots = NULL;
}

/* Open addressing keyed by MFN; a slot is used when it has data. */
static struct pvb_frame *probe(struct pvb_frame *slots, size_t capacity,
                               uint64_t mfn)
{
    size_t i =
        (size_t)((mfn * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (capacity - 1);

    while (slots[i].data && slots[i].mfn != mfn)
        i = (i + 1) & (capacity - 1);
    return &slots[i];
}

static void grow(struct pvb *b)
{
    size_t capacity = b->capacity * 2;
    struct pvb_frame *slots = calloc(capacity, sizeof(*slots));

    if (!slots)
        die("out of memory, frames", b->count);
    for (size_t i = 0; i < b->capacity; i++)
        if (b->slots[i].data)
            *probe(slots, capacity, b->slots[i].mfn) = b->slots[i];
    free(b->slots);
    b->slots = slots;
    b->capacity = capacity;
}

static struct pvb_frame *frame_slot(struct pvb *b, uint64_t mfn)
{
    struct pvb_frame *f = probe(b->slots, b->capacity, mfn);

    if (f->data)
        return f;
    if (mfn >= PVB_MAX_MFN)
        die("MFN out of range", mfn);
    if (2 * (b->count + 1) > b->capacity) {
        grow(b);
        f = probe(b->slots, b->capacity, mfn);
    }
    f->data = calloc(1, 4096);
    if (!f->data)
        die("out of memory, frames", b->count);
    f->mfn = mfn;
    b->count++;
    return f;
}

uint8_t *pvb_frame(struct pvb *b, uint64_t mfn)
{
    return frame_slot(b, mfn)->data;
}

static const void *read_frame(void *arg, uint64_t mfn)
{
    struct pvb *b = arg;
    struct pvb_frame *f;

    b->reads++;
    if (mfn >= PVB_MAX_MFN) {
        b->bad_reads++;
        errno = EFAULT;
        return NULL;
    }
    if (b->fail_errno && mfn == b->fail_mfn) {
        errno = b->fail_errno;
        return NULL;
    }
    f = frame_slot(b, mfn);
    f->reads++;
    return f->data;
}

static int m2p(void *arg, uint64_t mfn, uint64_t *pfn)
{
    struct pvb *b = arg;

    if (b->m2p_fail_errno && mfn == b->m2p_fail_mfn) {
        errno = b->m2p_fail_errno;
        return -1;
    }
    return pvb_m2p(mfn, pfn);
}

void pvb_guest(struct pvb *b, struct xcx_pv_guest *g)
{
    memset(g, 0, sizeof(*g));
    g->width = b->width;
    g->max_mfn = PVB_MAX_MFN;
    g->read_frame = read_frame;
    g->m2p = m2p;
    g->arg = b;
}

uint64_t pvb_new_table(struct pvb *b)
{
    uint64_t mfn = pvb_mfn(b->next_table_pfn++);

    if (b->next_table_pfn > PVB_SMALL_PFNS)
        die("out of table frames", b->next_table_pfn);
    memset(pvb_frame(b, mfn), 0, 4096);
    b->tables++;
    return mfn;
}

uint64_t pvb_entry(struct pvb *b, uint64_t table, unsigned int index)
{
    uint64_t v;

    if (index >= 512)
        die("entry index out of range", index);
    memcpy(&v, pvb_frame(b, table) + 8 * index, sizeof(v));
    return le64toh(v);
}

void pvb_set_entry(struct pvb *b, uint64_t table, unsigned int index,
                   uint64_t value)
{
    uint64_t v = htole64(value);

    if (index >= 512)
        die("entry index out of range", index);
    memcpy(pvb_frame(b, table) + 8 * index, &v, sizeof(v));
}

unsigned int pvb_index(const struct pvb *b, unsigned int level, uint64_t va)
{
    unsigned int mask = b->width == 4 && level == 3 ? 3 : 511;

    return (va >> (12 + 9 * (level - 1))) & mask;
}

static unsigned int top_level(const struct pvb *b)
{
    return b->width == 8 ? 4 : 3;
}

uint64_t pvb_table(struct pvb *b, uint64_t root, uint64_t va,
                   unsigned int level)
{
    uint64_t table = root;

    for (unsigned int l = top_level(b); l > level; l--) {
        unsigned int i = pvb_index(b, l, va);
        uint64_t e = pvb_entry(b, table, i);

        if (!(e & PVB_P)) {
            uint64_t next = pvb_new_table(b);
            uint64_t bits = b->width == 4 && l == 3 ? PVB_P : PVB_TABLE_BITS;

            pvb_set_entry(b, table, i, next << 12 | bits);
            e = pvb_entry(b, table, i);
        } else if (e & PVB_PSE) {
            die("a large page on the path of VA", va);
        }
        table = (e & PVB_ADDR) >> 12;
    }
    return table;
}

void pvb_change(struct pvb *b, uint64_t root, uint64_t va, unsigned int level,
                uint64_t set, uint64_t clear)
{
    uint64_t table = pvb_table(b, root, va, level);
    unsigned int i = pvb_index(b, level, va);

    pvb_set_entry(b, table, i, (pvb_entry(b, table, i) | set) & ~clear);
}

static unsigned int level_of(const struct pvb *b, uint64_t size)
{
    if (size == SZ_4K)
        return 1;
    if (size == SZ_2M)
        return 2;
    if (size == SZ_1G && b->width == 8)
        return 3;
    die("no such page size for this width", size);
}

void pvb_map_mfn(struct pvb *b, uint64_t root, uint64_t va, uint64_t mfn,
                 uint64_t size, uint64_t bits)
{
    unsigned int level = level_of(b, size);
    uint64_t table = pvb_table(b, root, va, level);

    if ((va | mfn << 12) & (size - 1))
        die("VA or MFN not aligned to the page size", va);
    pvb_set_entry(b, table, pvb_index(b, level, va),
                  mfn << 12 | bits | PVB_P | (level > 1 ? PVB_PSE : 0));
}

void pvb_map(struct pvb *b, uint64_t root, uint64_t va, uint64_t pfn,
             uint64_t size, uint64_t bits)
{
    pvb_map_mfn(b, root, va, pvb_mfn(pfn), size, bits);
}

void pvb_map_range(struct pvb *b, uint64_t root, uint64_t va, uint64_t pfn,
                   uint64_t len, uint64_t size, uint64_t bits)
{
    for (uint64_t off = 0; off < len; off += size)
        pvb_map(b, root, va + off, pfn + off / SZ_4K, size, bits);
}

unsigned long pvb_distinct_reads(const struct pvb *b)
{
    unsigned long n = 0;

    for (size_t i = 0; i < b->capacity; i++)
        n += b->slots[i].data && b->slots[i].reads;
    return n;
}

unsigned long pvb_frame_reads(const struct pvb *b, uint64_t mfn)
{
    const struct pvb_frame *f = probe(b->slots, b->capacity, mfn);

    return f->data ? f->reads : 0;
}

void pvb_reset_reads(struct pvb *b)
{
    for (size_t i = 0; i < b->capacity; i++)
        b->slots[i].reads = 0;
    b->reads = b->bad_reads = 0;
}
