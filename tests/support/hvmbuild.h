/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Synthetic HVM/PVH guests for the HVM walker's tests, fuzzer and
 * benchmark: a store of guest frames (GFN -> 4096 bytes, made on first
 * use), a vCPU in a chosen paging mode and helpers that build its page
 * tables. Table frames get GFNs from HVB_TABLE_GFN up, so data mapped
 * below it never shares a frame with a table. A PAE PDPT sits at offset
 * HVB_PDPT_OFFSET of its frame, as CR3 allows (32-byte aligned).
 *
 * Not cmocka: misuse of a helper prints what is wrong and abort()s.
 */
#ifndef TEST_HVMBUILD_H
#define TEST_HVMBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

#define HVB_TABLE_GFN   UINT64_C(0x10000)
#define HVB_PDPT_OFFSET 0x40u
#define HVB_SZ_4M       (UINT64_C(1) << 22)

/* Control-register bits the builder sets. */
#define HVB_CR0_PE   UINT64_C(0x1)
#define HVB_CR0_PG   (UINT64_C(1) << 31)
#define HVB_CR4_PSE  UINT64_C(0x10)
#define HVB_CR4_PAE  UINT64_C(0x20)
#define HVB_CR4_LA57 (UINT64_C(1) << 12)
#define HVB_EFER_LME (UINT64_C(1) << 8)
#define HVB_EFER_LMA (UINT64_C(1) << 10)
#define HVB_EFER_NXE (UINT64_C(1) << 11)

struct hvb_frame {
    uint64_t gfn;
    uint8_t *data;
    unsigned long reads;
};

struct hvb {
    enum xcx_paging_mode mode;
    unsigned int maxphys; /* the guest's width given to the walker */
    struct xcx_hvm_cpu cpu;
    struct hvb_frame *slots;
    size_t capacity, count;
    uint64_t next_table_gfn;
    unsigned long reads;
    uint64_t fail_gfn; /* read_frame of it fails with fail_errno (0 none) */
    int fail_errno;
};

/* A guest in @mode (NXE set from PAE up, PSE in 32-bit), with an empty
 * root table; maxphys 52. */
void hvb_init(struct hvb *b, enum xcx_paging_mode mode);
void hvb_free(struct hvb *b);
void hvb_guest(struct hvb *b, struct xcx_hvm_guest *g);

uint8_t *hvb_frame(struct hvb *b, uint64_t gfn);
/* The root table's GPA (CR3 without its low bits). */
uint64_t hvb_root(const struct hvb *b);
unsigned int hvb_top(const struct hvb *b);
unsigned int hvb_index(const struct hvb *b, unsigned int level, uint64_t va);
uint64_t hvb_entry(struct hvb *b, uint64_t table_gpa, unsigned int index);
void hvb_set_entry(struct hvb *b, uint64_t table_gpa, unsigned int index,
                   uint64_t value);

/* The level-@level table on @va's path (tables above made where missing,
 * entries P|RW|US|A; a PAE PDPTE gets P alone). */
uint64_t hvb_table(struct hvb *b, uint64_t va, unsigned int level);
void hvb_change(struct hvb *b, uint64_t va, unsigned int level, uint64_t set,
                uint64_t clear);
/* Map the page of @size (4 KiB, 2 or 4 MiB, 1 GiB) at @va to @gpa with
 * entry bits @bits (P, and PS for a large page, added). */
void hvb_map(struct hvb *b, uint64_t va, uint64_t gpa, uint64_t size,
             uint64_t bits);

unsigned long hvb_distinct_reads(const struct hvb *b);
void hvb_reset_reads(struct hvb *b);

#endif
