/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Builders for MTRR registers, Xen's 240-byte MTRR save record and whole
 * HVM contexts, with knobs that break them in the ways the parser must
 * refuse. Allocation failures abort: these are test helpers.
 */
#ifndef TEST_CTXBUILD_H
#define TEST_CTXBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

#define CTXB_DEFAULT_PAT UINT64_C(0x0007040600070406)
#define CTXB_DOMU_CAP    0x508u /* WC, FIX, VCNT 8 */

/* The HVM context format (xen/arch-x86/hvm/save.h, xen/hvm/save.h). */
#define CTXB_HVM_MAGIC   0x54381286u
#define CTXB_HVM_VERSION 1u
#define CTXB_CODE_END    0
#define CTXB_CODE_HEADER 1
#define CTXB_CODE_CPU    2
#define CTXB_CODE_LAPIC  5
#define CTXB_CODE_MTRR   14
#define CTXB_DESC_SIZE   8  /* {u16 typecode, u16 instance, u32 length} */
#define CTXB_HEADER_SIZE 24 /* struct hvm_save_header */

/*
 * Little-endian integers of @bytes (1..8) bytes, as Xen's save records hold
 * them. Header-only: the fuzz harnesses use them without ctxbuild.c.
 */
static inline void ctxb_le_store(uint8_t *p, uint64_t v, unsigned int bytes)
{
    for (unsigned int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t ctxb_le_load(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;

    for (unsigned int i = bytes; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

/* One variable pair of a description. All zero: an unused, zero pair. */
struct ctxb_var {
    uint64_t base; /* range start, aligned to size */
    uint64_t size; /* power of two, at least 4 KiB */
    uint8_t type;
    uint64_t mask; /* nonzero: the raw PHYSMASK, used as is (size ignored) */
};

/* A compact description of one vCPU's registers. */
struct ctxb_regs_desc {
    uint8_t def_type;   /* MTRRdefType.Type */
    bool e, fe;         /* MTRRdefType.E and .FE */
    unsigned int vcnt;  /* MTRRcap.VCNT; 0 means 8 (patch cap for 0) */
    uint8_t fixed_type; /* the type of all 88 fixed sub-ranges */
    unsigned int width; /* physical-address width of masks; 0 is 36 */
    uint64_t pat;       /* 0 is CTXB_DEFAULT_PAT */
    struct ctxb_var var[XCX_MTRR_VAR_MAX];
};

/* PHYSMASK of a range of @size bytes at @width bits, valid bit set. */
uint64_t ctxb_mask(uint64_t size, unsigned int width);

/* Fill @r from @d: cap is 0x500 | VCNT (WC and FIX). */
void ctxb_regs_fill(struct xcx_mtrr_regs *r, const struct ctxb_regs_desc *d);

/* Set pair @i to [@base, @base + @size) of @type, valid. */
void ctxb_set_var(struct xcx_mtrr_regs *r, unsigned int i, uint64_t base,
                  uint64_t size, unsigned int type, unsigned int width);

/* Set the type byte of fixed sub-range @index (0..87). */
void ctxb_set_fixed(struct xcx_mtrr_regs *r, unsigned int index,
                    unsigned int type);

/* Copy pair 0 into every slot, as Xen >= 4.12 saves it. */
void ctxb_copy_pair0(struct xcx_mtrr_regs *r);

/*
 * The MTRRs hvmloader's cacheattr_init() programs for maxphysaddr 36 and a
 * PCI hole from 0xe8000000: the guest of the sample contexts in tests/data/
 * (make-sample-context.c tells more). MTRRdefType 0xc06 (WB, E, FE),
 * MTRRcap 0x508, the default PAT, fixed ranges WB but the VGA hole
 * 0xa0000-0xbffff WC, pair 0 UC over [0xe8000000, 0xf0000000) and pair 1
 * UC over [0xf0000000, 4 GiB). With @fixed_xen as a Xen without the save
 * bug records them (slots 2..7 zero), else as Xen 4.17 does (pair 0 in
 * all eight slots, pair 1 nowhere).
 */
void ctxb_hvmloader_regs(struct xcx_mtrr_regs *r, bool fixed_xen);

/* Serialise @r into Xen's record: little-endian struct hvm_hw_mtrr. */
void ctxb_record_encode(const struct xcx_mtrr_regs *r,
                        uint8_t out[XCX_MTRR_RECORD_SIZE]);

/* A growing byte buffer. */
struct ctxb_blob {
    uint8_t *data;
    size_t len;
    size_t cap;
};

void ctxb_blob_free(struct ctxb_blob *b);
void ctxb_put_bytes(struct ctxb_blob *b, const void *p, size_t n);

/* A record whose descriptor says @desc_len, followed by @n payload bytes. */
void ctxb_put_record(struct ctxb_blob *b, uint16_t code, uint16_t instance,
                     uint32_t desc_len, const void *payload, size_t n);
void ctxb_put_header(struct ctxb_blob *b, uint32_t magic);
void ctxb_put_cpu(struct ctxb_blob *b, uint16_t vcpu);
void ctxb_put_mtrr(struct ctxb_blob *b, uint16_t vcpu,
                   const struct xcx_mtrr_regs *r);
void ctxb_put_end(struct ctxb_blob *b);

/* How ctxb_build() breaks a context. */
enum ctxb_fault {
    CTXB_OK = 0,
    CTXB_BAD_MAGIC,        /* HEADER magic is fault_arg (0: magic ^ 1) */
    CTXB_HEADER_LEN,       /* HEADER record of fault_arg bytes */
    CTXB_HEADER_NOT_FIRST, /* a CPU record before HEADER */
    CTXB_NO_HEADER,
    CTXB_MTRR_LEN,  /* fault_vcpu's MTRR record is fault_arg bytes */
    CTXB_DUP_MTRR,  /* fault_vcpu's MTRR record twice */
    CTXB_DROP_MTRR, /* no MTRR record for fault_vcpu */
    CTXB_NO_MTRR,   /* no MTRR record at all */
    CTXB_NO_END,
    CTXB_TRAILING,     /* fault_arg bytes (0: 1) of 0xaa after END */
    CTXB_LEN_PAST_END, /* last record claims fault_arg bytes, no END */
};

/* What ctxb_build() writes: HEADER, CPU, MTRR records, END. */
struct ctxb_ctx_desc {
    unsigned int nr_vcpus;
    const struct xcx_mtrr_regs *regs; /* nr_regs entries; NULL: default */
    unsigned int nr_regs;             /* 1: the same for every vCPU */
    bool cpu_records;                 /* one CPU record per vCPU */
    bool extra_records;               /* LAPIC-like records of odd sizes */
    bool reverse_mtrr;                /* MTRR records in reverse order */
    enum ctxb_fault fault;
    unsigned int fault_vcpu;
    uint32_t fault_arg;
};

/* A valid vCPU state: def WB with E and FE, fixed WB, one UC pair. */
void ctxb_regs_default(struct xcx_mtrr_regs *r);

/* Build a context into @b (which must be empty or freed). */
void ctxb_build(struct ctxb_blob *b, const struct ctxb_ctx_desc *d);

#endif
