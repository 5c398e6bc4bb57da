/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Synthetic HVM/PVH guests: see hvmbuild.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvmbuild.h"

#define CAPACITY (1u << 16) /* frames a test guest may have */

static void die(const char *what, uint64_t v)
{
    fprintf(stderr, "hvmbuild: %s (0x%llx)\n", what, (unsigned long long)v);
    abort();
}

static size_t slot_of(uint64_t gfn)
{
    return (size_t)((gfn * UINT64_C(0x9e3779b97f4a7c15)) >> 40) &
           (CAPACITY - 1);
}

static struct hvb_frame *find(const struct hvb *b, uint64_t gfn)
{
    for (size_t i = slot_of(gfn);; i = (i + 1) & (CAPACITY - 1)) {
        if (!b->slots[i].data || b->slots[i].gfn == gfn)
            return &b->slots[i];
    }
}

uint8_t *hvb_frame(struct hvb *b, uint64_t gfn)
{
    struct hvb_frame *f = find(b, gfn);

    if (f->data)
        return f->data;
    if (2 * (b->count + 1) > CAPACITY)
        die("too many frames", gfn);
    f->gfn = gfn;
    f->data = calloc(1, 4096);
    if (!f->data)
        die("out of memory", gfn);
    b->count++;
    return f->data;
}

static const unsigned int tops[] = {0, 2, 3, 4, 5};

unsigned int hvb_top(const struct hvb *b)
{
    return tops[b->mode];
}

uint64_t hvb_root(const struct hvb *b)
{
    return b->cpu.cr3 &
           (b->mode == XCX_PGMODE_PAE ? ~UINT64_C(31) : ~UINT64_C(0xfff));
}

static uint64_t new_table(struct hvb *b)
{
    uint64_t gfn = b->next_table_gfn++;

    hvb_frame(b, gfn);
    return gfn << 12;
}

void hvb_init(struct hvb *b, enum xcx_paging_mode mode)
{
    memset(b, 0, sizeof(*b));
    b->slots = calloc(CAPACITY, sizeof(*b->slots));
    if (!b->slots)
        die("out of memory", 0);
    b->mode = mode;
    b->maxphys = 52;
    b->next_table_gfn = HVB_TABLE_GFN;
    b->cpu.efer_known = true;
    if (mode == XCX_PGMODE_OFF)
        return;
    b->cpu.cr0 = HVB_CR0_PE | HVB_CR0_PG;
    b->cpu.cr3 = new_table(b);
    if (mode == XCX_PGMODE_32BIT) {
        b->cpu.cr4 = HVB_CR4_PSE;
        return;
    }
    b->cpu.cr4 = HVB_CR4_PAE;
    b->cpu.efer = HVB_EFER_NXE;
    if (mode == XCX_PGMODE_PAE)
        b->cpu.cr3 |= HVB_PDPT_OFFSET;
    if (mode >= XCX_PGMODE_4LEVEL)
        b->cpu.efer |= HVB_EFER_LME | HVB_EFER_LMA;
    if (mode == XCX_PGMODE_5LEVEL)
        b->cpu.cr4 |= HVB_CR4_LA57;
}

void hvb_free(struct hvb *b)
{
    for (size_t i = 0; i < CAPACITY; i++)
        free(b->slots[i].data);
    free(b->slots);
    b->slots = NULL;
}

static const void *read_frame(void *arg, uint64_t gfn)
{
    struct hvb *b = arg;
    struct hvb_frame *f;

    b->reads++;
    if (b->fail_errno && gfn == b->fail_gfn) {
        errno = b->fail_errno;
        return NULL;
    }
    f = find(b, gfn);
    if (!f->data) {
        errno = ENOENT;
        return NULL;
    }
    f->reads++;
    return f->data;
}

void hvb_guest(struct hvb *b, struct xcx_hvm_guest *g)
{
    memset(g, 0, sizeof(*g));
    g->maxphysaddr = b->maxphys;
    g->read_frame = read_frame;
    g->arg = b;
}

static unsigned int entry_size(const struct hvb *b)
{
    return b->mode == XCX_PGMODE_32BIT ? 4 : 8;
}

unsigned int hvb_index(const struct hvb *b, unsigned int level, uint64_t va)
{
    unsigned int bits = b->mode == XCX_PGMODE_32BIT ? 10 : 9;
    unsigned int n = b->mode == XCX_PGMODE_PAE && level == 3 ? 4 : 1u << bits;

    return (va >> (12 + bits * (level - 1))) & (n - 1);
}

static uint8_t *entry_at(struct hvb *b, uint64_t table_gpa, unsigned int index)
{
    size_t off = (table_gpa & 0xfff) + (size_t)index * entry_size(b);

    if (off + entry_size(b) > 4096)
        die("entry beyond its frame", table_gpa);
    return hvb_frame(b, table_gpa >> 12) + off;
}

uint64_t hvb_entry(struct hvb *b, uint64_t table_gpa, unsigned int index)
{
    const uint8_t *p = entry_at(b, table_gpa, index);
    uint64_t v = 0;

    for (unsigned int i = entry_size(b); i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

void hvb_set_entry(struct hvb *b, uint64_t table_gpa, unsigned int index,
                   uint64_t value)
{
    uint8_t *p = entry_at(b, table_gpa, index);

    for (unsigned int i = 0; i < entry_size(b); i++)
        p[i] = value >> (8 * i);
}

uint64_t hvb_table(struct hvb *b, uint64_t va, unsigned int level)
{
    uint64_t table = hvb_root(b);

    for (unsigned int l = hvb_top(b); l > level; l--) {
        unsigned int i = hvb_index(b, l, va);
        uint64_t e = hvb_entry(b, table, i);

        if (!(e & 1)) {
            bool pdpte = b->mode == XCX_PGMODE_PAE && l == 3;

            e = new_table(b) | (pdpte ? 0x1 : 0x27);
            hvb_set_entry(b, table, i, e);
        }
        if (l > 1 && (e & 0x80) && !(b->mode == XCX_PGMODE_PAE && l == 3))
            die("a large page is in the way", va);
        table = e & UINT64_C(0x000ffffffffff000);
    }
    return table;
}

void hvb_change(struct hvb *b, uint64_t va, unsigned int level, uint64_t set,
                uint64_t clear)
{
    uint64_t table = hvb_table(b, va, level);
    unsigned int i = hvb_index(b, level, va);

    hvb_set_entry(b, table, i, (hvb_entry(b, table, i) | set) & ~clear);
}

static unsigned int level_of(const struct hvb *b, uint64_t size)
{
    if (size == 4096)
        return 1;
    if (size == HVB_SZ_4M && b->mode == XCX_PGMODE_32BIT)
        return 2;
    if (size == UINT64_C(1) << 21 && b->mode >= XCX_PGMODE_PAE)
        return 2;
    if (size == UINT64_C(1) << 30 && b->mode >= XCX_PGMODE_4LEVEL)
        return 3;
    die("page size not in this mode", size);
    return 0;
}

void hvb_map(struct hvb *b, uint64_t va, uint64_t gpa, uint64_t size,
             uint64_t bits)
{
    unsigned int level = level_of(b, size);
    uint64_t table = hvb_table(b, va, level);
    uint64_t addr = gpa;

    if (gpa & (size - 1))
        die("GPA not aligned to the page", gpa);
    if (b->mode == XCX_PGMODE_32BIT && level == 2)
        addr = (gpa & 0xffc00000) | ((gpa >> 32) & 0xff) << 13; /* PSE-36 */
    hvb_set_entry(b, table, hvb_index(b, level, va),
                  addr | bits | 1 | (level > 1 ? 0x80 : 0));
}

unsigned long hvb_distinct_reads(const struct hvb *b)
{
    unsigned long n = 0;

    for (size_t i = 0; i < CAPACITY; i++)
        n += b->slots[i].data && b->slots[i].reads;
    return n;
}

void hvb_reset_reads(struct hvb *b)
{
    b->reads = 0;
    for (size_t i = 0; i < CAPACITY; i++)
        b->slots[i].reads = 0;
}
