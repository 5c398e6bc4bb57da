/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Synthetic PV guests for the walker's tests, fuzzer and benchmark: a
 * frame store (MFN -> 4096 bytes, made on first use), the guest's P2M and
 * the host's M2P as formulas, and helpers that build page tables.
 *
 * Frame numbers (machine space: PVB_MAX_MFN frames, 64 GiB):
 *  - PFNs [0, 2^20) ("small", for 4 KiB pages and tables) sit at MFN
 *    (pfn * 7 + 3) mod 2^20: neighbours in PFN are never neighbours in
 *    MFN, as in a real PV guest;
 *  - PFNs [PVB_LARGE_PFN, PVB_LARGE_PFN + 2^21) ("large") sit at MFN
 *    pfn + 2^20, in [2^21, 2^22): contiguous and 1 GiB-aligned with their
 *    PFNs, for 2 MiB and 1 GiB pages;
 *  - every other MFN ([2^20, 2^21), [2^22, 2^24)) is not the guest's: the
 *    M2P says ENOENT. PVB_FOREIGN_MFN is one, 1 GiB-aligned.
 * Page-table frames get small PFNs from PVB_TABLE_PFN up, so tests that
 * map data PFNs below it never share a frame with a table.
 *
 * Not cmocka: misuse of a helper prints what is wrong and abort()s.
 */
#ifndef TEST_PVBUILD_H
#define TEST_PVBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

#define PVB_MAX_MFN     (UINT64_C(1) << 24)
#define PVB_SMALL_PFNS  (UINT64_C(1) << 20)
#define PVB_LARGE_PFN   (UINT64_C(1) << 20)
#define PVB_LARGE_PFNS  (UINT64_C(1) << 21)
#define PVB_FOREIGN_MFN (UINT64_C(1) << 22)
#define PVB_TABLE_PFN   UINT64_C(0xe0000)

#define SZ_4K (UINT64_C(1) << 12)
#define SZ_2M (UINT64_C(1) << 21)
#define SZ_1G (UINT64_C(1) << 30)

/* Entry bits (the SDM's positions). */
#define PVB_P     UINT64_C(0x001)
#define PVB_RW    UINT64_C(0x002)
#define PVB_US    UINT64_C(0x004)
#define PVB_PWT   UINT64_C(0x008)
#define PVB_PCD   UINT64_C(0x010)
#define PVB_A     UINT64_C(0x020)
#define PVB_D     UINT64_C(0x040)
#define PVB_PSE   UINT64_C(0x080)
#define PVB_PAT4K UINT64_C(0x080) /* in a 4 KiB leaf */
#define PVB_G     UINT64_C(0x100)
#define PVB_PATL  UINT64_C(0x1000) /* in a 2 MiB or 1 GiB leaf */
#define PVB_NX    (UINT64_C(1) << 63)
#define PVB_ADDR  UINT64_C(0x000ffffffffff000)
/* What the builder puts in the entries it makes for tables. */
#define PVB_TABLE_BITS (PVB_P | PVB_RW | PVB_US | PVB_A)

struct pvb_frame {
    uint64_t mfn;
    uint8_t *data;       /* 4096 bytes */
    unsigned long reads; /* by read_frame */
};

struct pvb {
    unsigned int width; /* 8 or 4 (PAE) */
    struct pvb_frame *slots;
    size_t capacity, count;
    uint64_t next_table_pfn;
    unsigned long tables;    /* made by pvb_new_table() */
    unsigned long reads;     /* read_frame calls */
    unsigned long bad_reads; /* of MFNs >= PVB_MAX_MFN: never allowed */
    /* Faults to inject: read_frame / m2p of this MFN fail with the errno
     * (0: none). */
    uint64_t fail_mfn;
    int fail_errno;
    uint64_t m2p_fail_mfn;
    int m2p_fail_errno;
};

void pvb_init(struct pvb *b, unsigned int width);
void pvb_free(struct pvb *b);

/* The guest's P2M (aborts on a PFN it does not have) and the M2P: 0, or
 * -1 with ENOENT for a frame not the guest's. */
uint64_t pvb_mfn(uint64_t pfn);
int pvb_m2p(uint64_t mfn, uint64_t *pfn);

/* The walker's view of @b: read_frame counts reads, m2p is pvb_m2p(). */
void pvb_guest(struct pvb *b, struct xcx_pv_guest *g);

/* The frame at @mfn (made zeroed when new). */
uint8_t *pvb_frame(struct pvb *b, uint64_t mfn);
/* A new zeroed table frame; its MFN. */
uint64_t pvb_new_table(struct pvb *b);

uint64_t pvb_entry(struct pvb *b, uint64_t table, unsigned int index);
void pvb_set_entry(struct pvb *b, uint64_t table, unsigned int index,
                   uint64_t value);
/* The index of @va's entry in a level-@level table of @b's width. */
unsigned int pvb_index(const struct pvb *b, unsigned int level, uint64_t va);

/* The level-@level table on @va's path from @root, with the tables above
 * it made (entries PVB_TABLE_BITS; P alone in a PAE L3) where missing. */
uint64_t pvb_table(struct pvb *b, uint64_t root, uint64_t va,
                   unsigned int level);
/* Set and clear bits of the level-@level entry on @va's path. */
void pvb_change(struct pvb *b, uint64_t root, uint64_t va, unsigned int level,
                uint64_t set, uint64_t clear);

/* Map the page of @size (SZ_4K, SZ_2M or SZ_1G) at @va to frame @mfn, or
 * to PFN @pfn, with entry bits @bits (P, and PSE for a large page, are
 * added). */
void pvb_map_mfn(struct pvb *b, uint64_t root, uint64_t va, uint64_t mfn,
                 uint64_t size, uint64_t bits);
void pvb_map(struct pvb *b, uint64_t root, uint64_t va, uint64_t pfn,
             uint64_t size, uint64_t bits);
/* @len bytes from @va to PFNs from @pfn, in pages of @size. */
void pvb_map_range(struct pvb *b, uint64_t root, uint64_t va, uint64_t pfn,
                   uint64_t len, uint64_t size, uint64_t bits);

/* Frames read at least once since the last reset; forget the counts. */
unsigned long pvb_distinct_reads(const struct pvb *b);
/* How often the frame at @mfn was read since the last reset. */
unsigned long pvb_frame_reads(const struct pvb *b, uint64_t mfn);
void pvb_reset_reads(struct pvb *b);

#endif
