/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walks of an HVM/PVH guest's page tables, VA to GPA (SDM vol. 3A 4.3 to
 * 4.5). Tables hold guest frames, read through the guest's read_frame
 * callback; no translation beyond the guest's own is involved.
 *
 * Entries and their reserved bits (M is the guest's physical-address
 * width, maxphys):
 *  - 32-bit: 4-byte entries, none reserved but bit 21 and the address bits
 *    at or above M of a 4 MiB PDE (PSE-36 puts address bits 39:32 in bits
 *    20:13, so bits 13 + M - 32 .. 20 are reserved below M = 40).
 *  - PAE: PDPTEs have reserved bits 2:1, 8:5 and 63:M; PDEs and PTEs bits
 *    62:M, and bit 63 unless EFER.NXE.
 *  - 4- and 5-level: bits 51:M, bit 63 unless EFER.NXE; PS in a PML5E or
 *    PML4E; bits 62:52 are ignored (protection keys, software).
 *  - A large leaf's address bits below its size (13 .. size-1: bit 12 is
 *    its PAT bit) are reserved.
 *
 * Bounds: one frame per level (at most 5 per walk), an index masked to its
 * table, so a read is at most at byte 4095 of a frame (a PAE PDPT is 32
 * bytes at a 32-byte aligned offset).
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hvm_table.h"

#define BIT(n)      (UINT64_C(1) << (n))
#define ADDR_BITS   UINT64_C(0x000ffffffffff000) /* 51:12 */
#define PDPTE_RESVD UINT64_C(0x1e6)              /* 8:5, 2:1 */
#define PDE32_RESVD BIT(21)

uint64_t hvm_load_entry(const struct hvm_paging *p, const uint8_t *frame,
                        unsigned int offset, unsigned int index)
{
    unsigned int at = (offset + p->entry_size * index) & (4096 - p->entry_size);
    uint32_t v32;
    uint64_t v64;

    if (p->entry_size == 4) {
        memcpy(&v32, frame + at, sizeof(v32));
        return le32toh(v32);
    }
    memcpy(&v64, frame + at, sizeof(v64));
    return le64toh(v64);
}

static int bad_entry(xentoollog_logger *lg, unsigned int level,
                     unsigned int index, uint64_t table_gpa, uint64_t raw,
                     const char *why)
{
    return xcx_fail(lg, EINVAL,
                    "level-%u entry %u of the table at GPA 0x%" PRIx64
                    " is 0x%016" PRIx64 ": %s",
                    level, index, table_gpa, raw, why);
}

/* Bits @lo..@hi - 1. */
static uint64_t bits(unsigned int lo, unsigned int hi)
{
    return lo >= hi ? 0 : (hi >= 64 ? 0 : BIT(hi)) - BIT(lo);
}

/* The size of the page an entry maps, 0 for one naming a table,
 * UINT64_MAX where PS is reserved. */
static uint64_t leaf_size(const struct hvm_paging *p, unsigned int level,
                          uint64_t raw)
{
    if (level == 1)
        return PV_PAGE_SIZE;
    if (!(raw & XCX_PTE_PSE))
        return 0;
    if (p->mode == XCX_PGMODE_32BIT)
        return p->pse ? BIT(22) : 0; /* PS is ignored without CR4.PSE */
    if (level == 2 || (level == 3 && p->mode != XCX_PGMODE_PAE))
        return BIT(hvm_shift(p, level));
    return UINT64_MAX;
}

/* Reserved bits of an 8-byte entry other than those of its size. */
static uint64_t reserved64(const struct hvm_paging *p, unsigned int level)
{
    uint64_t r = bits(p->maxphys, 52);

    if (p->mode == XCX_PGMODE_PAE && level == 3)
        return r | bits(52, 64) | PDPTE_RESVD;
    if (p->mode == XCX_PGMODE_PAE)
        r |= bits(52, 63);
    if (!p->nxe)
        r |= BIT(63);
    return r;
}

/* A 32-bit 4 MiB PDE: its address and reserved bits (PSE-36). */
static uint64_t pse36_addr(uint64_t raw)
{
    return (raw & UINT64_C(0xffc00000)) | ((raw >> 13) & 0xff) << 32;
}

static uint64_t reserved_of(const struct hvm_paging *p, unsigned int level,
                            uint64_t raw, uint64_t size)
{
    if (p->mode == XCX_PGMODE_32BIT) {
        if (size != BIT(22))
            return 0;
        return raw & (PDE32_RESVD |
                      (p->maxphys < 40 ? bits(13 + p->maxphys - 32, 21) : 0));
    }
    if (size > PV_PAGE_SIZE)
        return raw & (reserved64(p, level) | bits(13, hvm_shift(p, level)));
    return raw & reserved64(p, level);
}

static uint32_t entry_flags(const struct hvm_paging *p, unsigned int level,
                            uint64_t raw, uint64_t size)
{
    uint32_t flags = raw & 0x1ff;

    if (p->mode == XCX_PGMODE_PAE && level == 3)
        return flags & (XCX_PTE_P | XCX_PTE_PWT | XCX_PTE_PCD);
    if (size <= PV_PAGE_SIZE)
        flags &= ~XCX_PTE_PSE; /* bit 7: PAT of a PTE, ignored PS */
    if (p->nxe && (raw & BIT(63)))
        flags |= XCX_PTE_NX;
    return flags;
}

static uint8_t pat_index_of(uint64_t raw, uint64_t size)
{
    bool pat = raw & (size > PV_PAGE_SIZE ? PV_PAT_LARGE : PV_PAT_4K);

    return (pat ? 4 : 0) | (raw & XCX_PTE_PCD ? 2 : 0) |
           (raw & XCX_PTE_PWT ? 1 : 0);
}

int hvm_decode(const struct hvm_paging *p, unsigned int level,
               unsigned int index, uint64_t table_gpa, uint64_t raw,
               struct hvm_entry *e, xentoollog_logger *lg)
{
    uint64_t size;

    memset(e, 0, sizeof(*e));
    e->flags = entry_flags(p, level, raw, 0);
    if (!(raw & XCX_PTE_P))
        return 0;
    size = leaf_size(p, level, raw);
    if (size == UINT64_MAX)
        return bad_entry(lg, level, index, table_gpa, raw,
                         "PS is reserved at this level");
    if (reserved_of(p, level, raw, size))
        return bad_entry(lg, level, index, table_gpa, raw, "reserved bits set");
    e->kind = size ? PV_LEAF : PV_TABLE;
    e->size = size;
    e->flags = entry_flags(p, level, raw, size);
    if (p->mode == XCX_PGMODE_32BIT && size == BIT(22))
        e->gpa = pse36_addr(raw);
    else
        e->gpa = raw & ADDR_BITS & ~(size > PV_PAGE_SIZE ? size - 1 : 0);
    if (size)
        e->pat_index = pat_index_of(raw, size);
    return 0;
}

struct pv_path hvm_path_add(const struct hvm_paging *p, struct pv_path path,
                            unsigned int level, uint32_t flags)
{
    if (p->mode == XCX_PGMODE_PAE && level == 3)
        return path;
    path.rw = path.rw && (flags & XCX_PTE_RW);
    path.us = path.us && (flags & XCX_PTE_US);
    path.nx = path.nx || (flags & XCX_PTE_NX);
    return path;
}

const uint8_t *hvm_read_table(const struct xcx_hvm_guest *g, uint64_t gpa,
                              unsigned int level, xentoollog_logger *lg)
{
    const uint8_t *frame;

    errno = 0;
    frame = g->read_frame(g->arg, gpa >> PV_PAGE_SHIFT);
    if (!frame)
        xcx_fail(lg, errno ? errno : EIO,
                 "cannot read the level-%u table at GPA 0x%" PRIx64, level,
                 gpa);
    return frame;
}

uint64_t hvm_entry_va(const struct hvm_paging *p, unsigned int level,
                      uint64_t base, unsigned int index)
{
    uint64_t va = base + ((uint64_t)index << hvm_shift(p, level));
    unsigned int span = hvm_shift(p, level) + hvm_bits(p);

    if (p->top >= 4 && level == p->top && index >= 256)
        va |= ~(BIT(span) - 1);
    return va;
}

/* @va is in the mode's space: below 4 GiB, or canonical. */
static int check_va(const struct hvm_paging *p, uint64_t va,
                    xentoollog_logger *lg)
{
    unsigned int sign = p->mode == XCX_PGMODE_5LEVEL ? 56 : 47;
    uint64_t top = va >> sign;

    if (p->top < 4 && va > UINT32_MAX)
        return xcx_fail(lg, EINVAL, "VA 0x%" PRIx64 " is above 4 GiB (%s)", va,
                        xcx_paging_mode_name(p->mode));
    if (p->top >= 4 && top != 0 && top != (UINT64_MAX >> sign))
        return xcx_fail(lg, EINVAL, "VA 0x%" PRIx64 " is not canonical (%s)",
                        va, xcx_paging_mode_name(p->mode));
    return 0;
}

static void fill_leaf(struct xcx_hvm_walk *w, const struct hvm_entry *e,
                      struct pv_path path)
{
    w->mapped = true;
    w->page_size = e->size;
    w->gpa = e->gpa + (w->va & (e->size - 1));
    w->writable = path.rw;
    w->user = path.us;
    w->nx = path.nx;
    w->pat_used = true;
    w->pat_index = e->pat_index;
}

/* One level: read the table, decode @va's entry into levels[]. */
static int walk_level(const struct xcx_hvm_guest *g, const struct hvm_paging *p,
                      struct xcx_hvm_walk *w, unsigned int level,
                      uint64_t table_gpa, struct hvm_entry *e,
                      xentoollog_logger *lg)
{
    struct xcx_hvm_level *lv = &w->levels[w->nr_levels];
    const uint8_t *frame = hvm_read_table(g, table_gpa, level, lg);
    int rc;

    if (!frame)
        return -1;
    lv->level = level;
    lv->index = hvm_index(p, level, w->va);
    lv->table_gpa = table_gpa;
    lv->entry = hvm_load_entry(p, frame, table_gpa & 0xfff, lv->index);
    w->nr_levels++;
    /* A refused entry stays in levels[] for the caller to show. */
    rc = hvm_decode(p, level, lv->index, table_gpa, lv->entry, e, lg);
    lv->flags = e->flags;
    return rc;
}

static void walk_unpaged(struct xcx_hvm_walk *w)
{
    w->mapped = true;
    w->page_size = PV_PAGE_SIZE;
    w->gpa = w->va;
    w->writable = w->user = true;
}

XCX_EXPORT int xcx_hvm_walk(const struct xcx_hvm_guest *g,
                            const struct xcx_hvm_cpu *cpu, uint64_t va,
                            struct xcx_hvm_walk *walk, xentoollog_logger *lg)
{
    struct pv_path path = pv_path_root();
    struct hvm_paging p;
    struct hvm_entry e;
    uint64_t table;

    if (!walk)
        return xcx_fail(lg, EINVAL, "HVM walk: no result");
    memset(walk, 0, sizeof(*walk));
    walk->va = va;
    if (hvm_paging_init(&p, g, cpu, lg) || check_va(&p, va, lg))
        return -1;
    walk->mode = p.mode;
    if (p.mode == XCX_PGMODE_OFF) {
        walk_unpaged(walk);
        return 0;
    }
    table = p.root_gpa;
    for (unsigned int level = p.top; level >= 1; level--) {
        if (walk_level(g, &p, walk, level, table, &e, lg))
            return -1;
        if (e.kind == PV_NOT_PRESENT) {
            walk->stop_level = level;
            return 0;
        }
        path = hvm_path_add(&p, path, level, e.flags);
        if (e.kind == PV_LEAF) {
            fill_leaf(walk, &e, path);
            return 0;
        }
        table = e.gpa;
    }
    return 0; /* not reached: a level-1 entry is a leaf or not present */
}
