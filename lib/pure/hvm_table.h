/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the HVM walker (hvm_walk.c) and dump (hvm_dump.c) share: the
 * geometry of each paging mode, the decoding and checking of one entry and
 * the reads of tables. Internal; never installed.
 */
#ifndef XCX_HVM_TABLE_H
#define XCX_HVM_TABLE_H

#include "pv_table.h"

/* The tables of one walk: mode, geometry and the bits that are reserved. */
struct hvm_paging {
    enum xcx_paging_mode mode;
    unsigned int top;        /* the root's level: 2 .. 5 */
    unsigned int entry_size; /* 4 or 8 bytes */
    bool pse;                /* 32-bit: CR4.PSE makes PS at level 2 a leaf */
    bool nxe;                /* EFER.NXE: bit 63 is XD, else reserved */
    unsigned int maxphys;    /* 32 .. 52 */
    uint64_t root_gpa;       /* the root table (a PAE PDPT: 32-byte aligned) */
};

/* Set up @p from @cpu and @g; -1 with errno and a message when the state
 * cannot be walked. */
int hvm_paging_init(struct hvm_paging *p, const struct xcx_hvm_guest *g,
                    const struct xcx_hvm_cpu *cpu, xentoollog_logger *lg);

static inline unsigned int hvm_bits(const struct hvm_paging *p)
{
    return p->mode == XCX_PGMODE_32BIT ? 10 : 9;
}

/* Entries of a level-@level table: 4 in a PAE PDPT. */
static inline unsigned int hvm_entries(const struct hvm_paging *p,
                                       unsigned int level)
{
    if (p->mode == XCX_PGMODE_PAE && level == 3)
        return 4;
    return 1u << hvm_bits(p);
}

/* log2 of the span of one entry of a level-@level table. */
static inline unsigned int hvm_shift(const struct hvm_paging *p,
                                     unsigned int level)
{
    return PV_PAGE_SHIFT + hvm_bits(p) * (level - 1);
}

static inline unsigned int hvm_index(const struct hvm_paging *p,
                                     unsigned int level, uint64_t va)
{
    return (va >> hvm_shift(p, level)) & (hvm_entries(p, level) - 1);
}

/* Entry @index of the table at @table (4096 bytes from its frame start,
 * @offset bytes in: non-zero only for a PAE PDPT). */
uint64_t hvm_load_entry(const struct hvm_paging *p, const uint8_t *frame,
                        unsigned int offset, unsigned int index);

/* One decoded, checked entry (the kinds of pv_table.h). */
struct hvm_entry {
    enum pv_kind kind;
    uint32_t flags;    /* XCX_PTE_*; PSE only for a large leaf */
    uint64_t gpa;      /* the table or page named; a leaf's first byte */
    uint64_t size;     /* PV_LEAF: the page size */
    uint8_t pat_index; /* PV_LEAF: PAT << 2 | PCD << 1 | PWT */
};

/* Decode entry @index (value @raw) of the level-@level table at
 * @table_gpa; EINVAL naming them for reserved bits. */
int hvm_decode(const struct hvm_paging *p, unsigned int level,
               unsigned int index, uint64_t table_gpa, uint64_t raw,
               struct hvm_entry *e, xentoollog_logger *lg);

/* @path with the entry flags of level @level added (PAE PDPTEs add none). */
struct pv_path hvm_path_add(const struct hvm_paging *p, struct pv_path path,
                            unsigned int level, uint32_t flags);

/* The frame holding the table at @gpa; NULL with errno and a message. */
const uint8_t *hvm_read_table(const struct xcx_hvm_guest *g, uint64_t gpa,
                              unsigned int level, xentoollog_logger *lg);

/* Highest VA of the mode's space: 4 GiB - 1 below 4-level. */
static inline uint64_t hvm_va_last(const struct hvm_paging *p)
{
    return p->top >= 4 ? UINT64_MAX : UINT64_C(0xffffffff);
}

/* The VA of entry @index of a level-@level table whose entry 0 is at
 * @base: sign-extended in the upper half of a 4- or 5-level space. */
uint64_t hvm_entry_va(const struct hvm_paging *p, unsigned int level,
                      uint64_t base, unsigned int index);

#endif
