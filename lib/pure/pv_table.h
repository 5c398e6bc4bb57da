/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the PV walker (pv_walk.c) and the mapping dump (pv_dump.c) share:
 * the geometry of the tables, the decoding and checking of one entry, the
 * reads of frames and M2P lookups through the guest's callbacks, and the
 * frame cache of a dump (pv_cache.c). Internal; never installed.
 */
#ifndef XCX_PV_TABLE_H
#define XCX_PV_TABLE_H

#include "mfn_table.h"
#include "private.h"

#define PV_PAGE_SHIFT 12
#define PV_PAGE_SIZE  (UINT64_C(1) << PV_PAGE_SHIFT)
#define PV_ENTRY_NX   (UINT64_C(1) << 63)
/* Bits 12..51: the frame an entry names. */
#define PV_ADDR_MASK UINT64_C(0x000ffffffffff000)
/* The PAT bit: bit 7 of a 4 KiB leaf, bit 12 of a 2 MiB or 1 GiB leaf. */
#define PV_PAT_4K    (UINT64_C(1) << 7)
#define PV_PAT_LARGE (UINT64_C(1) << 12)

/* Xen's part of a guest's address space (see pv_walk.c): L4 slots
 * 256..271 of a 64-bit guest, 0xf5800000 and above for a PAE guest. */
#define PV_XEN_SLOT_FIRST 256
#define PV_XEN_SLOT_END   272
#define PV_PAE_RO_START   UINT64_C(0xf5800000)

/* The top level: 4 for a 64-bit guest, 3 (the PDPT) for PAE. */
static inline unsigned int pv_top_level(unsigned int width)
{
    return width == 8 ? 4 : 3;
}

/* log2 of the span one entry of a level-@level table covers. */
static inline unsigned int pv_shift(unsigned int level)
{
    return PV_PAGE_SHIFT + 9 * (level - 1);
}

/* Entries in a table: 512, but 4 in a PAE L3 (the rest is not looked at). */
static inline unsigned int pv_entries(unsigned int width, unsigned int level)
{
    return width == 4 && level == 3 ? 4 : 512;
}

static inline unsigned int pv_index(unsigned int width, unsigned int level,
                                    uint64_t va)
{
    return (va >> pv_shift(level)) & (pv_entries(width, level) - 1);
}

/* Entry @index of a frame, little-endian; @index < 512 always. */
uint64_t pv_load_entry(const uint8_t *frame, unsigned int index);

/* What an entry is. */
enum pv_kind { PV_NOT_PRESENT, PV_TABLE, PV_LEAF };

/* One decoded, checked entry. */
struct pv_entry {
    enum pv_kind kind;
    uint32_t flags;    /* XCX_PTE_* as in the entry (no PSE in an L1) */
    uint64_t mfn;      /* the frame named; a leaf's first, aligned */
    uint64_t size;     /* PV_LEAF: the page size */
    uint8_t pat_index; /* PV_LEAF: PAT << 2 | PCD << 1 | PWT */
};

/*
 * Decode entry @index (value @raw) of the level-@level table in frame
 * @table_mfn. Reserved bits (PSE in an L4 or a PAE L3 entry, a large frame
 * not aligned to its size) and frames at or above g->max_mfn are EINVAL
 * with a message naming the level, index, entry and table.
 */
int pv_decode(const struct xcx_pv_guest *g, unsigned int level,
              unsigned int index, uint64_t table_mfn, uint64_t raw,
              struct pv_entry *e, xentoollog_logger *lg);

/* The memory type index @pat_index has under Xen's PAT for PV guests. */
static inline uint8_t pv_cache_of(unsigned int pat_index)
{
    return (XCX_XEN_PV_PAT >> (8 * (pat_index & 7))) & 0xff;
}

/* Effective rights along a path: RW and US ANDed, NX ORed. */
struct pv_path {
    bool rw, us, nx;
};

static inline struct pv_path pv_path_root(void)
{
    return (struct pv_path){true, true, false};
}

/* @p with entry flags @flags of level @level added. The 4 PDPTEs of a PAE
 * guest have no RW, US or NX (Xen sets RW and US in them itself). */
struct pv_path pv_path_add(struct pv_path p, unsigned int width,
                           unsigned int level, uint32_t flags);

/* The guest description is usable: callbacks set, width 4 or 8. */
int pv_guest_check(const struct xcx_pv_guest *g, xentoollog_logger *lg);
/* @root_mfn is below g->max_mfn. */
int pv_root_check(const struct xcx_pv_guest *g, uint64_t root_mfn,
                  xentoollog_logger *lg);

/* Read the level-@level table at @mfn; NULL with read_frame's errno (EIO
 * when it set none) and a message naming the frame. */
const uint8_t *pv_read_table(const struct xcx_pv_guest *g, uint64_t mfn,
                             unsigned int level, xentoollog_logger *lg);

/* The PFN of @mfn: 0 with *@valid false when the frame is not the guest's
 * (ENOENT), -1 with the M2P's errno and a message otherwise. */
int pv_m2p(const struct xcx_pv_guest *g, uint64_t mfn, uint64_t *pfn,
           bool *valid, xentoollog_logger *lg);

/*
 * The frames a dump has seen (pv_cache.c), in the MFN table: the frame once
 * read (so each frame is read once per dump, at whatever levels it serves)
 * and, per level, whether the frame was dumped as a table of that level
 * and where. One entry per distinct table frame.
 */
struct pv_frame {
    struct xcx_mfn_slot key;
    const uint8_t *data;  /* NULL until read */
    uint8_t levels;       /* bit L: dumped as a level-L table */
    uint64_t first_va[5]; /* [L]: VA of its entry 0 the first time */
};

struct pv_cache {
    struct xcx_mfn_table frames;
};

int pv_cache_init(struct pv_cache *c);
void pv_cache_free(struct pv_cache *c);
/* The slot of @mfn, added unread when new; NULL with ENOMEM. The pointer
 * is valid until the next call (the table may grow). */
struct pv_frame *pv_cache_get(struct pv_cache *c, uint64_t mfn);

#endif
