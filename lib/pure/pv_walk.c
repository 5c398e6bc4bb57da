/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walks of a PV guest's page tables. PV tables hold machine frames (direct
 * paging), so every frame is read through the guest's read_frame callback
 * by MFN and translated to the guest's PFN through its M2P callback.
 *
 * Layout (Xen 4.17, 64-bit hypervisor): a 64-bit guest walks 4 levels from
 * an L4; L4 slots 256..271, [0xffff800000000000, 0xffff880000000000), are
 * Xen's (slot 256 the read-only M2P, 257..271 reserved) and not walked. A
 * 32-bit PAE guest walks 3 levels from a 4-entry L3 (the PDPT) at the
 * start of its frame; 0xf5800000 and above is Xen's read-only M2P.
 *
 * Leaves: a 4 KiB page at L1; a 2 MiB page at L2 with PSE; a 1 GiB page
 * at L3 with PSE (64-bit only: PSE in a PDPTE and in an L4 entry is
 * reserved). A large leaf's PAT bit is bit 12, inside the address field,
 * so its frame is the address with bits below the page size cleared, and
 * those bits (13..20 of a 2 MiB leaf, 13..29 of a 1 GiB one) must be 0.
 *
 * Bounds: one frame per level is read, so at most 4 per walk whatever the
 * entries say (an entry naming its own table is just read again one level
 * down, and the walk still ends at L1). An index is at most 511 (3 for a
 * PAE L3), so a read is at most at byte 511 * 8 + 7 = 4095 of a frame.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "pv_table.h"

/* The Xen areas of a 64-bit guest: L4 slots 256..271. */
#define XEN_RO_START  UINT64_C(0xffff800000000000)
#define XEN_RES_START UINT64_C(0xffff808000000000)
#define XEN_END       UINT64_C(0xffff880000000000)
#define PAE_VA_END    (UINT64_C(1) << 32)

static const char *const flag_names[] = {
    "P", "RW", "US", "PWT", "PCD", "A", "D", "PSE", "G", "NX",
};

XCX_EXPORT const char *xcx_pte_flag_name(uint32_t flag)
{
    for (unsigned int i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
        if (flag == UINT32_C(1) << i)
            return flag_names[i];
    errno = EINVAL;
    return NULL;
}

XCX_EXPORT const char *xcx_pv_area_name(unsigned int area)
{
    static const char *const names[] = {
        [XCX_PV_AREA_GUEST] = "guest",
        [XCX_PV_AREA_XEN_RO] = "xen-readonly",
        [XCX_PV_AREA_XEN] = "xen-reserved",
        [XCX_PV_AREA_NONCANON] = "noncanonical",
    };

    if (area >= sizeof(names) / sizeof(*names)) {
        errno = EINVAL;
        return NULL;
    }
    return names[area];
}

XCX_EXPORT const char *xcx_page_type_name(const struct xcx_page_type *type)
{
    static const char *const names[] = {"none", "L1", "L2", "L3", "L4"};

    if (!type || (!type->invalid && type->level > 4)) {
        errno = EINVAL;
        return NULL;
    }
    return type->invalid ? "invalid" : names[type->level];
}

/* Bits 63..47 all equal. */
static bool canonical(uint64_t va)
{
    uint64_t top = va >> 47;

    return top == 0 || top == 0x1ffff;
}

XCX_EXPORT enum xcx_pv_area xcx_pv_area_of(unsigned int width, uint64_t va)
{
    if (width == 4) {
        if (va >= PAE_VA_END)
            return XCX_PV_AREA_NONCANON;
        return va >= PV_PAE_RO_START ? XCX_PV_AREA_XEN_RO : XCX_PV_AREA_GUEST;
    }
    if (width != 8) {
        errno = EINVAL;
        return XCX_PV_AREA_NONCANON;
    }
    if (!canonical(va))
        return XCX_PV_AREA_NONCANON;
    if (va >= XEN_RO_START && va < XEN_RES_START)
        return XCX_PV_AREA_XEN_RO;
    if (va >= XEN_RES_START && va < XEN_END)
        return XCX_PV_AREA_XEN;
    return XCX_PV_AREA_GUEST;
}

uint64_t pv_load_entry(const uint8_t *frame, unsigned int index)
{
    uint64_t v;

    memcpy(&v, frame + 8 * (index & 511), sizeof(v));
    return le64toh(v);
}

/* XCX_PTE_* of an entry: bits 0..8 are at their own positions. */
static uint32_t entry_flags(uint64_t raw, unsigned int level)
{
    uint32_t flags = raw & 0x1ff;

    if (level == 1)
        flags &= ~XCX_PTE_PSE; /* bit 7 of an L1 entry is PAT */
    if (raw & PV_ENTRY_NX)
        flags |= XCX_PTE_NX;
    return flags;
}

static int bad_entry(xentoollog_logger *lg, unsigned int level,
                     unsigned int index, uint64_t table_mfn, uint64_t raw,
                     const char *why)
{
    return xcx_fail(lg, EINVAL,
                    "L%u entry %u of the table at MFN 0x%" PRIx64
                    " is 0x%016" PRIx64 ": %s",
                    level, index, table_mfn, raw, why);
}

/* A leaf's size, or 0 for an entry naming a table; ~0 for PSE where it is
 * reserved. */
static uint64_t leaf_size(unsigned int width, unsigned int level, uint64_t raw)
{
    if (level == 1)
        return PV_PAGE_SIZE;
    if (!(raw & XCX_PTE_PSE))
        return 0;
    if (level == 2 || (level == 3 && width == 8))
        return UINT64_C(1) << pv_shift(level);
    return UINT64_MAX;
}

int pv_decode(const struct xcx_pv_guest *g, unsigned int level,
              unsigned int index, uint64_t table_mfn, uint64_t raw,
              struct pv_entry *e, xentoollog_logger *lg)
{
    uint64_t size, pages;

    memset(e, 0, sizeof(*e));
    e->flags = entry_flags(raw, level);
    if (!(raw & XCX_PTE_P))
        return 0;
    size = leaf_size(g->width, level, raw);
    if (size == UINT64_MAX)
        return bad_entry(lg, level, index, table_mfn, raw,
                         "PSE is reserved at this level");
    /* A large leaf's bits 13 .. log2(size) - 1 are reserved. */
    if (size > PV_PAGE_SIZE && (raw & (size - 1) & ~(PV_PAT_LARGE | 0xfff)))
        return bad_entry(lg, level, index, table_mfn, raw,
                         "large frame not aligned to its size");
    e->kind = size ? PV_LEAF : PV_TABLE;
    e->size = size;
    e->mfn = (raw & PV_ADDR_MASK & ~(size > PV_PAGE_SIZE ? size - 1 : 0)) >>
             PV_PAGE_SHIFT;
    pages = size ? size >> PV_PAGE_SHIFT : 1;
    if (e->mfn >= g->max_mfn || pages > g->max_mfn - e->mfn)
        return bad_entry(lg, level, index, table_mfn, raw,
                         "frame out of range");
    if (size) {
        bool pat = raw & (size > PV_PAGE_SIZE ? PV_PAT_LARGE : PV_PAT_4K);

        e->pat_index = (pat ? 4 : 0) | (raw & XCX_PTE_PCD ? 2 : 0) |
                       (raw & XCX_PTE_PWT ? 1 : 0);
    }
    return 0;
}

struct pv_path pv_path_add(struct pv_path p, unsigned int width,
                           unsigned int level, uint32_t flags)
{
    if (width == 4 && level == 3)
        return p;
    p.rw = p.rw && (flags & XCX_PTE_RW);
    p.us = p.us && (flags & XCX_PTE_US);
    p.nx = p.nx || (flags & XCX_PTE_NX);
    return p;
}

int pv_guest_check(const struct xcx_pv_guest *g, xentoollog_logger *lg)
{
    if (!g || !g->read_frame || !g->m2p)
        return xcx_fail(lg, EINVAL, "PV guest: no frame or M2P callback");
    if (g->width != 4 && g->width != 8)
        return xcx_fail(lg, EINVAL, "PV guest width %u: not 4 or 8", g->width);
    return 0;
}

int pv_root_check(const struct xcx_pv_guest *g, uint64_t root_mfn,
                  xentoollog_logger *lg)
{
    if (root_mfn >= g->max_mfn)
        return xcx_fail(lg, EINVAL,
                        "root table MFN 0x%" PRIx64
                        " out of range (max 0x%" PRIx64 ")",
                        root_mfn, g->max_mfn);
    return 0;
}

const uint8_t *pv_read_table(const struct xcx_pv_guest *g, uint64_t mfn,
                             unsigned int level, xentoollog_logger *lg)
{
    const uint8_t *frame;

    errno = 0;
    frame = g->read_frame(g->arg, mfn);
    if (!frame)
        xcx_fail(lg, errno ? errno : EIO,
                 "cannot read the L%u table at MFN 0x%" PRIx64, level, mfn);
    return frame;
}

int pv_m2p(const struct xcx_pv_guest *g, uint64_t mfn, uint64_t *pfn,
           bool *valid, xentoollog_logger *lg)
{
    *pfn = 0;
    *valid = false;
    errno = 0;
    if (g->m2p(g->arg, mfn, pfn) == 0) {
        *valid = true;
        return 0;
    }
    *pfn = 0;
    if (errno == ENOENT)
        return 0;
    return xcx_fail(lg, errno ? errno : EIO,
                    "M2P lookup of MFN 0x%" PRIx64 " failed", mfn);
}

/* The leaf's results: the 4 KiB frame holding the VA and its attributes. */
static int fill_leaf(const struct xcx_pv_guest *g, struct xcx_pv_walk *w,
                     const struct pv_entry *e, struct pv_path p,
                     xentoollog_logger *lg)
{
    const struct xcx_pv_level *lv = &w->levels[w->nr_levels - 1];
    uint64_t offset = w->va & (e->size - 1);

    w->mapped = true;
    w->page_size = e->size;
    w->mfn = e->mfn + (offset >> PV_PAGE_SHIFT);
    if (e->size == PV_PAGE_SIZE) {
        w->pfn = lv->pfn;
        w->pfn_valid = lv->pfn_valid;
    } else if (pv_m2p(g, w->mfn, &w->pfn, &w->pfn_valid, lg)) {
        return -1;
    }
    w->maddr = w->mfn << PV_PAGE_SHIFT | (w->va & (PV_PAGE_SIZE - 1));
    if (w->pfn_valid)
        w->paddr = w->pfn << PV_PAGE_SHIFT | (w->va & (PV_PAGE_SIZE - 1));
    w->writable = p.rw;
    w->user = p.us;
    w->nx = p.nx;
    w->pat_index = e->pat_index;
    w->cache = pv_cache_of(e->pat_index);
    return 0;
}

/* One level: read the table, decode the VA's entry into levels[]. */
static int walk_level(const struct xcx_pv_guest *g, struct xcx_pv_walk *w,
                      unsigned int level, uint64_t table_mfn,
                      struct pv_entry *e, xentoollog_logger *lg)
{
    struct xcx_pv_level *lv = &w->levels[w->nr_levels];
    const uint8_t *frame = pv_read_table(g, table_mfn, level, lg);
    int rc;

    if (!frame)
        return -1;
    lv->level = level;
    lv->index = pv_index(g->width, level, w->va);
    lv->table_mfn = table_mfn;
    lv->entry = pv_load_entry(frame, lv->index);
    /* A refused entry stays in levels[] for the caller to show. */
    rc = pv_decode(g, level, lv->index, table_mfn, lv->entry, e, lg);
    w->nr_levels++;
    lv->flags = e->flags;
    if (rc || e->kind == PV_NOT_PRESENT)
        return rc;
    lv->mfn = e->mfn;
    return pv_m2p(g, e->mfn, &lv->pfn, &lv->pfn_valid, lg);
}

XCX_EXPORT int xcx_pv_walk(const struct xcx_pv_guest *g, uint64_t root_mfn,
                           uint64_t va, struct xcx_pv_walk *walk,
                           xentoollog_logger *lg)
{
    struct pv_path p = pv_path_root();
    uint64_t table = root_mfn;
    struct pv_entry e;

    if (!walk)
        return xcx_fail(lg, EINVAL, "PV walk: no result");
    memset(walk, 0, sizeof(*walk));
    walk->va = va;
    if (pv_guest_check(g, lg))
        return -1;
    walk->area = xcx_pv_area_of(g->width, va);
    if (walk->area == XCX_PV_AREA_NONCANON)
        return xcx_fail(lg, EINVAL, "VA 0x%" PRIx64 " is %s", va,
                        g->width == 8 ? "not canonical"
                                      : "above 4 GiB for a PAE guest");
    if (walk->area != XCX_PV_AREA_GUEST)
        return 0;
    if (pv_root_check(g, root_mfn, lg))
        return -1;
    for (unsigned int level = pv_top_level(g->width); level >= 1; level--) {
        if (walk_level(g, walk, level, table, &e, lg))
            return -1;
        if (e.kind == PV_NOT_PRESENT) {
            walk->stop_level = level;
            return 0;
        }
        p = pv_path_add(p, g->width, level, e.flags);
        if (e.kind == PV_LEAF)
            return fill_leaf(g, walk, &e, p, lg);
        table = e.mfn;
    }
    return 0; /* not reached: an L1 entry is a leaf or not present */
}
